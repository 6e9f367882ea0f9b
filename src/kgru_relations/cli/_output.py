"""What the command writes: exit codes, the width, tables, wrapped text, JSON, problems, progress.

Nothing here reads a dataset; the command modules say what to show, this module
how it is laid out. Text is wrapped at spaces only: an id such as
``source:kun-uz-2022-04-22`` is never broken across lines, at a hyphen or
anywhere else, so it can be copied whole.
"""

from __future__ import annotations

import contextvars
import json
import os
import sys
import textwrap
import time
from collections.abc import Iterable, Sequence
from typing import Any, Final, Protocol, TextIO

__all__ = [
    "DEFAULT_WIDTH",
    "INVALID",
    "OK",
    "USAGE",
    "WIDTH",
    "Failure",
    "Output",
    "OutputFailed",
    "Progress",
    "Sink",
    "heading",
    "issues_text",
    "listed",
    "table",
    "terminal_width",
    "wrap",
    "wrapped",
    "write_json",
]

OK: Final = 0
"""Exit code: success."""
INVALID: Final = 1
"""Exit code: a file is not valid, or a query found nothing."""
USAGE: Final = 2
"""Exit code: a usage or I/O problem."""

DEFAULT_WIDTH: Final = 80
"""How wide text output is when ``COLUMNS`` is not set and it does not go to a terminal."""

_NARROWEST: Final = 40
WIDTH: contextvars.ContextVar[int] = contextvars.ContextVar("width", default=DEFAULT_WIDTH)
"""How wide this run's text output may be (set by ``main``)."""

_PROGRESS_EVERY: Final = 0.5  # seconds between progress lines on a terminal
_NARROWEST_COLUMN: Final = 20  # the last column of a table, however wide the others are


class Failure(Exception):
    """A problem to report to the user, with the exit code to end with."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


class OutputFailed(Exception):
    """Standard output (or the stream given to ``main``) could not be written.

    Not an `OSError`, so that a command's handling of a file it reads never
    takes it for one.
    """

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.error = error


class Output(Protocol):
    """Where a command writes its output: only ``write`` is used."""

    def write(self, text: str, /) -> int:
        """Write *text*; return how many characters were written."""


class Sink:
    """The stream a command writes to; a failure to write it is an `OutputFailed`."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str, /) -> int:
        """Write *text* to the stream."""
        try:
            return self._stream.write(text)
        except OSError as error:
            raise OutputFailed(error) from None

    def flush(self) -> None:
        """Flush the stream: what stayed in its buffer fails here, if anywhere."""
        try:
            self._stream.flush()
        except OSError as error:
            raise OutputFailed(error) from None
        except ValueError:  # already closed: nothing is waiting in it
            pass


def terminal_width(out: TextIO) -> int:
    """How wide text output may be: ``COLUMNS``, else the terminal's width, else the default."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdecimal() and int(columns) > 0:
        return max(int(columns), _NARROWEST)
    try:
        if out.isatty():
            return max(os.get_terminal_size(out.fileno()).columns, _NARROWEST)
    except (OSError, ValueError):  # not a real file, or closed
        pass
    return DEFAULT_WIDTH


def wrap(text: str, width: int, **options: Any) -> list[str]:
    """*text* as lines of at most *width*, broken at spaces only (never inside an id).

    A word longer than *width* stays whole on a line of its own.
    """
    return textwrap.wrap(
        text, max(width, 1), break_on_hyphens=False, break_long_words=False, **options
    )


def table(rows: Sequence[Sequence[str]], headers: Sequence[str], out: Output) -> None:
    """Print rows as aligned columns, wrapping the last column to fit the width."""
    if not rows:
        out.write("  (none)\n")
        return
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    fixed = sum(widths[:-1]) + 2 * (len(widths) - 1) + 2
    widths[-1] = min(widths[-1], max(WIDTH.get() - fixed, _NARROWEST_COLUMN))

    def line(cells: Sequence[str]) -> None:
        wrapped = wrap(str(cells[-1]), widths[-1]) or [""]
        head = "  ".join(f"{cell!s:<{widths[i]}}" for i, cell in enumerate(cells[:-1]))
        prefix = f"  {head}  " if head else "  "
        out.write(f"{prefix}{wrapped[0]}".rstrip() + "\n")
        for more in wrapped[1:]:
            out.write(f"{' ' * len(prefix)}{more}\n")

    line(headers)
    line(["-" * width for width in widths])
    for row in rows:
        line(row)


def heading(title: str, out: Output) -> None:
    """A blank line, then *title*."""
    out.write(f"\n{title}\n")


def wrapped(text: str, out: Output, indent: int = 6) -> None:
    """*text*, indented by *indent*, its further lines by two more, to fit the width."""
    for line in wrap(text, WIDTH.get() - indent, subsequent_indent="  "):
        out.write(f"{' ' * indent}{line}\n")


def write_json(data: Any, out: Output) -> None:
    """*data* as indented JSON, the text as it is (not escaped to ASCII)."""
    out.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def issues_text(issues: Iterable[object], out: Output, prefix: str = "") -> None:
    """One line an issue."""
    for issue in issues:
        out.write(f"{prefix}{issue}\n")


def listed(lines: Iterable[str], more: int = 0) -> str:
    """Problems, one an indented line, and how many more were not listed."""
    text = "\n".join(f"  {line}" for line in lines)
    return f"{text}\n  ... and {more} more" if more else text


class Progress:
    """A count (of observations written, entities read), on one line of a terminal's stderr."""

    def __init__(self, stream: TextIO, what: str = "observations written") -> None:
        self._stream = stream
        self._what = what
        self._shown = 0.0
        self._open = False  # a count is on the line, with no line break after it yet
        self.count = 0

    @classmethod
    def on_terminal(cls, what: str) -> Progress | None:
        """A progress line on standard error if it is a terminal; else none."""
        return cls(sys.stderr, what) if sys.stderr.isatty() else None

    def __call__(self, count: int) -> None:
        """Note *count*; show it if the last count shown is half a second old."""
        self.count = count
        now = time.monotonic()
        if now - self._shown >= _PROGRESS_EVERY:
            self._shown = now
            self._stream.write(f"\r{count:,} {self._what}")
            self._stream.flush()
            self._open = True

    def done(self, count: int) -> None:
        """Show the final *count* and end its line."""
        self._stream.write(f"\r{count:,} {self._what}\n")
        self._stream.flush()
        self._open = False

    def end_line(self) -> None:
        """End the count's line, so that what is printed next starts on its own."""
        if self._open:
            self._stream.write("\n")
            self._stream.flush()
            self._open = False
