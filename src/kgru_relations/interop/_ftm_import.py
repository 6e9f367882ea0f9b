"""Read FollowTheMoney entities into the model: the code behind ``ftm.from_ftm``.

The public names are re-exported by [`kgru_relations.interop.ftm`][kgru_relations.interop.ftm];
what maps to what, and what is left out, is on the docs page "Import from
FollowTheMoney".
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Final, TextIO

import attrs

from kgru_relations.codes import country, country_code, language_code
from kgru_relations.dataset import Dataset
from kgru_relations.dates import UNKNOWN, PartialDate, Period, Unknown
from kgru_relations.errors import Issue, ValidationError, _IssueCollector, _segment, shown
from kgru_relations.files import read_lines
from kgru_relations.interop.ftm import _FTM_ID, _FTM_ID_LENGTH, FTM_ID_PREFIX, id_from_ftm
from kgru_relations.model import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Chairmanship,
    Confidence,
    Entity,
    Event,
    EventKind,
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
from kgru_relations.model.sources import _url
from kgru_relations.names import Name, NameKind

__all__ = ["FTM_SCHEMATA", "ISO_SOURCE_ID", "FtmImport", "from_ftm", "read_ftm_lines"]

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

# The keys of an entity line besides id, schema and properties: FtM's own
# ("caption") and those OpenSanctions (nomenklatura) adds. Only "datasets" is
# read (a fact with no other source cites its dataset); the rest describe the
# build of the file, not the facts, and are not imported.
_ENVELOPE: Final = frozenset(
    {"caption", "datasets", "referents", "first_seen", "last_seen", "last_change", "target"}
)

_DATE: Final = re.compile(
    r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2})"
    r"(?P<time>T[0-9]{2}(?::[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?)?)?\Z"
)
_SEPARATORS: Final = re.compile(r"[.\-]{2,}")
_WIKIDATA: Final = re.compile(r"Q[1-9][0-9]*\Z")
_DATASET: Final = re.compile(r"[a-z0-9]+(?:[_-][a-z0-9]+)*\Z")

ISO_SOURCE_ID: Final = "source:iso-3166-1"
"""The source cited by a state this import creates from a position's country code."""

_ISO_SOURCE: Final = {
    "title": "ISO 3166-1 country codes",
    "publisher": "International Organization for Standardization",
    "url": "https://www.iso.org/iso-3166-country-codes.html",
}


@attrs.frozen
class FtmImport:
    """What an import of FollowTheMoney entities made, and what it left out.

    Attributes:
        entities: Sources, states, organisations, persons, positions,
            tenures, memberships, chairmanships, agreements and events, in
            that order, each kind in the order of the input, each built (and
            so checked) by its model class.
        skipped: One issue per thing left out, at its path in the input
            (``$[4].properties.birthDate``), saying why: an entity of a schema
            the model has no place for, a property it does not hold, a value
            it cannot read, a fact that cannot be sourced or dated honestly.
        notes: One issue per thing imported in a form the input did not
            give word for word: a date-time kept as its day, a state created
            for a position's country, a source built from ``sourceUrl`` or a
            dataset name.
    """

    entities: tuple[Entity, ...]
    skipped: tuple[Issue, ...]
    notes: tuple[Issue, ...] = ()

    def dataset(self) -> Dataset:
        """The entities as a [`Dataset`][kgru_relations.Dataset] (not yet validated)."""
        return Dataset(self.entities)


class _Line(dict[str, Any]):
    """An entity read from a line of JSON Lines, with the line's number."""

    __slots__ = ("line",)

    def __init__(self, entity: Mapping[str, Any], line: int) -> None:
        super().__init__(entity)
        self.line = line


def read_ftm_lines(
    source: str | os.PathLike[str] | TextIO | Iterable[str],
) -> Iterator[Any]:
    """Read FollowTheMoney JSON Lines, one entity a line.

    The entities are for [`from_ftm`][kgru_relations.interop.ftm.from_ftm].

    Each line is read as it comes, so a large file is never held as text. Blank
    lines are ignored. An entity read from line 4 carries that number, and
    ``from_ftm`` writes it in every issue about that entity
    (``line 4: $[3].properties.startDate[0]: ...``).

    Args:
        source: A file's path, or an open text stream (or any iterable of
            lines, such as ``sys.stdin``).

    Yields:
        Each line's JSON value (an entity is a dict; anything else is yielded
        too, and ``from_ftm`` reports it).

    Raises:
        ValidationError: At the first line that is not JSON, with its number.
        OSError: If the file cannot be read.
    """
    lines: Iterable[Any]
    lines = read_lines(source) if isinstance(source, str | os.PathLike) else source
    index = 0
    for number, raw in enumerate(lines, start=1):
        try:
            text = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
            if not text.strip():
                continue
            value = json.loads(text)
        except (UnicodeDecodeError, ValueError, RecursionError) as error:
            message = getattr(error, "msg", None) or type(error).__name__
            raise ValidationError(
                [Issue(f"$[{index}]", f"the line is not JSON: {message}", line=number)]
            ) from None
        yield _Line(value, number) if isinstance(value, dict) else value
        index += 1


# --- reading the envelope ----------------------------------------------------------


@attrs.define
class _Raw:
    """One entity of the input, its shape checked."""

    index: int
    line: int | None
    id: str
    schema: str
    properties: dict[str, list[str]]
    datasets: list[str]
    read: set[str] = attrs.field(factory=set)  # the properties some step has read

    @property
    def path(self) -> str:
        return f"$[{self.index}]"

    def at(self, name: str, position: int | None = None) -> str:
        where = f"{self.path}.properties{_segment(name)}"
        return where if position is None else f"{where}[{position}]"

    def values(self, name: str) -> list[str]:
        self.read.add(name)
        return self.properties.get(name, [])


class _Run:
    """The state of one import: issues, skips, notes, and what was built."""

    def __init__(self, confidence: Confidence, kinds: Mapping[str, PositionKind]) -> None:
        self.bad = _IssueCollector()
        self.skipped: list[Issue] = []
        self.notes: list[Issue] = []
        self.confidence = confidence
        self.kinds = kinds
        self.raws: list[_Raw] = []
        self.by_ftm: dict[str, _Raw] = {}
        self.ids: dict[str, str] = {}  # FtM id -> our id
        self.built: dict[str, Entity] = {}  # FtM id -> entity
        self.sources: dict[str, Source] = {}
        self.created_states: dict[str, State] = {}
        self.state_ids: set[str] = set()  # of the states built or created

    # --- issues

    def skip(self, raw: _Raw | None, path: str, message: str) -> None:
        self.skipped.append(Issue(path, message, line=raw.line if raw else None))

    def note(self, raw: _Raw | None, path: str, message: str) -> None:
        self.notes.append(Issue(path, message, line=raw.line if raw else None))

    # --- the shape

    def read(self, index: int, value: object) -> None:
        """Check one entity's shape; keep it if it is FtM entity JSON."""
        path = f"$[{index}]"
        line = getattr(value, "line", None)
        before = len(self.bad.issues) + self.bad.more
        if not isinstance(value, Mapping):
            self.bad.append(
                Issue(
                    path,
                    "expected an FtM entity, an object with 'id', 'schema' and 'properties', "
                    f"got {shown(value)}",
                    line=line,
                )
            )
            return
        problems = [
            *self.id_problems(path, value.get("id")),
            *_schema_problems(path, value.get("schema")),
        ]
        properties, found = _properties(path, value.get("properties"))
        problems += found
        datasets = value.get("datasets", [])
        if not isinstance(datasets, list | tuple) or not all(
            isinstance(item, str) for item in datasets
        ):
            problems.append(
                (f"{path}.datasets", f"expected a list of names, got {shown(datasets)}")
            )
        for key in value:
            if key in _ENVELOPE or key in {"id", "schema", "properties"}:
                continue
            where = f"{path}{_segment(str(key))}"
            if isinstance(key, str):
                message = f"the key {shown(key)} is not FtM's; not imported"
                self.skipped.append(Issue(where, message, line=line))
            else:
                problems.append((where, f"expected a key as text, got {shown(key)}"))
        for where, message in problems:
            self.bad.append(Issue(where, message, line=line))
        if len(self.bad.issues) + self.bad.more == before:
            raw = _Raw(index, line, value["id"], value["schema"], properties, list(datasets))
            self.raws.append(raw)
            self.by_ftm[raw.id] = raw

    def id_problems(self, path: str, entity_id: object) -> list[tuple[str, str]]:
        if not isinstance(entity_id, str):
            return [(f"{path}.id", f"expected the entity's id as text, got {shown(entity_id)}")]
        if not _FTM_ID.match(entity_id) or len(entity_id) > _FTM_ID_LENGTH:
            message = (
                f"{shown(entity_id)} is not an FtM id: letters, digits, '.' and '-', starting "
                f"and ending with a letter or digit, at most {_FTM_ID_LENGTH} characters"
            )
            return [(f"{path}.id", message)]
        if entity_id in self.by_ftm:
            other = self.by_ftm[entity_id].index
            message = (
                f"{shown(entity_id)} is also the id of $[{other}]; merge an entity's "
                "fragments first (ftm aggregate)"
            )
            return [(f"{path}.id", message)]
        return []


def _schema_problems(path: str, schema: object) -> list[tuple[str, str]]:
    if not isinstance(schema, str):
        return [(f"{path}.schema", f"expected the schema's name as text, got {shown(schema)}")]
    if schema not in FTM_SCHEMATA:
        return [(f"{path}.schema", f"{shown(schema)} is not a FollowTheMoney schema")]
    return []


def _properties(
    path: str, properties: object
) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """The properties, each value list without repeats; and the problems with their shape."""
    if not isinstance(properties, Mapping):
        message = f"expected an object of property names and lists of text, got {shown(properties)}"
        return {}, [(f"{path}.properties", message)]
    kept: dict[str, list[str]] = {}
    problems: list[tuple[str, str]] = []
    for name, values in properties.items():
        where = f"{path}.properties{_segment(str(name))}"
        if not isinstance(name, str):
            problems.append((where, f"expected a property name as text, got {shown(name)}"))
        elif not isinstance(values, list | tuple):
            problems.append((where, f"expected a list of text values, got {shown(values)}"))
        else:
            wrong = [(at, item) for at, item in enumerate(values) if not isinstance(item, str)]
            problems += [
                (f"{where}[{at}]", f"expected text, got {shown(item)}") for at, item in wrong
            ]
            if not wrong:
                kept[name] = list(dict.fromkeys(values))
    return kept, problems


# --- values ------------------------------------------------------------------------


def _date(run: _Run, raw: _Raw, name: str, position: int, text: str) -> PartialDate | None:
    """A date property's value; a date-time is kept as its day (a note says so)."""
    match = _DATE.match(text)
    where = raw.at(name, position)
    if match is None:
        run.skip(
            raw,
            where,
            f"{shown(text)} is not an FtM date (YYYY, YYYY-MM, YYYY-MM-DD); not imported",
        )
        return None
    year, month, day = (
        None if match[part] is None else int(match[part]) for part in ("year", "month", "day")
    )
    assert year is not None  # the pattern requires it
    try:
        date = PartialDate(year, month, day)
    except ValidationError as error:
        run.skip(
            raw,
            where,
            f"{shown(text)} is not a real date ({error.issues[0].message}); not imported",
        )
        return None
    if match["time"]:
        run.note(
            raw,
            where,
            f"{shown(text)} is a date and time; the day {date} is kept, "
            "as the model's dates hold no time of day (nor its time zone)",
        )
    return date


def _first(run: _Run, raw: _Raw, name: str) -> tuple[int, str] | None:
    """The first value of a property the model holds once; the others are skipped."""
    values = raw.values(name)
    for position, extra in enumerate(values[1:], start=1):
        run.skip(
            raw,
            raw.at(name, position),
            f"{shown(extra)} left out: the model holds one {name}, the first",
        )
    return (0, values[0]) if values else None


def _first_date(run: _Run, raw: _Raw, name: str) -> PartialDate | None:
    found = _first(run, raw, name)
    return None if found is None else _date(run, raw, name, *found)


def _first_text(run: _Run, raw: _Raw, name: str) -> str | None:
    found = _first(run, raw, name)
    return None if found is None else found[1]


def _notes(raw: _Raw) -> str | None:
    """Every value of ``notes`` (or an Interval's ``description``) as one note."""
    texts = raw.values("description" if "description" in raw.properties else "notes")
    return "\n\n".join(texts) if texts else None


def _names(run: _Run, raw: _Raw) -> list[Name]:
    """``name`` values as common names, ``alias``, ``previousName`` and ``weakAlias`` as aliases."""
    names: dict[str, Name] = {}
    for prop, kind in (
        ("name", NameKind.COMMON),
        ("alias", NameKind.ALIAS),
        ("previousName", NameKind.ALIAS),
        ("weakAlias", NameKind.ALIAS),
    ):
        for position, text in enumerate(raw.values(prop)):
            if text in names:
                continue
            try:
                names[text] = Name(text, kind=kind)
            except ValidationError as error:
                run.skip(
                    raw,
                    raw.at(prop, position),
                    f"name {shown(text)} left out: {error.issues[0].message}",
                )
    return list(names.values())


def _wikidata(run: _Run, raw: _Raw) -> str | None:
    found = _first(run, raw, "wikidataId")
    if found is None:
        return None
    if not _WIKIDATA.match(found[1]):
        run.skip(
            raw,
            raw.at("wikidataId", found[0]),
            f"{shown(found[1])} left out: not a Wikidata item id ('Q' and digits)",
        )
        return None
    return found[1]


def _slug(text: str) -> str:
    return _SEPARATORS.sub("-", text.lower())


# --- the import ---------------------------------------------------------------------

# What each FtM schema becomes; the kind of id it gets.
_KIND_OF_SCHEMA: Final = {
    "Article": "source",
    "PublicBody": "organization",
    "Organization": "organization",
    "Company": "organization",
    "LegalEntity": "organization",
    "Person": "person",
    "Position": "position",
    "Occupancy": "tenure",
    "Membership": "membership",
    "Event": "event",
}


class _Import:
    def __init__(self, run: _Run) -> None:
        self.run = run

    # --- ids

    def assign_ids(self) -> None:
        run = self.run
        wanted: dict[str, list[_Raw]] = {}
        for raw in run.raws:
            kind = self.kind(raw)
            if kind is None:
                continue
            ours = self.own_id(raw, kind)
            if ours is None:
                ours = f"{kind}:{_slug(raw.id)}"
            wanted.setdefault(ours, []).append(raw)
        for ours, raws in wanted.items():
            for raw in raws:
                if len(raws) > 1 and not self.is_own(raw, ours):
                    # Two FtM ids that differ only in case or separators: neither is
                    # merged into the other; each gets a suffix from its own FtM id.
                    digest = hashlib.sha1(raw.id.encode()).hexdigest()[:10]
                    run.ids[raw.id] = f"{ours}-{digest}"
                    run.note(
                        raw,
                        f"{raw.path}.id",
                        f"{shown(raw.id)} and another FtM id read as "
                        f"{shown(ours)}; this one is {run.ids[raw.id]!r}",
                    )
                else:
                    run.ids[raw.id] = ours

    def kind(self, raw: _Raw) -> str | None:
        kind = _KIND_OF_SCHEMA.get(raw.schema)
        if kind == "organization" and raw.id.startswith(f"{FTM_ID_PREFIX}state-"):
            return "state"
        if kind == "membership" and raw.properties.get("role", []) == ["chair"]:
            return "chairmanship"
        if kind == "event" and raw.id.startswith(f"{FTM_ID_PREFIX}agreement-"):
            return "agreement"
        return kind

    def own_id(self, raw: _Raw, kind: str) -> str | None:
        """Our id, for an FtM id our export wrote for an entity of *kind*."""
        if not raw.id.startswith(FTM_ID_PREFIX):
            return None
        try:
            ours = id_from_ftm(raw.id)
        except ValidationError:
            return None
        return ours if ours.partition(":")[0] == kind else None

    def is_own(self, raw: _Raw, ours: str) -> bool:
        kind = ours.partition(":")[0]
        return self.own_id(raw, kind) == ours

    # --- references

    def target(
        self, raw: _Raw, name: str, position: int, value: str, kinds: tuple[type[Entity], ...]
    ) -> str | None:
        """Our id of the entity a reference names, if it was imported and is of *kinds*."""
        run = self.run
        where = raw.at(name, position)
        found = run.built.get(value) or run.created_states.get(value)
        if found is None:
            other = run.by_ftm.get(value)
            why = (
                "is no entity of the input"
                if other is None
                else f"is {other.path}, which was not imported"
            )
            run.skip(raw, where, f"{shown(value)} {why}")
            return None
        if not isinstance(found, kinds):
            expected = " or ".join(cls.__name__ for cls in kinds)
            run.skip(
                raw,
                where,
                f"{shown(value)} is imported as a {type(found).__name__}; "
                f"{name} needs a {expected}",
            )
            return None
        return found.id

    def targets(self, raw: _Raw, name: str, kinds: tuple[type[Entity], ...]) -> list[str]:
        found = (
            self.target(raw, name, position, value, kinds)
            for position, value in enumerate(raw.values(name))
        )
        return list(dict.fromkeys(entity_id for entity_id in found if entity_id is not None))

    def sources(self, raw: _Raw) -> list[str]:
        """The sources of a fact: its proof, its sourceUrl, else its dataset."""
        run = self.run
        found = self.targets(raw, "proof", (Source,))
        publisher = _first_text(run, raw, "publisher")
        retrieved = self.retrieved(raw)
        for position, url in enumerate(raw.values("sourceUrl")):
            key = hashlib.sha1(url.encode()).hexdigest()[:12]
            source_id = f"source:url-{key}"
            if source_id not in run.sources:
                try:
                    run.sources[source_id] = Source(
                        id=source_id, title=url, publisher=publisher, url=url, retrieved=retrieved
                    )
                except ValidationError as error:
                    run.skip(
                        raw,
                        raw.at("sourceUrl", position),
                        f"{shown(url)} left out: {error.issues[0].message}",
                    )
                    continue
                run.note(
                    raw,
                    raw.at("sourceUrl", position),
                    f"cited as {source_id!r}, a source built from the address",
                )
            found.append(source_id)
        if not found:
            for dataset in raw.datasets:
                dataset_id = self.dataset_source(raw, dataset)
                if dataset_id is not None:
                    found.append(dataset_id)
        return list(dict.fromkeys(found))

    def dataset_source(self, raw: _Raw, dataset: str) -> str | None:
        run = self.run
        if not _DATASET.match(dataset):
            run.skip(raw, f"{raw.path}.datasets", f"{shown(dataset)} is not a dataset name")
            return None
        source_id = f"source:opensanctions-{dataset.replace('_', '-')}"
        if source_id not in run.sources:
            run.sources[source_id] = Source(
                id=source_id,
                title=f"OpenSanctions dataset {dataset}",
                publisher="OpenSanctions",
                url=f"https://www.opensanctions.org/datasets/{dataset}/",
            )
            run.note(
                raw,
                f"{raw.path}.datasets",
                f"facts with no proof or sourceUrl cite {source_id!r}, the dataset's page",
            )
        return source_id

    def retrieved(self, raw: _Raw) -> _dt.date | None:
        found = _first(self.run, raw, "retrievedAt")
        if found is None:
            return None
        date = _date(self.run, raw, "retrievedAt", *found)
        if date is not None and date.day is None:
            self.run.skip(
                raw,
                raw.at("retrievedAt", found[0]),
                f"{shown(found[1])} is not a day; a source's retrieved date is one",
            )
            return None
        return None if date is None else date.earliest

    def fact(self, raw: _Raw) -> dict[str, Any] | None:
        """What every fact has: id, sources, note, confidence; None if it has no source."""
        sources = self.sources(raw)
        if not sources:
            self.run.skip(
                raw,
                raw.path,
                "not imported: it has no proof, sourceUrl or dataset, "
                "and the model keeps only sourced facts",
            )
            return None
        return {
            "id": self.run.ids[raw.id],
            "sources": sources,
            "confidence": self.run.confidence,
            "note": _notes(raw),
        }

    def keep(self, raw: _Raw, build: Callable[[_Raw], Entity | None]) -> None:
        run = self.run
        try:
            entity = build(raw)
        except ValidationError as error:
            for issue in error.issues:
                run.skip(raw, raw.path, f"not imported: {issue.path[2:] or 'it'}: {issue.message}")
            return
        if entity is not None:
            run.built[raw.id] = entity
            if isinstance(entity, State):
                run.state_ids.add(entity.id)
            unread = [name for name in raw.properties if name not in raw.read]
            for name in unread:
                run.skip(
                    raw,
                    raw.at(name),
                    f"{raw.schema}'s {name!r} is not imported: the model has no place for it",
                )

    # --- each schema

    def article(self, raw: _Raw) -> Source | None:
        run = self.run
        title = _first_text(run, raw, "title") or _first_text(run, raw, "name")
        url = None
        for position, address in enumerate(raw.values("sourceUrl")):
            if url is None:
                try:
                    url = _url(address)
                except ValidationError as error:
                    run.skip(raw, raw.at("sourceUrl", position), error.issues[0].message)
            else:
                run.skip(
                    raw,
                    raw.at("sourceUrl", position),
                    f"{shown(address)} left out: a source has one address, the first",
                )
        if title is None:
            title = url
            if title is None:
                run.skip(
                    raw,
                    raw.path,
                    "not imported: an Article with no title, name or "
                    "sourceUrl; a source needs a title",
                )
                return None
            run.note(raw, raw.path, "the Article has no title; its address is its title")
        language = None
        found = _first(run, raw, "language")
        if found is not None:
            try:
                language = language_code(found[1])
            except ValidationError as error:
                run.skip(raw, raw.at("language", found[0]), error.issues[0].message)
        return Source(
            id=run.ids[raw.id],
            title=title,
            publisher=_first_text(run, raw, "publisher"),
            url=url,
            published=_first_date(run, raw, "publishedAt"),
            retrieved=self.retrieved(raw),
            language=language,
            note=_notes(raw),
        )

    def state(self, raw: _Raw) -> State | None:
        run = self.run
        code = run.ids[raw.id].partition(":")[2]
        for position, value in enumerate(raw.values("country")):
            if value != code:
                run.skip(
                    raw,
                    raw.at("country", position),
                    f"{shown(value)} left out: the state's code is {code!r}, from its id",
                )
        raw.read.add("topics")
        fact = self.fact(raw)
        if fact is None:
            return None
        return State(code=code, names=_names(run, raw), wikidata=_wikidata(run, raw), **fact)

    def organization(self, raw: _Raw) -> Organization | None:
        run = self.run
        topics = set(raw.values("topics"))
        raw.read.add("parent")  # set once every organisation is built
        if raw.schema != "PublicBody":
            kind = OrganizationKind.OTHER
        elif "gov.igo" in topics:
            kind = OrganizationKind.INTERGOVERNMENTAL
        elif "fin.fund" in topics:
            kind = OrganizationKind.FUND
        elif "gov.executive" in topics:
            kind = OrganizationKind.GOVERNMENT
        else:
            kind = OrganizationKind.OTHER
        state = None
        found = _first(run, raw, "country")
        if found is not None:
            state = self.state_of(raw, *found, create=False)
        fact = self.fact(raw)
        if fact is None:
            return None
        return Organization(
            names=_names(run, raw),
            kind=kind,
            state=state,
            founded=_first_date(run, raw, "incorporationDate"),
            dissolved=_first_date(run, raw, "dissolutionDate"),
            wikidata=_wikidata(run, raw),
            **fact,
        )

    def state_of(self, raw: _Raw, position: int, value: str, *, create: bool) -> str | None:
        """The id of the state of an FtM country code; made (if *create*) when not in the input."""
        run = self.run
        where = raw.at("country", position)
        try:
            code = country_code(value.upper())
        except ValidationError as error:
            message = error.issues[0].message
            try:
                old = country(value.upper())
            except ValidationError:
                old = None
            if old is not None and old.historic:
                message = (
                    f"{shown(value)} is the withdrawn code of {old.name}; the model's "
                    "states have current codes"
                )
            run.skip(raw, where, f"country left out: {message}")
            return None
        if value != code.lower():
            run.note(raw, where, f"{shown(value)} read as the country {code!r}")
        state_id = f"state:{code.lower()}"
        if state_id in run.state_ids:
            return state_id
        if not create:
            run.skip(
                raw,
                where,
                f"country {shown(value)} not linked: no state {state_id!r} in "
                "the input, and this record does not need one",
            )
            return None
        record = country(code)
        run.state_ids.add(state_id)
        run.created_states[state_id] = State(
            id=state_id,
            code=code,
            names=[Name(record.name, language="en")],
            sources=[ISO_SOURCE_ID],
            confidence=run.confidence,
        )
        if ISO_SOURCE_ID not in run.sources:
            run.sources[ISO_SOURCE_ID] = Source(id=ISO_SOURCE_ID, **_ISO_SOURCE)
        run.note(
            raw,
            where,
            f"{state_id!r} ({record.name}) was created for this country, "
            f"named as ISO 3166-1 names it: the input has no such state",
        )
        return state_id

    def person(self, raw: _Raw) -> Person | None:
        fact = self.fact(raw)
        if fact is None:
            return None
        return Person(names=_names(self.run, raw), wikidata=_wikidata(self.run, raw), **fact)

    def position(self, raw: _Raw) -> Position | None:
        run = self.run
        owner = next(iter(self.targets(raw, "organization", (State, Organization))), None)
        countries = raw.values("country")
        if owner is None:
            if len(countries) == 1:
                owner = self.state_of(raw, 0, countries[0], create=True)
            elif countries:
                run.skip(
                    raw,
                    raw.at("country"),
                    f"a position with {len(countries)} countries "
                    "and no organization: whose office it is is not known",
                )
        if owner is None:
            run.skip(
                raw,
                raw.path,
                "not imported: a position belongs to a state or "
                "organisation, and no organization or country of it was imported",
            )
            return None
        fact = self.fact(raw)
        if fact is None:
            return None
        return Position(
            names=_names(run, raw),
            kind=run.kinds.get(raw.id, PositionKind.OTHER),
            organization=owner,
            single_holder=False,
            wikidata=_wikidata(run, raw),
            **fact,
        )

    def one_target(self, raw: _Raw, name: str, kinds: tuple[type[Entity], ...]) -> str | None:
        found = _first(self.run, raw, name)
        if found is None:
            self.run.skip(raw, raw.path, f"not imported: it has no {name}")
            return None
        target = self.target(raw, name, found[0], found[1], kinds)
        if target is None:
            self.run.skip(raw, raw.path, f"not imported: its {name} was not imported")
        return target

    def period(self, raw: _Raw) -> tuple[PartialDate | None, PartialDate | None]:
        return _first_date(self.run, raw, "startDate"), _first_date(self.run, raw, "endDate")

    def tenure(self, raw: _Raw) -> Tenure | None:
        run = self.run
        person = self.one_target(raw, "holder", (Person,))
        position = self.one_target(raw, "post", (Position,))
        start, end = self.period(raw)
        status = _first_text(run, raw, "status")
        finish: PartialDate | Unknown | None = end
        if end is None:
            if status == "current":
                finish = None
            elif status == "ended" and start is not None:
                finish = UNKNOWN
            else:
                why = (
                    "it ended, on a day not given, and with no start date the model cannot "
                    "hold that (an unknown end needs a dated start)"
                    if status == "ended"
                    else f"its status is {shown(status)} and it has no end date, so whether "
                    "the post is still held is not known (an open end would say it is)"
                )
                run.skip(raw, raw.path, f"not imported: {why}")
                return None
        if person is None or position is None:
            return None
        fact = self.fact(raw)
        if fact is None:
            return None
        return Tenure(person=person, position=position, period=Period(start, finish), **fact)

    def membership(self, raw: _Raw) -> Membership | Chairmanship | None:
        run = self.run
        state = self.one_target(raw, "member", (State,))
        organization = self.one_target(raw, "organization", (Organization,))
        start, end = self.period(raw)
        roles = raw.values("role")
        chair = run.ids[raw.id].startswith("chairmanship:")
        for position, role in enumerate(roles):
            if role not in {"member", "chair"} or (role == "chair") != chair:
                run.skip(
                    raw,
                    raw.at("role", position),
                    f"role {shown(role)} left out: the "
                    "model holds a membership or a chairmanship, nothing between",
                )
        statuses = raw.values("status")
        for position, status in enumerate(statuses):
            if chair or status != "member":
                run.skip(
                    raw,
                    raw.at("status", position),
                    f"status {shown(status)} left out: "
                    "a change of status needs the date it began, which FtM does not give",
                )
        if state is None or organization is None:
            return None
        fact = self.fact(raw)
        if fact is None:
            return None
        cls = Chairmanship if chair else Membership
        return cls(state=state, organization=organization, period=Period(start, end), **fact)

    def event(self, raw: _Raw) -> Event | Agreement | None:
        run = self.run
        date = _first_date(run, raw, "date")
        if date is None:
            run.skip(raw, raw.path, "not imported: an event needs its date")
            return None
        involved = self.targets(raw, "involved", (Person, State, Organization))
        place = _first_text(run, raw, "location")
        fact = self.fact(raw)
        if fact is None:
            return None
        names = _names(run, raw)
        if fact["id"].startswith("agreement:"):
            return Agreement(
                names=names,
                kind=AgreementKind.AGREEMENT,
                status=AgreementStatus.SIGNED,
                parties=[i for i in involved if not i.startswith("person:")],
                signatories=[i for i in involved if i.startswith("person:")],
                signed=date,
                place=place,
                **fact,
            )
        return Event(
            names=names,
            kind=EventKind.OTHER,
            status=EventStatus.HELD,
            date=date,
            place=place,
            participants=involved,
            topics=raw.values("keywords"),
            **fact,
        )

    # --- the whole

    def run_all(self) -> list[Entity]:
        run = self.run
        self.assign_ids()
        for raw in run.raws:
            if raw.id not in run.ids:
                run.skip(
                    raw,
                    f"{raw.path}.schema",
                    f"{raw.schema!r} entities are not imported: the model has no place for them",
                )
        # Organisations link to the states of the input only; positions, built after
        # them, may create a state for a country, which nothing else then needs.
        steps: list[tuple[str, Callable[[_Raw], Entity | None]]] = [
            ("source", self.article),
            ("state", self.state),
            ("organization", self.organization),
            ("person", self.person),
            ("position", self.position),
            ("tenure", self.tenure),
            ("membership", self.membership),
            ("chairmanship", self.membership),
            ("agreement", self.event),
            ("event", self.event),
        ]
        for kind, step in steps:
            for raw in run.raws:
                if run.ids.get(raw.id, "").partition(":")[0] == kind:
                    self.keep(raw, step)
            if kind == "organization":
                self.parents()
        built = list(run.built.values())
        order = (
            Source,
            State,
            Organization,
            Person,
            Position,
            Tenure,
            Membership,
            Chairmanship,
            Agreement,
            Event,
        )
        entities = [*built, *run.sources.values(), *run.created_states.values()]
        return sorted(entities, key=lambda entity: order.index(type(entity)))  # stable

    def parents(self) -> None:
        """Set each organisation's parent, once every organisation is built."""
        run = self.run
        for raw in run.raws:
            organization = run.built.get(raw.id)
            if not isinstance(organization, Organization):
                continue
            found = _first(run, raw, "parent")
            if found is None:
                continue
            parent = self.target(raw, "parent", found[0], found[1], (Organization,))
            if parent is not None and parent != organization.id:
                run.built[raw.id] = attrs.evolve(organization, parent=parent)


def from_ftm(
    entities: Iterable[Mapping[str, Any]],
    *,
    confidence: Confidence = Confidence.LIKELY,
    position_kinds: Mapping[str, PositionKind] | None = None,
) -> FtmImport:
    """Import FollowTheMoney entities: the inverse of [`to_ftm`][kgru_relations.interop.ftm.to_ftm].

    Reads ``Article`` (sources), ``PublicBody``, ``Organization``, ``Company``
    and ``LegalEntity`` (organisations; a ``PublicBody`` our export wrote for
    a state is a state), ``Person``, ``Position``, ``Occupancy`` (tenures),
    ``Membership`` (memberships; chairmanships for role ``chair``) and
    ``Event`` (events; an agreement's signing our export wrote is the
    agreement). For what FtM can hold, ``from_ftm(to_ftm(dataset))`` gives
    back the dataset's entities.

    An occupancy's end: its ``endDate``; with none, status ``current`` is an
    open end (still held) and ``ended`` an end on an unknown day
    ([`UNKNOWN`][kgru_relations.UNKNOWN]); any other status, or none, with no
    end date is left out (and said in ``skipped``), as the model cannot say
    "perhaps still held".

    Ids: an id our export wrote (``kgru-person-sergey-lavrov``) gives our id
    back; any other FtM id (``Q7747``, ``NK-2Zq...``, a hash) gives the kind,
    a colon and the FtM id in lower case (``person:q7747``), each run of
    ``.``/``-`` one ``-``; two FtM ids that would read alike each get a suffix
    from their own id. Never by name: two FtM entities are never merged.

    Every fact is sourced: by the ``Article``s in its ``proof``, a source
    built from each ``sourceUrl`` (with its ``publisher`` and
    ``retrievedAt``), else the page of its OpenSanctions dataset
    (``datasets``); a fact with none of these is left out.

    Args:
        entities: FtM entities as dicts, as ``to_ftm`` returns them, as
            [`read_ftm_lines`][kgru_relations.interop.ftm.read_ftm_lines]
            reads them, or from any JSON; read once.
        confidence: The confidence of every imported fact (FtM has none).
        position_kinds: The kind of each position, by its FtM id; any other
            is ``other`` (FtM's topics cannot tell a head of state from a
            head of government).

    Returns:
        The entities, what was left out and why, and what was adapted.

    Raises:
        ValidationError: If the input is not FtM entity JSON (not an object,
            no id or schema, a schema FtM does not have, properties that are
            not lists of text, one id twice), with every problem at its path
            (``$[3].properties.startDate[0]``), the first
            [`MAX_ISSUES`][kgru_relations.errors.MAX_ISSUES] of them.
    """
    run = _Run(Confidence(confidence), dict(position_kinds or {}))
    for index, value in enumerate(entities):
        run.read(index, value)
    run.bad.raise_if_any()
    entities_built = _Import(run).run_all()
    return FtmImport(
        entities=tuple(entities_built),
        skipped=tuple(dict.fromkeys(run.skipped)),
        notes=tuple(dict.fromkeys(run.notes)),
    )
