"""Check FollowTheMoney entities strictly: the code behind ``ftm.check_ftm``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kgru_relations.errors import IssueCollector, path_segment, shown
from kgru_relations.interop import require
from kgru_relations.interop.ftm._mapping import ftm_id_problem
from kgru_relations.interop.ftm._values import FTM_YEARS
from kgru_relations.interop.importing import described

__all__ = ["check_ftm"]


def _hint(type_name: str) -> str:
    return {
        "date": (
            "; FtM dates are YYYY, YYYY-MM or YYYY-MM-DD, "
            f"years {FTM_YEARS[0]} to {FTM_YEARS[-1]} (no quarters)"
        ),
        "country": "; FtM countries are lowercase ISO 3166-1 alpha-2 codes, such as 'kg'",
        "language": "; FtM languages are ISO 639-3 codes it lists, such as 'kir'",
    }.get(type_name, "")


class _Checker:
    """The state of one run of ``check_ftm``: what was seen, what is still to resolve."""

    def __init__(self, model: Any, invalid_data: type[Exception]) -> None:
        self.model = model
        self.invalid_data = invalid_data
        self.issues = IssueCollector()
        self.schemata: dict[str, tuple[Any, int]] = {}
        self.references: list[tuple[str, str, Any]] = []

    def entity(self, index: int, entity: object) -> None:
        where = f"$[{index}]"
        if not isinstance(entity, Mapping):
            self.issues.add(
                where,
                "expected an entity, an object with 'id', 'schema' and 'properties', "
                f"got {described(entity)}",
            )
            return
        entity_id = self.entity_id(where, entity.get("id"))
        schema = self.schema(where, entity.get("schema"))
        if entity_id is not None:
            if entity_id in self.schemata:
                other = self.schemata[entity_id][1]
                self.issues.add(f"{where}.id", f"{shown(entity_id)} is also the id of $[{other}]")
            else:
                self.schemata[entity_id] = (schema, index)
        properties = entity.get("properties")
        if not isinstance(properties, Mapping):
            self.issues.add(
                f"{where}.properties",
                "expected an object of property names and lists of values, "
                f"got {described(properties)}",
            )
        elif schema is not None:
            self.properties(where, entity_id, schema, properties)

    def entity_id(self, where: str, entity_id: object) -> str | None:
        problem = ftm_id_problem(entity_id)
        if problem is not None:
            self.issues.add(f"{where}.id", problem)
        return entity_id if isinstance(entity_id, str) else None

    def schema(self, where: str, name: object) -> Any:
        schema = self.model.get(name) if isinstance(name, str) else None
        if schema is None:
            self.issues.add(f"{where}.schema", f"{described(name)} is not a FollowTheMoney schema")
            return None
        if schema.abstract:
            self.issues.add(
                f"{where}.schema", f"{name!r} is an abstract schema; no entity can have it"
            )
        return schema

    def properties(
        self, where: str, entity_id: str | None, schema: Any, properties: Mapping[Any, Any]
    ) -> None:
        before = len(self.issues.issues) + self.issues.more
        for name, values in properties.items():
            path = f"{where}.properties{path_segment(str(name))}"
            prop = schema.properties.get(name)
            if prop is None:
                self.issues.add(path, f"{described(name)} is not a property of {schema.name}")
            elif prop.stub:
                self.issues.add(
                    path, f"{name!r} is a reverse property FtM derives; it cannot be written"
                )
            elif not isinstance(values, list | tuple):
                self.issues.add(path, f"expected a list of text values, got {described(values)}")
            else:
                earlier: set[str] = set()
                for position, value in enumerate(values):
                    self.value(f"{path}[{position}]", entity_id, prop, value, earlier)
        for name in schema.required:
            if not properties.get(name):
                self.issues.add(
                    f"{where}.properties.{name}", f"{schema.name} requires {name!r}; it is missing"
                )
        if len(self.issues.issues) + self.issues.more == before:
            self.validate(where, schema, properties)

    def value(
        self, path: str, entity_id: str | None, prop: Any, value: object, earlier: set[str]
    ) -> None:
        """Check one of a property's values; *earlier* holds the values before it, and gains it."""
        kind = prop.type.name
        if not isinstance(value, str):
            self.issues.add(path, f"expected text, got {described(value)}")
            return
        if value in earlier:
            self.issues.add(path, f"{shown(value)} is listed twice; FtM keeps one")
            return
        earlier.add(value)
        try:
            cleaned = prop.type.clean(value, format=prop.format)
        except self.invalid_data as error:  # pragma: no cover - FtM raises only with a proxy
            self.issues.add(path, f"FtM refuses {shown(value)}: {error}")
            return
        if cleaned is None:
            self.issues.add(path, f"FtM's {kind} type refuses {shown(value)}{_hint(kind)}")
        elif cleaned != value:
            self.issues.add(
                path,
                f"FtM's {kind} type would store {shown(value)} as {shown(cleaned)}{_hint(kind)}",
            )
        elif len(value) > prop.type.max_length:
            self.issues.add(
                path,
                f"has {len(value)} characters; FtM's {kind} values have at most "
                f"{prop.type.max_length}",
            )
        elif kind == "entity":
            if value == entity_id:
                self.issues.add(path, f"{shown(value)} is the entity itself")
            else:
                self.references.append((path, value, prop.range))

    def validate(self, where: str, schema: Any, properties: Mapping[Any, Any]) -> None:
        """What FtM's own ``Schema.validate`` finds that the checks above did not."""
        try:
            schema.validate({"properties": properties})
        except self.invalid_data as error:  # pragma: no cover - the checks above are stricter
            found = getattr(error, "errors", {}).get("properties", {}) or {"": str(error)}
            for name, message in found.items():
                self.issues.add(f"{where}.properties.{name}", f"FtM's Schema.validate: {message}")

    def resolve(self) -> None:
        for path, target, expected in self.references:
            seen = self.schemata.get(target)
            if seen is None:
                self.issues.add(path, f"{shown(target)} is no entity of this export")
            elif seen[0] is not None and not seen[0].is_a(expected):
                self.issues.add(
                    path,
                    f"{shown(target)} is a {seen[0].name}; expected a {expected.name} "
                    "(or a schema that extends it)",
                )


def check_ftm(entities: Iterable[Mapping[str, Any]]) -> None:
    """Check FollowTheMoney entities strictly, with the ``followthemoney`` package.

    Stricter than FtM: each entity's schema exists and is not abstract; each
    id is an FtM id, and no two are the same; each property belongs to the
    schema and may be written; each required property is present; each value
    is text that FtM's cleaning for its type leaves unchanged (so no value is
    dropped or rewritten when FtM reads it: a quarter ``2025-Q3``, an alpha-3
    country ``kgz``), and no longer than FtM allows; FtM's ``Schema.validate``
    passes; and every reference names an entity of the stream whose schema is
    (or extends) the property's range: an ``Occupancy``'s holder is a
    ``Person``, not a ``Position``.

    Args:
        entities: Entity dicts as [`to_ftm`][kgru_relations.interop.ftm.to_ftm]
            returns them, or as read from FtM JSON Lines; read once.

    Raises:
        ValidationError: With one issue per problem, all at once (the first
            [`MAX_ISSUES`][kgru_relations.errors.MAX_ISSUES]), each at its path
            in the stream: ``$[12].properties.country[0]``.
        MissingExtra: If ``followthemoney`` is not installed (the ``ftm``
            extra installs it); a `ModuleNotFoundError`.
    """
    doing = "checking FollowTheMoney output"
    model = require("followthemoney", extra="ftm", doing=doing).model
    InvalidData = require("followthemoney.exc", extra="ftm", doing=doing).InvalidData
    checker = _Checker(model, InvalidData)
    for index, entity in enumerate(entities):
        checker.entity(index, entity)
    checker.resolve()
    checker.issues.raise_if_any()
