"""The Popolo export: every item passes the spec's own schemas, and every id it refers to resolves.

The Popolo schemas are vendored in ``tests/data/popolo`` (see the README there):
each exported item is validated with ``jsonschema.Draft3Validator``, formats
checked, the schemas' ``$ref``s resolved through a ``referencing.Registry``
keyed by their ids. ``check_popolo`` adds what those schemas cannot say.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import attrs
import jsonschema
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from referencing import Registry
from referencing.jsonschema import DRAFT3

from kgru_relations import (
    UNKNOWN,
    Chairmanship,
    Dataset,
    Event,
    EventKind,
    EventStatus,
    Membership,
    Name,
    Organization,
    OrganizationKind,
    Period,
    Person,
    Position,
    Source,
    State,
    Statement,
    Tenure,
    ValidationError,
    load_default,
)
from kgru_relations.errors import MAX_ISSUES
from kgru_relations.interop import MissingExtra
from kgru_relations.interop.popolo import COLLECTIONS, check_popolo, to_popolo
from kgru_relations.strategies import datasets, names

SCHEMA_FOLDER = Path(__file__).parent / "data" / "popolo"
SCHEMAS: list[dict[str, Any]] = [
    json.loads(path.read_text(encoding="utf-8")) for path in sorted(SCHEMA_FOLDER.glob("*.json"))
]
REGISTRY: Registry[Any] = Registry().with_resources(
    (schema["id"], DRAFT3.create_resource(schema)) for schema in SCHEMAS
)
ITEM_SCHEMA = {
    "persons": "person",
    "organizations": "organization",
    "areas": "area",
    "posts": "post",
    "memberships": "membership",
    "events": "event",
    "speeches": "speech",
}


def validator(collection: str) -> jsonschema.Draft3Validator:
    schema_id = f"http://www.popoloproject.com/schemas/{ITEM_SCHEMA[collection]}.json#"
    return jsonschema.Draft3Validator(
        REGISTRY.contents(schema_id),
        registry=REGISTRY,
        format_checker=jsonschema.Draft3Validator.FORMAT_CHECKER,
    )


VALIDATORS = {collection: validator(collection) for collection in COLLECTIONS}


def schema_errors(document: Mapping[str, Any]) -> list[str]:
    """Every complaint of the spec's schemas about the document's items, with where it is."""
    return [
        f"{collection}[{index}]{list(error.absolute_path)}: {error.message}"
        for collection in COLLECTIONS
        for index, item in enumerate(document.get(collection, []))
        for error in VALIDATORS[collection].iter_errors(item)
    ]


def issues_of(document: object, **options: Any) -> dict[str, str]:
    """The issues check_popolo raises, by path (empty if it raises none)."""
    try:
        check_popolo(document, **options)
    except ValidationError as error:
        return {issue.path: issue.message for issue in error.issues}
    return {}


def item(document: Mapping[str, Any], collection: str, item_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(i for i in document[collection] if i["id"] == item_id)
    return found


def index_of(document: Mapping[str, Any], collection: str, item_id: str) -> int:
    return next(n for n, i in enumerate(document[collection]) if i["id"] == item_id)


@pytest.fixture(scope="module")
def embedded() -> Dataset:
    return load_default()


@pytest.fixture(scope="module")
def exported(embedded: Dataset) -> dict[str, Any]:
    return to_popolo(embedded)


@pytest.fixture
def document(exported: dict[str, Any]) -> dict[str, Any]:
    """A copy of the embedded export, for a test to break."""
    return copy.deepcopy(exported)


# --- the embedded dataset ------------------------------------------------------------------------


def test_every_schema_is_vendored_and_every_ref_resolves() -> None:
    refs: set[str] = set()

    def walk(value: object) -> Iterator[str]:
        if isinstance(value, dict):
            for key, child in value.items():
                if key == "$ref":
                    yield child
                yield from walk(child)
        elif isinstance(value, list):
            for child in value:
                yield from walk(child)

    for schema in SCHEMAS:
        jsonschema.Draft3Validator.check_schema(schema)
        refs.update(walk(schema))
    ids = {schema["id"] for schema in SCHEMAS}
    assert refs <= ids
    assert {f"http://www.popoloproject.com/schemas/{n}.json#" for n in ITEM_SCHEMA.values()} <= ids


def test_the_embedded_export_passes_the_popolo_schemas_and_check(
    exported: dict[str, Any],
) -> None:
    assert schema_errors(exported) == []
    check_popolo(exported)
    check_popolo(exported, schemas=SCHEMAS)


def test_the_embedded_export_holds_every_actor_office_and_relation(
    embedded: Dataset, exported: dict[str, Any]
) -> None:
    def ids(*kinds: type[Any]) -> list[str]:
        return sorted(entity.id for kind in kinds for entity in embedded.all(kind))

    assert sorted(exported) == sorted(COLLECTIONS)
    assert [p["id"] for p in exported["persons"]] == ids(Person)
    assert [o["id"] for o in exported["organizations"]] == ids(Organization)
    assert [a["id"] for a in exported["areas"]] == ids(State)
    assert [p["id"] for p in exported["posts"]] == ids(Position)
    # One membership a status: Armenia's in the CSTO is two, member then suspended.
    records = [m["id"].partition("#")[0] for m in exported["memberships"]]
    assert list(dict.fromkeys(records)) == ids(Tenure, Membership, Chairmanship)
    armenia = [m for m in exported["memberships"] if m["id"].startswith("membership:csto-am")]
    assert [(m["id"], m["role"], m.get("end_date")) for m in armenia] == [
        ("membership:csto-am", "member", "2024-02-22"),
        ("membership:csto-am#2", "suspended", None),
    ]
    assert [e["id"] for e in exported["events"]] == ids(Event)
    # No statement has a time of day, which a Popolo speech's date needs.
    assert embedded.all(Statement)
    assert exported["speeches"] == []


def test_a_person_keeps_every_name_with_its_language_script_and_kind(
    exported: dict[str, Any],
) -> None:
    japarov = item(exported, "persons", "person:akylbek-japarov")
    assert japarov["name"] == "Akylbek Japarov"
    assert japarov["other_names"] == [
        {"name": "Akylbek Japarov", "note": "common", "lang": "en-Latn"},
        {"name": "Akylbek Zhaparov", "note": "transliteration", "lang": "en-Latn"},
        {"name": "Акылбек Жапаров", "note": "official", "lang": "ky-Cyrl"},
    ]
    assert japarov["identifiers"] == [{"identifier": "Q4060344", "scheme": "wikidata"}]


def test_a_tenure_is_a_membership_holding_its_post(exported: dict[str, Any]) -> None:
    acting = item(exported, "memberships", "tenure:akylbek-japarov-cabinet-chairman-acting")
    assert acting == {
        "id": "tenure:akylbek-japarov-cabinet-chairman-acting",
        "label": "Chairman of the Cabinet of Ministers of the Kyrgyz Republic (acting)",
        "role": "head_of_government",
        "person_id": "person:akylbek-japarov",
        "post_id": "position:kg-cabinet-chairman",
        "organization_id": "organization:kg-cabinet",
        "start_date": "2021-10-12",
        "end_date": "2021-10-13",
        "sources": [
            {
                "url": "https://bulak.kg/2021/10/12/akylbek-zhaparov-naznachen-i-o-glavy-kabmina-"
                "rukovoditelem-administratsii-prezidenta-kr",
                "note": "[Bulak, 12 October 2021: Akylbek Japarov appointed acting Chairman of "
                "the Cabinet of Ministers] — Bulak, 2021-10-12",
            }
        ],
    }


def test_a_tenure_that_ended_on_an_unknown_day_is_left_out_not_made_current(
    embedded: Dataset,
) -> None:
    # Popolo's end_date is a date or nothing, and nothing reads as still held
    # (everypolitician-popolo reported Putin's 2000 presidency, 2000-05-07/, as current).
    tenure = embedded.get("tenure:putin-president-2000", Tenure)
    ended = attrs.evolve(tenure, period=Period(tenure.period.start, UNKNOWN))
    data = Dataset([ended if entity is tenure else entity for entity in embedded])
    document = to_popolo(data)
    exported = {membership["id"] for membership in document["memberships"]}
    assert tenure.id not in exported
    assert "tenure:putin-president-2012" in exported
    assert item(document, "persons", "person:vladimir-putin")
    assert schema_errors(document) == []
    check_popolo(document)


def test_the_loss_table_lists_what_ended_on_an_unknown_day() -> None:
    page = Path(__file__).parents[1] / "docs" / "how-to" / "export-popolo.md"
    losses = page.read_text(encoding="utf-8").partition("## What Popolo cannot hold")[2]
    (row,) = [line for line in losses.splitlines() if "ended on an unknown day" in line]
    assert "| Not exported |" in row
    assert "current" in row


def test_an_office_of_a_state_sits_in_its_area(exported: dict[str, Any]) -> None:
    president = item(exported, "posts", "position:kg-president")
    assert president["area_id"] == "state:kg"
    assert "organization_id" not in president
    area = item(exported, "areas", "state:kg")
    assert (area["identifier"], area["classification"]) == ("KG", "country")


def test_a_states_membership_and_chair_name_the_state_as_area(exported: dict[str, Any]) -> None:
    member = item(exported, "memberships", "membership:csto-kg")
    assert (member["role"], member["organization_id"], member["area_id"]) == (
        "member",
        "organization:csto",
        "state:kg",
    )
    chair = item(exported, "memberships", "chairmanship:csto-2025")
    assert (chair["role"], chair["area_id"], chair["start_date"], chair["end_date"]) == (
        "chair",
        "state:kg",
        "2025",
        "2025",
    )


def test_an_events_people_are_its_attendees(exported: dict[str, Any]) -> None:
    parade = item(exported, "events", "event:victory-day-parade-2025")
    assert parade["attendees"] == [
        {"id": "person:vladimir-putin", "name": "Vladimir Putin"},
        {"id": "person:sadyr-japarov", "name": "Sadyr Japarov"},
    ]
    assert (parade["start_date"], parade["location"], parade["status"]) == (
        "2025-05-09",
        "Moscow",
        "held",
    )


def test_the_export_is_plain_json_and_the_same_on_every_run(
    embedded: Dataset, exported: dict[str, Any]
) -> None:
    assert json.loads(json.dumps(exported)) == exported
    assert to_popolo(load_default()) == exported
    shuffled = Dataset(reversed(list(embedded)))
    assert json.dumps(to_popolo(shuffled)) == json.dumps(exported)


def test_editing_one_item_of_the_export_changes_no_other(embedded: Dataset) -> None:
    document = to_popolo(embedded)
    links = [link for items in document.values() for i in items for link in i.get("sources", [])]
    assert len({id(link) for link in links}) == len(links)


# --- dates, names and sources, built by hand -----------------------------------------------------

SOURCE = Source(id="source:s", title="A report", publisher="TASS", url="https://tass.com/x")


def small(*entities: Any) -> Dataset:
    return Dataset([SOURCE, *entities])


def test_a_date_known_to_the_quarter_is_written_as_its_year() -> None:
    document = to_popolo(
        small(
            State(id="state:kg", code="KG", names=[Name("Kyrgyzstan")], sources=["source:s"]),
            Organization(
                id="organization:o",
                names=[Name("O")],
                kind=OrganizationKind.FUND,
                founded="2024-Q3",
                dissolved="2025-04",
                sources=["source:s"],
            ),
            Membership(
                id="membership:o-kg",
                state="state:kg",
                organization="organization:o",
                period="2024-Q3/..",
                sources=["source:s"],
            ),
            Event(
                id="event:e",
                names=[Name("E")],
                kind=EventKind.TALKS,
                status=EventStatus.PLANNED,
                date="2025-Q2",
                sources=["source:s"],
            ),
        )
    )
    organization = document["organizations"][0]
    assert (organization["founding_date"], organization["dissolution_date"]) == ("2024", "2025-04")
    assert document["memberships"][0]["start_date"] == "2024"
    assert "end_date" not in document["memberships"][0]
    assert document["events"][0]["start_date"] == "2025"
    assert schema_errors(document) == []
    check_popolo(document)


def test_names_without_a_script_or_language_have_the_tag_they_can() -> None:
    person = Person(
        id="person:p",
        names=[
            Name("Ivanov", language="ru"),
            Name("Иванов", script="Cyrl", kind="alias"),
            Name("I."),
        ],
        sources=["source:s"],
    )
    names = to_popolo(small(person))["persons"][0]["other_names"]
    assert names == [
        {"name": "Ivanov", "note": "common", "lang": "ru"},
        {"name": "Иванов", "note": "alias", "lang": "und-Cyrl"},
        {"name": "I.", "note": "common"},
    ]


def test_a_source_is_a_link_with_its_title_publisher_and_date() -> None:
    dated = Source(
        id="source:d",
        title="Talks held",
        publisher="24.kg",
        published="2025-01",
        url="https://24.kg/новости/1",
    )
    bare = Source(id="source:b", title="A book")  # no web address: cannot be a link
    person = Person(
        id="person:p",
        names=[Name("P")],
        sources=["source:s", "source:d", "source:b"],
    )
    document = to_popolo(Dataset([SOURCE, dated, bare, person]))
    assert document["persons"][0]["sources"] == [
        {"url": "https://tass.com/x", "note": "A report — TASS"},
        {"url": "https://24.kg/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/1", "note": dated_note()},
    ]
    only_bare = Person(id="person:q", names=[Name("Q")], sources=["source:b"])
    assert "sources" not in to_popolo(Dataset([bare, only_bare]))["persons"][0]


def dated_note() -> str:
    return "Talks held — 24.kg, 2025-01"


def test_a_dataset_that_does_not_validate_is_refused() -> None:
    orphan = Tenure(
        id="tenure:t",
        person="person:nobody",
        position="position:nothing",
        period="2020/..",
        sources=["source:s"],
    )
    with pytest.raises(ValidationError) as caught:
        to_popolo(small(orphan))
    assert {issue.path for issue in caught.value.issues} == {
        "$.tenures[0].person",
        "$.tenures[0].position",
    }


# Characters a Source address may hold (any but whitespace), weighted to the awkward ones.
URL_TEXT = st.text(
    st.sampled_from("aZ09-._~!$&'()*+,;=:@/?#%[]{}|\\^`\"<>AF") | st.characters(min_codepoint=0xA1),
    max_size=30,
)


@st.composite
def source_urls(draw: st.DrawFn) -> str:
    host = draw(st.sampled_from(["example.org", "[::1]", "пример.рф", "a:b@host", "h:8080", "h:x"]))
    url = f"{draw(st.sampled_from(['http', 'https', 'HTTPS']))}://{host}{draw(URL_TEXT)}"
    try:
        Source(id="source:u", title="T", url=url)
    except ValidationError:
        assume(False)
    return url


@given(source_urls())
def test_every_source_address_becomes_a_uri_naming_the_same_page(url: str) -> None:
    source = Source(id="source:u", title="T", url=url)
    person = Person(id="person:p", names=[Name("P")], sources=["source:u"])
    exported = to_popolo(Dataset([source, person]))["persons"][0]["sources"][0]["url"]
    assert jsonschema.Draft3Validator.FORMAT_CHECKER.conforms(exported, "uri"), exported
    assert unquote(exported) == unquote(url)


# --- any dataset ---------------------------------------------------------------------------------


@given(datasets())
def test_any_dataset_exports_to_a_document_that_passes_schemas_and_check(
    dataset: Dataset,
) -> None:
    document = to_popolo(dataset)
    assert schema_errors(document) == []
    check_popolo(document)
    assert json.loads(json.dumps(document)) == document
    exported = {item["id"].partition("#")[0] for items in document.values() for item in items}
    kinds = (Person, Organization, State, Position, Tenure, Membership, Chairmanship, Event)
    relations: list[Tenure | Membership | Chairmanship] = [
        *dataset.all(Tenure),
        *dataset.all(Membership),
        *dataset.all(Chairmanship),
    ]
    ended = {relation.id for relation in relations if relation.period.end is UNKNOWN}
    assert exported == {entity.id for kind in kinds for entity in dataset.all(kind)} - ended
    # A reader takes a membership with no end date as current: each such is one still held.
    # ... in the role it has now: a state that withdrew is not read as a member.
    for membership in document["memberships"]:
        if "end_date" not in membership:
            record = dataset.get(membership["id"].partition("#")[0])
            assert isinstance(record, (Tenure, Membership, Chairmanship))
            assert record.period.end is None
            if isinstance(record, Membership) and record.changes:
                assert membership["role"] == record.changes[-1].status.value
    for person in dataset.all(Person):
        names = item(document, "persons", person.id)["other_names"]
        assert [(n["name"], n["note"]) for n in names] == [
            (n.text, n.kind.value) for n in person.names
        ]


@given(st.lists(names(), min_size=1, max_size=4, unique=True))
def test_every_name_is_kept_with_its_language_and_script(person_names: list[Name]) -> None:
    person = Person(id="person:p", names=person_names, sources=["source:s"])
    document = to_popolo(small(person))
    assert schema_errors(document) == []
    other_names = document["persons"][0]["other_names"]
    assert [(n["name"], n["note"]) for n in other_names] == [
        (n.text, n.kind.value) for n in person_names
    ]
    for name, other in zip(person_names, other_names, strict=True):
        if name.language is None and name.script is None:
            assert "lang" not in other
            continue
        # BCP 47: the language (or "und", undetermined, for none: a name whose
        # language is "und" says the same), then the script where known.
        language, _, script = other["lang"].partition("-")
        assert language == (name.language or "und")
        assert (script or None) == name.script


@given(datasets(), st.randoms(use_true_random=False))
def test_the_export_does_not_depend_on_the_order_entities_were_given(
    dataset: Dataset, random: Any
) -> None:
    entities = list(dataset)
    random.shuffle(entities)
    assert to_popolo(Dataset(entities)) == to_popolo(dataset)


# --- what the checks catch -----------------------------------------------------------------------


def test_a_dangling_person_id_is_caught(document: dict[str, Any]) -> None:
    row = index_of(document, "memberships", "tenure:lavrov-foreign-minister")
    document["memberships"][row]["person_id"] = "person:nobody"
    assert schema_errors(document) == []  # the schemas cannot see it
    assert issues_of(document) == {
        f"$.memberships[{row}].person_id": "'person:nobody' is not the id of a person in the "
        "document"
    }


def test_a_quarter_as_a_date_is_caught(document: dict[str, Any]) -> None:
    row = index_of(document, "memberships", "membership:csto-kg")
    document["memberships"][row]["start_date"] = "2024-Q1"
    path = f"$.memberships[{row}].start_date"
    assert len(schema_errors(document)) == 1
    assert issues_of(document) == {
        path: "'2024-Q1' is not a reduced ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)"
    }
    assert list(issues_of(document, schemas=SCHEMAS)) == [path]  # once, not twice


def test_an_address_that_is_not_a_uri_is_caught(document: dict[str, Any]) -> None:
    document["persons"][0]["sources"][0]["url"] = "not a uri"
    assert schema_errors(document) == [
        "persons[0]['sources', 0, 'url']: 'not a uri' is not a 'uri'"
    ]
    assert issues_of(document) == {}  # a format the schemas check, not check_popolo alone
    assert issues_of(document, schemas=SCHEMAS) == {
        "$.persons[0].sources[0].url": "'not a uri' is not a 'uri' (Popolo's person.json)"
    }


def test_a_missing_required_name_is_caught(document: dict[str, Any]) -> None:
    del document["persons"][0]["other_names"][0]["name"]
    assert schema_errors(document) == [
        "persons[0]['other_names', 0, 'name']: 'name' is a required property"
    ]
    assert issues_of(document, schemas=SCHEMAS) == {
        "$.persons[0].other_names[0].name": "'name' is a required property (Popolo's person.json)"
    }


def test_an_id_of_the_wrong_kind_says_what_it_names(document: dict[str, Any]) -> None:
    row = index_of(document, "posts", "position:ru-president")
    document["posts"][row]["organization_id"] = "state:ru"
    assert issues_of(document) == {
        f"$.posts[{row}].organization_id": "'state:ru' is not the id of an organization in the "
        "document; it is an area's"
    }


def test_every_reference_field_is_checked() -> None:
    document = {
        "persons": [{"id": "p"}],
        "organizations": [{"id": "o", "parent_id": "x1", "area_id": "x2"}],
        "areas": [{"id": "a", "parent_id": "x3"}],
        "posts": [{"id": "post", "organization_id": "x4", "area_id": "x5"}],
        "memberships": [
            {
                "id": "m",
                "person_id": "x6",
                "organization_id": "x7",
                "post_id": "x8",
                "on_behalf_of_id": "x9",
                "area_id": "x10",
                "member": {"@type": "Organization", "id": "x11"},
            }
        ],
        "events": [
            {"id": "e", "organization_id": "x12", "parent_id": "x13", "attendees": [{"id": "x14"}]}
        ],
        "speeches": [{"id": "s", "creator_id": "x15", "audience_id": "x16", "event_id": "x17"}],
    }
    found = issues_of(document)
    assert sorted(message.split("'")[1] for message in found.values()) == sorted(
        f"x{n}" for n in range(1, 18)
    )
    assert found["$.memberships[0].member.id"].endswith(
        "not the id of an organization in the document"
    )
    assert found["$.speeches[0].event_id"].endswith("not the id of an event in the document")
    resolved = {
        "persons": [{"id": "p"}],
        "organizations": [{"id": "o", "parent_id": "o2", "area_id": "a"}, {"id": "o2"}],
        "areas": [{"id": "a"}, {"id": "a2", "parent_id": "a"}],
        "posts": [{"id": "post", "organization_id": "o"}],
        "memberships": [
            {
                "id": "m",
                "person_id": "p",
                "organization_id": "o",
                "post_id": "post",
                "on_behalf_of_id": "o2",
                "area_id": "a",
                "member": {"@type": "Person", "id": "p"},
            }
        ],
        "events": [{"id": "e"}, {"id": "e2", "parent_id": "e", "attendees": [{"id": "p"}]}],
        "speeches": [{"id": "s", "creator_id": "p", "audience_id": "p", "event_id": "e2"}],
    }
    assert issues_of(resolved, schemas=SCHEMAS) == {}


def test_a_membership_of_another_organization_than_its_posts_is_caught() -> None:
    document = {
        "organizations": [{"id": "o"}, {"id": "o2"}],
        "posts": [{"id": "post", "organization_id": "o"}],
        "memberships": [{"id": "m", "post_id": "post", "organization_id": "o2"}],
    }
    assert issues_of(document) == {
        "$.memberships[0].organization_id": "'o2' is not the organization of the post 'post', "
        "which is 'o'"
    }


def test_a_member_must_say_what_it_is() -> None:
    document = {"memberships": [{"id": "m", "member": {"id": "p"}}]}
    assert issues_of(document) == {
        '$.memberships[0].member["@type"]': "expected 'Person' or 'Organization', got None "
        "(NoneType)"
    }


def test_dates_the_schemas_let_through_are_caught() -> None:
    document = {
        "persons": [
            {
                "id": "p",
                "birth_date": "2024-02-30",
                "other_names": [{"name": "n", "start_date": "2024-13"}, "not a name"],
            }
        ],
        "memberships": [{"id": "m", "start_date": "2024-05", "end_date": "2023"}],
        "events": [
            {"id": "e", "start_date": "2024-05-09T25Z"},
            {"id": "f", "start_date": "2024-05-09T10:30+03:00", "end_date": "2024-05-09"},
            {"id": "g", "start_date": "2024-05-10", "end_date": "2024-05-09T23:00Z"},
        ],
        "speeches": [
            {"id": "s", "date": "2024-05-09"},
            {"id": "t", "date": "2024-05-09T10:00:00Z", "created_at": 2024},
        ],
    }
    assert VALIDATORS["persons"].is_valid({"birth_date": "2024-02-30"})  # the pattern allows it
    assert issues_of(document) == {
        "$.persons[0].birth_date": "'2024-02-30' is not a real date: day 30 is out of range for "
        "February 2024 (it has 29 days)",
        "$.persons[0].other_names[0].start_date": "'2024-13' is not a real date: month must be 1 "
        "to 12 (got 13)",
        "$.memberships[0].end_date": "'2023' is before the start_date '2024-05'",
        "$.events[0].start_date": "'2024-05-09T25Z' is not a real date and time: hour must be in "
        "0..23",
        "$.events[2].end_date": "'2024-05-09T23:00Z' is before the start_date '2024-05-10'",
        "$.speeches[0].date": "'2024-05-09' is not a date and time with its offset, as in RFC 3339 "
        "(2024-11-28T10:00:00Z)",
        "$.speeches[1].created_at": "expected a date and time with its offset, as in RFC 3339 "
        "(2024-11-28T10:00:00Z), got 2024 (int)",
    }


def test_the_shape_of_the_document_is_checked() -> None:
    with pytest.raises(ValidationError, match=r"^\$: expected a Popolo document"):
        check_popolo([])
    document = {
        "persons": {"id": "p"},
        "areas": ["state:kg", {"id": 7}],
        "events": [{"id": "e", "attendees": ["p"]}, {"id": "e"}],
        "motions": "left alone",
    }
    assert issues_of(document) == {
        "$.persons": "expected a list, got an object (dict)",
        "$.areas[0]": "expected an area (an object), got 'state:kg' (str)",
        "$.areas[1].id": "expected an id (text), got 7 (int)",
        "$.events[1].id": "'e' is the id of $.events[0] too",
    }
    assert issues_of({"memberships": [{"person_id": ["p"]}]}) == {
        "$.memberships[0].person_id": "expected an id (text), got a list (list)"
    }


def test_the_report_is_bounded() -> None:
    extra = 10
    document = {"memberships": [{"person_id": f"person:{n}"} for n in range(MAX_ISSUES + extra)]}
    with pytest.raises(ValidationError) as caught:
        check_popolo(document)
    assert (len(caught.value.issues), caught.value.more) == (MAX_ISSUES, extra)


# --- the schemas and the extra -------------------------------------------------------------------


def test_every_schema_of_a_checked_list_is_needed() -> None:
    without_speech = [s for s in SCHEMAS if not s["id"].endswith("/speech.json#")]
    with pytest.raises(ValueError, match=r"no Popolo schema among those given for speech\.json"):
        check_popolo({}, schemas=without_speech)


def test_without_jsonschema_the_extra_to_install_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "jsonschema", None)
    with pytest.raises(MissingExtra, match=r"pip install 'kgru-relations\[popolo\]'"):
        check_popolo({}, schemas=SCHEMAS)
    check_popolo({})  # the checks of its own need nothing


def test_without_format_checks_the_extra_to_install_is_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bare = jsonschema.FormatChecker(formats=["email"])
    monkeypatch.setattr(jsonschema.Draft3Validator, "FORMAT_CHECKER", bare)
    with pytest.raises(MissingExtra) as caught:
        check_popolo({}, schemas=SCHEMAS)
    assert str(caught.value) == (
        "checking against the Popolo schemas needs jsonschema's date-time and uri format "
        "checks: pip install 'kgru-relations[popolo]'"
    )


def test_importing_the_export_does_not_import_jsonschema() -> None:
    code = (
        "import sys, kgru_relations.interop.popolo as popolo\n"
        "popolo.check_popolo(popolo.to_popolo(__import__('kgru_relations').load_default()))\n"
        "print(sorted(m for m in ('jsonschema', 'referencing') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"
