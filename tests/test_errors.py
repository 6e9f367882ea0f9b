import pickle

import pytest

from kgru_relations import Issue, KgruRelationsError, ValidationError
from kgru_relations.errors import _IssueCollector


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
        ("$", ("odd key", 0), "$['odd key'][0]"),
        ("$", ("it's",), "$['it\\'s']"),
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


def test_repr_shows_the_issues() -> None:
    assert (
        repr(ValidationError.at("$.a", "x")) == "ValidationError([Issue(path='$.a', message='x')])"
    )


def test_collector_gathers_everything_then_raises_once() -> None:
    collector = _IssueCollector()
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
    collector = _IssueCollector()
    with pytest.raises(KeyError), collector.catch("a"):
        raise KeyError("x")
    assert collector.issues == []


def test_issues_can_say_which_line_of_the_input() -> None:
    issue = Issue("$", "not valid JSON", line=2, column=16)
    assert str(issue) == "line 2, column 16: $: not valid JSON"
    assert str(Issue("$.value", "bad", line=7)) == "line 7: $.value: bad"
    assert repr(issue) == "Issue(path='$', message='not valid JSON', line=2, column=16)"
    assert issue.under("rows", 3).line == 2
