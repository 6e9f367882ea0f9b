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

import datetime as _dt
import re
from typing import Any, Final

from kgru_relations._checks import rule
from kgru_relations._days import as_day as as_day  # noqa: PLC0414
from kgru_relations._partial_date import DATE_SCHEMA_PATTERN as DATE_SCHEMA_PATTERN  # noqa: PLC0414
from kgru_relations._partial_date import DATE_TEXT as DATE_TEXT  # noqa: PLC0414
from kgru_relations._partial_date import DatePrecision, PartialDate
from kgru_relations._partial_date import reduced_iso_form as reduced_iso_form  # noqa: PLC0414
from kgru_relations._period import UNKNOWN, Endpoint, Period, Unknown
from kgru_relations._period import dated_bounds as dated_bounds  # noqa: PLC0414
from kgru_relations._period import period_schema_pattern as period_schema_pattern  # noqa: PLC0414
from kgru_relations.errors import ValidationError, shown

__all__ = ["UNKNOWN", "DatePrecision", "Endpoint", "PartialDate", "Period", "Unknown"]
# Also read here by the rest of the package (marked ``as`` above): ``as_day``, the
# rule for a day passed in Python; the date forms read (ISO 8601's reduced ones too) and
# the schema's date and period patterns; a period's dated bounds.

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
