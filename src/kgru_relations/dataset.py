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
from typing import Any, Final, Generic, NamedTuple, Protocol, TypeVar, overload

import attrs

from kgru_relations._search import fold, tokens
from kgru_relations.codes import country_code
from kgru_relations.dates import PartialDate, Period
from kgru_relations.errors import MAX_ISSUES, Issue, ValidationError
from kgru_relations.model import (
    ENTITY_CLASSES,
    Agreement,
    AgreementKind,
    AgreementStatus,
    Chairmanship,
    Entity,
    Event,
    Fact,
    Indicator,
    Membership,
    MembershipStatus,
    Observation,
    ObservationKind,
    Organization,
    Person,
    Position,
    Qualifier,
    Source,
    State,
    Statement,
    Tenure,
    kind_of,
)
from kgru_relations.model._base import choice, iter_references
from kgru_relations.names import Name

__all__ = [
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

APPROXIMATE_TOLERANCE: Final = Decimal("0.05")
"""How far (as a share of the value) a figure "approximately" X may be from X."""
_ROUND_EVERY: Final = 5
_YEAR: Final = _dt.timedelta(days=366)


class Severity(enum.Enum):
    """How much a [`Finding`][kgru_relations.Finding] matters."""

    INFO = "info"
    """Worth knowing; nothing is wrong."""
    WARNING = "warning"
    """The data may be wrong, or its sources disagree; look at it."""


@attrs.frozen(kw_only=True)
class Finding:
    """Something about the data a user must see, though it is not an error.

    Attributes:
        code: A stable name for the kind of finding (``statement-outside-tenure``).
        severity: How much it matters.
        message: A sentence saying what was found.
        ids: The ids of the entities involved.
    """

    code: str
    severity: Severity
    message: str
    ids: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.severity.value}: {self.message}"


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


@attrs.frozen(kw_only=True, order=False)
class TimelineEntry:
    """One dated fact on a timeline.

    Attributes:
        date: When.
        entity: The id of the entity the fact belongs to.
        what: What happened, in a few words (``took office``, ``signed``).
    """

    date: PartialDate
    entity: str
    what: str

    def __str__(self) -> str:
        return f"{self.date}  {self.what} ({self.entity})"


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


class _Problem(NamedTuple):
    """One integrity problem, by its place in the dataset; its Issue is built only when listed."""

    collection: str
    row: int
    keys: tuple[str | int, ...]
    message: str | Callable[[], str]

    def issue(self) -> Issue:
        message = self.message if isinstance(self.message, str) else self.message()
        return Issue("$", message).under(self.collection, self.row, *self.keys)


class _IntervalIndex(Generic[T]):
    """Items with periods, answering "which contain this day?" with a bisect and a short scan."""

    __slots__ = ("_ends", "_items", "_starts")

    def __init__(self, pairs: Iterable[tuple[Period, T]]) -> None:
        ordered = sorted(pairs, key=lambda pair: pair[0].earliest or _dt.date.min)
        self._starts = [period.earliest or _dt.date.min for period, _ in ordered]
        self._items = ordered
        # _ends[i]: the latest end among items[0..i], so a backwards scan can stop.
        self._ends: list[_dt.date] = []
        latest = _dt.date.min
        for period, _ in ordered:
            latest = max(latest, period.latest or _dt.date.max)
            self._ends.append(latest)

    def at(self, day: _dt.date) -> list[T]:
        """Return the items whose period contains *day*, in order of start."""
        found: list[T] = []
        index = bisect.bisect_right(self._starts, day) - 1
        while index >= 0 and self._ends[index] >= day:
            period, item = self._items[index]
            if period.contains(day):
                found.append(item)
            index -= 1
        found.reverse()
        return found

    def items(self) -> list[T]:
        """Every item, in order of start."""
        return [item for _, item in self._items]

    def may_meet(self, span: Period) -> bool:
        """Whether some item's period may share a day with *span* (``Period.overlaps``)."""
        index = bisect.bisect_right(self._starts, span.latest or _dt.date.max) - 1
        return index >= 0 and self._ends[index] >= (span.earliest or _dt.date.min)


class _Held:
    """One person's tenures of one position, for the statement findings."""

    __slots__ = ("_ended", "_last_days", "spells")

    def __init__(self, tenures: Iterable[Tenure]) -> None:
        self.spells = _IntervalIndex((tenure.period, tenure) for tenure in tenures)
        ordered = self.spells.items()
        # Those that ended, by their last possible day, then in order of start.
        self._ended = sorted(
            (
                (tenure.period.end.latest, index, tenure)
                for index, tenure in enumerate(ordered)
                if tenure.period.end is not None
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


def _as_day(value: _dt.date) -> _dt.date:
    return value.date() if isinstance(value, _dt.datetime) else value


def _check_day(value: object, name: str) -> _dt.date:
    if not isinstance(value, _dt.date):
        msg = f"{name} must be a datetime.date, got {value!r}"
        raise TypeError(msg)
    return _as_day(value)


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


def _bounds(observation: Observation) -> tuple[Decimal | None, Decimal | None, bool, bool]:
    """(low, high, low inclusive, high inclusive) of the values *observation* allows."""
    value = observation.value
    qualifier = observation.qualifier
    if qualifier is Qualifier.EXACT:
        return value, value, True, True
    if qualifier is Qualifier.APPROXIMATELY:
        spread = abs(value) * APPROXIMATE_TOLERANCE
        return value - spread, value + spread, True, True
    if qualifier is Qualifier.MORE_THAN:
        return value, None, False, True
    if qualifier is Qualifier.AT_LEAST:
        return value, None, True, True
    if qualifier is Qualifier.LESS_THAN:
        return None, value, True, False
    return None, value, True, True


def _compatible(a: Observation, b: Observation) -> bool:
    """Whether some single true value could satisfy both figures with their qualifiers."""
    a_low, a_high, a_low_in, a_high_in = _bounds(a)
    b_low, b_high, b_low_in, b_high_in = _bounds(b)
    # The two ranges meet unless one lies wholly above the other.
    pairs = ((a_low, a_low_in, b_high, b_high_in), (b_low, b_low_in, a_high, a_high_in))
    for low, low_in, high, high_in in pairs:
        if low is None or high is None:
            continue
        if low > high or (low == high and not (low_in and high_in)):
            return False
    return True


def _low_key(bounds: tuple[Decimal | None, Decimal | None, bool, bool]) -> tuple[Any, ...]:
    """Orders lower bounds: none first, then by value, "at least" before "more than"."""
    low, _, low_in, _ = bounds
    return (0,) if low is None else (1, low, not low_in)


def _high_rank(bounds: tuple[Decimal | None, Decimal | None, bool, bool]) -> tuple[Any, ...]:
    """Ranks upper bounds, the lowest greatest: "less than" before "at most", none last."""
    _, high, _, high_in = bounds
    return (-1,) if high is None else (0, -high, not high_in)


def _discrepancies(group: list[Observation]) -> Iterator[tuple[Observation, Observation]]:
    """Yield (earlier, later) once for each figure that cannot be right with one before it.

    Figures are swept in order of the lowest value each allows. A figure
    cannot be right with an earlier one only if it lies wholly above it, so it
    is enough to compare it with the earlier figure whose highest allowed value
    is lowest (and, where that one comes from the same sources, the lowest
    among the rest). n·log n for the sort, then one pass; the pair is given in
    the order the figures were listed.
    """
    order = {id(observation): index for index, observation in enumerate(group)}
    swept = sorted(group, key=lambda o: (_low_key(_bounds(o)), order[id(o)]))
    lowest = _TopTwo[Observation]()  # ranked by upper bound, the lowest first
    for observation in swept:
        sources = frozenset(observation.sources)
        found = lowest.other_than(sources)
        if found is not None and not _compatible(found[1], observation):
            first, second = sorted((found[1], observation), key=lambda o: order[id(o)])
            yield first, second
        lowest.add(_high_rank(_bounds(observation)), sources, observation)


def _interval_indexes(pairs: Iterable[tuple[str, Period, T]]) -> dict[str, _IntervalIndex[T]]:
    """Group (key, period, item) triples by key into one interval index per key."""
    groups: dict[str, list[tuple[Period, T]]] = defaultdict(list)
    for key, period, item in pairs:
        groups[key].append((period, item))
    return {key: _IntervalIndex(items) for key, items in groups.items()}


class _Indexes:
    """The lookup structures the queries use; each built once, when first needed."""

    def __init__(self, dataset: Dataset) -> None:
        self._dataset = dataset

    @functools.cached_property
    def by_position(self) -> dict[str, _IntervalIndex[Tenure]]:
        return _interval_indexes((t.position, t.period, t) for t in self._dataset.all(Tenure))

    @functools.cached_property
    def by_person(self) -> dict[str, _IntervalIndex[Tenure]]:
        return _interval_indexes((t.person, t.period, t) for t in self._dataset.all(Tenure))

    @functools.cached_property
    def held(self) -> dict[tuple[str, str], _Held]:
        """Each person's tenures of each position."""
        groups: dict[tuple[str, str], list[Tenure]] = defaultdict(list)
        for tenure in self._dataset.all(Tenure):
            groups[(tenure.person, tenure.position)].append(tenure)
        return {key: _Held(tenures) for key, tenures in groups.items()}

    @functools.cached_property
    def members(self) -> dict[str, _IntervalIndex[Membership]]:
        return _interval_indexes(
            (m.organization, m.period, m) for m in self._dataset.all(Membership)
        )

    @functools.cached_property
    def chairs(self) -> dict[str, _IntervalIndex[Chairmanship]]:
        return _interval_indexes(
            (c.organization, c.period, c) for c in self._dataset.all(Chairmanship)
        )

    @functools.cached_property
    def agreements_by_party(self) -> dict[str, list[Agreement]]:
        found: dict[str, list[Agreement]] = defaultdict(list)
        for agreement in self._dataset.all(Agreement):
            for party in agreement.parties:
                found[party].append(agreement)
        return found

    @functools.cached_property
    def agreements_by_kind(self) -> dict[AgreementKind, list[Agreement]]:
        found: dict[AgreementKind, list[Agreement]] = defaultdict(list)
        for agreement in self._dataset.all(Agreement):
            found[agreement.kind].append(agreement)
        return found

    @functools.cached_property
    def agreements_by_status(self) -> dict[AgreementStatus, list[Agreement]]:
        found: dict[AgreementStatus, list[Agreement]] = defaultdict(list)
        for agreement in self._dataset.all(Agreement):
            found[agreement.status].append(agreement)
        return found

    @functools.cached_property
    def in_force_windows(self) -> dict[str, Period]:
        """Each agreement's in-force window, for those that were ever in force."""
        windows = ((a.id, a.in_force_window) for a in self._dataset.all(Agreement))
        return {key: window for key, window in windows if window is not None}

    @functools.cached_property
    def agreements_in_force(self) -> _IntervalIndex[Agreement]:
        windows = self.in_force_windows
        return _IntervalIndex(
            (windows[a.id], a) for a in self._dataset.all(Agreement) if a.id in windows
        )

    @functools.cached_property
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

    @functools.cached_property
    def anniversaries(self) -> dict[int, tuple[Anniversary, ...]]:
        """Each year's answer, kept once asked: the dataset cannot change."""
        return {}

    @functools.cached_property
    def series(self) -> dict[tuple[str, str, str | None, ObservationKind], list[Observation]]:
        found: dict[tuple[str, str, str | None, ObservationKind], list[Observation]] = defaultdict(
            list
        )
        for o in self._dataset.all(Observation):
            found[(o.indicator, o.reporter, o.partner, o.kind)].append(o)
        for values in found.values():
            values.sort(key=_period_key)
        return found

    @functools.cached_property
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


def reference_problem(target: str, kinds: tuple[str, ...], found: str | None) -> str | None:
    """What is wrong with a reference to *target*, whose kind is *found* (None: no such id).

    Shared by [`Dataset.validate`][kgru_relations.dataset.Dataset.validate] and the
    file loader, which checks records that could not be built the same way.
    """
    if found is None:
        noun = (
            kind_of(target)
            if kind_of(target) in kinds
            else kinds[0]
            if len(kinds) == 1
            else "entity"
        )
        return f"no {noun} with id {target!r}"
    if found not in kinds:
        return f"{target!r} is a {found}, not a {' or '.join(kinds)}"
    return None


def sign_problem(value: Decimal, indicator: object) -> str | None:
    """What is wrong with *value* as a figure of *indicator*, if anything."""
    if value >= 0 or not isinstance(indicator, Indicator) or indicator.allows_negative:
        return None
    return f"must not be negative (got '{value:f}'); {indicator.id!r} does not allow a balance"


def unit_problem(unit: str, indicator: object) -> str | None:
    """What is wrong with *unit* as the unit of a figure of *indicator*, if anything.

    The rule is the indicator's [`Measure`][kgru_relations.model.economy.Measure]
    (none, if it declares none); this adds which indicator says so.
    """
    if not isinstance(indicator, Indicator) or indicator.measure is None:
        return None
    problem = indicator.measure.unit_problem(unit)
    if problem is None:
        return None
    return f"{indicator.id!r} measures {indicator.measure.value}: {problem}"


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
        self._timeline_cache: tuple[list[TimelineEntry], list[_dt.date]] | None = None

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
        problems = self._problems()
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

    def _problems(self) -> Iterator[_Problem]:
        """Every integrity problem, found lazily, so a caller can stop (or only count)."""
        seen: dict[str, str] = {}
        for cls, items in self._collections.items():
            for index, entity in enumerate(items):
                first = seen.get(entity.id)
                if first is not None:
                    yield _Problem(
                        cls.COLLECTION,
                        index,
                        ("id",),
                        f"duplicate id {entity.id!r} (first at {first})",
                    )
                else:
                    seen[entity.id] = f"$.{cls.COLLECTION}[{index}]"
                yield from self._reference_problems(entity, index)
        yield from self._observation_problems()
        yield from self._overlap_problems()
        yield from self._variant_problems()

    def _reference_problems(self, entity: Entity, index: int) -> Iterator[_Problem]:
        for keys, target, kinds in iter_references(entity):
            found = self._by_id.get(target)
            problem = reference_problem(target, kinds, None if found is None else found.KIND)
            if problem is not None:
                yield _Problem(entity.COLLECTION, index, keys, problem)

    def _observation_problems(self) -> Iterator[_Problem]:
        for index, observation in enumerate(self.all(Observation)):
            indicator = self._by_id.get(observation.indicator)
            problem = sign_problem(observation.value, indicator)
            if problem is not None:
                yield _Problem(Observation.COLLECTION, index, ("value",), problem)
            problem = unit_problem(observation.unit, indicator)
            if problem is not None:
                yield _Problem(Observation.COLLECTION, index, ("unit",), problem)

    def _overlap_problems(self) -> Iterator[_Problem]:
        single = {position.id for position in self.all(Position) if position.single_holder}
        tenures = self.all(Tenure)
        chosen = ((i, t) for i, t in enumerate(tenures) if t.position in single)
        for index, other in _certain_overlaps((i, t.position, t) for i, t in chosen):
            yield _Problem(
                Tenure.COLLECTION,
                index,
                ("period",),
                functools.partial(_tenure_overlap, tenures[index], other),
            )
        chairs = self.all(Chairmanship)
        for index, other_chair in _certain_overlaps(
            (i, c.organization, c) for i, c in enumerate(chairs)
        ):
            yield _Problem(
                Chairmanship.COLLECTION,
                index,
                ("period",),
                functools.partial(_chair_overlap, chairs[index], other_chair),
            )

    def _variant_problems(self) -> Iterator[_Problem]:
        for cls, items in self._collections.items():
            for index, entity in enumerate(items):
                if not isinstance(entity, Fact) or entity.variant_of is None:
                    continue
                original = self._by_id.get(entity.variant_of)
                if isinstance(original, Fact) and original.variant_of is not None:
                    yield _Problem(
                        cls.COLLECTION,
                        index,
                        ("variant_of",),
                        f"{entity.variant_of!r} is itself a second account of "
                        f"{original.variant_of!r}; name the first account instead",
                    )

    # --- findings -------------------------------------------------------------

    @property
    def latest_date(self) -> _dt.date | None:
        """The last day any dated fact in the dataset could fall on (the end of its latest date)."""
        entries, _ = self._timeline()
        return max((entry.date.latest for entry in entries), default=None)

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
        day = _check_day(as_of, "as_of") if as_of is not None else self.latest_date
        findings = [
            *self._statement_findings(),
            *self._outdated_title_findings(),
            *self._variant_findings(),
            *self._discrepancy_findings(),
            *self._agreement_findings(day),
        ]
        return findings

    def _held(self, person_id: str, position_id: str) -> _Held:
        """The person's tenures of one position."""
        return self._index.held.get((person_id, position_id)) or _NEVER_HELD

    def _statement_findings(self) -> Iterator[Finding]:
        for statement in self.all(Statement):
            if statement.as_position is None or statement.date is None:
                continue
            held = self._held(statement.speaker, statement.as_position)
            if held.spells.may_meet(Period(statement.date, statement.date)):
                continue
            tenures = held.spells.items()
            speaker = self._label(statement.speaker)
            position = self._label(statement.as_position)
            when = "; ".join(str(tenure.period) for tenure in tenures) or "never, in this dataset"
            yield Finding(
                code="statement-outside-tenure",
                severity=Severity.WARNING,
                message=(
                    f"statement {statement.id!r} ({statement.date}) has {speaker} speaking as "
                    f"{position}, which they held: {when}"
                ),
                ids=(
                    statement.id,
                    statement.speaker,
                    statement.as_position,
                    *(t.id for t in tenures),
                ),
            )

    def _outdated_title_findings(self) -> Iterator[Finding]:
        for statement in self.all(Statement):
            if statement.as_position is None:
                continue
            held = self._held(statement.speaker, statement.as_position)
            for source_id in statement.sources:
                source = self._by_id.get(source_id)
                if not isinstance(source, Source) or source.published is None:
                    continue
                published = source.published
                if held.spells.may_meet(Period(published, published)):
                    continue  # the speaker may still have held it that day
                last = held.last_ended_before(published.earliest)
                if last is None or last.period.end is None:
                    continue  # never held, or not yet: not a title out of date
                left = last.period.end
                if statement.date is not None and statement.date.earliest > left.latest:
                    continue  # made after leaving: statement-outside-tenure says so
                undated = statement.date is None
                yield Finding(
                    code="outdated-title",
                    severity=Severity.WARNING if undated else Severity.INFO,
                    message=(
                        f"source {source.id!r} (published {published}) reports statement "
                        f"{statement.id!r} ({'undated' if undated else statement.date}) by "
                        f"{self._label(statement.speaker)} as "
                        f"{self._label(statement.as_position)}, an office left on {left}"
                    ),
                    ids=(
                        statement.id,
                        source.id,
                        statement.speaker,
                        statement.as_position,
                        last.id,
                    ),
                )

    def _variant_findings(self) -> Iterator[Finding]:
        for items in self._collections.values():
            for variant in items:
                if not isinstance(variant, Fact) or variant.variant_of is None:
                    continue
                original = self._by_id.get(variant.variant_of)
                if type(original) is not type(variant):
                    continue  # validate() reports a reference of the wrong kind
                assert isinstance(original, Fact)
                differences = [
                    f"{name}: {_show(getattr(original, name))} "
                    f"({', '.join(original.sources)}) or {_show(getattr(variant, name))} "
                    f"({', '.join(variant.sources)})"
                    for name in _compared_fields(type(variant))
                    if getattr(original, name) != getattr(variant, name)
                ]
                if differences:
                    yield Finding(
                        code="sources-disagree",
                        severity=Severity.WARNING,
                        message=(
                            f"sources disagree on {original.KIND} {original.id!r}, "
                            f"{'; '.join(differences)}; both accounts are kept"
                        ),
                        ids=(original.id, variant.id),
                    )

    def _discrepancy_findings(self) -> Iterator[Finding]:
        groups: dict[tuple[Any, ...], list[Observation]] = defaultdict(list)
        symmetric = {indicator.id for indicator in self.all(Indicator) if indicator.symmetric}
        for observation in self.all(Observation):
            if observation.kind is not ObservationKind.ACTUAL or observation.period is None:
                continue
            pair: tuple[Any, ...] = (observation.reporter, observation.partner)
            if observation.indicator in symmetric and observation.partner is not None:
                pair = tuple(sorted((observation.reporter, observation.partner)))
            groups[(observation.indicator, pair, observation.period, observation.unit)].append(
                observation
            )
        for group in groups.values():
            for first, second in _discrepancies(group):
                low, high = sorted((first, second), key=lambda o: o.value)
                ratio_text = f"; ratio {_ratio(high.value, low.value)}" if low.value else ""
                yield Finding(
                    code="observation-discrepancy",
                    severity=Severity.WARNING,
                    message=(
                        f"{self._label(first.indicator)} for {first.period}: "
                        f"{low.reporter} reports {low.label} ({', '.join(low.sources)}), "
                        f"{high.reporter} reports {high.label} ({', '.join(high.sources)})"
                        f"{ratio_text}; both are kept"
                    ),
                    ids=(low.id, high.id),
                )

    def _agreement_findings(self, day: _dt.date | None) -> Iterator[Finding]:
        if day is None:
            return
        for agreement in self.all(Agreement):
            if (
                agreement.status is AgreementStatus.IN_FORCE
                and agreement.validity is not None
                and agreement.validity.latest is not None
                and agreement.validity.latest < day
            ):
                yield Finding(
                    code="agreement-expired-in-force",
                    severity=Severity.WARNING,
                    message=(
                        f"{agreement.label} ({agreement.id!r}) was valid until "
                        f"{agreement.validity.end}, but its status says in force on {day}"
                    ),
                    ids=(agreement.id,),
                )

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

        Raises:
            KeyError: If no position has this id (with a did-you-mean).
        """
        day = _check_day(on, "on")
        self._known(position_id, Position)
        index = self._index.by_position.get(position_id)
        return [] if index is None else index.at(day)

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
        day = _check_day(on, "on")
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
        day = _check_day(on, "on")
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
        day = _check_day(on, "on")
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
        day = _check_day(in_force_on, "in_force_on") if in_force_on is not None else None
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
        """Every dated fact in date order; with *start* or *end*, those that may fall between."""
        low = _check_day(start, "start") if start is not None else None
        high = _check_day(end, "end") if end is not None else None
        if low is not None and high is not None and high < low:
            msg = f"the end {high} is before the start {low}"
            raise ValueError(msg)
        entries, earliest = self._timeline()
        # An entry's date spans at most a year, so every entry that may reach
        # past `low` starts no more than a year before it.
        first = 0
        if low is not None and low - _dt.date.min > _YEAR:
            first = bisect.bisect_left(earliest, low - _YEAR)
        last = len(entries) if high is None else bisect.bisect_right(earliest, high)
        return [entry for entry in entries[first:last] if low is None or entry.date.latest >= low]

    def _timeline(self) -> tuple[list[TimelineEntry], list[_dt.date]]:
        if self._timeline_cache is None:
            entries = self._timeline_entries()
            self._timeline_cache = (entries, [entry.date.earliest for entry in entries])
        return self._timeline_cache

    def _timeline_entries(self) -> list[TimelineEntry]:
        entries: list[TimelineEntry] = []

        def add(date: PartialDate | None, entity: Entity, what: str) -> None:
            if date is not None:
                entries.append(TimelineEntry(date=date, entity=entity.id, what=what))

        for tenure in self.all(Tenure):
            person, position = self._label(tenure.person), self._label(tenure.position)
            acting = "acting " if tenure.acting else ""
            add(tenure.period.start, tenure, f"{person} becomes {acting}{position}")
            ends = (
                f"{person}'s acting term as {position} ends"
                if tenure.acting
                else (f"{person} leaves office as {position}")
            )
            add(tenure.period.end, tenure, ends)
        for membership in self.all(Membership):
            state, organization = (
                self._label(membership.state),
                self._label(membership.organization),
            )
            add(membership.period.start, membership, f"{state} joins {organization}")
            add(membership.period.end, membership, f"{state} leaves {organization}")
            for change in membership.changes:
                add(change.since, membership, f"{state} is {change.status.value} in {organization}")
        for chairmanship in self.all(Chairmanship):
            state, organization = (
                self._label(chairmanship.state),
                self._label(chairmanship.organization),
            )
            add(
                chairmanship.period.start,
                chairmanship,
                f"{state} takes the chair of {organization}",
            )
        for body in self.all(Organization):
            add(body.founded, body, f"{body.label} is founded")
            add(body.dissolved, body, f"{body.label} is dissolved")
        for agreement in self.all(Agreement):
            verb = "is to be signed" if agreement.status is AgreementStatus.PLANNED else "is signed"
            add(agreement.signed, agreement, f"{agreement.label} {verb}")
            add(agreement.in_force, agreement, f"{agreement.label} enters into force")
        for event in self.all(Event):
            add(event.date, event, f"{event.label} ({event.status.value})")
        for statement in self.all(Statement):
            add(statement.date, statement, f"{self._label(statement.speaker)}: {statement.label}")
        for observation in self.all(Observation):
            add(
                observation.period,
                observation,
                f"{self._label(observation.indicator)}: {observation.label} "
                f"({observation.kind.value}, reported by {observation.reporter})",
            )
        # Dates compare as (earliest, latest), the order PartialDate defines, but faster.
        entries.sort(
            key=lambda entry: (entry.date.earliest, entry.date.latest, entry.entity, entry.what)
        )
        return entries


# A second account differs from the first in what it says, not in who says it,
# how sure the data is, or when its status was last known.
_NOT_COMPARED: Final = frozenset({"id", "sources", "confidence", "note", "variant_of", "as_of"})
_SHOWN: Final = 60


def _compared_fields(cls: type[Entity]) -> tuple[str, ...]:
    return tuple(field.name for field in attrs.fields(cls) if field.name not in _NOT_COMPARED)


def _show(value: object) -> str:
    """A field's value in a message: dates and periods as text, names by their text, shortened."""
    if value is None:
        text = "none"
    elif isinstance(value, tuple):
        text = "[" + ", ".join(_show(item) for item in value) + "]"
    elif isinstance(value, enum.Enum):
        text = str(value.value)
    elif isinstance(value, Name):
        text = value.text
    else:
        text = str(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _ratio(high: Decimal, low: Decimal) -> Decimal:
    """``high / low`` to two places, or to four when two places would show 1.00."""
    ratio = high / low
    rounded = ratio.quantize(Decimal("0.01"))
    return ratio.quantize(Decimal("0.0001")) if rounded == 1 else rounded


def _tenure_overlap(tenure: Tenure, other: Tenure) -> str:
    return (
        f"{tenure.period} overlaps tenure {other.id!r} ({other.period}, "
        f"{other.person}) of the same single-holder position {tenure.position!r}"
    )


def _chair_overlap(chair: Chairmanship, other: Chairmanship) -> str:
    return (
        f"{chair.period} overlaps chairmanship {other.id!r} ({other.period}) "
        f"of the same organisation {chair.organization!r}"
    )


def _sure_days(period: Period) -> tuple[_dt.date, _dt.date]:
    """The first and last day *period* surely covers (its whole span, if within one unit)."""
    start = period.start.latest if period.start is not None else _dt.date.min
    end = period.end.earliest if period.end is not None else _dt.date.max
    if end < start:
        start = period.earliest or _dt.date.min
        end = period.latest or _dt.date.max
    return start, end


class _Spell(Protocol):
    """A fact that holds for a period: a tenure, a chairmanship."""

    @property
    def period(self) -> Period: ...

    @property
    def account_of(self) -> str: ...


_F = TypeVar("_F", bound=_Spell)


def _certain_overlaps(items: Iterable[tuple[int, str, _F]]) -> Iterator[tuple[int, _F]]:
    """Yield (index, rival) once for each item that surely overlaps a rival of its group.

    An item counts for the days it surely covers: from the latest day its start
    could be to the earliest day its end could be, so that a tenure ending
    "2022-04" and the next starting on 2022-04-22 do not conflict. A period
    within one unit (``2024/2024``) surely covers that whole unit. Two items
    that share only a handover day do not conflict, nor do two accounts of one
    fact (``variant_of``).

    Items are swept in order of start: an item conflicts with an earlier one
    if that one ends after the item starts, so it is enough to keep the
    earlier item that ends last, and (for when that one is an account of the
    same fact) the one that ends last among the other facts. n·log n for the
    sort, then one pass; one result per item at most.
    """
    groups: dict[str, list[tuple[_dt.date, int, _dt.date, _F]]] = defaultdict(list)
    for index, group, item in items:
        start, end = _sure_days(item.period)
        groups[group].append((start, index, end, item))
    for members in groups.values():
        members.sort(key=lambda member: (member[0], member[1]))
        rivals = _TopTwo[_F]()
        for start, index, end, item in members:
            rival = rivals.other_than(item.account_of)
            if rival is not None and rival[0] > start:
                yield index, rival[1]
            rivals.add(end, item.account_of, item)


class _TopTwo(Generic[T]):
    """The item of the greatest key, and the one of the greatest key among other accounts.

    What a sweep needs to find, for a newcomer, the "best" earlier item that is
    not an account of the newcomer's own fact (or figure from its own sources).
    Ties keep the item added first.
    """

    __slots__ = ("_best", "_second")

    def __init__(self) -> None:
        self._best: tuple[Any, object, T] | None = None
        self._second: tuple[Any, object, T] | None = None

    def add(self, key: Any, account: object, item: T) -> None:
        entry = (key, account, item)
        best, second = self._best, self._second
        if best is None or key > best[0]:
            if best is not None and best[1] != account:
                self._second = best
            self._best = entry
        elif account != best[1] and (second is None or key > second[0]):
            self._second = entry

    def other_than(self, account: object) -> tuple[Any, T] | None:
        """(key, item) of the greatest key whose account is not *account*."""
        for entry in (self._best, self._second):
            if entry is not None and entry[1] != account:
                return entry[0], entry[2]
        return None


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
