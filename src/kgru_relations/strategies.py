"""Hypothesis strategies for every kgru_relations value type, model class and dataset.

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
import datetime as _dt
import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Final, TypeVar

import attrs
import pycountry
from hypothesis import strategies as st

from kgru_relations.codes import language_code
from kgru_relations.dataset import Dataset
from kgru_relations.dates import UNKNOWN, PartialDate, Period, Unknown
from kgru_relations.model import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Chairmanship,
    Confidence,
    Event,
    EventKind,
    EventStatus,
    Indicator,
    Membership,
    MembershipStatus,
    Observation,
    ObservationKind,
    Organization,
    OrganizationKind,
    Person,
    Position,
    PositionKind,
    Qualifier,
    Source,
    State,
    Statement,
    StatusChange,
    Tenure,
    kind_of,
)
from kgru_relations.model.economy import Measure
from kgru_relations.money import MAX_FRACTION_DIGITS, MAX_INTEGER_DIGITS, Money
from kgru_relations.names import Name, NameKind

__all__ = [
    "agreements",
    "amounts",
    "chairmanships",
    "country_codes",
    "currency_codes",
    "datasets",
    "events",
    "ids",
    "indicators",
    "language_codes",
    "memberships",
    "money",
    "names",
    "observations",
    "organizations",
    "partial_dates",
    "periods",
    "persons",
    "positions",
    "register_strategies",
    "script_codes",
    "sources",
    "statements",
    "states",
    "status_changes",
    "tenures",
    "texts",
    "units",
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


# --- model entities ---------------------------------------------------------------

_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
_SLUGS = st.lists(st.text(_ALNUM, min_size=1, max_size=8), min_size=1, max_size=3).map("-".join)


def ids(kind: str) -> st.SearchStrategy[str]:
    """Draw a well-formed id of *kind* (``person:ab-12``)."""
    return _SLUGS.map(lambda slug: f"{kind}:{slug}")


def texts() -> st.SearchStrategy[str]:
    """Draw short non-blank text with no leading or trailing whitespace."""
    return _NAME_TEXT


def _source_ids() -> st.SearchStrategy[list[str]]:
    return st.lists(ids("source"), min_size=1, max_size=3, unique=True)


def _fact(draw: st.DrawFn, entity_id: str, sources: Sequence[str] | None = None) -> dict[str, Any]:
    """Draw the fields every fact shares, for the fact with id *entity_id*."""
    cited = (
        draw(_source_ids())
        if sources is None
        else draw(st.lists(st.sampled_from(list(sources)), min_size=1, max_size=3, unique=True))
    )
    other = ids(kind_of(entity_id)).filter(lambda candidate: candidate != entity_id)
    return {
        "id": entity_id,
        "sources": cited,
        "confidence": draw(st.sampled_from(Confidence)),
        "note": draw(st.none() | texts()),
        "variant_of": draw(st.none() | other),
    }


_WIKIDATA_IDS = st.integers(1, 10**9).map(lambda n: f"Q{n}")


def _names(min_size: int = 1) -> st.SearchStrategy[list[Name]]:
    return st.lists(names(), min_size=min_size, max_size=3, unique=True)


def _optional_dates() -> st.SearchStrategy[PartialDate | None]:
    return st.none() | partial_dates(min_year=1900, max_year=2100)


def sources() -> st.SearchStrategy[Source]:
    """Draw a [`Source`][kgru_relations.Source]."""
    return st.builds(
        Source,
        id=ids("source"),
        title=texts(),
        publisher=st.none() | texts(),
        url=st.none() | _SLUGS.map(lambda slug: f"https://example.org/{slug}"),
        published=_optional_dates(),
        retrieved=st.none() | st.dates(),
        language=st.none() | language_codes(),
        note=st.none() | texts(),
    )


@st.composite
def states(draw: st.DrawFn, *, code: str | None = None) -> State:
    """Draw a [`State`][kgru_relations.State] (with the given country *code*, if any)."""
    chosen = code if code is not None else draw(country_codes())
    return State(
        code=chosen,
        names=draw(_names()),
        capital=draw(_names(min_size=0)),
        wikidata=draw(st.none() | _WIKIDATA_IDS),
        cow_code=draw(st.none() | st.integers(2, 999)),
        **_fact(draw, f"state:{chosen.lower()}"),
    )


@st.composite
def organizations(draw: st.DrawFn) -> Organization:
    """Draw an [`Organization`][kgru_relations.Organization]."""
    founded = draw(_optional_dates())
    dissolved = draw(_optional_dates())
    if founded is not None and dissolved is not None and dissolved < founded:
        founded, dissolved = dissolved, founded
    return Organization(
        names=draw(_names()),
        kind=draw(st.sampled_from(OrganizationKind)),
        state=draw(st.none() | ids("state")),
        founded=founded,
        dissolved=dissolved,
        **_fact(draw, draw(ids("organization"))),
    )


@st.composite
def persons(draw: st.DrawFn) -> Person:
    """Draw a [`Person`][kgru_relations.Person]."""
    return Person(names=draw(_names()), **_fact(draw, draw(ids("person"))))


@st.composite
def positions(draw: st.DrawFn) -> Position:
    """Draw a [`Position`][kgru_relations.Position]."""
    return Position(
        names=draw(_names()),
        kind=draw(st.sampled_from(PositionKind)),
        organization=draw(ids("state") | ids("organization")),
        single_holder=draw(st.booleans()),
        wikidata=draw(st.none() | _WIKIDATA_IDS),
        **_fact(draw, draw(ids("position"))),
    )


@st.composite
def tenures(draw: st.DrawFn) -> Tenure:
    """Draw a [`Tenure`][kgru_relations.Tenure]."""
    return Tenure(
        person=draw(ids("person")),
        position=draw(ids("position")),
        period=draw(periods(min_year=1900, max_year=2100)),
        acting=draw(st.booleans()),
        **_fact(draw, draw(ids("tenure"))),
    )


@st.composite
def memberships(draw: st.DrawFn) -> Membership:
    """Draw a [`Membership`][kgru_relations.Membership] with changes inside its period."""
    period = draw(periods(min_year=1900, max_year=2100, open_start=False, unknown_start=False))
    assert isinstance(period.start, PartialDate)
    last = period.latest or _dt.date(2100, 12, 31)
    days = draw(
        st.lists(
            st.dates(period.start.latest, max(last, period.start.latest)), max_size=3, unique=True
        )
    )
    changes = [
        StatusChange(since=day, status=draw(st.sampled_from(MembershipStatus)))
        for day in sorted(days)
        if period.may_contain(day)
    ]
    return Membership(
        state=draw(ids("state")),
        organization=draw(ids("organization")),
        period=period,
        changes=changes,
        **_fact(draw, draw(ids("membership"))),
    )


def status_changes() -> st.SearchStrategy[StatusChange]:
    """Draw a [`StatusChange`][kgru_relations.StatusChange] on its own (of no membership)."""
    return st.builds(
        StatusChange,
        since=partial_dates(min_year=1900, max_year=2100),
        status=st.sampled_from(MembershipStatus),
        sources=st.lists(ids("source"), max_size=2, unique=True),
        note=st.none() | texts(),
    )


@st.composite
def chairmanships(draw: st.DrawFn) -> Chairmanship:
    """Draw a [`Chairmanship`][kgru_relations.Chairmanship]."""
    return Chairmanship(
        organization=draw(ids("organization")),
        state=draw(ids("state")),
        period=draw(periods(min_year=1900, max_year=2100)),
        **_fact(draw, draw(ids("chairmanship"))),
    )


@st.composite
def agreements(
    draw: st.DrawFn,
    *,
    parties: Sequence[str] | None = None,
    signatories: Sequence[str] | None = None,
    sources: Sequence[str] | None = None,
) -> Agreement:
    """Draw an [`Agreement`][kgru_relations.Agreement] that keeps the signing rules."""
    status = draw(st.sampled_from(AgreementStatus))
    signing = draw(partial_dates(min_year=1900, max_year=2100))
    signed: PartialDate | None = signing
    as_of = None
    if status is AgreementStatus.PLANNED:
        if draw(st.booleans()):
            signed = None
        else:  # planned for a date not before the record's own
            as_of = draw(st.none() | st.just(PartialDate(signing.year)))
    in_force = None
    if signed is not None and status is not AgreementStatus.PLANNED and draw(st.booleans()):
        in_force = PartialDate(signed.year + draw(st.integers(0, 3)))
    validity = None
    if signed is not None and draw(st.booleans()):
        validity = Period(
            PartialDate(signed.year), PartialDate(signed.year + draw(st.integers(0, 10)))
        )
    party_ids = (
        _some_of(parties, 4)
        if parties is not None
        else st.lists(ids("state") | ids("organization"), max_size=4, unique=True)
    )
    signer_ids = (
        _some_of(signatories, 2)
        if signatories is not None
        else st.lists(ids("person"), max_size=2, unique=True)
    )
    return Agreement(
        names=draw(_names()),
        kind=draw(st.sampled_from(AgreementKind)),
        status=status,
        parties=draw(party_ids),
        signatories=draw(signer_ids),
        signed=signed,
        place=draw(st.none() | texts()),
        in_force=in_force,
        validity=validity,
        as_of=as_of,
        **_fact(draw, draw(ids("agreement")), sources),
    )


@st.composite
def events(draw: st.DrawFn) -> Event:
    """Draw an [`Event`][kgru_relations.Event]."""
    return Event(
        names=draw(_names()),
        kind=draw(st.sampled_from(EventKind)),
        status=draw(st.sampled_from(EventStatus)),
        date=draw(partial_dates(min_year=1900, max_year=2100)),
        place=draw(st.none() | texts()),
        participants=draw(st.lists(ids("person") | ids("state"), max_size=3, unique=True)),
        topics=draw(st.lists(texts(), max_size=3, unique=True)),
        as_of=draw(_optional_dates()),
        **_fact(draw, draw(ids("event"))),
    )


@st.composite
def statements(draw: st.DrawFn) -> Statement:
    """Draw a [`Statement`][kgru_relations.Statement]."""
    return Statement(
        speaker=draw(ids("person")),
        date=draw(st.none() | partial_dates(min_year=1900, max_year=2100)),
        text=draw(texts()),
        quote=draw(st.booleans()),
        as_position=draw(st.none() | ids("position")),
        about=draw(st.lists(ids("state") | ids("agreement"), max_size=3, unique=True)),
        event=draw(st.none() | ids("event")),
        **_fact(draw, draw(ids("statement"))),
    )


def indicators() -> st.SearchStrategy[Indicator]:
    """Draw an [`Indicator`][kgru_relations.Indicator]."""
    return st.builds(
        Indicator,
        id=ids("indicator"),
        names=_names(),
        description=st.none() | texts(),
        symmetric=st.booleans(),
        allows_negative=st.booleans(),
        measure=st.none() | st.sampled_from(Measure),
    )


_DATASET_UNITS: Final = ("USD", "RUB", "project", "percent")
_UNIT_WORDS: Final = st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True)


def units(measure: Measure | None = None) -> st.SearchStrategy[str]:
    """Draw a unit an [`Observation`][kgru_relations.Observation] accepts.

    Args:
        measure: Draw only units that fit it (the rule is
            [`Measure.fits`][kgru_relations.model.economy.Measure.fits]); by
            default, any currency code or lowercase word.
    """
    if measure is None:
        return currency_codes() | _UNIT_WORDS
    candidates = {
        Measure.MONEY: currency_codes(),
        Measure.COUNT: _UNIT_WORDS,
        Measure.PERCENT: st.just("percent"),
    }[measure]
    return candidates.filter(measure.fits)


@st.composite
def observations(
    draw: st.DrawFn,
    *,
    indicator: str | None = None,
    reporters: Sequence[str] | None = None,
    allow_negative: bool = True,
    sources: Sequence[str] | None = None,
    measure: Measure | None = None,
) -> Observation:
    """Draw an [`Observation`][kgru_relations.Observation].

    Args:
        draw: Supplied by hypothesis.
        indicator: The indicator's id; default: any.
        reporters: The country codes to draw reporter and partner from.
        allow_negative: Whether the value may be negative.
        sources: The source ids to cite; default: any.
        measure: What the indicator measures: the unit is drawn to fit it.
    """
    codes = st.sampled_from(list(reporters)) if reporters else country_codes()
    reporter = draw(codes)
    partner = draw(st.none() | codes.filter(lambda code: code != reporter))
    kind = draw(st.sampled_from(ObservationKind))
    needs_period = kind in {ObservationKind.ACTUAL, ObservationKind.ESTIMATE}
    period = draw(
        partial_dates(min_year=1900, max_year=2100) if needs_period else _optional_dates()
    )
    return Observation(
        indicator=indicator if indicator is not None else draw(ids("indicator")),
        reporter=reporter,
        partner=partner,
        subject=draw(st.none() | ids("organization")),
        period=period,
        value=draw(amounts(allow_negative=allow_negative)),
        unit=draw(units(measure)),
        qualifier=draw(st.sampled_from(Qualifier)),
        kind=kind,
        **_fact(draw, draw(ids("observation")), sources),
    )


# --- whole datasets ---------------------------------------------------------------------


T = TypeVar("T")


def _some_of(choices: Sequence[T], most: int) -> st.SearchStrategy[list[T]]:
    """Up to *most* distinct items of *choices* (none if there are none)."""
    if not choices:
        return st.just([])
    return st.lists(st.sampled_from(list(choices)), max_size=most, unique=True)


def _maybe(choices: list[str]) -> st.SearchStrategy[str | None]:
    """None, or one of *choices* if there are any."""
    return st.none() | st.sampled_from(choices) if choices else st.none()


@st.composite
def _handovers(draw: st.DrawFn, count: int) -> list[Period]:
    """Draw *count* periods that follow one another, each ending the day the next starts."""
    days = sorted(
        draw(
            st.lists(
                st.dates(_dt.date(1950, 1, 1), _dt.date(2050, 12, 31)),
                min_size=count + 1,
                max_size=count + 1,
                unique=True,
            )
        )
    )
    spans = [Period(days[i], days[i + 1]) for i in range(count)]
    still_held: bool = draw(st.booleans())
    if spans and still_held:
        spans[-1] = Period(spans[-1].start, None)
    return spans


# Names for whole datasets: short, cheap to draw, and in two scripts, so that
# searches meet transliterated and accented spellings.
_DATASET_NAME = st.builds(
    Name,
    st.text(alphabet="abdeijkloprsuvyzhЖжапровéё -", min_size=1, max_size=12).filter(
        lambda text: text == text.strip() and bool(text)
    ),
    language=st.none() | st.sampled_from(["en", "ru", "ky"]),
    kind=st.sampled_from(NameKind),
)


@st.composite
def datasets(draw: st.DrawFn, *, max_size: int = 4) -> Dataset:
    """Draw a whole [`Dataset`][kgru_relations.Dataset] whose references all fit.

    Every reference names an entity of the right kind, tenures of a
    single-holder position follow one another, chairs rotate, and values are
    negative only where their indicator allows; so ``validate()`` is empty.

    Args:
        draw: Supplied by hypothesis.
        max_size: The most entities of each kind (tenures: per position).
    """
    cited = [f"source:s-{index}" for index in range(draw(st.integers(1, 3)))]
    source_list = [
        Source(
            id=source_id,
            title=draw(texts()),
            published=draw(st.none() | partial_dates(min_year=1950, max_year=2050)),
        )
        for source_id in cited
    ]

    def fact() -> dict[str, Any]:
        return {
            "sources": draw(st.lists(st.sampled_from(cited), min_size=1, max_size=2, unique=True)),
            "confidence": draw(st.sampled_from(Confidence)),
        }

    def some_names() -> list[Name]:
        return draw(st.lists(_DATASET_NAME, min_size=1, max_size=3, unique=True))

    def count() -> int:
        return draw(st.integers(0, max_size))

    def numbered(kind: str, how_many: int) -> list[str]:
        return [f"{kind}:{kind[:3]}-{index}" for index in range(how_many)]

    codes = draw(st.lists(country_codes(), min_size=1, max_size=max_size, unique=True))
    state_list = [
        State(
            id=f"state:{code.lower()}",
            code=code,
            names=some_names(),
            capital=draw(st.lists(_DATASET_NAME, max_size=1)),
            **fact(),
        )
        for code in codes
    ]
    state_ids = [state.id for state in state_list]
    organization_list = [
        Organization(
            id=organization_id,
            names=some_names(),
            kind=draw(st.sampled_from(OrganizationKind)),
            state=draw(_maybe(state_ids)),
            founded=draw(st.none() | partial_dates(min_year=1950, max_year=2050)),
            **fact(),
        )
        for organization_id in numbered("organization", count())
    ]
    organization_ids = [organization.id for organization in organization_list]
    person_list = [
        Person(id=person_id, names=some_names(), **fact())
        for person_id in numbered("person", count())
    ]
    person_ids = [person.id for person in person_list]
    position_list = [
        Position(
            id=position_id,
            names=some_names(),
            kind=draw(st.sampled_from(PositionKind)),
            organization=draw(st.sampled_from(state_ids + organization_ids)),
            single_holder=draw(st.booleans()),
            **fact(),
        )
        for position_id in numbered("position", count())
    ]
    tenure_list: list[Tenure] = []
    for position in position_list if person_ids else []:
        how_many = count()
        spans = (
            draw(_handovers(how_many))
            if position.single_holder
            else [draw(periods(min_year=1950, max_year=2050)) for _ in range(how_many)]
        )
        tenure_list += [
            Tenure(
                id=f"tenure:{position.id.partition(':')[2]}-{index}",
                person=draw(st.sampled_from(person_ids)),
                position=position.id,
                period=span,
                acting=draw(st.booleans()),
                **fact(),
            )
            for index, span in enumerate(spans)
        ]
    membership_list: list[Membership] = []
    chair_list: list[Chairmanship] = []
    for organization_id in organization_ids:
        members = draw(_some_of(state_ids, max_size))
        for state_id in members:
            period = draw(periods(min_year=1950, max_year=2050, open_start=False))
            start = period.earliest or _dt.date(1950, 1, 1)
            changes = [
                StatusChange(since=start + _dt.timedelta(days=offset), status=status)
                for offset, status in sorted(
                    draw(
                        st.dictionaries(
                            st.integers(1, 3000), st.sampled_from(MembershipStatus), max_size=2
                        )
                    ).items()
                )
                if period.contains(start + _dt.timedelta(days=offset))
            ]
            membership_list.append(
                Membership(
                    id=f"membership:{organization_id.partition(':')[2]}-{state_id[6:]}",
                    state=state_id,
                    organization=organization_id,
                    period=period,
                    changes=changes,
                    **fact(),
                )
            )
        years = sorted(draw(st.lists(st.integers(1990, 2040), max_size=max_size, unique=True)))
        chair_list += [
            Chairmanship(
                id=f"chairmanship:{organization_id.partition(':')[2]}-{year}",
                organization=organization_id,
                state=draw(st.sampled_from(members)),
                period=Period(PartialDate(year), PartialDate(year)),
                **fact(),
            )
            for year in (years if members else [])
        ]
    agreement_list = [
        attrs.evolve(
            draw(
                agreements(
                    parties=state_ids + organization_ids,
                    signatories=person_ids,
                    sources=cited,
                )
            ),
            id=agreement_id,
            names=some_names(),
            note=None,
            variant_of=None,
        )
        for agreement_id in numbered("agreement", count())
    ]
    event_list = [
        Event(
            id=event_id,
            names=some_names(),
            kind=draw(st.sampled_from(EventKind)),
            status=draw(st.sampled_from(EventStatus)),
            date=draw(partial_dates(min_year=1950, max_year=2050)),
            participants=draw(_some_of(state_ids + person_ids, 3)),
            **fact(),
        )
        for event_id in numbered("event", count())
    ]
    # Second accounts: a tenure or an event told again by another source. One of
    # a single-holder position keeps its period (a different period could clash
    # with the next holder's), so it may differ only in whether it was acting.
    single = {position.id for position in position_list if position.single_holder}
    retold = draw(_some_of(tenure_list, 2))
    tenure_list += [
        attrs.evolve(
            tenure,
            id=f"{tenure.id}.b",
            period=(
                tenure.period
                if tenure.position in single
                else draw(periods(min_year=1950, max_year=2050))
            ),
            acting=draw(st.booleans()),
            variant_of=tenure.id,
            **fact(),
        )
        for tenure in retold
    ]
    retold_events = draw(_some_of(event_list, 2))
    event_list += [
        attrs.evolve(
            event,
            id=f"{event.id}.b",
            date=draw(partial_dates(min_year=1950, max_year=2050)),
            variant_of=event.id,
            **fact(),
        )
        for event in retold_events
    ]
    statement_list = [
        Statement(
            id=statement_id,
            speaker=draw(st.sampled_from(person_ids)),
            date=draw(st.none() | partial_dates(min_year=1950, max_year=2050)),
            text=draw(texts()),
            as_position=draw(_maybe([position.id for position in position_list])),
            about=draw(_some_of(state_ids, 2)),
            event=draw(_maybe([event.id for event in event_list])),
            **fact(),
        )
        for statement_id in numbered("statement", count() if person_ids else 0)
    ]
    indicator_list = [
        Indicator(
            id=indicator_id,
            names=some_names(),
            symmetric=draw(st.booleans()),
            allows_negative=draw(st.booleans()),
            measure=draw(st.none() | st.sampled_from(Measure)),
        )
        for indicator_id in numbered("indicator", draw(st.integers(0, 2)))
    ]
    fitting = {
        measure: [unit for unit in _DATASET_UNITS if measure is None or measure.fits(unit)]
        for measure in (None, *Measure)
    }
    observation_list = []
    for indicator in indicator_list:
        for index in range(count()):
            reporter = draw(st.sampled_from(codes))
            kind = draw(st.sampled_from(ObservationKind))
            needs_period = kind in {ObservationKind.ACTUAL, ObservationKind.ESTIMATE}
            dated = needs_period or draw(st.booleans())
            observation_list.append(
                Observation(
                    id=f"observation:{indicator.id.partition(':')[2]}-{index}",
                    indicator=indicator.id,
                    reporter=reporter,
                    partner=draw(_maybe([code for code in codes if code != reporter])),
                    period=draw(partial_dates(min_year=2000, max_year=2030)) if dated else None,
                    value=draw(amounts(allow_negative=indicator.allows_negative)),
                    unit=draw(st.sampled_from(fitting[indicator.measure])),
                    qualifier=draw(st.sampled_from(Qualifier)),
                    kind=kind,
                    **fact(),
                )
            )
    return Dataset(
        [
            *source_list,
            *state_list,
            *organization_list,
            *person_list,
            *position_list,
            *tenure_list,
            *membership_list,
            *chair_list,
            *agreement_list,
            *event_list,
            *statement_list,
            *indicator_list,
            *observation_list,
        ]
    )


# --- st.from_type -----------------------------------------------------------------------


def register_strategies() -> None:
    """Register the strategies above with hypothesis, so ``st.from_type`` draws valid values.

    This module runs it when it is imported, and hypothesis imports this
    module itself, through the ``hypothesis`` entry point this package
    declares, so ``st.from_type(PartialDate)`` or
    ``st.builds(f)`` for a function taking a ``Tenure`` draw valid values with
    no set-up. Calling it again is harmless.
    """
    registered: list[tuple[type[Any], st.SearchStrategy[Any]]] = [
        (PartialDate, partial_dates()),
        (Period, periods()),
        (Money, money()),
        (Name, names()),
        (StatusChange, status_changes()),
        (Source, sources()),
        (State, states()),
        (Organization, organizations()),
        (Person, persons()),
        (Position, positions()),
        (Tenure, tenures()),
        (Membership, memberships()),
        (Chairmanship, chairmanships()),
        (Agreement, agreements()),
        (Event, events()),
        (Statement, statements()),
        (Indicator, indicators()),
        (Observation, observations()),
        (Dataset, datasets()),
    ]
    for cls, strategy in registered:
        st.register_type_strategy(cls, strategy)


# Registered when this module is imported, whoever imports it first: hypothesis,
# through the entry point in `_hypothesis_plugin`, or a user's own import.
register_strategies()
