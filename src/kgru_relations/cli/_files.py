"""The files a command reads and writes: the data file, standard input, ``--output``.

``-`` (and ``/dev/stdin``) names standard input, ``-`` (and ``/dev/stdout``)
standard output. A file is read and written by ``kgru_relations.files``, which
refuses what is not a regular file or a pipe and replaces a file atomically.
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Iterable
from typing import Final, TextIO

from kgru_relations.cli._output import INVALID, USAGE, Failure, Output, listed
from kgru_relations.dataset import Dataset
from kgru_relations.errors import ValidationError
from kgru_relations.files import DEFAULT_TIMEOUT, read_bytes, read_stream, write_atomically
from kgru_relations.serialize import load_default, loads

__all__ = [
    "STDIN",
    "STDOUT",
    "dataset",
    "input_bytes",
    "named",
    "read",
    "standard_input",
    "to_output",
    "write_file",
]

STDIN: Final = frozenset({"-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"})
"""The names of standard input."""
STDOUT: Final = frozenset({"-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"})
"""The names of standard output."""

pipe_timeout: float = DEFAULT_TIMEOUT
"""How long a pipe may stay silent before it is given up on (tests shorten it)."""


def named(path: str) -> str:
    """*path* as a message names it: ``standard input`` for ``-``."""
    return "standard input" if path in STDIN else path


def standard_input() -> TextIO:
    """Standard input; an `OSError` if it was closed before the command started."""
    if sys.stdin is None:  # started with `0<&-`
        raise OSError(errno.EBADF, "it is closed")
    return sys.stdin


def input_bytes(path: str) -> bytes:
    """All of *path*, or of standard input for ``-``: an `OSError` if it cannot be read."""
    if path in STDIN:
        return read_stream(standard_input().buffer)
    return read_bytes(path, timeout=pipe_timeout)


def read(path: str) -> Dataset:
    """The dataset in *path*, or on standard input for ``-``: OSError or ValidationError."""
    return loads(input_bytes(path))  # what load(path) does


def dataset(path: str | None) -> Dataset:
    """The dataset in *path*, or the embedded one; a `Failure` that says why not."""
    if path is None:
        return load_default()
    try:
        return read(path)
    except ValidationError as error:
        lines = listed(map(str, error.issues), error.more)
        raise Failure(f"{named(path)} is not a valid data file:\n{lines}", INVALID) from None
    except OSError as error:
        raise Failure(f"cannot read {named(path)}: {error.strerror or error}", USAGE) from None


def write_file(path: str, chunks: Iterable[bytes]) -> None:
    """Replace *path* atomically with *chunks*; a `Failure` that names *path* if it cannot be."""
    try:
        write_atomically(path, chunks)
    except OSError as error:
        raise Failure(f"cannot write {path}: {error.strerror or error}", USAGE) from None


def to_output(output: str | None, chunks: Iterable[bytes], out: Output) -> bool:
    """Write *chunks* to the file *output* (atomically) or to *out*; whether a file was written."""
    if output is None or output in STDOUT:
        for chunk in chunks:
            out.write(chunk.decode("utf-8"))
        return False
    write_file(output, chunks)
    return True
