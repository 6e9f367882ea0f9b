"""Names of people, states and organisations, with language, script and kind.

One entity has many names: an official one, common ones, transliterations
(Japarov, Zhaparov) and aliases, in several languages and scripts (Жапаров).
Each [`Name`][kgru_relations.Name] records which it is, so that a search can find an entity by
any of them and a display can pick the right one.

Examples:
    >>> from kgru_relations import Name, NameKind
    >>> name = Name("Жапаров", language="rus", script="Cyrl")
    >>> name.language, name.kind
    ('ru', <NameKind.COMMON: 'common'>)
"""

from __future__ import annotations

import enum
from typing import ClassVar, Final

import attrs

from kgru_relations._checks import Choice, Optional, Rule, checked_values
from kgru_relations._text import check_text
from kgru_relations.codes import language_rule, script_rule
from kgru_relations.errors import ValidationError

__all__ = ["Name", "NameKind"]


class NameKind(enum.Enum):
    """What sort of name a [`Name`][kgru_relations.Name] is."""

    OFFICIAL = "official"
    """The full formal name (``Kyrgyz Republic``)."""
    COMMON = "common"
    """The name in everyday use (``Kyrgyzstan``)."""
    TRANSLITERATION = "transliteration"
    """The name written in another script (``Zhaparov`` for ``Жапаров``)."""
    ALIAS = "alias"
    """Any other name the entity is known by, such as an abbreviation (``CSTO``)."""


def _name_text(text: object) -> str:
    if not isinstance(text, str):
        raise ValidationError.at("$", f"expected the name as text, got {type(text).__name__}")
    return check_text(text)


_name_text_rule: Final = Rule(_name_text, check_text.schema, repeats=False)
"""The text of a name: the text rule (a name that is not text is told so)."""


@attrs.frozen(init=False)
class Name:
    """A name, with the language and script it is written in and what kind it is.

    Args:
        text: The name itself; not empty or blank, no leading or trailing
            whitespace, no control characters.
        language: An ISO 639 code (``ru``, ``rus``, ``ky``), stored in canonical
            form (two letters where there are two), or ``None`` if unknown.
        script: An ISO 15924 code (``Cyrl``, ``Latn``), or ``None`` if unknown.
        kind: A [`NameKind`][kgru_relations.NameKind] or its value (``"transliteration"``).

    Raises:
        ValidationError: With one issue per wrong argument, at ``$.text``,
            ``$.language``, ``$.script`` or ``$.kind``.

    Examples:
        >>> str(Name("Zhaparov", language="en", script="Latn", kind="transliteration"))
        'Zhaparov'
    """

    WHAT: ClassVar[str] = "a name"
    """What a message calls one: ``expected a name (a JSON object)``."""

    text: str = attrs.field(metadata={"check": _name_text_rule})
    language: str | None = attrs.field(default=None, metadata={"check": Optional(language_rule)})
    script: str | None = attrs.field(default=None, metadata={"check": Optional(script_rule)})
    kind: NameKind = attrs.field(
        default=NameKind.COMMON, metadata={"check": Choice(NameKind, "a kind of name")}
    )

    def __init__(
        self,
        text: str,
        *,
        language: str | None = None,
        script: str | None = None,
        kind: NameKind | str = NameKind.COMMON,
    ) -> None:
        self.__attrs_init__(*checked_values(Name, (text, language, script, kind)))

    def __str__(self) -> str:
        return self.text
