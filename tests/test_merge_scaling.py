"""Merge work grows as n·log n in the number of records, whatever they share.

Each test merges an adversarial pair at n and at 4n records that all share one
key (a source title, a person and office, an observation's indicator, reporter,
partner and period, one id, one Wikidata id, one event's topics, one record
named along a chain, offices that rule 7 keeps apart) and counts the Python
function calls the merge makes (an operation count, the same on every machine,
never a time). n·log n makes about 4·log(4n)/log(n) times as many calls at 4n; the
bound allows half as much again, and a square (sixteen times) does not pass.
"""

import math
from collections.abc import Callable

import attrs
import pytest

from kgru_relations import (
    Dataset,
    Event,
    EventKind,
    EventStatus,
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
    Tenure,
)
from kgru_relations.model._base import Entity

from .test_scaling import python_calls

N = 200
GROWTH = 4
SLACK = 1.5

Pair = tuple[Dataset, list[Entity]]

BASE: list[Entity] = [
    Source(id="source:s", title="S"),
    State(id="state:ru", code="RU", names=[Name("Russia")], sources=["source:s"]),
    Person(id="person:p", names=[Name("P")], wikidata="Q1", sources=["source:s"]),
    Position(
        id="position:p",
        names=[Name("Minister")],
        kind=PositionKind.MINISTER,
        organization="state:ru",
        single_holder=False,
        sources=["source:s"],
    ),
    Indicator(id="indicator:t", names=[Name("Trade")]),
]


def one_title(count: int) -> Pair:
    """Our sources and theirs under the same ids, all titled alike, each with another page."""

    def pages(side: str) -> list[Entity]:
        return [
            Source(id=f"source:s{i}", title="Press release", url=f"https://e.org/{side}/{i}")
            for i in range(count)
        ]

    return Dataset([*BASE, *pages("ours")]), [*BASE, *pages("theirs")]


def one_title_again(count: int) -> Pair:
    """The pair above once merged, merged again: each of theirs finds where it went."""
    ours, theirs = one_title(count)
    return ours.merge(theirs), theirs


def one_office(count: int) -> Pair:
    """One tenure of ours; theirs tell it *count* times, each from its own source."""
    sources = [Source(id=f"source:s{i}", title=f"S{i}") for i in range(count)]
    tenures = [
        Tenure(
            id=f"tenure:t{i}",
            person="person:p",
            position="position:p",
            period="2000/2004",
            sources=[f"source:s{i}"],
        )
        for i in range(count)
    ]
    return Dataset([*BASE, *sources, tenures[0]]), [*BASE, *sources, *tenures]


def one_office_many_terms(count: int) -> Pair:
    """*count* terms in one office each side, told by both, and as many of theirs overlapping."""

    def terms(prefix: str, end: str) -> list[Entity]:
        return [
            Tenure(
                id=f"tenure:{prefix}{i}",
                person="person:p",
                position="position:p",
                period=f"{1000 + i}/{end or 1000 + i}",
                sources=["source:s"],
            )
            for i in range(count)
        ]

    return Dataset([*BASE, *terms("ours", "")]), [*BASE, *terms("theirs", ""), *terms("wide", "..")]


def one_figure(count: int) -> Pair:
    """*count* figures of one indicator, pair and year each side, same ids, none agreeing."""

    def figures(offset: int) -> list[Entity]:
        return [
            Observation(
                id=f"observation:o{i}",
                indicator="indicator:t",
                reporter="KG",
                partner="RU",
                period="2024",
                value=2 * i + offset,
                unit="USD",
                sources=["source:s"],
            )
            for i in range(count)
        ]

    return Dataset([*BASE, *figures(1)]), [*BASE, *figures(2)]


def one_id(count: int) -> Pair:
    """Theirs: *count* sources and as many people, all under one id that is ours, none alike."""
    sources: list[Entity] = [Source(id="source:s", title=f"Title {i}") for i in range(count)]
    people: list[Entity] = [
        Person(id="person:p", names=[Name(f"Name {i}")], sources=["source:s"]) for i in range(count)
    ]
    return Dataset(BASE), [*sources, *people]


def one_id_taken(count: int) -> Pair:
    """Ours: ``source:x`` and ``source:x-2`` to ``source:x-<count>``; theirs: two ``source:x``."""
    ours = [Source(id="source:x", title="X")]
    ours += [Source(id=f"source:x-{i}", title=f"X{i}") for i in range(2, count + 1)]
    return Dataset(ours), [Source(id="source:x", title="Y"), Source(id="source:x", title="Z")]


def one_person(count: int) -> Pair:
    """Our person; theirs *count* records of it (one Wikidata id), each with another name."""
    people: list[Entity] = [
        Person(id=f"person:q{i}", names=[Name(f"Name {i}")], wikidata="Q1", sources=["source:s"])
        for i in range(count)
    ]
    return Dataset(BASE), [*BASE, *people]


def one_cited_by_a_chain(count: int) -> Pair:
    """Theirs: an organisation citing *count* sources, and *count* accounts of it in a chain.

    Each account is part of the next, and names that organisation: records
    are placed after those they name, so each step of the chain meets it again.
    """
    sources = [Source(id=f"source:s{i}", title=f"S{i}") for i in range(count)]
    accounts: list[Entity] = [
        Organization(
            id=f"organization:a{i}",
            names=[Name(f"A{i}")],
            kind=OrganizationKind.INTERGOVERNMENTAL,
            parent=f"organization:a{i + 1}" if i + 1 < count else None,
            variant_of="organization:b",
            sources=["source:s0"],
        )
        for i in range(count)
    ]
    cited = Organization(
        id="organization:b",
        names=[Name("B")],
        kind=OrganizationKind.INTERGOVERNMENTAL,
        sources=[source.id for source in sources],
    )
    return Dataset(), [*sources, *accounts, cited]


def offices_held_twice(count: int) -> Pair:
    """*count* single-holder offices, ours held by one person, theirs by another at once."""

    def held(person: str) -> list[Entity]:
        return [
            Tenure(
                id=f"tenure:{person}-{i}",
                person=f"person:{person}",
                position=f"position:o{i}",
                period="2000/2004",
                sources=["source:s"],
            )
            for i in range(count)
        ]

    offices: list[Entity] = [
        Position(
            id=f"position:o{i}",
            names=[Name(f"Office {i}")],
            kind=PositionKind.MINISTER,
            organization="state:ru",
            sources=["source:s"],
        )
        for i in range(count)
    ]
    other = Person(id="person:q", names=[Name("Q")], sources=["source:s"])
    return Dataset([*BASE, *offices, *held("p")]), [*BASE, other, *offices, *held("q")]


def one_event(count: int) -> Pair:
    """Our event with *count* topics; theirs *count* records of it, each with one of them."""
    summit = Event(
        id="event:e",
        names=[Name("Summit")],
        kind=EventKind.SUMMIT,
        status=EventStatus.HELD,
        date="2024-10-16",
        topics=[f"Topic {i}" for i in range(count)],
        sources=["source:s"],
    )
    told: list[Entity] = [
        attrs.evolve(summit, topics=[f"Topic {i}"], sources=[f"source:s{i}"]) for i in range(count)
    ]
    sources = [Source(id=f"source:s{i}", title=f"S{i}") for i in range(count)]
    return Dataset([*BASE, summit]), [*BASE, *sources, *told]


SHAPES: dict[str, Callable[[int], Pair]] = {
    "one title": one_title,
    "one title, merged again": one_title_again,
    "one office, one period": one_office,
    "one office, many terms": one_office_many_terms,
    "one figure key": one_figure,
    "one id": one_id,
    "one id, suffixes taken": one_id_taken,
    "one person": one_person,
    "one cited by a chain": one_cited_by_a_chain,
    "offices held twice": offices_held_twice,
    "one event, many topics": one_event,
}


def merge_calls(build: Callable[[int], Pair], count: int) -> int:
    ours, theirs = build(count)
    return python_calls(lambda: ours.merged(theirs))


def n_log_n_growth(count: int) -> float:
    """How much n·log n grows from *count* to GROWTH times it."""
    return GROWTH * math.log(GROWTH * count) / math.log(count)


@pytest.mark.parametrize("shape", SHAPES)
def test_merge_work_grows_as_n_log_n(shape: str) -> None:
    small = merge_calls(SHAPES[shape], N)
    large = merge_calls(SHAPES[shape], N * GROWTH)
    assert large / small < SLACK * n_log_n_growth(N), (small, large)
