"""Export a dataset as FollowTheMoney entities, check FtM output strictly, and import FtM.

[FollowTheMoney](https://followthemoney.tech/) (FtM) is the entity model of
OpenSanctions and Aleph. [`to_ftm`][kgru_relations.interop.ftm.to_ftm] turns a
[`Dataset`][kgru_relations.Dataset] into FtM entities in their JSON form, plain
dicts (``{"id", "schema", "properties"}``, every value a string), so the export
needs no FtM package. [`check_ftm`][kgru_relations.interop.ftm.check_ftm] checks
any such stream with the real ``followthemoney`` package (the ``ftm`` extra),
more strictly than FtM itself: FtM's ``Schema.validate`` lets a missing required
property through, its cleaning drops or rewrites values it cannot read, and
nothing in FtM checks that a reference points to an entity of the right kind.

The id rule, one-to-one and reversible
([`ftm_id`][kgru_relations.interop.ftm.ftm_id],
[`id_from_ftm`][kgru_relations.interop.ftm.id_from_ftm]): FtM ids may hold only
``[0-9a-zA-Z.-]``; ours are ``kind:slug``, the slug lowercase letters and
digits with single ``-``, ``_`` or ``.`` between them. The FtM id is ``kgru-``,
the kind, ``-``, then the slug with each ``_`` written ``--``:
``person:sergey-lavrov`` is ``kgru-person-sergey-lavrov``, ``tenure:a_b`` is
``kgru-tenure-a--b``. A kind holds no ``-`` and a slug never two separators in
a row, so the first ``-`` after ``kgru-`` is always the colon and ``--`` is
always an underscore.

What maps to what, and what FtM cannot hold, is on the docs page "Export to
FollowTheMoney"; in short: sources are ``Article``s that every exported fact
cites in ``proof``; states are ``PublicBody``s with their ``country``;
organisations ``PublicBody`` (``Organization`` for kind ``other``); persons
``Person``; positions ``Position``; tenures ``Occupancy``; memberships and
chairmanships ``Membership`` (role ``member`` or ``chair``); held events, and
the signing of each signed agreement, ``Event``. Statements, indicators,
observations, planned or cancelled events and planned agreements have no FtM
home and are left out.

Values are written in the form FtM 4.11 stores them, so FtM's cleaning leaves
each one unchanged: dates to the day, month or year (a quarter is written as
its year; FtM has no quarters) between the years 1000 and 2999, which are all
FtM's dates can hold; countries as lowercase ISO 3166-1 alpha-2; languages as
ISO 639-3 (``kir``, not ``ky``), for the languages FtM knows; text in Unicode
NFC with FtM's spacing, names without surrounding quotes. A value FtM would
refuse is left out.

[`from_ftm`][kgru_relations.interop.ftm.from_ftm] goes the other way: FtM
entities (ours, or OpenSanctions' PEP data, read with
[`read_ftm_lines`][kgru_relations.interop.ftm.read_ftm_lines]) become model
entities, with what the model cannot hold listed, never dropped silently; the
docs page "Import from FollowTheMoney" has its mapping and loss tables.
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Final
from urllib.parse import urlparse

from kgru_relations.codes import language
from kgru_relations.dataset import Dataset
from kgru_relations.dates import PartialDate, Period
from kgru_relations.errors import ValidationError, _IssueCollector, _segment, shown
from kgru_relations.interop import require
from kgru_relations.model import (
    Agreement,
    AgreementStatus,
    Chairmanship,
    Entity,
    Event,
    EventStatus,
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
from kgru_relations.names import Name, NameKind

__all__ = [
    "FTM_ID_PREFIX",
    "FTM_SCHEMATA",
    "ISO_SOURCE_ID",
    "FtmImport",
    "check_ftm",
    "from_ftm",
    "ftm_id",
    "id_from_ftm",
    "read_ftm_lines",
    "to_ftm",
]

FTM_ID_PREFIX: Final = "kgru-"
"""What every FtM id this export writes starts with, so that ours never clash with others'."""


# --- ids --------------------------------------------------------------------------

_FTM_ID: Final = re.compile(r"[0-9a-zA-Z](?:[0-9a-zA-Z.\-]*[0-9a-zA-Z])?\Z")
_FTM_ID_LENGTH: Final = 200  # followthemoney.util.ENTITY_ID_LEN
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
    if len(result) > _FTM_ID_LENGTH:
        raise ValidationError.at(
            "$",
            f"{shown(entity_id)} is too long for FollowTheMoney: its FtM id would have "
            f"{len(result)} characters, and FtM allows {_FTM_ID_LENGTH}",
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


# --- values in the form FtM stores them -----------------------------------------------
# FtM cleans every value it is given (followthemoney.util.sanitize_text, then the
# property type's clean_text). These functions return the value FtM's cleaning
# leaves as it is, or None where FtM would refuse it. They follow followthemoney
# 4.11 with normality 3.1 and rigour 2.6; the tests check them against the
# installed package.

# normality.cleaning: space-like characters become a space; controls, invisible
# formatting characters (the zero-width joiners too) and lone surrogates go.
# Collapsing the spaces in a name (normality's squash_spaces) drops the zero-width
# characters and turns a run of whitespace or space-like characters into one space.
_SPACE_LIKE: Final = (
    *range(0x2000, 0x200B),
    0x2028,
    0x2029,
    0x0A00,
    0x1680,
    0x202F,
    0x205F,
    0x3000,
)
_ZERO_WIDTH: Final = (*range(0x200B, 0x200E), *range(0x2060, 0x2065), 0x00AD, 0xFEFF)
_DELETED: Final = (
    *range(0x00, 0x09),
    *range(0x0B, 0x0D),
    *range(0x0E, 0x20),
    0x7F,
    *range(0x80, 0xA0),
    *_ZERO_WIDTH,
    *range(0x200E, 0x2010),
    0x061C,
    *range(0xD800, 0xE000),
)


def _characters(code_points: Iterable[int]) -> str:
    """The characters at *code_points*, escaped to sit inside a regex's ``[...]``."""
    return "".join(re.escape(chr(code_point)) for code_point in code_points)


_SANITIZE: Final = dict.fromkeys(_SPACE_LIKE, " ") | dict.fromkeys(_DELETED)
_SQUASH_REMOVE: Final = re.compile(f"[{_characters(_ZERO_WIDTH)}]")
_SQUASH: Final = re.compile(rf"[\s{_characters(_SPACE_LIKE)}]+")
_QUOTED: Final = re.compile(r"^[\"'](.*)[\"']$")
_ADDRESS_BREAKS: Final = re.compile(r"(\r\n|\n|<BR/>|<BR>|\t|ESQ\.,|ESQ,|;)")
_ADDRESS_COMMATA: Final = re.compile(r"(,\s?[,\.])")
_HOST_LABEL: Final = re.compile(r"[\w-]{1,63}")
_HOST_ALNUM: Final = re.compile(r"[^\W_]")
_WHITESPACE: Final = re.compile(r"\s")

# The longest value of each FtM property type this export writes.
_NAME_LENGTH: Final = 384
_STRING_LENGTH: Final = 1024
_TEXT_LENGTH: Final = 65000
_ADDRESS_LENGTH: Final = 250
_IDENTIFIER_LENGTH: Final = 64
_URL_LENGTH: Final = 4096
_FTM_YEARS: Final = range(1000, 3000)

# followthemoney.types.language.LanguageType.LANGUAGES: the only languages FtM keeps.
_FTM_LANGUAGE_LIST: Final = (
    "afr amh ara aze bel ben bos bul cat ces cnr dan deu ell eng est fas fil fin fra gle heb "
    "hin hrv hun hye ind isl ita jpn kan kat kaz khm kir kor lao lav lit ltz mkd mlt mon msa "
    "mul mya nep nld nor pol por pus ron rus sin slk slv spa sqi srp swa swe tam tel tgk tgl "
    "tha tuk tur ukr urd uzb vie zho"
)
_FTM_LANGUAGES: Final = frozenset(_FTM_LANGUAGE_LIST.split())


def _sanitized(text: str) -> str | None:
    cleaned = unicodedata.normalize("NFC", text).translate(_SANITIZE).strip()
    return cleaned or None


def _squashed(text: str) -> str | None:
    return _SQUASH.sub(" ", _SQUASH_REMOVE.sub("", text)).strip(" ") or None


def _name_step(text: str) -> str | None:
    return _squashed(_QUOTED.sub(r"\1", text))


def _address_step(text: str) -> str | None:
    return _squashed(_ADDRESS_COMMATA.sub(", ", _ADDRESS_BREAKS.sub(", ", text)))


def _plausible_host(netloc: str, host: str | None) -> bool:
    """Whether rigour's URL cleaning takes this for a host name (or an IP address)."""
    if not host or _WHITESPACE.search(netloc):
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return True
    labels = host.rstrip(".").split(".")
    if not all(_HOST_LABEL.fullmatch(label) and _HOST_ALNUM.search(label) for label in labels):
        return False
    # rigour: no public suffix is one character or all digits ("3.4", "N.A.").
    return len(labels) == 1 or (len(labels[-1]) >= 2 and not labels[-1].isdigit())


def _url_step(text: str) -> str | None:
    try:
        parsed = urlparse(text)
        _ = parsed.port  # rigour refuses a port that is not a number from 0 to 65535
    except ValueError:
        return None
    if parsed.scheme.lower() not in {"http", "https"} or not _plausible_host(
        parsed.netloc, parsed.hostname
    ):
        return None
    parsed = parsed._replace(scheme=parsed.scheme.lower(), path=parsed.path.strip() or "/")
    return parsed.geturl()


def _fixed(text: str, step: Callable[[str], str | None] | None, longest: int) -> str | None:
    """The value FtM keeps as it is: *text* cleaned until cleaning changes nothing.

    FtM's cleaning is not idempotent (``''a''`` loses one pair of quotes each
    time), so it is applied until the value is a fixed point; ``None`` if FtM
    would refuse the value, or it is longer than *longest*.
    """
    current: str | None = text
    while current is not None:
        cleaned = _sanitized(current)
        if cleaned is not None and step is not None:
            cleaned = step(cleaned)
        if cleaned == current:
            break
        current = cleaned
    return current if current is not None and len(current) <= longest else None


def _text(text: str | None, longest: int = _STRING_LENGTH) -> str | None:
    return None if text is None else _fixed(text, None, longest)


def _name(text: str) -> str | None:
    return _fixed(text, _name_step, _NAME_LENGTH)


def _date(value: PartialDate | _dt.date | None) -> str | None:
    if value is None or value.year not in _FTM_YEARS:
        return None
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value.reduced_iso()


def _language(code: str | None) -> str | None:
    if code is None:
        return None
    alpha_3 = language(code).alpha_3
    return alpha_3 if alpha_3 in _FTM_LANGUAGES else None


# --- building entities ---------------------------------------------------------------


class _Builder:
    """One FtM entity, its values added in order, each once, ``None`` left out."""

    __slots__ = ("_seen", "id", "properties", "schema")

    def __init__(self, entity: Entity, schema: str) -> None:
        self.id = ftm_id(entity.id)
        self.schema = schema
        self.properties: dict[str, list[str]] = {}
        self._seen: dict[str, set[str]] = {}  # each property's values, for a look-up in O(1)

    def add(self, name: str, *values: str | None) -> None:
        for value in values:
            if value is not None:
                seen = self._seen.setdefault(name, set())
                if value not in seen:
                    seen.add(value)
                    self.properties.setdefault(name, []).append(value)

    def has(self, name: str, value: str) -> bool:
        """Whether *value* is already one of property *name*'s values."""
        return value in self._seen.get(name, ())

    def ids(self, name: str, entity_ids: Iterable[str]) -> None:
        self.add(name, *(ftm_id(entity_id) for entity_id in entity_ids))

    def period(self, period: Period) -> None:
        # An open or unknown side has no date: FtM says "ended, date unknown" only
        # by an occupancy's status.
        start, end = period.start, period.end
        self.add("startDate", _date(start) if isinstance(start, PartialDate) else None)
        self.add("endDate", _date(end) if isinstance(end, PartialDate) else None)

    def result(self) -> dict[str, Any]:
        return {"id": self.id, "schema": self.schema, "properties": self.properties}


_NAME_PROPERTY: Final = {
    NameKind.OFFICIAL: "name",
    NameKind.COMMON: "name",
    NameKind.TRANSLITERATION: "alias",
    NameKind.ALIAS: "alias",
}


def _names(builder: _Builder, names: Sequence[Name]) -> None:
    """Official and common names as ``name``, the others as ``alias``, each text once.

    FtM requires a ``name``: an entity with no official or common name that FtM
    keeps has its first other name as its ``name``.
    """
    texts = [(_NAME_PROPERTY[name.kind], _name(name.text)) for name in names]
    builder.add("name", *(text for wanted, text in texts if wanted == "name"))
    aliases = [text for wanted, text in texts if wanted == "alias" and text is not None]
    if "name" not in builder.properties and aliases:
        builder.add("name", aliases.pop(0))
    builder.add("alias", *(text for text in aliases if not builder.has("name", text)))


# What an organisation or position is, in FtM's topics.
_STATE_TOPICS: Final = ("gov.national",)
_ORGANIZATION_TOPICS: Final[Mapping[OrganizationKind, tuple[str, ...]]] = {
    OrganizationKind.INTERGOVERNMENTAL: ("gov.igo",),
    OrganizationKind.GOVERNMENT: ("gov.national", "gov.executive"),
    OrganizationKind.MINISTRY: ("gov.national", "gov.executive"),
    OrganizationKind.FUND: ("fin.fund",),
}
_POSITION_TOPICS: Final[Mapping[PositionKind, tuple[str, ...]]] = {
    PositionKind.HEAD_OF_STATE: ("gov.head",),
    PositionKind.HEAD_OF_GOVERNMENT: ("gov.head",),
    PositionKind.FOREIGN_MINISTER: ("gov.executive",),
    PositionKind.MINISTER: ("gov.executive",),
}
_LEVELS: Final = frozenset({"gov.national", "gov.igo"})


class _Export:
    """The conversion of one valid dataset, entity by entity."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    def fact(
        self, builder: _Builder, entity: Entity, note: str = "notes", more: Iterable[str] = ()
    ) -> dict[str, Any]:
        """Add what every fact has (its note; its sources, then *more*, as proof); finish."""
        builder.add(note, _text(getattr(entity, "note", None), _TEXT_LENGTH))
        builder.ids("proof", [*getattr(entity, "sources", ()), *more])
        return builder.result()

    def owner(self, entity_id: str | None) -> State | Organization | None:
        return None if entity_id is None else self.dataset.get(entity_id)  # type: ignore[return-value]

    def country(self, entity_id: str | None) -> str | None:
        """The country of a state, or of an organisation that belongs to one."""
        owner = self.owner(entity_id)
        if isinstance(owner, Organization):
            owner = self.owner(owner.state)
        return owner.code.lower() if isinstance(owner, State) else None

    def topics(self, entity_id: str) -> tuple[str, ...]:
        owner = self.owner(entity_id)
        if isinstance(owner, State):
            return _STATE_TOPICS
        return _ORGANIZATION_TOPICS.get(owner.kind, ()) if owner is not None else ()

    def article(self, source: Source) -> dict[str, Any]:
        builder = _Builder(source, "Article")
        builder.add("title", _text(source.title))
        builder.add("publisher", _text(source.publisher))
        url = source.url
        builder.add("sourceUrl", None if url is None else _fixed(url, _url_step, _URL_LENGTH))
        builder.add("publishedAt", _date(source.published))
        builder.add("retrievedAt", _date(source.retrieved))
        builder.add("language", _language(source.language))
        return self.fact(builder, source)

    def state(self, state: State) -> dict[str, Any]:
        builder = _Builder(state, "PublicBody")
        _names(builder, state.names)
        builder.add("country", state.code.lower())
        builder.add("topics", *_STATE_TOPICS)
        builder.add("wikidataId", _text(state.wikidata, _IDENTIFIER_LENGTH))
        return self.fact(builder, state)

    def organization(self, organization: Organization) -> dict[str, Any]:
        schema = "Organization" if organization.kind is OrganizationKind.OTHER else "PublicBody"
        builder = _Builder(organization, schema)
        _names(builder, organization.names)
        builder.add("country", self.country(organization.id))
        builder.add("topics", *self.topics(organization.id))
        builder.ids("parent", [organization.parent] if organization.parent else [])
        builder.add("incorporationDate", _date(organization.founded))
        builder.add("dissolutionDate", _date(organization.dissolved))
        builder.add("wikidataId", _text(organization.wikidata, _IDENTIFIER_LENGTH))
        return self.fact(builder, organization)

    def person(self, person: Person) -> dict[str, Any]:
        builder = _Builder(person, "Person")
        _names(builder, person.names)
        builder.add("wikidataId", _text(person.wikidata, _IDENTIFIER_LENGTH))
        return self.fact(builder, person)

    def position(self, position: Position) -> dict[str, Any]:
        builder = _Builder(position, "Position")
        _names(builder, position.names)
        builder.add("country", self.country(position.organization))
        builder.add("topics", *_POSITION_TOPICS.get(position.kind, ()))
        builder.add("topics", *sorted(_LEVELS.intersection(self.topics(position.organization))))
        builder.ids("organization", [position.organization])
        builder.add("wikidataId", _text(position.wikidata, _IDENTIFIER_LENGTH))
        return self.fact(builder, position)

    def occupancy(self, tenure: Tenure) -> dict[str, Any]:
        builder = _Builder(tenure, "Occupancy")
        builder.ids("holder", [tenure.person])
        builder.ids("post", [tenure.position])
        builder.period(tenure.period)
        builder.add("status", "current" if tenure.period.end is None else "ended")  # UNKNOWN: ended
        return self.fact(builder, tenure, note="description")

    def membership(self, membership: Membership) -> dict[str, Any]:
        builder = _Builder(membership, "Membership")
        builder.ids("member", [membership.state])
        builder.ids("organization", [membership.organization])
        builder.add("role", "member")
        builder.period(membership.period)
        last = membership.changes[-1].status.value if membership.changes else "member"
        builder.add("status", last)
        changes = [source for change in membership.changes for source in change.sources]
        return self.fact(builder, membership, note="description", more=changes)

    def chairmanship(self, chairmanship: Chairmanship) -> dict[str, Any]:
        builder = _Builder(chairmanship, "Membership")
        builder.ids("member", [chairmanship.state])
        builder.ids("organization", [chairmanship.organization])
        builder.add("role", "chair")
        builder.period(chairmanship.period)
        return self.fact(builder, chairmanship, note="description")

    def signing(self, agreement: Agreement) -> dict[str, Any]:
        builder = _Builder(agreement, "Event")
        _names(builder, agreement.names)
        builder.add("date", _date(agreement.signed))
        builder.add("location", _fixed_address(agreement.place))
        builder.ids("involved", [*agreement.parties, *agreement.signatories])
        return self.fact(builder, agreement)

    def event(self, event: Event) -> dict[str, Any]:
        builder = _Builder(event, "Event")
        _names(builder, event.names)
        builder.add("date", _date(event.date))
        builder.add("location", _fixed_address(event.place))
        builder.ids("involved", event.participants)
        builder.add("keywords", *(_text(topic) for topic in event.topics))
        return self.fact(builder, event)


def _fixed_address(place: str | None) -> str | None:
    return None if place is None else _fixed(place, _address_step, _ADDRESS_LENGTH)


def _exported(dataset: Dataset, export: _Export) -> Iterator[tuple[str, int, Entity, _Convert]]:
    """Each entity exported, with its collection, its index there, and how it is converted.

    Kind by kind, sources first, each kind sorted by id.
    """
    conversions: tuple[tuple[type[Entity], _Convert, Callable[[Any], bool]], ...] = (
        (Source, export.article, _always),
        (State, export.state, _always),
        (Organization, export.organization, _always),
        (Person, export.person, _always),
        (Position, export.position, _always),
        (Tenure, export.occupancy, _always),
        (Membership, export.membership, _always),
        (Chairmanship, export.chairmanship, _always),
        (Agreement, export.signing, _signed),
        (Event, export.event, _held),
    )
    for cls, convert, wanted in conversions:
        chosen = [(index, item) for index, item in enumerate(dataset.all(cls)) if wanted(item)]
        for index, item in sorted(chosen, key=lambda pair: pair[1].id):
            yield cls.COLLECTION, index, item, convert


_Convert = Callable[[Any], dict[str, Any]]


def _always(entity: Entity) -> bool:
    return True


def _signed(agreement: Agreement) -> bool:
    return agreement.status is not AgreementStatus.PLANNED


def _held(event: Event) -> bool:
    return event.status is EventStatus.HELD


def to_ftm(dataset: Dataset) -> Iterator[dict[str, Any]]:
    """Return the dataset as FollowTheMoney entities, in their JSON form.

    The dataset is checked, and every entity converted, before the first is
    returned, so a problem is raised by this call, every problem at once.

    Args:
        dataset: A dataset that [`validate`][kgru_relations.dataset.Dataset.validate]
            finds no problem with.

    Returns:
        An iterator of dicts ``{"id": ..., "schema": ..., "properties": {name: [str, ...]}}``,
        the form ``followthemoney`` reads (``model.get_proxy(entity)``) and
        writes one a line as JSON Lines. The order is stable: the sources
        (``Article``) first, then states, organisations, persons, positions,
        tenures, memberships, chairmanships, signed agreements and held
        events, each kind sorted by id; equal datasets give equal output.

    Raises:
        ValidationError: With every integrity problem of the dataset; else at
            each entity whose id is too long for FtM (``$.persons[2].id``), or
            of whose names FtM keeps none (``$.persons[2].names``: each is
            longer than 384 characters, or only quotes), indexes in the
            dataset's order.

    Examples:
        >>> from kgru_relations import load_default
        >>> entity = next(to_ftm(load_default()))
        >>> entity["schema"], entity["id"]
        ('Article', 'kgru-source-1news-az-2024-12-18')
    """
    dataset.ensure_valid()
    chosen = list(_exported(dataset, _Export(dataset)))
    issues = _IssueCollector()
    for collection, index, entity, _ in chosen:
        with issues.catch(collection, index, "id"):
            ftm_id(entity.id)
    issues.raise_if_any()
    entities = []
    for collection, index, entity, convert in chosen:
        converted = convert(entity)
        if hasattr(entity, "names") and "name" not in converted["properties"]:
            issues.add(
                f"$.{collection}[{index}].names",
                "FollowTheMoney keeps none of these names: each is longer than "
                f"{_NAME_LENGTH} characters, or only quotes",
            )
        entities.append(converted)
    issues.raise_if_any()
    return iter(entities)


# --- the strict check ---------------------------------------------------------------


def _hint(type_name: str) -> str:
    return {
        "date": "; FtM dates are YYYY, YYYY-MM or YYYY-MM-DD, years 1000 to 2999 (no quarters)",
        "country": "; FtM countries are lowercase ISO 3166-1 alpha-2 codes, such as 'kg'",
        "language": "; FtM languages are ISO 639-3 codes it lists, such as 'kir'",
    }.get(type_name, "")


class _Checker:
    """The state of one run of ``check_ftm``: what was seen, what is still to resolve."""

    def __init__(self, model: Any, invalid_data: type[Exception]) -> None:
        self.model = model
        self.invalid_data = invalid_data
        self.issues = _IssueCollector()
        self.schemata: dict[str, tuple[Any, int]] = {}
        self.references: list[tuple[str, str, Any]] = []

    def entity(self, index: int, entity: object) -> None:
        where = f"$[{index}]"
        if not isinstance(entity, Mapping):
            self.issues.add(
                where,
                "expected an entity, an object with 'id', 'schema' and 'properties', "
                f"got {type(entity).__name__}",
            )
            return
        entity_id = self.entity_id(where, entity.get("id"))
        schema = self.schema(where, entity.get("schema"))
        if entity_id is not None:
            if entity_id in self.schemata:
                other = self.schemata[entity_id][1]
                self.issues.add(f"{where}.id", f"{shown(entity_id)} is also the id of $[{other}]")
            else:
                self.schemata[entity_id] = (schema, index)
        properties = entity.get("properties")
        if not isinstance(properties, Mapping):
            self.issues.add(
                f"{where}.properties",
                "expected an object of property names and lists of values, "
                f"got {shown(properties)}",
            )
        elif schema is not None:
            self.properties(where, entity_id, schema, properties)

    def entity_id(self, where: str, entity_id: object) -> str | None:
        if not isinstance(entity_id, str):
            self.issues.add(
                f"{where}.id", f"expected the entity's id as text, got {shown(entity_id)}"
            )
            return None
        if not _FTM_ID.match(entity_id) or len(entity_id) > _FTM_ID_LENGTH:
            self.issues.add(
                f"{where}.id",
                f"{shown(entity_id)} is not an FtM id: letters, digits, '.' and '-', "
                f"starting and ending with a letter or digit, at most {_FTM_ID_LENGTH} characters",
            )
        return entity_id

    def schema(self, where: str, name: object) -> Any:
        schema = self.model.get(name) if isinstance(name, str) else None
        if schema is None:
            self.issues.add(f"{where}.schema", f"{shown(name)} is not a FollowTheMoney schema")
            return None
        if schema.abstract:
            self.issues.add(
                f"{where}.schema", f"{name!r} is an abstract schema; no entity can have it"
            )
        return schema

    def properties(
        self, where: str, entity_id: str | None, schema: Any, properties: Mapping[Any, Any]
    ) -> None:
        before = len(self.issues.issues) + self.issues.more
        for name, values in properties.items():
            path = f"{where}.properties{_segment(str(name))}"
            prop = schema.properties.get(name)
            if prop is None:
                self.issues.add(path, f"{shown(name)} is not a property of {schema.name}")
            elif prop.stub:
                self.issues.add(
                    path, f"{name!r} is a reverse property FtM derives; it cannot be written"
                )
            elif not isinstance(values, list | tuple):
                self.issues.add(path, f"expected a list of text values, got {shown(values)}")
            else:
                earlier: set[str] = set()
                for position, value in enumerate(values):
                    self.value(f"{path}[{position}]", entity_id, prop, value, earlier)
        for name in schema.required:
            if not properties.get(name):
                self.issues.add(
                    f"{where}.properties.{name}", f"{schema.name} requires {name!r}; it is missing"
                )
        if len(self.issues.issues) + self.issues.more == before:
            self.validate(where, schema, properties)

    def value(
        self, path: str, entity_id: str | None, prop: Any, value: object, earlier: set[str]
    ) -> None:
        """Check one of a property's values; *earlier* holds the values before it, and gains it."""
        kind = prop.type.name
        if not isinstance(value, str):
            self.issues.add(path, f"expected text, got {shown(value)}")
            return
        if value in earlier:
            self.issues.add(path, f"{shown(value)} is listed twice; FtM keeps one")
            return
        earlier.add(value)
        try:
            cleaned = prop.type.clean(value, format=prop.format)
        except self.invalid_data as error:  # pragma: no cover - FtM raises only with a proxy
            self.issues.add(path, f"FtM refuses {shown(value)}: {error}")
            return
        if cleaned is None:
            self.issues.add(path, f"FtM's {kind} type refuses {shown(value)}{_hint(kind)}")
        elif cleaned != value:
            self.issues.add(
                path,
                f"FtM's {kind} type would store {shown(value)} as {shown(cleaned)}{_hint(kind)}",
            )
        elif len(value) > prop.type.max_length:
            self.issues.add(
                path,
                f"has {len(value)} characters; FtM's {kind} values have at most "
                f"{prop.type.max_length}",
            )
        elif kind == "entity":
            if value == entity_id:
                self.issues.add(path, f"{shown(value)} is the entity itself")
            else:
                self.references.append((path, value, prop.range))

    def validate(self, where: str, schema: Any, properties: Mapping[Any, Any]) -> None:
        """What FtM's own ``Schema.validate`` finds that the checks above did not."""
        try:
            schema.validate({"properties": properties})
        except self.invalid_data as error:  # pragma: no cover - the checks above are stricter
            found = getattr(error, "errors", {}).get("properties", {}) or {"": str(error)}
            for name, message in found.items():
                self.issues.add(f"{where}.properties.{name}", f"FtM's Schema.validate: {message}")

    def resolve(self) -> None:
        for path, target, expected in self.references:
            seen = self.schemata.get(target)
            if seen is None:
                self.issues.add(path, f"{shown(target)} is no entity of this export")
            elif seen[0] is not None and not seen[0].is_a(expected):
                self.issues.add(
                    path,
                    f"{shown(target)} is a {seen[0].name}; expected a {expected.name} "
                    "(or a schema that extends it)",
                )


def check_ftm(entities: Iterable[Mapping[str, Any]]) -> None:
    """Check FollowTheMoney entities strictly, with the ``followthemoney`` package.

    Stricter than FtM: each entity's schema exists and is not abstract; each
    id is an FtM id, and no two are the same; each property belongs to the
    schema and may be written; each required property is present; each value
    is text that FtM's cleaning for its type leaves unchanged (so no value is
    dropped or rewritten when FtM reads it: a quarter ``2025-Q3``, an alpha-3
    country ``kgz``), and no longer than FtM allows; FtM's ``Schema.validate``
    passes; and every reference names an entity of the stream whose schema is
    (or extends) the property's range: an ``Occupancy``'s holder is a
    ``Person``, not a ``Position``.

    Args:
        entities: Entity dicts as [`to_ftm`][kgru_relations.interop.ftm.to_ftm]
            returns them, or as read from FtM JSON Lines; read once.

    Raises:
        ValidationError: With one issue per problem, all at once (the first
            [`MAX_ISSUES`][kgru_relations.errors.MAX_ISSUES]), each at its path
            in the stream: ``$[12].properties.country[0]``.
        MissingExtra: If ``followthemoney`` is not installed (the ``ftm``
            extra installs it); a `ModuleNotFoundError`.
    """
    doing = "checking FollowTheMoney output"
    model = require("followthemoney", extra="ftm", doing=doing).model
    InvalidData = require("followthemoney.exc", extra="ftm", doing=doing).InvalidData
    checker = _Checker(model, InvalidData)
    for index, entity in enumerate(entities):
        checker.entity(index, entity)
    checker.resolve()
    checker.issues.raise_if_any()


# The import lives in its own module, which reads the id rule above; imported last,
# so that module finds this one whole.
from kgru_relations.interop._ftm_import import (  # noqa: E402
    FTM_SCHEMATA,
    ISO_SOURCE_ID,
    FtmImport,
    from_ftm,
    read_ftm_lines,
)
