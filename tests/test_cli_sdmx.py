"""kgru-relations import sdmx: economic figures from the messages statisticians publish."""

import sys
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from kgru_relations import (
    Dataset,
    Indicator,
    Name,
    Observation,
    ObservationKind,
    load,
    load_default,
    loads,
    save,
)

from .test_cli import call, in_process

SDMX = Path(__file__).parent / "data" / "sdmx"
IMTS = SDMX / "imf-imts-kg-ru.json"  # SDMX-JSON
DOTS = SDMX / "imf-dots-kg-ru.xml"  # SDMX-ML, read through sdmx1
WDI = SDMX / "wb-remittances.csv"  # SDMX-CSV, alpha-3 codes, one row with no unit
EXPORTS = "indicator:imf-imts-a.xg_fob_usd"


def test_messages_become_a_valid_data_file_with_exact_values(tmp_path: Path) -> None:
    target = tmp_path / "figures.json"
    code, out, err = in_process("import", "sdmx", IMTS, WDI, "--output", target)
    assert code == 0, err
    data = load(target)
    assert data.validate() == []
    assert out == (
        f"wrote {target}: 18 entities (2 sources, 3 indicators, 13 observations); 7 left out\n"
    )
    # 2061.2 millions (UNIT_MULT 6) is exactly 2061200000, never a float's 2061199999.99...
    values = {(o.indicator, o.reporter, str(o.period)): o.value for o in data.all(Observation)}
    assert values["indicator:imf-imts-a.mg_cif_usd", "KG", "2021"] == Decimal("2061200000")
    assert values[EXPORTS, "RU", "2021"] == Decimal("2891600000")  # Russia's account
    remittances = "indicator:wb-wdi-a.bx_trf_pwkr_cd_dt"
    assert values[remittances, "KG", "2023"] == Decimal("2532021000")  # KGZ, alpha-3
    # Each thing left out is named with the file it was in and its path there.
    assert (
        f'left out: {IMTS}: $.dataSets[0].series["0:1:0:1"].observations["1"]: '
        "a missing value (null) is left out, never read as zero\n"
    ) in err
    assert f"left out: {WDI}: $[4].REF_AREA: the reporter 'WLD' is not a state" in err
    assert err.count("left out: ") == 7


def test_an_option_is_named_as_the_command_spells_it(tmp_path: Path) -> None:
    # The import's own words say `unit=`; at the command line it is --unit.
    code, _, err = in_process("import", "sdmx", WDI, "-o", tmp_path / "a.json")
    assert code == 0, err
    assert "the message gives no unit (UNIT_MEASURE, CURRENCY or UNIT); pass --unit to " in err
    assert "unit=" not in err
    target = tmp_path / "b.json"
    code, _, err = in_process("import", "sdmx", WDI, "--unit", "percent", "-o", target)
    assert code == 0, err
    assert "pass --unit" not in err
    assert {o.unit for o in load(target).all(Observation)} == {"USD", "percent"}


def test_a_unit_that_is_not_one_is_refused_before_anything_is_read() -> None:
    code, out, err = in_process("import", "sdmx", "missing.csv", "--unit", "US dollars")
    assert (code, out) == (2, "")
    assert "argument --unit: 'US dollars' is not a unit; expected an ISO 4217" in err


def test_the_reporter_dimension_can_be_named(tmp_path: Path) -> None:
    message = write_csv(tmp_path, "DATAFLOW,FREQ,ECON,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE\n")
    code, out, err = in_process("import", "sdmx", message)
    assert (code, out) == (1, "")
    assert "name the dimension with --reporter-dimension\n" in err
    target = tmp_path / "out.json"
    code, _, err = in_process(
        "import", "sdmx", message, "--reporter-dimension", "ECON", "-o", target
    )
    assert code == 0, err
    [observation] = load(target).all(Observation)
    assert (observation.reporter, observation.value) == ("KG", Decimal("5"))


def write_csv(tmp_path: Path, header: str) -> Path:
    """An SDMX-CSV message of one figure, 5 USD for KG in 2024, under *header*."""
    path = tmp_path / "message.csv"
    path.write_text(header + "X:FLOW(1.0),A,KG,2024,5,USD\n", encoding="utf-8")
    return path


def test_sdmx_ml_from_standard_input_to_standard_output() -> None:
    result = call("import", "sdmx", "-", stdin=DOTS.read_text(encoding="utf-8"))
    assert result.returncode == 0, result.stderr
    assert loads(result.stdout).all(Observation)
    assert "left out: standard input: $.DataSet[0].Series[0].Obs[2]: a missing value" in (
        result.stderr
    )


def test_standard_input_is_read_once() -> None:
    code, out, err = in_process("import", "sdmx", "-", "--structure", "-")
    assert (code, out) == (2, "")
    assert err == (
        "kgru-relations: standard input can be read once: give - once, as FILE or --structure\n"
    )


def test_the_import_joins_a_data_file_and_the_series_answers(tmp_path: Path) -> None:
    embedded = tmp_path / "kg_ru.json"
    save(load_default(), embedded)
    joined = tmp_path / "joined.json"
    code, _, err = in_process("import", "sdmx", IMTS, "--merge-into", embedded, "-o", joined)
    assert code == 0, err
    data = load(joined)
    assert data.validate() == []
    assert len(data.all(Indicator)) == len(load_default().all(Indicator)) + 2
    exports = [(str(o.period), o.value) for o in data.series(EXPORTS, "KG", "RU")]
    assert exports == [
        ("2021", Decimal("353400000")),
        ("2022", Decimal("914500000")),
        ("2023", Decimal("636300000")),
    ]
    [estimate] = data.series(EXPORTS, "KG", "RU", kind="estimate")
    assert estimate.kind is ObservationKind.ESTIMATE  # OBS_STATUS E
    # The same import again adds nothing.
    again = tmp_path / "again.json"
    code, _, err = in_process("import", "sdmx", IMTS, "--merge-into", joined, "-o", again)
    assert code == 0, err
    assert list(load(again)) == list(data)


def test_a_file_that_is_not_a_message_is_refused_with_its_name(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"data": 1}', encoding="utf-8")
    target = tmp_path / "out.json"
    code, out, err = in_process("import", "sdmx", IMTS, bad, "-o", target)
    assert (code, out) == (1, "")
    assert err.startswith("kgru-relations: cannot import from sdmx:\n")
    assert f"\n  {bad}: $" in err
    assert str(IMTS) not in err  # the good file has no problem to report
    assert not target.exists()
    code, out, err = in_process("import", "sdmx", tmp_path / "missing.csv")
    assert (code, out) == (2, "")
    assert (
        err
        == f"kgru-relations: cannot read {tmp_path / 'missing.csv'}: No such file or directory\n"
    )


def test_a_message_of_aggregates_only_imports_nothing_and_says_so(tmp_path: Path) -> None:
    world = tmp_path / "world.csv"
    lines = WDI.read_text(encoding="utf-8").splitlines()
    world.write_text(f"{lines[0]}\n{lines[4]}\n", encoding="utf-8")  # WLD only
    code, out, err = in_process("import", "sdmx", world, "-o", tmp_path / "out.json")
    assert (code, out) == (1, "")
    assert err.endswith(
        f"kgru-relations: nothing was imported from {world} (1 left out); nothing written\n"
    )
    assert not (tmp_path / "out.json").exists()


def test_sdmx_ml_without_the_extra_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "sdmx", None)  # as if sdmx1 were not installed
    code, out, err = in_process("import", "sdmx", DOTS, "-o", tmp_path / "out.json")
    assert (code, out) == (2, "")
    assert err == "kgru-relations: reading SDMX-ML needs sdmx: pip install 'kgru-relations[sdmx]'\n"
    # SDMX-JSON and SDMX-CSV need nothing more.
    assert in_process("import", "sdmx", IMTS, "-o", tmp_path / "out.json")[0] == 0


def test_what_was_adapted_is_said_with_its_file(tmp_path: Path) -> None:
    code, _, err = in_process("import", "sdmx", IMTS, "-o", tmp_path / "out.json")
    assert code == 0, err
    assert (
        f'kgru-relations: adapted: {IMTS}: $.dataSets[0].series["0:0:0:0"].DECIMALS_DISPLAYED: '
        "'DECIMALS_DISPLAYED' says how to display the values, not a multiplier; the values are "
        "as given\n"
    ) in err
    assert "OBS_STATUS 'P' (provisional value) is kept in the note" in err


def test_what_was_adapted_is_bounded_as_what_was_left_out(tmp_path: Path) -> None:
    # 25 provisional figures: 25 notes, of which the first 20 are shown, then how many more.
    rows = "".join(f"X:FLOW(1.0),A,KG,{year},5,USD,P\n" for year in range(2000, 2025))
    message = tmp_path / "provisional.csv"
    header = "DATAFLOW,FREQ,REF_AREA,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,OBS_STATUS\n"
    message.write_text(header + rows, encoding="utf-8")
    code, _, err = in_process("import", "sdmx", message, "-o", tmp_path / "out.json")
    assert code == 0, err
    lines = err.splitlines()
    assert sum(line.startswith("kgru-relations: adapted: ") for line in lines) == 20
    assert lines[-1] == "kgru-relations: ... and 5 more adapted"
    assert len(load(tmp_path / "out.json").all(Observation)) == 25


def test_merge_into_lists_what_it_kept_apart_and_why(tmp_path: Path) -> None:
    # 25 figures of one series; our file names its indicator otherwise, so the
    # import's indicator is kept beside ours, and its 25 figures with it.
    rows = "".join(f"X:FLOW(1.0),A,KG,{year},5,USD\n" for year in range(2000, 2025))
    message = tmp_path / "figures.csv"
    message.write_text(
        "DATAFLOW,FREQ,REF_AREA,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE\n" + rows, encoding="utf-8"
    )
    ours = tmp_path / "ours.json"
    code, _, err = in_process("import", "sdmx", message, "-o", ours)
    assert code == 0, err
    assert "kept apart" not in err
    data = load(ours)
    [indicator] = data.all(Indicator)
    renamed = attrs.evolve(indicator, names=[Name("Figures, as we call them")])
    save(Dataset([renamed if entity is indicator else entity for entity in data]), ours)
    joined = tmp_path / "joined.json"
    code, _, err = in_process("import", "sdmx", message, "--merge-into", ours, "-o", joined)
    assert code == 0, err
    said = [line for line in err.splitlines() if "kept apart" in line]
    assert said[0] == (
        f"kgru-relations: kept apart: '{indicator.id}' kept as '{indicator.id}-2' beside "
        f"'{indicator.id}': they disagree on names"
    )
    assert said[1].endswith("': they disagree on indicator")  # its figures follow it
    assert said[1:20] == [line for line in said[1:20] if "kept as 'observation:" in line]
    assert said[20:] == ["kgru-relations: ... and 6 more kept apart"]  # 26, as left out is
    merged = load(joined)
    assert merged.validate() == []
    assert len(merged.series(f"{indicator.id}-2", "KG")) == 25
    # Merged again into what it made, the import adds nothing and keeps nothing apart.
    again = tmp_path / "again.json"
    code, _, err = in_process("import", "sdmx", message, "--merge-into", joined, "-o", again)
    assert code == 0, err
    assert "kept apart" not in err
    assert list(load(again)) == list(merged)
