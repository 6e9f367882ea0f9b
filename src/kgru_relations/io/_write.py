"""Writing: each model class's record as JSON data, by a function compiled once from its fields.

The code is generated from the fields (as attrs writes ``__init__``), so a
record costs one attribute read and one expression per field: no lookup of a
hook per value. Fields at their defaults are left out; loading restores them.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

import attrs
import cattrs
import msgspec

from kgru_relations._codegen import compile_function, compiled
from kgru_relations.dates import PartialDate, Period
from kgru_relations.io._careful import check_of_type, is_record
from kgru_relations.model._base import field_check, is_singleton

__all__ = ["register_writers", "wire_writer"]


def _unstructure_record(converter: cattrs.Converter, cls: type) -> Callable[[Any], dict[str, Any]]:
    """Compile, once per class, a function that writes a record as JSON data.

    The code is generated from the fields (as attrs writes ``__init__``), so a
    record costs one attribute read and one expression per field: no lookup of
    a hook per value. Fields at their defaults are left out; loading restores them.
    """
    lines = ["def unstructure(value):", "    result = {}"]
    fields = [field for field in attrs.fields(cls) if field.init]
    written, namespace = _field_writers(cls, fields, wire=False)
    for field, (expression, omitted) in zip(fields, written, strict=True):
        lines.append(f"    item = value.{field.name}")
        store = f"result[{field.name!r}] = {expression}"
        lines += [f"    {store}"] if omitted is None else [f"    if {omitted}:", f"        {store}"]
    lines.append("    return result")
    for name, annotation in list(namespace.items()):
        if name.startswith("hook_"):
            namespace[name] = converter.get_unstructure_hook(annotation)
    unstructure: Callable[[Any], dict[str, Any]] = compile_function(
        "unstructure", lines, namespace, what=f"unstructure {cls.__qualname__}"
    )
    return unstructure


def _field_writers(
    cls: type, fields: list[attrs.Attribute[Any]], *, wire: bool
) -> tuple[list[tuple[str, str | None]], dict[str, Any]]:
    """For each field: the expression that writes ``item``, and the test that it is written.

    The test is ``None`` for a required field; a field at its default is left
    out (loading restores it). Also gives the namespace the code needs, with
    each ``hook_N`` naming the type whose hook it stands for.
    """
    hooks: dict[str, type] = {}
    namespace: dict[str, Any] = {}
    written: list[tuple[str, str | None]] = []
    for index, field in enumerate(fields):
        expression = field_check(field).write("item", hooks, wire=wire)
        if field.default is attrs.NOTHING:
            written.append((expression, None))
        elif field.default is None:
            written.append((expression, "item is not None"))
        else:
            namespace[f"default_{index}"] = field.default
            written.append((expression, f"item != default_{index}"))
    namespace.update(hooks)
    return written, namespace


# A field left out of the file: msgspec leaves out a struct field holding its
# default (this object) when asked to leave defaults out.
_LEFT_OUT: Final = msgspec.UNSET


@compiled
def wire_writer(cls: type) -> Callable[[Any], Any]:
    """Compile a function that writes a *cls* record as a msgspec struct.

    The struct's fields are the record's in sorted order, and those at their
    defaults hold the struct's own default, so msgspec writes exactly the keys
    and values [`to_dict`][kgru_relations.to_dict] gives, in the order a
    sorted dump needs, without building a dict per record and sorting its
    keys (what most of the time of ``dumps`` and ``write_observations`` went to).
    The encoder writes a struct's fields in the order declared here, never
    sorting them again per record. Each value is written as its check's wire
    form says (a ``Decimal`` itself, which msgspec writes as its text).
    """
    fields = sorted((field for field in attrs.fields(cls) if field.init), key=lambda f: f.name)
    written, namespace = _field_writers(cls, fields, wire=True)
    defaults: list[Any] = []
    lines = ["def write(value):"]
    arguments: list[str] = []
    for index, (field, (expression, omitted)) in enumerate(zip(fields, written, strict=True)):
        if expression == "item" and (omitted is None or is_singleton(field.default)):
            # Written as it is; msgspec leaves it out when it is its default (the same
            # object: None, a boolean, an enum member or the empty tuple).
            defaults.append(_LEFT_OUT if omitted is None else field.default)
            arguments.append(f"value.{field.name}")
            continue
        defaults.append(_LEFT_OUT)
        lines.append(f"    item = value.{field.name}")
        if omitted is None:
            lines.append(f"    value_{index} = {expression}")
        else:
            lines.append(f"    value_{index} = {expression} if {omitted} else LEFT_OUT")
        arguments.append(f"value_{index}")
    lines.append(f"    return Struct({', '.join(arguments)})")
    struct = msgspec.defstruct(
        f"{cls.__name__}Out",
        [(field.name, Any, default) for field, default in zip(fields, defaults, strict=True)],
        omit_defaults=True,
        gc=False,  # written and dropped, never in a cycle
    )
    for name, annotation in list(namespace.items()):
        if name.startswith("hook_"):  # a record held in a record: its own writer
            namespace[name] = wire_writer(annotation)
    namespace |= {"Struct": struct, "LEFT_OUT": _LEFT_OUT}
    write: Callable[[Any], Any] = compile_function(
        "write", lines, namespace, what=f"write {cls.__qualname__}"
    )
    return write


def _value_writer(annotation: Any) -> Callable[[Any], Any]:
    """The writer of a value of type *annotation* alone, compiled from its check's own."""
    check = check_of_type(annotation)
    assert check is not None  # asked only for the types that have one
    expression = check.write("item", {}, wire=False)
    what = f"write {getattr(annotation, '__qualname__', annotation)}"
    return compile_function(
        "write", ["def write(item):", f"    return {expression}"], {}, what=what
    )


def register_writers(converter: cattrs.Converter) -> None:
    """Register on *converter* the writers of every model type, from their checks."""
    for annotation in (Decimal, PartialDate, Period, _dt.date):
        converter.register_unstructure_hook(annotation, _value_writer(annotation))
    converter.register_unstructure_hook_factory(
        is_record, lambda t: _unstructure_record(converter, t)
    )
