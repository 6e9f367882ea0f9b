"""Run every Python example in the documentation as a test, with Sybil.

Each fenced ``python`` block in ``docs/**/*.md`` and ``README.md`` becomes one test: a block
that starts with ``>>>`` is checked as a doctest (the printed output must
match), any other block is run as code and its ``assert`` statements must
hold. Blocks in one page share a namespace and run in order, top to bottom,
so a page reads as one session (under pytest-xdist, ``--dist=loadfile`` in
pyproject.toml keeps a page on one worker). ``<!-- skip: next -->`` before a
block skips it; other languages (``bash``) are never run.
"""

from __future__ import annotations

from doctest import ELLIPSIS

from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser
from sybil.typing import Parser

_PARSERS: list[Parser] = [PythonCodeBlockParser(doctest_optionflags=ELLIPSIS), SkipParser()]

pytest_collect_file = (
    Sybil(parsers=_PARSERS, path="docs", patterns=["*.md"])
    + Sybil(parsers=_PARSERS, path=".", patterns=["README.md"])
).pytest()
