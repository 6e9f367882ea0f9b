"""The timeline: every dated fact of a dataset, in date order, each in a few words.

[`Dataset.timeline`][kgru_relations.dataset.Dataset.timeline] reads what
[`build`][kgru_relations.dataset._timeline.build] makes once; each entry's
text is written when it is first read.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import functools
from collections.abc import Callable
from typing import Any, NamedTuple, TypeAlias

import attrs

from kgru_relations.dataset._core import Core
from kgru_relations.dataset._edges import EDGES
from kgru_relations.dates import PartialDate, Unknown, as_day
from kgru_relations.model import (
    Agreement,
    AgreementStatus,
    Entity,
    Event,
    Observation,
    Organization,
    Statement,
)

__all__ = ["Timeline", "TimelineEntry", "build", "window"]


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


class Timeline(NamedTuple):
    """The timeline, sorted, with each entry's first and last possible day beside it."""

    entries: list[TimelineEntry]
    earliest: list[_dt.date]
    latest: list[_dt.date]


def window(
    timeline: Callable[[], Timeline], start: _dt.date | None, end: _dt.date | None
) -> list[TimelineEntry]:
    """The entries of *timeline* (built on demand) that may fall between *start* and *end*."""
    low = as_day(start, "start") if start is not None else None
    high = as_day(end, "end") if end is not None else None
    if low is not None and high is not None and high < low:
        msg = f"the end {high} is before the start {low}"
        raise ValueError(msg)
    entries, earliest, latest = timeline()
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


def build(core: Core) -> Timeline:
    """Every dated fact, sorted; the text of each is written when it is first read."""
    facts: list[tuple[_dt.date, _dt.date, str, int, PartialDate, Callable[[], str]]] = []
    label = functools.cache(core.label)
    partial = functools.partial

    def add(
        date: PartialDate | Unknown | None, entity: Entity, describe: Callable[[], str]
    ) -> None:
        if isinstance(date, PartialDate):  # an open or unknown side is on no day
            # One day, one entity: in the order the facts are added here (joins,
            # then a change of status; is signed, then enters into force).
            facts.append((date.earliest, date.latest, entity.id, len(facts), date, describe))

    for edge in EDGES:  # each relation, as its edge declares it
        for record in core.all(edge.kind):
            for date, describe in edge.facts(record, label):
                add(date, record, describe)
    for body in core.all(Organization):
        add(body.founded, body, partial(_said, body, "is founded"))
        add(body.dissolved, body, partial(_said, body, "is dissolved"))
    for agreement in core.all(Agreement):
        verb = "is to be signed" if agreement.status is AgreementStatus.PLANNED else "is signed"
        add(agreement.signed, agreement, partial(_said, agreement, verb))
        add(agreement.in_force, agreement, partial(_said, agreement, "enters into force"))
    for event in core.all(Event):
        add(event.date, event, partial(_event_text, event))
    for statement in core.all(Statement):
        add(statement.date, statement, partial(_statement_text, statement, label))
    for observation in core.all(Observation):
        add(observation.period, observation, partial(_observation_text, observation, label))
    facts.sort()  # the fourth item is unique: tuples never compare past it
    lazy = TimelineEntry._lazy
    return Timeline(
        [lazy(fact[4], fact[2], fact[5]) for fact in facts],
        [fact[0] for fact in facts],
        [fact[1] for fact in facts],
    )


_Label: TypeAlias = Callable[[str], str]


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
