"""The model's constructors, compiled from each field's check, as attrs writes its own."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, Final

import attrs

from kgru_relations._checks import Check, Instance, Many
from kgru_relations._codegen import MEMO_LIMIT, compile_function, slot_setter
from kgru_relations.errors import ValidationError
from kgru_relations.model._base import (
    Record,
    as_decimal,
    as_ids,
    as_names,
    as_optional_day,
    as_optional_partial_date,
    as_optional_period,
    as_partial_date,
    as_period,
    as_texts,
    as_tuple,
    is_singleton,
)

__all__ = ["compiled_init"]

#: Converters that only widen a constructor's type for mypy: the field's check
#: does the work (a list is accepted by a ``Many`` check, text by a date's).
_WIDENING: Final = frozenset(
    {
        as_decimal,
        as_optional_day,
        as_period,
        as_optional_period,
        as_partial_date,
        as_optional_partial_date,
    }
)
_TO_TUPLE: Final = frozenset({as_tuple, as_ids, as_texts, as_names})


def compiled_init(cls: type[Record]) -> None:
    """Give *cls* an ``__init__`` compiled from its fields' checks, as attrs writes its own.

    Each argument is checked by its field's check and set in one statement,
    without a collector, a loop or a converter call (a default passed as it
    is needs no check). If any check refuses, or the record's own rules find
    a problem, the arguments go through the collecting path
    (``__attrs_post_init__``), which reports every problem at its path. So
    building a record in Python is the same rule compiled a third time,
    beside the careful and fast load paths.
    """
    fields = [field for field in attrs.fields(cls) if field.init]
    namespace: dict[str, Any] = {
        "Invalid": ValidationError,
        "failed": functools.partial(_failed, cls),
        "own_issues": cls._own_issues,
        "rules": cls._rules,
    }
    parameters: list[str] = []
    body: list[str] = []
    for index, field in enumerate(fields):
        argument = field.alias
        if field.default is attrs.NOTHING:
            parameters.append(argument)
        else:
            namespace[f"default_{index}"] = field.default
            parameters.append(f"{argument}=default_{index}")
        namespace[f"set_{index}"] = slot_setter(cls, field.name)
        value = argument
        converter = field.converter
        check = field.metadata.get("check")
        widening = converter in _WIDENING or (converter in _TO_TUPLE and isinstance(check, Many))
        if converter is not None and not widening:
            namespace[f"convert_{index}"] = converter
            value = f"convert_{index}({value})"
        if check is not None:
            namespace[f"check_{index}"] = _remembered(check)
            checked = f"check_{index}({value})"
            if field.default is not attrs.NOTHING and is_singleton(field.default):
                checked = f"{argument} if {argument} is default_{index} else {checked}"
            value = checked
        body.append(f"        set_{index}(self, {value})")
    arguments = ", ".join(f"{field.alias}={field.alias}" for field in fields)
    lines = [f"def __init__(self, *, {', '.join(parameters)}):", "    try:", *body]
    lines += ["    except Invalid:", f"        failed(self, {arguments})", "        return"]
    if cls._own_issues is not Record._own_issues:
        lines += ["    for _ in own_issues(self):", f"        failed(self, {arguments})"]
    if cls._rules is not Record._rules:
        lines += ["    for _ in rules(self):", f"        failed(self, {arguments})"]
    init = compile_function("__init__", lines, namespace, what=f"__init__ {cls.__qualname__}")
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    # The parameter types attrs gave its own (a converter's, where there is one).
    init.__annotations__ = dict(cls.__init__.__annotations__)
    cls.__init__ = init  # type: ignore[method-assign]


def _remembered(check: Check) -> Callable[[Any], Any]:
    """*check*'s function, its answers kept per distinct text (or list of text) given it.

    Values that repeat (a date, a code, an id, the sources cited) are checked
    once and the immutable result reused, as the fast load path does; only
    text is remembered, so ``1`` and ``True`` are never taken for each other.
    Free text and amounts, which seldom repeat, are checked each time.
    """
    call = check.call
    fast = check.fast_form()
    if fast is not None:  # text the rule takes as it is is made without it (an amount)
        pattern, make = fast
        match = re.compile(pattern).fullmatch

        def fast_check(value: Any) -> Any:
            if type(value) is str and match(value) is not None:
                return make(value)
            return call(value)

        return fast_check
    if not check.repeats or isinstance(check, Instance):
        return call
    memo: dict[Any, Any] = {}
    get = memo.get

    if isinstance(check, Many):

        def remember_list(value: Any) -> Any:
            if type(value) in (list, tuple) and all(type(item) is str for item in value):
                key = tuple(value)
                found = get(key)
                if found is None:
                    found = call(value)
                    if len(memo) < MEMO_LIMIT:
                        memo[key] = found
                return found
            return call(value)

        return remember_list

    def remember(value: Any) -> Any:
        if type(value) is str:
            found = get(value)
            if found is None:
                found = call(value)
                if len(memo) < MEMO_LIMIT:
                    memo[value] = found
            return found
        return call(value)

    return remember


def _failed(cls: type[Record], record: Record, **arguments: Any) -> None:
    """Build *record* the collecting way, which raises every problem at its path."""
    for field in attrs.fields(cls):
        if field.init:
            value = arguments[field.alias]
            if field.converter is not None:
                value = field.converter(value)
            object.__setattr__(record, field.name, value)
    record.__attrs_post_init__()
