"""Joining two datasets: one thing once, two accounts of one fact side by side.

[`Dataset.merge`][kgru_relations.dataset.Dataset.merge] is written here. The
rules, in the order they apply:

1. **Same thing.** A state, organisation, person or position of the other
   dataset is the same as one of ours if both carry the same Wikidata id (a
   state: or the same country code). Never by name. Its references are
   redirected to ours.
2. **Same id, same record.** A record equal to ours is dropped; one that
   differs from ours only in its sources (and how sure it is), or (for the
   same thing, rule 1) in its names and sources too, adds them to ours. A field ours leaves empty is
   filled from theirs. Nothing of ours is replaced.
3. **Two accounts.** Anything else that disagrees with ours is kept beside
   it, as a second account (``variant_of`` ours), under its own id (or, if
   that id is ours, the id with ``-2``, ``-3``… added). ``check()`` then
   reports the disagreement as ``sources-disagree``, naming both sources.
   A tenure of the same person in the same position whose period may overlap
   ours is such an account; so is a membership or chairmanship of the same
   state in the same organisation.
4. **Sources are never merged.** A source (or an indicator) of theirs whose
   id is ours but whose content differs is kept under a new id, and their
   records cite it, so each fact keeps the source it came with.
5. **A state has one record.** Its id is its country code, so a state of
   theirs that disagrees with ours (another Correlates of War number, say)
   cannot be kept beside it: the merge raises a ValidationError naming each
   such state, and the caller corrects one side.

Every step is a dictionary lookup per record, apart from the search for
rule 3, which looks through our accounts of the same (person, position) or
(state, organisation) only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from kgru_relations.dataset._core import Core
from kgru_relations.errors import MAX_ISSUES, Issue, ValidationError, shown
from kgru_relations.model import (
    Chairmanship,
    Membership,
    State,
    Tenure,
)
from kgru_relations.model._base import Entity, Fact, as_names, reference_plan

__all__ = ["merge"]


def _identities(entity: Entity) -> list[tuple[Any, ...]]:
    """The identifiers that make *entity* the same thing as another (rule 1)."""
    keys: list[tuple[Any, ...]] = []
    wikidata = getattr(entity, "wikidata", None)
    if wikidata is not None:
        keys.append((type(entity), "wikidata", wikidata))
    if isinstance(entity, State):
        keys.append((State, "code", entity.code))
    return keys


def _redirected(entity: Entity, ids: Mapping[str, str]) -> Entity:
    """*entity* with every reference in *ids* replaced (nested records too)."""
    if not ids:
        return entity
    references, nested = reference_plan(type(entity))
    changes: dict[str, Any] = {}
    for name, _ in references:
        value = getattr(entity, name)
        if isinstance(value, tuple):
            if any(item in ids for item in value):
                changes[name] = tuple(dict.fromkeys(ids.get(item, item) for item in value))
        elif value is not None and value in ids:
            changes[name] = ids[value]
    for name in nested:
        children = getattr(entity, name)
        renewed = tuple(_redirected(child, ids) for child in children)
        if renewed != children:
            changes[name] = renewed
    return attrs.evolve(entity, **changes) if changes else entity


def _without(entity: Entity, *names: str) -> dict[str, Any]:
    """The fields of *entity*, less *names* and its id."""
    skipped = {"id", *names}
    return {
        field.name: getattr(entity, field.name)
        for field in attrs.fields(type(entity))
        if field.name not in skipped
    }


def _folded(ours: Entity, theirs: Entity, *, same_thing: bool) -> Entity | None:
    """Ours with their sources (and, for the same thing, names) added, or None if they disagree.

    A field ours leaves empty (``None``) takes their value, and one they leave
    empty keeps ours; any other field that differs is a disagreement.
    """
    if type(ours) is not type(theirs):
        return None
    named = [f.name for f in attrs.fields(type(ours)) if f.converter is as_names]
    # Which record a record is a second account of is ours to say, not theirs; so is how
    # sure we are of ours (their "likely" does not make our "verified" a disagreement).
    joined = ("sources", "variant_of", "confidence", *(named if same_thing else ()))
    mine, other = _without(ours, *joined), _without(theirs, *joined)
    filled: dict[str, Any] = {}
    for name, value in other.items():
        if mine[name] == value or value is None:  # None: they do not say
            continue
        if mine[name] is None:
            filled[name] = value
        else:
            return None
    if isinstance(ours, Fact) and isinstance(theirs, Fact):
        filled["sources"] = tuple(dict.fromkeys((*ours.sources, *theirs.sources)))
    if same_thing:
        for name in named:  # names (and a state's capital) join: each is a way to say it
            filled[name] = tuple(dict.fromkeys((*getattr(ours, name), *getattr(theirs, name))))
    result: Entity = attrs.evolve(ours, **filled)
    return result


_FRESH: Final = re.compile(r"-[0-9]+")


class _Ids:
    """The ids in use, and a fresh one on request (``tenure:x`` -> ``tenure:x-2``)."""

    def __init__(self, used: Iterable[str]) -> None:
        self._used = set(used)

    def fresh(self, wanted: str) -> str:
        candidate, number = wanted, 1
        while candidate in self._used:
            number += 1
            candidate = f"{wanted}-{number}"
        self._used.add(candidate)
        return candidate


def _fact_key(entity: Entity) -> tuple[Any, ...] | None:
    """What two records must share to be accounts of one fact (rule 3), or None."""
    if isinstance(entity, Tenure):
        return (Tenure, entity.person, entity.position)
    if isinstance(entity, Membership | Chairmanship):
        return (type(entity), entity.state, entity.organization)
    return None


def merge(ours: Core, theirs: Iterable[Entity]) -> list[Entity]:
    """The entities of *ours* joined with *theirs*, by the rules in this module's docstring."""
    incoming = list(theirs)
    return _Merger(ours, incoming).run(incoming)


class _Merger:
    def __init__(self, ours: Core, incoming: list[Entity]) -> None:
        self.ids = _Ids([*(entity.id for entity in ours), *(entity.id for entity in incoming)])
        self.result: dict[str, Entity] = {entity.id: entity for entity in ours}
        # Rule 4, then rule 1: where each of their ids now points.
        # A source or an indicator (no second accounts of those) with our id and other
        # content moves to a new id; each is found by its whole content, so that
        # joining the same again moves nothing.
        by_content: dict[tuple[Any, ...], list[str]] = defaultdict(list)
        for entity in ours:
            if not isinstance(entity, Fact):
                by_content[(type(entity), tuple(_without(entity).items()))].append(entity.id)
        self.moved: dict[str, str] = {}
        for entity in incoming:
            if not isinstance(entity, Fact) and self.result.get(entity.id, entity) != entity:
                alike = by_content[(type(entity), tuple(_without(entity).items()))]
                # One moved here before (``source:a-2`` for ``source:a``), else any alike.
                moved = [i for i in alike if _FRESH.fullmatch(i.removeprefix(entity.id))]
                if not alike:
                    alike.append(self.ids.fresh(entity.id))
                self.moved[entity.id] = (moved or alike)[0]
        self.unheld: list[Issue] = []
        self.index = 0
        known: dict[tuple[Any, ...], str] = {}
        for entity in ours:
            for key in _identities(entity):
                known.setdefault(key, entity.id)
        self.same: dict[str, str] = {}
        for entity in incoming:
            match = next((known[key] for key in _identities(entity) if key in known), None)
            if match is not None:
                self.same[entity.id] = match
        self.redirect = {**self.same, **self.moved}
        # Accounts of each fact, for rule 3.
        self.accounts: dict[tuple[Any, ...], list[Entity]] = defaultdict(list)
        # Second accounts of each record, so that joining the same again adds nothing.
        self.variants: dict[str, list[Entity]] = defaultdict(list)
        for entity in ours:
            self.account(entity)
            if isinstance(entity, Fact) and entity.variant_of is not None:
                self.variants[entity.variant_of].append(entity)

    def account(self, entity: Entity) -> None:
        key = _fact_key(entity)
        if key is not None:
            self.accounts[key].append(entity)

    def run(self, incoming: list[Entity]) -> list[Entity]:
        for index, original in enumerate(incoming):
            self.index = index
            entity = _redirected(original, self.redirect)
            if original.id in self.moved:
                new_id = self.moved[original.id]
                self.result.setdefault(new_id, attrs.evolve(entity, id=new_id))
            else:
                self.join(entity, same_thing=original.id in self.same, was=original.id)
        if self.unheld:
            more = max(0, len(self.unheld) - MAX_ISSUES)
            raise ValidationError(self.unheld[:MAX_ISSUES], more=more)
        return list(self.result.values())

    def join(self, entity: Entity, *, same_thing: bool, was: str) -> None:
        target = self.same.get(was, entity.id)
        mine = self.result.get(target)
        if mine is None:
            # Only our own records are rivals: their records stand as they gave them.
            mine = _rival(self.accounts.get(_fact_key(entity) or (), ()), entity)
            if mine is None:
                self.result[entity.id] = entity
                return
            target = mine.id
        if mine == entity:
            return
        folded = _folded(mine, entity, same_thing=same_thing)
        if folded is not None:
            self.result[target] = folded
        else:
            self.keep_beside(mine, entity)

    def keep_beside(self, mine: Entity, theirs: Entity) -> None:
        """Keep *theirs* as a second account of *mine* (rule 3), under an id of its own."""
        if isinstance(theirs, State):  # one record per country code: no second account
            self.unheld.append(_state_conflict(self.index, mine, theirs))
            return
        changes: dict[str, Any] = {}
        if isinstance(theirs, Fact) and isinstance(mine, Fact) and type(mine) is type(theirs):
            changes["variant_of"] = mine.account_of
            told = _without(theirs, "variant_of")
            variants = self.variants[mine.account_of]
            if any(_without(variant, "variant_of") == told for variant in variants):
                return  # this account is kept already
        new_id = theirs.id if theirs.id not in self.result else self.ids.fresh(theirs.id)
        entity = attrs.evolve(theirs, id=new_id, **changes)
        self.result[new_id] = entity
        if "variant_of" in changes:
            self.variants[changes["variant_of"]].append(entity)


def _state_conflict(index: int, mine: Entity, theirs: State) -> Issue:
    """The issue for a state whose record disagrees with ours: a state has one record."""
    differences = [
        f"{name}: {shown(value)} or {shown(getattr(theirs, name))}"
        for name, value in _without(mine, "sources", "names", "capital").items()
        if value is not None and getattr(theirs, name) not in (None, value)
    ]
    return Issue(
        f"$[{index}]",
        f"state {theirs.id!r} disagrees with ours ({'; '.join(differences)}), and a state "
        "has one record, so both cannot be kept; correct one side, then merge",
    )


def _rival(candidates: Iterable[Entity], entity: Entity) -> Entity | None:
    """Our first account of the same fact as *entity* whose period may meet its period."""
    period = getattr(entity, "period", None)
    for candidate in candidates:
        if period is not None and period.overlaps(candidate.period):  # type: ignore[attr-defined]
            return candidate
    return None
