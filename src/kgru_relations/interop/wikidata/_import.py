"""The import: persons, positions, states, tenures and sources from entity documents."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from kgru_relations.dates import UNKNOWN, PartialDate, Period, Unknown
from kgru_relations.errors import ValidationError, shown
from kgru_relations.interop.importing import ImportLog, ImportResult, make_id
from kgru_relations.interop.wikidata._reader import Items, Reader, at, read_documents, within
from kgru_relations.interop.wikidata._sources import Sources, said_note
from kgru_relations.interop.wikidata._values import Unheld, read_time, wikidata_our_id
from kgru_relations.model import (
    Confidence,
    Entity,
    Person,
    Position,
    PositionKind,
    State,
    Tenure,
)

__all__ = ["QUALIFIERS", "WikidataImport", "entities_from_wikidata", "missing_ids"]

_HUMAN: Final = "Q5"
_POSITION: Final = "Q4164871"
_DATES: Final = ("P580", "P582")
_TERM: Final = "P2937"
QUALIFIERS: Final = {
    "P1365": "replaces",
    "P1366": "replaced by",
    _TERM: "parliamentary term",
    "P768": "electoral district",
    "P1545": "series ordinal",
    "P4100": "parliamentary group",
    "P2715": "elected in",
    "P5054": "cabinet",
    "P1534": "end cause",
}
"""The qualifiers of a ``P39`` statement, past its start and end, that this import reads.

By property, with the name Wikidata gives each. A tenure has no field for
them, so its note keeps what each says (an item id, a text, a date); a
qualifier not here is listed among what was left out.
"""


WikidataImport = ImportResult
"""What [`entities_from_wikidata`][kgru_relations.interop.wikidata.entities_from_wikidata] returns.

Every import's one result: the entities, what was left out and why
(``skipped``), and what was kept in a form the input did not give word for
word (``notes``: a qualifier kept in a tenure's note, a language tag's
region that a name does not hold).
"""


class _Import:
    def __init__(
        self,
        reader: Reader,
        items: Items,
        retrieved: _dt.date | None,
        kinds: Mapping[str, PositionKind],
    ) -> None:
        self.reader = reader
        self.items = items
        self.kinds = kinds
        self.sources = Sources(reader, items, retrieved)
        self.states: dict[str, State] = {}  # by Wikidata id
        self.state_ids: dict[str, State] = {}  # by our id: the first item with its code
        self.positions: dict[str, Position] = {}
        self.persons: dict[str, Person] = {}
        self.tenures: list[Tenure] = []
        self.tenure_ids: dict[str, str] = {}  # our id of each tenure made: the path it came from

    def skip(self, path: str, message: str) -> None:
        self.reader.skip(path, message)

    def build(self, path: str, build: Callable[[], Entity]) -> Entity | None:
        try:
            return build()
        except ValidationError as error:
            self.reader.left_out(within(path, issue) for issue in error.issues)
            return None

    def page(self, qid: str) -> str:
        return self.sources.page(qid)

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
                id=State.id_for(code),
                code=code,
                names=names,
                wikidata=qid,
                sources=[source],
                confidence=Confidence.LIKELY,
            ),
        )
        if not isinstance(state, State):
            return
        first = self.state_ids.setdefault(state.id, state)
        if first is not state:  # two items, one country code: one state, the first
            self.states[qid] = first
            self.skip(
                path,
                f"{qid} has the country code of {first.wikidata} ({first.code}): it is read as "
                f"the same state, {first.id!r}, and its own names are left out",
            )
            return
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
            except Unheld as unheld:
                self.reader.left_out([unheld.issue])

    def tenure(self, person: Person, path: str, statement: Mapping[str, Any]) -> None:
        reader = self.reader
        if statement.get("rank") == "deprecated":
            raise Unheld(
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
            raise Unheld(
                f"{path}.mainsnak", f"the statement says {what}; there is no position to link"
            )
        held = reader.item_value(snak, f"{path}.mainsnak")
        if held is None:
            return
        position = self.positions.get(held)
        if position is None:
            raise Unheld(
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
        tenure_id = make_id("tenure", statement_id)
        if tenure_id in self.tenure_ids:
            raise Unheld(
                f"{path}.id",
                f"the statement id {shown(statement_id)} reads as the id of the statement at "
                f"{self.tenure_ids[tenure_id]} ({shown(tenure_id)}): one tenure is kept",
            )
        start = self.qualifier(qualifiers, f"{path}.qualifiers", "P580")
        end = self.qualifier(qualifiers, f"{path}.qualifiers", "P582")
        if "P580" not in qualifiers and "P582" not in qualifiers:
            raise Unheld(path, _dateless(reader, qualifiers, f"{path}.qualifiers"))
        noted = self.noted(qualifiers, f"{path}.qualifiers")
        sources = [*self.sources.of(statement, path), self.page(person.wikidata or "")]

        def tenure(note: str | None) -> Tenure:
            return Tenure(
                id=tenure_id,
                person=person.id,
                position=position.id,
                period=Period(start, end),
                sources=sources,
                confidence=Confidence.LIKELY,
                note=note,
            )

        try:
            made: Entity | None = tenure(said_note(None, noted, "statement"))
        except ValidationError as error:
            if not noted or any(issue.path != "$.note" for issue in error.issues):
                made = self.build(path, lambda: tenure(None))
            else:  # the note a qualifier's text made is refused: the tenure stands without it
                reader.skip(f"{path}.qualifiers", f"the qualifiers are left out: {error}")
                made = self.build(path, lambda: tenure(None))
        if isinstance(made, Tenure):
            self.tenures.append(made)
            self.tenure_ids[tenure_id] = path
            if made.note is not None:
                props = ", ".join(dict.fromkeys(prop for prop in qualifiers if prop in QUALIFIERS))
                reader.log.note(
                    f"{path}.qualifiers",
                    f"{props} kept in the note of {made.id!r}, which has no field for them",
                )

    def noted(self, qualifiers: Mapping[str, Any], path: str) -> list[str]:
        """What the qualifiers other than start and end say, for the tenure's note.

        A qualifier this import does not know is listed among what was left out.
        """
        noted: list[str] = []
        for prop in qualifiers:
            if prop in _DATES:
                continue
            for here, snak in self.reader.snaks(qualifiers, path, prop):
                if prop not in QUALIFIERS:
                    self.skip(
                        here,
                        f"qualifier {prop} is not imported: this import does not know "
                        "what it says of a term in office",
                    )
                    continue
                try:
                    noted.append(f"{QUALIFIERS[prop]} ({prop}): {self.reader.said(snak, here)}")
                except Unheld as unheld:
                    self.reader.left_out([unheld.issue])
        return noted

    def qualifier(
        self, qualifiers: Mapping[str, Any], path: str, prop: str
    ) -> PartialDate | Unknown | None:
        """A side: a date, UNKNOWN for ``somevalue``, None (open) for ``novalue`` or none."""
        snaks = self.reader.items(qualifiers.get(prop, []), at(path, prop), "qualifier snaks")
        if len(snaks) > 1:
            raise Unheld(
                at(path, prop),
                f"{len(snaks)} {prop} qualifiers on one statement; which one holds is not known",
            )
        if not snaks:
            return None
        here = f"{at(path, prop)}[0]"
        snak = self.reader.snak(snaks[0], here)
        if snak is None:
            return None
        if snak["snaktype"] == "somevalue":  # it happened, on a day not recorded
            return UNKNOWN
        if snak["snaktype"] == "novalue":
            return None
        try:
            return read_time(snak["datavalue"].get("value"), f"{here}.datavalue.value")
        except ValidationError as error:
            self.reader.bad.extend(error)
            return None


def _dateless(reader: Reader, qualifiers: Mapping[str, Any], path: str) -> str:
    """Why a statement with no start and no end is left out, naming its parliamentary term."""
    terms = [
        reader.said(snak, here)
        for here, snak in reader.snaks(qualifiers, path, _TERM)
        if snak["snaktype"] == "value"
    ]
    if terms:
        return (
            f"the statement gives a parliamentary term (P2937: {', '.join(terms)}) but no start "
            "(P580) or end (P582): a member's own dates may differ from the term's, "
            "so when the office was held is not known"
        )
    return "the statement has no start (P580) or end (P582): when the office was held is not known"


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
        The entities (the sources made first, each kind in the model's order), what
        was left out and why, and what was kept in another form.

    Raises:
        ValidationError: If the documents are not Wikidata entity JSON, with
            every problem at its path (``$[0].claims.P39[1].mainsnak``).
    """
    log = ImportLog()
    reader = Reader(log)
    items = read_documents(reader, documents)
    run = _Import(reader, items, retrieved, position_kinds or {})
    run.run()
    reader.raise_if_bad()
    return log.result(
        [*run.state_ids.values(), *run.positions.values(), *run.persons.values(), *run.tenures]
    )


def missing_ids(documents: Iterable[Mapping[str, Any]]) -> list[str]:
    """The items an import of *documents* needs but that are not among them.

    The positions persons held (``P39``), and the jurisdictions and countries
    of those positions (``P1001``, ``P17``): fetch these too, and import all
    together. An item Wikidata says it does not have (``"missing"``) counts
    as given, so a loop that fetches until nothing is missing ends. Sorted;
    empty when nothing is missing.
    """
    reader = Reader(ImportLog())
    items = read_documents(reader, documents)
    wanted: set[str] = set()
    for path, doc in items.values():
        wanted.update(reader.item_ids(doc, path, "P39"))
    for held in list(wanted):
        if held in items:
            path, doc = items[held]
            wanted.update(reader.item_ids(doc, path, "P1001"))
            wanted.update(reader.item_ids(doc, path, "P17"))
    reader.raise_if_bad()
    return sorted(wanted - reader.seen, key=lambda qid: (len(qid), qid))  # Q9 before Q10
