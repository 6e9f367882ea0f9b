"""Economic figures: indicators and the observations that measure them."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import ClassVar, Final

import attrs

from kgru_relations._checks import Rule
from kgru_relations.codes import currency_code, currency_rule
from kgru_relations.dates import PartialDate
from kgru_relations.errors import Issue, ValidationError, shown
from kgru_relations.model._base import (
    Entity,
    Fact,
    as_decimal,
    as_names,
    as_optional_partial_date,
    check_bool,
    check_country,
    check_names,
    check_partial_date,
    check_text,
    checked,
    choice,
    optional,
    optional_reference,
    reference,
)
from kgru_relations.money import Money, decimal_rule
from kgru_relations.names import Name

__all__ = [
    "Indicator",
    "Measure",
    "Observation",
    "ObservationKind",
    "Qualifier",
    "is_currency",
    "unit",
]

_UNIT_WORD = re.compile(r"[a-z][a-z_]*\Z")


def unit(value: object) -> str:
    """Check a unit: an ISO 4217 currency code (``USD``) or a lowercase word (``project``).

    Currency codes are written in capitals, so that a word unit is never taken
    for a currency (``all`` is a word; ``ALL`` is the Albanian lek).

    Raises:
        ValidationError: If *value* is neither.

    Examples:
        >>> unit("USD"), unit("840"), unit("project")
        ('USD', 'USD', 'project')
    """
    if isinstance(value, str) and _UNIT_WORD.match(value):
        return value
    try:
        return currency_code(value)  # type: ignore[arg-type]
    except ValidationError:
        raise ValidationError.at(
            "$",
            f"{shown(value)} is not a unit; expected an ISO 4217 currency code such as 'USD' "
            f"or a lowercase word such as 'project'",
        ) from None


_unit_rule: Final = Rule(
    unit,
    lambda: {
        "anyOf": [
            currency_rule.schema(),
            {"type": "string", "pattern": f"^{_UNIT_WORD.pattern.removesuffix(chr(92) + 'Z')}$"},
        ]
    },
)
"""A unit's rule: a currency code in any form ``currency_code`` reads, or a word."""


def is_currency(unit: str) -> bool:
    """Whether a unit (one [`unit`][kgru_relations.model.economy.unit] accepts) is a currency.

    The one test of it: a currency code is stored in capitals, a word unit in
    lowercase, so the command's figures, the pictures and the model agree.

    Examples:
        >>> is_currency("USD"), is_currency("project")
        (True, False)
    """
    return unit.isupper()


def _currency_meant(word: str) -> str | None:
    """The currency code a lowercase unit word is, in capitals (``usd``: ``USD``), if any."""
    try:
        return currency_code(word.upper())
    except ValidationError:
        return None


class Measure(enum.Enum):
    """What an indicator's figures are, and so which units they may be in.

    The rule is [`unit_problem`][kgru_relations.model.economy.Measure.unit_problem];
    the Dataset's [`validate`][kgru_relations.dataset.Dataset.validate] applies it
    to every observation of an indicator that declares its measure.

    Examples:
        >>> Measure.MONEY.fits("USD"), Measure.COUNT.fits("project")
        (True, True)
        >>> Measure.MONEY.unit_problem("usd")
        "'usd' is not a currency code; did you mean 'USD'?"
    """

    MONEY = "money"
    """An amount of money: the unit is an ISO 4217 currency code (``USD``)."""
    COUNT = "count"
    """A number of things (or of units), named by a lowercase word: ``project``, ``tonne``."""
    PERCENT = "percent"
    """A percentage: the unit is the word ``percent``."""

    def unit_problem(self, unit: str) -> str | None:
        """What is wrong with *unit* as the unit of a figure of this measure, if anything.

        Args:
            unit: A unit an [`Observation`][kgru_relations.Observation] accepts:
                a currency code or a lowercase word.

        Returns:
            A sentence saying what was expected, or ``None`` if *unit* fits.
        """
        if self is Measure.MONEY:
            if is_currency(unit):
                return None
            meant = _currency_meant(unit)
            if meant is not None:
                return f"{shown(unit)} is not a currency code; did you mean {meant!r}?"
            return f"{shown(unit)} is not a currency code; expected one such as 'USD'"
        if self is Measure.PERCENT:
            return None if unit == "percent" else f"expected the unit 'percent', got {shown(unit)}"
        if is_currency(unit) or unit == "percent":
            return f"expected a word for what is counted, such as 'project', got {shown(unit)}"
        return None

    def fits(self, unit: str) -> bool:
        """Whether *unit* may be the unit of a figure of this measure."""
        return self.unit_problem(unit) is None


class Qualifier(enum.Enum):
    """How a figure relates to the true value."""

    EXACT = "exact"
    """The value as reported, without qualification."""
    APPROXIMATELY = "approximately"
    """About this much ("some 3.2 billion")."""
    MORE_THAN = "more_than"
    """More than this ("exceeded 2.5 billion")."""
    AT_LEAST = "at_least"
    """This much or more."""
    LESS_THAN = "less_than"
    """Less than this."""
    AT_MOST = "at_most"
    """This much or less."""


class ObservationKind(enum.Enum):
    """Whether a figure is measured, estimated, aimed at, expected, or scheduled."""

    ACTUAL = "actual"
    """Measured and reported."""
    ESTIMATE = "estimate"
    """Estimated after the fact."""
    TARGET = "target"
    """An aim set by someone (a government's goal)."""
    FORECAST = "forecast"
    """Expected, before the fact."""
    PLANNED = "planned"
    """Scheduled or committed (a payment a law says "shall be paid"), not confirmed as done."""


@attrs.frozen(kw_only=True)
class Indicator(Entity):
    """What an observation measures: trade turnover, remittances, a fund's portfolio.

    The registry is open: a dataset defines the indicators it uses.

    Attributes:
        id: ``indicator:slug`` (``indicator:trade-turnover``).
        names: What it is called.
        description: What exactly is counted.
        symmetric: Whether reporter and partner can swap without changing the
            meaning (trade turnover between two states is symmetric; remittances
            from one to the other are not). Symmetric figures reported by each
            side are compared by the Dataset's check.
        allows_negative: Whether a value may be negative (a balance).
        measure: What its figures are: an amount of money, a count, a
            percentage; the Dataset's check reports an observation whose unit
            does not fit (``usd`` for money). ``None``, the default, declares
            nothing, and any unit is accepted.
    """

    KIND: ClassVar[str] = "indicator"
    COLLECTION: ClassVar[str] = "indicators"

    names: tuple[Name, ...] = attrs.field(converter=as_names, metadata=checked(check_names))
    description: str | None = attrs.field(default=None, metadata=checked(optional(check_text)))
    symmetric: bool = attrs.field(default=False, metadata=checked(check_bool))
    allows_negative: bool = attrs.field(default=False, metadata=checked(check_bool))
    measure: Measure | None = attrs.field(default=None, metadata=checked(optional(choice(Measure))))


@attrs.frozen(kw_only=True)
class Observation(Fact):
    """One figure: a value of an indicator, for a reporter (and partner), for a period.

    Attributes:
        id: ``observation:slug``.
        indicator: The id of the indicator measured.
        reporter: The ISO alpha-2 code of the country whose figure this is
            (whose statistics, or whose government set the target).
        partner: The ISO alpha-2 code of the counterpart country, if any.
        subject: The id of the entity measured, when it is not a country
            (a fund's portfolio).
        period: The period the figure covers (``2024`` for a year, ``2024-Q3``
            for a quarter); ``None`` for a target with no date.
        value: The figure, an exact decimal (never a float).
        unit: An ISO 4217 currency code, or a lowercase word (``project``,
            ``percent``); it must fit what the indicator measures, if the
            indicator declares it (see [`Measure`][kgru_relations.model.economy.Measure]).
        qualifier: How the figure relates to the true value.
        kind: Measured, estimated, target, forecast or planned.

    A negative value is allowed only where the indicator allows a balance, and
    the unit must fit the indicator's measure; the Dataset checks both, since
    an observation holds its indicator by id.
    """

    KIND: ClassVar[str] = "observation"
    COLLECTION: ClassVar[str] = "observations"

    indicator: str = attrs.field(metadata=reference("indicator"))
    reporter: str = attrs.field(metadata=checked(check_country))
    partner: str | None = attrs.field(default=None, metadata=checked(optional(check_country)))
    subject: str | None = attrs.field(
        default=None, metadata=optional_reference("state", "organization", "agreement")
    )
    period: PartialDate | None = attrs.field(
        converter=as_optional_partial_date,
        default=None,
        metadata=checked(optional(check_partial_date)),
    )
    value: Decimal = attrs.field(converter=as_decimal, metadata=checked(decimal_rule))
    unit: str = attrs.field(metadata=checked(_unit_rule))
    qualifier: Qualifier = attrs.field(default=Qualifier.EXACT, metadata=checked(choice(Qualifier)))
    kind: ObservationKind = attrs.field(
        default=ObservationKind.ACTUAL, metadata=checked(choice(ObservationKind))
    )

    def _rules(self) -> Iterator[Issue]:
        if self.period is None and self.kind in {ObservationKind.ACTUAL, ObservationKind.ESTIMATE}:
            yield Issue("$.period", f"an observation of kind {self.kind.value!r} needs a period")
        if self.partner is not None and self.partner == self.reporter:
            yield Issue("$.partner", "the partner must differ from the reporter")

    @property
    def money(self) -> Money | None:
        """The value as [`Money`][kgru_relations.Money], if the unit is a currency."""
        return Money(self.value, self.unit) if is_currency(self.unit) else None

    @property
    def label(self) -> str:
        """The figure in words: ``approximately USD 3200000000 (2024)``, ``36 project (2025)``."""
        qualifier = (
            ""
            if self.qualifier is Qualifier.EXACT
            else self.qualifier.value.replace("_", " ") + " "
        )
        when = f" ({self.period})" if self.period is not None else ""
        amount = (
            f"{self.unit} {self.value:f}"
            if is_currency(self.unit)
            else f"{self.value:f} {self.unit}"
        )
        return f"{qualifier}{amount}{when}"
