"""Folding names so that spellings of one name meet: Japarov, Zhaparov, Жапаров.

Searches compare *folded* tokens: accents stripped, case folded, Cyrillic
transliterated to Latin, and the commonest variant spellings of
transliteration merged (``zh``/``dzh``/``j``, ``kh``/``h``, ``y``/``i``). Folding
only widens what a search finds; it never merges entities.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Final

__all__ = ["fold", "tokens"]

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
