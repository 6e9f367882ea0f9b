"""Amounts of money: an exact decimal amount in an ISO 4217 currency.

Money never passes through ``float``: a float cannot hold most decimal
fractions exactly (``0.1`` is really 0.1000000000000000055...), so a float
amount is refused with a message that says to pass text or a
`Decimal` instead.

Examples:
    >>> from decimal import Decimal
    >>> from kgru_relations import Money
    >>> Money.parse("USD 165000000")
    Money.parse('USD 165000000')
    >>> Money("3,200", "usd")
    Traceback (most recent call last):
    ...
    kgru_relations.errors.ValidationError: $.amount: '3,200' is not a decimal number; \
write digits with an optional sign and decimal point, such as '-1234.50'
    >>> Money("3.2E9", "usd").amount == Money(Decimal("3.2E9"), "usd").amount
    True
    >>> Money(Decimal("3.2E9"), "usd").amount
    Decimal('3200000000')
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, Final

import attrs

from kgru_relations._checks import Number, Refs, Rule, checked_values, number_text
from kgru_relations.codes import currency_rule
from kgru_relations.errors import SHOWN, ValidationError, described, shown

__all__ = ["MAX_FRACTION_DIGITS", "MAX_INTEGER_DIGITS", "Money"]

_NUMBER: Final = r"-?[0-9]+(?:\.[0-9]+)?"
_EXPONENT: Final = r"[eE][-+]?[0-9]{1,4}"
#: Decimal text: an optional minus sign, digits, an optional fraction, an
#: optional exponent (``43.8E9``, read as 43800000000).
DECIMAL_PATTERN: Final = f"{_NUMBER}(?:{_EXPONENT})?"
_DECIMAL_TEXT: Final = re.compile(DECIMAL_PATTERN + r"\Z")
MAX_INTEGER_DIGITS: Final = 30
"""The most digits an amount may have before the decimal point."""
MAX_FRACTION_DIGITS: Final = 18
"""The most digits an amount may have after the decimal point."""


def longest_text() -> int:
    """The longest decimal text the amount rule reads (leading zeros and an exponent count)."""
    return 2 * (MAX_INTEGER_DIGITS + MAX_FRACTION_DIGITS)


def _plain_form() -> str:
    """Plain decimal text (no exponent) within both digit limits, leading zeros aside.

    Exactly the text without an exponent that the rule takes, once the
    length is bounded by ``longest_text()``: read with ``Decimal()`` alone, it
    gives the very value the rule gives.
    """
    return rf"-?0*[0-9]{{1,{MAX_INTEGER_DIGITS}}}(?:\.[0-9]{{1,{MAX_FRACTION_DIGITS}}})?"


def _to_decimal(value: object) -> Decimal:
    """Return *value* as an exact, finite, reasonably sized Decimal, or raise at ``$``.

    Accepts a `Decimal`, an ``int``, or decimal text such as ``"-1234.50"``
    or ``"43.8E9"``; an exponent is written out, so ``Decimal("43.8E9")`` and
    ``"43.8E9"`` both give ``Decimal("43800000000")``, as a file stores it.
    Refuses ``float`` (it would lose digits), ``bool``, NaN and infinities,
    and amounts with more than
    [`MAX_INTEGER_DIGITS`][kgru_relations.money.MAX_INTEGER_DIGITS] digits before the point or
    [`MAX_FRACTION_DIGITS`][kgru_relations.money.MAX_FRACTION_DIGITS] after it.
    """
    if isinstance(value, float):
        example = format(Decimal(repr(value)), "f") if math.isfinite(value) else "1234.50"
        raise ValidationError.at(
            "$",
            f"a float cannot hold a decimal amount exactly (got {shown(value)}); "
            f"pass a string or Decimal instead, such as {example!r}",
        )
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int) and not isinstance(value, bool):
        if abs(value) >= 10**MAX_INTEGER_DIGITS:
            raise ValidationError.at(
                "$", f"the amount has more than {MAX_INTEGER_DIGITS} digits before the point"
            )
        amount = Decimal(value)
    elif isinstance(value, str):
        if not _DECIMAL_TEXT.match(value) or len(value) > longest_text():
            raise ValidationError.at(
                "$",
                f"{shown(value)} is not a decimal number; write digits with an optional sign "
                f"and decimal point, such as '-1234.50'",
            )
        try:
            amount = Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid text
            raise ValidationError.at("$", f"{shown(value)} is not a decimal number") from None
    else:
        raise ValidationError.at(
            "$", f"expected a decimal amount as text, Decimal or int, got {shown(value)}"
        )
    if not amount.is_finite():
        raise ValidationError.at("$", f"the amount must be a finite number (got {shown(value)})")
    _sign, digits, exponent = amount.as_tuple()
    assert isinstance(exponent, int)  # finite, so never 'n', 'N' or 'F'
    if len(digits) + exponent > MAX_INTEGER_DIGITS:
        raise ValidationError.at(
            "$", f"the amount has more than {MAX_INTEGER_DIGITS} digits before the point"
        )
    if -exponent > MAX_FRACTION_DIGITS:
        raise ValidationError.at(
            "$", f"the amount has more than {MAX_FRACTION_DIGITS} digits after the point"
        )
    if exponent > 0:  # 4.38E+10: written out, as the file will store it
        amount = Decimal(format(amount, "f"))
    return amount


class _AmountRule(Rule[Decimal]):
    """The amount rule; in a file, a decimal string, never a JSON number.

    Its schema and its fast form are written from the same limits the rule
    reads, when they are asked for: change a limit and all three follow.
    """

    __slots__ = ()

    def read(self, value: Any) -> Decimal:
        """An amount in a file: decimal text; a JSON number is refused, saying why."""
        if isinstance(value, Number | int | float) and not isinstance(value, bool):
            text = value.text if isinstance(value, Number) else str(value)
            example = f' such as "{text}"' if len(text) <= SHOWN else ""
            raise ValidationError.at(
                "$",
                f"expected a decimal string{example}, got the JSON number {number_text(text)}; "
                f"amounts are written as strings because a float would lose digits",
            )
        if not isinstance(value, str):
            raise ValidationError.at("$", f"expected a decimal string, got {described(value)}")
        return _to_decimal(value)

    def fast_form(self) -> tuple[str, Callable[[str], Decimal]]:
        """Plain decimal text the rule takes unchanged (its length bounded too), and ``Decimal``."""
        return f"(?=.{{1,{longest_text()}}}\\Z){_plain_form()}", Decimal

    def schema(self, refs: Refs = None) -> dict[str, Any]:
        """Plain decimal text within the limits, or text with an exponent (checked by loads)."""
        return {
            "type": "string",
            "maxLength": longest_text(),
            "pattern": f"^(?:{_plain_form()}|{_NUMBER}{_EXPONENT})$",
        }


decimal_rule: Final = _AmountRule(
    _to_decimal,
    dict,
    repeats=False,
    # format(item, "f"), twice as fast: str() writes the same text unless it
    # writes an exponent (an "E"), as it does for 1E+2 and 1E-7.
    writes='(text if "E" not in (text := str({item})) else format({item}, "f"))',
    # msgspec writes a Decimal as str() does, in C. Once the rule has written out
    # a positive exponent (above), str() writes one only below 10**-6 (1E-7).
    wire_writes='({item} if {item}.adjusted() > -7 else format({item}, "f"))',
)
"""An exact decimal: a ``Decimal``, an ``int`` or decimal text, never a float."""


@attrs.frozen(init=False, order=False, repr=False)
class Money:
    """An exact amount of money in one currency.

    Amounts may be negative (a trade balance, a loss); a model field that must
    not be negative says so itself. Two amounts compare equal when the number
    and currency are equal (``USD 1.0 == USD 1.00``); ``<`` and friends work
    between amounts of one currency and raise ``TypeError`` across currencies,
    because no exchange rate is implied.

    Args:
        amount: A `Decimal`, an ``int``, or plain decimal text
            (``"165000000"``, ``"-12.50"``). Never a ``float``.
        currency: An ISO 4217 code, letter or numeric (``"USD"``, ``"840"``);
            stored as the upper-case letter code.

    Raises:
        ValidationError: With an issue at ``$.amount`` and/or ``$.currency``
            for each argument that is wrong.

    Examples:
        >>> str(Money("2500000000", "USD"))
        'USD 2500000000'
    """

    WHAT: ClassVar[str] = "money"
    """What a message calls one: ``expected money (a JSON object)``."""

    amount: Decimal = attrs.field(metadata={"check": decimal_rule})
    currency: str = attrs.field(metadata={"check": currency_rule})

    def __init__(self, amount: Decimal | int | str, currency: str) -> None:
        self.__attrs_init__(*checked_values(Money, (amount, currency)))

    @classmethod
    def parse(cls, text: str) -> Money:
        """Read money from its text form, ``"CUR amount"``.

        Args:
            text: An ISO 4217 code, one space, and a plain decimal amount:
                ``"USD 165000000"``, ``"RUB -12.50"``.

        Returns:
            The amount; ``str()`` of it gives *text* back.

        Raises:
            ValidationError: If *text* is not of that form.
        """
        if not isinstance(text, str):
            raise ValidationError.at("$", f"expected money text, got {shown(text)}")
        currency, space, amount = text.partition(" ")
        if not space:
            raise ValidationError.at(
                "$", f"{shown(text)} is not money; expected a currency code, a space and an amount"
            )
        try:
            return cls(amount, currency)
        except ValidationError as error:
            reasons = "; ".join(issue.message for issue in error)
            raise ValidationError.at("$", f"{shown(text)} is not money: {reasons}") from None

    def _comparable(self, other: object) -> Decimal | None:
        """Return the amount to compare with, None if *other* is not money at all."""
        if not isinstance(other, Money):
            return None
        if self.currency != other.currency:
            msg = f"cannot compare {self} with {other}: different currencies"
            raise TypeError(msg)
        return other.amount

    def __lt__(self, other: Money) -> bool:
        amount = self._comparable(other)
        return NotImplemented if amount is None else self.amount < amount

    def __le__(self, other: Money) -> bool:
        amount = self._comparable(other)
        return NotImplemented if amount is None else self.amount <= amount

    def __gt__(self, other: Money) -> bool:
        amount = self._comparable(other)
        return NotImplemented if amount is None else self.amount > amount

    def __ge__(self, other: Money) -> bool:
        amount = self._comparable(other)
        return NotImplemented if amount is None else self.amount >= amount

    def __str__(self) -> str:
        return f"{self.currency} {self.amount:f}"

    def __repr__(self) -> str:
        return f"Money.parse({str(self)!r})"
