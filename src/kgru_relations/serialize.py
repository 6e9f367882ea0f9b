"""Lossless JSON: load and save datasets, entities and observation streams.

A data file is one JSON object: ``{"schema_version": 1, "sources": [...],
"states": [...], ...}``, one list per kind of entity, each entity an object
with its ``id``. Dates and periods are their text form (``2025-05``,
``2021-01-28/..``), amounts are decimal strings (``"3200000000"``), enums their
lowercase values. Keys are written sorted, lists in id order, UTF-8, with a
trailing newline, so a file diffs cleanly and ``dumps(loads(b)) == b`` for any
file ``dumps`` wrote.

Loading reports every problem in the input in one
[`ValidationError`][kgru_relations.ValidationError], each with its path:

    >>> import kgru_relations
    >>> kgru_relations.loads(b'{"schema_version": 1, "sources": [{"id": "source:a"}]}')
    Traceback (most recent call last):
    ...
    kgru_relations.errors.ValidationError: $.sources[0].title: required field is missing

No input makes the load functions raise anything but ``ValidationError``.
"""

from __future__ import annotations

import functools
import importlib.resources
import operator
from decimal import Decimal
from typing import Any, Final, TypeVar

import attrs

from kgru_relations._gc import paused
from kgru_relations.dataset import Dataset
from kgru_relations.dataset._integrity import (
    Problem,
    observation_field_problems,
    problems,
    reference_problem,
)
from kgru_relations.errors import (
    MAX_ISSUES,
    Issue,
    PlacedIssues,
    ValidationError,
    described,
)
from kgru_relations.files import PathLike, read_bytes, write_atomically
from kgru_relations.io._careful import key_issues
from kgru_relations.io._convert import configure_converter, converter, make_converter
from kgru_relations.io._fast import fast_loads
from kgru_relations.io._json import decode, encode, guarded, json_object
from kgru_relations.io._jsonl import iter_observations, numbered_observations, write_observations
from kgru_relations.io._migrations import SCHEMA_VERSION, migrate, register_migration
from kgru_relations.io._write import wire_writer
from kgru_relations.model import ENTITY_CLASSES, Entity, Observation
from kgru_relations.model._base import iter_references, reference_kinds, valid_id
from kgru_relations.money import decimal_rule

__all__ = [
    "DEFAULT_DATASET",
    "SCHEMA_VERSION",
    "configure_converter",
    "dump",
    "dumps",
    "from_dict",
    "from_json",
    "iter_observations",
    "load",
    "load_default",
    "loads",
    "make_converter",
    "numbered_observations",
    "register_migration",
    "save",
    "to_dict",
    "to_json",
    "write_observations",
]

T = TypeVar("T")

_COLLECTIONS: Final = {cls.COLLECTION: cls for cls in ENTITY_CLASSES}


# --- single records ----------------------------------------------------------------------


def to_dict(value: Any) -> Any:
    """Return a model value (an entity, a name, a date...) as JSON-ready Python data."""
    return converter().unstructure(value)


def from_dict(cls: type[T], data: object) -> T:
    """Build a *cls* (an entity class, ``Name``, ``PartialDate``...) from JSON-ready data.

    Raises:
        ValidationError: With every problem, each at its path (``$.period.end``).
    """
    return guarded(lambda: converter().structure(data, cls))


def to_json(value: Any) -> bytes:
    """Return a model value as UTF-8 JSON, keys sorted, with a trailing newline."""
    return encode(to_dict(value))


def from_json(cls: type[T], data: bytes | str) -> T:
    """Build a *cls* from JSON text: ``from_json(Person, b'{"id": ...}')``.

    Raises:
        ValidationError: For text that is not JSON or not a valid *cls*.
    """
    return guarded(lambda: from_dict(cls, decode(data)))


# --- whole datasets ------------------------------------------------------------------------


def _dataset_from(value: object) -> Dataset:
    data = migrate(json_object(value, "a data file"))
    table = {"schema_version": True} | dict.fromkeys(_COLLECTIONS, False)
    issues = PlacedIssues()
    issues.append_all(key_issues(data, table))
    shared = converter()
    entities: list[Entity] = []
    # For each collection, the file index of each entity that structured.
    positions: dict[str, list[int]] = {}
    failed_ids: set[str] = set()
    failed: list[tuple[str, int]] = []
    for collection, cls in _COLLECTIONS.items():
        records = data.get(collection, [])
        if not isinstance(records, list):
            issues.append(Issue(f"$.{collection}", f"expected a list, got {described(records)}"))
            continue
        kept = positions.setdefault(collection, [])
        for index, record in enumerate(records):
            try:
                entities.append(shared.structure(record, cls))
                kept.append(index)
            except ValidationError as error:
                for issue in error.under(collection, index):
                    issues.at((_ORDER[collection], index), issue)
                issues.more += error.more
                if isinstance(record, dict):
                    failed.append((collection, index))
                    if isinstance(record.get("id"), str):
                        failed_ids.add(record["id"])
    dataset = Dataset(entities)
    known = _known_kinds(data)
    for collection, index in failed:
        for issue in _context_issues(
            _COLLECTIONS[collection], data[collection][index], known, dataset
        ):
            issues.at((_ORDER[collection], index), issue.under(collection, index))
    # A reference to a record that is in the file but failed to build is
    # judged by that record's kind (the record itself is already reported).
    # Problems come from validate() with their places, never as text to read back.
    retold = _failed_target_problems(dataset, known, failed_ids)
    for problem in problems(dataset):
        place = (problem.collection, problem.row, problem.keys)
        message = retold.get(place, problem.message)
        if message is None:
            continue
        index = positions[problem.collection][problem.row]
        if len(issues.issues) >= MAX_ISSUES:
            issues.more += 1  # past the limit: counted, not built
            continue
        issue = Problem(problem.collection, index, problem.keys, message).issue()
        issues.at((_ORDER[problem.collection], index), issue)
    issues.raise_in_order(first=(-1, 0))  # the file's own problems first
    return dataset


_ORDER: Final = {collection: index for index, collection in enumerate(_COLLECTIONS)}


def _failed_target_problems(
    dataset: Dataset, known: dict[str, str], failed_ids: set[str]
) -> dict[tuple[str, int, tuple[str | int, ...]], str | None]:
    """What is wrong with each reference to a record that failed to build.

    Keyed by the place ``Dataset`` gives the reference (collection, row among
    the records built, keys); ``None`` if nothing is (the record has the right
    kind, and is reported itself).
    """
    problems: dict[tuple[str, int, tuple[str | int, ...]], str | None] = {}
    if not failed_ids:
        return problems
    for cls in _COLLECTIONS.values():
        for index, entity in enumerate(dataset.all(cls)):
            for keys, target, kinds in iter_references(entity):
                if target in failed_ids:
                    place = (cls.COLLECTION, index, keys)
                    problems[place] = reference_problem(target, kinds, known.get(target))
    return problems


def _known_kinds(data: dict[str, Any]) -> dict[str, str]:
    """Every id in the file (valid records or not) -> the kind of its collection."""
    known: dict[str, str] = {}
    for collection, cls in _COLLECTIONS.items():
        records = data.get(collection)
        for record in records if isinstance(records, list) else ():
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                known.setdefault(record["id"], cls.KIND)
    return known


def _context_issues(
    cls: type[Entity], record: dict[str, Any], known: dict[str, str], dataset: Dataset
) -> list[Issue]:
    """The Dataset's checks, run on the raw fields of a record that could not be built.

    A record with a bad field and a dangling reference (or a negative value)
    then reports both, not only the first.
    """
    issues: list[Issue] = []
    for field in attrs.fields(cls):
        kinds = reference_kinds(cls, field)
        raw = record.get(field.name)
        if not kinds or raw is None:
            continue
        targets = list(enumerate(raw)) if isinstance(raw, list) else [(None, raw)]
        for index, target in targets:
            if not isinstance(target, str) or not _is_id(target):
                continue  # already reported as malformed
            problem = reference_problem(target, kinds, known.get(target))
            if problem is not None:
                keys = (field.name,) if index is None else (field.name, index)
                issues.append(Issue("$", problem).under(*keys))
    if cls is Observation:
        target = record.get("indicator")
        indicator = dataset.get(target) if isinstance(target, str) and target in dataset else None
        try:
            value: Decimal | None = decimal_rule.read(record.get("value"))
        except ValidationError:
            value = None  # already reported as malformed
        unit = record.get("unit")
        for field, problem in observation_field_problems(
            value, unit if isinstance(unit, str) else None, indicator
        ):
            issues.append(Issue("$", problem).under(field))
    return issues


def _is_id(value: str) -> bool:
    try:
        valid_id(value)
    except ValidationError:
        return False
    return True


def loads(data: bytes | str) -> Dataset:
    """Read a dataset from the text of a data file.

    Raises:
        ValidationError: With every problem in the input, each with its path:
            bad JSON (with line and column), unknown keys, wrong values,
            references to no entity, a newer schema version. Nothing else is
            raised, whatever the input.
    """
    # The fast path answers only when it is sure the file is valid; on any doubt,
    # the careful path reads it again and reports every problem with its path.
    raw = _bytes_of(data)
    if raw is not None and not raw.startswith(b"\xef\xbb\xbf"):
        fast = fast_loads(raw, SCHEMA_VERSION)
        if fast is not None:
            return fast
    return guarded(lambda: _dataset_from(decode(data)))


def _bytes_of(data: object) -> bytes | None:
    """The bytes of *data*, text or bytes; None for anything else (the careful path says what)."""
    if isinstance(data, str):
        return data.encode("utf-8", "surrogatepass")
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    return None


def load(path: PathLike) -> Dataset:
    """Read a dataset from a data file.

    Raises:
        OSError: If the file cannot be read (missing, a directory, no permission).
        ValidationError: If its content is not a valid data file.
    """
    return loads(read_bytes(path))


DEFAULT_DATASET: Final = "data/kg_ru.json"
"""Where, inside the package, the embedded Kyrgyzstan–Russia dataset lives."""


@functools.cache
def load_default() -> Dataset:
    """Return the embedded, sourced dataset of Kyrgyzstan–Russia relations.

    It is read from the package (with ``importlib.resources``) the first time
    and cached: every call returns the same immutable object.

    Examples:
        >>> from kgru_relations import load_default
        >>> load_default().get("state:kg").label
        'Kyrgyzstan'
        >>> load_default() is load_default()
        True
    """
    return loads(importlib.resources.files("kgru_relations").joinpath(DEFAULT_DATASET).read_bytes())


_ID_OF: Final = operator.attrgetter("id")


def _document(dataset: Dataset) -> dict[str, Any]:
    document: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for collection, cls in _COLLECTIONS.items():
        entities = sorted(dataset.all(cls), key=_ID_OF)
        if entities:
            # One writer per collection (a function compiled for the class), no lookup per record.
            document[collection] = list(map(wire_writer(cls), entities))
    return document


def dumps(dataset: Dataset) -> bytes:
    """Return the data file for *dataset*: deterministic UTF-8 JSON with a trailing newline."""
    with paused():  # a dict a record, none of them garbage: no cycle hunts meanwhile
        return encode(_document(dataset))


def save(dataset: Dataset, path: PathLike) -> None:
    """Write *dataset* to *path* atomically: a crash mid-save leaves the old file whole."""
    write_atomically(path, [dumps(dataset)])


dump = save
"""Another name for [`save`][kgru_relations.serialize.save]."""
