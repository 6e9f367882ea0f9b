"""Read checked observations back from a store, the filters pushed down to the Parquet reader."""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any, Final

from kgru_relations.dataset import Dataset
from kgru_relations.dates import DatePrecision, PartialDate
from kgru_relations.errors import Issue, IssueCollector, ValidationError
from kgru_relations.files import PathLike
from kgru_relations.interop import require
from kgru_relations.interop.tables._columns import COLUMNS, ColumnType
from kgru_relations.interop.tables._store import (
    RECORD_CLASSES,
    YEAR,
    file_schema,
    partition_schema,
    read_manifest,
)
from kgru_relations.model import Entity, Observation
from kgru_relations.serialize import from_dict

__all__ = ["scan_dataset", "scan_observations"]

_DOING: Final = "reading Parquet"
_COLUMNS: Final = COLUMNS["observations"]
# The columns that hold a field of the same name; the period's three are read together.
_FIELDS: Final = tuple(c for c in _COLUMNS if c.source == f"Observation.{c.name}")
_DAY_COLUMNS: Final = tuple(c.name for c in _COLUMNS if c.type is ColumnType.DATE)
_ROW: Final = "__row"  # a column added while reading: the row's number in its file


def _modules() -> tuple[ModuleType, ModuleType, ModuleType]:
    return (
        require("pyarrow", extra="parquet", doing=_DOING),
        require("pyarrow.dataset", extra="parquet", doing=_DOING),
        require("pyarrow.parquet", extra="parquet", doing=_DOING),
    )


def _period(start: _dt.date | None, end: _dt.date | None, precision: str | None) -> str | None:
    """The period's text from its first day, last day and precision; `ValueError` if they differ."""
    if start is None and end is None and precision is None:
        return None
    if start is None or end is None or precision is None:
        msg = "period_start, period_end and period_precision must be all null or none"
        raise ValueError(msg)
    kind = DatePrecision(precision)
    if kind is DatePrecision.YEAR:
        date = PartialDate(start.year)
    elif kind is DatePrecision.QUARTER:
        date = PartialDate(start.year, quarter=(start.month + 2) // 3)
    elif kind is DatePrecision.MONTH:
        date = PartialDate(start.year, start.month)
    else:
        date = PartialDate(start.year, start.month, start.day)
    if (date.earliest, date.latest) != (start, end):
        msg = f"period_start {start} and period_end {end} are not the {precision} {date}"
        raise ValueError(msg)
    return str(date)


def _amount(value: Decimal) -> str:
    """The decimal's text without the zeros the column's scale added (``2.500000`` is ``2.5``)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _wire(row: dict[str, Any]) -> dict[str, Any]:
    """A row as the data file's form of an observation, to be structured and checked."""
    data: dict[str, Any] = {}
    for column in _FIELDS:
        value = row.get(column.name)
        if value is None:
            continue
        if column.type is ColumnType.DECIMAL and isinstance(value, Decimal):
            value = _amount(value)
        data[column.name] = value
    period = _period(row.get("period_start"), row.get("period_end"), row.get("period_precision"))
    if period is not None:
        data["period"] = period
    return data


def _type_issues(pa: ModuleType, expected: Any, found: Any) -> list[str]:
    """How a file's schema differs from the store's, column by column."""
    text = {pa.string(), pa.large_string(), pa.dictionary(pa.int32(), pa.string())}
    problems = []
    for field in expected:
        index = found.get_field_index(field.name)
        if index < 0:
            problems.append(f"has no column {field.name}")
            continue
        kind = found.field(index).type
        if kind != field.type and not (kind in text and field.type in text):
            problems.append(f"column {field.name} is {kind}, the store's is {field.type}")
    return problems


_Bounds = dict[str, tuple[Any, Any]]  # a column: the least and greatest value a match may have


def _filters(
    ds: ModuleType,
    partition_by: list[str],
    wanted: dict[str, str | None],
    period: PartialDate | None,
) -> tuple[Any, Any, _Bounds]:
    """The filters on partition keys and on rows (``None`` where there is none), and the bounds.

    The bounds are those of the filter on rows, column by column (``None``
    for no bound): a row group whose statistics lie outside them is skipped.
    """
    on_keys: Any = None
    on_rows: Any = None
    bounds: _Bounds = {}

    def add(expression: Any, name: str, low: Any = None, high: Any = None) -> None:
        nonlocal on_keys, on_rows
        if name in partition_by:
            on_keys = expression if on_keys is None else on_keys & expression
        else:
            on_rows = expression if on_rows is None else on_rows & expression
            bounds[name] = (low, high)

    for name, value in wanted.items():
        if value is not None:
            add(ds.field(name) == value, name, value, value)
    if period is not None:
        add(ds.field("period_start") >= period.earliest, "period_start", low=period.earliest)
        add(ds.field("period_end") <= period.latest, "period_end", high=period.latest)
        if YEAR in partition_by:
            add(ds.field(YEAR) >= period.earliest.year, YEAR)
            add(ds.field(YEAR) <= period.latest.year, YEAR)
    return on_keys, on_rows, bounds


def _footer(pa: ModuleType, pq: ModuleType, path: str) -> Any:
    """The metadata of the Parquet file at *path*, reading only its footer's bytes.

    A Parquet reader reads the last 64 KiB of a file to find its footer; a
    store's footers are smaller, and a scan opens many files for a few rows.
    Any problem is pyarrow's error, as opening the file would give.
    """
    with open(path, "rb") as file:
        size = file.seek(0, os.SEEK_END)
        if size < _TAIL + len(_MAGIC):
            return pq.read_metadata(path)  # not a Parquet file: pyarrow says why
        file.seek(size - _TAIL)
        tail = file.read(_TAIL)
        length = int.from_bytes(tail[:4], "little")
        if tail[4:] != _MAGIC or length > size - _TAIL - len(_MAGIC):
            return pq.read_metadata(path)
        file.seek(size - _TAIL - length)
        footer = file.read(length)
    return pq.read_metadata(pa.BufferReader(_MAGIC + footer + tail))


_MAGIC: Final = b"PAR1"
_TAIL: Final = 8  # the footer's length (4 bytes) and the magic


def _row_groups(metadata: Any, bounds: _Bounds) -> list[int]:
    """The row groups of a file whose statistics do not rule out a row within *bounds*."""
    names = metadata.schema.to_arrow_schema().names
    kept = []
    for index in range(metadata.num_row_groups):
        group = metadata.row_group(index)
        if all(_may_hold(group, names, name, bound) for name, bound in bounds.items()):
            kept.append(index)
    return kept


def _may_hold(group: Any, names: list[str], name: str, bound: tuple[Any, Any]) -> bool:
    """Whether a row group may hold a value of column *name* within *bound*."""
    if name not in names:
        return True
    statistics = group.column(names.index(name)).statistics
    if statistics is None or not statistics.has_min_max:
        return True  # nothing known: it may
    low, high = bound
    try:
        return not (
            (low is not None and statistics.max < low)
            or (high is not None and statistics.min > high)
        )
    except TypeError:  # statistics of another type than the store's: read, and be checked
        return True


def scan_observations(
    directory: PathLike,
    *,
    indicator: str | None = None,
    reporter: str | None = None,
    partner: str | None = None,
    period: PartialDate | str | None = None,
) -> Iterator[Observation]:
    """Yield the observations of a store that match every filter given, each one checked.

    The filters are pushed down to the Parquet reader: a filter on a
    partition key skips the other partitions' folders without opening them,
    and the others skip each row group whose statistics (each column's least
    and greatest value) show it holds no match; only the row groups left are
    read. Every row read is checked by the rules
    [`loads`][kgru_relations.loads] applies (a store written by another tool
    may be wrong), and every file's columns by the store's types (amounts
    ``decimal128(38, 6)``): nothing wrong is ever yielded.

    Args:
        directory: The store's folder, as
            [`write_observation_store`][kgru_relations.interop.tables.write_observation_store]
            writes it.
        indicator: Only this indicator's observations (its id).
        reporter: Only those reported by this country (its alpha-2 code).
        partner: Only those with this partner country.
        period: Only those whose period lies within this one (a
            `PartialDate` or its text: ``2024``, ``2024-Q3``).

    Yields:
        The observations, partition by partition.

    Raises:
        MissingExtra: If pyarrow is not installed (a `ModuleNotFoundError`).
        ValidationError: If the manifest is missing or not valid (before any
            observation is yielded), or, after the last good one, for every
            row that is not a valid observation and every file whose columns
            are not the store's or that cannot be read as Parquet: each
            issue names the file and the row
            (``indicator=.../year=2024/part-...parquet, row 3``). Such rows
            are not yielded (nor the rest of such a file).
        ValueError: If *period* is not a partial date.
        OSError: If a file cannot be read.
    """
    folder = Path(directory)
    manifest = read_manifest(folder)
    partition_by: list[str] = manifest["partition_by"]
    pa, ds, pq = _modules()
    within = None if period is None else PartialDate.coerce(period)
    wanted = {"indicator": indicator, "reporter": reporter, "partner": partner}
    on_keys, on_rows, bounds = _filters(ds, partition_by, wanted, within)
    expected = file_schema(pa, partition_by)
    keys = partition_schema(pa, partition_by)
    store = ds.dataset(
        folder,
        format="parquet",
        partitioning=ds.partitioning(keys, flavor="hive"),
        schema=pa.unify_schemas([expected, keys]),
    )
    issues = IssueCollector()
    for fragment in store.get_fragments(filter=on_keys):  # other partitions' files: not opened
        name = Path(fragment.path).relative_to(folder).as_posix()
        try:
            metadata = _footer(pa, pq, fragment.path)
            problems = _type_issues(pa, expected, metadata.schema.to_arrow_schema())
            if problems:
                issues.append_all(Issue("$", f"{name}: {problem}") for problem in problems)
                continue
            values = ds.get_partition_keys(fragment.partition_expression)
            groups = _row_groups(metadata, bounds)
            if groups:
                reader = pq.ParquetFile(fragment.path, metadata=metadata)
                rows = _file_rows(pa, reader, groups, on_rows)
                yield from _checked(rows, name, values, issues)
        except pa.ArrowInvalid:  # not Parquet, or damaged: pyarrow cannot read it
            issues.append(Issue("$", f"{name}: is not a Parquet file that can be read"))
    issues.raise_if_any()


def _file_rows(
    pa: ModuleType, reader: Any, groups: list[int], on_rows: Any
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each row of *groups* of a file that *on_rows* keeps, with its number in the file."""
    metadata = reader.metadata
    starts = [0]
    for index in range(metadata.num_row_groups):
        starts.append(starts[-1] + metadata.row_group(index).num_rows)
    for index in groups:
        table = reader.read_row_group(index)
        first = starts[index] + 1  # rows are counted from 1, as lines are
        numbers = pa.array(range(first, first + table.num_rows), pa.int64())
        table = table.append_column(_ROW, numbers)
        if on_rows is not None:
            table = table.filter(on_rows)
        numbered = table.column(_ROW).to_pylist()
        table = table.drop_columns([_ROW])
        # Days as numbers: pyarrow raises OverflowError for a day past year 9999.
        for at, field in enumerate(table.schema):
            if field.type == pa.date32():
                table = table.set_column(at, field.name, table.column(at).cast(pa.int32()))
        yield from zip(numbered, table.to_pylist(), strict=True)


_EPOCH: Final = _dt.date(1970, 1, 1).toordinal()  # day 0 of Arrow's date32


def _days(values: dict[str, Any]) -> None:
    """Turn each date32 column's number of days (since 1970-01-01) into its day, in place.

    Raises:
        ValueError: If a number is no day of the calendar (years 1 to 9999).
    """
    for name in _DAY_COLUMNS:
        days = values.get(name)
        if isinstance(days, int):
            try:
                values[name] = _dt.date.fromordinal(days + _EPOCH)
            except (ValueError, OverflowError):
                msg = f"{name} is {days} days from 1970-01-01, not a day of years 1 to 9999"
                raise ValueError(msg) from None


def _checked(
    rows: Iterator[tuple[int, dict[str, Any]]],
    name: str,
    keys: dict[str, Any],
    issues: IssueCollector,
) -> Iterator[Observation]:
    """The observations of a file's rows, each checked (its issues naming the file and row)."""
    for row, values in rows:
        yield from _observation(values, dict(keys), name, row, issues)


def _observation(
    values: dict[str, Any],
    keys: dict[str, Any],
    name: str,
    row: int,
    issues: IssueCollector,
) -> Iterator[Observation]:
    """The observation of one row, or its issues (each naming the file and row)."""
    where = f"{name}, row {row}"
    year = keys.pop(YEAR, None)
    values.update(keys)
    try:
        _days(values)
        data = _wire(values)
    except ValueError as error:
        issues.append(Issue("$.period", f"{where}: {error}"))
        return
    start = values.get("period_start")
    if year is not None and (start is None or start.year != year):
        found = "no period" if start is None else f"a period in {start.year}"
        message = f"{where}: the row is in partition {YEAR}={year} but has {found}"
        issues.append(Issue("$.period", message))
        return
    try:
        observation = from_dict(Observation, data)
    except ValidationError as error:
        issues.append_all(Issue(i.path, f"{where}: {i.message}") for i in error.issues)
        return
    yield observation


def scan_dataset(
    directory: PathLike,
    *,
    indicator: str | None = None,
    reporter: str | None = None,
    partner: str | None = None,
    period: PartialDate | str | None = None,
) -> Dataset:
    """A `Dataset` of the observations a scan yields, with the indicators and sources they cite.

    The indicators and sources are those the store's manifest keeps (written
    with a ``context`` dataset); an id it does not keep stays a reference
    that `Dataset.validate` reports.

    Args:
        directory: The store's folder.
        indicator: As for [`scan_observations`][kgru_relations.interop.tables.scan_observations].
        reporter: As for ``scan_observations``.
        partner: As for ``scan_observations``.
        period: As for ``scan_observations``.

    Raises:
        ValidationError: As ``scan_observations`` does, and for a record of
            the manifest that is not valid.
    """
    observations = list(
        scan_observations(
            directory, indicator=indicator, reporter=reporter, partner=partner, period=period
        )
    )
    cited = {observation.indicator for observation in observations}
    cited.update(source for observation in observations for source in observation.sources)
    records: dict[str, Any] = read_manifest(directory).get("records", {})
    issues = IssueCollector()
    entities: list[Entity] = []
    for cls in RECORD_CLASSES:
        for index, data in enumerate(records.get(cls.COLLECTION, [])):
            if isinstance(data, dict) and data.get("id") in cited:
                with issues.catch("records", cls.COLLECTION, index):
                    entities.append(from_dict(cls, data))
    issues.raise_if_any()
    return Dataset([*entities, *observations])
