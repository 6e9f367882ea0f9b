"""How a picture writes a figure: readable, rounded from the exact ``Decimal``, never via a float.

The data keep every digit; a label shows [`LABEL_DIGITS`][] significant digits
in the figure's scale (``USD 9.8500000005 bn`` reads ``USD 9.85 bn``), and all
of its whole part (``USD 165 m``, ``1234 project``): nobody reads a picture's
label to the tenth digit, and a whole number rounded to tens would pass for a
count that it is not.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Final

from kgru_relations._amounts import amount, qualifier_sign, scale_of, shifted
from kgru_relations.model import Observation

LABEL_DIGITS: Final = 3
"""The significant digits a label shows, at least: all of the whole part are shown."""


def readable(value: Decimal, unit: str) -> Decimal:
    """*value* as a label writes it: rounded half up, in its scale, without trailing zeros.

    ``9850000000.5`` USD is ``9850000000`` (written ``USD 9.85 bn``);
    ``1500.50`` USD is ``1501``; ``0.0123456`` is ``0.0123``. A value with
    few digits is kept as it is.
    """
    places, _ = scale_of(value, unit)
    scaled = shifted(value, places)
    if not scaled:
        return value
    quantum = min(0, scaled.adjusted() - (LABEL_DIGITS - 1))
    rounded = scaled.quantize(
        Decimal((0, (1,), quantum)),
        rounding=ROUND_HALF_UP,
        # Room for every digit kept, and a carry: the context's 28 digits may not be enough.
        context=Context(prec=scaled.adjusted() - quantum + 2),
    )
    sign, kept, exponent = rounded.as_tuple()
    assert isinstance(exponent, int)  # a finite value stays finite
    while exponent < 0 and len(kept) > 1 and kept[-1] == 0:
        kept, exponent = kept[:-1], exponent + 1
    return shifted(Decimal((sign, kept, exponent)), -places)


def amount_label(value: Decimal, unit: str) -> str:
    """``USD 9.85 bn``: the [`readable`][] value, written as the command writes amounts."""
    return amount(readable(value, unit), unit)


def value_label(observation: Observation) -> str:
    """``≈ USD 3.2 bn``: the observation's readable value, with its qualifier as a sign."""
    return qualifier_sign(observation.qualifier) + amount_label(observation.value, observation.unit)
