"""Check a built docs site: links and anchors, the model reference, enum members, the home page.

Usage: ``python .ci/check_site.py SITE_DIR`` (the directory ``mkdocs build`` or
``properdocs build`` wrote). Prints one line per problem and exits 1 if there
is any, 0 if there is none, 2 on a usage error. Standard library only.

1. Links. Every ``href`` and ``src`` in every HTML page that points inside the
   site must name a file that exists (a directory means its ``index.html``),
   and a ``#fragment`` must be an ``id`` (or an ``<a name>``) in the target page.
   ``mkdocs build --strict`` checks the Markdown's own links; this checks what
   the build made of them and of everything the theme and mkdocstrings add.
2. The model reference. Each class in ``EXPECTED_FIELDS`` must show, under its
   heading, a constructor signature and a fields table naming each listed
   field (inherited ones included) with its default, or *required*.
3. Enum members. A member of an enum class is shown as a member: the
   reference must not tag it ``class-attribute`` or ``instance-attribute``
   (griffe's tags for a name assigned in a class body, which say nothing true
   of a member).
4. The home page names every runtime dependency that ``pyproject.toml`` (in
   the repository this script belongs to) lists, so that a reader installing
   by hand misses none.
"""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = [
    "EXPECTED_FIELDS",
    "PYPROJECT",
    "check",
    "check_enum_members",
    "check_home",
    "check_links",
    "check_reference",
    "main",
]

#: Page -> class heading id -> field -> what its Default cell must say. A few
#: fields every reader needs and that a class inherits from ``Fact``: pages
#: that leave them out send a reader who builds a ``Person`` into a TypeError.
EXPECTED_FIELDS: dict[str, dict[str, dict[str, str]]] = {
    "reference/model-actors/index.html": {
        cls: {"id": "required", "sources": "required", "confidence": "Confidence.VERIFIED"}
        | {"note": "None"}
        for cls in ("kgru_relations.model.actors.State", "kgru_relations.model.actors.Person")
    },
}

#: The project whose runtime dependencies the home page must name.
PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"

_LINK_ATTRIBUTES = frozenset({"href", "src"})
_ATTRIBUTE_TAGS = frozenset({"class-attribute", "instance-attribute"})


@dataclass
class _Heading:
    """A mkdocstrings object heading and what follows it, up to the next one."""

    id: str
    signature: list[str] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    labels: set[str] = field(default_factory=set)  # the tags: property, class-attribute, ...
    bases: list[str] = field(default_factory=list)  # a class's bases, as their full names


class _Page(HTMLParser):
    """The ids, links and mkdocstrings headings of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.headings: list[_Heading] = []
        self.text: list[str] = []  # every piece of text on the page
        self._signature_depth = 0  # > 0 inside a div.doc-signature
        self._cell: list[str] | None = None
        self._in_bases = False  # inside a p.doc-class-bases

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        self.links.extend(value for name, value in values.items() if name in _LINK_ATTRIBUTES)
        classes = values.get("class", "").split()
        if "doc-heading" in classes and "id" in values:
            self.headings.append(_Heading(values["id"]))
        if not self.headings:
            return
        heading = self.headings[-1]
        if "doc-label" in classes:
            heading.labels.update(
                name.removeprefix("doc-label-") for name in classes if name.startswith("doc-label-")
            )
        if tag == "p" and "doc-class-bases" in classes:
            self._in_bases = True
        elif self._in_bases and "title" in values:
            heading.bases.append(values["title"])
        if tag == "div" and (self._signature_depth or "doc-signature" in classes):
            self._signature_depth += 1
        elif tag == "table":
            heading.tables.append([])
        elif tag == "tr" and heading.tables:
            heading.tables[-1].append([])
        elif tag in {"td", "th"} and heading.tables and heading.tables[-1]:
            self._cell = []
            heading.tables[-1][-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self._in_bases = False
        if tag == "div" and self._signature_depth:
            self._signature_depth -= 1
        elif tag in {"td", "th"} and self._cell is not None:
            self.headings[-1].tables[-1][-1][-1] = " ".join("".join(self._cell).split())
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._signature_depth:
            self.headings[-1].signature.append(data)
        if self._cell is not None:
            self._cell.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def _target(site: Path, page: Path, link: str) -> tuple[Path, str] | None:
    """The file and fragment an internal link points to, or ``None`` for an external one."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith("//"):
        return None
    path = unquote(parts.path)
    if not path:
        target = page
    elif path.startswith("/"):
        target = site / path.lstrip("/")
    else:
        target = page.parent / path
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target, unquote(parts.fragment)


def check_links(site: Path) -> list[str]:
    """Every internal link in *site* to a missing file or a missing anchor."""
    site = site.resolve()
    pages = {path.resolve(): _parse(path) for path in sorted(site.rglob("*.html"))}
    problems: list[str] = []
    for page, parsed in pages.items():
        where = page.relative_to(site).as_posix()
        for link in parsed.links:
            found = _target(site, page, link)
            if found is None:
                continue
            target, fragment = found
            target = target.resolve()
            if not target.is_relative_to(site) or not target.is_file():
                problems.append(f"{where}: link {link!r} points to a missing file")
            elif fragment and target.suffix == ".html" and fragment not in pages[target].ids:
                shown = target.relative_to(site).as_posix()
                problems.append(f"{where}: link {link!r}: no id {fragment!r} in {shown}")
    return problems


def check_reference(site: Path) -> list[str]:
    """Every class in ``EXPECTED_FIELDS`` whose page lacks its signature or a field's row."""
    problems: list[str] = []
    for name, classes in EXPECTED_FIELDS.items():
        path = site / name
        if not path.is_file():
            problems.append(f"{name}: missing")
            continue
        headings = {heading.id: heading for heading in _parse(path).headings}
        for cls, fields in classes.items():
            heading = headings.get(cls)
            if heading is None:
                problems.append(f"{name}: no heading {cls!r}")
                continue
            signature = "".join(heading.signature)
            # The fields table: its header row is Name, Type, Description, Default.
            rows = {
                row[0]: row[-1]
                for table in heading.tables
                if table and table[0][:1] == ["Name"] and table[0][-1:] == ["Default"]
                for row in table[1:]
                if row
            }
            for field_name, default in fields.items():
                if f"{field_name}:" not in "".join(signature.split()):
                    problems.append(f"{name}: {cls} signature lacks {field_name!r}")
                if field_name not in rows:
                    problems.append(f"{name}: {cls} fields table lacks {field_name!r}")
                elif rows[field_name] != default:
                    problems.append(
                        f"{name}: {cls} field {field_name!r} shows {rows[field_name]!r} "
                        f"as its default, not {default!r}"
                    )
    return problems


def check_enum_members(site: Path) -> list[str]:
    """Every member of an enum class that a reference page tags as an attribute."""
    problems: list[str] = []
    for path in sorted(site.rglob("*.html")):
        headings = _parse(path).headings
        enums = {h.id for h in headings if any(b.startswith("enum.") for b in h.bases)}
        for heading in headings:
            owner, _, _ = heading.id.rpartition(".")
            tags = sorted(heading.labels & _ATTRIBUTE_TAGS)
            if owner in enums and tags:
                where = path.relative_to(site).as_posix()
                problems.append(f"{where}: the enum member {heading.id} is tagged {' '.join(tags)}")
    return problems


def check_home(site: Path, pyproject: Path = PYPROJECT) -> list[str]:
    """Every runtime dependency in *pyproject* that the home page of *site* does not name."""
    with pyproject.open("rb") as file:
        requirements: list[str] = tomllib.load(file)["project"]["dependencies"]
    home = site / "index.html"
    if not home.is_file():
        return ["index.html: missing"]
    text = " ".join("".join(_parse(home).text).split()).lower()
    problems = []
    for requirement in requirements:
        match = re.match(r"[A-Za-z0-9._-]+", requirement)
        name = match.group() if match else requirement
        if not re.search(rf"(?<![\w.-]){re.escape(name.lower())}(?![\w-])", text):
            problems.append(f"index.html: does not name the dependency {name!r}")
    return problems


def check(site: Path) -> list[str]:
    """Every problem with the built site in *site*: links, model reference, enums, home page."""
    return check_links(site) + check_reference(site) + check_enum_members(site) + check_home(site)


def main(argv: list[str] | None = None) -> int:
    """Check the site named on the command line; print each problem; 1 if any."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: check_site.py SITE_DIR (a built docs site)", file=sys.stderr)
        return 2
    problems = check(Path(args[0]))
    for problem in problems:
        print(problem)
    pages = sum(1 for _ in Path(args[0]).rglob("*.html"))
    print(f"{pages} pages checked, {len(problems)} problem{'s' * (len(problems) != 1)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
