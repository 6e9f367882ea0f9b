"""``kgru-relations export``: every format, written as a user asks for it, and read back."""

import json
import sys
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest

from kgru_relations import (
    Dataset,
    Name,
    Person,
    Source,
    dumps,
    load_default,
    write_observations,
)
from kgru_relations.interop.ftm import check_ftm, to_ftm
from kgru_relations.interop.popolo import check_popolo, to_popolo
from kgru_relations.interop.tables import TABLES, rows
from kgru_relations.model import Observation

from .test_cli import call, in_process, on_a_terminal, run


def test_ftm_is_json_lines_of_the_entities_to_ftm_gives_and_passes_the_strict_check() -> None:
    result = call("export", "--to", "ftm")
    assert result.returncode == 0, result.stderr
    entities = [json.loads(line) for line in result.stdout.splitlines()]
    assert entities == list(to_ftm(load_default()))
    check_ftm(entities)


def test_ftm_and_popolo_to_a_file(tmp_path: Path) -> None:
    ftm = tmp_path / "kg_ru.ftm.jsonl"
    assert (
        call("export", "--to", "ftm", "-o", ftm).stdout == f"wrote {ftm} (ftm, one entity a line)\n"
    )
    assert [json.loads(line) for line in ftm.read_text().splitlines()] == list(
        to_ftm(load_default())
    )
    popolo = tmp_path / "kg_ru.popolo.json"
    assert (
        call("export", "--to", "popolo", "--output", popolo).stdout == f"wrote {popolo} (popolo)\n"
    )
    document = json.loads(popolo.read_text())
    assert document == to_popolo(load_default())
    check_popolo(document)


def test_popolo_to_standard_output_is_the_document() -> None:
    result = call("export", "--to", "popolo")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == to_popolo(load_default())


def test_csv_and_parquet_write_one_file_a_table(tmp_path: Path) -> None:
    dataset = load_default()
    result = call("export", "--to", "csv", "--output", tmp_path / "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"wrote {tmp_path / 'csv' / t}.csv" for t in TABLES]
    for table in TABLES:
        lines = (tmp_path / "csv" / f"{table}.csv").read_text(encoding="utf-8").splitlines()
        assert len(lines) == 1 + len(list(rows(dataset, table)))  # a header, then each row
    result = call("export", "--to", "parquet", "--output", tmp_path / "parquet")
    assert result.returncode == 0, result.stderr
    for table in TABLES:
        read = pq.read_table(tmp_path / "parquet" / f"{table}.parquet")
        assert read.num_rows == len(list(rows(dataset, table)))


@pytest.mark.parametrize("to", ["csv", "parquet"])
def test_tables_need_a_directory(to: str) -> None:
    result = call("export", "--to", to)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"kgru-relations: {to} writes one file per table: give --output DIRECTORY\n"
    )


def test_a_missing_extra_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("pyarrow", "pyarrow.parquet"):  # as if pyarrow were not installed
        monkeypatch.setitem(sys.modules, name, None)
    code, out, err = in_process("export", "--to", "parquet", "-o", tmp_path)
    assert (code, out) == (2, "")
    assert err == (
        "kgru-relations: writing Parquet needs pyarrow: pip install 'kgru-relations[parquet]'\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_dataset_that_cannot_be_said_in_ftm_is_refused_with_its_path(tmp_path: Path) -> None:
    # Valid here, but its FtM id would be longer than FollowTheMoney allows.
    source = Source(id="source:s", title="S")
    person = Person(id="person:" + "x" * 200, names=[Name("X")], sources=["source:s"])
    data = tmp_path / "long.json"
    data.write_bytes(dumps(Dataset([source, person])))
    target = tmp_path / "out.jsonl"
    code, out, err = in_process("export", "--to", "ftm", "-o", target, data)
    assert (code, out) == (1, "")
    assert err.startswith("kgru-relations: cannot export as ftm:\n  $.persons[0].id: ")
    assert "too long for FollowTheMoney" in err
    assert not target.exists()  # nothing half-written


def observations_file(tmp_path: Path, copies: int) -> tuple[Path, list[Observation]]:
    observations = list(load_default().all(Observation)) * copies
    path = tmp_path / "observations.jsonl"
    write_observations(path, observations)
    return path, observations


def test_json_lines_of_observations_become_one_parquet_file(tmp_path: Path) -> None:
    source, observations = observations_file(tmp_path, 3)
    target = tmp_path / "observations.parquet"
    result = call("export", "--to", "parquet", "--observations", source, "-o", target)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"wrote {len(observations)} observations to {target} (parquet)\n"
    assert result.stderr == ""  # no progress where nobody watches
    table = pq.read_table(target)
    assert table.column("id").to_pylist() == [o.id for o in observations]
    assert table.column("value").to_pylist() == [Decimal(o.value) for o in observations]


def test_progress_shows_on_a_terminal(tmp_path: Path) -> None:
    source, observations = observations_file(tmp_path, 2)
    target = tmp_path / "observations.parquet"
    shown = on_a_terminal(
        "export", "--to", "parquet", "--observations", source, "-o", target, stream="stderr"
    )
    assert shown.endswith(f"\r{len(observations):,} observations written\r\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "csv"], "--observations converts JSON Lines to Parquet: add --to parquet"),
        (["--to", "parquet"], "Parquet is written to a file: give --output PATH"),
        (
            ["--to", "parquet", "-o", "x.parquet", "data.json"],
            "give either FILE or --observations, not both",
        ),
    ],
)
def test_observations_need_parquet_a_target_and_no_file(args: list[str], message: str) -> None:
    result = call("export", "--observations", "o.jsonl", *args)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"kgru-relations: {message}\n"


def test_a_bad_line_of_observations_is_reported_with_the_file(tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text('{"id": "observation:x"}\n', encoding="utf-8")
    target = tmp_path / "out.parquet"
    result = call("export", "--to", "parquet", "--observations", source, "-o", target)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith(f"kgru-relations: {source} is not valid:\n  ")
    assert not target.exists()


def test_a_missing_observations_file_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.jsonl"
    result = call("export", "--to", "parquet", "--observations", missing, "-o", tmp_path / "o.pq")
    assert result.returncode == 2
    assert result.stderr.startswith(f"kgru-relations: cannot convert {missing}: ")


def test_observations_from_standard_input(tmp_path: Path) -> None:
    source, observations = observations_file(tmp_path, 1)
    target = tmp_path / "observations.parquet"
    result = run(
        "export", "--to", "parquet", "--observations", "-", "-o", target, stdin=source.read_text()
    )
    assert result.returncode == 0, result.stderr
    assert pq.read_table(target).column("id").to_pylist() == [o.id for o in observations]


def test_a_failure_after_progress_starts_on_its_own_line(tmp_path: Path) -> None:
    # More than one batch, so a count is shown before the bad last line is read.
    source, _ = observations_file(tmp_path, 50_000 // 14 + 1)
    with source.open("a", encoding="utf-8") as lines:
        lines.write('{"id": "observation:broken"}\n')
    shown = on_a_terminal(
        "export",
        "--to",
        "parquet",
        "--observations",
        source,
        "-o",
        tmp_path / "o.parquet",
        stream="stderr",
        code=1,
    )
    assert "observations written\r\nkgru-relations: " in shown, shown[-300:]
