"""The import: persons, positions, states, tenures and sources from entity documents."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

import attrs

from kgru_relations.dates import UNKNOWN, DatePrecision, PartialDate, Period, Unknown
from kgru_relations.errors import Issue, ValidationError
from kgru_relations.interop.wikidata._reader import _documents, _keys, _Reader
from kgru_relations.interop.wikidata._values import _slug, _time, _Unheld, wikidata_our_id
from kgru_relations.model import (
    Confidence,
    Entity,
    Person,
    Position,
    PositionKind,
    Source,
    State,
    Tenure,
)

__all__ = ["WikidataImport", "entities_from_wikidata", "missing_ids"]

_HUMAN: Final = "Q5"
_POSITION: Final = "Q4164871"


@attrs.frozen
class WikidataImport:
    """What an import made, and what it left out and why.

    Attributes:
        entities: Sources, states, positions, persons and tenures, in that
            order, each built (and so checked) by its model class.
        skipped: One issue per thing left out, at its path in the input
            (``$[0].claims.P39[2]``), saying why.
    """

    entities: tuple[Entity, ...]
    skipped: tuple[Issue, ...]


class _Import:
    def __init__(
        self,
        reader: _Reader,
        items: dict[str, tuple[str, Mapping[str, Any]]],
        retrieved: _dt.date | None,
        kinds: Mapping[str, PositionKind],
    ) -> None:
        self.reader = reader
        self.items = items
        self.retrieved = retrieved
        self.kinds = kinds
        self.sources: dict[str, Source] = {}
        self.states: dict[str, State] = {}  # by Wikidata id
        self.positions: dict[str, Position] = {}
        self.persons: dict[str, Person] = {}
        self.tenures: list[Tenure] = []

    def skip(self, path: str, message: str) -> None:
        self.reader.skipped.append(Issue(path, message))

    def build(self, path: str, build: Callable[[], Entity]) -> Entity | None:
        try:
            return build()
        except ValidationError as error:
            self.reader.skipped.extend(issue.under(*_keys(path)) for issue in error.issues)
            return None

    def page(self, qid: str) -> str:
        source_id = f"source:wikidata-{qid.lower()}"
        if source_id not in self.sources:
            self.sources[source_id] = Source(
                id=source_id,
                title=f"Wikidata item {qid}",
                publisher="Wikidata",
                url=f"https://www.wikidata.org/wiki/{qid}",
                retrieved=self.retrieved,
            )
        return source_id

    def roles(self) -> dict[str, str]:
        """What each item is: a person, a state or a position."""
        reader = self.reader
        roles: dict[str, str] = {}
        for qid, (path, doc) in self.items.items():
            if _HUMAN in reader.item_ids(doc, path, "P31"):
                roles[qid] = "person"
            elif reader.first_values(doc, path, "P297"):
                roles[qid] = "state"
            elif _POSITION in reader.item_ids(doc, path, "P31"):
                roles[qid] = "position"
        for qid, role in list(roles.items()):
            if role == "person":
                path, doc = self.items[qid]
                for held in reader.item_ids(doc, path, "P39"):
                    roles.setdefault(held, "position")
        return roles

    def run(self) -> None:
        roles = self.roles()
        for qid, (path, doc) in self.items.items():
            if roles.get(qid) == "state":
                self.state(qid, path, doc)
        for qid, (path, doc) in self.items.items():
            if roles.get(qid) == "position":
                self.position(qid, path, doc)
            elif qid not in roles:
                self.skip(
                    path,
                    f"{qid} is not imported: it is not a person (P31 Q5), a state (P297), "
                    "a position someone held (P39) or a position (P31 Q4164871)",
                )
        for qid, (path, doc) in self.items.items():
            if roles.get(qid) == "person":
                self.person(qid, path, doc)

    def state(self, qid: str, path: str, doc: Mapping[str, Any]) -> None:
        here, snak = self.reader.first_values(doc, path, "P297")[0]
        code = self.reader.string_value(snak, here)
        names = self.reader.names(doc, path)
        if code is None:
            return
        source = self.page(qid)
        state = self.build(
            path,
            lambda: State(
                id=f"state:{code.lower()}",
                code=code,
                names=names,
                wikidata=qid,
                sources=[source],
                confidence=Confidence.LIKELY,
            ),
        )
        if isinstance(state, State):
            self.states[qid] = state

    def position(self, qid: str, path: str, doc: Mapping[str, Any]) -> None:
        names = self.reader.names(doc, path)
        owners = [
            *self.reader.item_ids(doc, path, "P1001"),
            *self.reader.item_ids(doc, path, "P17"),
        ]
        state = next((self.states[owner] for owner in owners if owner in self.states), None)
        if state is None:
            self.skip(
                path,
                f"position {qid} is not imported: none of its jurisdiction (P1001) or country "
                f"(P17) items {owners} is a state among the documents (an item with P297)",
            )
            return
        source = self.page(qid)
        position = self.build(
            path,
            lambda: Position(
                id=wikidata_our_id("position", qid),
                names=names,
                kind=self.kinds.get(qid, PositionKind.OTHER),
                organization=state.id,
                single_holder=False,
                wikidata=qid,
                sources=[source],
                confidence=Confidence.LIKELY,
            ),
        )
        if isinstance(position, Position):
            self.positions[qid] = position

    def person(self, qid: str, path: str, doc: Mapping[str, Any]) -> None:
        names = self.reader.names(doc, path)
        source = self.page(qid)
        person = self.build(
            path,
            lambda: Person(
                id=wikidata_our_id("person", qid),
                names=names,
                wikidata=qid,
                sources=[source],
                confidence=Confidence.LIKELY,
            ),
        )
        if not isinstance(person, Person):
            return
        self.persons[qid] = person
        for here, statement in self.reader.statements(doc, path, "P39"):
            try:
                self.tenure(person, here, statement)
            except _Unheld as unheld:
                self.reader.skipped.append(unheld.issue)

    def tenure(self, person: Person, path: str, statement: Mapping[str, Any]) -> None:
        reader = self.reader
        if statement.get("rank") == "deprecated":
            raise _Unheld(
                f"{path}.rank",
                "a deprecated statement (Wikidata marks it wrong or superseded) is not imported",
            )
        snak = statement["mainsnak"]
        if snak["snaktype"] != "value":
            what = (
                "an unknown position (somevalue)"
                if snak["snaktype"] == "somevalue"
                else "no position (novalue)"
            )
            raise _Unheld(
                f"{path}.mainsnak", f"the statement says {what}; there is no position to link"
            )
        held = reader.item_value(snak, f"{path}.mainsnak")
        if held is None:
            return
        position = self.positions.get(held)
        if position is None:
            raise _Unheld(
                f"{path}.mainsnak",
                f"position {held} was not imported (fetch its item, and its state's, "
                "with the person's)",
            )
        statement_id = reader.text(statement.get("id"), f"{path}.id", "the statement id")
        qualifiers = reader.mapping(
            statement.get("qualifiers", {}), f"{path}.qualifiers", "qualifiers"
        )
        if statement_id is None:
            return
        start = self.qualifier(qualifiers, f"{path}.qualifiers", "P580")
        end = self.qualifier(qualifiers, f"{path}.qualifiers", "P582")
        if "P580" not in qualifiers and "P582" not in qualifiers:
            raise _Unheld(
                path,
                "the statement has no start (P580) or end (P582): "
                "when the office was held is not known",
            )
        sources = [*self.references(statement, path), self.page(person.wikidata or "")]
        tenure = self.build(
            path,
            lambda: Tenure(
                id=f"tenure:{_slug(statement_id)}",
                person=person.id,
                position=position.id,
                period=Period(start, end),
                sources=sources,
                confidence=Confidence.LIKELY,
            ),
        )
        if isinstance(tenure, Tenure):
            self.tenures.append(tenure)

    def qualifier(
        self, qualifiers: Mapping[str, Any], path: str, prop: str
    ) -> PartialDate | Unknown | None:
        """A side: a date, UNKNOWN for ``somevalue``, None (open) for ``novalue`` or none."""
        snaks = self.reader.items(qualifiers.get(prop, []), f"{path}.{prop}", "qualifier snaks")
        if len(snaks) > 1:
            raise _Unheld(
                f"{path}.{prop}",
                f"{len(snaks)} {prop} qualifiers on one statement; which one holds is not known",
            )
        if not snaks:
            return None
        here = f"{path}.{prop}[0]"
        snak = self.reader.snak(snaks[0], here)
        if snak is None:
            return None
        if snak["snaktype"] == "somevalue":  # it happened, on a day not recorded
            return UNKNOWN
        if snak["snaktype"] == "novalue":
            return None
        try:
            return _time(snak["datavalue"].get("value"), f"{here}.datavalue.value")
        except ValidationError as error:
            self.reader.bad.extend(error)
            return None

    def references(self, statement: Mapping[str, Any], path: str) -> list[str]:
        found: list[str] = []
        listed = self.reader.items(
            statement.get("references", []), f"{path}.references", "references"
        )
        for index, raw in enumerate(listed):
            here = f"{path}.references[{index}]"
            reference = self.reader.mapping(raw, here, "a reference")
            key = self.reader.text(reference.get("hash"), f"{here}.hash", "the reference hash")
            snaks = self.reader.mapping(reference.get("snaks", {}), f"{here}.snaks", "snaks")
            if key is None:
                continue
            source_id = f"source:wikidata-ref-{_slug(key)}"
            if source_id in self.sources:
                found.append(source_id)
                continue
            try:
                source = self.reference(source_id, key, snaks, f"{here}.snaks")
            except _Unheld as unheld:
                self.reader.skipped.append(unheld.issue)
                continue
            if source is not None:
                self.sources[source_id] = source
                found.append(source_id)
        return found

    def reference(
        self, source_id: str, key: str, snaks: Mapping[str, Any], path: str
    ) -> Source | None:
        values: dict[str, tuple[str, Mapping[str, Any]]] = {}
        for prop in ("P854", "P248", "P813", "P1476", "P577"):
            listed = self.reader.items(snaks.get(prop, []), f"{path}.{prop}", "snaks")
            snak = self.reader.snak(listed[0], f"{path}.{prop}[0]") if listed else None
            if snak is not None and snak["snaktype"] == "value":
                values[prop] = (f"{path}.{prop}[0]", snak)
        url = (
            self.reader.string_value(values["P854"][1], values["P854"][0])
            if "P854" in values
            else None
        )
        stated_in = (
            self.reader.item_value(values["P248"][1], values["P248"][0])
            if "P248" in values
            else None
        )
        dates: dict[str, PartialDate] = {}
        for prop in ("P813", "P577"):
            if prop in values:
                where = f"{values[prop][0]}.datavalue.value"
                try:
                    dates[prop] = _time(values[prop][1]["datavalue"].get("value"), where)
                except ValidationError as error:
                    self.reader.bad.extend(error)
        title = None
        if "P1476" in values:
            value = values["P1476"][1]["datavalue"].get("value")
            title = value.get("text") if isinstance(value, Mapping) else None
        if title is None and stated_in is not None:
            stated = self.items.get(stated_in)
            labels = stated[1].get("labels", {}) if stated else {}
            label = next(iter(labels.values()), None) if isinstance(labels, Mapping) else None
            title = (
                label.get("value") if isinstance(label, Mapping) else f"Wikidata item {stated_in}"
            )
        retrieved = dates.get("P813")
        if retrieved is not None and retrieved.precision is not DatePrecision.DAY:
            raise _Unheld(
                f"{values['P813'][0]}",
                "the retrieved date (P813) is not a day; the reference is left out",
            )
        note = f"Stated in Wikidata item {stated_in}." if stated_in else None
        try:
            return Source(
                id=source_id,
                title=title or url or f"Reference {key[:12]} in Wikidata",
                url=url,
                published=dates.get("P577"),
                retrieved=retrieved.earliest if retrieved else None,
                note=note,
            )
        except ValidationError as error:  # a URL that is not http(s), a blank title
            fields = {"$.url": "P854", "$.title": "P1476", "$.published": "P577"}
            issue = error.issues[0]
            field = fields.get(issue.path)
            at = values[field][0] if field is not None and field in values else path
            raise _Unheld(at, f"the reference is left out: {issue.message}") from None


def entities_from_wikidata(
    documents: Iterable[Mapping[str, Any]],
    *,
    retrieved: _dt.date | None = None,
    position_kinds: Mapping[str, PositionKind] | None = None,
) -> WikidataImport:
    """Import persons, positions, states, tenures and their sources from Wikidata JSON.

    Args:
        documents: Entity JSON: each an entity (``{"id": "Q123", "labels": ...}``)
            or a whole ``wbgetentities`` / ``Special:EntityData`` answer
            (``{"entities": {...}}``). An item given twice is read once, from
            its newest revision (``lastrevid``).
        retrieved: The day the documents were read, kept on the source that
            cites each item's page.
        position_kinds: The kind of each position, by its Wikidata id; any
            other is ``other`` (Wikidata does not say it in a form the model uses).

    Returns:
        The entities, and what was left out and why.

    Raises:
        ValidationError: If the documents are not Wikidata entity JSON, with
            every problem at its path (``$[0].claims.P39[1].mainsnak``).
    """
    reader = _Reader()
    items = _documents(reader, documents)
    run = _Import(reader, items, retrieved, position_kinds or {})
    run.run()
    reader.raise_if_bad()
    entities: list[Entity] = [
        *run.sources.values(),
        *run.states.values(),
        *run.positions.values(),
        *run.persons.values(),
        *run.tenures,
    ]
    return WikidataImport(entities=tuple(entities), skipped=tuple(dict.fromkeys(reader.skipped)))


def missing_ids(documents: Iterable[Mapping[str, Any]]) -> list[str]:
    """The items an import of *documents* needs but that are not among them.

    The positions persons held (``P39``), and the jurisdictions and countries
    of those positions (``P1001``, ``P17``): fetch these too, and import all
    together. An item Wikidata says it does not have (``"missing"``) counts
    as given, so a loop that fetches until nothing is missing ends. Sorted;
    empty when nothing is missing.
    """
    reader = _Reader()
    items = _documents(reader, documents)
    wanted: set[str] = set()
    for path, doc in items.values():
        wanted.update(reader.item_ids(doc, path, "P39"))
    for held in list(wanted):
        if held in items:
            path, doc = items[held]
            wanted.update(reader.item_ids(doc, path, "P1001"))
            wanted.update(reader.item_ids(doc, path, "P17"))
    reader.raise_if_bad()
    return sorted(wanted - reader.seen, key=lambda qid: int(qid[1:]))
