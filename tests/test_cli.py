"""The ``kgru-relations`` command, run as a user runs it.

Most tests call ``main`` in-process (the same parser, handlers and messages,
without starting Python again); a subprocess runs the installed script where
only it proves something: its exit status, a terminal (a pty), standard input
and output as a real process has them.
"""

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import pty
import re
import stat
import subprocess
import sys
import termios
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kgru_relations import dumps, json_schema, load_default, loads
from kgru_relations.cli import DEFAULT_WIDTH, _files, main
from kgru_relations.cli._app import build_parser

from .test_files import feeding

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
    "plot",
    "import",
]


def environment(columns: int | None = None) -> dict[str, str]:
    """The command's environment: ours, with ``COLUMNS`` only if given.

    Built from ``os.environ`` on purpose: a child left to inherit the process
    environment may find a ``COLUMNS`` that ``os.environ`` does not show.
    """
    env = {name: value for name, value in os.environ.items() if name != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = str(columns)
    return env


def run(
    *args: str | Path, stdin: str | None = None, columns: int | None = None
) -> subprocess.CompletedProcess[str]:
    """The installed command, in a process of its own."""
    result = subprocess.run(
        [str(COMMAND), *map(str, args)],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=environment(columns),
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


@contextlib.contextmanager
def _standard_input(text: str | None) -> Iterator[None]:
    if text is None:
        yield
        return
    saved = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8")
    try:
        yield
    finally:
        sys.stdin = saved


@contextlib.contextmanager
def _columns(columns: int | None) -> Iterator[None]:
    saved = os.environ.pop("COLUMNS", None)
    if columns is not None:
        os.environ["COLUMNS"] = str(columns)
    try:
        yield
    finally:
        os.environ.pop("COLUMNS", None)
        if saved is not None:
            os.environ["COLUMNS"] = saved


def call(
    *args: str | Path, stdin: str | None = None, columns: int | None = None
) -> subprocess.CompletedProcess[str]:
    """``main`` in this process, as ``run`` would run the command: its exit code and output.

    Output goes to a pipe's width (``DEFAULT_WIDTH``) unless *columns* sets
    ``COLUMNS``; argparse's help, written to ``sys.stdout``, is caught too.
    """
    out, err = io.StringIO(), io.StringIO()
    argv = [str(arg) for arg in args]
    with (
        _columns(columns),
        _standard_input(stdin),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code = main(argv, out=out)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def in_process(*args: str | Path) -> tuple[int, str, str]:
    """``main`` in this process: (exit code, output, standard error)."""
    result = call(*args)
    return result.returncode, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def _no_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process runs lay out for a pipe: DEFAULT_WIDTH columns, unless a test sets COLUMNS."""
    monkeypatch.delenv("COLUMNS", raising=False)


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
    result = call("summary")
    assert result.returncode == 0
    out = result.stdout
    assert out.startswith("kgru_relations summary, as of 2026-12-31")  # dataset.latest_date
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
    assert all(len(line) <= DEFAULT_WIDTH for line in out.splitlines())
    assert len(out.splitlines()) < 120


def test_summary_judges_findings_as_of_its_day() -> None:
    data = json.loads(call("summary", "--as-of", "2027-03-01", "--format", "json").stdout)
    assert [f["code"] for f in data["findings"]] == [
        "outdated-title",
        "sources-disagree",
        "sources-disagree",
        "observation-discrepancy",
        "observation-discrepancy",
        "agreement-expired-in-force",  # the 2022–2026 programme, still marked in force
    ]


def test_summary_as_of_a_day() -> None:
    out = call("summary", "--as-of", "2025-01-22", columns=120).stdout
    assert "Head of government: Adylbek Kasymaliev (since 2024-12-18)" in out
    assert "Collective Security Treaty Organization: chair Kyrgyzstan" in out
    assert "Secretary General of the CSTO: Imangali Tasmagambetov" in out
    assert "2025-07-27: 25 years since the signing of Declaration on Eternal Friendship" in out


def test_summary_for_programs() -> None:
    data = json.loads(call("summary", "--format", "json").stdout)
    assert data["as_of"] == "2026-12-31"
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
    result = call("summary", path)
    assert result.returncode == 0
    assert "(3 entities, citing 1 sources)" in result.stdout


def test_validate_a_valid_file(tmp_path: Path) -> None:
    path = tmp_path / "kg_ru.json"
    path.write_bytes(dumps(load_default()))
    result = call("validate", path)
    assert (result.returncode, result.stdout) == (0, f"{path}: valid (178 entities)\n")


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
    result = call("validate", path)
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
    result = call("validate", path)
    assert result.returncode == 1
    assert message in result.stdout


def test_validate_a_missing_file_is_an_io_problem(tmp_path: Path) -> None:
    good = write(tmp_path, "good.json", json.dumps(valid_document()))
    result = call("validate", good, tmp_path / "missing.json")
    assert result.returncode == 2
    assert (
        f"{tmp_path / 'missing.json'}: cannot read it: No such file or directory" in result.stdout
    )
    assert f"{good}: valid" in result.stdout


def test_validate_json_lines(tmp_path: Path) -> None:
    record = valid_document()["observations"][0]
    bad = dict(record, id="observation:b", value=2.5)
    path = write(tmp_path, "figures.jsonl", json.dumps(record) + "\n" + json.dumps(bad) + "\n")
    result = call("validate", path)
    assert result.returncode == 1
    assert "line 2: $.value: expected a decimal string" in result.stdout
    good = write(tmp_path, "good.jsonl", json.dumps(record) + "\n")
    assert call("validate", good).stdout == f"{good}: valid (1 observations)\n"


def test_validate_for_programs(tmp_path: Path) -> None:
    document = valid_document()
    document["observations"][0]["reporter"] = "XX"
    path = write(tmp_path, "bad.json", json.dumps(document))
    [report] = json.loads(call("validate", "--format", "json", path).stdout)
    assert report["valid"] is False
    assert report["issues"][0]["path"] == "$.observations[0].reporter"


def test_other_commands_refuse_an_invalid_or_missing_file(tmp_path: Path) -> None:
    document = valid_document()
    document["observations"][0]["reporter"] = "XX"
    path = write(tmp_path, "bad.json", json.dumps(document))
    result = call("check", path)
    assert result.returncode == 1
    assert "$.observations[0].reporter: 'XX' is not" in result.stderr
    missing = call("summary", tmp_path / "none.json")
    assert missing.returncode == 2
    assert "kgru-relations: cannot read" in missing.stderr


def test_check() -> None:
    result = call("check")
    assert result.returncode == 0
    assert result.stdout.count("  - warning:") == 5
    assert [f["code"] for f in json.loads(call("check", "--format", "json").stdout)] == [
        "outdated-title",
        "sources-disagree",
        "sources-disagree",
        "observation-discrepancy",
        "observation-discrepancy",
    ]


def test_find() -> None:
    result = call("find", "Жапаров")
    assert result.returncode == 0
    assert "person:akylbek-japarov" in result.stdout
    assert "person:sadyr-japarov" in result.stdout
    assert json.loads(call("find", "Bishkek", "--format", "json").stdout) == [
        {"id": "state:kg", "kind": "state", "name": "Kyrgyzstan"}
    ]
    assert call("find", "Nobody Atall").returncode == 1


def test_who() -> None:
    result = call("who", "position:kg-cabinet-chairman", "--on", "2024-12-16")
    assert result.returncode == 0
    assert "Akylbek Japarov" in result.stdout
    assert "Adylbek Kasymaliev (acting)" in result.stdout
    missing = call("who", "kg-president", "--on", "2025-01-22")
    assert missing.returncode == 2
    assert "did you mean 'position:kg-president'?" in missing.stderr
    bad_date = call("who", "position:kg-president", "--on", "22.01.2025")
    assert bad_date.returncode == 2
    assert "'22.01.2025' is not a date (YYYY-MM-DD)" in bad_date.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-13-01", "'2025-13-01' is not a real date: month must be 1 to 12 (got 13)"),
        (
            "2025-02-30",
            "'2025-02-30' is not a real date: day 30 is out of range for February 2025 "
            "(it has 28 days)",
        ),
        ("2025-01", "'2025-01' is not a date (YYYY-MM-DD)"),
        # Python's date.fromisoformat reads both; the model refuses both, so the command does.
        ("20250122", "'20250122' is not a date (YYYY-MM-DD)"),
        ("2025-W04-3", "'2025-W04-3' is not a date (YYYY-MM-DD)"),
    ],
)
def test_a_date_that_does_not_exist_says_what_is_wrong(
    text: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: "'2025-13-01' is not a date; write YYYY-MM-DD", which it is.
    assert main(["who", "position:kg-president", "--on", text], out=io.StringIO()) == 2
    assert capsys.readouterr().err.endswith(f"error: argument --on: {message}\n")


def test_agreements() -> None:
    out = call("agreements", "--party", "state:kg", "--in-force-on", "2025-01-22").stdout
    assert "Declaration on Eternal Friendship" in out
    assert "2025–2027" not in out  # signed, not known to be in force
    rows = json.loads(call("agreements", "--kind", "programme", "--format", "json").stdout)
    assert {row["agreement"] for row in rows} == {
        "agreement:ru-kg-mfa-programme-2025-2027",
        "agreement:ru-kg-economic-programme-2022-2026",
    }


def test_series() -> None:
    out = call("series", "trade-turnover", "--reporter", "KG", "--partner", "RU").stdout
    assert "2023    ≈ USD 2.9 bn" in out
    assert "2024    ≈ USD 3.2 bn" in out
    rows = json.loads(
        call(
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
    assert call("series", "nothing", "--reporter", "KG").returncode == 2
    bad_code = call("series", "trade-turnover", "--reporter", "XX")
    assert bad_code.returncode == 2
    assert "'XX' is not an ISO 3166-1 alpha-2 country code" in bad_code.stderr


def test_timeline() -> None:
    reversed_ = call("timeline", "--from", "2025-02-01", "--to", "2025-01-01")
    assert reversed_.returncode == 2
    assert "--to comes before --from" in reversed_.stderr
    out = call("timeline", "--from", "2025-01-22", "--to", "2025-01-22").stdout
    assert "Talks of Sergey Lavrov and Jeenbek Kulubaev (held)" in out
    assert "2000-07-27" not in out


def test_schema() -> None:
    assert json.loads(call("schema").stdout) == json_schema()


def test_export(tmp_path: Path) -> None:
    assert call("export").stdout.encode() == dumps(load_default())
    path = tmp_path / "copy.json"
    result = call("export", "--to", "json", "--output", path)
    assert result.returncode == 0
    assert path.read_bytes() == dumps(load_default())
    failed = call("export", "--output", tmp_path / "no-such-folder" / "x.json")
    assert failed.returncode == 2
    assert "cannot write" in failed.stderr


@pytest.mark.parametrize("subcommand", SUBCOMMANDS)
def test_every_subcommand_has_help_with_an_example(subcommand: str) -> None:
    result = call(subcommand, "--help")
    assert result.returncode == 0
    # One example, or several (a command of commands: one for each).
    assert re.search(rf"examples?:\n  kgru-relations {subcommand} ", result.stdout)


def test_usage_errors_exit_2() -> None:
    assert call().returncode == 2
    assert call("bogus").returncode == 2
    assert call("summary", "--as-of", "yesterday").returncode == 2


def test_a_mistyped_command_gets_a_did_you_mean() -> None:
    result = call("sumary", "--as-of", "2025-01-22")
    assert result.returncode == 2
    assert result.stderr.endswith(
        "kgru-relations: error: 'sumary' is not a command; did you mean 'summary'?\n"
    )
    assert "did you mean 'timeline'?" in call("timline").stderr
    far = call("bogus").stderr
    assert "'bogus' is not a command (choose from summary, validate, check, find," in far


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
        assert all(len(line) <= DEFAULT_WIDTH for line in out.getvalue().splitlines())


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


# --- one way to name the data file; - for standard input and output ------------------------------


def test_every_command_takes_the_data_file_last(tmp_path: Path) -> None:
    # Before, find, who and series took --file FILE and the others FILE.
    path = str(write(tmp_path, "mine.json", json.dumps(valid_document())))
    for argv in [
        ["summary", path],
        ["check", path],
        ["find", "Trade", path],
        ["agreements", path],
        ["series", "t", "--reporter", "KG", path],
        ["timeline", path],
        ["export", path],
    ]:
        result = call(*argv)
        assert (result.returncode, result.stderr) == (0, ""), argv
    assert "indicator:t" in call("find", "Trade", path).stdout
    assert "2024    USD 5" in call("series", "t", "--reporter", "KG", path).stdout
    who = call("who", "indicator:t", "--on", "2024-06-01", path)
    assert who.returncode == 2
    assert "not a position" in who.stderr  # found in the file: the embedded dataset has no such id
    usage = " ".join(call("who", "--help").stdout.split())
    assert "who [-h] [--format {text,json}] --on DATE [--file FILE] POSITION_ID [FILE]" in usage


def test_the_old_file_option_still_works_with_a_note(tmp_path: Path) -> None:
    path = write(tmp_path, "mine.json", json.dumps(valid_document()))
    result = call("find", "Trade", "--file", path)
    assert result.returncode == 0
    assert "indicator:t" in result.stdout
    assert result.stderr == (
        "kgru-relations: --file is deprecated; give the file as FILE, the last argument\n"
    )
    both = call("find", "Trade", path, "--file", path)
    assert both.returncode == 2
    assert "give the data file once: as FILE, not also as --file" in both.stderr


def test_a_dash_reads_the_data_file_from_standard_input() -> None:
    document = json.dumps(valid_document())
    summary = run("summary", "-", stdin=document)  # a real pipe on the real standard input
    assert summary.returncode == 0
    assert "(3 entities, citing 1 sources)" in summary.stdout
    assert "indicator:t" in call("find", "Trade", "-", stdin=document).stdout
    assert call("validate", "-", stdin=document).stdout == "-: valid (3 entities)\n"
    assert call("export", "/dev/stdin", stdin=document).stdout.encode() == dumps(loads(document))
    bad = call("check", "-", stdin="{not json")
    assert bad.returncode == 1
    assert bad.stderr.startswith("kgru-relations: standard input is not a valid data file:\n")


def test_a_dash_in_process_reads_sys_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    document = json.dumps(valid_document()).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(document)))
    out = io.StringIO()
    assert main(["export", "-", "--output", "-"], out=out) == 0
    assert out.getvalue().encode() == dumps(loads(document))


def test_export_to_standard_output_in_a_pipe() -> None:
    # Before, -o /dev/stdout tried to replace the pipe and failed.
    expected = dumps(load_default())
    piped = run("export", "--output", "/dev/stdout")  # the real standard output, a pipe
    assert (piped.returncode, piped.stderr) == (0, "")
    assert piped.stdout.encode() == expected
    dashed = call("export", "--output", "-")
    assert (dashed.returncode, dashed.stderr, dashed.stdout.encode()) == (0, "", expected)


def test_export_refuses_to_replace_what_is_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    targets = [(fifo, "a named pipe (FIFO)")]
    device = tmp_path / "null"
    with contextlib.suppress(PermissionError):  # only root can make one, and only root
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # could replace /dev/null
        targets.append((device, "a character device"))
    for target, kind in targets:
        result = call("export", "-o", target)
        assert result.returncode == 2
        assert result.stderr == (
            f"kgru-relations: cannot write {target}: it is {kind}, not a regular file; "
            "only a regular file is replaced\n"
        )
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(t.name for t, _ in targets)


def test_a_device_as_the_data_file_is_refused_before_it_is_read() -> None:
    # Before: /dev/zero was read until memory ran out, a MemoryError traceback, exit 1.
    for argv in [["summary", "/dev/zero"], ["timeline", "/dev/null"]]:
        result = call(*argv)
        assert result.returncode == 2
        assert result.stderr == (
            f"kgru-relations: cannot read {argv[1]}: it is a character device, not a regular "
            "file; only regular files and pipes are read\n"
        )
    validated = call("validate", "/dev/zero", "/dev/null.jsonl")
    assert validated.returncode == 2
    assert validated.stdout.splitlines() == [
        "/dev/zero: cannot read it: it is a character device, not a regular file; "
        "only regular files and pipes are read",
        "/dev/null.jsonl: cannot read it: No such file or directory",
    ]


def test_json_lines_are_read_from_regular_files_only(tmp_path: Path) -> None:
    fifo = tmp_path / "figures.jsonl"
    os.mkfifo(fifo)
    out = io.StringIO()
    assert main(["validate", str(fifo)], out=out) == 2  # at once: the FIFO is not opened
    assert out.getvalue() == (
        f"{fifo}: cannot read it: JSON Lines are read from regular files only\n"
    )


def test_a_pipe_is_read_and_a_silent_one_given_up_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "incoming.json"
    os.mkfifo(fifo)
    out = io.StringIO()
    with feeding(fifo, json.dumps(valid_document()).encode()):
        assert main(["find", "Trade", str(fifo)], out=out) == 0
    assert "indicator:t" in out.getvalue()
    # Before, a FIFO that nothing writes to kept the command waiting forever.
    monkeypatch.setattr(_files, "pipe_timeout", 0.01)
    assert main(["summary", str(fifo)], out=out) == 2
    assert capsys.readouterr().err == (
        f"kgru-relations: cannot read {fifo}: nothing was written to this pipe for 0.01 seconds\n"
    )


def test_a_symbolic_link_loop_is_one_line_and_exit_2(tmp_path: Path) -> None:
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    one.symlink_to(two)
    two.symlink_to(one)
    read = call("summary", one)
    assert (read.returncode, read.stderr) == (
        2,
        f"kgru-relations: cannot read {one}: Too many levels of symbolic links\n",
    )
    written = call("export", "-o", one)  # before: a RuntimeError traceback
    assert (written.returncode, written.stderr) == (
        2,
        f"kgru-relations: cannot write {one}: Too many levels of symbolic links\n",
    )


# --- tables fit the terminal ----------------------------------------------------------------------


WIDE_COMMANDS = [
    ["summary"],
    ["check"],
    ["agreements"],
    ["series", "trade-turnover", "--reporter", "RU", "--partner", "KG"],
    ["timeline", "--from", "2024-12-01", "--to", "2025-01-31"],
    ["summary", "--help"],
]


@pytest.mark.parametrize("argv", WIDE_COMMANDS, ids=lambda argv: argv[0])
def test_tables_fit_columns(argv: list[str]) -> None:
    # Before, tables were 100 columns wide whatever COLUMNS said.
    narrow = call(*argv, columns=80).stdout
    assert max(len(line) for line in narrow.splitlines()) <= 80
    wide = call(*argv, columns=160).stdout
    if argv[0] != "summary":
        assert max(len(line) for line in wide.splitlines()) > 100
    piped = call(*argv).stdout  # no COLUMNS, not a terminal
    assert max(len(line) for line in piped.splitlines()) <= DEFAULT_WIDTH == 80


def on_a_terminal(
    *args: str | Path, stream: str = "stdout", columns: int = 80, code: int = 0
) -> str:
    """What the command shows on a terminal of *columns* that *stream* goes to; it exits *code*."""
    controller, terminal = pty.openpty()
    termios.tcsetwinsize(terminal, (24, columns))
    streams = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, stream: terminal}
    process = subprocess.Popen(
        [str(COMMAND), *map(str, args)],
        stdout=streams["stdout"],
        stderr=streams["stderr"],
        env=environment(),
    )
    os.close(terminal)
    shown = b""
    with contextlib.suppress(OSError):  # EIO once the command has closed the terminal
        while chunk := os.read(controller, 4096):
            shown += chunk
    os.close(controller)
    assert process.wait(timeout=120) == code
    return shown.decode()


def test_tables_fit_an_80_column_terminal() -> None:
    shown = on_a_terminal("series", "trade-turnover", "--reporter", "RU", "--partner", "KG")
    lines = shown.splitlines()
    assert lines[0].startswith("  period  figure")
    assert max(len(line) for line in lines) <= 80
    assert len(lines) > 4  # the sources wrapped to fit


# --- the other fixes of the command --------------------------------------------------------------


def test_the_timeline_in_json_keeps_the_whole_text() -> None:
    entries = json.loads(call("timeline", "--format", "json").stdout)
    [remark] = [e for e in entries if e["entity"] == "statement:akylbek-japarov-cis-migration"]
    text = load_default().get("statement:akylbek-japarov-cis-migration").text  # type: ignore[attr-defined]
    assert len(text) > 60
    assert remark["what"] == f"Akylbek Japarov: {text}"  # before: cut at 60 with …
    assert not any(entry["what"].endswith("…") for entry in entries)
    table = call("timeline", "--from", "2024-12-12", "--to", "2024-12-12").stdout
    said = " ".join(table.split())  # as wrapped to the width
    assert "Akylbek Japarov: Called for joint mechanisms of selective identity checks so…" in said


@pytest.mark.parametrize("command", ["schema", "export"])
def test_format_is_refused_where_it_would_change_nothing(command: str) -> None:
    # Before, `schema --format text` printed JSON, and `export --format text` JSON too.
    result = call(command, "--format", "text")
    assert result.returncode == 2
    assert "unrecognized arguments: --format" in result.stderr
    assert "--format" not in call(command, "--help").stdout


def test_a_series_that_finds_nothing_says_what_there_is(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = io.StringIO()
    assert main(["series", "trade-turnover", "--reporter", "KG"], out=out) == 0
    assert out.getvalue() == "  (none)\n"
    assert capsys.readouterr().err == (
        "kgru-relations: KG reports no actual figures of Trade turnover without a partner; "
        "it has figures for --reporter KG --partner RU (actual, target); "
        "--reporter RU --partner KG (actual)\n"
    )
    assert main(["series", "remittances", "--reporter", "RU", "--format", "json"], out=out) == 0
    assert capsys.readouterr().err.startswith(
        "kgru-relations: RU reports no actual figures of Remittances received without a "
        "partner; it has figures for --reporter KG (no partner) (actual)"
    )


def test_a_series_of_an_indicator_with_no_figures(tmp_path: Path) -> None:
    document = valid_document()
    document["indicators"].append({"id": "indicator:u", "names": [{"text": "Unused"}]})
    path = write(tmp_path, "mine.json", json.dumps(document))
    result = call("series", "u", "--reporter", "kgz", "--partner", "ru", path)
    assert result.returncode == 0
    assert result.stderr == (
        "kgru-relations: KG reports no actual figures of Unused with --partner RU; "
        "the dataset has no figures of it at all\n"
    )


EXPIRING = {
    "schema_version": 1,
    "sources": [{"id": "source:s", "title": "S"}],
    "states": [
        {"id": "state:kg", "code": "KG", "names": [{"text": "Kyrgyzstan"}], "sources": ["source:s"]}
    ],
    "agreements": [
        {
            "id": "agreement:a",
            "names": [{"text": "Programme"}],
            "kind": "programme",
            "status": "in_force",
            "parties": ["state:kg"],
            "signed": "2020-01-10",
            "validity": "2020/2024-03",
            "sources": ["source:s"],
        }
    ],
    "events": [
        {
            "id": "event:e",
            "names": [{"text": "Talks"}],
            "kind": "talks",
            "status": "held",
            "date": "2024",
            "sources": ["source:s"],
        }
    ],
}


def test_summary_and_check_judge_on_the_same_default_day(tmp_path: Path) -> None:
    # The latest fact is dated 2024: it may fall on any day up to 2024-12-31, the
    # day check() judges on. Before, the summary judged on 2024-01-01, when the
    # programme (valid to March 2024) had not yet run out, and said nothing.
    path = write(tmp_path, "expiring.json", json.dumps(EXPIRING))
    assert loads(path.read_bytes()).latest_date == dt.date(2024, 12, 31)
    summary = json.loads(call("summary", "--format", "json", path).stdout)
    check = json.loads(call("check", "--format", "json", path).stdout)
    assert summary["as_of"] == "2024-12-31"
    assert summary["findings"] == check
    assert [finding["code"] for finding in check] == ["agreement-expired-in-force"]
    assert summary["agreements"][0]["in_force_on_day"] is False
    rows = json.loads(call("agreements", "--format", "json", path).stdout)
    assert rows[0]["in_force_on_day"] is False


def test_a_dataset_with_no_dated_fact_is_described_as_of_today(tmp_path: Path) -> None:
    path = write(tmp_path, "undated.json", json.dumps(valid_document() | {"observations": []}))
    before = dt.date.today().isoformat()
    as_of = json.loads(call("summary", "--format", "json", path).stdout)["as_of"]
    assert as_of in {before, dt.date.today().isoformat()}


def test_every_option_has_help_text() -> None:
    parser = build_parser()
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for name, subparser in [("", parser), *commands.choices.items()]:
        for action in subparser._actions:
            if action.option_strings:
                assert action.help, (name, action.option_strings)
                assert action.help != argparse.SUPPRESS, (name, action.option_strings)


# --- an 80-column terminal: help and tables fit, at word boundaries, ids whole ------------------


def _commands(parser: argparse.ArgumentParser, above: list[str]) -> Iterator[list[str]]:
    """Every command under *parser* (named by *above*), itself first, to any depth."""
    yield above
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, command in action.choices.items():
                yield from _commands(command, [*above, name])


HELPS = list(_commands(build_parser(), []))  # a new command is among them by being added


def _parser_of(argv: list[str]) -> argparse.ArgumentParser:
    parser = build_parser()
    for name in argv:
        [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        parser = commands.choices[name]
    return parser


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("argv", HELPS, ids=lambda argv: " ".join(argv) or "kgru-relations")
@pytest.mark.parametrize("columns", [80, None], ids=["COLUMNS=80", "piped"])
def test_every_help_fits_80_columns_and_wraps_at_spaces(
    argv: list[str], columns: int | None
) -> None:
    # Before, plot --help and import --help broke words ("Nothing i|s merged"), the
    # agreements usage line was 109 characters and some examples 83 and 89.
    shown = call(*argv, "--help", columns=columns).stdout
    assert max(len(line) for line in shown.splitlines()) <= 80
    parser = _parser_of(argv)
    said = _words(shown)
    assert parser.description
    assert _words(parser.description) in said  # every word whole, none broken
    for action in parser._actions:
        if action.help and "%" not in action.help:
            assert _words(action.help) in said, action.help
    assert parser.epilog
    for example in parser.epilog.splitlines()[1:]:
        assert f"{example}\n" in shown  # as written, on a line of its own
        assert len(example) <= 80


def _unbroken(text: str) -> None:
    """Every entity id in *text* is one the embedded dataset has: none was cut at a hyphen."""
    ids = {entity.id for entity in load_default()}
    kinds = "|".join(sorted({entity_id.partition(":")[0] for entity_id in ids}))
    found = re.findall(rf"\b(?:{kinds}):[a-z0-9-]*[a-z0-9]", text)
    assert found
    assert set(found) <= ids, set(found) - ids


def test_findings_never_break_an_id() -> None:
    # Before: `source:kun-` / `uz-2022-04-22`, which cannot be copied.
    for columns in (40, 80, None):
        shown = call("check", columns=columns).stdout
        _unbroken(shown)
        assert "source:kun-uz-2022-04-22" in shown


@pytest.mark.parametrize(
    "argv",
    [["plot", "--help"], ["import", "ftm", "--help"], ["agreements", "--help"], ["check"]],
    ids=" ".join,
)
def test_help_and_tables_fit_an_80_column_terminal_at_word_boundaries(argv: list[str]) -> None:
    shown = on_a_terminal(*argv)
    assert max(len(line) for line in shown.splitlines()) <= 80
    if argv[-1] == "--help":
        assert _words(_parser_of(argv[:-1]).description or "") in _words(shown)
    else:
        _unbroken(shown)


def test_piped_output_fits_80_columns() -> None:
    # Before, always 100 columns: `kgru-relations summary | head` wrapped every row.
    result = run("summary")  # standard output is a pipe; COLUMNS is not set
    assert result.returncode == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


# --- timeline windows of a year, a quarter, a month -----------------------------------------------


@pytest.mark.parametrize(
    ("window", "days"),
    [
        (("2024", "2024"), ("2024-01-01", "2024-12-31")),
        (("2024-Q4", "2025-Q1"), ("2024-10-01", "2025-03-31")),
        (("2024-12", "2025-01"), ("2024-12-01", "2025-01-31")),
        (("2024-12-16", "2025-01"), ("2024-12-16", "2025-01-31")),
    ],
)
def test_a_timeline_window_may_be_a_year_a_quarter_or_a_month(
    window: tuple[str, str], days: tuple[str, str]
) -> None:
    # Before, `timeline --from 2022` was refused.
    by_window = call("timeline", "--from", window[0], "--to", window[1], "--format", "json")
    by_days = call("timeline", "--from", days[0], "--to", days[1], "--format", "json")
    assert by_window.returncode == 0, by_window.stderr
    assert json.loads(by_window.stdout) == json.loads(by_days.stdout) != []


def test_a_window_that_is_no_date_is_refused_with_why() -> None:
    result = call("timeline", "--from", "2024-13")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.endswith(
        "argument --from: '2024-13' is not a real date: month must be 1 to 12 (got 13)\n"
    )
    assert call("timeline", "--to", "20241231").returncode == 2


# --- the output and the input, when they are not there ------------------------------------------


@pytest.mark.parametrize(
    ("argv", "buffered"),
    [
        (["export"], True),
        (["export"], False),
        (["summary", "--help"], False),
        (["check", "--format", "json"], True),
    ],
    ids=["export", "export-unbuffered", "help", "check"],
)
def test_a_full_standard_output_is_one_line_and_exit_2(argv: list[str], buffered: bool) -> None:
    # Before: a traceback ending in `OSError: [Errno 28] No space left on device`,
    # or (for --help, where argparse drops the error) nothing at all and exit 0.
    env = environment()
    env.pop("PYTHONUNBUFFERED", None)
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    with open("/dev/full", "w", encoding="utf-8") as full:
        result = subprocess.run(
            [str(COMMAND), *argv],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=120,
            env=env,
        )
    assert (result.returncode, result.stderr) == (
        2,
        "kgru-relations: cannot write standard output: No space left on device\n",
    )


def test_an_output_stream_that_fails_in_process_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with open("/dev/full", "w", encoding="utf-8") as full:
        assert main(["summary"], out=full) == 2
    assert capsys.readouterr().err == (
        "kgru-relations: cannot write the output: No space left on device\n"
    )


def test_standard_input_closed_is_one_line_and_exit_2() -> None:
    # Before: AttributeError: 'NoneType' object has no attribute 'buffer'.
    for argv, stdout, stderr in [
        (["validate", "-"], "-: cannot read it: it is closed\n", ""),
        (["summary", "-"], "", "kgru-relations: cannot read standard input: it is closed\n"),
    ]:
        result = subprocess.run(
            ["sh", "-c", 'exec "$0" "$@" 0<&-', str(COMMAND), *argv],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
            env=environment(),
        )
        assert (result.returncode, result.stdout, result.stderr) == (2, stdout, stderr)


def test_a_write_error_names_the_path_asked_for(tmp_path: Path) -> None:
    # The file grows past what the process may write (as on a full disk): the
    # message names the file the user asked for, not the hidden temporary file.
    import resource  # noqa: PLC0415 - POSIX only, as the command's atomic writes are

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.RLIM_INFINITY))

    target = tmp_path / "copy.json"
    result = subprocess.run(
        [str(COMMAND), "export", "--output", str(target)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=environment(),
        preexec_fn=small_files,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"kgru-relations: cannot write {target}: File too large\n"
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind
    # A folder where no file can be made: the temporary file is what fails to be
    # created, and the message still names the file asked for.
    made = call("export", "--output", "/proc/kg_ru.json")
    assert (made.returncode, made.stderr) == (
        2,
        "kgru-relations: cannot write /proc/kg_ru.json: No such file or directory\n",
    )
