"""Write a table's rows into Hive partition folders: one file a partition, sorted row groups."""

from __future__ import annotations

import itertools
import queue
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, Final
from urllib.parse import quote

from kgru_relations.interop import require

__all__ = ["NO_VALUE", "BackgroundWriter", "PartitionWriter", "partition_folder"]

NO_VALUE: Final = "__HIVE_DEFAULT_PARTITION__"
"""A null partition key's folder value, as Hive, Spark, pyarrow and DuckDB read it."""

_MAX_OPEN: Final = 128  # files open at once; the least recently written is finished first
# Row groups a file takes before it is finished and a new one started: an open file holds
# the metadata of each of its row groups, so this bounds memory whatever the input's size.
_MAX_ROW_GROUPS: Final = 16


def partition_folder(names: Sequence[str], values: Sequence[object]) -> str:
    """``indicator=indicator%3Atrade/year=2024``: the folder of a partition, percent-encoded."""
    return "/".join(
        f"{name}={NO_VALUE if value is None else quote(str(value), safe='')}"
        for name, value in zip(names, values, strict=True)
    )


def _sort_key(row: dict[str, Any]) -> tuple[tuple[bool, Any], ...]:
    """A row's values in the order Arrow sorts them, ascending with nulls last."""
    return tuple((value is None, value) for value in row.values())


class PartitionWriter:
    """Rows go to one Parquet file per partition, in row groups sorted by *order*.

    Each table written is sorted by partition and by *order*, and each
    partition's rows are held as a slice of it until the tables held take
    *held* bytes; then each partition's slices become one row group of that
    partition's file (or several of at most *row_group* rows), sorted again
    only if the slices are not in order already (they are when the input
    comes in that order). So a partition's row groups are as large as the
    memory held allows, and each covers a narrow range of *order*'s first
    columns, which a reader skips by their statistics.

    A file stays open for the whole run (one file per partition per run)
    up to ``_MAX_ROW_GROUPS`` row groups; at most ``_MAX_OPEN`` are open at
    once, the least recently written finished first. Nothing is held but the
    rows below *held* bytes and the open files' metadata, both bounded.
    """

    def __init__(
        self,
        pa: ModuleType,
        pq: ModuleType,
        folder: Path,
        *,
        run: str,
        schema: Any,
        partition_by: Sequence[str],
        order: Sequence[str],
        row_group: int,
        held: int,
        options: Mapping[str, Any],
        pool: Any,
    ) -> None:
        self._pa = pa
        self._pq = pq
        self._compute = require("pyarrow.compute", extra="parquet", doing="writing Parquet")
        self._folder = folder
        self._run = run
        self._schema = schema
        self._partition_by = list(partition_by)
        self._order = [name for name in order if name in schema.names]
        self._row_group = row_group
        self._bound = held
        self._options = dict(options)
        self._pool = pool
        # A partition's folder: slices of its rows, each with its first and last rows' sort keys.
        self._held: dict[str, list[tuple[Any, tuple[Any, ...], tuple[Any, ...]]]] = {}
        self._held_bytes = 0  # of the sorted copies the slices belong to
        self._open: OrderedDict[str, tuple[Any, str]] = OrderedDict()
        self._folders: dict[tuple[Any, ...], str] = {}  # each partition's, by its keys' values
        self._groups: dict[str, int] = {}
        self._count = 0
        self.rows: dict[str, int] = {}
        """Each file written (relative to the folder, ``/``-separated) and its rows."""

    def write(self, table: Any) -> None:
        """Take *table*'s rows (the file's columns and the partition keys); write if need be.

        The rows are sorted (one copy of *table*), and each partition's are
        held as a slice of that copy until the copies held take the memory
        allowed; then every partition's rows are written.
        """
        if not table.num_rows:
            return
        keys = [(name, "ascending") for name in dict.fromkeys([*self._partition_by, *self._order])]
        table = self._take(table, self._compute.sort_indices(table, keys, memory_pool=self._pool))
        starts = self._starts(table.select(self._partition_by))
        ends = [*starts[1:], table.num_rows]
        int64 = self._pa.int64()
        values = table.select(self._partition_by).take(self._pa.array(starts, int64)).to_pylist()
        # Each slice's first and last rows' sort keys, to see at writing if the slices are in order.
        order = table.select(self._order)
        firsts = order.take(self._pa.array(starts, int64)).to_pylist()
        lasts = order.take(self._pa.array([end - 1 for end in ends], int64)).to_pylist()
        rows = table.select(self._schema.names)
        for start, end, key, first, last in zip(starts, ends, values, firsts, lasts, strict=True):
            folder = self._folders.get(tuple(key.values()))
            if folder is None:
                folder = partition_folder(self._partition_by, list(key.values()))
                self._folders[tuple(key.values())] = folder
            piece = rows.slice(start, end - start)
            self._held.setdefault(folder, []).append((piece, _sort_key(first), _sort_key(last)))
        self._held_bytes += table.nbytes
        if self._held_bytes >= self._bound:
            self.flush()

    def flush(self) -> None:
        """Write the rows held: each partition's, sorted, as a row group of its file."""
        held, self._held, self._held_bytes = self._held, {}, 0
        keys = [(name, "ascending") for name in self._order]
        for folder, pieces in held.items():
            # A copy of this partition's rows, in one piece: Parquet writes it faster.
            rows = self._pa.concat_tables([piece for piece, _, _ in pieces])
            rows = rows.combine_chunks(memory_pool=self._pool)
            in_order = all(
                last <= first for (_, _, last), (_, first, _) in itertools.pairwise(pieces)
            )
            pieces.clear()  # the copies of the batches go when every partition's are written
            if not in_order:  # each piece is sorted, but together they are not
                rows = self._take(rows, self._compute.sort_indices(rows, keys))
            if not rows.schema.equals(self._schema):
                rows = rows.cast(self._schema)
            writer, path = self._writer(folder)
            writer.write_table(rows, row_group_size=self._row_group)
            self.rows[path] += rows.num_rows
            self._groups[path] += -(-rows.num_rows // self._row_group)
            if self._groups[path] >= _MAX_ROW_GROUPS:
                del self._open[folder]
                writer.close()

    def _take(self, table: Any, indices: Any) -> Any:
        return self._compute.take(table, indices, memory_pool=self._pool)

    def _starts(self, keys: Any) -> list[int]:
        """The first row of each run of equal keys in *keys* (sorted)."""
        compute = self._compute
        count = keys.num_rows
        if count < 2:  # one row: no row differs from the one before
            return [0]
        changed: Any = None
        for column in keys.columns:
            after, before = column.slice(1), column.slice(0, count - 1)
            valid_after, valid_before = compute.is_valid(after), compute.is_valid(before)
            differs = compute.if_else(
                compute.and_(valid_after, valid_before),
                compute.not_equal(after, before),
                compute.not_equal(valid_after, valid_before),  # a null next to a value
            )
            changed = differs if changed is None else compute.or_(changed, differs)
        return [0, *(index + 1 for index in compute.indices_nonzero(changed).to_pylist())]

    def _writer(self, partition: str) -> tuple[Any, str]:
        if partition in self._open:
            self._open.move_to_end(partition)
            return self._open[partition]
        if len(self._open) >= _MAX_OPEN:
            _, (oldest, _) = self._open.popitem(last=False)
            oldest.close()
        path = f"{partition}/part-{self._run}-{self._count}.parquet"
        self._count += 1
        (self._folder / partition).mkdir(parents=True, exist_ok=True)
        writer = self._pq.ParquetWriter(
            self._folder / path, self._schema, memory_pool=self._pool, **self._options
        )
        self._open[partition] = (writer, path)
        self.rows[path] = 0
        self._groups[path] = 0
        return writer, path

    def close(self) -> None:
        """Write the rows held, and finish every open file."""
        self.flush()
        self.abandon()

    def abandon(self) -> None:
        """Drop the rows held and finish every open file (the caller removes them)."""
        self._held, self._held_bytes = {}, 0
        while self._open:
            _, (writer, _) = self._open.popitem(last=False)
            writer.close()


_DONE: Final = object()  # what tells the writing thread that no table follows


class BackgroundWriter:
    """A `PartitionWriter` on a thread of its own, a few tables behind the caller.

    Sorting, copying and encoding the rows are Arrow's and Parquet's work,
    done without Python's lock, so on a second core they overlap the
    reading and checking of the next batch. At most *depth* tables wait
    for the thread, so memory stays bounded. A failure on the thread is
    raised by the next call.
    """

    def __init__(self, writer: PartitionWriter, *, depth: int = 2) -> None:
        self._writer = writer
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="kgru-relations store", daemon=True)
        self._thread.start()

    @property
    def rows(self) -> dict[str, int]:
        """Each file written and its rows (complete once `close` returns)."""
        return self._writer.rows

    def _run(self) -> None:
        while (table := self._queue.get()) is not _DONE:
            if self._error is None:  # after a failure, the tables left are only taken
                try:
                    self._writer.write(table)
                except BaseException as error:  # raised on the caller's thread
                    self._error = error

    def _stop(self) -> None:
        self._queue.put(_DONE)
        self._thread.join()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def write(self, table: Any) -> None:
        """Hand *table* to the thread (waiting while *depth* tables wait already)."""
        self._raise()
        self._queue.put(table)

    def close(self) -> None:
        """Wait for the thread, raise its failure if any, then write what is held and finish."""
        self._stop()
        self._raise()
        self._writer.close()

    def abandon(self) -> None:
        """Wait for the thread, then drop what is held and finish every open file."""
        self._stop()
        self._writer.abandon()
