"""Agreements between states and organisations: treaties, declarations, programmes."""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterator
from typing import ClassVar

import attrs

from kgru_relations.dates import PartialDate, Period, Unknown
from kgru_relations.errors import Issue
from kgru_relations.model._base import (
    Fact,
    as_ids,
    as_names,
    as_optional_partial_date,
    as_optional_period,
    check_names,
    check_partial_date,
    check_period,
    check_text,
    checked,
    choice,
    optional,
    references,
)
from kgru_relations.names import Name

__all__ = ["Agreement", "AgreementKind", "AgreementStatus"]


class AgreementKind(enum.Enum):
    """What sort of instrument an [`Agreement`][kgru_relations.Agreement] is."""

    TREATY = "treaty"
    """A treaty or convention, binding in international law."""
    CHARTER = "charter"
    """The founding charter or statute of an organisation."""
    AGREEMENT = "agreement"
    """An intergovernmental agreement."""
    DECLARATION = "declaration"
    """A joint declaration of principles."""
    PROGRAMME = "programme"
    """A programme of cooperation for a span of years."""
    ROADMAP = "roadmap"
    """A plan of steps (often what news reports call a programme)."""
    MEMORANDUM = "memorandum"
    """A memorandum of understanding."""


class AgreementStatus(enum.Enum):
    """Where an agreement stands."""

    PLANNED = "planned"
    """Announced, not yet signed."""
    SIGNED = "signed"
    """Signed; not known to be in force."""
    IN_FORCE = "in_force"
    """In force (or, for a programme, being implemented)."""
    EXPIRED = "expired"
    """Its term has run out."""
    TERMINATED = "terminated"
    """Ended before its term, or denounced."""


_NEEDS_SIGNING = frozenset(
    {
        AgreementStatus.SIGNED,
        AgreementStatus.IN_FORCE,
        AgreementStatus.EXPIRED,
        AgreementStatus.TERMINATED,
    }
)
_IN_FORCE_AT_SOME_TIME = frozenset(
    {AgreementStatus.IN_FORCE, AgreementStatus.EXPIRED, AgreementStatus.TERMINATED}
)


@attrs.frozen(kw_only=True)
class Agreement(Fact):
    """An agreement, its parties, and where it stands.

    Attributes:
        id: ``agreement:slug`` (``agreement:ru-kg-declaration-2000``).
        names: The title, at least one name, in any languages.
        kind: What sort of instrument it is.
        status: Where it stands, as of ``as_of``.
        parties: Ids of the states and organisations bound by it.
        signatories: Ids of the people who signed it.
        signed: When it was signed (for a planned one: when signing is planned).
        place: Where it was signed (a city name).
        in_force: When it entered into force.
        validity: The span it covers or is valid for (``2025/2027``).
        as_of: The date the status was last known to be right.

    Rules: a signed, in-force, expired or terminated agreement has a signing
    date; a planned one has no signing date before its own ``as_of``; it
    cannot enter into force before it is signed.
    """

    KIND: ClassVar[str] = "agreement"
    COLLECTION: ClassVar[str] = "agreements"

    names: tuple[Name, ...] = attrs.field(converter=as_names, metadata=checked(check_names))
    kind: AgreementKind = attrs.field(metadata=checked(choice(AgreementKind)))
    status: AgreementStatus = attrs.field(metadata=checked(choice(AgreementStatus)))
    parties: tuple[str, ...] = attrs.field(
        converter=as_ids, default=(), metadata=references("state", "organization")
    )
    signatories: tuple[str, ...] = attrs.field(
        converter=as_ids, default=(), metadata=references("person")
    )
    signed: PartialDate | None = attrs.field(
        converter=as_optional_partial_date,
        default=None,
        metadata=checked(optional(check_partial_date)),
    )
    place: str | None = attrs.field(default=None, metadata=checked(optional(check_text)))
    in_force: PartialDate | None = attrs.field(
        converter=as_optional_partial_date,
        default=None,
        metadata=checked(optional(check_partial_date)),
    )
    validity: Period | None = attrs.field(
        converter=as_optional_period, default=None, metadata=checked(optional(check_period))
    )
    as_of: PartialDate | None = attrs.field(
        converter=as_optional_partial_date,
        default=None,
        metadata=checked(optional(check_partial_date)),
    )

    def _rules(self) -> Iterator[Issue]:
        if self.status in _NEEDS_SIGNING and self.signed is None:
            yield Issue(
                "$.signed",
                f"an agreement whose status is {self.status.value!r} needs a signing date",
            )
        if (
            self.status is AgreementStatus.PLANNED
            and self.signed is not None
            and self.as_of is not None
            and self.signed.latest < self.as_of.earliest
        ):
            yield Issue(
                "$.signed",
                f"a planned agreement cannot have been signed on {self.signed}, "
                f"before its record's date {self.as_of}; is it signed now?",
            )
        if (
            self.in_force is not None
            and self.signed is not None
            and self.in_force.latest < self.signed.earliest
        ):
            yield Issue(
                "$.in_force", f"entry into force {self.in_force} is before signing {self.signed}"
            )

    @property
    def in_force_window(self) -> Period | None:
        """The span the agreement was in force, as far as the record says, or ``None``.

        It must have entered into force at some time (status in force, expired
        or terminated). The span starts at the later of its entry into force
        (or signing, if that is not recorded) and the start of its validity,
        and ends with its validity, if it has one.
        """
        start = self.in_force or self.signed
        if self.status not in _IN_FORCE_AT_SOME_TIME or start is None:
            return None
        end: PartialDate | Unknown | None = None
        if self.validity is not None:
            begins = self.validity.start
            if isinstance(begins, PartialDate) and begins.earliest > start.earliest:
                start = begins
            end = self.validity.end  # unknown: in force from its start, until some day
        if isinstance(end, PartialDate) and end.latest < start.earliest:
            return None
        return Period(start, end)

    def in_force_on(self, day: _dt.date) -> bool:
        """Whether *day* falls in the agreement's ``in_force_window``."""
        window = self.in_force_window
        return window is not None and window.contains(day)
