"""Who acts: states, organisations, people, and the positions people hold."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from typing import ClassVar, Final

import attrs

from kgru_relations._checks import rule
from kgru_relations.dates import PartialDate
from kgru_relations.errors import Issue, ValidationError, shown
from kgru_relations.model._base import (
    Fact,
    as_names,
    as_optional_partial_date,
    check_bool,
    check_country,
    check_int,
    check_names,
    check_partial_date,
    checked,
    choice,
    instance,
    many,
    optional,
    optional_reference,
    reference,
)
from kgru_relations.names import Name

__all__ = ["Organization", "OrganizationKind", "Person", "Position", "PositionKind", "State"]

#: A Wikidata item id, ``Q`` and digits (``Q813``): the one home of the rule, which
#: the model, the schema and the FtM and Wikidata imports read.
WIKIDATA_ID: Final = re.compile(r"Q[1-9][0-9]*\Z")
#: The Correlates of War state numbers a state's ``cow_code`` may be, first and last.
COW_CODES: Final = (2, 999)
#: The form of `WIKIDATA_ID` in words, as every message that refuses an id says it.
WIKIDATA_FORM: Final = "'Q' and digits"


@rule(lambda: {"type": "string", "pattern": f"^{WIKIDATA_ID.pattern.removesuffix(chr(92) + 'Z')}$"})
def _wikidata(value: object) -> str:
    if not isinstance(value, str) or not WIKIDATA_ID.match(value):
        raise ValidationError.at(
            "$",
            f"{shown(value)} is not a Wikidata item id; expected {WIKIDATA_FORM}, such as 'Q813'",
        )
    return value


class OrganizationKind(enum.Enum):
    """What sort of body an [`Organization`][kgru_relations.Organization] is."""

    INTERGOVERNMENTAL = "intergovernmental"
    """An organisation of states (the CSTO)."""
    GOVERNMENT = "government"
    """A state's government or cabinet."""
    MINISTRY = "ministry"
    """A ministry of a government."""
    DEPARTMENT = "department"
    """A department inside a ministry or organisation."""
    FUND = "fund"
    """A fund or development bank."""
    OTHER = "other"
    """Anything else."""


class PositionKind(enum.Enum):
    """What sort of office a [`Position`][kgru_relations.Position] is."""

    HEAD_OF_STATE = "head_of_state"
    """A president or monarch."""
    HEAD_OF_GOVERNMENT = "head_of_government"
    """A prime minister or chair of a cabinet."""
    FOREIGN_MINISTER = "foreign_minister"
    """A minister of foreign affairs."""
    MINISTER = "minister"
    """Any other minister."""
    SPOKESPERSON = "spokesperson"
    """An official spokesperson."""
    SECRETARY_GENERAL = "secretary_general"
    """The head of an organisation's secretariat."""
    OTHER = "other"
    """Anything else."""


@attrs.frozen(kw_only=True)
class State(Fact):
    """A sovereign state.

    Attributes:
        id: ``state:`` and the lower-case ISO alpha-2 code (``state:kg``).
        code: The ISO 3166-1 alpha-2 code (alpha-3 and numeric are normalised).
        names: The state's names, at least one (``Kyrgyzstan``, ``Kyrgyz Republic``).
        capital: The capital's names, used by searches ("Bishkek" finds Kyrgyzstan).
        wikidata: The Wikidata item id (``Q813``), where known.
        cow_code: The Correlates of War state number (``703``), where known.

    Examples:
        >>> from kgru_relations import Name
        >>> State(id="state:kg", code="KGZ", names=[Name("Kyrgyzstan")],
        ...       sources=["source:iso"]).code
        'KG'
    """

    KIND: ClassVar[str] = "state"
    COLLECTION: ClassVar[str] = "states"

    code: str = attrs.field(metadata=checked(check_country))
    names: tuple[Name, ...] = attrs.field(converter=as_names, metadata=checked(check_names))
    capital: tuple[Name, ...] = attrs.field(
        converter=as_names, default=(), metadata=checked(many(instance(Name)))
    )
    wikidata: str | None = attrs.field(default=None, metadata=checked(optional(_wikidata)))
    cow_code: int | None = attrs.field(
        default=None, metadata=checked(optional(check_int(*COW_CODES)))
    )

    @classmethod
    def id_for(cls, code: str) -> str:
        """The id of the state with *code*: ``state:`` and its code in lower case.

        The one rule for it, which the model checks and the imports, the
        pictures and the strategies use.

        Args:
            code: The state's ISO 3166-1 code (alpha-2, alpha-3 or numeric).

        Raises:
            ValidationError: If *code* is not a current country code.

        Examples:
            >>> State.id_for("KGZ")
            'state:kg'
        """
        return f"{cls.KIND}:{check_country(code).lower()}"

    def _rules(self) -> Iterator[Issue]:
        if self.id != (expected := State.id_for(self.code)):
            yield Issue(
                "$.id", f"a state's id is 'state:' and its code in lower case: '{expected}'"
            )


@attrs.frozen(kw_only=True)
class Organization(Fact):
    """An organisation: an intergovernmental body, a government, a ministry, a fund.

    Attributes:
        id: ``organization:slug`` (``organization:csto``).
        names: At least one name (``Collective Security Treaty Organization``, ``CSTO``).
        kind: What sort of body it is.
        state: The id of the state it belongs to, for a national body.
        parent: The id of the organisation it is part of (a department's ministry).
        founded: When it was founded.
        dissolved: When it was dissolved, if it was.
        wikidata: The Wikidata item id, where known.
    """

    KIND: ClassVar[str] = "organization"
    COLLECTION: ClassVar[str] = "organizations"

    names: tuple[Name, ...] = attrs.field(converter=as_names, metadata=checked(check_names))
    kind: OrganizationKind = attrs.field(metadata=checked(choice(OrganizationKind)))
    state: str | None = attrs.field(default=None, metadata=optional_reference("state"))
    parent: str | None = attrs.field(default=None, metadata=optional_reference("organization"))
    founded: PartialDate | None = attrs.field(
        converter=as_optional_partial_date,
        default=None,
        metadata=checked(optional(check_partial_date)),
    )
    dissolved: PartialDate | None = attrs.field(
        converter=as_optional_partial_date,
        default=None,
        metadata=checked(optional(check_partial_date)),
    )
    wikidata: str | None = attrs.field(default=None, metadata=checked(optional(_wikidata)))

    def _rules(self) -> Iterator[Issue]:
        if self.parent == self.id:
            yield Issue("$.parent", "an organisation cannot be its own parent")
        if (
            self.founded is not None
            and self.dissolved is not None
            and self.dissolved.latest < self.founded.earliest
        ):
            yield Issue(
                "$.dissolved", f"dissolved {self.dissolved} is before founded {self.founded}"
            )


@attrs.frozen(kw_only=True)
class Person(Fact):
    """A person: an official, a head of state, a spokesperson.

    Give every spelling a search should find as a name: the Cyrillic original,
    each transliteration (Japarov, Zhaparov) and aliases. Two people who share
    a name stay two entities.

    Attributes:
        id: ``person:slug`` (``person:sadyr-japarov``).
        names: At least one name.
        wikidata: The Wikidata item id, where known.
    """

    KIND: ClassVar[str] = "person"
    COLLECTION: ClassVar[str] = "persons"

    names: tuple[Name, ...] = attrs.field(converter=as_names, metadata=checked(check_names))
    wikidata: str | None = attrs.field(default=None, metadata=checked(optional(_wikidata)))


@attrs.frozen(kw_only=True)
class Position(Fact):
    """An office that people hold in turn: President of Kyrgyzstan, CSTO Secretary-General.

    Attributes:
        id: ``position:slug`` (``position:kg-president``).
        names: The title, at least one name (``President of the Kyrgyz Republic``).
        kind: What sort of office it is.
        organization: The id of the state or organisation the office belongs to.
        single_holder: Whether one person at a time holds it (the default);
            the Dataset then refuses tenures that overlap.
        wikidata: The Wikidata item id of the office (``Q853036``), where known.
    """

    KIND: ClassVar[str] = "position"
    COLLECTION: ClassVar[str] = "positions"

    names: tuple[Name, ...] = attrs.field(converter=as_names, metadata=checked(check_names))
    kind: PositionKind = attrs.field(metadata=checked(choice(PositionKind)))
    organization: str = attrs.field(metadata=reference("state", "organization"))
    single_holder: bool = attrs.field(default=True, metadata=checked(check_bool))
    wikidata: str | None = attrs.field(default=None, metadata=checked(optional(_wikidata)))
