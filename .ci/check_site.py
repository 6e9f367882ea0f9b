"""Check a built docs site: every internal link and anchor, and the model reference.

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
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = ["EXPECTED_FIELDS", "check", "check_links", "check_reference", "main"]

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

_LINK_ATTRIBUTES = frozenset({"href", "src"})


@dataclass
class _Heading:
    """A mkdocstrings object heading and what follows it, up to the next one."""

    id: str
    signature: list[str] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)


class _Page(HTMLParser):
    """The ids, links and mkdocstrings headings of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.headings: list[_Heading] = []
        self._signature_depth = 0  # > 0 inside a div.doc-signature
        self._cell: list[str] | None = None

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
        if tag == "div" and self._signature_depth:
            self._signature_depth -= 1
        elif tag in {"td", "th"} and self._cell is not None:
            self.headings[-1].tables[-1][-1][-1] = " ".join("".join(self._cell).split())
            self._cell = None

    def handle_data(self, data: str) -> None:
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


def check(site: Path) -> list[str]:
    """Every problem with the built site in *site*: its links, then its model reference."""
    return check_links(site) + check_reference(site)


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
