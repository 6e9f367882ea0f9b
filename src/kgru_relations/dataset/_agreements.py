"""Queries about agreements and anniversaries.

Each function here is the body of the [`Dataset`][kgru_relations.Dataset]
method of the same name, which documents it.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Final

import attrs

from kgru_relations.dataset._core import Core, option
from kgru_relations.dataset._indexes import Indexes
from kgru_relations.dates import PartialDate, Period, as_day
from kgru_relations.errors import ValidationError
from kgru_relations.model import Agreement, AgreementKind, AgreementStatus, Organization, State

__all__ = ["Anniversary", "agreements", "anniversaries"]

_ROUND_EVERY: Final = 5


@attrs.frozen(kw_only=True)
class Anniversary:
    """A round anniversary of a signing or a founding.

    Attributes:
        entity: The id of the agreement or organisation.
        label: Its name.
        event: ``"signing"`` or ``"founding"``.
        original: When it was signed or founded.
        years: How many years it is (5, 10, 15, 20, 25, …).
        date: The anniversary, to the same precision as the original.
    """

    entity: str
    label: str
    event: str
    original: PartialDate
    years: int
    date: PartialDate


def agreements(
    core: Core,
    index: Indexes,
    *,
    party: str | None,
    kind: AgreementKind | str | None,
    status: AgreementStatus | str | None,
    in_force_on: _dt.date | None,
) -> list[Agreement]:
    """The agreements that match every filter given, by signing date then id."""
    day = as_day(in_force_on, "in_force_on") if in_force_on is not None else None
    if party is not None:
        core.known(party, State, Organization)
    if kind is not None:
        kind = option(kind, AgreementKind, "kind")
    if status is not None:
        status = option(status, AgreementStatus, "status")
    # Start from the shortest list a filter gives by a lookup, then apply every filter.
    choices: list[Sequence[Agreement]] = []
    if party is not None:
        choices.append(index.agreements_by_party.get(party, []))
    if kind is not None:
        choices.append(index.agreements_by_kind.get(kind, []))
    if status is not None:
        choices.append(index.agreements_by_status.get(status, []))
    if not choices:
        choices.append(core.all(Agreement) if day is None else index.agreements_in_force.at(day))
    candidates = min(choices, key=len)
    chosen = [
        agreement
        for agreement in candidates
        if (kind is None or agreement.kind is kind)
        and (status is None or agreement.status is status)
        and (day is None or _window_contains(index.in_force_windows.get(agreement.id), day))
    ]
    return sorted(
        chosen,
        key=lambda a: (
            a.signed is not None,
            a.signed.earliest if a.signed else _dt.date.min,
            a.id,
        ),
    )


def anniversaries(index: Indexes, year: int) -> tuple[Anniversary, ...]:
    """Round anniversaries (every fifth year) of signings and foundings in *year*, by date."""
    dated = index.dated
    found = [
        Anniversary(
            entity=entity.id,
            label=entity.label,
            event=event,
            original=original,
            years=years,
            date=_same_day_in(original, year),
        )
        for years in range(_ROUND_EVERY, year, _ROUND_EVERY)
        for entity, event, original in dated.get(year - years, ())
    ]
    # Dates compare as (earliest, latest), the order PartialDate defines, but faster.
    found.sort(key=lambda a: (a.date.earliest, a.date.latest, a.entity))
    return tuple(found)


def _same_day_in(original: PartialDate, year: int) -> PartialDate:
    """The date in *year* that marks an anniversary of *original*, to the same precision."""
    if original.day is not None:
        try:
            return PartialDate(year, original.month, original.day)
        except ValidationError:  # 29 February, in a common year
            return PartialDate(year, original.month, 28)
    return PartialDate(year, original.month, quarter=original.quarter)


def _window_contains(window: Period | None, day: _dt.date) -> bool:
    return window is not None and window.contains(day)
