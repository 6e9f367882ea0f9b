"""The observation store: written in batches, read back checked, and read as it is by engines."""

import itertools
import json
import random
import tempfile
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import duckdb
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.dataset as pads  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgru_relations import (
    Dataset,
    Observation,
    ValidationError,
    load_default,
    save,
    write_observations,
)
from kgru_relations.interop.tables import _store as store_module
from kgru_relations.interop.tables import (
    scan_dataset,
    scan_observations,
    write_observation_store,
)
from kgru_relations.interop.tables._partitions import _MAX_ROW_GROUPS as MAX_ROW_GROUPS
from kgru_relations.interop.tables._store import _COLLECT as COLLECT
from kgru_relations.serialize import iter_observations
from kgru_relations.strategies import datasets

from .builders import bare_observation
from .test_cli import in_process, run


def _by_id(observations: Iterable[Observation]) -> list[Observation]:
    return sorted(observations, key=lambda observation: observation.id)


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_default()


@pytest.fixture
def store(tmp_path: Path, dataset: Dataset) -> Path:
    write_observation_store(dataset.all(Observation), tmp_path / "store", context=dataset)
    return tmp_path / "store"


def _files(store: Path) -> list[Path]:
    return sorted(store.rglob("*.parquet"))


# --- writing and reading back --------------------------------------------------------------------


@given(datasets())
def test_a_store_reads_back_as_the_observations_written(generated: Dataset) -> None:
    observations = generated.all(Observation)
    with tempfile.TemporaryDirectory() as folder:
        refused: list[ValidationError] = []
        try:
            write_observation_store(observations, folder, batch_size=2)
        except ValidationError as error:  # an amount Parquet cannot hold exactly: refused
            refused.append(error)
        if refused:
            assert all(issue.path.endswith(".value") for issue in refused[0].issues)
            assert not list(Path(folder).rglob("*.parquet"))
        else:
            assert _by_id(scan_observations(folder)) == _by_id(observations)


def test_a_json_lines_stream_is_written_in_batches(tmp_path: Path, dataset: Dataset) -> None:
    observations = dataset.all(Observation)
    write_observations(tmp_path / "in.jsonl", observations)
    count = write_observation_store(
        iter_observations(tmp_path / "in.jsonl"), tmp_path / "store", batch_size=3
    )
    assert count == len(observations)
    assert _by_id(scan_observations(tmp_path / "store")) == _by_id(observations)
    layout = {
        path.parent.relative_to(tmp_path / "store").as_posix()
        for path in _files(tmp_path / "store")
    }
    assert "indicator=indicator%3Aremittances/year=2024" in layout


def _trade(order: str) -> list[Observation]:
    """Monthly trade of every pair of a few states in 2024, by reporter or shuffled."""
    codes = ["AM", "BY", "KG", "KZ", "RU", "TJ", "UZ"]
    observations = [
        bare_observation(
            f"{reporter}-{partner}-{month}".lower(),
            reporter=reporter,
            partner=partner,
            period=f"2024-{month:02}",
        )
        for reporter in codes
        for partner in codes
        if partner != reporter
        for month in range(1, 13)
    ]
    if order == "shuffled":
        random.Random(0).shuffle(observations)
    return observations


def _row_groups(path: Path) -> list[list[tuple[str, str, Any]]]:
    """Each row group of a file as its rows' (reporter, partner, first day)."""
    file = pq.ParquetFile(path)
    return [
        list(zip(*(group.column(name).to_pylist() for name in _ORDER), strict=True))
        for group in (file.read_row_group(index) for index in range(file.num_row_groups))
    ]


_ORDER = ("reporter", "partner", "period_start")


def test_one_write_makes_one_file_a_partition_of_one_sorted_row_group(tmp_path: Path) -> None:
    observations = _trade("shuffled")
    write_observations(tmp_path / "in.jsonl", observations)
    write_observation_store(iter_observations(tmp_path / "in.jsonl"), tmp_path / "s", batch_size=7)
    (path,) = _files(tmp_path / "s")  # 84 batches of 7 rows, one partition: one file
    (rows,) = _row_groups(path)  # and the rows held together: one row group, sorted
    assert rows == sorted(rows)
    assert len(rows) == len(observations)


def test_a_partition_gets_a_file_in_each_write(tmp_path: Path, dataset: Dataset) -> None:
    observations = dataset.all(Observation)
    write_observation_store(observations, tmp_path, batch_size=2)
    write_observation_store(observations, tmp_path, batch_size=5)
    folders = [path.parent for path in _files(tmp_path)]
    assert sorted(Counter(folders).values()) == [2] * len(set(folders))


@pytest.mark.parametrize("order", ["by reporter", "shuffled"])
def test_row_groups_are_sorted_by_pair_and_period(
    tmp_path: Path, order: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "_HELD", 1)  # rows written at each batch: a row group each
    write_observation_store(_trade(order), tmp_path, batch_size=50)
    (path,) = _files(tmp_path)
    groups = _row_groups(path)
    assert len(groups) == -(-len(_trade(order)) // 50)
    assert all(rows == sorted(rows) for rows in groups)
    if order == "by reporter":  # each row group a few pairs: a scan of one skips the others
        assert all(a[-1] <= b[0] for a, b in itertools.pairwise(groups))


def test_a_long_run_into_one_partition_is_split_into_files(
    tmp_path: Path, dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "_HELD", 1)  # rows written at each batch: a row group each
    first = dataset.all(Observation)[0]
    count = MAX_ROW_GROUPS + 1
    copies = [attrs.evolve(first, id=f"observation:copy-{index}") for index in range(count)]
    write_observation_store(copies, tmp_path, batch_size=1)
    files = _files(tmp_path)
    assert len(files) == 2  # an open file takes so many row groups, then a new one starts
    assert [pq.ParquetFile(path).num_row_groups for path in files] in (
        [MAX_ROW_GROUPS, 1],
        [1, MAX_ROW_GROUPS],
    )
    assert _by_id(scan_observations(tmp_path)) == _by_id(copies)


@given(datasets(), st.data())
def test_a_scan_that_skips_row_groups_finds_every_match(generated: Dataset, data: Any) -> None:
    observations = generated.all(Observation)
    filters: dict[str, str] = {}
    if observations:  # some of the fields of one of them
        chosen = data.draw(st.sampled_from(observations))
        names = data.draw(st.sets(st.sampled_from(["reporter", "partner", "indicator"])))
        filters = {name: getattr(chosen, name) for name in names if getattr(chosen, name)}
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(store_module, "_HELD", 1)  # a row group a batch: many to skip
        try:
            write_observation_store(observations, folder, batch_size=2)
        except ValidationError:  # an amount Parquet cannot hold exactly: another test's
            return
        found = scan_observations(folder, **filters)
        expected = [o for o in observations if all(getattr(o, k) == v for k, v in filters.items())]
        assert _by_id(found) == _by_id(expected)


class _Cycle:
    """An object that refers to itself: garbage only the cyclic collector frees."""

    def __init__(self) -> None:
        self.me = self


def test_cycles_the_input_makes_are_freed_while_it_is_written(
    tmp_path: Path, dataset: Dataset
) -> None:
    first = dataset.all(Observation)[0]
    made: list[weakref.ref[_Cycle]] = []

    def observations() -> Iterator[Observation]:
        for index in range(4 * COLLECT):
            made.append(weakref.ref(_Cycle()))
            yield attrs.evolve(first, id=f"observation:c-{index}")

    write_observation_store(observations(), tmp_path, batch_size=1)
    assert sum(ref() is not None for ref in made) <= COLLECT  # those since the last run


@pytest.mark.parametrize("held", ["at the end", "at each batch"])
def test_a_file_in_the_way_of_a_partition_leaves_the_store_as_it_was(
    store: Path, held: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if held == "at each batch":  # written on the writing thread, and raised on the caller's
        monkeypatch.setattr(store_module, "_HELD", 1)
    before = _files(store)
    manifest = (store / "_manifest.json").read_bytes()
    observations = [*scan_observations(store), bare_observation("new", indicator="indicator:new")]
    (store / "indicator=indicator%3Anew").write_text("in the way")
    with pytest.raises(OSError, match="indicator%3Anew"):
        write_observation_store(observations, store, batch_size=3)
    assert _files(store) == before
    assert (store / "_manifest.json").read_bytes() == manifest


def test_the_manifest_says_what_the_store_refers_to(store: Path, dataset: Dataset) -> None:
    manifest = json.loads((store / "_manifest.json").read_text())
    observations = dataset.all(Observation)
    assert manifest["rows"] == len(observations)
    assert manifest["partition_by"] == ["indicator", "year"]
    assert manifest["indicators"] == sorted({o.indicator for o in observations})
    assert manifest["units"] == sorted({o.unit for o in observations})
    assert manifest["sources"] == sorted({s for o in observations for s in o.sources})
    assert sum(manifest["files"].values()) == len(observations)


def test_a_scan_builds_a_dataset_with_what_it_cites(store: Path, dataset: Dataset) -> None:
    built = scan_dataset(store, indicator="indicator:remittances")
    assert {o.id for o in built.all(Observation)} == {
        o.id for o in dataset.all(Observation) if o.indicator == "indicator:remittances"
    }
    assert built.get("indicator:remittances") == dataset.get("indicator:remittances")
    cited = {s for o in built.all(Observation) for s in o.sources}
    assert all(built.get(source) == dataset.get(source) for source in cited)


@pytest.mark.parametrize(
    "filters",
    [
        {"indicator": "indicator:trade-turnover"},
        {"reporter": "KG", "partner": "RU"},
        {"reporter": "KG", "period": "2024"},
        {"indicator": "indicator:remittances", "period": "2023"},
        {"partner": "ZZ"},
    ],
)
def test_a_scan_yields_what_matches_every_filter(
    store: Path, dataset: Dataset, filters: dict[str, Any]
) -> None:
    def matches(observation: Observation) -> bool:
        period = filters.get("period")
        return all(
            getattr(observation, name) == value
            for name, value in filters.items()
            if name != "period"
        ) and (
            period is None
            or (observation.period is not None and str(observation.period).startswith(period))
        )

    expected = [o for o in dataset.all(Observation) if matches(o)]
    assert _by_id(scan_observations(store, **filters)) == _by_id(expected)


def test_appending_adds_files_and_replacing_keeps_other_partitions(
    store: Path, dataset: Dataset
) -> None:
    observations = dataset.all(Observation)
    before = _files(store)
    write_observation_store(observations[:2], store)
    assert set(before) < set(_files(store))
    assert len(list(scan_observations(store))) == len(observations) + 2
    remittances = [o for o in observations if o.indicator == "indicator:remittances"]
    untouched = [p for p in before if "remittances" not in p.as_posix()]
    stamps = {path: path.stat().st_mtime_ns for path in untouched}
    write_observation_store(remittances, store, mode="replace_partitions")
    assert {p: p.stat().st_mtime_ns for p in untouched} == stamps
    back = list(scan_observations(store, indicator="indicator:remittances"))
    assert _by_id(back) == _by_id(remittances)


def test_a_value_parquet_cannot_hold_leaves_the_store_as_it_was(
    store: Path, dataset: Dataset
) -> None:
    before = _files(store)
    manifest = (store / "_manifest.json").read_bytes()
    bad = attrs.evolve(dataset.all(Observation)[0], value=Decimal("0.0000001"))
    with pytest.raises(ValidationError) as caught:
        write_observation_store([*dataset.all(Observation), bad], store, batch_size=4)
    assert [issue.path for issue in caught.value.issues] == [
        f"$.observations[{len(dataset.all(Observation))}].value"
    ]
    assert _files(store) == before
    assert (store / "_manifest.json").read_bytes() == manifest


# --- a store damaged by hand ---------------------------------------------------------------------


def _rewrite(path: Path, change: Any) -> None:
    table = pq.read_table(path, partitioning=None)
    pq.write_table(change(table), path)


def test_a_wrong_decimal_scale_is_refused_with_the_file(store: Path) -> None:
    path = _files(store)[0]
    index = pq.read_schema(path).get_field_index("value")

    def rescaled(table: Any) -> Any:
        return table.set_column(
            index, "value", table.column("value").cast(pa.decimal128(38, 2), safe=False)
        )

    _rewrite(path, rescaled)
    with pytest.raises(ValidationError) as caught:
        list(scan_observations(store))
    (issue,) = caught.value.issues
    assert path.relative_to(store).as_posix() in issue.message
    assert "value is decimal128(38, 2)" in issue.message


def test_a_bad_country_code_is_refused_with_the_file_and_row(store: Path) -> None:
    path = next(p for p in _files(store) if "trade-turnover/year=2024" in p.as_posix())
    index = pq.read_schema(path).get_field_index("reporter")

    def recoded(table: Any) -> Any:
        codes = table.column("reporter").to_pylist()
        codes[-1] = "XQ"
        return table.set_column(index, "reporter", pa.array(codes, pa.string()))

    _rewrite(path, recoded)
    rows = pq.read_metadata(path).num_rows
    good: list[Observation] = []
    with pytest.raises(ValidationError) as caught:
        good.extend(scan_observations(store))
    (issue,) = caught.value.issues
    assert issue.path == "$.reporter"
    assert f"{path.relative_to(store).as_posix()}, row {rows}:" in issue.message
    assert all(observation.reporter != "XQ" for observation in good)


@pytest.mark.parametrize("days", [3_000_000, -800_000])
def test_a_day_past_the_calendar_is_refused_with_the_file_and_row(store: Path, days: int) -> None:
    # Arrow's date32 reaches far past year 9999, where Python's dates end.
    path = next(p for p in _files(store) if "trade-turnover/year=2024" in p.as_posix())
    index = pq.read_schema(path).get_field_index("period_end")

    def moved(table: Any) -> Any:
        ends = pa.array([days] * table.num_rows, pa.int32()).cast(pa.date32())
        return table.set_column(index, "period_end", ends)

    _rewrite(path, moved)
    with pytest.raises(ValidationError) as caught:
        list(scan_observations(store))
    issue = caught.value.issues[0]
    assert issue.path == "$.period"
    assert f"{path.relative_to(store).as_posix()}, row 1: period_end is {days} days" in (
        issue.message
    )


@pytest.mark.parametrize("damage", ["not parquet", "truncated"])
def test_a_file_that_is_not_parquet_is_refused_with_its_name(store: Path, damage: str) -> None:
    path = next(p for p in _files(store) if "trade-turnover/year=2024" in p.as_posix())
    data = path.read_bytes()
    path.write_bytes(b"not parquet at all" if damage == "not parquet" else data[: len(data) // 2])
    good: list[Observation] = []
    with pytest.raises(ValidationError) as caught:
        good.extend(scan_observations(store))
    (issue,) = caught.value.issues
    assert (
        issue.message
        == f"{path.relative_to(store).as_posix()}: is not a Parquet file that can be read"
    )
    assert good  # the other files' observations come first


def test_a_store_without_its_manifest_is_refused(store: Path) -> None:
    (store / "_manifest.json").unlink()
    with pytest.raises(ValidationError, match=r"_manifest\.json: missing"):
        list(scan_observations(store))


# --- engines read the store as it is -------------------------------------------------------------


def _duckdb_totals(store: Path) -> dict[tuple[str, str, int], Decimal]:
    relation = duckdb.sql(_TRADE_SQL.format(store=store))
    assert relation is not None
    found = relation.fetchall()
    assert all(isinstance(total, Decimal) for *_, total in found)
    return {(r, p, int(y)): t for r, p, y, t in found}


def _totals(dataset: Dataset) -> dict[tuple[str, str, int], Decimal]:
    totals: dict[tuple[str, str, int], Decimal] = {}
    for o in dataset.all(Observation):
        if o.indicator == "indicator:trade-turnover" and o.partner and o.period:
            key = (o.reporter, o.partner, o.period.year)
            totals[key] = totals.get(key, Decimal(0)) + o.value
    return totals


_TRADE_SQL = """
    SELECT reporter, partner, year, sum(value) AS total
    FROM read_parquet('{store}/**/*.parquet', hive_partitioning = true)
    WHERE indicator = 'indicator:trade-turnover' AND partner IS NOT NULL AND year IS NOT NULL
    GROUP BY ALL
"""


def test_duckdb_reads_the_store_with_exact_decimals(store: Path, dataset: Dataset) -> None:
    assert _duckdb_totals(store) == _totals(dataset)


def test_polars_reads_the_store_lazily_with_exact_decimals(store: Path, dataset: Dataset) -> None:
    frame = (
        pl.scan_parquet(f"{store}/**/*.parquet", hive_partitioning=True)
        .filter(pl.col("indicator") == "indicator:trade-turnover")
        .filter(pl.col("partner").is_not_null() & pl.col("year").is_not_null())
        .group_by("reporter", "partner", "year")
        .agg(pl.col("value").sum())
        .collect()
    )
    assert frame.schema["value"] == pl.Decimal(38, 6)
    found = {(r, p, int(y)): v for r, p, y, v in frame.iter_rows()}
    assert found == _totals(dataset)


# dask 2026.8 calls reset_index(inplace=True), which pandas 3.1 deprecates: theirs, not ours.
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index is deprecated")
def test_dask_on_a_local_cluster_totals_as_duckdb_and_the_dataset(
    store: Path, dataset: Dataset
) -> None:
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("dask.distributed")
    with (
        distributed.LocalCluster(n_workers=2, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster),
    ):
        keys = pa.schema([("indicator", pa.string()), ("year", pa.int32())])
        frame = dd.read_parquet(
            store,
            dataset={"partitioning": pads.partitioning(keys, flavor="hive")},
            filters=[("indicator", "==", "indicator:trade-turnover")],
            dtype_backend="pyarrow",
        )
        frame = frame.dropna(subset=["partner", "year"])
        totals = frame.groupby(["reporter", "partner", "year"], observed=True)["value"].sum()
        result = totals.compute()
    found = {(str(r), str(p), int(y)): Decimal(v) for (r, p, y), v in result.items()}
    assert found == _totals(dataset)
    assert found == _duckdb_totals(store)


# --- the command ---------------------------------------------------------------------------------


def test_the_command_exports_a_data_file_to_a_store(tmp_path: Path, dataset: Dataset) -> None:
    data = tmp_path / "data.json"
    save(dataset, data)
    code, out, err = in_process("export", "--to", "store", "--output", tmp_path / "store", data)
    count = len(dataset.all(Observation))
    assert (code, out, err) == (
        0,
        f"wrote {count} observations to {tmp_path / 'store'} (store)\n",
        "",
    )
    built = scan_dataset(tmp_path / "store", indicator="indicator:remittances")
    assert built.get("indicator:remittances") == dataset.get("indicator:remittances")


def test_the_command_exports_json_lines_from_standard_input(
    tmp_path: Path, dataset: Dataset
) -> None:
    observations = dataset.all(Observation)
    write_observations(tmp_path / "in.jsonl", observations)
    target = tmp_path / "store"
    text = (tmp_path / "in.jsonl").read_text()
    result = run("export", "--to", "store", "--observations", "-", "-o", target, stdin=text)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"wrote {len(observations)} observations to {target} (store)\n"
    assert _by_id(scan_observations(target)) == _by_id(observations)


@pytest.mark.parametrize("source", [["--observations", "o.jsonl"], []])
def test_the_command_writes_a_store_to_a_directory_only(source: list[str]) -> None:
    code, out, err = in_process("export", "--to", "store", *source)
    assert (code, out) == (2, "")
    assert err == "kgru-relations: a store is written to a directory: give --output DIRECTORY\n"
