"""Comparing a record of theirs with ours: what is the same fact, what says less, what differs.

The rules of [`Dataset.merge`][kgru_relations.dataset.Dataset.merge] (rule 3
in ``_merge``'s docstring) that look at two records, field by field.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Hashable
from typing import Any, Final

import attrs

from kgru_relations.dates import PartialDate, Period
from kgru_relations.model._base import Entity, Fact, as_names, iter_references
from kgru_relations.names import Name, NameKind

__all__ = ["content", "fold", "plain", "required", "says_less"]

# Which record ours is a second account of, and how sure we are, are ours to say.
_OURS_TO_SAY: Final = frozenset({"id", "sources", "variant_of", "confidence"})
_NAMED: dict[type, frozenset[str]] = {}


def _named(cls: type[Entity]) -> frozenset[str]:
    """The fields of *cls* holding names (a state's capital too)."""
    found = _NAMED.get(cls)
    if found is None:
        found = _NAMED[cls] = frozenset(
            f.name for f in attrs.fields(cls) if f.converter is as_names
        )
    return found


def _empty(value: object) -> bool:
    return value is None or value == ()


def plain(text: str) -> str:
    """*text* as compared: Unicode NFC, each run of white space one space, joiners dropped."""
    text = unicodedata.normalize("NFC", text)
    if not text.isprintable():
        text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return " ".join(text.split())


def _day_says_less(ours: object, theirs: object) -> bool:
    """Whether date *theirs* is *ours*, or a coarser one holding it (``2025`` for ``2025-Q3``)."""
    if isinstance(ours, PartialDate) and isinstance(theirs, PartialDate):
        return theirs.earliest <= ours.earliest and ours.latest <= theirs.latest
    return ours == theirs


def says_less(ours: object, theirs: object) -> bool:
    """Whether *theirs* says what *ours* says, or less of it: the same fact, no disagreement.

    A coarser date holding ours (each end of a period alike; an open or
    unknown end only as itself), the same text up to its form (Unicode
    normalisation, spacing), a list holding only what ours holds, as a set.
    """
    if isinstance(ours, str) and isinstance(theirs, str):
        return plain(ours) == plain(theirs)
    if isinstance(ours, Period) and isinstance(theirs, Period):
        return _day_says_less(ours.start, theirs.start) and _day_says_less(ours.end, theirs.end)
    if isinstance(ours, tuple) and isinstance(theirs, tuple):
        mine = {plain(item) if isinstance(item, str) else item for item in ours}
        return all((plain(item) if isinstance(item, str) else item) in mine for item in theirs)
    return _day_says_less(ours, theirs)


def _same_name(ours: Name, theirs: Name) -> bool:
    """Whether *theirs* is *ours*, saying no more than it (missing is not different).

    A name of theirs with no language is its text and nothing more (what FtM
    and most imports give): any kind it carries is the import's, not a claim.
    """
    return (
        plain(ours.text) == plain(theirs.text)
        and theirs.language in (None, ours.language)
        and theirs.script in (None, ours.script)
        and (theirs.language is None or theirs.kind in (NameKind.COMMON, ours.kind))
    )


def _joined_names(
    ours: tuple[Name, ...], theirs: tuple[Name, ...], *, same_thing: bool
) -> tuple[Name, ...] | None:
    """Ours with their other names added, or None if they share none (and are not one thing)."""
    extra = [name for name in theirs if not any(_same_name(mine, name) for mine in ours)]
    if not same_thing and len(extra) == len(theirs):
        return None
    return ours + tuple(dict.fromkeys(extra))


def _cited(record: Entity) -> set[str]:
    """The sources *record* cites, its nested records' (a membership's changes) included."""
    return {
        target
        for keys, target, _ in iter_references(record)
        if keys[-2:-1] == ("sources",)  # ("sources", 0), ("changes", 1, "sources", 0)
    }


def fold(
    ours: Entity, theirs: Entity, *, same_thing: bool, gaps: frozenset[str] = frozenset()
) -> tuple[Entity | None, list[str]]:
    """(ours with what theirs adds, []), or (None, the fields where they contradict ours).

    The fields named in *gaps* say nothing on their side: never a disagreement, never ours.
    """
    if type(ours) is not type(theirs):
        return None, ["kind"]
    named = _named(type(ours))
    changes: dict[str, Any] = {}
    differ: list[str] = []
    for field in attrs.fields(type(ours)):
        name = field.name
        if name in _OURS_TO_SAY or name in gaps:
            continue
        mine, other = getattr(ours, name), getattr(theirs, name)
        if mine == other or _empty(other):
            continue
        if _empty(mine):
            changes[name] = other
        elif name in named:
            joined = _joined_names(mine, other, same_thing=same_thing)
            if joined is None:
                differ.append(name)
            elif joined != mine:
                changes[name] = joined
        elif not says_less(mine, other):
            differ.append(name)
    if differ:
        return None, differ
    if isinstance(ours, Fact) and isinstance(theirs, Fact):
        cited = _cited(ours)
        extra = [source for source in theirs.sources if source not in cited]
        if extra:
            changes["sources"] = tuple(dict.fromkeys((*ours.sources, *extra)))
    return (attrs.evolve(ours, **changes) if changes else ours), []


def content(entity: Entity, *skipped: str) -> tuple[Any, ...]:
    """The fields of *entity*, less its id and *skipped*, as a key."""
    return tuple(
        (field.name, getattr(entity, field.name))
        for field in attrs.fields(type(entity))
        if field.name != "id" and field.name not in skipped
    )


def required(entity: Entity) -> Hashable:
    """The fields of *entity* that every record of its kind gives (a source's title), as a key."""
    return (
        type(entity),
        *(
            plain(value) if isinstance(value := getattr(entity, field.name), str) else value
            for field in attrs.fields(type(entity))
            if field.default is attrs.NOTHING and field.name != "id"
        ),
    )
