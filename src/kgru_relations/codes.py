"""Standard codes for countries, currencies, languages and scripts.

Every code list comes from `pycountry` and is indexed once, lazily, the
first time it is needed; there are no hand-written tables here.

For each code list there are three names:

* a **normaliser** (`country_code`, `currency_code`, `language_code`,
  `script_code`) that accepts any form of the code and returns the canonical
  one, or raises [`ValidationError`][kgru_relations.ValidationError]; it works
  as an attrs ``converter`` (reporting at ``$``: attrs converters do not know
  their field);
* a **validator factory** (`is_country_code`, ...) for attrs fields that must
  already hold the canonical form (reporting at ``$.<field>``);
* a **lookup** (`country`, `currency`, `language`, `script`) that returns the
  record: name, other codes, numeric code.

Examples:
    >>> from kgru_relations.codes import country, country_code
    >>> country_code("KGZ"), country_code("417"), country_code("kg")
    ('KG', 'KG', 'KG')
    >>> country("RU").alpha_3, country("RU").numeric
    ('RUS', '643')
    >>> country_code("SU", historic=True)
    'SU'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import Any, Protocol

import attrs
import pycountry

from kgru_relations._checks import Rule
from kgru_relations.errors import ValidationError, shown, typed

__all__ = [
    "AttrsValidator",
    "Country",
    "Currency",
    "Language",
    "Script",
    "country",
    "country_code",
    "currency",
    "currency_code",
    "is_country_code",
    "is_currency_code",
    "is_language_code",
    "is_script_code",
    "language",
    "language_code",
    "script",
    "script_code",
]


class AttrsValidator(Protocol):
    """An attrs field validator, as the ``is_*_code`` factories return."""

    def __call__(self, instance: object, attribute: attrs.Attribute[Any], value: object, /) -> None:
        """Raise ``ValidationError`` at ``$.<field>`` if *value* is not valid."""


@attrs.frozen
class Country:
    """A country (or a withdrawn country) in ISO 3166-1 / ISO 3166-3.

    Attributes:
        alpha_2: The two-letter code, the canonical form in this library (``KG``).
        alpha_3: The three-letter code (``KGZ``).
        numeric: The three-digit numeric code as text (``417``), or ``None``
            where ISO assigns none.
        name: The short English name (``Kyrgyzstan``).
        official_name: The official English name, where ISO gives one.
        historic: ``True`` for a withdrawn code (ISO 3166-3), such as ``SU``.
        withdrawn: The year (or date) the code was withdrawn, for a historic one.
    """

    alpha_2: str
    alpha_3: str
    numeric: str | None
    name: str
    official_name: str | None = None
    historic: bool = False
    withdrawn: str | None = None


@attrs.frozen
class Currency:
    """A currency in ISO 4217.

    Attributes:
        alpha_3: The three-letter code, the canonical form (``USD``).
        numeric: The three-digit numeric code as text (``840``).
        name: The English name (``US Dollar``).
    """

    alpha_3: str
    numeric: str | None
    name: str


@attrs.frozen
class Language:
    """A language in ISO 639.

    Attributes:
        code: The canonical form in this library: the two-letter ISO 639-1 code
            where there is one (``ky``), otherwise the three-letter ISO 639-3 code.
        alpha_2: The ISO 639-1 code, if the language has one.
        alpha_3: The ISO 639-3 code (``kir``).
        name: The English name (``Kirghiz``).
    """

    code: str
    alpha_2: str | None
    alpha_3: str
    name: str


@attrs.frozen
class Script:
    """A writing system in ISO 15924.

    Attributes:
        alpha_4: The four-letter code, the canonical form (``Cyrl``).
        numeric: The three-digit numeric code as text (``220``).
        name: The English name (``Cyrillic``).
    """

    alpha_4: str
    numeric: str
    name: str


def _as_key(value: object, what: str) -> str:
    """Return the text to look *value* up by, or raise if it cannot be a code."""
    if isinstance(value, str):
        return value.upper()
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 999:
        return f"{value:03d}"
    raise ValidationError.at("$", f"expected {what} as text, got {typed(value)}")


def _index(records: Iterable[Any], *keys: str) -> dict[str, Any]:
    """Map each named key attribute of each record (upper-cased) to the record."""
    table: dict[str, Any] = {}
    for record in records:
        for key in keys:
            value = getattr(record, key, None)
            if value is not None:
                table.setdefault(value.upper(), record)
    return table


def _spelling_pattern(keys: Iterable[str]) -> str:
    """A regular expression that matches exactly *keys*, in any letter case.

    A schema has no case-insensitive flag, so each letter becomes a class
    (``[Kk][Gg]``), and the keys share their common starts (a trie), which
    keeps ISO 639's eight thousand codes to a pattern a validator compiles
    quickly. It is anchored at both ends in every regular-expression dialect.
    """
    trie: dict[str, Any] = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}

    def letter(char: str) -> str:
        return f"[{char.upper()}{char.lower()}]" if char.isalpha() else re.escape(char)

    def emit(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = {char: child for char, child in node.items() if char}
        leaves = [char for char, child in branches.items() if list(child) == [""]]
        inner = [char for char in branches if char not in leaves]
        parts = []
        if leaves:
            letters = "".join(
                f"{char.upper()}{char.lower()}" if char.isalpha() else re.escape(char)
                for char in sorted(leaves)
            )
            parts.append(f"[{letters}]")
        parts += [letter(char) + emit(branches[char]) for char in sorted(inner)]
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        if not parts:
            return ""
        return f"(?:{body})?" if ends else body

    return f"^{emit(trie)}(?![\\s\\S])"


def _code_schema(table: Callable[[], Iterable[str]]) -> Callable[[], dict[str, Any]]:
    """The JSON Schema of a code check: text that is one of *table*'s keys, in any case."""

    @functools.cache
    def schema() -> dict[str, Any]:
        return {"type": "string", "pattern": _spelling_pattern(table())}

    return schema


# --- countries ------------------------------------------------------------------


@attrs.frozen
class _CountryIndex:
    current: dict[str, Country]
    #: Every code of every withdrawn country, each with the countries it named.
    historic: dict[str, tuple[Country, ...]]
    #: Alpha-2 codes of withdrawn countries that name more than one country
    #: over time (two withdrawn ones, or a withdrawn one and a current one).
    reused_alpha_2: frozenset[str]


@functools.cache
def _countries() -> _CountryIndex:
    current = _index(
        (
            Country(
                alpha_2=record.alpha_2,
                alpha_3=record.alpha_3,
                numeric=getattr(record, "numeric", None),
                name=record.name,
                official_name=getattr(record, "official_name", None),
            )
            for record in pycountry.countries
        ),
        "alpha_2",
        "alpha_3",
        "numeric",
    )
    historic: dict[str, tuple[Country, ...]] = {}
    alpha_2_uses: dict[str, int] = {}
    for record in pycountry.historic_countries:
        old = Country(
            alpha_2=record.alpha_2,
            alpha_3=record.alpha_3,
            numeric=getattr(record, "numeric", None),
            name=record.name,
            historic=True,
            withdrawn=getattr(record, "withdrawal_date", None),
        )
        alpha_2_uses[old.alpha_2] = alpha_2_uses.get(old.alpha_2, 0) + 1
        for key in (old.alpha_2, old.alpha_3, record.alpha_4, old.numeric):
            if key is not None:
                historic[key.upper()] = (*historic.get(key.upper(), ()), old)
    reused = {code for code, uses in alpha_2_uses.items() if uses > 1 or code in current}
    return _CountryIndex(current=current, historic=historic, reused_alpha_2=frozenset(reused))


def _find_country(value: object, *, historic: bool) -> Country:
    key = _as_key(value, "a country code")
    index = _countries()
    found = index.current.get(key)
    if found is not None:
        return found
    olds = index.historic.get(key)
    if olds is None:
        raise ValidationError.at("$", f"{shown(value)} is not an ISO 3166-1 alpha-2 country code")
    if len(olds) > 1:
        names = " and ".join(repr(old.name) for old in olds)
        raise ValidationError.at(
            "$",
            f"{shown(value)} is a withdrawn code that named more than one country ({names}); "
            f"look it up by its four-letter ISO 3166-3 code",
        )
    old = olds[0]
    if not historic:
        withdrawn = f", withdrawn {old.withdrawn}" if old.withdrawn else ""
        raise ValidationError.at(
            "$",
            f"{shown(value)} is a withdrawn ISO 3166 code ({old.name}{withdrawn}); "
            f"this field needs a current country code",
        )
    return old


def country(code: str | int) -> Country:
    """Look up a country by its alpha-2, alpha-3 or numeric code.

    Current codes are found first; a code that ISO has withdrawn (``SU``,
    ``YUG``, ``DDDE``) gives the historic record. Letter case does not matter.

    Args:
        code: ``KG``, ``KGZ``, ``417`` (or the integer 417), or a withdrawn code.

    Returns:
        The country's record.

    Raises:
        ValidationError: If no country, current or historic, has that code.

    Examples:
        >>> country("SU").name
        'USSR, Union of Soviet Socialist Republics'
    """
    return _find_country(code, historic=True)


def country_code(value: str | int, *, historic: bool = False) -> str:
    """Return the canonical ISO 3166-1 alpha-2 code for any form of a country code.

    Alpha-3 and numeric codes are normalised to alpha-2 (``KGZ`` and ``417``
    give ``KG``), and lower case to upper case.

    Args:
        value: The code to check.
        historic: Accept withdrawn codes (``SU``, ``YUG``, ``DDR``) too. A
            withdrawn code whose two letters are ambiguous (``CS`` was both
            Czechoslovakia and Serbia and Montenegro; ``SK`` was Sikkim and is
            now Slovakia) is refused, because its alpha-2 form would not say
            which country is meant.

    Returns:
        The alpha-2 code.

    Raises:
        ValidationError: If *value* is not such a code; the message says why.
    """
    record = _find_country(value, historic=historic)
    if record.historic and record.alpha_2 in _countries().reused_alpha_2:
        raise ValidationError.at(
            "$",
            f"{shown(value)} ({record.name}) is a withdrawn code whose alpha-2 form "
            f"{record.alpha_2!r} names more than one country; it cannot be stored unambiguously",
        )
    return record.alpha_2


country_rule = Rule(country_code, _code_schema(lambda: _countries().current))


# --- currencies -----------------------------------------------------------------


@functools.cache
def _currencies() -> dict[str, Currency]:
    return _index(
        (
            Currency(
                alpha_3=record.alpha_3, numeric=getattr(record, "numeric", None), name=record.name
            )
            for record in pycountry.currencies
        ),
        "alpha_3",
        "numeric",
    )


def currency(code: str | int) -> Currency:
    """Look up a currency by its ISO 4217 letter or numeric code.

    Examples:
        >>> currency("KGS").name
        'Som'
    """
    found = _currencies().get(_as_key(code, "a currency code"))
    if found is None:
        raise ValidationError.at("$", f"{shown(code)} is not an ISO 4217 currency code")
    return found


def currency_code(value: str | int) -> str:
    """Return the canonical ISO 4217 letter code (``USD``) for any form of it.

    Raises:
        ValidationError: If *value* is not an ISO 4217 code.
    """
    return currency(value).alpha_3


currency_rule = Rule(currency_code, _code_schema(_currencies))


# --- languages ------------------------------------------------------------------


@functools.cache
def _languages() -> dict[str, Language]:
    records = []
    for record in pycountry.languages:
        alpha_2 = getattr(record, "alpha_2", None)
        records.append(
            Language(
                code=alpha_2 or record.alpha_3,
                alpha_2=alpha_2,
                alpha_3=record.alpha_3,
                name=record.name,
            )
        )
    table = _index(records, "alpha_2", "alpha_3")
    for old in pycountry.languages:
        bibliographic = getattr(old, "bibliographic", None)
        if bibliographic is not None:
            table.setdefault(bibliographic.upper(), table[old.alpha_3.upper()])
    return table


def language(code: str) -> Language:
    """Look up a language by its ISO 639-1, ISO 639-3 or ISO 639-2/B code.

    Examples:
        >>> language("kir").code
        'ky'
    """
    if not isinstance(code, str):
        raise ValidationError.at("$", f"expected a language code as text, got {typed(code)}")
    found = _languages().get(code.upper())
    if found is None:
        raise ValidationError.at("$", f"{shown(code)} is not an ISO 639 language code")
    return found


def language_code(value: str) -> str:
    """Return the canonical language code: ISO 639-1 where it exists, else ISO 639-3.

    ``rus`` and ``RU`` give ``ru``; ``ger`` (ISO 639-2/B) gives ``de``.

    Raises:
        ValidationError: If *value* is not an ISO 639 code.
    """
    return language(value).code


language_rule = Rule(language_code, _code_schema(_languages))


# --- scripts --------------------------------------------------------------------


@functools.cache
def _scripts() -> dict[str, Script]:
    return _index(
        (
            Script(alpha_4=record.alpha_4, numeric=record.numeric, name=record.name)
            for record in pycountry.scripts
        ),
        "alpha_4",
        "numeric",
    )


def script(code: str | int) -> Script:
    """Look up a writing system by its ISO 15924 letter or numeric code.

    Examples:
        >>> script("cyrl").alpha_4
        'Cyrl'
    """
    found = _scripts().get(_as_key(code, "a script code"))
    if found is None:
        raise ValidationError.at("$", f"{shown(code)} is not an ISO 15924 script code")
    return found


def script_code(value: str | int) -> str:
    """Return the canonical ISO 15924 code (``Cyrl``, ``Latn``) for any form of it.

    Raises:
        ValidationError: If *value* is not an ISO 15924 code.
    """
    return script(value).alpha_4


script_rule = Rule(script_code, _code_schema(_scripts))


# --- attrs validators -----------------------------------------------------------


def _validator(normalise: Callable[[Any], str]) -> AttrsValidator:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        try:
            canonical = normalise(value)
        except ValidationError as error:
            raise error.under(attribute.name) from None
        if canonical != value:
            raise ValidationError.at(
                f"$.{attribute.name}",
                f"{shown(value)} is not in canonical form; write {shown(canonical)}",
            )

    return check


def is_country_code(*, historic: bool = False) -> AttrsValidator:
    """Return an attrs validator for a field holding a canonical alpha-2 country code.

    Args:
        historic: Accept unambiguous withdrawn codes such as ``SU`` too.

    Examples:
        >>> import attrs
        >>> @attrs.frozen
        ... class Flag:
        ...     country: str = attrs.field(validator=is_country_code())
        >>> Flag("KGZ")
        Traceback (most recent call last):
        ...
        kgru_relations.errors.ValidationError: $.country: 'KGZ' is not in canonical form; write 'KG'
    """
    return _validator(functools.partial(country_code, historic=historic))


def is_currency_code() -> AttrsValidator:
    """Return an attrs validator for a field holding a canonical ISO 4217 code."""
    return _validator(currency_code)


def is_language_code() -> AttrsValidator:
    """Return an attrs validator for a field holding a canonical ISO 639 code."""
    return _validator(language_code)


def is_script_code() -> AttrsValidator:
    """Return an attrs validator for a field holding a canonical ISO 15924 code."""
    return _validator(script_code)
