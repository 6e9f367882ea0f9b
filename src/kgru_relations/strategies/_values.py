"""Strategies for the value types (dates, codes, amounts, names, ids, text) and rules' edges."""

from __future__ import annotations

import calendar
import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import TypeVar

import pycountry
from hypothesis import strategies as st

from kgru_relations import money as money_rule
from kgru_relations._partial_date import MONTHS, OPEN, QUARTERS, YEARS
from kgru_relations.codes import language_code
from kgru_relations.dates import DATE_TEXT, UNKNOWN, PartialDate, Period, Unknown
from kgru_relations.model import sources as source_rule
from kgru_relations.model._base import KINDS
from kgru_relations.money import Money
from kgru_relations.names import Name, NameKind

T = TypeVar("T")


@st.composite
def partial_dates(
    draw: st.DrawFn, *, min_year: int = YEARS[0], max_year: int = YEARS[1]
) -> PartialDate:
    """Draw a partial date of any precision with a year in ``[min_year, max_year]``."""
    year = draw(st.integers(min_year, max_year))
    precision = draw(st.sampled_from(("year", "quarter", "month", "day")))
    if precision == "year":
        return PartialDate(year)
    if precision == "quarter":
        return PartialDate(year, quarter=draw(st.integers(*QUARTERS)))
    month = draw(st.integers(*MONTHS))
    if precision == "month":
        return PartialDate(year, month)
    return PartialDate(year, month, draw(st.integers(1, calendar.monthrange(year, month)[1])))


@st.composite
def periods(
    draw: st.DrawFn,
    *,
    min_year: int = YEARS[0],
    max_year: int = YEARS[1],
    open_start: bool = True,
    open_end: bool = True,
    unknown_start: bool = True,
    unknown_end: bool = True,
) -> Period:
    """Draw a well-ordered period; either side may be open or unknown unless told otherwise.

    A side is unknown ([`UNKNOWN`][kgru_relations.UNKNOWN]) only when the
    other is a date, as a period requires.

    Args:
        draw: Supplied by hypothesis.
        min_year: The earliest year an endpoint may fall in.
        max_year: The latest year an endpoint may fall in.
        open_start: Whether the start may be open (``..``).
        open_end: Whether the end may be open (``..``).
        unknown_start: Whether the start may be unknown.
        unknown_end: Whether the end may be unknown.
    """
    first, second = sorted(
        draw(st.lists(partial_dates(min_year=min_year, max_year=max_year), min_size=2, max_size=2))
    )
    start: PartialDate | Unknown | None = first
    end: PartialDate | Unknown | None = second
    kinds = ["date", *(["open"] if open_start else []), *(["unknown"] if unknown_start else [])]
    kind = draw(st.sampled_from(kinds))
    if kind != "date":
        start = None if kind == "open" else UNKNOWN
    kinds = ["date", *(["open"] if open_end and kind != "unknown" else [])]
    kinds += ["unknown"] if unknown_end and kind == "date" else []
    kind = draw(st.sampled_from(kinds))
    if kind != "date":
        end = None if kind == "open" else UNKNOWN
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
    places = draw(st.integers(-3, money_rule.MAX_FRACTION_DIGITS))
    bound = 10 ** (money_rule.MAX_INTEGER_DIGITS + places) - 1
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


# --- values at the edge of each rule ---------------------------------------------


@st.composite
def _edge_amounts(draw: st.DrawFn) -> str:
    """Decimal text with the most digits the amount rule allows, one fewer, or one more."""
    most_before, most_after = money_rule.MAX_INTEGER_DIGITS, money_rule.MAX_FRACTION_DIGITS
    before = draw(st.sampled_from([1, most_before - 1, most_before, most_before + 1]))
    after = draw(st.sampled_from([0, most_after - 1, most_after, most_after + 1]))
    digits = st.text("0123456789", min_size=1, max_size=1)
    whole = draw(st.sampled_from("123456789")) + "".join(draw(digits) for _ in range(before - 1))
    text = draw(st.sampled_from(["", "-"])) + "0" * draw(st.integers(0, 2)) + whole
    if after:
        text += "." + "".join(draw(digits) for _ in range(after))
    return text


def _edge_exponents() -> st.SearchStrategy[str]:
    """Amounts with an exponent that moves their digits to each limit, or one past it."""
    most_before, most_after = money_rule.MAX_INTEGER_DIGITS, money_rule.MAX_FRACTION_DIGITS
    return st.sampled_from(
        [
            f"1E{most_before - 1}",
            f"1E+{most_before}",
            f"1.5E{most_before - 2}",
            f"1.5E{most_before}",
            f"1E-{most_after}",
            f"1E-{most_after + 1}",
        ]
    )


def _edge_lengths() -> st.SearchStrategy[str]:
    """Decimal text as long as the amount rule reads, and one character longer (leading zeros)."""
    longest = money_rule.longest_text()
    return st.sampled_from(["0" * (longest - 1) + "1", "0" * longest + "1"])


def _edge_ids() -> st.SearchStrategy[str]:
    """Ids at the edge of the id form: a kind and a slug just inside or outside it."""
    slugs = ["a", "a-b", "a_b.c", "a--b", "-a", "a-", "A", "a b", "", "ä"]
    kinds = [*KINDS, "nokind", "Person", ""]
    return st.builds(
        lambda kind, slug: f"{kind}:{slug}", st.sampled_from(kinds), st.sampled_from(slugs)
    )


def _edge_dates() -> st.SearchStrategy[str]:
    """Dates and periods at the edge of the calendar and of their text forms.

    Besides fixed examples, any text of the forms a date is read from (each
    part loose: ``2025-Q7``, ``2025-00-99``), alone or as a period's side: so
    a schema or a path that restates the forms differs from the reader on some.
    """
    read = st.from_regex(DATE_TEXT, fullmatch=True)
    sides = read | st.sampled_from([OPEN, ""])
    return (
        read
        | st.builds("{}/{}".format, sides, sides)
        | st.sampled_from(
            [
                "2024-02-29",
                "2023-02-29",
                "2025-12-31",
                "2025-12-32",
                "2025-13",
                "2025-00",
                "2025-Q4",
                "2025-Q0",
                "0001",
                "9999-12-31",
                "10000",
                "0000",
                "2025-1-1",
                "20250122",
                "2025-W04-3",
                "2024/2025",
                "2025/2024",
                "../..",
                "2025-01-22T00:00",
            ]
        )
    )


def _edge_texts() -> st.SearchStrategy[str]:
    """Text with a character the text rule refuses, or allows, where it is hardest to see."""
    return st.sampled_from(
        [
            "a\u200db",
            "a\u200cb",
            "a\u200bb",
            "a\u00a0",
            "\u3000a",
            "a\nb",
            "a\u2028b",
            "a\u0085b",
            "a\tb",
        ]
    )


def _edge_urls() -> st.SearchStrategy[str]:
    """Web addresses of each scheme the rule allows, in either case, and of others."""
    schemes = [*source_rule.URL_SCHEMES, "ftp", "HTTP", "Https", "mailto"]
    rests = ["//example.org/a", "//", "/example.org", "//a b", "//[x"]
    return st.builds(
        lambda scheme, rest: f"{scheme}:{rest}", st.sampled_from(schemes), st.sampled_from(rests)
    )


def edge_values() -> st.SearchStrategy[str]:
    """Draw values at and just past the edge of each value rule, as text a file may hold.

    Amounts with the most digits the rule allows before and after the point,
    and one more (with a sign, leading zeros or an exponent), and as long as
    the rule reads and one character longer; ids, dates, text and web
    addresses just inside and just outside their forms. Each is drawn from
    the rule's own limits when it is drawn, so a test that damages files with
    them (the fast path against the careful one, the schema against the
    loader) finds any place that restates a rule and lets it drift.
    """
    return st.one_of(
        _edge_amounts(),
        _edge_exponents(),
        _edge_lengths(),
        _edge_ids(),
        _edge_dates(),
        _edge_texts(),
        _edge_urls(),
    )


# --- model entities ---------------------------------------------------------------

_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
SLUGS = st.lists(st.text(_ALNUM, min_size=1, max_size=8), min_size=1, max_size=3).map("-".join)


def ids(kind: str) -> st.SearchStrategy[str]:
    """Draw a well-formed id of *kind* (``person:ab-12``)."""
    return SLUGS.map(lambda slug: f"{kind}:{slug}")


def texts() -> st.SearchStrategy[str]:
    """Draw short non-blank text with no leading or trailing whitespace."""
    return _NAME_TEXT


def some_of(choices: Sequence[T], most: int) -> st.SearchStrategy[list[T]]:
    """Up to *most* distinct items of *choices* (none if there are none)."""
    if not choices:
        return st.just([])
    return st.lists(st.sampled_from(list(choices)), max_size=most, unique=True)


def maybe(choices: list[str]) -> st.SearchStrategy[str | None]:
    """None, or one of *choices* if there are any."""
    return st.none() | st.sampled_from(choices) if choices else st.none()
