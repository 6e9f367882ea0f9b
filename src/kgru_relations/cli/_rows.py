"""What several commands say alike about a dataset's records: JSON rows, tables, lookups.

``summary`` and ``agreements`` show agreements the same way, ``summary`` and
``series`` figures, ``summary`` and ``check`` findings, ``series`` and
``plot series`` what figures an indicator has when none were asked for well.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, TypeVar

from kgru_relations.cli._output import USAGE, WIDTH, Failure, Output, table, wrap
from kgru_relations.codes import country_code
from kgru_relations.dataset import Dataset, Finding
from kgru_relations.model import Agreement, Entity, Observation, ObservationKind

__all__ = [
    "agreement_row",
    "agreements_table",
    "default_day",
    "entity",
    "figures_of",
    "finding_row",
    "findings_text",
    "indicator_id",
    "label",
    "observation_row",
]

E = TypeVar("E", bound=Entity)


def label(dataset: Dataset, entity_id: str) -> str:
    """The entity's label, or its id if the dataset has no such entity."""
    return dataset.get(entity_id).label if entity_id in dataset else entity_id


def entity(dataset: Dataset, entity_id: str, kind: type[E]) -> E:
    """The entity with *entity_id*, of *kind*; a usage `Failure` if there is none."""
    try:
        return dataset.get(entity_id, kind)  # its message says which id was meant, if close
    except (KeyError, TypeError) as error:
        raise Failure(str(error.args[0]), USAGE) from None


def indicator_id(text: str) -> str:
    """An indicator's id, from its id or its slug (``trade-turnover``)."""
    return text if ":" in text else f"indicator:{text}"


def default_day(dataset: Dataset) -> _dt.date:
    """The day to describe: the last day a dated fact could fall on, as ``check()`` judges."""
    latest = dataset.latest_date
    return _dt.date.today() if latest is None else latest


def agreement_row(dataset: Dataset, agreement: Agreement, day: _dt.date) -> dict[str, Any]:
    """An agreement, for JSON; ``in_force_on_day`` judged on *day*."""
    return {
        "agreement": agreement.id,
        "name": agreement.label,
        "kind": agreement.kind.value,
        "status": agreement.status.value,
        "signed": None if agreement.signed is None else str(agreement.signed),
        "in_force_on_day": agreement.in_force_on(day),
        "parties": [label(dataset, party) for party in agreement.parties],
        "confidence": agreement.confidence.value,
    }


def agreements_table(rows: list[dict[str, Any]], out: Output) -> None:
    """Agreement rows as a table: signed, status, kind, name."""
    table(
        [[r["signed"] or "—", r["status"].replace("_", " "), r["kind"], r["name"]] for r in rows],
        ["signed", "status", "kind", "agreement"],
        out,
    )


def observation_row(dataset: Dataset, observation: Observation) -> dict[str, Any]:
    """A figure, for JSON: its value exact, as text."""
    return {
        "observation": observation.id,
        "indicator": observation.indicator,
        "indicator_name": label(dataset, observation.indicator),
        "reporter": observation.reporter,
        "partner": observation.partner,
        "subject": observation.subject,
        "period": None if observation.period is None else str(observation.period),
        "value": format(observation.value, "f"),
        "unit": observation.unit,
        "qualifier": observation.qualifier.value,
        "kind": observation.kind.value,
        "confidence": observation.confidence.value,
        "sources": list(observation.sources),
    }


def finding_row(finding: Finding) -> dict[str, Any]:
    """A consistency finding, for JSON."""
    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "message": finding.message,
        "ids": list(finding.ids),
    }


def findings_text(findings: list[dict[str, Any]], out: Output) -> None:
    """Finding rows as a list, each wrapped to the width (its ids whole)."""
    if not findings:
        out.write("  (none)\n")
    for finding in findings:
        text = f"{finding['severity']}: {finding['message']}"
        lines = wrap(text, WIDTH.get() - 4)
        out.write(f"  - {lines[0]}\n")
        for more in lines[1:]:
            out.write(f"    {more}\n")


def figures_of(dataset: Dataset, indicator: str, reporter: str) -> str:
    """Which reporters, partners and kinds the indicator has figures for, *reporter*'s first.

    For a series that is empty: ``it has figures for --reporter KG --partner RU
    (actual, target)``.
    """
    first = country_code(reporter)
    kinds: dict[tuple[str, str | None], set[str]] = {}
    for o in dataset.all(Observation):
        if o.indicator == indicator:
            kinds.setdefault((o.reporter, o.partner), set()).add(o.kind.value)
    if not kinds:
        return "the dataset has no figures of it at all"
    order = [k.value for k in ObservationKind]
    found = [
        f"--reporter {who}"
        + (f" --partner {whom}" if whom else " (no partner)")
        + f" ({', '.join(sorted(kinds[who, whom], key=order.index))})"
        for who, whom in sorted(kinds, key=lambda pair: (pair[0] != first, pair[0], pair[1] or ""))
    ]
    return f"it has figures for {'; '.join(found)}"
