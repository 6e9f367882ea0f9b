"""The fast path of ``loads``: msgspec decodes, one Python pass builds, any doubt falls back.

[`loads`][kgru_relations.loads] first tries this path. msgspec decodes the file
into *wire* structs, generated once per model class from its attrs fields:
they check what msgspec can (JSON types, required fields, no unknown keys).
One Python pass then does what msgspec cannot, field by field, with the very
functions the careful path uses: the structure step (text to a date, a
decimal, an enum member) and the field's check, the result kept per distinct
value (an id or a date is parsed once, however many records cite it). It
builds each record without running its checks a second time, then runs the
record's own rules and the dataset's integrity checks.

On any doubt at all (a value a check refuses, a key given twice, an older
schema version, JSON msgspec will not read) it returns ``None``, and ``loads``
takes the careful path, which reports every problem with its path. So the
fast path never decides that a file is wrong, and accepts only what the
careful path accepts, building an equal dataset (a property test holds it
to that).
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import re
import threading
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final, TypeVar

import attrs
import msgspec

from kgru_relations._checks import Check, Optional
from kgru_relations._gc import paused
from kgru_relations._text import check_paragraphs, check_text
from kgru_relations.dataset import Dataset
from kgru_relations.dates import PartialDate, Period
from kgru_relations.model import ENTITY_CLASSES, Entity
from kgru_relations.model._base import Record, as_decimal
from kgru_relations.money import _decimal_rule
from kgru_relations.names import Name, NameKind

__all__ = ["fast_loads", "fast_record"]

_UNSET: Final = msgspec.UNSET
T = TypeVar("T")
_MEMO_LIMIT: Final = 8192  # distinct values remembered per field
# Blanks before a colon (a key written '"id" :'), or an escaped quote just
# before one, would make the count of keys below uncertain: such files take
# the careful path. (Counting bytes is far faster than any regular expression.)
_UNCERTAIN_KEYS: Final = (b'\\":', b" :", b"\t:", b"\n:", b"\r:")


class _Doubt(Exception):
    """The fast path cannot be sure; the careful path decides."""


class _Unsupported(Exception):
    """A field type the fast path does not know: every file takes the careful path."""


# --- the structure step, as the careful path's hooks do it ---------------------------


def _structure_step(annotation: Any) -> Callable[[Any], Any] | None:
    """What the careful path's structure hook does to a wire value; None: nothing."""
    from kgru_relations import serialize  # noqa: PLC0415 - serialize imports this module

    if annotation in (str, bool, int):
        return None
    if annotation is Decimal:
        return serialize._decimal
    if annotation is PartialDate:
        return PartialDate.parse
    if annotation is Period:
        return Period.parse
    if annotation is _dt.date:
        return serialize._day
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return annotation
    raise _Unsupported(annotation)


# --- wire structs: what msgspec checks ----------------------------------------------


class _Plan:
    """How to build one class from its wire struct."""

    __slots__ = ("build", "cls", "fields", "wire")

    def __init__(self, cls: type, wire: type, fields: list[_Field]) -> None:
        self.cls = cls
        self.wire = wire
        self.fields = fields
        self.build = _compile_builder(cls, fields)


class _Field:
    """One field: its name, how to turn a wire value into the model value, its default."""

    __slots__ = ("build", "default", "listed", "memo", "name", "nested", "unique")

    def __init__(
        self,
        name: str,
        build: Callable[[Any], Any],
        default: Any,
        *,
        nested: bool,
        listed: bool,
        unique: bool,
    ) -> None:
        self.name = name
        self.build = build  # wire value -> checked model value
        self.default = default  # the checked default, or _UNSET if required
        self.memo: dict[Any, Any] = {}
        self.nested = nested  # holds names or records: built each time, never remembered
        self.listed = listed  # a JSON list: remembered by the tuple of its items
        self.unique = unique  # ids, amounts, free text: seldom repeated, so never remembered


def _compile_builder(cls: type, fields: list[_Field]) -> Callable[[Any], Any]:
    """Generate, once per class, the function that builds a record from its wire struct.

    One block per field, as attrs writes ``__init__``: read the wire value,
    look it up among the values already built (or build, check and remember
    it), set it. The record's own rules run at the end; any problem is a doubt.
    """
    namespace: dict[str, Any] = {
        "new": object.__new__,
        "cls": cls,
        "setattr": object.__setattr__,
        "UNSET": _UNSET,
        "Doubt": _Doubt,
        "counted": _counted,
    }
    lines = ["def build(wire):", "    record = new(cls)", "    keys = 0"]
    for index, field in enumerate(fields):
        namespace[f"field_{index}"] = field
        namespace[f"memo_{index}"] = field.memo
        namespace[f"default_{index}"] = field.default
        namespace[f"slow_{index}"] = functools.partial(_value, field)
        namespace[f"build_{index}"] = field.build
        lines.append(f"    raw = wire.{field.name}")
        body = [
            "keys += 1",
            *(
                [f"value = slow_{index}(raw)"]
                if field.nested
                else [
                    "try:",
                    f"    value = build_{index}(raw)",
                    "except (ValueError, TypeError):",  # ValidationError is a ValueError
                    "    raise Doubt from None",
                ]
                if field.unique
                else [
                    "try:",
                    f"    value = memo_{index}[{'tuple(raw)' if field.listed else 'raw'}]",
                    "except KeyError:",
                    f"    value = slow_{index}(raw)",
                ]
            ),
        ]
        if field.default is _UNSET:
            lines += [f"    {line}" for line in body]
        else:
            lines += ["    if raw is UNSET:", f"        value = default_{index}", "    else:"]
            lines += [f"        {line}" for line in body]
        lines.append(f"    setattr(record, {field.name!r}, value)")
    lines += [
        "    counted[0] += keys",
        "    for _ in record._own_issues():",
        "        raise Doubt",
        "    for _ in record._rules():",
        "        raise Doubt",
        "    return record",
    ]
    exec("\n".join(lines), namespace)
    builder: Callable[[Any], Any] = namespace["build"]
    return builder


class _Compiler:
    def __init__(self) -> None:
        self.plans: dict[type, _Plan] = {}
        self.name_wire = msgspec.defstruct(
            "NameWire",
            [
                ("text", str),
                ("language", str | None | msgspec.UnsetType, _UNSET),
                ("script", str | None | msgspec.UnsetType, _UNSET),
                ("kind", str | msgspec.UnsetType, _UNSET),
            ],
            forbid_unknown_fields=True,
            gc=False,
        )

    def wire_type(self, annotation: Any) -> Any:
        args = typing.get_args(annotation)
        if typing.get_origin(annotation) is tuple:
            return list[self.wire_type(args[0])]  # type: ignore[misc]
        if type(None) in args:
            [inner] = [arg for arg in args if arg is not type(None)]
            return self.wire_type(inner) | None
        if annotation in (bool, int):
            return annotation
        if annotation is Name:
            return self.name_wire
        if isinstance(annotation, type) and issubclass(annotation, Record):
            return self.plan(annotation).wire
        _structure_step(annotation)  # raises if unknown
        return str

    def value_builder(self, annotation: Any) -> Callable[[Any], Any]:
        """A wire value, structured as the careful path's hook would."""
        args = typing.get_args(annotation)
        if typing.get_origin(annotation) is tuple:
            item = self.value_builder(args[0])
            return lambda values: tuple(item(value) for value in values)
        if type(None) in args:
            [inner] = [arg for arg in args if arg is not type(None)]
            build = self.value_builder(inner)
            return lambda value: None if value is None else build(value)
        if annotation is Name:
            return _name
        if isinstance(annotation, type) and issubclass(annotation, Record):
            plan = self.plan(annotation)
            return plan.build
        step = _structure_step(annotation)
        return (lambda value: value) if step is None else step

    def plan(self, cls: type) -> _Plan:
        found = self.plans.get(cls)
        if found is not None:
            return found
        types = typing.get_type_hints(cls)
        wire_fields: list[Any] = []
        fields: list[_Field] = []
        for field in attrs.fields(cls):
            if not field.init:
                raise _Unsupported(field)
            wire = self.wire_type(types[field.name])
            if field.default is attrs.NOTHING:
                wire_fields.append((field.name, wire))
            else:
                wire_fields.append((field.name, wire | msgspec.UnsetType, _UNSET))
            structure = self.value_builder(types[field.name])
            converter = field.converter
            check = field.metadata.get("check")
            fields.append(
                _Field(
                    field.name,
                    _compose(structure, converter, check),
                    _default(field, converter, check),
                    nested=_holds_structs(types[field.name]),
                    listed=_is_list(types[field.name]),
                    unique=field.name == "id"
                    or types[field.name] in (Decimal, Decimal | None)
                    or _is_text(check),
                )
            )
        wire_struct = msgspec.defstruct(
            f"{cls.__name__}Wire",
            wire_fields,
            forbid_unknown_fields=True,
            kw_only=True,
            gc=False,  # plain data, never in a cycle: the collector need not track it
        )
        plan = self.plans[cls] = _Plan(cls, wire_struct, fields)
        return plan


def _is_text(check: Any) -> bool:
    """Whether *check* is the text rule (perhaps optional): values seldom repeat."""
    inner = check.inner if isinstance(check, Optional) else check
    return inner is check_text or inner is check_paragraphs


def _is_list(annotation: Any) -> bool:
    """Whether a field's wire value is a list (a tuple in the model)."""
    if typing.get_origin(annotation) is tuple:
        return True
    return any(_is_list(arg) for arg in typing.get_args(annotation))


def _holds_structs(annotation: Any) -> bool:
    """Whether a field's values are (or hold) names or records."""
    if annotation is Name or (isinstance(annotation, type) and issubclass(annotation, Record)):
        return True
    return any(_holds_structs(arg) for arg in typing.get_args(annotation))


def _compose(
    structure: Callable[[Any], Any], converter: Any, rule: Check | None
) -> Callable[[Any], Any]:
    """structure, then the attrs converter, then the field's check: what building does."""
    from kgru_relations import serialize  # noqa: PLC0415 - serialize imports this module

    check = None if rule is None else rule.call
    if structure is serialize._decimal and rule is _decimal_rule and converter is as_decimal:
        # _decimal ends in the decimal rule, which gives back a Decimal it accepted
        # unchanged: checking it again would only parse it twice.
        check = converter = None

    def build(value: Any) -> Any:
        value = structure(value)
        if converter is not None:
            value = converter(value)
        return value if check is None else check(value)

    return build


def _default(field: attrs.Attribute[Any], converter: Any, check: Any) -> Any:
    """The value a record holds when the file leaves *field* out, as building gives it."""
    default = field.default
    if default is attrs.NOTHING:
        return _UNSET
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        raise _Unsupported(field)
    if converter is not None:
        default = converter(default)
    return default if check is None else check(default)


# Keys seen while building, for the duplicate-key test. One build at a time
# holds _BUILDING, so threads loading at once never mix their counts.
_counted = [0]
_BUILDING: Final = threading.Lock()


def _name(wire: Any) -> Name:
    kind = NameKind.COMMON.value if wire.kind is _UNSET else wire.kind
    language = None if wire.language is _UNSET else wire.language
    script = None if wire.script is _UNSET else wire.script
    _counted[0] += (
        1 + (wire.kind is not _UNSET) + (wire.language is not _UNSET) + (wire.script is not _UNSET)
    )
    return Name(wire.text, language=language, script=script, kind=kind)


def _value(field: _Field, raw: Any) -> Any:
    """*raw* built and checked, remembered per distinct value (ids and dates repeat)."""
    memo = field.memo
    key: Any = None if field.nested else tuple(raw) if field.listed else raw
    try:
        value = field.build(raw)
    except (ValueError, TypeError) as error:  # ValidationError is a ValueError
        raise _Doubt from error
    if key is not None and len(memo) < _MEMO_LIMIT:
        memo[key] = value
    return value


@functools.cache
def _file_plan() -> tuple[Any, dict[str, _Plan]] | None:
    compiler = _Compiler()
    try:
        plans = {cls.COLLECTION: compiler.plan(cls) for cls in ENTITY_CLASSES}
    except _Unsupported:
        return None
    fields: list[Any] = [("schema_version", int)]
    fields += [
        (collection, list[plan.wire] | msgspec.UnsetType, _UNSET)  # type: ignore[name-defined]
        for collection, plan in plans.items()
    ]
    return msgspec.defstruct("FileWire", fields, forbid_unknown_fields=True, gc=False), plans


def fast_loads(data: bytes, version: int) -> Dataset | None:
    """Read a data file of schema *version* the fast way; ``None`` if anything is in doubt.

    Never raises for bad input: every doubt is the careful path's to report.
    """
    plan = _file_plan()
    if plan is None or any(pattern in data for pattern in _UNCERTAIN_KEYS):
        return None
    file_wire, plans = plan
    # A million new objects, none of them garbage: no cycle hunts meanwhile.
    with _BUILDING, paused():
        try:
            document: Any = msgspec.json.decode(data, type=file_wire)
        except (msgspec.MsgspecError, ValueError, RecursionError):  # bad UTF-8: ValueError
            return None
        if document.schema_version != version:
            return None  # an older file goes through its migrations
        try:
            return _build_dataset(document, plans, data)
        except _Doubt:
            return None


# Every key msgspec let through is a field name, so it ends in a letter or "_":
# a '":' after anything else opens a string that begins with a colon.
_NOT_A_KEY_END: Final = re.compile(rb'(?<![a-z_])":')


def _key_count(data: bytes) -> int:
    """How many keys the JSON text holds (given no blank before a colon, no escaped quote)."""
    total = data.count(b'":')
    if total != _counted[0]:  # rare: a string that begins with ":"
        total -= len(_NOT_A_KEY_END.findall(data))
    return total


def _build_dataset(document: Any, plans: dict[str, _Plan], data: bytes) -> Dataset | None:
    _counted[0] = 1  # schema_version
    entities: list[Entity] = []
    for collection, plan in plans.items():
        records = getattr(document, collection)
        if records is _UNSET:
            continue
        _counted[0] += 1
        entities.extend(map(plan.build, records))
    if _counted[0] != _key_count(data):
        return None  # a key given twice (msgspec keeps the last): the careful path reports it
    dataset = Dataset(entities)
    if dataset.validate():
        return None
    return dataset


@functools.cache
def _record_decoder(cls: type) -> tuple[msgspec.json.Decoder[Any], _Plan] | None:
    try:
        plan = _Compiler().plan(cls)
    except _Unsupported:
        return None
    return msgspec.json.Decoder(plan.wire), plan


def fast_record(cls: type[T], data: bytes) -> T | None:
    """Read one record of *cls* from JSON text (a JSON Lines line); ``None`` if in doubt."""
    found = _record_decoder(typing.cast(type, cls))
    if found is None or any(pattern in data for pattern in _UNCERTAIN_KEYS):
        return None
    decoder, plan = found
    try:
        wire = decoder.decode(data)
    except (msgspec.MsgspecError, ValueError, RecursionError):
        return None
    with _BUILDING:
        _counted[0] = 0
        try:
            record: T = plan.build(wire)
        except _Doubt:
            return None
        if _counted[0] != _key_count(data):
            return None
        return record
