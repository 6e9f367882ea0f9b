"""Relations between actors, each a first-class edge with its own period.

A [`Tenure`][kgru_relations.Tenure] links a person to a position, a
[`Membership`][kgru_relations.Membership] a state to an organisation, a
[`Chairmanship`][kgru_relations.Chairmanship] an organisation to the state
chairing it. Edges hold ids; the [`Dataset`][kgru_relations.Dataset] resolves
them.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterator
from typing import ClassVar

import attrs

from kgru_relations.dates import PartialDate, Period
from kgru_relations.errors import Issue
from kgru_relations.model._base import (
    Fact,
    Record,
    as_ids,
    as_partial_date,
    as_period,
    as_tuple,
    check_bool,
    check_partial_date,
    check_period,
    check_text,
    checked,
    choice,
    instance,
    many,
    optional,
    reference,
    references,
)

__all__ = ["Chairmanship", "Membership", "MembershipStatus", "StatusChange", "Tenure"]


class MembershipStatus(enum.Enum):
    """A state's standing in an organisation it belongs to."""

    MEMBER = "member"
    """A full, participating member."""
    SUSPENDED = "suspended"
    """Still a member, but not taking part (Armenia in the CSTO since 2024)."""
    OBSERVER = "observer"
    """An observer, not a member."""
    WITHDRAWN = "withdrawn"
    """Has left, or announced that it is leaving."""


@attrs.frozen(kw_only=True)
class Tenure(Fact):
    """A person holding a position over a period.

    Attributes:
        id: ``tenure:slug``.
        person: The id of the person.
        position: The id of the position.
        period: When the person held it; an open end means they still do.
        acting: Whether the person held it as an acting (interim) holder.

    Examples:
        >>> Tenure(id="tenure:lavrov-mfa", person="person:sergey-lavrov",
        ...        position="position:ru-foreign-minister", period="2004-03-09/..",
        ...        sources=["source:kremlin"]).period.is_open
        True
    """

    KIND: ClassVar[str] = "tenure"
    COLLECTION: ClassVar[str] = "tenures"

    person: str = attrs.field(metadata=reference("person"))
    position: str = attrs.field(metadata=reference("position"))
    period: Period = attrs.field(converter=as_period, metadata=checked(check_period))
    acting: bool = attrs.field(default=False, metadata=checked(check_bool))

    def held_on(self, day: _dt.date) -> bool:
        """Whether the period could include *day* (as ``period.contains`` says)."""
        return self.period.contains(day)


@attrs.frozen(kw_only=True)
class StatusChange(Record):
    """From a date on, a membership has a new status.

    Attributes:
        since: When the new status began.
        status: The new status.
        sources: Ids of the sources that report the change (may be empty when
            the membership's own sources cover it).
        note: What the status means here (an announcement, no formal notice).
    """

    since: PartialDate = attrs.field(
        converter=as_partial_date, metadata=checked(check_partial_date)
    )
    status: MembershipStatus = attrs.field(metadata=checked(choice(MembershipStatus)))
    sources: tuple[str, ...] = attrs.field(
        converter=as_ids, default=(), metadata=references("source")
    )
    note: str | None = attrs.field(default=None, metadata=checked(optional(check_text)))


@attrs.frozen(kw_only=True)
class Membership(Fact):
    """A state's membership of an organisation, with its changes of status.

    The status is ``member`` from the start of the period until the first
    change, then each change's status from its date on.

    Attributes:
        id: ``membership:slug``.
        state: The id of the member state.
        organization: The id of the organisation.
        period: When the state was a member; an open end means it still is.
        changes: Changes of status, in date order, each inside the period.

    Examples:
        >>> armenia = Membership(
        ...     id="membership:csto-am", state="state:am", organization="organization:csto",
        ...     period="2002-10-07/..", sources=["source:csto"],
        ...     changes=[StatusChange(since="2024-02-22", status="suspended")])
        >>> import datetime
        >>> armenia.status_on(datetime.date(2025, 1, 1))
        <MembershipStatus.SUSPENDED: 'suspended'>
    """

    KIND: ClassVar[str] = "membership"
    COLLECTION: ClassVar[str] = "memberships"

    state: str = attrs.field(metadata=reference("state"))
    organization: str = attrs.field(metadata=reference("organization"))
    period: Period = attrs.field(converter=as_period, metadata=checked(check_period))
    changes: tuple[StatusChange, ...] = attrs.field(
        converter=as_tuple, default=(), metadata=checked(many(instance(StatusChange)), nested=True)
    )

    def _rules(self) -> Iterator[Issue]:
        previous: StatusChange | None = None
        for index, change in enumerate(self.changes):
            # may_contain: a change after the start of a membership that ended on an
            # unknown day may well be inside it.
            if not self.period.may_contain(change.since.earliest) and not self.period.may_contain(
                change.since.latest
            ):
                yield Issue(
                    f"$.changes[{index}].since",
                    f"the change on {change.since} is outside the membership ({self.period})",
                )
            if previous is not None and not previous.since < change.since:
                yield Issue(
                    f"$.changes[{index}].since",
                    f"changes must be in date order; {change.since} is not after {previous.since}",
                )
            previous = change

    def status_on(self, day: _dt.date) -> MembershipStatus | None:
        """The status on *day*, or ``None`` if *day* is outside the membership."""
        if not self.period.contains(day):
            return None
        status = MembershipStatus.MEMBER
        for change in self.changes:
            if change.since.earliest <= day:
                status = change.status
        return status


@attrs.frozen(kw_only=True)
class Chairmanship(Fact):
    """A state chairing an organisation (a rotating presidency) over a period.

    Attributes:
        id: ``chairmanship:slug``.
        organization: The id of the organisation.
        state: The id of the chairing state.
        period: When it chaired (``2025`` to ``2025`` for a calendar year).
    """

    KIND: ClassVar[str] = "chairmanship"
    COLLECTION: ClassVar[str] = "chairmanships"

    organization: str = attrs.field(metadata=reference("organization"))
    state: str = attrs.field(metadata=reference("state"))
    period: Period = attrs.field(converter=as_period, metadata=checked(check_period))
