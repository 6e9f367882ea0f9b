"""The fast path of ``loads``: msgspec decodes, one Python pass builds, any doubt falls back.

[`loads`][kgru_relations.loads] first tries this path. msgspec decodes the file
into *wire* structs, generated once per model class from its fields' checks
(each check declares its wire type): they check what msgspec can (JSON
types, required fields, no unknown keys). One Python pass then does what
msgspec cannot, field by field, with each field's check (its builder; text
that an amount's fast form matches is read without the rule, which would
give the same value), the result kept per distinct value when the check's
values repeat (an id or a date is parsed once, however many records cite
it). It builds each record without running its checks a second time, then
runs the record's own rules and the dataset's integrity checks.

msgspec keeps the last of a key given twice, where the careful path refuses
the file. So the builders count each key they keep and each colon in the
text they keep, and the file's colons are counted once: a key given twice
adds at least its own colon (see ``_all_keys_kept``).

On any doubt at all (a value a check refuses, a key given twice, an older
schema version, JSON msgspec will not read) it returns ``None``, and ``loads``
takes the careful path, which reports every problem with its path. So the
fast path never decides that a file is wrong, and accepts only what the
careful path accepts, building an equal dataset (a property test holds it
to that).
"""

from __future__ import annotations

import functools
import re
import threading
import typing
from collections.abc import Callable
from typing import Any, Final, TypeVar

import attrs
import msgspec

from kgru_relations._checks import Check, Instance, Many, Optional, Wire
from kgru_relations._codegen import MEMO_LIMIT, compile_function, compiled, slot_setter
from kgru_relations._gc import paused
from kgru_relations.dataset import Dataset
from kgru_relations.model import ENTITY_CLASSES, Entity
from kgru_relations.model._base import Record, field_check, reference_kinds

__all__ = ["fast_loads", "fast_record", "fast_records"]

_UNSET: Final = msgspec.UNSET
T = TypeVar("T")


class _Doubt(Exception):
    """The fast path cannot be sure; the careful path decides."""


class _Unsupported(Exception):
    """A field type the fast path does not know: every file takes the careful path."""


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

    __slots__ = (
        "build",
        "colons",
        "default",
        "fast_form",
        "listed",
        "memo",
        "name",
        "nested",
        "optional",
        "plain",
        "unique",
    )

    def __init__(
        self,
        name: str,
        build: Callable[[Any], Any],
        default: Any,
        *,
        nested: bool,
        listed: bool,
        unique: bool,
        colons: int | None = None,
        fast_form: tuple[str, Callable[[str], Any]] | None = None,
        plain: bool = False,
        optional: bool = False,
    ) -> None:
        self.name = name
        self.build = build  # wire value -> checked model value
        self.default = default  # the checked default, or _UNSET if required
        self.memo: dict[Any, Any] = {}
        self.nested = nested  # holds names or records: built each time, never remembered
        self.listed = listed  # a JSON list: remembered by the tuple of its items
        self.unique = unique  # ids, amounts, free text: seldom repeated, so never remembered
        # Colons in each text item of the wire value: a reference holds one, a
        # date or a code none (checked when first built); None: counted each time.
        self.colons = colons
        # Text the rule takes as it is (plain decimal text), and what makes its value.
        self.fast_form = fast_form
        self.plain = plain  # the wire value is the model value (text with no check)
        self.optional = optional  # the wire value may be null


def _colons(raw: Any) -> int:
    """The colons in a wire value's text (a list's items; none in null, numbers, booleans)."""
    if isinstance(raw, str):
        return raw.count(":")
    if isinstance(raw, list):
        return sum(item.count(":") for item in raw if isinstance(item, str))
    return 0


class _Count:
    """What a present field adds to ``keys``: its key, and the colons in its text.

    ``keys`` counts the field's key (one colon) and each colon inside its
    text; the sum is checked against the colons in the file, which finds a
    key given twice (msgspec keeps the last). *inside* is the colons in the
    value: a number known in advance, or the expression that counts them.
    """

    __slots__ = ("inside", "optional")

    def __init__(self, inside: int | str, *, optional: bool) -> None:
        self.inside = inside
        self.optional = optional

    @property
    def fixed(self) -> bool:
        """Whether every present value adds the same: the key and a known number of colons."""
        return isinstance(self.inside, int) and (self.inside == 0 or not self.optional)

    def statement(self, *, key_counted: bool) -> str | None:
        """The statement that counts, or ``None`` if nothing is left to count.

        With *key_counted*, the key is counted once for the whole record
        (a required field's key is always there) and only the colons here.
        """
        if self.fixed:
            return None if key_counted else f"keys += {1 + int(self.inside)}"
        key = "" if key_counted else "1 + "
        if self.optional:
            return f"keys += {0 if key_counted else 1} if raw is None else {key}{self.inside}"
        return f"keys += {key}{self.inside}"


def _count(field: _Field) -> _Count:
    """How a present field's key and the colons in its text are counted."""
    colons = field.colons
    if field.nested:  # names and records count their own
        colons = 0
    elif field.unique:  # an id and free text are counted; plain decimal text holds no colon
        colons = 0 if field.fast_form is not None else None
    elif colons is None:  # remembered text holds no colon; _value counts the rest
        colons = 0
    inside: int | str
    if colons is None:  # text counted each time
        inside = "colons(raw)" if field.listed else 'raw.count(":")'
    elif field.listed and colons:
        inside = f"{'' if colons == 1 else f'{colons} * '}len(raw)"
    else:
        inside = colons
    return _Count(inside, optional=field.optional and colons != 0)


def _build_lines(index: int, field: _Field) -> list[str]:
    """The statements that set ``value`` to the model value of ``raw``, a present field's."""
    if field.nested:
        return [f"value = slow_{index}(raw)"]
    if not field.unique:
        key = "tuple(raw)" if field.listed else "raw"
        return [
            "try:",
            f"    value = memo_{index}[{key}]",
            "except KeyError:",
            f"    value = slow_{index}(raw)",
        ]
    if field.plain:
        return ["value = raw"]
    careful = [
        "try:",
        f"    value = build_{index}(raw)",
        "except (ValueError, TypeError):",  # ValidationError is a ValueError
        "    raise Doubt from None",
    ]
    if field.fast_form is None:
        return careful
    return [
        f"if fast_form_{index}(raw) is not None:",
        f"    value = fast_value_{index}(raw)",
        "else:",
        *[f"    {line}" for line in careful],
    ]


def _compile_builder(cls: type, fields: list[_Field]) -> Callable[[Any], Any]:
    """Generate, once per class, the function that builds a record from its wire struct.

    One block per field, as attrs writes ``__init__``: read the wire value,
    look it up among the values already built (or build, check and remember
    it), set it. The record's own rules run at the end; any problem is a doubt.
    """
    # A small record (a name) has no rules of its own: the base record's, which find nothing.
    own_issues = getattr(cls, "_own_issues", Record._own_issues)
    rules = getattr(cls, "_rules", Record._rules)
    namespace: dict[str, Any] = {
        "new": object.__new__,
        "cls": cls,
        "UNSET": _UNSET,
        "Doubt": _Doubt,
        "counted": _counted,
        "colons": _colons,
        "own_issues": own_issues,
        "rules": rules,
    }
    lines = ["def build(wire):", "    record = new(cls)", "    keys = 0"]
    always = 0  # what required fields always count, added once
    for index, field in enumerate(fields):
        namespace[f"memo_{index}"] = field.memo
        namespace[f"default_{index}"] = field.default
        namespace[f"slow_{index}"] = functools.partial(_value, field)
        namespace[f"build_{index}"] = field.build
        namespace[f"set_{index}"] = slot_setter(cls, field.name)
        if field.fast_form is not None:
            pattern, make = field.fast_form
            namespace[f"fast_form_{index}"] = re.compile(pattern).fullmatch
            namespace[f"fast_value_{index}"] = make
        lines.append(f"    raw = wire.{field.name}")
        count = _count(field)
        body = _build_lines(index, field)
        if field.default is _UNSET:  # required: its key is counted once for all
            always += 1
            if count.fixed:
                always += int(count.inside)
            counting = count.statement(key_counted=True)
            lines += [f"    {line}" for line in ([counting] if counting else []) + body]
        else:
            counting = count.statement(key_counted=False)
            lines += ["    if raw is UNSET:", f"        value = default_{index}", "    else:"]
            lines += [f"        {line}" for line in [counting or "pass", *body]]
        lines.append(f"    set_{index}(record, value)")
    lines.append(f"    counted[0] += keys + {always}")
    # A class whose rules are the base's no-op is not asked (a call and an iterator saved).
    if own_issues is not Record._own_issues:
        lines += ["    for _ in own_issues(record):", "        raise Doubt"]
    if rules is not Record._rules:
        lines += ["    for _ in rules(record):", "        raise Doubt"]
    lines.append("    return record")
    return compile_function("build", lines, namespace, what=f"fast build {cls.__qualname__}")


class _Compiler:
    """Plans for model classes, each derived from its fields' checks."""

    def __init__(self) -> None:
        self.plans: dict[type, _Plan] = {}

    def struct(self, cls: type) -> Any:
        """The wire struct of *cls*."""
        return self.plan(cls).wire

    def builder(self, cls: type) -> Callable[[Any], Any]:
        """The builder of a *cls* record from its wire struct."""
        return self.plan(cls).build

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
            check = field_check(field)
            wire = check.wire_type(self.struct)
            if field.default is attrs.NOTHING:
                wire_fields.append((field.name, wire))
            else:
                wire_fields.append((field.name, wire | msgspec.UnsetType, _UNSET))
            leaf = check.inner if isinstance(check, Optional) else check
            fields.append(
                _Field(
                    field.name,
                    check.builder(self.builder),
                    _default(field, check),
                    nested=_holds_records(check),
                    listed=isinstance(leaf, Many),
                    unique=field.name == "id" or not leaf.repeats,
                    colons=_colons_per_item(cls, field, types[field.name]),
                    fast_form=check.fast_form(),
                    plain=isinstance(check, Wire),
                    optional=isinstance(check, Optional),
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


def _colons_per_item(cls: type, field: attrs.Attribute[Any], annotation: Any) -> int | None:
    """How many colons each text item of *field*'s wire value holds; None: count them.

    An id holds one (the id rule says so), a date, a period, an amount or an
    enum value none (checked when a value is first built); other text (a
    code, a URL) is counted.
    """
    if reference_kinds(cls, field) is not None:
        return 1
    inner = annotation
    while args := [arg for arg in typing.get_args(inner) if arg is not type(None)]:
        if inner is str:  # pragma: no cover - str has no arguments
            break
        inner = args[0]
    return None if inner is str else 0


def _holds_records(check: Check) -> bool:
    """Whether a field's values are (or hold) records, which count their own keys."""
    if isinstance(check, Instance):
        return True
    if isinstance(check, Optional):
        return _holds_records(check.inner)
    if isinstance(check, Many):
        return _holds_records(check.item)
    return False


def _default(field: attrs.Attribute[Any], check: Check) -> Any:
    """The value a record holds when the file leaves *field* out, as building gives it."""
    default = field.default
    if default is attrs.NOTHING:
        return _UNSET
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        raise _Unsupported(field)
    converter = field.converter
    if converter is not None:
        default = converter(default)  # type: ignore[operator]
    return check(default)


# Keys seen while building, and the colons in the text they hold, for the
# duplicate-key test (see _all_keys_kept). One build at a time holds _BUILDING,
# so threads loading at once never mix their counts.
_counted = [0]
_BUILDING: Final = threading.Lock()


def _value(field: _Field, raw: Any) -> Any:
    """*raw* built and checked, remembered per distinct value (ids and dates repeat)."""
    memo = field.memo
    key: Any = None if field.nested else tuple(raw) if field.listed else raw
    if key is not None and field.colons is not None:
        # The builder counts field.colons colons in each text item of a remembered
        # value (one in an id, none in a date): hold the value to that.
        items = len(raw) if field.listed else 0 if raw is None else 1
        if _colons(raw) != field.colons * items:
            raise _Doubt
    try:
        value = field.build(raw)
    except (ValueError, TypeError) as error:  # ValidationError is a ValueError
        raise _Doubt from error
    if key is not None and field.colons is None:
        # Text such as a code or a URL: the builder counts no colon in a value it
        # remembers, so one with colons is counted here, and never remembered.
        colons = _colons(raw)
        if colons:
            _counted[0] += colons
            return value
    if key is not None and len(memo) < MEMO_LIMIT:
        memo[key] = value
    return value


@compiled
def _file_plan() -> tuple[Any, dict[str, tuple[_Plan, msgspec.json.Decoder[Any]]]] | None:
    """The file's wire struct, and for each collection its plan and a decoder of one record.

    The file's struct holds each record as its raw JSON text (``msgspec.Raw``,
    a view of the file): each is decoded just before its record is built, so
    the whole file is never held as wire structs at once.
    """
    compiler = _Compiler()
    try:
        plans = {cls.COLLECTION: compiler.plan(cls) for cls in ENTITY_CLASSES}
    except _Unsupported:
        return None
    fields: list[Any] = [("schema_version", int)]
    fields += [(collection, list[msgspec.Raw] | msgspec.UnsetType, _UNSET) for collection in plans]
    file_wire = msgspec.defstruct("FileWire", fields, forbid_unknown_fields=True, gc=False)
    decoders: dict[str, tuple[_Plan, msgspec.json.Decoder[Any]]] = {
        collection: (plan, msgspec.json.Decoder(plan.wire)) for collection, plan in plans.items()
    }
    return file_wire, decoders


# --- a key given twice ------------------------------------------------------------------
# msgspec keeps the last of a key given twice; the careful path refuses the file.
# Every colon in JSON text is either a key's (one a key) or inside a string. The
# builders count, for what they kept, each key and each colon in its text. The
# text holds at least that many colons, and more exactly when a key was given
# twice (its colon, and any in the value dropped) -- unless a colon in a kept
# string was written as an escape (\u003a), which the text does not show as a
# colon. Such text (rare: nothing writes a colon so) takes the careful path.
_ESCAPED_COLON: Final = b"\\u003"


def _all_keys_kept(data: bytes) -> bool:
    """Whether the builders kept every key in *data* (no key was given twice)."""
    return _counted[0] == data.count(b":") and _ESCAPED_COLON not in data


def fast_loads(data: bytes, version: int) -> Dataset | None:
    """Read a data file of schema *version* the fast way; ``None`` if anything is in doubt.

    Never raises for bad input: every doubt is the careful path's to report.
    """
    plan = _file_plan()
    if plan is None:
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


def _build_dataset(
    document: Any, plans: dict[str, tuple[_Plan, msgspec.json.Decoder[Any]]], data: bytes
) -> Dataset | None:
    _counted[0] = 1  # schema_version
    entities: list[Entity] = []
    for collection, (plan, decoder) in plans.items():
        records = getattr(document, collection)
        if records is _UNSET:
            continue
        _counted[0] += 1
        decode, build = decoder.decode, plan.build
        try:
            # Each record's wire struct is built and dropped at once: the file is
            # never held as wire structs, and the memory each took is warm for the next.
            entities.extend([build(decode(record)) for record in records])
        except (msgspec.MsgspecError, ValueError, RecursionError):  # bad UTF-8: ValueError
            return None
    if not _all_keys_kept(data):
        return None  # a key given twice: the careful path reports it
    dataset = Dataset(entities)
    if dataset.validate():
        return None
    return dataset


@compiled
def _record_decoder(cls: type) -> tuple[msgspec.json.Decoder[Any], _Plan] | None:
    try:
        plan = _Compiler().plan(cls)
    except _Unsupported:
        return None
    return msgspec.json.Decoder(plan.wire), plan


def fast_record(cls: type[T], data: bytes) -> T | None:
    """Read one record of *cls* from JSON text (a JSON Lines line); ``None`` if in doubt."""
    found = fast_records(cls, [data])
    return None if found is None else found[0]


def fast_records(cls: type[T], lines: list[bytes]) -> list[T] | None:
    """Read one record of *cls* from each JSON text in *lines*; ``None`` if any is in doubt.

    The lines of a JSON Lines file, read together: one decode call per line
    and one build of them all, so the cost per line is only what it must be.
    On any doubt about any line, ``None``: the caller reads them one by one.
    """
    found = _record_decoder(typing.cast(type, cls))
    if found is None:
        return None
    decoder, plan = found
    decode, build = decoder.decode, plan.build
    # A few thousand new objects, none of them garbage: no cycle hunts meanwhile.
    with _BUILDING, paused():
        _counted[0] = 0
        try:
            # Each line's wire struct is built and dropped at once: its memory is warm.
            records: list[T] = [build(decode(line)) for line in lines]
        except (msgspec.MsgspecError, ValueError, RecursionError, _Doubt):
            return None
        # Each line's colons are at least what its record counts, so the sums
        # are equal only if each line's are.
        if not _all_keys_kept(lines[0] if len(lines) == 1 else b"\n".join(lines)):
            return None
        return records
