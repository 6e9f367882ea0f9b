"""The docs-site checkers CI runs on every built site (.ci/check_site.py, .ci/check_browser.py)."""

from __future__ import annotations

import html
import importlib.util
import re
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

_SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "check_site.py"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, _SCRIPT.with_name(f"{name}.py"))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


check_site = _load("check_site")
check_browser = _load("check_browser")  # imports playwright only when it opens a browser
check_links: Callable[[Path], list[str]] = check_site.check_links
check_reference: Callable[[Path], list[str]] = check_site.check_reference
check_enum_members: Callable[[Path], list[str]] = check_site.check_enum_members
check_home: Callable[..., list[str]] = check_site.check_home
PYPROJECT: Path = check_site.PYPROJECT
main: Callable[[list[str]], int] = check_site.main

_STYLE = '<link rel="stylesheet" href="{up}assets/style.css">'


def _write(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><head>{body}</head></html>", encoding="utf-8")


def _class(cls: str, fields: dict[str, str]) -> str:
    """A class as mkdocstrings renders it: heading, signature, fields table."""
    signature = ", ".join(
        f'<span class="n">{name}</span><span class="p">:</span> int' for name in fields
    )
    cells = {
        name: "<em>required</em>" if default == "required" else f"<code>{default}</code>"
        for name, default in fields.items()
    }
    rows = "".join(
        f"<tr><td><code>{name}</code></td><td>int</td><td>About {name}.</td><td>{cell}</td></tr>"
        for name, cell in cells.items()
    )
    return (
        f'<div class="doc doc-object"><h3 id="{cls}" class="doc doc-heading">X '
        f'<a href="#{cls}" class="headerlink">&para;</a></h3>'
        f'<div class="doc-signature highlight"><pre><code>X(*, {signature})</code></pre></div>'
        "<div><p>Fields:</p><table><thead><tr><th>Name</th><th>Type</th>"
        f"<th>Description</th><th>Default</th></tr></thead><tbody>{rows}</tbody></table></div>"
        "</div>"
    )


def _dependencies(pyproject: Path = PYPROJECT) -> list[str]:
    """The names of the project's runtime dependencies, as pyproject.toml lists them."""
    with pyproject.open("rb") as file:
        requirements: list[str] = tomllib.load(file)["project"]["dependencies"]
    return [re.split(r"[^A-Za-z0-9._-]", requirement)[0] for requirement in requirements]


def _enum(cls: str, members: dict[str, str], bases: str = "enum.Enum") -> str:
    """An enum class as mkdocstrings renders it: its bases, each member with its tags."""
    shown = "".join(
        f'<div class="doc doc-object doc-attribute"><h4 id="{cls}.{name}" class="doc doc-heading">'
        f'<span class="doc doc-object-name">{name}</span><span class="doc doc-labels">'
        + "".join(
            f'<small class="doc doc-label doc-label-{tag}"><code>{tag}</code></small>'
            for tag in tags.split()
        )
        + "</span></h4></div>"
        for name, tags in members.items()
    )
    return (
        f'<div class="doc doc-object doc-class"><h3 id="{cls}" class="doc doc-heading">X</h3>'
        f'<div class="doc doc-contents"><p class="doc doc-class-bases">Bases: '
        f'<code><span title="{bases}">{bases}</span></code></p>{shown}</div></div>'
    )


_FIELDS = {
    "id": "required",
    "names": "required",
    "sources": "required",
    "confidence": "Confidence.VERIFIED",
    "note": "None",
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small site that passes: links to pages, directories, anchors and assets."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "style.css").write_text("", encoding="utf-8")
    _write(
        tmp_path / "index.html",
        _STYLE.format(up="")
        + '<a href="guide/">Guide</a> <a href="guide/#install">Install</a>'
        + '<a href="#top" id="top">Top</a> <a href="https://example.org/#x">Elsewhere</a>'
        + '<a href="mailto:someone@example.org">Mail</a> <a name="old-anchor"></a>'
        + '<a href="reference/model-actors/index.html#kgru_relations.model.actors.Person">P</a>'
        + f"<p>Its dependencies are {', '.join(_dependencies())}.</p>",
    )
    _write(
        tmp_path / "guide" / "index.html",
        _STYLE.format(up="../")
        + '<h2 id="install">Install</h2> <a href="../#old-anchor">Back</a>'
        + '<a href="../guide/index.html#install">Here</a> <a href="../">Home</a>',
    )
    _write(
        tmp_path / "reference" / "model-actors" / "index.html",
        _STYLE.format(up="../../")
        + _class("kgru_relations.model.actors.State", _FIELDS)
        + _class("kgru_relations.model.actors.Person", _FIELDS)
        + _enum("kgru_relations.model.actors.Kind", {"HEAD": "", "OTHER": ""})
        + _enum("kgru_relations.model.actors.Plain", {"count": "class-attribute"}, "object"),
    )
    return tmp_path


def test_a_good_site_passes(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check_links(site) == []
    assert check_reference(site) == []
    assert check_enum_members(site) == []
    assert check_home(site) == []
    assert main([str(site)]) == 0
    assert capsys.readouterr().out == "3 pages checked, 0 problems\n"


def test_a_link_to_a_missing_page_is_reported(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(site / "about" / "index.html", '<a href="../guide/setup/">Setup</a>')
    assert check_links(site) == [
        "about/index.html: link '../guide/setup/' points to a missing file"
    ]
    assert main([str(site)]) == 1
    assert "1 problem\n" in capsys.readouterr().out


def test_a_link_to_a_missing_asset_is_reported(site: Path) -> None:
    (site / "assets" / "style.css").unlink()
    assert len(check_links(site)) == 3  # one per page


def test_a_link_outside_the_site_is_reported(site: Path) -> None:
    (site.parent / "outside.html").write_text("", encoding="utf-8")
    _write(site / "about.html", '<a href="../outside.html">Out</a>')
    assert check_links(site) == ["about.html: link '../outside.html' points to a missing file"]


def test_a_link_to_a_missing_anchor_is_reported(site: Path) -> None:
    _write(site / "about.html", '<a href="guide/#installing">Install</a> <a href="#nowhere">?</a>')
    assert check_links(site) == [
        "about.html: link 'guide/#installing': no id 'installing' in guide/index.html",
        "about.html: link '#nowhere': no id 'nowhere' in about.html",
    ]


def test_an_inherited_field_missing_from_the_reference_is_reported(site: Path) -> None:
    fields = {name: default for name, default in _FIELDS.items() if name != "note"}
    _write(
        site / "reference" / "model-actors" / "index.html",
        _class("kgru_relations.model.actors.State", _FIELDS)
        + _class("kgru_relations.model.actors.Person", fields),
    )
    page = "reference/model-actors/index.html: kgru_relations.model.actors.Person"
    assert check_reference(site) == [
        f"{page} signature lacks 'note'",
        f"{page} fields table lacks 'note'",
    ]


def test_a_required_field_not_marked_required_is_reported(site: Path) -> None:
    _write(
        site / "reference" / "model-actors" / "index.html",
        _class("kgru_relations.model.actors.State", _FIELDS | {"sources": "()"})
        + _class("kgru_relations.model.actors.Person", _FIELDS),
    )
    assert check_reference(site) == [
        "reference/model-actors/index.html: kgru_relations.model.actors.State field "
        "'sources' shows '()' as its default, not 'required'"
    ]


def test_a_reference_page_without_the_classes_is_reported(site: Path) -> None:
    _write(site / "reference" / "model-actors" / "index.html", "<p>Nothing here.</p>")
    assert check_reference(site) == [
        "reference/model-actors/index.html: no heading 'kgru_relations.model.actors.State'",
        "reference/model-actors/index.html: no heading 'kgru_relations.model.actors.Person'",
    ]
    (site / "reference" / "model-actors" / "index.html").unlink()
    assert check_reference(site) == ["reference/model-actors/index.html: missing"]


def test_a_usage_error_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main([str(tmp_path / "no-such-site")]) == 2
    assert "usage: check_site.py SITE_DIR" in capsys.readouterr().err


def test_the_hosted_docs_build_the_site_ci_checks() -> None:
    """Read the Docs installs the docs extra and builds mkdocs.yml, strictly."""
    root = _SCRIPT.parent.parent
    lines = {line.strip() for line in (root / ".readthedocs.yaml").read_text().splitlines()}
    assert {"version: 2", "path: .", "- docs", "configuration: mkdocs.yml"} <= lines
    assert "fail_on_warning: true" in lines
    with (root / "pyproject.toml").open("rb") as file:
        docs = tomllib.load(file)["project"]["optional-dependencies"]["docs"]
    assert {"mkdocs>=1.6,<2", "properdocs>=1.6.7"} <= set(docs)


def test_an_enum_member_tagged_as_an_attribute_is_reported(site: Path) -> None:
    _write(
        site / "reference" / "names.html",
        _enum("kgru_relations.names.NameKind", {"ALIAS": "class-attribute instance-attribute"})
        + _enum("kgru_relations.names.Script", {"LATIN": "instance-attribute"}, "enum.StrEnum")
        + _enum("kgru_relations.names.Name", {"text": "instance-attribute"}, "builtins.object"),
    )
    assert check_enum_members(site) == [
        "reference/names.html: the enum member kgru_relations.names.NameKind.ALIAS is tagged "
        "class-attribute instance-attribute",
        "reference/names.html: the enum member kgru_relations.names.Script.LATIN is tagged "
        "instance-attribute",
    ]


def test_a_home_page_that_omits_a_dependency_is_reported(site: Path, tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\ndependencies = ["attrs>=24.1", "msgspec>=0.18", "zope.interface", "py"]\n',
        encoding="utf-8",
    )
    _write(site / "index.html", "<p>Needs attrs (not msgspec-extra, nor zope), and py.</p>")
    assert check_home(site, pyproject) == [
        "index.html: does not name the dependency 'msgspec'",
        "index.html: does not name the dependency 'zope.interface'",
    ]
    (site / "index.html").unlink()
    assert check_home(site, pyproject) == ["index.html: missing"]


def test_the_home_page_names_every_runtime_dependency(tmp_path: Path) -> None:
    """What the docs' home page says, checked as the built page is (without a build)."""
    home = (PYPROJECT.parent / "docs" / "index.md").read_text(encoding="utf-8")
    _write(tmp_path / "index.html", html.escape(home))
    assert check_home(tmp_path) == []


def test_the_browser_check_opens_every_page_the_home_page_first(site: Path) -> None:
    _write(site / "404.html", "<p>Not found.</p>")
    assert check_browser.pages(site) == [
        "",
        "404.html",
        "guide/",
        "reference/model-actors/",
    ]


def test_the_browser_check_without_a_site_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check_browser.main([]) == 2
    assert check_browser.main([str(tmp_path / "no-such-site")]) == 2
    assert "usage: check_browser.py SITE_DIR" in capsys.readouterr().err
