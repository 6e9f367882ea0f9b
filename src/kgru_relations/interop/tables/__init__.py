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

from kgru_relations.interop.tables._columns import (
    COLUMNS,
    DECIMAL_PRECISION,
    DECIMAL_SCALE,
    LIST_SEPARATOR,
    TABLES,
    Column,
    ColumnType,
    column_table,
    rows,
)
from kgru_relations.interop.tables._files import (
    DEFAULT_BATCH_SIZE,
    observations_to_parquet,
    write_csv,
    write_parquet,
)
from kgru_relations.interop.tables._scan import scan_dataset, scan_observations
from kgru_relations.interop.tables._store import write_observation_store

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
    "scan_dataset",
    "scan_observations",
    "write_csv",
    "write_observation_store",
    "write_parquet",
]
