"""Check a Popolo document: the code behind ``popolo.check_popolo``."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final

from kgru_relations.dates import PartialDate, reduced_iso_form
from kgru_relations.errors import Issue, IssueCollector, ValidationError, shown, typed
from kgru_relations.interop import MissingExtra, require

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

__all__ = ["COLLECTIONS", "check_popolo"]

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

_REDUCED: Final = re.compile(reduced_iso_form() + r"\Z", re.ASCII)
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
            "$", f"expected a Popolo document (a JSON object of lists), got {typed(document)}"
        )
    issues = IssueCollector()
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


def _items(
    document: Mapping[str, Any], issues: IssueCollector
) -> list[tuple[str, int, Mapping[str, Any]]]:
    """Every item that is an object, with its list and place; the rest reported."""
    found = []
    for collection in COLLECTIONS:
        items = document.get(collection)
        if items is None:
            continue
        if not isinstance(items, list):
            issues.add(f"$.{collection}", f"expected a list, got {typed(items)}")
            continue
        for index, item in enumerate(items):
            if isinstance(item, Mapping):
                found.append((collection, index, item))
            else:
                issues.add(
                    f"$.{collection}[{index}]",
                    f"expected {_SINGULAR[collection]} (an object), got {typed(item)}",
                )
    return found


def _ids(
    items: list[tuple[str, int, Mapping[str, Any]]], issues: IssueCollector
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
                f"$.{collection}[{index}].id", f"expected an id (text), got {typed(item_id)}"
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
        return f"expected an id (text), got {typed(value)}"
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
                '$.member["@type"]', f"expected 'Person' or 'Organization', got {typed(kind)}"
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
        return f"expected {forms}, got {typed(value)}"
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
