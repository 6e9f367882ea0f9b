"""``kgru-relations plot``: pictures written as a user asks for them."""

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kgru_relations import dumps, load_default

from .test_cli import call, environment, in_process

PNG = b"\x89PNG\r\n\x1a\n"


def svg_ids(path: Path) -> set[str | None]:
    root = ET.parse(path).getroot()  # well-formed, or this raises
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return {element.get("id") for element in root.iter()}


def test_a_series_as_svg_and_as_png(tmp_path: Path) -> None:
    svg = tmp_path / "trade.svg"
    result = call(
        "plot", "series", "trade-turnover", "--reporter", "KG", "--partner", "RU", "-o", svg
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, f"wrote {svg} (svg)\n", "")
    ids = svg_ids(svg)
    assert {"observation:trade-kg-ru-2024-kg", "observation:trade-ru-kg-2024-ru"} <= ids
    assert "observation:trade-kg-ru-target" in ids
    png = tmp_path / "trade.PNG"
    code, out, err = in_process(
        "plot",
        "series",
        "indicator:trade-turnover",
        "--reporter",
        "KGZ",
        "--partner",
        "RUS",
        "--output",
        png,
    )
    assert (code, out, err) == (0, f"wrote {png} (png)\n", "")
    assert png.read_bytes().startswith(PNG)
    assert png.stat().st_size > 10_000


def test_tenures_as_png_and_svg_from_a_data_file_given_last(tmp_path: Path) -> None:
    data = tmp_path / "data.json"
    data.write_bytes(dumps(load_default()))
    png = tmp_path / "offices.png"
    code, out, _ = in_process("plot", "tenures", "--start", "2020-01-01", "-o", png, data)
    assert (code, out) == (0, f"wrote {png} (png)\n")
    assert png.read_bytes().startswith(PNG)
    svg = tmp_path / "presidents.svg"
    code, _, _ = in_process(
        "plot",
        "tenures",
        data,
        "--position",
        "position:kg-president",
        "--position",
        "position:ru-president",
        "--end",
        "2010-12-31",
        "-o",
        svg,
    )
    assert code == 0
    ids = svg_ids(svg)
    assert {"tenure:sadyr-japarov-president", "tenure:putin-president-2000"} - ids == {
        "tenure:sadyr-japarov-president"  # began in 2021, after the end asked for
    }
    assert "tenure:lavrov-foreign-minister" not in ids


def test_an_existing_picture_is_replaced_whole(tmp_path: Path) -> None:
    svg = tmp_path / "chairs.svg"
    svg.write_text("old")
    code, _, _ = in_process("plot", "tenures", "--organization", "organization:csto", "-o", svg)
    assert code == 0
    assert "chairmanship:csto-2025" in svg_ids(svg)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["chairs.svg"]  # no temporaries


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["tenures", "-o", "x.pdf"],
            "--output 'x.pdf': name a picture ending in .svg or .png, to say which to draw",
        ),
        (
            ["tenures", "--position", "kg-president", "-o", "x.svg"],
            "no position with id 'kg-president'; did you mean 'position:kg-president'?",
        ),
        (
            ["tenures", "--start", "2021-01-01", "--end", "2020-01-01", "-o", "x.svg"],
            "--end comes before --start: the end 2020-01-01 is before the start 2021-01-01",
        ),
        (
            ["series", "trade-turnover", "--reporter", "XX", "-o", "x.svg"],
            "'XX' is not an ISO 3166-1 alpha-2 country code",
        ),
        (
            ["series", "trade", "--reporter", "KG", "-o", "x.svg"],
            "no indicator with id 'indicator:trade'",
        ),
    ],
)
def test_usage_problems_are_one_line_and_exit_2(
    tmp_path: Path, arguments: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = in_process("plot", *arguments)
    assert (code, out, err) == (2, "", f"kgru-relations: {message}\n")
    assert list(tmp_path.iterdir()) == []


def test_nothing_to_draw_exits_1(tmp_path: Path) -> None:
    target = tmp_path / "x.svg"
    code, out, err = in_process(
        "plot", "series", "trade-turnover", "--reporter", "RU", "-o", target
    )
    assert (code, out) == (1, "")
    assert err == (  # and which figures there are, as the series command says
        "kgru-relations: no figures of Trade turnover with a period for Russia to draw; "
        "it has figures for --reporter RU --partner KG (actual); "
        "--reporter KG --partner RU (actual, target)\n"
    )
    assert not target.exists()


def test_an_output_that_cannot_be_written_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "x.svg"
    code, _, err = in_process("plot", "tenures", "-o", target)
    assert code == 2
    assert err == f"kgru-relations: cannot write {target}: No such file or directory\n"


def test_plot_needs_a_picture_and_each_has_help_with_an_example() -> None:
    result = call("plot")
    assert result.returncode == 2
    assert "PICTURE" in result.stderr
    for picture in ("series", "tenures"):
        result = call("plot", picture, "--help")
        assert result.returncode == 0
        assert f"example:\n  kgru-relations plot {picture}" in result.stdout
    assert "pip install 'kgru-relations[plot]'" in call("plot", "--help").stdout


# Run in a fresh interpreter where matplotlib cannot be found, however it is installed.
_WITHOUT_MATPLOTLIB = """
import importlib.abc, sys

class NoMatplotlib(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "matplotlib":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NoMatplotlib())
from kgru_relations.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize(
    "arguments",
    [
        ["tenures"],
        ["series", "trade-turnover", "--reporter", "KG", "--partner", "RU"],
    ],
)
def test_without_the_extra_one_line_names_it_and_exit_2(
    tmp_path: Path, arguments: list[str]
) -> None:
    target = tmp_path / "picture.svg"
    result = subprocess.run(
        [sys.executable, "-c", _WITHOUT_MATPLOTLIB, "plot", *arguments, "-o", str(target)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=environment(),
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "kgru-relations: drawing pictures needs matplotlib: pip install 'kgru-relations[plot]'\n"
    )
    assert not target.exists()


def test_nothing_to_draw_gives_the_hint_the_series_command_gives(tmp_path: Path) -> None:
    # Before, `plot series --reporter UZ` said only "no figures ... to draw".
    target = tmp_path / "x.svg"
    code, _, drawn = in_process(
        "plot", "series", "trade-turnover", "--reporter", "UZ", "-o", target
    )
    assert code == 1
    listed = call("series", "trade-turnover", "--reporter", "UZ").stderr
    hint = "; it has figures for --reporter KG --partner RU (actual, target);"
    assert hint in listed
    assert drawn.partition("; ")[2] == listed.partition("; ")[2] != ""
    assert not target.exists()
