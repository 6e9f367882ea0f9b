"""Wikidata's language codes read as BCP 47 tags: an ISO 639 language and an ISO 15924 script.

A tag is a language subtag, then optionally an extended language, a script, a
region, variants, extensions and a private part (RFC 5646, section 2.1). A
name holds the language and the script; the region, the variants and the rest
are not held (the loss table on the how-to page says so).

Wikimedia writes a few codes that are not BCP 47, or that BCP 47 reads as
something else (``sr-ec`` is Serbian in Cyrillic there, Serbian in Ecuador in
BCP 47): MediaWiki's ``LanguageCode`` maps each to its BCP 47 tag
(``DEPRECATED_LANGUAGE_CODE_MAPPING`` and ``NON_STANDARD_LANGUAGE_CODE_MAPPING``),
and this module reads them through that mapping first.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Final, NamedTuple

import pycountry

from kgru_relations.codes import language_code, script_code
from kgru_relations.errors import ValidationError, shown

__all__ = ["name_language"]

#: MediaWiki's own mapping of its codes to BCP 47 (``includes/language/LanguageCode.php``),
#: written in lower case. ``eml`` is left out on purpose: MediaWiki maps it to ``egl``
#: (Emilian), which is narrower than the Emiliano-Romagnolo ``eml`` names, so an ``eml``
#: name keeps no language rather than a guessed one.
_WIKIMEDIA: Final = {
    "als": "gsw",
    "bat-smg": "sgs",
    "be-x-old": "be-tarask",
    "cbk-zam": "cbk",
    "crh-ro": "crh-latn-ro",
    "de-formal": "de-x-formal",
    "en-rtl": "en-x-rtl",
    "es-formal": "es-x-formal",
    "fiu-vro": "vro",
    "hu-formal": "hu-x-formal",
    "kk-cn": "kk-arab-cn",
    "kk-tr": "kk-latn-tr",
    "map-bms": "jv-x-bms",
    "mo": "ro-cyrl-md",
    "nl-informal": "nl-x-informal",
    "nrm": "nrf",
    "roa-rup": "rup",
    "roa-tara": "nap-x-tara",
    "simple": "en-simple",
    "sr-ec": "sr-cyrl",
    "sr-el": "sr-latn",
    "zh-classical": "lzh",
    "zh-cn": "zh-hans-cn",
    "zh-hk": "zh-hant-hk",
    "zh-min-nan": "nan",
    "zh-mo": "zh-hant-mo",
    "zh-my": "zh-hans-my",
    "zh-sg": "zh-hans-sg",
    "zh-tw": "zh-hant-tw",
    "zh-yue": "yue",
}
_SUBTAG: Final = re.compile(r"[a-z0-9]{1,8}\Z")
_LANGUAGE: Final = re.compile(r"[a-z]{2,8}\Z")
_EXTLANG: Final = re.compile(r"[a-z]{3}\Z")
_SCRIPT: Final = re.compile(r"[a-z]{4}\Z")
_REGION: Final = re.compile(r"(?:[a-z]{2}|[0-9]{3})\Z")
_VARIANT: Final = re.compile(r"(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3})\Z")
#: What may follow the variants: extensions (a singleton and subtags of 2 to 8), then a
#: private part (``x`` and subtags of 1 to 8), as RFC 5646 writes them.
_REST: Final = re.compile(r"(?:[0-9a-wyz](?:-[a-z0-9]{2,8})+-)*(?:x(?:-[a-z0-9]{1,8})+-)?\Z")
_MANY: Final = "mul"  # "the same in many languages": a name with no one language


class Tag(NamedTuple):
    """What a language code says, as a name holds it."""

    language: str | None
    """The ISO 639 language, or None (none given, or not one ISO 639 knows)."""
    script: str | None
    """The ISO 15924 script, or None (none given, or not one ISO 15924 knows)."""
    problem: str | None
    """What the code says that is lost (a language or script not known), or None."""
    unheld: str | None
    """The region, variants, extensions and private part, which a name does not hold."""


def _subtags(tag: str) -> tuple[str, str | None, str] | None:
    """The language (its extended subtag where there is one), script, and the rest, or None.

    None when *tag* is not a well-formed BCP 47 language tag (RFC 5646).
    """
    parts = tag.lower().split("-")
    if not all(_SUBTAG.match(part) for part in parts) or not _LANGUAGE.match(parts[0]):
        return None
    language, script, at = parts[0], None, 1
    if len(language) <= 3 and at < len(parts) and _EXTLANG.match(parts[at]):
        language, at = parts[at], at + 1  # zh-yue is yue (RFC 5646, 2.2.2)
    if at < len(parts) and _SCRIPT.match(parts[at]):
        script, at = parts[at], at + 1
    rest = at
    if at < len(parts) and _REGION.match(parts[at]):
        at += 1
    while at < len(parts) and _VARIANT.match(parts[at]):
        at += 1
    if not _REST.match("".join(f"{part}-" for part in parts[at:])):
        return None
    return language, script, "-".join(parts[rest:])


def read_tag(code: str) -> Tag:
    """The language and script of a Wikidata language code, and what of it is not held."""
    if code == _MANY:
        return Tag(None, None, None, None)
    found = _subtags(_WIKIMEDIA.get(code.lower(), code))
    if found is None:
        return Tag(None, None, f"{shown(code)} is not a BCP 47 language tag", None)
    subtag, script_tag, rest = found
    language: str | None
    problem: str | None = None
    try:
        language = language_code(subtag)
    except ValidationError:
        language = None
        family = pycountry.language_families.get(alpha_3=subtag)
        where = "" if subtag == code.lower() else f" in {shown(code)}"
        problem = (
            f"{shown(code)} names a group of languages (ISO 639-5: {family.name}), not one"
            if family is not None
            else f"{shown(subtag)}{where} is not an ISO 639 language code"
        )
    script = None
    if script_tag is not None:
        try:
            script = script_code(script_tag)
        except ValidationError:
            problem = problem or f"{shown(script_tag)} in {shown(code)} is not an ISO 15924 script"
    return Tag(language, script, problem, rest or None)


def name_language(code: str) -> tuple[str | None, str | None]:
    """The ISO 639 language and ISO 15924 script of a Wikidata language code.

    The code is read as a BCP 47 tag: its language subtag (or extended
    language: ``zh-yue`` is ``yue``) is the language, a four-letter subtag the
    script (``zh-hans`` gives ``Hans``); a region (``en-gb``), variants
    (``be-tarask``) and private parts are not held by a name. Wikimedia's own
    codes are read as MediaWiki maps them to BCP 47: ``sr-el`` is Serbian in
    Latin script and ``sr-ec`` Serbian in Cyrillic (not in Ecuador), ``mo``
    Romanian in Cyrillic, ``map-bms`` Javanese, ``roa-tara`` Neapolitan.
    ``mul`` (the same in many languages) gives no language. Nothing is guessed.

    Raises:
        ValidationError: For a tag that is not BCP 47, or whose language or
            script is not an ISO 639 or ISO 15924 code (``nah``, a group of
            languages; ``eml``, a code ISO 639 no longer has).

    Examples:
        >>> name_language("zh-hans")
        ('zh', 'Hans')
        >>> name_language("sr-ec")
        ('sr', 'Cyrl')
    """
    tag = read_tag(code)
    if tag.problem is not None:
        raise ValidationError.at("$", tag.problem)
    return tag.language, tag.script


@functools.cache
def _scripts_by_name() -> dict[str, str]:
    return {record.name.upper(): record.alpha_4 for record in pycountry.scripts}


def script_of(text: str) -> str | None:
    """The ISO 15924 script every letter of *text* is in, as Unicode names it, or None."""
    found: set[str] = set()
    table = _scripts_by_name()
    for char in set(text):  # each character once: a 10 MB label costs a set, not 10 M lookups
        if not char.isalpha():
            continue
        script = table.get(unicodedata.name(char, "").partition(" ")[0])
        if script is None:
            return None
        found.add(script)
    return found.pop() if len(found) == 1 else None
