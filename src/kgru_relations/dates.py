"""Dates known to a year, quarter, month or day, and periods between them.

Facts about states are often dated loosely: a treaty "signed in 2014", trade
"in 2024-Q3", a minister "appointed in April 2022".
[`PartialDate`][kgru_relations.PartialDate] keeps exactly what is known, and
[`Period`][kgru_relations.Period] joins two of them (or leaves an end open, or
unknown) in the EDTF interval form used by the data files: ``2025/2027``,
``2021-01-28/..`` (still going on), ``../2024-12-16``, ``2019-01-01/`` (ended,
on an unknown day).

A partial date stands for every day it could be: ``2025`` is any day from
1 January to 31 December 2025. A period spans from the earliest day its start
could be to the latest day its end could be, so ``2025/2027`` runs from
1 January 2025 to 31 December 2027.

Examples:
    >>> from datetime import date
    >>> from kgru_relations import PartialDate, Period
    >>> PartialDate.parse("2025-Q3").latest
    datetime.date(2025, 9, 30)
    >>> Period.parse("2025/2027").contains(date(2027, 12, 31))
    True
"""

from __future__ import annotations

import calendar
import datetime as _dt
import enum
import re
from typing import Any, Final, TypeAlias, cast

import attrs

from kgru_relations._checks import rule
from kgru_relations.errors import ValidationError, _IssueCollector, shown, typed

__all__ = ["UNKNOWN", "DatePrecision", "Endpoint", "PartialDate", "Period", "Unknown"]

_PARTIAL_DATE = re.compile(
    r"(?P<year>[0-9]{4})"
    r"(?:-(?:Q(?P<quarter>[0-9])|(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?))?\Z"
)
_FORMS: Final = "expected YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD"
#: The same forms as a pattern for the JSON Schema, with the ranges a pattern
#: can say (quarters 1-4, months 01-12, days 01-31); the calendar is checked
#: by ``PartialDate.parse``.
DATE_SCHEMA_PATTERN: Final = (
    r"[0-9]{4}(?:-(?:Q[1-4]|(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?))?"
)
_OPEN: Final = ".."


class DatePrecision(enum.Enum):
    """How much of a [`PartialDate`][kgru_relations.PartialDate] is known."""

    YEAR = "year"
    """Only the year: ``2025``."""
    QUARTER = "quarter"
    """The year and calendar quarter: ``2025-Q3``."""
    MONTH = "month"
    """The year and month: ``2025-05``."""
    DAY = "day"
    """The exact day: ``2025-05-09``."""


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _problems(year: object, quarter: object, month: object, day: object) -> list[tuple[str, str]]:
    """Return (field, message) for each thing wrong with these date parts."""
    problems: list[tuple[str, str]] = []
    for name, part in (("year", year), ("quarter", quarter), ("month", month), ("day", day)):
        if (part is not None or name == "year") and not _is_int(part):
            problems.append((name, f"expected an integer {name}, got {typed(part)}"))
    if problems:
        return problems
    return _range_problems(
        cast(int, year), cast(int | None, quarter), cast(int | None, month), cast(int | None, day)
    )


def _range_problems(
    year: int, quarter: int | None, month: int | None, day: int | None
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if not 1 <= year <= 9999:
        problems.append(("year", f"year must be 1 to 9999 (got {year})"))
    if quarter is not None:
        if month is not None or day is not None:
            problems.append(("quarter", "a date has a quarter or a month and day, not both"))
        if not 1 <= quarter <= 4:
            problems.append(("quarter", f"quarter must be 1 to 4 (got {quarter})"))
    if month is not None and not 1 <= month <= 12:
        problems.append(("month", f"month must be 1 to 12 (got {month})"))
    if day is not None:
        if month is None:
            problems.append(("day", "a day needs a month"))
        elif 1 <= month <= 12 and 1 <= year <= 9999:
            days = calendar.monthrange(year, month)[1]
            if not 1 <= day <= days:
                month_name = calendar.month_name[month]
                problems.append(
                    (
                        "day",
                        f"day {day} is out of range for {month_name} {year} (it has {days} days)",
                    )
                )
    return problems


def _last_day(year: int, month: int) -> _dt.date:
    return _dt.date(year, month, calendar.monthrange(year, month)[1])


def as_day(value: object, name: str | None = None) -> _dt.date:
    """Return *value*, a day given to a method, as a plain ``datetime.date``.

    The one rule for a day passed in Python (a query's ``on``, a picture's
    ``start``): a ``datetime`` loses its time; anything else is a `TypeError`
    that names the argument *name*, if given.
    """
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if name is None:
        msg = f"expected a datetime.date, got {typed(value)}"
    else:
        msg = f"{name} must be a datetime.date, got {typed(value)}"
    raise TypeError(msg)


#: A day's text, ``YYYY-MM-DD``: the only form a file, a constructor and the
#: command read (Python's ``date.fromisoformat`` also reads ``20250122`` and
#: ``2025-W04-3``; none of them may).
DAY_FORM: Final = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


def _day_schema() -> dict[str, Any]:
    return {"type": "string", "format": "date", "pattern": f"^{DAY_FORM}$"}


@rule(_day_schema, writes="{item}.isoformat()")
def parse_day(value: object) -> _dt.date:
    """A calendar day, as a ``date`` or its text ``YYYY-MM-DD`` (and only that form).

    The one rule for a day read from text: the model's fields, the data file
    and the command's options all read a day with it, and the JSON Schema
    describes it from the same `DAY_FORM`.
    """
    if isinstance(value, str):
        if re.fullmatch(DAY_FORM, value):  # the form as it stands (re keeps it compiled)
            try:
                return _dt.date.fromisoformat(value)
            except ValueError:
                PartialDate.parse(value)  # says which part of the day does not exist
        raise ValidationError.at("$", f"{shown(value)} is not a date (YYYY-MM-DD)")
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        raise ValidationError.at("$", f"expected a date, got {shown(value)}")
    return value


@attrs.frozen(order=False, repr=False)
class PartialDate:
    """A real calendar date known to year, quarter, month or day precision.

    Build one from its parts, from text with
    [`parse`][kgru_relations.dates.PartialDate.parse], or from a `datetime.date`
    with [`from_date`][kgru_relations.dates.PartialDate.from_date]. Every value
    is a real date: ``2025-02-30`` is refused.

    Partial dates are ordered by the first day they could be, then by the last:
    ``2025-01-01 < 2025-01 < 2025-Q1 < 2025 < 2025-02``. This is a total order,
    consistent with equality and with [`earliest`][kgru_relations.dates.PartialDate.earliest].

    Args:
        year: 1 to 9999.
        month: 1 to 12, or ``None`` when only the year (or quarter) is known.
        day: A day of that month, or ``None``; needs a month.
        quarter: 1 to 4 for a calendar quarter; excludes month and day.

    Raises:
        ValidationError: If the parts are not a real date; each problem is
            reported at its field (``$.month``, ``$.day``).

    Examples:
        >>> PartialDate(2025, 5, 9)
        PartialDate.parse('2025-05-09')
        >>> str(PartialDate(2025, quarter=3))
        '2025-Q3'
    """

    year: int
    month: int | None = None
    day: int | None = None
    quarter: int | None = attrs.field(default=None, kw_only=True)
    _earliest: _dt.date = attrs.field(init=False, eq=False, hash=False)
    _latest: _dt.date = attrs.field(init=False, eq=False, hash=False)
    _text: str | None = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems = _problems(self.year, self.quarter, self.month, self.day)
        if problems:
            collector = _IssueCollector()
            for name, message in problems:
                collector.add(f"$.{name}", message)
            collector.raise_if_any()
        self._set_span()

    def _set_span(self) -> None:
        """Work out ``earliest`` and ``latest`` from parts already checked."""
        year, month, quarter = self.year, self.month, self.quarter
        if self.day is not None and month is not None:
            earliest = latest = _dt.date(year, month, self.day)
        elif month is not None:
            earliest, latest = _dt.date(year, month, 1), _last_day(year, month)
        elif quarter is not None:
            earliest = _dt.date(year, 3 * quarter - 2, 1)
            latest = _last_day(year, 3 * quarter)
        else:
            earliest, latest = _dt.date(year, 1, 1), _dt.date(year, 12, 31)
        object.__setattr__(self, "_earliest", earliest)
        object.__setattr__(self, "_latest", latest)
        object.__setattr__(self, "_text", None)  # written when first asked for

    @classmethod
    def _checked(
        cls, year: int, month: int | None, day: int | None, quarter: int | None
    ) -> PartialDate:
        """Build from parts the caller has already checked (parse's fast path)."""
        value = object.__new__(cls)
        for name, part in (("year", year), ("month", month), ("day", day), ("quarter", quarter)):
            object.__setattr__(value, name, part)
        value._set_span()
        return value

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read a partial date from its text form.

        Args:
            text: ``YYYY``, ``YYYY-Qn``, ``YYYY-MM`` or ``YYYY-MM-DD``, with a
                four-digit year.

        Returns:
            The partial date; ``str()`` of it gives *text* back.

        Raises:
            ValidationError: If *text* is not one of those forms or not a real
                date; the message names the problem.

        Examples:
            >>> PartialDate.parse("2025-05").precision
            <DatePrecision.MONTH: 'month'>
        """
        if not isinstance(text, str):
            raise ValidationError.at("$", f"expected partial date text, got {typed(text)}")
        if not text:
            raise ValidationError.at("$", f"empty text is not a date; {_FORMS}")
        match = _PARTIAL_DATE.match(text)
        if match is None:
            raise ValidationError.at("$", f"{shown(text)} is not a date; {_FORMS}")
        year = int(match["year"])
        quarter, month, day = (
            None if match[name] is None else int(match[name])
            for name in ("quarter", "month", "day")
        )
        problems = _range_problems(year, quarter, month, day)
        if problems:
            reasons = "; ".join(message for _, message in problems)
            raise ValidationError.at("$", f"{shown(text)} is not a real date: {reasons}")
        return cls._checked(year, month, day, quarter)

    @classmethod
    def from_date(cls, day: _dt.date) -> PartialDate:
        """Return the day-precision partial date for *day*.

        A `datetime.datetime` is accepted and its time of day dropped.

        Examples:
            >>> import datetime
            >>> PartialDate.from_date(datetime.date(2025, 1, 22))
            PartialDate.parse('2025-01-22')
        """
        plain = as_day(day)
        return cls(plain.year, plain.month, plain.day)

    @classmethod
    def coerce(cls, value: str | _dt.date | PartialDate) -> PartialDate:
        """Return *value* as a partial date: parse text, convert a date, keep a partial date.

        Raises:
            ValidationError: If *value* is text that is not a partial date, or
                not text, a date or a partial date at all.
        """
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, _dt.date):
            return cls.from_date(value)
        return cls.parse(value)

    @property
    def precision(self) -> DatePrecision:
        """How much of the date is known."""
        if self.day is not None:
            return DatePrecision.DAY
        if self.month is not None:
            return DatePrecision.MONTH
        if self.quarter is not None:
            return DatePrecision.QUARTER
        return DatePrecision.YEAR

    @property
    def earliest(self) -> _dt.date:
        """The first day this date could be (1 January for a year)."""
        return self._earliest

    @property
    def latest(self) -> _dt.date:
        """The last day this date could be (31 December for a year)."""
        return self._latest

    def contains(self, day: _dt.date) -> bool:
        """Return whether *day* is one of the days this partial date could be.

        Examples:
            >>> import datetime
            >>> PartialDate.parse("2024").contains(datetime.date(2024, 12, 16))
            True
        """
        plain = as_day(day)
        return self._earliest <= plain <= self._latest

    def reduced_iso(self) -> str:
        """Return the date in ISO 8601 calendar form, reduced to what is known.

        ISO 8601 has no calendar quarter, so a quarter gives its year; a year,
        month or day gives its own text (``2025``, ``2025-05``, ``2025-05-17``).
        Formats that take ISO dates (FtM, Popolo) are written with this.

        Examples:
            >>> PartialDate.parse("2025-Q3").reduced_iso()
            '2025'
            >>> PartialDate.parse("2025-05").reduced_iso()
            '2025-05'
        """
        return f"{self.year:04d}" if self.quarter is not None else str(self)

    def _key(self) -> tuple[_dt.date, _dt.date]:
        return (self._earliest, self._latest)

    def __lt__(self, other: PartialDate) -> bool:
        key = _partialdate_key(other)
        return NotImplemented if key is None else self._key() < key

    def __le__(self, other: PartialDate) -> bool:
        key = _partialdate_key(other)
        return NotImplemented if key is None else self._key() <= key

    def __gt__(self, other: PartialDate) -> bool:
        key = _partialdate_key(other)
        return NotImplemented if key is None else self._key() > key

    def __ge__(self, other: PartialDate) -> bool:
        key = _partialdate_key(other)
        return NotImplemented if key is None else self._key() >= key

    def __str__(self) -> str:
        text = self._text
        if text is None:  # once per date: files write each date of a loaded set many times
            text = f"{self.year:04d}"
            if self.quarter is not None:
                text = f"{text}-Q{self.quarter}"
            else:
                if self.month is not None:
                    text = f"{text}-{self.month:02d}"
                if self.day is not None:
                    text = f"{text}-{self.day:02d}"
            object.__setattr__(self, "_text", text)
        return text

    def __repr__(self) -> str:
        return f"PartialDate.parse({str(self)!r})"


def _partialdate_key(value: object) -> tuple[_dt.date, _dt.date] | None:
    """The order key of a partial date, or None for anything else (so < gives TypeError)."""
    return value._key() if isinstance(value, PartialDate) else None


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
        return _OPEN
    return "" if value is UNKNOWN else str(value)


def _dated_bounds(period: Period) -> tuple[_dt.date, _dt.date]:
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
        collector = _IssueCollector()
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
            if side == _OPEN:
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
        first, last = _dated_bounds(self)
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
