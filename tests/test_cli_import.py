"""kgru-relations import wikidata|ftm: a data file from the field's open data, as a user runs it."""

import datetime as dt
import json
import re
import subprocess
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
from kgru_relations.model import ENTITY_CLASSES

from .test_cli import COMMAND, call, environment, in_process, on_a_terminal
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
    assert "kept apart" not in err  # and keeps nothing apart
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


def test_our_own_ftm_export_merged_back_into_its_origin_adds_nothing(tmp_path: Path) -> None:
    # What FtM cannot hold (a position's kind, say) is a gap the import passes on
    # to the merge, not a second account of the record.
    origin = tmp_path / "origin.json"
    save(load_default(), origin)
    exported = tmp_path / "export.ftm.json"
    assert in_process("export", "--to", "ftm", "-o", exported, origin)[0] == 0
    joined = tmp_path / "joined.json"
    code, _, err = in_process("import", "ftm", exported, "--merge-into", origin, "-o", joined)
    assert code == 0, err
    assert "kept apart" not in err
    assert joined.read_bytes() == origin.read_bytes()


def test_ftm_from_standard_input_to_standard_output() -> None:
    result = call("import", "ftm", "-", stdin=FTM.read_text(encoding="utf-8"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["schema_version"] == 1


def test_progress_shows_on_a_terminal(tmp_path: Path) -> None:
    shown = on_a_terminal("import", "ftm", FTM, "-o", tmp_path / "peps.json", stream="stderr")
    lines = [line for line in FTM.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert f"\r{len(lines):,} entities read" in shown


@pytest.mark.parametrize("origin", ["wikidata", "ftm", "sdmx"])
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


def test_the_wrote_line_counts_every_kind_and_the_total(tmp_path: Path) -> None:
    # Before, it named sources, states, organisations, persons, positions, tenures,
    # memberships and chairmanships, and left out agreements, indicators, figures...
    target = tmp_path / "peps.json"
    code, out, _ = in_process("import", "ftm", FTM, "-o", target)
    assert code == 0
    data = load(target)
    match = re.fullmatch(
        rf"wrote {re.escape(str(target))}: (\d+) entities \((.*)\); \d+ left out\n", out
    )
    assert match is not None, out
    assert int(match[1]) == len(data)
    counted = {kind: int(count) for count, kind in (part.split() for part in match[2].split(", "))}
    assert counted == {
        cls.KIND + ("" if len(data.all(cls)) == 1 else "s"): len(data.all(cls))
        for cls in ENTITY_CLASSES
        if data.all(cls)
    }
    assert sum(counted.values()) == len(data)


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (FTM.read_text(encoding="utf-8").splitlines()[8] + "\n", "1 left out"),  # a Sanction
        ("", "it holds no entities"),
    ],
    ids=["all-left-out", "empty"],
)
def test_an_import_that_imports_nothing_says_so_and_writes_nothing(
    tmp_path: Path, content: str, why: str
) -> None:
    # Before: `wrote out.json: ; 535 left out`, exit 0.
    source = tmp_path / "sanctions.ftm.jsonl"
    source.write_text(content, encoding="utf-8")
    target = tmp_path / "out.json"
    code, out, err = in_process("import", "ftm", source, "-o", target)
    assert (code, out) == (1, "")
    assert err.endswith(
        f"kgru-relations: nothing was imported from {source} ({why}); nothing written\n"
    )
    assert not target.exists()


def test_a_source_that_is_neither_a_file_nor_an_item_id_is_called_both() -> None:
    # Before: `cannot read Q12x: No such file or directory`.
    code, out, err = in_process("import", "wikidata", "Q12x")
    assert (code, out) == (2, "")
    assert err == (
        "kgru-relations: Q12x is not a file, and 'Q12x' is not a Wikidata item id; "
        "expected 'Q' and digits\n"
    )


@pytest.mark.parametrize("position", ["Q853036", "position:q853036"], ids=["theirs", "ours"])
def test_kind_names_a_position_by_its_ftm_id_or_by_ours(tmp_path: Path, position: str) -> None:
    # Before, our own id (position:...) was ignored without a word.
    target = tmp_path / "peps.json"
    code, _, err = in_process(
        "import", "ftm", FTM, "--kind", f"{position}=head_of_state", "-o", target
    )
    assert code == 0, err
    kinds = {p.id: p.kind for p in load(target).all(Position)}
    assert kinds["position:q853036"] is PositionKind.HEAD_OF_STATE
    assert set(kinds.values()) == {PositionKind.HEAD_OF_STATE, PositionKind.OTHER}


@pytest.mark.parametrize("origin", ["ftm", "wikidata"])
@pytest.mark.parametrize("position", ["Q1", "position:nothing"])
def test_a_kind_for_no_imported_position_is_refused(
    tmp_path: Path, origin: str, position: str
) -> None:
    target = tmp_path / "out.json"
    sources = [FTM] if origin == "ftm" else WIKIDATA
    code, out, err = in_process(
        "import", origin, *sources, "--kind", f"{position}=head_of_state", "-o", target
    )
    assert (code, out) == (2, "")
    assert f"kgru-relations: --kind '{position}': no position of the import has this id; " in err
    assert not target.exists()


def test_kind_names_a_wikidata_position_by_our_id(tmp_path: Path) -> None:
    target = tmp_path / "people.json"
    code, _, err = in_process(
        "import", "wikidata", *WIKIDATA, "--kind", "position:q9100001=head_of_state", "-o", target
    )
    assert code == 0, err
    assert load(target).get("position:q9100001", Position).kind is PositionKind.HEAD_OF_STATE


def test_an_import_to_a_full_standard_output_is_one_line_and_exit_2() -> None:
    # Before: `cannot read None: No space left on device`.
    with open("/dev/full", "w", encoding="utf-8") as full:
        result = subprocess.run(
            [str(COMMAND), "import", "ftm", str(FTM)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=120,
            env=environment(),
        )
    assert result.returncode == 2
    assert result.stderr.endswith(
        "kgru-relations: cannot write standard output: No space left on device\n"
    )
    assert "left out: " in result.stderr  # what was left out is still said first


# --- what an import adapted is said, as what it left out is ----------------------------------


def test_ftm_says_what_it_adapted(tmp_path: Path) -> None:
    code, _, err = in_process("import", "ftm", FTM, "-o", tmp_path / "peps.json")
    assert code == 0, err
    assert (
        "kgru-relations: adapted: line 6: $[5].properties.startDate[0]: '2021-10-12T10:30:00' "
        "is a date and time; the day 2021-10-12 is kept"
    ) in err
    assert "adapted: line 3: $[2].properties.country[0]: 'state:kg' (Kyrgyzstan) was created" in err
    assert err.count("kgru-relations: adapted: ") == 6
    # What was left out comes first, then what was adapted, one line each.
    said = [line.split(": ")[1] for line in err.splitlines()]
    assert said == ["left out"] * said.count("left out") + ["adapted"] * 6


def test_wikidata_says_what_it_adapted(tmp_path: Path) -> None:
    parliament = DATA / "wikidata" / "parliament.json"
    code, _, err = in_process(
        "import", "wikidata", parliament, WIKIDATA[2], "-o", tmp_path / "people.json"
    )
    assert code == 0, err
    # A qualifier the model has no field for is kept in the note, and that is said.
    assert (
        f"kgru-relations: adapted: {parliament}: $.entities.Q9000004.claims.P39[0].qualifiers: "
        "P2937, P768, P4100, P1365, P1366, P1545 kept in the note of "
    ) in err
    assert (
        f"adapted: {parliament}: $.entities.Q9000004.labels.mo.language: name 'Тест Бейшенова' "
        "is kept as ro in Cyrl"
    ) in err
