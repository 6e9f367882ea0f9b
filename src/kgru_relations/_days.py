"""A day passed in Python: the one rule for a query's ``on`` or a picture's ``start``.

Re-exported by [`kgru_relations.dates`][kgru_relations.dates]; the text rule,
``parse_day``, lives there.
"""

from __future__ import annotations

import calendar
import datetime as _dt

from kgru_relations.errors import typed


def last_day(year: int, month: int) -> _dt.date:
    """The last day of *month* in *year*."""
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
