"""Dataset.merge: one thing once, by identifier only; two accounts side by side; nothing lost."""

import datetime as dt
import re
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgru_relations import (
    Dataset,
    Indicator,
    Name,
    NameKind,
    Organization,
    OrganizationKind,
    Person,
    Position,
    PositionKind,
    Source,
    State,
    Statement,
    Tenure,
    ValidationError,
    load_default,
)
from kgru_relations.dataset import KeptApart, MergeReport
from kgru_relations.dataset._compare import fold, required, says_less
from kgru_relations.errors import Issue
from kgru_relations.model._base import Entity, Fact, iter_references
from kgru_relations.strategies import datasets

OURS = Source(id="source:ours", title="Our source")
WIKIDATA = Source(id="source:wikidata", title="Wikidata")
KG = State(id="state:kg", code="KG", names=[Name("Kyrgyzstan")], sources=["source:ours"])


def putin(person_id: str, source: str, *names: Name, wikidata: str | None = "Q7747") -> Person:
    return Person(
        id=person_id,
        names=names or [Name("Vladimir Putin")],
        wikidata=wikidata,
        sources=[source],
    )


def president(
    position_id: str,
    source: str,
    *,
    kind: PositionKind = PositionKind.HEAD_OF_STATE,
    single_holder: bool = True,
) -> Position:
    return Position(
        id=position_id,
        names=[Name("President of the Russian Federation")],
        kind=kind,
        organization="state:ru",
        single_holder=single_holder,
        wikidata="Q218295",
        sources=[source],
    )


RU = State(id="state:ru", code="RU", names=[Name("Russia")], sources=["source:ours"])
RU_THEIRS = State(
    id="state:ru", code="RU", names=[Name("Россия", language="ru")], sources=["source:wikidata"]
)


def ours() -> Dataset:
    return Dataset(
        [
            OURS,
            KG,
            RU,
            putin("person:putin", "source:ours"),
            president("position:ru-president", "source:ours"),
            Tenure(
                id="tenure:putin",
                person="person:putin",
                position="position:ru-president",
                period="2012-05-07/..",
                sources=["source:ours"],
            ),
        ]
    )


def imported(period: str = "2012-05-07/..") -> Dataset:
    return Dataset(
        [
            WIKIDATA,
            RU_THEIRS,
            putin("person:q7747", "source:wikidata", Name("Владимир Путин", language="ru")),
            president("position:q218295", "source:wikidata"),
            Tenure(
                id="tenure:q7747-1",
                person="person:q7747",
                position="position:q218295",
                period=period,
                sources=["source:wikidata"],
            ),
        ]
    )


def test_the_same_wikidata_id_is_the_same_thing_and_its_records_follow() -> None:
    merged = ours().merge(imported())
    person = merged.get("person:putin", Person)
    assert [name.text for name in person.names] == ["Vladimir Putin", "Владимир Путин"]
    assert person.sources == ("source:ours", "source:wikidata")
    assert "person:q7747" not in merged
    # A state is the same by its country code (its id says it, too): names join.
    russia = merged.get("state:ru", State)
    assert russia.sources == ("source:ours", "source:wikidata")
    assert [name.text for name in russia.names] == ["Russia", "Россия"]
    # The same tenure, told by both: one record with both sources.
    assert [t.id for t in merged.all(Tenure)] == ["tenure:putin"]
    assert merged.get("tenure:putin", Tenure).sources == ("source:ours", "source:wikidata")
    assert merged.validate() == []
    assert merged.holder("position:ru-president", on=dt.date(2025, 1, 1)) == person


def test_a_disagreement_is_kept_beside_ours_and_reported_by_check() -> None:
    merged = ours().merge(imported("2012-05-07/"))  # they say he left, on a day not given
    tenures = {t.id: t for t in merged.all(Tenure)}
    assert str(tenures["tenure:putin"].period) == "2012-05-07/.."  # ours, untouched
    theirs = tenures["tenure:q7747-1"]
    assert (theirs.variant_of, theirs.person, str(theirs.period)) == (
        "tenure:putin",
        "person:putin",
        "2012-05-07/",
    )
    assert merged.validate() == []  # two accounts of one fact do not overlap each other
    [finding] = [f for f in merged.check() if f.code == "sources-disagree"]
    assert set(finding.ids) == {"tenure:putin", "tenure:q7747-1"}
    assert "source:ours" in finding.message
    assert "source:wikidata" in finding.message


def test_an_actor_that_disagrees_is_a_second_account_not_a_replacement() -> None:
    theirs = Dataset(
        [WIKIDATA, president("position:q218295", "source:wikidata", kind=PositionKind.MINISTER)]
    )
    merged = ours().merge(theirs)
    assert merged.get("position:ru-president", Position).kind is (PositionKind.HEAD_OF_STATE)
    kept = merged.get("position:q218295", Position)
    assert (kept.kind, kept.variant_of) == (PositionKind.MINISTER, "position:ru-president")
    assert any(f.code == "sources-disagree" for f in merged.check())


def test_the_same_id_with_other_content_is_kept_under_a_new_id() -> None:
    theirs = Dataset(
        [
            WIKIDATA,
            KG,
            RU,
            putin("person:putin", "source:wikidata", wikidata=None),
            president("position:ru-president", "source:wikidata"),
            Tenure(
                id="tenure:putin",
                person="person:putin",
                position="position:ru-president",
                period="2012-05-07/2024",
                sources=["source:wikidata"],
            ),
        ]
    )
    merged = ours().merge(theirs)
    assert str(merged.get("tenure:putin", Tenure).period) == "2012-05-07/.."
    second = merged.get("tenure:putin-2", Tenure)
    assert (str(second.period), second.variant_of) == ("2012-05-07/2024", "tenure:putin")


def test_people_are_never_joined_by_name() -> None:
    namesake = putin("person:other-putin", "source:wikidata", wikidata="Q999999")
    nameless = putin("person:unknown-putin", "source:wikidata", wikidata=None)
    merged = ours().merge(Dataset([WIKIDATA, namesake, nameless]))
    assert {p.id for p in merged.all(Person)} == {
        "person:putin",
        "person:other-putin",
        "person:unknown-putin",
    }


def test_a_source_with_our_id_and_other_content_keeps_its_citations() -> None:
    clash = Source(id="source:ours", title="Another source with our id")
    statement = Statement(
        id="statement:s",
        speaker="person:putin",
        text="Words.",
        sources=["source:ours"],
    )
    merged = ours().merge(Dataset([clash, statement]))
    assert merged.get("source:ours", Source) == OURS
    moved = merged.get("source:ours-2", Source)
    assert moved.title == "Another source with our id"
    assert merged.get("statement:s", Statement).sources == ("source:ours-2",)
    assert merged.validate() == []


@st.composite
def sources_alike(draw: st.DrawFn, ids: list[str], *, terse: bool = False) -> Source:
    """A source under one of *ids*, of a few titles, the rest said or not, dates of any grain.

    A *terse* one leaves each field out more often than not (it says less).
    """

    def maybe(values: list[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(*[st.none()] * (3 if terse else 1), st.sampled_from(values))

    return Source(
        id=draw(st.sampled_from(ids)),
        title=draw(st.sampled_from(["Press release", "Press  release"])),
        publisher=draw(maybe(["Kabar", "TASS"])),
        url=draw(maybe(["https://e.org/1", "https://e.org/2"])),
        published=draw(maybe(["2024", "2024-Q2", "2024-05", "2024-05-09", "2024-06-01"])),
        retrieved=draw(maybe([dt.date(2025, 1, 1), dt.date(2025, 1, 2)])),
    )


def cited_instead(ours: list[Source], theirs: Source) -> str | None:
    """Rule 5 by comparing each: the first of ours alike that says all theirs says, moved first."""
    alike = [
        source.id
        for source in ours
        if required(source) == required(theirs)
        and fold(source, theirs, same_thing=False)[0] is source
    ]
    moved = [i for i in alike if re.fullmatch(re.escape(theirs.id) + "-[0-9]+", i)]
    return (moved or alike)[0] if alike else None


SOURCE_IDS = ["source:a", "source:a-2", "source:a-3", "source:a-2-2", "source:b", "source:b-2"]


@given(
    st.lists(sources_alike(SOURCE_IDS), unique_by=lambda s: s.id),
    sources_alike(SOURCE_IDS, terse=True),
)
def test_a_source_kept_apart_cites_the_first_of_ours_that_says_all_it_says(
    ours: list[Source], theirs: Source
) -> None:
    """Found by what it says (rule 5), as comparing it with each of ours would find it."""
    citing = Person(id="person:citing", names=[Name("P")], sources=[theirs.id])
    merged = Dataset(ours).merge([theirs, citing])
    [cites] = merged.get("person:citing", Person).sources
    same = {source.id: source for source in ours}.get(theirs.id)
    if same is None or fold(same, theirs, same_thing=False)[0] is not None:
        assert cites == theirs.id  # new to ours, or joined with ours
    elif (alike := cited_instead(ours, theirs)) is not None:
        assert cites == alike
    else:  # kept under a new id
        assert cites not in {source.id for source in ours}
        assert merged.get(cites, Source) == attrs.evolve(theirs, id=cites)


def test_merging_leaves_both_inputs_unchanged() -> None:
    mine, theirs = ours(), imported("2012-05-07/")
    before = (list(mine), list(theirs))
    mine.merge(theirs)
    assert (list(mine), list(theirs)) == before


def test_the_embedded_dataset_merged_with_itself_is_itself() -> None:
    data = load_default()
    assert list(data.merge(data)) == list(data)


# --- laws, on generated data --------------------------------------------------------


def cited(entities: list[Entity]) -> set[str]:
    return {source for entity in entities if isinstance(entity, Fact) for source in entity.sources}


def says_all(ours: Source, theirs: Source) -> bool:
    """Whether *ours* says everything *theirs* says (missing is not different)."""
    return all(
        getattr(theirs, field.name) is None
        or says_less(getattr(ours, field.name), getattr(theirs, field.name))
        for field in attrs.fields(Source)
        if field.name != "id"
    )


@given(datasets(), datasets())
def test_merge_loses_nothing_replaces_nothing_and_is_idempotent(a: Dataset, b: Dataset) -> None:
    codes = {s.code: s for s in a.all(State)}
    if any(s.code in codes and codes[s.code] != s for s in b.all(State)):
        # A state has one record: one that disagrees may stop the merge, said as such.
        problems: tuple[Issue, ...] = ()
        try:
            a.merge(b)
        except ValidationError as error:
            problems = tuple(error.issues)
        assert all(issue.message.startswith("state ") for issue in problems)
        if problems:
            return
    merged = a.merge(b)
    # Nothing of ours replaced: each record keeps its id and kind, and every field
    # but sources and names (which only grow) is ours, or filled where ours was empty.
    for mine in a:
        now = merged.get(mine.id)
        assert type(now) is type(mine)
        for field in attrs.fields(type(mine)):
            before, after = getattr(mine, field.name), getattr(now, field.name)
            if field.name in {"sources", "names", "capital"}:
                assert set(before) <= set(after)
            elif before not in (None, ()):  # an empty field of ours may be filled
                assert after == before
    # Nothing of theirs lost: every source they cite is cited, under its own or a new id,
    # and every source record of theirs is there, or one that says all it says.
    for source in b.all(Source):
        assert any(says_all(kept, source) for kept in merged.all(Source))
    assert len(cited(list(merged))) >= len(cited(list(a)))
    assert len(merged) >= len(a)
    # Joining the same again adds nothing.
    assert list(merged.merge(b)) == list(merged)


@given(datasets())
def test_a_dataset_merged_with_itself_is_itself(data: Dataset) -> None:
    assert list(data.merge(data)) == list(data)
    assert list(data.merge([])) == list(data)
    assert list(Dataset().merge(data)) == list(data)


@given(datasets())
def test_an_import_of_our_own_people_under_other_ids_joins_them(data: Dataset) -> None:
    """Their people (same Wikidata ids) and tenures (same person and position) are ours."""
    people = {p.id: p for p in data.all(Person) if p.wikidata is not None}
    renamed = {person_id: person_id + "-import" for person_id in people}
    theirs: list[Entity] = [attrs.evolve(p, id=renamed[p.id]) for p in people.values()]
    theirs += [
        attrs.evolve(t, id=t.id + "-import", person=renamed[t.person])
        for t in data.all(Tenure)
        if t.person in renamed
    ]
    merged = data.merge(theirs)
    assert list(merged) == list(data)


def test_a_state_that_disagrees_stops_the_merge_with_both_values_named() -> None:
    other_ru = attrs.evolve(RU, cow_code=366, sources=["source:wikidata"])
    mine = Dataset([e if e.id != "state:ru" else attrs.evolve(RU, cow_code=365) for e in ours()])
    with pytest.raises(ValidationError) as caught:
        mine.merge(Dataset([WIKIDATA, other_ru]))
    [issue] = caught.value.issues
    assert issue.path == "$[1]"
    assert "cow_code: 365 or 366" in issue.message


# --- merge is a law: idempotent, valid from valid, reported --------------------------


def _thinned(draw: st.DrawFn, entity: Entity) -> Entity:
    """*entity* saying less: some optional fields left empty, only its first name."""
    changes: dict[str, Any] = {}
    for field in attrs.fields(type(entity)):
        if (
            field.default is None
            and getattr(entity, field.name) is not None
            and draw(st.booleans())
        ):
            changes[field.name] = None
    names = getattr(entity, "names", ())
    if len(names) > 1 and draw(st.booleans()):
        changes["names"] = names[:1]
    try:
        return attrs.evolve(entity, **changes)
    except ValidationError:  # a rule across fields (a signed agreement has a signing date)
        return entity


@st.composite
def pairs(draw: st.DrawFn) -> tuple[Dataset, list[Entity]]:
    """Two generated datasets that share ids, Wikidata ids, records, and records saying less.

    Theirs is a part of ours (as is, or saying less) and then a generated dataset's
    records, each kept where its references resolve and its id is free.
    """
    qids = st.sampled_from(["Q1", "Q2", "Q3"])

    def tagged(data: Dataset) -> list[Entity]:
        return [
            attrs.evolve(e, wikidata=draw(qids))
            if isinstance(e, Person | Position | Organization) and draw(st.booleans())
            else e
            for e in data
        ]

    ours_list = tagged(draw(datasets()))
    theirs: list[Entity] = []
    held: set[str] = set()
    shared = [e for e in ours_list if draw(st.booleans())]
    for drawn in [*shared, *tagged(draw(datasets()))]:
        entity = _thinned(draw, drawn) if drawn in shared and draw(st.booleans()) else drawn
        if entity.id in held or any(t not in held for _, t, _ in iter_references(entity)):
            continue
        theirs.append(entity)
        held.add(entity.id)
    return Dataset(ours_list), theirs


@given(pairs())
def test_merge_is_idempotent_and_keeps_valid_data_valid(pair: tuple[Dataset, list[Entity]]) -> None:
    a, b = pair
    try:
        merged, report = a.merged(b)
    except ValidationError as error:
        problems = error.issues
    else:
        problems = ()
    # Only a state that contradicts ours may stop a merge (a state has one record).
    assert all(issue.message.startswith("state ") for issue in problems)
    if problems:
        return
    again, second = merged.merged(b)  # never raises where the first did not
    assert again == merged
    assert list(again) == list(merged)
    assert second == MergeReport()
    if not a.validate() and not Dataset(b).validate():
        assert merged.validate() == [], report
    # The report names what it kept apart, as it now is in the merged dataset.
    for kept in report.kept_apart:
        assert kept.id in merged
        assert kept.beside in merged
    assert set(report.added) <= {e.id for e in merged} - {e.id for e in a}


@given(datasets())
def test_a_dataset_saying_less_adds_nothing(data: Dataset) -> None:
    """Missing is not different: records that leave out names ours gives join ours."""
    entities: list[Any] = list(data)
    thin = [attrs.evolve(e, names=e.names[:1]) if getattr(e, "names", ()) else e for e in entities]
    merged, report = data.merged(thin)
    assert merged == data
    assert report == MergeReport()


def test_an_indicator_without_a_description_is_ours_and_its_figures_join_our_series() -> None:
    trade = Indicator(id="indicator:trade", names=[Name("Trade turnover")], description="Both ways")
    newcomer = attrs.evolve(trade, description=None)
    merged, report = Dataset([trade]).merged([newcomer])
    assert merged == Dataset([trade])
    assert report.kept_apart == ()


def test_a_name_that_leaves_its_language_unsaid_is_ours() -> None:
    sco = Organization(
        id="organization:sco",
        names=[Name("Shanghai Cooperation Organisation", language="en", kind=NameKind.OFFICIAL)],
        kind=OrganizationKind.INTERGOVERNMENTAL,
        sources=["source:ours"],
    )
    told_again = attrs.evolve(sco, names=[Name("Shanghai Cooperation Organisation")])
    merged, report = Dataset([OURS, sco]).merged([OURS, told_again])
    assert list(merged) == [OURS, sco]
    assert report == MergeReport()
    assert not [f for f in merged.check() if f.code == "sources-disagree"]


def test_references_follow_their_record_when_it_is_kept_apart() -> None:
    """Their position shares our id but not our content: their tenure follows it."""
    other_office = attrs.evolve(
        president("position:ru-president", "source:wikidata"),
        names=[Name("Prime Minister")],
        kind=PositionKind.HEAD_OF_GOVERNMENT,
        wikidata=None,
    )
    theirs = [
        WIKIDATA,
        RU,
        putin("person:putin", "source:wikidata", wikidata=None),
        other_office,
        Tenure(
            id="tenure:theirs",
            person="person:putin",
            position="position:ru-president",
            period="2008-05-08/2012-05-07",
            sources=["source:wikidata"],
        ),
    ]
    merged, report = ours().merged(theirs)
    assert merged.get("tenure:theirs", Tenure).position == "position:ru-president-2"
    assert report.kept_apart == (
        KeptApart(
            id="position:ru-president-2",
            was="position:ru-president",
            beside="position:ru-president",
            reason="they disagree on names, kind",
        ),
    )
    assert merged.merge(theirs) == merged


def test_a_record_with_our_id_is_compared_with_ours_as_the_same_thing_grew_it() -> None:
    # Their Q1 person joins ours and gives it the name "a"; their person with our id,
    # named "a", is then ours too, on the first merge as on the second.
    def person(person_id: str, name: str, source: str, wikidata: str | None = None) -> Person:
        return Person(id=person_id, names=[Name(name)], sources=[source], wikidata=wikidata)

    def said(source: str) -> Statement:
        return Statement(id="statement:s", speaker="person:p", text="0", sources=[source])

    ours = Dataset(
        [
            Source(id="source:a", title="00"),
            Source(id="source:b", title="0"),
            person("person:p", "aa", "source:a", "Q1"),
            said("source:a"),
        ]
    )
    theirs = [
        Source(id="source:a", title="0"),  # ours is source:b
        person("person:p", "a", "source:a"),
        person("person:q", "a", "source:a", "Q1"),
        said("source:a"),
    ]
    merged, report = ours.merged(theirs)
    assert report.kept_apart == ()
    assert merged.merged(theirs) == (merged, MergeReport())


def test_a_wikidata_id_their_record_gives_ours_makes_ours_the_same_thing_for_the_rest() -> None:
    ours = Dataset([OURS, Person(id="person:p", names=[Name("a")], sources=["source:ours"])])
    theirs = [
        OURS,
        Person(id="person:p", names=[Name("a")], sources=["source:ours"], wikidata="Q1"),
        Person(id="person:q", names=[Name("a")], sources=["source:ours"], wikidata="Q1"),
        Statement(id="statement:s", speaker="person:q", text="0", sources=["source:ours"]),
    ]
    merged, _ = ours.merged(theirs)
    assert [person.id for person in merged.all(Person)] == ["person:p"]  # not a second Q1
    assert merged.get("statement:s").speaker == "person:p"  # type: ignore[attr-defined]
    assert merged.merged(theirs) == (merged, MergeReport())


def test_a_joined_office_that_would_have_two_holders_at_once_is_kept_apart() -> None:
    """Both valid, both name the same single-holder office: theirs has another holder then."""
    other = Person(id="person:medvedev", names=[Name("Dmitry Medvedev")], sources=["source:ours"])
    theirs = [
        OURS,
        KG,
        RU,
        other,
        president("position:ru-president", "source:ours"),
        Tenure(
            id="tenure:medvedev",
            person="person:medvedev",
            position="position:ru-president",
            period="2008-05-07/2016",
            sources=["source:ours"],
        ),
    ]
    merged, report = ours().merged(theirs)
    assert merged.validate() == []
    assert merged.get("tenure:medvedev", Tenure).position == "position:ru-president-2"
    [kept] = report.kept_apart
    assert kept.reason == "joining it with ours would break an integrity rule"
    assert merged.merge(theirs) == merged


def test_merging_something_that_is_not_an_entity_says_so() -> None:
    with pytest.raises(TypeError, match="a Dataset holds model entities, not int"):
        ours().merge([42])  # type: ignore[list-item]
