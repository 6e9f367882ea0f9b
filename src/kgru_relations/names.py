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

import attrs

from kgru_relations._text import check_text
from kgru_relations.codes import language_code, script_code
from kgru_relations.errors import ValidationError, _IssueCollector, shown

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


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise ValidationError.at("$", f"expected the name as text, got {type(text).__name__}")
    return check_text(text)


def _check_kind(kind: object) -> NameKind:
    if isinstance(kind, NameKind):
        return kind
    try:
        return NameKind(kind)
    except ValueError:
        choices = ", ".join(repr(member.value) for member in NameKind)
        raise ValidationError.at(
            "$", f"{shown(kind)} is not a kind of name; expected one of {choices}"
        ) from None


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

    text: str
    language: str | None
    script: str | None
    kind: NameKind

    def __init__(
        self,
        text: str,
        *,
        language: str | None = None,
        script: str | None = None,
        kind: NameKind | str = NameKind.COMMON,
    ) -> None:
        collector = _IssueCollector()
        checked_language = checked_script = None
        checked_kind = NameKind.COMMON
        with collector.catch("text"):
            _check_text(text)
        if language is not None:
            with collector.catch("language"):
                checked_language = language_code(language)
        if script is not None:
            with collector.catch("script"):
                checked_script = script_code(script)
        with collector.catch("kind"):
            checked_kind = _check_kind(kind)
        collector.raise_if_any()
        self.__attrs_init__(text, checked_language, checked_script, checked_kind)

    def __str__(self) -> str:
        return self.text
