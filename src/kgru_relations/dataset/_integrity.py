"""The integrity rules of a dataset: what makes it wrong, by where in it.

[`Dataset.validate`][kgru_relations.dataset.Dataset.validate] lists what
[`problems`][kgru_relations.dataset._integrity.problems] yields, and the file loader
reads the same problems with their places (collection, row, keys) to point
into the file, so no rule is written twice and no message is read back.
Every check takes time in proportion to the number of records (an overlap
check, to n·log n).
"""

from __future__ import annotations

import datetime as _dt
import functools
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any, Final, Generic, NamedTuple, Protocol, TypeVar

from kgru_relations._codegen import compile_function, compiled
from kgru_relations.dataset._core import Core
from kgru_relations.dates import UNKNOWN, DatePrecision, PartialDate, Period
from kgru_relations.errors import MAX_ISSUES, Issue
from kgru_relations.model import (
    ENTITY_CLASSES,
    Chairmanship,
    Entity,
    Fact,
    Indicator,
    Observation,
    Position,
    Tenure,
    kind_of,
)
from kgru_relations.model._base import iter_references, reference_plan

__all__ = [
    "IssueList",
    "Problem",
    "TopTwo",
    "observation_field_problems",
    "observation_problems",
    "overlap_problems",
    "problems",
    "reference_problem",
    "reference_problems",
    "sign_problem",
    "unit_problem",
    "validate",
    "variant_problems",
]

T = TypeVar("T")


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


def validate(core: Core) -> IssueList:
    """The first ``MAX_ISSUES`` problems, as Issues, and how many more were found."""
    found = problems(core)
    listed = IssueList(problem.issue() for problem in itertools.islice(found, MAX_ISSUES))
    listed.more = sum(1 for _ in found)
    return listed


class Problem(NamedTuple):
    """One integrity problem, by its place in the dataset; its Issue is built only when listed."""

    collection: str
    row: int
    keys: tuple[str | int, ...]
    message: str | Callable[[], str]

    def issue(self) -> Issue:
        message = self.message if isinstance(self.message, str) else self.message()
        return Issue("$", message).under(self.collection, self.row, *self.keys)


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


_ZERO: Final = Decimal(0)


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


def problems(core: Core) -> Iterator[Problem]:
    """Every integrity problem, found lazily, so a caller can stop (or only count)."""
    seen: set[str] = set()
    first_places: dict[str, str] = {}
    get = core.lookup
    for cls, items in _collections(core):
        references, nested = reference_plan(cls)
        fits = _fits_of(cls)
        for index, entity in enumerate(items):
            if entity.id in seen:
                if not first_places:  # only once there is a duplicate: the first of each id
                    first_places = _first_places(core)
                yield Problem(
                    cls.COLLECTION,
                    index,
                    ("id",),
                    f"duplicate id {entity.id!r} (first at {first_places[entity.id]})",
                )
            else:
                seen.add(entity.id)
            if nested:
                yield from reference_problems(core, entity, index)
            elif references and not fits(entity, get):
                yield from _flat_reference_problems(core, entity, index, references)
    yield from observation_problems(core)
    yield from overlap_problems(core)
    yield from variant_problems(core)


def _collections(core: Core) -> Iterator[tuple[type[Entity], tuple[Entity, ...]]]:
    """Each kind of entity, with its records in the order given."""
    for cls in ENTITY_CLASSES:
        yield cls, core.all(cls)


def _first_places(core: Core) -> dict[str, str]:
    places: dict[str, str] = {}
    for cls, items in _collections(core):
        for index, entity in enumerate(items):
            places.setdefault(entity.id, f"$.{cls.COLLECTION}[{index}]")
    return places


@compiled
def _fits_of(cls: type) -> Callable[[Entity, Callable[[str], Any]], bool]:
    """Whether every reference of a *cls* record names a record of a kind it allows.

    Compiled once per class (until ``forget_compiled()``) to straight-line code
    (no loop over the fields, no ``getattr``, no generator), as it runs for every
    record checked;
    ``_flat_reference_problems`` says what is wrong when something is.
    """
    references, _ = reference_plan(cls)
    lines = ["def fits(entity, get):"]
    namespace: dict[str, Any] = {}
    for index, (name, kinds) in enumerate(references):
        namespace[f"kinds_{index}"] = frozenset(kinds)
        test = f"found is None or found.KIND not in kinds_{index}"
        lines += [
            f"    value = entity.{name}",
            "    if value is not None:",
            "        if type(value) is tuple:",
            "            for target in value:",
            "                found = get(target)",
            f"                if {test}:",
            "                    return False",
            "        else:",
            "            found = get(value)",
            f"            if {test}:",
            "                return False",
        ]
    lines.append("    return True")
    fits: Callable[[Entity, Callable[[str], Any]], bool] = compile_function(
        "fits", lines, namespace, what=f"fits {cls.__qualname__}"
    )
    return fits


def _flat_reference_problems(
    core: Core,
    entity: Entity,
    index: int,
    references: tuple[tuple[str, tuple[str, ...]], ...],
) -> Iterator[Problem]:
    """What ``reference_problems`` finds, for a record without nested records, in one loop.

    A reference that fits costs a lookup; only a problem calls out to say what it is.
    """
    get = core.lookup
    for name, kinds in references:
        value = getattr(entity, name)
        if value is None:
            continue
        targets = enumerate(value) if isinstance(value, tuple) else ((None, value),)
        for position, target in targets:
            found = get(target)
            if found is not None and found.KIND in kinds:
                continue
            keys = (name,) if position is None else (name, position)
            problem = reference_problem(target, kinds, None if found is None else found.KIND)
            if problem is not None:  # pragma: no branch - a misfit always says why
                yield Problem(entity.COLLECTION, index, keys, problem)


def reference_problems(core: Core, entity: Entity, index: int) -> Iterator[Problem]:
    """What is wrong with each reference of *entity*, nested records' included."""
    for keys, target, kinds in iter_references(entity):
        found = core.lookup(target)
        problem = reference_problem(target, kinds, None if found is None else found.KIND)
        if problem is not None:
            yield Problem(entity.COLLECTION, index, keys, problem)


def observation_field_problems(
    value: Decimal | None,
    unit: str | None,
    indicator: object,
    *,
    unit_problem: Callable[[str, object], str | None] = unit_problem,
) -> Iterator[tuple[str, str]]:
    """(field, message) for each rule of the dataset a figure's value and unit break.

    The one wiring of the rules an [`Observation`][kgru_relations.Observation]
    answers to in a dataset (a value's sign, a unit's fit, each judged by the
    figure's *indicator*, the record it names or ``None``): the dataset's
    check asks it of every figure, and the loader of a record that could not
    be built, so a new rule here is reported in both. A rule reads the value
    only by its sign: the dataset's check judges a figure that is not negative
    once per indicator and unit.

    Args:
        value: The figure's value, or ``None`` if it could not be read.
        unit: The figure's unit, or ``None`` if it could not be read.
        indicator: The record the figure's indicator names, if any.
        unit_problem: The unit rule, or a copy that remembers its answers.
    """
    if value is not None and (problem := sign_problem(value, indicator)) is not None:
        yield "value", problem
    if unit is not None and (problem := unit_problem(unit, indicator)) is not None:
        yield "unit", problem


def observation_problems(core: Core) -> Iterator[Problem]:
    get = core.lookup
    # The rules read a figure's value only by its sign (see observation_field_problems),
    # so a figure that is not negative is judged once per indicator and unit.
    fine: set[tuple[str, str]] = set()
    units: dict[tuple[int, str], str | None] = {}

    def remembered(unit: str, indicator: object) -> str | None:
        key = (id(indicator), unit)  # the indicators are the core's, alive throughout
        if key in units:
            return units[key]
        problem = units[key] = unit_problem(unit, indicator)
        return problem

    for index, observation in enumerate(core.all(Observation)):
        negative = observation.value < _ZERO
        pair = (observation.indicator, observation.unit)
        if not negative and pair in fine:
            continue
        found = False
        for field, problem in observation_field_problems(
            observation.value, observation.unit, get(observation.indicator), unit_problem=remembered
        ):
            found = True
            yield Problem(Observation.COLLECTION, index, (field,), problem)
        if not found and not negative:
            fine.add(pair)


def overlap_problems(core: Core) -> Iterator[Problem]:
    single = {position.id for position in core.all(Position) if position.single_holder}
    tenures = core.all(Tenure)
    chosen = ((i, t) for i, t in enumerate(tenures) if t.position in single)
    for index, other in _certain_overlaps((i, t.position, t) for i, t in chosen):
        yield Problem(
            Tenure.COLLECTION,
            index,
            ("period",),
            functools.partial(_tenure_overlap, tenures[index], other),
        )
    chairs = core.all(Chairmanship)
    for index, other_chair in _certain_overlaps(
        (i, c.organization, c) for i, c in enumerate(chairs)
    ):
        yield Problem(
            Chairmanship.COLLECTION,
            index,
            ("period",),
            functools.partial(_chair_overlap, chairs[index], other_chair),
        )


def variant_problems(core: Core) -> Iterator[Problem]:
    for cls, items in _collections(core):
        for index, entity in enumerate(items):
            if not isinstance(entity, Fact) or entity.variant_of is None:
                continue
            original = core.lookup(entity.variant_of)
            if isinstance(original, Fact) and original.variant_of is not None:
                yield Problem(
                    cls.COLLECTION,
                    index,
                    ("variant_of",),
                    f"{entity.variant_of!r} is itself a second account of "
                    f"{original.variant_of!r}; name the first account instead",
                )


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


def _sure_days(period: Period) -> tuple[_dt.date, _dt.date] | None:
    """The first and last day *period* surely covers (its whole span, if within one unit).

    A period with an unknown side surely covers only its dated side's day, if
    that is a day, and otherwise no day it could be sure of (``None``).
    """
    start, end = period.start, period.end
    if start is UNKNOWN or end is UNKNOWN:
        known = end if start is UNKNOWN else start
        if isinstance(known, PartialDate) and known.precision is DatePrecision.DAY:
            return known.earliest, known.earliest
        return None
    first = start.latest if isinstance(start, PartialDate) else _dt.date.min
    last = end.earliest if isinstance(end, PartialDate) else _dt.date.max
    if last < first:
        first = period.earliest or _dt.date.min
        last = period.latest or _dt.date.max
    return first, last


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
        sure = _sure_days(item.period)
        if sure is not None:
            groups[group].append((sure[0], index, sure[1], item))
    for members in groups.values():
        members.sort(key=lambda member: (member[0], member[1]))
        rivals = TopTwo[_F]()
        for start, index, end, item in members:
            rival = rivals.other_than(item.account_of)
            if rival is not None and rival[0] > start:
                yield index, rival[1]
            rivals.add(end, item.account_of, item)


class TopTwo(Generic[T]):
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
