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
from typing import Any, Final

import attrs

from kgru_relations._checks import Check
from kgru_relations._codegen import compiled
from kgru_relations.io._migrations import SCHEMA_VERSION
from kgru_relations.model import ENTITY_CLASSES, StatusChange, _base
from kgru_relations.model._base import check_id
from kgru_relations.names import Name

__all__ = ["json_schema"]

_DRAFT: Final = "https://json-schema.org/draft/2020-12/schema"


def _record_schema(cls: type) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(cls):
        if field.name == "id":
            properties["id"] = check_id.schema((cls.KIND,))  # type: ignore[attr-defined]
        else:
            check: Check = field.metadata["check"]
            properties[field.name] = check.schema(_base.reference_kinds(cls, field))
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


@compiled
def _schema() -> dict[str, Any]:
    definitions = {cls.__name__: _record_schema(cls) for cls in ENTITY_CLASSES}
    definitions["StatusChange"] = _record_schema(StatusChange)
    definitions["Name"] = _record_schema(Name)
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
