"""Write the tables as CSV and Parquet files."""

from __future__ import annotations

import csv
import decimal
import errno
import io
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any, Final, TypeVar

from kgru_relations.dataset import Dataset
from kgru_relations.errors import Issue
from kgru_relations.errors import IssueCollector as _IssueCollector
from kgru_relations.files import PathLike, write_atomically, write_together
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

__all__ = ["DEFAULT_BATCH_SIZE", "observations_to_parquet", "write_csv", "write_parquet"]

DEFAULT_BATCH_SIZE: Final = 50_000
"""How many observations a conversion from JSON Lines holds at once: one Parquet row group."""

_CSV_BATCH: Final = 1_000  # rows formatted before their bytes go to the file
_QUANTUM: Final = Decimal(1).scaleb(-DECIMAL_SCALE)
# Quantizing in this context raises rather than round (Inexact) or overflow (InvalidOperation).
_EXACT: Final = decimal.Context(
    prec=DECIMAL_PRECISION, traps=[decimal.Inexact, decimal.InvalidOperation]
)


_T = TypeVar("_T")


def _batched(items: Iterable[_T], size: int) -> Iterator[tuple[_T, ...]]:
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
    for batch in _batched(records, _CSV_BATCH):
        writer.writerows(
            [column.type.csv_text(column.get(record)) for column in columns] for record in batch
        )
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _folder(directory: PathLike) -> Path:
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
    folder = _folder(directory)
    written = [folder / f"{table}.csv" for table in TABLES]

    def files() -> Iterator[tuple[Path, Iterable[bytes]]]:
        for table, path in zip(TABLES, written, strict=True):
            records = (record for _, record in RECORDS[table](dataset))
            yield path, _csv_chunks(COLUMNS[table], records)

    write_together(files())
    return written


# --- Parquet -------------------------------------------------------------------------------------


def _schema(pa: ModuleType, table: str) -> Any:
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


def _record_batch(
    pa: ModuleType,
    schema: Any,
    table: str,
    batch: Iterable[tuple[str, Any]],
    issues: _IssueCollector,
    *,
    lines: Sequence[int] | None = None,
) -> Any:
    """One Arrow record batch of *batch*'s records; a value that does not fit goes to *issues*.

    *lines* are the records' line numbers in a JSON Lines file, put on each issue.
    """
    records = list(batch)
    arrays = []
    for column, arrow_type in zip(COLUMNS[table], schema.types, strict=True):
        values = [column.get(record) for _, record in records]
        if column.type is ColumnType.DECIMAL:
            for index, (path, record) in enumerate(records):
                fixed = _exact(values[index])
                if fixed is None:
                    line = None if lines is None else lines[index]
                    message = _misfit(record.id, values[index])
                    issues.append(Issue(column.field_path(path), message, line=line))
                values[index] = fixed
        arrays.append(pa.array(values, type=arrow_type))
    return pa.record_batch(arrays, schema=schema)


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
    issues = _IssueCollector()
    tables = {}
    for table in TABLES:
        schema = _schema(pa, table)
        batch = _record_batch(pa, schema, table, RECORDS[table](dataset), issues)
        tables[table] = (schema, batch)
    issues.raise_if_any()
    folder = _folder(directory)
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
    schema = _schema(pa, "observations")
    issues = _IssueCollector()
    written = 0

    def batches() -> Iterator[Any]:
        nonlocal written
        for chunk in _batched(numbered_observations(source_jsonl), batch_size):
            lines = [line for line, _ in chunk]
            records = [("$", observation) for _, observation in chunk]
            batch = _record_batch(pa, schema, "observations", records, issues, lines=lines)
            if issues.issues:
                continue  # keep reading, to list every value that does not fit
            yield batch
            written += len(chunk)
            if progress is not None:
                progress(written)
        issues.raise_if_any()

    write_atomically(target, _parquet_chunks(pq, schema, batches()))
    return written
