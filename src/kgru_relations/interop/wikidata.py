"""Take persons, positions, states and who held what from Wikidata.

Read Wikidata entity JSON, the format of the ``wbgetentities`` API and of
``Special:EntityData``, with
[`entities_from_wikidata`][kgru_relations.interop.wikidata.entities_from_wikidata],
and fetch it with
[`fetch_entities`][kgru_relations.interop.wikidata.fetch_entities] (the
standard library only: no extra to install).

What is imported:

- an item with ``P31`` (instance of) ``Q5`` (human) is a
  [`Person`][kgru_relations.Person], id ``person:`` and its Wikidata id in
  lower case (``person:q123``);
- an item with ``P297`` (ISO 3166-1 alpha-2 code) is a
  [`State`][kgru_relations.State], id ``state:`` and the code (``state:kg``);
- an item that a person's ``P39`` (position held) names, or with ``P31``
  ``Q4164871`` (position), is a [`Position`][kgru_relations.Position], id
  ``position:q456``, belonging to the state its ``P1001`` (applies to
  jurisdiction) or ``P17`` (country) names;
- each ``P39`` statement is a [`Tenure`][kgru_relations.Tenure], id
  ``tenure:`` and the statement's own id (``tenure:q123-1b2c...``), its
  period from the ``P580`` (start time) and ``P582`` (end time) qualifiers
  (``somevalue``, a day not recorded, is [`UNKNOWN`][kgru_relations.UNKNOWN];
  ``novalue`` or no qualifier is open);
- each reference of a statement is a [`Source`][kgru_relations.Source]
  (``source:wikidata-ref-`` and the reference's hash), and each item is cited
  by a source for its own page (``source:wikidata-q123``).

Ids come from Wikidata ids only, so importing an item twice gives the same
entities, and two people with one name stay two: nothing is merged by name.

Input that is not Wikidata entity JSON raises one
[`ValidationError`][kgru_relations.ValidationError] listing every problem at
its path; a statement or name Wikidata allows but the model cannot hold (a
date to the decade, a Julian date, a deprecated statement) is
left out and said in [`WikidataImport.skipped`][kgru_relations.interop.wikidata.WikidataImport],
while the rest is imported.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import re
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Final

import attrs
import pycountry

from kgru_relations.codes import language_code, script_code
from kgru_relations.dates import UNKNOWN, DatePrecision, PartialDate, Period, Unknown
from kgru_relations.errors import Issue, ValidationError, _IssueCollector, shown
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
from kgru_relations.names import Name, NameKind

__all__ = [
    "ENDPOINT",
    "GREGORIAN",
    "JULIAN",
    "USER_AGENT",
    "WikidataImport",
    "WikidataUnavailable",
    "entities_from_wikidata",
    "fetch_entities",
    "missing_ids",
    "name_language",
    "partial_date",
    "time_value",
    "wikidata_id_of",
    "wikidata_our_id",
]

ENDPOINT: Final = "https://www.wikidata.org/w/api.php"
"""The Wikidata API that [`fetch_entities`][kgru_relations.interop.wikidata.fetch_entities] asks."""

USER_AGENT: Final = (
    "kgru-relations (https://github.com/kgru-relations; Wikidata importer) Python-urllib"
)
"""The User-Agent sent with every request, as the Wikimedia User-Agent policy asks."""

GREGORIAN: Final = "http://www.wikidata.org/entity/Q1985727"
"""The ``calendarmodel`` of a proleptic Gregorian date."""

JULIAN: Final = "http://www.wikidata.org/entity/Q1985786"
"""The ``calendarmodel`` of a Julian date (refused: the model holds Gregorian dates)."""

_ITEM: Final = re.compile(r"Q[1-9][0-9]*\Z")
_TIME: Final = re.compile(r"\+(?P<year>[0-9]{4,})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})T")
_PRECISIONS: Final = {9: DatePrecision.YEAR, 10: DatePrecision.MONTH, 11: DatePrecision.DAY}
_SNAKTYPES: Final = ("value", "somevalue", "novalue")
_RANKS: Final = ("preferred", "normal", "deprecated")
_HUMAN: Final = "Q5"
_POSITION: Final = "Q4164871"


class WikidataUnavailable(ConnectionError):
    """Wikidata could not be reached, or kept failing after every retry.

    A `ConnectionError` (an `OSError`), so code that handles a network that is
    down handles this too. The message says what was asked and what went wrong.
    """


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


class _Unheld(Exception):
    """A value Wikidata allows but the model cannot hold: skip it, say why."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.issue = Issue(path, message)


# --- ids ---------------------------------------------------------------------------


def wikidata_our_id(kind: str, wikidata_id: str) -> str:
    """Our id for the Wikidata item *wikidata_id* as an entity of *kind*.

    The id is *kind*, a colon and the Wikidata id in lower case, so two
    imports of one item give one entity, and two items (two people who share
    a name) give two. States are the exception: their id is ``state:`` and
    their ISO code, as every state's is.

    Examples:
        >>> wikidata_our_id("person", "Q123")
        'person:q123'
    """
    if not _ITEM.match(wikidata_id):
        raise ValidationError.at(
            "$", f"{shown(wikidata_id)} is not a Wikidata item id; expected 'Q' and digits"
        )
    return f"{kind}:{wikidata_id.lower()}"


def wikidata_id_of(entity_id: str) -> str:
    """The Wikidata id that an id made by `wikidata_our_id` came from.

    Examples:
        >>> wikidata_id_of("person:q123")
        'Q123'
    """
    slug = entity_id.partition(":")[2].upper()
    if not _ITEM.match(slug):
        raise ValidationError.at("$", f"{shown(entity_id)} was not made from a Wikidata id")
    return slug


def _slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


# --- dates -------------------------------------------------------------------------


def _time(value: object, path: str) -> PartialDate:
    """Read a ``time`` value: a wrong shape raises, a value the model cannot hold is _Unheld."""
    if not isinstance(value, Mapping):
        raise ValidationError.at(path, f"expected a time value (an object), got {shown(value)}")
    text, precision, calendar = (
        value.get("time"),
        value.get("precision"),
        value.get("calendarmodel"),
    )
    issues = _IssueCollector()
    if not isinstance(text, str):
        issues.add(
            f"{path}.time", f"expected time text like '+2021-01-28T00:00:00Z', got {shown(text)}"
        )
    if not isinstance(precision, int) or isinstance(precision, bool):
        issues.add(
            f"{path}.precision", f"expected a precision, a whole number, got {shown(precision)}"
        )
    if not isinstance(calendar, str):
        issues.add(f"{path}.calendarmodel", f"expected a calendar model URI, got {shown(calendar)}")
    issues.raise_if_any()
    assert isinstance(text, str)  # checked above
    assert isinstance(precision, int)
    match = _TIME.match(text)
    if text.startswith("-"):
        raise _Unheld(
            f"{path}.time", f"{shown(text)} is before the year 1; the model cannot hold it"
        )
    if match is None:
        raise ValidationError.at(
            f"{path}.time",
            f"{shown(text)} is not a Wikidata time; expected '+YYYY-MM-DDT00:00:00Z'",
        )
    if precision not in _PRECISIONS:
        raise _Unheld(
            f"{path}.precision",
            f"precision {precision} is coarser than a year (or not a Wikidata precision); "
            "only 9 (year), 10 (month) and 11 (day) are imported, never rounded",
        )
    if calendar != GREGORIAN:
        what = "a Julian-calendar date" if calendar == JULIAN else f"calendar {shown(calendar)}"
        raise _Unheld(
            f"{path}.calendarmodel",
            f"{what} is not imported: the model holds Gregorian dates, "
            "and this import does not convert calendars",
        )
    year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    try:
        if precision == 9:
            return PartialDate(year)
        if precision == 10:
            return PartialDate(year, month)
        return PartialDate(year, month, day)
    except ValidationError as error:
        raise _Unheld(f"{path}.time", f"{shown(text)}: {error.issues[0].message}") from None


def partial_date(value: Mapping[str, Any]) -> PartialDate:
    """The [`PartialDate`][kgru_relations.PartialDate] a Wikidata ``time`` value stands for.

    Precision 9, 10 and 11 give a year, a month and a day; a coarser precision
    (a decade, a century) and a Julian-calendar date are refused, never
    rounded or converted.

    Args:
        value: The ``value`` of a ``time`` datavalue: ``time``, ``precision``
            and ``calendarmodel``.

    Raises:
        ValidationError: If it is not such a value, or the model cannot hold it.

    Examples:
        >>> partial_date({"time": "+2021-01-00T00:00:00Z", "precision": 10,
        ...               "calendarmodel": GREGORIAN})
        PartialDate.parse('2021-01')
    """
    try:
        return _time(value, "$")
    except _Unheld as unheld:
        raise ValidationError([unheld.issue]) from None


def time_value(date: PartialDate) -> dict[str, Any]:
    """The Wikidata ``time`` value for *date*; the inverse of `partial_date`.

    Raises:
        ValidationError: For a quarter, which Wikidata has no precision for.

    Examples:
        >>> time_value(PartialDate(2021))["time"]
        '+2021-00-00T00:00:00Z'
    """
    if date.quarter is not None:
        raise ValidationError.at("$", f"{date} is a quarter; Wikidata has no precision for it")
    precision = {DatePrecision.YEAR: 9, DatePrecision.MONTH: 10, DatePrecision.DAY: 11}
    return {
        "time": f"+{date.year:04d}-{date.month or 0:02d}-{date.day or 0:02d}T00:00:00Z",
        "timezone": 0,
        "before": 0,
        "after": 0,
        "precision": precision[date.precision],
        "calendarmodel": GREGORIAN,
    }


# --- names -------------------------------------------------------------------------


@functools.cache
def _scripts_by_name() -> dict[str, str]:
    return {record.name.upper(): record.alpha_4 for record in pycountry.scripts}


def _script_of(text: str) -> str | None:
    """The ISO 15924 script every letter of *text* is in, as Unicode names it, or None."""
    found: set[str] = set()
    table = _scripts_by_name()
    for char in text:
        if not char.isalpha():
            continue
        script = table.get(unicodedata.name(char, "").partition(" ")[0])
        if script is None:
            return None
        found.add(script)
    return found.pop() if len(found) == 1 else None


def name_language(code: str) -> tuple[str | None, str | None]:
    """The ISO 639 language and ISO 15924 script of a Wikidata language code.

    The first part of the code is the language (``ky``, ``ru``); a second part
    of four letters is the script (``zh-hans`` gives ``Hans``); one of two
    letters (an ISO 3166 country) or three digits is a region, which a name
    does not hold (``en-gb`` gives ``en``). ``mul`` (the same in many languages) gives no
    language. Anything else is refused, not guessed.

    Raises:
        ValidationError: For a code that cannot be read that way (``sr-el``,
            ``be-tarask``).

    Examples:
        >>> name_language("zh-hans")
        ('zh', 'Hans')
    """
    if code == "mul":
        return None, None
    primary, *rest = code.split("-")
    problem = f"{shown(code)} is not a language code this import can map to ISO 639 and 15924"
    if not re.fullmatch(r"[a-z]{2,3}", primary) or len(rest) > 1:
        raise ValidationError.at("$", problem)
    try:
        language = language_code(primary)
    except ValidationError:
        raise ValidationError.at("$", problem) from None
    if not rest:
        return language, None
    subtag = rest[0]
    if re.fullmatch(r"[a-z]{4}", subtag):
        try:
            return language, script_code(subtag)
        except ValidationError:
            raise ValidationError.at("$", problem) from None
    if re.fullmatch(r"[0-9]{3}", subtag) or (
        len(subtag) == 2 and pycountry.countries.get(alpha_2=subtag.upper()) is not None
    ):
        return language, None
    raise ValidationError.at("$", problem)


# --- reading the JSON --------------------------------------------------------------


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


# --- the import --------------------------------------------------------------------


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


# --- fetching ----------------------------------------------------------------------


def _retry_after(error: urllib.error.HTTPError, fallback: float) -> float:
    value = error.headers.get("Retry-After") if error.headers else None
    if value is not None and value.strip().isdigit():
        return float(value.strip())
    return fallback


def _get(
    url: str, *, user_agent: str, retries: int, timeout: float, sleep: Callable[[float], None]
) -> dict[str, Any]:
    request = urllib.request.Request(
        url, headers={"User-Agent": user_agent, "Accept": "application/json"}
    )
    attempt = 0
    while True:
        wait = 2.0**attempt
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                answer = json.load(response)
        except urllib.error.HTTPError as error:
            if error.code != 429 and error.code < 500:
                msg = f"Wikidata refused {url}: HTTP {error.code} {error.reason}"
                raise WikidataUnavailable(msg) from None
            problem = f"HTTP {error.code} {error.reason}"
            wait = _retry_after(error, wait)
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            problem = str(getattr(error, "reason", error))
        else:
            if not isinstance(answer, dict) or "error" in answer:
                detail = answer.get("error") if isinstance(answer, dict) else answer
                msg = f"Wikidata answered {url} with an error: {shown(detail)}"
                raise WikidataUnavailable(msg)
            return answer
        if attempt >= retries:
            msg = f"could not read {url} after {attempt + 1} tries ({problem}); are you offline?"
            raise WikidataUnavailable(msg)
        sleep(wait)
        attempt += 1


def fetch_entities(
    ids: Iterable[str],
    *,
    endpoint: str = ENDPOINT,
    batch: int = 50,
    user_agent: str = USER_AGENT,
    retries: int = 3,
    timeout: float = 30,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[dict[str, Any]]:
    """Read items from the Wikidata API, *batch* at a time, and yield each entity.

    Asks ``action=wbgetentities&ids=Q1|Q2&format=json`` with a descriptive
    User-Agent; retries a 429 or 5xx answer, or a failed connection, up to
    *retries* times, waiting 1, 2, 4... seconds (or what ``Retry-After`` says);
    never retries another 4xx.

    Args:
        ids: Wikidata item ids (``Q813``); each is asked once.
        endpoint: The API address.
        batch: Ids per request, 1 to 50 (the API's limit for most clients).
        user_agent: The User-Agent header.
        retries: How many times to retry one request.
        timeout: Seconds to wait for one answer.
        sleep: Waits between tries (tests pass one that does not wait).

    Yields:
        Each entity document, in the order the API gives them; a missing
        item is yielded as the API gives it (``{"id": ..., "missing": ""}``).

    Raises:
        ValueError: If an id is not a Wikidata item id, or *batch* is out of range.
        WikidataUnavailable: If Wikidata cannot be reached or keeps failing.
    """
    if not 1 <= batch <= 50:
        msg = f"batch must be 1 to 50 ids, got {batch}"
        raise ValueError(msg)
    wanted = list(dict.fromkeys(ids))
    for qid in wanted:
        wikidata_our_id("item", qid)  # raises for anything but Q and digits
    for first in range(0, len(wanted), batch):
        query = urllib.parse.urlencode(
            {
                "action": "wbgetentities",
                "ids": "|".join(wanted[first : first + batch]),
                "format": "json",
            }
        )
        answer = _get(
            f"{endpoint}?{query}",
            user_agent=user_agent,
            retries=retries,
            timeout=timeout,
            sleep=sleep,
        )
        entities = answer.get("entities", {})
        if isinstance(entities, dict):
            yield from (entity for entity in entities.values() if isinstance(entity, dict))
