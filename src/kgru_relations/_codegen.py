"""One code generator: functions written from data, compiled with a name a traceback can show.

The load and save paths and the dataset's checks compile a function per
model class (as attrs writes ``__init__``). Each is compiled here: its source is registered with
``linecache`` under a readable file name (``<kgru_relations generated build
Observation>``), as attrs' ``_make.py`` and cattrs' ``gen`` do, so a
traceback, a debugger or a profiler shows the generated lines. The code is
written from data (a list of lines); nothing here reads generated text back.

What is compiled from the rules is kept (``compiled``) until
[`forget_compiled`][kgru_relations.io.forget_compiled] is called, as a test
that changes a rule's definition does.
"""

from __future__ import annotations

import functools
import itertools
import linecache
import threading
from collections.abc import Callable, Sequence
from typing import Any, Final, TypeVar

__all__ = ["compile_function", "compiled", "forget_compiled"]

F = TypeVar("F", bound=Callable[..., Any])

_COMPILED: list[Any] = []  # each cache of what was compiled from the rules
_NUMBERS: Final = itertools.count(1)
_LOCK: Final = threading.Lock()


def compile_function(
    name: str, lines: Sequence[str], namespace: dict[str, Any], *, what: str
) -> Callable[..., Any]:
    """Compile the function *name* defined by *lines* in *namespace*, and return it.

    Args:
        name: The name the lines define (``def build(wire):``).
        lines: The source, one line each, the first the ``def``.
        namespace: The globals the code sees (a new dict is a good choice).
        what: What it is for, for the file name (``"build Observation"``).

    Returns:
        The function; its source is in ``linecache`` under its file name.
    """
    source = "\n".join(lines) + "\n"
    with _LOCK:  # a unique name, even for two threads compiling the same class
        filename = f"<kgru_relations generated {what}>"
        while filename in linecache.cache:
            filename = f"<kgru_relations generated {what} #{next(_NUMBERS)}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)
    function: Callable[..., Any] = namespace[name]
    return function


def compiled(function: F) -> F:
    """Keep what *function* compiles per argument until ``forget_compiled()`` (a cache)."""
    cached = functools.cache(function)
    _COMPILED.append(cached)
    return cached  # type: ignore[return-value]


def forget_compiled() -> None:
    """Forget everything compiled from the rules: the next load, save or schema compiles anew.

    Only a test that changes a rule's definition needs this; a new process
    compiles from the rules as they are.
    """
    for cached in _COMPILED:
        cached.cache_clear()
