"""Comparing a record of theirs with ours: what is the same fact, what says less, what differs.

The rules of [`Dataset.merge`][kgru_relations.dataset.Dataset.merge] (rule 3
in ``_merge``'s docstring) that look at two records, field by field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable
from typing import Any, Final

import attrs

from kgru_relations.dates import UNKNOWN, DatePrecision, PartialDate, Period
from kgru_relations.model._base import Entity, Fact, as_names, iter_references
from kgru_relations.names import Name, NameKind

__all__ = ["Alike", "Joined", "content", "fold", "plain", "required", "says_less"]

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
    unknown end only as itself, but a start on a day not given says less than
    an open start, "not bounded or not recorded", which is how a format with
    no open start, such as FtM, gives ours back), the same text up to its form
    (Unicode normalisation, spacing), a list holding only what ours holds, as a set.
    """
    if isinstance(ours, str) and isinstance(theirs, str):
        return plain(ours) == plain(theirs)
    if isinstance(ours, Period) and isinstance(theirs, Period):
        starts = _day_says_less(ours.start, theirs.start) or (
            ours.start is None and theirs.start is UNKNOWN
        )
        return starts and _day_says_less(ours.end, theirs.end)
    if isinstance(ours, tuple) and isinstance(theirs, tuple):
        return _holds(_as_set(ours), theirs)
    return _day_says_less(ours, theirs)


def _as_set(items: tuple[Any, ...]) -> set[Any]:
    """A list as compared: a set, each text in its plain form."""
    return {plain(item) if isinstance(item, str) else item for item in items}


def _holds(held: set[Any], theirs: tuple[Any, ...]) -> bool:
    """Whether the list *theirs* holds only what *held* (a list as a set, ``_as_set``) holds."""
    return all((plain(item) if isinstance(item, str) else item) in held for item in theirs)


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
    joining = Joined(ours)
    _, differ = joining.join(theirs, same_thing=same_thing, gaps=gaps)
    return (None, differ) if differ else (joining.record(), [])


class Joined:
    """One record of ours as a merge joins records of theirs into it, one after another.

    What only grows (names, sources cited) is kept indexed (names by their
    text), so each join costs what the newcomer brings, not what ours holds;
    the record is built again when a field is filled, or when asked for.

    Args:
        record: Our record, as it is before any join.
    """

    __slots__ = ("_base", "_built", "_cited", "_names", "_sets", "_sources")

    def __init__(self, record: Entity) -> None:
        self._base = record  # its fields now, less the names and sources below
        self._built: Entity | None = record  # the record now, once built
        self._names: dict[str, tuple[list[Name], dict[str, list[Name]]]] = {}
        self._sets: dict[str, set[Any]] = {}  # each other list, as compared
        self._sources: dict[str, None] = {}
        self._cited: set[str] | None = None  # its sources, its nested records' too

    @property
    def fields(self) -> Entity:
        """The record, right in every field but those that only grow (names, sources)."""
        return self._base

    def record(self) -> Entity:
        """The record now, with all that joins gave it."""
        if self._built is None:
            changes: dict[str, Any] = {name: tuple(held) for name, (held, _) in self._names.items()}
            if self._cited is not None:
                changes["sources"] = tuple(self._sources)
            self._base = self._built = attrs.evolve(self._base, **changes)
        return self._built

    def says_all(self, theirs: Entity, *, gaps: frozenset[str] = frozenset()) -> bool:
        """Whether *theirs* (not the same thing) would join ours and add nothing."""
        return self.join(theirs, same_thing=False, gaps=gaps, dry=True) == (False, [])

    def join(
        self,
        theirs: Entity,
        *,
        same_thing: bool,
        gaps: frozenset[str] = frozenset(),
        dry: bool = False,
    ) -> tuple[bool, list[str]]:
        """Join *theirs* into ours: (whether ours gained anything, []).

        Or, if it contradicts ours, (False, the fields where it does), and ours
        is left as it was. Each field is compared as rule 3 of ``_merge``'s
        docstring says; the fields named in *gaps* say nothing on their side.
        With *dry*, ours is left as it was in any case.
        """
        if type(self._base) is not type(theirs):
            return False, ["kind"]
        fills, grown, differ = self._fields(theirs, same_thing=same_thing, gaps=gaps)
        if differ:
            return False, differ
        sources: list[str] = []
        if isinstance(theirs, Fact):
            cited = self._cited_now()
            sources = [source for source in theirs.sources if source not in cited]
        changed = bool(fills or grown or sources)
        if changed and not dry:
            self._grow(fills, grown, sources)
        return changed, []

    def _names_of(self, name: str) -> tuple[list[Name], dict[str, list[Name]]]:
        found = self._names.get(name)
        if found is None:
            held: list[Name] = list(getattr(self._base, name))
            by_text: dict[str, list[Name]] = {}
            for item in held:
                by_text.setdefault(plain(item.text), []).append(item)
            found = self._names[name] = (held, by_text)
        return found

    def _cited_now(self) -> set[str]:
        if self._cited is None:
            self._sources = dict.fromkeys(getattr(self._base, "sources", ()))
            self._cited = _cited(self._base)
        return self._cited

    def _fields(
        self, theirs: Entity, *, same_thing: bool, gaps: frozenset[str]
    ) -> tuple[dict[str, Any], dict[str, list[Name]], list[str]]:
        """What theirs fills, the names it adds, and the fields where it contradicts ours."""
        base = self._base
        named = _named(type(base))
        fills: dict[str, Any] = {}
        grown: dict[str, list[Name]] = {}
        differ: list[str] = []
        for field in attrs.fields(type(base)):
            name = field.name
            if name in _OURS_TO_SAY or name in gaps:
                continue
            other = getattr(theirs, name)
            mine = self._names_of(name)[0] if name in named else getattr(base, name)
            if mine == other or _empty(other):
                continue
            if _empty(mine) or mine == []:
                fills[name] = other  # what ours leaves empty: theirs, as it is
            elif name in named:
                extra = self._extra_names(name, other)
                if not same_thing and len(extra) == len(other):
                    differ.append(name)  # they share no name
                elif extra:
                    grown[name] = list(dict.fromkeys(extra))
            elif mine != other and not self._says_less(name, mine, other):
                differ.append(name)
        return fills, grown, differ

    def _extra_names(self, name: str, theirs: tuple[Name, ...]) -> list[Name]:
        """Their names in the field *name* that are none of ours."""
        by_text = self._names_of(name)[1]
        return [
            item
            for item in theirs
            if not any(_same_name(mine, item) for mine in by_text.get(plain(item.text), ()))
        ]

    def _says_less(self, name: str, mine: object, theirs: object) -> bool:
        """``says_less`` for ours in the field *name*, its list as a set kept for the next."""
        if isinstance(mine, tuple) and isinstance(theirs, tuple):
            held = self._sets.get(name)
            if held is None:
                held = self._sets[name] = _as_set(mine)
            return _holds(held, theirs)
        return says_less(mine, theirs)

    def _grow(
        self, fills: dict[str, Any], grown: dict[str, list[Name]], sources: list[str]
    ) -> None:
        """Ours with the fields *fills* fills, the names in *grown* and *sources* added."""
        if fills:
            self._base = attrs.evolve(self._base, **fills)
            for name in fills:
                self._names.pop(name, None)
                self._sets.pop(name, None)
            if self._cited is not None:  # a nested record filled may cite more
                self._cited = _cited(self._base) | set(self._sources)
        for name, extra in grown.items():
            held, by_text = self._names_of(name)
            held.extend(extra)
            for item in extra:
                by_text.setdefault(plain(item.text), []).append(item)
        if sources:
            cited = self._cited_now()
            for source in sources:
                self._sources[source] = None
                cited.add(source)
        self._built = None


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


# --- finding a record that says all theirs says (rule 5), by lookup -------------------

_FRESH: Final = re.compile(r"(.+)-[0-9]+")

# What a record of theirs says, field by field, as a key: the field's name with, for a
# date, its precision (ours must fall within theirs: a day within their month).
_Signature = tuple[tuple[str, DatePrecision | None], ...]


def _unit(day: PartialDate, precision: DatePrecision) -> PartialDate | None:
    """The date of *precision* that holds *day* (``2025-Q2`` for ``2025-05-09``), if one does."""
    if precision is DatePrecision.DAY:
        unit = day
    elif precision is DatePrecision.MONTH:
        unit = PartialDate(day.year, day.month) if day.month is not None else day
    elif precision is DatePrecision.QUARTER:
        quarter = day.quarter if day.month is None else (day.month + 2) // 3
        unit = PartialDate(day.year, quarter=quarter) if quarter is not None else day
    else:
        unit = PartialDate(day.year)
    return unit if unit.precision is precision and says_less(day, unit) else None


class Alike:
    """Our sources and indicators by their required fields, to find one that says all theirs says.

    Rule 5 of ``_merge``'s docstring keeps a source or indicator of theirs
    that contradicts ours under the id of the first of ours (in the order
    added), with the same required fields, that says all it says, one moved
    from its id (``source:a-2`` for ``source:a``) first. Each record is
    indexed, per kind of question asked (which fields a record of theirs
    gives, a date's precision), under what it would answer, so the first is
    found by lookup, not by comparing each.

    Args:
        fields_of: A record's fields now, by its id (filled by joins).
        apart: Ids never to be found (rule 7).
    """

    def __init__(self, fields_of: Callable[[str], Entity], apart: set[str]) -> None:
        self._fields_of = fields_of
        self._apart = apart
        self._ids: dict[Hashable, list[str]] = {}  # required fields -> ids, in order
        self._where: dict[str, tuple[Hashable, int]] = {}  # id -> (required fields, place)
        # required fields -> signature -> (answer, or (answer, stem)) -> first (place, id)
        self._tables: dict[Hashable, dict[_Signature, dict[Hashable, tuple[int, str]]]] = {}

    def add(self, entity: Entity) -> None:
        """Index *entity*, newly in the result, after all indexed before it."""
        key = required(entity)
        ids = self._ids.setdefault(key, [])
        self._where[entity.id] = (key, len(ids))
        ids.append(entity.id)
        self.grown(entity.id)

    def grown(self, entity_id: str) -> None:
        """Index again the record *entity_id*, whose empty fields a join filled."""
        where = self._where.get(entity_id)
        if where is not None and entity_id not in self._apart:
            key, place = where
            for signature, table in self._tables.get(key, {}).items():
                self._enter(table, signature, place, entity_id)

    def find(
        self, theirs: Entity, gaps: frozenset[str], says_all: Callable[[str], bool]
    ) -> str | None:
        """The id of the first of ours that says all *theirs* says, one moved from its id first.

        *says_all* tells whether the record with an id says all *theirs* says.
        """
        key = required(theirs)
        asked = _asked(theirs, gaps)
        if asked is None:  # a field no key holds (a list): compare each
            return self._scan(key, theirs.id, says_all)
        signature, answer = asked
        table = self._table(key, signature)
        found = table.get((answer, theirs.id)) or table.get((answer, None))
        if found is None:
            return None
        return found[1] if says_all(found[1]) else self._scan(key, theirs.id, says_all)

    def _table(self, key: Hashable, signature: _Signature) -> dict[Hashable, tuple[int, str]]:
        tables = self._tables.setdefault(key, {})
        table = tables.get(signature)
        if table is None:
            table = tables[signature] = {}
            for place, entity_id in enumerate(self._ids.get(key, ())):
                if entity_id not in self._apart:
                    self._enter(table, signature, place, entity_id)
        return table

    def _enter(
        self,
        table: dict[Hashable, tuple[int, str]],
        signature: _Signature,
        place: int,
        entity_id: str,
    ) -> None:
        answer = _answer(self._fields_of(entity_id), signature)
        if answer is None:
            return
        moved = _FRESH.fullmatch(entity_id)
        for at in ((answer, None), (answer, moved.group(1))) if moved else ((answer, None),):
            held = table.get(at)
            if held is None or place < held[0]:
                table[at] = (place, entity_id)

    def _scan(self, key: Hashable, stem: str, says_all: Callable[[str], bool]) -> str | None:
        first = None
        for entity_id in self._ids.get(key, ()):
            if entity_id in self._apart or not says_all(entity_id):
                continue
            moved = _FRESH.fullmatch(entity_id)
            if moved and moved.group(1) == stem:
                return entity_id
            first = first or entity_id
        return first


def _token(value: object) -> Hashable:
    return plain(value) if isinstance(value, str) else value


def _asked(theirs: Entity, gaps: frozenset[str]) -> tuple[_Signature, Hashable] | None:
    """The fields *theirs* gives, and what they say, as keys; None if one cannot be a key."""
    signature: list[tuple[str, DatePrecision | None]] = []
    answer: list[Hashable] = []
    for field in attrs.fields(type(theirs)):
        name = field.name
        if name in _OURS_TO_SAY or name in gaps or field.default is attrs.NOTHING:
            continue  # required fields are the index's own key
        value = getattr(theirs, name)
        if _empty(value):
            continue
        if isinstance(value, tuple | Period):
            return None
        precision = value.precision if isinstance(value, PartialDate) else None
        signature.append((name, precision))
        answer.append(_token(value))
    return tuple(signature), tuple(answer)


def _answer(ours: Entity, signature: _Signature) -> Hashable | None:
    """What *ours* says to the fields of *signature*, if it says all of them."""
    answer: list[Hashable] = []
    for name, precision in signature:
        value = getattr(ours, name)
        if _empty(value):
            return None
        if precision is not None:
            if not isinstance(value, PartialDate):
                return None
            value = _unit(value, precision)
            if value is None:
                return None
        answer.append(_token(value))
    return tuple(answer)
