"""Strategies for each model class, every value valid and every reference well formed."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any, Final

from hypothesis import strategies as st

from kgru_relations.dates import PartialDate, Period
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
from kgru_relations.model.actors import COW_CODES
from kgru_relations.model.economy import Measure
from kgru_relations.names import Name
from kgru_relations.strategies._values import (
    SLUGS,
    amounts,
    country_codes,
    currency_codes,
    ids,
    language_codes,
    names,
    partial_dates,
    periods,
    some_of,
    texts,
)


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
        url=st.none() | SLUGS.map(lambda slug: f"https://example.org/{slug}"),
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
        cow_code=draw(st.none() | st.integers(*COW_CODES)),
        **_fact(draw, State.id_for(chosen)),
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
        some_of(parties, 4)
        if parties is not None
        else st.lists(ids("state") | ids("organization"), max_size=4, unique=True)
    )
    signer_ids = (
        some_of(signatories, 2)
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


DATASET_UNITS: Final = ("USD", "RUB", "project", "percent")
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
