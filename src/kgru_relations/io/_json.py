"""Exact JSON: decoding that keeps every digit and every repeated key, and sorted encoding.

A float is kept as its text ([`Number`][kgru_relations._checks.Number]), never
rounded; ``NaN`` and ``Infinity`` are kept, to be refused at their path; an
object remembers the keys it had more than once. Writing is msgspec's,
byte for byte what ``json.dumps(data, ensure_ascii=False, sort_keys=True,
indent=2)`` gives, with a trailing newline.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Final, TypeVar

import msgspec

from kgru_relations._checks import Number
from kgru_relations.errors import Issue, ValidationError, described

__all__ = [
    "ENCODER",
    "Constant",
    "JsonObject",
    "decode",
    "encode",
    "guarded",
    "json_object",
    "object_pairs",
]

T = TypeVar("T")


class JsonObject(dict[str, Any]):
    """A JSON object that remembers the keys it had more than once."""

    duplicates: tuple[str, ...] = ()


def object_pairs(pairs: list[tuple[str, Any]]) -> JsonObject:
    """The object of *pairs*, with the keys given more than once, in the order first repeated."""
    result = JsonObject(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        repeated: dict[str, None] = {}  # in the order first repeated; linear in the keys
        for key, _ in pairs:
            if key in seen:
                repeated[key] = None
            seen.add(key)
        result.duplicates = tuple(repeated)
    return result


class Constant:
    """``NaN``, ``Infinity`` or ``-Infinity``: not JSON, refused at the path it stands at."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


# What a check's message calls it: "NaN (not JSON: ...)".
Constant.__name__ = "not JSON: write a number as a decimal string"

# Python's int() refuses more than 4,300 digits (sys.set_int_max_str_digits);
# no field holds an integer anywhere near that long.
_LONGEST_INT: Final = 100


def _parse_int(text: str) -> int | Number:
    return int(text) if len(text) <= _LONGEST_INT else Number(text)


# One decoder for every read: building one per call is a real cost per JSON Lines line.
_DECODER: Final = json.JSONDecoder(
    object_pairs_hook=object_pairs,
    parse_float=Number,
    parse_int=_parse_int,
    parse_constant=Constant,
)


def json_object(value: object, what: str) -> dict[str, Any]:
    """*value*, if it is a JSON object; else raise at ``$`` saying it should be *what*."""
    if not isinstance(value, dict):
        raise ValidationError.at("$", f"expected {what} (a JSON object), got {described(value)}")
    return value


def guarded(action: Callable[[], T]) -> T:
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
# "deterministic" sorts each dict's keys; a struct's fields are written in the
# order it declares them, which for the writers' structs (io._write) is sorted
# already, so they are not sorted again for each record.
ENCODER: Final = msgspec.json.Encoder(order="deterministic")


def encode(data: Any) -> bytes:
    """*data* as a data file writes it: sorted keys, two-space indent, a trailing newline."""
    return msgspec.json.format(ENCODER.encode(data), indent=2) + b"\n"


def decode(data: bytes | str) -> Any:
    """The JSON value of *data* (UTF-8 bytes or text), exactly; any problem a ValidationError."""
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
