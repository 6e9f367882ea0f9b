"""The tables' columns, each derived from the model field it reads, and their rows."""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import inspect
import operator
import re
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType, ModuleType
from typing import Any, Final, NamedTuple

import attrs

from kgru_relations.dataset import Dataset
from kgru_relations.dates import UNKNOWN, DatePrecision, PartialDate, Period, Unknown
from kgru_relations.interop import require
from kgru_relations.model import (
    Agreement,
    Membership,
    Observation,
    StatusChange,
    Tenure,
)

__all__ = [
    "COLUMNS",
    "DECIMAL_PRECISION",
    "DECIMAL_SCALE",
    "LIST_SEPARATOR",
    "RECORDS",
    "TABLES",
    "Column",
    "ColumnType",
    "arrow",
    "column_table",
    "rows",
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


def arrow() -> tuple[ModuleType, ModuleType]:
    """Import pyarrow and pyarrow.parquet, or raise `MissingExtra` naming the extra."""
    parquet = require("pyarrow.parquet", extra="parquet", doing="writing Parquet")
    return require("pyarrow", extra="parquet", doing="writing Parquet"), parquet


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
        pa, _ = arrow()
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
        read: Reads the model value the column is made from off a record
            (an `operator.attrgetter`, so a writer reads a whole batch at C speed).
        cell: Makes the column's value from that model value (a partial
            date's first day, an enumeration's value), or ``None`` if the
            model value is the column's value. Each model value always makes
            the same one, so a writer makes it once per distinct value.
        nullable: Whether the value may be missing.
    """

    name: str
    type: ColumnType
    source: str
    description: str
    read: Callable[[Any], Any] = attrs.field(repr=False, eq=False)
    cell: Callable[[Any], Any] | None = attrs.field(default=None, repr=False, eq=False)
    nullable: bool = False

    def get(self, record: Any) -> Any:
        """Return the column's value for *record*.

        Text, a `Decimal`, a `datetime.date`, a ``bool``, a tuple of text, or ``None``.
        """
        value = self.read(record)
        return value if self.cell is None else self.cell(value)

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
_ATTRIBUTE: Final = re.compile(r"    (?P<name>\w+): (?P<text>.*)")
_REFERENCE: Final = re.compile(r"\[(`[^`]+`)\]\[[^\]]+\]")


def _markdown(text: str) -> str:
    """A docstring's reStructuredText literals and cross-references as plain Markdown code."""
    return _REFERENCE.sub(r"\1", text.replace("``", "`"))


def _documented(doc: str | None) -> dict[str, str]:
    """Each attribute's description in the ``Attributes:`` section of a Google-style docstring."""
    found: dict[str, str] = {}
    lines = iter(inspect.cleandoc(doc or "").splitlines())
    for line in lines:
        if line == "Attributes:":
            break
    current = None
    for line in lines:
        match = _ATTRIBUTE.fullmatch(line)
        if match is not None:
            current = match["name"]
            found[current] = match["text"]
        elif current is not None and line.startswith(" " * 8):
            found[current] += " " + line.strip()
        else:
            break
    return {name: _markdown(text) for name, text in found.items()}


@functools.cache
def _descriptions(cls: type) -> dict[str, str]:
    """What each field of *cls* holds, as its docstring (or a base class's) says."""
    found: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        found.update(_documented(klass.__dict__.get("__doc__")))
    return found


def _enum_value(value: enum.Enum | None) -> Any:
    return None if value is None else value.value


def _field_columns(cls: type, *names: str, via: str = "") -> tuple[Column, ...]:
    """The columns of the fields *names* of *cls*, read from the record's attribute *via*.

    Each column's name, type, nullability and description come from the
    field: its name, its annotation (``X | None`` is nullable) and its
    description in the class's docstring. A date is two columns, its first
    day and its precision; a period four, its first and last day, each with
    its side's precision.
    """
    hints = typing.get_type_hints(cls)
    columns: list[Column] = []
    for name in names:
        hint = hints[name]
        union = typing.get_origin(hint) in (typing.Union, types.UnionType)
        kinds = set(typing.get_args(hint)) if union else {hint}
        nullable = type(None) in kinds
        (kind,) = kinds - {type(None)}
        source = f"{cls.__name__}.{name}"
        text = _descriptions(cls).get(name, "")
        read = operator.attrgetter(f"{via}.{name}" if via else name)
        if kind is Period:
            columns += _period_columns(name, source, text, read)
        elif kind is PartialDate:
            columns += _date_columns(name, source, text, read, nullable=nullable)
        elif isinstance(kind, type) and issubclass(kind, enum.Enum):
            text += f" One of {_one_of(kind)}."
            category = ColumnType.CATEGORY
            columns.append(Column(name, category, source, text, read, _enum_value, nullable))
        else:
            column_type = _COLUMN_TYPES[typing.get_origin(kind) or kind]
            columns.append(Column(name, column_type, source, text, read, nullable=nullable))
    return tuple(columns)


_COLUMN_TYPES: Final[Mapping[Any, ColumnType]] = {
    str: ColumnType.TEXT,
    Decimal: ColumnType.DECIMAL,
    bool: ColumnType.BOOLEAN,
    tuple: ColumnType.TEXT_LIST,
}


def _side_precision(value: PartialDate | Unknown | None) -> str | None:
    """A period side's precision, ``unknown`` for an unknown side, None for an open one."""
    if value is None:
        return None
    return "unknown" if value is UNKNOWN else value.precision.value


def _precision(value: PartialDate | None) -> str | None:
    return None if value is None else value.precision.value


def _date_columns(
    name: str, source: str, text: str, read: Callable[[Any], PartialDate | None], *, nullable: bool
) -> tuple[Column, ...]:
    """A partial date: its first day, and its precision."""
    unknown = "; null if not known" if nullable else ""
    return (
        Column(
            name,
            ColumnType.DATE,
            source,
            f"{text} Its first day (1 January for a year){unknown}.",
            read,
            _earliest,
            nullable=nullable,
        ),
        Column(
            f"{name}_precision",
            ColumnType.CATEGORY,
            source,
            f"How much of that date is known: {_PRECISIONS}.",
            read,
            _precision,
            nullable=nullable,
        ),
    )


def _earliest(value: PartialDate | Period | None) -> _dt.date | None:
    return None if value is None else value.earliest


def _latest(value: PartialDate | Period | None) -> _dt.date | None:
    return None if value is None else value.latest


def _start_precision(value: Period | None) -> str | None:
    return None if value is None else _side_precision(value.start)


def _end_precision(value: Period | None) -> str | None:
    return None if value is None else _side_precision(value.end)


def _period_columns(
    name: str, source: str, text: str, read: Callable[[Any], Period | None]
) -> tuple[Column, ...]:
    """A period: the first day of its start and the last day of its end, each with its precision.

    An unknown side is null, as an open one is; its precision (``unknown``,
    where an open side's is null) tells them apart.
    """
    return (
        Column(
            f"{name}_start",
            ColumnType.DATE,
            f"{source}.start",
            f"{text} Its first day; null if the start is open or unknown.",
            read,
            _earliest,
            nullable=True,
        ),
        Column(
            f"{name}_start_precision",
            ColumnType.CATEGORY,
            f"{source}.start",
            f"How much of the start is known: {_SIDE_PRECISIONS}; null if open.",
            read,
            _start_precision,
            nullable=True,
        ),
        Column(
            f"{name}_end",
            ColumnType.DATE,
            f"{source}.end",
            "Its last day (31 December for a year); null if the end is open or unknown "
            "(an unknown end: it ended, on a day not recorded; see the precision).",
            read,
            _latest,
            nullable=True,
        ),
        Column(
            f"{name}_end_precision",
            ColumnType.CATEGORY,
            f"{source}.end",
            f"How much of the end is known: {_SIDE_PRECISIONS}; null if open (still going on).",
            read,
            _end_precision,
            nullable=True,
        ),
    )


_FACT: Final = ("confidence", "sources", "note", "variant_of")


_PERIOD: Final = operator.attrgetter("period")

_OBSERVATIONS: Final = (
    *_field_columns(Observation, "id", "indicator", "reporter", "partner", "subject"),
    Column(
        "period_start",
        ColumnType.DATE,
        "Observation.period",
        f"{_descriptions(Observation)['period']} Its first day.",
        _PERIOD,
        _earliest,
        nullable=True,
    ),
    Column(
        "period_end",
        ColumnType.DATE,
        "Observation.period",
        "The last day of that period (30 September for `2025-Q3`).",
        _PERIOD,
        _latest,
        nullable=True,
    ),
    Column(
        "period_precision",
        ColumnType.CATEGORY,
        "Observation.period",
        f"What the period is: {_PRECISIONS}.",
        _PERIOD,
        _precision,
        nullable=True,
    ),
    *_field_columns(Observation, "value", "unit", "qualifier", "kind", *_FACT),
)

_TENURES: Final = _field_columns(Tenure, "id", "person", "position", "period", "acting", *_FACT)

_MEMBERSHIPS: Final = _field_columns(Membership, "id", "state", "organization", "period", *_FACT)


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
        operator.attrgetter("membership.id"),
    ),
    *_field_columns(StatusChange, "since", "status", "sources", "note", via="change"),
)

_AGREEMENTS: Final = (
    *_field_columns(Agreement, "id"),
    Column(
        "name",
        ColumnType.TEXT,
        "Agreement.names",
        "Its title: the first common name, else the first name.",
        operator.attrgetter("label"),
    ),
    *_field_columns(
        Agreement,
        "kind",
        "status",
        "parties",
        "signatories",
        "signed",
        "place",
        "in_force",
        "validity",
        "as_of",
        *_FACT,
    ),
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


RECORDS: Final[Mapping[str, Callable[[Dataset], Iterator[tuple[str, Any]]]]] = MappingProxyType(
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
        | `id` | `Membership.id` | `string` | no | `membership:slug`. |
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
    for _, record in RECORDS[table](dataset):
        yield {column.name: column.get(record) for column in columns}
