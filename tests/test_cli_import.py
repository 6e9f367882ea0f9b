"""kgru-relations import wikidata|ftm: a data file from the field's open data, as a user runs it."""

import datetime as dt
import json
from pathlib import Path

import pytest

from kgru_relations import (
    UNKNOWN,
    PartialDate,
    Person,
    Position,
    PositionKind,
    Tenure,
    load,
    load_default,
    save,
)

from .test_cli import call, in_process, on_a_terminal
from .test_interop_wikidata import _Handler, server  # noqa: F401 - the local Wikidata

DATA = Path(__file__).parent / "data"
WIKIDATA = [DATA / "wikidata" / f"{name}.json" for name in ("persons", "positions", "states")]
FTM = DATA / "ftm" / "peps.ftm.jsonl"


def test_wikidata_files_become_a_valid_data_file_and_what_is_left_out_is_listed(
    tmp_path: Path,
) -> None:
    target = tmp_path / "people.json"
    code, out, err = in_process("import", "wikidata", *WIKIDATA, "--output", target)
    assert code == 0, err
    data = load(target)
    assert data.validate() == []
    assert out == (
        f"wrote {target}: 19 entities (8 sources, 1 state, 2 persons, 3 positions, "
        "5 tenures); 2 left out\n"
    )
    # Each thing left out is named with the file it was in and its path there.
    persons = WIKIDATA[0]
    assert f"left out: {persons}: $.entities.Q9000001.claims.P39[3].rank: a deprecated" in err
    assert err.count("left out: ") == 2
    # An end Wikidata gives as "unknown value" is unknown, not "still in office".
    [ended] = [t for t in data.all(Tenure) if t.period.end is UNKNOWN]
    assert str(ended.period).endswith("/")


def test_item_ids_are_fetched_with_the_offices_and_states_they_need(
    tmp_path: Path,
    server: str,  # noqa: F811 - the fixture
) -> None:
    target = tmp_path / "people.json"
    code, _, err = in_process(
        "import", "wikidata", "Q9000001", "Q9000002", "--endpoint", server, "-o", target
    )
    assert code == 0, err
    asked = [batch for batch, _ in _Handler.seen]
    assert asked[0] == "Q9000001|Q9000002"  # the people, then what they name
    assert len(asked) >= 2
    data = load(target)
    assert data.validate() == []
    assert {p.wikidata for p in data.all(Person)} == {"Q9000001", "Q9000002"}
    assert "(fetched): $" in err  # what is left out says which item it was in


def test_offline_is_one_line_and_exit_2() -> None:
    code, out, err = in_process(
        "import", "wikidata", "Q1", "--endpoint", "http://127.0.0.1:9/w/api.php"
    )
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert "are you offline?" in err


def test_a_file_that_is_not_wikidata_json_is_refused_with_its_place(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"entities": {"Q1": {"id": "Q1", "claims": "none"}}}))
    code, out, err = in_process("import", "wikidata", bad, "-o", tmp_path / "out.json")
    assert (code, out) == (1, "")
    assert f"{bad}: $.entities.Q1.claims" in err
    assert not (tmp_path / "out.json").exists()
    code, _, err = in_process("import", "wikidata", tmp_path / "missing.json")
    assert code == 2
    assert "cannot read" in err
    (tmp_path / "text.json").write_text("not json")
    code, _, err = in_process("import", "wikidata", tmp_path / "text.json")
    assert code == 1
    assert "is not JSON" in err


def test_an_import_joins_a_data_file_by_wikidata_id(tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    assert in_process("import", "wikidata", *WIKIDATA, "-o", first)[0] == 0
    again = tmp_path / "again.json"
    code, _, err = in_process("import", "wikidata", *WIKIDATA, "--merge-into", first, "-o", again)
    assert code == 0, err
    assert list(load(again)) == list(load(first))  # the same import adds nothing
    # Into the embedded dataset: its people stay, the import's join them.
    embedded = tmp_path / "embedded.json"
    save(load_default(), embedded)
    joined = tmp_path / "joined.json"
    code, _, err = in_process(
        "import", "wikidata", *WIKIDATA, "--merge-into", embedded, "-o", joined
    )
    assert code == 0, err
    data = load(joined)
    assert len(data.all(Person)) == len(load_default().all(Person)) + 2
    assert data.validate() == []


def test_ftm_json_lines_become_a_valid_data_file(tmp_path: Path) -> None:
    target = tmp_path / "peps.json"
    code, out, err = in_process("import", "ftm", FTM, "--output", target)
    assert code == 0, err
    data = load(target)
    assert data.validate() == []
    assert out.startswith(f"wrote {target}: ")
    assert "left out: line 9: $[8].schema: 'Sanction' entities are not imported" in err


def test_ftm_from_standard_input_to_standard_output() -> None:
    result = call("import", "ftm", "-", stdin=FTM.read_text(encoding="utf-8"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["schema_version"] == 1


def test_progress_shows_on_a_terminal(tmp_path: Path) -> None:
    shown = on_a_terminal("import", "ftm", FTM, "-o", tmp_path / "peps.json", stream="stderr")
    lines = [line for line in FTM.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert f"\r{len(lines):,} entities read" in shown


@pytest.mark.parametrize("origin", ["wikidata", "ftm"])
def test_help_names_the_sources(origin: str) -> None:
    result = call("import", origin, "--help")
    assert result.returncode == 0
    assert "--merge-into" in result.stdout


def test_kind_names_an_office_and_a_kind_that_is_not_one_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "people.json"
    code, _, err = in_process(
        "import", "wikidata", *WIKIDATA, "--kind", "Q9100001=head_of_state", "-o", target
    )
    assert code == 0, err
    president = load(target).get("position:q9100001", Position)
    assert president.kind is PositionKind.HEAD_OF_STATE
    code, _, err = in_process("import", "wikidata", *WIKIDATA, "--kind", "Q9100001=boss")
    assert code == 2
    assert "'Q9100001=boss': write ID=KIND, KIND one of head_of_state" in err


def test_who_names_a_possible_holder_apart_from_the_sure_ones(tmp_path: Path) -> None:
    target = tmp_path / "people.json"
    assert in_process("import", "wikidata", *WIKIDATA, "-o", target)[0] == 0
    data = load(target)
    [ended] = [t for t in data.all(Tenure) if t.period.end is UNKNOWN]
    start = ended.period.start
    assert isinstance(start, PartialDate)
    later = start.latest + dt.timedelta(days=30)  # before the next holder came
    args = ("who", ended.position, "--on", later.isoformat(), target)
    code, out, _ = in_process(*args, "--format", "json")
    assert code == 0
    shown = json.loads(out)
    assert ended.id not in [row["tenure"] for row in shown["holders"]]
    assert [row["tenure"] for row in shown["possible_holders"]] == [ended.id]
    code, out, _ = in_process(*args)
    assert "Possibly also (a tenure that ended or began on a day not recorded):" in out
    assert str(ended.period) in out.split("Possibly also")[1]
