"""The careful path: every problem in a record, each with its path, read from the fields' checks.

Each field is read by its check's reader
([`Check.reader`][kgru_relations._checks.Check.reader]): the JSON type first,
described in JSON's terms, then the rule itself; a record's keys are checked
here (duplicate, unknown, missing). Nothing about a value is written here: a
value type's reading is its check's.
"""

from __future__ import annotations

import datetime as _dt
import enum
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final, TypeVar

import attrs
import cattrs

from kgru_relations._checks import Check, Choice, Instance, Many, Wire
from kgru_relations.dates import PartialDate, Period, parse_day
from kgru_relations.errors import Issue, PlacedIssues, ValidationError
from kgru_relations.io._json import json_object
from kgru_relations.model._base import check_partial_date, check_period, field_check
from kgru_relations.money import decimal_rule

__all__ = ["check_of_type", "is_record", "key_issues", "keyed_issues", "register_readers"]

T = TypeVar("T")

#: The check that reads a value of each type that is not a record, a choice or a list,
#: when a caller asks for a type rather than a field (``from_dict(PartialDate, "2025")``).
_TYPE_CHECKS: Final[dict[Any, Check]] = {
    str: Wire(str),
    bool: Wire(bool),
    int: Wire(int),
    Decimal: decimal_rule,
    PartialDate: check_partial_date,
    Period: check_period,
    _dt.date: parse_day,
}


def is_record(cls: object) -> bool:
    """Whether *cls* is a record whose fields name their checks (an entity, a name, money)."""
    return (
        isinstance(cls, type)
        and attrs.has(cls)
        and any("check" in field.metadata for field in attrs.fields(cls))
    )


def check_of_type(annotation: Any) -> Check | None:
    """The check that reads a value of type *annotation*; ``None`` for a type it does not know."""
    if annotation in _TYPE_CHECKS:
        return _TYPE_CHECKS[annotation]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return Choice(annotation)
    if is_record(annotation):
        return Instance(annotation)
    if typing.get_origin(annotation) is tuple:
        item = check_of_type(typing.get_args(annotation)[0])
        return None if item is None else Many(item, unique=False)
    return None


def key_issues(data: dict[str, Any], fields: dict[str, bool]) -> list[Issue]:
    """Issues for duplicate, unknown and missing keys; *fields* maps name -> required."""
    return [issue for _, issue in keyed_issues(data, fields)]


def keyed_issues(data: dict[str, Any], fields: dict[str, bool]) -> list[tuple[str, Issue]]:
    """Each issue of duplicate, unknown and missing keys, with the key it is about."""
    issues = [
        (key, Issue(f"$.{key}", "this key appears more than once"))
        for key in getattr(data, "duplicates", ())
    ]
    unknown = [key for key in data if key not in fields]
    if unknown:
        message = f"unknown key; expected one of {', '.join(sorted(fields))}"
        issues += [(key, Issue(Issue("$", "").under(key).path, message)) for key in unknown]
    issues += [
        (name, Issue(f"$.{name}", "required field is missing"))
        for name, required in fields.items()
        if required and name not in data
    ]
    return issues


def _field_table(cls: type) -> dict[str, bool]:
    """Field name -> required, for the fields a file may hold."""
    return {field.name: field.default is attrs.NOTHING for field in attrs.fields(cls) if field.init}


def _structure_record(converter: cattrs.Converter, cls: type[T]) -> Callable[[object, object], T]:
    """The careful reader of a *cls* record: each field read by its check, every problem kept."""
    table = _field_table(cls)
    checks = {field.name: field_check(field) for field in attrs.fields(cls) if field.init}  # type: ignore[arg-type]
    readers: dict[str, Callable[[Any], Any]] = {}  # made when first needed (a record's own)
    places = {name: index for index, name in enumerate(table)}  # issues listed by field
    records = _records(converter)
    what = getattr(cls, "WHAT", f"a {cls.__name__}")  # "a Source", "a name", "money"

    def structure(value: object, _: object = None) -> T:
        data = json_object(value, what)
        issues = PlacedIssues()
        for key, issue in keyed_issues(data, table):
            issues.at(places.get(key, -1), issue)
        arguments: dict[str, Any] = {}
        for name in table:
            if name not in data:
                continue
            read = readers.get(name)
            if read is None:
                read = readers[name] = checks[name].reader(records)
            try:
                arguments[name] = read(data[name])
            except ValidationError as error:
                issues.extend_at(places[name], error.under(name))
        if issues.issues:  # every field was read by its whole check: all its problems are here
            issues.raise_in_order(first=-1)
        return cls(**arguments)

    return structure


def _records(converter: cattrs.Converter) -> Callable[[type], Callable[[Any], Any]]:
    def records(cls: type) -> Callable[[Any], Any]:
        hook = converter.get_structure_hook(cls)
        return lambda value: hook(value, cls)

    return records


def register_readers(converter: cattrs.Converter) -> None:
    """Register on *converter* the careful readers of every model type, from their checks."""
    records = _records(converter)
    converter.register_structure_hook_factory(is_record, lambda t: _structure_record(converter, t))

    def known(annotation: Any) -> bool:
        return not is_record(annotation) and check_of_type(annotation) is not None

    def hook(annotation: Any) -> Callable[[object, object], Any]:
        check = check_of_type(annotation)
        assert check is not None  # known() said so
        read = check.reader(records)

        def structure(value: object, _: object = None) -> Any:
            return read(value)

        return structure

    converter.register_structure_hook_factory(known, hook)
