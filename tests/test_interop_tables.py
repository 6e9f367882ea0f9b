"""Flat tables: CSV and Parquet files that pandas, Polars and DuckDB read back exactly."""

import csv
import datetime as dt
import errno
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from decimal import ROUND_DOWN, Context, Decimal
from pathlib import Path
from typing import Any

import attrs
import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgru_relations import (
    UNKNOWN,
    Dataset,
    DatePrecision,
    Membership,
    Observation,
    PartialDate,
    Period,
    Source,
    Tenure,
    Unknown,
    ValidationError,
    load_default,
    write_observations,
)
from kgru_relations.interop import MissingExtra
from kgru_relations.interop.tables import (
    COLUMNS,
    TABLES,
    Column,
    ColumnType,
    column_table,
    observations_to_parquet,
    rows,
    write_csv,
    write_parquet,
)
from kgru_relations.interop.tables import _files as tables_module
from kgru_relations.strategies import amounts, datasets

from .builders import varied_observation

DATA = load_default()
PAGE = Path(__file__).parents[1] / "docs" / "how-to" / "export-tables.md"
WIDE = Context(prec=100)


# --- reading the files back, independently of the writer -------------------------------------


def partial_date(day: dt.date | None, precision: str | None) -> PartialDate | Unknown | None:
    """The partial date a (day, precision) pair of columns stands for (UNKNOWN: ``unknown``)."""
    if day is None:
        assert precision in {None, "unknown"}
        return None if precision is None else UNKNOWN
    match DatePrecision(precision):
        case DatePrecision.YEAR:
            return PartialDate(day.year)
        case DatePrecision.QUARTER:
            return PartialDate(day.year, quarter=(day.month - 1) // 3 + 1)
        case DatePrecision.MONTH:
            return PartialDate(day.year, day.month)
        case DatePrecision.DAY:
            return PartialDate.from_date(day)


def period(row: dict[str, Any], name: str) -> Period:
    return Period(
        partial_date(row[f"{name}_start"], row[f"{name}_start_precision"]),
        partial_date(row[f"{name}_end"], row[f"{name}_end_precision"]),
    )


def from_text(column: Column, text: str) -> Any:
    """A CSV cell read back as the value it stands for, by what the docs say of its type."""
    if text == "":
        return () if column.type is ColumnType.TEXT_LIST else None
    if column.type is ColumnType.DECIMAL:
        return Decimal(text)
    if column.type is ColumnType.DATE:
        return dt.date.fromisoformat(text)
    if column.type is ColumnType.BOOLEAN:
        return {"true": True, "false": False}[text]
    if column.type is ColumnType.TEXT_LIST:
        return tuple(text.split(";"))
    return text


def read_csv(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    """The header, and each row with its cells read back as values."""
    table = path.name.removesuffix(".csv")
    columns = {column.name: column for column in COLUMNS[table]}
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        found = [
            {name: from_text(columns[name], text) for name, text in row.items()} for row in reader
        ]
        return list(reader.fieldnames or ()), found


def plain(value: Any) -> Any:
    """A value as pyarrow hands it back: lists for tuples."""
    return list(value) if isinstance(value, tuple) else value


def fits(value: Decimal) -> bool:
    """Whether decimal128(38, 6) holds *value* exactly: a whole number of millionths, 38 digits."""
    scaled = value.scaleb(6, context=WIDE)
    return scaled == scaled.to_integral_value(context=WIDE) and abs(scaled) < 10**38


def fitting(dataset: Dataset) -> bool:
    return all(fits(observation.value) for observation in dataset.all(Observation))


@pytest.fixture
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


# --- the column lists ----------------------------------------------------------------------------


def test_the_tables_are_the_ones_the_docs_and_the_command_name() -> None:
    assert TABLES == (
        "observations",
        "tenures",
        "memberships",
        "membership_changes",
        "agreements",
    )
    for table in TABLES:
        names = [column.name for column in COLUMNS[table]]
        assert len(names) == len(set(names)), table


def test_the_docs_page_shows_each_table_as_the_column_list_says() -> None:
    page = PAGE.read_text(encoding="utf-8")
    for table in TABLES:
        assert column_table(table) in page, f"docs/how-to/export-tables.md: {table} table"


def test_an_unknown_table_is_refused_with_the_names_of_the_tables() -> None:
    with pytest.raises(ValueError, match="no table 'observation'; the tables are 'observations'"):
        next(rows(DATA, "observation"))
    with pytest.raises(ValueError, match="no table"):
        column_table("people")


def test_rows_give_exact_python_values() -> None:
    first = next(rows(DATA, "observations"))
    assert first["id"] == "observation:remittances-kg-2024"
    assert first["value"] == Decimal("2500000000")
    assert isinstance(first["value"], Decimal)
    assert (first["period_start"], first["period_end"]) == (
        dt.date(2024, 1, 1),
        dt.date(2024, 12, 31),
    )
    assert first["period_precision"] == "year"
    assert first["qualifier"] == "more_than"
    assert first["sources"] == ("source:article",)
    assert first["partner"] is None


def test_a_membership_change_is_a_row_of_its_own() -> None:
    change_rows = list(rows(DATA, "membership_changes"))
    expected = [
        (membership.id, change.since, change.status.value)
        for membership in DATA.all(Membership)
        for change in membership.changes
    ]
    assert expected
    assert [
        (row["membership"], partial_date(row["since"], row["since_precision"]), row["status"])
        for row in change_rows
    ] == expected


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_has_one_file_per_table_with_the_column_list_as_header(folder: Path) -> None:
    written = write_csv(DATA, folder / "new" / "tables")
    assert [path.name for path in written] == [f"{table}.csv" for table in TABLES]
    assert sorted(path.name for path in written[0].parent.iterdir()) == sorted(
        path.name for path in written
    )
    for path, table in zip(written, TABLES, strict=True):
        header, found = read_csv(path)
        assert header == [column.name for column in COLUMNS[table]]
        assert found == list(rows(DATA, table))


def test_csv_keeps_quotes_commas_line_breaks_and_any_script_in_text(folder: Path) -> None:
    note = 'He said "no", then left.\nЖапаров — 日本'
    dataset = Dataset(
        [
            Source(id="source:s", title="S"),
            Tenure(
                id="tenure:t",
                person="person:p",
                position="position:q",
                period="2021-Q1/..",
                sources=["source:s"],
                note=note,
            ),
        ]
    )
    write_csv(dataset, folder)
    raw = (folder / "tenures.csv").read_bytes()
    assert raw.decode("utf-8").splitlines()[0].startswith("id,person,position,period_start,")
    _, found = read_csv(folder / "tenures.csv")
    assert found[0]["note"] == note
    assert found[0]["period_end"] is None
    assert found[0]["acting"] is False
    assert period(found[0], "period") == Period.parse("2021-Q1/..")


@given(datasets())
def test_csv_reads_back_as_the_same_values_for_any_dataset(dataset: Dataset) -> None:
    with tempfile.TemporaryDirectory() as name:
        for path, table in zip(write_csv(dataset, name), TABLES, strict=True):
            _, found = read_csv(path)
            expected = list(rows(dataset, table))
            assert found == expected
            # Amounts keep their digits, trailing zeros and all.
            assert [row.get("value", Decimal(0)).as_tuple() for row in found] == [
                row.get("value", Decimal(0)).as_tuple() for row in expected
            ]
        _, observation_rows = read_csv(Path(name, "observations.csv"))
        with Path(name, "observations.csv").open(encoding="utf-8", newline="") as stream:
            amounts_as_text = [row["value"] for row in csv.DictReader(stream)]
        _, tenure_rows = read_csv(Path(name, "tenures.csv"))
    for row, kept in zip(observation_rows, dataset.all(Observation), strict=True):
        assert partial_date(row["period_start"], row["period_precision"]) == kept.period
        assert row["period_end"] == (kept.period.latest if kept.period else None)
        assert row["value"] == kept.value
    # Plain decimal text, which every CSV reader parses: no exponent, no grouping.
    assert all(re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text) for text in amounts_as_text)
    for row, tenure in zip(tenure_rows, dataset.all(Tenure), strict=True):
        assert period(row, "period") == tenure.period


# --- Parquet -------------------------------------------------------------------------------------


def test_parquet_columns_have_the_promised_types(folder: Path) -> None:
    written = write_parquet(DATA, folder)
    assert [path.name for path in written] == [f"{table}.parquet" for table in TABLES]
    schema = pq.read_schema(folder / "observations.parquet")
    assert schema.field("value").type == pa.decimal128(38, 6)
    assert not schema.field("value").nullable
    assert schema.field("period_start").type == pa.date32()
    assert schema.field("period_precision").type == pa.dictionary(pa.int32(), pa.string())
    assert schema.field("qualifier").type == pa.dictionary(pa.int32(), pa.string())
    assert schema.field("sources").type == pa.list_(pa.string())
    assert schema.field("partner").type == pa.string()
    assert schema.field("partner").nullable
    assert schema.field("value").metadata[b"source"] == b"Observation.value"
    assert pq.read_schema(folder / "tenures.parquet").field("acting").type == pa.bool_()
    for table in TABLES:
        found = pq.read_schema(folder / f"{table}.parquet")
        assert found.names == [column.name for column in COLUMNS[table]]
        assert [field.type for field in found] == [
            column.type.arrow_type() for column in COLUMNS[table]
        ]
        assert [field.nullable for field in found] == [column.nullable for column in COLUMNS[table]]
        assert found.metadata[b"kgru_relations.table"] == table.encode()


def test_parquet_reads_back_as_the_rows(folder: Path) -> None:
    write_parquet(DATA, folder)
    for table in TABLES:
        found = pq.read_table(folder / f"{table}.parquet").to_pylist()
        assert found == [{k: plain(v) for k, v in row.items()} for row in rows(DATA, table)]


def test_duckdb_reads_amounts_as_decimal_38_6_and_sums_them_exactly(folder: Path) -> None:
    write_parquet(DATA, folder)
    path = folder / "observations.parquet"
    connection = duckdb.connect()
    described = connection.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
    types = {name: kind for name, kind, *_ in described}
    assert types["value"] == "DECIMAL(38,6)"
    assert types["period_start"] == "DATE"
    assert types["sources"] == "VARCHAR[]"
    query = f"SELECT sum(value) FROM read_parquet('{path}') WHERE unit = 'USD'"
    (total,) = connection.execute(query).fetchall()[0]
    assert isinstance(total, Decimal)
    assert total == sum(o.value for o in DATA.all(Observation) if o.unit == "USD")


def cut_to_fit(dataset: Dataset) -> Dataset:
    """*dataset* with every amount cut to six places, so that Parquet holds each one."""
    return Dataset(
        attrs.evolve(entity, value=entity.value.quantize(Decimal("1E-6"), ROUND_DOWN, WIDE))
        if isinstance(entity, Observation)
        else entity
        for entity in dataset
    )


@given(datasets(), st.booleans())
def test_parquet_round_trips_any_dataset_whose_amounts_fit_and_refuses_the_rest(
    dataset: Dataset, cut: bool
) -> None:
    if cut:
        dataset = cut_to_fit(dataset)
    misfits = [
        (index, kept.id)
        for index, kept in enumerate(dataset.all(Observation))
        if not fits(kept.value)
    ]
    with tempfile.TemporaryDirectory() as name:
        if misfits:
            with pytest.raises(ValidationError) as caught:
                write_parquet(dataset, name)
            assert [issue.path for issue in caught.value.issues] == [
                f"$.observations[{index}].value" for index, _ in misfits
            ]
            for issue, (_, record_id) in zip(caught.value.issues, misfits, strict=True):
                assert issue.message.startswith(f"{record_id}: the value ")
            assert list(Path(name).iterdir()) == []  # nothing written, not some tables
            return
        write_parquet(dataset, name)
        for table in TABLES:
            found = pq.read_table(Path(name, f"{table}.parquet")).to_pylist()
            expected = [{k: plain(v) for k, v in row.items()} for row in rows(dataset, table)]
            assert found == expected


@given(
    st.one_of(
        amounts(),
        st.decimals(min_value=-(10**30) + 1, max_value=10**30 - 1, places=6, allow_nan=False),
    )
)
def test_every_amount_that_fits_comes_back_exactly_and_no_other_is_rounded(
    value: Decimal,
) -> None:
    dataset = Dataset([varied_observation(1, value)])
    with tempfile.TemporaryDirectory() as name:
        if not fits(value):
            with pytest.raises(ValidationError) as caught:
                write_parquet(dataset, name)
            (issue,) = caught.value.issues
            assert issue.path == "$.observations[0].value"
            assert issue.message.startswith("observation:o-1: the value ")
            assert "refused rather than rounded" in issue.message
            return
        write_parquet(dataset, name)
        (back,) = pq.read_table(Path(name, "observations.parquet"))["value"].to_pylist()
    assert back == value
    assert back.as_tuple().exponent == -6


# --- a failed export -----------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry of *folder* (temporary files too) and a file's bytes."""
    return {
        path.name: path.read_bytes() if path.is_file() else None
        for path in sorted(folder.iterdir())
    }


def test_a_table_that_fails_leaves_every_old_csv_file_as_it_was(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_csv(DATA, folder)
    before = snapshot(folder)
    original = tables_module._csv_chunks

    def full_disk_at_the_last_table(columns: tuple[Column, ...], records: Any) -> Iterator[bytes]:
        yield from original(columns, records)
        if columns is COLUMNS[TABLES[-1]]:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tables_module, "_csv_chunks", full_disk_at_the_last_table)
    with pytest.raises(OSError, match="No space left"):
        write_csv(Dataset([varied_observation(0)]), folder)
    assert snapshot(folder) == before


def test_a_refused_value_leaves_the_folder_exactly_as_it_was(folder: Path) -> None:
    write_parquet(DATA, folder)
    before = snapshot(folder)
    refused = Dataset([varied_observation(0), varied_observation(1, "0.0000001")])
    with pytest.raises(ValidationError, match=r"\$\.observations\[1\]\.value"):
        write_parquet(refused, folder)
    assert snapshot(folder) == before
    with pytest.raises(ValidationError):
        write_parquet(refused, folder / "new")
    assert not (folder / "new").exists()


def test_a_target_that_is_not_a_file_is_refused_before_any_table_is_written(folder: Path) -> None:
    (folder / f"{TABLES[-1]}.csv").mkdir()
    with pytest.raises(IsADirectoryError, match="not a regular file"):
        write_csv(DATA, folder)
    assert snapshot(folder) == {f"{TABLES[-1]}.csv": None}


def test_rewritten_tables_keep_their_permissions_and_links(folder: Path) -> None:
    kept = folder / "elsewhere.csv"
    kept.write_bytes(b"old")
    kept.chmod(0o640)
    (folder / "tables").mkdir()
    link = folder / "tables" / "observations.csv"
    link.symlink_to(kept)
    written = write_csv(DATA, folder / "tables")
    assert link.is_symlink()
    assert kept.read_bytes() == written[0].read_bytes() != b"old"
    assert kept.stat().st_mode & 0o777 == 0o640
    assert (folder / "tables" / "tenures.csv").stat().st_mode & 0o777 == 0o666 & ~current_umask()


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("writer", [write_csv, write_parquet])
def test_a_folder_that_is_a_file_is_refused_as_not_a_directory(folder: Path, writer: Any) -> None:
    afile = folder / "afile"
    afile.write_bytes(b"mine")
    with pytest.raises(NotADirectoryError, match="is a file, not a directory") as caught:
        writer(DATA, afile)
    assert caught.value.filename == str(afile)
    assert snapshot(folder) == {"afile": b"mine"}


# --- JSON Lines to Parquet -----------------------------------------------------------------------


def test_a_large_jsonl_file_becomes_one_row_group_per_batch(folder: Path) -> None:
    kept = [varied_observation(index, Decimal(index).scaleb(-3) - 1000) for index in range(3_500)]
    source = folder / "observations.jsonl"
    assert write_observations(source, kept) == 3_500
    counts: list[int] = []
    target = folder / "observations.parquet"
    assert (
        observations_to_parquet(source, target, batch_size=1_000, progress=counts.append) == 3_500
    )
    assert counts == [1_000, 2_000, 3_000, 3_500]
    assert observations_to_parquet(source, folder / "again.parquet") == 3_500
    assert pq.ParquetFile(folder / "again.parquet").num_row_groups == 1  # the default: 50,000
    again = pq.read_table(folder / "again.parquet").to_pylist()
    assert again == pq.read_table(target).to_pylist()
    assert pq.ParquetFile(target).num_row_groups == 4
    assert pq.read_schema(target) == pq.read_schema(
        write_parquet(Dataset(kept), folder / "whole")[0]
    )
    found = pq.read_table(target).to_pylist()
    assert found == [
        {k: plain(v) for k, v in row.items()} for row in rows(Dataset(kept), "observations")
    ]
    assert sorted(path.name for path in folder.iterdir()) == [
        "again.parquet",
        "observations.jsonl",
        "observations.parquet",
        "whole",
    ]


def test_amounts_that_do_not_fit_are_all_listed_and_the_old_file_is_kept(folder: Path) -> None:
    kept = [varied_observation(index) for index in range(25)]
    kept[3] = varied_observation(3, "0.0000001")
    kept[21] = varied_observation(21, "-12.12345678")
    source = folder / "observations.jsonl"
    write_observations(source, kept)
    # A blank line after the first: the line numbers count lines, not observations.
    first, rest = source.read_bytes().split(b"\n", 1)
    source.write_bytes(first + b"\n\n" + rest)
    target = folder / "observations.parquet"
    target.write_bytes(b"old")
    with pytest.raises(ValidationError) as caught:
        observations_to_parquet(source, target, batch_size=10)
    assert [issue.message.split(": ")[0] for issue in caught.value.issues] == [
        "observation:o-3",
        "observation:o-21",
    ]
    assert [(issue.path, issue.line) for issue in caught.value.issues] == [
        ("$.value", 5),
        ("$.value", 23),
    ]
    assert str(caught.value).startswith("line 5: $.value: observation:o-3: the value 0.0000001 ")
    assert "0.0000001" in caught.value.issues[0].message
    assert target.read_bytes() == b"old"
    assert sorted(path.name for path in folder.iterdir()) == [
        "observations.jsonl",
        "observations.parquet",
    ]


def test_a_bad_line_is_reported_with_its_number_and_nothing_is_written(folder: Path) -> None:
    source = folder / "observations.jsonl"
    write_observations(source, [varied_observation(0), varied_observation(1)])
    source.write_bytes(source.read_bytes() + b'{"id": "observation:x"}\n')
    with pytest.raises(ValidationError) as caught:
        observations_to_parquet(source, folder / "out.parquet")
    assert {issue.line for issue in caught.value.issues} == {3}
    assert not (folder / "out.parquet").exists()


def test_an_empty_jsonl_file_gives_an_empty_table_with_the_schema(folder: Path) -> None:
    source = folder / "empty.jsonl"
    source.write_bytes(b"")
    counts: list[int] = []
    assert observations_to_parquet(source, folder / "empty.parquet", progress=counts.append) == 0
    assert counts == []
    table = pq.read_table(folder / "empty.parquet")
    assert table.num_rows == 0
    assert table.schema.field("value").type == pa.decimal128(38, 6)


@pytest.mark.parametrize("size", [0, -1, True])
def test_a_batch_size_must_be_a_positive_integer(folder: Path, size: int) -> None:
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        observations_to_parquet(folder / "x.jsonl", folder / "x.parquet", batch_size=size)


# --- without pyarrow -----------------------------------------------------------------------------


def test_importing_the_module_and_writing_csv_do_not_import_pyarrow(folder: Path) -> None:
    code = (
        "import sys\n"
        "from kgru_relations import load_default\n"
        "from kgru_relations.interop.tables import write_csv\n"
        "write_csv(load_default(), sys.argv[1])\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'pyarrow'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(folder)], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
    assert (folder / "observations.csv").exists()


def test_without_pyarrow_parquet_says_which_extra_to_install(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    source = folder / "observations.jsonl"
    write_observations(source, [varied_observation(0)])
    for attempt in (
        lambda: write_parquet(DATA, folder),
        lambda: observations_to_parquet(source, folder / "out.parquet"),
        ColumnType.DECIMAL.arrow_type,
    ):
        with pytest.raises(MissingExtra) as caught:
            attempt()
        assert isinstance(caught.value, ModuleNotFoundError)
        assert str(caught.value) == (
            "writing Parquet needs pyarrow: pip install 'kgru-relations[parquet]'"
        )
        assert caught.value.name == "pyarrow"
    assert sorted(path.name for path in folder.iterdir()) == ["observations.jsonl"]
    assert write_csv(DATA, folder)[0].name == "observations.csv"  # CSV needs nothing more


# --- each column is its field -----------------------------------------------------------------


@given(datasets())
def test_a_column_that_is_not_nullable_never_holds_a_null(dataset: Dataset) -> None:
    for table in TABLES:
        required = [column.name for column in COLUMNS[table] if not column.nullable]
        for row in rows(dataset, table):
            assert all(row[name] is not None for name in required), table


def test_each_column_says_what_its_field_says_in_the_model() -> None:
    described = {column.source: column.description for column in COLUMNS["tenures"]}
    assert described["Tenure.person"] == "The id of the person."
    assert described["Tenure.acting"].startswith("Whether the person held it as an acting")
    confidence = described["Tenure.confidence"]
    assert confidence.endswith("One of `verified`, `likely` or `unverified`.")


def test_an_ended_tenure_never_reads_as_one_still_held() -> None:
    # 2000-05-07/ ended on a day not recorded; 2000-05-07/.. is still held: the end's
    # day is null in both, and its precision tells them apart.
    tenures = [
        Tenure(
            id=f"tenure:{name}",
            person="person:p",
            position="position:q",
            period=text,
            sources=["source:s"],
        )
        for name, text in (("ended", "2000-05-07/"), ("held", "2000-05-07/.."))
    ]
    found = {row["id"]: row for row in rows(Dataset(tenures), "tenures")}
    ended, held = found["tenure:ended"], found["tenure:held"]
    assert (ended["period_end"], ended["period_end_precision"]) == (None, "unknown")
    assert (held["period_end"], held["period_end_precision"]) == (None, None)
