"""Reading Wikidata entity JSON: its shape checked, every problem kept at its path.

Each value is read once (statements are cached by item and property), and a
path is built from its parent's, one short step at a time (a long key is
shortened as every path is), so reading costs time linear in the input.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from kgru_relations.errors import Issue, IssueCollector, ValidationError, shown
from kgru_relations.interop.importing import ImportLog, described
from kgru_relations.interop.wikidata._languages import read_tag, script_of
from kgru_relations.interop.wikidata._values import Unheld, read_time
from kgru_relations.model.actors import WIKIDATA_ID
from kgru_relations.names import Name, NameKind

_SNAKTYPES: Final = ("value", "somevalue", "novalue")
_RANKS: Final = ("preferred", "normal", "deprecated")
_NUMERIC_ID_BITS: Final = 63  # Wikibase numbers its entities with 63-bit integers

Items = dict[str, tuple[str, Mapping[str, Any]]]
"""Each item by its Wikidata id: its path in the input and its document."""


def at(path: str, key: object) -> str:
    """*path* one step down, into *key*, written as every path writes it (``["sr-el"]``)."""
    step = key if isinstance(key, str | int) and not isinstance(key, bool) else described(key)
    return path + Issue("$", "-").under(step).path[1:]


def within(path: str, issue: Issue) -> Issue:
    """*issue*, found by a model class in the value at *path*, at its place in the input."""
    return Issue(path + issue.path[1:], issue.message)


class Reader:
    """Reads documents; collects shape problems (raised at the end) and what is left out."""

    def __init__(self, log: ImportLog) -> None:
        self.log = log  # what was left out, the notes, the sources made
        self.bad = IssueCollector()
        self.seen: set[str] = set()  # every id given, a missing item's too
        self._statements: dict[tuple[str, str], list[tuple[str, Mapping[str, Any]]]] = {}
        self._values: dict[tuple[str, str], list[tuple[str, Mapping[str, Any]]]] = {}

    def raise_if_bad(self) -> None:
        """Raise every shape problem once (a main snak is read by more than one step)."""
        if self.bad.issues:
            raise ValidationError(dict.fromkeys(self.bad.issues), more=self.bad.more)

    def skip(self, path: str, message: str) -> None:
        """Say that what is at *path* is left out, and why."""
        self.log.skip(path, message)

    def left_out(self, issues: Iterable[Issue]) -> None:
        """Say that each of *issues* is left out."""
        self.log.skipped.extend(issues)

    def mapping(self, value: object, path: str, what: str) -> Mapping[str, Any]:
        if isinstance(value, Mapping):
            return value
        self.bad.add(path, f"expected {what} (a JSON object), got {described(value)}")
        return {}

    def items(self, value: object, path: str, what: str) -> Sequence[Any]:
        if isinstance(value, list | tuple):
            return value
        self.bad.add(path, f"expected {what} (a JSON array), got {described(value)}")
        return ()

    def text(self, value: object, path: str, what: str) -> str | None:
        if isinstance(value, str):
            return value
        self.bad.add(path, f"expected {what} as text, got {described(value)}")
        return None

    def statements(
        self, doc: Mapping[str, Any], path: str, prop: str
    ) -> list[tuple[str, Mapping[str, Any]]]:
        """(path, statement) for each statement of *prop* with a known shape, read once."""
        key = (path, prop)
        if key not in self._statements:
            self._statements[key] = list(self._read_statements(doc, path, prop))
        return self._statements[key]

    def _read_statements(
        self, doc: Mapping[str, Any], path: str, prop: str
    ) -> Iterable[tuple[str, Mapping[str, Any]]]:
        claims = self.mapping(doc.get("claims", {}), f"{path}.claims", "claims")
        where = at(f"{path}.claims", prop)
        for index, raw in enumerate(self.items(claims.get(prop, []), where, "statements")):
            here = f"{where}[{index}]"
            statement = self.mapping(raw, here, "a statement")
            if not statement:
                continue
            rank = statement.get("rank", "normal")
            if rank not in _RANKS:
                self.bad.add(
                    f"{here}.rank", f"expected one of {', '.join(_RANKS)}, got {described(rank)}"
                )
                continue
            snak = self.snak(statement.get("mainsnak"), f"{here}.mainsnak")
            if snak is None:
                continue
            yield here, statement

    def snak(self, raw: object, path: str) -> Mapping[str, Any] | None:
        snak = self.mapping(raw, path, "a snak")
        if not snak:
            return None
        kind = snak.get("snaktype")
        if kind not in _SNAKTYPES:
            self.bad.add(
                f"{path}.snaktype",
                f"expected one of {', '.join(_SNAKTYPES)}, got {described(kind)}",
            )
            return None
        if kind == "value" and not isinstance(snak.get("datavalue"), Mapping):
            self.bad.add(f"{path}.datavalue", "a snak of type 'value' needs a datavalue object")
            return None
        return snak

    def snaks(self, holder: Mapping[str, Any], path: str, prop: str) -> list[tuple[str, Any]]:
        """(path, snak) of each well-formed snak of *prop* in *holder* (qualifiers, a reference)."""
        where = at(path, prop)
        found = []
        for index, raw in enumerate(self.items(holder.get(prop, []), where, "snaks")):
            snak = self.snak(raw, f"{where}[{index}]")
            if snak is not None:
                found.append((f"{where}[{index}]", snak))
        return found

    def item_value(self, snak: Mapping[str, Any], path: str) -> str | None:
        """The item id a 'value' snak holds (None, and a shape problem, if it holds none)."""
        value = snak["datavalue"].get("value")
        found = value.get("id") if isinstance(value, Mapping) else None
        number = value.get("numeric-id") if isinstance(value, Mapping) else None
        if (
            found is None
            and isinstance(number, int)
            and not isinstance(number, bool)
            and 0 < number.bit_length() <= _NUMERIC_ID_BITS
        ):
            found = f"Q{number}"
        if not isinstance(found, str) or not WIKIDATA_ID.match(found):
            self.bad.add(
                f"{path}.datavalue.value",
                f"expected an item value with an 'id' such as 'Q813', got {described(value)}",
            )
            return None
        return found

    def string_value(self, snak: Mapping[str, Any], path: str) -> str | None:
        return self.text(
            snak["datavalue"].get("value"), f"{path}.datavalue.value", "a string value"
        )

    def said(self, snak: Mapping[str, Any], path: str) -> str:  # noqa: PLR0911 - one per kind
        """What a snak says, as a note writes it: an item id, a quoted text, a date.

        Raises:
            Unheld: For a value that cannot be written so (a date the model
                cannot hold, a kind of value this import does not read).
        """
        if snak["snaktype"] == "somevalue":
            return "an unknown value"
        if snak["snaktype"] == "novalue":
            return "none"
        value = snak["datavalue"].get("value")
        where = f"{path}.datavalue.value"
        if isinstance(value, str):
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, Mapping) and ("id" in value or "numeric-id" in value):
            return self.item_value(snak, path) or "?"
        if isinstance(value, Mapping) and "time" in value:
            try:
                return str(read_time(value, where))
            except ValidationError as error:
                self.bad.extend(error)
                return "?"
        if isinstance(value, Mapping) and isinstance(value.get("text"), str):
            return json.dumps(value["text"], ensure_ascii=False)
        if isinstance(value, Mapping) and isinstance(value.get("amount"), str):
            return str(value["amount"]).removeprefix("+")
        raise Unheld(where, f"{described(value)} is a kind of value this import does not read")

    def first_values(
        self, doc: Mapping[str, Any], path: str, prop: str
    ) -> list[tuple[str, Mapping[str, Any]]]:
        """(path, snak) of the 'value' main snaks of *prop*'s statements that are not deprecated."""
        key = (path, prop)
        if key not in self._values:
            self._values[key] = [
                (f"{here}.mainsnak", statement["mainsnak"])
                for here, statement in self.statements(doc, path, prop)
                if statement.get("rank", "normal") != "deprecated"
                and statement["mainsnak"]["snaktype"] == "value"
            ]
        return self._values[key]

    def item_ids(self, doc: Mapping[str, Any], path: str, prop: str) -> list[str]:
        ids = [self.item_value(snak, here) for here, snak in self.first_values(doc, path, prop)]
        return [found for found in ids if found is not None]

    def names(self, doc: Mapping[str, Any], path: str) -> list[Name]:
        names: dict[tuple[str, str | None, str | None], Name] = {}
        labels = self.mapping(doc.get("labels", {}), f"{path}.labels", "labels")
        # A JSON object's keys have no order, so the names come in the order of their
        # language codes (labels, then aliases): the first, the label, never depends on it.
        terms: list[tuple[str, object, NameKind]] = [
            (at(f"{path}.labels", code), term, NameKind.COMMON)
            for code, term in sorted(labels.items(), key=_by_code)
        ]
        aliases = self.mapping(doc.get("aliases", {}), f"{path}.aliases", "aliases")
        for code, listed in sorted(aliases.items(), key=_by_code):
            where = at(f"{path}.aliases", code)
            for index, term in enumerate(self.items(listed, where, "aliases")):
                terms.append((f"{where}[{index}]", term, NameKind.ALIAS))
        for here, raw, kind in terms:
            term = self.mapping(raw, here, "a term")
            tag = self.text(term.get("language"), f"{here}.language", "a language code")
            text = self.text(term.get("value"), f"{here}.value", "a name")
            if tag is None or text is None:
                continue
            read = read_tag(tag)
            script = read.script or script_of(text)
            try:
                name = Name(text, language=read.language, script=script, kind=kind)
            except ValidationError as error:
                self.left_out(within(here, issue) for issue in error.issues)
                continue
            if read.problem is not None:
                kept = "with no language" if read.language is None else "without its script"
                self.skip(f"{here}.language", f"name {shown(text)} is kept {kept}: {read.problem}")
            elif read.unheld is not None:
                self.log.note(
                    f"{here}.language",
                    f"name {shown(text)} is kept as {read.language}"
                    f"{'' if read.script is None else ' in ' + read.script}: a name does not hold "
                    f"the region, variants or private part ({read.unheld}) of {shown(tag)}",
                )
            names.setdefault((name.text, name.language, name.script), name)
        return list(names.values())


def _by_code(item: tuple[object, object]) -> tuple[str, str]:
    """A term's place among its entity's: by its language code (any key, as text)."""
    return (type(item[0]).__name__, str(item[0]))


def _revision(reader: Reader, doc: Mapping[str, Any], path: str) -> int:
    revision = doc.get("lastrevid", 0)
    if isinstance(revision, int) and not isinstance(revision, bool) and revision >= 0:
        return revision
    reader.bad.add(f"{path}.lastrevid", f"expected a revision number, got {described(revision)}")
    return -1


def read_documents(reader: Reader, given: object) -> Items:
    """Each item by its Wikidata id (the newest revision of it), with its path."""
    if isinstance(given, Mapping):
        given = [given]  # one wbgetentities answer, or one entity
    if isinstance(given, str | bytes) or not isinstance(given, Iterable):
        reader.bad.add("$", f"expected entity documents (a JSON array), got {described(given)}")
        return {}
    found: Items = {}
    revisions: dict[str, int] = {}
    for index, raw in enumerate(given):
        outer = reader.mapping(raw, f"$[{index}]", "an entity document")
        listed: list[tuple[str, object]]
        if "entities" in outer:
            entities = reader.mapping(outer["entities"], f"$[{index}].entities", "entities")
            listed = [(at(f"$[{index}].entities", key), value) for key, value in entities.items()]
        elif outer:
            listed = [(f"$[{index}]", outer)]
        else:
            listed = []
        for path, value in listed:
            doc = reader.mapping(value, path, "an entity")
            if not doc:
                continue
            qid = reader.text(doc.get("id"), f"{path}.id", "the entity id")
            if qid is None:
                continue
            reader.seen.add(qid)
            if "missing" in doc:
                reader.skip(path, f"Wikidata has no entity {shown(qid)}")
                continue
            if not WIKIDATA_ID.match(qid):
                reader.skip(
                    f"{path}.id", f"{shown(qid)} is not an item; only items (Q...) are imported"
                )
                continue
            revision = _revision(reader, doc, path)
            if qid not in found or revision > revisions[qid]:
                found[qid] = (path, doc)
                revisions[qid] = revision
    return found
