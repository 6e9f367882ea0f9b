"""Queries about organisations: their members, with their status, and their chair.

Each function here is the body of the [`Dataset`][kgru_relations.Dataset]
method of the same name, which documents it.
"""

from __future__ import annotations

import datetime as _dt

from kgru_relations.dataset._core import Core, option
from kgru_relations.dataset._edges import CHAIRMANSHIP, MEMBERSHIP
from kgru_relations.dataset._indexes import Indexes
from kgru_relations.dates import as_day
from kgru_relations.model import MembershipStatus, Organization, State

__all__ = ["chair", "members", "membership_statuses"]


def membership_statuses(
    core: Core, index: Indexes, organization_id: str, on: _dt.date
) -> dict[str, MembershipStatus]:
    """Each member state of the organisation on *on*, by id, with its status that day."""
    day = as_day(on, "on")
    core.known(organization_id, Organization)
    found = index.along(MEMBERSHIP, "target").get(organization_id)
    statuses: dict[str, MembershipStatus] = {}
    for membership in [] if found is None else found.at(day):
        status = membership.status_on(day)
        if status is not None:
            statuses[membership.state] = status
    return statuses


def members(
    core: Core,
    index: Indexes,
    organization_id: str,
    on: _dt.date,
    status: MembershipStatus | str | None,
) -> list[State]:
    """The states that belonged to the organisation on *on* (with *status*), by id."""
    day = as_day(on, "on")
    core.known(organization_id, Organization)
    if status is not None:
        status = option(status, MembershipStatus, "status")
    found = index.along(MEMBERSHIP, "target").get(organization_id)
    if found is None:
        return []
    states = []
    for membership in found.at(day):
        if status is not None and membership.status_on(day) is not status:
            continue
        state = core.lookup(membership.state)
        if isinstance(state, State):
            states.append(state)
    return sorted(states, key=lambda state: state.id)


def chair(core: Core, index: Indexes, organization_id: str, on: _dt.date) -> State | None:
    """The state chairing the organisation on *on*, or ``None``."""
    day = as_day(on, "on")
    core.known(organization_id, Organization)
    found = index.along(CHAIRMANSHIP, "target").get(organization_id)
    chairs = [] if found is None else found.at(day)
    if not chairs:
        return None
    state = core.lookup(chairs[-1].state)
    return state if isinstance(state, State) else None
