"""Write observations to a partitioned Parquet store, a bounded batch at a time."""

from __future__ import annotations

import gc
import json
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, Final, Literal

from kgru_relations._gc import paused
from kgru_relations.dataset import Dataset
from kgru_relations.errors import Issue, IssueCollector, ValidationError, shown
from kgru_relations.files import PathLike, write_atomically
from kgru_relations.interop import require
from kgru_relations.interop.tables._columns import COLUMNS, ColumnType, arrow
from kgru_relations.interop.tables._files import (
    CellMemo,
    arrow_schema,
    batched,
    memory_pool,
    record_batch,
    writable_folder,
)
from kgru_relations.interop.tables._partitions import BackgroundWriter, PartitionWriter
from kgru_relations.io._migrations import SCHEMA_VERSION
from kgru_relations.model import Indicator, Observation, Source
from kgru_relations.serialize import to_dict

__all__ = [
    "MANIFEST",
    "RECORD_CLASSES",
    "STORE_VERSION",
    "YEAR",
    "file_schema",
    "manifest_issue",
    "partition_schema",
    "read_manifest",
    "write_observation_store",
]

MANIFEST: Final = "_manifest.json"
"""The manifest's file name, at the store's root; engines skip names that start with ``_``."""

STORE_VERSION: Final = 1
"""The version of the store's layout, in its manifest."""

YEAR: Final = "year"
"""The partition key derived from a period's first day (null for no period)."""

_FORMAT: Final = "kgru-relations observation store"
_BATCH: Final = 10_000  # observations read and checked at once, as Python objects
_COLLECT: Final = 100  # batches between two runs of the cyclic garbage collector
_ROW_GROUP: Final = 64 * 1024  # rows a row group holds at most
# The bytes of rows held before they are sorted and written: each partition's row group
# holds its share of them, so this is what makes row groups large (and files few).
_HELD: Final = 32 * 2**20
# Within a partition, rows are sorted by these: a pair's rows are together, and each row
# group's statistics cover few reporters, so a scan for one series skips the others.
_ORDER: Final = ("reporter", "partner", "period_start")
_PARTITIONABLE: Final = frozenset({ColumnType.TEXT, ColumnType.CATEGORY})
_Mode = Literal["append", "replace_partitions"]


def _partition_issue(name: object) -> str | None:
    """Why *name* cannot be a partition key, or ``None`` if it can."""
    if name == YEAR:
        return None
    kinds = {column.name: column.type for column in COLUMNS["observations"]}
    if kinds.get(name) in _PARTITIONABLE:  # type: ignore[call-overload]
        return None
    allowed = sorted(n for n, kind in kinds.items() if kind in _PARTITIONABLE)
    return f"cannot partition by {shown(name)}: use {YEAR!r} or one of {', '.join(allowed)}"


def partition_schema(pa: ModuleType, partition_by: Sequence[str]) -> Any:
    """The Arrow schema of the partition keys: text, and ``year`` an ``int32``."""
    return pa.schema(
        [pa.field(name, pa.int32() if name == YEAR else pa.string()) for name in partition_by]
    )


def file_schema(pa: ModuleType, partition_by: Sequence[str]) -> Any:
    """The schema of each file: the ``observations`` table's, less the partition keys."""
    schema = arrow_schema(pa, "observations")
    for name in partition_by:
        if name != YEAR:
            schema = schema.remove(schema.get_field_index(name))
    return schema


def manifest_issue(directory: Path, message: str) -> ValidationError:
    """A `ValidationError` about the store's manifest, naming it."""
    return ValidationError([Issue("$", f"{directory / MANIFEST}: {message}")])


def read_manifest(directory: PathLike) -> dict[str, Any]:
    """The manifest of the store at *directory*, checked for its form and version.

    Raises:
        ValidationError: If it is missing, is not JSON, or is not a store's
            manifest of a version this library reads.
    """
    folder = Path(directory)
    try:
        data = json.loads((folder / MANIFEST).read_bytes())
    except FileNotFoundError:
        raise manifest_issue(folder, "missing: this is not an observation store") from None
    except ValueError:
        raise manifest_issue(folder, "not valid JSON") from None
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        raise manifest_issue(folder, f"not the manifest of a {_FORMAT}")
    if data.get("store_version") != STORE_VERSION:
        found = shown(data.get("store_version"))
        raise manifest_issue(folder, f"store version {found}; this library reads {STORE_VERSION}")
    partition_by = data.get("partition_by")
    if not isinstance(partition_by, list) or any(map(_partition_issue, partition_by)):
        raise manifest_issue(folder, f"partition_by {shown(partition_by)} is not valid")
    return data


RECORD_CLASSES: Final = (Indicator, Source)
"""The records a manifest may keep, by collection, for a dataset built from a scan."""


def _cited(
    kept: Mapping[str, list[dict[str, Any]]], context: Dataset | None, cited: set[str]
) -> dict[str, list[dict[str, Any]]]:
    """*kept* with the indicator and source records of *context* that the rows cite."""
    merged: dict[str, list[dict[str, Any]]] = {}
    for cls in RECORD_CLASSES:
        records = {record["id"]: record for record in kept.get(cls.COLLECTION, [])}
        if context is not None:
            records.update(
                (record.id, to_dict(record)) for record in context.all(cls) if record.id in cited
            )
        merged[cls.COLLECTION] = [records[key] for key in sorted(records)]
    return merged


def _new_manifest(partition_by: Sequence[str]) -> dict[str, Any]:
    return {
        "format": _FORMAT,
        "store_version": STORE_VERSION,
        "schema_version": SCHEMA_VERSION,
        "partition_by": list(partition_by),
        "columns": [column.name for column in COLUMNS["observations"]],
        "rows": 0,
        "indicators": [],
        "units": [],
        "sources": [],
        "records": {},
        "files": {},
    }


def _check_arguments(partition_by: Sequence[str], mode: str, batch_size: int) -> None:
    if isinstance(partition_by, str) or not partition_by:
        msg = f"partition_by must be a non-empty sequence of names, got {shown(partition_by)}"
        raise ValueError(msg)
    for name in partition_by:
        problem = _partition_issue(name)
        if problem is not None:
            raise ValueError(problem)
    if mode not in ("append", "replace_partitions"):
        msg = f"mode must be 'append' or 'replace_partitions', got {shown(mode)}"
        raise ValueError(msg)
    if isinstance(batch_size, bool) or batch_size < 1:
        msg = f"batch_size must be a positive integer, got {batch_size!r}"
        raise ValueError(msg)


class _Seen:
    """What the written observations refer to, for the manifest: a few sets, not the rows."""

    def __init__(self) -> None:
        self.indicators: set[str] = set()
        self.units: set[str] = set()
        self.sources: set[str] = set()

    def add(self, batch: Any) -> None:
        """Note what the rows of *batch*, an Arrow record batch of the table, refer to."""
        self.indicators.update(batch.column("indicator").unique().to_pylist())
        self.units.update(batch.column("unit").unique().to_pylist())
        self.sources.update(batch.column("sources").flatten().unique().to_pylist())


def write_observation_store(
    observations: Iterable[Observation],
    directory: PathLike,
    *,
    partition_by: Sequence[str] = ("indicator", YEAR),
    mode: _Mode = "append",
    context: Dataset | None = None,
    batch_size: int = _BATCH,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write *observations* to a Hive-partitioned Parquet store, a bounded batch at a time.

    The store is a folder of Parquet files, one folder level per partition
    key (``indicator=indicator%3Atrade/year=2024/part-<run>-0.parquet``),
    plus a manifest, ``_manifest.json``. Each file holds the columns of the
    Parquet ``observations`` table
    ([`COLUMNS`][kgru_relations.interop.tables.COLUMNS]) but the partition
    keys, whose values are in the folder names; ``year`` is the year of the
    period's first day (``__HIVE_DEFAULT_PARTITION__`` for no period).

    *observations* is read *batch_size* at a time; the rows are held in
    Arrow's compact form up to a bound in bytes, then each partition's
    become one row group of its file, sorted by reporter, partner and
    period. Memory does not grow with the input: pass
    [`iter_observations`][kgru_relations.serialize.iter_observations] of a
    JSON Lines file. A call writes one file per partition (a new one after
    so many row groups), so when the input comes roughly by reporter (a bulk
    download), a reader of one series skips the other partitions' files and
    the row groups of other pairs. Each call writes new files (named for the
    run), so a store grows by appending; with ``mode="replace_partitions"`` the
    partitions this call writes to keep only its files, and every other
    partition is left as it was. The manifest (the store's layout version,
    partition keys, row and file counts, and the indicators, units and
    sources the rows refer to) is rewritten atomically last. If anything
    fails, the files of this call are removed and the store is as it was.

    Args:
        observations: Any iterable of observations.
        directory: The store's folder; created if need be.
        partition_by: The partition keys, outermost first: ``year`` or a
            text column of the table (``indicator``, ``reporter``, ...). An
            existing store keeps its own.
        mode: ``"append"`` (the default) or ``"replace_partitions"``.
        context: The dataset the observations come from, if any: the
            indicators and sources they cite are kept in the manifest, so that
            [`scan_dataset`][kgru_relations.interop.tables.scan_dataset]
            builds a dataset without it.
        batch_size: How many observations to hold at once as objects; the
            rows held until they are written are bounded apart, in Arrow's
            compact form.
        progress: Called with the number of observations read so far, after
            each batch.

    Returns:
        The number of observations written.

    Raises:
        MissingExtra: If pyarrow is not installed (a `ModuleNotFoundError`).
        ValidationError: If an amount does not fit ``decimal128(38, 6)``
            exactly (each issue at ``$.observations[i].value``, naming the
            observation; the input is read to its end to list them all), or
            the folder holds a store whose manifest is not valid. Nothing is
            written then.
        ValueError: If an argument is not valid, or *partition_by* differs
            from the existing store's.
        OSError: If a file cannot be read or written.

    Examples:
        >>> import tempfile
        >>> from kgru_relations import load_default
        >>> from kgru_relations.model import Observation
        >>> from kgru_relations.interop.tables import scan_observations
        >>> dataset = load_default()
        >>> store = tempfile.mkdtemp()
        >>> write_observation_store(dataset.all(Observation), store) == len(
        ...     dataset.all(Observation))
        True
        >>> set(scan_observations(store)) == set(dataset.all(Observation))
        True
    """
    _check_arguments(partition_by, mode, batch_size)
    pa, pq = arrow()
    folder = writable_folder(directory)
    manifest = read_manifest(folder) if (folder / MANIFEST).exists() else None
    if manifest is None:
        manifest = _new_manifest(partition_by)
    elif manifest["partition_by"] != list(partition_by):
        msg = (
            f"the store at {shown(str(folder))} is partitioned by "
            f"{', '.join(manifest['partition_by'])}, not by {', '.join(partition_by)}"
        )
        raise ValueError(msg)
    partition_by = list(manifest["partition_by"])
    run = uuid.uuid4().hex
    schema = arrow_schema(pa, "observations")
    issues = IssueCollector()
    memo = CellMemo()
    seen = _Seen()
    files = BackgroundWriter(
        PartitionWriter(
            pa,
            pq,
            folder,
            run=run,
            schema=file_schema(pa, partition_by),
            partition_by=partition_by,
            order=_ORDER,
            row_group=_ROW_GROUP,
            held=_HELD,
            options={"use_dictionary": _repeating(partition_by)},
            pool=memory_pool(pa),
        )
    )
    try:
        # As the loaders do while they build: the batches are new objects, none of them
        # garbage, so the cyclic collector is paused, and run once in so many batches to
        # free any cycles the input made.
        with paused():
            for number, chunk in enumerate(batched(observations, batch_size)):
                first = number * batch_size

                def path(index: int, first: int = first) -> str:
                    return f"$.observations[{first + index}]"

                batch = record_batch(pa, schema, "observations", chunk, issues, path, memo=memo)
                if number % _COLLECT == _COLLECT - 1:
                    gc.collect()
                if issues.issues:
                    continue  # keep reading, to list every value that does not fit
                seen.add(batch)
                files.write(_keyed(pa, batch, partition_by))
                if progress is not None:
                    progress(first + len(chunk))
        issues.raise_if_any()
        files.close()
    except BaseException:
        files.abandon()
        _remove_run(folder, run)
        raise
    written = files.rows
    replace = mode == "replace_partitions"
    _update_manifest(folder, manifest, written, seen, context, replace=replace)
    return sum(written.values())


def _update_manifest(
    folder: Path,
    manifest: dict[str, Any],
    written: Mapping[str, int],
    seen: _Seen,
    context: Dataset | None,
    *,
    replace: bool,
) -> None:
    """Put a run's files in the manifest (dropping those it replaces), and write it."""
    files: dict[str, int] = manifest["files"]
    if replace:
        touched = {str(Path(path).parent) for path in written}
        for path in [p for p in files if str(Path(p).parent) in touched]:
            (folder / path).unlink(missing_ok=True)
            del files[path]
    files.update(written)
    manifest["rows"] = sum(files.values())
    manifest["indicators"] = sorted(seen.indicators.union(manifest["indicators"]))
    manifest["units"] = sorted(seen.units.union(manifest["units"]))
    manifest["sources"] = sorted(seen.sources.union(manifest["sources"]))
    manifest["records"] = _cited(manifest["records"], context, seen.indicators | seen.sources)
    text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_atomically(folder / MANIFEST, [text.encode()])


def _repeating(partition_by: Sequence[str]) -> list[str]:
    """The columns of a file worth dictionary-encoding: all but ids and amounts, seldom repeated.

    Parquet tries a dictionary for every column unless told, and gives up
    on each column chunk of an id or an amount only after building one.
    """
    return [
        column.name
        for column in COLUMNS["observations"]
        if column.name not in partition_by
        and column.name != "id"
        and column.type is not ColumnType.DECIMAL
    ]


def _keyed(pa: ModuleType, batch: Any, partition_by: Sequence[str]) -> Any:
    """*batch* as a table, with its ``year`` column if the store is partitioned by it."""
    table = pa.Table.from_batches([batch])
    if YEAR in partition_by:
        compute = _compute()
        years = compute.cast(compute.year(batch.column("period_start")), pa.int32())
        table = table.append_column(pa.field(YEAR, pa.int32()), years)
    return table


def _compute() -> ModuleType:
    return require("pyarrow.compute", extra="parquet", doing="writing Parquet")


def _remove_run(folder: Path, run: str) -> None:
    """Remove the files a failed call wrote, and the folders it left empty."""
    for path in list(folder.rglob(f"part-{run}-*.parquet")):
        path.unlink(missing_ok=True)
        for parent in path.parents:
            if parent == folder or any(parent.iterdir()):
                break
            parent.rmdir()
