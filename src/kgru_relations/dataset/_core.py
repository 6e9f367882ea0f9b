"""The container: every entity of a dataset, by kind and by id, and the lookups.

[`Core`][kgru_relations.dataset._core.Core] is the bottom of the package: the
indexes, the queries by topic, the integrity checks, the findings and the merge
take one as an argument and read it through the methods below, never through
its private attributes. [`Dataset`][kgru_relations.Dataset] is a ``Core`` with
the queries on top.
"""

from __future__ import annotations

import difflib
import enum
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Final, TypeVar, overload

from kgru_relations.errors import ValidationError
from kgru_relations.model import ENTITY_CLASSES, Entity
from kgru_relations.model._base import choice

__all__ = ["Core", "option", "shown_id"]

E = TypeVar("E", bound=Entity)
K = TypeVar("K", bound=enum.Enum)

_SHOWN_ID: Final = 80


def shown_id(entity_id: object) -> str:
    """An id as a message shows it: quoted, and shortened if it is long."""
    text = repr(entity_id)
    return text if len(text) <= _SHOWN_ID else text[: _SHOWN_ID - 1] + "…"


def option(value: K | str, cls: type[K], name: str) -> K:
    """A query's enum filter, as the member or its value (``"treaty"``), checked as fields are."""
    try:
        return choice(cls)(value)
    except ValidationError as error:
        raise error.under(name) from None


class Core:
    """Every entity of a body of data, by kind (in the order given) and by id.

    Args:
        entities: The entities; each an instance of one of the model classes.

    Raises:
        TypeError: If an item is not a model entity.
    """

    __slots__ = ("_by_id", "_collections")

    def __init__(self, entities: Iterable[Entity] = ()) -> None:
        collections: dict[type[Entity], list[Entity]] = {cls: [] for cls in ENTITY_CLASSES}
        by_id: dict[str, Entity] = {}
        for entity in entities:
            bucket = collections.get(type(entity))
            if bucket is None:
                bucket = next(
                    (items for cls, items in collections.items() if isinstance(entity, cls)), None
                )
            if bucket is None:
                msg = f"a Dataset holds model entities, not {type(entity).__name__}"
                raise TypeError(msg)
            bucket.append(entity)
            by_id.setdefault(entity.id, entity)
        self._collections: dict[type[Entity], tuple[Entity, ...]] = {
            cls: tuple(items) for cls, items in collections.items()
        }
        self._by_id = by_id

    def all(self, kind: type[E]) -> tuple[E, ...]:
        """Every entity of one kind, in the order given: ``dataset.all(Person)``."""
        return self._collections[kind]  # type: ignore[return-value]

    def __iter__(self) -> Iterator[Entity]:
        """Every entity, kind by kind (sources first), each kind in the order given."""
        for items in self._collections.values():
            yield from items

    def __len__(self) -> int:
        """The number of entities."""
        return sum(len(items) for items in self._collections.values())

    def __contains__(self, entity_id: object) -> bool:
        """Whether an entity has this id."""
        return entity_id in self._by_id

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Core):
            return NotImplemented
        return all(
            Counter(self._collections[cls]) == Counter(other._collections[cls])
            for cls in ENTITY_CLASSES
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        counts = ", ".join(
            f"{len(items)} {cls.COLLECTION}" for cls, items in self._collections.items() if items
        )
        return f"<Dataset: {counts or 'empty'}>"

    @overload
    def get(self, entity_id: str) -> Entity: ...
    @overload
    def get(self, entity_id: str, kind: type[E]) -> E: ...

    def get(self, entity_id: str, kind: type[Entity] | None = None) -> Entity:
        """Return the entity with this id, checking its kind if *kind* is given.

        Args:
            entity_id: The id (``person:sergey-lavrov``).
            kind: The class the entity must be; the return type follows it.

        Raises:
            KeyError: If no entity has this id; given *kind*, the message
                suggests the id meant where one is close.
            TypeError: If it is not of *kind*.
        """
        if kind is not None and kind.KIND:
            return self.known(entity_id, kind)
        entity = self._by_id.get(entity_id)
        if entity is None:
            raise KeyError(f"no entity with id {shown_id(entity_id)}")
        if kind is not None and not isinstance(entity, kind):
            msg = f"{entity_id!r} is a {entity.KIND}, not a {kind.__name__}"
            raise TypeError(msg)
        return entity

    @property
    def lookup(self) -> Callable[[str], Entity | None]:
        """Look an id up: ``core.lookup(id)`` is its entity (the first, where ids repeat) or None.

        The dictionary's own ``get``, so that a loop over many records can
        take it once and pay only the lookup for each.
        """
        return self._by_id.get

    def label(self, entity_id: str) -> str:
        """The label of the entity with this id, or the id itself if there is none."""
        entity = self._by_id.get(entity_id)
        return entity.label if entity is not None else entity_id

    def known(self, entity_id: str, *kinds: type[Entity]) -> Entity:
        """The entity a query names, which must be of one of *kinds*.

        Raises:
            KeyError: If no entity has the id; the message suggests the id
                meant where one is close (a missing ``kind:`` prefix, a typo).
            TypeError: If the entity is of another kind.
        """
        entity = self._by_id.get(entity_id)
        if entity is None:
            what = " or ".join(kind.KIND for kind in kinds)
            raise KeyError(
                f"no {what} with id {shown_id(entity_id)}{self._did_you_mean(entity_id, kinds)}"
            )
        if not isinstance(entity, kinds):
            what = " or ".join(
                f"{'an' if kind.KIND[0] in 'aeiou' else 'a'} {kind.KIND}" for kind in kinds
            )
            msg = f"{entity_id!r} is a {entity.KIND}, not {what}"
            raise TypeError(msg)
        return entity

    def _did_you_mean(self, entity_id: object, kinds: tuple[type[Entity], ...]) -> str:
        if not isinstance(entity_id, str) or len(entity_id) > _SHOWN_ID:
            return ""
        for kind in kinds:
            prefixed = f"{kind.KIND}:{entity_id}"
            if isinstance(self._by_id.get(prefixed), kind):
                return f"; did you mean {prefixed!r}?"
        # Compare slugs, not whole ids: a shared "organization:" says nothing.
        prefix, _, slug = entity_id.rpartition(":")
        by_slug = {
            entity.id.partition(":")[2]: entity.id
            for cls in kinds
            if prefix in ("", cls.KIND)
            for entity in self.all(cls)
        }
        close = difflib.get_close_matches(slug, list(by_slug), n=1, cutoff=0.7)
        return f"; did you mean {by_slug[close[0]]!r}?" if close else ""
