"""Write a sorted table's rows into Hive partition folders, one open file per partition."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, Final
from urllib.parse import quote

__all__ = ["NO_VALUE", "PartitionWriter", "partition_folder"]

NO_VALUE: Final = "__HIVE_DEFAULT_PARTITION__"
"""A null partition key's folder value, as Hive, Spark, pyarrow and DuckDB read it."""

_MAX_OPEN: Final = 128  # files open at once; the least recently written is finished first
# Row groups a file takes before it is finished and a new one started: an open file holds
# the metadata of each of its row groups, so this bounds memory whatever the input's size.
_MAX_ROW_GROUPS: Final = 32


def partition_folder(names: Sequence[str], values: Sequence[object]) -> str:
    """``indicator=indicator%3Atrade/year=2024``: the folder of a partition, percent-encoded."""
    return "/".join(
        f"{name}={NO_VALUE if value is None else quote(str(value), safe='')}"
        for name, value in zip(names, values, strict=True)
    )


class PartitionWriter:
    """Rows sorted by partition go to one Parquet file per partition, a row group at a time.

    A file stays open while its partition gets rows, up to ``_MAX_ROW_GROUPS``
    row groups; at most ``_MAX_OPEN`` are open at once, so a run that touches
    many partitions finishes the least recently written file and starts a new
    one if its partition comes back. Nothing is held but the row group being
    written and the open files' metadata, both bounded.
    """

    def __init__(
        self,
        pq: ModuleType,
        folder: Path,
        *,
        run: str,
        schema: Any,
        partition_by: Sequence[str],
        row_group: int,
    ) -> None:
        self._pq = pq
        self._folder = folder
        self._run = run
        self._schema = schema
        self._partition_by = list(partition_by)
        self._row_group = row_group
        self._open: OrderedDict[str, tuple[Any, str]] = OrderedDict()
        self._groups: dict[str, int] = {}
        self._count = 0
        self.rows: dict[str, int] = {}
        """Each file written (relative to the folder, ``/``-separated) and its rows."""

    def write(self, table: Any) -> None:
        """Write *table*'s rows, sorted by the partition keys, each to its partition's file."""
        columns = [table.column(name).to_pylist() for name in self._partition_by]
        keys = list(zip(*columns, strict=True))
        names = self._schema.names
        start = 0
        for end in range(1, len(keys) + 1):
            if end == len(keys) or keys[end] != keys[start]:
                rows = table.slice(start, end - start).select(names)
                writer, path = self._writer(partition_folder(self._partition_by, keys[start]))
                writer.write_table(rows.cast(self._schema), row_group_size=self._row_group)
                self.rows[path] += end - start
                self._groups[path] += -(-(end - start) // self._row_group)
                if self._groups[path] >= _MAX_ROW_GROUPS:
                    del self._open[path.rpartition("/")[0]]
                    writer.close()
                start = end

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
        writer = self._pq.ParquetWriter(self._folder / path, self._schema)
        self._open[partition] = (writer, path)
        self.rows[path] = 0
        self._groups[path] = 0
        return writer, path

    def close(self) -> None:
        """Finish every open file."""
        while self._open:
            _, (writer, _) = self._open.popitem(last=False)
            writer.close()
