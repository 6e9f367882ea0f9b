"""Queries about offices: who held a position, and which positions a person held.

Each function here is the body of the [`Dataset`][kgru_relations.Dataset]
method of the same name, which documents it; each takes the entities and their
indexes as arguments.
"""

from __future__ import annotations

import datetime as _dt

from kgru_relations.dataset._core import Core, option, shown_id
from kgru_relations.dataset._edges import TENURE
from kgru_relations.dataset._indexes import Indexes
from kgru_relations.dates import as_day
from kgru_relations.model import Organization, Person, Position, PositionKind, State, Tenure

__all__ = [
    "holder",
    "holders",
    "office_holders",
    "positions_of",
    "possible_days",
    "possible_holders",
    "tenures_of",
]


def holders(core: Core, index: Indexes, position_id: str, on: _dt.date) -> list[Tenure]:
    """Every tenure of the position that includes *on*, earliest start first."""
    day = as_day(on, "on")
    core.known(position_id, Position)
    found = index.along(TENURE, "target").get(position_id)
    return [] if found is None else found.at(day)


def possible_holders(core: Core, index: Indexes, position_id: str, on: _dt.date) -> list[Tenure]:
    """Every tenure of the position that may include *on*, earliest start first."""
    day = as_day(on, "on")
    core.known(position_id, Position)
    found = index.possible[0].get(position_id)
    return [] if found is None else found.possibly_at(day)


def possible_days(
    core: Core, index: Indexes, tenure: Tenure
) -> tuple[_dt.date | None, _dt.date | None]:
    """The first and last day *tenure* may cover (``None`` where unbounded)."""
    held = core.lookup(tenure.id)
    if held != tenure:
        msg = f"tenure {shown_id(tenure.id)} is not in this dataset"
        raise KeyError(msg)
    first, last = index.possible[1][id(held)]
    return (
        None if first == _dt.date.min else first,
        None if last == _dt.date.max else last,
    )


def holder(core: Core, index: Indexes, position_id: str, on: _dt.date) -> Person | None:
    """The person holding the position on *on* (the incoming one on a handover day), or None."""
    tenures = holders(core, index, position_id, on)
    if not tenures:
        return None
    person = core.lookup(tenures[-1].person)
    return person if isinstance(person, Person) else None


def positions_of(core: Core, index: Indexes, person_id: str, on: _dt.date) -> list[Position]:
    """The positions the person held on *on*."""
    day = as_day(on, "on")
    core.known(person_id, Person)
    found = index.along(TENURE, "source").get(person_id)
    if found is None:
        return []
    positions = [core.lookup(tenure.position) for tenure in found.at(day)]
    return [position for position in positions if isinstance(position, Position)]


def tenures_of(core: Core, index: Indexes, person_id: str) -> list[Tenure]:
    """Every tenure of the person, earliest start first."""
    core.known(person_id, Person)
    found = index.along(TENURE, "source").get(person_id)
    return [] if found is None else found.items()


def office_holders(
    core: Core, index: Indexes, owner_id: str, kind: PositionKind | str, on: _dt.date
) -> list[Tenure]:
    """Who held the offices of one kind that a state or organisation has, on *on*."""
    day = as_day(on, "on")
    core.known(owner_id, State, Organization)
    kind = option(kind, PositionKind, "kind")
    tenures = [
        tenure
        for position in index.offices.get((owner_id, kind), ())
        for tenure in holders(core, index, position.id, day)
    ]
    return sorted(tenures, key=lambda tenure: tenure.period.earliest or _dt.date.min)
