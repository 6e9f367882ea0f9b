"""The Dataset: every entity, the checks that they fit together, and the queries.

A [`Dataset`][kgru_relations.Dataset] is immutable once built. It answers
questions from indexes built once, on the first query that needs them, so a
query costs a lookup and a short scan, not a pass over every entity.

Examples:
    >>> import datetime
    >>> from kgru_relations import Dataset, Name, Person, Position, Source, Tenure
    >>> dataset = Dataset([
    ...     Source(id="source:mfa", title="MFA biography"),
    ...     Person(id="person:sergey-lavrov", names=[Name("Sergey Lavrov")],
    ...            sources=["source:mfa"]),
    ...     Position(id="position:ru-foreign-minister", names=[Name("Foreign Minister")],
    ...              kind="foreign_minister", organization="organization:ru-mfa",
    ...              sources=["source:mfa"]),
    ...     Tenure(id="tenure:lavrov", person="person:sergey-lavrov",
    ...            position="position:ru-foreign-minister", period="2004-03-09/..",
    ...            sources=["source:mfa"]),
    ... ])
    >>> dataset.holder("position:ru-foreign-minister", on=datetime.date(2025, 5, 9)).label
    'Sergey Lavrov'
    >>> [str(issue) for issue in dataset.validate()]
    ["$.positions[0].organization: no organization with id 'organization:ru-mfa'"]
"""

from __future__ import annotations

import bisect
import datetime as _dt
import difflib
import enum
import functools
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, Final, Generic, NamedTuple, TypeAlias, TypeVar, overload

import attrs

from kgru_relations._findings import APPROXIMATE_TOLERANCE, Finding, Severity, findings
from kgru_relations._gc import paused
from kgru_relations._integrity import problems as integrity_problems
from kgru_relations._search import fold, tokens
from kgru_relations.codes import country_code
from kgru_relations.dates import UNKNOWN, PartialDate, Period, Unknown, _dated_bounds, as_day
from kgru_relations.errors import MAX_ISSUES, Issue, ValidationError
from kgru_relations.model import (
    ENTITY_CLASSES,
    Agreement,
    AgreementKind,
    AgreementStatus,
    Chairmanship,
    Entity,
    Event,
    Indicator,
    Membership,
    MembershipStatus,
    Observation,
    ObservationKind,
    Organization,
    Person,
    Position,
    PositionKind,
    State,
    Statement,
    Tenure,
)
from kgru_relations.model._base import choice
from kgru_relations.names import Name

__all__ = [
    "APPROXIMATE_TOLERANCE",
    "Anniversary",
    "Dataset",
    "DatasetBuilder",
    "Finding",
    "IssueList",
    "Progress",
    "Severity",
    "TimelineEntry",
]

E = TypeVar("E", bound=Entity)
T = TypeVar("T")
K = TypeVar("K", bound=enum.Enum)

_ROUND_EVERY: Final = 5
_YEAR: Final = _dt.timedelta(days=366)


@attrs.frozen(kw_only=True)
class Progress:
    """How far the latest actual figure has come towards a target.

    Attributes:
        target: The target observation.
        actual: The latest actual observation of the same indicator, reporter,
            partner and unit, or ``None`` if there is none.
        share: ``actual / target`` as an exact decimal (``0.64``), or ``None``.
    """

    target: Observation
    actual: Observation | None
    share: Decimal | None

    @property
    def percent(self) -> Decimal | None:
        """The share as a percentage, rounded to one decimal place (``64.0``)."""
        if self.share is None:
            return None
        return (self.share * 100).quantize(Decimal("0.1"))


@attrs.frozen(kw_only=True)
class Anniversary:
    """A round anniversary of a signing or a founding.

    Attributes:
        entity: The id of the agreement or organisation.
        label: Its name.
        event: ``"signing"`` or ``"founding"``.
        original: When it was signed or founded.
        years: How many years it is (5, 10, 15, 20, 25, …).
        date: The anniversary, to the same precision as the original.
    """

    entity: str
    label: str
    event: str
    original: PartialDate
    years: int
    date: PartialDate


class TimelineEntry:
    """One dated fact on a timeline.

    Entries are equal when their date, entity and text are; they cannot be
    changed. A dataset's timeline writes the text of an entry the first time
    it is read, so a query returning many entries costs little until they
    are shown.

    Args:
        date: When.
        entity: The id of the entity the fact belongs to.
        what: What happened, in a few words (``took office``, ``signed``).

    Examples:
        >>> from kgru_relations import PartialDate
        >>> entry = TimelineEntry(
        ...     date=PartialDate(2024, 12, 16), entity="tenure:t", what="Kasymaliev takes office"
        ... )
        >>> str(entry)
        '2024-12-16  Kasymaliev takes office (tenure:t)'
    """

    __slots__ = ("_describe", "_what", "date", "entity")

    date: PartialDate
    """When."""
    entity: str
    """The id of the entity the fact belongs to."""
    _what: str | None
    _describe: Callable[[], str] | None

    def __init__(self, *, date: PartialDate, entity: str, what: str) -> None:
        object.__setattr__(self, "date", date)
        object.__setattr__(self, "entity", entity)
        object.__setattr__(self, "_what", what)
        object.__setattr__(self, "_describe", None)

    @classmethod
    def _lazy(cls, date: PartialDate, entity: str, describe: Callable[[], str]) -> TimelineEntry:
        """An entry whose text *describe* writes, when it is first read."""
        entry = cls.__new__(cls)
        _SET_DATE(entry, date)  # the slots themselves: a timeline makes a million of these
        _SET_ENTITY(entry, entity)
        _SET_WHAT(entry, None)
        _SET_DESCRIBE(entry, describe)
        return entry

    @property
    def what(self) -> str:
        """What happened, in a few words (``took office``, ``signed``)."""
        what = self._what
        if what is None:
            assert self._describe is not None  # one or the other, always
            what = self._describe()
            object.__setattr__(self, "_what", what)
            object.__setattr__(self, "_describe", None)
        return what

    def __setattr__(self, name: str, value: object) -> None:
        raise attrs.exceptions.FrozenInstanceError

    def __delattr__(self, name: str) -> None:
        raise attrs.exceptions.FrozenInstanceError

    def _key(self) -> tuple[PartialDate, str, str]:
        return (self.date, self.entity, self.what)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TimelineEntry):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"TimelineEntry(date={self.date!r}, entity={self.entity!r}, what={self.what!r})"

    def __str__(self) -> str:
        return f"{self.date}  {self.what} ({self.entity})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_timeline_entry, (self.date, self.entity, self.what))


_SET_DATE = TimelineEntry.__dict__["date"].__set__
_SET_ENTITY = TimelineEntry.__dict__["entity"].__set__
_SET_WHAT = TimelineEntry.__dict__["_what"].__set__
_SET_DESCRIBE = TimelineEntry.__dict__["_describe"].__set__


def _timeline_entry(date: PartialDate, entity: str, what: str) -> TimelineEntry:
    """Rebuild a pickled entry (pickle passes positional arguments)."""
    return TimelineEntry(date=date, entity=entity, what=what)


class IssueList(list[Issue]):
    """The integrity issues [`Dataset.validate`][kgru_relations.dataset.Dataset.validate] found.

    A plain list of [`Issue`][kgru_relations.Issue]s (empty when the dataset is
    valid) holding at most [`MAX_ISSUES`][kgru_relations.errors.MAX_ISSUES] of
    them: past that, the checks only count, and ``more`` says how many more
    they found, so a badly broken dataset gives a report a person can read,
    in memory that does not grow with the damage.

    Attributes:
        more: How many problems were found past those listed (``0`` unless
            the list is full).

    Examples:
        >>> from kgru_relations import Dataset, Source
        >>> copies = Dataset(Source(id="source:s", title="A copy") for _ in range(1500))
        >>> issues = copies.validate()
        >>> len(issues), issues.more
        (1000, 499)
        >>> str(issues[0])
        "$.sources[1].id: duplicate id 'source:s' (first at $.sources[0])"
    """

    __slots__ = ("more",)

    def __init__(self, issues: Iterable[Issue] = (), *, more: int = 0) -> None:
        super().__init__(issues)
        self.more = more


class _IntervalIndex(Generic[T]):
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
            start, end = _dated_bounds(self._items[i][0])
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


class _Held:
    """One person's tenures of one position, for the statement findings."""

    __slots__ = ("_ended", "_last_days", "spells")

    def __init__(self, tenures: Iterable[Tenure]) -> None:
        self.spells = _IntervalIndex((tenure.period, tenure) for tenure in tenures)
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


_NEVER_HELD: Final = _Held(())


def _names_of(entity: Entity) -> tuple[Name, ...]:
    names: tuple[Name, ...] = getattr(entity, "names", ())
    if isinstance(entity, State):
        names += entity.capital
    return names


def _option(value: K | str, cls: type[K], name: str) -> K:
    """A query's enum filter, as the member or its value (``"treaty"``), checked as fields are."""
    try:
        return choice(cls)(value)
    except ValidationError as error:
        raise error.under(name) from None


_SHOWN_ID: Final = 80


def _shown_id(entity_id: object) -> str:
    """An id as a message shows it: quoted, and shortened if it is long."""
    text = repr(entity_id)
    return text if len(text) <= _SHOWN_ID else text[: _SHOWN_ID - 1] + "…"


def _same_day_in(original: PartialDate, year: int) -> PartialDate:
    """The date in *year* that marks an anniversary of *original*, to the same precision."""
    if original.day is not None:
        try:
            return PartialDate(year, original.month, original.day)
        except ValidationError:  # 29 February, in a common year
            return PartialDate(year, original.month, 28)
    return PartialDate(year, original.month, quarter=original.quarter)


def _interval_indexes(pairs: Iterable[tuple[str, Period, T]]) -> dict[str, _IntervalIndex[T]]:
    """Group (key, period, item) triples by key into one interval index per key."""
    groups: dict[str, list[tuple[Period, T]]] = defaultdict(list)
    for key, period, item in pairs:
        groups[key].append((period, item))
    return {key: _IntervalIndex(items) for key, items in groups.items()}


def _built(build: Callable[[_Indexes], T]) -> functools.cached_property[T]:
    """An index, built once when first asked for, with the garbage collector paused."""

    @functools.wraps(build)
    def paused_build(indexes: _Indexes) -> T:
        with paused():
            return build(indexes)

    return functools.cached_property(paused_build)


class _Indexes:
    """The lookup structures the queries use; each built once, when first needed."""

    def __init__(self, dataset: Dataset) -> None:
        self._dataset = dataset

    @_built
    def by_position(self) -> dict[str, _IntervalIndex[Tenure]]:
        return _interval_indexes((t.position, t.period, t) for t in self._dataset.all(Tenure))

    @_built
    def possible(
        self,
    ) -> tuple[dict[str, _IntervalIndex[Tenure]], dict[int, tuple[_dt.date, _dt.date]]]:
        """Each position's tenures by the days each may cover, and those days by tenure ``id()``."""
        groups: dict[str, list[Tenure]] = defaultdict(list)
        for tenure in self._dataset.all(Tenure):
            groups[tenure.position].append(tenure)
        by_position: dict[str, _IntervalIndex[Tenure]] = {}
        days: dict[int, tuple[_dt.date, _dt.date]] = {}
        for position, tenures in groups.items():
            bounds = _possible_bounds(tenures)
            by_position[position] = _IntervalIndex(
                ((t.period, t) for t in tenures), functools.partial(_bounds_of, bounds)
            )
            days.update(bounds)
        return by_position, days

    @_built
    def by_person(self) -> dict[str, _IntervalIndex[Tenure]]:
        return _interval_indexes((t.person, t.period, t) for t in self._dataset.all(Tenure))

    @_built
    def held(self) -> dict[tuple[str, str], _Held]:
        """Each person's tenures of each position."""
        groups: dict[tuple[str, str], list[Tenure]] = defaultdict(list)
        for tenure in self._dataset.all(Tenure):
            groups[(tenure.person, tenure.position)].append(tenure)
        return {key: _Held(tenures) for key, tenures in groups.items()}

    @_built
    def offices(self) -> dict[tuple[str, PositionKind], list[Position]]:
        """The positions of each kind that each state or organisation has.

        A state has its own positions and those of its national bodies (the
        foreign ministry's minister is the state's foreign minister).
        """
        state_of = {o.id: o.state for o in self._dataset.all(Organization) if o.state is not None}
        found: dict[tuple[str, PositionKind], list[Position]] = defaultdict(list)
        for position in self._dataset.all(Position):
            found[(position.organization, position.kind)].append(position)
            state = state_of.get(position.organization)
            if state is not None:
                found[(state, position.kind)].append(position)
        return found

    @_built
    def members(self) -> dict[str, _IntervalIndex[Membership]]:
        return _interval_indexes(
            (m.organization, m.period, m) for m in self._dataset.all(Membership)
        )

    @_built
    def chairs(self) -> dict[str, _IntervalIndex[Chairmanship]]:
        return _interval_indexes(
            (c.organization, c.period, c) for c in self._dataset.all(Chairmanship)
        )

    @_built
    def agreements_by_party(self) -> dict[str, list[Agreement]]:
        found: dict[str, list[Agreement]] = defaultdict(list)
        for agreement in self._dataset.all(Agreement):
            for party in agreement.parties:
                found[party].append(agreement)
        return found

    @_built
    def agreements_by_kind(self) -> dict[AgreementKind, list[Agreement]]:
        found: dict[AgreementKind, list[Agreement]] = defaultdict(list)
        for agreement in self._dataset.all(Agreement):
            found[agreement.kind].append(agreement)
        return found

    @_built
    def agreements_by_status(self) -> dict[AgreementStatus, list[Agreement]]:
        found: dict[AgreementStatus, list[Agreement]] = defaultdict(list)
        for agreement in self._dataset.all(Agreement):
            found[agreement.status].append(agreement)
        return found

    @_built
    def in_force_windows(self) -> dict[str, Period]:
        """Each agreement's in-force window, for those that were ever in force."""
        windows = ((a.id, a.in_force_window) for a in self._dataset.all(Agreement))
        return {key: window for key, window in windows if window is not None}

    @_built
    def agreements_in_force(self) -> _IntervalIndex[Agreement]:
        windows = self.in_force_windows
        return _IntervalIndex(
            (windows[a.id], a) for a in self._dataset.all(Agreement) if a.id in windows
        )

    @_built
    def dated(self) -> dict[int, list[tuple[Entity, str, PartialDate]]]:
        """Signings and foundings by year, for anniversaries."""
        found: dict[int, list[tuple[Entity, str, PartialDate]]] = defaultdict(list)
        for agreement in self._dataset.all(Agreement):
            if agreement.signed is not None:
                found[agreement.signed.year].append((agreement, "signing", agreement.signed))
        for body in self._dataset.all(Organization):
            if body.founded is not None:
                found[body.founded.year].append((body, "founding", body.founded))
        return found

    @_built
    def anniversaries(self) -> dict[int, tuple[Anniversary, ...]]:
        """Each year's answer, kept once asked: the dataset cannot change."""
        return {}

    @_built
    def series(self) -> dict[tuple[str, str, str | None, ObservationKind], list[Observation]]:
        found: dict[tuple[str, str, str | None, ObservationKind], list[Observation]] = defaultdict(
            list
        )
        for o in self._dataset.all(Observation):
            found[(o.indicator, o.reporter, o.partner, o.kind)].append(o)
        for values in found.values():
            values.sort(key=_period_key)
        return found

    @_built
    def names(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        """(folded word -> ids, whole name folded or case-folded -> ids)."""
        words: dict[str, set[str]] = defaultdict(set)
        whole: dict[str, set[str]] = defaultdict(set)
        for entity in self._dataset:
            for name in _names_of(entity):
                whole[fold(name.text)].add(entity.id)
                whole[name.text.casefold()].add(entity.id)
                for token in tokens(name.text):
                    words[token].add(entity.id)
            if isinstance(entity, State):
                for code in (entity.code, entity.id):
                    whole[fold(code)].add(entity.id)
                    words[fold(code)].add(entity.id)
        return words, whole


def _window_contains(window: Period | None, day: _dt.date) -> bool:
    return window is not None and window.contains(day)


def _period_key(observation: Observation) -> tuple[int, _dt.date, _dt.date, str]:
    period = observation.period
    if period is None:
        return (0, _dt.date.min, _dt.date.min, observation.id)
    return (1, period.earliest, period.latest, observation.id)


class Dataset:
    """Every entity of a body of data, checked together and queried.

    Build one from any iterable of entities (in any order) or with
    [`Dataset.builder`][kgru_relations.dataset.Dataset.builder]. A dataset is
    immutable; it keeps each kind of entity in the order given, which is the
    order that paths in [`validate`][kgru_relations.dataset.Dataset.validate] refer to
    (``$.tenures[3]``). Two datasets are equal when they hold the same
    entities, whatever their order.

    Building never fails on how entities fit together: call
    [`validate`][kgru_relations.dataset.Dataset.validate] (or
    [`ensure_valid`][kgru_relations.dataset.Dataset.ensure_valid]) for the integrity
    errors, and [`check`][kgru_relations.dataset.Dataset.check] for the findings.

    Args:
        entities: The entities; each an instance of one of the model classes.

    Raises:
        TypeError: If an item is not a model entity.
    """

    __slots__ = ("_by_id", "_collections", "_indexes", "_timeline_cache")

    def __init__(self, entities: Iterable[Entity] = ()) -> None:
        collections: dict[type[Entity], list[Entity]] = {cls: [] for cls in ENTITY_CLASSES}
        by_id: dict[str, Entity] = {}
        for entity in entities:
            bucket = collections.get(type(entity))
            if bucket is None:
                bucket = next(
                    (items for cls, items in collections.items() if isinstance(entity, cls)), None
                )
            if bucket is None:
                msg = f"a Dataset holds model entities, not {type(entity).__name__}"
                raise TypeError(msg)
            bucket.append(entity)
            by_id.setdefault(entity.id, entity)
        self._collections: dict[type[Entity], tuple[Entity, ...]] = {
            cls: tuple(items) for cls, items in collections.items()
        }
        self._by_id = by_id
        self._indexes: _Indexes | None = None
        self._timeline_cache: _Timeline | None = None

    def merge(self, other: Iterable[Entity]) -> Dataset:
        """Join *other* (a dataset or its entities, such as an import) with this one.

        Nothing of this dataset is replaced and nothing of *other* is lost:

        * a state, organisation, person or position with the same Wikidata id
          as one of ours (a state: or the same country code) is that one; its
          names and sources are added to ours and the records that name it
          are redirected. Never by name.
        * a record equal to ours is dropped; one that differs only in its
          sources adds them to ours; a field we leave empty is filled.
        * anything that disagrees with ours (and a tenure of the same person
          in the same position, or a membership or chairmanship of the same
          state in the same organisation, whose period may meet ours) is kept
          beside ours as a second account (``variant_of``), under its own id
          or, if that is ours, the id with ``-2`` added;
          [`check`][kgru_relations.dataset.Dataset.check] reports each such
          disagreement (``sources-disagree``) with both sources.
        * a source or indicator with one of our ids but other content is kept
          under a new id, and their records cite it.

        Args:
            other: The entities to join, such as a [`Dataset`][kgru_relations.Dataset]
                or an import's ``entities``.

        Returns:
            A new dataset; this one is unchanged.

        Raises:
            ValidationError: If a state of *other* disagrees with ours (a state
                has one record, by its country code, so both cannot be kept);
                one issue per such state, at its place in *other* (``$[3]``).

        Examples:
            >>> from kgru_relations import Dataset, Name, Person, Source
            >>> ours = Dataset([Source(id="source:a", title="A"),
            ...     Person(id="person:vladimir-putin", names=[Name("Vladimir Putin")],
            ...            wikidata="Q7747", sources=["source:a"])])
            >>> imported = Dataset([Source(id="source:wd", title="Wikidata"),
            ...     Person(id="person:q7747", names=[Name("Владимир Путин", language="ru")],
            ...            wikidata="Q7747", sources=["source:wd"])])
            >>> merged = ours.merge(imported)
            >>> [name.text for name in merged.get("person:vladimir-putin", Person).names]
            ['Vladimir Putin', 'Владимир Путин']
            >>> "person:q7747" in merged
            False
        """
        from kgru_relations._merge import merge  # noqa: PLC0415 - the module imports this one

        return Dataset(merge(self, other))

    @staticmethod
    def builder() -> DatasetBuilder:
        """Return a builder to add entities to one at a time, then build the dataset."""
        return DatasetBuilder()

    # --- access ---------------------------------------------------------------

    def all(self, kind: type[E]) -> tuple[E, ...]:
        """Every entity of one kind, in the order given: ``dataset.all(Person)``."""
        return self._collections[kind]  # type: ignore[return-value]

    def __iter__(self) -> Iterator[Entity]:
        """Every entity, kind by kind (sources first), each kind in the order given."""
        for items in self._collections.values():
            yield from items

    def __len__(self) -> int:
        """The number of entities."""
        return sum(len(items) for items in self._collections.values())

    def __contains__(self, entity_id: object) -> bool:
        """Whether an entity has this id."""
        return entity_id in self._by_id

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return all(
            Counter(self._collections[cls]) == Counter(other._collections[cls])
            for cls in ENTITY_CLASSES
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        counts = ", ".join(
            f"{len(items)} {cls.COLLECTION}" for cls, items in self._collections.items() if items
        )
        return f"<Dataset: {counts or 'empty'}>"

    @overload
    def get(self, entity_id: str) -> Entity: ...
    @overload
    def get(self, entity_id: str, kind: type[E]) -> E: ...

    def get(self, entity_id: str, kind: type[Entity] | None = None) -> Entity:
        """Return the entity with this id, checking its kind if *kind* is given.

        Args:
            entity_id: The id (``person:sergey-lavrov``).
            kind: The class the entity must be; the return type follows it.

        Raises:
            KeyError: If no entity has this id; given *kind*, the message
                suggests the id meant where one is close.
            TypeError: If it is not of *kind*.
        """
        if kind is not None and kind.KIND:
            return self._known(entity_id, kind)
        entity = self._by_id.get(entity_id)
        if entity is None:
            raise KeyError(f"no entity with id {_shown_id(entity_id)}")
        if kind is not None and not isinstance(entity, kind):
            msg = f"{entity_id!r} is a {entity.KIND}, not a {kind.__name__}"
            raise TypeError(msg)
        return entity

    def _known(self, entity_id: str, *kinds: type[Entity]) -> Entity:
        """The entity a query names, which must be of one of *kinds*.

        Raises:
            KeyError: If no entity has the id; the message suggests the id
                meant where one is close (a missing ``kind:`` prefix, a typo).
            TypeError: If the entity is of another kind.
        """
        entity = self._by_id.get(entity_id)
        if entity is None:
            what = " or ".join(kind.KIND for kind in kinds)
            raise KeyError(
                f"no {what} with id {_shown_id(entity_id)}{self._did_you_mean(entity_id, kinds)}"
            )
        if not isinstance(entity, kinds):
            what = " or ".join(
                f"{'an' if kind.KIND[0] in 'aeiou' else 'a'} {kind.KIND}" for kind in kinds
            )
            msg = f"{entity_id!r} is a {entity.KIND}, not {what}"
            raise TypeError(msg)
        return entity

    def _did_you_mean(self, entity_id: object, kinds: tuple[type[Entity], ...]) -> str:
        if not isinstance(entity_id, str) or len(entity_id) > _SHOWN_ID:
            return ""
        for kind in kinds:
            prefixed = f"{kind.KIND}:{entity_id}"
            if isinstance(self._by_id.get(prefixed), kind):
                return f"; did you mean {prefixed!r}?"
        # Compare slugs, not whole ids: a shared "organization:" says nothing.
        prefix, _, slug = entity_id.rpartition(":")
        by_slug = {
            entity.id.partition(":")[2]: entity.id
            for cls in kinds
            if prefix in ("", cls.KIND)
            for entity in self.all(cls)
        }
        close = difflib.get_close_matches(slug, list(by_slug), n=1, cutoff=0.7)
        return f"; did you mean {by_slug[close[0]]!r}?" if close else ""

    @property
    def _index(self) -> _Indexes:
        if self._indexes is None:
            self._indexes = _Indexes(self)
        return self._indexes

    # --- integrity ------------------------------------------------------------

    def validate(self) -> IssueList:
        """Return every integrity problem, each with its path (an empty list when valid).

        Reported: duplicate ids; references to no entity, or to an entity of
        the wrong kind; negative values of indicators that do not allow a
        balance; observations whose unit does not fit what their indicator
        measures; tenures of a single-holder position that overlap by more
        than the day one hands over to the next; chairmanships of one
        organisation that overlap likewise. A record that overlaps records
        before it (in order of start) is reported once, naming the one of
        them that ends last.

        Dates known only roughly overlap only if they must: a tenure ending in
        "2022-04" and the next starting on 2022-04-22 do not conflict.

        Every check takes time in proportion to the number of records (an
        overlap check, to n·log n), and past
        [`MAX_ISSUES`][kgru_relations.errors.MAX_ISSUES] problems the rest are
        only counted, in the list's ``more``.

        Returns:
            The first ``MAX_ISSUES`` problems, as a list that also says how
            many more were found.
        """
        problems = integrity_problems(self)
        listed = IssueList(problem.issue() for problem in itertools.islice(problems, MAX_ISSUES))
        listed.more = sum(1 for _ in problems)
        return listed

    def ensure_valid(self) -> Dataset:
        """Return this dataset if it is valid.

        Raises:
            ValidationError: With every problem
                [`validate`][kgru_relations.dataset.Dataset.validate] finds (the
                first ``MAX_ISSUES``, and how many more in its ``more``).
        """
        issues = self.validate()
        if issues:
            raise ValidationError(issues, more=issues.more)
        return self

    # --- findings -------------------------------------------------------------

    @property
    def latest_date(self) -> _dt.date | None:
        """The last day any dated fact in the dataset could fall on (the end of its latest date)."""
        return max(self._timeline().latest, default=None)

    def check(self, as_of: _dt.date | None = None) -> list[Finding]:
        """Return the findings a user must see, though they are not errors.

        * ``statement-outside-tenure``: a statement made "as" a position on a
          date when its speaker did not hold it (the date cannot fall in any
          of the speaker's tenures of that position);
        * ``outdated-title``: a source published after the speaker left a
          position reports a statement made "as" that position, and the
          statement is undated (a warning: nothing shows it was made in
          office) or dated before the speaker left (for information: the
          source may be telling the past correctly);
        * ``sources-disagree``: a record that is a second account
          (``variant_of``) of another differs from it; the finding names
          each field they disagree on, with each side's sources;
        * ``observation-discrepancy``: two actual figures of one indicator,
          pair of countries, period and unit, from different sources, that
          cannot both be right given their qualifiers; both are kept, and the
          finding gives the ratio of the larger to the smaller;
        * ``agreement-expired-in-force``: an agreement whose validity ended
          before *as_of* but whose status still says in force.

        Args:
            as_of: The day to judge "ended" against; default: the latest date
                in the dataset, so the answer does not change with the calendar.
        """
        day = as_day(as_of, "as_of") if as_of is not None else self.latest_date
        return findings(self, day)

    def _held(self, person_id: str, position_id: str) -> _Held:
        """The person's tenures of one position."""
        return self._index.held.get((person_id, position_id)) or _NEVER_HELD

    def _label(self, entity_id: str) -> str:
        entity = self._by_id.get(entity_id)
        return entity.label if entity is not None else entity_id

    # --- queries --------------------------------------------------------------

    def find(self, name: str) -> list[Entity]:
        """Find entities by any of their names, or a state by its capital or code.

        Matching ignores case, accents and script, and the usual variants of
        transliteration: "Zhaparov", "Japarov" and "Жапаров" all find both
        Sadyr and Akylbek Japarov, who stay two people. Every word of *name*
        must be a word of one of the entity's names. Entities with a name
        equal to *name* come first, then the rest by id.

        Examples:
            >>> from kgru_relations import Dataset, Name, Person, Source
            >>> people = Dataset([
            ...     Source(id="source:s", title="t"),
            ...     Person(id="person:sadyr-japarov", sources=["source:s"],
            ...            names=[Name("Sadyr Japarov"), Name("Садыр Жапаров")]),
            ...     Person(id="person:akylbek-japarov", sources=["source:s"],
            ...            names=[Name("Akylbek Japarov")]),
            ... ])
            >>> [person.id for person in people.find("Zhaparov")]
            ['person:akylbek-japarov', 'person:sadyr-japarov']
        """
        by_word, by_name = self._index.names
        words = tokens(name)
        # Intersect from the rarest word, so a common word ("person") costs little.
        sets = sorted((by_word.get(word, set()) for word in words), key=len)
        matches = set(sets[0]) if sets else set()
        for others in sets[1:]:
            matches &= others
        # A name with no letters or digits at all ("!!") is found by its exact text.
        exact = by_name.get(fold(name), set()) if words else set()
        exact = (exact & matches) | by_name.get(name.casefold(), set())
        matches |= exact
        if name in self._by_id:
            exact = exact | {name}
            matches.add(name)
        ordered = sorted(exact) + sorted(matches - exact)
        return [self._by_id[entity_id] for entity_id in ordered]

    def holders(self, position_id: str, *, on: _dt.date) -> list[Tenure]:
        """Every tenure of the position that includes *on*, earliest start first.

        A tenure includes the days of its period as dated
        ([`Period.contains`][kgru_relations.dates.Period.contains]): one that ended
        on an unknown day (``2019-01-01/``) is not taken past its start;
        [`possible_holders`][kgru_relations.dataset.Dataset.possible_holders]
        says who may have held it.

        Raises:
            KeyError: If no position has this id (with a did-you-mean).
        """
        day = as_day(on, "on")
        self._known(position_id, Position)
        index = self._index.by_position.get(position_id)
        return [] if index is None else index.at(day)

    def possible_holders(self, position_id: str, *, on: _dt.date) -> list[Tenure]:
        """Every tenure of the position that may include *on*, earliest start first.

        Each of [`holders`][kgru_relations.dataset.Dataset.holders] is one of
        these. A tenure that ended on an unknown day may include every day from
        its start until the next holder's start (the latest day that start
        could be), or every later day if no one came next; one that began on
        an unknown day, every day back to the previous holder's end.
        [`possible_days`][kgru_relations.dataset.Dataset.possible_days] gives
        each tenure's days.

        Raises:
            KeyError: If no position has this id (with a did-you-mean).

        Examples:
            >>> import datetime
            >>> from kgru_relations import Dataset, Name, Person, Position, Source, Tenure, State
            >>> data = Dataset([
            ...     Source(id="source:s", title="t"),
            ...     State(id="state:kg", code="KG", names=[Name("Kyrgyzstan")],
            ...           sources=["source:s"]),
            ...     Position(id="position:p", names=[Name("Minister")], kind="minister",
            ...              organization="state:kg", sources=["source:s"]),
            ...     Person(id="person:a", names=[Name("A")], sources=["source:s"]),
            ...     Person(id="person:b", names=[Name("B")], sources=["source:s"]),
            ...     Tenure(id="tenure:a", person="person:a", position="position:p",
            ...            period="2019-01-01/", sources=["source:s"]),
            ...     Tenure(id="tenure:b", person="person:b", position="position:p",
            ...            period="2021-05-01/..", sources=["source:s"]),
            ... ])
            >>> day = datetime.date(2020, 6, 1)
            >>> data.holders("position:p", on=day)
            []
            >>> [t.id for t in data.possible_holders("position:p", on=day)]
            ['tenure:a']
            >>> [t.id for t in data.possible_holders("position:p", on=datetime.date(2022, 1, 1))]
            ['tenure:b']
        """
        day = as_day(on, "on")
        self._known(position_id, Position)
        index = self._index.possible[0].get(position_id)
        return [] if index is None else index.possibly_at(day)

    def possible_days(self, tenure: Tenure) -> tuple[_dt.date | None, _dt.date | None]:
        """The first and last day *tenure* may cover (``None`` where unbounded).

        A dated side gives the widest day it could be (``2019`` starts on
        1 January 2019 at the earliest); an open side is ``None``; an unknown
        end reaches the next holder's start, as for
        [`possible_holders`][kgru_relations.dataset.Dataset.possible_holders],
        or is ``None`` if no one came next.

        Raises:
            KeyError: If *tenure* is not in this dataset.
        """
        held = self._by_id.get(tenure.id)
        if held != tenure:
            msg = f"tenure {_shown_id(tenure.id)} is not in this dataset"
            raise KeyError(msg)
        first, last = self._index.possible[1][id(held)]
        return (
            None if first == _dt.date.min else first,
            None if last == _dt.date.max else last,
        )

    def holder(self, position_id: str, *, on: _dt.date) -> Person | None:
        """The person holding the position on *on*, or ``None``.

        On a handover day, when one tenure ends and the next begins, the
        incoming holder is returned; [`holders`][kgru_relations.dataset.Dataset.holders]
        gives both.

        Raises:
            KeyError: If no position has this id (with a did-you-mean).
        """
        tenures = self.holders(position_id, on=on)
        if not tenures:
            return None
        person = self._by_id.get(tenures[-1].person)
        return person if isinstance(person, Person) else None

    def positions_of(self, person_id: str, *, on: _dt.date) -> list[Position]:
        """The positions the person held on *on*.

        Raises:
            KeyError: If no person has this id (with a did-you-mean).
        """
        day = as_day(on, "on")
        self._known(person_id, Person)
        index = self._index.by_person.get(person_id)
        if index is None:
            return []
        found = [self._by_id.get(tenure.position) for tenure in index.at(day)]
        return [position for position in found if isinstance(position, Position)]

    def tenures_of(self, person_id: str) -> list[Tenure]:
        """Every tenure of the person, earliest start first.

        Raises:
            KeyError: If no person has this id (with a did-you-mean).
        """
        self._known(person_id, Person)
        index = self._index.by_person.get(person_id)
        return [] if index is None else index.items()

    def office_holders(
        self, owner_id: str, kind: PositionKind | str, *, on: _dt.date
    ) -> list[Tenure]:
        """Who held the offices of one kind that a state or organisation has, on *on*.

        A state's offices are its own positions and those of its national
        bodies: the foreign ministry's minister is the state's foreign
        minister. The tenures come earliest start first, so the last is the
        incoming holder on a handover day.

        Args:
            owner_id: A state or organisation.
            kind: The kind of office (``head_of_state``), as the member or its value.
            on: The day.

        Raises:
            KeyError: If no state or organisation has this id (with a did-you-mean).
            ValidationError: If *kind* is not a kind of position.

        Examples:
            >>> import datetime
            >>> from kgru_relations import load_default
            >>> kg = load_default()
            >>> [t.person for t in kg.office_holders("state:kg", "head_of_state",
            ...                                      on=datetime.date(2025, 1, 22))]
            ['person:sadyr-japarov']
        """
        day = as_day(on, "on")
        self._known(owner_id, State, Organization)
        kind = _option(kind, PositionKind, "kind")
        tenures = [
            tenure
            for position in self._index.offices.get((owner_id, kind), ())
            for tenure in self.holders(position.id, on=day)
        ]
        return sorted(tenures, key=lambda tenure: tenure.period.earliest or _dt.date.min)

    def membership_statuses(
        self, organization_id: str, *, on: _dt.date
    ) -> dict[str, MembershipStatus]:
        """Each member state of the organisation on *on*, by id, with its status that day.

        Raises:
            KeyError: If no organisation has this id (with a did-you-mean).
        """
        day = as_day(on, "on")
        self._known(organization_id, Organization)
        index = self._index.members.get(organization_id)
        found: dict[str, MembershipStatus] = {}
        for membership in [] if index is None else index.at(day):
            status = membership.status_on(day)
            if status is not None:
                found[membership.state] = status
        return found

    def members(
        self,
        organization_id: str,
        *,
        on: _dt.date,
        status: MembershipStatus | str | None = None,
    ) -> list[State]:
        """The states that belonged to the organisation on *on*, by id.

        Args:
            organization_id: The organisation.
            on: The day.
            status: Only members with this status that day (``suspended``, as
                the member or its value); default: every member, whatever its
                status.

        Raises:
            KeyError: If no organisation has this id (with a did-you-mean).
            ValidationError: If *status* is not a membership status.
        """
        day = as_day(on, "on")
        self._known(organization_id, Organization)
        if status is not None:
            status = _option(status, MembershipStatus, "status")
        index = self._index.members.get(organization_id)
        if index is None:
            return []
        states = []
        for membership in index.at(day):
            if status is not None and membership.status_on(day) is not status:
                continue
            state = self._by_id.get(membership.state)
            if isinstance(state, State):
                states.append(state)
        return sorted(states, key=lambda state: state.id)

    def chair(self, organization_id: str, *, on: _dt.date) -> State | None:
        """The state chairing the organisation on *on*, or ``None``.

        Raises:
            KeyError: If no organisation has this id (with a did-you-mean).
        """
        day = as_day(on, "on")
        self._known(organization_id, Organization)
        index = self._index.chairs.get(organization_id)
        chairs = [] if index is None else index.at(day)
        if not chairs:
            return None
        state = self._by_id.get(chairs[-1].state)
        return state if isinstance(state, State) else None

    def agreements(
        self,
        *,
        party: str | None = None,
        kind: AgreementKind | str | None = None,
        status: AgreementStatus | str | None = None,
        in_force_on: _dt.date | None = None,
    ) -> list[Agreement]:
        """The agreements that match every filter given, by signing date then id.

        Args:
            party: Only those this state or organisation is a party to.
            kind: Only this kind (the member or its value, ``"treaty"``).
            status: Only this status (the member or its value, ``"in_force"``).
            in_force_on: Only those in force on this day (see
                [`Agreement.in_force_on`][kgru_relations.model.agreements.Agreement.in_force_on]).

        Raises:
            KeyError: If no state or organisation has the id *party* (with a
                did-you-mean).
            ValidationError: If *kind* or *status* is not one of its values.
        """
        day = as_day(in_force_on, "in_force_on") if in_force_on is not None else None
        if party is not None:
            self._known(party, State, Organization)
        if kind is not None:
            kind = _option(kind, AgreementKind, "kind")
        if status is not None:
            status = _option(status, AgreementStatus, "status")
        index = self._index
        # Start from the shortest list a filter gives by a lookup, then apply every filter.
        choices: list[Sequence[Agreement]] = []
        if party is not None:
            choices.append(index.agreements_by_party.get(party, []))
        if kind is not None:
            choices.append(index.agreements_by_kind.get(kind, []))
        if status is not None:
            choices.append(index.agreements_by_status.get(status, []))
        if not choices:
            choices.append(
                self.all(Agreement) if day is None else index.agreements_in_force.at(day)
            )
        candidates = min(choices, key=len)
        chosen = [
            agreement
            for agreement in candidates
            if (kind is None or agreement.kind is kind)
            and (status is None or agreement.status is status)
            and (day is None or _window_contains(index.in_force_windows.get(agreement.id), day))
        ]
        return sorted(
            chosen,
            key=lambda a: (
                a.signed is not None,
                a.signed.earliest if a.signed else _dt.date.min,
                a.id,
            ),
        )

    def series(
        self,
        indicator: str,
        reporter: str,
        partner: str | None = None,
        *,
        kind: ObservationKind | str = ObservationKind.ACTUAL,
    ) -> list[Observation]:
        """The observations of one indicator for one reporter (and partner), ordered by period.

        Args:
            indicator: The indicator's id.
            reporter: The reporting country's code (alpha-2, alpha-3 or numeric).
            partner: The partner's code; ``None`` for figures with no partner.
            kind: Actual figures by default; or targets, estimates, forecasts,
                planned figures (the member or its value, ``"target"``).

        Raises:
            KeyError: If no indicator has this id (with a did-you-mean).
            ValidationError: If a code is not an ISO 3166-1 country code, or
                *kind* is not a kind of observation.
        """
        self._known(indicator, Indicator)
        key = (
            indicator,
            country_code(reporter),
            None if partner is None else country_code(partner),
            _option(kind, ObservationKind, "kind"),
        )
        return list(self._index.series.get(key, ()))

    def _actuals(self, target: Observation) -> list[Observation]:
        """The actual figures *target* is measured against, ordered by period."""
        key = (target.indicator, target.reporter, target.partner, ObservationKind.ACTUAL)
        return [
            observation
            for observation in self._index.series.get(key, ())
            if observation.unit == target.unit and observation.period is not None
        ]

    def progress(self, target: Observation) -> Progress:
        """How far the latest actual figure has come towards *target*.

        The latest actual figure is the one with the latest period among
        actual observations of the same indicator, reporter, partner and unit.

        Raises:
            ValueError: If *target* is not a target.
        """
        if target.kind is not ObservationKind.TARGET:
            msg = f"{target.id!r} is not a target: its kind is {target.kind.value!r}"
            raise ValueError(msg)
        actuals = self._actuals(target)
        if not actuals:
            return Progress(target=target, actual=None, share=None)
        actual = actuals[-1]
        share = actual.value / target.value if target.value else None
        return Progress(target=target, actual=actual, share=share)

    def anniversaries(self, year: int) -> list[Anniversary]:
        """Round anniversaries (every fifth year) of signings and foundings in *year*, by date."""
        if isinstance(year, bool) or not isinstance(year, int):
            msg = f"year must be an int, got {year!r}"
            raise TypeError(msg)
        if not 1 <= year <= 9999:
            return []
        cache = self._index.anniversaries
        if year not in cache:
            dated = self._index.dated
            found = [
                Anniversary(
                    entity=entity.id,
                    label=entity.label,
                    event=event,
                    original=original,
                    years=years,
                    date=_same_day_in(original, year),
                )
                for years in range(_ROUND_EVERY, year, _ROUND_EVERY)
                for entity, event, original in dated.get(year - years, ())
            ]
            # Dates compare as (earliest, latest), the order PartialDate defines, but faster.
            found.sort(key=lambda a: (a.date.earliest, a.date.latest, a.entity))
            cache[year] = tuple(found)
        return list(cache[year])

    def timeline(
        self, start: _dt.date | None = None, end: _dt.date | None = None
    ) -> list[TimelineEntry]:
        """Every dated fact in date order; with *start* or *end*, those that may fall between.

        Entries are ordered by their date (the first day it could be, then
        the last), then by entity id; one entity's facts on one date come in
        the order they happen (an agreement is signed, then enters into
        force). The first call builds the timeline; later calls cost a few
        bisections and list slices, and each entry's text is written when it
        is first read.

        Raises:
            ValueError: If *end* is before *start*.
        """
        low = as_day(start, "start") if start is not None else None
        high = as_day(end, "end") if end is not None else None
        if low is not None and high is not None and high < low:
            msg = f"the end {high} is before the start {low}"
            raise ValueError(msg)
        timeline = self._timeline()
        entries, earliest, latest = timeline.entries, timeline.earliest, timeline.latest
        last = len(entries) if high is None else bisect.bisect_right(earliest, high)
        if low is None:
            return entries[:last]
        # Every entry from `low` on (to `high`) may fall in the window; of those
        # before it, only an entry whose year, quarter or month holds `low` may,
        # and those begin on that unit's first day. Entries that begin on one
        # day are in order of their last day, so each unit's share is a slice:
        # the answer is a few slices of the sorted list, however long it is.
        found: list[TimelineEntry] = []
        quarter_month = 3 * ((low.month - 1) // 3) + 1
        for unit_start in sorted(
            {_dt.date(low.year, 1, 1), _dt.date(low.year, quarter_month, 1), low.replace(day=1)}
        ):
            if unit_start >= low:
                continue
            first = bisect.bisect_left(earliest, unit_start)
            stop = bisect.bisect_right(earliest, unit_start, first)
            found += entries[bisect.bisect_left(latest, low, first, stop) : stop]
        found += entries[bisect.bisect_left(earliest, low) : last]
        return found

    def _timeline(self) -> _Timeline:
        if self._timeline_cache is None:
            with paused():
                self._timeline_cache = self._timeline_entries()
        return self._timeline_cache

    def _timeline_entries(self) -> _Timeline:
        """Every dated fact, sorted; the text of each is written when it is first read."""
        facts: list[tuple[_dt.date, _dt.date, str, int, PartialDate, Callable[[], str]]] = []
        label = functools.cache(self._label)
        partial = functools.partial

        def add(
            date: PartialDate | Unknown | None, entity: Entity, describe: Callable[[], str]
        ) -> None:
            if isinstance(date, PartialDate):  # an open or unknown side is on no day
                # One day, one entity: in the order the facts are added here (joins,
                # then a change of status; is signed, then enters into force).
                facts.append((date.earliest, date.latest, entity.id, len(facts), date, describe))

        for tenure in self.all(Tenure):
            add(tenure.period.start, tenure, partial(_took_office, tenure, label))
            add(tenure.period.end, tenure, partial(_left_office, tenure, label))
        for membership in self.all(Membership):
            add(membership.period.start, membership, partial(_joins, membership, label))
            for change in membership.changes:
                text = partial(_status_change, membership, change.status, label)
                add(change.since, membership, text)
            add(membership.period.end, membership, partial(_leaves, membership, label))
        for chair in self.all(Chairmanship):
            add(chair.period.start, chair, partial(_takes_chair, chair, label))
        for body in self.all(Organization):
            add(body.founded, body, partial(_said, body, "is founded"))
            add(body.dissolved, body, partial(_said, body, "is dissolved"))
        for agreement in self.all(Agreement):
            verb = "is to be signed" if agreement.status is AgreementStatus.PLANNED else "is signed"
            add(agreement.signed, agreement, partial(_said, agreement, verb))
            add(agreement.in_force, agreement, partial(_said, agreement, "enters into force"))
        for event in self.all(Event):
            add(event.date, event, partial(_event_text, event))
        for statement in self.all(Statement):
            add(statement.date, statement, partial(_statement_text, statement, label))
        for observation in self.all(Observation):
            add(observation.period, observation, partial(_observation_text, observation, label))
        facts.sort()  # the fourth item is unique: tuples never compare past it
        lazy = TimelineEntry._lazy
        return _Timeline(
            [lazy(fact[4], fact[2], fact[5]) for fact in facts],
            [fact[0] for fact in facts],
            [fact[1] for fact in facts],
        )


class _Timeline(NamedTuple):
    """The timeline, sorted, with each entry's first and last possible day beside it."""

    entries: list[TimelineEntry]
    earliest: list[_dt.date]
    latest: list[_dt.date]


_Label: TypeAlias = Callable[[str], str]


def _took_office(tenure: Tenure, label: _Label) -> str:
    acting = "acting " if tenure.acting else ""
    return f"{label(tenure.person)} becomes {acting}{label(tenure.position)}"


def _left_office(tenure: Tenure, label: _Label) -> str:
    person, position = label(tenure.person), label(tenure.position)
    if tenure.acting:
        return f"{person}'s acting term as {position} ends"
    return f"{person} leaves office as {position}"


def _joins(membership: Membership, label: _Label) -> str:
    return f"{label(membership.state)} joins {label(membership.organization)}"


def _leaves(membership: Membership, label: _Label) -> str:
    return f"{label(membership.state)} leaves {label(membership.organization)}"


def _status_change(membership: Membership, status: MembershipStatus, label: _Label) -> str:
    return f"{label(membership.state)} is {status.value} in {label(membership.organization)}"


def _takes_chair(chair: Chairmanship, label: _Label) -> str:
    return f"{label(chair.state)} takes the chair of {label(chair.organization)}"


def _said(entity: Entity, what: str) -> str:
    return f"{entity.label} {what}"


def _event_text(event: Event) -> str:
    return f"{event.label} ({event.status.value})"


def _statement_text(statement: Statement, label: _Label) -> str:
    return f"{label(statement.speaker)}: {statement.label}"


def _observation_text(observation: Observation, label: _Label) -> str:
    return (
        f"{label(observation.indicator)}: {observation.label} "
        f"({observation.kind.value}, reported by {observation.reporter})"
    )


class DatasetBuilder:
    """Collects entities, then builds an immutable [`Dataset`][kgru_relations.Dataset].

    Examples:
        >>> from kgru_relations import Dataset, Source
        >>> builder = Dataset.builder()
        >>> builder.add(Source(id="source:a", title="A"), Source(id="source:b", title="B"))
        >>> len(builder.build())
        2
    """

    __slots__ = ("_entities",)

    def __init__(self) -> None:
        self._entities: list[Entity] = []

    def add(self, *entities: Entity) -> None:
        """Add entities."""
        self._entities.extend(entities)

    def extend(self, entities: Iterable[Entity]) -> None:
        """Add every entity from an iterable."""
        self._entities.extend(entities)

    def build(self) -> Dataset:
        """Return a Dataset of everything added so far (the builder can go on)."""
        return Dataset(self._entities)
