"""The FollowTheMoney mapping, declared once for the export, the import and the check.

The id rule (one-to-one and reversible), the schemata FtM has, which of our
kinds each FtM schema holds and back, and what an organisation or position is
in FtM's topics.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from kgru_relations.errors import ValidationError, shown
from kgru_relations.interop.importing import described
from kgru_relations.model import (
    Agreement,
    Chairmanship,
    Entity,
    Event,
    Membership,
    Organization,
    OrganizationKind,
    Person,
    Position,
    PositionKind,
    Source,
    State,
    Tenure,
)
from kgru_relations.model._base import valid_id

__all__ = [
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
    "ftm_id",
    "ftm_id_problem",
    "id_from_ftm",
    "kind_of_class",
    "kind_of_entity",
    "own_id",
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
    Tenure: "Occupancy",
    Membership: "Membership",
    Chairmanship: "Membership",
    Agreement: "Event",  # its signing
    Event: "Event",
}
"""The FtM schema the export writes each class as (but see ``OTHER_ORGANIZATION``)."""

OTHER_ORGANIZATION: Final = "Organization"
"""The schema of an organisation of kind ``other``: FtM's ``PublicBody`` is a public one."""

# A State, Chairmanship or Agreement shares its schema with another class: the
# import tells them by the id our export wrote, or by the role (kind_of_entity).
_SHARED: Final = (State, Chairmanship, Agreement)

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
    if kind == Membership.KIND and roles == ["chair"]:
        return Chairmanship.KIND
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
        (Tenure, ("acting",)),
        (Membership, ("changes",)),
        (Chairmanship, ()),
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
