"""Sources: each item's own page, and each reference of a statement.

A reference's parts that a [`Source`][kgru_relations.Source] has a field for
fill that field; the parts this import knows but the model has no field for
are written in the source's note, each with its property; a part this import
does not know is listed among what was left out. Nothing is dropped unsaid.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any, Final

from kgru_relations.dates import DatePrecision, PartialDate
from kgru_relations.errors import ValidationError
from kgru_relations.interop.importing import make_id
from kgru_relations.interop.wikidata._languages import read_tag
from kgru_relations.interop.wikidata._reader import Items, Reader
from kgru_relations.interop.wikidata._values import Unheld, read_time
from kgru_relations.model import Source

__all__ = ["REFERENCE_PARTS"]

REFERENCE_PARTS: Final = {
    "P854": "reference URL",
    "P4656": "Wikimedia import URL",
    "P248": "stated in",
    "P813": "retrieved",
    "P1476": "title",
    "P577": "publication date",
    "P143": "imported from Wikimedia project",
    "P123": "publisher",
    "P50": "author",
    "P2093": "author name string",
    "P407": "language of work or name",
    "P1683": "quote",
    "P304": "page(s)",
    "P1065": "archive URL",
    "P2960": "archive date",
    "P3452": "inferred from",
    "P887": "based on heuristic",
}
"""The parts of a reference this import reads, by property, with the name Wikidata gives each.

``P854``, ``P4656``, ``P248``, ``P813``, ``P1476`` and ``P577`` fill the
source's fields (the import URL only where there is no reference URL); the
others, and any value past the first of its property, are written in the
source's note. A part not here is listed among what was left out.
"""
_FIELDS: Final = ("P854", "P4656", "P248", "P813", "P1476", "P577")
_IMPORTED: Final = "Imported into Wikidata from this page (P4656, Wikimedia import URL)."
_WIKIDATA: Final = "https://www.wikidata.org/wiki/"


def said_note(lead: str | None, parts: list[str], what: str) -> str | None:
    """A note of *lead* and the parts of *what* that a record has no field for, or None."""
    said = f"The Wikidata {what} also says: {'; '.join(parts)}." if parts else None
    return " ".join(text for text in (lead, said) if text) or None


class Sources:
    """The sources an import makes, each made once, by id."""

    def __init__(self, reader: Reader, items: Items, retrieved: _dt.date | None) -> None:
        self.reader = reader
        self.items = items
        self.retrieved = retrieved
        self.made = reader.log.sources  # each source made once, by id

    def page(self, qid: str) -> str:
        """The id of the source that cites the page of item *qid*."""
        source_id = make_id("source", f"wikidata-{qid}")
        if source_id not in self.made:
            self.reader.log.add_source(
                Source(
                    id=source_id,
                    title=f"Wikidata item {qid}",
                    publisher="Wikidata",
                    url=f"{_WIKIDATA}{qid}",
                    retrieved=self.retrieved,
                )
            )
        return source_id

    def of(self, statement: Mapping[str, Any], path: str) -> list[str]:
        """The ids of the sources a statement's references become."""
        found: list[str] = []
        reader = self.reader
        listed = reader.items(statement.get("references", []), f"{path}.references", "references")
        for index, raw in enumerate(listed):
            here = f"{path}.references[{index}]"
            reference = reader.mapping(raw, here, "a reference")
            key = reader.text(reference.get("hash"), f"{here}.hash", "the reference hash")
            snaks = reader.mapping(reference.get("snaks", {}), f"{here}.snaks", "snaks")
            if key is None:
                continue
            source_id = make_id("source", f"wikidata-ref-{key}")
            if source_id not in self.made:
                try:
                    source = self.reference(source_id, key, snaks, f"{here}.snaks")
                except Unheld as unheld:
                    reader.left_out([unheld.issue])
                    continue
                self.reader.log.add_source(source)
            found.append(source_id)
        return found

    def parts(
        self, snaks: Mapping[str, Any], path: str
    ) -> tuple[dict[str, tuple[str, Mapping[str, Any]]], list[tuple[str, str]]]:
        """The first value of each part a field holds, and what the note says of the rest.

        The rest is each part's property and what it says (``P143``, ``Q206855``).
        """
        reader = self.reader
        first: dict[str, tuple[str, Mapping[str, Any]]] = {}
        noted: list[tuple[str, str]] = []
        for prop in snaks:
            for here, snak in reader.snaks(snaks, path, prop):
                if prop in _FIELDS and prop not in first and snak["snaktype"] == "value":
                    first[prop] = (here, snak)
                elif prop in REFERENCE_PARTS:
                    noted.append((prop, reader.said(snak, here)))
                else:
                    reader.skip(
                        here,
                        f"reference part {prop} is not imported: "
                        "this import does not know what it says of a source",
                    )
        if "P854" in first and "P4656" in first:  # the reference URL is the source's address
            here, snak = first.pop("P4656")
            noted.insert(0, ("P4656", reader.said(snak, here)))
        return first, noted

    def date(self, found: tuple[str, Mapping[str, Any]] | None) -> PartialDate | None:
        if found is None:
            return None
        try:
            return read_time(found[1]["datavalue"].get("value"), f"{found[0]}.datavalue.value")
        except ValidationError as error:
            self.reader.bad.extend(error)
            return None

    def reference(self, source_id: str, key: str, snaks: Mapping[str, Any], path: str) -> Source:
        reader = self.reader
        first, noted = self.parts(snaks, path)
        link = first.get("P854") or first.get("P4656")
        url = reader.string_value(link[1], link[0]) if link else None
        stated = first.get("P248")
        stated_in = reader.item_value(stated[1], stated[0]) if stated else None
        title, language = self.title(first.get("P1476"))
        if title is None and stated_in is not None:
            title = self.label(stated_in)
        retrieved = self.date(first.get("P813"))
        if retrieved is not None and retrieved.precision is not DatePrecision.DAY:
            raise Unheld(
                first["P813"][0],
                "the retrieved date (P813) is not a day; the reference is left out",
            )
        lead = f"Stated in Wikidata item {stated_in}." if stated_in else None
        if "P4656" in first:
            lead = " ".join(text for text in (lead, _IMPORTED) if text)
        fields: dict[str, Any] = {
            "id": source_id,
            "title": title or url or f"Reference {key[:12]} in Wikidata",
            "url": url,
            "published": self.date(first.get("P577")),
            "retrieved": retrieved.earliest if retrieved else None,
            "language": language,
        }
        texts = [f"{REFERENCE_PARTS[prop]} ({prop}): {said}" for prop, said in noted]
        try:
            source = Source(**fields, note=said_note(lead, texts, "reference"))
        except ValidationError as error:  # a URL that is not http(s), a blank title
            if not all(issue.path == "$.note" for issue in error.issues):
                places = {"$.url": link, "$.title": first.get("P1476")}
                places["$.published"] = first.get("P577")
                issue = error.issues[0]
                place = places.get(issue.path)
                where = place[0] if place is not None else path
                raise Unheld(where, f"the reference is left out: {issue.message}") from None
            reader.skip(path, f"what the reference says past its fields is left out: {error}")
            source, noted = self.reference_without_note(fields, lead, path), []
        if noted:
            props = ", ".join(dict.fromkeys(prop for prop, _ in noted))
            reader.log.note(
                path, f"{props} kept in the note of {source_id!r}, which has no field for them"
            )
        if "P4656" in first:
            reader.log.note(
                first["P4656"][0],
                f"the Wikimedia import URL is the address of {source_id!r}: "
                "the page the statement was imported from",
            )
        return source

    def reference_without_note(self, fields: dict[str, Any], lead: str | None, path: str) -> Source:
        try:
            return Source(**fields, note=lead)
        except ValidationError as error:
            raise Unheld(path, f"the reference is left out: {error.issues[0].message}") from None

    def title(self, found: tuple[str, Mapping[str, Any]] | None) -> tuple[str | None, str | None]:
        """The title a reference gives (``P1476``), and the language it is in, where known."""
        if found is None:
            return None, None
        here, snak = found
        value = snak["datavalue"].get("value")
        if not isinstance(value, Mapping) or not isinstance(value.get("text"), str):
            self.reader.bad.add(
                f"{here}.datavalue.value",
                "expected a monolingual text value ({'text': ..., 'language': ...})",
            )
            return None, None
        tag = value.get("language")
        language = read_tag(tag).language if isinstance(tag, str) else None
        return value["text"], language

    def label(self, qid: str) -> str:
        """The first label of item *qid* where it is among the documents, else its name."""
        stated = self.items.get(qid)
        labels = stated[1].get("labels", {}) if stated else {}
        label = next(iter(labels.values()), None) if isinstance(labels, Mapping) else None
        text = label.get("value") if isinstance(label, Mapping) else None
        return text if isinstance(text, str) else f"Wikidata item {qid}"
