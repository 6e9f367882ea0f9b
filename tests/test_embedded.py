"""The embedded Kyrgyzstan–Russia dataset: complete, sourced, consistent."""

import datetime as dt
from decimal import Decimal
from importlib.resources import files

from kgru_relations import (
    Agreement,
    AgreementStatus,
    Confidence,
    Event,
    EventStatus,
    Indicator,
    Membership,
    MembershipStatus,
    Observation,
    ObservationKind,
    Organization,
    Person,
    Position,
    Qualifier,
    Severity,
    Source,
    State,
    Statement,
    Tenure,
    country,
    dumps,
    load_default,
)
from kgru_relations.model import Fact
from kgru_relations.model.economy import Measure

D = dt.date
DATA = load_default()


def test_it_is_read_from_the_package_once_and_round_trips_byte_for_byte() -> None:
    raw = files("kgru_relations").joinpath("data/kg_ru.json").read_bytes()
    assert dumps(DATA) == raw
    assert load_default() is DATA


def test_it_validates_with_no_errors() -> None:
    assert DATA.validate() == []


def test_check_finds_exactly_what_the_sources_say() -> None:
    findings = DATA.check()
    assert [(finding.code, finding.severity, finding.ids[:2]) for finding in findings] == [
        # The article calls Akylbek Japarov prime minister after he had left office,
        # and does not date his remark.
        (
            "outdated-title",
            Severity.WARNING,
            ("statement:akylbek-japarov-migration", "source:article"),
        ),
        # Interfax and RFE/RL disagree on the day Kazakbaev took office.
        (
            "sources-disagree",
            Severity.WARNING,
            ("tenure:kazakbaev-foreign-minister", "tenure:kazakbaev-foreign-minister-rferl"),
        ),
        # TASS dates the Astana session to 24 November; everyone else to the 28th.
        (
            "sources-disagree",
            Severity.WARNING,
            ("event:csto-council-astana-2024", "event:csto-council-astana-2024-tass"),
        ),
        # Two Times of Central Asia articles give 2023 remittances from Russia differently.
        (
            "observation-discrepancy",
            Severity.WARNING,
            (
                "observation:remittances-kg-from-ru-2023-tca-2024",
                "observation:remittances-kg-from-ru-2023",
            ),
        ),
        # The Kyrgyz and the Russian side give different 2024 trade figures.
        (
            "observation-discrepancy",
            Severity.WARNING,
            ("observation:trade-kg-ru-2024-kg", "observation:trade-ru-kg-2024-ru"),
        ),
    ]
    assert "an office left on 2024-12-16" in findings[0].message
    assert "period: 2020-10-14/2022-04-22" in findings[1].message
    assert "2020-10-15/2022-04-22 (source:rferl-30909148" in findings[1].message
    assert "date: 2024-11-28" in findings[2].message
    assert "or 2024-11-24 (source:tass-1894861)" in findings[2].message
    assert "ratio 1.0004" in findings[3].message
    assert "ratio 1.28" in findings[4].message


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
    # Akylbek Japarov's figure for the same year (24.kg): its own account, beside Kasymaliev's.
    assert figure("trade-kg-ru-2023-kg-24kg") == (
        "KG",
        "RU",
        "2023",
        Decimal(3_000_000_000),
        M,
        ACT,
    )
    assert figures["observation:trade-kg-ru-2023-kg-24kg"].sources == ("source:24kg-304858",)
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
    # Derived from Russia's 2023 figure plus the reported rise: from Russia only.
    assert figure("remittances-kg-from-ru-2024-derived") == (
        "KG",
        "RU",
        "2024",
        Decimal(2_566_000_000),
        A,
        ObservationKind.ESTIMATE,
    )
    # The fund's capital: paid in 2014, only scheduled for 2015 and 2016.
    assert [
        (figure(f"rkdf-capital-{year}")[3], figure(f"rkdf-capital-{year}")[5])
        for year in (2014, 2015, 2016)
    ] == [
        (Decimal(100_000_000), ACT),
        (Decimal(250_000_000), ObservationKind.PLANNED),
        (Decimal(150_000_000), ObservationKind.PLANNED),
    ]
    assert figure("rkdf-portfolio-2025")[3] == Decimal(165_000_000)
    assert figures["observation:rkdf-portfolio-2025"].confidence is Confidence.UNVERIFIED
    assert figure("rkdf-projects-2025")[3] == 36
    [target] = DATA.series("indicator:trade-turnover", "KG", "RU", kind=ObservationKind.TARGET)
    assert DATA.progress(target).percent == Decimal("64.0")


def test_every_indicator_says_what_it_measures_and_every_figure_fits_it() -> None:
    measures = {indicator.id: indicator.measure for indicator in DATA.all(Indicator)}
    assert measures == {
        "indicator:fund-capital-contribution": Measure.MONEY,
        "indicator:fund-financing": Measure.MONEY,
        "indicator:fund-portfolio": Measure.MONEY,
        "indicator:fund-projects": Measure.COUNT,
        "indicator:remittances": Measure.MONEY,
        "indicator:trade-turnover": Measure.MONEY,
    }
    for observation in DATA.all(Observation):
        measure = measures[observation.indicator]
        assert measure is not None
        assert measure.fits(observation.unit), observation.id
        assert (observation.money is not None) is (measure is Measure.MONEY)


def test_tenures_hold_the_facts_uncertainty() -> None:
    tenures = {t.id: t for t in DATA.all(Tenure)}
    # Kazakbaev left on the day Kulubaev became acting minister: no day with two.
    assert str(tenures["tenure:kazakbaev-foreign-minister"].period) == "2020-10-14/2022-04-22"
    assert str(tenures["tenure:kazakbaev-foreign-minister-rferl"].period) == "2020-10-15/2022-04-22"
    assert [t.person for t in DATA.holders("position:kg-foreign-minister", on=D(2022, 4, 23))] == [
        "person:jeenbek-kulubaev"
    ]
    assert tenures["tenure:kasymaliev-cabinet-chairman-acting"].acting
    assert tenures["tenure:kasymaliev-cabinet-chairman"].confidence is Confidence.VERIFIED
    assert str(tenures["tenure:akylbek-japarov-cabinet-chairman"].period) == "2021-10-13/2024-12-16"
    # Mishustin's government stayed on, acting, between the inauguration and his reappointment.
    [acting] = DATA.holders("position:ru-prime-minister", on=D(2024, 5, 8))
    assert (acting.person, acting.acting, str(acting.period)) == (
        "person:mikhail-mishustin",
        True,
        "2024-05-07/2024-05-10",
    )


def test_the_astana_session_and_the_parade() -> None:
    astana = DATA.get("event:csto-council-astana-2024", Event)
    assert "state:am" not in astana.participants  # Armenia stayed away
    assert {"state:by", "state:kz", "state:kg", "state:ru", "state:tj"} <= set(astana.participants)
    parade = DATA.get("event:victory-day-parade-2025", Event)
    assert parade.status is EventStatus.HELD
    assert "person:sadyr-japarov" in parade.participants
    priorities = DATA.get("statement:sadyr-japarov-chairmanship-priorities", Statement)
    assert (str(priorities.date), priorities.event) == ("2024-11-28", astana.id)
    mishustin = DATA.get("statement:mishustin-joint-projects", Statement)
    assert str(mishustin.date) == "2024-10-01"
    # The article does not date Akylbek Japarov's remark, and neither does the data.
    assert DATA.get("statement:akylbek-japarov-migration", Statement).date is None


def test_wikidata_ids_where_a_source_confirms_them() -> None:
    entities: list[Person | Position | Organization] = [
        *DATA.all(Person),
        *DATA.all(Position),
        *DATA.all(Organization),
    ]
    found = {entity.id: entity.wikidata for entity in entities if entity.wikidata is not None}
    assert found == {
        "person:vladimir-putin": "Q7747",
        "person:mikhail-mishustin": "Q4298520",
        "person:sadyr-japarov": "Q25597826",
        "person:akylbek-japarov": "Q4060344",
        "person:adylbek-kasymaliev": "Q112703041",
        "person:imangali-tasmagambetov": "Q1377525",
        "person:nikol-pashinyan": "Q7035479",
        "position:ru-president": "Q218295",
        "position:ru-prime-minister": "Q842386",
        "position:kg-president": "Q853036",
        "organization:csto": "Q318693",
        "organization:ru-government": "Q1140115",
        "organization:kg-cabinet": "Q24031608",
    }


# --- the sourcing rules -------------------------------------------------------------

SOURCES = {source.id: source for source in DATA.all(Source)}
FACTS = [entity for entity in DATA if isinstance(entity, Fact)]
FACT_SHEET = "source:fact-sheet"
ARTICLE = "source:article"


def test_every_source_says_where_it_is_who_published_it_and_when() -> None:
    for source in SOURCES.values():
        assert source.publisher, source.id
        # A web address, or a note that says why there is none.
        assert source.url is not None or "address" in (source.note or ""), source.id
        # A publication date as precise as known, or a note that the page has none.
        assert source.published is not None or "no publication date" in (source.note or ""), (
            source.id
        )
        # A title we had to supply (the headline was not seen) is bracketed and says so.
        if source.title.startswith("["):
            assert source.title.endswith("]"), source.id
            assert "Headline not seen" in (source.note or ""), source.id


def test_every_source_is_cited_and_the_fact_sheet_never_alone_for_a_verified_fact() -> None:
    cited = {source_id for fact in FACTS for source_id in fact.sources}
    cited |= {
        source_id
        for membership in DATA.all(Membership)
        for change in membership.changes
        for source_id in change.sources
    }
    assert cited == set(SOURCES)
    for fact in FACTS:
        if fact.confidence is Confidence.VERIFIED:
            assert set(fact.sources) - {FACT_SHEET}, fact.id


def test_facts_only_the_article_reports_stay_unverified() -> None:
    only_the_article = [fact for fact in FACTS if set(fact.sources) <= {ARTICLE, FACT_SHEET}]
    assert only_the_article  # the remark, the acceptance, the fund's portfolio, ...
    for fact in only_the_article:
        assert fact.confidence is Confidence.UNVERIFIED, fact.id


def test_quotations_are_kept_for_words_that_are_the_fact() -> None:
    quotes = [s for s in DATA.all(Statement) if s.quote]
    assert [s.id for s in quotes] == ["statement:pashinyan-csto-freeze"]
    for statement in quotes:
        # Not the article's English rendering of words said in Russian,
        assert set(statement.sources) - {ARTICLE, FACT_SHEET}, statement.id
        # and the note says why the exact words matter.
        assert statement.note is not None
        assert "words are the fact" in statement.note


def test_every_second_account_names_a_source_of_its_own() -> None:
    variants = [fact for fact in FACTS if fact.variant_of is not None]
    assert variants
    for variant in variants:
        first = DATA.get(variant.variant_of)  # type: ignore[arg-type]
        assert isinstance(first, Fact)
        assert set(variant.sources) - set(first.sources), variant.id
