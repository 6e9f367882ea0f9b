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

import datetime as dt
import functools
import io
import json
from collections.abc import Iterable
from pathlib import Path
from random import Random
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import kgru_relations.interop.ftm._values as ftm_values
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
from kgru_relations.dataset import MergeReport
from kgru_relations.dates import DATE_TEXT, DatePrecision, Unknown
from kgru_relations.errors import MAX_ISSUES, Issue
from kgru_relations.interop import ftm
from kgru_relations.interop.ftm import (
    FTM_SCHEMATA,
    FtmImport,
    from_ftm,
    ftm_id,
    read_ftm_lines,
    to_ftm,
)
from kgru_relations.model import Entity
from kgru_relations.strategies import datasets

FIXTURE = Path(__file__).parent / "data" / "ftm" / "peps.ftm.jsonl"
OCCUPANCIES = Path(__file__).parent / "data" / "ftm" / "occupancies.ftm.jsonl"

# --- the normalisation: the dataset as FtM can hold it ---------------------------------


def norm_date(date: PartialDate | None) -> PartialDate | None:
    if date is None or date.year not in range(1000, 3000):
        return None
    return PartialDate(date.year) if date.quarter is not None else date


def norm_side(side: PartialDate | Unknown | None) -> PartialDate | None:
    return norm_date(side) if isinstance(side, PartialDate) else None


def norm_names(names: tuple[Name, ...]) -> list[Name]:
    common = (NameKind.OFFICIAL, NameKind.COMMON)
    named = [ftm_values.name_value(name.text) for name in names if name.kind in common]
    aliases = [ftm_values.name_value(name.text) for name in names if name.kind not in common]
    kept = list(dict.fromkeys(text for text in named if text is not None))
    others = [text for text in aliases if text is not None]
    if not kept and others:
        kept.append(others.pop(0))
    others = [text for text in dict.fromkeys(others) if text not in kept]
    # FtM's values are a set: the import reads them in text order.
    return [Name(text) for text in sorted(kept)] + [
        Name(text, kind=NameKind.ALIAS) for text in sorted(others)
    ]


def in_ftm_order(ids: Iterable[str]) -> list[str]:
    """Ids in the order the import reads them: their FtM ids' text order, each once."""
    return sorted(dict.fromkeys(ids), key=ftm_id)


def norm_period(period: Period) -> Period:
    """A period as FtM holds it: an end on an unknown day comes back only after a dated start.

    FtM has no "began on a day not given" apart from "since always": with no
    ``startDate`` before a dated end, the import reads the start as unknown.
    """
    start: PartialDate | Unknown | None = norm_side(period.start)
    end = period.end
    if end is not None:  # ended: on a day FtM can hold, or unknown
        end = norm_side(end) or UNKNOWN
    if start is None and isinstance(end, PartialDate):
        start = UNKNOWN
    return Period(start, end)


def fact(entity: Any, more: Iterable[str] = ()) -> dict[str, Any]:
    note = ftm_values.text_value(entity.note, ftm_values.TEXT_LENGTH) if entity.note else None
    sources = in_ftm_order([*entity.sources, *more])
    return {"confidence": Confidence.LIKELY, "variant_of": None, "note": note, "sources": sources}


ORGANIZATION_KINDS = {
    OrganizationKind.MINISTRY: OrganizationKind.GOVERNMENT,
    OrganizationKind.DEPARTMENT: OrganizationKind.OTHER,
}


def normalised(dataset: Dataset) -> Dataset:  # noqa: PLR0912 - one rule a branch
    """*dataset* as FtM can hold it: see the module's docstring."""
    out: list[Entity] = []
    for source in dataset.all(Source):
        url = (
            None if source.url is None else ftm_values.fixed(source.url, ftm_values.url_step, 4096)
        )
        retrieved = (
            source.retrieved if source.retrieved and 1000 <= source.retrieved.year < 3000 else None
        )
        out.append(
            attrs.evolve(
                source,
                title=ftm_values.text_value(source.title) or source.title,
                publisher=ftm_values.text_value(source.publisher),
                url=url,
                published=norm_date(source.published),
                retrieved=retrieved,
                language=(
                    source.language
                    if ftm_values.language_value(source.language) is not None
                    else None
                ),
                note=ftm_values.text_value(source.note, ftm_values.TEXT_LENGTH),
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
        period = norm_period(tenure.period)
        if period.end is UNKNOWN and period.start is None:
            continue  # no date at all, and not held: left out
        out.append(attrs.evolve(tenure, period=period, acting=False, **fact(tenure)))
    for membership in dataset.all(Membership):
        period = norm_period(membership.period)
        if period.end is UNKNOWN and period.start is None:
            continue  # no date at all, and not held: left out
        changes = (source for change in membership.changes for source in change.sources)
        out.append(attrs.evolve(membership, period=period, changes=(), **fact(membership, changes)))
    for chair in dataset.all(Chairmanship):
        period = norm_period(chair.period)
        if period.end is UNKNOWN and period.start is None:
            continue
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
                parties=in_ftm_order(agreement.parties),
                signatories=in_ftm_order(agreement.signatories),
                signed=signed,
                place=ftm_values.address_value(agreement.place),
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
        topics = (ftm_values.text_value(topic) for topic in event.topics)
        out.append(
            attrs.evolve(
                event,
                names=norm_names(event.names),
                kind=EventKind.OTHER,
                date=date,
                place=ftm_values.address_value(event.place),
                participants=in_ftm_order(event.participants),
                topics=sorted({topic for topic in topics if topic is not None}),
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


@given(datasets())
def test_our_export_imported_and_merged_into_its_origin_adds_nothing(dataset: Dataset) -> None:
    # What FtM cannot hold comes back as a gap (an open start as a start on a day not
    # given), never as a second account. A place is the one value FtM rewrites into a
    # text of its own (`;` and line breaks as `, `): taken here in that form.
    dataset = Dataset(
        attrs.evolve(entity, place=ftm_values.address_value(entity.place) or entity.place)
        if isinstance(entity, Agreement | Event) and entity.place is not None
        else entity
        for entity in dataset
    )
    try:
        imported = from_ftm(to_ftm(dataset))
    except ValidationError:  # names FtM keeps none of: the export says so
        return
    merged, report = dataset.merged(imported.entities, unread=imported.unread)
    assert report == MergeReport()
    assert merged == dataset


def test_an_end_on_an_unknown_day_is_never_exported_as_current() -> None:
    # An FtM reader sees no endDate; the status "ended" says it is not held, and the
    # import reads it back as an end on an unknown day, for each kind of relation.
    embedded = load_default()
    relations: list[Tenure | Membership | Chairmanship] = [
        embedded.all(Tenure)[0],
        embedded.all(Membership)[0],
        embedded.all(Chairmanship)[0],
    ]
    ended = {
        relation.id: attrs.evolve(relation, period=Period(relation.period.start, UNKNOWN))
        for relation in relations
    }
    dataset = Dataset([ended.get(entity.id, entity) for entity in embedded])
    exported = {entity["id"]: entity["properties"] for entity in to_ftm(dataset)}
    for relation_id in ended:
        properties = exported[ftm_id(relation_id)]
        assert "endDate" not in properties
        assert properties["status"] == ["ended"]
    back = from_ftm(to_ftm(dataset)).dataset()
    for relation_id, relation in ended.items():
        assert back.get(relation_id).period.end is UNKNOWN  # type: ignore[attr-defined]
        assert back.get(relation_id).period.start == relation.period.start  # type: ignore[attr-defined]


def is_gap(ours: object, theirs: object) -> bool:
    """Whether *theirs* says less than *ours*, and nothing else: a gap, not a disagreement."""
    if theirs in (None, (), ours):
        return True
    if isinstance(ours, tuple) and isinstance(theirs, tuple):
        if all(isinstance(name, Name) for name in (*ours, *theirs)):
            # The same texts; FtM keeps no kind, language or script.
            return {name.text for name in theirs} <= {name.text for name in ours}
        return set(theirs) <= set(ours)  # FtM's values are a set: the order is not kept
    if isinstance(ours, PartialDate) and isinstance(theirs, PartialDate):
        return theirs.earliest <= ours.earliest and ours.latest <= theirs.latest
    if isinstance(ours, Period) and isinstance(theirs, Period):
        # A start not given says less; an open end says "still held", which is a claim.
        end = ours.end
        ends = theirs.end == end or (theirs.end is UNKNOWN and end is not None)
        if isinstance(end, PartialDate) and isinstance(theirs.end, PartialDate):
            ends = is_gap(end, theirs.end)
        return is_gap(ours.start, theirs.start) and ends
    return False


def test_our_export_imported_back_says_nothing_its_origin_does_not() -> None:
    # What a merge into the origin must find: every field of every record the same,
    # or less said (a gap), or a field FtM cannot give (result.unread). The merge
    # itself (Dataset.merge) must then add nothing: that is the dataset's to do.
    origin = load_default()
    result = from_ftm(to_ftm(origin))
    contradictions = []
    for entity in result.entities:
        ours = origin.get(entity.id)
        assert ours is not None, entity.id  # nothing new: no id made up, no source created
        unread = result.unread.get(type(entity), frozenset())
        for field in attrs.fields(type(entity)):
            mine, theirs = getattr(ours, field.name), getattr(entity, field.name)
            if isinstance(ours, Membership) and field.name == "sources":
                # The sources of its status changes, which FtM cannot hold, cite it.
                mine = (*mine, *(source for change in ours.changes for source in change.sources))
            if field.name not in unread and not is_gap(mine, theirs):
                contradictions.append((entity.id, field.name, mine, theirs))
    assert contradictions == []


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
        ({"endDate": ["2022"]}, "/2022"),  # began on a day not given: unknown, not open
        # No status and no end date, as most of OpenSanctions' occupancies: an end
        # not known, which the possible-holder queries answer as "perhaps still held".
        ({"startDate": ["2020"]}, "2020/"),
        ({"startDate": ["2020"], "status": ["unknown"]}, "2020/"),
    ],
)
def test_an_occupancy_end_is_open_unknown_or_dated(
    properties: dict[str, list[str]], period: str
) -> None:
    tenure = tenure_of(occupancy(**properties))
    assert tenure is not None
    assert tenure.period == Period.parse(period)


def test_a_current_occupancy_with_no_dates_is_read_as_always_and_says_so() -> None:
    result = from_ftm(occupancy(status=["current"]))
    assert [tenure.period for tenure in result.dataset().all(Tenure)] == [Period.parse("../..")]
    assert any(
        issue.path == "$[3]" and "read as open on both sides (../..)" in issue.message
        for issue in result.notes
    )


@pytest.mark.parametrize(
    ("properties", "why"),
    [
        ({}, "it has no status, and it has no start or end date"),
        ({"status": ["unknown"]}, "its status is 'unknown', and it has no start or end date"),
        ({"status": ["ended"]}, "an end on an unknown day needs a dated start"),
        ({"startDate": ["2022"], "endDate": ["2020"]}, "before the start"),
    ],
)
def test_an_occupancy_that_cannot_be_held_honestly_is_skipped(
    properties: dict[str, list[str]], why: str
) -> None:
    result = from_ftm(occupancy(**properties))
    assert not result.dataset().all(Tenure)
    assert any(issue.path == "$[3]" and why in issue.message for issue in result.skipped)


def test_an_end_not_given_is_said_in_the_notes() -> None:
    result = from_ftm(occupancy(startDate=["2020"]))
    (note,) = [issue for issue in result.notes if issue.path == "$[3]"]
    assert note.message == (
        "it has no status and no end date: its end is unknown (2020/): held from 2020, "
        "and perhaps still"
    )


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


@given(st.from_regex(DATE_TEXT, fullmatch=True))
def test_an_ftm_date_is_read_as_the_model_reads_a_reduced_date(text: str) -> None:
    # FtM's dates are ISO 8601's reduced ones: what PartialDate reads, but a quarter.
    result = from_ftm(occupancy(startDate=[text], status=["current"]))
    try:
        expected: PartialDate | None = PartialDate.parse(text)
    except ValidationError:
        expected = None
    if expected is not None and expected.precision is DatePrecision.QUARTER:
        expected = None
    assert result.dataset().all(Tenure)[0].period.start == expected


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
    assert (8, "$[7]") in skipped  # status unknown, no date at all
    noted = {(issue.line, issue.path) for issue in peps.notes}
    assert (6, "$[5].properties.startDate[0]") in noted
    assert (3, "$[2].properties.country[0]") in noted  # state:kg created


@pytest.fixture(scope="module")
def occupancies() -> FtmImport:
    return from_ftm(read_ftm_lines(OCCUPANCIES))


def test_occupancies_with_no_status_and_no_end_are_kept_with_an_unknown_end(
    occupancies: FtmImport,
) -> None:
    dataset = occupancies.dataset()
    periods = {t.id.removeprefix("tenure:wd-occ-")[:4]: t.period for t in dataset.all(Tenure)}
    assert {key: str(period) for key, period in periods.items()} == {
        "1f3a": "2000-05-07/2008-05-07",  # no status, an end date
        "2e4b": "2012-05-07/",  # no status, no end: not taken as current
        "3d5f": "1999-08-16/2000-05-07",
        "4c6e": "2020-01-16/",
    }
    # Not taken as held today, yet possibly held: as the data says.
    today = dt.date(2026, 12, 1)
    assert dataset.holders("position:q218295", on=today) == []
    possible = dataset.possible_holders("position:q218295", on=today)
    assert [tenure.person for tenure in possible] == ["person:q7747"]
    noted = {(issue.line, issue.path) for issue in occupancies.notes}
    assert {(8, "$[7]"), (10, "$[9]")} <= noted


def test_an_occupancy_with_no_dates_at_all_is_listed_with_why(occupancies: FtmImport) -> None:
    (skipped,) = [issue for issue in occupancies.skipped if issue.path == "$[10]"]
    assert skipped.line == 11
    assert "no start or end date" in skipped.message


def test_the_caption_is_the_main_name(occupancies: FtmImport) -> None:
    labels = {person.id: person.label for person in occupancies.dataset().all(Person)}
    assert labels == {
        "person:q7747": "Vladimir Putin",
        "person:q4298520": "Mikhail Mishustin",
        "person:q1377525": "Imangali Tasmagambetov",
    }


def shuffled(entities: list[dict[str, Any]], random: Random) -> list[dict[str, Any]]:
    """The entities with each property's values in another order (as FtM's statements give)."""
    out = []
    for entity in entities:
        properties = {}
        for name, values in entity["properties"].items():
            reordered = list(values)
            random.shuffle(reordered)
            properties[name] = reordered
        out.append({**entity, "properties": properties})
    return out


@functools.cache
def ordered_inputs(caption: bool) -> tuple[list[dict[str, Any]], tuple[Entity, ...]]:
    """The occupancies fixture and our export of the embedded dataset; what they import as."""
    entities = [json.loads(line) for line in OCCUPANCIES.read_text(encoding="utf-8").splitlines()]
    entities += [*to_ftm(load_default())]
    if not caption:
        entities = [{k: v for k, v in entity.items() if k != "caption"} for entity in entities]
    return entities, from_ftm(entities).entities


@given(st.randoms(use_true_random=False), st.booleans())
def test_the_result_does_not_depend_on_the_order_of_values(random: Random, caption: bool) -> None:
    entities, expected = ordered_inputs(caption)
    assert from_ftm(shuffled(entities, random)).entities == expected


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


# Any character at all: controls, format characters, lone surrogates.
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=12)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**120, max_value=10**130)
    | st.floats()
    | st.text(max_size=5)
    | ANY_TEXT,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=5) | ANY_TEXT, inner, max_size=3)
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
VALUES = (
    st.text(max_size=12)
    | ANY_TEXT
    | st.sampled_from(
        [
            "kg",
            "su",
            "2020",
            "2020-01-01T10:00",
            "current",
            "ended",
            "chair",
            "a",
            "b",
            "kgru-state-kg",
        ]
    )
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
            "sourceUrl",
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
    except ValidationError as error:
        issues = list(error.issues)
    else:
        result.dataset()  # a valid dataset
        issues = [*result.skipped, *result.notes]
    assert all(issue.path.startswith("$[") for issue in issues)


@given(JSON)
def test_any_json_value_is_an_input_or_a_validation_error(value: Any) -> None:
    issues: list[Issue] = []
    try:
        from_ftm(value if isinstance(value, list) else [value])
    except ValidationError as error:
        issues = list(error.issues)
    assert all(issue.path.startswith("$[") for issue in issues)


def nested(depth: int, inner: Any, wrap: Any) -> Any:
    for _ in range(depth):
        inner = wrap(inner)
    return inner


@pytest.mark.parametrize(
    ("entity", "path"),
    [
        (nested(100_000, [], lambda inner: [inner]), "$[0]"),
        (nested(100_000, {}, lambda inner: {"a": inner}), "$[0].id"),
        (
            {"id": "a", "schema": "Person", "properties": {"name": [nested(10**5, [], list)]}},
            "$[0].properties.name[0]",
        ),
        (
            {"id": "a", "schema": "Person", "properties": nested(10**5, {}, lambda i: {"x": i})},
            "$[0].properties.x",
        ),
        ({"id": nested(10**5, [], lambda i: [i]), "schema": "Person", "properties": {}}, "$[0].id"),
        ({"id": 10**5000, "schema": "Person", "properties": {}}, "$[0].id"),
    ],
    ids=["list", "object", "value", "properties", "id", "long-number"],
)
def test_any_depth_and_any_number_give_a_validation_error_at_its_path(
    entity: Any, path: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        from_ftm([entity])
    assert caught.value.issues[0].path == path
    assert len(str(caught.value)) < 1000


def test_a_line_nested_too_deeply_is_not_json_we_can_read() -> None:
    with pytest.raises(ValidationError) as caught:
        list(read_ftm_lines(["[" * 100_000 + "]" * 100_000]))
    assert (
        str(caught.value) == "line 1: $[0]: the line is not JSON: it is nested too deeply to read"
    )


@given(st.lists(ANY_TEXT | st.text(max_size=30), max_size=4))
def test_any_text_as_lines_is_read_or_a_validation_error(lines: list[str]) -> None:
    issues: list[Issue] = []
    try:
        from_ftm(read_ftm_lines(lines))
    except ValidationError as error:
        issues = list(error.issues)
    assert all(issue.path.startswith("$[") for issue in issues)


def test_a_lone_surrogate_in_an_address_is_left_out_with_its_reason() -> None:
    person = {
        "id": "p",
        "schema": "Person",
        "properties": {"name": ["A"], "sourceUrl": ["https://e.org/\ud800"]},
        "datasets": ["wd_peps"],
    }
    result = from_ftm([person])
    (skipped,) = [i for i in result.skipped if i.path == "$[0].properties.sourceUrl[0]"]
    assert "lone surrogate" in skipped.message
    assert result.dataset().all(Person)[0].sources == ("source:opensanctions-wd-peps",)


def test_the_reference_names_what_the_import_exports() -> None:
    text = json.dumps(sorted(ftm.__all__))
    assert all(name in text for name in ("from_ftm", "read_ftm_lines", "FtmImport"))
