"""The embedded Kyrgyzstan–Russia dataset: complete, sourced, consistent."""

import datetime as dt
from decimal import Decimal
from importlib.resources import files

from kgru_relations import (
    Agreement,
    AgreementStatus,
    Confidence,
    MembershipStatus,
    Observation,
    ObservationKind,
    Qualifier,
    Source,
    State,
    Tenure,
    country,
    dumps,
    load_default,
)
from kgru_relations.model import Fact

D = dt.date
DATA = load_default()


def test_it_is_read_from_the_package_once_and_round_trips_byte_for_byte() -> None:
    raw = files("kgru_relations").joinpath("data/kg_ru.json").read_bytes()
    assert dumps(DATA) == raw
    assert load_default() is DATA


def test_it_validates_with_no_errors() -> None:
    assert DATA.validate() == []


def test_check_finds_exactly_what_the_facts_imply() -> None:
    findings = DATA.check()
    assert [(finding.code, finding.ids[0]) for finding in findings] == [
        ("statement-outside-tenure", "statement:akylbek-japarov-migration"),
        ("observation-discrepancy", "observation:trade-kg-ru-2024-kg"),
    ]
    assert findings[1].ids == ("observation:trade-kg-ru-2024-kg", "observation:trade-ru-kg-2024-ru")
    assert "ratio 1.28" in findings[1].message


def test_every_fact_cites_a_source_that_exists() -> None:
    sources = {source.id for source in DATA.all(Source)}
    facts = [entity for entity in DATA if isinstance(entity, Fact)]
    assert facts
    for fact in facts:
        assert fact.sources
        assert set(fact.sources) <= sources


def test_the_six_csto_states_with_their_identifiers() -> None:
    expected = {
        "RU": ("RUS", "643", 365, "Q159", "Moscow"),
        "KG": ("KGZ", "417", 703, "Q813", "Bishkek"),
        "KZ": ("KAZ", "398", 705, "Q232", "Astana"),
        "AM": ("ARM", "051", 371, "Q399", "Yerevan"),
        "BY": ("BLR", "112", 370, "Q184", "Minsk"),
        "TJ": ("TJK", "762", 702, "Q863", "Dushanbe"),
    }
    found = {
        state.code: (
            country(state.code).alpha_3,
            country(state.code).numeric,
            state.cow_code,
            state.wikidata,
            state.capital[0].text,
        )
        for state in DATA.all(State)
    }
    assert found == expected
    assert [s.id for s in DATA.find("Bishkek")] == ["state:kg"]


def test_officials_on_the_day_of_the_talks() -> None:
    day = D(2025, 1, 22)
    holders = {
        position: DATA.holder(f"position:{position}", on=day)
        for position in [
            "ru-foreign-minister",
            "kg-foreign-minister",
            "ru-mfa-spokesperson",
            "ru-president",
            "kg-president",
            "ru-prime-minister",
            "kg-cabinet-chairman",
            "csto-secretary-general",
        ]
    }
    assert {key: person.label if person else None for key, person in holders.items()} == {
        "ru-foreign-minister": "Sergey Lavrov",
        "kg-foreign-minister": "Jeenbek Kulubaev",
        "ru-mfa-spokesperson": "Maria Zakharova",
        "ru-president": "Vladimir Putin",
        "kg-president": "Sadyr Japarov",
        "ru-prime-minister": "Mikhail Mishustin",
        "kg-cabinet-chairman": "Adylbek Kasymaliev",
        "csto-secretary-general": "Imangali Tasmagambetov",
    }
    assert DATA.holder("position:ru-president", on=D(2010, 1, 1)) is None  # not in the facts
    assert DATA.holder("position:csto-secretary-general", on=D(2026, 1, 1)).label == (  # type: ignore[union-attr]
        "Taalatbek Masadykov"
    )
    acting = DATA.holders("position:kg-cabinet-chairman", on=D(2024, 12, 17))
    assert [(t.id, t.acting) for t in acting] == [
        ("tenure:kasymaliev-cabinet-chairman-acting", True)
    ]


def test_the_two_japarovs_are_found_by_every_spelling_and_kept_apart() -> None:
    for spelling in ["Japarov", "Zhaparov", "Жапаров"]:
        assert [p.id for p in DATA.find(spelling)] == [
            "person:akylbek-japarov",
            "person:sadyr-japarov",
        ]


def test_csto_members_suspension_and_chairs() -> None:
    csto = "organization:csto"
    assert [s.code for s in DATA.members(csto, on=D(2025, 3, 1))] == [
        "AM",
        "BY",
        "KG",
        "KZ",
        "RU",
        "TJ",
    ]
    assert [
        s.code for s in DATA.members(csto, on=D(2025, 3, 1), status=MembershipStatus.SUSPENDED)
    ] == ["AM"]
    assert DATA.chair(csto, on=D(2025, 3, 1)).code == "KG"  # type: ignore[union-attr]
    assert DATA.chair(csto, on=D(2024, 6, 1)).code == "KZ"  # type: ignore[union-attr]
    assert DATA.chair(csto, on=D(2026, 6, 1)).code == "RU"  # type: ignore[union-attr]


def test_the_five_agreements() -> None:
    agreements = {a.id: a for a in DATA.all(Agreement)}
    assert len(agreements) == 5
    declaration = agreements["agreement:ru-kg-declaration-2000"]
    assert (str(declaration.signed), declaration.place) == ("2000-07-27", "Moscow")
    assert declaration.signatories == ("person:vladimir-putin", "person:askar-akayev")
    programme = agreements["agreement:ru-kg-mfa-programme-2025-2027"]
    assert (programme.status, str(programme.signed), str(programme.validity)) == (
        AgreementStatus.SIGNED,
        "2025-01-22",
        "2025/2027",
    )
    economic = agreements["agreement:ru-kg-economic-programme-2022-2026"]
    assert economic.confidence is Confidence.LIKELY
    treaty = agreements["agreement:collective-security-treaty"]
    assert (str(treaty.signed), str(treaty.in_force), treaty.place) == (
        "1992-05-15",
        "1994-04-20",
        "Tashkent",
    )
    charter = agreements["agreement:csto-charter"]
    assert (str(charter.signed), str(charter.in_force), charter.place) == (
        "2002-10-07",
        "2003-09-18",
        "Chișinău",
    )
    [anniversary] = DATA.anniversaries(2025)
    assert (anniversary.entity, anniversary.years) == ("agreement:ru-kg-declaration-2000", 25)


def test_every_economic_figure_with_its_qualifier_and_kind() -> None:
    figures = {o.id: o for o in DATA.all(Observation)}

    def figure(key: str) -> tuple[str, str | None, str | None, Decimal, Qualifier, ObservationKind]:
        o = figures[f"observation:{key}"]
        return (
            o.reporter,
            o.partner,
            None if o.period is None else str(o.period),
            o.value,
            o.qualifier,
            o.kind,
        )

    A, X, M = Qualifier.APPROXIMATELY, Qualifier.EXACT, Qualifier.MORE_THAN
    ACT, TGT = ObservationKind.ACTUAL, ObservationKind.TARGET
    assert figure("trade-kg-ru-target") == ("KG", "RU", None, Decimal(5_000_000_000), X, TGT)
    assert figure("trade-kg-ru-2023-kg") == ("KG", "RU", "2023", Decimal(2_900_000_000), A, ACT)
    assert figure("trade-kg-ru-2024-kg") == ("KG", "RU", "2024", Decimal(3_200_000_000), A, ACT)
    assert figure("trade-ru-kg-2024-ru") == ("RU", "KG", "2024", Decimal(4_100_000_000), A, ACT)
    assert figure("remittances-kg-from-ru-2023") == (
        "KG",
        "RU",
        "2023",
        Decimal(2_532_000_000),
        X,
        ACT,
    )
    assert figure("remittances-kg-2024") == ("KG", None, "2024", Decimal(2_500_000_000), M, ACT)
    assert figure("rkdf-portfolio-2025")[3] == Decimal(165_000_000)
    assert figures["observation:rkdf-portfolio-2025"].confidence is Confidence.UNVERIFIED
    assert figure("rkdf-projects-2025")[3] == 36
    [target] = DATA.series("indicator:trade-turnover", "KG", "RU", kind=ObservationKind.TARGET)
    assert DATA.progress(target).percent == Decimal("64.0")


def test_tenures_hold_the_facts_uncertainty() -> None:
    tenures = {t.id: t for t in DATA.all(Tenure)}
    assert str(tenures["tenure:kazakbaev-foreign-minister"].period) == "2020-10-14/2022-04"
    assert tenures["tenure:kasymaliev-cabinet-chairman-acting"].acting
    assert str(tenures["tenure:akylbek-japarov-cabinet-chairman"].period) == "2021-10-13/2024-12-16"
