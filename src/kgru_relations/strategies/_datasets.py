"""Strategies for whole datasets, whose references resolve and whose integrity rules hold."""

from __future__ import annotations

import datetime as _dt
from typing import Any, TypeVar

import attrs
from hypothesis import strategies as st

from kgru_relations.dataset import Dataset
from kgru_relations.dates import PartialDate, Period
from kgru_relations.model import (
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
)
from kgru_relations.model.economy import Measure
from kgru_relations.names import Name, NameKind
from kgru_relations.strategies._entities import (
    DATASET_UNITS,
    agreements,
)
from kgru_relations.strategies._values import (
    amounts,
    country_codes,
    maybe,
    partial_dates,
    periods,
    some_of,
    texts,
)

# --- whole datasets ---------------------------------------------------------------------


T = TypeVar("T")


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
            id=State.id_for(code),
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
            state=draw(maybe(state_ids)),
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
        members = draw(some_of(state_ids, max_size))
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
            participants=draw(some_of(state_ids + person_ids, 3)),
            **fact(),
        )
        for event_id in numbered("event", count())
    ]
    # Second accounts: a tenure or an event told again by another source. One of
    # a single-holder position keeps its period (a different period could clash
    # with the next holder's), so it may differ only in whether it was acting.
    single = {position.id for position in position_list if position.single_holder}
    retold = draw(some_of(tenure_list, 2))
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
    retold_events = draw(some_of(event_list, 2))
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
            as_position=draw(maybe([position.id for position in position_list])),
            about=draw(some_of(state_ids, 2)),
            event=draw(maybe([event.id for event in event_list])),
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
        measure: [unit for unit in DATASET_UNITS if measure is None or measure.fits(unit)]
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
                    partner=draw(maybe([code for code in codes if code != reporter])),
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
