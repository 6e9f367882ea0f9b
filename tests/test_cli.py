"""End to end: the installed ``kgru-relations`` command, run as a user runs it."""

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kgru_relations import dumps, json_schema, load_default
from kgru_relations.cli import main

COMMAND = Path(sys.executable).parent / "kgru-relations"
SUBCOMMANDS = [
    "summary",
    "validate",
    "check",
    "find",
    "who",
    "agreements",
    "series",
    "timeline",
    "schema",
    "export",
]


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(COMMAND), *map(str, args)], capture_output=True, text=True, check=False, timeout=120
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def valid_document() -> dict[str, Any]:
    return {
        "schema_version": 1,
        "sources": [{"id": "source:s", "title": "S"}],
        "indicators": [{"id": "indicator:t", "names": [{"text": "Trade"}]}],
        "observations": [
            {
                "id": "observation:a",
                "indicator": "indicator:t",
                "reporter": "KG",
                "period": "2024",
                "value": "5",
                "unit": "USD",
                "sources": ["source:s"],
            }
        ],
    }


def test_the_command_is_installed() -> None:
    assert COMMAND.exists()
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("kgru-relations ")


def test_summary_of_the_embedded_dataset() -> None:
    result = run("summary")
    assert result.returncode == 0
    out = result.stdout
    assert out.startswith("kgru_relations summary, as of 2026-01-01")
    for expected in [
        "Head of state:      Sadyr Japarov (since 2021-01-28)",
        "Foreign minister:   Sergey Lavrov (since 2004-03-09)",
        "Collective Security Treaty Organization: chair Russia",
        "Armenia (suspended)",
        "Secretary General of the CSTO: Taalatbek Masadykov",
        "Declaration on Eternal Friendship",
        "≈ USD 3.2 bn",
        "≈ USD 4.1 bn",
        "> USD 2.5 bn",
        "64.0% of the USD 5 bn target (USD 3.2 bn in 2024)",
        "source 'source:article' (published 2025-01-22) reports statement",
        "ratio 1.28",
    ]:
        assert expected in out, expected
    assert all(len(line) <= 100 for line in out.splitlines())
    assert len(out.splitlines()) < 100


def test_summary_judges_findings_as_of_its_day() -> None:
    data = json.loads(run("summary", "--as-of", "2027-03-01", "--format", "json").stdout)
    assert [f["code"] for f in data["findings"]] == [
        "outdated-title",
        "sources-disagree",
        "sources-disagree",
        "observation-discrepancy",
        "observation-discrepancy",
        "agreement-expired-in-force",  # the 2022–2026 programme, still marked in force
    ]


def test_summary_as_of_a_day() -> None:
    out = run("summary", "--as-of", "2025-01-22").stdout
    assert "Head of government: Adylbek Kasymaliev (since 2024-12-18)" in out
    assert "Collective Security Treaty Organization: chair Kyrgyzstan" in out
    assert "Secretary General of the CSTO: Imangali Tasmagambetov" in out
    assert "2025-07-27: 25 years since the signing of Declaration on Eternal Friendship" in out


def test_summary_for_programs() -> None:
    data = json.loads(run("summary", "--format", "json").stdout)
    assert data["as_of"] == "2026-01-01"
    assert [p["percent"] for p in data["progress"]] == ["64.0"]
    assert [f["code"] for f in data["findings"]] == [
        "outdated-title",
        "sources-disagree",
        "sources-disagree",
        "observation-discrepancy",
        "observation-discrepancy",
    ]


def test_summary_of_a_file(tmp_path: Path) -> None:
    path = write(tmp_path, "mine.json", json.dumps(valid_document()))
    result = run("summary", path)
    assert result.returncode == 0
    assert "(3 entities, citing 1 sources)" in result.stdout


def test_validate_a_valid_file(tmp_path: Path) -> None:
    path = tmp_path / "kg_ru.json"
    path.write_bytes(dumps(load_default()))
    result = run("validate", path)
    assert (result.returncode, result.stdout) == (0, f"{path}: valid (176 entities)\n")


BAD_FILES = [
    (
        "country",
        lambda d: d["observations"][0].update(reporter="XX"),
        "$.observations[0].reporter: 'XX' is not an ISO 3166-1 alpha-2 country code",
    ),
    (
        "negative",
        lambda d: d["observations"][0].update(value="-5"),
        "$.observations[0].value: must not be negative (got '-5')",
    ),
    (
        "date",
        lambda d: d["observations"][0].update(period="2025-02-30"),
        "$.observations[0].period: '2025-02-30' is not a real date",
    ),
    (
        "unknown-key",
        lambda d: d["observations"][0].update(colour="red"),
        "$.observations[0].colour: unknown key",
    ),
    (
        "dangling",
        lambda d: d["observations"][0].update(indicator="indicator:nothing"),
        "$.observations[0].indicator: no indicator with id 'indicator:nothing'",
    ),
]


@pytest.mark.parametrize(("name", "damage", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_validate_names_each_problem_with_its_path(
    tmp_path: Path, name: str, damage: Any, message: str
) -> None:
    document = valid_document()
    damage(document)
    path = write(tmp_path, f"{name}.json", json.dumps(document))
    result = run("validate", path)
    assert result.returncode == 1
    assert f"{path}: 1 problem\n" in result.stdout
    assert f"  {message}" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "line 1, column 2: $: not valid JSON"),
        ("", "$: the input is empty; expected a JSON object"),
        (b"\xff\xfe", "$: the input is not UTF-8 text"),
        ("[]", "$: expected a data file (a JSON object), got a list"),
    ],
)
def test_validate_files_that_are_not_data_files(
    tmp_path: Path, content: str | bytes, message: str
) -> None:
    path = write(tmp_path, "bad.json", content)
    result = run("validate", path)
    assert result.returncode == 1
    assert message in result.stdout


def test_validate_a_missing_file_is_an_io_problem(tmp_path: Path) -> None:
    good = write(tmp_path, "good.json", json.dumps(valid_document()))
    result = run("validate", good, tmp_path / "missing.json")
    assert result.returncode == 2
    assert (
        f"{tmp_path / 'missing.json'}: cannot read it: No such file or directory" in result.stdout
    )
    assert f"{good}: valid" in result.stdout


def test_validate_json_lines(tmp_path: Path) -> None:
    record = valid_document()["observations"][0]
    bad = dict(record, id="observation:b", value=2.5)
    path = write(tmp_path, "figures.jsonl", json.dumps(record) + "\n" + json.dumps(bad) + "\n")
    result = run("validate", path)
    assert result.returncode == 1
    assert "line 2: $.value: expected a decimal string" in result.stdout
    good = write(tmp_path, "good.jsonl", json.dumps(record) + "\n")
    assert run("validate", good).stdout == f"{good}: valid (1 observations)\n"


def test_validate_for_programs(tmp_path: Path) -> None:
    document = valid_document()
    document["observations"][0]["reporter"] = "XX"
    path = write(tmp_path, "bad.json", json.dumps(document))
    [report] = json.loads(run("validate", "--format", "json", path).stdout)
    assert report["valid"] is False
    assert report["issues"][0]["path"] == "$.observations[0].reporter"


def test_other_commands_refuse_an_invalid_or_missing_file(tmp_path: Path) -> None:
    document = valid_document()
    document["observations"][0]["reporter"] = "XX"
    path = write(tmp_path, "bad.json", json.dumps(document))
    result = run("check", path)
    assert result.returncode == 1
    assert "$.observations[0].reporter: 'XX' is not" in result.stderr
    missing = run("summary", tmp_path / "none.json")
    assert missing.returncode == 2
    assert "kgru-relations: cannot read" in missing.stderr


def test_check() -> None:
    result = run("check")
    assert result.returncode == 0
    assert result.stdout.count("  - warning:") == 5
    assert [f["code"] for f in json.loads(run("check", "--format", "json").stdout)] == [
        "outdated-title",
        "sources-disagree",
        "sources-disagree",
        "observation-discrepancy",
        "observation-discrepancy",
    ]


def test_find() -> None:
    result = run("find", "Жапаров")
    assert result.returncode == 0
    assert "person:akylbek-japarov" in result.stdout
    assert "person:sadyr-japarov" in result.stdout
    assert json.loads(run("find", "Bishkek", "--format", "json").stdout) == [
        {"id": "state:kg", "kind": "state", "name": "Kyrgyzstan"}
    ]
    assert run("find", "Nobody Atall").returncode == 1


def test_who() -> None:
    result = run("who", "position:kg-cabinet-chairman", "--on", "2024-12-16")
    assert result.returncode == 0
    assert "Akylbek Japarov" in result.stdout
    assert "Adylbek Kasymaliev (acting)" in result.stdout
    missing = run("who", "kg-president", "--on", "2025-01-22")
    assert missing.returncode == 2
    assert "did you mean 'position:kg-president'?" in missing.stderr
    bad_date = run("who", "position:kg-president", "--on", "22.01.2025")
    assert bad_date.returncode == 2
    assert "'22.01.2025' is not a date; write YYYY-MM-DD" in bad_date.stderr


def test_agreements() -> None:
    out = run("agreements", "--party", "state:kg", "--in-force-on", "2025-01-22").stdout
    assert "Declaration on Eternal Friendship" in out
    assert "2025–2027" not in out  # signed, not known to be in force
    rows = json.loads(run("agreements", "--kind", "programme", "--format", "json").stdout)
    assert {row["agreement"] for row in rows} == {
        "agreement:ru-kg-mfa-programme-2025-2027",
        "agreement:ru-kg-economic-programme-2022-2026",
    }


def test_series() -> None:
    out = run("series", "trade-turnover", "--reporter", "KG", "--partner", "RU").stdout
    assert "2023    ≈ USD 2.9 bn" in out
    assert "2024    ≈ USD 3.2 bn" in out
    rows = json.loads(
        run(
            "series",
            "indicator:trade-turnover",
            "--reporter",
            "RU",
            "--partner",
            "KG",
            "--format",
            "json",
        ).stdout
    )
    assert [row["value"] for row in rows] == ["4100000000"]
    assert run("series", "nothing", "--reporter", "KG").returncode == 2
    bad_code = run("series", "trade-turnover", "--reporter", "XX")
    assert bad_code.returncode == 2
    assert "'XX' is not an ISO 3166-1 alpha-2 country code" in bad_code.stderr


def test_timeline() -> None:
    reversed_ = run("timeline", "--from", "2025-02-01", "--to", "2025-01-01")
    assert reversed_.returncode == 2
    assert "--to comes before --from" in reversed_.stderr
    out = run("timeline", "--from", "2025-01-22", "--to", "2025-01-22").stdout
    assert "Talks of Sergey Lavrov and Jeenbek Kulubaev (held)" in out
    assert "2000-07-27" not in out


def test_schema() -> None:
    assert json.loads(run("schema").stdout) == json_schema()


def test_export(tmp_path: Path) -> None:
    assert run("export").stdout.encode() == dumps(load_default())
    path = tmp_path / "copy.json"
    result = run("export", "--to", "json", "--output", path)
    assert result.returncode == 0
    assert path.read_bytes() == dumps(load_default())
    failed = run("export", "--output", tmp_path / "no-such-folder" / "x.json")
    assert failed.returncode == 2
    assert "cannot write" in failed.stderr


@pytest.mark.parametrize("subcommand", SUBCOMMANDS)
def test_every_subcommand_has_help_with_an_example(subcommand: str) -> None:
    result = run(subcommand, "--help")
    assert result.returncode == 0
    assert "example:\n  kgru-relations " + subcommand in result.stdout


def test_usage_errors_exit_2() -> None:
    assert run().returncode == 2
    assert run("bogus").returncode == 2
    assert run("summary", "--as-of", "yesterday").returncode == 2


def test_python_m_is_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kgru_relations", "check", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert len(json.loads(result.stdout)) == 5


# --- the same commands in-process, so coverage sees the code they run ---------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["summary"],
        ["summary", "--as-of", "2025-01-22", "--format", "json"],
        ["check", "--as-of", "2030-01-01"],
        ["find", "CSTO", "--format", "json"],
        ["who", "position:ru-president", "--on", "2010-01-01", "--format", "json"],
        ["agreements", "--status", "in_force"],
        ["agreements", "--party", "state:am", "--format", "json"],
        ["series", "remittances", "--reporter", "KG", "--format", "json"],
        ["series", "trade-turnover", "--reporter", "KG", "--partner", "RU", "--kind", "target"],
        ["timeline", "--from", "2025-01-01", "--format", "json"],
        ["schema"],
        ["export"],
    ],
)
def test_commands_in_process(argv: list[str]) -> None:
    out = io.StringIO()
    assert main(argv, out=out) == 0
    assert out.getvalue().strip()
    tables = "json" not in argv and argv[0] not in {"schema", "export"}
    if tables:
        assert all(len(line) <= 100 for line in out.getvalue().splitlines())


def test_in_process_failures_and_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    empty = write(tmp_path, "empty.json", json.dumps({"schema_version": 1}))
    assert main(["summary", str(empty)], out=out) == 0
    assert "Progress against targets\n  (none)" in out.getvalue()
    assert "Consistency findings\n  (none)" in out.getvalue()
    assert main(["validate", str(empty), str(tmp_path / "nope.json")], out=out) == 2
    assert main(["agreements", "--party", "state:nowhere"], out=out) == 2
    assert "no entity with id 'state:nowhere'" in capsys.readouterr().err
    assert main(["find", "zzzz"], out=out) == 1
    assert main(["--version"], out=out) == 0
    assert main(["summary", "--as-of", "nope"], out=out) == 2
    target = tmp_path / "out.json"
    assert main(["export", "--output", str(target)], out=out) == 0
    assert target.read_bytes() == dumps(load_default())


def test_a_target_without_actual_figures(tmp_path: Path) -> None:
    document = valid_document()
    document["observations"][0].update(kind="target", reporter="KZ")
    path = write(tmp_path, "target.json", json.dumps(document))
    out = io.StringIO()
    assert main(["summary", str(path)], out=out) == 0
    assert "Trade KZ: target USD 5; no actual figure yet" in out.getvalue()
