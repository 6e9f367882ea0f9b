import pickle
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgru_relations import Issue, KgruRelationsError, ValidationError
from kgru_relations.errors import MAX_ISSUES, SHOWN, IssueCollector, described, shown, typed

#: Any JSON value, nested as deep as hypothesis likes.
JSON: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
)


def test_validation_error_is_a_value_error_and_a_library_error() -> None:
    error = ValidationError.at("$", "bad")
    assert isinstance(error, ValueError)
    assert isinstance(error, KgruRelationsError)
    with pytest.raises(ValueError, match="bad"):
        raise error


def test_str_lists_every_issue_one_per_line() -> None:
    error = ValidationError(
        [
            Issue("$.observations[1].reporter", "'XX' is not an ISO 3166-1 alpha-2 country code"),
            Issue("$.observations[1].value", "must not be negative (got '-5')"),
        ]
    )
    assert str(error).splitlines() == [
        "$.observations[1].reporter: 'XX' is not an ISO 3166-1 alpha-2 country code",
        "$.observations[1].value: must not be negative (got '-5')",
    ]
    assert len(error) == 2
    assert [issue.path for issue in error] == [
        "$.observations[1].reporter",
        "$.observations[1].value",
    ]


def test_an_error_needs_an_issue() -> None:
    with pytest.raises(ValueError, match="at least one issue"):
        ValidationError([])


@pytest.mark.parametrize(
    ("path", "keys", "expected"),
    [
        ("$", ("start",), "$.start"),
        ("$.end", ("tenures", 4, "period"), "$.tenures[4].period.end"),
        ("$[2]", ("rows",), "$.rows[2]"),
        ("$", ("odd key", 0), '$["odd key"][0]'),
        ("$", ("it's",), '$["it\'s"]'),
        ("$", ('say "hi"',), '$["say \\"hi\\""]'),
        ("$", ("a\n\x1b[2J",), '$["a\\n\\u001b[2J"]'),
        ("$", ("\ud800",), '$["\\ud800"]'),
        ("$", ("\u202e", "\U0001f600\x00"), '$["\\u202e"]["\U0001f600\\u0000"]'),
        ("$.x", (), "$.x"),
    ],
)
def test_issue_paths_nest_under_enclosing_values(
    path: str, keys: tuple[str | int, ...], expected: str
) -> None:
    assert Issue(path, "m").under(*keys) == Issue(expected, "m")
    assert ValidationError.at(path, "m").under(*keys).issues == (Issue(expected, "m"),)


def test_errors_survive_pickling_for_multiprocessing_users() -> None:
    error = ValidationError([Issue("$.a", "one"), Issue("$.b", "two")])
    copy = pickle.loads(pickle.dumps(error))
    assert copy.issues == error.issues
    assert str(copy) == str(error)
    capped = ValidationError([Issue("$.a", "one")] * (MAX_ISSUES + 5))
    assert pickle.loads(pickle.dumps(capped)).more == 5


def test_a_long_key_is_shortened_in_the_path() -> None:
    path = Issue("$", "m").under("k" * 10_000).path
    assert len(path) < 60
    assert path.startswith('$["kkk')
    assert path.endswith('…"]')


def test_paths_and_messages_are_always_one_printable_bounded_line() -> None:
    issue = Issue("$.a\nforged: line", "bad \x1b[2J value\n" + "x" * 1_000_000)
    assert issue.path.isprintable()
    assert issue.message.isprintable()
    assert len(issue.message) <= 400
    assert "\\u001b[2J" in issue.message
    assert len(str(issue).splitlines()) == 1


def test_shown_quotes_a_value_printably_and_briefly() -> None:
    assert shown("Bishkek") == "'Bishkek'"
    assert shown("\ud800\x00") == "'\\ud800\\x00'"
    assert len(shown("x" * 50_000_000)) == SHOWN
    assert shown(b"\x00" * 100).endswith("…")
    assert shown(3) == "3"


def nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


def test_a_deeply_nested_value_or_a_huge_number_is_named_not_printed() -> None:
    deep = nested(100_000)  # repr() of it raises RecursionError
    assert shown(deep) == typed(deep).removesuffix(" (list)") == described(deep) == "a list"
    assert shown({"a": deep}) == described({"a": deep}) == "an object"
    huge = 10**5000  # repr() of it raises ValueError (over 4,300 digits)
    assert shown(huge) == shown(-huge) == described(huge) == "a number too long to show"
    assert typed(huge) == "a number too long to show (int)"
    assert shown(10**70) == str(10**70)[: SHOWN - 1] + "…"


def short_and_printable(message: str) -> bool:
    return message.isprintable() and len(message) <= 2 * SHOWN


@given(JSON)
def test_any_json_value_is_described_briefly_and_printably(value: object) -> None:
    assert short_and_printable(shown(value))
    assert short_and_printable(typed(value))
    assert short_and_printable(described(value))


@given(st.integers(min_value=0, max_value=20_000).map(lambda digits: 10**digits) | st.integers())
def test_any_integer_is_described_briefly_and_printably(value: int) -> None:
    for message in (shown(value), shown(-value), typed(value), described(value)):
        assert short_and_printable(message)


def test_errors_list_at_most_max_issues_and_count_the_rest() -> None:
    error = ValidationError(Issue(f"$[{n}]", "bad") for n in range(MAX_ISSUES + 250))
    assert len(error.issues) == MAX_ISSUES
    assert error.more == 250
    assert str(error).splitlines()[-1].startswith("… and 250 more issues")
    moved = error.under("rows")
    assert moved.more == 250
    assert moved.issues[0].path == "$.rows[0]"


def test_a_collector_stops_keeping_issues_at_the_limit_but_counts_them() -> None:
    collector = IssueCollector()
    for n in range(MAX_ISSUES - 1):
        collector.add(f"$[{n}]", "bad")
    with collector.catch("x"):
        raise ValidationError([Issue("$", "one"), Issue("$", "two")], more=3)
    with pytest.raises(ValidationError) as caught:
        collector.raise_if_any()
    assert len(caught.value.issues) == MAX_ISSUES
    assert caught.value.issues[-1] == Issue("$.x", "one")
    assert caught.value.more == 4


def test_repr_shows_the_issues() -> None:
    assert (
        repr(ValidationError.at("$.a", "x")) == "ValidationError([Issue(path='$.a', message='x')])"
    )


def test_collector_gathers_everything_then_raises_once() -> None:
    collector = IssueCollector()
    collector.raise_if_any()  # nothing collected: nothing raised
    collector.add("$.a", "first")
    with collector.catch("b", 0):
        raise ValidationError([Issue("$", "second"), Issue("$.c", "third")])
    with collector.catch("d"):
        pass
    with pytest.raises(ValidationError) as caught:
        collector.raise_if_any()
    assert [str(issue) for issue in caught.value] == [
        "$.a: first",
        "$.b[0]: second",
        "$.b[0].c: third",
    ]


def test_collector_lets_other_exceptions_through() -> None:
    collector = IssueCollector()
    with pytest.raises(KeyError), collector.catch("a"):
        raise KeyError("x")
    assert collector.issues == []


def test_issues_can_say_which_line_of_the_input() -> None:
    issue = Issue("$", "not valid JSON", line=2, column=16)
    assert str(issue) == "line 2, column 16: $: not valid JSON"
    assert str(Issue("$.value", "bad", line=7)) == "line 7: $.value: bad"
    assert repr(issue) == "Issue(path='$', message='not valid JSON', line=2, column=16)"
    assert issue.under("rows", 3).line == 2
