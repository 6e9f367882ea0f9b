"""The FollowTheMoney import: the inverse of the export, and an OpenSanctions PEP file.

The round trip ``from_ftm(to_ftm(d))`` gives back ``normalised(d)``: the
dataset as FtM can hold it. ``normalised`` writes down, rule by rule, what the
export loses (its docs page's loss table) and what the import then chooses:

- dates: a quarter becomes its year; a date outside the years 1000-2999 is
  gone (FtM's dates cannot hold it);
- periods: an unknown start becomes open (FtM writes neither); a tenure's
  end, dated or unknown, whose date FtM cannot hold is an unknown end (the
  occupancy says ``ended``), and such a tenure with no dated start is gone;
  a membership's or chairmanship's unknown end becomes open (the export
  writes no "ended" for them: a loss the export's table does not list yet);
- names: text in FtM's form; official and common names are common names,
  transliterations and aliases aliases, with no language or script, each
  text once, names first (the first alias is the name if there is none);
- every fact: confidence ``likely`` (the import's default), no
  ``variant_of``; states lose ``capital`` and ``cow_code``; organisations'
  kinds are what FtM's schema and topics tell (ministry -> government,
  department -> other); positions are of kind ``other``, not single-holder;
  tenures are not acting; memberships lose their changes, whose sources
  join the membership's; agreements (signed ones only) are of kind
  ``agreement``, status ``signed``, no ``in_force``, ``validity`` or
  ``as_of``; events (held ones only) are of kind ``other``, no ``as_of``;
  statements, indicators and observations are gone.

Text values are put in FtM's form with the export's own functions (``_name``,
``_text``...), which ``test_interop_ftm`` holds to FtM's real cleaning.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgru_relations import (
    UNKNOWN,
    Agreement,
    AgreementKind,
    AgreementStatus,
    Chairmanship,
    Confidence,
    Dataset,
    Event,
    EventKind,
    EventStatus,
    Membership,
    Name,
    NameKind,
    Organization,
    OrganizationKind,
    PartialDate,
    Period,
    Person,
    Position,
    PositionKind,
    Source,
    State,
    Tenure,
    ValidationError,
    load_default,
)
from kgru_relations.dates import Unknown
from kgru_relations.errors import MAX_ISSUES
from kgru_relations.interop import ftm
from kgru_relations.interop.ftm import (
    FTM_SCHEMATA,
    FtmImport,
    from_ftm,
    read_ftm_lines,
    to_ftm,
)
from kgru_relations.model import Entity
from kgru_relations.strategies import datasets

FIXTURE = Path(__file__).parent / "data" / "ftm" / "peps.ftm.jsonl"

# --- the normalisation: the dataset as FtM can hold it ---------------------------------


def norm_date(date: PartialDate | None) -> PartialDate | None:
    if date is None or date.year not in range(1000, 3000):
        return None
    return PartialDate(date.year) if date.quarter is not None else date


def norm_side(side: PartialDate | Unknown | None) -> PartialDate | None:
    return norm_date(side) if isinstance(side, PartialDate) else None


def norm_names(names: tuple[Name, ...]) -> list[Name]:
    common = (NameKind.OFFICIAL, NameKind.COMMON)
    named = [ftm._name(name.text) for name in names if name.kind in common]
    aliases = [ftm._name(name.text) for name in names if name.kind not in common]
    kept = list(dict.fromkeys(text for text in named if text is not None))
    others = [text for text in aliases if text is not None]
    if not kept and others:
        kept.append(others.pop(0))
    others = [text for text in dict.fromkeys(others) if text not in kept]
    return [Name(text) for text in kept] + [Name(text, kind=NameKind.ALIAS) for text in others]


def fact(entity: Any) -> dict[str, Any]:
    note = ftm._text(entity.note, ftm._TEXT_LENGTH) if entity.note else None
    return {"confidence": Confidence.LIKELY, "variant_of": None, "note": note}


ORGANIZATION_KINDS = {
    OrganizationKind.MINISTRY: OrganizationKind.GOVERNMENT,
    OrganizationKind.DEPARTMENT: OrganizationKind.OTHER,
}


def normalised(dataset: Dataset) -> Dataset:  # noqa: PLR0912 - one rule a branch
    """*dataset* as FtM can hold it: see the module's docstring."""
    out: list[Entity] = []
    for source in dataset.all(Source):
        url = None if source.url is None else ftm._fixed(source.url, ftm._url_step, 4096)
        retrieved = (
            source.retrieved if source.retrieved and 1000 <= source.retrieved.year < 3000 else None
        )
        out.append(
            attrs.evolve(
                source,
                title=ftm._text(source.title) or source.title,
                publisher=ftm._text(source.publisher),
                url=url,
                published=norm_date(source.published),
                retrieved=retrieved,
                language=(source.language if ftm._language(source.language) is not None else None),
                note=ftm._text(source.note, ftm._TEXT_LENGTH),
            )
        )
    for state in dataset.all(State):
        out.append(
            attrs.evolve(
                state, names=norm_names(state.names), capital=(), cow_code=None, **fact(state)
            )
        )
    for organization in dataset.all(Organization):
        out.append(
            attrs.evolve(
                organization,
                names=norm_names(organization.names),
                kind=ORGANIZATION_KINDS.get(organization.kind, organization.kind),
                founded=norm_date(organization.founded),
                dissolved=norm_date(organization.dissolved),
                **fact(organization),
            )
        )
    for person in dataset.all(Person):
        out.append(attrs.evolve(person, names=norm_names(person.names), **fact(person)))
    for position in dataset.all(Position):
        out.append(
            attrs.evolve(
                position,
                names=norm_names(position.names),
                kind=PositionKind.OTHER,
                single_holder=False,
                **fact(position),
            )
        )
    for tenure in dataset.all(Tenure):
        start, end = norm_side(tenure.period.start), tenure.period.end
        if end is not None:  # ended: on a day FtM can hold, or unknown
            end = norm_side(end) or UNKNOWN
            if end is UNKNOWN and start is None:
                continue
        out.append(attrs.evolve(tenure, period=Period(start, end), acting=False, **fact(tenure)))
    for membership in dataset.all(Membership):
        period = Period(norm_side(membership.period.start), norm_side(membership.period.end))
        sources = [*membership.sources, *(s for c in membership.changes for s in c.sources)]
        out.append(
            attrs.evolve(
                membership,
                period=period,
                changes=(),
                sources=list(dict.fromkeys(sources)),
                **fact(membership),
            )
        )
    for chair in dataset.all(Chairmanship):
        period = Period(norm_side(chair.period.start), norm_side(chair.period.end))
        out.append(attrs.evolve(chair, period=period, **fact(chair)))
    for agreement in dataset.all(Agreement):
        signed = norm_date(agreement.signed)
        if agreement.status is AgreementStatus.PLANNED or signed is None:
            continue
        out.append(
            attrs.evolve(
                agreement,
                names=norm_names(agreement.names),
                kind=AgreementKind.AGREEMENT,
                status=AgreementStatus.SIGNED,
                signed=signed,
                place=ftm._fixed_address(agreement.place),
                in_force=None,
                validity=None,
                as_of=None,
                **fact(agreement),
            )
        )
    for event in dataset.all(Event):
        date = norm_date(event.date)
        if event.status is not EventStatus.HELD or date is None:
            continue
        topics = (ftm._text(topic) for topic in event.topics)
        out.append(
            attrs.evolve(
                event,
                names=norm_names(event.names),
                kind=EventKind.OTHER,
                date=date,
                place=ftm._fixed_address(event.place),
                topics=list(dict.fromkeys(topic for topic in topics if topic is not None)),
                as_of=None,
                **fact(event),
            )
        )
    return Dataset(out)


def round_trip(dataset: Dataset) -> FtmImport:
    return from_ftm(to_ftm(dataset))


# --- the round trip -----------------------------------------------------------------------


def test_the_embedded_dataset_comes_back_as_ftm_can_hold_it() -> None:
    dataset = load_default()
    result = round_trip(dataset)
    assert result.dataset() == normalised(dataset)
    assert list(result.dataset().validate()) == []
    assert result.notes == ()
    # What is skipped is what the export writes and the model cannot read back.
    assert {issue.message.split(":")[0] for issue in result.skipped} <= {
        "Position's 'topics' is not imported",
        "status 'suspended' left out",
    }


@given(datasets())
def test_any_dataset_comes_back_as_ftm_can_hold_it(dataset: Dataset) -> None:
    try:
        exported = list(to_ftm(dataset))
    except ValidationError:  # names FtM keeps none of: the export says so, nothing to import
        return
    assert from_ftm(exported).dataset() == normalised(dataset)


def test_an_import_of_an_import_is_the_same() -> None:
    once = round_trip(load_default()).dataset()
    assert round_trip(once).dataset() == once


# --- occupancies: the end ------------------------------------------------------------------


def occupancy(**properties: list[str]) -> list[dict[str, Any]]:
    """A person, a position and an occupancy of it, each sourced by an Article."""
    return [
        {"id": "a1", "schema": "Article", "properties": {"title": ["Report"]}},
        {"id": "p1", "schema": "Person", "properties": {"name": ["A"], "proof": ["a1"]}},
        {
            "id": "post1",
            "schema": "Position",
            "properties": {"name": ["Mayor"], "country": ["kg"], "proof": ["a1"]},
        },
        {
            "id": "o1",
            "schema": "Occupancy",
            "properties": {"holder": ["p1"], "post": ["post1"], "proof": ["a1"], **properties},
        },
    ]


def tenure_of(entities: list[dict[str, Any]]) -> Tenure | None:
    found = from_ftm(entities).dataset().all(Tenure)
    return found[0] if found else None


@pytest.mark.parametrize(
    ("properties", "period"),
    [
        ({"startDate": ["2020"], "status": ["current"]}, "2020/.."),
        ({"status": ["current"]}, "../.."),
        ({"startDate": ["2020"], "status": ["ended"]}, "2020/"),
        ({"startDate": ["2020"], "endDate": ["2022-05"], "status": ["ended"]}, "2020/2022-05"),
        ({"startDate": ["2020"], "endDate": ["2030"], "status": ["current"]}, "2020/2030"),
        ({"endDate": ["2022"]}, "../2022"),
    ],
)
def test_an_occupancy_end_is_open_unknown_or_dated(
    properties: dict[str, list[str]], period: str
) -> None:
    tenure = tenure_of(occupancy(**properties))
    assert tenure is not None
    assert tenure.period == Period.parse(period)


@pytest.mark.parametrize(
    ("properties", "why"),
    [
        ({"startDate": ["2020"], "status": ["unknown"]}, "whether the post is still held"),
        ({"startDate": ["2020"]}, "whether the post is still held"),
        ({"status": ["ended"]}, "an unknown end needs a dated start"),
        ({"startDate": ["2022"], "endDate": ["2020"]}, "before the start"),
    ],
)
def test_an_occupancy_that_cannot_be_held_honestly_is_skipped(
    properties: dict[str, list[str]], why: str
) -> None:
    result = from_ftm(occupancy(**properties))
    assert not result.dataset().all(Tenure)
    assert any(issue.path == "$[3]" and why in issue.message for issue in result.skipped)


def test_a_date_time_keeps_its_day_and_says_so() -> None:
    result = from_ftm(occupancy(startDate=["2021-10-12T10:30:00Z"], status=["current"]))
    assert result.dataset().all(Tenure)[0].period == Period.parse("2021-10-12/..")
    assert [issue.path for issue in result.notes if "date and time" in issue.message] == [
        "$[3].properties.startDate[0]"
    ]


def test_a_date_that_is_not_one_is_skipped_not_guessed() -> None:
    result = from_ftm(occupancy(startDate=["2021-02-30"], endDate=["soon"], status=["current"]))
    assert result.dataset().all(Tenure)[0].period == Period(None, None)
    paths = {issue.path for issue in result.skipped}
    assert {"$[3].properties.startDate[0]", "$[3].properties.endDate[0]"} <= paths


# --- the OpenSanctions fixture --------------------------------------------------------------


@pytest.fixture(scope="module")
def peps() -> FtmImport:
    return from_ftm(read_ftm_lines(FIXTURE))


def test_the_pep_file_loads_into_a_valid_dataset(peps: FtmImport) -> None:
    dataset = peps.dataset()
    assert list(dataset.validate()) == []
    assert {person.id for person in dataset.all(Person)} == {"person:q25597826", "person:q4060344"}
    japarov = dataset.get("person:q25597826", Person)
    assert japarov.wikidata == "Q25597826"
    assert [name.text for name in japarov.names] == [
        "Sadyr Japarov",
        "Садыр Жапаров",
        "Sadyr Zhaparov",
    ]


def test_the_pep_file_keeps_its_dates(peps: FtmImport) -> None:
    tenures = {tenure.id: tenure for tenure in peps.dataset().all(Tenure)}
    assert {str(tenure.period) for tenure in tenures.values()} == {
        "2021-01-28/..",  # current
        "2021-10-12/",  # ended, no end date; the start a date-time
        "2020-10-14/2021-01-28",  # ended, dated
    }
    assert "tenure:wd-occ-1234567890abcdef1234567890abcdef12345678" not in tenures  # unknown


def test_every_fact_of_the_pep_file_is_sourced(peps: FtmImport) -> None:
    dataset = peps.dataset()
    sources = {source.id: source for source in dataset.all(Source)}
    president = dataset.get("tenure:wd-occ-5c1f0e7a1b2d3c4e5f60718293a4b5c6d7e8f901", Tenure)
    assert [sources[s].url for s in president.sources] == ["https://www.president.kg/en/"]
    akylbek = dataset.get("person:q4060344", Person)
    assert [sources[s].publisher for s in akylbek.sources] == ["OpenSanctions"]
    state = dataset.get("state:kg", State)
    assert state.names[0].text == "Kyrgyzstan"
    assert [sources[s].title for s in state.sources] == ["ISO 3166-1 country codes"]


def test_the_pep_file_says_what_it_left_out(peps: FtmImport) -> None:
    skipped = {(issue.line, issue.path) for issue in peps.skipped}
    assert (9, "$[8].schema") in skipped  # a Sanction
    assert (2, "$[1].properties.favouriteColour") in skipped  # not an FtM property
    assert (1, "$[0].properties.birthDate") in skipped
    assert (8, "$[7]") in skipped  # status unknown, no end
    noted = {(issue.line, issue.path) for issue in peps.notes}
    assert (6, "$[5].properties.startDate[0]") in noted
    assert (3, "$[2].properties.country[0]") in noted  # state:kg created


def test_read_ftm_lines_takes_a_stream_too() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    stream = io.StringIO(text.replace("\n", "\n\n"))  # blank lines are ignored
    assert from_ftm(read_ftm_lines(stream)).dataset() == from_ftm(read_ftm_lines(FIXTURE)).dataset()


def test_a_line_that_is_not_json_is_reported_with_its_number() -> None:
    with pytest.raises(ValidationError) as caught:
        list(read_ftm_lines(io.StringIO('{"id": "a"}\n{oops\n')))
    (issue,) = caught.value.issues
    assert (issue.line, issue.path) == (2, "$[1]")


# --- ids ----------------------------------------------------------------------------------


def test_foreign_ids_are_kept_apart_never_merged_by_name() -> None:
    entities = [
        {"id": "NK-abc", "schema": "Person", "properties": {"name": ["Ivan"]}, "datasets": ["x"]},
        {"id": "nk-ABC", "schema": "Person", "properties": {"name": ["Ivan"]}, "datasets": ["x"]},
        {"id": "Q7747", "schema": "Person", "properties": {"name": ["Ivan"]}, "datasets": ["x"]},
    ]
    ids = [person.id for person in from_ftm(entities).dataset().all(Person)]
    assert len(set(ids)) == 3
    assert ids[2] == "person:q7747"
    assert all(entity_id.startswith("person:nk-abc-") for entity_id in ids[:2])
    again = [person.id for person in from_ftm(entities).dataset().all(Person)]
    assert again == ids  # stable


def test_position_kinds_are_given_by_ftm_id() -> None:
    kinds = {"post1": PositionKind.HEAD_OF_STATE}
    result = from_ftm(occupancy(status=["current"]), position_kinds=kinds)
    assert result.dataset().all(Position)[0].kind is PositionKind.HEAD_OF_STATE


def test_a_fact_with_no_source_at_all_is_skipped() -> None:
    result = from_ftm([{"id": "p", "schema": "Person", "properties": {"name": ["A"]}}])
    assert result.entities == ()
    assert [issue.path for issue in result.skipped] == ["$[0]"]


def test_a_withdrawn_country_is_not_a_state() -> None:
    entities = occupancy(status=["current"])
    entities[2]["properties"]["country"] = ["su"]
    result = from_ftm(entities)
    assert not result.dataset().all(Position)
    assert any("withdrawn code" in issue.message for issue in result.skipped)


# --- errors -------------------------------------------------------------------------------


def test_every_shape_problem_is_reported_at_its_path() -> None:
    entities: list[Any] = [
        "not an entity",
        {"schema": "Person", "properties": {}},
        {"id": "a b", "schema": "Persn", "properties": {"name": "A"}},
        {"id": "x", "schema": "Person", "properties": {"name": ["A"]}},
        {"id": "x", "schema": "Person", "properties": []},
        {"id": "y", "schema": 5, "properties": {}, "datasets": "d"},
        {"id": "z", "schema": "Person", "properties": {"name": ["A", 3]}},
    ]
    with pytest.raises(ValidationError) as caught:
        from_ftm(entities)
    assert [issue.path for issue in caught.value.issues] == [
        "$[0]",
        "$[1].id",
        "$[2].id",
        "$[2].schema",
        "$[2].properties.name",
        "$[4].id",
        "$[4].properties",
        "$[5].schema",
        "$[5].datasets",
        "$[6].properties.name[1]",
    ]


def test_a_long_report_is_bounded() -> None:
    with pytest.raises(ValidationError) as caught:
        from_ftm([{"id": f"e{i}", "schema": "Nope", "properties": {}} for i in range(1500)])
    assert len(caught.value.issues) == MAX_ISSUES
    assert caught.value.more == 500


def test_the_schema_list_is_followthemoney_s() -> None:
    from followthemoney import model  # noqa: PLC0415 - the ftm extra, for this check only

    assert set(model.schemata) == FTM_SCHEMATA


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)
KEYS = st.sampled_from(["id", "schema", "properties", "datasets", "caption", "x"])
SCHEMAS = st.sampled_from(
    [
        "Person",
        "Position",
        "Occupancy",
        "Membership",
        "Article",
        "Event",
        "PublicBody",
        "Organization",
        "Sanction",
    ]
)
VALUES = st.text(max_size=12) | st.sampled_from(
    ["kg", "su", "2020", "2020-01-01T10:00", "current", "ended", "chair", "a", "b", "kgru-state-kg"]
)
PROPERTIES = st.dictionaries(
    st.sampled_from(
        [
            "name",
            "holder",
            "post",
            "member",
            "organization",
            "startDate",
            "endDate",
            "status",
            "country",
            "proof",
            "role",
            "date",
            "involved",
            "title",
            "sourceUrl",
            "parent",
            "wikidataId",
            "retrievedAt",
            "x",
        ]
    ),
    st.lists(VALUES, max_size=3),
    max_size=6,
)
ENTITY = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["a", "b", "c", "kgru-state-kg", "kgru-agreement-x"]),
        "schema": SCHEMAS,
        "properties": PROPERTIES,
    },
    optional={"datasets": st.lists(st.sampled_from(["wd_peps", "Bad Name"]), max_size=2)},
)


@given(st.lists(JSON | ENTITY | st.dictionaries(KEYS, JSON), max_size=6))
def test_no_input_raises_anything_but_a_validation_error(entities: list[Any]) -> None:
    try:
        result = from_ftm(entities)
    except ValidationError:
        return
    result.dataset()  # builds


def test_the_reference_names_what_the_import_exports() -> None:
    text = json.dumps(sorted(ftm.__all__))
    assert all(name in text for name in ("from_ftm", "read_ftm_lines", "FtmImport"))
