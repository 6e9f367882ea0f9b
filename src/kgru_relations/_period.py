"""Periods between partial dates: `Period`, its open and unknown sides.

Re-exported by [`kgru_relations.dates`][kgru_relations.dates].
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
from typing import Any, Final, TypeAlias

import attrs

from kgru_relations._days import as_day
from kgru_relations._partial_date import DATE_SCHEMA_PATTERN, OPEN, PartialDate
from kgru_relations.errors import IssueCollector, ValidationError, shown, typed


def period_schema_pattern() -> str:
    """The period's text forms as a JSON Schema pattern, from the forms `Period.parse` reads.

    A date, `OPEN` or nothing (unknown) on each side of a ``/``; an unknown
    side faces a date, so ``/``, ``/..`` and ``../`` are not periods.
    """
    date, open_side = DATE_SCHEMA_PATTERN, re.escape(OPEN)
    return f"^(?:{date}/(?:{date}|{open_side})?|{open_side}/(?:{date}|{open_side})|/{date})$"


class Unknown(enum.Enum):
    """The type of [`UNKNOWN`][kgru_relations.UNKNOWN]: a start or end on an unrecorded day.

    It has one member, so ``period.end is UNKNOWN`` is the test.
    """

    UNKNOWN = "unknown"
    """A start or an end known to have happened, on an unknown day."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = Unknown.UNKNOWN
"""A period's start or end that happened, but on a day no one recorded.

EDTF writes it as an empty side: ``2019-01-01/`` left on an unknown day,
where ``2019-01-01/..`` is still going on. Wikidata's "unknown value" for an
end date and a FollowTheMoney occupancy that has ``ended`` with no end date
are such ends.
"""

Endpoint: TypeAlias = PartialDate | Unknown | None
"""A period's start or end: a date, [`UNKNOWN`][kgru_relations.UNKNOWN], or ``None`` (open)."""


def _to_endpoint(value: object, name: str) -> PartialDate | Unknown | None:
    """Accept a partial date, its text, a date, UNKNOWN, or None (open) for endpoint *name*."""
    if value is None or isinstance(value, PartialDate | Unknown):
        return value
    if isinstance(value, str | _dt.date):
        try:
            return PartialDate.coerce(value)
        except ValidationError as error:
            raise error.under(name) from None
    raise ValidationError.at(
        f"$.{name}",
        f"expected a partial date, its text, a datetime.date, UNKNOWN or None, got {typed(value)}",
    )


_PeriodKey = tuple[tuple[Any, ...], tuple[Any, ...]]


def _period_key(value: object) -> _PeriodKey | None:
    """The order key of a period, or None for anything else (so < gives TypeError)."""
    return value._key() if isinstance(value, Period) else None


def _endpoint_text(value: PartialDate | Unknown | None) -> str:
    if value is None:
        return OPEN
    return "" if value is UNKNOWN else str(value)


def dated_bounds(period: Period) -> tuple[_dt.date, _dt.date]:
    """The first and last day of *period* as dated (``date.min``/``date.max`` where open).

    An unknown end is taken no further than the latest day its start could
    be, an unknown start no earlier than the earliest day its end could be:
    the days [`Period.contains`][kgru_relations.dates.Period.contains] answers for.
    """
    start, end = period.start, period.end
    if isinstance(start, PartialDate):
        if isinstance(end, PartialDate):
            return start.earliest, end.latest
        return start.earliest, (start.latest if end is UNKNOWN else _MAX)
    if isinstance(end, PartialDate):
        return (end.earliest if start is UNKNOWN else _MIN), end.latest
    return _MIN, _MAX


_MIN: Final = _dt.date.min
_MAX: Final = _dt.date.max


@attrs.frozen(init=False, order=False, repr=False)
class Period:
    """A span of time from a start to an end; either may be open or unknown.

    The span runs from the earliest day the start could be to the latest day
    the end could be: ``2025/2027`` is 1 January 2025 to 31 December 2027. An
    open end (``None``, written ``..``) means the span goes on, as for an office
    still held; an open start means it began at an unbounded time. An unknown
    end ([`UNKNOWN`][kgru_relations.UNKNOWN], written as nothing: ``2019/``)
    means the span ended, on a day no one recorded: it is known to reach its
    start and may reach any later day. An unknown start is the same, backwards,
    and the other side of an unknown one must be a date.

    So a period answers two questions: [`contains`][kgru_relations.dates.Period.contains]
    (is the day within the span as dated, an unknown end taken no further than
    its start) and [`may_contain`][kgru_relations.dates.Period.may_contain] (could
    the span include the day at all). For a period with no unknown side they
    agree.

    Periods are ordered by start (open starts first, then unknown ones), then
    by end (unknown ends after dated ones, open ends last); the order is total
    and consistent with equality.

    Args:
        start: A [`PartialDate`][kgru_relations.PartialDate], its text, a `datetime.date`,
            [`UNKNOWN`][kgru_relations.UNKNOWN], or ``None`` for an open start.
        end: The same for the end. It must not be wholly before the start.

    Raises:
        ValidationError: If an end lies before its start (at ``$.end``), an
            endpoint is not a date (at ``$.start`` or ``$.end``), or an unknown
            side faces a side that is not a date.

    Examples:
        >>> Period.parse("2021-01-28/..").is_open
        True
        >>> Period("2025", "2027")
        Period.parse('2025/2027')
        >>> Period("2019-01-01", UNKNOWN)
        Period.parse('2019-01-01/')
    """

    start: PartialDate | Unknown | None
    end: PartialDate | Unknown | None

    def __init__(
        self,
        start: str | _dt.date | PartialDate | Unknown | None = None,
        end: str | _dt.date | PartialDate | Unknown | None = None,
    ) -> None:
        collector = IssueCollector()
        first: PartialDate | Unknown | None = None
        last: PartialDate | Unknown | None = None
        with collector.catch():
            first = _to_endpoint(start, "start")
        with collector.catch():
            last = _to_endpoint(end, "end")
        collector.raise_if_any()
        if isinstance(first, PartialDate) and isinstance(last, PartialDate):
            if last.latest < first.earliest:
                raise ValidationError.at("$.end", f"the end {last} is before the start {first}")
        elif first is UNKNOWN and not isinstance(last, PartialDate):
            raise ValidationError.at(
                "$.start", "an unknown start needs a dated end, to say when the span was"
            )
        elif last is UNKNOWN and not isinstance(first, PartialDate):
            raise ValidationError.at(
                "$.end", "an unknown end needs a dated start, to say when the span was"
            )
        self.__attrs_init__(first, last)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read a period from its EDTF interval text, ``start/end``.

        Each side is a partial date, ``..`` for an open side, or nothing for
        an unknown one (EDTF's ``2019-01-01/``: ended on an unknown day).

        Args:
            text: Such as ``2025/2027``, ``2021-01-28/..``, ``../2024-12-16``
                or ``2019-01-01/``.

        Returns:
            The period; ``str()`` of it gives *text* back.

        Raises:
            ValidationError: If the text is not of that form, a side is not a
                real date, the end is before the start, or an unknown side
                faces a side that is not a date.

        Examples:
            >>> Period.parse("../2024-12-16").end
            PartialDate.parse('2024-12-16')
            >>> Period.parse("2019-01-01/").end
            UNKNOWN
        """
        if not isinstance(text, str):
            raise ValidationError.at("$", f"expected period text, got {typed(text)}")
        sides = text.split("/")
        if len(sides) != 2:
            raise ValidationError.at(
                "$",
                f"{shown(text)} is not a period; expected 'start/end', each a date, "
                f"'..' for an open side or nothing for an unknown one",
            )
        endpoints: list[PartialDate | Unknown | None] = []
        reasons: list[str] = []
        for label, side in zip(("start", "end"), sides, strict=True):
            if side == OPEN:
                endpoints.append(None)
            elif not side:
                endpoints.append(UNKNOWN)
            else:
                try:
                    endpoints.append(PartialDate.parse(side))
                except ValidationError as error:
                    endpoints.append(None)
                    reasons.append(f"the {label}: {error.issues[0].message}")
        if reasons:
            raise ValidationError.at("$", f"{shown(text)} is not a period: {'; '.join(reasons)}")
        try:
            return cls(endpoints[0], endpoints[1])
        except ValidationError as error:
            raise ValidationError.at(
                "$", f"{shown(text)} is not a period: {error.issues[0].message}"
            ) from None

    @property
    def earliest(self) -> _dt.date | None:
        """The first day the span could include, or ``None`` if the start is open or unknown."""
        start = self.start
        return start.earliest if isinstance(start, PartialDate) else None

    @property
    def latest(self) -> _dt.date | None:
        """The last day the span could include, or ``None`` if the end is open or unknown."""
        end = self.end
        return end.latest if isinstance(end, PartialDate) else None

    @property
    def is_open(self) -> bool:
        """Whether the start or the end is open (an unknown side is not open)."""
        return self.start is None or self.end is None

    @property
    def is_unknown(self) -> bool:
        """Whether the start or the end happened on an unknown day."""
        return self.start is UNKNOWN or self.end is UNKNOWN

    def contains(self, day: _dt.date) -> bool:
        """Return whether *day* falls within the span as dated (both ends included).

        An unknown end is taken no further than the latest day its start
        could be, and an unknown start no earlier than its end's earliest:
        ``2019-01-01/`` contains only 1 January 2019.
        [`may_contain`][kgru_relations.dates.Period.may_contain] says whether the
        span could include the day at all.

        Examples:
            >>> import datetime
            >>> Period.parse("2021-10-13/2024-12-16").contains(datetime.date(2025, 1, 22))
            False
            >>> Period.parse("2019/").contains(datetime.date(2020, 1, 1))
            False
        """
        first, last = dated_bounds(self)
        return first <= as_day(day) <= last

    def may_contain(self, day: _dt.date) -> bool:
        """Return whether the span could include *day* (an unknown end may reach any later day).

        Examples:
            >>> import datetime
            >>> Period.parse("2019/").may_contain(datetime.date(2030, 1, 1))
            True
            >>> Period.parse("2019/").may_contain(datetime.date(2018, 12, 31))
            False
        """
        plain = as_day(day)
        first, last = self.earliest, self.latest
        return (first is None or first <= plain) and (last is None or plain <= last)

    def overlaps(self, other: Period) -> bool:
        """Return whether the two spans may share a day (an unknown end may reach any later day).

        Examples:
            >>> Period.parse("2023/2025").overlaps(Period.parse("2025-12-31/.."))
            True
        """
        mine_first, mine_last = self.earliest, self.latest
        other_first, other_last = other.earliest, other.latest
        if mine_first is not None and other_last is not None and other_last < mine_first:
            return False
        return mine_last is None or other_first is None or not mine_last < other_first

    def _key(self) -> _PeriodKey:
        start, end = self.start, self.end
        if start is None:
            first: tuple[Any, ...] = (0,)
        elif isinstance(start, PartialDate):
            first = (2, start.earliest, start.latest)
        else:
            first = (1,)
        if end is None:
            last: tuple[Any, ...] = (2,)
        elif isinstance(end, PartialDate):
            last = (0, end.earliest, end.latest)
        else:
            last = (1,)
        return (first, last)

    def __lt__(self, other: Period) -> bool:
        key = _period_key(other)
        return NotImplemented if key is None else self._key() < key

    def __le__(self, other: Period) -> bool:
        key = _period_key(other)
        return NotImplemented if key is None else self._key() <= key

    def __gt__(self, other: Period) -> bool:
        key = _period_key(other)
        return NotImplemented if key is None else self._key() > key

    def __ge__(self, other: Period) -> bool:
        key = _period_key(other)
        return NotImplemented if key is None else self._key() >= key

    def __str__(self) -> str:
        return f"{_endpoint_text(self.start)}/{_endpoint_text(self.end)}"

    def __repr__(self) -> str:
        return f"Period.parse({str(self)!r})"
