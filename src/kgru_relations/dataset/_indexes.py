"""The lookup structures the queries use, each built once, when first needed.

A dataset cannot change, so each index is built on the first query that needs
it (with the garbage collector paused) and kept: a query then costs a lookup
and a short scan, not a pass over every entity.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final, Generic, TypeVar

from kgru_relations._gc import paused
from kgru_relations.dataset._core import Core
from kgru_relations.dataset._edges import Edge, Side
from kgru_relations.dataset._search import NameIndex, name_index
from kgru_relations.dates import UNKNOWN, PartialDate, Period, dated_bounds
from kgru_relations.model import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Chairmanship,
    Entity,
    Membership,
    Observation,
    ObservationKind,
    Organization,
    Position,
    PositionKind,
    Tenure,
)

__all__ = ["NEVER_HELD", "Held", "Indexes", "IntervalIndex"]

T = TypeVar("T")
R = TypeVar("R", Tenure, Membership, Chairmanship)


class IntervalIndex(Generic[T]):
    """Items with periods, answering "which contain this day?" with a bisect and a short scan.

    Each item has its period and the first and last day it may cover (by
    default the period's own ``earliest`` and ``latest``, unbounded where
    open or unknown); the scan runs over those, so both "contains" (the
    span as dated) and "may cover" are answered from one index.
    """

    __slots__ = ("_bounds", "_ends", "_items", "_starts")

    def __init__(
        self,
        pairs: Iterable[tuple[Period, T]],
        bounds: Callable[[Period, T], tuple[_dt.date, _dt.date]] | None = None,
    ) -> None:
        def widest(period: Period, _: T) -> tuple[_dt.date, _dt.date]:
            return (period.earliest or _dt.date.min, period.latest or _dt.date.max)

        spans = [(*(bounds or widest)(period, item), period, item) for period, item in pairs]
        spans.sort(key=lambda span: span[0])
        self._starts = [span[0] for span in spans]
        self._bounds = [span[1] for span in spans]
        self._items = [(span[2], span[3]) for span in spans]
        # _ends[i]: the latest last day among items[0..i], so a backwards scan can stop.
        self._ends: list[_dt.date] = []
        latest = _dt.date.min
        for last in self._bounds:
            latest = max(latest, last)
            self._ends.append(latest)

    def _near(self, first: _dt.date, last: _dt.date) -> Iterator[int]:
        """Indexes of items that may meet [first, last], latest start first."""
        index = bisect.bisect_right(self._starts, last) - 1
        while index >= 0 and self._ends[index] >= first:
            yield index
            index -= 1

    def at(self, day: _dt.date) -> list[T]:
        """Return the items whose period contains *day* (as dated), in order of start."""
        found = [
            item
            for i in self._near(day, day)
            for period, item in (self._items[i],)
            if period.contains(day)
        ]
        found.reverse()
        return found

    def possibly_at(self, day: _dt.date) -> list[T]:
        """Return the items that may cover *day* (by their bounds), in order of start."""
        found = [self._items[i][1] for i in self._near(day, day) if self._bounds[i] >= day]
        found.reverse()
        return found

    def items(self) -> list[T]:
        """Every item, in order of start."""
        return [item for _, item in self._items]

    def may_meet(self, span: Period) -> bool:
        """Whether some item may share a day with *span* (``Period.overlaps``)."""
        first, last = span.earliest or _dt.date.min, span.latest or _dt.date.max
        index = bisect.bisect_right(self._starts, last) - 1
        return index >= 0 and self._ends[index] >= first

    def meets_as_dated(self, first: _dt.date, last: _dt.date) -> bool:
        """Whether some item's span as dated meets [first, last] (an unknown end: its start)."""
        for i in self._near(first, last):
            start, end = dated_bounds(self._items[i][0])
            if start <= last and end >= first:
                return True
        return False


def _bounds_of(
    bounds: dict[int, tuple[_dt.date, _dt.date]], _: Period, tenure: Tenure
) -> tuple[_dt.date, _dt.date]:
    return bounds[id(tenure)]


def _possible_bounds(tenures: list[Tenure]) -> dict[int, tuple[_dt.date, _dt.date]]:
    """The first and last day each of one position's tenures may cover, by ``id()``.

    A dated side is its own widest day. An unknown end may reach until the next
    holder's start (the latest day that start could be: the handover day), or
    on without bound if no one came next; an unknown start may reach back to
    the previous holder's end. Never narrower than the span as dated.
    n·log n: two sorts and a bisect per unknown side.
    """
    # Each dated start's earliest day, with the latest day any start from then could be;
    # each dated end's latest day, with the earliest day any end then could be.
    start_last: dict[_dt.date, _dt.date] = {}
    end_first: dict[_dt.date, _dt.date] = {}
    for tenure in tenures:
        start, end = tenure.period.start, tenure.period.end
        if isinstance(start, PartialDate):
            known = start_last.get(start.earliest, start.latest)
            start_last[start.earliest] = max(known, start.latest)
        if isinstance(end, PartialDate):
            known = end_first.get(end.latest, end.earliest)
            end_first[end.latest] = min(known, end.earliest)
    starts, ends = sorted(start_last), sorted(end_first)
    found: dict[int, tuple[_dt.date, _dt.date]] = {}
    for tenure in tenures:
        period = tenure.period
        first, last = period.earliest or _dt.date.min, period.latest or _dt.date.max
        start, end = period.start, period.end
        if end is UNKNOWN and isinstance(start, PartialDate):
            after = bisect.bisect_right(starts, start.earliest)
            if after < len(starts):
                last = max(start.latest, start_last[starts[after]])
        if start is UNKNOWN and isinstance(end, PartialDate):
            before = bisect.bisect_left(ends, end.latest) - 1
            if before >= 0:
                first = min(end.earliest, end_first[ends[before]])
        found[id(tenure)] = (first, last)
    return found


class Held:
    """One person's tenures of one position, for the statement findings."""

    __slots__ = ("_ended", "_last_days", "spells")

    def __init__(self, tenures: Iterable[Tenure]) -> None:
        self.spells = IntervalIndex((tenure.period, tenure) for tenure in tenures)
        ordered = self.spells.items()
        # Those that ended, by their last possible day, then in order of start.
        self._ended = sorted(
            (
                (end.latest, index, tenure)
                for index, tenure in enumerate(ordered)
                if isinstance(end := tenure.period.end, PartialDate)
            ),
            key=lambda entry: (entry[0], entry[1]),
        )
        self._last_days = [entry[0] for entry in self._ended]

    def last_ended_before(self, day: _dt.date) -> Tenure | None:
        """The tenure that surely ended latest before *day* (the first such, on a tie)."""
        index = bisect.bisect_left(self._last_days, day)
        if index == 0:
            return None
        first = bisect.bisect_left(self._last_days, self._last_days[index - 1])
        return self._ended[first][2]


NEVER_HELD: Final = Held(())


def _interval_indexes(pairs: Iterable[tuple[str, Period, T]]) -> dict[str, IntervalIndex[T]]:
    """Group (key, period, item) triples by key into one interval index per key."""
    groups: dict[str, list[tuple[Period, T]]] = defaultdict(list)
    for key, period, item in pairs:
        groups[key].append((period, item))
    return {key: IntervalIndex(items) for key, items in groups.items()}


def _built(build: Callable[[Indexes], T]) -> functools.cached_property[T]:
    """An index, built once when first asked for, with the garbage collector paused."""

    @functools.wraps(build)
    def paused_build(indexes: Indexes) -> T:
        with paused():
            return build(indexes)

    return functools.cached_property(paused_build)


class Indexes:
    """The lookup structures the queries use; each built once, when first needed.

    Args:
        core: The entities to index.
    """

    def __init__(self, core: Core) -> None:
        self._core = core
        self._along: dict[tuple[type[Entity], Side], dict[str, IntervalIndex[Any]]] = {}

    def along(self, edge: Edge[R], side: Side) -> dict[str, IntervalIndex[R]]:
        """The records of a relation by the id at one of its ends, each end's by period.

        From the target, this is the relation's reverse index (a position's
        tenures, an organisation's members); from the source, its forward one
        (a person's tenures). Built once per relation and end, when first asked.
        """
        key = (edge.kind, side)
        found = self._along.get(key)
        if found is None:
            with paused():
                records = self._core.all(edge.kind)
                found = _interval_indexes((edge.end(r, side), r.period, r) for r in records)
            self._along[key] = found
        return found

    def held_by(self, person_id: str, position_id: str) -> Held:
        """The person's tenures of one position."""
        return self.held.get((person_id, position_id)) or NEVER_HELD

    @_built
    def possible(
        self,
    ) -> tuple[dict[str, IntervalIndex[Tenure]], dict[int, tuple[_dt.date, _dt.date]]]:
        """Each position's tenures by the days each may cover, and those days by tenure ``id()``."""
        groups: dict[str, list[Tenure]] = defaultdict(list)
        for tenure in self._core.all(Tenure):
            groups[tenure.position].append(tenure)
        by_position: dict[str, IntervalIndex[Tenure]] = {}
        days: dict[int, tuple[_dt.date, _dt.date]] = {}
        for position, tenures in groups.items():
            bounds = _possible_bounds(tenures)
            by_position[position] = IntervalIndex(
                ((t.period, t) for t in tenures), functools.partial(_bounds_of, bounds)
            )
            days.update(bounds)
        return by_position, days

    @_built
    def held(self) -> dict[tuple[str, str], Held]:
        """Each person's tenures of each position."""
        groups: dict[tuple[str, str], list[Tenure]] = defaultdict(list)
        for tenure in self._core.all(Tenure):
            groups[(tenure.person, tenure.position)].append(tenure)
        return {key: Held(tenures) for key, tenures in groups.items()}

    @_built
    def offices(self) -> dict[tuple[str, PositionKind], list[Position]]:
        """The positions of each kind that each state or organisation has.

        A state has its own positions and those of its national bodies (the
        foreign ministry's minister is the state's foreign minister).
        """
        state_of = {o.id: o.state for o in self._core.all(Organization) if o.state is not None}
        found: dict[tuple[str, PositionKind], list[Position]] = defaultdict(list)
        for position in self._core.all(Position):
            found[(position.organization, position.kind)].append(position)
            state = state_of.get(position.organization)
            if state is not None:
                found[(state, position.kind)].append(position)
        return found

    @_built
    def agreements_by_party(self) -> dict[str, list[Agreement]]:
        found: dict[str, list[Agreement]] = defaultdict(list)
        for agreement in self._core.all(Agreement):
            for party in agreement.parties:
                found[party].append(agreement)
        return found

    @_built
    def agreements_by_kind(self) -> dict[AgreementKind, list[Agreement]]:
        found: dict[AgreementKind, list[Agreement]] = defaultdict(list)
        for agreement in self._core.all(Agreement):
            found[agreement.kind].append(agreement)
        return found

    @_built
    def agreements_by_status(self) -> dict[AgreementStatus, list[Agreement]]:
        found: dict[AgreementStatus, list[Agreement]] = defaultdict(list)
        for agreement in self._core.all(Agreement):
            found[agreement.status].append(agreement)
        return found

    @_built
    def in_force_windows(self) -> dict[str, Period]:
        """Each agreement's in-force window, for those that were ever in force."""
        windows = ((a.id, a.in_force_window) for a in self._core.all(Agreement))
        return {key: window for key, window in windows if window is not None}

    @_built
    def agreements_in_force(self) -> IntervalIndex[Agreement]:
        windows = self.in_force_windows
        return IntervalIndex(
            (windows[a.id], a) for a in self._core.all(Agreement) if a.id in windows
        )

    @_built
    def dated(self) -> dict[int, list[tuple[Entity, str, PartialDate]]]:
        """Signings and foundings by year, for anniversaries."""
        found: dict[int, list[tuple[Entity, str, PartialDate]]] = defaultdict(list)
        for agreement in self._core.all(Agreement):
            if agreement.signed is not None:
                found[agreement.signed.year].append((agreement, "signing", agreement.signed))
        for body in self._core.all(Organization):
            if body.founded is not None:
                found[body.founded.year].append((body, "founding", body.founded))
        return found

    @_built
    def series(self) -> dict[tuple[str, str, str | None, ObservationKind], list[Observation]]:
        found: dict[tuple[str, str, str | None, ObservationKind], list[Observation]] = defaultdict(
            list
        )
        for o in self._core.all(Observation):
            found[(o.indicator, o.reporter, o.partner, o.kind)].append(o)
        for values in found.values():
            values.sort(key=_period_key)
        return found

    @_built
    def names(self) -> NameIndex:
        """Each entity's names, by word and whole, for ``find``."""
        return name_index(self._core)


def _period_key(observation: Observation) -> tuple[int, _dt.date, _dt.date, str]:
    period = observation.period
    if period is None:
        return (0, _dt.date.min, _dt.date.min, observation.id)
    return (1, period.earliest, period.latest, observation.id)
