"""Folding names so that spellings of one name meet: Japarov, Zhaparov, Жапаров.

[`Dataset.find`][kgru_relations.dataset.Dataset.find] is written here.
Searches compare *folded* tokens: accents stripped, case folded, Cyrillic
transliterated to Latin, and the commonest variant spellings of
transliteration merged (``zh``/``dzh``/``j``, ``kh``/``h``, ``y``/``i``). Folding
only widens what a search finds; it never merges entities.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from typing import Final, NamedTuple

from kgru_relations.dataset._core import Core
from kgru_relations.model import Entity, State
from kgru_relations.names import Name

__all__ = ["NameIndex", "find", "fold", "name_index", "tokens"]

# Russian, plus the letters Kyrgyz, Kazakh, Tajik, Belarusian and Ukrainian add.
_CYRILLIC: Final = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "ң": "ng", "ө": "o", "ү": "u", "ә": "a", "ғ": "g", "қ": "k", "ұ": "u", "һ": "h",
    "і": "i", "ҳ": "h", "ҷ": "j", "ӣ": "i", "ӯ": "u", "ў": "u", "є": "ye", "ґ": "g",
}  # fmt: skip
_TRANSLITERATE: Final = str.maketrans(_CYRILLIC)
# Variant spellings of one sound in common transliteration schemes, longest first.
_VARIANTS: Final = (("dzh", "j"), ("zh", "j"), ("kh", "h"), ("y", "i"))
# Anything but a letter or digit, in any script, separates words.
_NOT_WORD: Final = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Return *text* folded for comparison, so that spellings of one name meet.

    Examples:
        >>> fold("Жапаров"), fold("Zhaparov"), fold("JAPAROV")
        ('japarov', 'japarov', 'japarov')
        >>> fold("Sergey Lavrov") == fold("Sergei Lavrov")
        True
        >>> fold("Ердоған"), fold("習近平")
        ('erdogan', '習近平')
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    latin = plain.casefold().translate(_TRANSLITERATE)
    for variant, canonical in _VARIANTS:
        latin = latin.replace(variant, canonical)
    return " ".join(_NOT_WORD.sub(" ", latin).split())


def tokens(text: str) -> tuple[str, ...]:
    """Return the folded words of *text*.

    Examples:
        >>> tokens("Akylbek Zhaparov")
        ('akilbek', 'japarov')
    """
    return tuple(fold(text).split())


class NameIndex(NamedTuple):
    """The ids of the entities each folded word, and each whole name, belongs to."""

    words: dict[str, set[str]]
    """Folded word -> ids."""
    whole: dict[str, set[str]]
    """Whole name, folded or case-folded -> ids."""


def _names_of(entity: Entity) -> tuple[Name, ...]:
    names: tuple[Name, ...] = getattr(entity, "names", ())
    if isinstance(entity, State):
        names += entity.capital
    return names


def name_index(core: Core) -> NameIndex:
    """Index every entity's names (and a state's capital, code and id) by word and whole."""
    words: dict[str, set[str]] = defaultdict(set)
    whole: dict[str, set[str]] = defaultdict(set)
    for entity in core:
        for name in _names_of(entity):
            whole[fold(name.text)].add(entity.id)
            whole[name.text.casefold()].add(entity.id)
            for token in tokens(name.text):
                words[token].add(entity.id)
        if isinstance(entity, State):
            for code in (entity.code, entity.id):
                whole[fold(code)].add(entity.id)
                words[fold(code)].add(entity.id)
    return NameIndex(words, whole)


def find(core: Core, index: NameIndex, name: str) -> list[Entity]:
    """The entities *name* finds, as [`Dataset.find`][kgru_relations.dataset.Dataset.find] says."""
    by_word, by_name = index
    words = tokens(name)
    # Intersect from the rarest word, so a common word ("person") costs little.
    sets = sorted((by_word.get(word, set()) for word in words), key=len)
    matches = set(sets[0]) if sets else set()
    for others in sets[1:]:
        matches &= others
    # A name with no letters or digits at all ("!!") is found by its exact text.
    exact = by_name.get(fold(name), set()) if words else set()
    exact = (exact & matches) | by_name.get(name.casefold(), set())
    matches |= exact
    if name in core:
        exact = exact | {name}
        matches.add(name)
    ordered = sorted(exact) + sorted(matches - exact)
    return [entity for entity_id in ordered if (entity := core.lookup(entity_id)) is not None]
