"""The one rule for text values: names, titles, notes, quotations, addresses.

Text is refused if it is empty or blank, has leading or trailing whitespace,
or holds a character that cannot be shown or saved: a control character
(``NUL``, ``ESC``, ``DEL``, the C1 controls), an invisible format character
(a bidirectional override, a zero-width space; the zero-width joiner and
non-joiner, which some scripts need, are allowed), a line or paragraph
separator, or a lone surrogate (which no UTF-8 file can hold). Notes and
quotations, which may run to paragraphs, may also hold line feeds.

The same predicate gives the JSON Schema pattern, so the schema refuses
exactly the characters the model does.
"""

from __future__ import annotations

import functools
import sys
import unicodedata
from typing import Any, Final

from kgru_relations._checks import Rule
from kgru_relations.errors import ValidationError, shown, typed

_REFUSED_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_JOINERS: Final = "\u200c\u200d"
# The categories str.isprintable() refuses (a space aside): text it calls printable
# holds none of them, and needs no closer look while the refused ones are among them.
_NOT_PRINTABLE: Final = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def refused_character(char: str) -> bool:
    """Whether *char* may not appear in any text value (line feeds aside)."""
    return unicodedata.category(char) in _REFUSED_CATEGORIES and char not in _JOINERS


def _describe_character(char: str) -> str:
    code = f"U+{ord(char):04X}"
    category = unicodedata.category(char)
    if category == "Cs":
        return f"{code}, a lone surrogate, which no UTF-8 file can hold"
    if category == "Cc":
        return f"the control character {code}"
    return f"the invisible character {code} ({unicodedata.name(char, 'unnamed')})"


def _text_check(*, lines: bool) -> Rule[str]:
    allowed = "\n" if lines else ""

    def check(value: object) -> str:
        if not isinstance(value, str):
            raise ValidationError.at("$", f"expected text, got {typed(value)}")
        if not value.strip():
            raise ValidationError.at("$", "must not be empty or blank")
        if value != value.strip():
            raise ValidationError.at("$", f"{shown(value)} has leading or trailing whitespace")
        # str.isprintable() is one pass in C; only text it doubts is looked at closely.
        if not value.isprintable() or not _REFUSED_CATEGORIES <= _NOT_PRINTABLE:
            for position, char in enumerate(value, start=1):
                if char not in allowed and refused_character(char):
                    raise ValidationError.at(
                        "$",
                        f"{shown(value)} contains {_describe_character(char)} "
                        f"at character {position}",
                    )
        return value

    return Rule(check, functools.partial(_schema, lines=lines), repeats=False)


def _refused_class(allowed: str) -> str:
    """The character class of every refused character but *allowed*, as the rule stands."""
    return _refused_class_of(allowed, _REFUSED_CATEGORIES)


@functools.cache
def _refused_class_of(allowed: str, categories: frozenset[str]) -> str:
    r"""A regular-expression character class of every refused character but *allowed*.

    Characters of the Basic Multilingual Plane are written as ``\uXXXX``
    escapes (a lone surrogate cannot be written to a UTF-8 file as itself);
    the few beyond it as themselves. Both read the same in Python's and
    ECMAScript's regular expressions.
    """
    ranges: list[tuple[int, int]] = []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.category(char) in categories and char not in _JOINERS + allowed:
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))

    def write(code: int) -> str:
        return f"\\u{code:04x}" if code <= 0xFFFF else chr(code)

    return "".join(
        write(low) if low == high else f"{write(low)}-{write(high)}" for low, high in ranges
    )


def _schema(*, lines: bool) -> dict[str, Any]:
    """The JSON Schema of a text value under this rule."""
    inner = _refused_class("\n" if lines else "")
    edge = _refused_class("")
    # (?![\\s\\S]) is "the very end" in every dialect; "$" lets Python's re
    # accept one trailing line feed.
    pattern = f"^[^\\s{edge}](?:[^{inner}]*[^\\s{edge}])?(?![\\s\\S])"
    return {"type": "string", "minLength": 1, "pattern": pattern}


check_text: Final = _text_check(lines=False)
"""One line of text: what names, titles, places and labels hold."""

check_paragraphs: Final = _text_check(lines=True)
"""Text that may run to several lines (line feeds allowed): notes and quotations."""
