"""The relations between entities, each declared once as an edge.

FollowTheMoney declares each relation once, with its two ends and a name for
each way of reading it (``schema/Occupancy.yaml``); so does this module. A
[`Tenure`][kgru_relations.Tenure] links a person to a position, a
[`Membership`][kgru_relations.Membership] and a
[`Chairmanship`][kgru_relations.Chairmanship] a state to an organisation, each
over a period. From these declarations, not per relation, come:

* the reverse indexes the queries use (who held a position, whom a person
  held, which states belonged to an organisation, which chaired it):
  [`Indexes.along`][kgru_relations.dataset._indexes.Indexes.along];
* the timeline's entries for each relation, from the verbs declared here;
* what makes two records accounts of one fact, for the merge;
* each export's form of the relation: ``interop.ftm`` and ``interop.popolo``
  keep a short declaration per edge (an FtM schema and the property holding
  each end; a Popolo role), read by one function each way, and the entities
  each end may be come from the model's reference fields
  (``Edge.classes``).

Adding a relation is adding an ``Edge`` to ``EDGES``, and its declaration in
each export (or its line among what that export cannot hold).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Final, Generic, Literal, TypeAlias, TypeVar

import attrs

from kgru_relations.dates import PartialDate, Period, Unknown
from kgru_relations.model import ENTITY_CLASSES, Chairmanship, Entity, Membership, Tenure
from kgru_relations.model._base import reference_kinds

__all__ = ["CHAIRMANSHIP", "EDGES", "MEMBERSHIP", "TENURE", "Edge", "Side", "edge_of"]

R = TypeVar("R", Tenure, Membership, Chairmanship)
Side: TypeAlias = Literal["source", "target"]
_Label: TypeAlias = Callable[[str], str]


@attrs.frozen(kw_only=True)
class Edge(Generic[R]):
    """One relation: a kind of record linking a source to a target over a period.

    The verbs are the timeline's text, as ``str.format`` templates that may
    name ``{source}`` and ``{target}`` (their labels), ``{acting}`` (``acting
    `` for an acting holder) and, for a change, ``{status}``; a verb may also
    be a function choosing the template for a record.

    Attributes:
        kind: The record class.
        source: The field holding the source's id (``person``).
        target: The field holding the target's id (``position``).
        name: The relation read from source to target (``holds``).
        reverse: The relation read from target to source (``is held by``).
        begins: What the timeline says on the first day of the period.
        ends: What it says on the last day, or ``None`` for nothing.
        changes: What it says on each status change the record lists
            (``changes``), or ``None`` if it lists none.
    """

    kind: type[R]
    source: str
    target: str
    name: str
    reverse: str
    begins: str | Callable[[R], str]
    ends: str | Callable[[R], str] | None = None
    changes: str | None = None

    def end(self, record: R, side: Side) -> str:
        """The id at one end of *record*."""
        value: str = getattr(record, self.field(side))
        return value

    def field(self, side: Side) -> str:
        """The name of the field holding *side*'s id (``person`` for a tenure's source)."""
        return self.source if side == "source" else self.target

    def classes(self, side: Side) -> tuple[type[Entity], ...]:
        """The classes the entity at *side* may be, as the model's field declares them.

        Examples:
            >>> [cls.__name__ for cls in TENURE.classes("target")]
            ['Position']
        """
        field = attrs.fields_dict(self.kind)[self.field(side)]
        kinds = reference_kinds(self.kind, field) or ()
        return tuple(_CLASS_OF_KIND[kind] for kind in kinds)

    def key(self, record: R) -> tuple[type[R], str, str]:
        """What two records must share to tell of one fact: the kind and both ends."""
        return (self.kind, self.end(record, "source"), self.end(record, "target"))

    def facts(
        self, record: R, label: _Label
    ) -> Iterator[tuple[PartialDate | Unknown | None, Callable[[], str]]]:
        """Each dated fact *record* gives the timeline, in order: (date, text when read)."""
        period: Period = record.period
        # An end on a day not recorded has no place on the timeline: the beginning
        # says it, or a reader would take the relation as still going on.
        ended = " (ended on an unknown day)" if isinstance(period.end, Unknown) else ""
        yield period.start, lambda: self._say(self.begins, record, label) + ended
        if self.changes is not None:
            for change in getattr(record, "changes", ()):
                status = change.status.value
                yield change.since, _bound(self._say, self.changes, record, label, status)
        if self.ends is not None:
            ends = self.ends
            yield period.end, lambda: self._say(ends, record, label)

    def _say(
        self, verb: str | Callable[[R], str], record: R, label: _Label, status: str = ""
    ) -> str:
        template = verb if isinstance(verb, str) else verb(record)
        return template.format(
            source=label(self.end(record, "source")),
            target=label(self.end(record, "target")),
            acting="acting " if getattr(record, "acting", False) else "",
            status=status,
        )


def _bound(
    say: Callable[[str, R, _Label, str], str], template: str, record: R, label: _Label, status: str
) -> Callable[[], str]:
    """``say`` with its arguments bound now (a lambda in a loop would see the last change)."""
    return lambda: say(template, record, label, status)


def _tenure_ends(tenure: Tenure) -> str:
    if tenure.acting:
        return "{source}'s acting term as {target} ends"
    return "{source} leaves office as {target}"


TENURE: Final = Edge(
    kind=Tenure,
    source="person",
    target="position",
    name="holds",
    reverse="is held by",
    begins="{source} becomes {acting}{target}",
    ends=_tenure_ends,
)
MEMBERSHIP: Final = Edge(
    kind=Membership,
    source="state",
    target="organization",
    name="is a member of",
    reverse="has as a member",
    begins="{source} joins {target}",
    changes="{source} is {status} in {target}",
    ends="{source} leaves {target}",
)
CHAIRMANSHIP: Final = Edge(
    kind=Chairmanship,
    source="state",
    target="organization",
    name="chairs",
    reverse="is chaired by",
    begins="{source} takes the chair of {target}",
)
EDGES: Final[tuple[Edge[Any], ...]] = (
    TENURE,
    MEMBERSHIP,
    CHAIRMANSHIP,
)
"""Every relation, in the order the timeline lists them."""

_CLASS_OF_KIND: Final[dict[str, type[Entity]]] = {cls.KIND: cls for cls in ENTITY_CLASSES}
_BY_KIND: Final[dict[type[Entity], Edge[Any]]] = {edge.kind: edge for edge in EDGES}


def edge_of(entity: Entity) -> Edge[Any] | None:
    """The edge *entity* is a record of, or ``None`` if it is not a relation."""
    return _BY_KIND.get(type(entity))
