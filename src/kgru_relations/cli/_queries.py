"""The questions: ``find``, ``who``, ``agreements``, ``series`` and ``timeline``."""

from __future__ import annotations

import argparse
import datetime as _dt
import sys
from typing import Any

from kgru_relations._amounts import figure
from kgru_relations.cli._arguments import add_command, add_file, data_file, day
from kgru_relations.cli._files import dataset as read_dataset
from kgru_relations.cli._output import INVALID, OK, USAGE, Failure, Output, table, write_json
from kgru_relations.cli._rows import (
    agreement_row,
    agreements_table,
    default_day,
    entity,
    figures_of,
    indicator_id,
    label,
    observation_row,
)
from kgru_relations.codes import country_code
from kgru_relations.dataset import Dataset, TimelineEntry
from kgru_relations.dates import PartialDate
from kgru_relations.errors import ValidationError
from kgru_relations.model import (
    AgreementKind,
    AgreementStatus,
    Entity,
    ObservationKind,
    Position,
    Statement,
    Tenure,
)

__all__ = ["add_agreements", "add_find", "add_series", "add_timeline", "add_who"]


# --- find ------------------------------------------------------------------------------------


def _find(args: argparse.Namespace, out: Output) -> int:
    dataset = read_dataset(data_file(args))
    found = dataset.find(args.name)
    if args.format == "json":
        write_json([{"id": e.id, "kind": e.KIND, "name": e.label} for e in found], out)
    else:
        table([[e.id, e.KIND, e.label] for e in found], ["id", "kind", "name"], out)
    return OK if found else INVALID


def add_find(commands: Any) -> None:
    """``find NAME``: entities by any name or spelling."""
    find = add_command(
        commands,
        "find",
        _find,
        "find entities by any name or spelling, or a state by its capital",
        "kgru-relations find Zhaparov",
    )
    find.add_argument("name", metavar="NAME", help="a name, in any script or spelling")
    add_file(find, old_option=True)


# --- who -------------------------------------------------------------------------------------


def _who(args: argparse.Namespace, out: Output) -> int:
    dataset = read_dataset(data_file(args))
    position = entity(dataset, args.position, Position)
    tenures: list[Tenure] = dataset.holders(position.id, on=args.on)
    # Tenures that ended (or began) on a day not recorded may cover the day too.
    maybe = [t for t in dataset.possible_holders(position.id, on=args.on) if t not in tenures]

    def row(t: Tenure) -> dict[str, Any]:
        return {
            "person": t.person,
            "name": label(dataset, t.person),
            "tenure": t.id,
            "period": str(t.period),
            "acting": t.acting,
        }

    rows, possible = [row(t) for t in tenures], [row(t) for t in maybe]
    if args.format == "json":
        write_json(
            {
                "position": position.id,
                "on": args.on.isoformat(),
                "holders": rows,
                "possible_holders": possible,
            },
            out,
        )
        return OK
    out.write(f"{position.label}, on {args.on.isoformat()}:\n")
    table(
        [[r["name"] + (" (acting)" if r["acting"] else ""), r["period"]] for r in rows],
        ["holder", "tenure"],
        out,
    )
    if possible:
        out.write("Possibly also (a tenure that ended or began on a day not recorded):\n")
        table(
            [[r["name"] + (" (acting)" if r["acting"] else ""), r["period"]] for r in possible],
            ["holder", "tenure"],
            out,
        )
    return OK


def add_who(commands: Any) -> None:
    """``who POSITION_ID --on DATE``: who held a position on a day."""
    who = add_command(
        commands,
        "who",
        _who,
        "who held a position on a day",
        "kgru-relations who position:kg-cabinet-chairman --on 2024-12-16",
    )
    who.add_argument("position", metavar="POSITION_ID", help="the position's id")
    who.add_argument("--on", type=day, required=True, metavar="DATE", help="the day (YYYY-MM-DD)")
    add_file(who, old_option=True)


# --- agreements ------------------------------------------------------------------------------


def _agreements(args: argparse.Namespace, out: Output) -> int:
    dataset = read_dataset(data_file(args))
    if args.party is not None:
        entity(dataset, args.party, Entity)
    on = args.in_force_on or default_day(dataset)
    chosen = dataset.agreements(
        party=args.party,
        kind=None if args.kind is None else AgreementKind(args.kind),
        status=None if args.status is None else AgreementStatus(args.status),
        in_force_on=args.in_force_on,
    )
    rows = [agreement_row(dataset, a, on) for a in chosen]
    if args.format == "json":
        write_json(rows, out)
    else:
        agreements_table(rows, out)
    return OK


def add_agreements(commands: Any) -> None:
    """``agreements``: by party, kind, status or the day they were in force."""
    agreements = add_command(
        commands,
        "agreements",
        _agreements,
        "list agreements, by party, kind, status or the day they were in force",
        "kgru-relations agreements --party state:kg --in-force-on 2025-01-22",
    )
    agreements.add_argument("--party", metavar="ID", help="a state or organisation id")
    kinds = [k.value for k in AgreementKind]
    agreements.add_argument(
        "--kind",
        choices=kinds,
        metavar="KIND",
        help=f"only agreements of this kind: {', '.join(kinds)}",
    )
    statuses = [s.value for s in AgreementStatus]
    agreements.add_argument(
        "--status",
        choices=statuses,
        metavar="STATUS",
        help=f"only those with this status: {', '.join(statuses)}",
    )
    agreements.add_argument(
        "--in-force-on",
        type=day,
        metavar="DATE",
        help="only those in force on this day (default: all; in JSON, in_force_on_day is "
        "judged on the summary's default day)",
    )
    add_file(agreements)


# --- series ----------------------------------------------------------------------------------


def _nothing_asked(dataset: Dataset, indicator: str, args: argparse.Namespace) -> str:
    """For a series that is empty: what was asked, and which figures there are."""
    reporter, partner = country_code(args.reporter), args.partner and country_code(args.partner)
    asked = f"{reporter} reports no {args.kind} figures of {label(dataset, indicator)}"
    asked += f" with --partner {partner}" if partner else " without a partner"
    return f"{asked}; {figures_of(dataset, indicator, reporter)}"


def _series(args: argparse.Namespace, out: Output) -> int:
    dataset = read_dataset(data_file(args))
    indicator = indicator_id(args.indicator)
    entity(dataset, indicator, Entity)
    try:
        figures = dataset.series(
            indicator, args.reporter, args.partner, kind=ObservationKind(args.kind)
        )
    except ValidationError as error:
        raise Failure(str(error.issues[0].message), USAGE) from None
    if not figures:
        sys.stderr.write(f"kgru-relations: {_nothing_asked(dataset, indicator, args)}\n")
    if args.format == "json":
        write_json([observation_row(dataset, o) for o in figures], out)
    else:
        table(
            [
                [
                    "—" if o.period is None else str(o.period),
                    figure(o),
                    o.confidence.value,
                    ", ".join(label(dataset, s) for s in o.sources),
                ]
                for o in figures
            ],
            ["period", "figure", "confidence", "sources"],
            out,
        )
    return OK


def add_series(commands: Any) -> None:
    """``series INDICATOR --reporter CC``: one indicator's figures by period."""
    series = add_command(
        commands,
        "series",
        _series,
        "the figures of one indicator for a reporting country, by period",
        "kgru-relations series trade-turnover --reporter KG --partner RU",
    )
    series.add_argument("indicator", metavar="INDICATOR", help="an indicator id or slug")
    series.add_argument("--reporter", required=True, metavar="CC", help="the reporting country")
    series.add_argument("--partner", metavar="CC", help="the partner country (default: none)")
    kinds = [k.value for k in ObservationKind]
    series.add_argument(
        "--kind",
        choices=kinds,
        default="actual",
        metavar="KIND",
        help=f"which figures: {', '.join(kinds)} (default: actual)",
    )
    add_file(series, old_option=True)


# --- timeline --------------------------------------------------------------------------------


def _uncut(dataset: Dataset, entry: TimelineEntry) -> str:
    """The entry's text with a statement's words in full: its label is cut at 60 characters."""
    record = dataset.get(entry.entity)
    if isinstance(record, Statement) and entry.what.endswith(record.label):
        return entry.what.removesuffix(record.label) + record.text
    return entry.what


def _timeline(args: argparse.Namespace, out: Output) -> int:
    dataset = read_dataset(data_file(args))
    try:
        entries = dataset.timeline(args.start, args.end)
    except ValueError as error:
        raise Failure(f"--to comes before --from: {error}", USAGE) from None
    if args.format == "json":
        rows = [
            {"date": str(e.date), "entity": e.entity, "what": _uncut(dataset, e)} for e in entries
        ]
        write_json(rows, out)
    else:
        table([[str(e.date), e.what] for e in entries], ["date", "what"], out)
    return OK


def _partial_date(text: str) -> PartialDate:
    """A day, month, quarter or year (``2022``, ``2022-Q3``): a window's side."""
    try:
        return PartialDate.parse(text)
    except ValidationError as error:
        raise argparse.ArgumentTypeError(error.issues[0].message) from None


def _window_start(text: str) -> _dt.date:
    """The first day of the day, month, quarter or year *text* names."""
    return _partial_date(text).earliest


def _window_end(text: str) -> _dt.date:
    """The last day of the day, month, quarter or year *text* names."""
    return _partial_date(text).latest


def add_timeline(commands: Any) -> None:
    """``timeline``: every dated fact in order, in a window of days, months or years."""
    timeline = add_command(
        commands,
        "timeline",
        _timeline,
        "every dated fact in order",
        "kgru-relations timeline --from 2024-11 --to 2025-01-31",
    )
    timeline.add_argument(
        "--from",
        dest="start",
        type=_window_start,
        metavar="DATE",
        help="facts that may fall on or after this day, or in or after this month, quarter "
        "or year (2024-11-01, 2024-11, 2024-Q4, 2024)",
    )
    timeline.add_argument(
        "--to",
        dest="end",
        type=_window_end,
        metavar="DATE",
        help="facts that may fall on or before this day, or in or before this month, "
        "quarter or year",
    )
    add_file(timeline)
