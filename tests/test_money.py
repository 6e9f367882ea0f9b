import operator
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgru_relations import Money, Observation, Qualifier, ValidationError
from kgru_relations._amounts import amount, figure, qualifier_sign
from kgru_relations.plot._labels import value_label
from kgru_relations.strategies import amounts, money

from .builders import bare_observation


def test_money_from_text_decimal_and_int() -> None:
    assert Money("165000000", "USD").amount == Decimal(165000000)
    assert Money(Decimal("2.532E9"), "USD").amount == Decimal(2532000000)
    assert Money(500, "usd").currency == "USD"
    assert Money("10", "840").currency == "USD"
    assert Money("-12.50", "RUB").amount == Decimal("-12.50")


def test_text_form() -> None:
    value = Money.parse("USD 165000000")
    assert value == Money("165000000", "USD")
    assert str(value) == "USD 165000000"
    assert str(Money(Decimal("3.2E+9"), "USD")) == "USD 3200000000"
    assert str(Money("1.50", "KGS")) == "KGS 1.50"


@pytest.mark.parametrize("amount", [0.1, 1.0, 2.5e9, float("nan"), float("inf")])
def test_a_float_is_refused_with_advice(amount: float) -> None:
    with pytest.raises(ValidationError) as caught:
        Money(amount, "USD")  # type: ignore[arg-type]
    [issue] = caught.value.issues
    assert issue.path == "$.amount"
    assert issue.message.startswith(
        f"a float cannot hold a decimal amount exactly (got {amount!r})"
    )
    assert "pass a string or Decimal instead" in issue.message


def test_float_advice_shows_the_exact_text_to_use() -> None:
    with pytest.raises(ValidationError, match=r"such as '0\.1'"):
        Money(0.1, "USD")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"such as '2500000000\.0'"):
        Money(2.5e9, "USD")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1e", "'1e' is not a decimal number"),
        ("1e99999", "'1e99999' is not a decimal number"),
        ("1e40", "more than 30 digits before the point"),
        ("1,000", "'1,000' is not a decimal number"),
        (" 5", "' 5' is not a decimal number"),
        ("+5", "'+5' is not a decimal number"),
        ("", "'' is not a decimal number"),
        ("NaN", "'NaN' is not a decimal number"),
        ("5.", "'5.' is not a decimal number"),
        (Decimal("NaN"), "the amount must be a finite number (got Decimal('NaN'))"),
        (Decimal("-Infinity"), "the amount must be a finite number"),
        (Decimal("1E+30"), "more than 30 digits before the point"),
        (10**30, "more than 30 digits before the point"),
        ("1" * 31, "more than 30 digits before the point"),
        ("9" * 200, "is not a decimal number"),
        ("0." + "0" * 18 + "1", "more than 18 digits after the point"),
        (True, "expected a decimal amount as text, Decimal or int, got True"),
        (None, "expected a decimal amount as text, Decimal or int, got None"),
    ],
)
def test_bad_amounts_are_refused(amount: object, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Money(amount, "USD")  # type: ignore[arg-type]
    [issue] = caught.value.issues
    assert issue.path == "$.amount"
    assert message in issue.message


def test_both_bad_arguments_are_reported_together() -> None:
    with pytest.raises(ValidationError) as caught:
        Money(1.5, "XYZ")  # type: ignore[arg-type]
    assert [issue.path for issue in caught.value] == ["$.amount", "$.currency"]
    assert caught.value.issues[1].message == "'XYZ' is not an ISO 4217 currency code"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "USD165000000",
            "'USD165000000' is not money; expected a currency code, a space and an amount",
        ),
        ("165000000 USD", "'165000000 USD' is not money: 'USD' is not a decimal number"),
        ("USD  5", "'USD  5' is not money: ' 5' is not a decimal number"),
        ("ZZZ 5", "'ZZZ 5' is not money: 'ZZZ' is not an ISO 4217 currency code"),
    ],
)
def test_parse_refuses_bad_text(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Money.parse(text)
    assert [(issue.path, issue.message[: len(message)]) for issue in caught.value] == [
        ("$", message)
    ]


def test_parse_refuses_what_is_not_text() -> None:
    with pytest.raises(ValidationError, match="expected money text"):
        Money.parse(5)  # type: ignore[arg-type]


def test_equal_amounts_are_equal_whatever_their_trailing_zeros() -> None:
    assert Money("1.0", "USD") == Money("1.00", "USD")
    assert hash(Money("1.0", "USD")) == hash(Money("1.00", "USD"))
    assert Money("1", "USD") != Money("1", "EUR")


def test_order_within_one_currency_only() -> None:
    assert Money("2.9", "USD") < Money("3.2", "USD") <= Money("3.20", "USD")
    assert Money("4.1", "USD") > Money("3.2", "USD") >= Money("3.2", "USD")
    assert sorted([Money("3", "USD"), Money("-1", "USD"), Money("2", "USD")]) == [
        Money("-1", "USD"),
        Money("2", "USD"),
        Money("3", "USD"),
    ]
    for compare in (operator.lt, operator.le, operator.gt, operator.ge):
        with pytest.raises(
            TypeError, match="cannot compare USD 1 with RUB 2: different currencies"
        ):
            compare(Money("1", "USD"), Money("2", "RUB"))
    with pytest.raises(TypeError):
        _ = Money("1", "USD") < 2  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = Money("1", "USD") <= 2  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = Money("1", "USD") > 2  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = Money("1", "USD") >= 2  # type: ignore[operator]


def test_money_is_frozen() -> None:
    value = Money("1", "USD")
    with pytest.raises(AttributeError):
        value.amount = Decimal(2)  # type: ignore[misc]


@given(money())
def test_text_round_trips_without_losing_a_digit(value: Money) -> None:
    again = Money.parse(str(value))
    assert again == value
    assert str(again) == str(value)


@given(money())
def test_repr_round_trips(value: Money) -> None:
    assert eval(repr(value), {"Money": Money}) == value


@given(amounts())
def test_decimal_text_is_exact(amount: Decimal) -> None:
    assert Money(format(amount, "f"), "USD").amount == amount


@given(st.floats())
def test_no_float_is_ever_accepted(amount: float) -> None:
    with pytest.raises(ValidationError, match="float"):
        Money(amount, "USD")  # type: ignore[arg-type]


@given(money(allow_negative=False))
def test_non_negative_strategy_gives_non_negative_amounts(value: Money) -> None:
    assert value.amount >= 0


@pytest.mark.parametrize("qualifier", list(Qualifier))
def test_the_command_and_the_pictures_write_a_qualifier_with_one_sign(
    qualifier: Qualifier,
) -> None:
    observation = Observation(
        id="observation:o",
        indicator="indicator:i",
        reporter="KG",
        period="2024",
        value="3200000000",
        unit="USD",
        qualifier=qualifier,
        sources=["source:s"],
    )
    sign = qualifier_sign(qualifier)
    assert (sign == "") is (qualifier is Qualifier.EXACT)
    assert figure(observation) == sign + amount(observation.value, "USD") == sign + "USD 3.2 bn"
    assert value_label(observation) == sign + "USD 3.2 bn"


@pytest.mark.parametrize("unit", ["USD", "840", "rub", "project", "percent", "all", "ALL"])
def test_only_a_figure_in_money_is_written_in_billions(unit: str) -> None:
    # The command and the pictures scale a figure exactly when the model calls it money.
    observation = bare_observation("o", "3200000000", unit=unit)
    written = figure(observation)
    assert written.endswith(" bn") is (observation.money is not None), written
