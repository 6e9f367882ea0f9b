"""Write the tables as CSV and Parquet files."""

from __future__ import annotations

import csv
import decimal
import errno
import io
import itertools
import operator
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any, Final, TypeVar

from kgru_relations.dataset import Dataset
from kgru_relations.errors import Issue, IssueCollector
from kgru_relations.files import PathLike, write_atomically, write_together
from kgru_relations.interop import require
from kgru_relations.interop.tables._columns import (
    COLUMNS,
    DECIMAL_PRECISION,
    DECIMAL_SCALE,
    RECORDS,
    TABLES,
    Column,
    ColumnType,
    arrow,
)
from kgru_relations.serialize import numbered_observations

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "CellMemo",
    "observations_to_parquet",
    "write_csv",
    "write_parquet",
]

DEFAULT_BATCH_SIZE: Final = 50_000
"""How many observations a conversion from JSON Lines holds at once: one Parquet row group."""

_CSV_BATCH: Final = 1_000  # rows formatted before their bytes go to the file
_QUANTUM: Final = Decimal(1).scaleb(-DECIMAL_SCALE)
# Quantizing in this context raises rather than round (Inexact) or overflow (InvalidOperation).
_EXACT: Final = decimal.Context(
    prec=DECIMAL_PRECISION, traps=[decimal.Inexact, decimal.InvalidOperation]
)


_T = TypeVar("_T")
_U = TypeVar("_U")


def batched(items: Iterable[_T], size: int) -> Iterator[tuple[_T, ...]]:
    """*items* in tuples of *size* (the last may be shorter): ``itertools.batched`` before 3.12."""
    iterator = iter(items)
    while batch := tuple(itertools.islice(iterator, size)):
        yield batch


# --- CSV -----------------------------------------------------------------------------------------


def _csv_chunks(columns: tuple[Column, ...], records: Iterable[Any]) -> Iterator[bytes]:
    """The CSV file's bytes, a batch of rows at a time: header first, UTF-8, RFC 4180."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(column.name for column in columns)
    for batch in batched(records, _CSV_BATCH):
        writer.writerows(
            [column.type.csv_text(column.get(record)) for column in columns] for record in batch
        )
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _unzipped(pairs: Iterable[tuple[_T, _U]]) -> tuple[list[_T], list[_U]]:
    """The firsts and the seconds of *pairs*."""
    firsts: list[_T] = []
    seconds: list[_U] = []
    for first, second in pairs:
        firsts.append(first)
        seconds.append(second)
    return firsts, seconds


def _root(index: int) -> str:
    """A JSON Lines record's path: each line is a document of its own."""
    del index
    return "$"


def writable_folder(directory: PathLike) -> Path:
    """The folder to write into, created if need be; a file there is refused."""
    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # only when it is not a directory
        message = "it is a file, not a directory; the tables are written into a folder"
        raise NotADirectoryError(errno.ENOTDIR, message, os.fspath(directory)) from None
    return folder


def write_csv(dataset: Dataset, directory: PathLike) -> list[Path]:
    """Write each table of *dataset* to ``<table>.csv`` in *directory*.

    Each file is UTF-8 with a header row, in the form RFC 4180 describes
    (fields quoted where they hold a comma, quote or line break; lines end
    with CRLF). Amounts are their exact decimal text, dates ISO text, lists
    of ids joined by ``;``, a missing value an empty field. Every table is
    written, even an empty one (a header alone).

    Args:
        dataset: The dataset.
        directory: The folder; it is created if it does not exist.

    Returns:
        The paths written, in the order of [`TABLES`][kgru_relations.interop.tables.TABLES].

    Raises:
        NotADirectoryError: If *directory* is a file.
        OSError: If a file cannot be written. Every table is written to a
            temporary file first, and none replaces its old file until all
            are written, so a failure leaves every old file as it was.
    """
    folder = writable_folder(directory)
    written = [folder / f"{table}.csv" for table in TABLES]

    def files() -> Iterator[tuple[Path, Iterable[bytes]]]:
        for table, path in zip(TABLES, written, strict=True):
            records = (record for _, record in RECORDS[table](dataset))
            yield path, _csv_chunks(COLUMNS[table], records)

    write_together(files())
    return written


# --- Parquet -------------------------------------------------------------------------------------


def arrow_schema(pa: ModuleType, table: str) -> Any:
    fields = [
        pa.field(
            column.name,
            column.type.arrow_type(),
            nullable=column.nullable,
            metadata={"description": column.description, "source": column.source},
        )
        for column in COLUMNS[table]
    ]
    return pa.schema(fields, metadata={"kgru_relations.table": table})


def _exact(value: Decimal) -> Decimal | None:
    """*value* at the Parquet scale, or ``None`` if that would change it."""
    try:
        return value.quantize(_QUANTUM, context=_EXACT)
    except (decimal.Inexact, decimal.InvalidOperation):
        return None


def _misfit(record_id: str, value: Decimal) -> str:
    return (
        f"{record_id}: the value {value:f} does not fit {ColumnType.DECIMAL.value} exactly "
        f"(at most {DECIMAL_PRECISION - DECIMAL_SCALE} digits before the point and "
        f"{DECIMAL_SCALE} after); it is refused rather than rounded: CSV keeps every digit"
    )


# A column is built a batch at a time, never a value at a time in Python: its model
# values are read with the column's reader (an attrgetter, at C speed); text and
# flags go to Arrow as they are; an amount goes to Arrow as it is, and only if Arrow
# refuses the batch (it refuses what it would round) is each value checked here; any
# other column's cell is made once per distinct value (the loaders share one object
# per repeated value: a date, an enumeration, a list of sources) and taken by index.
_AS_THEY_ARE: Final = frozenset({ColumnType.TEXT, ColumnType.BOOLEAN})


def _distinct(pa: ModuleType, values: list[Any]) -> tuple[Any, list[Any]]:
    """Each value's index among the distinct objects of *values*, and those objects in order."""
    first = values[0]
    if all(map(operator.is_, values, itertools.repeat(first))):  # one object: an enumeration
        return pa.repeat(pa.scalar(0, pa.int32()), len(values), memory_pool=memory_pool(pa)), [
            first
        ]
    keys = list(map(id, values))  # the objects are alive in *values*: their ids are theirs
    compute = _compute()
    ids = pa.array(keys, pa.int64(), memory_pool=memory_pool(pa))
    encoded = compute.dictionary_encode(ids, memory_pool=memory_pool(pa))
    firsts = compute.index_in(encoded.dictionary, value_set=ids).to_pylist()
    return encoded.indices, [values[index] for index in firsts]


class CellMemo:
    """The cells made so far, per column, for the objects that batch after batch repeat.

    An object's id is its key: each entry holds the object, so that while it
    is remembered no other object can have that id. At most *limit* are
    remembered per column (then they are forgotten and made again).
    """

    def __init__(self, limit: int = 4096) -> None:
        self._limit = limit
        self._known: dict[str, dict[int, tuple[Any, Any]]] = {}

    def cells(self, column: Column, objects: list[Any]) -> list[Any]:
        """*column*'s cell of each of *objects*."""
        make = column.cell
        if make is None:
            return objects
        known = self._known.setdefault(column.name, {})
        made = []
        for item in objects:
            hit = known.get(id(item))
            if hit is None:
                if len(known) >= self._limit:
                    known.clear()
                hit = known[id(item)] = (item, make(item))
            made.append(hit[1])
        return made


def _amounts(
    pa: ModuleType, arrow_type: Any, values: list[Any], misfit: Callable[[int, Decimal], None]
) -> Any:
    """The amounts as Arrow decimals; each that does not fit exactly goes to *misfit*."""
    try:
        # Arrow refuses a value it would round.
        return pa.array(values, type=arrow_type, memory_pool=memory_pool(pa))
    except pa.ArrowInvalid:
        pass
    fixed = []
    for index, value in enumerate(values):  # the rule decides, value by value
        exact = None if value is None else _exact(value)
        if exact is None and value is not None:
            misfit(index, value)
        fixed.append(exact)
    return pa.array(fixed, type=arrow_type, memory_pool=memory_pool(pa))


def record_batch(  # noqa: PLR0917 - a batch, its table and where its records came from
    pa: ModuleType,
    schema: Any,
    table: str,
    records: Sequence[Any],
    issues: IssueCollector,
    path: Callable[[int], str],
    *,
    lines: Sequence[int] | None = None,
    memo: CellMemo | None = None,
) -> Any:
    """One Arrow record batch of *records*; a value that does not fit goes to *issues*.

    *path* gives a record's path from its index; *lines* are the records'
    line numbers in a JSON Lines file, put on each issue. *memo* keeps the
    cells made for the next batch of the same writer.
    """
    memo = CellMemo() if memo is None else memo
    arrays = []
    read: dict[Callable[[Any], Any], list[Any]] = {}
    distinct: dict[Callable[[Any], Any], tuple[Any, list[Any]]] = {}
    for column, arrow_type in zip(COLUMNS[table], schema.types, strict=True):
        if column.read not in read:
            read[column.read] = list(map(column.read, records))
        values = read[column.read]
        if not values:
            arrays.append(pa.array([], type=arrow_type))
        elif column.type is ColumnType.DECIMAL and column.cell is None:

            def misfit(index: int, value: Decimal, column: Column = column) -> None:
                line = None if lines is None else lines[index]
                message = _misfit(records[index].id, value)
                issues.append(Issue(column.field_path(path(index)), message, line=line))

            arrays.append(_amounts(pa, arrow_type, values, misfit))
        elif column.type in _AS_THEY_ARE and column.cell is None:
            arrays.append(pa.array(values, type=arrow_type, memory_pool=memory_pool(pa)))
        else:
            if column.read not in distinct:
                distinct[column.read] = _distinct(pa, values)
            indices, objects = distinct[column.read]
            cells = memo.cells(column, objects)
            made = pa.array(cells, type=arrow_type, memory_pool=memory_pool(pa))
            arrays.append(_compute().take(made, indices, memory_pool=memory_pool(pa)))
    return pa.record_batch(arrays, schema=schema)


def memory_pool(pa: ModuleType) -> Any:
    """The memory pool the writers allocate from: the system's allocator.

    It gives memory back to the system when a table is freed, whichever
    thread allocated it; Arrow's default (mimalloc) keeps a heap per thread,
    and a writer that reads on one thread and writes on another kept tens of
    megabytes more.
    """
    return pa.system_memory_pool()


def _compute() -> ModuleType:
    return require("pyarrow.compute", extra="parquet", doing="writing Parquet")


class _Sink(io.RawIOBase):
    """A file that pyarrow writes to and the caller drains: bytes pass through, not pile up."""

    def __init__(self) -> None:
        super().__init__()
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._parts.append(chunk)
        return len(chunk)

    def drain(self) -> Iterator[bytes]:
        parts, self._parts = self._parts, []
        return iter(parts)


def _parquet_chunks(pq: ModuleType, schema: Any, batches: Iterable[Any]) -> Iterator[bytes]:
    """The Parquet file's bytes, one row group per batch, as each is written."""
    sink = _Sink()
    writer = pq.ParquetWriter(sink, schema)
    try:
        for batch in batches:
            writer.write_batch(batch)
            yield from sink.drain()
    finally:
        writer.close()
    yield from sink.drain()


def write_parquet(dataset: Dataset, directory: PathLike) -> list[Path]:
    """Write each table of *dataset* to ``<table>.parquet`` in *directory*.

    Amounts are ``decimal128(38, 6)``, dates ``date32`` (with a
    ``_precision`` column), enumerations dictionary-encoded strings, lists of
    ids ``list<string>``; each column's description is in the schema's field
    metadata. Every value is checked before any file is written.

    Args:
        dataset: The dataset.
        directory: The folder; it is created if it does not exist.

    Returns:
        The paths written, in the order of [`TABLES`][kgru_relations.interop.tables.TABLES].

    Raises:
        MissingExtra: If pyarrow is not installed (a `ModuleNotFoundError`).
        ValidationError: If an amount does not fit ``decimal128(38, 6)``
            exactly; one issue per such value, at its path
            (``$.observations[3].value``), naming the record. No file is
            written then, and the folder is left exactly as it was.
        NotADirectoryError: If *directory* is a file.
        OSError: If a file cannot be written. Every table is written to a
            temporary file first, and none replaces its old file until all
            are written, so a failure leaves every old file as it was.
    """
    pa, pq = arrow()
    issues = IssueCollector()
    tables = {}
    for table in TABLES:
        schema = arrow_schema(pa, table)
        paths, records = _unzipped(RECORDS[table](dataset))
        batch = record_batch(pa, schema, table, records, issues, paths.__getitem__)
        tables[table] = (schema, batch)
    issues.raise_if_any()
    folder = writable_folder(directory)
    written = [folder / f"{table}.parquet" for table in tables]
    write_together(
        (path, _parquet_chunks(pq, schema, [batch]))
        for path, (schema, batch) in zip(written, tables.values(), strict=True)
    )
    return written


def observations_to_parquet(
    source_jsonl: PathLike,
    target: PathLike,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Convert a JSON Lines file of observations to one Parquet file, a batch at a time.

    The file is read as [`iter_observations`][kgru_relations.iter_observations] reads it,
    and each batch of *batch_size* observations becomes one row group of the
    ``observations`` table, written out before the next is read, so memory
    stays the same whatever the file's size. The target is written
    atomically: if anything fails, it keeps its old content (or is not created).

    Args:
        source_jsonl: The JSON Lines file (one observation per line).
        target: The Parquet file to write.
        batch_size: How many observations to hold and write at once (a row
            group).
        progress: Called with the number of observations written so far,
            after each batch.

    Returns:
        The number of observations written.

    Raises:
        MissingExtra: If pyarrow is not installed (a `ModuleNotFoundError`).
        ValidationError: For a line that is not a valid observation (with its
            line number, as ``iter_observations`` reports it); or for values
            that do not fit ``decimal128(38, 6)`` exactly, each issue naming
            its observation and carrying its line number. The file is read to
            its end so that every such value is listed.
        OSError: If a file cannot be read or written.
        ValueError: If *batch_size* is not a positive integer.
    """
    if isinstance(batch_size, bool) or batch_size < 1:
        msg = f"batch_size must be a positive integer, got {batch_size!r}"
        raise ValueError(msg)
    pa, pq = arrow()
    schema = arrow_schema(pa, "observations")
    issues = IssueCollector()
    memo = CellMemo()
    written = 0

    def batches() -> Iterator[Any]:
        nonlocal written
        for chunk in batched(numbered_observations(source_jsonl), batch_size):
            lines, records = _unzipped(chunk)
            batch = record_batch(
                pa, schema, "observations", records, issues, _root, lines=lines, memo=memo
            )
            if issues.issues:
                continue  # keep reading, to list every value that does not fit
            yield batch
            written += len(chunk)
            if progress is not None:
                progress(written)
        issues.raise_if_any()

    write_atomically(target, _parquet_chunks(pq, schema, batches()))
    return written
