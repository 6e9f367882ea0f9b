"""Dates known to a year, quarter, month or day: `PartialDate` and its parts' rules.

Re-exported by [`kgru_relations.dates`][kgru_relations.dates].
"""

from __future__ import annotations

import calendar
import datetime as _dt
import enum
import re
from typing import Final, cast

import attrs

from kgru_relations._days import as_day, last_day
from kgru_relations.errors import IssueCollector, ValidationError, shown, typed

#: The years, quarters and months a date may have; a day is checked by the calendar.
YEARS: Final = (_dt.MINYEAR, _dt.MAXYEAR)
QUARTERS: Final = (1, 4)
MONTHS: Final = (1, 12)
_ANY_DAY: Final = (1, 31)  # the days some month has: what a pattern can say of a day


def _date_form(year: str, quarter: str | None, month: str, day: str) -> str:
    """The text forms of a date, ``YYYY``, ``YYYY-Qn``, ``YYYY-MM``, ``YYYY-MM-DD``, from its parts.

    The one statement of the forms: the reader fills in loose parts and
    checks their ranges itself (to say which part is wrong), the schema
    fills in the ranges a pattern can say. Without a *quarter*, ISO 8601's
    reduced forms alone.
    """
    quarter_form = "" if quarter is None else f"Q{quarter}|"
    return f"{year}(?:-(?:{quarter_form}{month}(?:-{day})?))?"


def _digits_between(low: int, high: int, width: int) -> str:
    """A pattern of the numbers *low* to *high* written with *width* digits (at most two).

    ``_digits_between(1, 12, 2)`` is ``(?:0[1-9]|1[0-2])``: ten by ten, the
    tens that share their units in one class.
    """

    def span(first: int, last: int) -> str:
        if first == last:
            return str(first)
        return f"[{first}{last}]" if last == first + 1 else f"[{first}-{last}]"

    if width == 1:
        return span(low, high)
    groups: list[tuple[int, int, tuple[int, int]]] = []
    for tens in range(low // 10, high // 10 + 1):
        units = (max(low - 10 * tens, 0), min(high - 10 * tens, 9))
        if groups and groups[-1][2] == units and groups[-1][1] == tens - 1:
            groups[-1] = (groups[-1][0], tens, units)
        else:
            groups.append((tens, tens, units))
    return "(?:" + "|".join(span(a, b) + span(*units) for a, b, units in groups) + ")"


_YEAR_DIGITS: Final = "[0-9]{4}"
_LOOSE_MONTH: Final = "(?P<month>[0-9]{2})"
_LOOSE_DAY: Final = "(?P<day>[0-9]{2})"
#: The text forms a date is read from, each part loose (its range is checked after).
DATE_TEXT: Final = re.compile(
    _date_form(f"(?P<year>{_YEAR_DIGITS})", "(?P<quarter>[0-9])", _LOOSE_MONTH, _LOOSE_DAY) + r"\Z"
)


def reduced_iso_form(after_day: str = "") -> str:
    """ISO 8601's reduced dates, ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, as a pattern (unanchored).

    The forms `DATE_TEXT` reads but a quarter, with the groups ``year``,
    ``month`` and ``day``: the one reader of a foreign format's dates (FtM's,
    Popolo's), whose parts `PartialDate` then checks. *after_day* is a pattern
    that may follow a day, such as a format's time of day.
    """
    return _date_form(f"(?P<year>{_YEAR_DIGITS})", None, _LOOSE_MONTH, _LOOSE_DAY + after_day)


_FORMS: Final = "expected YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD"
#: The same forms as a pattern for the JSON Schema, with the ranges a pattern
#: can say (quarters 1-4, months 01-12, days 01-31); the calendar is checked
#: by ``PartialDate.parse``.
DATE_SCHEMA_PATTERN: Final = _date_form(
    _YEAR_DIGITS,
    _digits_between(*QUARTERS, 1),
    _digits_between(*MONTHS, 2),
    _digits_between(*_ANY_DAY, 2),
)
#: The text of an open side of a period.
OPEN: Final = ".."


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
    (first_year, last_year), (first_month, last_month) = YEARS, MONTHS
    if not first_year <= year <= last_year:
        problems.append(("year", f"year must be {first_year} to {last_year} (got {year})"))
    if quarter is not None:
        if month is not None or day is not None:
            problems.append(("quarter", "a date has a quarter or a month and day, not both"))
        if not QUARTERS[0] <= quarter <= QUARTERS[1]:
            problems.append(
                ("quarter", f"quarter must be {QUARTERS[0]} to {QUARTERS[1]} (got {quarter})")
            )
    if month is not None and not first_month <= month <= last_month:
        problems.append(("month", f"month must be {first_month} to {last_month} (got {month})"))
    if day is not None:
        if month is None:
            problems.append(("day", "a day needs a month"))
        elif first_month <= month <= last_month and first_year <= year <= last_year:
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
            collector = IssueCollector()
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
            earliest, latest = _dt.date(year, month, 1), last_day(year, month)
        elif quarter is not None:
            earliest = _dt.date(year, 3 * quarter - 2, 1)
            latest = last_day(year, 3 * quarter)
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
        match = DATE_TEXT.match(text)
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
