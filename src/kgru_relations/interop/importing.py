"""What every importer shares: one result, the sources it creates, the ids it makes.

An importer (FollowTheMoney, Wikidata, the next one) reads a foreign model's
records and, for each, either builds a model entity (checked by its class) or
says why not. Nothing is dropped silently. It uses this module so that every
import answers alike:

1. One [`ImportLog`][kgru_relations.interop.importing.ImportLog] per run. Each
   thing left out is [`skip`][kgru_relations.interop.importing.ImportLog.skip]ped
   at its path in the input (and its line, for a line-based input), saying why;
   each thing imported in a form the input did not give word for word (a
   date-time kept as its day, a source built from an address) is a
   [`note`][kgru_relations.interop.importing.ImportLog.note].
2. A source the import creates (for a web address,
   [`url_source`][kgru_relations.interop.importing.url_source]; for a page of
   the foreign database) is added once with
   [`add_source`][kgru_relations.interop.importing.ImportLog.add_source],
   and every fact cites it by id.
3. Foreign ids become ours with
   [`make_id`][kgru_relations.interop.importing.make_id] (the kind, a colon
   and the foreign id as a [`slug`][kgru_relations.interop.importing.slug]),
   never by name, so two imports of one record give one entity.
4. The run ends with
   [`result`][kgru_relations.interop.importing.ImportLog.result], an
   [`ImportResult`][kgru_relations.interop.importing.ImportResult]: the
   entities (with the sources created), what was left out and the notes.

A sketch of an importer::

    log = ImportLog()
    entities = []
    for index, record in enumerate(records):
        if "name" not in record:
            log.skip(f"$[{index}]", "not imported: a person needs a name")
            continue
        source = url_source(record["url"])
        if log.add_source(source):
            log.note(f"$[{index}].url", f"cited as {source.id!r}, a source built from the address")
        entities.append(Person(id=make_id("person", record["id"]), ..., sources=[source.id]))
    return log.result(entities)

Examples:
    >>> from kgru_relations.model import Person
    >>> from kgru_relations.names import Name
    >>> log = ImportLog()
    >>> source = url_source("https://example.org/people/1")
    >>> log.add_source(source)
    True
    >>> person = Person(
    ...     id=make_id("person", "NK-2Zq..x"), names=[Name("A. Person")], sources=[source.id]
    ... )
    >>> log.skip("$[0].properties.birthDate", "'birthDate' is not imported: no place for it")
    >>> result = log.result([person])
    >>> [entity.id for entity in result.entities]
    ['source:url-44bc07cd6276', 'person:nk-2zq-x']
    >>> print(result.skipped[0])
    $[0].properties.birthDate: 'birthDate' is not imported: no place for it
    >>> len(result.dataset().all(Person))
    1
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from kgru_relations.dataset import Dataset
from kgru_relations.errors import Issue, described
from kgru_relations.model import ENTITY_CLASSES, Entity, Source

__all__ = [
    "ImportLog",
    "ImportResult",
    "described",
    "digest",
    "make_id",
    "slug",
    "url_source",
]

_NOT_SLUG: Final = re.compile(r"[^a-z0-9]+")
_SEPARATORS: Final = frozenset("-_.")


@attrs.frozen
class ImportResult:
    """What an import made, what it left out and why, and what it adapted.

    Every importer returns this one type (``FtmImport`` is its name in
    [`kgru_relations.interop.ftm`][kgru_relations.interop.ftm]).

    Attributes:
        entities: Sources, states, organisations, persons, positions,
            tenures, memberships, chairmanships, agreements and events, in
            that order (the order of the model's kinds), each kind in the
            order the importer made them, each built (and so checked) by its
            model class.
        skipped: One issue per thing left out, at its path in the input
            (``$[4].properties.birthDate``), saying why: a record the model
            has no place for, a value it cannot read, a fact that cannot be
            sourced or dated honestly.
        notes: One issue per thing imported in a form the input did not give
            word for word: a date-time kept as its day, a state created for a
            country, a source built from an address.
        unread: For each model class, the fields the input cannot give: their
            values are the model's defaults or the caller's choice (a
            position's ``kind``, its ``single_holder``; ``confidence``), not
            what the input says. A merge takes them as gaps, never as a
            disagreement with a record that has them.
    """

    entities: tuple[Entity, ...]
    skipped: tuple[Issue, ...]
    notes: tuple[Issue, ...] = ()
    unread: Mapping[type[Entity], frozenset[str]] = attrs.field(factory=dict, kw_only=True)

    def dataset(self) -> Dataset:
        """The entities as a valid [`Dataset`][kgru_relations.Dataset].

        Raises:
            ValidationError: If the entities do not make a valid dataset: an
                importer's bug, as each keeps only what the model can hold.
        """
        return Dataset(self.entities).ensure_valid()


class ImportLog:
    """The record of one import run: what was left out, the notes, the sources made.

    Attributes:
        skipped: The issues of what was left out, in the order they were found.
        notes: The issues of what was adapted, in the order they were found.
        sources: The sources this run created, by id.
    """

    def __init__(self) -> None:
        self.skipped: list[Issue] = []
        self.notes: list[Issue] = []
        self.sources: dict[str, Source] = {}

    def skip(self, path: str, message: str, *, line: int | None = None) -> None:
        """Say that what is at *path* (on *line* of the input) was left out, and why."""
        self.skipped.append(Issue(path, message, line=line))

    def note(self, path: str, message: str, *, line: int | None = None) -> None:
        """Say that what is at *path* was imported in a form the input did not give."""
        self.notes.append(Issue(path, message, line=line))

    def add_source(self, source: Source) -> bool:
        """Keep a source this run created; return whether it is new (the first of its id)."""
        if source.id in self.sources:
            return False
        self.sources[source.id] = source
        return True

    def result(
        self,
        entities: Iterable[Entity],
        unread: Mapping[type[Entity], Iterable[str]] | None = None,
    ) -> ImportResult:
        """The result: *entities* and the sources created, in the model's order of kinds.

        Each kind keeps the order given (the created sources after the sources
        built from the input); a repeated issue is listed once. *unread* names,
        for each class, the fields the input cannot give.
        """
        everything = [*entities]
        made = {entity.id for entity in everything}
        everything += [source for source in self.sources.values() if source.id not in made]
        everything.sort(key=lambda entity: ENTITY_CLASSES.index(type(entity)))  # stable
        return ImportResult(
            entities=tuple(everything),
            skipped=tuple(dict.fromkeys(self.skipped)),
            notes=tuple(dict.fromkeys(self.notes)),
            unread={cls: frozenset(names) for cls, names in (unread or {}).items()},
        )


def digest(text: str, length: int = 12) -> str:
    """The first *length* hex digits of the SHA-1 of *text*: a short, stable id part.

    Any string has one, a lone surrogate too (it is hashed as written).

    Examples:
        >>> digest("https://example.org/")
        '166d9d911dbb'
    """
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def slug(text: str) -> str:
    """*text* as the slug of an id: lowercase letters and digits, single separators.

    Each run of other characters becomes ``-``, except a single ``-``, ``_``
    or ``.``, which stays; separators at either end go. The result may be
    empty (text with no ASCII letter or digit):
    [`make_id`][kgru_relations.interop.importing.make_id] handles that.

    Examples:
        >>> slug("NK-2Zq..abc")
        'nk-2zq-abc'
        >>> slug("Q42$F078E5B3-F9A8")
        'q42-f078e5b3-f9a8'
        >>> slug("a_b.c")
        'a_b.c'
    """

    def separator(match: re.Match[str]) -> str:
        return match[0] if match[0] in _SEPARATORS else "-"

    return _NOT_SLUG.sub(separator, text.lower()).strip("-_.")


def make_id(kind: str, foreign_id: str) -> str:
    """Our id for a record of *kind* whose id in the foreign model is *foreign_id*.

    The kind, a colon and the foreign id's [`slug`][kgru_relations.interop.importing.slug]
    (its [`digest`][kgru_relations.interop.importing.digest] if the slug is
    empty), so two imports of one record give one entity. Two foreign ids may
    give one id (``A.B`` and ``a-b``): the importer tells them apart.

    Examples:
        >>> make_id("person", "Q7747")
        'person:q7747'
        >>> make_id("person", "Путин")
        'person:3b7b3fdd6166'
    """
    return f"{kind}:{slug(foreign_id) or digest(foreign_id)}"


def url_source(
    url: str, *, publisher: str | None = None, retrieved: _dt.date | None = None
) -> Source:
    """A source for a web address the input cites: its title is the address.

    Its id is ``source:url-`` and the address's
    [`digest`][kgru_relations.interop.importing.digest], so one address is
    one source.

    Raises:
        ValidationError: If the address is not one a source can hold (as
            [`Source`][kgru_relations.model.Source] says).

    Examples:
        >>> url_source("https://example.org/").id
        'source:url-166d9d911dbb'
    """
    return Source(
        id=f"source:url-{digest(url)}", title=url, publisher=publisher, url=url, retrieved=retrieved
    )
