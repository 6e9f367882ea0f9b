"""Migrations: a data file of an older ``schema_version``, brought up to the one written now."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from kgru_relations.errors import ValidationError, described
from kgru_relations.io._json import object_pairs

__all__ = ["SCHEMA_VERSION", "migrate", "register_migration"]

SCHEMA_VERSION: Final = 1
"""The version of the data file format this library writes."""

_MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def register_migration(
    from_version: int,
) -> Callable[
    [Callable[[dict[str, Any]], dict[str, Any]]], Callable[[dict[str, Any]], dict[str, Any]]
]:
    """Register a function that turns a version-*from_version* file into the next version.

    Loading a file with an older ``schema_version`` applies each registered
    migration in turn, from its version up to
    [`SCHEMA_VERSION`][kgru_relations.serialize.SCHEMA_VERSION].

    Examples:
        >>> @register_migration(0)
        ... def rename_people(data):
        ...     data["persons"] = data.pop("people", [])
        ...     return data
        >>> _ = _MIGRATIONS.pop(0)  # (keep this example from changing the library)
    """

    def register(
        migrate: Callable[[dict[str, Any]], dict[str, Any]],
    ) -> Callable[[dict[str, Any]], dict[str, Any]]:
        _MIGRATIONS[from_version] = migrate
        return migrate

    return register


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """*data*, a data file's object, brought up to ``SCHEMA_VERSION`` by the migrations."""
    version = data.get("schema_version")
    if "schema_version" not in data:
        raise ValidationError.at(
            "$.schema_version", f"required field is missing; this library writes {SCHEMA_VERSION}"
        )
    if not isinstance(version, int) or isinstance(version, bool):
        raise ValidationError.at(
            "$.schema_version", f"expected an integer version, got {described(version)}"
        )
    if version > SCHEMA_VERSION:
        raise ValidationError.at(
            "$.schema_version",
            f"the file has schema_version {version}, but this version of kgru_relations "
            f"reads up to {SCHEMA_VERSION}; upgrade kgru-relations to read it",
        )
    while version < SCHEMA_VERSION:
        migrate = _MIGRATIONS.get(version)
        if migrate is None:
            raise ValidationError.at(
                "$.schema_version",
                f"the file has schema_version {version}, and no migration from it to "
                f"{SCHEMA_VERSION} is known",
            )
        data = object_pairs(list(migrate(dict(data)).items()))
        version += 1
        data["schema_version"] = version
    return data
