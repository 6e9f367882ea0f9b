"""Build model entities from FollowTheMoney entities: the code behind ``ftm.from_ftm``.

What maps to what, and what is left out, is on the docs page "Import from
FollowTheMoney".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any, Final

import attrs

from kgru_relations.codes import country, country_code, language_code
from kgru_relations.dates import PartialDate, Period
from kgru_relations.errors import ValidationError, shown
from kgru_relations.interop.ftm._mapping import (
    FTM_EDGES,
    ORGANIZATION_TOPICS,
    UNREAD,
    FtmEdge,
    Said,
    read_as,
)
from kgru_relations.interop.ftm._reading import (
    FtmImport,
    Raw,
    Run,
    first,
    first_date,
    first_text,
    names_of,
    notes_of,
    period_of,
    retrieved_of,
    wikidata_of,
)
from kgru_relations.interop.importing import url_source
from kgru_relations.model import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Confidence,
    Entity,
    Event,
    EventKind,
    EventStatus,
    Organization,
    OrganizationKind,
    Person,
    Position,
    PositionKind,
    Source,
    State,
)
from kgru_relations.model.sources import check_url
from kgru_relations.names import Name

__all__ = ["ISO_SOURCE_ID", "from_ftm"]

_DATASET: Final = re.compile(r"[a-z0-9]+(?:[_-][a-z0-9]+)*\Z")

ISO_SOURCE_ID: Final = "source:iso-3166-1"
"""The source cited by a state this import creates from a position's country code."""

_ISO_SOURCE: Final = {
    "title": "ISO 3166-1 country codes",
    "publisher": "International Organization for Standardization",
    "url": "https://www.iso.org/iso-3166-country-codes.html",
}


# --- the import ---------------------------------------------------------------------


class _Import:
    def __init__(self, run: Run) -> None:
        self.run = run

    # --- references

    def target(
        self, raw: Raw, name: str, position: int, value: str, kinds: tuple[type[Entity], ...]
    ) -> str | None:
        """Our id of the entity a reference names, if it was imported and is of *kinds*."""
        run = self.run
        where = raw.at(name, position)
        found = run.built.get(value) or run.created_states.get(value)
        if found is None:
            other = run.by_ftm.get(value)
            why = (
                "is no entity of the input"
                if other is None
                else f"is {other.path}, which was not imported"
            )
            run.skip(raw, where, f"{shown(value)} {why}")
            return None
        if not isinstance(found, kinds):
            expected = " or ".join(cls.__name__ for cls in kinds)
            run.skip(
                raw,
                where,
                f"{shown(value)} is imported as a {type(found).__name__}; "
                f"{name} needs a {expected}",
            )
            return None
        return found.id

    def targets(self, raw: Raw, name: str, kinds: tuple[type[Entity], ...]) -> list[str]:
        found = (
            self.target(raw, name, position, value, kinds)
            for position, value in enumerate(raw.values(name))
        )
        return list(dict.fromkeys(entity_id for entity_id in found if entity_id is not None))

    def sources(self, raw: Raw) -> list[str]:
        """The sources of a fact: its proof, its sourceUrl, else its dataset."""
        run = self.run
        found = self.targets(raw, "proof", (Source,))
        publisher = first_text(run, raw, "publisher")
        retrieved = retrieved_of(run, raw)
        for position, url in enumerate(raw.values("sourceUrl")):
            try:
                source = url_source(url, publisher=publisher, retrieved=retrieved)
            except ValidationError as error:
                run.skip(
                    raw,
                    raw.at("sourceUrl", position),
                    f"{shown(url)} left out: {error.issues[0].message}",
                )
                continue
            if run.log.add_source(source):
                run.note(
                    raw,
                    raw.at("sourceUrl", position),
                    f"cited as {source.id!r}, a source built from the address",
                )
            found.append(source.id)
        if not found:
            for dataset in raw.datasets:
                dataset_id = self.dataset_source(raw, dataset)
                if dataset_id is not None:
                    found.append(dataset_id)
        return list(dict.fromkeys(found))

    def dataset_source(self, raw: Raw, dataset: str) -> str | None:
        run = self.run
        if not _DATASET.match(dataset):
            run.skip(raw, f"{raw.path}.datasets", f"{shown(dataset)} is not a dataset name")
            return None
        source_id = f"source:opensanctions-{dataset.replace('_', '-')}"
        source = Source(
            id=source_id,
            title=f"OpenSanctions dataset {dataset}",
            publisher="OpenSanctions",
            url=f"https://www.opensanctions.org/datasets/{dataset}/",
        )
        if run.log.add_source(source):
            run.note(
                raw,
                f"{raw.path}.datasets",
                f"facts with no proof or sourceUrl cite {source_id!r}, the dataset's page",
            )
        return source_id

    def fact(self, raw: Raw) -> dict[str, Any] | None:
        """What every fact has: id, sources, note, confidence; None if it has no source."""
        sources = self.sources(raw)
        if not sources:
            self.run.skip(
                raw,
                raw.path,
                "not imported: it has no proof, sourceUrl or dataset, "
                "and the model keeps only sourced facts",
            )
            return None
        return {
            "id": self.run.ids[raw.id],
            "sources": sources,
            "confidence": self.run.confidence,
            "note": notes_of(raw),
        }

    def keep(self, raw: Raw, build: Callable[[Raw], Entity | None]) -> None:
        run = self.run
        try:
            entity = build(raw)
        except ValidationError as error:
            for issue in error.issues:
                run.skip(raw, raw.path, f"not imported: {issue.path[2:] or 'it'}: {issue.message}")
            return
        if entity is not None:
            run.built[raw.id] = entity
            if isinstance(entity, State):
                run.state_ids.add(entity.id)
            unread = [name for name in raw.properties if name not in raw.read]
            for name in unread:
                run.skip(
                    raw,
                    raw.at(name),
                    f"{raw.schema}'s {name!r} is not imported: the model has no place for it",
                )

    # --- each schema

    def article(self, raw: Raw) -> Source | None:
        run = self.run
        title = first_text(run, raw, "title") or first_text(run, raw, "name")
        url = None
        for position, address in enumerate(raw.values("sourceUrl")):
            if url is None:
                try:
                    url = check_url(address)
                except ValidationError as error:
                    run.skip(raw, raw.at("sourceUrl", position), error.issues[0].message)
            else:
                run.skip(
                    raw,
                    raw.at("sourceUrl", position),
                    f"{shown(address)} left out: a source has one address, the first",
                )
        if title is None:
            title = url
            if title is None:
                run.skip(
                    raw,
                    raw.path,
                    "not imported: an Article with no title, name or "
                    "sourceUrl; a source needs a title",
                )
                return None
            run.note(raw, raw.path, "the Article has no title; its address is its title")
        language = None
        found = first(run, raw, "language")
        if found is not None:
            try:
                language = language_code(found[1])
            except ValidationError as error:
                run.skip(raw, raw.at("language", found[0]), error.issues[0].message)
        return Source(
            id=run.ids[raw.id],
            title=title,
            publisher=first_text(run, raw, "publisher"),
            url=url,
            published=first_date(run, raw, "publishedAt"),
            retrieved=retrieved_of(run, raw),
            language=language,
            note=notes_of(raw),
        )

    def state(self, raw: Raw) -> State | None:
        run = self.run
        code = run.ids[raw.id].partition(":")[2]
        for position, value in enumerate(raw.values("country")):
            if value != code:
                run.skip(
                    raw,
                    raw.at("country", position),
                    f"{shown(value)} left out: the state's code is {code!r}, from its id",
                )
        raw.read.add("topics")
        fact = self.fact(raw)
        if fact is None:
            return None
        return State(code=code, names=names_of(run, raw), wikidata=wikidata_of(run, raw), **fact)

    def organization(self, raw: Raw) -> Organization | None:
        run = self.run
        topics = set(raw.values("topics"))
        raw.read.add("parent")  # set once every organisation is built
        kind = OrganizationKind.OTHER
        if raw.schema == "PublicBody":  # the first kind whose last topic it has
            kind = next(
                (kind for kind, marks in ORGANIZATION_TOPICS.items() if marks[-1] in topics),
                kind,
            )
        state = None
        found = first(run, raw, "country")
        if found is not None:
            state = self.state_of(raw, *found, create=False)
        fact = self.fact(raw)
        if fact is None:
            return None
        return Organization(
            names=names_of(run, raw),
            kind=kind,
            state=state,
            founded=first_date(run, raw, "incorporationDate"),
            dissolved=first_date(run, raw, "dissolutionDate"),
            wikidata=wikidata_of(run, raw),
            **fact,
        )

    def state_of(self, raw: Raw, position: int, value: str, *, create: bool) -> str | None:
        """The id of the state of an FtM country code; made (if *create*) when not in the input."""
        run = self.run
        where = raw.at("country", position)
        try:
            code = country_code(value.upper())
        except ValidationError as error:
            message = error.issues[0].message
            try:
                old = country(value.upper())
            except ValidationError:
                old = None
            if old is not None and old.historic:
                message = (
                    f"{shown(value)} is the withdrawn code of {old.name}; the model's "
                    "states have current codes"
                )
            run.skip(raw, where, f"country left out: {message}")
            return None
        if value != code.lower():
            run.note(raw, where, f"{shown(value)} read as the country {code!r}")
        state_id = State.id_for(code)
        if state_id in run.state_ids:
            return state_id
        if not create:
            run.skip(
                raw,
                where,
                f"country {shown(value)} not linked: no state {state_id!r} in "
                "the input, and this record does not need one",
            )
            return None
        record = country(code)
        run.state_ids.add(state_id)
        run.created_states[state_id] = State(
            id=state_id,
            code=code,
            names=[Name(record.name, language="en")],
            sources=[ISO_SOURCE_ID],
            confidence=run.confidence,
        )
        run.log.add_source(Source(id=ISO_SOURCE_ID, **_ISO_SOURCE))
        run.note(
            raw,
            where,
            f"{state_id!r} ({record.name}) was created for this country, "
            f"named as ISO 3166-1 names it: the input has no such state",
        )
        return state_id

    def person(self, raw: Raw) -> Person | None:
        fact = self.fact(raw)
        if fact is None:
            return None
        return Person(names=names_of(self.run, raw), wikidata=wikidata_of(self.run, raw), **fact)

    def position(self, raw: Raw) -> Position | None:
        run = self.run
        owner = next(iter(self.targets(raw, "organization", (State, Organization))), None)
        countries = raw.values("country")
        if owner is None:
            if len(countries) == 1:
                owner = self.state_of(raw, 0, countries[0], create=True)
            elif countries:
                run.skip(
                    raw,
                    raw.at("country"),
                    f"a position with {len(countries)} countries "
                    "and no organization: whose office it is is not known",
                )
        if owner is None:
            run.skip(
                raw,
                raw.path,
                "not imported: a position belongs to a state or "
                "organisation, and no organization or country of it was imported",
            )
            return None
        fact = self.fact(raw)
        if fact is None:
            return None
        return Position(
            names=names_of(run, raw),
            kind=run.kinds.get(raw.id, PositionKind.OTHER),
            organization=owner,
            single_holder=False,
            wikidata=wikidata_of(run, raw),
            **fact,
        )

    def one_target(self, raw: Raw, name: str, kinds: tuple[type[Entity], ...]) -> str | None:
        found = first(self.run, raw, name)
        if found is None:
            self.run.skip(raw, raw.path, f"not imported: it has no {name}")
            return None
        target = self.target(raw, name, found[0], found[1], kinds)
        if target is None:
            self.run.skip(raw, raw.path, f"not imported: its {name} was not imported")
        return target

    def relation(self, form: FtmEdge, raw: Raw) -> Entity | None:
        """A relation, read by its FtM form's declaration (``_mapping.FTM_EDGES``)."""
        run = self.run
        edge = form.edge
        source = self.one_target(raw, form.source, edge.classes("source"))
        target = self.one_target(raw, form.target, edge.classes("target"))
        start, end = first_date(run, raw, "startDate"), first_date(run, raw, "endDate")
        for position, role in enumerate(raw.values("role") if form.role is not None else ()):
            if role != form.role:
                run.skip(
                    raw,
                    raw.at("role", position),
                    f"role {shown(role)} left out: the model holds "
                    f"{read_as(form.schema)}, nothing between",
                )
        if form.said is Said.TERM:
            period = period_of(run, raw, start, end, first_text(run, raw, "status"))
            ok = period is not None
        else:
            ok, period = self.standing(raw, form, start, end)
        if not ok or source is None or target is None:
            return None
        fact = self.fact(raw)
        if fact is None:
            return None
        # Without an end date or our export's "ended", it is still held: the rule for "current".
        period = period or period_of(run, raw, start, end, "current")
        if period is None:
            return None
        built: Entity = form.kind(
            period=period, **{edge.source: source, edge.target: target}, **fact
        )
        return built

    def standing(
        self, raw: Raw, form: FtmEdge, start: PartialDate | None, end: PartialDate | None
    ) -> tuple[bool, Period | None]:
        """``Said.STANDING``: an end on an unknown day if ``ended``, else None (read later)."""
        run = self.run
        statuses = raw.values("status")
        period: Period | None = None
        if end is None and "ended" in statuses:  # our export's word for an unknown end
            period = period_of(run, raw, start, end, "ended")
            if period is None:
                return False, None
        for position, status in enumerate(statuses):
            if status == "ended" and period is not None:
                continue
            if status != form.standing:
                run.skip(
                    raw,
                    raw.at("status", position),
                    f"status {shown(status)} left out: a change of status needs "
                    "the date it began, which FtM does not give",
                )
        return True, period

    def event(self, raw: Raw) -> Event | Agreement | None:
        run = self.run
        date = first_date(run, raw, "date")
        if date is None:
            run.skip(raw, raw.path, "not imported: an event needs its date")
            return None
        involved = self.targets(raw, "involved", (Person, State, Organization))
        place = first_text(run, raw, "location")
        fact = self.fact(raw)
        if fact is None:
            return None
        names = names_of(run, raw)
        if fact["id"].startswith("agreement:"):
            return Agreement(
                names=names,
                kind=AgreementKind.AGREEMENT,
                status=AgreementStatus.SIGNED,
                parties=[i for i in involved if not i.startswith("person:")],
                signatories=[i for i in involved if i.startswith("person:")],
                signed=date,
                place=place,
                **fact,
            )
        return Event(
            names=names,
            kind=EventKind.OTHER,
            status=EventStatus.HELD,
            date=date,
            place=place,
            participants=involved,
            topics=raw.values("keywords"),
            **fact,
        )

    # --- the whole

    def run_all(self) -> list[Entity]:
        run = self.run
        run.assign_ids()
        for raw in run.raws:
            if raw.id not in run.ids:
                run.skip(
                    raw,
                    f"{raw.path}.schema",
                    f"{raw.schema!r} entities are not imported: the model has no place for them",
                )
        # Organisations link to the states of the input only; positions, built after
        # them, may create a state for a country, which nothing else then needs.
        steps: list[tuple[str, Callable[[Raw], Entity | None]]] = [
            ("source", self.article),
            ("state", self.state),
            ("organization", self.organization),
            ("person", self.person),
            ("position", self.position),
            *((form.kind.KIND, partial(self.relation, form)) for form in FTM_EDGES),
            ("agreement", self.event),
            ("event", self.event),
        ]
        for kind, step in steps:
            for raw in run.raws:
                if run.ids.get(raw.id, "").partition(":")[0] == kind:
                    self.keep(raw, step)
            if kind == "organization":
                self.parents()
        return [*run.built.values(), *run.created_states.values()]

    def parents(self) -> None:
        """Set each organisation's parent, once every organisation is built."""
        run = self.run
        for raw in run.raws:
            organization = run.built.get(raw.id)
            if not isinstance(organization, Organization):
                continue
            found = first(run, raw, "parent")
            if found is None:
                continue
            parent = self.target(raw, "parent", found[0], found[1], (Organization,))
            if parent is not None and parent != organization.id:
                run.built[raw.id] = attrs.evolve(organization, parent=parent)


def from_ftm(
    entities: Iterable[Mapping[str, Any]],
    *,
    confidence: Confidence = Confidence.LIKELY,
    position_kinds: Mapping[str, PositionKind] | None = None,
) -> FtmImport:
    """Import FollowTheMoney entities: the inverse of [`to_ftm`][kgru_relations.interop.ftm.to_ftm].

    Reads ``Article`` (sources), ``PublicBody``, ``Organization``, ``Company``
    and ``LegalEntity`` (organisations; a ``PublicBody`` our export wrote for
    a state is a state), ``Person``, ``Position``, ``Occupancy`` (tenures),
    ``Membership`` (memberships; chairmanships for role ``chair``) and
    ``Event`` (events; an agreement's signing our export wrote is the
    agreement). For what FtM can hold, ``from_ftm(to_ftm(dataset))`` gives
    back the dataset's entities.

    An occupancy's end: its ``endDate``; with none, status ``current`` is an
    open end (still held), and any other status, or none (as in most of
    OpenSanctions' data), an end on an unknown day
    ([`UNKNOWN`][kgru_relations.UNKNOWN]) after its start: never taken as
    current, yet [`possible_holders`][kgru_relations.dataset.Dataset.possible_holders]
    finds it (a note says so when the status is not ``ended``). An occupancy
    with no date, not ``current``, is left out (and said in ``skipped``): the
    model's period cannot say when it was held. A membership with status
    ``ended`` and no ``endDate`` (as our export writes an end on an unknown
    day) is read the same way.

    FtM's values are a set: they are read in text order, so the result never
    depends on the order they come in. The main name is the entity's
    ``caption`` when it is one of its names, else the first in text order.

    Ids: an id our export wrote (``kgru-person-sergey-lavrov``) gives our id
    back; any other FtM id (``Q7747``, ``NK-2Zq...``, a hash) gives the kind,
    a colon and the FtM id in lower case (``person:q7747``), each run of
    ``.``/``-`` one ``-``; two FtM ids that would read alike each get a suffix
    from their own id. Never by name: two FtM entities are never merged.

    Every fact is sourced: by the ``Article``s in its ``proof``, a source
    built from each ``sourceUrl`` (with its ``publisher`` and
    ``retrievedAt``), else the page of its OpenSanctions dataset
    (``datasets``); a fact with none of these is left out.

    Args:
        entities: FtM entities as dicts, as ``to_ftm`` returns them, as
            [`read_ftm_lines`][kgru_relations.interop.ftm.read_ftm_lines]
            reads them, or from any JSON; read once.
        confidence: The confidence of every imported fact (FtM has none).
        position_kinds: The kind of each position, by its FtM id; any other
            is ``other`` (FtM's topics cannot tell a head of state from a
            head of government).

    Returns:
        The entities, what was left out and why, and what was adapted.

    Raises:
        ValidationError: If the input is not FtM entity JSON (not an object,
            no id or schema, a schema FtM does not have, properties that are
            not lists of text, one id twice), with every problem at its path
            (``$[3].properties.startDate[0]``), the first
            [`MAX_ISSUES`][kgru_relations.errors.MAX_ISSUES] of them.
    """
    run = Run(Confidence(confidence), dict(position_kinds or {}))
    for index, value in enumerate(entities):
        run.read(index, value)
    run.bad.raise_if_any()
    return run.log.result(_Import(run).run_all(), UNREAD)
