"""Laws the Dataset keeps for any dataset whose references fit."""

import datetime as dt
import itertools
import re
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kgru_relations import (
    Chairmanship,
    Dataset,
    Event,
    Indicator,
    Membership,
    Name,
    Observation,
    PartialDate,
    Period,
    Person,
    Position,
    Qualifier,
    Severity,
    Source,
    Statement,
    Tenure,
)
from kgru_relations.dataset import APPROXIMATE_TOLERANCE
from kgru_relations.model.economy import Measure
from kgru_relations.strategies import datasets, indicators, observations, periods

from .builders import bare_observation

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


def possible_days(tenure: Tenure, others: list[Tenure]) -> tuple[dt.date, dt.date]:
    """The days a tenure may cover, found by looking at every other tenure of its position."""
    first, last = tenure.period.earliest or dt.date.min, tenure.period.latest or dt.date.max
    start, end = tenure.period.start, tenure.period.end
    if isinstance(start, PartialDate) and not isinstance(end, PartialDate) and end is not None:
        later = [
            o.period.start
            for o in others
            if isinstance(o.period.start, PartialDate) and o.period.start.earliest > start.earliest
        ]
        if later:
            first_next = min(s.earliest for s in later)
            handover = max(s.latest for s in later if s.earliest == first_next)
            last = max(start.latest, handover)
    if isinstance(end, PartialDate) and not isinstance(start, PartialDate) and start is not None:
        before = [
            o.period.end
            for o in others
            if isinstance(o.period.end, PartialDate) and o.period.end.latest < end.latest
        ]
        if before:
            last_before = max(e.latest for e in before)
            handover = min(e.earliest for e in before if e.latest == last_before)
            first = min(end.earliest, handover)
    return first, last


@given(datasets(), DAYS)
def test_possible_holders_agree_with_a_brute_force_scan(dataset: Dataset, day: dt.date) -> None:
    tenures = dataset.all(Tenure)
    for position in dataset.all(Position):
        mine = [t for t in tenures if t.position == position.id]
        spans = [(possible_days(t, mine), t) for t in mine]
        expected = [t for (first, last), t in spans if first <= day <= last]
        expected.sort(key=lambda t: possible_days(t, mine)[0])
        assert dataset.possible_holders(position.id, on=day) == expected
        for (first, last), tenure in spans:
            assert dataset.possible_days(tenure) == (
                None if first == dt.date.min else first,
                None if last == dt.date.max else last,
            )


@given(datasets(), DAYS)
def test_the_sure_holders_are_among_the_possible(dataset: Dataset, day: dt.date) -> None:
    for position in dataset.all(Position):
        sure = dataset.holders(position.id, on=day)
        possible = dataset.possible_holders(position.id, on=day)
        assert all(tenure in possible for tenure in sure)
        for tenure in sure:
            first, last = dataset.possible_days(tenure)
            assert first is None or first <= day
            assert last is None or day <= last


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


# --- the checks sweep, and report each record once -------------------------------------


def sure_days(period: Period) -> tuple[dt.date, dt.date] | None:
    """The days a period surely covers (its whole span, when within one unit).

    With an unknown side, only the other side's day, if it is a day: an office
    left on an unknown day was surely held on the day it was taken, and on no
    later day for sure.
    """
    if period.is_unknown:
        known = period.start if isinstance(period.start, PartialDate) else period.end
        assert isinstance(known, PartialDate)
        if known.earliest == known.latest:
            return known.earliest, known.earliest
        return None
    start = period.start.latest if isinstance(period.start, PartialDate) else dt.date.min
    end = period.end.earliest if isinstance(period.end, PartialDate) else dt.date.max
    if end < start:
        return period.earliest or dt.date.min, period.latest or dt.date.max
    return start, end


def rivals(chairs: list[Chairmanship], later: int, earlier: int) -> bool:
    """Whether chair *later* (starting no earlier) surely overlaps chair *earlier*, another fact."""
    if chairs[later].account_of == chairs[earlier].account_of:
        return False
    mine, theirs = sure_days(chairs[later].period), sure_days(chairs[earlier].period)
    return mine is not None and theirs is not None and mine[0] < theirs[1]


@st.composite
def chair_lists(draw: st.DrawFn) -> list[Chairmanship]:
    found: list[Chairmanship] = []
    for index in range(draw(st.integers(0, 8))):
        found.append(
            Chairmanship(
                id=f"chairmanship:c{index}",
                organization=draw(st.sampled_from(["organization:a", "organization:b"])),
                state="state:kg",
                period=draw(periods(min_year=2000, max_year=2006)),
                sources=["source:s"],
                variant_of=draw(st.none() | st.sampled_from([c.id for c in found]))
                if found and found[-1].variant_of is None
                else None,
            )
        )
    return found


OVERLAP = re.compile(r"\$\.chairmanships\[(\d+)\]\.period: .* overlaps chairmanship '([^']+)'")


@given(chair_lists())
def test_each_chair_that_overlaps_one_before_it_is_reported_once_with_a_rival(
    chairs: list[Chairmanship],
) -> None:
    reported: dict[int, str] = {}
    for issue in Dataset(chairs).validate():
        match = OVERLAP.match(str(issue))
        if match is not None:
            assert int(match[1]) not in reported
            reported[int(match[1])] = match[2]
    sure = {i: days for i, chair in enumerate(chairs) if (days := sure_days(chair.period))}
    order = sorted(sure, key=lambda i: (sure[i][0], i))
    expected = {
        later
        for place, later in enumerate(order)
        for earlier in order[:place]
        if chairs[later].organization == chairs[earlier].organization
        and rivals(chairs, later, earlier)
    }
    assert set(reported) == expected
    by_id = {chair.id: index for index, chair in enumerate(chairs)}
    for index, rival in reported.items():
        other = by_id[rival]
        assert chairs[other].organization == chairs[index].organization
        assert order.index(other) < order.index(index)
        assert rivals(chairs, index, other)


FIGURES = st.lists(
    st.tuples(
        st.integers(1, 6).map(Decimal),
        st.sampled_from(Qualifier),
        st.sampled_from(["source:x", "source:y", "source:z"]),
    ),
    max_size=8,
)


def can_both_be_right(a: Observation, b: Observation) -> bool:
    """Whether one true value could make both figures right (tried at every edge and between)."""
    edges = sorted(
        {
            edge
            for f in (a, b)
            for edge in (
                f.value,
                f.value * (1 - APPROXIMATE_TOLERANCE),
                f.value * (1 + APPROXIMATE_TOLERANCE),
            )
        }
    )
    tries = [
        edges[0] - 1,
        *edges,
        *((x + y) / 2 for x, y in itertools.pairwise(edges)),
        edges[-1] + 1,
    ]
    return any(allows(a, value) and allows(b, value) for value in tries)


def allows(figure: Observation, value: Decimal) -> bool:
    v, q = figure.value, figure.qualifier
    return {
        Qualifier.EXACT: value == v,
        Qualifier.APPROXIMATELY: abs(value - v) <= v * APPROXIMATE_TOLERANCE,
        Qualifier.MORE_THAN: value > v,
        Qualifier.AT_LEAST: value >= v,
        Qualifier.LESS_THAN: value < v,
        Qualifier.AT_MOST: value <= v,
    }[q]


@given(FIGURES)
def test_disagreeing_figures_are_each_reported_once_and_only_if_they_disagree(
    drawn: list[tuple[Decimal, Qualifier, str]],
) -> None:
    figures = [
        bare_observation(f"f{index}", value, qualifier=qualifier, sources=[source])
        for index, (value, qualifier, source) in enumerate(drawn)
    ]
    findings = Dataset(figures).check()
    by_id = {figure.id: figure for figure in figures}
    pairs = [tuple(by_id[i] for i in finding.ids) for finding in findings]
    for low, high in pairs:
        assert low.sources != high.sources
        assert not can_both_be_right(low, high)
    # At most one finding per figure but the first, and one whenever two disagree.
    assert len(pairs) < max(len(figures), 1)
    disagree = any(
        a.sources != b.sources and not can_both_be_right(a, b)
        for index, a in enumerate(figures)
        for b in figures[index + 1 :]
    )
    assert bool(pairs) is disagree


# --- units fit what their indicator measures ----------------------------------------------


@given(st.data(), st.sampled_from(Measure))
def test_an_observation_drawn_for_a_measure_validates_against_its_indicator(
    data: st.DataObject, measure: Measure
) -> None:
    indicator = Indicator(
        id="indicator:i", names=[Name("I")], measure=measure, allows_negative=True
    )
    figure = data.draw(observations(indicator=indicator.id, sources=["source:s"], measure=measure))
    assert measure.fits(figure.unit)
    assert (figure.money is not None) is (measure is Measure.MONEY)
    source = Source(id="source:s", title="S")
    issues = Dataset([source, indicator, figure]).validate()
    assert [issue for issue in issues if issue.path.endswith(".unit")] == []


@given(indicators())
def test_an_indicator_drawn_declares_a_measure_or_none(indicator: Indicator) -> None:
    assert indicator.measure is None or isinstance(indicator.measure, Measure)
