"""Builders the tests share: each makes one valid record or object, changed by keyword.

Two kinds, kept apart by name: `*_record` builders return the JSON-ready dict a data
file holds (for the loader to read), the others return the built model object.
Every builder cites `source:s`; `document` supplies that source.
"""

from decimal import Decimal
from typing import Any

from kgru_relations import (
    Chairmanship,
    Name,
    Observation,
    ObservationKind,
    PartialDate,
    Person,
    Qualifier,
    Tenure,
)

SOURCES = ("source:s",)


# --- records: the dicts a data file holds ---------------------------------------------------


def document(**collections: list[dict[str, Any]]) -> dict[str, Any]:
    """A data file's top level: version 1, the source `source:s`, and the given collections."""
    return {"schema_version": 1, "sources": [{"id": "source:s", "title": "S"}], **collections}


def observation_record(**fields: Any) -> dict[str, Any]:
    """A file's record of one observation (USD 5 reported by KG for 2024), fields replaced."""
    record: dict[str, Any] = {
        "id": "observation:a",
        "indicator": "indicator:t",
        "reporter": "KG",
        "period": "2024",
        "value": "5",
        "unit": "USD",
        "sources": ["source:s"],
    }
    record.update(fields)
    return record


def tenure_record(slug: str, **fields: Any) -> dict[str, Any]:
    """A file's record of `tenure:<slug>`: person:p holds position:q from 2020, fields replaced."""
    return {
        "id": f"tenure:{slug}",
        "person": "person:p",
        "position": "position:q",
        "period": "2020/..",
        "sources": ["source:s"],
        **fields,
    }


# --- objects: the built model ---------------------------------------------------------------


def person(slug: str, *names: Name, sources: tuple[str, ...] = SOURCES) -> Person:
    """`person:<slug>`, with the names given, or else one name made from the slug."""
    return Person(id=f"person:{slug}", names=names or (Name(slug.title()),), sources=sources)


def tenure(
    slug: str,
    period: str = "2020/..",
    *,
    person: str = "person:a",
    position: str = "position:p",
    acting: bool = False,
) -> Tenure:
    """`tenure:<slug>`: the person holds the position over the period."""
    return Tenure(
        id=f"tenure:{slug}",
        person=person,
        position=position,
        period=period,
        acting=acting,
        sources=SOURCES,
    )


def chairmanship(
    slug: str,
    period: str = "2024/2024",
    *,
    organization: str = "organization:csto",
    state: str = "state:kg",
) -> Chairmanship:
    """`chairmanship:<slug>`: the state chairs the organisation over the period."""
    return Chairmanship(
        id=f"chairmanship:{slug}",
        organization=organization,
        state=state,
        period=period,
        sources=SOURCES,
    )


def observation(**changes: Any) -> Observation:
    """Approximately USD 3.2 billion of KG–RU trade turnover in 2024, fields replaced."""
    fields: dict[str, Any] = {
        "id": "observation:o",
        "indicator": "indicator:trade-turnover",
        "reporter": "KG",
        "partner": "RU",
        "period": "2024",
        "value": Decimal("3.2E9"),
        "unit": "USD",
        "qualifier": Qualifier.APPROXIMATELY,
        "sources": SOURCES,
    }
    fields.update(changes)
    return Observation(**fields)


def bare_observation(slug: str, value: Decimal | str = "5", **changes: Any) -> Observation:
    """`observation:<slug>`: KG's USD `value` for 2024 under indicator:t, fields replaced."""
    fields: dict[str, Any] = {
        "id": f"observation:{slug}",
        "indicator": "indicator:t",
        "reporter": "KG",
        "period": "2024",
        "value": value,
        "unit": "USD",
        "sources": SOURCES,
    }
    fields.update(changes)
    return Observation(**fields)


def varied_observation(index: int, value: Decimal | str = "1", **changes: Any) -> Observation:
    """The index-th of many observations that vary every optional field, fields replaced."""
    precision = index % 4
    when = (
        PartialDate(2000 + index % 30),
        PartialDate(2000 + index % 30, quarter=index % 4 + 1),
        PartialDate(2000 + index % 30, index % 12 + 1),
        PartialDate(2000 + index % 30, index % 12 + 1, index % 28 + 1),
    )[precision]
    fields: dict[str, Any] = {
        "id": f"observation:o-{index}",
        "indicator": "indicator:trade",
        "reporter": "KG",
        "partner": None if index % 5 == 0 else "RU",
        "period": when,
        "value": value,
        "unit": "USD" if index % 3 else "project",
        "qualifier": list(Qualifier)[index % len(Qualifier)],
        "kind": ObservationKind.ACTUAL,
        "sources": ["source:s"] if index % 2 else ["source:s", "source:t"],
        "note": None if index % 7 else f"note {index}, with a comma",
    }
    fields.update(changes)
    return Observation(**fields)
