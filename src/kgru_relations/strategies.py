"""Hypothesis strategies for every kgru_relations value type.

Use them to test your own code against any valid value the library accepts:

    >>> from hypothesis import given
    >>> from kgru_relations.strategies import periods
    >>> @given(periods())
    ... def test_period_text_round_trips(period):
    ...     assert type(period).parse(str(period)) == period
    >>> test_period_text_round_trips()

This module needs `hypothesis`, which is not a dependency of the library:
install it yourself or with the ``test`` extra (``pip install 'kgru-relations[test]'``).
Every value each strategy draws is valid; the strategies also shrink towards
simple values (early years, whole amounts, common codes).
"""

from __future__ import annotations

import calendar
import functools
from decimal import Decimal

import pycountry
from hypothesis import strategies as st

from kgru_relations.codes import language_code
from kgru_relations.dates import PartialDate, Period
from kgru_relations.money import MAX_FRACTION_DIGITS, MAX_INTEGER_DIGITS, Money
from kgru_relations.names import Name, NameKind

__all__ = [
    "amounts",
    "country_codes",
    "currency_codes",
    "language_codes",
    "money",
    "names",
    "partial_dates",
    "periods",
    "script_codes",
]


@st.composite
def partial_dates(draw: st.DrawFn, *, min_year: int = 1, max_year: int = 9999) -> PartialDate:
    """Draw a partial date of any precision with a year in ``[min_year, max_year]``."""
    year = draw(st.integers(min_year, max_year))
    precision = draw(st.sampled_from(("year", "quarter", "month", "day")))
    if precision == "year":
        return PartialDate(year)
    if precision == "quarter":
        return PartialDate(year, quarter=draw(st.integers(1, 4)))
    month = draw(st.integers(1, 12))
    if precision == "month":
        return PartialDate(year, month)
    return PartialDate(year, month, draw(st.integers(1, calendar.monthrange(year, month)[1])))


@st.composite
def periods(
    draw: st.DrawFn,
    *,
    min_year: int = 1,
    max_year: int = 9999,
    open_start: bool = True,
    open_end: bool = True,
) -> Period:
    """Draw a well-ordered period; either end may be open unless told otherwise.

    Args:
        draw: Supplied by hypothesis.
        min_year: The earliest year an endpoint may fall in.
        max_year: The latest year an endpoint may fall in.
        open_start: Whether the start may be open (``..``).
        open_end: Whether the end may be open (``..``).
    """
    first, second = sorted(
        draw(st.lists(partial_dates(min_year=min_year, max_year=max_year), min_size=2, max_size=2))
    )
    start = None if open_start and draw(st.booleans()) else first
    end = None if open_end and draw(st.booleans()) else second
    return Period(start, end)


@functools.cache
def _country_codes(historic: bool) -> tuple[str, ...]:
    codes = sorted(record.alpha_2 for record in pycountry.countries)
    if historic:
        current = set(codes)
        old = [record.alpha_2 for record in pycountry.historic_countries]
        codes += sorted(code for code in old if code not in current and old.count(code) == 1)
    return tuple(codes)


def country_codes(*, historic: bool = False) -> st.SearchStrategy[str]:
    """Draw a canonical ISO 3166-1 alpha-2 code (unambiguous withdrawn ones if *historic*)."""
    return st.sampled_from(_country_codes(historic))


def currency_codes() -> st.SearchStrategy[str]:
    """Draw a canonical ISO 4217 letter code."""
    return st.sampled_from(sorted(record.alpha_3 for record in pycountry.currencies))


@functools.cache
def _language_codes() -> tuple[str, ...]:
    return tuple(sorted({language_code(record.alpha_3) for record in pycountry.languages}))


def language_codes() -> st.SearchStrategy[str]:
    """Draw a canonical ISO 639 code (two letters where the language has them)."""
    return st.sampled_from(_language_codes())


def script_codes() -> st.SearchStrategy[str]:
    """Draw a canonical ISO 15924 code."""
    return st.sampled_from(sorted(record.alpha_4 for record in pycountry.scripts))


@st.composite
def amounts(draw: st.DrawFn, *, allow_negative: bool = True) -> Decimal:
    """Draw a finite decimal amount that [`Money`][kgru_relations.Money] accepts.

    Amounts have up to 18 places after the point, and may carry a positive
    exponent (``Decimal("1E+3")``) as parsed decimals can.
    """
    places = draw(st.integers(-3, MAX_FRACTION_DIGITS))
    bound = 10 ** (MAX_INTEGER_DIGITS + places) - 1
    unscaled = draw(st.integers(-bound if allow_negative else 0, bound))
    digits = tuple(int(digit) for digit in str(abs(unscaled)))
    return Decimal((int(unscaled < 0), digits, -places))


def money(*, allow_negative: bool = True) -> st.SearchStrategy[Money]:
    """Draw an amount of money in any ISO 4217 currency."""
    return st.builds(Money, amounts(allow_negative=allow_negative), currency_codes())


_NAME_TEXT = st.text(
    alphabet=st.characters(categories=("L", "M", "N", "P", "Zs")), min_size=1, max_size=40
).filter(lambda text: text == text.strip() and bool(text))


def names() -> st.SearchStrategy[Name]:
    """Draw a valid name of any kind, with or without language and script."""
    return st.builds(
        Name,
        _NAME_TEXT,
        language=st.none() | language_codes(),
        script=st.none() | script_codes(),
        kind=st.sampled_from(NameKind),
    )
