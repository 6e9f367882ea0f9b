"""Laws the Dataset keeps for any dataset whose references fit."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from kgru_relations import (
    Chairmanship,
    Dataset,
    Event,
    Membership,
    PartialDate,
    Person,
    Position,
    Severity,
    Source,
    Statement,
    Tenure,
)
from kgru_relations.strategies import datasets

DAYS = st.dates(dt.date(1940, 1, 1), dt.date(2060, 12, 31))


def start_key(period_start: dt.date | None) -> dt.date:
    return period_start or dt.date.min


@given(datasets())
def test_a_dataset_with_consistent_references_validates(dataset: Dataset) -> None:
    assert dataset.validate() == []


@given(datasets(), DAYS)
def test_holder_agrees_with_a_brute_force_scan(dataset: Dataset, day: dt.date) -> None:
    for position in dataset.all(Position):
        holding = sorted(
            (
                t
                for t in dataset.all(Tenure)
                if t.position == position.id and t.period.contains(day)
            ),
            key=lambda t: start_key(t.period.earliest),
        )
        assert dataset.holders(position.id, on=day) == holding
        expected = dataset.get(holding[-1].person) if holding else None
        assert dataset.holder(position.id, on=day) == expected
    for person in dataset.all(Person):
        held = {
            t.position
            for t in dataset.all(Tenure)
            if t.person == person.id and t.period.contains(day)
        }
        assert {p.id for p in dataset.positions_of(person.id, on=day)} == held


@given(datasets(), DAYS)
def test_members_and_chair_agree_with_a_brute_force_scan(dataset: Dataset, day: dt.date) -> None:
    for organization in {m.organization for m in dataset.all(Membership)}:
        members = sorted(
            m.state
            for m in dataset.all(Membership)
            if m.organization == organization and m.period.contains(day)
        )
        assert [state.id for state in dataset.members(organization, on=day)] == members
        chairs = [
            c
            for c in dataset.all(Chairmanship)
            if c.organization == organization and c.period.contains(day)
        ]
        chair = dataset.chair(organization, on=day)
        assert (chair.id if chair else None) == (chairs[-1].state if chairs else None)


@given(datasets())
def test_find_finds_every_name_of_every_entity(dataset: Dataset) -> None:
    for entity in dataset:
        for name in getattr(entity, "names", ()):
            assert entity in dataset.find(name.text), (name, entity.id)


@settings(max_examples=50)
@given(datasets(), DAYS, DAYS)
def test_timeline_window_agrees_with_a_scan(dataset: Dataset, a: dt.date, b: dt.date) -> None:
    start, end = min(a, b), max(a, b)
    expected = [
        entry
        for entry in dataset.timeline()
        if entry.date.latest >= start and entry.date.earliest <= end
    ]
    assert dataset.timeline(start, end) == expected


@given(datasets())
def test_every_second_account_that_differs_is_reported_once(dataset: Dataset) -> None:
    reported = [f.ids for f in dataset.check() if f.code == "sources-disagree"]
    expected = []
    for entity in dataset:
        if isinstance(entity, Tenure) and entity.variant_of is not None:
            first = dataset.get(entity.variant_of, Tenure)
            if (first.period, first.acting) != (entity.period, entity.acting):
                expected.append((first.id, entity.id))
        elif (
            isinstance(entity, Event)
            and entity.variant_of is not None
            and dataset.get(entity.variant_of, Event).date != entity.date
        ):
            expected.append((entity.variant_of, entity.id))
    assert sorted(reported) == sorted(expected)


def days_of(date: PartialDate) -> list[dt.date]:
    return [
        date.earliest + dt.timedelta(days=n) for n in range((date.latest - date.earliest).days + 1)
    ]


@settings(max_examples=50)
@given(datasets())
def test_a_title_is_out_of_date_only_if_no_tenure_could_cover_the_publication(
    dataset: Dataset,
) -> None:
    for finding in dataset.check():
        if finding.code != "outdated-title":
            continue
        statement = dataset.get(finding.ids[0], Statement)
        source = dataset.get(finding.ids[1], Source)
        assert source.id in statement.sources
        assert source.published is not None
        held = [
            t
            for t in dataset.all(Tenure)
            if t.person == statement.speaker and t.position == statement.as_position
        ]
        # On no day the source could have been published could the speaker hold the office,
        assert not any(t.period.contains(day) for t in held for day in days_of(source.published))
        # and the office was held, and left, before it.
        left = dataset.get(finding.ids[4], Tenure)
        assert left in held
        assert left.period.latest is not None
        assert left.period.latest < source.published.earliest
        assert (statement.date is None) is (finding.severity is Severity.WARNING)
