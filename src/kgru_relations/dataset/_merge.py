"""Joining two datasets: one thing once, two accounts of one fact side by side.

[`Dataset.merge`][kgru_relations.dataset.Dataset.merge] and
[`Dataset.merged`][kgru_relations.dataset.Dataset.merged] are written here.
The rules, in the order they apply:

1. **References follow the record they were written against.** Their records
   are placed kind by kind, each after the records it names, and each of their
   references is rewritten to where the record it names went: to ours, if it
   joined ours; to its own or a new id, if it was kept apart.
2. **Same thing.** A state, organisation, person or position of theirs is the
   same as one of ours (or one of theirs placed before it) if both carry the
   same Wikidata id (a state: or the same country code). Never by name.
3. **Same id, same record. Missing is not different.** A record of theirs
   with our id (or the same thing, rule 2), or a tenure, membership or
   chairmanship of the same person in the same position (state in the same
   organisation) with the same period, is compared with ours field by field:
   a field either side leaves empty (``None``, or no items) is no
   disagreement, and ours is filled from theirs; a field their input cannot
   give (``unread``: an import's defaults, such as a position's ``kind`` from
   FtM) is a gap too, and never fills ours; a list of theirs that holds only
   what ours holds says less, not otherwise (lists are compared as sets:
   ``parties``, ``participants``, ``topics``); names join when they share
   one, and a name that differs from ours only in what it leaves unsaid
   (language, script, or the common kind; with no language, any kind: the
   text is all it says) is ours. Their sources (and, for the same thing,
   names) are added to ours, less those ours cites already (a membership's
   status changes' too). Nothing of ours is replaced.
4. **Two accounts.** Anything that contradicts ours, and a tenure, membership
   or chairmanship of the same fact whose period may meet ours, is kept beside
   ours as a second account (``variant_of`` ours), under its own id or, if that
   id is taken, the id with ``-2``, ``-3``… added. ``check()`` reports each
   disagreement as ``sources-disagree``.
5. **Sources are never merged with what they contradict.** A source or
   indicator of theirs whose id is ours but whose content contradicts ours is
   kept under a new id (or the id of the first of ours, in order, with the
   same title or names that says all it says), and their records cite it.
6. **A state has one record.** A state of theirs that contradicts ours cannot
   be kept beside it: the merge raises a ValidationError naming each such state.
7. **Two valid datasets merge into a valid one.** Where joining a position,
   organisation or indicator of theirs with ours would make the result fail
   [`validate`][kgru_relations.dataset.Dataset.validate] (their tenures
   would overlap ours in a single-holder office, their chairs ours, their
   figures would not fit our indicator), it is kept apart instead (rule 4 or
   5), and the records of theirs that name it follow it (rule 1).

Merging the same again adds nothing: each rule finds, the second time, the
record the first time made. Every step is a dictionary lookup or a bisection
per record, whatever the records share (a title, a person and office, one
id): a record of ours that many join keeps its names and sources indexed and
is built once, and a source kept apart finds the one of ours that says all it
says by what it says, not by comparing each. So a merge takes n·log n time in
the number of records, plus one
[`validate`][kgru_relations.dataset.Dataset.validate] pass, and one more
round for each time rule 7 keeps something apart (usually none).
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from typing import Any, Final

import attrs

from kgru_relations.dataset._compare import Alike, Joined, content
from kgru_relations.dataset._core import Core
from kgru_relations.dataset._edges import edge_of
from kgru_relations.dataset._integrity import problems
from kgru_relations.errors import MAX_ISSUES, Issue, ValidationError, shown
from kgru_relations.model import (
    ENTITY_CLASSES,
    Chairmanship,
    Observation,
    State,
    Tenure,
)
from kgru_relations.model._base import Entity, Fact, iter_references, reference_plan

__all__ = ["KeptApart", "MergeReport", "merge"]


@attrs.frozen(kw_only=True)
class KeptApart:
    """A record of theirs that a merge kept beside ours rather than join with it.

    Attributes:
        id: Its id in the merged dataset.
        was: Its id in what was merged in.
        beside: The id of our record it was kept apart from.
        reason: Why, in a few words (``they disagree on period, acting``).
    """

    id: str
    was: str
    beside: str
    reason: str

    def __str__(self) -> str:
        where = f"kept as {self.id!r}" if self.id != self.was else "kept"
        return f"{self.was!r} {where} beside {self.beside!r}: {self.reason}"


@attrs.frozen(kw_only=True)
class MergeReport:
    """What [`Dataset.merged`][kgru_relations.dataset.Dataset.merged] did.

    Attributes:
        added: The ids of the records of theirs that were new to ours, as
            they are in the merged dataset (a second account included).
        joined: The ids of our records that gained something from theirs
            (sources, names, a field ours left empty).
        kept_apart: Each record of theirs kept beside ours, and why.

    Examples:
        >>> from kgru_relations import Dataset, Source
        >>> ours = Dataset([Source(id="source:a", title="A")])
        >>> merged, report = ours.merged([Source(id="source:a", title="Another")])
        >>> [str(kept) for kept in report.kept_apart]
        ["'source:a' kept as 'source:a-2' beside 'source:a': they disagree on title"]
    """

    added: tuple[str, ...] = ()
    joined: tuple[str, ...] = ()
    kept_apart: tuple[KeptApart, ...] = ()

    def __str__(self) -> str:
        head = (
            f"{len(self.added)} added, {len(self.joined)} joined with ours, "
            f"{len(self.kept_apart)} kept apart"
        )
        return "\n".join([head, *(f"  {kept}" for kept in self.kept_apart)])


def merge(
    ours: Core,
    theirs: Iterable[Entity],
    *,
    unread: Mapping[type[Entity], Iterable[str]] | None = None,
) -> tuple[list[Entity], MergeReport]:
    """The entities of *ours* joined with *theirs*, by the rules in this module's docstring.

    *unread* names, per class, the fields of *theirs* that are gaps (rule 3).
    """
    incoming = list(theirs)
    Core(incoming)  # refuses what is not a model entity, as a Dataset does
    gaps = {cls: frozenset(names) for cls, names in (unread or {}).items()}
    apart: set[str] = set()
    while True:
        merger = _Merger(ours, incoming, apart, gaps)
        merger.run()
        more = merger.breaking() - apart  # rule 7: what joining made invalid
        if not more:
            return list(merger.result.values()), merger.report()
        apart |= more


def _identities(entity: Entity) -> list[Hashable]:
    """The identifiers that make *entity* the same thing as another (rule 2)."""
    keys: list[Hashable] = []
    wikidata = getattr(entity, "wikidata", None)
    if wikidata is not None:
        keys.append((type(entity), "wikidata", wikidata))
    if isinstance(entity, State):
        keys.append((State, "code", entity.code))
    return keys


def _fact_key(entity: Entity) -> Hashable | None:
    """What two records must share to be accounts of one fact (rules 3 and 4), or None.

    A relation's kind and both its ends, as its edge declares them: the same
    person in the same position, the same state in the same organisation.
    """
    edge = edge_of(entity)
    return None if edge is None else edge.key(entity)


def _is_variant(entity: Entity) -> bool:
    return isinstance(entity, Fact) and entity.variant_of is not None


def _rewritten(entity: Entity, ids: dict[str, str]) -> Entity:
    """*entity* with every reference that *ids* maps replaced (nested records too)."""
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
        renewed = tuple(_rewritten(child, ids) for child in children)
        if renewed != children:
            changes[name] = renewed
    return attrs.evolve(entity, **changes) if changes else entity


# --- finding ours ---------------------------------------------------------------------


class _Ids:
    """The ids in use, and a fresh one on request (``tenure:x`` -> ``tenure:x-2``).

    The last number given per id is kept, so each number is tried once in a merge.
    """

    def __init__(self, used: Iterable[str]) -> None:
        self._used = set(used)
        self._next: dict[str, int] = {}

    def fresh(self, wanted: str) -> str:
        number = self._next.get(wanted, 1)
        candidate = wanted
        while candidate in self._used:
            number += 1
            candidate = _numbered(wanted, number)
        self._next[wanted] = number
        self._used.add(candidate)
        return candidate


def _numbered(wanted: str, number: int) -> str:
    """*wanted* with *number* added (``tenure:x-2``): one id tried."""
    return f"{wanted}-{number}"


class _Reach:
    """Our accounts of one fact, to find one whose period may meet a period by bisection."""

    __slots__ = ("_latest", "_starts")

    def __init__(self, accounts: list[Entity]) -> None:
        spans = sorted(
            (
                (period.earliest or _dt.date.min, period.latest or _dt.date.max, index, entity.id)
                for index, entity in enumerate(accounts)
                if (period := getattr(entity, "period", None)) is not None
            ),
        )
        self._starts = [span[0] for span in spans]
        # _latest[i]: of spans[0..i], the last day one reaches and its id (the first, on a tie).
        self._latest: list[tuple[_dt.date, str]] = []
        for _, last, _, entity_id in spans:
            if not self._latest or last > self._latest[-1][0]:
                self._latest.append((last, entity_id))
            else:
                self._latest.append(self._latest[-1])

    def meeting(self, entity: Entity) -> str | None:
        """The id of the account reaching furthest among those that may meet *entity*'s period."""
        period = getattr(entity, "period", None)
        if period is None:
            return None
        first, last = period.earliest or _dt.date.min, period.latest or _dt.date.max
        index = bisect.bisect_right(self._starts, last) - 1
        if index >= 0 and self._latest[index][0] >= first:
            return self._latest[index][1]
        return None


class _Merger:
    """One pass of the rules: where each record of theirs goes, and what it makes of ours."""

    def __init__(
        self,
        ours: Core,
        incoming: list[Entity],
        apart: set[str],
        gaps: Mapping[type[Entity], frozenset[str]],
    ) -> None:
        self.incoming = incoming
        self.apart = apart  # our ids that nothing of theirs may join (rule 7)
        self.gaps = gaps  # per class, the fields of theirs that say nothing (rule 3)
        self.result: dict[str, Entity] = {entity.id: entity for entity in ours}
        self.ids = _Ids([*self.result, *(entity.id for entity in incoming)])
        self.theirs: dict[str, Entity] = {}
        for entity in incoming:
            self.theirs.setdefault(entity.id, entity)
        self.final: dict[str, str] = {}  # their id -> its id in the result
        self.known: dict[Hashable, str] = {}  # rule 2: identifier -> first account with it
        self.same_period: dict[Hashable, str] = {}  # (fact, period) -> our first account
        accounts: dict[Hashable, list[Entity]] = defaultdict(list)
        self.joins: dict[str, Joined] = {}  # id -> the record as joins grow it
        self.alike = Alike(self.fields_of, apart)  # rule 5
        self.variants: dict[Hashable, str] = {}  # (account, content) -> id of that account
        for entity in sorted(self.result.values(), key=_is_variant):  # first accounts first
            self.remember(entity)
            key = _fact_key(entity)
            if key is not None:
                accounts[key].append(entity)
                self.same_period.setdefault((key, getattr(entity, "period", None)), entity.id)
        self.reach = {key: _Reach(items) for key, items in accounts.items()}
        self.added: list[str] = []
        self.joined: dict[str, None] = {}
        self.kept: list[KeptApart] = []
        self.targets: set[str] = set()  # our ids that something of theirs joined
        self.unheld: list[Issue] = []

    def remember(self, entity: Entity) -> None:
        """Index a record now in the result, for the rules that look for it later."""
        for key in _identities(entity):
            held = self.known.get(key)
            if held is None or (_is_variant(self.result[held]) and not _is_variant(entity)):
                self.known[key] = entity.id
        if isinstance(entity, Fact):
            if entity.variant_of is not None:
                told = (entity.variant_of, content(entity, "variant_of"))
                self.variants.setdefault(told, entity.id)
        else:
            self.alike.add(entity)

    def fields_of(self, entity_id: str) -> Entity:
        """The record *entity_id* now, right in all but what only grows (names, sources)."""
        joining = self.joins.get(entity_id)
        return self.result[entity_id] if joining is None else joining.fields

    def joining(self, entity_id: str) -> Joined:
        """The record *entity_id*, to join records of theirs into."""
        joining = self.joins.get(entity_id)
        if joining is None:
            joining = self.joins[entity_id] = Joined(self.result[entity_id])
        return joining

    def run(self) -> None:
        rank = {cls: index for index, cls in enumerate(ENTITY_CLASSES)}
        places = {id(entity): index for index, entity in enumerate(self.incoming)}
        # Of each kind, those with an identifier first: joining ours as the same thing
        # (rule 2) grows our record's names, and a record of theirs with our id is then
        # compared with ours as grown, as merging again would compare it.
        ordered = sorted(
            self.incoming,
            key=lambda entity: (rank.get(type(entity), len(rank)), not _identities(entity)),
        )
        opened: set[str] = set()
        settled: set[str] = set()  # placed when all it names was: nothing of it waits
        for entity in ordered:
            # Each record after those of theirs it names (a cycle: as far as it goes).
            stack = [entity]
            while stack:
                top = stack[-1]
                if top.id in settled and top is self.theirs[top.id]:
                    stack.pop()  # a copy pushed before it was placed
                    continue
                waiting = [
                    self.theirs[target]
                    for _, target, _ in iter_references(top)
                    if target in self.theirs and target not in self.final and target not in opened
                ]
                if waiting and top.id not in opened:
                    opened.add(top.id)
                    stack.extend(waiting)
                    continue
                stack.pop()
                opened.discard(top.id)
                if top.id not in self.final or top is not self.theirs[top.id]:
                    self.place(top, places[id(top)])
                if not waiting and top is self.theirs[top.id]:
                    settled.add(top.id)
        for entity_id, joining in self.joins.items():
            self.result[entity_id] = joining.record()
        self.joins.clear()
        if self.unheld:
            more = max(0, len(self.unheld) - MAX_ISSUES)
            raise ValidationError(self.unheld[:MAX_ISSUES], more=more)

    def place(self, original: Entity, index: int) -> None:
        entity = _rewritten(original, self.final)
        if isinstance(entity, Fact) and entity.variant_of is not None:
            named = self.result.get(entity.variant_of)
            if isinstance(named, Fact) and named.variant_of is not None:  # name the first account
                entity = attrs.evolve(entity, variant_of=named.variant_of)
        target, same_thing = self.ours_for(entity)
        if target is None:
            self.add(original.id, entity)
            return
        if target not in self.joins and target not in self.apart and self.result[target] == entity:
            self.final[original.id] = target  # ours as it is: nothing to join
            self.targets.add(target)
            return
        joining = self.joining(target)
        gaps = self.gaps.get(type(entity), frozenset())
        apart = target in self.apart
        changed, differ = joining.join(entity, same_thing=same_thing, gaps=gaps, dry=apart)
        if not differ and not apart:
            if changed:
                self.joined[target] = None
                self.alike.grown(target)
            for key in _identities(entity):  # a Wikidata id it gave ours: the same thing now
                self.known.setdefault(key, target)
            self.final[original.id] = target
            self.targets.add(target)
            return
        mine = joining.fields  # its id, and which record it is an account of
        reason = (
            f"they disagree on {', '.join(differ)}"
            if differ
            else "joining it with ours would break an integrity rule"
        )
        if isinstance(entity, State):  # one record per country code: no second account
            self.unheld.append(_state_conflict(index, joining.record(), entity, differ))
            self.final[original.id] = mine.id
        elif isinstance(entity, Fact):
            self.keep_beside(original.id, mine, entity, reason)
        else:
            self.move(original.id, mine, entity, reason)

    def ours_for(self, entity: Entity) -> tuple[str | None, bool]:
        """The id of the record *entity* is to be compared with, and whether it is the same thing.

        By identifier (rule 2), else by id, else (a tenure, membership or
        chairmanship) our account of the same fact with the same period, else
        one whose period may meet its period.
        """
        for key in _identities(entity):
            if key in self.known:
                return self.known[key], True
        if entity.id in self.result:
            return entity.id, False
        fact = _fact_key(entity)
        if fact is None:
            return None, False
        target = self.same_period.get((fact, getattr(entity, "period", None)))
        if target is None and fact in self.reach:
            target = self.reach[fact].meeting(entity)
        return target, False

    def add(self, was: str, entity: Entity) -> None:
        self.result[entity.id] = entity
        self.final[was] = entity.id
        self.added.append(entity.id)
        self.remember(entity)

    def keep_beside(self, was: str, mine: Entity, theirs: Fact, reason: str) -> None:
        """Keep *theirs* as a second account of *mine* (rule 4), under an id of its own."""
        account = mine.account_of if isinstance(mine, Fact) else mine.id
        told = (account, content(theirs, "variant_of"))
        kept = self.variants.get(told)
        if kept is not None:  # this account is kept already
            self.final[was] = kept
            return
        new_id = theirs.id if theirs.id not in self.result else self.ids.fresh(theirs.id)
        self.add(was, attrs.evolve(theirs, id=new_id, variant_of=account))
        self.kept.append(KeptApart(id=new_id, was=was, beside=mine.id, reason=reason))

    def move(self, was: str, mine: Entity, theirs: Entity, reason: str) -> None:
        """Keep *theirs* under a new id, or under one of ours that says all it says (rule 5).

        Of those, the first in order, so that merging again finds the same one;
        never one that rule 7 keeps apart.
        """
        gaps = self.gaps.get(type(theirs), frozenset())
        # One moved here before (``source:a-2`` for ``source:a``), else any alike.
        alike = self.alike.find(theirs, gaps, lambda i: self.joining(i).says_all(theirs, gaps=gaps))
        if alike is not None:
            self.final[was] = alike
            return
        new_id = self.ids.fresh(theirs.id)
        self.add(was, attrs.evolve(theirs, id=new_id))
        self.kept.append(KeptApart(id=new_id, was=was, beside=mine.id, reason=reason))

    def breaking(self) -> set[str]:
        """Our records whose joining with theirs makes the result invalid (rule 7)."""
        found: set[str] = set()
        rows = {cls: [e for e in self.result.values() if type(e) is cls] for cls in _OWNERS}
        by_collection = {cls.COLLECTION: cls for cls in _OWNERS}
        for problem in problems(Core(self.result.values())):
            cls = by_collection.get(problem.collection)
            if cls is None:
                continue
            owner = getattr(rows[cls][problem.row], _OWNERS[cls])
            if owner in self.targets:
                found.add(owner)
        return found

    def report(self) -> MergeReport:
        return MergeReport(
            added=tuple(self.added),
            joined=tuple(joined for joined in self.joined if joined not in self.added),
            kept_apart=tuple(self.kept),
        )


# The records an integrity rule checks against a record they name (a tenure's single-holder
# position, a chair's organisation, a figure's indicator): that one is what rule 7 keeps apart.
_OWNERS: Final[dict[type[Entity], str]] = {
    Tenure: "position",
    Chairmanship: "organization",
    Observation: "indicator",
}


def _state_conflict(index: int, mine: Entity, theirs: State, differ: list[str]) -> Issue:
    """The issue for a state whose record disagrees with ours: a state has one record."""
    differences = [
        f"{name}: {shown(getattr(mine, name))} or {shown(getattr(theirs, name))}" for name in differ
    ]
    return Issue(
        f"$[{index}]",
        f"state {theirs.id!r} disagrees with ours ({'; '.join(differences)}), and a state "
        "has one record, so both cannot be kept; correct one side, then merge",
    )
