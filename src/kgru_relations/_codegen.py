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

__all__ = [
    "MEMO_LIMIT",
    "compile_function",
    "compiled",
    "forget_compiled",
    "recompiled",
    "slot_setter",
]

F = TypeVar("F", bound=Callable[..., Any])

MEMO_LIMIT: Final = 16384
"""Distinct values compiled code remembers per field (a day each over 40 years)."""

_COMPILED: list[Any] = []  # each cache of what was compiled from the rules
_RECOMPILE: list[Callable[[], None]] = []  # what compiles itself again when they are forgotten
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


def recompiled(function: Callable[[], None]) -> None:
    """Call *function*, which compiles from the rules, now and at each ``forget_compiled()``."""
    _RECOMPILE.append(function)
    function()


def forget_compiled() -> None:
    """Forget everything compiled from the rules: what is needed next is compiled anew.

    Only a test that changes a rule's definition needs this; a new process
    compiles from the rules as they are.
    """
    for cached in _COMPILED:
        cached.cache_clear()
    for function in _RECOMPILE:
        function()


def slot_setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    """Set slot *name* of a *cls* record (frozen or not): the slot's own setter where it has one."""
    for klass in cls.__mro__:
        slot = klass.__dict__.get(name)
        if slot is not None:
            if type(slot).__name__ == "member_descriptor":
                setter: Callable[[Any, Any], None] = slot.__set__
                return setter
            break

    def set_attribute(record: Any, value: Any) -> None:  # pragma: no cover - every model has slots
        object.__setattr__(record, name, value)

    return set_attribute
