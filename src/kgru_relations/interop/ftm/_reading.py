"""Read FollowTheMoney entity JSON: its lines, its envelope, its values."""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final, TextIO

import attrs

from kgru_relations.dates import UNKNOWN, PartialDate, Period, reduced_iso_form
from kgru_relations.errors import Issue, IssueCollector, ValidationError, path_segment, shown
from kgru_relations.files import read_lines
from kgru_relations.interop.ftm._mapping import (
    FTM_SCHEMATA,
    ftm_id_problem,
    kind_of_entity,
    own_id,
)
from kgru_relations.interop.importing import (
    ImportLog,
    ImportResult,
    described,
    digest,
    make_id,
)
from kgru_relations.model import Confidence, Entity, PositionKind, State
from kgru_relations.model.actors import WIKIDATA_FORM, WIKIDATA_ID
from kgru_relations.names import Name, NameKind

__all__ = [
    "FtmImport",
    "Raw",
    "Run",
    "date_of",
    "first",
    "first_date",
    "first_text",
    "names_of",
    "notes_of",
    "period_of",
    "read_ftm_lines",
    "retrieved_of",
    "wikidata_of",
]

# The keys of an entity line besides id, schema and properties: FtM's own
# ("caption") and those OpenSanctions (nomenklatura) adds. Only "datasets" is
# read (a fact with no other source cites its dataset); the rest describe the
# build of the file, not the facts, and are not imported.
_ENVELOPE: Final = frozenset(
    {"caption", "datasets", "referents", "first_seen", "last_seen", "last_change", "target"}
)

# FtM's dates: ISO 8601's reduced dates, a day perhaps with its time (which is not kept).
_DATE: Final = re.compile(
    reduced_iso_form(
        r"(?P<time>T[0-9]{2}(?::[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
    )
    + r"\Z"
)

FtmImport = ImportResult
"""What [`from_ftm`][kgru_relations.interop.ftm.from_ftm] returns: every import's one result."""


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
            message = (
                "it is nested too deeply to read"
                if isinstance(error, RecursionError)
                else getattr(error, "msg", None) or type(error).__name__
            )
            raise ValidationError(
                [Issue(f"$[{index}]", f"the line is not JSON: {message}", line=number)]
            ) from None
        yield _Line(value, number) if isinstance(value, dict) else value
        index += 1


# --- reading the envelope ----------------------------------------------------------


@attrs.define
class Raw:
    """One entity of the input, its shape checked."""

    index: int
    line: int | None
    id: str
    schema: str
    properties: dict[str, list[str]]  # each property's values, once each, in text order
    positions: dict[str, list[int]]  # where each of those values is in the input's list
    datasets: list[str]
    caption: str | None = None
    read: set[str] = attrs.field(factory=set)  # the properties some step has read

    @property
    def path(self) -> str:
        return f"$[{self.index}]"

    def at(self, name: str, position: int | None = None) -> str:
        """The path of property *name*, or of its value at *position* in ``properties``."""
        where = f"{self.path}.properties{path_segment(name)}"
        return where if position is None else f"{where}[{self.positions[name][position]}]"

    def values(self, name: str) -> list[str]:
        self.read.add(name)
        return self.properties.get(name, [])


class Run:
    """The state of one import: issues, skips, notes, and what was built."""

    def __init__(self, confidence: Confidence, kinds: Mapping[str, PositionKind]) -> None:
        self.bad = IssueCollector()
        self.log = ImportLog()
        self.confidence = confidence
        self.kinds = kinds
        self.raws: list[Raw] = []
        self.by_ftm: dict[str, Raw] = {}
        self.ids: dict[str, str] = {}  # FtM id -> our id
        self.built: dict[str, Entity] = {}  # FtM id -> entity
        self.created_states: dict[str, State] = {}
        self.state_ids: set[str] = set()  # of the states built or created

    # --- issues

    def skip(self, raw: Raw | None, path: str, message: str) -> None:
        self.log.skip(path, message, line=raw.line if raw else None)

    def note(self, raw: Raw | None, path: str, message: str) -> None:
        self.log.note(path, message, line=raw.line if raw else None)

    # --- ids

    def assign_ids(self) -> None:
        """Give each entity of a kind the model holds its id (``ids``: FtM id to ours)."""
        wanted: dict[str, list[Raw]] = {}
        for raw in self.raws:
            kind = kind_of_entity(raw.schema, raw.id, raw.properties.get("role", []))
            if kind is not None:
                ours = own_id(raw.id, kind) or make_id(kind, raw.id)
                wanted.setdefault(ours, []).append(raw)
        for ours, raws in wanted.items():
            for raw in raws:
                if len(raws) > 1 and own_id(raw.id, ours.partition(":")[0]) != ours:
                    # Two FtM ids that differ only in case or separators: neither is
                    # merged into the other; each gets a suffix from its own FtM id.
                    self.ids[raw.id] = f"{ours}-{digest(raw.id, 10)}"
                    self.note(
                        raw,
                        f"{raw.path}.id",
                        f"{shown(raw.id)} and another FtM id read as "
                        f"{shown(ours)}; this one is {self.ids[raw.id]!r}",
                    )
                else:
                    self.ids[raw.id] = ours

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
                    f"got {described(value)}",
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
        if not isinstance(datasets, list | tuple):
            where = f"{path}.datasets"
            problems.append((where, f"expected a list of names, got {described(datasets)}"))
        else:
            problems += [
                (
                    f"{path}.datasets[{at}]",
                    f"expected a dataset's name as text, got {described(item)}",
                )
                for at, item in enumerate(datasets)
                if not isinstance(item, str)
            ]
        for key in value:
            if key in _ENVELOPE or key in {"id", "schema", "properties"}:
                continue
            where = f"{path}{path_segment(str(key))}"
            if isinstance(key, str):
                message = f"the key {shown(key)} is not FtM's; not imported"
                self.log.skip(where, message, line=line)
            else:
                problems.append((where, f"expected a key as text, got {described(key)}"))
        for where, message in problems:
            self.bad.append(Issue(where, message, line=line))
        if len(self.bad.issues) + self.bad.more == before:
            caption = value.get("caption")
            raw = Raw(
                index,
                line,
                value["id"],
                value["schema"],
                {name: [text for text, _ in pairs] for name, pairs in properties.items()},
                {name: [at for _, at in pairs] for name, pairs in properties.items()},
                sorted(set(datasets)),
                caption if isinstance(caption, str) else None,
            )
            self.raws.append(raw)
            self.by_ftm[raw.id] = raw

    def id_problems(self, path: str, entity_id: object) -> list[tuple[str, str]]:
        problem = ftm_id_problem(entity_id)
        if problem is not None:
            return [(f"{path}.id", problem)]
        assert isinstance(entity_id, str)  # ftm_id_problem says so otherwise
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
        return [(f"{path}.schema", f"expected the schema's name as text, got {described(schema)}")]
    if schema not in FTM_SCHEMATA:
        return [(f"{path}.schema", f"{shown(schema)} is not a FollowTheMoney schema")]
    return []


def _properties(
    path: str, properties: object
) -> tuple[dict[str, list[tuple[str, int]]], list[tuple[str, str]]]:
    """The properties, and the problems with their shape.

    FtM's values are a set: each property's values come in text order, each
    once, with where it first is in the input, so that no choice made from
    them depends on the order they came in (followthemoney's own statement
    round trip reorders them).
    """
    if not isinstance(properties, Mapping):
        message = (
            f"expected an object of property names and lists of text, got {described(properties)}"
        )
        return {}, [(f"{path}.properties", message)]
    kept: dict[str, list[tuple[str, int]]] = {}
    problems: list[tuple[str, str]] = []
    for name, values in properties.items():
        where = f"{path}.properties{path_segment(str(name))}"
        if not isinstance(name, str):
            problems.append((where, f"expected a property name as text, got {described(name)}"))
        elif not isinstance(values, list | tuple):
            problems.append((where, f"expected a list of text values, got {described(values)}"))
        else:
            wrong = [(at, item) for at, item in enumerate(values) if not isinstance(item, str)]
            problems += [
                (f"{where}[{at}]", f"expected text, got {described(item)}") for at, item in wrong
            ]
            if not wrong:
                first_at: dict[str, int] = {}
                for at, text in enumerate(values):
                    first_at.setdefault(text, at)
                kept[name] = sorted(first_at.items())
    return kept, problems


# --- values ------------------------------------------------------------------------


def date_of(run: Run, raw: Raw, name: str, position: int, text: str) -> PartialDate | None:
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


def first(run: Run, raw: Raw, name: str) -> tuple[int, str] | None:
    """The first value of a property the model holds once; the others are skipped."""
    values = raw.values(name)
    for position, extra in enumerate(values[1:], start=1):
        run.skip(
            raw,
            raw.at(name, position),
            f"{shown(extra)} left out: the model holds one {name}, the first in text order",
        )
    return (0, values[0]) if values else None


def first_date(run: Run, raw: Raw, name: str) -> PartialDate | None:
    found = first(run, raw, name)
    return None if found is None else date_of(run, raw, name, *found)


def first_text(run: Run, raw: Raw, name: str) -> str | None:
    found = first(run, raw, name)
    return None if found is None else found[1]


def notes_of(raw: Raw) -> str | None:
    """Every value of ``notes`` (or an Interval's ``description``) as one note."""
    texts = raw.values("description" if "description" in raw.properties else "notes")
    return "\n\n".join(texts) if texts else None


def names_of(run: Run, raw: Raw) -> list[Name]:
    """``name`` values as common names, ``alias``, ``previousName`` and ``weakAlias`` as aliases.

    The main name is the entity's ``caption`` when it is one of its names,
    else the first ``name`` in text order: never the first as they came.
    """
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
    caption = raw.caption
    if caption is not None and caption in raw.properties.get("name", ()) and caption in names:
        return [names.pop(caption), *names.values()]  # the caption FtM gave it: its main name
    return list(names.values())


def wikidata_of(run: Run, raw: Raw) -> str | None:
    found = first(run, raw, "wikidataId")
    if found is None:
        return None
    if not WIKIDATA_ID.match(found[1]):
        run.skip(
            raw,
            raw.at("wikidataId", found[0]),
            f"{shown(found[1])} left out: not a Wikidata item id ({WIKIDATA_FORM})",
        )
        return None
    return found[1]


def retrieved_of(run: Run, raw: Raw) -> _dt.date | None:
    """A source's ``retrievedAt``: a day, or None (a value that is not a day is skipped)."""
    found = first(run, raw, "retrievedAt")
    if found is None:
        return None
    date = date_of(run, raw, "retrievedAt", *found)
    if date is not None and date.day is None:
        run.skip(
            raw,
            raw.at("retrievedAt", found[0]),
            f"{shown(found[1])} is not a day; a source's retrieved date is one",
        )
        return None
    return None if date is None else date.earliest


def period_of(
    run: Run, raw: Raw, start: PartialDate | None, end: PartialDate | None, status: str | None
) -> Period | None:
    """An occupancy's (or a membership's) period; None, said in skipped, if none is honest.

    With an end date but no start: the start is unknown, not open. With no
    end date: status ``current`` is an open end (still held); any
    other status, or none (as in most of OpenSanctions' data), is an end
    on a day not given, after a dated start: the possible-holder queries
    answer "perhaps still held" for it. With no date at all, and not
    ``current``, the model's period cannot say when it was held.
    """
    if start is None and end is not None:
        # It began on a day the data does not give: not "since always" (an open
        # start), which would claim more than the source says.
        run.note(
            raw,
            raw.path,
            f"no start date: its start is unknown ({Period(UNKNOWN, end)}), not open",
        )
        return Period(UNKNOWN, end)
    if end is not None or status == "current":
        if start is None and end is None:
            # The model has no "since a day not given, and still": an unknown
            # start needs a dated end. Open on both sides is this library's own
            # export of such a record; from elsewhere, it may claim more.
            run.note(
                raw,
                raw.path,
                "current, with no start or end date: read as open on both sides (../..), "
                "held on every day; the model cannot hold a start not given before an open end",
            )
        return Period(start, end)
    said = "it has no status" if status is None else f"its status is {shown(status)}"
    if start is None:
        run.skip(
            raw,
            raw.path,
            f"not imported: {'it ended' if status == 'ended' else said}, and it has no start "
            "or end date: the model's period cannot hold a term held at an unknown time "
            "(an end on an unknown day needs a dated start)",
        )
        return None
    if status != "ended":
        run.note(
            raw,
            raw.path,
            f"{said} and no end date: its end is unknown ({Period(start, UNKNOWN)}): "
            f"held from {start}, and perhaps still",
        )
    return Period(start, UNKNOWN)
