"""The FollowTheMoney mapping, declared once for the export, the import and the check.

The id rule (one-to-one and reversible), the schemata FtM has, which of our
kinds each FtM schema holds and back, each relation's FtM form (one
[`FtmEdge`][kgru_relations.interop.ftm._mapping.FtmEdge] per edge, which the
export and the import both read), and what an organisation or position is in
FtM's topics.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from typing import Any, Final

import attrs

from kgru_relations.dataset._edges import CHAIRMANSHIP, EDGES, MEMBERSHIP, TENURE, Edge
from kgru_relations.dates import UNKNOWN
from kgru_relations.errors import ValidationError, shown
from kgru_relations.interop.importing import described
from kgru_relations.model import (
    Agreement,
    Entity,
    Event,
    Organization,
    OrganizationKind,
    Person,
    Position,
    PositionKind,
    Source,
    State,
)
from kgru_relations.model._base import valid_id

__all__ = [
    "EDGES_LOST",
    "FTM_EDGES",
    "FTM_ID",
    "FTM_ID_LENGTH",
    "FTM_ID_PREFIX",
    "FTM_SCHEMATA",
    "KIND_OF_SCHEMA",
    "LEVELS",
    "ORGANIZATION_TOPICS",
    "OTHER_ORGANIZATION",
    "POSITION_TOPICS",
    "SCHEMA_OF",
    "STATE_TOPICS",
    "UNREAD",
    "FtmEdge",
    "Said",
    "ftm_id",
    "ftm_id_problem",
    "id_from_ftm",
    "kind_of_class",
    "kind_of_entity",
    "own_id",
    "read_as",
]

FTM_ID_PREFIX: Final = "kgru-"
"""What every FtM id this export writes starts with, so that ours never clash with others'."""


# --- ids --------------------------------------------------------------------------

FTM_ID: Final = re.compile(r"[0-9a-zA-Z](?:[0-9a-zA-Z.\-]*[0-9a-zA-Z])?\Z")
FTM_ID_LENGTH: Final = 200  # followthemoney.util.ENTITY_ID_LEN
_FTM_ID_FORM: Final = (
    "expected 'kgru-', a kind, '-' and the slug with each '_' written '--', "
    "such as 'kgru-person-sergey-lavrov'"
)


def ftm_id(entity_id: str) -> str:
    """Return the FollowTheMoney id of one of our ids.

    Args:
        entity_id: An id such as ``person:sergey-lavrov``.

    Returns:
        ``kgru-``, the kind, ``-`` and the slug, each ``_`` in it written
        ``--``: only the characters FtM allows in an id.

    Raises:
        ValidationError: At ``$``, if *entity_id* is not a valid id, or its
            FtM id would be longer than FtM's 200 characters.

    Examples:
        >>> ftm_id("person:sergey-lavrov")
        'kgru-person-sergey-lavrov'
        >>> ftm_id("tenure:a_b.2")
        'kgru-tenure-a--b.2'
    """
    kind, _, slug = valid_id(entity_id).partition(":")
    result = f"{FTM_ID_PREFIX}{kind}-{slug.replace('_', '--')}"
    if len(result) > FTM_ID_LENGTH:
        raise ValidationError.at(
            "$",
            f"{shown(entity_id)} is too long for FollowTheMoney: its FtM id would have "
            f"{len(result)} characters, and FtM allows {FTM_ID_LENGTH}",
        )
    return result


def id_from_ftm(entity_id: str) -> str:
    """Return our id for an FtM id that [`ftm_id`][kgru_relations.interop.ftm.ftm_id] wrote.

    Args:
        entity_id: An FtM id such as ``kgru-person-sergey-lavrov``.

    Raises:
        ValidationError: At ``$``, if *entity_id* is not an id ``ftm_id`` writes.

    Examples:
        >>> id_from_ftm("kgru-person-sergey-lavrov")
        'person:sergey-lavrov'
    """
    given: object = entity_id  # a caller may pass anything; the answer is still ours
    if isinstance(given, str) and given.startswith(FTM_ID_PREFIX):
        kind, separator, slug = entity_id[len(FTM_ID_PREFIX) :].partition("-")
        candidate = f"{kind}:{slug.replace('--', '_')}"
        try:
            if separator and ftm_id(candidate) == entity_id:
                return candidate
        except ValidationError:
            pass
    raise ValidationError.at(
        "$", f"{shown(entity_id)} is not an id this export writes; {_FTM_ID_FORM}"
    )


def ftm_id_problem(entity_id: object) -> str | None:
    """What is wrong with *entity_id* as an FtM id (any FtM id, not only ours), or None."""
    if not isinstance(entity_id, str):
        return f"expected the entity's id as text, got {described(entity_id)}"
    if not FTM_ID.match(entity_id) or len(entity_id) > FTM_ID_LENGTH:
        return (
            f"{shown(entity_id)} is not an FtM id: letters, digits, '.' and '-', starting "
            f"and ending with a letter or digit, at most {FTM_ID_LENGTH} characters"
        )
    return None


# --- relations ----------------------------------------------------------------------


class Said(enum.Enum):
    """How an FtM relation's ``status`` says what its period and standing are."""

    TERM = "term"
    """An ``Occupancy``'s: ``current`` while open, ``ended`` once it has an end.

    Read back by ``period_of``: with no ``endDate``, ``current`` is an open end
    and anything else an end on an unknown day.
    """
    STANDING = "standing"
    """A ``Membership``'s: the status since the last change (the ``standing`` of
    a record with none), or ``ended`` for an end on an unknown day, so that no
    reader takes it as current. Read back: ``ended`` with no ``endDate`` is an
    end on an unknown day; any status but the ``standing`` is left out (a
    change needs the day it began); no end date is an open end.
    """


_CARRIED: Final = ("id", "sources", "note", "period")  # what every relation's FtM form holds


@attrs.frozen(kw_only=True)
class FtmEdge:
    """One relation's FtM form: an FtM interval entity that is an edge in FtM too.

    FtM declares its relations as edges (``schema/Occupancy.yaml``: ``edge:
    source: holder, target: post``); this says which FtM edge each of ours is.
    The export ([`to_ftm`][kgru_relations.interop.ftm.to_ftm]) writes, and the
    import ([`from_ftm`][kgru_relations.interop.ftm.from_ftm]) reads, every
    relation by this declaration alone: the property of each end, the
    ``role``, ``startDate`` and ``endDate`` from the period, the ``status``
    as ``said`` declares, the note as ``description`` and the sources (and
    those of each status change) as ``proof``.

    Attributes:
        edge: The relation.
        schema: The FtM schema (``Occupancy``).
        source: The FtM property holding the edge's source (``holder``).
        target: The FtM property holding the edge's target (``post``).
        said: How ``status`` says the period's end and the standing.
        role: The ``role`` written; it tells apart two relations that share
            a schema (a chairmanship is a ``Membership`` with role ``chair``).
        standing: For ``Said.STANDING``, the status of a record with no
            status change (``member``); ``None`` writes none.
    """

    edge: Edge[Any]
    schema: str
    source: str
    target: str
    said: Said
    role: str | None = None
    standing: str | None = None

    @property
    def kind(self) -> type[Any]:
        """The record class."""
        return self.edge.kind

    def status(self, record: Any) -> str | None:
        """The ``status`` the export writes for *record*."""
        end = record.period.end
        if self.said is Said.TERM:
            # An end on an unknown day has no date: "ended" says it is not held.
            return "current" if end is None else "ended"
        if end is UNKNOWN:
            return "ended"
        changes = getattr(record, "changes", ())
        return str(changes[-1].status.value) if changes else self.standing

    def proof(self, record: Any) -> list[str]:
        """The sources cited besides the record's own: those of its status changes."""
        return [source for change in getattr(record, "changes", ()) for source in change.sources]

    def unread(self) -> frozenset[str]:
        """The record's fields this form has no place for: lost on export, unread on import."""
        carried = {*_CARRIED, self.edge.source, self.edge.target}
        return frozenset(f.name for f in attrs.fields(self.kind) if f.name not in carried)


FTM_EDGES: Final = (
    FtmEdge(edge=TENURE, schema="Occupancy", source="holder", target="post", said=Said.TERM),
    FtmEdge(
        edge=MEMBERSHIP,
        schema="Membership",
        source="member",
        target="organization",
        said=Said.STANDING,
        role="member",
        standing="member",
    ),
    FtmEdge(
        edge=CHAIRMANSHIP,
        schema="Membership",
        source="member",
        target="organization",
        said=Said.STANDING,
        role="chair",
    ),
)
"""Each relation's FtM form, in the order of ``EDGES``: adding one is adding a line here."""

EDGES_LOST: Final[tuple[Edge[Any], ...]] = tuple(
    edge for edge in EDGES if all(form.edge is not edge for form in FTM_EDGES)
)
"""The relations FtM has no form for: left out of the export (today, none)."""

_BY_ROLE: Final[Mapping[tuple[str, str], str]] = {
    (form.schema, form.role): form.kind.KIND for form in FTM_EDGES if form.role is not None
}


def read_as(schema: str) -> str:
    """The relations FtM's *schema* may be read as: ``a membership or a chairmanship``."""
    return " or ".join(f"a {form.kind.KIND}" for form in FTM_EDGES if form.schema == schema)


# --- schemata -----------------------------------------------------------------------

FTM_SCHEMATA: Final = frozenset(
    [
        "Address",
        "Airplane",
        "Analyzable",
        "Article",
        "Asset",
        "Associate",
        "Audio",
        "BankAccount",
        "Call",
        "CallForTenders",
        "Company",
        "Contract",
        "ContractAward",
        "Control",
        "CourtCase",
        "CourtCaseParty",
        "CryptoWallet",
        "Debt",
        "Directorship",
        "Document",
        "Documentation",
        "EconomicActivity",
        "Email",
        "Employment",
        "Event",
        "Family",
        "Folder",
        "HyperText",
        "Identification",
        "Image",
        "Interest",
        "Interval",
        "LegalEntity",
        "License",
        "Membership",
        "Mention",
        "Message",
        "Note",
        "Occupancy",
        "Organization",
        "Ownership",
        "Package",
        "Page",
        "Pages",
        "Passport",
        "Payment",
        "Person",
        "PlainText",
        "Position",
        "Project",
        "ProjectParticipant",
        "PublicBody",
        "RealEstate",
        "Representation",
        "Risk",
        "Sanction",
        "Security",
        "Similar",
        "Succession",
        "Table",
        "TaxRoll",
        "Territory",
        "Thing",
        "Trip",
        "UnknownLink",
        "UserAccount",
        "Value",
        "Vehicle",
        "Vessel",
        "Video",
        "Workbook",
    ]
)
"""The schema names of FollowTheMoney 4.11: an entity with any other schema is not FtM."""

SCHEMA_OF: Final[Mapping[type[Entity], str]] = {
    Source: "Article",
    State: "PublicBody",
    Organization: "PublicBody",
    Person: "Person",
    Position: "Position",
    **{form.kind: form.schema for form in FTM_EDGES},
    Agreement: "Event",  # its signing
    Event: "Event",
}
"""The FtM schema the export writes each class as (but see ``OTHER_ORGANIZATION``)."""

OTHER_ORGANIZATION: Final = "Organization"
"""The schema of an organisation of kind ``other``: FtM's ``PublicBody`` is a public one."""

# A State, an Agreement, or a relation written in the schema of one before it,
# shares its schema with another class: the import tells them apart by the id
# our export wrote, or by the role (kind_of_entity).
_SHARED: Final[tuple[type[Entity], ...]] = (
    State,
    *(
        form.kind
        for index, form in enumerate(FTM_EDGES)
        if any(earlier.schema == form.schema for earlier in FTM_EDGES[:index])
    ),
    Agreement,
)

KIND_OF_SCHEMA: Final = {
    **{schema: cls.KIND for cls, schema in SCHEMA_OF.items() if cls not in _SHARED},
    **dict.fromkeys((OTHER_ORGANIZATION, "Company", "LegalEntity"), Organization.KIND),
}
"""What each FtM schema the import reads becomes: the kind of id it gets.

The inverse of ``SCHEMA_OF``, with FtM's other kinds of organisation; a
``PublicBody`` written for a state, a ``Membership`` with role ``chair`` and
an ``Event`` written for an agreement's signing come back as what they were.
"""


def kind_of_entity(schema: str, entity_id: str, roles: list[str]) -> str | None:
    """The kind of id an FtM entity gets (its schema's, or what our export wrote it for)."""
    kind = KIND_OF_SCHEMA.get(schema)
    for cls in _SHARED:
        if kind == kind_of_class(cls) and entity_id.startswith(f"{FTM_ID_PREFIX}{cls.KIND}-"):
            return cls.KIND
    if len(roles) == 1:  # the one role of a relation that shares its schema
        return _BY_ROLE.get((schema, roles[0]), kind)
    return kind


def kind_of_class(cls: type[Entity]) -> str | None:
    """The kind an entity of the schema *cls* is written as reads as, with no more said."""
    return KIND_OF_SCHEMA.get(SCHEMA_OF[cls])


def own_id(entity_id: str, kind: str) -> str | None:
    """Our id, for an FtM id our export wrote for an entity of *kind*; else None."""
    if not entity_id.startswith(FTM_ID_PREFIX):
        return None
    try:
        ours = id_from_ftm(entity_id)
    except ValidationError:
        return None
    return ours if ours.partition(":")[0] == kind else None


_EVERY_FACT: Final = ("confidence", "variant_of")

UNREAD: Final[Mapping[type[Entity], frozenset[str]]] = {
    cls: frozenset((*_EVERY_FACT, *names))
    for cls, names in (
        (State, ("capital", "cow_code")),
        (Organization, ("kind",)),  # FtM's topics tell a few kinds apart, not all
        (Person, ()),
        (Position, ("kind", "single_holder")),
        *((form.kind, form.unread()) for form in FTM_EDGES),
        (Agreement, ("kind", "status", "in_force", "validity", "as_of")),
        (Event, ("kind", "as_of")),
    )
}
"""The fields of each class that FtM has no place for: an import's values there are not FtM's."""


# --- topics -------------------------------------------------------------------------

STATE_TOPICS: Final = ("gov.national",)
"""A state's FtM topics."""

ORGANIZATION_TOPICS: Final[Mapping[OrganizationKind, tuple[str, ...]]] = {
    OrganizationKind.INTERGOVERNMENTAL: ("gov.igo",),
    OrganizationKind.FUND: ("fin.fund",),
    OrganizationKind.GOVERNMENT: ("gov.national", "gov.executive"),
    OrganizationKind.MINISTRY: ("gov.national", "gov.executive"),
}
"""An organisation's FtM topics by kind; the import takes the first kind whose last topic it has."""

POSITION_TOPICS: Final[Mapping[PositionKind, tuple[str, ...]]] = {
    PositionKind.HEAD_OF_STATE: ("gov.head",),
    PositionKind.HEAD_OF_GOVERNMENT: ("gov.head",),
    PositionKind.FOREIGN_MINISTER: ("gov.executive",),
    PositionKind.MINISTER: ("gov.executive",),
}
"""A position's FtM topics, by its kind (FtM cannot tell the heads apart)."""

LEVELS: Final = frozenset({"gov.national", "gov.igo"})
"""The topics of an office's owner that its positions carry too."""
