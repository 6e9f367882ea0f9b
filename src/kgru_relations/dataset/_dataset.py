"""The Dataset: the container, with the checks and the queries on top.

Each method reads the core and its indexes through the topic module that
answers it (``_offices``, ``_memberships``, ``_agreements``, ``_economy``,
``_timeline``, ``_integrity``, ``_findings``, ``_merge``), which documents
the rule and takes the core as an argument.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping

import kgru_relations.dataset._agreements as agreement_queries
import kgru_relations.dataset._economy as economy
import kgru_relations.dataset._memberships as memberships
import kgru_relations.dataset._offices as offices
import kgru_relations.dataset._search as search
import kgru_relations.dataset._timeline as timelines
from kgru_relations._gc import paused
from kgru_relations.dataset._agreements import Anniversary
from kgru_relations.dataset._core import Core
from kgru_relations.dataset._economy import Progress
from kgru_relations.dataset._findings import Finding, findings
from kgru_relations.dataset._indexes import Indexes
from kgru_relations.dataset._integrity import IssueList, validate
from kgru_relations.dataset._merge import MergeReport, merge
from kgru_relations.dataset._timeline import Timeline, TimelineEntry
from kgru_relations.dates import as_day
from kgru_relations.errors import ValidationError
from kgru_relations.model import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Entity,
    MembershipStatus,
    Observation,
    ObservationKind,
    Person,
    Position,
    PositionKind,
    State,
    Tenure,
)

__all__ = ["Dataset", "DatasetBuilder"]


class Dataset(Core):
    """Every entity of a body of data, checked together and queried.

    Build one from any iterable of entities (in any order) or with
    [`Dataset.builder`][kgru_relations.dataset.Dataset.builder]. A dataset is
    immutable; it keeps each kind of entity in the order given, which is the
    order that paths in [`validate`][kgru_relations.dataset.Dataset.validate] refer to
    (``$.tenures[3]``). Two datasets are equal when they hold the same
    entities, whatever their order.

    Building never fails on how entities fit together: call
    [`validate`][kgru_relations.dataset.Dataset.validate] (or
    [`ensure_valid`][kgru_relations.dataset.Dataset.ensure_valid]) for the integrity
    errors, and [`check`][kgru_relations.dataset.Dataset.check] for the findings.

    Args:
        entities: The entities; each an instance of one of the model classes.

    Raises:
        TypeError: If an item is not a model entity.
    """

    __slots__ = ("_anniversaries", "_indexes", "_timeline_cache")

    def __init__(self, entities: Iterable[Entity] = ()) -> None:
        super().__init__(entities)
        self._indexes: Indexes | None = None
        self._timeline_cache: Timeline | None = None
        self._anniversaries: dict[int, tuple[Anniversary, ...]] = {}

    def merge(
        self, other: Iterable[Entity], *, unread: Mapping[type[Entity], Iterable[str]] | None = None
    ) -> Dataset:
        """Join *other* (a dataset or its entities, such as an import) with this one.

        Nothing of this dataset is replaced and nothing of *other* is lost:

        * a state, organisation, person or position with the same Wikidata id
          as one of ours (a state: or the same country code) is that one; its
          names and sources are added to ours. Never by name.
        * a record with our id that says no more than ours is dropped; one
          that adds sources, names, or a field ours leaves empty adds them to
          ours. Missing is not different: a field either side leaves empty is
          no disagreement.
        * anything that contradicts ours (and a tenure of the same person in
          the same position, or a membership or chairmanship of the same
          state in the same organisation, whose period may meet ours) is kept
          beside ours as a second account (``variant_of``), under its own id
          or, if that is taken, the id with ``-2`` added;
          [`check`][kgru_relations.dataset.Dataset.check] reports each such
          disagreement (``sources-disagree``) with both sources.
        * a source or indicator with one of our ids but other content is kept
          under a new id, or cites one of ours that says all it says.
        * the records of *other* follow the record they name: where it joined
          ours, they name ours; where it was kept apart, they name it there.
        * two valid datasets merge into a valid one: an office, organisation
          or indicator that could not be joined with ours without breaking
          an integrity rule is kept apart.

        Merging the same again adds nothing (``a.merge(b).merge(b) ==
        a.merge(b)``), and a merge takes n·log n time in the number of
        records. [`merged`][kgru_relations.dataset.Dataset.merged] also says
        what was kept apart, and why.

        Pass an import's [`unread`][kgru_relations.interop.importing.ImportResult]
        (the fields its format cannot give, filled with defaults): they are
        gaps, never a disagreement nor ours. Export, import, merge back: nothing added.

        Args:
            other: The entities to join, such as a [`Dataset`][kgru_relations.Dataset]
                or an import's ``entities``.
            unread: For each model class, the fields of *other*'s records
                that say nothing (an import's ``result.unread``); by default,
                none.

        Returns:
            A new dataset; this one is unchanged.

        Raises:
            ValidationError: If a state of *other* disagrees with ours (a state
                has one record, by its country code, so both cannot be kept);
                one issue per such state, at its place in *other* (``$[3]``).
            TypeError: If an item of *other* is not a model entity.

        Examples:
            >>> from kgru_relations import Dataset, Name, Person, Source
            >>> ours = Dataset([Source(id="source:a", title="A"),
            ...     Person(id="person:vladimir-putin", names=[Name("Vladimir Putin")],
            ...            wikidata="Q7747", sources=["source:a"])])
            >>> imported = Dataset([Source(id="source:wd", title="Wikidata"),
            ...     Person(id="person:q7747", names=[Name("Владимир Путин", language="ru")],
            ...            wikidata="Q7747", sources=["source:wd"])])
            >>> merged = ours.merge(imported)
            >>> [name.text for name in merged.get("person:vladimir-putin", Person).names]
            ['Vladimir Putin', 'Владимир Путин']
            >>> "person:q7747" in merged
            False
        """
        return self.merged(other, unread=unread)[0]

    def merged(
        self, other: Iterable[Entity], *, unread: Mapping[type[Entity], Iterable[str]] | None = None
    ) -> tuple[Dataset, MergeReport]:
        """Join *other* with this one, as ``merge`` does, and say what was done.

        Args:
            other: The entities to join, as for ``merge``.
            unread: For each model class, the fields of *other*'s records
                that say nothing, as for ``merge``.

        Returns:
            The merged dataset, and a [`MergeReport`][kgru_relations.dataset.MergeReport]:
            the records added, those of ours that gained something, and each
            record of *other* kept apart from ours, with why.

        Raises:
            ValidationError: As [`merge`][kgru_relations.dataset.Dataset.merge] does.

        Examples:
            >>> from kgru_relations import Dataset, Name, Person, Source
            >>> ours = Dataset([Source(id="source:a", title="A"),
            ...     Person(id="person:p", names=[Name("Roza Otunbayeva")], sources=["source:a"])])
            >>> theirs = [Source(id="source:b", title="B"),
            ...     Person(id="person:p", names=[Name("Almazbek Atambayev")], sources=["source:b"])]
            >>> merged, report = ours.merged(theirs)
            >>> print(report)
            2 added, 0 joined with ours, 1 kept apart
              'person:p' kept as 'person:p-2' beside 'person:p': they disagree on names
            >>> merged.get("person:p-2", Person).variant_of
            'person:p'
            >>> ours.merged(theirs)[0].merged(theirs)[1].added
            ()

            An import's defaults are no disagreement when it says so:

            >>> from kgru_relations import Position, State
            >>> ours = Dataset([Source(id="source:a", title="A"), State(id="state:kg",
            ...     code="KG", names=[Name("Kyrgyzstan")], sources=["source:a"]),
            ...     Position(id="position:p", kind="head_of_state", organization="state:kg",
            ...              names=[Name("President")], sources=["source:a"])])
            >>> imported = [Position(id="position:p", kind="other", organization="state:kg",
            ...     names=[Name("President")], single_holder=False, sources=["source:a"])]
            >>> [kept.reason for kept in ours.merged(imported)[1].kept_apart]
            ['they disagree on kind, single_holder']
            >>> gaps = {Position: {"kind", "single_holder"}}
            >>> ours.merged(imported, unread=gaps) == (ours, MergeReport())
            True
        """
        entities, report = merge(self, other, unread=unread)
        return Dataset(entities), report

    @staticmethod
    def builder() -> DatasetBuilder:
        """Return a builder to add entities to one at a time, then build the dataset."""
        return DatasetBuilder()

    @property
    def _index(self) -> Indexes:
        if self._indexes is None:
            self._indexes = Indexes(self)
        return self._indexes

    # --- integrity ------------------------------------------------------------

    def validate(self) -> IssueList:
        """Return every integrity problem, each with its path (an empty list when valid).

        Reported: duplicate ids; references to no entity, or to an entity of
        the wrong kind; negative values of indicators that do not allow a
        balance; observations whose unit does not fit what their indicator
        measures; tenures of a single-holder position that overlap by more
        than the day one hands over to the next; chairmanships of one
        organisation that overlap likewise. A record that overlaps records
        before it (in order of start) is reported once, naming the one of
        them that ends last.

        Dates known only roughly overlap only if they must: a tenure ending in
        "2022-04" and the next starting on 2022-04-22 do not conflict.

        Every check takes time in proportion to the number of records (an
        overlap check, to n·log n), and past
        [`MAX_ISSUES`][kgru_relations.errors.MAX_ISSUES] problems the rest are
        only counted, in the list's ``more``.

        Returns:
            The first ``MAX_ISSUES`` problems, as a list that also says how
            many more were found.
        """
        return validate(self)

    def ensure_valid(self) -> Dataset:
        """Return this dataset if it is valid.

        Raises:
            ValidationError: With every problem
                [`validate`][kgru_relations.dataset.Dataset.validate] finds (the
                first ``MAX_ISSUES``, and how many more in its ``more``).
        """
        issues = self.validate()
        if issues:
            raise ValidationError(issues, more=issues.more)
        return self

    # --- findings -------------------------------------------------------------

    @property
    def latest_date(self) -> _dt.date | None:
        """The last day any dated fact in the dataset could fall on (the end of its latest date)."""
        return max(self._timeline().latest, default=None)

    def check(self, as_of: _dt.date | None = None) -> list[Finding]:
        """Return the findings a user must see, though they are not errors.

        * ``statement-outside-tenure``: a statement made "as" a position on a
          date when its speaker did not hold it (the date cannot fall in any
          of the speaker's tenures of that position);
        * ``outdated-title``: a source published after the speaker left a
          position reports a statement made "as" that position, and the
          statement is undated (a warning: nothing shows it was made in
          office) or dated before the speaker left (for information: the
          source may be telling the past correctly);
        * ``sources-disagree``: a record that is a second account
          (``variant_of``) of another differs from it; the finding names
          each field they disagree on, with each side's sources;
        * ``observation-discrepancy``: two actual figures of one indicator,
          pair of countries, period and unit, from different sources, that
          cannot both be right given their qualifiers; both are kept, and the
          finding gives the ratio of the larger to the smaller;
        * ``agreement-expired-in-force``: an agreement whose validity ended
          before *as_of* but whose status still says in force.

        Args:
            as_of: The day to judge "ended" against; default: the latest date
                in the dataset, so the answer does not change with the calendar.
        """
        day = as_day(as_of, "as_of") if as_of is not None else self.latest_date
        return findings(self, self._index, day)

    # --- queries --------------------------------------------------------------

    def find(self, name: str) -> list[Entity]:
        """Find entities by any of their names, or a state by its capital or code.

        Matching ignores case, accents and script, and the usual variants of
        transliteration: "Zhaparov", "Japarov" and "Жапаров" all find both
        Sadyr and Akylbek Japarov, who stay two people. Every word of *name*
        must be a word of one of the entity's names. Entities with a name
        equal to *name* come first, then the rest by id.

        Examples:
            >>> from kgru_relations import Dataset, Name, Person, Source
            >>> people = Dataset([
            ...     Source(id="source:s", title="t"),
            ...     Person(id="person:sadyr-japarov", sources=["source:s"],
            ...            names=[Name("Sadyr Japarov"), Name("Садыр Жапаров")]),
            ...     Person(id="person:akylbek-japarov", sources=["source:s"],
            ...            names=[Name("Akylbek Japarov")]),
            ... ])
            >>> [person.id for person in people.find("Zhaparov")]
            ['person:akylbek-japarov', 'person:sadyr-japarov']
        """
        return search.find(self, self._index.names, name)

    def holders(self, position_id: str, *, on: _dt.date) -> list[Tenure]:
        """Every tenure of the position that includes *on*, earliest start first.

        A tenure includes the days of its period as dated
        ([`Period.contains`][kgru_relations.dates.Period.contains]): one that ended
        on an unknown day (``2019-01-01/``) is not taken past its start;
        [`possible_holders`][kgru_relations.dataset.Dataset.possible_holders]
        says who may have held it.

        Raises:
            KeyError: If no position has this id (with a did-you-mean).
        """
        return offices.holders(self, self._index, position_id, on)

    def possible_holders(self, position_id: str, *, on: _dt.date) -> list[Tenure]:
        """Every tenure of the position that may include *on*, earliest start first.

        Each of [`holders`][kgru_relations.dataset.Dataset.holders] is one of
        these. A tenure that ended on an unknown day may include every day from
        its start until the next holder's start (the latest day that start
        could be), or every later day if no one came next; one that began on
        an unknown day, every day back to the previous holder's end.
        [`possible_days`][kgru_relations.dataset.Dataset.possible_days] gives
        each tenure's days.

        Raises:
            KeyError: If no position has this id (with a did-you-mean).

        Examples:
            >>> import datetime
            >>> from kgru_relations import Dataset, Name, Person, Position, Source, Tenure, State
            >>> data = Dataset([
            ...     Source(id="source:s", title="t"),
            ...     State(id="state:kg", code="KG", names=[Name("Kyrgyzstan")],
            ...           sources=["source:s"]),
            ...     Position(id="position:p", names=[Name("Minister")], kind="minister",
            ...              organization="state:kg", sources=["source:s"]),
            ...     Person(id="person:a", names=[Name("A")], sources=["source:s"]),
            ...     Person(id="person:b", names=[Name("B")], sources=["source:s"]),
            ...     Tenure(id="tenure:a", person="person:a", position="position:p",
            ...            period="2019-01-01/", sources=["source:s"]),
            ...     Tenure(id="tenure:b", person="person:b", position="position:p",
            ...            period="2021-05-01/..", sources=["source:s"]),
            ... ])
            >>> day = datetime.date(2020, 6, 1)
            >>> data.holders("position:p", on=day)
            []
            >>> [t.id for t in data.possible_holders("position:p", on=day)]
            ['tenure:a']
            >>> [t.id for t in data.possible_holders("position:p", on=datetime.date(2022, 1, 1))]
            ['tenure:b']
        """
        return offices.possible_holders(self, self._index, position_id, on)

    def possible_days(self, tenure: Tenure) -> tuple[_dt.date | None, _dt.date | None]:
        """The first and last day *tenure* may cover (``None`` where unbounded).

        A dated side gives the widest day it could be (``2019`` starts on
        1 January 2019 at the earliest); an open side is ``None``; an unknown
        end reaches the next holder's start, as for
        [`possible_holders`][kgru_relations.dataset.Dataset.possible_holders],
        or is ``None`` if no one came next.

        Raises:
            KeyError: If *tenure* is not in this dataset.
        """
        return offices.possible_days(self, self._index, tenure)

    def holder(self, position_id: str, *, on: _dt.date) -> Person | None:
        """The person holding the position on *on*, or ``None``.

        On a handover day, when one tenure ends and the next begins, the
        incoming holder is returned; [`holders`][kgru_relations.dataset.Dataset.holders]
        gives both.

        Raises:
            KeyError: If no position has this id (with a did-you-mean).
        """
        return offices.holder(self, self._index, position_id, on)

    def positions_of(self, person_id: str, *, on: _dt.date) -> list[Position]:
        """The positions the person held on *on*.

        Raises:
            KeyError: If no person has this id (with a did-you-mean).
        """
        return offices.positions_of(self, self._index, person_id, on)

    def tenures_of(self, person_id: str) -> list[Tenure]:
        """Every tenure of the person, earliest start first.

        Raises:
            KeyError: If no person has this id (with a did-you-mean).
        """
        return offices.tenures_of(self, self._index, person_id)

    def office_holders(
        self, owner_id: str, kind: PositionKind | str, *, on: _dt.date
    ) -> list[Tenure]:
        """Who held the offices of one kind that a state or organisation has, on *on*.

        A state's offices are its own positions and those of its national
        bodies: the foreign ministry's minister is the state's foreign
        minister. The tenures come earliest start first, so the last is the
        incoming holder on a handover day.

        Args:
            owner_id: A state or organisation.
            kind: The kind of office (``head_of_state``), as the member or its value.
            on: The day.

        Raises:
            KeyError: If no state or organisation has this id (with a did-you-mean).
            ValidationError: If *kind* is not a kind of position.

        Examples:
            >>> import datetime
            >>> from kgru_relations import load_default
            >>> kg = load_default()
            >>> [t.person for t in kg.office_holders("state:kg", "head_of_state",
            ...                                      on=datetime.date(2025, 1, 22))]
            ['person:sadyr-japarov']
        """
        return offices.office_holders(self, self._index, owner_id, kind, on)

    def membership_statuses(
        self, organization_id: str, *, on: _dt.date
    ) -> dict[str, MembershipStatus]:
        """Each member state of the organisation on *on*, by id, with its status that day.

        Raises:
            KeyError: If no organisation has this id (with a did-you-mean).
        """
        return memberships.membership_statuses(self, self._index, organization_id, on)

    def members(
        self,
        organization_id: str,
        *,
        on: _dt.date,
        status: MembershipStatus | str | None = None,
    ) -> list[State]:
        """The states that belonged to the organisation on *on*, by id.

        Args:
            organization_id: The organisation.
            on: The day.
            status: Only members with this status that day (``suspended``, as
                the member or its value); default: every member, whatever its
                status.

        Raises:
            KeyError: If no organisation has this id (with a did-you-mean).
            ValidationError: If *status* is not a membership status.
        """
        return memberships.members(self, self._index, organization_id, on, status)

    def chair(self, organization_id: str, *, on: _dt.date) -> State | None:
        """The state chairing the organisation on *on*, or ``None``.

        Raises:
            KeyError: If no organisation has this id (with a did-you-mean).
        """
        return memberships.chair(self, self._index, organization_id, on)

    def agreements(
        self,
        *,
        party: str | None = None,
        kind: AgreementKind | str | None = None,
        status: AgreementStatus | str | None = None,
        in_force_on: _dt.date | None = None,
    ) -> list[Agreement]:
        """The agreements that match every filter given, by signing date then id.

        Args:
            party: Only those this state or organisation is a party to.
            kind: Only this kind (the member or its value, ``"treaty"``).
            status: Only this status (the member or its value, ``"in_force"``).
            in_force_on: Only those in force on this day (see
                [`Agreement.in_force_on`][kgru_relations.model.agreements.Agreement.in_force_on]).

        Raises:
            KeyError: If no state or organisation has the id *party* (with a
                did-you-mean).
            ValidationError: If *kind* or *status* is not one of its values.
        """
        return agreement_queries.agreements(
            self, self._index, party=party, kind=kind, status=status, in_force_on=in_force_on
        )

    def series(
        self,
        indicator: str,
        reporter: str,
        partner: str | None = None,
        *,
        kind: ObservationKind | str = ObservationKind.ACTUAL,
    ) -> list[Observation]:
        """The observations of one indicator for one reporter (and partner), ordered by period.

        Args:
            indicator: The indicator's id.
            reporter: The reporting country's code (alpha-2, alpha-3 or numeric).
            partner: The partner's code; ``None`` for figures with no partner.
            kind: Actual figures by default; or targets, estimates, forecasts,
                planned figures (the member or its value, ``"target"``).

        Raises:
            KeyError: If no indicator has this id (with a did-you-mean).
            ValidationError: If a code is not an ISO 3166-1 country code, or
                *kind* is not a kind of observation.
        """
        return economy.series(self, self._index, indicator, reporter, partner, kind=kind)

    def progress(self, target: Observation) -> Progress:
        """How far the latest actual figure has come towards *target*.

        The latest actual figure is the one with the latest period among
        actual observations of the same indicator, reporter, partner and unit.

        Raises:
            ValueError: If *target* is not a target.
        """
        return economy.progress(self._index, target)

    def anniversaries(self, year: int) -> list[Anniversary]:
        """Round anniversaries (every fifth year) of signings and foundings in *year*, by date."""
        if isinstance(year, bool) or not isinstance(year, int):
            msg = f"year must be an int, got {year!r}"
            raise TypeError(msg)
        if not _dt.MINYEAR <= year <= _dt.MAXYEAR:  # the years a date may have
            return []
        found = self._anniversaries.get(year)
        if found is None:  # kept once asked: the dataset cannot change
            found = self._anniversaries[year] = agreement_queries.anniversaries(self._index, year)
        return list(found)

    def timeline(
        self, start: _dt.date | None = None, end: _dt.date | None = None
    ) -> list[TimelineEntry]:
        """Every dated fact in date order; with *start* or *end*, those that may fall between.

        Entries are ordered by their date (the first day it could be, then
        the last), then by entity id; one entity's facts on one date come in
        the order they happen (an agreement is signed, then enters into
        force). The first call builds the timeline; later calls cost a few
        bisections and list slices, and each entry's text is written when it
        is first read.

        Raises:
            ValueError: If *end* is before *start*.
        """
        return timelines.window(self._timeline, start, end)

    def _timeline(self) -> Timeline:
        if self._timeline_cache is None:
            with paused():
                self._timeline_cache = timelines.build(self)
        return self._timeline_cache


class DatasetBuilder:
    """Collects entities, then builds an immutable [`Dataset`][kgru_relations.Dataset].

    Examples:
        >>> from kgru_relations import Dataset, Source
        >>> builder = Dataset.builder()
        >>> builder.add(Source(id="source:a", title="A"), Source(id="source:b", title="B"))
        >>> len(builder.build())
        2
    """

    __slots__ = ("_entities",)

    def __init__(self) -> None:
        self._entities: list[Entity] = []

    def add(self, *entities: Entity) -> None:
        """Add entities."""
        self._entities.extend(entities)

    def extend(self, entities: Iterable[Entity]) -> None:
        """Add every entity from an iterable."""
        self._entities.extend(entities)

    def build(self) -> Dataset:
        """Return a Dataset of everything added so far (the builder can go on)."""
        return Dataset(self._entities)
