"""The Dataset's checks grow with the data, not with its square.

Each test counts the Python function calls a check makes at n records and at
10n (an operation count, the same on every machine, never a time): a check
that is linear (or n·log n) makes about ten times as many, a quadratic one a
hundred. The bound, thirty times, leaves room for n·log n without letting a
square pass. What is reported is bounded too: one issue or finding per record
at most, and no more than ``MAX_ISSUES`` issues listed.
"""

import sys
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

import pytest

from kgru_relations import (
    Chairmanship,
    Dataset,
    Indicator,
    Name,
    Observation,
    Organization,
    OrganizationKind,
    Person,
    Position,
    PositionKind,
    Source,
    State,
    Statement,
    Tenure,
)
from kgru_relations.errors import MAX_ISSUES

N = 300
GROWTH = 10
BOUND = 30


def python_calls(work: Callable[[], object]) -> int:
    """How many Python function calls *work* makes: an operation count, not a time.

    Work done inside one C call (a sort, a lookup) counts once, so this sees a
    square made of Python steps, the kind a loop over records makes.
    """
    calls = 0

    def count(frame: FrameType, event: str, arg: object) -> None:
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(count)
    try:
        work()
    finally:
        sys.setprofile(None)
    return calls


def scales_linearly(work: Callable[[Dataset], Any], build: Callable[[int], Dataset]) -> None:
    # Each on a dataset fresh from its build, so the indexes a query builds are counted.
    small, large = build(N), build(N * GROWTH)
    small_calls = python_calls(lambda: work(small))
    large_calls = python_calls(lambda: work(large))
    assert large_calls < BOUND * small_calls, (small_calls, large_calls)


BASE = [
    Source(id="source:s", title="S"),
    State(id="state:kg", code="KG", names=[Name("Kyrgyzstan")], sources=["source:s"]),
    Organization(
        id="organization:o",
        names=[Name("O")],
        kind=OrganizationKind.INTERGOVERNMENTAL,
        sources=["source:s"],
    ),
]


def open_chairs(count: int) -> Dataset:
    """*count* chairmanships of one organisation, every one from 2000 with no end."""
    return Dataset(
        [
            *BASE,
            *(
                Chairmanship(
                    id=f"chairmanship:c{index}",
                    organization="organization:o",
                    state="state:kg",
                    period="2000/..",
                    sources=["source:s"],
                )
                for index in range(count)
            ),
        ]
    )


@pytest.mark.parametrize("count", [N, N * GROWTH])
def test_overlapping_chairmanships_give_one_issue_each_listed_up_to_the_limit(count: int) -> None:
    issues = open_chairs(count).validate()
    assert len(issues) + issues.more == count - 1  # not count * (count - 1) / 2
    assert len(issues) == min(count - 1, MAX_ISSUES)


def test_validate_work_grows_linearly() -> None:
    scales_linearly(Dataset.validate, open_chairs)


def figures(count: int) -> Dataset:
    """*count* figures of one indicator, year and pair, each from its own source, none agreeing."""
    return Dataset(
        [
            Indicator(id="indicator:t", names=[Name("T")]),
            *(
                Observation(
                    id=f"observation:f{index}",
                    indicator="indicator:t",
                    reporter="KG",
                    partner="RU",
                    period="2024",
                    value=index + 1,
                    unit="USD",
                    sources=[f"source:s{index}"],
                )
                for index in range(count)
            ),
        ]
    )


@pytest.mark.parametrize("count", [N, N * GROWTH])
def test_disagreeing_figures_give_one_finding_each(count: int) -> None:
    findings = figures(count).check()
    assert len(findings) == count - 1  # not count * (count - 1) / 2
    assert all(finding.ids[0] == "observation:f0" for finding in findings)


def test_check_work_grows_linearly_with_the_figures() -> None:
    scales_linearly(Dataset.check, figures)


def terms(count: int) -> Dataset:
    """One person who held one office *count* times and spoke as it each time, reported later."""

    def statements() -> Iterator[Statement]:
        for index in range(count):
            yield Statement(
                id=f"statement:s{index}",
                speaker="person:p",
                as_position="position:p",
                date=str(1000 + index),
                text="Something.",
                sources=["source:later"],
            )

    return Dataset(
        [
            *BASE,
            Source(id="source:later", title="Memoirs", published="9000"),
            Person(id="person:p", names=[Name("P")], sources=["source:s"]),
            Position(
                id="position:p",
                names=[Name("P")],
                kind=PositionKind.MINISTER,
                organization="organization:o",
                sources=["source:s"],
            ),
            *(
                Tenure(
                    id=f"tenure:t{index}",
                    person="person:p",
                    position="position:p",
                    period=f"{1000 + index}-01/{1000 + index}-06",
                    sources=["source:s"],
                )
                for index in range(count)
            ),
            *statements(),
        ]
    )


def test_check_work_grows_linearly_with_the_tenures_and_statements() -> None:
    findings = terms(N).check()
    # Each statement was made in office, and is reported long after: for information.
    assert [finding.code for finding in findings] == ["outdated-title"] * N
    assert findings[-1].ids[-1] == f"tenure:t{N - 1}"
    scales_linearly(Dataset.check, terms)
