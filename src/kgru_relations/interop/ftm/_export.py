"""Write a dataset as FollowTheMoney entities: the code behind ``ftm.to_ftm``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import Any, Final

from kgru_relations.dataset import Dataset
from kgru_relations.dates import Period
from kgru_relations.errors import IssueCollector
from kgru_relations.interop import dated_sides
from kgru_relations.interop.ftm._mapping import (
    FTM_EDGES,
    LEVELS,
    ORGANIZATION_TOPICS,
    OTHER_ORGANIZATION,
    POSITION_TOPICS,
    SCHEMA_OF,
    STATE_TOPICS,
    FtmEdge,
    ftm_id,
)
from kgru_relations.interop.ftm._values import (
    IDENTIFIER_LENGTH,
    NAME_LENGTH,
    TEXT_LENGTH,
    URL_LENGTH,
    address_value,
    date_value,
    fixed,
    language_value,
    name_value,
    text_value,
    url_step,
)
from kgru_relations.model import (
    Agreement,
    AgreementStatus,
    Entity,
    Event,
    EventStatus,
    Organization,
    OrganizationKind,
    Person,
    Position,
    Source,
    State,
)
from kgru_relations.names import Name, NameKind

__all__ = ["to_ftm"]


class _Builder:
    """One FtM entity, its values added in order, each once, ``None`` left out."""

    __slots__ = ("_seen", "id", "properties", "schema")

    def __init__(self, entity: Entity, schema: str | None = None) -> None:
        self.id = ftm_id(entity.id)
        self.schema = schema or SCHEMA_OF[type(entity)]
        self.properties: dict[str, list[str]] = {}
        self._seen: dict[str, set[str]] = {}  # each property's values, for a look-up in O(1)

    def add(self, name: str, *values: str | None) -> None:
        for value in values:
            if value is not None:
                seen = self._seen.setdefault(name, set())
                if value not in seen:
                    seen.add(value)
                    self.properties.setdefault(name, []).append(value)

    def has(self, name: str, value: str) -> bool:
        """Whether *value* is already one of property *name*'s values."""
        return value in self._seen.get(name, ())

    def ids(self, name: str, entity_ids: Iterable[str]) -> None:
        self.add(name, *(ftm_id(entity_id) for entity_id in entity_ids))

    def period(self, period: Period) -> None:
        # An open or unknown side has no date: FtM says "ended, date unknown" only
        # by an occupancy's status.
        start, end = dated_sides(period)
        self.add("startDate", date_value(start))
        self.add("endDate", date_value(end))

    def result(self) -> dict[str, Any]:
        return {"id": self.id, "schema": self.schema, "properties": self.properties}


_NAME_PROPERTY: Final = {
    NameKind.OFFICIAL: "name",
    NameKind.COMMON: "name",
    NameKind.TRANSLITERATION: "alias",
    NameKind.ALIAS: "alias",
}


def _names(builder: _Builder, names: Sequence[Name]) -> None:
    """Official and common names as ``name``, the others as ``alias``, each text once.

    FtM requires a ``name``: an entity with no official or common name that FtM
    keeps has its first other name as its ``name``.
    """
    texts = [(_NAME_PROPERTY[name.kind], name_value(name.text)) for name in names]
    builder.add("name", *(text for wanted, text in texts if wanted == "name"))
    aliases = [text for wanted, text in texts if wanted == "alias" and text is not None]
    if "name" not in builder.properties and aliases:
        builder.add("name", aliases.pop(0))
    builder.add("alias", *(text for text in aliases if not builder.has("name", text)))


class _Export:
    """The conversion of one valid dataset, entity by entity."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    def fact(
        self, builder: _Builder, entity: Entity, note: str = "notes", more: Iterable[str] = ()
    ) -> dict[str, Any]:
        """Add what every fact has (its note; its sources, then *more*, as proof); finish."""
        builder.add(note, text_value(getattr(entity, "note", None), TEXT_LENGTH))
        builder.ids("proof", [*getattr(entity, "sources", ()), *more])
        return builder.result()

    def owner(self, entity_id: str | None) -> State | Organization | None:
        return None if entity_id is None else self.dataset.get(entity_id)  # type: ignore[return-value]

    def country(self, entity_id: str | None) -> str | None:
        """The country of a state, or of an organisation that belongs to one."""
        owner = self.owner(entity_id)
        if isinstance(owner, Organization):
            owner = self.owner(owner.state)
        return owner.code.lower() if isinstance(owner, State) else None

    def topics(self, entity_id: str) -> tuple[str, ...]:
        owner = self.owner(entity_id)
        if isinstance(owner, State):
            return STATE_TOPICS
        return ORGANIZATION_TOPICS.get(owner.kind, ()) if owner is not None else ()

    def article(self, source: Source) -> dict[str, Any]:
        builder = _Builder(source)
        builder.add("title", text_value(source.title))
        builder.add("publisher", text_value(source.publisher))
        url = source.url
        builder.add("sourceUrl", None if url is None else fixed(url, url_step, URL_LENGTH))
        builder.add("publishedAt", date_value(source.published))
        builder.add("retrievedAt", date_value(source.retrieved))
        builder.add("language", language_value(source.language))
        return self.fact(builder, source)

    def state(self, state: State) -> dict[str, Any]:
        builder = _Builder(state)
        _names(builder, state.names)
        builder.add("country", state.code.lower())
        builder.add("topics", *STATE_TOPICS)
        builder.add("wikidataId", text_value(state.wikidata, IDENTIFIER_LENGTH))
        return self.fact(builder, state)

    def organization(self, organization: Organization) -> dict[str, Any]:
        other = organization.kind is OrganizationKind.OTHER
        builder = _Builder(organization, OTHER_ORGANIZATION if other else None)
        _names(builder, organization.names)
        builder.add("country", self.country(organization.id))
        builder.add("topics", *self.topics(organization.id))
        builder.ids("parent", [organization.parent] if organization.parent else [])
        builder.add("incorporationDate", date_value(organization.founded))
        builder.add("dissolutionDate", date_value(organization.dissolved))
        builder.add("wikidataId", text_value(organization.wikidata, IDENTIFIER_LENGTH))
        return self.fact(builder, organization)

    def person(self, person: Person) -> dict[str, Any]:
        builder = _Builder(person)
        _names(builder, person.names)
        builder.add("wikidataId", text_value(person.wikidata, IDENTIFIER_LENGTH))
        return self.fact(builder, person)

    def position(self, position: Position) -> dict[str, Any]:
        builder = _Builder(position)
        _names(builder, position.names)
        builder.add("country", self.country(position.organization))
        builder.add("topics", *POSITION_TOPICS.get(position.kind, ()))
        builder.add("topics", *sorted(LEVELS.intersection(self.topics(position.organization))))
        builder.ids("organization", [position.organization])
        builder.add("wikidataId", text_value(position.wikidata, IDENTIFIER_LENGTH))
        return self.fact(builder, position)

    def relation(self, form: FtmEdge, record: Any) -> dict[str, Any]:
        """A relation, in the FtM form its declaration gives (``_mapping.FTM_EDGES``)."""
        builder = _Builder(record)
        builder.ids(form.source, [form.edge.end(record, "source")])
        builder.ids(form.target, [form.edge.end(record, "target")])
        builder.add("role", form.role)
        builder.period(record.period)
        builder.add("status", form.status(record))
        return self.fact(builder, record, note="description", more=form.proof(record))

    def signing(self, agreement: Agreement) -> dict[str, Any]:
        builder = _Builder(agreement)
        _names(builder, agreement.names)
        builder.add("date", date_value(agreement.signed))
        builder.add("location", address_value(agreement.place))
        builder.ids("involved", [*agreement.parties, *agreement.signatories])
        return self.fact(builder, agreement)

    def event(self, event: Event) -> dict[str, Any]:
        builder = _Builder(event)
        _names(builder, event.names)
        builder.add("date", date_value(event.date))
        builder.add("location", address_value(event.place))
        builder.ids("involved", event.participants)
        builder.add("keywords", *(text_value(topic) for topic in event.topics))
        return self.fact(builder, event)


def _exported(dataset: Dataset, export: _Export) -> Iterator[tuple[str, int, Entity, _Convert]]:
    """Each entity exported, with its collection, its index there, and how it is converted.

    Kind by kind, sources first, each kind sorted by id.
    """
    conversions: tuple[tuple[type[Entity], _Convert, Callable[[Any], bool]], ...] = (
        (Source, export.article, _always),
        (State, export.state, _always),
        (Organization, export.organization, _always),
        (Person, export.person, _always),
        (Position, export.position, _always),
        *((form.kind, partial(export.relation, form), _always) for form in FTM_EDGES),
        (Agreement, export.signing, _signed),
        (Event, export.event, _held),
    )
    for cls, convert, wanted in conversions:
        chosen = [(index, item) for index, item in enumerate(dataset.all(cls)) if wanted(item)]
        for index, item in sorted(chosen, key=lambda pair: pair[1].id):
            yield cls.COLLECTION, index, item, convert


_Convert = Callable[[Any], dict[str, Any]]


def _always(entity: Entity) -> bool:
    return True


def _signed(agreement: Agreement) -> bool:
    return agreement.status is not AgreementStatus.PLANNED


def _held(event: Event) -> bool:
    return event.status is EventStatus.HELD


def to_ftm(dataset: Dataset) -> Iterator[dict[str, Any]]:
    """Return the dataset as FollowTheMoney entities, in their JSON form.

    The dataset is checked, and every entity converted, before the first is
    returned, so a problem is raised by this call, every problem at once.

    Args:
        dataset: A dataset that [`validate`][kgru_relations.dataset.Dataset.validate]
            finds no problem with.

    Returns:
        An iterator of dicts ``{"id": ..., "schema": ..., "properties": {name: [str, ...]}}``,
        the form ``followthemoney`` reads (``model.get_proxy(entity)``) and
        writes one a line as JSON Lines. The order is stable: the sources
        (``Article``) first, then states, organisations, persons, positions,
        tenures, memberships, chairmanships, signed agreements and held
        events, each kind sorted by id; equal datasets give equal output.

    Raises:
        ValidationError: With every integrity problem of the dataset; else at
            each entity whose id is too long for FtM (``$.persons[2].id``), or
            of whose names FtM keeps none (``$.persons[2].names``: each is
            longer than 384 characters, or only quotes), indexes in the
            dataset's order.

    Examples:
        >>> from kgru_relations import load_default
        >>> entity = next(to_ftm(load_default()))
        >>> entity["schema"], entity["id"]
        ('Article', 'kgru-source-1news-az-2024-12-18')
    """
    dataset.ensure_valid()
    chosen = list(_exported(dataset, _Export(dataset)))
    issues = IssueCollector()
    for collection, index, entity, _ in chosen:
        with issues.catch(collection, index, "id"):
            ftm_id(entity.id)
    issues.raise_if_any()
    entities = []
    for collection, index, entity, convert in chosen:
        converted = convert(entity)
        if hasattr(entity, "names") and "name" not in converted["properties"]:
            issues.add(
                f"$.{collection}[{index}].names",
                "FollowTheMoney keeps none of these names: each is longer than "
                f"{NAME_LENGTH} characters, or only quotes",
            )
        entities.append(converted)
    issues.raise_if_any()
    return iter(entities)
