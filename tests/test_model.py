import datetime as dt
import inspect
import re
import traceback
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgru_relations import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Chairmanship,
    Confidence,
    Event,
    Indicator,
    Membership,
    MembershipStatus,
    Name,
    Observation,
    ObservationKind,
    Organization,
    OrganizationKind,
    Person,
    Position,
    PositionKind,
    Qualifier,
    Source,
    State,
    Statement,
    StatusChange,
    Tenure,
    ValidationError,
)
from kgru_relations.codes import country
from kgru_relations.model import ENTITY_CLASSES, kind_of
from kgru_relations.model._base import KINDS, iter_references, valid_id
from kgru_relations.model.economy import Measure
from kgru_relations.strategies import country_codes

from .builders import observation

S = ["source:s"]


def issues(error: pytest.ExceptionInfo[ValidationError]) -> list[tuple[str, str]]:
    return [(issue.path, issue.message) for issue in error.value]


# --- ids ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["person:sergey-lavrov", "state:kg", "agreement:ru-kg-declaration-2000", "event:a.b_c-1"],
)
def test_well_formed_ids(value: str) -> None:
    assert valid_id(value) == value


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Person:lavrov", "is not a valid id"),
        ("person:Lavrov", "is not a valid id"),
        ("person:", "is not a valid id"),
        ("person:sergey--lavrov", "is not a valid id"),
        ("person:-lavrov", "is not a valid id"),
        ("person lavrov", "is not a valid id"),
        ("lavrov", "is not a valid id"),
        ("pet:rex", "does not start with"),
        (7, "expected an id as text, got 7 (int)"),
    ],
)
def test_malformed_ids(value: object, message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        valid_id(value)


def test_an_entity_id_must_name_its_own_kind() -> None:
    with pytest.raises(ValidationError) as caught:
        Person(id="state:kg", names=[Name("X")], sources=S)
    assert issues(caught) == [
        ("$.id", "'state:kg' does not start with 'person:', the kinds of id allowed here")
    ]


def test_kind_of() -> None:
    assert kind_of("person:sergey-lavrov") == "person"


def test_every_entity_class_has_a_kind_and_collection() -> None:
    kinds = [cls.KIND for cls in ENTITY_CLASSES]
    assert len(set(kinds)) == len(kinds)
    # The id rule's kinds (written below the classes, which import it) are the classes' own.
    assert tuple(kinds) == KINDS
    assert all(cls.COLLECTION.startswith(cls.KIND[:4]) for cls in ENTITY_CLASSES)


# --- every field is checked, every problem reported ------------------------------


def test_every_bad_field_is_reported_at_once_with_its_path() -> None:
    with pytest.raises(ValidationError) as caught:
        Tenure(
            id="tenure:x",
            person="Person X",
            position="position:y",
            period="2025/2020",
            acting="no",  # type: ignore[arg-type]
            sources=[],
        )
    assert issues(caught) == [
        ("$.sources", "needs at least 1 item"),
        (
            "$.person",
            "'Person X' is not a valid id; expected 'kind:slug', the slug in lowercase "
            "letters, digits and single '-', '_' or '.' between them, such as "
            "'person:sergey-lavrov'",
        ),
        ("$.period", "'2025/2020' is not a period: the end 2020 is before the start 2025"),
        ("$.acting", "expected true or false, got 'no' (str)"),
    ]


def test_list_items_are_reported_at_their_index() -> None:
    with pytest.raises(ValidationError) as caught:
        Agreement(
            id="agreement:a",
            names=[Name("A")],
            kind=AgreementKind.TREATY,
            status=AgreementStatus.PLANNED,
            parties=["state:kg", "KG", "state:kg"],
            sources=S,
        )
    assert issues(caught) == [
        (
            "$.parties[1]",
            "'KG' is not a valid id; expected 'kind:slug', the slug in lowercase "
            "letters, digits and single '-', '_' or '.' between them, such as "
            "'person:sergey-lavrov'",
        ),
        ("$.parties[2]", "'state:kg' is listed twice"),
    ]


def test_lists_become_tuples_and_text_becomes_values() -> None:
    tenure = Tenure(
        id="tenure:t", person="person:p", position="position:q", period="2021-01-28/..", sources=S
    )
    assert tenure.sources == ("source:s",)
    assert tenure.period.end is None
    assert tenure.confidence is Confidence.VERIFIED
    hash(tenure)  # frozen entities are hashable
    with pytest.raises(AttributeError):
        tenure.person = "person:other"  # type: ignore[misc]


def test_enum_fields_take_members_or_values() -> None:
    position = Position(
        id="position:p",
        names=[Name("P")],
        kind="foreign_minister",  # type: ignore[arg-type]
        organization="state:ru",
        sources=S,
    )
    assert position.kind is PositionKind.FOREIGN_MINISTER
    with pytest.raises(ValidationError) as caught:
        Position(
            id="position:p",
            names=[Name("P")],
            kind="pope",  # type: ignore[arg-type]
            organization="state:ru",
            sources=S,
        )
    [(path, message)] = issues(caught)
    assert path == "$.kind"
    assert message.startswith("'pope' is not one of 'head_of_state', 'head_of_government'")


def test_blank_names_and_text_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Person(id="person:p", names=[], sources=S)
    assert issues(caught) == [("$.names", "needs at least 1 item")]
    with pytest.raises(ValidationError) as caught:
        Person(id="person:p", names=["Lavrov"], sources=S)  # type: ignore[list-item]
    assert issues(caught) == [("$.names[0]", "expected a Name, got 'Lavrov' (str)")]
    with pytest.raises(ValidationError) as caught:
        Person(id="person:p", names=[Name("P")], sources=S, note="  ")
    assert issues(caught) == [("$.note", "must not be empty or blank")]
    with pytest.raises(ValidationError) as caught:
        Person(id="person:p", names=[Name("P")], sources=S, note=" padded")
    assert issues(caught) == [("$.note", "' padded' has leading or trailing whitespace")]
    with pytest.raises(ValidationError) as caught:
        Person(id="person:p", names=[Name("P")], sources="source:s")
    assert issues(caught) == [("$.sources", "expected a list, got 'source:s' (str)")]


def test_fact_bearing_entities_cite_a_source() -> None:
    with pytest.raises(ValidationError) as caught:
        Person(id="person:p", names=[Name("P")], sources=[])
    assert issues(caught) == [("$.sources", "needs at least 1 item")]


# --- State, Organization, Source ---------------------------------------------------


def test_state() -> None:
    state = State(
        id="state:kg",
        code="KGZ",
        names=[Name("Kyrgyzstan"), Name("Kyrgyz Republic", kind="official")],
        capital=[Name("Bishkek")],
        wikidata="Q813",
        cow_code=703,
        sources=S,
    )
    assert state.code == "KG"
    assert state.label == "Kyrgyzstan"
    with pytest.raises(ValidationError) as caught:
        State(
            id="state:kg",
            code="XX",
            names=[Name("K")],
            wikidata="813",
            cow_code=1000,
            sources=S,
        )
    assert issues(caught) == [
        ("$.code", "'XX' is not an ISO 3166-1 alpha-2 country code"),
        ("$.wikidata", "'813' is not a Wikidata item id; expected 'Q' and digits, such as 'Q813'"),
        ("$.cow_code", "must be 2 to 999 (got 1000)"),
    ]
    with pytest.raises(ValidationError) as caught:
        State(id="state:kz", code="KG", names=[Name("K")], sources=S)
    assert issues(caught) == [
        ("$.id", "a state's id is 'state:' and its code in lower case: 'state:kg'")
    ]
    with pytest.raises(ValidationError, match=r"\$.cow_code: expected an integer, got True"):
        State(id="state:kg", code="KG", names=[Name("K")], cow_code=True, sources=S)


@given(country_codes(), st.sampled_from(["alpha_2", "alpha_3", "numeric"]))
def test_the_id_a_state_is_given_is_the_id_the_model_takes(code: str, form: str) -> None:
    # One rule for a state's id: what the imports and the pictures make, the model takes.
    written = getattr(country(code), form)
    state = State(id=State.id_for(written), code=written, names=[Name("K")], sources=S)
    assert state.id == State.id_for(code) == f"state:{code.lower()}"


def test_organization_rules() -> None:
    with pytest.raises(ValidationError) as caught:
        Organization(
            id="organization:o",
            names=[Name("O")],
            kind=OrganizationKind.FUND,
            parent="organization:o",
            founded="2014",
            dissolved="2010",
            sources=S,
        )
    assert issues(caught) == [
        ("$.parent", "an organisation cannot be its own parent"),
        ("$.dissolved", "dissolved 2010 is before founded 2014"),
    ]
    fund = Organization(
        id="organization:rkdf",
        names=[Name("RKDF")],
        kind="fund",  # type: ignore[arg-type]
        founded="2014",
        sources=S,
    )
    assert fund.founded is not None
    assert fund.founded.year == 2014
    assert fund.label == "RKDF"


def test_source() -> None:
    source = Source(
        id="source:tass",
        title="Lavrov to hold talks",
        publisher="TASS",
        url="https://tass.com/politics/1",
        published="2025-01",
        retrieved="2026-11-27",
        language="eng",
    )
    assert source.retrieved == dt.date(2026, 11, 27)
    assert source.language == "en"
    assert source.label == "Lavrov to hold talks"
    with pytest.raises(ValidationError) as caught:
        Source(
            id="source:x",
            title="",
            url="ftp://example.org/x",
            retrieved="27.11.2026",
            language="xx",
        )
    assert issues(caught) == [
        ("$.title", "must not be empty or blank"),
        (
            "$.url",
            "'ftp://example.org/x' is not a web address; expected an http:// or https:// URL",
        ),
        ("$.retrieved", "'27.11.2026' is not a date (YYYY-MM-DD)"),
        ("$.language", "'xx' is not an ISO 639 language code"),
    ]
    with pytest.raises(ValidationError, match="expected a date, got"):
        Source(id="source:x", title="t", retrieved=dt.datetime(2026, 1, 1))
    with pytest.raises(ValidationError, match="not a web address"):
        Source(id="source:x", title="t", url="https://exa mple.org")


# --- relations ----------------------------------------------------------------------


def test_tenure_held_on() -> None:
    tenure = Tenure(
        id="tenure:t",
        person="person:p",
        position="position:q",
        period="2021-10-13/2024-12-16",
        sources=S,
    )
    assert tenure.held_on(dt.date(2024, 12, 16))
    assert not tenure.held_on(dt.date(2025, 1, 22))


def test_membership_status_over_time() -> None:
    armenia = Membership(
        id="membership:am",
        state="state:am",
        organization="organization:csto",
        period="2002-10-07/..",
        changes=[
            StatusChange(since="2024-02-22", status=MembershipStatus.SUSPENDED, sources=S),
            StatusChange(since="2030", status="member"),  # type: ignore[arg-type]
        ],
        sources=S,
    )
    assert armenia.status_on(dt.date(2002, 10, 6)) is None
    assert armenia.status_on(dt.date(2024, 2, 21)) is MembershipStatus.MEMBER
    assert armenia.status_on(dt.date(2024, 2, 22)) is MembershipStatus.SUSPENDED
    assert armenia.status_on(dt.date(2030, 1, 1)) is MembershipStatus.MEMBER


def test_a_status_change_outside_its_membership_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Membership(
            id="membership:m",
            state="state:am",
            organization="organization:csto",
            period="2002-10-07/2020",
            changes=[
                StatusChange(since="2024-02-22", status=MembershipStatus.SUSPENDED),
                StatusChange(since="2019", status=MembershipStatus.MEMBER),
            ],
            sources=S,
        )
    assert issues(caught) == [
        (
            "$.changes[0].since",
            "the change on 2024-02-22 is outside the membership (2002-10-07/2020)",
        ),
        ("$.changes[1].since", "changes must be in date order; 2019 is not after 2024-02-22"),
    ]


def test_status_change_fields_are_checked() -> None:
    with pytest.raises(ValidationError) as caught:
        StatusChange(since="2024-02-30", status="frozen")  # type: ignore[arg-type]
    assert [path for path, _ in issues(caught)] == ["$.since", "$.status"]


def test_chairmanship() -> None:
    chair = Chairmanship(
        id="chairmanship:c",
        organization="organization:csto",
        state="state:kg",
        period="2025/2025",
        sources=S,
    )
    assert chair.period.contains(dt.date(2025, 3, 1))


# --- agreements -----------------------------------------------------------------------


def agreement(**changes: object) -> Agreement:
    fields: dict[str, object] = {
        "id": "agreement:a",
        "names": [Name("A")],
        "kind": AgreementKind.PROGRAMME,
        "status": AgreementStatus.SIGNED,
        "signed": "2025-01-22",
        "sources": S,
    }
    fields.update(changes)
    return Agreement(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "status",
    [
        AgreementStatus.SIGNED,
        AgreementStatus.IN_FORCE,
        AgreementStatus.EXPIRED,
        AgreementStatus.TERMINATED,
    ],
)
def test_a_signed_agreement_needs_a_signing_date(status: AgreementStatus) -> None:
    with pytest.raises(ValidationError) as caught:
        agreement(status=status, signed=None)
    assert issues(caught) == [
        ("$.signed", f"an agreement whose status is {status.value!r} needs a signing date")
    ]


def test_a_planned_agreement_has_no_signing_date_in_its_own_past() -> None:
    planned = agreement(status=AgreementStatus.PLANNED, signed="2025-01-22", as_of="2025-01-20")
    assert planned.status is AgreementStatus.PLANNED
    assert agreement(status=AgreementStatus.PLANNED, signed=None).signed is None
    with pytest.raises(ValidationError) as caught:
        agreement(status=AgreementStatus.PLANNED, signed="2025-01-22", as_of="2025-02")
    assert issues(caught) == [
        (
            "$.signed",
            "a planned agreement cannot have been signed on 2025-01-22, before its record's "
            "date 2025-02; is it signed now?",
        )
    ]


def test_entry_into_force_is_not_before_signing() -> None:
    with pytest.raises(ValidationError) as caught:
        agreement(status=AgreementStatus.IN_FORCE, signed="2002-10-07", in_force="2001")
    assert issues(caught) == [("$.in_force", "entry into force 2001 is before signing 2002-10-07")]


def test_in_force_on() -> None:
    charter = agreement(status=AgreementStatus.IN_FORCE, signed="2002-10-07", in_force="2003-09-18")
    assert not charter.in_force_on(dt.date(2003, 1, 1))
    assert charter.in_force_on(dt.date(2003, 9, 18))
    programme = agreement(status=AgreementStatus.IN_FORCE, validity="2025/2027")
    assert programme.in_force_on(dt.date(2027, 12, 31))
    assert not programme.in_force_on(dt.date(2028, 1, 1))
    assert not agreement(status=AgreementStatus.SIGNED).in_force_on(dt.date(2026, 1, 1))
    expired = agreement(status=AgreementStatus.EXPIRED, signed="2019", validity="2019/2021")
    assert expired.in_force_on(dt.date(2020, 6, 1))
    assert expired.label == "A"


# --- events, statements ----------------------------------------------------------------


def test_a_statement_has_a_speaker() -> None:
    with pytest.raises(ValidationError) as caught:
        Statement(id="statement:s", speaker=None, date="2025-01", text="x", sources=S)  # type: ignore[arg-type]
    assert issues(caught) == [("$.speaker", "expected an id as text, got None (NoneType)")]
    with pytest.raises(TypeError, match="speaker"):
        Statement(id="statement:s", date="2025-01", text="x", sources=S)  # type: ignore[call-arg]


def test_statement_label_is_short() -> None:
    statement = Statement(
        id="statement:s", speaker="person:p", date="2025-01", text="word " * 30 + "end", sources=S
    )
    assert len(statement.label) == 60
    assert statement.label.endswith("…")


def test_event() -> None:
    event = Event(
        id="event:parade",
        names=[Name("Victory Day parade")],
        kind="parade",  # type: ignore[arg-type]
        status="planned",  # type: ignore[arg-type]
        date="2025-05-09",
        topics=["80th anniversary of the victory"],
        sources=S,
        confidence=Confidence.UNVERIFIED,
    )
    assert event.label == "Victory Day parade"
    assert event.topics == ("80th anniversary of the victory",)


# --- economy ----------------------------------------------------------------------------


def test_observation_holds_a_figure_exactly_as_reported() -> None:
    figure = observation()
    assert figure.money is not None
    assert str(figure.money) == "USD 3200000000"
    assert figure.label == "approximately USD 3200000000 (2024)"
    projects = observation(unit="project", value=36, qualifier=Qualifier.EXACT, partner=None)
    assert projects.money is None
    assert projects.label == "36 project (2024)"
    more = observation(value="2500000000", qualifier="more_than", partner=None)
    assert more.label == "more than USD 2500000000 (2024)"
    assert more.value == Decimal(2500000000)


def test_observation_rules() -> None:
    with pytest.raises(ValidationError) as caught:
        observation(value=3.2e9, unit="dollars!", reporter="XX", partner="RUS")
    assert issues(caught) == [
        ("$.reporter", "'XX' is not an ISO 3166-1 alpha-2 country code"),
        (
            "$.value",
            "a float cannot hold a decimal amount exactly (got 3200000000.0); "
            "pass a string or Decimal instead, such as '3200000000.0'",
        ),
        (
            "$.unit",
            "'dollars!' is not a unit; expected an ISO 4217 currency code such as 'USD' "
            "or a lowercase word such as 'project'",
        ),
    ]
    with pytest.raises(ValidationError) as caught:
        observation(period=None, partner="KG")
    assert issues(caught) == [
        ("$.period", "an observation of kind 'actual' needs a period"),
        ("$.partner", "the partner must differ from the reporter"),
    ]
    target = observation(period=None, kind=ObservationKind.TARGET)
    assert target.label == "approximately USD 3200000000"


def test_indicator() -> None:
    indicator = Indicator(
        id="indicator:trade-balance", names=[Name("Trade balance")], allows_negative=True
    )
    assert indicator.label == "Trade balance"
    assert not indicator.symmetric
    assert indicator.measure is None  # declares nothing: any unit goes


@pytest.mark.parametrize(
    ("measure", "unit", "problem"),
    [
        (Measure.MONEY, "USD", None),
        (Measure.MONEY, "usd", "'usd' is not a currency code; did you mean 'USD'?"),
        (Measure.MONEY, "all", "'all' is not a currency code; did you mean 'ALL'?"),
        (Measure.MONEY, "project", "'project' is not a currency code; expected one such as 'USD'"),
        (Measure.COUNT, "project", None),
        (Measure.COUNT, "all", None),  # a word, though ALL is the lek
        (Measure.COUNT, "USD", "expected a word for what is counted, such as 'project', got 'USD'"),
        (
            Measure.COUNT,
            "percent",
            "expected a word for what is counted, such as 'project', got 'percent'",
        ),
        (Measure.PERCENT, "percent", None),
        (Measure.PERCENT, "USD", "expected the unit 'percent', got 'USD'"),
        (Measure.PERCENT, "pct", "expected the unit 'percent', got 'pct'"),
    ],
)
def test_a_measure_says_which_units_fit(measure: Measure, unit: str, problem: str | None) -> None:
    assert measure.unit_problem(unit) == problem
    assert measure.fits(unit) is (problem is None)


def test_an_indicator_declares_its_measure_as_the_member_or_its_value() -> None:
    def indicator(measure: object) -> Indicator:
        return Indicator(id="indicator:i", names=[Name("I")], measure=measure)  # type: ignore[arg-type]

    assert indicator("money").measure is Measure.MONEY
    assert indicator(Measure.PERCENT).measure is Measure.PERCENT
    with pytest.raises(ValidationError) as caught:
        indicator("usd")
    assert issues(caught) == [("$.measure", "'usd' is not one of 'money', 'count', 'percent'")]


def test_references_are_found_with_their_paths() -> None:
    membership = Membership(
        id="membership:m",
        state="state:am",
        organization="organization:csto",
        period="2002/..",
        changes=[StatusChange(since="2024", status="suspended", sources=["source:x"])],  # type: ignore[arg-type]
        sources=S,
    )
    assert [(keys, ref, kinds) for keys, ref, kinds in iter_references(membership)] == [
        (("sources", 0), "source:s", ("source",)),
        (("state",), "state:am", ("state",)),
        (("organization",), "organization:csto", ("organization",)),
        (("changes", 0, "sources", 0), "source:x", ("source",)),
    ]


def test_the_compiled_constructor_is_shown_in_a_traceback_and_reports_every_problem() -> None:
    # The constructor is compiled from the fields' checks; its source is registered
    # with linecache, so a traceback (or a debugger, or inspect) shows its lines.
    with pytest.raises(ValidationError) as caught:
        Observation(
            id="observation:o",
            indicator="indicator:i",
            reporter="XX",
            value="1.5E-30",
            unit="USD",
            sources=["source:s", "source:s"],
        )
    assert issues(caught) == [
        ("$.sources[1]", "'source:s' is listed twice"),
        ("$.reporter", "'XX' is not an ISO 3166-1 alpha-2 country code"),
        ("$.value", "the amount has more than 18 digits after the point"),
    ]
    shown = "".join(traceback.format_exception(caught.value))
    assert "<kgru_relations generated __init__ Observation>" in shown
    assert "failed(self, id=id" in shown  # the generated line itself
    assert "check_" in inspect.getsource(Observation.__init__)
