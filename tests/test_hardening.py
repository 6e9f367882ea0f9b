"""Bad input gets an exact, bounded, printable answer; a bug in the library is never hidden."""

import json
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import jsonschema
import pytest

from kgru_relations import (
    Money,
    Observation,
    Source,
    Statement,
    ValidationError,
    dumps,
    json_schema,
    load_default,
    loads,
)
from kgru_relations.errors import MAX_ISSUES, shown
from kgru_relations.io._migrations import _MIGRATIONS

from .builders import document, observation_record, tenure_record


def issues_of(data: bytes | str) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        loads(data)
    return [str(issue) for issue in caught.value.issues]


# --- every check raises ValidationError itself, at its path ---------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [("http://[x", "Invalid IPv6 URL"), ("http://a\uff03b/", "invalid characters under NFKC")],
)
def test_a_url_urllib_cannot_split_is_reported_at_its_path_with_the_rest(
    url: str, reason: str
) -> None:
    data = json.dumps(
        {"schema_version": 1, "sources": [{"id": "source:a", "title": "", "url": url}]}
    )
    found = issues_of(data)
    assert found[0] == "$.sources[0].title: must not be empty or blank"
    assert found[1].startswith("$.sources[0].url: ")
    assert reason in found[1]
    with pytest.raises(ValidationError, match=reason):
        Source(id="source:a", title="A", url=url)


def test_a_bug_inside_loading_surfaces_as_a_bug_not_as_an_invalid_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(data: dict[str, Any]) -> dict[str, Any]:
        raise KeyError("a bug")

    monkeypatch.setitem(_MIGRATIONS, 0, broken)
    with pytest.raises(KeyError, match="a bug"):
        loads(b'{"schema_version": 0}')


# --- one text rule for every text field -------------------------------------------------------


TEXT_FIELDS: list[tuple[str, Callable[[str], dict[str, Any]]]] = [
    ("$.sources[0].title", lambda text: document(sources=[{"id": "source:a", "title": text}])),
    (
        "$.sources[0].note",
        lambda text: document(sources=[{"id": "source:a", "title": "A", "note": text}]),
    ),
    (
        "$.sources[0].url",
        lambda text: document(
            sources=[{"id": "source:a", "title": "A", "url": "https://example.org/" + text}]
        ),
    ),
    (
        "$.statements[0].text",
        lambda text: document(
            persons=[{"id": "person:p", "names": [{"text": "P"}], "sources": ["source:s"]}],
            statements=[
                {"id": "statement:a", "speaker": "person:p", "text": text, "sources": ["source:s"]}
            ],
        ),
    ),
    (
        "$.persons[0].names[0].text",
        lambda text: document(
            persons=[{"id": "person:p", "names": [{"text": text}], "sources": ["source:s"]}]
        ),
    ),
]


@pytest.mark.parametrize(("path", "build"), TEXT_FIELDS, ids=[path for path, _ in TEXT_FIELDS])
@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("a\ud800b", "U+D800, a lone surrogate"),
        ("a\x00b", "the control character U+0000"),
        ("a\x1b[2Jb", "the control character U+001B"),
        ("a\x85b", "the control character U+0085"),
        ("a\u202eb", "the invisible character U+202E"),
    ],
)
def test_every_text_field_refuses_what_cannot_be_shown_or_saved(
    path: str, build: Callable[[str], dict[str, Any]], text: str, what: str
) -> None:
    found = issues_of(json.dumps(build(text)))
    [issue] = [issue for issue in found if issue.startswith(f"{path}: ")]  # one, at the field
    assert what in issue
    assert "at character" in issue  # says where in the text


def test_notes_and_quotations_may_hold_line_feeds_titles_may_not() -> None:
    statement = Statement(
        id="statement:a", speaker="person:p", text="One.\nTwo.", sources=["source:s"]
    )
    assert statement.text == "One.\nTwo."
    assert Source(id="source:a", title="A", note="one\ntwo").note == "one\ntwo"
    with pytest.raises(ValidationError, match="control character U\\+000A"):
        Source(id="source:a", title="A\nB")


def test_the_schema_refuses_the_same_characters() -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    for path, build in TEXT_FIELDS:
        for text in ("a\ud800b", "a\x00b", "a\u202eb"):
            assert list(validator.iter_errors(build(text))), (path, text)
    ok = document(sources=[{"id": "source:a", "title": "A", "note": "one\ntwo"}])
    assert list(validator.iter_errors(ok)) == []
    trailing = document(sources=[{"id": "source:a", "title": "A\n"}])
    assert list(validator.iter_errors(trailing))


# --- paths and messages are data, not terminal commands ---------------------------------------


def test_a_key_with_a_newline_and_escape_cannot_forge_a_line_or_clear_the_screen() -> None:
    data = json.dumps(
        {"schema_version": 1, "sources": [{"id": "source:a", "title": "A", "x\n$: ok\x1b[2J": 1}]}
    )
    [found] = issues_of(data)
    assert found.startswith('$.sources[0]["x\\n$: ok\\u001b[2J"]: unknown key')
    assert found.isprintable()


def test_a_lone_surrogate_key_is_reported_and_the_report_is_utf8() -> None:
    data = '{"schema_version": 1, "sources": [{"id": "source:a", "title": "A", "\\ud800": 1}]}'
    [found] = issues_of(data)
    assert found.startswith('$.sources[0]["\\ud800"]: unknown key')
    found.encode("utf-8")


def test_a_huge_value_is_never_echoed_whole() -> None:
    huge = "x" * 5_000_000
    for record in (
        {"id": "source:a", "title": "A", "url": huge},
        {"id": huge, "title": "A"},
        {"id": "source:a", "title": "A", "retrieved": huge},
        {"id": "source:a", "title": "A", "language": huge},
    ):
        found = issues_of(json.dumps({"schema_version": 1, "sources": [record]}))
        assert all(len(issue) < 300 for issue in found), [len(issue) for issue in found]


# --- numbers: no digit lost, every message placed ---------------------------------------------


def test_a_long_json_number_is_quoted_as_written() -> None:
    data = json.dumps(
        document(
            observations=[
                {
                    "id": "observation:a",
                    "indicator": "indicator:t",
                    "reporter": "KG",
                    "period": "2024",
                    "unit": "USD",
                    "sources": ["source:s"],
                }
            ]
        )
    ).replace('"unit"', '"value": 12345678901234567890123.5, "unit"')
    found = issues_of(data)
    assert any(
        issue.startswith(
            '$.observations[0].value: expected a decimal string such as "12345678901234567890123.5"'
        )
        for issue in found
    ), found
    assert not any("e+22" in issue for issue in found)


def test_a_5000_digit_integer_is_refused_at_its_path() -> None:
    [found] = issues_of(b'{"schema_version": ' + b"7" * 5000 + b"}")
    assert found.startswith("$.schema_version: expected an integer version, got 777777777777…")
    assert "set_int_max_str_digits" not in found


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused_where_they_stand(constant: str) -> None:
    data = '{"schema_version": 1, "sources": [{"id": "source:a", "title": ' + constant + "}]}"
    assert issues_of(data) == [
        f"$.sources[0].title: expected text, got {constant} "
        "(not JSON: write a number as a decimal string)"
    ]


def test_decimal_text_in_exponent_form_reads_as_the_decimal_does() -> None:
    assert Money("43.8E9", "USD") == Money(Decimal("43.8E9"), "USD")
    assert Money("43.8E9", "USD").amount.as_tuple().exponent == 0
    assert str(Money(Decimal("43.8E9"), "USD")) == "USD 43800000000"
    with pytest.raises(ValidationError, match="more than 30 digits before the point"):
        Money("1E40", "USD")


# --- bounded: linear in the input, and reports capped -----------------------------------------


def seconds(action: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def duplicated_keys(count: int) -> bytes:
    keys = ", ".join(f'"k{n}": 1, "k{n}": 2' for n in range(count))
    head = '{"schema_version": 1, "sources": [{"id": "source:a", "title": "A", '
    return (head + keys + "}]}").encode()


def test_duplicated_keys_cost_linear_time_and_the_report_is_capped() -> None:
    small, large = duplicated_keys(2_000), duplicated_keys(20_000)
    with pytest.raises(ValidationError) as caught:
        loads(large)
    assert len(caught.value.issues) == MAX_ISSUES
    assert caught.value.more == 2 * 20_000 - MAX_ISSUES  # each key: repeated and unknown
    # Ten times the input may cost ten times the time; quadratic would be a hundred.
    ratio = seconds(lambda: issues_of(large)) / seconds(lambda: issues_of(small))
    assert ratio < 35, ratio


def failed_records_with_dangling_references(count: int) -> bytes:
    persons = [{"id": f"person:p{n}", "names": [], "sources": ["source:s"]} for n in range(count)]
    tenures = [
        {
            "id": f"tenure:t{n}",
            "person": f"person:p{n}",
            "position": "position:nowhere",
            "period": "2020/..",
            "sources": ["source:s"],
        }
        for n in range(count)
    ]
    return json.dumps(document(persons=persons, tenures=tenures)).encode()


def test_failed_records_and_dangling_references_cost_linear_time() -> None:
    small = failed_records_with_dangling_references(300)
    large = failed_records_with_dangling_references(3_000)
    found = issues_of(small)
    # Each person fails (no names); each tenure's person is reported only by its own
    # record, but its position, which is in no record, is reported.
    assert sum("needs at least 1 item" in issue for issue in found) == 300
    assert not any("no person with id" in issue for issue in found)
    assert sum("no position with id 'position:nowhere'" in issue for issue in found) == 300
    ratio = seconds(lambda: issues_of(large)) / seconds(lambda: issues_of(small))
    assert ratio < 35, ratio


def test_a_reference_to_a_failed_record_of_the_wrong_kind_is_still_reported() -> None:
    # A person's record filed among the states fails (its id is not a state's);
    # a tenure naming it must hear that it names a state, not be silenced.
    data = json.dumps(
        document(
            states=[{"id": "person:x", "code": "KG", "names": [{"text": "X"}], "sources": []}],
            positions=[
                {"id": "position:p", "title": "P", "of": "state:kg", "sources": ["source:s"]}
            ],
            tenures=[
                {
                    "id": "tenure:t",
                    "person": "person:x",
                    "position": "position:p",
                    "period": "2020/..",
                    "sources": ["source:s"],
                }
            ],
        )
    )
    found = issues_of(data)
    assert "$.tenures[0].person: 'person:x' is a state, not a person" in found, found


def test_the_loader_reports_a_tenure_whose_state_failed_and_what_else_is_wrong_near_it() -> None:
    # state:kg fails (no such country code). A tenure naming the state as its
    # position names the wrong kind of entity; two tenures of a position of
    # that state overlap. Both are real errors, and neither may be hidden
    # because a record it mentions failed.
    data = json.dumps(
        document(
            states=[
                {"id": "state:kg", "code": "XX", "names": [{"text": "K"}], "sources": ["source:s"]}
            ],
            persons=[{"id": "person:p", "names": [{"text": "P"}], "sources": ["source:s"]}],
            positions=[
                {
                    "id": "position:president",
                    "names": [{"text": "President"}],
                    "kind": "head_of_state",
                    "organization": "state:kg",
                    "sources": ["source:s"],
                }
            ],
            tenures=[
                tenure_record("a", position="state:kg", period="2020/.."),
                tenure_record("b", position="position:president", period="2020/2023"),
                tenure_record("c", position="position:president", period="2022/.."),
            ],
        )
    )
    found = issues_of(data)
    assert found[0].startswith("$.states[0].code: "), found
    assert "$.tenures[0].position: 'state:kg' is a state, not a position" in found, found
    assert any(issue.startswith("$.tenures[2].period: ") for issue in found), found
    # The position names the failed state rightly: that reference is not an error.
    assert not any(issue.startswith("$.positions[0]") for issue in found), found
    assert len(found) == 3, found


def test_dumps_of_a_loaded_file_never_fails() -> None:
    data = json.dumps(document(sources=[{"id": "source:a", "title": "Ж \u200d A"}]))
    assert loads(dumps(loads(data))) == loads(data)


def test_a_day_is_read_one_way_by_the_constructor_and_the_file() -> None:
    # date.fromisoformat reads "20261127" too; the model and the file must not.
    with pytest.raises(ValidationError, match="is not a date"):
        Source(id="source:a", title="A", retrieved="20261127")
    found = issues_of(
        json.dumps(document(sources=[{"id": "source:a", "title": "A", "retrieved": "20261127"}]))
    )
    assert found == ["$.sources[0].retrieved: '20261127' is not a date (YYYY-MM-DD)"]


def observations_file(count: int) -> bytes:
    records = [
        observation_record(
            id=f"observation:o{n}",
            partner="RU",
            period=f"{2000 + n % 25}-{1 + n % 12:02d}",
            value=f"{n}.5",
        )
        for n in range(count)
    ]
    indicator = {"id": "indicator:t", "names": [{"text": "Trade"}]}
    return json.dumps(document(indicators=[indicator], observations=records)).encode()


def test_load_time_grows_linearly_with_the_records() -> None:
    small, large = observations_file(2_000), observations_file(20_000)
    assert len(loads(large).all(Observation)) == 20_000
    ratio = seconds(lambda: loads(large)) / seconds(lambda: loads(small))
    assert ratio < 30, ratio


def test_a_file_with_more_integrity_problems_than_listed_says_how_many() -> None:
    copies = [{"id": "source:a", "title": "A"}] * (MAX_ISSUES + 100)
    with pytest.raises(ValidationError) as caught:
        loads(json.dumps({"schema_version": 1, "sources": copies}))
    assert len(caught.value.issues) == MAX_ISSUES
    assert caught.value.more == 99  # the first copy is fine; each later one is reported


def test_a_record_that_failed_still_hears_its_unit_does_not_fit_its_indicator() -> None:
    data = json.dumps(
        document(
            indicators=[{"id": "indicator:t", "names": [{"text": "Trade"}], "measure": "money"}],
            observations=[
                {
                    "id": "observation:a",
                    "indicator": "indicator:t",
                    "reporter": "KG",
                    "period": "2024-13",
                    "value": "1",
                    "unit": "usd",
                    "sources": ["source:s"],
                }
            ],
        )
    )
    found = issues_of(data)
    assert found[0].startswith("$.observations[0].period: ")
    assert found[1] == (
        "$.observations[0].unit: 'indicator:t' measures money: "
        "'usd' is not a currency code; did you mean 'USD'?"
    )


@pytest.mark.parametrize(
    ("value", "unit"), [("-5", "usd"), ("-5", "USD"), ("5", "usd"), ("-0.5", "percent")]
)
def test_a_record_that_failed_hears_the_same_value_and_unit_problems_as_one_that_built(
    value: str, unit: str
) -> None:
    # One wiring of the figure rules a dataset applies: what validate() says of a
    # figure that built, the loader says of the same figure when another field failed.
    indicator = {"id": "indicator:t", "names": [{"text": "Trade"}], "measure": "money"}
    figure = {
        "id": "observation:a",
        "indicator": "indicator:t",
        "reporter": "KG",
        "period": "2024",
        "value": value,
        "unit": unit,
        "sources": ["source:s"],
    }
    built = issues_of(json.dumps(document(indicators=[indicator], observations=[figure])))
    assert built  # a negative value, or a unit that does not fit money, or both
    failed = issues_of(
        json.dumps(document(indicators=[indicator], observations=[figure | {"period": "2024-13"}]))
    )
    assert failed[0].startswith("$.observations[0].period: ")
    assert sorted(failed[1:]) == sorted(built)


def test_a_long_unit_of_a_record_that_failed_is_quoted_short() -> None:
    unit = "tonne" * 20_000  # a word the unit rule refuses as too long, or takes: quoted short
    indicator = {"id": "indicator:t", "names": [{"text": "Trade"}], "measure": "money"}
    figure = {
        "id": "observation:a",
        "indicator": "indicator:t",
        "reporter": "KG",
        "period": "2024-13",
        "value": "1",
        "unit": unit,
        "sources": ["source:s"],
    }
    found = issues_of(json.dumps(document(indicators=[indicator], observations=[figure])))
    told = [issue for issue in found if issue.startswith("$.observations[0].unit: 'indicator:t'")]
    assert told == [
        f"$.observations[0].unit: 'indicator:t' measures money: {shown(unit)} is not a currency "
        "code; expected one such as 'USD'"
    ]
    assert len(told[0]) < 200


@pytest.mark.parametrize(
    "value", [None, 123, 1.5, [], {}, object()], ids=lambda v: type(v).__name__
)
def test_loads_of_what_is_not_text_or_bytes_is_a_validation_error(value: object) -> None:
    # Not an AttributeError from deep inside: the input's type, at $.
    with pytest.raises(ValidationError) as raised:
        loads(value)  # type: ignore[arg-type]
    assert [str(issue) for issue in raised.value.issues] == [
        f"$: expected bytes or text, got {type(value).__name__}"
    ]


def test_loads_reads_a_bytearray_and_a_memoryview_as_bytes() -> None:
    text = dumps(load_default())
    from_bytearray = loads(bytearray(text))  # type: ignore[arg-type]
    assert from_bytearray == loads(memoryview(text)) == load_default()  # type: ignore[arg-type]
