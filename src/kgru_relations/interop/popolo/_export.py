"""Write a dataset as one Popolo document: the code behind ``popolo.to_popolo``.

Every relation is a Popolo membership, declared once beside its edge
(``POPOLO_EDGES``) and written by one function: each end by what it is (a
person a ``person_id``, a position a ``post_id`` and the post's place, an
organisation an ``organization_id``, a state an ``area_id``), the role the
declared one or the post's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from kgru_relations.dataset import Dataset
from kgru_relations.dataset._edges import CHAIRMANSHIP, EDGES, MEMBERSHIP, TENURE, Edge
from kgru_relations.dates import UNKNOWN, Period
from kgru_relations.interop import dated_sides
from kgru_relations.model import (
    Entity,
    Event,
    Organization,
    Person,
    Position,
    Source,
    State,
)
from kgru_relations.model._base import Fact, kind_of
from kgru_relations.names import Name

__all__ = ["EDGES_LOST", "POPOLO_EDGES", "PopoloEdge", "to_popolo"]


@attrs.frozen(kw_only=True)
class PopoloEdge:
    """One relation's Popolo form: a membership, from its source to its target, over its period.

    Attributes:
        edge: The relation.
        role: The membership's ``role``; ``None`` for the role of the post it
            holds (a tenure's is its position's kind).
        flags: The record's fields that, when true, the membership's
            ``label`` says in brackets (``acting``: ``(acting)``).
    """

    edge: Edge[Any]
    role: str | None = None
    flags: tuple[str, ...] = ()

    def lost(self) -> frozenset[str]:
        """The record's fields this form has no place for."""
        carried = {"id", "sources", "period", self.edge.source, self.edge.target, *self.flags}
        return frozenset(f.name for f in attrs.fields(self.edge.kind) if f.name not in carried)


POPOLO_EDGES: Final = (
    PopoloEdge(edge=TENURE, flags=("acting",)),
    PopoloEdge(edge=MEMBERSHIP, role="member"),
    PopoloEdge(edge=CHAIRMANSHIP, role="chair"),
)
"""Each relation's Popolo form, in the order of ``EDGES``: adding one is adding a line here."""

EDGES_LOST: Final[tuple[Edge[Any], ...]] = tuple(
    edge for edge in EDGES if all(form.edge is not edge for form in POPOLO_EDGES)
)
"""The relations Popolo has no form for: left out of the export (today, none)."""

# What each end of a relation is written as, by what it is; in Popolo's order.
_END_FIELDS: Final[Mapping[type[Entity], str]] = {
    Person: "person_id",
    Position: "post_id",
    Organization: "organization_id",
    State: "area_id",
}

# RFC 3986: what each part of a URI may hold as it is; anything else is percent-encoded.
_UNRESERVED: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_SUB_DELIMS: Final = frozenset("!$&'()*+,;=")
_NAME: Final = _UNRESERVED | _SUB_DELIMS
_USERINFO: Final = _NAME | {":"}
_IPV6: Final = frozenset("0123456789ABCDEFabcdef:.")
_PORT: Final = re.compile(r"(?::[0-9]*)?\Z", re.ASCII)
_PATH: Final = _UNRESERVED | _SUB_DELIMS | {":", "@", "/"}
_QUERY: Final = _PATH | {"?"}
_HEX: Final = frozenset("0123456789ABCDEFabcdef")


def to_popolo(dataset: Dataset) -> dict[str, Any]:
    """Return *dataset* as one Popolo JSON document.

    The document has the lists ``persons``, ``organizations``, ``areas``,
    ``posts``, ``memberships``, ``events`` and ``speeches``, each item
    with the dataset's own id (``person:sergey-lavrov``), so ids are the same
    on every run, and each list sorted by id. Every value is plain JSON
    (text, lists, objects): dates are Popolo's reduced ISO 8601 text, a date
    known to the quarter written as its year. Each item cites its sources as
    Popolo links (``url`` and a ``note`` with the title, publisher and date);
    a source without a web address cannot be a link and is left out. A
    second account of a fact (``variant_of``) is exported as an item of its
    own, with its own sources. A tenure, membership or chairmanship that
    ended on an unknown day is left out: Popolo's end date is a date or
    nothing, and nothing means it goes on (EveryPolitician's tools then call
    it current).

    Args:
        dataset: The dataset; it must be valid.

    Returns:
        The document, ready for `json.dumps`.

    Raises:
        ValidationError: If the dataset does not validate (every problem
            [`validate`][kgru_relations.dataset.Dataset.validate] finds), since
            its references would not resolve in the document either.

    Examples:
        >>> from kgru_relations import load_default
        >>> document = to_popolo(load_default())
        >>> japarov = next(p for p in document["persons"] if p["id"] == "person:sadyr-japarov")
        >>> japarov["name"], japarov["identifiers"]
        ('Sadyr Japarov', [{'identifier': 'Q25597826', 'scheme': 'wikidata'}])
    """
    dataset.ensure_valid()
    links = _Links(dataset)
    holders = {position.id: position for position in dataset.all(Position)}
    memberships = [
        item
        for form in POPOLO_EDGES
        for record in dataset.all(form.edge.kind)
        if not _ended(record)
        for item in _relation(form, record, holders, links)
    ]
    document: dict[str, Any] = {
        "persons": [_person(person, links) for person in dataset.all(Person)],
        "organizations": [_organization(org, links) for org in dataset.all(Organization)],
        "areas": [_area(state, links) for state in dataset.all(State)],
        "posts": [_post(position, links) for position in dataset.all(Position)],
        "memberships": memberships,
        "events": [_event(event, dataset, links) for event in dataset.all(Event)],
        # A speech's date must be a date and time; no statement has one (see the module).
        "speeches": [],
    }
    for items in document.values():
        items.sort(key=lambda item: str(item["id"]))
    return document


class _Links:
    """Each source as a Popolo link, once; ``None`` for a source with no web address."""

    def __init__(self, dataset: Dataset) -> None:
        self._links = {source.id: _link(source) for source in dataset.all(Source)}

    def of(self, fact: Fact) -> list[dict[str, str]]:
        """The links of *fact*'s sources: new objects, so editing one item changes no other."""
        return self.cited(fact.sources)

    def cited(self, sources: Iterable[str]) -> list[dict[str, str]]:
        """The links of *sources*, each once, in order: new objects, as ``of`` gives them."""
        found = dict.fromkeys(sources)
        return [dict(link) for source in found if (link := self._links.get(source))]


def _link(source: Source) -> dict[str, str] | None:
    if source.url is None:
        return None
    note = source.title
    if source.publisher is not None:
        note += f" — {source.publisher}"
    if source.published is not None:
        note += f", {source.published}"
    return {"url": _uri(source.url), "note": note}


def _uri(url: str) -> str:
    """*url* as an RFC 3986 URI: each character a URI may not hold as it is, percent-encoded.

    A [`Source`][kgru_relations.Source] address may hold any character but
    whitespace (``https://24.kg/новости``), as browsers accept; Popolo asks
    for a URI, so the rest is encoded as UTF-8 bytes (``%D0%BD…``), which
    names the same page. A ``%`` that already starts an escape is kept.
    """
    scheme, _, rest = url.partition("://")
    end = next((index for index, char in enumerate(rest) if char in "/?#"), len(rest))
    authority, tail = rest[:end], rest[end:]
    tail, hashed, fragment = tail.partition("#")
    path, asked, query = tail.partition("?")
    userinfo, at, hostport = authority.rpartition("@")
    return "".join(
        (
            scheme,
            "://",
            _encoded(userinfo, _USERINFO),
            at,
            _host_and_port(hostport),
            _encoded(path, _PATH),
            asked,
            _encoded(query, _QUERY),
            hashed,
            _encoded(fragment, _QUERY),
        )
    )


def _host_and_port(hostport: str) -> str:
    """An IPv6 literal or a name, and a port if there is one; anything else, one escaped name."""
    if hostport.startswith("["):
        host, close, port = hostport.partition("]")
        if close and _IPV6.issuperset(host[1:]) and ":" in host and _PORT.match(port):
            return hostport
    else:
        host, colon, port = hostport.rpartition(":")
        if colon and _PORT.match(colon + port):
            return _encoded(host, _NAME) + colon + port
    return _encoded(hostport, _NAME)


def _encoded(text: str, allowed: frozenset[str]) -> str:
    """*text* with every character not *allowed* percent-encoded, but ``%`` and two hex digits."""
    if allowed.issuperset(text):
        return text
    out = []
    for index, char in enumerate(text):
        escape = text[index + 1 : index + 3]
        if char in allowed or (char == "%" and len(escape) == 2 and _HEX.issuperset(escape)):
            out.append(char)
        else:
            out.append("".join(f"%{byte:02X}" for byte in char.encode("utf-8")))
    return "".join(out)


def _span(period: Period) -> dict[str, str]:
    span = {}
    start, end = dated_sides(period)
    if start is not None:
        span["start_date"] = start.reduced_iso()
    if end is not None:
        span["end_date"] = end.reduced_iso()
    return span


def _unknown(period: Period) -> str:
    """What a label adds for a start Popolo cannot write: no date would read as open."""
    return "(began on an unknown day)" if period.start is UNKNOWN else ""


def _ended(relation: Any) -> bool:
    """Whether it ended on an unknown day: with no end date, any Popolo reader takes it as current.

    Popolo has no form for an end that is not a date, so it is left out.
    """
    return relation.period.end is UNKNOWN


def _label(*parts: str) -> dict[str, str]:
    text = " ".join(part for part in parts if part)
    return {"label": text} if text else {}


def _language_tag(name: Name) -> str | None:
    """A BCP 47 tag for the name's language and script (``ky-Cyrl``, ``und-Latn``)."""
    if name.script is None:
        return name.language
    return f"{name.language or 'und'}-{name.script}"


def _other_names(names: Iterable[Name]) -> list[dict[str, str]]:
    """Every name, with its kind as the note and its language and script as ``lang``."""
    found = []
    for name in names:
        other = {"name": name.text, "note": name.kind.value}
        tag = _language_tag(name)
        if tag is not None:
            other["lang"] = tag
        found.append(other)
    return found


def _identifiers(**schemes: object) -> list[dict[str, str]]:
    return [
        {"identifier": str(value), "scheme": scheme}
        for scheme, value in schemes.items()
        if value is not None
    ]


def _item(fact: Fact, links: _Links, **fields: Any) -> dict[str, Any]:
    """An item with *fact*'s id and sources, and every field that has a value."""
    item: dict[str, Any] = {"id": fact.id}
    item.update((key, value) for key, value in fields.items() if value not in (None, [], {}))
    sources = links.of(fact)
    if sources:
        item["sources"] = sources
    return item


def _person(person: Person, links: _Links) -> dict[str, Any]:
    return _item(
        person,
        links,
        name=person.label,
        other_names=_other_names(person.names),
        identifiers=_identifiers(wikidata=person.wikidata),
    )


def _organization(organization: Organization, links: _Links) -> dict[str, Any]:
    return _item(
        organization,
        links,
        name=organization.label,
        other_names=_other_names(organization.names),
        identifiers=_identifiers(wikidata=organization.wikidata),
        classification=organization.kind.value,
        parent_id=organization.parent,
        area_id=organization.state,
        founding_date=None if organization.founded is None else organization.founded.reduced_iso(),
        dissolution_date=(
            None if organization.dissolved is None else organization.dissolved.reduced_iso()
        ),
    )


def _area(state: State, links: _Links) -> dict[str, Any]:
    return _item(
        state,
        links,
        name=state.label,
        other_names=_other_names(state.names),
        identifier=state.code,
        identifiers=_identifiers(wikidata=state.wikidata, cow=state.cow_code),
        classification="country",
    )


def _holder(organization: str) -> dict[str, str]:
    """Where an office or relation sits: an organization, or a state's area."""
    if kind_of(organization) == State.KIND:
        return {"area_id": organization}
    return {"organization_id": organization}


def _post(position: Position, links: _Links) -> dict[str, Any]:
    label = position.label
    return _item(
        position,
        links,
        label=label,
        other_label=list(dict.fromkeys(n.text for n in position.names if n.text != label)),
        other_names=_other_names(position.names),
        identifiers=_identifiers(wikidata=position.wikidata),
        role=position.kind.value,
        **_holder(position.organization),
    )


def _relation(
    form: PopoloEdge, record: Any, posts: Mapping[str, Position], links: _Links
) -> list[dict[str, Any]]:
    """A relation as Popolo memberships, by its declaration (``POPOLO_EDGES``).

    A state is exported as an area, so a state's membership has its state as
    ``area_id`` and no member: Popolo's member is a person or an organisation
    (the how-to's table of what Popolo cannot hold says so). A membership
    that holds a post sits where the post does, with the post's title and role.

    A Popolo membership has one role for its whole span, so a record whose
    status changes (``changes``) is one membership for each status: the
    first with the record's id, ending on the day the next status began (at
    that day's precision), each later one ``id#2``, ``id#3``... with the
    status as its role, citing the record's sources and the change's. A
    state that withdrew is not read as a member to this day.
    """
    edge = form.edge
    ends: dict[str, str] = {}
    title, role = "", form.role
    for side in ("source", "target"):
        entity_id = edge.end(record, side)
        cls = next(cls for cls in edge.classes(side) if kind_of(entity_id) == cls.KIND)
        ends[_END_FIELDS[cls]] = entity_id
        if cls is Position:
            post = posts[entity_id]
            title, role = post.label, role or post.kind.value
            ends.update(_holder(post.organization))
    flags = [f"({flag})" if getattr(record, flag) else "" for flag in form.flags]
    placed = {field: ends[field] for field in _END_FIELDS.values() if field in ends}
    items = []
    for number, (role_then, period, change) in enumerate(_standings(record, role), start=1):
        item = _item(
            record,
            links,
            **_label(title, *flags, _unknown(period)),
            role=role_then,
            **placed,
            **_span(period),
        )
        if change is not None:
            item["id"] = f"{record.id}#{number}"
            if cited := links.cited([*change.sources, *record.sources]):
                item["sources"] = cited
        items.append(item)
    return items


def _standings(record: Any, role: str | None) -> list[tuple[str | None, Period, Any]]:
    """Each span of one status: its role, its period, and the change that began it (or None)."""
    changes = getattr(record, "changes", ())
    if not changes:
        return [(role, record.period, None)]
    starts = [record.period.start, *(change.since for change in changes)]
    ends = [*(change.since for change in changes), record.period.end]
    begun_by = [None, *changes]
    roles = [role, *(change.status.value for change in changes)]
    spans = list(zip(roles, starts, ends, begun_by, strict=True))
    if changes[0].since == record.period.start:  # a status from the first day: no span before
        spans = spans[1:]
    return [(role_then, Period(start, end), change) for role_then, start, end, change in spans]


def _event(event: Event, dataset: Dataset, links: _Links) -> dict[str, Any]:
    attendees = [
        {"id": person.id, "name": person.label}
        for participant in event.participants
        if isinstance(person := dataset.get(participant), Person)
    ]
    return _item(
        event,
        links,
        name=event.label,
        other_names=_other_names(event.names),
        classification=event.kind.value,
        status=event.status.value,
        start_date=event.date.reduced_iso(),
        location=event.place,
        attendees=attendees,
    )
