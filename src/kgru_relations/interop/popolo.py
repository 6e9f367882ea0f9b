"""Popolo: persons, organizations, areas, posts, memberships and events.

[Popolo](https://www.popoloproject.com/) is the open-government data model
that parliamentary monitoring sites and EveryPolitician use. One
[`to_popolo`][kgru_relations.interop.popolo.to_popolo] call turns a dataset into
one Popolo JSON document:

- each [`Person`][kgru_relations.Person] a Popolo person, every name kept in
  ``other_names`` with its language and script (``lang``, a BCP 47 tag such as
  ``ky-Cyrl``) and its kind (``note``);
- each [`State`][kgru_relations.State] an area (``classification`` ``country``);
- each [`Organization`][kgru_relations.Organization] an organization;
- each [`Position`][kgru_relations.Position] a post;
- each [`Tenure`][kgru_relations.Tenure] a membership that holds the post,
  each [`Membership`][kgru_relations.Membership] a membership with the state
  as its area and the role ``member``, each
  [`Chairmanship`][kgru_relations.Chairmanship] one with the role ``chair``;
- each [`Event`][kgru_relations.Event] an event, its people as attendees.

Popolo dates are ISO 8601 reduced dates (``2024``, ``2024-11``,
``2024-11-28``): a date known to the quarter is written as its year, the part
of it that is exact. A Popolo speech's ``date`` must be a full date and time
(RFC 3339), and a [`Statement`][kgru_relations.Statement] is dated at most to
the day, so no statement is exported; ``speeches`` is always empty. What else
Popolo cannot hold (confidence, status history, agreements, figures...) is
listed in the how-to page's loss table.

[`check_popolo`][kgru_relations.interop.popolo.check_popolo] checks a Popolo
document for what its JSON Schemas cannot say (every id it refers to names an
item of the right kind; dates are real) and, given the Popolo schemas, for
everything they say too, with their formats checked.

Examples:
    >>> from kgru_relations import load_default
    >>> document = to_popolo(load_default())
    >>> sorted(document)
    ['areas', 'events', 'memberships', 'organizations', 'persons', 'posts', 'speeches']
    >>> check_popolo(document)
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final

from kgru_relations.dataset import Dataset
from kgru_relations.dates import UNKNOWN, PartialDate, Period
from kgru_relations.errors import Issue, ValidationError, _IssueCollector, shown
from kgru_relations.interop import MissingExtra, dated_sides, require
from kgru_relations.model import (
    Chairmanship,
    Event,
    Membership,
    Organization,
    Person,
    Position,
    Source,
    State,
    Tenure,
)
from kgru_relations.model._base import Fact, kind_of
from kgru_relations.names import Name

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

__all__ = ["COLLECTIONS", "check_popolo", "to_popolo"]

COLLECTIONS: Final = (
    "persons",
    "organizations",
    "areas",
    "posts",
    "memberships",
    "events",
    "speeches",
)
"""The lists of a Popolo document that this module writes and checks, in order."""

# The Popolo schema of each collection's items: ``{name}.json`` in popolo-spec's schemas/.
_SCHEMA_NAMES: Final = {
    "persons": "person",
    "organizations": "organization",
    "areas": "area",
    "posts": "post",
    "memberships": "membership",
    "events": "event",
    "speeches": "speech",
}
_SINGULAR: Final = {
    "persons": "a person",
    "organizations": "an organization",
    "areas": "an area",
    "posts": "a post",
    "memberships": "a membership",
    "events": "an event",
    "speeches": "a speech",
}

# Every field holding the id of another item, and the collection it must be in
# (from the spec's schemas: each `x_id` beside its `x` object's `$ref`).
_REFERENCES: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "persons": (),
    "organizations": (("parent_id", "organizations"), ("area_id", "areas")),
    "areas": (("parent_id", "areas"),),
    "posts": (("organization_id", "organizations"), ("area_id", "areas")),
    "memberships": (
        ("person_id", "persons"),
        ("organization_id", "organizations"),
        ("post_id", "posts"),
        ("on_behalf_of_id", "organizations"),
        ("area_id", "areas"),
    ),
    "events": (("organization_id", "organizations"), ("parent_id", "events")),
    "speeches": (("creator_id", "persons"), ("audience_id", "persons"), ("event_id", "events")),
}
# A membership's `member` names its type: https://www.popoloproject.com/specs/membership.html
_MEMBER_TYPES: Final = {"Person": "persons", "Organization": "organizations"}

# Dates by the form the spec's schemas give them: reduced ISO 8601 dates; reduced
# dates or a date and time (events); a date and time (RFC 3339).
_DAY_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "persons": ("birth_date", "death_date"),
    "organizations": ("founding_date", "dissolution_date"),
    "posts": ("start_date", "end_date"),
    "memberships": ("start_date", "end_date"),
}
_EVENT_FIELDS: Final = ("start_date", "end_date")
_TIME_FIELDS: Final = ("created_at", "updated_at")
# Pairs of dates whose second may not be before the first.
_ORDERED: Final = (
    ("start_date", "end_date"),
    ("birth_date", "death_date"),
    ("founding_date", "dissolution_date"),
)

_REDUCED: Final = re.compile(r"[0-9]{4}(?:-[0-9]{2}){0,2}\Z", re.ASCII)
_EVENT_TIME: Final = re.compile(
    r"(?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2})T(?P<time>[0-9]{2}(?::[0-9]{2}){0,2})"
    r"(?P<zone>Z|[+-][0-9]{2}(?::[0-9]{2})?)\Z",
    re.ASCII,
)
_RFC3339: Final = re.compile(
    r"(?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2})[Tt](?P<time>[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?)"
    r"(?P<zone>[Zz]|[+-][0-9]{2}:[0-9]{2})\Z",
    re.ASCII,
)
_DAY: Final = "a reduced ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)"
# What each form of date field may hold, in words, and the pattern of its date and time.
_FORMS: Final[dict[str, tuple[str, re.Pattern[str] | None]]] = {
    "day": (_DAY, None),
    "event": (f"{_DAY} or a date and time (YYYY-MM-DDTHH:MM:SSZ)", _EVENT_TIME),
    "time": ("a date and time with its offset, as in RFC 3339 (2024-11-28T10:00:00Z)", _RFC3339),
}
_EXTRA: Final = "pip install 'kgru-relations[popolo]'"

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


# --- export --------------------------------------------------------------------------------------


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
        *(
            _tenure(tenure, holders[tenure.position], links)
            for tenure in dataset.all(Tenure)
            if not _ended(tenure)
        ),
        *(_membership(item, links) for item in dataset.all(Membership) if not _ended(item)),
        *(_chairmanship(chair, links) for chair in dataset.all(Chairmanship) if not _ended(chair)),
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
        return [dict(link) for source in fact.sources if (link := self._links.get(source))]


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


def _ended(relation: Tenure | Membership | Chairmanship) -> bool:
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


def _tenure(tenure: Tenure, position: Position, links: _Links) -> dict[str, Any]:
    return _item(
        tenure,
        links,
        **_label(position.label, "(acting)" if tenure.acting else "", _unknown(tenure.period)),
        role=position.kind.value,
        person_id=tenure.person,
        post_id=tenure.position,
        **_holder(position.organization),
        **_span(tenure.period),
    )


def _membership(membership: Membership, links: _Links) -> dict[str, Any]:
    # Popolo's member is a person or an organisation; a state is exported as an
    # area, so the state goes in area_id and the membership has no member (the
    # how-to's table of what Popolo cannot hold says so).
    return _item(
        membership,
        links,
        role="member",
        organization_id=membership.organization,
        area_id=membership.state,
        **_span(membership.period),
        **_label(_unknown(membership.period)),
    )


def _chairmanship(chair: Chairmanship, links: _Links) -> dict[str, Any]:
    return _item(
        chair,
        links,
        role="chair",
        organization_id=chair.organization,
        area_id=chair.state,
        **_span(chair.period),
        **_label(_unknown(chair.period)),
    )


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


# --- check ---------------------------------------------------------------------------------------


def check_popolo(document: object, *, schemas: Iterable[Mapping[str, Any]] | None = None) -> None:
    """Check a Popolo document, and raise one error listing every problem found.

    Always checked, the rules Popolo's JSON Schemas cannot say:

    - the document is an object, each of its lists in
      [`COLLECTIONS`][kgru_relations.interop.popolo.COLLECTIONS] a list of
      objects (other keys, such as ``motions``, are left alone);
    - no two items of one list share an ``id``;
    - every id an item refers to (``person_id``, ``organization_id``,
      ``post_id``, ``on_behalf_of_id``, ``area_id``, ``parent_id``,
      ``creator_id``, ``audience_id``, ``event_id``, an event's
      ``attendees``, a membership's ``member``) names an item of the right
      list, and a membership's organization is its post's;
    - every date is a real one in the form its field takes (``2024-02-30``
      and ``2024-Q1`` are not), and no end comes before its start.

    Given the Popolo JSON Schemas (popolo-spec's ``schemas/`` files, read as
    JSON), each item is also checked against its own (``person.json`` for
    ``persons``...) with ``jsonschema``'s draft 3 validator, with the ``uri``
    and ``date-time`` formats checked, which need the ``popolo`` extra.

    Args:
        document: The document, as `json.load` returns it.
        schemas: The Popolo schemas, each with its ``id``
            (``http://www.popoloproject.com/schemas/person.json#``); every
            ``$ref`` among them must name one of them.

    Raises:
        ValidationError: With one issue per problem (at most
            [`MAX_ISSUES`][kgru_relations.errors.MAX_ISSUES]), each at its
            path: ``$.memberships[3].person_id``.
        MissingExtra: If *schemas* are given and ``jsonschema`` or its format
            checkers are not installed (a `ModuleNotFoundError` whose message
            says ``pip install 'kgru-relations[popolo]'``).
        ValueError: If *schemas* lack the schema of a list to check.

    Examples:
        >>> check_popolo({"memberships": [{"id": "m", "person_id": "person:nobody"}]})
        Traceback (most recent call last):
        ...
        kgru_relations.errors.ValidationError: $.memberships[0].person_id: 'person:nobody' is not the id of a person in the document
    """  # noqa: E501 - a doctest's output is one line
    validators = None if schemas is None else _validators(schemas)
    if not isinstance(document, Mapping):
        raise ValidationError.at(
            "$", f"expected a Popolo document (a JSON object of lists), got {_describe(document)}"
        )
    issues = _IssueCollector()
    items = _items(document, issues)
    ids = _ids(items, issues)
    for collection, index, item in items:
        for issue in _item_issues(collection, item, ids):
            issues.append(issue.under(collection, index))
    if validators is not None:
        found = {issue.path for issue in issues.issues}
        for collection, index, item in items:
            for problem in _schema_issues(validators[collection], item):
                issue = problem.under(collection, index)
                if issue.path not in found:  # reported already, in the words above
                    issues.append(issue)
    issues.raise_if_any()


def _describe(value: object) -> str:
    return f"{shown(value)} ({type(value).__name__})"


def _items(
    document: Mapping[str, Any], issues: _IssueCollector
) -> list[tuple[str, int, Mapping[str, Any]]]:
    """Every item that is an object, with its list and place; the rest reported."""
    found = []
    for collection in COLLECTIONS:
        items = document.get(collection)
        if items is None:
            continue
        if not isinstance(items, list):
            issues.add(f"$.{collection}", f"expected a list, got {_describe(items)}")
            continue
        for index, item in enumerate(items):
            if isinstance(item, Mapping):
                found.append((collection, index, item))
            else:
                issues.add(
                    f"$.{collection}[{index}]",
                    f"expected {_SINGULAR[collection]} (an object), got {_describe(item)}",
                )
    return found


def _ids(
    items: list[tuple[str, int, Mapping[str, Any]]], issues: _IssueCollector
) -> dict[str, dict[str, Mapping[str, Any]]]:
    """Each list's items by id; an id used twice in one list is reported."""
    ids: dict[str, dict[str, Mapping[str, Any]]] = {collection: {} for collection in COLLECTIONS}
    first: dict[tuple[str, str], int] = {}
    for collection, index, item in items:
        item_id = item.get("id")
        if item_id is None:
            continue
        if not isinstance(item_id, str):
            issues.add(
                f"$.{collection}[{index}].id", f"expected an id (text), got {_describe(item_id)}"
            )
            continue
        if (collection, item_id) in first:
            issues.add(
                f"$.{collection}[{index}].id",
                f"{shown(item_id)} is the id of $.{collection}[{first[collection, item_id]}] too",
            )
            continue
        first[collection, item_id] = index
        ids[collection][item_id] = item
    return ids


def _item_issues(
    collection: str,
    item: Mapping[str, Any],
    ids: dict[str, dict[str, Mapping[str, Any]]],
) -> Iterator[Issue]:
    for field, target in _REFERENCES[collection]:
        problem = _reference_problem(item.get(field), target, ids)
        if problem is not None:
            yield Issue(f"$.{field}", problem)
    if collection == "memberships":
        yield from _membership_issues(item, ids)
    if collection == "events":
        attendees = item.get("attendees")
        for index, attendee in enumerate(attendees if isinstance(attendees, list) else ()):
            if isinstance(attendee, Mapping):
                problem = _reference_problem(attendee.get("id"), "persons", ids)
                if problem is not None:
                    yield Issue(f"$.attendees[{index}].id", problem)
    yield from _date_issues(collection, item)


def _reference_problem(
    value: object, target: str, ids: dict[str, dict[str, Mapping[str, Any]]]
) -> str | None:
    """What is wrong with *value* as the id of an item of *target*, or ``None``."""
    if value is None or (isinstance(value, str) and value in ids[target]):
        return None
    if not isinstance(value, str):
        return f"expected an id (text), got {_describe(value)}"
    elsewhere = [collection for collection in COLLECTIONS if value in ids[collection]]
    found = f"; it is {_SINGULAR[elsewhere[0]]}'s" if elsewhere else ""
    return f"{shown(value)} is not the id of {_SINGULAR[target]} in the document{found}"


def _membership_issues(
    item: Mapping[str, Any], ids: dict[str, dict[str, Mapping[str, Any]]]
) -> Iterator[Issue]:
    member = item.get("member")
    if isinstance(member, Mapping):
        kind = member.get("@type")
        target = _MEMBER_TYPES.get(kind) if isinstance(kind, str) else None
        if target is None:
            yield Issue(
                '$.member["@type"]', f"expected 'Person' or 'Organization', got {_describe(kind)}"
            )
        else:
            problem = _reference_problem(member.get("id"), target, ids)
            if problem is not None:
                yield Issue("$.member.id", problem)
    post_id, ours = item.get("post_id"), item.get("organization_id")
    post = ids["posts"].get(post_id) if isinstance(post_id, str) else None
    theirs = None if post is None else post.get("organization_id")
    if theirs is not None and ours is not None and theirs != ours:
        yield Issue(
            "$.organization_id",
            f"{shown(ours)} is not the organization of the post {shown(post_id)},"
            f" which is {shown(theirs)}",
        )


def _date_issues(collection: str, item: Mapping[str, Any]) -> Iterator[Issue]:
    fields = [(field, "day") for field in _DAY_FIELDS.get(collection, ())]
    if collection == "events":
        fields += [(field, "event") for field in _EVENT_FIELDS]
    if collection == "speeches":
        fields.append(("date", "time"))
    fields += [(field, "time") for field in _TIME_FIELDS]
    spans: dict[str, tuple[_dt.date, _dt.date]] = {}
    for field, form in fields:
        if item.get(field) is None:
            continue
        span = _when(item[field], form)
        if isinstance(span, str):
            yield Issue(f"$.{field}", span)
        else:
            spans[field] = span
    for first, last in _ORDERED:
        if first in spans and last in spans and spans[last][1] < spans[first][0]:
            yield Issue(
                f"$.{last}", f"{shown(item[last])} is before the {first} {shown(item[first])}"
            )
    names = item.get("other_names")
    for index, name in enumerate(names if isinstance(names, list) else ()):
        for field in ("start_date", "end_date"):
            value = name.get(field) if isinstance(name, Mapping) else None
            problem = None if value is None else _when(value, "day")
            if isinstance(problem, str):
                yield Issue(f"$.other_names[{index}].{field}", problem)


def _when(value: object, form: str) -> tuple[_dt.date, _dt.date] | str:
    """The first and last day *value* could be, or what is wrong with it."""
    forms, times = _FORMS[form]
    if not isinstance(value, str):
        return f"expected {forms}, got {_describe(value)}"
    moment = None if times is None else times.match(value)
    if moment is not None:
        zone = moment["zone"].upper().replace("Z", "+00:00")
        try:
            day = _dt.datetime.fromisoformat(f"{moment['day']}T{moment['time']}{zone}").date()
        except ValueError as error:
            return f"{shown(value)} is not a real date and time: {error}"
        return day, day
    if form != "time" and _REDUCED.match(value):
        try:
            date = PartialDate.parse(value)
        except ValidationError as error:
            return error.issues[0].message
        return date.earliest, date.latest
    return f"{shown(value)} is not {forms}"


def _validators(schemas: Iterable[Mapping[str, Any]]) -> dict[str, Validator]:
    """One draft 3 validator per list, formats checked, ``$ref`` resolved among *schemas*."""
    doing = "checking against the Popolo schemas"
    jsonschema = require("jsonschema", extra="popolo", doing=doing)
    referencing = require("referencing", extra="popolo", doing=doing)
    draft3 = require("referencing.jsonschema", extra="popolo", doing=doing).DRAFT3
    checker = jsonschema.Draft3Validator.FORMAT_CHECKER
    unchecked = {"uri", "date-time"} - set(checker.checkers)
    if unchecked:  # jsonschema without its format extra skips these silently
        formats = " and ".join(sorted(unchecked))
        msg = f"{doing} needs jsonschema's {formats} format checks: {_EXTRA}"
        raise MissingExtra(msg, name="jsonschema")
    given = [dict(schema) for schema in schemas]
    registry = referencing.Registry().with_resources(
        (str(schema.get("id")), draft3.create_resource(schema)) for schema in given
    )
    by_name = {
        str(schema.get("id")).rstrip("#").rpartition("/")[2].removesuffix(".json"): schema
        for schema in given
    }
    missing = [f"{_SCHEMA_NAMES[c]}.json" for c in COLLECTIONS if _SCHEMA_NAMES[c] not in by_name]
    if missing:
        msg = f"no Popolo schema among those given for {', '.join(missing)}"
        raise ValueError(msg)
    return {
        collection: jsonschema.Draft3Validator(
            by_name[_SCHEMA_NAMES[collection]], registry=registry, format_checker=checker
        )
        for collection in COLLECTIONS
    }


def _schema_issues(validator: Validator, item: Mapping[str, Any]) -> Iterator[Issue]:
    schema: Mapping[str, Any] = validator.schema  # type: ignore[assignment]  # an object here
    name = str(schema.get("id", "")).rstrip("#").rpartition("/")[2]
    for error in validator.iter_errors(item):
        yield Issue("$", f"{error.message} (Popolo's {name})").under(*error.absolute_path)
