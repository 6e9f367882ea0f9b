"""Hypothesis strategies for every kgru_relations value type, model class and dataset.

Use them to test your own code against any valid value the library accepts:

    >>> from hypothesis import given
    >>> from kgru_relations.strategies import periods
    >>> @given(periods())
    ... def test_period_text_round_trips(period):
    ...     assert type(period).parse(str(period)) == period
    >>> test_period_text_round_trips()

This module needs `hypothesis`, which is not a dependency of the library:
install it yourself or with the ``test`` extra (``pip install 'kgru-relations[test]'``).
Every value each strategy draws is valid; the strategies also shrink towards
simple values (early years, whole amounts, common codes).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from kgru_relations.dataset import Dataset
from kgru_relations.dates import PartialDate, Period
from kgru_relations.model import (
    Agreement,
    Chairmanship,
    Event,
    Indicator,
    Membership,
    Observation,
    Organization,
    Person,
    Position,
    Source,
    State,
    Statement,
    StatusChange,
    Tenure,
)
from kgru_relations.money import Money
from kgru_relations.names import Name
from kgru_relations.strategies._datasets import datasets
from kgru_relations.strategies._entities import (
    agreements,
    chairmanships,
    events,
    indicators,
    memberships,
    observations,
    organizations,
    persons,
    positions,
    sources,
    statements,
    states,
    status_changes,
    tenures,
    units,
)
from kgru_relations.strategies._values import (
    amounts,
    country_codes,
    currency_codes,
    edge_values,
    ids,
    language_codes,
    money,
    names,
    partial_dates,
    periods,
    script_codes,
    texts,
)

__all__ = [
    "agreements",
    "amounts",
    "chairmanships",
    "country_codes",
    "currency_codes",
    "datasets",
    "edge_values",
    "events",
    "ids",
    "indicators",
    "language_codes",
    "memberships",
    "money",
    "names",
    "observations",
    "organizations",
    "partial_dates",
    "periods",
    "persons",
    "positions",
    "register_strategies",
    "script_codes",
    "sources",
    "statements",
    "states",
    "status_changes",
    "tenures",
    "texts",
    "units",
]


# --- st.from_type -----------------------------------------------------------------------


def register_strategies() -> None:
    """Register the strategies above with hypothesis, so ``st.from_type`` draws valid values.

    This module runs it when it is imported, and hypothesis imports this
    module itself, through the ``hypothesis`` entry point this package
    declares, so ``st.from_type(PartialDate)`` or
    ``st.builds(f)`` for a function taking a ``Tenure`` draw valid values with
    no set-up. Calling it again is harmless.
    """
    registered: list[tuple[type[Any], st.SearchStrategy[Any]]] = [
        (PartialDate, partial_dates()),
        (Period, periods()),
        (Money, money()),
        (Name, names()),
        (StatusChange, status_changes()),
        (Source, sources()),
        (State, states()),
        (Organization, organizations()),
        (Person, persons()),
        (Position, positions()),
        (Tenure, tenures()),
        (Membership, memberships()),
        (Chairmanship, chairmanships()),
        (Agreement, agreements()),
        (Event, events()),
        (Statement, statements()),
        (Indicator, indicators()),
        (Observation, observations()),
        (Dataset, datasets()),
    ]
    for cls, strategy in registered:
        st.register_type_strategy(cls, strategy)


# Registered when this module is imported, whoever imports it first: hypothesis,
# through the entry point in `_hypothesis_plugin`, or a user's own import.
register_strategies()
