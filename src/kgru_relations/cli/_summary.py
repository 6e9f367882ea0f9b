"""``summary`` (the main picture of a dataset on a day) and ``check`` (its findings)."""

from __future__ import annotations

import argparse
import datetime as _dt
from decimal import Decimal
from typing import Any, Final

from kgru_relations._amounts import amount, figure  # as the pictures write them
from kgru_relations.cli._arguments import add_command, add_file, data_file, day
from kgru_relations.cli._files import dataset as read_dataset
from kgru_relations.cli._output import OK, Output, heading, table, wrapped, write_json
from kgru_relations.cli._rows import (
    agreement_row,
    agreements_table,
    default_day,
    finding_row,
    findings_text,
    label,
    observation_row,
)
from kgru_relations.dataset import Dataset
from kgru_relations.model import (
    Observation,
    ObservationKind,
    Organization,
    OrganizationKind,
    PositionKind,
    Source,
    State,
)

__all__ = ["add_check", "add_summary"]

_KEY_OFFICES: Final = (
    (PositionKind.HEAD_OF_STATE, "Head of state"),
    (PositionKind.HEAD_OF_GOVERNMENT, "Head of government"),
    (PositionKind.FOREIGN_MINISTER, "Foreign minister"),
)


# --- summary: the data -----------------------------------------------------------------------


def _offices(dataset: Dataset, on: _dt.date) -> list[dict[str, Any]]:
    """For each state, who holds its key offices on *on*."""
    rows = []
    for state in sorted(dataset.all(State), key=lambda s: s.label):
        row: dict[str, Any] = {"state": state.id, "name": state.label, "code": state.code}
        for kind, _ in _KEY_OFFICES:
            tenures = dataset.office_holders(state.id, kind, on=on)
            row[kind.value] = [
                {
                    "person": tenure.person,
                    "name": label(dataset, tenure.person),
                    "since": None if tenure.period.start is None else str(tenure.period.start),
                    "acting": tenure.acting,
                }
                for tenure in tenures[-1:]
            ]
        rows.append(row)
    return rows


def _organizations(dataset: Dataset, on: _dt.date) -> list[dict[str, Any]]:
    bodies = [o for o in dataset.all(Organization) if o.kind is OrganizationKind.INTERGOVERNMENTAL]
    result = []
    for body in bodies:
        statuses = dataset.membership_statuses(body.id, on=on)
        members = [{"state": state, "status": status.value} for state, status in statuses.items()]
        chair = dataset.chair(body.id, on=on)
        heads = [
            {
                "position": tenure.position,
                "title": label(dataset, tenure.position),
                "holder": tenure.person,
                "name": label(dataset, tenure.person),
            }
            for tenure in dataset.office_holders(body.id, PositionKind.SECRETARY_GENERAL, on=on)
        ]
        result.append(
            {
                "organization": body.id,
                "name": body.label,
                "members": sorted(members, key=lambda m: label(dataset, m["state"])),
                "chair": None if chair is None else chair.id,
                "heads": heads,
            }
        )
    return result


def _progress(dataset: Dataset) -> list[dict[str, Any]]:
    """How far each target is reached by the latest actual figure."""
    progress = []
    for target in (o for o in dataset.all(Observation) if o.kind is ObservationKind.TARGET):
        measured = dataset.progress(target)
        actual = measured.actual
        progress.append(
            {
                "target": target.id,
                "indicator": label(dataset, target.indicator),
                "reporter": target.reporter,
                "partner": target.partner,
                "target_value": format(target.value, "f"),
                "unit": target.unit,
                "actual": None if actual is None else actual.id,
                "actual_value": None if actual is None else format(actual.value, "f"),
                "actual_period": None
                if actual is None or actual.period is None
                else str(actual.period),
                "percent": None if measured.percent is None else format(measured.percent, "f"),
            }
        )
    return progress


def _summary_data(dataset: Dataset, on: _dt.date) -> dict[str, Any]:
    anniversaries = [
        a
        for year in (on.year, on.year + 1)
        for a in dataset.anniversaries(year)
        if a.date.latest >= on
    ]
    return {
        "as_of": on.isoformat(),
        "entities": len(dataset),
        "sources": len(dataset.all(Source)),
        "states": _offices(dataset, on),
        "organizations": _organizations(dataset, on),
        "agreements": [agreement_row(dataset, a, on) for a in dataset.agreements()],
        "anniversaries": [
            {
                "entity": a.entity,
                "name": a.label,
                "event": a.event,
                "years": a.years,
                "date": str(a.date),
            }
            for a in anniversaries
        ],
        "figures": [
            observation_row(dataset, o)
            for o in sorted(
                dataset.all(Observation),
                key=lambda o: (o.indicator, o.kind.value, o.reporter, str(o.period)),
            )
        ],
        "progress": _progress(dataset),
        "findings": [finding_row(f) for f in dataset.check(as_of=on)],
    }


# --- summary: the text -----------------------------------------------------------------------


def _holder_text(entries: list[dict[str, Any]]) -> str:
    if not entries:
        return "—"
    entry = entries[0]
    acting = "acting " if entry["acting"] else ""
    since = f" ({acting}since {entry['since']})" if entry["since"] else f" ({acting.strip()})"
    return f"{entry['name']}{since}".replace(" ()", "")


def _states_text(data: dict[str, Any], out: Output) -> None:
    heading("States and who holds the key offices", out)
    without = []
    for row in data["states"]:
        if not any(row[kind.value] for kind, _ in _KEY_OFFICES):
            without.append(row["name"])
            continue
        out.write(f"  {row['name']} ({row['code']})\n")
        for kind, title in _KEY_OFFICES:
            out.write(f"      {title + ':':<20}{_holder_text(row[kind.value])}\n")
    if without:
        wrapped(f"No office holders recorded for: {', '.join(without)}", out, indent=2)


def _organizations_text(dataset: Dataset, data: dict[str, Any], out: Output) -> None:
    heading("Organisations and memberships", out)
    for body in data["organizations"]:
        chair = label(dataset, body["chair"]) if body["chair"] else "—"
        wrapped(f"{body['name']}: chair {chair}", out, indent=2)
        for head in body["heads"]:
            wrapped(f"{head['title']}: {head['name']}", out)
        members = ", ".join(
            label(dataset, m["state"]) + ("" if m["status"] == "member" else f" ({m['status']})")
            for m in body["members"]
        )
        wrapped(f"Members: {members}", out)


def _agreements_text(data: dict[str, Any], out: Output) -> None:
    heading("Agreements", out)
    agreements_table(data["agreements"], out)
    if data["anniversaries"]:
        out.write("  Upcoming round anniversaries:\n")
        for a in data["anniversaries"]:
            wrapped(f"{a['date']}: {a['years']} years since the {a['event']} of {a['name']}", out)


def _figures_text(dataset: Dataset, data: dict[str, Any], out: Output) -> None:
    heading("Key economic figures", out)
    table(
        [
            [
                f["period"] or "—",
                f["reporter"] + ("→" + f["partner"] if f["partner"] else ""),
                figure(dataset.get(f["observation"], Observation)),
                f["kind"] + ("" if f["confidence"] == "verified" else f", {f['confidence']}"),
                f["indicator_name"],
            ]
            for f in data["figures"]
        ],
        ["period", "who", "figure", "kind", "indicator"],
        out,
    )
    heading("Progress against targets", out)
    if not data["progress"]:
        out.write("  (none)\n")
    for p in data["progress"]:
        pair = p["reporter"] + ("→" + p["partner"] if p["partner"] else "")
        target = amount(Decimal(p["target_value"]), p["unit"])
        if p["percent"] is None:
            wrapped(f"{p['indicator']} {pair}: target {target}; no actual figure yet", out, 2)
        else:
            actual = amount(Decimal(p["actual_value"]), p["unit"])
            wrapped(
                f"{p['indicator']} {pair}: {p['percent']}% of the {target} target "
                f"({actual} in {p['actual_period']})",
                out,
                2,
            )


def _summary_text(dataset: Dataset, data: dict[str, Any], out: Output) -> None:
    wrapped(
        f"kgru_relations summary, as of {data['as_of']} "
        f"({data['entities']} entities, citing {data['sources']} sources)",
        out,
        indent=0,
    )
    _states_text(data, out)
    _organizations_text(dataset, data, out)
    _agreements_text(data, out)
    _figures_text(dataset, data, out)
    heading("Consistency findings", out)
    findings_text(data["findings"], out)


# --- the commands ----------------------------------------------------------------------------


def _summary(args: argparse.Namespace, out: Output) -> int:
    dataset = read_dataset(data_file(args))
    on = args.as_of or default_day(dataset)
    data = _summary_data(dataset, on)
    if args.format == "json":
        write_json(data, out)
    else:
        _summary_text(dataset, data, out)
    return OK


def add_summary(commands: Any) -> None:
    """``summary``: offices, memberships, agreements, figures and findings on a day."""
    summary = add_command(
        commands,
        "summary",
        _summary,
        "the main picture: offices, memberships, agreements, figures, findings",
        "kgru-relations summary --as-of 2025-01-22",
    )
    summary.add_argument(
        "--as-of",
        type=day,
        metavar="DATE",
        help="the day to describe, and to judge findings on (default: the last day the "
        "dataset's latest dated fact could fall on, as check uses)",
    )
    add_file(summary)


def _check(args: argparse.Namespace, out: Output) -> int:
    dataset = read_dataset(data_file(args))
    on = args.as_of or default_day(dataset)
    findings = [finding_row(f) for f in dataset.check(as_of=on)]
    if args.format == "json":
        write_json(findings, out)
    else:
        findings_text(findings, out)
    return OK


def add_check(commands: Any) -> None:
    """``check``: the consistency findings."""
    check = add_command(
        commands,
        "check",
        _check,
        "list the consistency findings: what fits badly though it is not an error",
        "kgru-relations check my-data.json",
    )
    check.add_argument(
        "--as-of",
        type=day,
        metavar="DATE",
        help="judge expiry as of this day (default: the last day the dataset's latest "
        "dated fact could fall on)",
    )
    add_file(check)
