"""Wikidata's JSON values read as the model's: ids, ``time`` values and language codes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from kgru_relations.dates import DatePrecision, PartialDate
from kgru_relations.errors import Issue, IssueCollector, ValidationError, shown
from kgru_relations.interop.importing import described, make_id
from kgru_relations.model.actors import WIKIDATA_FORM, WIKIDATA_ID

__all__ = [
    "GREGORIAN",
    "JULIAN",
    "partial_date",
    "time_value",
    "wikidata_id_of",
    "wikidata_our_id",
]

GREGORIAN: Final = "http://www.wikidata.org/entity/Q1985727"
"""The ``calendarmodel`` of a proleptic Gregorian date."""

JULIAN: Final = "http://www.wikidata.org/entity/Q1985786"
"""The ``calendarmodel`` of a Julian date (refused: the model holds Gregorian dates)."""
#: Wikidata writes a year with 4 to 16 digits (the Wikibase time format).
_TIME: Final = re.compile(r"\+(?P<year>[0-9]{4,16})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})T")
_PRECISIONS: Final = {9: DatePrecision.YEAR, 10: DatePrecision.MONTH, 11: DatePrecision.DAY}
#: What each Wikibase precision the model does not hold stands for (0 to 14).
_UNHELD_PRECISIONS: Final = {
    0: "a billion years",
    1: "a hundred million years",
    2: "ten million years",
    3: "a million years",
    4: "a hundred thousand years",
    5: "ten thousand years",
    6: "a millennium",
    7: "a century",
    8: "a decade",
    12: "an hour",
    13: "a minute",
    14: "a second",
}

_KNOWN: Final = {*_PRECISIONS, *_UNHELD_PRECISIONS}  # every precision Wikibase has
_WORDS: Final = [f"{number} ({held.value})" for number, held in _PRECISIONS.items()]
#: The precisions imported, in words: "9 (year), 10 (month) and 11 (day)".
_HELD: Final = ", ".join(_WORDS[:-1]) + " and " + _WORDS[-1]


class Unheld(Exception):
    """A value Wikidata allows but the model cannot hold: skip it, say why."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.issue = Issue(path, message)


# --- ids ---------------------------------------------------------------------------


def wikidata_our_id(kind: str, wikidata_id: str) -> str:
    """Our id for the Wikidata item *wikidata_id* as an entity of *kind*.

    The id is *kind*, a colon and the Wikidata id in lower case, so two
    imports of one item give one entity, and two items (two people who share
    a name) give two. States are the exception: their id is ``state:`` and
    their ISO code, as every state's is.

    Examples:
        >>> wikidata_our_id("person", "Q123")
        'person:q123'
    """
    if not WIKIDATA_ID.match(wikidata_id):
        raise ValidationError.at(
            "$", f"{described(wikidata_id)} is not a Wikidata item id; expected {WIKIDATA_FORM}"
        )
    return make_id(kind, wikidata_id)


def wikidata_id_of(entity_id: str) -> str:
    """The Wikidata id that an id made by `wikidata_our_id` came from.

    Examples:
        >>> wikidata_id_of("person:q123")
        'Q123'
    """
    slug = entity_id.partition(":")[2].upper()
    if not WIKIDATA_ID.match(slug):
        raise ValidationError.at("$", f"{described(entity_id)} was not made from a Wikidata id")
    return slug


# --- dates -------------------------------------------------------------------------


def read_time(value: object, path: str) -> PartialDate:
    """Read a ``time`` value: a wrong shape raises, a value the model cannot hold is Unheld."""
    if not isinstance(value, Mapping):
        raise ValidationError.at(path, f"expected a time value (an object), got {described(value)}")
    text, precision, calendar = (
        value.get("time"),
        value.get("precision"),
        value.get("calendarmodel"),
    )
    issues = IssueCollector()
    if not isinstance(text, str):
        issues.add(
            f"{path}.time",
            f"expected time text like '+2021-01-28T00:00:00Z', got {described(text)}",
        )
    if not isinstance(precision, int) or isinstance(precision, bool):
        issues.add(
            f"{path}.precision", f"expected a precision, a whole number, got {described(precision)}"
        )
    if not isinstance(calendar, str):
        issues.add(
            f"{path}.calendarmodel", f"expected a calendar model URI, got {described(calendar)}"
        )
    issues.raise_if_any()
    assert isinstance(text, str)  # checked above
    assert isinstance(precision, int)
    match = _TIME.match(text)
    if text.startswith("-"):
        raise Unheld(
            f"{path}.time", f"{shown(text)} is before the year 1; the model cannot hold it"
        )
    if match is None:
        raise ValidationError.at(
            f"{path}.time",
            f"{shown(text)} is not a Wikidata time; expected '+YYYY-MM-DDT00:00:00Z'",
        )
    if precision not in _PRECISIONS:
        if precision not in _UNHELD_PRECISIONS:
            raise ValidationError.at(
                f"{path}.precision",
                f"{described(precision)} is not a Wikidata precision; "
                f"expected {min(_KNOWN)} to {max(_KNOWN)}",
            )
        size = "coarser than a year" if precision < min(_PRECISIONS) else "finer than a day"
        raise Unheld(
            f"{path}.precision",
            f"precision {precision} ({_UNHELD_PRECISIONS[precision]}) is {size}; "
            f"only {_HELD} are imported, never rounded or cut",
        )
    if calendar != GREGORIAN:
        what = "a Julian-calendar date" if calendar == JULIAN else f"calendar {shown(calendar)}"
        raise Unheld(
            f"{path}.calendarmodel",
            f"{what} is not imported: the model holds Gregorian dates, "
            "and this import does not convert calendars",
        )
    year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    try:
        held = _PRECISIONS[precision]
        if held is DatePrecision.YEAR:
            return PartialDate(year)
        if held is DatePrecision.MONTH:
            return PartialDate(year, month)
        return PartialDate(year, month, day)
    except ValidationError as error:
        raise Unheld(f"{path}.time", f"{shown(text)}: {error.issues[0].message}") from None


def partial_date(value: Mapping[str, Any]) -> PartialDate:
    """The [`PartialDate`][kgru_relations.PartialDate] a Wikidata ``time`` value stands for.

    Precision 9, 10 and 11 give a year, a month and a day; a coarser precision
    (a decade, a century), a finer one (an hour, a minute) and a
    Julian-calendar date are refused, never rounded, cut or converted.

    Args:
        value: The ``value`` of a ``time`` datavalue: ``time``, ``precision``
            and ``calendarmodel``.

    Raises:
        ValidationError: If it is not such a value, or the model cannot hold it.

    Examples:
        >>> partial_date({"time": "+2021-01-00T00:00:00Z", "precision": 10,
        ...               "calendarmodel": GREGORIAN})
        PartialDate.parse('2021-01')
    """
    try:
        return read_time(value, "$")
    except Unheld as unheld:
        raise ValidationError([unheld.issue]) from None


def time_value(date: PartialDate) -> dict[str, Any]:
    """The Wikidata ``time`` value for *date*; the inverse of `partial_date`.

    Raises:
        ValidationError: For a quarter, which Wikidata has no precision for.

    Examples:
        >>> time_value(PartialDate(2021))["time"]
        '+2021-00-00T00:00:00Z'
    """
    if date.quarter is not None:
        raise ValidationError.at("$", f"{date} is a quarter; Wikidata has no precision for it")
    precision = {held: number for number, held in _PRECISIONS.items()}
    return {
        "time": f"+{date.year:04d}-{date.month or 0:02d}-{date.day or 0:02d}T00:00:00Z",
        "timezone": 0,
        "before": 0,
        "after": 0,
        "precision": precision[date.precision],
        "calendarmodel": GREGORIAN,
    }
