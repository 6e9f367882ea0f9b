"""The domain model: entities and the relations between them.

Every class is a frozen, slotted attrs class built with keyword arguments only;
building one checks every field and reports every problem with a field at once,
each at its field's path; rules that compare fields (an end before its start)
run once every field is fine on its own. References between entities are ids (``state:kg``); a
[`Dataset`][kgru_relations.Dataset] resolves them and checks that they fit.
"""

import functools

from kgru_relations._codegen import recompiled
from kgru_relations.model._base import Confidence, Entity, Fact, Record, kind_of
from kgru_relations.model._init import compiled_init
from kgru_relations.model.actors import (
    Organization,
    OrganizationKind,
    Person,
    Position,
    PositionKind,
    State,
)
from kgru_relations.model.agreements import Agreement, AgreementKind, AgreementStatus
from kgru_relations.model.economy import Indicator, Measure, Observation, ObservationKind, Qualifier
from kgru_relations.model.events import Event, EventKind, EventStatus, Statement
from kgru_relations.model.relations import (
    Chairmanship,
    Membership,
    MembershipStatus,
    StatusChange,
    Tenure,
)
from kgru_relations.model.sources import Source

__all__ = [
    "ENTITY_CLASSES",
    "Agreement",
    "AgreementKind",
    "AgreementStatus",
    "Chairmanship",
    "Confidence",
    "Entity",
    "Event",
    "EventKind",
    "EventStatus",
    "Fact",
    "Indicator",
    "Measure",
    "Membership",
    "MembershipStatus",
    "Observation",
    "ObservationKind",
    "Organization",
    "OrganizationKind",
    "Person",
    "Position",
    "PositionKind",
    "Qualifier",
    "Record",
    "Source",
    "State",
    "Statement",
    "StatusChange",
    "Tenure",
    "kind_of",
]

ENTITY_CLASSES: tuple[type[Entity], ...] = (
    Source,
    State,
    Organization,
    Person,
    Position,
    Tenure,
    Membership,
    Chairmanship,
    Agreement,
    Event,
    Statement,
    Indicator,
    Observation,
)
"""Every entity class, in the order a data file lists their collections."""

# Each model class builds with an __init__ compiled from its fields' checks.
# It is compiled again if the rules are (as a test that changes a rule does).
for _cls in (*ENTITY_CLASSES, StatusChange):
    recompiled(functools.partial(compiled_init, _cls))
del _cls
