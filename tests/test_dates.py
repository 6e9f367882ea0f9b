import datetime as dt
import itertools

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kgru_relations import UNKNOWN, DatePrecision, PartialDate, Period, ValidationError
from kgru_relations.strategies import partial_dates, periods

# --- PartialDate: parsing and text ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "precision", "earliest", "latest"),
    [
        ("2025", DatePrecision.YEAR, dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("2025-Q1", DatePrecision.QUARTER, dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
        ("2025-Q3", DatePrecision.QUARTER, dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
        ("2025-Q4", DatePrecision.QUARTER, dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        ("2025-05", DatePrecision.MONTH, dt.date(2025, 5, 1), dt.date(2025, 5, 31)),
        ("2024-02", DatePrecision.MONTH, dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2025-02", DatePrecision.MONTH, dt.date(2025, 2, 1), dt.date(2025, 2, 28)),
        ("2025-05-09", DatePrecision.DAY, dt.date(2025, 5, 9), dt.date(2025, 5, 9)),
        ("0001", DatePrecision.YEAR, dt.date(1, 1, 1), dt.date(1, 12, 31)),
        ("9999-12-31", DatePrecision.DAY, dt.date(9999, 12, 31), dt.date(9999, 12, 31)),
    ],
)
def test_parse_reads_each_precision(
    text: str, precision: DatePrecision, earliest: dt.date, latest: dt.date
) -> None:
    value = PartialDate.parse(text)
    assert value.precision is precision
    assert value.earliest == earliest
    assert value.latest == latest
    assert str(value) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "2025-02-30",
            "'2025-02-30' is not a real date: "
            "day 30 is out of range for February 2025 (it has 28 days)",
        ),
        (
            "2023-02-29",
            "'2023-02-29' is not a real date: "
            "day 29 is out of range for February 2023 (it has 28 days)",
        ),
        ("2025-13", "'2025-13' is not a real date: month must be 1 to 12 (got 13)"),
        ("2025-00", "'2025-00' is not a real date: month must be 1 to 12 (got 0)"),
        (
            "2025-04-31",
            "'2025-04-31' is not a real date: "
            "day 31 is out of range for April 2025 (it has 30 days)",
        ),
        ("2025-Q5", "'2025-Q5' is not a real date: quarter must be 1 to 4 (got 5)"),
        ("2025-Q0", "'2025-Q0' is not a real date: quarter must be 1 to 4 (got 0)"),
        ("0000", "'0000' is not a real date: year must be 1 to 9999 (got 0)"),
        ("25", "'25' is not a date; expected YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD"),
        ("", "empty text is not a date; expected YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD"),
        ("2025-5-9", "'2025-5-9' is not a date; expected YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD"),
        (
            "2025-05-09T10:00",
            "'2025-05-09T10:00' is not a date; expected YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD",
        ),
        (" 2025", "' 2025' is not a date; expected YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD"),
        ("2025\n", "'2025\\n' is not a date; expected YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD"),
        ("２０２５", "'２０２５' is not a date; expected YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD"),
        ("2025-q3", "'2025-q3' is not a date; expected YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD"),
        ("12025", "'12025' is not a date; expected YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_parse_refuses_bad_text_naming_the_problem(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        PartialDate.parse(text)
    assert [(issue.path, issue.message) for issue in caught.value] == [("$", message)]


@pytest.mark.parametrize("value", [2025, None, dt.date(2025, 1, 1), b"2025"])
def test_parse_refuses_what_is_not_text(value: object) -> None:
    with pytest.raises(ValidationError, match="expected partial date text"):
        PartialDate.parse(value)  # type: ignore[arg-type]


def test_leap_day_is_a_real_date_in_leap_years_only() -> None:
    assert PartialDate.parse("2024-02-29").earliest == dt.date(2024, 2, 29)
    assert PartialDate.parse("2000-02-29").earliest == dt.date(2000, 2, 29)
    with pytest.raises(ValidationError, match="February 1900"):
        PartialDate.parse("1900-02-29")


# --- PartialDate: construction ----------------------------------------------------


def test_construct_from_parts_and_from_a_date() -> None:
    assert PartialDate(2025, 5, 9) == PartialDate.parse("2025-05-09")
    assert PartialDate(2025, quarter=3) == PartialDate.parse("2025-Q3")
    assert PartialDate.from_date(dt.date(2025, 1, 22)) == PartialDate(2025, 1, 22)
    assert PartialDate.from_date(dt.datetime(2025, 1, 22, 23, 59)) == PartialDate(2025, 1, 22)


def test_constructor_reports_every_bad_part_at_its_field() -> None:
    with pytest.raises(ValidationError) as caught:
        PartialDate(0, 13, 40)
    assert [(issue.path, issue.message) for issue in caught.value] == [
        ("$.year", "year must be 1 to 9999 (got 0)"),
        ("$.month", "month must be 1 to 12 (got 13)"),
    ]


@pytest.mark.parametrize(
    ("kwargs", "path", "message"),
    [
        ({"year": 2025, "day": 3}, "$.day", "a day needs a month"),
        (
            {"year": 2025, "month": 2, "quarter": 1},
            "$.quarter",
            "a quarter or a month and day, not both",
        ),
        ({"year": "2025"}, "$.year", "expected an integer year, got '2025' (str)"),
        ({"year": None}, "$.year", "expected an integer year, got None (NoneType)"),
        ({"year": True}, "$.year", "expected an integer year, got True (bool)"),
        ({"year": 2025, "month": 1.0}, "$.month", "expected an integer month, got 1.0 (float)"),
        (
            {"year": 2025, "month": 2, "day": 29},
            "$.day",
            "day 29 is out of range for February 2025",
        ),
    ],
)
def test_constructor_refuses_impossible_parts(
    kwargs: dict[str, object], path: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        PartialDate(**kwargs)  # type: ignore[arg-type]
    assert caught.value.issues[0].path == path
    assert message in caught.value.issues[0].message


def test_coerce_accepts_text_dates_and_partial_dates() -> None:
    may = PartialDate(2025, 5)
    assert PartialDate.coerce(may) is may
    assert PartialDate.coerce("2025-05") == may
    assert PartialDate.coerce(dt.date(2025, 5, 9)) == PartialDate(2025, 5, 9)


def test_partial_dates_are_frozen_and_hashable() -> None:
    value = PartialDate(2025)
    with pytest.raises(AttributeError):
        value.year = 2026  # type: ignore[misc]
    assert len({PartialDate.parse("2025"), PartialDate(2025), PartialDate(2025, 1)}) == 2


def test_repr_round_trips_through_eval() -> None:
    value = PartialDate(2025, quarter=2)
    assert eval(repr(value), {"PartialDate": PartialDate}) == value


@pytest.mark.parametrize(
    ("text", "reduced"),
    [("0987", "0987"), ("2025-Q3", "2025"), ("2025-05", "2025-05"), ("2025-05-09", "2025-05-09")],
)
def test_reduced_iso_keeps_what_iso_8601_can_say(text: str, reduced: str) -> None:
    assert PartialDate.parse(text).reduced_iso() == reduced


@given(partial_dates())
def test_reduced_iso_is_a_date_that_contains_the_original(value: PartialDate) -> None:
    reduced = PartialDate.parse(value.reduced_iso())
    assert reduced.precision is not DatePrecision.QUARTER
    assert reduced.earliest <= value.earliest
    assert value.latest <= reduced.latest


def test_contains_a_day() -> None:
    q3 = PartialDate.parse("2025-Q3")
    assert q3.contains(dt.date(2025, 7, 1))
    assert q3.contains(dt.date(2025, 9, 30))
    assert not q3.contains(dt.date(2025, 10, 1))
    assert q3.contains(dt.datetime(2025, 9, 30, 23, 59))
    with pytest.raises(TypeError, match=r"expected a datetime\.date"):
        q3.contains("2025-08-01")  # type: ignore[arg-type]


def test_order_puts_narrower_dates_first_among_those_starting_together() -> None:
    texts = ["2025", "2025-02", "2025-01", "2025-Q1", "2025-01-01", "2024-12-31", "2025-Q2"]
    ordered = sorted(PartialDate.parse(text) for text in texts)
    assert [str(value) for value in ordered] == [
        "2024-12-31",
        "2025-01-01",
        "2025-01",
        "2025-Q1",
        "2025",
        "2025-02",
        "2025-Q2",
    ]


def test_comparing_with_other_types_is_refused() -> None:
    with pytest.raises(TypeError):
        _ = PartialDate(2025) < dt.date(2025, 1, 1)  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = PartialDate(2025) <= "2025"  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = PartialDate(2025) > 2025  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = PartialDate(2025) >= None  # type: ignore[operator]
    text: object = "2025"
    assert PartialDate(2025) != text


# --- PartialDate: laws ----------------------------------------------------------


@given(partial_dates())
def test_text_round_trips(value: PartialDate) -> None:
    assert PartialDate.parse(str(value)) == value


@given(partial_dates())
def test_earliest_is_not_after_latest(value: PartialDate) -> None:
    assert value.earliest <= value.latest
    assert value.earliest.year == value.latest.year == value.year


@given(partial_dates(), st.dates())
def test_contains_agrees_with_earliest_and_latest(value: PartialDate, day: dt.date) -> None:
    assert value.contains(day) == (value.earliest <= day <= value.latest)


@given(partial_dates(), partial_dates())
def test_order_is_total_and_consistent_with_earliest(a: PartialDate, b: PartialDate) -> None:
    assert [a < b, a == b, a > b].count(True) == 1
    assert (a <= b) == (a < b or a == b)
    assert (a >= b) == (a > b or a == b)
    if a.earliest < b.earliest:
        assert a < b
    if a < b:
        assert a.earliest <= b.earliest
    if a == b:
        assert hash(a) == hash(b)
        assert str(a) == str(b)


@given(partial_dates(), partial_dates(), partial_dates())
def test_order_is_transitive(a: PartialDate, b: PartialDate, c: PartialDate) -> None:
    if a <= b <= c:
        assert a <= c


@given(st.dates(min_value=dt.date(1, 1, 1)))
def test_a_day_round_trips_through_a_partial_date(day: dt.date) -> None:
    value = PartialDate.from_date(day)
    assert value.earliest == value.latest == day
    assert str(value) == day.isoformat()


# --- Period ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "is_open"),
    [
        ("2025/2027", dt.date(2025, 1, 1), dt.date(2027, 12, 31), False),
        ("2021-01-28/..", dt.date(2021, 1, 28), None, True),
        ("../2024-12-16", None, dt.date(2024, 12, 16), True),
        ("../..", None, None, True),
        ("2024-Q4/2025-Q1", dt.date(2024, 10, 1), dt.date(2025, 3, 31), False),
        ("2025-06-15/2025-06", dt.date(2025, 6, 15), dt.date(2025, 6, 30), False),
        ("2025/2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31), False),
        # An unknown side bounds nothing: it may be any later (or earlier) day.
        ("2019-01-01/", dt.date(2019, 1, 1), None, False),
        ("/2024-12-16", None, dt.date(2024, 12, 16), False),
    ],
)
def test_period_text(
    text: str, earliest: dt.date | None, latest: dt.date | None, is_open: bool
) -> None:
    period = Period.parse(text)
    assert period.earliest == earliest
    assert period.latest == latest
    assert period.is_open is is_open
    assert str(period) == text


def test_year_range_covers_whole_years() -> None:
    period = Period.parse("2025/2027")
    assert period.contains(dt.date(2025, 1, 1))
    assert period.contains(dt.date(2027, 12, 31))
    assert not period.contains(dt.date(2024, 12, 31))
    assert not period.contains(dt.date(2028, 1, 1))


def test_tenure_that_ended_does_not_contain_a_later_day() -> None:
    akylbek_japarov = Period.parse("2021-10-13/2024-12-16")
    assert akylbek_japarov.contains(dt.date(2024, 12, 16))
    assert not akylbek_japarov.contains(dt.date(2025, 1, 22))
    assert Period.parse("2004-03-09/..").contains(dt.date(2025, 1, 22))
    assert Period.parse("../2004-03-09").contains(dt.date(1, 1, 1))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027/2025", "'2027/2025' is not a period: the end 2025 is before the start 2027"),
        ("2025-06-15/2025-06-10", "the end 2025-06-10 is before the start 2025-06-15"),
        (
            "2025",
            "'2025' is not a period; expected 'start/end', each a date, '..' for an open side "
            "or nothing for an unknown one",
        ),
        ("2025/2026/2027", "'2025/2026/2027' is not a period; expected 'start/end'"),
        ("/", "'/' is not a period: an unknown start needs a dated end"),
        ("/..", "'/..' is not a period: an unknown start needs a dated end"),
        ("../", "'../' is not a period: an unknown end needs a dated start"),
        (
            "2025-13/2027-02-30",
            "'2025-13/2027-02-30' is not a period: the start: '2025-13' is not a real date: "
            "month must be 1 to 12 (got 13); the end: '2027-02-30' is not a real date",
        ),
        ("2025/...", "the end: '...' is not a date"),
        ("", "'' is not a period"),
    ],
)
def test_period_parse_refuses_bad_text(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Period.parse(text)
    [issue] = caught.value.issues
    assert issue.path == "$"
    assert message in issue.message


def test_period_parse_refuses_what_is_not_text() -> None:
    with pytest.raises(ValidationError, match="expected period text, got 2025"):
        Period.parse(2025)  # type: ignore[arg-type]


def test_period_constructor_takes_text_dates_and_partial_dates() -> None:
    assert Period("2025", "2027") == Period.parse("2025/2027")
    assert Period(dt.date(2021, 1, 28)) == Period.parse("2021-01-28/..")
    assert Period(end=PartialDate(2024, 12, 16)) == Period.parse("../2024-12-16")


def test_period_constructor_reports_each_bad_end_at_its_path() -> None:
    with pytest.raises(ValidationError) as caught:
        Period("2025-13", 2027)  # type: ignore[arg-type]
    assert [(issue.path, issue.message) for issue in caught.value] == [
        ("$.start", "'2025-13' is not a real date: month must be 1 to 12 (got 13)"),
        (
            "$.end",
            "expected a partial date, its text, a datetime.date, UNKNOWN or None, got 2027 (int)",
        ),
    ]
    with pytest.raises(ValidationError) as caught:
        Period("2027", "2025")
    assert [(issue.path, issue.message) for issue in caught.value] == [
        ("$.end", "the end 2025 is before the start 2027"),
    ]


def test_overlaps() -> None:
    assert Period.parse("2023/2025").overlaps(Period.parse("2025-12-31/.."))
    assert not Period.parse("2023/2024").overlaps(Period.parse("2025/.."))
    assert not Period.parse("2025/..").overlaps(Period.parse("2023/2024"))
    assert Period.parse("../..").overlaps(Period.parse("1990/1991"))
    assert Period.parse("../2000").overlaps(Period.parse("../1990"))


def test_periods_sort_by_start_then_end() -> None:
    texts = ["2025/..", "../2020", "2025/2026", "2024/2030", "../..", "2025-01/2025-06"]
    ordered = sorted(Period.parse(text) for text in texts)
    assert [str(value) for value in ordered] == [
        "../2020",
        "../..",
        "2024/2030",
        "2025-01/2025-06",
        "2025/2026",
        "2025/..",
    ]
    with pytest.raises(TypeError):
        _ = Period() < PartialDate(2025)  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = Period() <= 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = Period() > 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = Period() >= 1  # type: ignore[operator]


def test_period_repr_round_trips_through_eval() -> None:
    value = Period.parse("2021-01-28/..")
    assert eval(repr(value), {"Period": Period}) == value


# --- Period: laws ---------------------------------------------------------------


@given(periods())
def test_period_text_round_trips(period: Period) -> None:
    assert Period.parse(str(period)) == period


@given(periods(), st.dates())
def test_period_may_contain_agrees_with_earliest_and_latest(period: Period, day: dt.date) -> None:
    after_start = period.earliest is None or period.earliest <= day
    before_end = period.latest is None or day <= period.latest
    assert period.may_contain(day) == (after_start and before_end)


@given(periods(), st.dates())
def test_what_a_period_contains_it_may_contain(period: Period, day: dt.date) -> None:
    if period.contains(day):
        assert period.may_contain(day)
    if not period.is_unknown:
        assert period.contains(day) == period.may_contain(day)


@given(partial_dates(), st.dates())
def test_an_unknown_end_is_dated_no_further_than_its_start(
    start: PartialDate, day: dt.date
) -> None:
    period = Period(start, UNKNOWN)
    assert period.contains(day) == start.contains(day)
    assert period.may_contain(day) == (start.earliest <= day)


def test_an_unknown_end_is_not_an_open_end() -> None:
    ended = Period.parse("2019-01-01/")
    going_on = Period.parse("2019-01-01/..")
    assert ended != going_on
    assert ended.end is UNKNOWN
    assert going_on.end is None
    assert not ended.is_open
    assert ended.is_unknown
    assert going_on.is_open
    assert not going_on.is_unknown
    later = dt.date(2020, 1, 1)
    assert going_on.contains(later)
    assert not ended.contains(later)
    assert ended.may_contain(later)
    assert Period("2019-01-01", UNKNOWN) == ended
    assert Period(UNKNOWN, "2024-12-16") == Period.parse("/2024-12-16")
    assert sorted([going_on, ended, Period.parse("2019-01-01/2019-06")]) == [
        Period.parse("2019-01-01/2019-06"),
        ended,
        going_on,
    ]
    assert repr(ended) == "Period.parse('2019-01-01/')"
    assert repr(UNKNOWN) == "UNKNOWN"


@pytest.mark.parametrize(
    ("start", "end", "path"),
    [(UNKNOWN, None, "$.start"), (UNKNOWN, UNKNOWN, "$.start"), (None, UNKNOWN, "$.end")],
)
def test_an_unknown_side_needs_a_date_facing_it(start: object, end: object, path: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Period(start, end)  # type: ignore[arg-type]
    [issue] = caught.value.issues
    assert issue.path == path
    assert "needs a dated" in issue.message


@given(periods(), periods())
def test_overlaps_is_symmetric(a: Period, b: Period) -> None:
    assert a.overlaps(b) == b.overlaps(a)


@given(periods(), periods())
def test_overlaps_means_a_shared_day(a: Period, b: Period) -> None:
    starts = [day for day in (a.earliest, b.earliest) if day is not None]
    ends = [day for day in (a.latest, b.latest) if day is not None]
    first_shared = max(starts) if starts else min(ends) if ends else dt.date(2000, 1, 1)
    if a.overlaps(b):
        assert a.may_contain(first_shared)
        assert b.may_contain(first_shared)
    else:
        assert starts
        assert ends
        assert not any(a.may_contain(day) and b.may_contain(day) for day in starts + ends)


@given(periods())
def test_a_period_overlaps_itself(period: Period) -> None:
    assert period.overlaps(period)


@given(partial_dates(), partial_dates())
def test_period_refuses_exactly_the_ends_before_their_starts(
    a: PartialDate, b: PartialDate
) -> None:
    if b.latest < a.earliest:
        with pytest.raises(ValidationError):
            Period(a, b)
    else:
        assert Period(a, b).end == b


@given(periods(), periods())
def test_period_order_is_total(a: Period, b: Period) -> None:
    assert [a < b, a == b, a > b].count(True) == 1
    assert (a <= b) == (a < b or a == b)
    assert (a >= b) == (a > b or a == b)


@given(st.lists(periods(), min_size=3, max_size=3))
def test_period_order_is_transitive(values: list[Period]) -> None:
    for a, b, c in itertools.permutations(values):
        if a <= b <= c:
            assert a <= c


@given(partial_dates())
def test_a_single_date_period_contains_exactly_its_days(value: PartialDate) -> None:
    period = Period(value, value)
    assume(value.latest < dt.date.max)
    assert period.contains(value.earliest)
    assert period.contains(value.latest)
    assert not period.contains(value.latest + dt.timedelta(days=1))
