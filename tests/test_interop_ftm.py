"""The FollowTheMoney export, checked with the real ``followthemoney`` package.

FtM's own checks let bad data through (``Schema.validate`` ignores a missing
required property; cleaning rewrites or drops values it cannot read; no one
checks what a reference points to), so the export is checked by ``check_ftm``,
which is stricter, and here also by FtM directly: reading each entity with
FtM's cleaning on must give back every value unchanged.
"""

import copy
import datetime as dt
import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any, cast

import attrs
import pycountry
import pytest
from followthemoney import model
from followthemoney.schema import Schema, ValidationData
from followthemoney.types import registry
from hypothesis import given
from hypothesis import strategies as st

from kgru_relations import (
    UNKNOWN,
    Agreement,
    AgreementKind,
    AgreementStatus,
    Chairmanship,
    Dataset,
    Event,
    EventKind,
    EventStatus,
    Membership,
    MembershipStatus,
    Name,
    Organization,
    OrganizationKind,
    PartialDate,
    Period,
    Person,
    Position,
    Source,
    State,
    Statement,
    StatusChange,
    Tenure,
    ValidationError,
    language,
    load_default,
)
from kgru_relations.errors import MAX_ISSUES
from kgru_relations.interop import MissingExtra
from kgru_relations.interop.ftm import check_ftm, ftm_id, id_from_ftm, to_ftm
from kgru_relations.model import ENTITY_CLASSES
from kgru_relations.model._base import KINDS, Entity
from kgru_relations.strategies import datasets, organizations, partial_dates, persons, sources

from .test_scaling import python_calls

Entities = list[dict[str, Any]]
COLLECTIONS: dict[str, type[Entity]] = {cls.COLLECTION: cls for cls in ENTITY_CLASSES}


@pytest.fixture(scope="module")
def embedded() -> Dataset:
    return load_default()


@pytest.fixture(scope="module")
def exported(embedded: Dataset) -> Entities:
    return list(to_ftm(embedded))


def ftm_schema(name: str) -> Schema:
    schema = model.get(name)
    assert schema is not None, name
    return schema


def validated_by_followthemoney(entity: dict[str, Any]) -> bool:
    """Whether FtM's own ``Schema.validate`` passes *entity*."""
    data = cast(ValidationData, {"properties": entity["properties"]})
    return ftm_schema(entity["schema"]).validate(data) is None


def by_id(entities: Entities) -> dict[str, dict[str, Any]]:
    return {entity["id"]: entity for entity in entities}


def problems(entities: Entities) -> list[tuple[str, str]]:
    """The (path, message) of each issue check_ftm raises; [] if it passes."""
    try:
        check_ftm(entities)
    except ValidationError as error:
        return [(issue.path, issue.message) for issue in error.issues]
    return []


def read_by_followthemoney(entity: dict[str, Any]) -> dict[str, list[str]]:
    """The properties FtM keeps when it reads *entity* with its cleaning on."""
    proxy = model.get_proxy(copy.deepcopy(entity), cleaned=False)
    return {name: list(values) for name, values in proxy.to_dict()["properties"].items()}


def assert_followthemoney_agrees(entities: Entities) -> None:
    """Every check the issue lists, made with followthemoney itself."""
    schemata = {}
    for entity in entities:
        schema = ftm_schema(entity["schema"])
        assert not schema.abstract
        assert all(entity["properties"].get(name) for name in schema.required)
        assert validated_by_followthemoney(entity)
        assert read_by_followthemoney(entity) == entity["properties"]
        schemata[entity["id"]] = schema
    assert len(schemata) == len(entities)  # no id twice
    for entity in entities:
        schema = ftm_schema(entity["schema"])
        for name, values in entity["properties"].items():
            prop = schema.properties[name]
            if prop.type == registry.entity:
                assert all(schemata[value].is_a(prop.range) for value in values)


def proof_of(entity: Entity) -> list[str]:
    sources = [*entity.sources]  # type: ignore[attr-defined]
    for change in getattr(entity, "changes", ()):
        sources += change.sources
    return list(dict.fromkeys(ftm_id(source) for source in sources))


# --- the embedded dataset ---------------------------------------------------------------


def test_the_embedded_dataset_passes_the_strict_check(exported: Entities) -> None:
    check_ftm(exported)
    assert_followthemoney_agrees(exported)


def test_each_kind_maps_to_its_schema(embedded: Dataset, exported: Entities) -> None:
    schemata = Counter(entity["schema"] for entity in exported)
    held = [event for event in embedded.all(Event) if event.status is EventStatus.HELD]
    signed = [
        agreement
        for agreement in embedded.all(Agreement)
        if agreement.status is not AgreementStatus.PLANNED
    ]
    assert schemata == {
        "Article": len(embedded.all(Source)),
        "PublicBody": len(embedded.all(State)) + len(embedded.all(Organization)),
        "Person": len(embedded.all(Person)),
        "Position": len(embedded.all(Position)),
        "Occupancy": len(embedded.all(Tenure)),
        "Membership": len(embedded.all(Membership)) + len(embedded.all(Chairmanship)),
        "Event": len(held) + len(signed),
    }
    assert not {id_from_ftm(entity["id"]) for entity in exported} & {
        statement.id for statement in embedded.all(Statement)
    }


def test_a_person_has_every_name(exported: Entities) -> None:
    japarov = by_id(exported)["kgru-person-sadyr-japarov"]["properties"]
    assert japarov["name"] == ["Sadyr Japarov", "Садыр Жапаров"]
    assert japarov["alias"] == ["Sadyr Zhaparov"]
    assert japarov["wikidataId"] == ["Q25597826"]


def test_a_state_is_a_public_body_with_its_country(exported: Entities) -> None:
    kyrgyzstan = by_id(exported)["kgru-state-kg"]
    assert kyrgyzstan["schema"] == "PublicBody"
    assert kyrgyzstan["properties"]["country"] == ["kg"]
    assert kyrgyzstan["properties"]["topics"] == ["gov.national"]


def test_tenures_are_occupancies_with_a_status(embedded: Dataset, exported: Entities) -> None:
    entities = by_id(exported)
    for tenure in embedded.all(Tenure):
        occupancy = entities[ftm_id(tenure.id)]["properties"]
        assert occupancy["holder"] == [ftm_id(tenure.person)]
        assert occupancy["post"] == [ftm_id(tenure.position)]
        assert occupancy["status"] == ["current" if tenure.period.end is None else "ended"]
        assert tenure.period.end is not UNKNOWN  # the embedded data knows when each ended
    lavrov = entities["kgru-tenure-lavrov-foreign-minister"]["properties"]
    assert (lavrov["startDate"], lavrov["status"]) == (["2004-03-09"], ["current"])
    assert "endDate" not in lavrov


def test_an_unknown_end_is_an_ended_occupancy_with_no_end_date(embedded: Dataset) -> None:
    tenure = embedded.get("tenure:lavrov-foreign-minister", Tenure)
    ended = attrs.evolve(tenure, period=Period(tenure.period.start, UNKNOWN))
    data = Dataset([ended if entity is tenure else entity for entity in embedded])
    entities = list(to_ftm(data))
    occupancy = by_id(entities)[ftm_id(tenure.id)]["properties"]
    assert (occupancy["startDate"], occupancy["status"]) == (["2004-03-09"], ["ended"])
    assert "endDate" not in occupancy
    check_ftm(entities)


def test_memberships_and_chairs_are_memberships_with_a_role(exported: Entities) -> None:
    entities = by_id(exported)
    armenia = entities["kgru-membership-csto-am"]["properties"]
    assert armenia["member"] == ["kgru-state-am"]
    assert armenia["organization"] == ["kgru-organization-csto"]
    assert (armenia["role"], armenia["status"]) == (["member"], ["suspended"])
    chair = entities["kgru-chairmanship-csto-2025"]["properties"]
    assert (chair["member"], chair["role"]) == (["kgru-state-kg"], ["chair"])
    assert (chair["startDate"], chair["endDate"]) == (["2025"], ["2025"])


def test_every_fact_cites_its_sources_as_proof(embedded: Dataset, exported: Entities) -> None:
    articles = {entity["id"] for entity in exported if entity["schema"] == "Article"}
    assert articles == {ftm_id(source.id) for source in embedded.all(Source)}
    for entity in exported:
        if entity["schema"] != "Article":
            ours = embedded.get(id_from_ftm(entity["id"]))
            assert entity["properties"]["proof"] == proof_of(ours)
    # A change of status cites its own sources; they are the membership's proof too.
    armenia = by_id(exported)["kgru-membership-csto-am"]["properties"]["proof"]
    assert "kgru-source-reuters-2024-02-23" in armenia


def test_events_list_who_was_involved(exported: Entities) -> None:
    parade = by_id(exported)["kgru-event-victory-day-parade-2025"]["properties"]
    assert parade["date"] == ["2025-05-09"]
    assert parade["location"] == ["Moscow"]
    assert set(parade["involved"]) == {
        "kgru-person-vladimir-putin",
        "kgru-person-sadyr-japarov",
        "kgru-state-ru",
        "kgru-state-kg",
    }


def test_sources_are_articles(exported: Entities) -> None:
    article = by_id(exported)["kgru-source-article"]["properties"]
    assert article["title"] == ["Lavrov and Foreign Minister of Kyrgyzstan to discuss CSTO agenda"]
    assert article["publishedAt"] == ["2025-01-22"]
    assert article["language"] == ["eng"]
    assert article["sourceUrl"][0].startswith("https://russia-islworld.ru/")


def test_the_export_is_json_lines_ready(exported: Entities) -> None:
    for entity in exported:
        assert json.loads(json.dumps(entity, ensure_ascii=False)) == entity
        assert all(
            isinstance(value, str) for values in entity["properties"].values() for value in values
        )


# --- any dataset --------------------------------------------------------------------------


def expected_ids(dataset: Dataset) -> list[str]:
    """The ids to_ftm promises, in its order: kind by kind, sources first, by id."""
    wanted: list[tuple[type[Entity], Callable[[Any], bool]]] = [
        (Source, lambda _: True),
        (State, lambda _: True),
        (Organization, lambda _: True),
        (Person, lambda _: True),
        (Position, lambda _: True),
        (Tenure, lambda _: True),
        (Membership, lambda _: True),
        (Chairmanship, lambda _: True),
        (Agreement, lambda agreement: agreement.status is not AgreementStatus.PLANNED),
        (Event, lambda event: event.status is EventStatus.HELD),
    ]
    return [
        ftm_id(entity_id)
        for cls, keep in wanted
        for entity_id in sorted(entity.id for entity in dataset.all(cls) if keep(entity))
    ]


@given(datasets(), st.randoms(use_true_random=False))
def test_any_dataset_exports_entities_followthemoney_keeps_whole(
    dataset: Dataset, random: Any
) -> None:
    entities = list(to_ftm(dataset))
    check_ftm(entities)
    assert_followthemoney_agrees(entities)
    # The order is stable, says what is left out, and does not depend on the input's.
    assert [entity["id"] for entity in entities] == expected_ids(dataset)
    shuffled = list(dataset)
    random.shuffle(shuffled)
    assert list(to_ftm(Dataset(shuffled))) == entities


@st.composite
def wide_datasets(draw: st.DrawFn) -> Dataset:
    """A dataset whose sources, persons and organisations hold any values the model takes.

    ``datasets()`` keeps names and dates tame; here are any text (quotes, odd
    spaces, combining marks), any language, any address, any year.
    """
    dataset = draw(datasets(max_size=2))
    cited = [source.id for source in dataset.all(Source)]
    extra_sources = [
        attrs.evolve(source, id=f"source:wide-{index}")
        for index, source in enumerate(draw(st.lists(sources(), max_size=3)))
    ]

    def fact(entity: Any, index: int) -> Any:
        return attrs.evolve(
            entity,
            id=f"{entity.KIND}:wide-{index}",
            sources=draw(st.lists(st.sampled_from(cited), min_size=1, max_size=2, unique=True)),
            variant_of=None,
        )

    extra_persons = [
        fact(person, index) for index, person in enumerate(draw(st.lists(persons(), max_size=2)))
    ]
    extra_organizations = [
        attrs.evolve(
            fact(organization, index),
            state=None,
            founded=draw(st.none() | partial_dates()),
            dissolved=None,
        )
        for index, organization in enumerate(draw(st.lists(organizations(), max_size=2)))
    ]
    return Dataset([*dataset, *extra_sources, *extra_persons, *extra_organizations])


@given(wide_datasets())
def test_any_value_is_written_as_followthemoney_keeps_it(dataset: Dataset) -> None:
    try:
        entities = list(to_ftm(dataset))
    except ValidationError as error:
        # Only a record of whose names FtM keeps none ('' and '""' are names to us).
        for issue in error.issues:
            found = re.fullmatch(r"\$\.(\w+)\[(\d+)\]\.names", issue.path)
            assert found is not None, issue.path
            entity = dataset.all(COLLECTIONS[found[1]])[int(found[2])]
            assert all(ftm_form("name", name.text) is None for name in entity.names)  # type: ignore[attr-defined]
        return
    check_ftm(entities)
    assert_followthemoney_agrees(entities)


# --- the id rule ----------------------------------------------------------------------------

OUR_IDS = st.builds(
    "{}:{}".format,
    st.sampled_from(KINDS),
    st.from_regex(r"[a-z0-9]{1,4}(?:[-_.][a-z0-9]{1,4}){0,4}", fullmatch=True),
)


@given(OUR_IDS, OUR_IDS)
def test_the_id_rule_is_one_to_one_and_reversible(first: str, second: str) -> None:
    converted = ftm_id(first)
    assert registry.entity.clean_text(converted) == converted  # FtM takes it as it is
    assert converted.startswith("kgru-")
    assert id_from_ftm(converted) == first
    assert (ftm_id(second) == converted) == (second == first)


def test_the_id_rule_reads_as_documented() -> None:
    assert ftm_id("person:sergey-lavrov") == "kgru-person-sergey-lavrov"
    assert ftm_id("tenure:a_b.c-d") == "kgru-tenure-a--b.c-d"
    assert id_from_ftm("kgru-tenure-a--b.c-d") == "tenure:a_b.c-d"


@pytest.mark.parametrize(
    "foreign",
    [
        "Q7747",  # not ours
        "kgru-person",  # no slug
        "kgru-person-",
        "kgru-person-a---b",  # '---' is no underscore of ours
        "kgru-person-Ab",  # ours are lowercase
        "kgru-planet-mars",  # no such kind
        "kgru-person-a_b",  # FtM ids hold no '_'; we write '--'
        42,
    ],
)
def test_an_id_we_did_not_write_is_refused(foreign: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        id_from_ftm(foreign)
    assert caught.value.issues[0].path == "$"
    assert "is not an id this export writes; expected 'kgru-'" in caught.value.issues[0].message


def test_an_id_too_long_for_followthemoney_is_refused() -> None:
    longest = "person:" + "a" * (200 - len("kgru-person-"))
    assert len(ftm_id(longest)) == 200
    with pytest.raises(ValidationError, match="would have 201 characters, and FtM allows 200"):
        ftm_id(longest + "a")
    with pytest.raises(ValidationError, match="not a valid id"):
        ftm_id("person:Sergey")


def source(**fields: Any) -> Source:
    return Source(**{"id": "source:s", "title": "A report", **fields})


def test_an_export_stops_at_ids_followthemoney_cannot_hold() -> None:
    too_long = Person(id="person:" + "a" * 200, names=[Name("A")], sources=["source:s"])
    with pytest.raises(ValidationError) as caught:
        to_ftm(Dataset([source(), too_long]))
    assert [issue.path for issue in caught.value.issues] == ["$.persons[0].id"]


def test_an_export_stops_where_followthemoney_keeps_no_name() -> None:
    quotes = Person(id="person:q", names=[Name('""'), Name("''")], sources=["source:s"])
    named = Person(id="person:n", names=[Name('""'), Name('"Ak Zhol"')], sources=["source:s"])
    with pytest.raises(ValidationError) as caught:
        to_ftm(Dataset([source(), named, quotes]))
    assert [issue.path for issue in caught.value.issues] == ["$.persons[1].names"]
    assert "keeps none of these names" in caught.value.issues[0].message


def test_an_invalid_dataset_is_not_exported() -> None:
    orphan = Person(id="person:p", names=[Name("P")], sources=["source:nowhere"])
    with pytest.raises(ValidationError, match="source:nowhere"):
        to_ftm(Dataset([orphan]))


# --- values ------------------------------------------------------------------------------------


def ftm_form(type_name: str, value: str) -> str | None:
    """What FtM keeps of *value*: its cleaning, applied until it changes nothing."""
    kind = registry.get(type_name)
    assert kind is not None
    current: str | None = value
    while current is not None:
        cleaned = kind.clean(current)
        if cleaned == current:
            break
        current = cleaned
    return current if current is not None and len(current) <= kind.max_length else None


def one_of_each(text: str) -> Dataset:
    """A dataset that puts *text* in a name, a title, a note, a place and a keyword."""
    return Dataset(
        [
            source(title=text, publisher=text, note=text),
            Person(
                id="person:p", names=[Name("P"), Name(text, kind="alias")], sources=["source:s"]
            ),
            Event(
                id="event:e",
                names=[Name("E")],
                kind=EventKind.TALKS,
                status=EventStatus.HELD,
                date="2025",
                place=text,
                topics=[text],
                sources=["source:s"],
            ),
        ]
    )


PIECES = [
    "a",
    "Ж",
    "e\u0301",  # e and a combining accent: NFC makes one character of them
    " ",
    "  ",
    "\u00a0",  # no-break space
    "\u2003",  # em space
    "\u3000",  # ideographic space
    "\u200d",  # zero-width joiner: our text allows it, FtM drops it
    '"',
    "'",
    "«",
    ";",
    ",",
    ", .",
    ",,",
    "ESQ,",
    "<BR>",
    "\n",
]
AWKWARD_TEXT = st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join)


@given(AWKWARD_TEXT | st.text(min_size=1, max_size=12))
def test_text_is_written_as_followthemoney_keeps_it(text: str) -> None:
    try:
        dataset = one_of_each(text.strip())
    except ValidationError:
        return  # text our model refuses (blank, a control character, a line feed in a title)
    entities = by_id(list(to_ftm(dataset)))
    check_ftm(entities.values())
    article = entities["kgru-source-s"]["properties"]
    person = entities["kgru-person-p"]["properties"]
    event = entities["kgru-event-e"]["properties"]
    stripped = text.strip()
    assert article.get("title", [None]) == [ftm_form("string", stripped)]
    assert article.get("publisher", [None]) == [ftm_form("string", stripped)]
    assert article.get("notes", [None]) == [ftm_form("text", stripped)]
    alias = ftm_form("name", stripped)
    assert person.get("alias", [None]) == [None if alias == "P" else alias]  # "P" is its name
    assert event.get("location", [None]) == [ftm_form("address", stripped)]
    assert event.get("keywords", [None]) == [ftm_form("string", stripped)]


@pytest.mark.parametrize(
    "url",
    [
        "https://24.kg/english/181505_Sadyr_Japarov/",
        "https://example.org",  # FtM adds the path: https://example.org/
        "HTTPS://Example.org/a?q=1#top",
        "http://3.4/x",  # FtM takes 3.4 for a number, not a host
        "http://N.A./",
        "http://10.0.0.1:8080/a",
        "http://[::1]/a",
        "http://host:99999/",  # no such port
        "https://пример.рф/путь",
        "http://a_b.example/",
        "http://x.1/",
        "http://user:secret@example.org/",
        "https://example.org/a?",
        "http://:80/x",  # no host
        "http://a..b/",  # an empty label
    ],
)
def test_addresses_are_written_as_followthemoney_keeps_them(url: str) -> None:
    article = next(to_ftm(Dataset([source(url=url)])))
    check_ftm([article])
    assert article["properties"].get("sourceUrl", [None]) == [ftm_form("url", url)]


@pytest.mark.parametrize(
    ("date", "written"),
    [
        (PartialDate(2025, 5, 9), "2025-05-09"),
        (PartialDate(2025, 5), "2025-05"),
        (PartialDate(2025, quarter=3), "2025"),  # FtM has no quarters
        (PartialDate(2025), "2025"),
        (PartialDate(1000), "1000"),
        (PartialDate(2999, 12, 31), "2999-12-31"),
        (PartialDate(999, 12, 31), None),  # FtM's dates hold the years 1000 to 2999
        (PartialDate(3000), None),
    ],
)
def test_dates_are_written_as_followthemoney_keeps_them(
    date: PartialDate, written: str | None
) -> None:
    fund = Organization(
        id="organization:f",
        names=[Name("F")],
        kind=OrganizationKind.FUND,
        founded=date,
        sources=["source:s"],
    )
    entities = list(to_ftm(Dataset([source(published=date), fund])))
    check_ftm(entities)
    article, organization = (entity["properties"] for entity in entities)
    assert article.get("publishedAt", [None]) == [written]
    assert organization.get("incorporationDate", [None]) == [written]


def test_every_country_is_written_as_followthemoney_keeps_it() -> None:
    states = [
        State(id=f"state:{code.lower()}", code=code, names=[Name(code)], sources=["source:s"])
        for code in sorted(country.alpha_2 for country in pycountry.countries)
    ]
    entities = list(to_ftm(Dataset([source(), *states])))
    check_ftm(entities)
    assert [entity["properties"]["country"] for entity in entities[1:]] == [
        [state.code.lower()] for state in states
    ]


def test_languages_are_iso_639_3_where_followthemoney_knows_them() -> None:
    codes = sorted({getattr(record, "alpha_2", record.alpha_3) for record in pycountry.languages})
    documents = [source(id=f"source:l-{index}", language=code) for index, code in enumerate(codes)]
    articles = list(to_ftm(Dataset(documents)))
    check_ftm(articles)
    kept = 0
    written = by_id(articles)
    for document in documents:
        article = written[ftm_id(document.id)]
        alpha_3 = language(str(document.language)).alpha_3
        known = registry.language.clean_text(alpha_3) == alpha_3
        assert article["properties"].get("language") == ([alpha_3] if known else None)
        kept += known
    # Every language FtM lists that pycountry knows, and only those.
    assert kept == sum(
        pycountry.languages.get(alpha_3=code) is not None for code in registry.language.LANGUAGES
    )
    assert next(to_ftm(Dataset([source(language="ky")])))["properties"]["language"] == ["kir"]


def test_names_are_names_or_aliases_each_once() -> None:
    person = Person(
        id="person:p",
        names=[
            Name("Жапаров", language="ky", kind="official"),
            Name("Japarov"),
            Name("Zhaparov", kind="transliteration"),
            Name("Japarov", language="ru", kind="transliteration"),  # the same text again
            Name("S. J.", kind="alias"),
        ],
        sources=["source:s"],
    )
    properties = list(to_ftm(Dataset([source(), person])))[1]["properties"]
    assert properties["name"] == ["Жапаров", "Japarov"]
    assert properties["alias"] == ["Zhaparov", "S. J."]


def test_what_has_no_followthemoney_home_is_left_out() -> None:
    fact: dict[str, Any] = {"sources": ["source:s"]}
    ru = State(id="state:ru", code="RU", names=[Name("Russia")], **fact)
    dataset = Dataset(
        [
            source(),
            ru,
            Person(id="person:p", names=[Name("P")], **fact),
            Event(
                id="event:planned",
                names=[Name("E")],
                kind=EventKind.SUMMIT,
                status=EventStatus.PLANNED,
                date="2026-Q4",
                **fact,
            ),
            Event(
                id="event:off",
                names=[Name("E")],
                kind=EventKind.SUMMIT,
                status=EventStatus.CANCELLED,
                date="2026",
                **fact,
            ),
            Agreement(
                id="agreement:planned",
                names=[Name("A")],
                kind=AgreementKind.ROADMAP,
                status=AgreementStatus.PLANNED,
                parties=["state:ru"],
                **fact,
            ),
            Agreement(
                id="agreement:signed",
                names=[Name("A")],
                kind=AgreementKind.ROADMAP,
                status=AgreementStatus.SIGNED,
                parties=["state:ru"],
                signatories=["person:p"],
                signed="2025-Q1",
                place="Moscow",
                **fact,
            ),
            Statement(id="statement:s", speaker="person:p", text="Said so.", **fact),
            Membership(
                id="membership:m",
                state="state:ru",
                organization="organization:o",
                period="2000/2010",
                **fact,
                changes=[
                    StatusChange(
                        since="2005", status=MembershipStatus.OBSERVER, sources=["source:c"]
                    )
                ],
            ),
            Organization(
                id="organization:o", names=[Name("O")], kind=OrganizationKind.OTHER, **fact
            ),
            source(id="source:c"),
        ]
    )
    entities = list(to_ftm(dataset))
    check_ftm(entities)
    assert [entity["id"] for entity in entities] == [
        "kgru-source-c",
        "kgru-source-s",
        "kgru-state-ru",
        "kgru-organization-o",
        "kgru-person-p",
        "kgru-membership-m",
        "kgru-agreement-signed",
    ]
    organization, membership, signing = (entities[i]["properties"] for i in (3, 5, 6))
    assert entities[3]["schema"] == "Organization"  # kind other: not a public body
    assert "topics" not in organization
    assert (membership["status"], membership["endDate"]) == (["observer"], ["2010"])
    assert membership["proof"] == ["kgru-source-s", "kgru-source-c"]
    assert signing == {
        "name": ["A"],
        "date": ["2025"],
        "location": ["Moscow"],
        "involved": ["kgru-state-ru", "kgru-person-p"],
        "proof": ["kgru-source-s"],
    }


# --- the strict check -----------------------------------------------------------------------


def altered(exported: Entities, schema: str, change: Callable[[dict[str, Any]], None]) -> Entities:
    """A copy of *exported* with *change* made to the first entity of *schema*."""
    entities = copy.deepcopy(exported)
    change(next(entity for entity in entities if entity["schema"] == schema)["properties"])
    return entities


def index_of(entities: Entities, schema: str) -> int:
    return next(index for index, entity in enumerate(entities) if entity["schema"] == schema)


def test_a_quarter_date_is_caught(exported: Entities) -> None:
    bad = altered(exported, "Occupancy", lambda p: p.update(startDate=["2025-Q3"]))
    where = index_of(bad, "Occupancy")
    assert problems(bad) == [
        (
            f"$[{where}].properties.startDate[0]",
            "FtM's date type would store '2025-Q3' as '2025'; FtM dates are YYYY, YYYY-MM "
            "or YYYY-MM-DD, years 1000 to 2999 (no quarters)",
        )
    ]
    # FtM itself says nothing: it reads the date as the year.
    assert read_by_followthemoney(bad[where])["startDate"] == ["2025"]


def test_an_alpha_3_country_is_caught(exported: Entities) -> None:
    bad = altered(exported, "PublicBody", lambda p: p.update(country=["kgz"]))
    where = index_of(bad, "PublicBody")
    assert problems(bad) == [
        (
            f"$[{where}].properties.country[0]",
            "FtM's country type would store 'kgz' as 'kg'; FtM countries are lowercase "
            "ISO 3166-1 alpha-2 codes, such as 'kg'",
        )
    ]


def test_a_position_as_an_occupancy_holder_is_caught(exported: Entities) -> None:
    post = next(entity["id"] for entity in exported if entity["schema"] == "Position")
    bad = altered(exported, "Occupancy", lambda p: p.update(holder=[post]))
    where = index_of(bad, "Occupancy")
    assert problems(bad) == [
        (
            f"$[{where}].properties.holder[0]",
            f"'{post}' is a Position; expected a Person (or a schema that extends it)",
        )
    ]
    # FtM itself never looks at what a reference points to.
    assert validated_by_followthemoney(bad[where])


def test_a_missing_name_is_caught(exported: Entities) -> None:
    bad = altered(exported, "Person", lambda p: p.pop("name"))
    where = index_of(bad, "Person")
    assert problems(bad) == [
        (f"$[{where}].properties.name", "Person requires 'name'; it is missing")
    ]
    # FtM's own validation lets it through.
    assert validated_by_followthemoney(bad[where])


def test_every_problem_is_reported_at_once_with_its_path() -> None:
    article = {"id": "a", "schema": "Article", "properties": {}}
    entities: list[Any] = [
        article,
        ["not", "an", "entity"],
        {"id": 7, "schema": "Person", "properties": {"name": ["X"]}},
        {"id": "has space", "schema": "Person", "properties": {"name": ["X"]}},
        {"id": "a", "schema": "Article", "properties": {}},
        {"id": "b", "schema": "Planet", "properties": {}},
        {"id": "c", "schema": "Thing", "properties": {"name": ["X"]}},
        {"id": "d", "schema": "Person", "properties": "name=X"},
        {
            "id": "e",
            "schema": "Person",
            "properties": {
                "name": ["X", "X", 5, "y" * 400],
                "colour": ["red"],
                "positionOccupancies": ["a"],
                "birthDate": "2000",
                "deathDate": ["soon"],
                "proof": ["nowhere", "e"],
                "weird key": ["?"],
            },
        },
    ]
    assert problems(entities) == [
        ("$[1]", "expected an entity, an object with 'id', 'schema' and 'properties', got a list"),
        ("$[2].id", "expected the entity's id as text, got 7 (a number)"),  # as the loader says it
        (
            "$[3].id",
            "'has space' is not an FtM id: letters, digits, '.' and '-', starting and ending "
            "with a letter or digit, at most 200 characters",
        ),
        ("$[4].id", "'a' is also the id of $[0]"),
        ("$[5].schema", "'Planet' is not a FollowTheMoney schema"),
        ("$[6].schema", "'Thing' is an abstract schema; no entity can have it"),
        (
            "$[7].properties",
            "expected an object of property names and lists of values, got 'name=X'",
        ),
        ("$[8].properties.name[1]", "'X' is listed twice; FtM keeps one"),
        ("$[8].properties.name[2]", "expected text, got 5 (a number)"),
        ("$[8].properties.name[3]", "has 400 characters; FtM's name values have at most 384"),
        ("$[8].properties.colour", "'colour' is not a property of Person"),
        (
            "$[8].properties.positionOccupancies",
            "'positionOccupancies' is a reverse property FtM derives; it cannot be written",
        ),
        ("$[8].properties.birthDate", "expected a list of text values, got '2000'"),
        (
            "$[8].properties.deathDate[0]",
            "FtM's date type refuses 'soon'; FtM dates are YYYY, YYYY-MM or YYYY-MM-DD, "
            "years 1000 to 2999 (no quarters)",
        ),
        ("$[8].properties.proof[1]", "'e' is the entity itself"),
        ('$[8].properties["weird key"]', "'weird key' is not a property of Person"),
        ("$[8].properties.proof[0]", "'nowhere' is no entity of this export"),
    ]


def test_a_long_report_is_bounded() -> None:
    entities = [{"id": f"p{index}", "schema": "Person", "properties": {}} for index in range(1500)]
    with pytest.raises(ValidationError) as caught:
        check_ftm(entities)
    assert len(caught.value.issues) == MAX_ISSUES
    assert caught.value.more == 500


class OnePass:
    """Entities that can be iterated once; a second pass is an error, not silently empty."""

    def __init__(self, entities: Entities) -> None:
        self.entities = entities
        self.passes = 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        self.passes += 1
        assert self.passes == 1, "the entities were iterated twice"
        return iter(self.entities)


def test_a_stream_is_read_once(exported: Entities) -> None:
    check_ftm(OnePass(exported))
    dangling = copy.deepcopy(exported)
    occupancy = next(e for e in dangling if e["schema"] == "Occupancy")
    occupancy["properties"]["holder"] = ["kgru-person-nobody"]
    with pytest.raises(ValidationError, match="kgru-person-nobody"):
        check_ftm(iter(dangling))  # a generator: the reference is checked in its one pass


def test_without_followthemoney_the_check_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "followthemoney", None)
    with pytest.raises(MissingExtra) as caught:
        check_ftm([])
    assert isinstance(caught.value, ModuleNotFoundError)
    assert str(caught.value) == (
        "checking FollowTheMoney output needs followthemoney: pip install 'kgru-relations[ftm]'"
    )


def test_importing_the_export_does_not_import_followthemoney() -> None:
    code = (
        "import sys, kgru_relations.interop.ftm as ftm, kgru_relations as k;"
        "list(ftm.to_ftm(k.load_default()));"
        "assert 'followthemoney' not in sys.modules, 'imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_dates_before_the_year_1000_are_kept_out_of_articles_too() -> None:
    article = next(to_ftm(Dataset([source(retrieved=dt.date(999, 1, 1))])))
    assert "retrievedAt" not in article["properties"]
    article = next(to_ftm(Dataset([source(retrieved=dt.date(2024, 12, 18))])))
    assert article["properties"]["retrievedAt"] == ["2024-12-18"]


# --- cost ---------------------------------------------------------------------------------------
# As in tests/test_scaling.py: time the work at n and at 10n; linear work takes
# about ten times as long, quadratic work a hundred. Thirty leaves room for noise.


def many_sourced(count: int) -> Dataset:
    """A state whose one fact, its name, is cited by *count* sources."""
    sources = [Source(id=f"source:s{index}", title=f"S{index}") for index in range(count)]
    state = State(
        id="state:kg",
        code="KG",
        names=[Name("Kyrgyzstan")],
        sources=[each.id for each in sources],
    )
    return Dataset([*sources, state])


@pytest.mark.parametrize("step", ["to_ftm", "check_ftm"])
def test_a_fact_with_many_sources_costs_time_in_proportion(step: str) -> None:
    def work(count: int) -> Callable[[], object]:
        data = many_sourced(count)
        if step == "to_ftm":
            return lambda: list(to_ftm(data))
        entities = list(to_ftm(data))
        assert len(by_id(entities)["kgru-state-kg"]["properties"]["proof"]) == count
        return lambda: check_ftm(entities)

    # Ten times the sources cost about ten times the work, not a hundred: an
    # operation count, not a time, so a busy machine cannot fail it.
    small, large = work(2000), work(20000)
    calls = python_calls(small), python_calls(large)
    assert calls[1] < 15 * calls[0], calls
