"""The public strategies draw valid values of every model class."""

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgru_relations import model
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
