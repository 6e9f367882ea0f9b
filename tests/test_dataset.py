import datetime as dt
import pickle
from decimal import Decimal
from typing import Any

import attrs
import pytest

from kgru_relations import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Chairmanship,
    Dataset,
    Event,
    EventKind,
    EventStatus,
    Indicator,
    MembershipStatus,
    Name,
    Observation,
    ObservationKind,
    Person,
    Position,
    PositionKind,
    Qualifier,
    Severity,
    Source,
    State,
    Statement,
    Tenure,
    ValidationError,
)
from kgru_relations.dataset import IssueList, TimelineEntry
from kgru_relations.errors import MAX_ISSUES
from kgru_relations.model.economy import Measure

from .builders import bare_observation, chairmanship, person, tenure
from .world import world

D = dt.date
WORLD = world()


def ids(entities: object) -> list[str]:
    return [entity.id for entity in entities]  # type: ignore[attr-defined]


# --- building and access -------------------------------------------------------------


def test_the_world_is_valid() -> None:
    assert WORLD.validate() == []
    assert WORLD.ensure_valid() is WORLD


def test_access_by_id_and_kind() -> None:
    lavrov_like = WORLD.get("person:sadyr-japarov", Person)
    assert lavrov_like.label == "Sadyr Japarov"
    assert WORLD.get("state:kg").label == "Kyrgyzstan"
    assert "state:kg" in WORLD
    assert "state:xx" not in WORLD
    with pytest.raises(KeyError, match="no entity with id 'person:nobody'"):
        WORLD.get("person:nobody")
    with pytest.raises(TypeError, match="'state:kg' is a state, not a person"):
        WORLD.get("state:kg", Person)
    assert ids(WORLD.all(State)) == ["state:kg", "state:ru", "state:kz", "state:am"]
    assert len(WORLD) == sum(1 for _ in WORLD)
    assert repr(WORLD).startswith("<Dataset: 3 sources, 4 states")
    assert repr(Dataset()) == "<Dataset: empty>"


def test_builder_and_equality_ignore_order() -> None:
    builder = Dataset.builder()
    entities = list(WORLD)
    builder.extend(reversed(entities[1:]))
    builder.add(entities[0])
    rebuilt = builder.build()
    assert rebuilt == WORLD
    assert rebuilt != Dataset(entities[1:])
    assert WORLD != "a dataset"
    with pytest.raises(TypeError, match="unhashable"):
        hash(WORLD)


def test_only_entities_go_in() -> None:
    with pytest.raises(TypeError, match="a Dataset holds model entities, not str"):
        Dataset(["state:kg"])  # type: ignore[list-item]


def test_a_subclass_of_a_model_class_goes_in_its_collection() -> None:
    class Country(State):
        pass

    country = Country(id="state:uz", code="UZ", names=[Name("Uzbekistan")], sources=["source:s"])
    assert Dataset([country]).all(State) == (country,)


# --- integrity ------------------------------------------------------------------------

SOURCE = Source(id="source:s", title="S")


def position(slug: str, *, single: bool = True) -> Position:
    return Position(
        id=f"position:{slug}",
        names=[Name(slug)],
        kind=PositionKind.MINISTER,
        organization="state:kg",
        single_holder=single,
        sources=["source:s"],
    )


KG = State(id="state:kg", code="KG", names=[Name("Kyrgyzstan")], sources=["source:s"])


def test_validate_reports_every_problem_with_its_path() -> None:
    dataset = Dataset(
        [
            SOURCE,
            KG,
            person("a"),
            person("a"),
            position("p"),
            tenure("t1", "2020/..", person="person:nobody", position="position:p"),
            Tenure(
                id="tenure:t2",
                person="person:a",
                position="state:kg",
                period="2020/..",
                sources=["source:missing"],
            ),
        ]
    )
    assert [str(issue) for issue in dataset.validate()] == [
        "$.persons[1].id: duplicate id 'person:a' (first at $.persons[0])",
        "$.tenures[0].person: no person with id 'person:nobody'",
        "$.tenures[1].sources[0]: no source with id 'source:missing'",
        "$.tenures[1].position: 'state:kg' is a state, not a position",
    ]
    with pytest.raises(ValidationError) as caught:
        dataset.ensure_valid()
    assert len(caught.value.issues) == 4


def test_references_of_several_kinds() -> None:
    dataset = Dataset(
        [
            SOURCE,
            Position(
                id="position:p",
                names=[Name("P")],
                kind=PositionKind.OTHER,
                organization="person:x",
                sources=["source:s"],
            ),
            Position(
                id="position:q",
                names=[Name("Q")],
                kind=PositionKind.OTHER,
                organization="organization:gone",
                sources=["source:s"],
            ),
            Position(
                id="position:r",
                names=[Name("R")],
                kind=PositionKind.OTHER,
                organization="event:e",
                sources=["source:s"],
            ),
        ]
    )
    assert [str(issue) for issue in dataset.validate()] == [
        "$.positions[0].organization: no entity with id 'person:x'",
        "$.positions[1].organization: no organization with id 'organization:gone'",
        "$.positions[2].organization: no entity with id 'event:e'",
    ]


def test_overlapping_tenures_of_a_single_holder_position() -> None:
    dataset = Dataset(
        [
            SOURCE,
            KG,
            person("a"),
            person("b"),
            person("c"),
            position("p"),
            position("board", single=False),
            tenure("a-p", "2020-01-01/2022-06-30", person="person:a", position="position:p"),
            # hands over on one day: fine
            tenure("b-p", "2022-06-30/2024", person="person:b", position="position:p"),
            tenure("c-p", "2023-05/..", person="person:c", position="position:p"),  # overlaps b-p
            tenure("a-board", "2020/..", person="person:a", position="position:board"),
            # a board has many members
            tenure("b-board", "2020/..", person="person:b", position="position:board"),
        ]
    )
    assert [str(issue) for issue in dataset.validate()] == [
        "$.tenures[2].period: 2023-05/.. overlaps tenure 'tenure:b-p' (2022-06-30/2024, "
        "person:b) of the same single-holder position 'position:p'",
    ]


def test_rough_dates_overlap_only_if_they_must() -> None:
    dataset = Dataset(
        [
            SOURCE,
            KG,
            person("kazakbaev"),
            person("kulubaev"),
            position("fm"),
            tenure(
                "kazakbaev", "2020-10-14/2022-04", person="person:kazakbaev", position="position:fm"
            ),
            tenure("kulubaev", "2022-04-22/..", person="person:kulubaev", position="position:fm"),
        ]
    )
    assert dataset.validate() == []


def test_overlapping_chairmanships() -> None:
    dataset = Dataset(
        [
            chairmanship("a", "2024/2024"),
            chairmanship("b", "2024-06/2025"),
            chairmanship("c", "2026/2026"),
        ]
    )
    problems = [issue for issue in dataset.validate() if "overlaps" in issue.message]
    assert [str(issue) for issue in problems] == [
        "$.chairmanships[1].period: 2024-06/2025 overlaps chairmanship 'chairmanship:a' "
        "(2024/2024) of the same organisation 'organization:csto'",
    ]


def chairs_from(*periods: str) -> list[Chairmanship]:
    return [
        chairmanship(f"c{index}", period, organization="organization:o")
        for index, period in enumerate(periods)
    ]


def test_each_overlapping_chairmanship_is_reported_once() -> None:
    dataset = Dataset(chairs_from(*["2000/.."] * 30))
    overlaps = [issue for issue in dataset.validate() if "overlaps" in issue.message]
    # One issue per chair after the first (not one per pair: 435), each naming
    # the earlier chair still open that ends last (on a tie, the first).
    assert [issue.path for issue in overlaps] == [
        f"$.chairmanships[{index}].period" for index in range(1, 30)
    ]
    assert all("overlaps chairmanship 'chairmanship:c0'" in issue.message for issue in overlaps)


def test_an_overlap_names_the_earlier_record_that_ends_last() -> None:
    dataset = Dataset(chairs_from("2024-08/2025-06", "2024-02/2025-12", "2025-03/2025-04"))
    problems = [str(issue) for issue in dataset.validate() if "overlaps" in issue.message]
    assert problems == [
        "$.chairmanships[0].period: 2024-08/2025-06 overlaps chairmanship 'chairmanship:c1' "
        "(2024-02/2025-12) of the same organisation 'organization:o'",
        "$.chairmanships[2].period: 2025-03/2025-04 overlaps chairmanship 'chairmanship:c1' "
        "(2024-02/2025-12) of the same organisation 'organization:o'",
    ]


def test_validate_lists_at_most_max_issues_and_counts_the_rest() -> None:
    copies = Dataset(Source(id="source:s", title="A copy") for _ in range(MAX_ISSUES + 500))
    issues = copies.validate()
    assert isinstance(issues, IssueList)
    assert isinstance(issues, list)
    assert len(issues) == MAX_ISSUES
    assert issues.more == 499
    assert str(issues[0]) == "$.sources[1].id: duplicate id 'source:s' (first at $.sources[0])"
    assert issues[-1].path == f"$.sources[{MAX_ISSUES}].id"
    with pytest.raises(ValidationError) as caught:
        copies.ensure_valid()
    assert len(caught.value.issues) == MAX_ISSUES
    assert caught.value.more == 499
    assert str(caught.value).endswith(
        "… and 499 more issues, not listed (a report lists at most 1000)"
    )


def test_a_valid_dataset_has_no_issues_and_none_more() -> None:
    issues = WORLD.validate()
    assert issues == []
    assert issues.more == 0


def test_negative_values_only_where_the_indicator_allows_a_balance() -> None:
    dataset = Dataset(
        [
            SOURCE,
            Indicator(id="indicator:turnover", names=[Name("Turnover")]),
            Indicator(id="indicator:balance", names=[Name("Balance")], allows_negative=True),
            bare_observation("a", "5", indicator="indicator:turnover"),
            bare_observation("b", "-5", indicator="indicator:turnover"),
            bare_observation("c", "-5", indicator="indicator:balance"),
        ]
    )
    assert [str(issue) for issue in dataset.validate()] == [
        "$.observations[1].value: must not be negative (got '-5'); "
        "'indicator:turnover' does not allow a balance",
    ]


def test_a_unit_that_does_not_fit_what_its_indicator_measures() -> None:
    dataset = Dataset(
        [
            SOURCE,
            Indicator(id="indicator:money", names=[Name("M")], measure=Measure.MONEY),
            Indicator(id="indicator:projects", names=[Name("P")], measure=Measure.COUNT),
            Indicator(id="indicator:share", names=[Name("S")], measure=Measure.PERCENT),
            Indicator(id="indicator:any", names=[Name("A")]),
            bare_observation("a", indicator="indicator:money", unit="usd"),
            bare_observation("b", indicator="indicator:money", unit="USD"),
            bare_observation("c", indicator="indicator:projects", unit="RUB"),
            bare_observation("d", indicator="indicator:projects", unit="project"),
            bare_observation("e", indicator="indicator:share", unit="percent"),
            bare_observation("f", indicator="indicator:share", unit="project"),
            # the indicator declares no measure
            bare_observation("g", indicator="indicator:any", unit="usd"),
        ]
    )
    assert [str(issue) for issue in dataset.validate()] == [
        "$.observations[0].unit: 'indicator:money' measures money: "
        "'usd' is not a currency code; did you mean 'USD'?",
        "$.observations[2].unit: 'indicator:projects' measures count: "
        "expected a word for what is counted, such as 'project', got 'RUB'",
        "$.observations[5].unit: 'indicator:share' measures percent: "
        "expected the unit 'percent', got 'project'",
    ]


# --- findings -----------------------------------------------------------------------------


def test_check_finds_exactly_what_the_world_implies() -> None:
    findings = WORLD.check()
    assert [finding.code for finding in findings] == [
        "statement-outside-tenure",
        "observation-discrepancy",
        "agreement-expired-in-force",
    ]
    assert all(finding.severity is Severity.WARNING for finding in findings)
    statement, discrepancy, expired = findings
    assert statement.ids == (
        "statement:akylbek-japarov-migration",
        "person:akylbek-japarov",
        "position:kg-chair-cabinet",
        "tenure:akylbek-japarov-cabinet",
    )
    assert "2021-10-13/2024-12-16" in statement.message
    assert discrepancy.ids == ("observation:trade-kg-2024", "observation:trade-ru-2024")
    assert "ratio 1.28" in discrepancy.message
    assert "KG reports approximately USD 3200000000 (2024)" in discrepancy.message
    assert expired.ids == ("agreement:old-programme",)
    assert str(expired).startswith("warning: An old programme")


def test_check_judges_expiry_as_of_a_day() -> None:
    assert [f.code for f in WORLD.check(as_of=D(2021, 6, 1))] == [
        "statement-outside-tenure",
        "observation-discrepancy",
    ]
    assert WORLD.latest_date == D(2025, 12, 31)
    assert Dataset().check() == []
    assert Dataset().latest_date is None


def test_a_speaker_who_never_held_the_position() -> None:
    dataset = Dataset(
        [
            SOURCE,
            person("a"),
            position("p"),
            Statement(
                id="statement:s",
                speaker="person:a",
                as_position="position:p",
                date="2025",
                text="Something.",
                sources=["source:s"],
            ),
        ]
    )
    [finding] = dataset.check()
    assert finding.message.endswith("which they held: never, in this dataset")


@pytest.mark.parametrize(
    ("first", "second", "disagree"),
    [
        (("3.2", "approximately"), ("4.1", "approximately"), True),
        (("3.2", "approximately"), ("3.3", "approximately"), False),
        (("2.5", "more_than"), ("2.566", "exact"), False),
        (("2.5", "more_than"), ("2.5", "exact"), True),
        (("2.5", "at_least"), ("2.5", "exact"), False),
        (("2.5", "less_than"), ("2.6", "at_least"), True),
        (("2.5", "at_most"), ("2.5", "at_least"), False),
        (("2.5", "less_than"), ("2.5", "at_most"), False),
        (("1", "exact"), ("1.00", "exact"), False),
        (("0", "exact"), ("1", "exact"), True),
    ],
)
def test_discrepancy_respects_qualifiers(
    first: tuple[str, str], second: tuple[str, str], disagree: bool
) -> None:
    dataset = Dataset(
        [
            Indicator(id="indicator:t", names=[Name("T")], symmetric=True),
            bare_observation(
                "a", first[0], partner="RU", qualifier=Qualifier(first[1]), sources=["source:kg"]
            ),
            bare_observation(
                "b",
                second[0],
                reporter="RU",
                partner="KG",
                qualifier=Qualifier(second[1]),
                sources=["source:ru"],
            ),
        ]
    )
    findings = dataset.check()
    assert (len(findings) == 1) is disagree
    if disagree and "0" in (first[0], second[0]):
        assert "ratio" not in findings[0].message


def test_one_sources_figures_are_not_compared_with_themselves() -> None:
    figures = [
        bare_observation("a", "1", sources=["source:kg"]),
        bare_observation("b", "2", sources=["source:kg"]),
    ]
    assert Dataset(figures).check() == []


# --- queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["Zhaparov", "Japarov", "Жапаров", "JAPAROV", "zhaparov"])
def test_find_both_japarovs_and_never_merge_them(query: str) -> None:
    assert ids(WORLD.find(query)) == ["person:akylbek-japarov", "person:sadyr-japarov"]


def test_find_by_full_name_ranks_the_exact_match_first() -> None:
    assert ids(WORLD.find("Садыр Жапаров")) == ["person:sadyr-japarov"]
    assert ids(WORLD.find("Akylbek Zhaparov")) == ["person:akylbek-japarov"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Bishkek", ["state:kg"]),
        ("bishkek", ["state:kg"]),
        ("Astana", ["state:kz"]),
        ("KG", ["state:kg"]),
        ("CSTO", ["organization:csto", "agreement:csto-charter"]),
        ("collective security", ["organization:csto"]),
        ("state:ru", ["state:ru"]),
        ("Nobody", []),
        ("", []),
        ("  --  ", []),
    ],
)
def test_find(query: str, expected: list[str]) -> None:
    assert ids(WORLD.find(query)) == expected


def test_holder_and_positions() -> None:
    cabinet = "position:kg-chair-cabinet"
    assert WORLD.holder(cabinet, on=D(2021, 10, 12)) is None
    assert WORLD.get("person:akylbek-japarov") == WORLD.holder(cabinet, on=D(2024, 12, 15))
    assert WORLD.holder(cabinet, on=D(2024, 12, 16)) == WORLD.get("person:adylbek-kasymaliev")
    assert ids(WORLD.holders(cabinet, on=D(2024, 12, 16))) == [
        "tenure:akylbek-japarov-cabinet",
        "tenure:kasymaliev-cabinet",
    ]
    # An id that names nothing is an error, never a silent "nobody".
    with pytest.raises(KeyError, match="no position with id 'position:nothing'"):
        WORLD.holder("position:nothing", on=D(2025, 1, 1))
    assert WORLD.holder(cabinet, on=dt.datetime(2023, 1, 1, 12)) == WORLD.get(
        "person:akylbek-japarov"
    )
    assert ids(WORLD.positions_of("person:akylbek-japarov", on=D(2023, 1, 1))) == [cabinet]
    assert WORLD.positions_of("person:akylbek-japarov", on=D(2025, 1, 1)) == []
    with pytest.raises(KeyError, match="no person with id 'person:nobody'"):
        WORLD.positions_of("person:nobody", on=D(2025, 1, 1))
    with pytest.raises(KeyError, match="no person with id 'person:nobody'"):
        WORLD.tenures_of("person:nobody")
    with pytest.raises(TypeError, match=r"on must be a datetime\.date"):
        WORLD.holder(cabinet, on="2024-01-01")  # type: ignore[arg-type]


def test_office_holders_of_a_state_include_its_national_bodies() -> None:
    # The cabinet chairman's position belongs to the cabinet, a body of state:kg.
    chairs = WORLD.office_holders("state:kg", "head_of_government", on=D(2024, 12, 16))
    assert ids(chairs) == ["tenure:akylbek-japarov-cabinet", "tenure:kasymaliev-cabinet"]
    assert ids(WORLD.office_holders("state:kg", PositionKind.HEAD_OF_STATE, on=D(2025, 1, 22))) == [
        "tenure:sadyr-japarov-president"
    ]
    # The cabinet itself has the office too; Russia has no head of government here.
    assert ids(
        WORLD.office_holders("organization:kg-cabinet", "head_of_government", on=D(2025, 1, 22))
    ) == ["tenure:kasymaliev-cabinet"]
    assert WORLD.office_holders("state:ru", "head_of_government", on=D(2025, 1, 22)) == []
    with pytest.raises(KeyError, match="no state or organization with id 'state:zz'"):
        WORLD.office_holders("state:zz", "head_of_state", on=D(2025, 1, 22))
    with pytest.raises(ValidationError, match=r"\$\.kind: "):
        WORLD.office_holders("state:kg", "king", on=D(2025, 1, 22))


def test_membership_statuses_say_each_members_status_that_day() -> None:
    statuses = WORLD.membership_statuses("organization:csto", on=D(2025, 3, 1))
    assert statuses == {
        "state:am": MembershipStatus.SUSPENDED,
        "state:kg": MembershipStatus.MEMBER,
        "state:kz": MembershipStatus.MEMBER,
        "state:ru": MembershipStatus.MEMBER,
    }
    assert set(statuses) == set(ids(WORLD.members("organization:csto", on=D(2025, 3, 1))))
    with pytest.raises(KeyError, match="no organization with id 'organization:nato'"):
        WORLD.membership_statuses("organization:nato", on=D(2025, 3, 1))


def test_members_and_chair() -> None:
    csto = "organization:csto"
    assert ids(WORLD.members(csto, on=D(2025, 3, 1))) == [
        "state:am",
        "state:kg",
        "state:kz",
        "state:ru",
    ]
    assert ids(WORLD.members(csto, on=D(2025, 3, 1), status=MembershipStatus.SUSPENDED)) == [
        "state:am"
    ]
    assert ids(WORLD.members(csto, on=D(2025, 3, 1), status=MembershipStatus.MEMBER)) == [
        "state:kg",
        "state:kz",
        "state:ru",
    ]
    assert len(WORLD.members(csto, on=D(2024, 1, 1), status=MembershipStatus.MEMBER)) == 4
    assert WORLD.members(csto, on=D(2002, 10, 6)) == []
    with pytest.raises(KeyError, match="no organization with id 'organization:none'") as caught:
        WORLD.members("organization:none", on=D(2025, 1, 1))
    assert "did you mean" not in str(caught.value)  # "none" is not close to "csto"
    assert WORLD.chair(csto, on=D(2025, 3, 1)) == WORLD.get("state:kg")
    assert WORLD.chair(csto, on=D(2024, 6, 1)) == WORLD.get("state:kz")
    assert WORLD.chair(csto, on=D(2026, 1, 1)) is None
    with pytest.raises(KeyError, match="no organization with id 'organization:none'"):
        WORLD.chair("organization:none", on=D(2025, 1, 1))


def test_agreements() -> None:
    assert ids(WORLD.agreements(party="state:kg")) == [
        "agreement:ru-kg-declaration-2000",
        "agreement:csto-charter",
        "agreement:old-programme",
    ]
    assert ids(WORLD.agreements(party="state:kg", in_force_on=D(2025, 1, 1))) == [
        "agreement:ru-kg-declaration-2000",
        "agreement:csto-charter",
    ]
    assert ids(WORLD.agreements(in_force_on=D(2003, 1, 1))) == ["agreement:ru-kg-declaration-2000"]
    assert ids(WORLD.agreements(party="state:am")) == ["agreement:csto-charter"]
    assert ids(WORLD.agreements(kind=AgreementKind.PROGRAMME)) == ["agreement:old-programme"]
    assert WORLD.agreements(status=AgreementStatus.PLANNED) == []
    with pytest.raises(KeyError, match="no state or organization with id 'state:xx'"):
        WORLD.agreements(party="state:xx")


def test_series_and_progress() -> None:
    trade = "indicator:trade-turnover"
    assert ids(WORLD.series(trade, "KG", "RU")) == [
        "observation:trade-kg-2023",
        "observation:trade-kg-2024",
    ]
    assert ids(WORLD.series(trade, "ru", "kg")) == ["observation:trade-ru-2024"]
    assert ids(WORLD.series(trade, "RUS", "417")) == ["observation:trade-ru-2024"]
    with pytest.raises(ValidationError, match="'XX' is not an ISO 3166-1 alpha-2 country code"):
        WORLD.series(trade, "XX")
    assert WORLD.series(trade, "KG") == []
    [target] = WORLD.series(trade, "KG", "RU", kind=ObservationKind.TARGET)
    progress = WORLD.progress(target)
    assert progress.actual is not None
    assert progress.actual.id == "observation:trade-kg-2024"
    assert progress.share == Decimal("0.64")
    assert progress.percent == Decimal("64.0")
    with pytest.raises(ValueError, match="is not a target: its kind is 'actual'"):
        WORLD.progress(progress.actual)


def test_progress_without_an_actual_figure() -> None:
    target = Observation(
        id="observation:t",
        indicator="indicator:x",
        reporter="KG",
        value="1",
        unit="USD",
        kind=ObservationKind.TARGET,
        sources=["source:s"],
    )
    progress = Dataset([target]).progress(target)
    assert (progress.actual, progress.share, progress.percent) == (None, None, None)


def test_anniversaries() -> None:
    [declaration] = WORLD.anniversaries(2025)
    assert (declaration.entity, declaration.years, str(declaration.date)) == (
        "agreement:ru-kg-declaration-2000",
        25,
        "2025-07-27",
    )
    assert declaration.event == "signing"
    assert [(a.entity, a.years, str(a.date)) for a in WORLD.anniversaries(2027)] == [
        ("agreement:csto-charter", 25, "2027-10-07"),
        ("organization:csto", 25, "2027-10-07"),
    ]
    assert [a.years for a in WORLD.anniversaries(2024)] == [5]  # the 2019 programme
    assert WORLD.anniversaries(2026) == []
    assert WORLD.anniversaries(2000) == []
    assert WORLD.anniversaries(10_000) == []
    assert WORLD.anniversaries(0) == []
    # Asked again, the same answer (kept, not recomputed), as a fresh list.
    again = WORLD.anniversaries(2027)
    assert again == WORLD.anniversaries(2027)
    again.clear()
    assert len(WORLD.anniversaries(2027)) == 2
    with pytest.raises(TypeError, match="year must be an int"):
        WORLD.anniversaries("2025")  # type: ignore[arg-type]


def test_a_leap_day_anniversary_falls_on_28_february() -> None:
    signed_on_leap_day = Agreement(
        id="agreement:leap",
        names=[Name("Leap")],
        kind=AgreementKind.MEMORANDUM,
        status=AgreementStatus.SIGNED,
        signed="2000-02-29",
        sources=["source:s"],
    )
    [anniversary] = Dataset([signed_on_leap_day]).anniversaries(2005)
    assert str(anniversary.date) == "2005-02-28"


def test_timeline() -> None:
    january = WORLD.timeline(D(2025, 1, 1), D(2025, 1, 31))
    assert [(str(e.date), e.entity) for e in january] == [
        ("2025-01", "statement:akylbek-japarov-migration"),
        ("2025-01", "statement:sadyr-japarov-priorities"),
        ("2025", "chairmanship:csto-2025"),
        ("2025-01-22", "event:talks-2025-01-22"),
    ]
    everything = WORLD.timeline()
    assert everything == sorted(everything, key=lambda entry: (entry.date, entry.entity))
    assert len(everything) == len(WORLD.timeline(D(1, 1, 1), D(9999, 12, 31)))
    assert (
        str(everything[0]) == "2000-07-27  Declaration on Eternal Friendship is signed "
        "(agreement:ru-kg-declaration-2000)"
    )
    whats = {entry.what for entry in everything}
    assert "Adylbek Kasymaliev becomes acting Chairman of the Cabinet of Ministers" in whats
    assert "Armenia is suspended in Collective Security Treaty Organization" in whats
    assert "Collective Security Treaty Organization is founded" in whats
    assert WORLD.timeline(start=D(2026, 1, 1)) == []
    with pytest.raises(ValueError, match="the end 2025-01-01 is before the start 2025-02-01"):
        WORLD.timeline(D(2025, 2, 1), D(2025, 1, 1))


# --- second accounts (variant_of) and titles out of date ---------------------------


def test_two_accounts_of_one_tenure_are_kept_and_their_disagreement_reported() -> None:
    first = tenure(
        "kazakbaev", "2020-10-14/2022-04-22", person="person:kazakbaev", position="position:fm"
    )
    second = Tenure(
        id="tenure:kazakbaev-rferl",
        person="person:kazakbaev",
        position="position:fm",
        period="2020-10-15/2022-04-22",
        sources=["source:rferl"],
        variant_of="tenure:kazakbaev",
    )
    dataset = Dataset(
        [
            SOURCE,
            Source(id="source:rferl", title="RFE/RL"),
            KG,
            person("kazakbaev"),
            position("fm"),
            first,
            second,
        ]
    )
    # Two accounts of one tenure are not two holders of one office.
    assert dataset.validate() == []
    [finding] = dataset.check()
    assert (finding.code, finding.severity, finding.ids) == (
        "sources-disagree",
        Severity.WARNING,
        ("tenure:kazakbaev", "tenure:kazakbaev-rferl"),
    )
    assert finding.message == (
        "sources disagree on tenure 'tenure:kazakbaev', period: 2020-10-14/2022-04-22 "
        "(source:s) or 2020-10-15/2022-04-22 (source:rferl); both accounts are kept"
    )
    # Both stay queryable: on the 14th only the first account has him in office.
    assert [t.id for t in dataset.holders("position:fm", on=D(2020, 10, 14))] == [
        "tenure:kazakbaev"
    ]
    assert dataset.holder("position:fm", on=D(2021, 1, 1)).id == "person:kazakbaev"  # type: ignore[union-attr]


def test_accounts_that_differ_only_in_sources_and_notes_do_not_disagree() -> None:
    first = tenure("a", "2020/..", person="person:a", position="position:p")
    second = Tenure(
        id="tenure:a-again",
        person="person:a",
        position="position:p",
        period="2020/..",
        sources=["source:s"],
        note="The same, from a second report.",
        variant_of="tenure:a",
    )
    dataset = Dataset([SOURCE, KG, person("a"), position("p"), first, second])
    assert dataset.validate() == []
    assert dataset.check() == []


def test_a_rival_tenure_still_overlaps_when_another_is_a_second_account() -> None:
    dataset = Dataset(
        [
            SOURCE,
            KG,
            person("a"),
            person("b"),
            position("p"),
            tenure("a", "2020/2022", person="person:a", position="position:p"),
            Tenure(
                id="tenure:a-other",
                person="person:a",
                position="position:p",
                period="2020/2023",
                sources=["source:s"],
                variant_of="tenure:a",
            ),
            tenure("b", "2022-06/..", person="person:b", position="position:p"),
        ]
    )
    # b overlaps what the second account says of a, so a rival is still found.
    assert [str(issue) for issue in dataset.validate()] == [
        "$.tenures[2].period: 2022-06/.. overlaps tenure 'tenure:a-other' (2020/2023, "
        "person:a) of the same single-holder position 'position:p'",
    ]


def test_a_second_account_must_name_a_first_account_of_its_own_kind() -> None:
    with pytest.raises(ValidationError, match=r"\$\.variant_of: a record cannot be a second"):
        Tenure(
            id="tenure:a",
            person="person:a",
            position="position:p",
            period="2020/..",
            sources=["source:s"],
            variant_of="tenure:a",
        )

    def account(slug: str, of: str) -> Tenure:
        return Tenure(
            id=f"tenure:{slug}",
            person="person:a",
            position="position:p",
            period="2020/..",
            sources=["source:s"],
            variant_of=of,
        )

    dataset = Dataset(
        [
            SOURCE,
            KG,
            person("a"),
            position("p", single=False),
            tenure("a", "2020/..", person="person:a", position="position:p"),
            account("b", "tenure:a"),
            account("c", "tenure:b"),
            account("d", "person:a"),
            account("e", "tenure:gone"),
        ]
    )
    assert [str(issue) for issue in dataset.validate()] == [
        "$.tenures[3].variant_of: 'person:a' is a person, not a tenure",
        "$.tenures[4].variant_of: no tenure with id 'tenure:gone'",
        "$.tenures[2].variant_of: 'tenure:b' is itself a second account of 'tenure:a'; "
        "name the first account instead",
    ]


def test_two_accounts_of_an_event_disagree_on_its_date() -> None:
    def session(slug: str, date: str, source: str, variant_of: str | None = None) -> Event:
        return Event(
            id=f"event:{slug}",
            names=[Name("CSTO Collective Security Council session")],
            kind=EventKind.SUMMIT,
            status=EventStatus.HELD,
            date=date,
            place="Astana",
            sources=[source],
            variant_of=variant_of,
        )

    dataset = Dataset(
        [
            Source(id="source:24kg", title="24.kg"),
            Source(id="source:tass", title="TASS"),
            session("astana", "2024-11-28", "source:24kg"),
            session("astana-tass", "2024-11-24", "source:tass", "event:astana"),
        ]
    )
    [finding] = dataset.check()
    assert finding.message == (
        "sources disagree on event 'event:astana', date: 2024-11-28 (source:24kg) or "
        "2024-11-24 (source:tass); both accounts are kept"
    )


def outdated_world(statement_date: str | None, published: str) -> Dataset:
    return Dataset(
        [
            SOURCE,
            Source(id="source:report", title="A report", published=published),
            KG,
            person("akylbek"),
            position("pm"),
            tenure(
                "akylbek-pm",
                "2021-10-13/2024-12-16",
                person="person:akylbek",
                position="position:pm",
            ),
            Statement(
                id="statement:migration",
                speaker="person:akylbek",
                as_position="position:pm",
                date=statement_date,
                text="Labour migration needs strategic approaches.",
                sources=["source:report"],
            ),
        ]
    )


@pytest.mark.parametrize(
    ("statement_date", "published", "expected"),
    [
        # Undated, and the source calls him by an office he had left: a warning.
        (None, "2025-01-22", [("outdated-title", Severity.WARNING)]),
        (None, "2025-01", [("outdated-title", Severity.WARNING)]),
        # Dated in office, reported later: the source may tell the past rightly.
        ("2024-12-12", "2025-01-22", [("outdated-title", Severity.INFO)]),
        # Reported while he could still hold it: nothing to say.
        (None, "2024-12-13", []),
        (None, "2024-12", []),
        (None, "2024-12-16", []),
        ("2024-12-12", "2024-12-13", []),
        # Made after he left: the older finding says so, once.
        ("2025-01", "2025-01-22", [("statement-outside-tenure", Severity.WARNING)]),
        # Reported before he took office: not a title out of date.
        (None, "2021-01", []),
    ],
)
def test_a_source_that_calls_a_speaker_by_an_office_they_had_left(
    statement_date: str | None, published: str, expected: list[tuple[str, Severity]]
) -> None:
    dataset = outdated_world(statement_date, published)
    assert dataset.validate() == []
    findings = dataset.check()
    assert [(f.code, f.severity) for f in findings] == expected
    if expected and expected[0][0] == "outdated-title":
        assert findings[0].ids == (
            "statement:migration",
            "source:report",
            "person:akylbek",
            "position:pm",
            "tenure:akylbek-pm",
        )
        assert findings[0].message.startswith(
            f"source 'source:report' (published {published}) reports statement "
            "'statement:migration' ("
        )
        assert findings[0].message.endswith("by Akylbek as pm, an office left on 2024-12-16")


def test_one_entitys_facts_on_one_day_come_in_the_order_they_happen() -> None:
    # Alphabetically "enters into force" would come before "is signed".
    treaty = Agreement(
        id="agreement:same-day",
        names=[Name("Treaty")],
        kind=AgreementKind.TREATY,
        status=AgreementStatus.IN_FORCE,
        parties=["state:ru", "state:kg"],
        signed="2024-05-01",
        in_force="2024-05-01",
        sources=["source:s"],
    )
    timeline = Dataset([treaty]).timeline()
    assert [entry.what for entry in timeline] == ["Treaty is signed", "Treaty enters into force"]


def test_timeline_entries_are_values_whatever_builds_them() -> None:
    [entry] = WORLD.timeline(D(2025, 1, 22), D(2025, 1, 22))[-1:]
    made = TimelineEntry(date=entry.date, entity=entry.entity, what=entry.what)
    assert made == entry
    assert hash(made) == hash(entry)
    assert repr(made) == repr(entry)
    assert pickle.loads(pickle.dumps(entry)) == entry
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        entry.entity = "event:other"


def test_an_undated_statement_is_never_outside_a_tenure_and_stays_off_the_timeline() -> None:
    dataset = outdated_world(None, "2024-12-13")
    assert dataset.check() == []
    assert "statement:migration" not in [entry.entity for entry in dataset.timeline()]


def test_a_near_tie_shows_a_ratio_that_is_not_one() -> None:
    remittances = {"indicator": "indicator:remittances", "partner": "RU", "period": "2023"}
    dataset = Dataset(
        [
            Indicator(id="indicator:remittances", names=[Name("Remittances")]),
            bare_observation("a", "2532000000", **remittances, sources=["source:a"]),
            bare_observation("b", "2531000000", **remittances, sources=["source:b"]),
        ]
    )
    [finding] = dataset.check()
    assert finding.message.endswith("; ratio 1.0004; both are kept")


def test_each_discrepant_figure_is_reported_once_with_the_one_farthest_below() -> None:
    figures = [
        bare_observation("c", "3", partner="RU", sources=["source:c"]),
        bare_observation("a", "1", partner="RU", sources=["source:a"]),
        bare_observation("b", "2", partner="RU", sources=["source:b"]),
        # could be 2: fits b, not a
        bare_observation(
            "d", "2.05", partner="RU", qualifier=Qualifier.APPROXIMATELY, sources=["source:d"]
        ),
    ]
    dataset = Dataset([Indicator(id="indicator:t", names=[Name("T")]), *figures])
    # One finding per figure past the lowest (not one per pair: six), each
    # with the figure whose highest possible value is lowest; in order of the
    # lowest value each figure allows (d's is 1.9475).
    assert [finding.ids for finding in dataset.check()] == [
        ("observation:a", "observation:d"),
        ("observation:a", "observation:b"),
        ("observation:a", "observation:c"),
    ]


def test_a_discrepancy_is_found_past_a_figure_from_the_same_sources() -> None:
    figures = [
        bare_observation("a", "1", partner="RU", sources=["source:x"]),
        bare_observation("b", "2", partner="RU", sources=["source:y"]),
        bare_observation("c", "3", partner="RU", sources=["source:y"]),
    ]
    dataset = Dataset([Indicator(id="indicator:t", names=[Name("T")]), *figures])
    # c's own source's b is not its rival; a is, though b's high is not the lowest.
    assert [finding.ids for finding in dataset.check()] == [
        ("observation:a", "observation:b"),
        ("observation:a", "observation:c"),
    ]


def test_planned_figures_are_not_compared_with_actual_ones() -> None:
    capital = {
        "indicator": "indicator:capital",
        "reporter": "RU",
        "partner": "KG",
        "period": "2015",
    }
    planned = bare_observation(
        "schedule", "250000000", **capital, kind=ObservationKind.PLANNED, sources=["source:law"]
    )
    dataset = Dataset(
        [
            Indicator(id="indicator:capital", names=[Name("Capital contribution")]),
            planned,
            bare_observation(
                "paid",
                "100000000",
                **capital,
                kind=ObservationKind.ACTUAL,
                sources=["source:report"],
            ),
        ]
    )
    assert dataset.check() == []
    assert dataset.series("indicator:capital", "RU", "KG", kind=ObservationKind.PLANNED) == [
        planned
    ]


# --- queries never answer "nothing" by mistake ---------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            lambda: WORLD.holder("position:kg-presidnet", on=D(2025, 1, 1)),
            "no position with id 'position:kg-presidnet'; did you mean 'position:kg-president'?",
        ),
        (
            lambda: WORLD.holders("kg-president", on=D(2025, 1, 1)),
            "no position with id 'kg-president'; did you mean 'position:kg-president'?",
        ),
        (
            lambda: WORLD.members("organization:cst0", on=D(2025, 1, 1)),
            "no organization with id 'organization:cst0'; did you mean 'organization:csto'?",
        ),
        (
            lambda: WORLD.series("trade-turnover", "KG", "RU"),
            "no indicator with id 'trade-turnover'; did you mean 'indicator:trade-turnover'?",
        ),
        (
            lambda: WORLD.positions_of("person:sadyr-japarow", on=D(2025, 1, 1)),
            "no person with id 'person:sadyr-japarow'; did you mean 'person:sadyr-japarov'?",
        ),
        (
            lambda: WORLD.tenures_of("person:" + "x" * 200),
            "no person with id 'person:xxxxxxxxxx",
        ),
    ],
)
def test_an_unknown_id_is_an_error_with_a_did_you_mean(query: Any, expected: str) -> None:
    with pytest.raises(KeyError) as caught:
        query()
    assert caught.value.args[0].startswith(expected)
    assert len(caught.value.args[0]) < 200  # a long id is not echoed whole


def test_an_id_of_the_wrong_kind_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="'state:kg' is a state, not a position"):
        WORLD.holder("state:kg", on=D(2025, 1, 1))
    with pytest.raises(TypeError, match="is a person, not a state or an organization"):
        WORLD.agreements(party="person:sadyr-japarov")


def test_filters_take_the_enum_or_its_value_and_refuse_anything_else() -> None:
    day = D(2025, 3, 1)
    assert WORLD.agreements(kind="declaration") == WORLD.agreements(kind=AgreementKind.DECLARATION)
    assert WORLD.agreements(kind="declaration")  # not silently empty
    assert WORLD.agreements(status="in_force") == WORLD.agreements(status=AgreementStatus.IN_FORCE)
    assert WORLD.members("organization:csto", on=day, status="suspended") == WORLD.members(
        "organization:csto", on=day, status=MembershipStatus.SUSPENDED
    )
    assert WORLD.series("indicator:trade-turnover", "KG", "RU", kind="target") == WORLD.series(
        "indicator:trade-turnover", "KG", "RU", kind=ObservationKind.TARGET
    )
    with pytest.raises(ValidationError, match=r"\$\.kind: 'treaty2' is not one of 'treaty'"):
        WORLD.agreements(kind="treaty2")
    with pytest.raises(ValidationError, match=r"\$\.status: 'frozen' is not one of"):
        WORLD.members("organization:csto", on=day, status="frozen")
    with pytest.raises(ValidationError, match=r"\$\.kind: 'targets' is not one of"):
        WORLD.series("indicator:trade-turnover", "KG", kind="targets")


# --- an end that is unknown, not open ------------------------------------------------------


def left_on_an_unknown_day(statement_date: str) -> Dataset:
    """Kazakbaev left office on a day not recorded; Kulubaev took it on 2022-04-22."""
    return Dataset(
        [
            SOURCE,
            KG,
            person("kazakbaev"),
            person("kulubaev"),
            position("fm"),
            tenure("kazakbaev", "2020-10-14/", person="person:kazakbaev", position="position:fm"),
            tenure("kulubaev", "2022-04-22/..", person="person:kulubaev", position="position:fm"),
            Statement(
                id="statement:s",
                speaker="person:kazakbaev",
                as_position="position:fm",
                date=statement_date,
                text="A statement.",
                sources=["source:s"],
            ),
        ]
    )


def test_a_holder_who_left_on_an_unknown_day_is_only_a_possible_holder_after_the_start() -> None:
    data = left_on_an_unknown_day("2020-10-14")
    fm = "position:fm"
    assert data.holder(fm, on=D(2020, 10, 14)) == data.get("person:kazakbaev")
    # Not "still in office": on a later day he is only possibly the holder.
    assert data.holder(fm, on=D(2021, 6, 1)) is None
    assert ids(data.possible_holders(fm, on=D(2021, 6, 1))) == ["tenure:kazakbaev"]
    # Possibly until the next holder's start (the handover day), not after.
    assert ids(data.possible_holders(fm, on=D(2022, 4, 22))) == [
        "tenure:kazakbaev",
        "tenure:kulubaev",
    ]
    assert ids(data.possible_holders(fm, on=D(2022, 4, 23))) == ["tenure:kulubaev"]
    assert data.possible_days(data.get("tenure:kazakbaev", Tenure)) == (
        D(2020, 10, 14),
        D(2022, 4, 22),
    )
    assert data.possible_days(data.get("tenure:kulubaev", Tenure)) == (D(2022, 4, 22), None)
    # An equal tenure is the same; one that is not in the dataset is an error.
    same = tenure("kazakbaev", "2020-10-14/", person="person:kazakbaev", position="position:fm")
    assert data.possible_days(same) == (D(2020, 10, 14), D(2022, 4, 22))
    with pytest.raises(KeyError, match="not in this dataset"):
        data.possible_days(
            tenure("kazakbaev", "2020-10-15/", person="person:kazakbaev", position="position:fm")
        )
    assert data.positions_of("person:kazakbaev", on=D(2021, 6, 1)) == []


def test_an_unknown_end_overlaps_no_one_and_leaves_no_mark_on_the_timeline() -> None:
    data = left_on_an_unknown_day("2020-10-14")
    # The successor's start is no overlap: only the first day was surely his.
    assert data.validate() == []
    texts = [entry.what for entry in data.timeline()]
    assert not any("leaves office" in text for text in texts)
    assert len(texts) == 3  # two take office, one statement
    # Taking office says it ended, or the timeline would read as if it were still held.
    assert sum(text.endswith(" (ended on an unknown day)") for text in texts) == 1
    # A tenure that surely covers the start day does overlap one that surely covers it too.
    rival = Dataset(
        [
            *data,
            tenure("rival", "2020-01-01/2021", person="person:kulubaev", position="position:fm"),
        ]
    )
    assert [issue.path for issue in rival.validate()] == ["$.tenures[0].period"]


def test_a_statement_after_an_unknown_end_is_noted_as_outside_the_dated_tenure() -> None:
    findings = left_on_an_unknown_day("2021-06-01").check(as_of=D(2025, 1, 1))
    [finding] = [f for f in findings if f.code == "statement-outside-tenure"]
    assert "2020-10-14/ (ended on an unknown day)" in finding.message
    on_the_day = left_on_an_unknown_day("2020-10-14").check(as_of=D(2025, 1, 1))
    assert [f for f in on_the_day if f.code == "statement-outside-tenure"] == []
