"""Figures written short for people: ``≈ USD 3.2 bn``, ``36 project``; exact, never rounded.

The command's tables and the pictures of [`kgru_relations.plot`][kgru_relations.plot]
write amounts the same way, from here. A value is shifted by its exponent, not
divided, so no digit is lost to the decimal context's precision.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from kgru_relations.model import Observation, Qualifier
from kgru_relations.model.economy import is_currency

#: The scales an amount in a currency is written in, largest first.
SCALES: Final = ((9, "bn"), (6, "m"))

_SIGNS: Final = {
    Qualifier.EXACT: "",
    Qualifier.APPROXIMATELY: "≈ ",
    Qualifier.MORE_THAN: "> ",
    Qualifier.AT_LEAST: "≥ ",
    Qualifier.LESS_THAN: "< ",
    Qualifier.AT_MOST: "≤ ",
}


def shifted(value: Decimal, places: int) -> Decimal:
    """*value* divided by ``10 ** places``, exactly (the digits kept, the exponent moved)."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # a model's amount is finite
    return Decimal((sign, digits, exponent - places))


def plain(value: Decimal) -> str:
    """*value* in positional notation, without trailing zeros after the point: ``3.2``, ``-5``."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def scale_of(value: Decimal, unit: str) -> tuple[int, str]:
    """The scale to write *value* in: ``(9, "bn")``, ``(6, "m")``, or ``(0, "")``.

    Only amounts of money are scaled; a count is written as it is.
    """
    if is_currency(unit):
        for places, word in SCALES:
            if abs(value) >= Decimal(10) ** places:
                return places, word
    return 0, ""


def amount(value: Decimal, unit: str) -> str:
    """``USD 3.2 bn``, ``USD 165 m``, ``36 project``: short, for people, and exact."""
    places, word = scale_of(value, unit)
    number = plain(shifted(value, places)) if places else format(value, "f")
    if is_currency(unit):
        return f"{unit} {number} {word}" if word else f"{unit} {number}"
    return f"{number} {unit}"


def qualifier_sign(qualifier: Qualifier) -> str:
    """The sign a figure with *qualifier* is written with: ``"≈ "``, ``"> "``, ``""`` if exact."""
    return _SIGNS[qualifier]


def figure(observation: Observation) -> str:
    """The observation's value with its qualifier as a sign: ``≈ USD 3.2 bn``, ``> USD 2.5 bn``."""
    return qualifier_sign(observation.qualifier) + amount(observation.value, observation.unit)
