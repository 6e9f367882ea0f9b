"""Lossless JSON: load and save datasets, entities and observation streams.

A data file is one JSON object: ``{"schema_version": 1, "sources": [...],
"states": [...], ...}``, one list per kind of entity, each entity an object
with its ``id``. Dates and periods are their text form (``2025-05``,
``2021-01-28/..``), amounts are decimal strings (``"3200000000"``), enums their
lowercase values. Keys are written sorted, lists in id order, UTF-8, with a
trailing newline, so a file diffs cleanly and ``dumps(loads(b)) == b`` for any
file ``dumps`` wrote.

Loading reports every problem in the input in one
[`ValidationError`][kgru_relations.ValidationError], each with its path:

    >>> import kgru_relations
    >>> kgru_relations.loads(b'{"schema_version": 1, "sources": [{"id": "source:a"}]}')
    Traceback (most recent call last):
    ...
    kgru_relations.errors.ValidationError: $.sources[0].title: required field is missing

No input makes the load functions raise anything but ``ValidationError``.
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import importlib.resources
import json
import operator
import re
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, Final, Literal, TypeVar

import attrs
import cattrs
import msgspec

from kgru_relations._fast import fast_loads, fast_record, fast_records
from kgru_relations._gc import paused
from kgru_relations.codes import currency_code
from kgru_relations.dataset import Dataset
from kgru_relations.dataset._integrity import (
    Problem as _Problem,
)
from kgru_relations.dataset._integrity import (
    problems,
    reference_problem,
    sign_problem,
    unit_problem,
)
from kgru_relations.dates import PartialDate, Period, parse_day
from kgru_relations.errors import (
    MAX_ISSUES,
    SHOWN,
    Issue,
    ValidationError,
    _IssueCollector,
    shown,
)
from kgru_relations.files import PathLike, _line_batches, read_bytes, write_atomically
from kgru_relations.model import ENTITY_CLASSES, Entity, Observation
from kgru_relations.model._base import Record, iter_references, reference_kinds, valid_id
from kgru_relations.money import Money, _to_decimal
from kgru_relations.names import Name, NameKind

__all__ = [
    "DEFAULT_DATASET",
    "SCHEMA_VERSION",
    "configure_converter",
    "dump",
    "dumps",
    "from_dict",
    "from_json",
    "iter_observations",
    "load",
    "load_default",
    "loads",
    "make_converter",
    "numbered_observations",
    "register_migration",
    "save",
    "to_dict",
    "to_json",
    "write_observations",
]

SCHEMA_VERSION: Final = 1
"""The version of the data file format this library writes."""

T = TypeVar("T")

_COLLECTIONS: Final = {cls.COLLECTION: cls for cls in ENTITY_CLASSES}
_MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def _describe(value: object) -> str:  # noqa: PLR0911 - one case per kind of JSON value
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, _Constant | _Number):
        return f"{shown(value)} ({type(value).__name__})"
    if isinstance(value, int | float):
        return f"{shown(value)} (a number)"
    if value is None:
        return "null"
    return repr(value)


class _Object(dict[str, Any]):
    """A JSON object that remembers the keys it had more than once."""

    duplicates: tuple[str, ...] = ()


def _object_pairs(pairs: list[tuple[str, Any]]) -> _Object:
    result = _Object(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        repeated: dict[str, None] = {}  # in the order first repeated; linear in the keys
        for key, _ in pairs:
            if key in seen:
                repeated[key] = None
            seen.add(key)
        result.duplicates = tuple(repeated)
    return result


class _Number:
    """A JSON number with a fraction or exponent, or a very long one: its text, every digit kept.

    No field holds a float, so this only ever reaches a message, which can
    then quote the number as written (``12345678901234567890123.5``), never
    a rounded float.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return _number_text(self.text)


class _Constant:
    """``NaN``, ``Infinity`` or ``-Infinity``: not JSON, refused at the path it stands at."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


# What a model check's message calls them: "1.5 (a JSON number)".
_Number.__name__ = "a JSON number"
_Constant.__name__ = "not JSON: write a number as a decimal string"


# Python's int() refuses more than 4,300 digits (sys.set_int_max_str_digits);
# no field holds an integer anywhere near that long.
_LONGEST_INT: Final = 100


def _parse_int(text: str) -> int | _Number:
    return int(text) if len(text) <= _LONGEST_INT else _Number(text)


# One decoder for every read: building one per call is a real cost per JSON Lines line.
# A float is kept as its text (no digit lost); NaN and Infinity are kept, to be
# refused at their path.
_DECODER: Final = json.JSONDecoder(
    object_pairs_hook=_object_pairs,
    parse_float=_Number,
    parse_int=_parse_int,
    parse_constant=_Constant,
)


# --- structuring: JSON values to model values ------------------------------------------


def _text(value: object, _: object = None) -> str:
    if not isinstance(value, str):
        raise ValidationError.at("$", f"expected text, got {_describe(value)}")
    return value


def _bool(value: object, _: object = None) -> bool:
    if not isinstance(value, bool):
        raise ValidationError.at("$", f"expected true or false, got {_describe(value)}")
    return value


def _int(value: object, _: object = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError.at("$", f"expected an integer, got {_describe(value)}")
    return value


def _number_text(number: str) -> str:
    """A long JSON number as a message shows it: its start, and how many digits it has."""
    if len(number) <= SHOWN:
        return number
    return f"{number[:12]}… ({len(number)} characters)"


def _decimal(value: object, _: object = None) -> Decimal:
    if isinstance(value, _Number | int | float) and not isinstance(value, bool):
        text = value.text if isinstance(value, _Number) else str(value)
        example = f' such as "{text}"' if len(text) <= SHOWN else ""
        raise ValidationError.at(
            "$",
            f"expected a decimal string{example}, got the JSON number {_number_text(text)}; "
            f"amounts are written as strings because a float would lose digits",
        )
    if not isinstance(value, str):
        raise ValidationError.at("$", f"expected a decimal string, got {_describe(value)}")
    return _to_decimal(value)


def _partial_date(value: object, _: object = None) -> PartialDate:
    return PartialDate.parse(_text(value))


def _period(value: object, _: object = None) -> Period:
    return Period.parse(_text(value))


def _day(value: object, _: object = None) -> _dt.date:
    return parse_day(_text(value))  # the model's own rule for a day


def _enum_hook(cls: type[enum.Enum]) -> Callable[[object, object], enum.Enum]:
    def structure(value: object, _: object = None) -> enum.Enum:
        try:
            return cls(value)
        except ValueError:
            choices = ", ".join(repr(member.value) for member in cls)
            raise ValidationError.at("$", f"{_describe(value)} is not one of {choices}") from None

    return structure


def _object(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationError.at("$", f"expected {what} (a JSON object), got {_describe(value)}")
    return value


def _key_issues(data: dict[str, Any], fields: dict[str, bool]) -> list[Issue]:
    """Issues for duplicate, unknown and missing keys; *fields* maps name -> required."""
    issues = [
        Issue(f"$.{key}", "this key appears more than once")
        for key in getattr(data, "duplicates", ())
    ]
    unknown = [key for key in data if key not in fields]
    if unknown:
        expected = ", ".join(sorted(fields))
        issues += [
            Issue(
                "$" + Issue("$", "").under(key).path[1:], f"unknown key; expected one of {expected}"
            )
            for key in unknown
        ]
    issues += [
        Issue(f"$.{name}", "required field is missing")
        for name, required in fields.items()
        if required and name not in data
    ]
    return issues


@functools.cache
def _field_types(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _field_table(cls: type) -> dict[str, bool]:
    """Field name -> required, for the fields a file may hold."""
    return {field.name: field.default is attrs.NOTHING for field in attrs.fields(cls) if field.init}


def _structure_record(converter: cattrs.Converter, cls: type[T]) -> Callable[[object, object], T]:
    types = typing.get_type_hints(cls)
    table = _field_table(cls)
    hooks: dict[str, Callable[[Any, Any], Any]] = {}  # each field's hook, looked up once
    checks = {
        field.name: field.metadata.get("check")
        for field in attrs.fields(cls)  # type: ignore[arg-type]
    }

    def structure(value: object, _: object = None) -> T:
        data = _object(value, f"a {cls.__name__}")
        issues = _IssueCollector()
        issues.append_all(_key_issues(data, table))
        arguments: dict[str, Any] = {}
        for name in table:
            if name not in data:
                continue
            hook = hooks.get(name)
            if hook is None:
                hook = hooks[name] = converter.get_structure_hook(types[name])
            try:
                arguments[name] = hook(data[name], types[name])
            except ValidationError as error:
                issues.extend(error.under(name))
        if issues.issues:
            # Report what the fields that did structure would say too: every problem at once.
            for name, argument in arguments.items():
                check = checks.get(name)
                if check is None:
                    continue
                with issues.catch(name):
                    check(argument)
            issues.raise_if_any(order=_issue_order(table))
        return cls(**arguments)

    return structure


def _issue_order(table: dict[str, bool]) -> Callable[[Issue], int]:
    """Order issues by their field's place in the record (a stable sort keeps the rest)."""
    order = {name: index for index, name in enumerate(table)}

    def key(issue: Issue) -> int:
        name = re.match(r"\$\.([A-Za-z_]+)", issue.path)
        return order.get(name[1], -1) if name else -1

    return key


def _structure_name() -> Callable[[object, object], Name]:
    table = {"text": True, "language": False, "script": False, "kind": False}

    def structure(value: object, _: object = None) -> Name:
        data = _object(value, "a name")
        issues = _key_issues(data, table)
        if issues:
            raise ValidationError(issues)
        # Name checks every field itself, each at its path ($.text, $.kind).
        return Name(
            data.get("text"),  # type: ignore[arg-type]
            language=data.get("language"),
            script=data.get("script"),
            kind=data.get("kind", NameKind.COMMON.value),
        )

    return structure


def _structure_money(value: object, _: object = None) -> Money:
    data = _object(value, "money")
    issues = _IssueCollector()
    issues.append_all(_key_issues(data, {"amount": True, "currency": True}))
    amount = Decimal(0)
    if "amount" in data:
        with issues.catch("amount"):
            amount = _decimal(data["amount"])  # a decimal string, never a JSON number
    if "currency" in data:
        with issues.catch("currency"):
            currency_code(data["currency"])  # the check Money itself makes
    issues.raise_if_any()
    return Money(amount, data["currency"])


def _structure_tuple(
    converter: cattrs.Converter, item: Any
) -> Callable[[object, object], tuple[Any, ...]]:
    def structure(value: object, _: object = None) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise ValidationError.at("$", f"expected a list, got {_describe(value)}")
        issues = _IssueCollector()
        items = []
        for index, element in enumerate(value):
            try:
                items.append(converter.structure(element, item))
            except ValidationError as error:
                issues.extend(error.under(index))
        issues.raise_if_any()
        return tuple(items)

    return structure


# --- unstructuring: model values to JSON values ------------------------------------------


def _value_expression(annotation: Any, hooks: dict[str, Any], *, wire: bool = False) -> str:  # noqa: PLR0911 - a case per type
    """Python source that turns ``item`` (of type *annotation*, not None) into JSON data.

    With *wire*, a tuple of values written as they are is kept as it is
    (msgspec writes a tuple as a JSON list).
    """
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is tuple:
        element = _value_expression(args[0], hooks, wire=wire).replace("item", "element")
        if wire and element == "element":
            return "item"
        return f"[{element} for element in item]"
    if type(None) in args:  # X | None: the None case is handled by the caller
        [inner] = [arg for arg in args if arg is not type(None)]
        return _value_expression(inner, hooks, wire=wire)
    if annotation in (str, bool, int):
        return "item"
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        # msgspec writes a member as its value; else what .value gives, without a call
        return "item" if wire else "item._value_"
    if annotation is Decimal:
        # format(item, "f"), twice as fast: str() writes the same text unless it
        # writes an exponent (an "E"), as it does for 1E+2 and 1E-7.
        return '(text if "E" not in (text := str(item)) else format(item, "f"))'
    if annotation in (PartialDate, Period):
        return "str(item)"
    name = f"hook_{len(hooks)}"
    hooks[name] = annotation  # resolved to the converter's hook when compiled
    return f"{name}(item)"


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
    exec("\n".join(lines), namespace)
    unstructure: Callable[[Any], dict[str, Any]] = namespace["unstructure"]
    return unstructure


def _field_writers(
    cls: type, fields: list[attrs.Attribute[Any]], *, wire: bool
) -> tuple[list[tuple[str, str | None]], dict[str, Any]]:
    """For each field: the expression that writes ``item``, and the test that it is written.

    The test is ``None`` for a required field; a field at its default is left
    out (loading restores it). Also gives the namespace the code needs, with
    each ``hook_N`` naming the type whose hook it stands for.
    """
    types = typing.get_type_hints(cls)
    hooks: dict[str, Any] = {}
    namespace: dict[str, Any] = {}
    written: list[tuple[str, str | None]] = []
    for index, field in enumerate(fields):
        expression = _value_expression(types[field.name], hooks, wire=wire)
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


def _wire_writer(cls: type) -> Callable[[Any], Any]:
    """The function that writes a *cls* record as a msgspec struct (compiled once per class)."""
    writer = _WIRE_WRITERS.get(cls)
    if writer is None:
        writer = _WIRE_WRITERS[cls] = _name_wire if cls is Name else _compile_wire_writer(cls)
    return writer


_WIRE_WRITERS: dict[type, Callable[[Any], Any]] = {}


def _compile_wire_writer(cls: type) -> Callable[[Any], Any]:
    """Compile a function that writes a *cls* record as a msgspec struct.

    The struct's fields are the record's in sorted order, and those at their
    defaults hold the struct's own default, so msgspec writes exactly the keys
    and values [`to_dict`][kgru_relations.to_dict] gives, in the order a
    sorted dump needs, without building a dict per record and sorting its
    keys (what most of the time of ``dumps`` and ``write_observations`` went to).
    """
    fields = sorted((field for field in attrs.fields(cls) if field.init), key=lambda f: f.name)
    written, namespace = _field_writers(cls, fields, wire=True)
    defaults: list[Any] = []
    lines = ["def write(value):"]
    arguments: list[str] = []
    for index, (field, (expression, omitted)) in enumerate(zip(fields, written, strict=True)):
        if expression == "item" and (omitted is None or _is_singleton(field.default)):
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
        if name.startswith("hook_"):
            nested = isinstance(annotation, type) and issubclass(annotation, Name | Record)
            hook = _wire_writer if nested else _converter().get_unstructure_hook
            namespace[name] = hook(annotation)
    namespace |= {"Struct": struct, "LEFT_OUT": _LEFT_OUT}
    exec("\n".join(lines), namespace)
    write: Callable[[Any], Any] = namespace["write"]
    return write


def _is_singleton(default: object) -> bool:
    """Whether every value equal to *default* is *default* itself (msgspec compares by identity)."""
    return default is None or isinstance(default, bool | enum.Enum) or default == ()


# What a name leaves out when it is written: the values its fields have when not given.
_NAME_LEFT_OUT: Final = {"language": None, "script": None, "kind": NameKind.COMMON}


def _unstructure_name(name: Name) -> dict[str, Any]:
    result: dict[str, Any] = {"text": name.text}
    for field, left_out in _NAME_LEFT_OUT.items():
        value = getattr(name, field)
        if value is not left_out:
            result[field] = value.value if isinstance(value, NameKind) else value
    return result


_NameOut: Final = msgspec.defstruct(
    "NameOut",
    [(field, Any, _LEFT_OUT) for field in sorted((*_NAME_LEFT_OUT, "text"))],
    omit_defaults=True,
    gc=False,
)


def _name_wire(name: Name) -> Any:
    return _NameOut(**_unstructure_name(name))


def _is_tuple(annotation: object) -> bool:
    origin: object = typing.get_origin(annotation)
    return origin is tuple


def configure_converter(converter: cattrs.Converter) -> None:
    """Configure *converter* for kgru_relations' model, as cattrs' preconf modules do.

    Values structure strictly (text must be text, ``"5"`` is not an integer,
    amounts are decimal strings), unknown keys are errors, and every problem
    in a record is reported as a [`ValidationError`][kgru_relations.ValidationError]
    issue with its path. Unstructured records leave out fields at their defaults.
    """
    converter.register_structure_hook(str, _text)
    converter.register_structure_hook(bool, _bool)
    converter.register_structure_hook(int, _int)
    converter.register_structure_hook(Decimal, _decimal)
    converter.register_structure_hook(PartialDate, _partial_date)
    converter.register_structure_hook(Period, _period)
    converter.register_structure_hook(_dt.date, _day)
    converter.register_structure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _enum_hook
    )
    converter.register_structure_hook(Name, _structure_name())
    converter.register_structure_hook(Money, _structure_money)
    converter.register_structure_hook_factory(
        _is_tuple,
        lambda t: _structure_tuple(converter, typing.get_args(t)[0]),
    )
    converter.register_structure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, Record),
        lambda t: _structure_record(converter, t),
    )
    converter.register_unstructure_hook(PartialDate, str)
    converter.register_unstructure_hook(Period, str)
    converter.register_unstructure_hook(Decimal, lambda value: format(value, "f"))
    converter.register_unstructure_hook(_dt.date, _dt.date.isoformat)
    converter.register_unstructure_hook(Name, _unstructure_name)
    converter.register_unstructure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, Record),
        lambda t: _unstructure_record(converter, t),
    )


def make_converter(**kwargs: Any) -> cattrs.Converter:
    """Return a new cattrs converter configured for the model (never the global one).

    Args:
        **kwargs: Passed to ``cattrs.Converter``.
    """
    converter = cattrs.Converter(**kwargs)
    configure_converter(converter)
    return converter


@functools.cache
def _converter() -> cattrs.Converter:
    return make_converter()


# --- single records ----------------------------------------------------------------------


def to_dict(value: Any) -> Any:
    """Return a model value (an entity, a name, a date...) as JSON-ready Python data."""
    return _converter().unstructure(value)


def from_dict(cls: type[T], data: object) -> T:
    """Build a *cls* (an entity class, ``Name``, ``PartialDate``...) from JSON-ready data.

    Raises:
        ValidationError: With every problem, each at its path (``$.period.end``).
    """
    return _guarded(lambda: _converter().structure(data, cls))


def to_json(value: Any) -> bytes:
    """Return a model value as UTF-8 JSON, keys sorted, with a trailing newline."""
    return _encode(to_dict(value))


def from_json(cls: type[T], data: bytes | str) -> T:
    """Build a *cls* from JSON text: ``from_json(Person, b'{"id": ...}')``.

    Raises:
        ValidationError: For text that is not JSON or not a valid *cls*.
    """
    return _guarded(lambda: from_dict(cls, _decode(data)))


def _guarded(action: Callable[[], T]) -> T:
    """Run *action*, turning a too-deep input into a ValidationError.

    Every check raises ``ValidationError`` itself, at its path. Anything else
    that escapes is a bug in this library, and surfaces as one: it is never
    turned into a verdict on the input.
    """
    try:
        return action()
    except RecursionError:
        raise ValidationError.at("$", "the input is nested too deeply to read") from None


# msgspec writes the same bytes as json.dumps(data, ensure_ascii=False,
# sort_keys=True, indent=2) + "\n", ten times faster: the stdlib's encoder runs
# in pure Python whenever it indents. A property test holds them to it.
_ENCODER: Final = msgspec.json.Encoder(order="sorted")


def _encode(data: Any) -> bytes:
    return msgspec.json.format(_ENCODER.encode(data), indent=2) + b"\n"


def _decode(data: bytes | str) -> Any:
    if isinstance(data, bytes | bytearray | memoryview):
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValidationError.at(
                "$", f"the input is not UTF-8 text (byte {error.start}: {error.reason})"
            ) from None
    elif isinstance(data, str):
        text = data
    else:
        raise ValidationError.at("$", f"expected bytes or text, got {type(data).__name__}")
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ValidationError.at("$", "the input is empty; expected a JSON object")
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            [Issue("$", f"not valid JSON: {error.msg}", line=error.lineno, column=error.colno)]
        ) from None
    except RecursionError:
        raise ValidationError.at("$", "the JSON is nested too deeply to read") from None


# --- whole datasets ------------------------------------------------------------------------


def register_migration(
    from_version: int,
) -> Callable[
    [Callable[[dict[str, Any]], dict[str, Any]]], Callable[[dict[str, Any]], dict[str, Any]]
]:
    """Register a function that turns a version-*from_version* file into the next version.

    Loading a file with an older ``schema_version`` applies each registered
    migration in turn, from its version up to
    [`SCHEMA_VERSION`][kgru_relations.serialize.SCHEMA_VERSION].

    Examples:
        >>> @register_migration(0)
        ... def rename_people(data):
        ...     data["persons"] = data.pop("people", [])
        ...     return data
        >>> _ = _MIGRATIONS.pop(0)  # (keep this example from changing the library)
    """

    def register(
        migrate: Callable[[dict[str, Any]], dict[str, Any]],
    ) -> Callable[[dict[str, Any]], dict[str, Any]]:
        _MIGRATIONS[from_version] = migrate
        return migrate

    return register


def _migrate(data: dict[str, Any]) -> dict[str, Any]:
    version = data.get("schema_version")
    if "schema_version" not in data:
        raise ValidationError.at(
            "$.schema_version", f"required field is missing; this library writes {SCHEMA_VERSION}"
        )
    if not isinstance(version, int) or isinstance(version, bool):
        raise ValidationError.at(
            "$.schema_version", f"expected an integer version, got {_describe(version)}"
        )
    if version > SCHEMA_VERSION:
        raise ValidationError.at(
            "$.schema_version",
            f"the file has schema_version {version}, but this version of kgru_relations "
            f"reads up to {SCHEMA_VERSION}; upgrade kgru-relations to read it",
        )
    while version < SCHEMA_VERSION:
        migrate = _MIGRATIONS.get(version)
        if migrate is None:
            raise ValidationError.at(
                "$.schema_version",
                f"the file has schema_version {version}, and no migration from it to "
                f"{SCHEMA_VERSION} is known",
            )
        data = _object_pairs(list(migrate(dict(data)).items()))
        version += 1
        data["schema_version"] = version
    return data


class _FileIssues(_IssueCollector):
    """Problems with a data file, listed record by record in the file's order.

    Each problem is recorded with the place of its record (collection and
    index in the file), so they can be put in order without reading paths
    back; past ``MAX_ISSUES`` they are only counted.
    """

    __slots__ = ("places",)

    def __init__(self) -> None:
        super().__init__()
        self.places: list[tuple[int, int]] = []

    def at(self, collection: str, index: int, issue: Issue) -> None:
        """Record *issue*, found in record *index* of *collection*."""
        if len(self.issues) < MAX_ISSUES:
            self.places.append((_ORDER[collection], index))
        self.append(issue)

    def raise_in_file_order(self) -> None:
        """Raise every problem, the file's own first, then record by record."""
        unplaced = [(-1, 0)] * (len(self.issues) - len(self.places))
        places = unplaced + self.places  # file-level problems are recorded first
        order = sorted(range(len(self.issues)), key=places.__getitem__)
        self.issues = [self.issues[i] for i in order]
        self.raise_if_any()


def _dataset_from(value: object) -> Dataset:
    data = _migrate(_object(value, "a data file"))
    table = {"schema_version": True} | dict.fromkeys(_COLLECTIONS, False)
    issues = _FileIssues()
    issues.append_all(_key_issues(data, table))
    converter = _converter()
    entities: list[Entity] = []
    # For each collection, the file index of each entity that structured.
    positions: dict[str, list[int]] = {}
    failed_ids: set[str] = set()
    failed: list[tuple[str, int]] = []
    for collection, cls in _COLLECTIONS.items():
        records = data.get(collection, [])
        if not isinstance(records, list):
            issues.append(Issue(f"$.{collection}", f"expected a list, got {_describe(records)}"))
            continue
        kept = positions.setdefault(collection, [])
        for index, record in enumerate(records):
            try:
                entities.append(converter.structure(record, cls))
                kept.append(index)
            except ValidationError as error:
                for issue in error.under(collection, index):
                    issues.at(collection, index, issue)
                issues.more += error.more
                if isinstance(record, dict):
                    failed.append((collection, index))
                    if isinstance(record.get("id"), str):
                        failed_ids.add(record["id"])
    dataset = Dataset(entities)
    known = _known_kinds(data)
    for collection, index in failed:
        for issue in _context_issues(
            _COLLECTIONS[collection], data[collection][index], known, dataset
        ):
            issues.at(collection, index, issue.under(collection, index))
    # A reference to a record that is in the file but failed to build is
    # judged by that record's kind (the record itself is already reported).
    # Problems come from validate() with their places, never as text to read back.
    retold = _failed_target_problems(dataset, known, failed_ids)
    for problem in problems(dataset):
        place = (problem.collection, problem.row, problem.keys)
        message = retold.get(place, problem.message)
        if message is None:
            continue
        index = positions[problem.collection][problem.row]
        if len(issues.issues) >= MAX_ISSUES:
            issues.more += 1  # past the limit: counted, not built
            continue
        issue = _Problem(problem.collection, index, problem.keys, message).issue()
        issues.at(problem.collection, index, issue)
    issues.raise_in_file_order()
    return dataset


_ORDER: Final = {collection: index for index, collection in enumerate(_COLLECTIONS)}


def _failed_target_problems(
    dataset: Dataset, known: dict[str, str], failed_ids: set[str]
) -> dict[tuple[str, int, tuple[str | int, ...]], str | None]:
    """What is wrong with each reference to a record that failed to build.

    Keyed by the place ``Dataset`` gives the reference (collection, row among
    the records built, keys); ``None`` if nothing is (the record has the right
    kind, and is reported itself).
    """
    problems: dict[tuple[str, int, tuple[str | int, ...]], str | None] = {}
    if not failed_ids:
        return problems
    for cls in _COLLECTIONS.values():
        for index, entity in enumerate(dataset.all(cls)):
            for keys, target, kinds in iter_references(entity):
                if target in failed_ids:
                    place = (cls.COLLECTION, index, keys)
                    problems[place] = reference_problem(target, kinds, known.get(target))
    return problems


def _known_kinds(data: dict[str, Any]) -> dict[str, str]:
    """Every id in the file (valid records or not) -> the kind of its collection."""
    known: dict[str, str] = {}
    for collection, cls in _COLLECTIONS.items():
        records = data.get(collection)
        for record in records if isinstance(records, list) else ():
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                known.setdefault(record["id"], cls.KIND)
    return known


def _context_issues(
    cls: type[Entity], record: dict[str, Any], known: dict[str, str], dataset: Dataset
) -> list[Issue]:
    """The Dataset's checks, run on the raw fields of a record that could not be built.

    A record with a bad field and a dangling reference (or a negative value)
    then reports both, not only the first.
    """
    issues: list[Issue] = []
    for field in attrs.fields(cls):
        kinds = reference_kinds(cls, field)
        raw = record.get(field.name)
        if not kinds or raw is None:
            continue
        targets = list(enumerate(raw)) if isinstance(raw, list) else [(None, raw)]
        for index, target in targets:
            if not isinstance(target, str) or not _is_id(target):
                continue  # already reported as malformed
            problem = reference_problem(target, kinds, known.get(target))
            if problem is not None:
                keys = (field.name,) if index is None else (field.name, index)
                issues.append(Issue("$", problem).under(*keys))
    if cls is Observation:
        target = record.get("indicator")
        indicator = dataset.get(target) if isinstance(target, str) and target in dataset else None
        try:
            value = _decimal(record.get("value"))
        except ValidationError:
            pass  # already reported as malformed
        else:
            if (problem := sign_problem(value, indicator)) is not None:
                issues.append(Issue("$.value", problem))
        unit = record.get("unit")
        if isinstance(unit, str) and (problem := unit_problem(unit, indicator)) is not None:
            issues.append(Issue("$.unit", problem))
    return issues


def _is_id(value: str) -> bool:
    try:
        valid_id(value)
    except ValidationError:
        return False
    return True


def loads(data: bytes | str) -> Dataset:
    """Read a dataset from the text of a data file.

    Raises:
        ValidationError: With every problem in the input, each with its path:
            bad JSON (with line and column), unknown keys, wrong values,
            references to no entity, a newer schema version. Nothing else is
            raised, whatever the input.
    """
    # The fast path answers only when it is sure the file is valid; on any doubt,
    # the careful path reads it again and reports every problem with its path.
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if not raw.startswith(b"\xef\xbb\xbf"):
        fast = fast_loads(raw, SCHEMA_VERSION)
        if fast is not None:
            return fast
    return _guarded(lambda: _dataset_from(_decode(data)))


def load(path: PathLike) -> Dataset:
    """Read a dataset from a data file.

    Raises:
        OSError: If the file cannot be read (missing, a directory, no permission).
        ValidationError: If its content is not a valid data file.
    """
    return loads(read_bytes(path))


DEFAULT_DATASET: Final = "data/kg_ru.json"
"""Where, inside the package, the embedded Kyrgyzstan–Russia dataset lives."""


@functools.cache
def load_default() -> Dataset:
    """Return the embedded, sourced dataset of Kyrgyzstan–Russia relations.

    It is read from the package (with ``importlib.resources``) the first time
    and cached: every call returns the same immutable object.

    Examples:
        >>> from kgru_relations import load_default
        >>> load_default().get("state:kg").label
        'Kyrgyzstan'
        >>> load_default() is load_default()
        True
    """
    return loads(importlib.resources.files("kgru_relations").joinpath(DEFAULT_DATASET).read_bytes())


_ID_OF: Final = operator.attrgetter("id")


def _document(dataset: Dataset) -> dict[str, Any]:
    document: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for collection, cls in _COLLECTIONS.items():
        entities = sorted(dataset.all(cls), key=_ID_OF)
        if entities:
            # One writer per collection (a function compiled for the class), no lookup per record.
            document[collection] = list(map(_wire_writer(cls), entities))
    return document


def dumps(dataset: Dataset) -> bytes:
    """Return the data file for *dataset*: deterministic UTF-8 JSON with a trailing newline."""
    with paused():  # a dict a record, none of them garbage: no cycle hunts meanwhile
        return _encode(_document(dataset))


def save(dataset: Dataset, path: PathLike) -> None:
    """Write *dataset* to *path* atomically: a crash mid-save leaves the old file whole."""
    write_atomically(path, [dumps(dataset)])


dump = save
"""Another name for [`save`][kgru_relations.serialize.save]."""


# --- observation streams (JSON Lines) --------------------------------------------------------


def write_observations(path: PathLike, observations: Iterable[Observation]) -> int:
    """Write observations as JSON Lines (one compact object per line), atomically.

    Returns:
        The number of observations written.
    """
    converter = _converter()
    unstructure = _wire_writer(Observation)  # looked up once, not per line
    count = 0

    def chunks() -> Iterator[bytes]:
        nonlocal count
        batch: list[Any] = []
        for observation in observations:
            if type(observation) is Observation:
                batch.append(unstructure(observation))
            else:  # a subclass, or not an observation: the converter says what to do
                batch.append(converter.unstructure(observation))
            if len(batch) == _LINES_A_CHUNK:
                count += len(batch)
                yield _ENCODER.encode_lines(batch)  # compact, keys sorted, one a line
                batch.clear()
        if batch:
            count += len(batch)
            yield _ENCODER.encode_lines(batch)

    write_atomically(path, chunks())
    return count


_LINES_A_CHUNK: Final = 1024


def _observation_from_line(converter: cattrs.Converter, raw: bytes) -> Observation:
    fast = fast_record(Observation, raw)  # None on any doubt: then the careful way
    if fast is not None:
        return fast
    return _guarded(lambda: converter.structure(_decode(raw), Observation))


def iter_observations(
    path: PathLike,
    *,
    on_error: Literal["raise", "skip"] = "raise",
    errors: list[Issue] | None = None,
) -> Iterator[Observation]:
    """Read observations from a JSON Lines file, one at a time, in constant memory.

    Args:
        path: The file; blank lines are ignored.
        on_error: ``"raise"`` (the default) stops at the first bad line with a
            ``ValidationError``; ``"skip"`` skips bad lines and goes on.
        errors: A list that receives the issues of skipped lines, each with
            its line number.

    Raises:
        ValidationError: For a bad line, when *on_error* is ``"raise"``;
            each issue carries the line number.
        OSError: If the file cannot be read.
    """
    if on_error not in ("raise", "skip"):
        msg = f"on_error must be 'raise' or 'skip', got {shown(on_error)}"
        raise ValueError(msg)
    for _, observations in _observation_batches(path, on_error, errors):
        yield from observations


def numbered_observations(
    path: PathLike,
    *,
    on_error: Literal["raise", "skip"] = "raise",
    errors: list[Issue] | None = None,
) -> Iterator[tuple[int, Observation]]:
    """Each observation of a JSON Lines file with its line number (from 1).

    Reads as [`iter_observations`][kgru_relations.serialize.iter_observations]
    does, with the same arguments, for a caller that reports on a record
    later and must say which line it came from.
    """
    for numbers, observations in _observation_batches(path, on_error, errors):
        yield from zip(numbers, observations, strict=True)


def _observation_batches(
    path: PathLike, on_error: Literal["raise", "skip"], errors: list[Issue] | None
) -> Iterator[tuple[Sequence[int], list[Observation]]]:
    """The observations of a JSON Lines file and their line numbers, a read's lines at a time."""
    converter = _converter()
    number = 0  # of the last line read
    # _line_batches refuses devices, bounds each line and never waits forever on a
    # pipe; it gives the lines each read brought, which are built together.
    for read in _line_batches(path):
        first = number + 1
        number += len(read)
        numbers: Sequence[int] = range(first, number + 1)
        lines = read
        # Empty lines are skipped (a line of blanks fails to decode below, and its
        # lines are then read one by one, which skips it too).
        if not all(read):
            numbers = [at for at, line in zip(numbers, read, strict=True) if line.strip()]
            lines = [line for line in read if line.strip()]
        together = fast_records(Observation, lines)  # None on any doubt about any line
        if together is not None:
            yield numbers, together
            continue
        kept: list[int] = []
        built: list[Observation] = []
        for at, raw in zip(numbers, lines, strict=True):  # one by one, the fast way if sure
            try:
                built.append(_observation_from_line(converter, raw))
            except ValidationError as error:
                found = [attrs.evolve(issue, line=at) for issue in error.issues]
                if on_error == "raise":
                    yield kept, built  # the good lines before the bad one come first
                    raise ValidationError(found) from None
                if errors is not None:
                    errors.extend(found)
                continue
            kept.append(at)
        yield kept, built
