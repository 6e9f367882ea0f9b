"""The JSON Schema (draft 2020-12) of the data file format, generated from the model.

Other tools (editors, validators in other languages, data catalogues) can
check a data file against it without Python:

    >>> from kgru_relations import json_schema
    >>> schema = json_schema()
    >>> schema["$schema"]
    'https://json-schema.org/draft/2020-12/schema'
    >>> sorted(schema["$defs"])[:3]
    ['Agreement', 'Chairmanship', 'Event']

The schema says everything a schema can: field names and types, required
fields, enumerations, code lists, id and date forms, no unknown keys. Rules
that need a calendar or the whole dataset (``2025-02-30``, an end before its
start, a reference to no entity) are checked by [`loads`][kgru_relations.loads].
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any, Final

import attrs

from kgru_relations.codes import currency_code, language_code, script_code
from kgru_relations.dates import DATE_SCHEMA_PATTERN
from kgru_relations.model import ENTITY_CLASSES, Record, StatusChange, _base
from kgru_relations.model._base import _SLUG
from kgru_relations.model.actors import _wikidata
from kgru_relations.model.economy import _UNIT_WORD, unit
from kgru_relations.money import DECIMAL_PATTERN, _to_decimal
from kgru_relations.names import Name, NameKind
from kgru_relations.serialize import SCHEMA_VERSION

__all__ = ["json_schema"]

_DRAFT: Final = "https://json-schema.org/draft/2020-12/schema"
_DATE: Final = DATE_SCHEMA_PATTERN


def _id(kinds: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "string", "pattern": f"^(?:{'|'.join(kinds)}):{_SLUG}$"}


_END: Final = "\\Z"  # Python's "end of text"; a schema pattern ends in "$" instead


def _leaf_schemas() -> dict[Callable[..., Any], dict[str, Any]]:
    """The schema of each check that works on a single JSON value."""
    return {
        _base.check_bool: {"type": "boolean"},
        _base.check_partial_date: {"type": "string", "pattern": f"^{_DATE}$"},
        _base.check_period: {
            "type": "string",
            "pattern": f"^(?:{_DATE}|\\.\\.)/(?:{_DATE}|\\.\\.)$",
        },
        _base.check_names: {
            "type": "array",
            "items": {"$ref": "#/$defs/Name"},
            "minItems": 1,
            "uniqueItems": True,
        },
        _base.valid_id: _id(_base.KINDS),
        _to_decimal: {"type": "string", "pattern": f"^{DECIMAL_PATTERN}$"},
        # A unit is a currency code in any form currency_code reads, or a word.
        unit: {
            "anyOf": [
                currency_code.schema(),  # type: ignore[attr-defined]
                {
                    "type": "string",
                    "pattern": f"^{_UNIT_WORD.pattern.removesuffix(chr(92) + 'Z')}$",
                },
            ]
        },
        _wikidata: {"type": "string", "pattern": "^Q[1-9][0-9]*$"},
    }


def _schema_of(  # noqa: PLR0911 - one case per kind of check
    check: Callable[..., Any], refs: tuple[str, ...] | None, leaves: dict[Any, Any]
) -> dict[str, Any]:
    facts = getattr(check, "__dict__", {})
    if "schema" in facts:  # the check writes its own schema, beside its rule
        return dict(facts["schema"]())
    if "optional" in facts:
        return {"anyOf": [_schema_of(facts["optional"], refs, leaves), {"type": "null"}]}
    if "item" in facts:
        array: dict[str, Any] = {"type": "array", "items": _schema_of(facts["item"], refs, leaves)}
        if facts["min_size"]:
            array["minItems"] = facts["min_size"]
        if facts["unique"]:
            array["uniqueItems"] = True
        return array
    if "choice" in facts:
        return {"enum": [member.value for member in facts["choice"]]}
    if "instance" in facts:
        return {"$ref": f"#/$defs/{facts['instance'].__name__}"}
    if "low" in facts:
        return {"type": "integer", "minimum": facts["low"], "maximum": facts["high"]}
    if check is _base.valid_id and refs:
        return _id(refs)
    return dict(leaves[check])


def _record_schema(cls: type[Record], leaves: dict[Any, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(cls):
        if field.name == "id":
            properties["id"] = _id((cls.KIND,))  # type: ignore[attr-defined]
        else:
            properties[field.name] = _schema_of(
                field.metadata["check"], _base.reference_kinds(cls, field), leaves
            )
        if field.default is attrs.NOTHING:
            required.append(field.name)
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    if cls.__doc__:
        schema["description"] = cls.__doc__.strip().splitlines()[0]
    return schema


def _name_schema(leaves: dict[Any, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "description": (Name.__doc__ or "").strip().splitlines()[0],
        "properties": {
            "text": _base.check_text.schema(),  # type: ignore[attr-defined]
            "language": {"anyOf": [language_code.schema(), {"type": "null"}]},  # type: ignore[attr-defined]
            "script": {"anyOf": [script_code.schema(), {"type": "null"}]},  # type: ignore[attr-defined]
            "kind": {"enum": [kind.value for kind in NameKind]},
        },
        "required": ["text"],
        "additionalProperties": False,
    }


@functools.cache
def _schema() -> dict[str, Any]:
    leaves = _leaf_schemas()
    definitions = {cls.__name__: _record_schema(cls, leaves) for cls in ENTITY_CLASSES}
    definitions["StatusChange"] = _record_schema(StatusChange, leaves)
    definitions["Name"] = _name_schema(leaves)
    return {
        "$schema": _DRAFT,
        "title": "kgru_relations data file",
        "description": (
            "One JSON object: the schema version and one list per kind of entity, "
            "each entity an object with its id."
        ),
        "type": "object",
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            **{
                cls.COLLECTION: {"type": "array", "items": {"$ref": f"#/$defs/{cls.__name__}"}}
                for cls in ENTITY_CLASSES
            },
        },
        "required": ["schema_version"],
        "additionalProperties": False,
        "$defs": dict(sorted(definitions.items())),
    }


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of the data file format.

    Returns:
        A new dict each call, safe to change.
    """
    return copy.deepcopy(_schema())
