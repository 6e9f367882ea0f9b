"""What happens and what is said: events (talks, visits, summits) and statements."""

from __future__ import annotations

import enum
from typing import ClassVar

import attrs

from kgru_relations.dates import PartialDate
from kgru_relations.model._base import (
    Fact,
    as_ids,
    as_names,
    as_optional_partial_date,
    as_partial_date,
    as_texts,
    check_bool,
    check_names,
    check_paragraphs,
    check_partial_date,
    check_text,
    checked,
    choice,
    many,
    optional,
    optional_reference,
    reference,
    references,
)
from kgru_relations.names import Name

__all__ = ["Event", "EventKind", "EventStatus", "Statement"]


class EventKind(enum.Enum):
    """What sort of event an [`Event`][kgru_relations.Event] is."""

    TALKS = "talks"
    """Talks between officials."""
    VISIT = "visit"
    """An official or state visit."""
    SUMMIT = "summit"
    """A meeting of heads of state or government, or an organisation's session."""
    SIGNING = "signing"
    """A signing ceremony."""
    PARADE = "parade"
    """A military parade."""
    COMMEMORATION = "commemoration"
    """An anniversary or memorial."""
    OTHER = "other"
    """Anything else."""


class EventStatus(enum.Enum):
    """Whether an event has happened."""

    PLANNED = "planned"
    """Announced or expected."""
    HELD = "held"
    """It took place."""
    CANCELLED = "cancelled"
    """Called off."""


@attrs.frozen(kw_only=True)
class Event(Fact):
    """An event: talks, a visit, a summit, a parade.

    Attributes:
        id: ``event:slug``.
        names: What it is called, at least one name.
        kind: What sort of event it is.
        status: Whether it happened, as of ``as_of``.
        date: When it happened, or is to happen.
        place: Where (a city name).
        participants: Ids of the people, states and organisations taking part.
        topics: What it was about, in short phrases.
        as_of: The date the status was last known to be right.
    """

    KIND: ClassVar[str] = "event"
    COLLECTION: ClassVar[str] = "events"

    names: tuple[Name, ...] = attrs.field(converter=as_names, metadata=checked(check_names))
    kind: EventKind = attrs.field(metadata=checked(choice(EventKind)))
    status: EventStatus = attrs.field(metadata=checked(choice(EventStatus)))
    date: PartialDate = attrs.field(converter=as_partial_date, metadata=checked(check_partial_date))
    place: str | None = attrs.field(default=None, metadata=checked(optional(check_text)))
    participants: tuple[str, ...] = attrs.field(
        converter=as_ids, default=(), metadata=references("person", "state", "organization")
    )
    topics: tuple[str, ...] = attrs.field(
        converter=as_texts, default=(), metadata=checked(many(check_text))
    )
    as_of: PartialDate | None = attrs.field(
        converter=as_optional_partial_date,
        default=None,
        metadata=checked(optional(check_partial_date)),
    )


@attrs.frozen(kw_only=True)
class Statement(Fact):
    """Something a person said, when, and in which role.

    Attributes:
        id: ``statement:slug``.
        speaker: The id of the person who said it (required).
        date: When it was said, to whatever precision is known; ``None`` when
            no source dates it (a report that only says someone "has said"). Its
            sources' publication dates then bound it from above.
        text: What was said, in the dataset's own words, or quoted.
        quote: Whether ``text`` is a direct quotation (then it is the fact).
        as_position: The id of the position the speaker spoke as, as reported;
            the Dataset's check flags a speaker who did not hold it then.
        about: Ids of the entities the statement is about.
        event: The id of the event it was made at, if any.
    """

    KIND: ClassVar[str] = "statement"
    COLLECTION: ClassVar[str] = "statements"

    speaker: str = attrs.field(metadata=reference("person"))
    date: PartialDate | None = attrs.field(
        converter=as_optional_partial_date,
        default=None,
        metadata=checked(optional(check_partial_date)),
    )
    text: str = attrs.field(metadata=checked(check_paragraphs))
    quote: bool = attrs.field(default=False, metadata=checked(check_bool))
    as_position: str | None = attrs.field(default=None, metadata=optional_reference("position"))
    about: tuple[str, ...] = attrs.field(
        converter=as_ids,
        default=(),
        metadata=references(
            "state",
            "organization",
            "person",
            "position",
            "agreement",
            "event",
            "indicator",
            "observation",
        ),
    )
    event: str | None = attrs.field(default=None, metadata=optional_reference("event"))

    @property
    def label(self) -> str:
        """The statement's text, shortened."""
        return self.text if len(self.text) <= 60 else self.text[:59] + "…"
