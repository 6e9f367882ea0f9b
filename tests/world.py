"""A small, hand-built dataset whose query answers are worked out by hand.

Modelled on the Kyrgyzstan–Russia facts, cut down and with a few deliberate
quirks so that each rule and query has something to find.
"""

from decimal import Decimal

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
    Membership,
    MembershipStatus,
    Name,
    NameKind,
    Observation,
    ObservationKind,
    Organization,
    OrganizationKind,
    Position,
    PositionKind,
    Qualifier,
    Source,
    State,
    Statement,
    StatusChange,
    Tenure,
)

from .builders import person

S = ("source:article",)


def state(code: str, name: str, capital: str) -> State:
    return State(
        id=f"state:{code.lower()}",
        code=code,
        names=[Name(name, language="en")],
        capital=[Name(capital, language="en")],
        sources=S,
    )


def trade(
    slug: str, reporter: str, partner: str, period: str, value: str, *, source: str
) -> Observation:
    """An approximate, actual trade-turnover figure from one side's statistics."""
    return Observation(
        id=f"observation:{slug}",
        indicator="indicator:trade-turnover",
        reporter=reporter,
        partner=partner,
        period=period,
        value=Decimal(value),
        unit="USD",
        qualifier=Qualifier.APPROXIMATELY,
        sources=(source,),
    )


def world() -> Dataset:
    return Dataset(
        [
            Source(id="source:article", title="The article", publisher="TASS"),
            Source(id="source:kg-stat", title="Kyrgyz statistics"),
            Source(id="source:ru-stat", title="Russian statistics"),
            state("KG", "Kyrgyzstan", "Bishkek"),
            state("RU", "Russia", "Moscow"),
            state("KZ", "Kazakhstan", "Astana"),
            state("AM", "Armenia", "Yerevan"),
            Organization(
                id="organization:csto",
                names=[
                    Name("Collective Security Treaty Organization", kind=NameKind.OFFICIAL),
                    Name("CSTO", kind=NameKind.ALIAS),
                ],
                kind=OrganizationKind.INTERGOVERNMENTAL,
                founded="2002-10-07",
                sources=S,
            ),
            Organization(
                id="organization:kg-cabinet",
                names=[Name("Cabinet of Ministers of Kyrgyzstan")],
                kind=OrganizationKind.GOVERNMENT,
                state="state:kg",
                sources=S,
            ),
            person(
                "sadyr-japarov",
                Name("Sadyr Japarov", language="en"),
                Name("Sadyr Zhaparov", kind=NameKind.TRANSLITERATION),
                Name("Садыр Жапаров", language="ky", script="Cyrl", kind=NameKind.OFFICIAL),
                sources=S,
            ),
            person(
                "akylbek-japarov",
                Name("Akylbek Japarov", language="en"),
                Name("Akylbek Zhaparov", kind=NameKind.TRANSLITERATION),
                sources=S,
            ),
            person("adylbek-kasymaliev", Name("Adylbek Kasymaliev"), sources=S),
            Position(
                id="position:kg-president",
                names=[Name("President of Kyrgyzstan")],
                kind=PositionKind.HEAD_OF_STATE,
                organization="state:kg",
                sources=S,
            ),
            Position(
                id="position:kg-chair-cabinet",
                names=[Name("Chairman of the Cabinet of Ministers")],
                kind=PositionKind.HEAD_OF_GOVERNMENT,
                organization="organization:kg-cabinet",
                sources=S,
            ),
            Tenure(
                id="tenure:sadyr-japarov-president",
                person="person:sadyr-japarov",
                position="position:kg-president",
                period="2021-01-28/..",
                sources=S,
            ),
            Tenure(
                id="tenure:akylbek-japarov-cabinet",
                person="person:akylbek-japarov",
                position="position:kg-chair-cabinet",
                period="2021-10-13/2024-12-16",
                sources=S,
            ),
            Tenure(
                id="tenure:kasymaliev-cabinet",
                person="person:adylbek-kasymaliev",
                position="position:kg-chair-cabinet",
                period="2024-12-16/..",
                acting=True,
                sources=S,
            ),
            *(
                Membership(
                    id=f"membership:csto-{code}",
                    state=f"state:{code}",
                    organization="organization:csto",
                    period="2002-10-07/..",
                    sources=S,
                )
                for code in ("kg", "ru", "kz")
            ),
            Membership(
                id="membership:csto-am",
                state="state:am",
                organization="organization:csto",
                period="2002-10-07/..",
                changes=[StatusChange(since="2024-02-22", status=MembershipStatus.SUSPENDED)],
                sources=S,
            ),
            Chairmanship(
                id="chairmanship:csto-2024",
                organization="organization:csto",
                state="state:kz",
                period="2024/2024",
                sources=S,
            ),
            Chairmanship(
                id="chairmanship:csto-2025",
                organization="organization:csto",
                state="state:kg",
                period="2025/2025",
                sources=S,
            ),
            Agreement(
                id="agreement:ru-kg-declaration-2000",
                names=[Name("Declaration on Eternal Friendship")],
                kind=AgreementKind.DECLARATION,
                status=AgreementStatus.IN_FORCE,
                parties=["state:ru", "state:kg"],
                signed="2000-07-27",
                place="Moscow",
                sources=S,
            ),
            Agreement(
                id="agreement:csto-charter",
                names=[Name("CSTO Charter")],
                kind=AgreementKind.CHARTER,
                status=AgreementStatus.IN_FORCE,
                parties=["state:kg", "state:ru", "state:kz", "state:am"],
                signed="2002-10-07",
                in_force="2003-09-18",
                sources=S,
            ),
            Agreement(
                id="agreement:old-programme",
                names=[Name("An old programme")],
                kind=AgreementKind.PROGRAMME,
                status=AgreementStatus.IN_FORCE,
                parties=["state:ru", "state:kg"],
                signed="2019",
                validity="2019/2021",
                sources=S,
            ),
            Event(
                id="event:talks-2025-01-22",
                names=[Name("Lavrov–Kulubaev talks")],
                kind=EventKind.TALKS,
                status=EventStatus.HELD,
                date="2025-01-22",
                place="Moscow",
                participants=["state:ru", "state:kg"],
                sources=S,
            ),
            Statement(
                id="statement:akylbek-japarov-migration",
                speaker="person:akylbek-japarov",
                as_position="position:kg-chair-cabinet",
                date="2025-01",
                text="Migration is a critical social side of the relationship.",
                sources=S,
            ),
            Statement(
                id="statement:sadyr-japarov-priorities",
                speaker="person:sadyr-japarov",
                as_position="position:kg-president",
                date="2025-01",
                text="Priorities of the CSTO chairmanship.",
                sources=S,
            ),
            Indicator(
                id="indicator:trade-turnover",
                names=[Name("Trade turnover")],
                symmetric=True,
            ),
            trade("trade-kg-2023", "KG", "RU", "2023", "2.9E9", source="source:kg-stat"),
            trade("trade-kg-2024", "KG", "RU", "2024", "3.2E9", source="source:kg-stat"),
            trade("trade-ru-2024", "RU", "KG", "2024", "4.1E9", source="source:ru-stat"),
            Observation(
                id="observation:trade-target",
                indicator="indicator:trade-turnover",
                reporter="KG",
                partner="RU",
                value=Decimal("5E9"),
                unit="USD",
                kind=ObservationKind.TARGET,
                sources=S,
            ),
        ]
    )
