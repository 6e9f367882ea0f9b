"""Flat tables of a dataset, as CSV and Parquet, for pandas, Polars, DuckDB and Spark.

Five tables, one row per record: ``observations``, ``tenures``,
``memberships``, ``membership_changes`` (a membership's changes of status,
one row each, since a flat row cannot hold a list of records) and
``agreements``. Each table's columns are declared once, in
[`COLUMNS`][kgru_relations.interop.tables.COLUMNS]; the CSV writer, the Parquet
writer, the docs' column tables and the tests all read that one list.

How values are written:

- an amount is exact: CSV holds its decimal text (``2500000000``, ``-0.5``),
  Parquet a ``decimal128(38, 6)``; a value Parquet cannot hold exactly (more
  than 6 digits after the point) is refused with a
  [`ValidationError`][kgru_relations.ValidationError] that names the record,
  never rounded;
- a partial date is the first day it could be (``date32`` in Parquet, ISO text
  in CSV) plus a ``_precision`` column (``year``, ``quarter``, ``month``,
  ``day``); a period is its first day and its last day, each with the
  precision of its endpoint, so ``2025-Q3`` is 1 July to 30 September 2025;
- an enumeration is its lowercase value (a dictionary-encoded string in
  Parquet); a list of ids (``sources``) is a ``list<string>`` in Parquet and
  the ids joined by ``;`` in CSV;
- a missing value is null in Parquet and an empty field in CSV. No text in
  the model may be empty, so an empty field always means null, and an empty
  list is an empty field too.

pyarrow is imported only when Parquet is written; without it, writing Parquet
raises [`MissingExtra`][kgru_relations.interop.MissingExtra] (a
`ModuleNotFoundError`) naming the extra to install
(``pip install 'kgru-relations[parquet]'``). CSV needs nothing beyond the
standard library. The tables are written together: each to a temporary
file beside it first, and only when all are written are they put in place,
so a failure leaves every old file as it was. A single file (from
[`observations_to_parquet`][kgru_relations.interop.tables.observations_to_parquet])
is written atomically, through `kgru_relations.files.write_atomically`.

Examples:
    >>> from kgru_relations import load_default
    >>> from kgru_relations.interop.tables import rows
    >>> first = next(rows(load_default(), "observations"))
    >>> first["value"], first["period_start"], first["period_precision"]
    (Decimal('2500000000'), datetime.date(2024, 1, 1), 'year')
"""

from __future__ import annotations

import csv
import datetime as _dt
import decimal
import enum
import errno
import io
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Any, Final, NamedTuple, TypeVar

import attrs

from kgru_relations.dataset import Dataset
from kgru_relations.dates import UNKNOWN, DatePrecision, PartialDate, Period, Unknown
from kgru_relations.errors import Issue, _IssueCollector
from kgru_relations.files import PathLike, write_atomically, write_together
from kgru_relations.interop import require
from kgru_relations.model import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Confidence,
    Membership,
    MembershipStatus,
    Observation,
    ObservationKind,
    Qualifier,
    StatusChange,
    Tenure,
)
from kgru_relations.serialize import numbered_observations

__all__ = [
    "COLUMNS",
    "DECIMAL_PRECISION",
    "DECIMAL_SCALE",
    "DEFAULT_BATCH_SIZE",
    "LIST_SEPARATOR",
    "TABLES",
    "Column",
    "ColumnType",
    "column_table",
    "observations_to_parquet",
    "rows",
    "write_csv",
    "write_parquet",
]

DECIMAL_PRECISION: Final = 38
"""How many digits a Parquet amount holds in all: ``decimal128(38, 6)``."""

DECIMAL_SCALE: Final = 6
"""How many of them are after the point.

That leaves 32 before it, more than the 30 any amount may have
([`MAX_INTEGER_DIGITS`][kgru_relations.money.MAX_INTEGER_DIGITS]), so only a
value with a seventh non-zero digit after the point is refused.
"""

LIST_SEPARATOR: Final = ";"
"""What joins the items of a list column in CSV; no id can contain it."""

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


# --- the columns ---------------------------------------------------------------------------------


def _text_cell(value: str) -> str:
    return value


def _decimal_cell(value: Decimal) -> str:
    return format(value, "f")


def _date_cell(value: _dt.date) -> str:
    return value.isoformat()


def _bool_cell(value: bool) -> str:
    return "true" if value else "false"


def _list_cell(value: tuple[str, ...]) -> str:
    return LIST_SEPARATOR.join(value)


class ColumnType(enum.Enum):
    """What a column holds, named by its Arrow type in a Parquet file.

    Each type also says how a value is written as CSV text
    ([`csv_text`][kgru_relations.interop.tables.ColumnType.csv_text]).
    """

    TEXT = "string"
    """Text (an id, a code, a unit, a note); as itself in CSV."""
    CATEGORY = "dictionary<values=string, indices=int32>"
    """An enumeration's lowercase value, dictionary-encoded in Parquet; as itself in CSV."""
    DECIMAL = f"decimal128({DECIMAL_PRECISION}, {DECIMAL_SCALE})"
    """An exact amount; its decimal text in CSV (``-1234.50``), never a float."""
    DATE = "date32[day]"
    """A day; ISO text in CSV (``2025-05-09``)."""
    BOOLEAN = "bool"
    """``true`` or ``false`` in CSV."""
    TEXT_LIST = "list<string>"
    """A list of ids; in CSV, joined by ``;`` (an empty list is an empty field)."""

    def arrow_type(self) -> Any:
        """Return the ``pyarrow.DataType`` of this column type.

        Raises:
            MissingExtra: If pyarrow is not installed.
        """
        pa, _ = _arrow()
        types: dict[ColumnType, Any] = {
            ColumnType.TEXT: pa.string(),
            ColumnType.CATEGORY: pa.dictionary(pa.int32(), pa.string()),
            ColumnType.DECIMAL: pa.decimal128(DECIMAL_PRECISION, DECIMAL_SCALE),
            ColumnType.DATE: pa.date32(),
            ColumnType.BOOLEAN: pa.bool_(),
            ColumnType.TEXT_LIST: pa.list_(pa.string()),
        }
        return types[self]

    def csv_text(self, value: Any) -> str:
        """Return *value* (as [`rows`][kgru_relations.interop.tables.rows] gives it) as CSV text.

        ``None`` is the empty string.

        Examples:
            >>> from decimal import Decimal
            >>> ColumnType.DECIMAL.csv_text(Decimal("-1234.50"))
            '-1234.50'
            >>> ColumnType.TEXT_LIST.csv_text(("source:a", "source:b"))
            'source:a;source:b'
        """
        if value is None:
            return ""
        return _CELLS[self](value)


_CELLS: Final[Mapping[ColumnType, Callable[[Any], str]]] = {
    ColumnType.TEXT: _text_cell,
    ColumnType.CATEGORY: _text_cell,
    ColumnType.DECIMAL: _decimal_cell,
    ColumnType.DATE: _date_cell,
    ColumnType.BOOLEAN: _bool_cell,
    ColumnType.TEXT_LIST: _list_cell,
}


@attrs.frozen
class Column:
    """One column of a table: its name, what it holds, and where its value comes from.

    Attributes:
        name: The column's name, in the CSV header and the Parquet schema.
        type: What it holds (and so its Parquet type and CSV text).
        source: The model field it is read from, ``Class.field``
            (``Tenure.period.end``); the docs' mapping table shows it.
        description: What the value means, and when it is null.
        get: Reads the value from a record: text, a `Decimal`, a
            `datetime.date`, a ``bool``, a tuple of text, or ``None``.
        nullable: Whether the value may be missing.
    """

    name: str
    type: ColumnType
    source: str
    description: str
    get: Callable[[Any], Any] = attrs.field(repr=False, eq=False)
    nullable: bool = False

    def field_path(self, prefix: str) -> str:
        """The path, under a record's path *prefix*, of the field this column reads.

        Examples:
            >>> COLUMNS["observations"][8].field_path("$.observations[3]")
            '$.observations[3].value'
        """
        return f"{prefix}.{self.source.partition('.')[2]}"


def _one_of(cls: type[enum.Enum]) -> str:
    """``"`a`, `b` or `c`"``: the values of an enumeration, for a column's description."""
    values = [f"`{member.value}`" for member in cls]
    return ", ".join(values[:-1]) + " or " + values[-1]


_PRECISIONS: Final = _one_of(DatePrecision)


_SIDE_PRECISIONS: Final = (
    ", ".join(f"`{precision.value}`" for precision in DatePrecision)
    + " or `unknown` (on a day not recorded)"
)


def _side_precision(value: PartialDate | Unknown | None) -> str | None:
    """A period side's precision, ``unknown`` for an unknown side, None for an open one."""
    if value is None:
        return None
    return "unknown" if value is UNKNOWN else value.precision.value


def _first_day(value: PartialDate | None) -> _dt.date | None:
    return None if value is None else value.earliest


def _last_day(value: PartialDate | None) -> _dt.date | None:
    return None if value is None else value.latest


def _precision(value: PartialDate | None) -> str | None:
    return None if value is None else value.precision.value


def _date_columns(
    name: str,
    source: str,
    what: str,
    get: Callable[[Any], PartialDate | None],
    *,
    nullable: bool = True,
) -> tuple[Column, ...]:
    """A partial date: its first day, and its precision."""
    unknown = "; null if not known" if nullable else ""
    return (
        Column(
            name,
            ColumnType.DATE,
            source,
            f"{what}, its first day (1 January for a year){unknown}.",
            lambda record: _first_day(get(record)),
            nullable=nullable,
        ),
        Column(
            f"{name}_precision",
            ColumnType.CATEGORY,
            source,
            f"How much of that date is known: {_PRECISIONS}.",
            lambda record: _precision(get(record)),
            nullable=nullable,
        ),
    )


def _period_columns(
    name: str, source: str, what: str, get: Callable[[Any], Period | None]
) -> tuple[Column, ...]:
    """A period: the first day of its start and the last day of its end, each with its precision."""

    def start(record: Any) -> PartialDate | Unknown | None:
        period = get(record)
        return None if period is None else period.start

    def end(record: Any) -> PartialDate | Unknown | None:
        period = get(record)
        return None if period is None else period.end

    def first_day(record: Any) -> _dt.date | None:
        side = start(record)
        return side.earliest if isinstance(side, PartialDate) else None

    def last_day(record: Any) -> _dt.date | None:
        side = end(record)
        return side.latest if isinstance(side, PartialDate) else None

    return (
        Column(
            f"{name}_start",
            ColumnType.DATE,
            f"{source}.start",
            f"The first day of {what}; null if its start is open or unknown.",
            first_day,
            nullable=True,
        ),
        Column(
            f"{name}_start_precision",
            ColumnType.CATEGORY,
            f"{source}.start",
            f"How much of the start is known: {_SIDE_PRECISIONS}; null if open.",
            lambda record: _side_precision(start(record)),
            nullable=True,
        ),
        Column(
            f"{name}_end",
            ColumnType.DATE,
            f"{source}.end",
            f"The last day of {what} (31 December for a year); null if its end is open or unknown.",
            last_day,
            nullable=True,
        ),
        Column(
            f"{name}_end_precision",
            ColumnType.CATEGORY,
            f"{source}.end",
            f"How much of the end is known: {_SIDE_PRECISIONS}; null if open (still going on).",
            lambda record: _side_precision(end(record)),
            nullable=True,
        ),
    )


def _id_column(cls: str, what: str) -> Column:
    return Column("id", ColumnType.TEXT, f"{cls}.id", f"The {what}'s id.", lambda record: record.id)


def _fact_columns(cls: str) -> tuple[Column, ...]:
    """The fields every fact has: confidence, sources, note, variant_of."""
    return (
        Column(
            "confidence",
            ColumnType.CATEGORY,
            f"{cls}.confidence",
            f"How sure the data is: {_one_of(Confidence)}.",
            lambda record: record.confidence.value,
        ),
        Column(
            "sources",
            ColumnType.TEXT_LIST,
            f"{cls}.sources",
            "The ids of the sources that support it; at least one.",
            lambda record: record.sources,
        ),
        Column(
            "note",
            ColumnType.TEXT,
            f"{cls}.note",
            "A caveat in words; may hold line breaks.",
            lambda record: record.note,
            nullable=True,
        ),
        Column(
            "variant_of",
            ColumnType.TEXT,
            f"{cls}.variant_of",
            "The id of the record this one is a second account of.",
            lambda record: record.variant_of,
            nullable=True,
        ),
    )


_OBSERVATIONS: Final = (
    _id_column("Observation", "observation"),
    Column(
        "indicator",
        ColumnType.TEXT,
        "Observation.indicator",
        "The id of the indicator measured.",
        lambda record: record.indicator,
    ),
    Column(
        "reporter",
        ColumnType.TEXT,
        "Observation.reporter",
        "The ISO 3166-1 alpha-2 code of the country whose figure it is.",
        lambda record: record.reporter,
    ),
    Column(
        "partner",
        ColumnType.TEXT,
        "Observation.partner",
        "The code of the counterpart country, if any.",
        lambda record: record.partner,
        nullable=True,
    ),
    Column(
        "subject",
        ColumnType.TEXT,
        "Observation.subject",
        "The id of the entity measured, when it is not a country.",
        lambda record: record.subject,
        nullable=True,
    ),
    Column(
        "period_start",
        ColumnType.DATE,
        "Observation.period",
        "The first day of the period the figure covers; null for an undated target.",
        lambda record: _first_day(record.period),
        nullable=True,
    ),
    Column(
        "period_end",
        ColumnType.DATE,
        "Observation.period",
        "The last day of that period (30 September for `2025-Q3`).",
        lambda record: _last_day(record.period),
        nullable=True,
    ),
    Column(
        "period_precision",
        ColumnType.CATEGORY,
        "Observation.period",
        f"What the period is: {_PRECISIONS}.",
        lambda record: _precision(record.period),
        nullable=True,
    ),
    Column(
        "value",
        ColumnType.DECIMAL,
        "Observation.value",
        "The figure, exact.",
        lambda record: record.value,
    ),
    Column(
        "unit",
        ColumnType.TEXT,
        "Observation.unit",
        "An ISO 4217 currency code (`USD`) or a lowercase word (`project`).",
        lambda record: record.unit,
    ),
    Column(
        "qualifier",
        ColumnType.CATEGORY,
        "Observation.qualifier",
        f"How the figure relates to the true value: {_one_of(Qualifier)}.",
        lambda record: record.qualifier.value,
    ),
    Column(
        "kind",
        ColumnType.CATEGORY,
        "Observation.kind",
        f"What sort of figure it is: {_one_of(ObservationKind)}.",
        lambda record: record.kind.value,
    ),
    *_fact_columns("Observation"),
)

_TENURES: Final = (
    _id_column("Tenure", "tenure"),
    Column(
        "person",
        ColumnType.TEXT,
        "Tenure.person",
        "The id of the person.",
        lambda record: record.person,
    ),
    Column(
        "position",
        ColumnType.TEXT,
        "Tenure.position",
        "The id of the position held.",
        lambda record: record.position,
    ),
    *_period_columns("period", "Tenure.period", "the tenure", lambda record: record.period),
    Column(
        "acting",
        ColumnType.BOOLEAN,
        "Tenure.acting",
        "Whether the person held it as an acting holder.",
        lambda record: record.acting,
    ),
    *_fact_columns("Tenure"),
)

_MEMBERSHIPS: Final = (
    _id_column("Membership", "membership"),
    Column(
        "state",
        ColumnType.TEXT,
        "Membership.state",
        "The id of the member state.",
        lambda record: record.state,
    ),
    Column(
        "organization",
        ColumnType.TEXT,
        "Membership.organization",
        "The id of the organisation.",
        lambda record: record.organization,
    ),
    *_period_columns("period", "Membership.period", "the membership", lambda record: record.period),
    *_fact_columns("Membership"),
)


class _Change(NamedTuple):
    """A status change with the membership it belongs to: one row of ``membership_changes``."""

    membership: Membership
    change: StatusChange


_MEMBERSHIP_CHANGES: Final = (
    Column(
        "membership",
        ColumnType.TEXT,
        "Membership.id",
        "The id of the membership whose status changed.",
        lambda record: record.membership.id,
    ),
    *_date_columns(
        "since",
        "StatusChange.since",
        "When the new status began",
        lambda record: record.change.since,
        nullable=False,
    ),
    Column(
        "status",
        ColumnType.CATEGORY,
        "StatusChange.status",
        f"The new status: {_one_of(MembershipStatus)}.",
        lambda record: record.change.status.value,
    ),
    Column(
        "sources",
        ColumnType.TEXT_LIST,
        "StatusChange.sources",
        "The ids of the sources that report the change; may be empty.",
        lambda record: record.change.sources,
    ),
    Column(
        "note",
        ColumnType.TEXT,
        "StatusChange.note",
        "What the status means here.",
        lambda record: record.change.note,
        nullable=True,
    ),
)

_AGREEMENTS: Final = (
    _id_column("Agreement", "agreement"),
    Column(
        "name",
        ColumnType.TEXT,
        "Agreement.names",
        "Its title: the first common name, else the first name.",
        lambda record: record.label,
    ),
    Column(
        "kind",
        ColumnType.CATEGORY,
        "Agreement.kind",
        f"What sort of instrument it is: {_one_of(AgreementKind)}.",
        lambda record: record.kind.value,
    ),
    Column(
        "status",
        ColumnType.CATEGORY,
        "Agreement.status",
        f"Where it stands as of `as_of`: {_one_of(AgreementStatus)}.",
        lambda record: record.status.value,
    ),
    Column(
        "parties",
        ColumnType.TEXT_LIST,
        "Agreement.parties",
        "The ids of the states and organisations bound by it.",
        lambda record: record.parties,
    ),
    Column(
        "signatories",
        ColumnType.TEXT_LIST,
        "Agreement.signatories",
        "The ids of the people who signed it.",
        lambda record: record.signatories,
    ),
    *_date_columns(
        "signed", "Agreement.signed", "When it was signed", lambda record: record.signed
    ),
    Column(
        "place",
        ColumnType.TEXT,
        "Agreement.place",
        "Where it was signed.",
        lambda record: record.place,
        nullable=True,
    ),
    *_date_columns(
        "in_force",
        "Agreement.in_force",
        "When it entered into force",
        lambda record: record.in_force,
    ),
    *_period_columns(
        "validity", "Agreement.validity", "the span it covers", lambda record: record.validity
    ),
    *_date_columns(
        "as_of", "Agreement.as_of", "When its status was last known to be right", lambda r: r.as_of
    ),
    *_fact_columns("Agreement"),
)


def _observation_records(dataset: Dataset) -> Iterator[tuple[str, Any]]:
    for index, observation in enumerate(dataset.all(Observation)):
        yield f"$.observations[{index}]", observation


def _tenure_records(dataset: Dataset) -> Iterator[tuple[str, Any]]:
    for index, tenure in enumerate(dataset.all(Tenure)):
        yield f"$.tenures[{index}]", tenure


def _membership_records(dataset: Dataset) -> Iterator[tuple[str, Any]]:
    for index, membership in enumerate(dataset.all(Membership)):
        yield f"$.memberships[{index}]", membership


def _change_records(dataset: Dataset) -> Iterator[tuple[str, Any]]:
    for index, membership in enumerate(dataset.all(Membership)):
        for position, change in enumerate(membership.changes):
            yield f"$.memberships[{index}].changes[{position}]", _Change(membership, change)


def _agreement_records(dataset: Dataset) -> Iterator[tuple[str, Any]]:
    for index, agreement in enumerate(dataset.all(Agreement)):
        yield f"$.agreements[{index}]", agreement


_RECORDS: Final[Mapping[str, Callable[[Dataset], Iterator[tuple[str, Any]]]]] = MappingProxyType(
    {
        "observations": _observation_records,
        "tenures": _tenure_records,
        "memberships": _membership_records,
        "membership_changes": _change_records,
        "agreements": _agreement_records,
    }
)

COLUMNS: Final[Mapping[str, tuple[Column, ...]]] = MappingProxyType(
    {
        "observations": _OBSERVATIONS,
        "tenures": _TENURES,
        "memberships": _MEMBERSHIPS,
        "membership_changes": _MEMBERSHIP_CHANGES,
        "agreements": _AGREEMENTS,
    }
)
"""Each table's columns, in order: the one list every writer and the docs read."""

TABLES: Final = tuple(COLUMNS)
"""The tables' names, in the order they are written."""


def _columns(table: str) -> tuple[Column, ...]:
    columns = COLUMNS.get(table)
    if columns is None:
        names = ", ".join(repr(name) for name in TABLES)
        msg = f"there is no table {table!r}; the tables are {names}"
        raise ValueError(msg)
    return columns


def column_table(table: str) -> str:
    """Return a Markdown table of *table*'s columns, as the docs page shows them.

    Raises:
        ValueError: If there is no such table.

    Examples:
        >>> print(column_table("memberships").splitlines()[2])
        | `id` | `Membership.id` | `string` | no | The membership's id. |
    """
    lines = [
        "| Column | From | Parquet type | Null? | Holds |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| `{column.name}` | `{column.source}` | `{column.type.value}` | "
        f"{'yes' if column.nullable else 'no'} | {column.description} |"
        for column in _columns(table)
    ]
    return "\n".join(lines)


def rows(dataset: Dataset, table: str) -> Iterator[dict[str, Any]]:
    """Yield *table*'s rows from *dataset*, one dict per record, in the dataset's order.

    Values are Python values, exact: text, `Decimal`, `datetime.date`,
    ``bool``, a tuple of ids, or ``None``. ``pandas.DataFrame(rows(...))``
    keeps every amount as a `Decimal`.

    Args:
        dataset: The dataset.
        table: One of [`TABLES`][kgru_relations.interop.tables.TABLES].

    Raises:
        ValueError: If there is no such table.
    """
    columns = _columns(table)
    for _, record in _RECORDS[table](dataset):
        yield {column.name: column.get(record) for column in columns}


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
            records = (record for _, record in _RECORDS[table](dataset))
            yield path, _csv_chunks(COLUMNS[table], records)

    write_together(files())
    return written


# --- Parquet -------------------------------------------------------------------------------------


def _arrow() -> tuple[ModuleType, ModuleType]:
    """Import pyarrow and pyarrow.parquet, or raise `MissingExtra` naming the extra."""
    parquet = require("pyarrow.parquet", extra="parquet", doing="writing Parquet")
    return require("pyarrow", extra="parquet", doing="writing Parquet"), parquet


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
    pa, pq = _arrow()
    issues = _IssueCollector()
    tables = {}
    for table in TABLES:
        schema = _schema(pa, table)
        batch = _record_batch(pa, schema, table, _RECORDS[table](dataset), issues)
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
    pa, pq = _arrow()
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
