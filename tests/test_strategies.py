"""The public strategies draw valid values of every model class."""

import importlib.metadata

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgru_relations import Dataset, Money, Name, PartialDate, Period, model
from kgru_relations.model import Entity
from kgru_relations.strategies import (
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
    tenures,
)

STRATEGIES: list[tuple[type[Entity], st.SearchStrategy[Entity]]] = [
    (model.Source, sources()),
    (model.State, states()),
    (model.Organization, organizations()),
    (model.Person, persons()),
    (model.Position, positions()),
    (model.Tenure, tenures()),
    (model.Membership, memberships()),
    (model.Chairmanship, chairmanships()),
    (model.Agreement, agreements()),
    (model.Event, events()),
    (model.Statement, statements()),
    (model.Indicator, indicators()),
    (model.Observation, observations()),
]


def test_there_is_a_strategy_for_every_entity_class() -> None:
    assert {cls for cls, _ in STRATEGIES} == set(model.ENTITY_CLASSES)


@pytest.mark.parametrize(("cls", "strategy"), STRATEGIES, ids=lambda v: getattr(v, "__name__", ""))
@given(data=st.data())
def test_each_strategy_draws_valid_entities_that_rebuild_equal(
    cls: type[Entity], strategy: st.SearchStrategy[Entity], data: st.DataObject
) -> None:
    entity = data.draw(strategy)
    assert type(entity) is cls
    # Building it again from its own fields runs every check again, and must agree.
    assert attrs.evolve(entity) == entity
    assert hash(attrs.evolve(entity)) == hash(entity)


# Every public type a user may ask hypothesis for by type alone.
BY_TYPE: list[type[object]] = [
    PartialDate,
    Period,
    Money,
    Name,
    model.StatusChange,
    *model.ENTITY_CLASSES,
    Dataset,
]


@pytest.mark.parametrize("cls", BY_TYPE, ids=lambda cls: cls.__name__)
@given(data=st.data())
def test_from_type_draws_valid_values_with_no_set_up(
    cls: type[object], data: st.DataObject
) -> None:
    # No register_strategies() call here: hypothesis ran our entry point on import.
    value = data.draw(st.from_type(cls))
    assert type(value) is cls
    if attrs.has(cls):
        assert attrs.evolve(value) == value  # type: ignore[misc]


def test_hypothesis_finds_the_registration_through_its_entry_point() -> None:
    hooks = [
        entry.value
        for entry in importlib.metadata.entry_points(group="hypothesis")
        if entry.dist is not None and entry.dist.name == "kgru-relations"
    ]
    assert hooks == ["kgru_relations._hypothesis_plugin:setup"]
