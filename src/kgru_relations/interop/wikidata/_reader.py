"""Reading Wikidata entity JSON: its shape checked, every problem kept at its path."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Final

from kgru_relations.errors import Issue, ValidationError, _IssueCollector, shown
from kgru_relations.interop.wikidata._values import _script_of, name_language
from kgru_relations.model.actors import _WIKIDATA as _ITEM  # the Wikidata id rule's home
from kgru_relations.names import Name, NameKind

_SNAKTYPES: Final = ("value", "somevalue", "novalue")
_RANKS: Final = ("preferred", "normal", "deprecated")


class _Reader:
    """Reads documents; collects shape problems (raised at the end) and skips."""

    def __init__(self) -> None:
        self.bad = _IssueCollector()
        self.skipped: list[Issue] = []
        self.seen: set[str] = set()  # every id given, a missing item's too

    def raise_if_bad(self) -> None:
        """Raise every shape problem once (a statement may be read more than once)."""
        if self.bad.issues:
            raise ValidationError(dict.fromkeys(self.bad.issues), more=self.bad.more)

    def mapping(self, value: object, path: str, what: str) -> Mapping[str, Any]:
        if isinstance(value, Mapping):
            return value
        self.bad.add(path, f"expected {what} (a JSON object), got {shown(value)}")
        return {}

    def items(self, value: object, path: str, what: str) -> Sequence[Any]:
        if isinstance(value, list | tuple):
            return value
        self.bad.add(path, f"expected {what} (a JSON array), got {shown(value)}")
        return ()

    def text(self, value: object, path: str, what: str) -> str | None:
        if isinstance(value, str):
            return value
        self.bad.add(path, f"expected {what} as text, got {shown(value)}")
        return None

    def statements(
        self, doc: Mapping[str, Any], path: str, prop: str
    ) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """Yield (path, statement) for each statement of *prop* with a known shape."""
        claims = self.mapping(doc.get("claims", {}), f"{path}.claims", "claims")
        for index, raw in enumerate(
            self.items(claims.get(prop, []), f"{path}.claims.{prop}", "statements")
        ):
            here = f"{path}.claims.{prop}[{index}]"
            statement = self.mapping(raw, here, "a statement")
            if not statement:
                continue
            rank = statement.get("rank", "normal")
            if rank not in _RANKS:
                self.bad.add(
                    f"{here}.rank", f"expected one of {', '.join(_RANKS)}, got {shown(rank)}"
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
                f"{path}.snaktype", f"expected one of {', '.join(_SNAKTYPES)}, got {shown(kind)}"
            )
            return None
        if kind == "value" and not isinstance(snak.get("datavalue"), Mapping):
            self.bad.add(f"{path}.datavalue", "a snak of type 'value' needs a datavalue object")
            return None
        return snak

    def item_value(self, snak: Mapping[str, Any], path: str) -> str | None:
        """The item id a 'value' snak holds (None, and a shape problem, if it holds none)."""
        value = snak["datavalue"].get("value")
        found = value.get("id") if isinstance(value, Mapping) else None
        if (
            found is None
            and isinstance(value, Mapping)
            and isinstance(value.get("numeric-id"), int)
        ):
            found = f"Q{value['numeric-id']}"
        if not isinstance(found, str) or not _ITEM.match(found):
            self.bad.add(
                f"{path}.datavalue.value",
                f"expected an item value with an 'id' such as 'Q813', got {shown(value)}",
            )
            return None
        return found

    def string_value(self, snak: Mapping[str, Any], path: str) -> str | None:
        return self.text(
            snak["datavalue"].get("value"), f"{path}.datavalue.value", "a string value"
        )

    def first_values(
        self, doc: Mapping[str, Any], path: str, prop: str
    ) -> list[tuple[str, Mapping[str, Any]]]:
        """(path, snak) of the 'value' main snaks of *prop*'s statements that are not deprecated."""
        found = []
        for here, statement in self.statements(doc, path, prop):
            snak = statement["mainsnak"]
            if statement.get("rank", "normal") != "deprecated" and snak["snaktype"] == "value":
                found.append((f"{here}.mainsnak", snak))
        return found

    def item_ids(self, doc: Mapping[str, Any], path: str, prop: str) -> list[str]:
        ids = [self.item_value(snak, here) for here, snak in self.first_values(doc, path, prop)]
        return [found for found in ids if found is not None]

    def names(self, doc: Mapping[str, Any], path: str) -> list[Name]:
        names: dict[tuple[str, str | None, str | None], Name] = {}
        labels = self.mapping(doc.get("labels", {}), f"{path}.labels", "labels")
        terms: list[tuple[str, object, NameKind]] = [
            (f"{path}.labels.{code}", term, NameKind.COMMON) for code, term in labels.items()
        ]
        aliases = self.mapping(doc.get("aliases", {}), f"{path}.aliases", "aliases")
        for code, listed in aliases.items():
            for index, term in enumerate(self.items(listed, f"{path}.aliases.{code}", "aliases")):
                terms.append((f"{path}.aliases.{code}[{index}]", term, NameKind.ALIAS))
        for here, raw, kind in terms:
            term = self.mapping(raw, here, "a term")
            tag = self.text(term.get("language"), f"{here}.language", "a language code")
            text = self.text(term.get("value"), f"{here}.value", "a name")
            if tag is None or text is None:
                continue
            try:
                language, script = name_language(tag)
            except ValidationError as error:
                self.skipped.append(
                    Issue(
                        f"{here}.language",
                        f"name {shown(text)} left out: {error.issues[0].message}",
                    )
                )
                continue
            try:
                name = Name(text, language=language, script=script or _script_of(text), kind=kind)
            except ValidationError as error:
                self.skipped.extend(issue.under(*_keys(here)) for issue in error.issues)
                continue
            names.setdefault((name.text, name.language, name.script), name)
        return list(names.values())


def _keys(path: str) -> tuple[str | int, ...]:
    """The keys of a path written by this module, for ``Issue.under``."""
    keys: list[str | int] = []
    for part in re.findall(r"\.([^.\[]+)|\[([0-9]+)\]", path):
        keys.append(part[0] if part[0] else int(part[1]))
    return tuple(keys)


def _documents(
    reader: _Reader, documents: Iterable[Mapping[str, Any]]
) -> dict[str, tuple[str, Mapping[str, Any]]]:
    """Each item by its Wikidata id (the newest revision of it), with its path."""
    found: dict[str, tuple[str, Mapping[str, Any]]] = {}
    for index, raw in enumerate(documents):
        outer = reader.mapping(raw, f"$[{index}]", "an entity document")
        listed: list[tuple[str, object]]
        if "entities" in outer:
            entities = reader.mapping(outer["entities"], f"$[{index}].entities", "entities")
            listed = [(f"$[{index}].entities.{key}", value) for key, value in entities.items()]
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
                reader.skipped.append(Issue(path, f"Wikidata has no entity {shown(qid)}"))
                continue
            if not _ITEM.match(qid):
                reader.skipped.append(
                    Issue(
                        f"{path}.id", f"{shown(qid)} is not an item; only items (Q...) are imported"
                    )
                )
                continue
            kept = found.get(qid)
            revision = doc.get("lastrevid", 0)
            if kept is None or (
                isinstance(revision, int) and revision > kept[1].get("lastrevid", 0)
            ):
                found[qid] = (path, doc)
    return found
