"""The ``kgru-relations`` command (also ``python -m kgru_relations``).

Every subcommand but ``validate`` and ``schema`` reads the embedded
Kyrgyzstan–Russia dataset unless given a data file as its last argument,
``FILE`` (``-`` reads standard input). It prints aligned tables for people
(``--format text``, the default) or JSON for programs (``--format json``), and
never shows a Python traceback for bad input: problems with a file are listed
with their paths.

Tables fit the terminal: as wide as the ``COLUMNS`` environment variable says,
else as the terminal the output goes to, else
[`DEFAULT_WIDTH`][kgru_relations.cli.DEFAULT_WIDTH] columns (a pipe or a file).

The day a summary describes, and the day ``check`` and ``agreements`` judge
expiry and force on, is by default the dataset's
[`latest_date`][kgru_relations.dataset.Dataset.latest_date] (the last day
its latest dated fact could fall on), or today for a dataset with no dated
fact: the same day for every subcommand, and the one ``Dataset.check()`` uses.

Files: ``FILE`` and ``export --output`` take ``-`` for standard input and
output (``/dev/stdin`` and ``/dev/stdout`` mean the same). A data file is read
only if it is a regular file or a pipe, and at most 1 GiB of it; a pipe that
stays silent for a minute is given up on. ``--output`` replaces only a regular
file, atomically; a directory, a named pipe or a device is refused.

Exit codes: 0 success; 1 a file is not valid (and ``find`` matched nothing);
2 a usage or I/O problem (a bad option or date, an id or code that names
nothing, a file that is missing, unreadable, too large or not a regular file).

Only this module prints.
"""

from __future__ import annotations

import argparse
import contextvars
import datetime as _dt
import difflib
import importlib.metadata
import json
import os
import re
import stat
import sys
import textwrap
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Literal, TextIO, TypeVar

import msgspec

from kgru_relations._amounts import amount as _amount  # as the pictures write them
from kgru_relations._amounts import figure as _figure
from kgru_relations.codes import country_code
from kgru_relations.dataset import Dataset, Finding, TimelineEntry
from kgru_relations.dates import parse_day
from kgru_relations.errors import Issue, ValidationError, shown
from kgru_relations.files import DEFAULT_TIMEOUT, read_bytes, read_stream, write_atomically
from kgru_relations.interop import MissingExtra
from kgru_relations.model import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Chairmanship,
    Entity,
    Indicator,
    Membership,
    Observation,
    ObservationKind,
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
from kgru_relations.plot import plot_series, plot_tenures, render
from kgru_relations.schema import json_schema
from kgru_relations.serialize import (
    dumps,
    iter_observations,
    load_default,
    loads,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["DEFAULT_WIDTH", "main"]

DEFAULT_WIDTH: Final = 100
"""How wide text output is when ``COLUMNS`` is not set and it does not go to a terminal."""

_NARROWEST: Final = 40
_WIDTH: contextvars.ContextVar[int] = contextvars.ContextVar("width", default=DEFAULT_WIDTH)
_STDIN: Final = frozenset({"-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"})
_STDOUT: Final = frozenset({"-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"})

_PIPE_TIMEOUT: float = DEFAULT_TIMEOUT  # how long a pipe may stay silent (tests shorten it)

_OK, _INVALID, _USAGE = 0, 1, 2
_PROGRESS_EVERY: Final = 0.5  # seconds between progress lines on a terminal
_KEY_OFFICES: Final = (
    (PositionKind.HEAD_OF_STATE, "Head of state"),
    (PositionKind.HEAD_OF_GOVERNMENT, "Head of government"),
    (PositionKind.FOREIGN_MINISTER, "Foreign minister"),
)


class _Failure(Exception):
    """A problem to report to the user, with the exit code to end with."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def _width(out: TextIO) -> int:
    """How wide text output may be: ``COLUMNS``, else the terminal's width, else the default."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdecimal() and int(columns) > 0:
        return max(int(columns), _NARROWEST)
    try:
        if out.isatty():
            return max(os.get_terminal_size(out.fileno()).columns, _NARROWEST)
    except (OSError, ValueError):  # not a real file, or closed
        pass
    return DEFAULT_WIDTH


# --- formatting -------------------------------------------------------------------------------


def _table(rows: Sequence[Sequence[str]], headers: Sequence[str], out: TextIO) -> None:
    """Print rows as aligned columns, wrapping the last column to fit the width."""
    if not rows:
        out.write("  (none)\n")
        return
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    fixed = sum(widths[:-1]) + 2 * (len(widths) - 1) + 2
    last = max(_WIDTH.get() - fixed, 20)
    widths[-1] = min(widths[-1], last)

    def line(cells: Sequence[str]) -> None:
        wrapped = textwrap.wrap(str(cells[-1]), widths[-1]) or [""]
        head = "  ".join(f"{cell!s:<{widths[i]}}" for i, cell in enumerate(cells[:-1]))
        prefix = f"  {head}  " if head else "  "
        out.write(f"{prefix}{wrapped[0]}".rstrip() + "\n")
        for more in wrapped[1:]:
            out.write(f"{' ' * len(prefix)}{more}\n")

    line(headers)
    line(["-" * width for width in widths])
    for row in rows:
        line(row)


def _heading(title: str, out: TextIO) -> None:
    out.write(f"\n{title}\n")


def _json(data: Any, out: TextIO) -> None:
    out.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _issues_text(issues: Iterable[Issue], out: TextIO, prefix: str = "") -> None:
    for issue in issues:
        out.write(f"{prefix}{issue}\n")


# --- loading ---------------------------------------------------------------------------------


def _shown(path: str) -> str:
    return "standard input" if path in _STDIN else path


def _read(path: str) -> Dataset:
    """The dataset in *path*, or on standard input for ``-``: OSError or ValidationError."""
    if path in _STDIN:
        return loads(read_stream(sys.stdin.buffer))
    return loads(read_bytes(path, timeout=_PIPE_TIMEOUT))  # what load(path) does


def _listed(lines: Iterable[str], more: int = 0) -> str:
    """Problems, one an indented line, and how many more were not listed."""
    text = "\n".join(f"  {line}" for line in lines)
    return f"{text}\n  ... and {more} more" if more else text


def _dataset(path: str | None) -> Dataset:
    if path is None:
        return load_default()
    try:
        return _read(path)
    except ValidationError as error:
        lines = _listed(map(str, error.issues), error.more)
        raise _Failure(f"{_shown(path)} is not a valid data file:\n{lines}", _INVALID) from None
    except OSError as error:
        raise _Failure(f"cannot read {_shown(path)}: {error.strerror or error}", _USAGE) from None


def _date(text: str) -> _dt.date:
    """A day, ``YYYY-MM-DD``, read by the model's own rule; if it is not one, say why."""
    try:
        return parse_day(text)
    except ValidationError as error:
        raise argparse.ArgumentTypeError(error.issues[0].message) from None


def _default_day(dataset: Dataset) -> _dt.date:
    """The day to describe: the last day a dated fact could fall on, as ``check()`` judges."""
    latest = dataset.latest_date
    return _dt.date.today() if latest is None else latest


def _label(dataset: Dataset, entity_id: str) -> str:
    return dataset.get(entity_id).label if entity_id in dataset else entity_id


# --- summary ---------------------------------------------------------------------------------


def _offices(dataset: Dataset, day: _dt.date) -> list[dict[str, Any]]:
    """For each state, who holds its key offices on *day*."""
    rows = []
    for state in sorted(dataset.all(State), key=lambda s: s.label):
        row: dict[str, Any] = {"state": state.id, "name": state.label, "code": state.code}
        for kind, _ in _KEY_OFFICES:
            tenures = dataset.office_holders(state.id, kind, on=day)
            row[kind.value] = [
                {
                    "person": tenure.person,
                    "name": _label(dataset, tenure.person),
                    "since": None if tenure.period.start is None else str(tenure.period.start),
                    "acting": tenure.acting,
                }
                for tenure in tenures[-1:]
            ]
        rows.append(row)
    return rows


def _organizations(dataset: Dataset, day: _dt.date) -> list[dict[str, Any]]:
    bodies = [o for o in dataset.all(Organization) if o.kind is OrganizationKind.INTERGOVERNMENTAL]
    result = []
    for body in bodies:
        statuses = dataset.membership_statuses(body.id, on=day)
        members = [{"state": state, "status": status.value} for state, status in statuses.items()]
        chair = dataset.chair(body.id, on=day)
        heads = [
            {
                "position": tenure.position,
                "title": _label(dataset, tenure.position),
                "holder": tenure.person,
                "name": _label(dataset, tenure.person),
            }
            for tenure in dataset.office_holders(body.id, PositionKind.SECRETARY_GENERAL, on=day)
        ]
        result.append(
            {
                "organization": body.id,
                "name": body.label,
                "members": sorted(members, key=lambda m: _label(dataset, m["state"])),
                "chair": None if chair is None else chair.id,
                "heads": heads,
            }
        )
    return result


def _agreement_row(dataset: Dataset, agreement: Agreement, day: _dt.date) -> dict[str, Any]:
    return {
        "agreement": agreement.id,
        "name": agreement.label,
        "kind": agreement.kind.value,
        "status": agreement.status.value,
        "signed": None if agreement.signed is None else str(agreement.signed),
        "in_force_on_day": agreement.in_force_on(day),
        "parties": [_label(dataset, party) for party in agreement.parties],
        "confidence": agreement.confidence.value,
    }


def _observation_row(dataset: Dataset, observation: Observation) -> dict[str, Any]:
    return {
        "observation": observation.id,
        "indicator": observation.indicator,
        "indicator_name": _label(dataset, observation.indicator),
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


def _finding_row(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "message": finding.message,
        "ids": list(finding.ids),
    }


def _summary_data(dataset: Dataset, day: _dt.date) -> dict[str, Any]:
    anniversaries = [
        a
        for year in (day.year, day.year + 1)
        for a in dataset.anniversaries(year)
        if a.date.latest >= day
    ]
    progress = []
    for target in (o for o in dataset.all(Observation) if o.kind is ObservationKind.TARGET):
        measured = dataset.progress(target)
        progress.append(
            {
                "target": target.id,
                "indicator": _label(dataset, target.indicator),
                "reporter": target.reporter,
                "partner": target.partner,
                "target_value": format(target.value, "f"),
                "unit": target.unit,
                "actual": None if measured.actual is None else measured.actual.id,
                "actual_value": None
                if measured.actual is None
                else format(measured.actual.value, "f"),
                "actual_period": None
                if measured.actual is None or measured.actual.period is None
                else str(measured.actual.period),
                "percent": None if measured.percent is None else format(measured.percent, "f"),
            }
        )
    return {
        "as_of": day.isoformat(),
        "entities": len(dataset),
        "sources": len(dataset.all(Source)),
        "states": _offices(dataset, day),
        "organizations": _organizations(dataset, day),
        "agreements": [_agreement_row(dataset, a, day) for a in dataset.agreements()],
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
            _observation_row(dataset, o)
            for o in sorted(
                dataset.all(Observation),
                key=lambda o: (o.indicator, o.kind.value, o.reporter, str(o.period)),
            )
        ],
        "progress": progress,
        "findings": [_finding_row(f) for f in dataset.check(as_of=day)],
    }


def _holder_text(entries: list[dict[str, Any]]) -> str:
    if not entries:
        return "—"
    entry = entries[0]
    acting = "acting " if entry["acting"] else ""
    since = f" ({acting}since {entry['since']})" if entry["since"] else f" ({acting.strip()})"
    return f"{entry['name']}{since}".replace(" ()", "")


def _wrapped(text: str, out: TextIO, indent: int = 6) -> None:
    lines = textwrap.wrap(text, _WIDTH.get() - indent, subsequent_indent="  ")
    for line in lines:
        out.write(f"{' ' * indent}{line}\n")


def _states_text(data: dict[str, Any], out: TextIO) -> None:
    _heading("States and who holds the key offices", out)
    without = []
    for row in data["states"]:
        if not any(row[kind.value] for kind, _ in _KEY_OFFICES):
            without.append(row["name"])
            continue
        out.write(f"  {row['name']} ({row['code']})\n")
        for kind, title in _KEY_OFFICES:
            out.write(f"      {title + ':':<20}{_holder_text(row[kind.value])}\n")
    if without:
        _wrapped(f"No office holders recorded for: {', '.join(without)}", out, indent=2)


def _organizations_text(dataset: Dataset, data: dict[str, Any], out: TextIO) -> None:
    _heading("Organisations and memberships", out)
    for body in data["organizations"]:
        chair = _label(dataset, body["chair"]) if body["chair"] else "—"
        out.write(f"  {body['name']}: chair {chair}\n")
        for head in body["heads"]:
            out.write(f"      {head['title']}: {head['name']}\n")
        members = ", ".join(
            _label(dataset, m["state"]) + ("" if m["status"] == "member" else f" ({m['status']})")
            for m in body["members"]
        )
        _wrapped(f"Members: {members}", out)


def _agreements_table(rows: list[dict[str, Any]], out: TextIO) -> None:
    _table(
        [[r["signed"] or "—", r["status"].replace("_", " "), r["kind"], r["name"]] for r in rows],
        ["signed", "status", "kind", "agreement"],
        out,
    )


def _agreements_text(data: dict[str, Any], out: TextIO) -> None:
    _heading("Agreements", out)
    _agreements_table(data["agreements"], out)
    if data["anniversaries"]:
        out.write("  Upcoming round anniversaries:\n")
        for a in data["anniversaries"]:
            _wrapped(f"{a['date']}: {a['years']} years since the {a['event']} of {a['name']}", out)


def _figures_text(dataset: Dataset, data: dict[str, Any], out: TextIO) -> None:
    _heading("Key economic figures", out)
    _table(
        [
            [
                f["period"] or "—",
                f["reporter"] + ("→" + f["partner"] if f["partner"] else ""),
                _figure(dataset.get(f["observation"], Observation)),
                f["kind"] + ("" if f["confidence"] == "verified" else f", {f['confidence']}"),
                f["indicator_name"],
            ]
            for f in data["figures"]
        ],
        ["period", "who", "figure", "kind", "indicator"],
        out,
    )
    _heading("Progress against targets", out)
    if not data["progress"]:
        out.write("  (none)\n")
    for p in data["progress"]:
        pair = p["reporter"] + ("→" + p["partner"] if p["partner"] else "")
        target = _amount(Decimal(p["target_value"]), p["unit"])
        if p["percent"] is None:
            _wrapped(f"{p['indicator']} {pair}: target {target}; no actual figure yet", out, 2)
        else:
            actual = _amount(Decimal(p["actual_value"]), p["unit"])
            _wrapped(
                f"{p['indicator']} {pair}: {p['percent']}% of the {target} target "
                f"({actual} in {p['actual_period']})",
                out,
                2,
            )


def _summary_text(dataset: Dataset, data: dict[str, Any], out: TextIO) -> None:
    out.write(
        f"kgru_relations summary, as of {data['as_of']} "
        f"({data['entities']} entities, citing {data['sources']} sources)\n"
    )
    _states_text(data, out)
    _organizations_text(dataset, data, out)
    _agreements_text(data, out)
    _figures_text(dataset, data, out)
    _heading("Consistency findings", out)
    _findings_text(data["findings"], out)


def _findings_text(findings: list[dict[str, Any]], out: TextIO) -> None:
    if not findings:
        out.write("  (none)\n")
    for finding in findings:
        text = f"{finding['severity']}: {finding['message']}"
        lines = textwrap.wrap(text, _WIDTH.get() - 4)
        out.write(f"  - {lines[0]}\n")
        for more in lines[1:]:
            out.write(f"    {more}\n")


# --- subcommands -------------------------------------------------------------------------------


def _cmd_summary(args: argparse.Namespace, out: TextIO) -> int:
    dataset = _dataset(_file(args))
    day = args.as_of or _default_day(dataset)
    data = _summary_data(dataset, day)
    if args.format == "json":
        _json(data, out)
    else:
        _summary_text(dataset, data, out)
    return _OK


def _validate_one(path: str) -> tuple[int, list[Issue], str]:
    """(exit code, issues, description) for one file."""
    try:
        if path not in _STDIN and path.endswith((".jsonl", ".ndjson")):
            if not stat.S_ISREG(os.stat(path).st_mode):  # read line by line: no pipes, no devices
                return _USAGE, [], "cannot read it: JSON Lines are read from regular files only"
            errors: list[Issue] = []
            count = sum(1 for _ in iter_observations(path, on_error="skip", errors=errors))
            return (_INVALID if errors else _OK), errors, f"{count} observations"
        dataset = _read(path)
    except ValidationError as error:
        return _INVALID, list(error.issues), ""
    except OSError as error:
        return _USAGE, [], f"cannot read it: {error.strerror or error}"
    return _OK, [], f"{len(dataset)} entities"


def _cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    worst = _OK
    report = []
    for path in args.files:
        code, issues, description = _validate_one(path)
        worst = max(worst, code)
        report.append(
            {
                "file": path,
                "valid": code == _OK,
                "readable": code != _USAGE,
                "description": description,
                "issues": [
                    {"path": i.path, "message": i.message, "line": i.line, "column": i.column}
                    for i in issues
                ],
            }
        )
        if args.format == "text":
            if code == _OK:
                out.write(f"{path}: valid ({description})\n")
            elif code == _USAGE:
                out.write(f"{path}: {description}\n")
            else:
                out.write(f"{path}: {len(issues)} problem{'s' if len(issues) != 1 else ''}\n")
                _issues_text(issues, out, prefix="  ")
    if args.format == "json":
        _json(report, out)
    return worst


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    dataset = _dataset(_file(args))
    day = args.as_of or _default_day(dataset)
    findings = [_finding_row(f) for f in dataset.check(as_of=day)]
    if args.format == "json":
        _json(findings, out)
    else:
        _findings_text(findings, out)
    return _OK


def _cmd_find(args: argparse.Namespace, out: TextIO) -> int:
    dataset = _dataset(_file(args))
    found = dataset.find(args.name)
    if args.format == "json":
        _json([{"id": e.id, "kind": e.KIND, "name": e.label} for e in found], out)
    else:
        _table([[e.id, e.KIND, e.label] for e in found], ["id", "kind", "name"], out)
    return _OK if found else _INVALID


def _entity(dataset: Dataset, entity_id: str, kind: type[Entity]) -> Entity:
    try:
        return dataset.get(entity_id, kind)  # its message says which id was meant, if close
    except (KeyError, TypeError) as error:
        raise _Failure(str(error.args[0]), _USAGE) from None


def _cmd_who(args: argparse.Namespace, out: TextIO) -> int:
    dataset = _dataset(_file(args))
    position = _entity(dataset, args.position, Position)
    tenures: list[Tenure] = dataset.holders(position.id, on=args.on)
    # Tenures that ended (or began) on a day not recorded may cover the day too.
    maybe = [t for t in dataset.possible_holders(position.id, on=args.on) if t not in tenures]

    def row(t: Tenure) -> dict[str, Any]:
        return {
            "person": t.person,
            "name": _label(dataset, t.person),
            "tenure": t.id,
            "period": str(t.period),
            "acting": t.acting,
        }

    rows, possible = [row(t) for t in tenures], [row(t) for t in maybe]
    if args.format == "json":
        _json(
            {
                "position": position.id,
                "on": args.on.isoformat(),
                "holders": rows,
                "possible_holders": possible,
            },
            out,
        )
        return _OK
    out.write(f"{position.label}, on {args.on.isoformat()}:\n")
    _table(
        [[r["name"] + (" (acting)" if r["acting"] else ""), r["period"]] for r in rows],
        ["holder", "tenure"],
        out,
    )
    if possible:
        out.write("Possibly also (a tenure that ended or began on a day not recorded):\n")
        _table(
            [[r["name"] + (" (acting)" if r["acting"] else ""), r["period"]] for r in possible],
            ["holder", "tenure"],
            out,
        )
    return _OK


def _cmd_agreements(args: argparse.Namespace, out: TextIO) -> int:
    dataset = _dataset(_file(args))
    if args.party is not None:
        _entity(dataset, args.party, Entity)
    day = args.in_force_on or _default_day(dataset)
    chosen = dataset.agreements(
        party=args.party,
        kind=None if args.kind is None else AgreementKind(args.kind),
        status=None if args.status is None else AgreementStatus(args.status),
        in_force_on=args.in_force_on,
    )
    rows = [_agreement_row(dataset, a, day) for a in chosen]
    if args.format == "json":
        _json(rows, out)
    else:
        _table(
            [
                [r["signed"] or "—", r["status"].replace("_", " "), r["kind"], r["name"]]
                for r in rows
            ],
            ["signed", "status", "kind", "agreement"],
            out,
        )
    return _OK


def _series_elsewhere(dataset: Dataset, indicator: str, args: argparse.Namespace) -> str:
    """For a series that is empty: which reporters, partners and kinds the indicator has."""
    reporter, partner = country_code(args.reporter), args.partner and country_code(args.partner)
    kinds: dict[tuple[str, str | None], set[str]] = {}
    for o in dataset.all(Observation):
        if o.indicator == indicator:
            kinds.setdefault((o.reporter, o.partner), set()).add(o.kind.value)
    asked = f"{reporter} reports no {args.kind} figures of {_label(dataset, indicator)}"
    asked += f" with --partner {partner}" if partner else " without a partner"
    if not kinds:
        return f"{asked}; the dataset has no figures of it at all"
    order = [k.value for k in ObservationKind]
    found = [
        f"--reporter {who}"
        + (f" --partner {whom}" if whom else " (no partner)")
        + f" ({', '.join(sorted(kinds[who, whom], key=order.index))})"
        for who, whom in sorted(
            kinds, key=lambda pair: (pair[0] != reporter, pair[0], pair[1] or "")
        )
    ]
    return f"{asked}; it has figures for {'; '.join(found)}"


def _cmd_series(args: argparse.Namespace, out: TextIO) -> int:
    dataset = _dataset(_file(args))
    indicator = args.indicator if ":" in args.indicator else f"indicator:{args.indicator}"
    _entity(dataset, indicator, Entity)
    try:
        figures = dataset.series(
            indicator, args.reporter, args.partner, kind=ObservationKind(args.kind)
        )
    except ValidationError as error:
        raise _Failure(str(error.issues[0].message), _USAGE) from None
    if not figures:
        sys.stderr.write(f"kgru-relations: {_series_elsewhere(dataset, indicator, args)}\n")
    if args.format == "json":
        _json([_observation_row(dataset, o) for o in figures], out)
    else:
        _table(
            [
                [
                    "—" if o.period is None else str(o.period),
                    _figure(o),
                    o.confidence.value,
                    ", ".join(_label(dataset, s) for s in o.sources),
                ]
                for o in figures
            ],
            ["period", "figure", "confidence", "sources"],
            out,
        )
    return _OK


def _uncut(dataset: Dataset, entry: TimelineEntry) -> str:
    """The entry's text with a statement's words in full: its label is cut at 60 characters."""
    entity = dataset.get(entry.entity)
    if isinstance(entity, Statement) and entry.what.endswith(entity.label):
        return entry.what.removesuffix(entity.label) + entity.text
    return entry.what


def _cmd_timeline(args: argparse.Namespace, out: TextIO) -> int:
    dataset = _dataset(_file(args))
    try:
        entries = dataset.timeline(args.start, args.end)
    except ValueError as error:
        raise _Failure(f"--to comes before --from: {error}", _USAGE) from None
    if args.format == "json":
        rows = [
            {"date": str(e.date), "entity": e.entity, "what": _uncut(dataset, e)} for e in entries
        ]
        _json(rows, out)
    else:
        _table([[str(e.date), e.what] for e in entries], ["date", "what"], out)
    return _OK


def _cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    _json(json_schema(), out)
    return _OK


_TABLE_FORMATS: Final = frozenset({"csv", "parquet"})


def _written(args: argparse.Namespace, chunks: Iterable[bytes], out: TextIO) -> bool:
    """Write *chunks* to ``--output`` (atomically) or to *out*; whether a file was written."""
    if args.output is None or args.output in _STDOUT:
        for chunk in chunks:
            out.write(chunk.decode("utf-8"))
        return False
    try:
        write_atomically(args.output, chunks)
    except OSError as error:
        raise _Failure(f"cannot write {args.output}: {error.strerror or error}", _USAGE) from None
    return True


def _ftm_lines(dataset: Dataset) -> Iterator[bytes]:
    from kgru_relations.interop.ftm import to_ftm  # noqa: PLC0415 - only when asked for

    encoder = msgspec.json.Encoder(order="sorted")
    for entity in to_ftm(dataset):
        yield encoder.encode(entity) + b"\n"


def _popolo_text(dataset: Dataset) -> Iterator[bytes]:
    from kgru_relations.interop.popolo import to_popolo  # noqa: PLC0415 - only when asked for

    yield json.dumps(to_popolo(dataset), ensure_ascii=False, indent=2, sort_keys=True).encode()
    yield b"\n"


class _Progress:
    """A count (of observations written, entities read), on one line of a terminal's stderr."""

    def __init__(self, stream: TextIO, what: str = "observations written") -> None:
        self._stream = stream
        self._what = what
        self._shown = 0.0
        self._open = False  # a count is on the line, with no line break after it yet
        self.count = 0

    def __call__(self, count: int) -> None:
        self.count = count
        now = time.monotonic()
        if now - self._shown >= _PROGRESS_EVERY:
            self._shown = now
            self._stream.write(f"\r{count:,} {self._what}")
            self._stream.flush()
            self._open = True

    def done(self, count: int) -> None:
        self._stream.write(f"\r{count:,} {self._what}\n")
        self._stream.flush()
        self._open = False

    def end_line(self) -> None:
        """End the count's line, so that what is printed next starts on its own."""
        if self._open:
            self._stream.write("\n")
            self._stream.flush()
            self._open = False


def _export_observations(args: argparse.Namespace, out: TextIO) -> int:
    """``--observations FILE.jsonl``: JSON Lines of observations to one Parquet file."""
    from kgru_relations.interop.tables import observations_to_parquet  # noqa: PLC0415

    if args.to != "parquet":
        raise _Failure("--observations converts JSON Lines to Parquet: add --to parquet", _USAGE)
    if _file(args) is not None:
        raise _Failure("give either FILE or --observations, not both", _USAGE)
    if args.output is None or args.output in _STDOUT:
        raise _Failure("Parquet is written to a file: give --output PATH", _USAGE)
    # Standard input is read as the pipe it is (a terminal is refused, as for FILE).
    source = "/dev/stdin" if args.observations in _STDIN else args.observations
    progress = _Progress(sys.stderr) if sys.stderr.isatty() else None
    try:
        try:
            count = observations_to_parquet(source, args.output, progress=progress)
        except BaseException:
            if progress is not None:  # what is printed next starts on a line of its own
                progress.end_line()
            raise
    except ValidationError as error:
        lines = _listed(map(str, error.issues), error.more)
        raise _Failure(f"{_shown(args.observations)} is not valid:\n{lines}", _INVALID) from None
    except OSError as error:
        name = _shown(args.observations) if error.filename == source else error.filename
        raise _Failure(
            f"cannot convert {name or _shown(args.observations)}: {error.strerror or error}",
            _USAGE,
        ) from None
    if progress is not None:
        progress.done(count)
    out.write(f"wrote {count} observations to {args.output} (parquet)\n")
    return _OK


def _export_tables(args: argparse.Namespace, dataset: Dataset, out: TextIO) -> int:
    from kgru_relations.interop import tables  # noqa: PLC0415 - only when asked for

    if args.output is None or args.output in _STDOUT:
        raise _Failure(f"{args.to} writes one file per table: give --output DIRECTORY", _USAGE)
    write = tables.write_csv if args.to == "csv" else tables.write_parquet
    try:
        paths = write(dataset, args.output)
    except OSError as error:
        raise _Failure(f"cannot write {args.output}: {error.strerror or error}", _USAGE) from None
    for path in paths:
        out.write(f"wrote {path}\n")
    return _OK


def _export(args: argparse.Namespace, out: TextIO) -> int:
    if args.observations is not None:
        return _export_observations(args, out)
    dataset = _dataset(_file(args))
    if args.to in _TABLE_FORMATS:
        return _export_tables(args, dataset, out)
    if args.to == "ftm":
        if _written(args, _ftm_lines(dataset), out):
            out.write(f"wrote {args.output} (ftm, one entity a line)\n")
    elif args.to == "popolo":
        if _written(args, _popolo_text(dataset), out):
            out.write(f"wrote {args.output} (popolo)\n")
    elif _written(args, [dumps(dataset)], out):
        out.write(f"wrote {len(dataset)} entities to {args.output} ({args.to})\n")
    return _OK


def _cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    try:
        return _export(args, out)
    except MissingExtra as error:
        raise _Failure(str(error), _USAGE) from None
    except ValidationError as error:  # a dataset that loads may still not fit the format
        lines = _listed(map(str, error.issues), error.more)
        raise _Failure(f"cannot export as {args.to}:\n{lines}", _INVALID) from None


# --- import ----------------------------------------------------------------------------------

_QID: Final = re.compile(r"Q[1-9][0-9]*\Z")
#: What an import's summary line counts.
_COUNTED: Final = (Source, State, Organization, Person, Position, Tenure, Membership, Chairmanship)
T = TypeVar("T")
_SHOWN_SKIPS: Final = 20


def _counted(items: Iterable[T], progress: _Progress | None) -> Iterator[T]:
    """*items*, counting them on the progress line as they pass."""
    for count, item in enumerate(items, start=1):
        if progress is not None:
            progress(count)
        yield item


_DOCUMENT: Final = re.compile(r"\$\[([0-9]+)\]")


def _placed(issue: Issue, places: Sequence[str]) -> str:
    """An issue of an import, its ``$[i]`` written as where document *i* came from."""
    match = _DOCUMENT.match(issue.path)
    if match is None or int(match[1]) >= len(places):
        return str(issue)
    return f"{places[int(match[1])]}{issue.path[match.end() :]}: {issue.message}"


def _position_kind(text: str) -> tuple[str, PositionKind]:
    """``Q123=head_of_state``: a position's id in the source, and its kind."""
    position, _, kind = text.partition("=")
    try:
        return position, PositionKind(kind)
    except ValueError:
        kinds = ", ".join(k.value for k in PositionKind)
        msg = f"{shown(text)}: write ID=KIND, KIND one of {kinds}"
        raise argparse.ArgumentTypeError(msg) from None


def _json_documents(path: str) -> list[Any]:
    """The JSON value in *path* (or standard input), as a list of documents."""
    try:
        data = read_stream(sys.stdin.buffer) if path in _STDIN else read_bytes(path)
    except OSError as error:
        raise _Failure(f"cannot read {_shown(path)}: {error.strerror or error}", _USAGE) from None
    try:
        value = json.loads(data)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        message = getattr(error, "msg", None) or type(error).__name__
        raise _Failure(f"{_shown(path)} is not JSON: {message}", _INVALID) from None
    return value if isinstance(value, list) else [value]


def _wikidata_documents(
    args: argparse.Namespace, progress: _Progress | None, places: list[str]
) -> list[Any]:
    """The documents the SOURCEs name: files read, QIDs fetched with what they need.

    *places* gets where each came from (``people.json: $``, ``people.json: $[2]``,
    ``Q123 (fetched)``), for the messages.
    """
    from kgru_relations.interop.wikidata import fetch_entities, missing_ids  # noqa: PLC0415

    documents: list[Any] = []
    for source in args.sources:
        if not _QID.match(source):
            found = _json_documents(source)
            name = "standard input" if source in _STDIN else source
            if len(found) == 1:
                places.append(f"{name}: $")
            else:
                places += [f"{name}: $[{index}]" for index in range(len(found))]
            documents += found
    wanted = [source for source in args.sources if _QID.match(source)]
    if not wanted and not args.fetch_missing:
        return documents
    options = {} if args.endpoint is None else {"endpoint": args.endpoint}
    asked: set[str] = set()
    wanted = wanted or missing_ids(documents)
    while wanted:  # the people asked for, then their positions, then those states
        asked.update(wanted)
        fetched = list(_counted(fetch_entities(wanted, **options), progress))
        places += [f"{document.get('id', '?')} (fetched): $" for document in fetched]
        documents += fetched
        wanted = [qid for qid in missing_ids(documents) if qid not in asked]
    return documents


def _imported(args: argparse.Namespace, progress: _Progress | None) -> tuple[Any, list[str]]:
    """The entities an import made, and what it left out, each said with where it was."""
    if args.origin == "wikidata":
        from kgru_relations.interop.wikidata import entities_from_wikidata  # noqa: PLC0415

        places: list[str] = []
        documents = _wikidata_documents(args, progress, places)
        try:
            result = entities_from_wikidata(
                documents, retrieved=args.retrieved, position_kinds=dict(args.kind)
            )
        except ValidationError as error:
            listed = _listed((_placed(issue, places) for issue in error.issues), error.more)
            raise _Failure(f"cannot import from wikidata:\n{listed}", _INVALID) from None
        return result.entities, [_placed(issue, places) for issue in result.skipped]
    from kgru_relations.interop.ftm import from_ftm, read_ftm_lines  # noqa: PLC0415

    source: Any = sys.stdin if args.source in _STDIN else args.source
    found = from_ftm(_counted(read_ftm_lines(source), progress), position_kinds=dict(args.kind))
    return found.entities, [str(issue) for issue in found.skipped]


def _import(args: argparse.Namespace, out: TextIO) -> int:
    what = "items fetched" if args.origin == "wikidata" else "entities read"
    progress = _Progress(sys.stderr, what) if sys.stderr.isatty() else None
    try:
        entities, skipped = _imported(args, progress)
    except BaseException:
        if progress is not None:  # what is printed next starts on a line of its own
            progress.end_line()
        raise
    if progress is not None:
        progress.done(progress.count)
    dataset = Dataset(entities)
    if args.merge_into is not None:
        try:
            dataset = _dataset(args.merge_into).merge(dataset)
        except ValidationError as error:
            listed = _listed((issue.message for issue in error.issues), error.more)
            raise _Failure(
                f"cannot join the import with {_shown(args.merge_into)}:\n{listed}", _INVALID
            ) from None
    problems = dataset.validate()
    if problems:
        lines = _listed(map(str, problems), problems.more)
        raise _Failure(f"the import does not make a valid dataset:\n{lines}", _INVALID)
    for issue in skipped[:_SHOWN_SKIPS]:
        sys.stderr.write(f"kgru-relations: left out: {issue}\n")
    if len(skipped) > _SHOWN_SKIPS:
        sys.stderr.write(f"kgru-relations: ... and {len(skipped) - _SHOWN_SKIPS} more left out\n")
    if _written(args, [dumps(dataset)], out):
        counts = ", ".join(
            f"{len(dataset.all(cls))} {cls.KIND}s" for cls in _COUNTED if dataset.all(cls)
        )
        out.write(f"wrote {args.output}: {counts}; {len(skipped)} left out\n")
    return _OK


def _cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    try:
        return _import(args, out)
    except MissingExtra as error:
        raise _Failure(str(error), _USAGE) from None
    except ConnectionError as error:  # WikidataUnavailable: offline, or the service is down
        raise _Failure(str(error), _USAGE) from None
    except ValidationError as error:  # the input is not what its format says
        lines = _listed(map(str, error.issues), error.more)
        raise _Failure(f"cannot import from {args.origin}:\n{lines}", _INVALID) from None
    except OSError as error:
        raise _Failure(f"cannot read {error.filename}: {error.strerror or error}", _USAGE) from None


# --- plot ------------------------------------------------------------------------------------


def _picture_format(output: str) -> Literal["png", "svg"]:
    """The format ``--output`` names by its suffix."""
    suffix = os.path.splitext(output)[1].lower()
    if suffix == ".svg":
        return "svg"
    if suffix == ".png":
        return "png"
    raise _Failure(
        f"--output {output!r}: name a picture ending in .svg or .png, to say which to draw", _USAGE
    )


def _picture(args: argparse.Namespace, draw: Callable[[Dataset], Figure], out: TextIO) -> int:
    """Draw a picture of the dataset and write it, atomically, to ``--output``."""
    kind = _picture_format(args.output)
    dataset = _dataset(_file(args))
    try:
        data = render(draw(dataset), kind)
    except MissingExtra as error:
        raise _Failure(str(error), _USAGE) from None
    try:
        write_atomically(args.output, [data])
    except OSError as error:
        raise _Failure(f"cannot write {args.output}: {error.strerror or error}", _USAGE) from None
    out.write(f"wrote {args.output} ({kind})\n")
    return _OK


def _cmd_plot_series(args: argparse.Namespace, out: TextIO) -> int:
    indicator = args.indicator if ":" in args.indicator else f"indicator:{args.indicator}"

    def draw(dataset: Dataset) -> Figure:
        _entity(dataset, indicator, Indicator)
        try:
            return plot_series(dataset, indicator, args.reporter, args.partner, unit=args.unit)
        except ValidationError as error:  # a country code that is not one
            raise _Failure(str(error.issues[0].message), _USAGE) from None
        except ValueError as error:  # nothing to draw, or several units
            raise _Failure(str(error), _INVALID) from None

    return _picture(args, draw, out)


def _cmd_plot_tenures(args: argparse.Namespace, out: TextIO) -> int:
    def draw(dataset: Dataset) -> Figure:
        positions = [_entity(dataset, p, Position).id for p in args.position or ()]
        bodies = [_entity(dataset, o, Organization).id for o in args.organization or ()]
        try:
            return plot_tenures(
                dataset,
                positions or None,
                organizations=bodies or None,
                start=args.start,
                end=args.end,
            )
        except ValueError as error:
            raise _Failure(f"--end comes before --start: {error}", _USAGE) from None

    return _picture(args, draw, out)


# --- the parser ---------------------------------------------------------------------------------


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_WIDTH.get())


_FILE_HELP: Final = (
    "a data file to read, or - for standard input (default: the embedded Kyrgyzstan–Russia dataset)"
)


def _add(
    commands: Any,
    name: str,
    handler: Callable[[argparse.Namespace, TextIO], int],
    summary: str,
    example: str,
    *,
    formats: bool = True,
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog=f"example:\n  {example}",
        formatter_class=_Formatter,
    )
    parser.set_defaults(handler=handler, format="text", file=None, file_option=None)
    if formats:
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="text tables for people (default) or JSON for programs",
        )
    return parser


def _add_file(parser: argparse.ArgumentParser, *, old_option: bool = False) -> None:
    """The data file, the last positional argument; *old_option*: ``--file`` is kept too."""
    parser.add_argument("file", nargs="?", metavar="FILE", help=_FILE_HELP)
    if old_option:
        parser.add_argument(
            "--file",
            dest="file_option",
            metavar="FILE",
            help="deprecated: give the file as FILE, the last argument",
        )


def _file(args: argparse.Namespace) -> str | None:
    """The data file named by FILE, or by the deprecated ``--file``."""
    if args.file_option is None:
        file: str | None = args.file
        return file
    if args.file is not None:
        raise _Failure("give the data file once: as FILE, not also as --file", _USAGE)
    sys.stderr.write(
        "kgru-relations: --file is deprecated; give the file as FILE, the last argument\n"
    )
    option: str = args.file_option
    return option


def _build_parser() -> argparse.ArgumentParser:
    version = importlib.metadata.version("kgru-relations")
    parser = argparse.ArgumentParser(
        prog="kgru-relations",
        description=textwrap.fill(
            "Look at, check and query data about relations between states. Without a FILE, "
            "every command reads the embedded, sourced Kyrgyzstan–Russia dataset; - reads "
            "standard input. By default a summary describes, and check judges on, the last "
            "day the dataset's latest dated fact could fall on (today, if nothing is dated).",
            _WIDTH.get() - 2,
        ),
        epilog=(
            "examples:\n  kgru-relations summary\n"
            "  kgru-relations who position:kg-president --on 2025-01-22\n"
            "  kgru-relations check my-data.json"
        ),
        formatter_class=_Formatter,
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {version}", help="print the version"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    summary = _add(
        commands,
        "summary",
        _cmd_summary,
        "the main picture: offices, memberships, agreements, figures, findings",
        "kgru-relations summary --as-of 2025-01-22",
    )
    summary.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help="the day to describe, and to judge findings on (default: the last day the "
        "dataset's latest dated fact could fall on, as check uses)",
    )
    _add_file(summary)

    validate = _add(
        commands,
        "validate",
        _cmd_validate,
        "check data files (JSON, or JSON Lines of observations) and list every problem",
        "kgru-relations validate data.json observations.jsonl",
    )
    validate.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="files to check; a name ending in .jsonl or .ndjson is read as JSON Lines; "
        "- reads a data file from standard input",
    )

    check = _add(
        commands,
        "check",
        _cmd_check,
        "list the consistency findings: what fits badly though it is not an error",
        "kgru-relations check my-data.json",
    )
    check.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help="judge expiry as of this day (default: the last day the dataset's latest "
        "dated fact could fall on)",
    )
    _add_file(check)

    find = _add(
        commands,
        "find",
        _cmd_find,
        "find entities by any name or spelling, or a state by its capital",
        "kgru-relations find Zhaparov",
    )
    find.add_argument("name", metavar="NAME", help="a name, in any script or spelling")
    _add_file(find, old_option=True)

    who = _add(
        commands,
        "who",
        _cmd_who,
        "who held a position on a day",
        "kgru-relations who position:kg-cabinet-chairman --on 2024-12-16",
    )
    who.add_argument("position", metavar="POSITION_ID", help="the position's id")
    who.add_argument("--on", type=_date, required=True, metavar="DATE", help="the day (YYYY-MM-DD)")
    _add_file(who, old_option=True)

    agreements = _add(
        commands,
        "agreements",
        _cmd_agreements,
        "list agreements, by party, kind, status or the day they were in force",
        "kgru-relations agreements --party state:kg --in-force-on 2025-01-22",
    )
    agreements.add_argument("--party", metavar="ID", help="a state or organisation id")
    agreements.add_argument(
        "--kind", choices=[k.value for k in AgreementKind], help="only agreements of this kind"
    )
    agreements.add_argument(
        "--status", choices=[s.value for s in AgreementStatus], help="only those with this status"
    )
    agreements.add_argument(
        "--in-force-on",
        type=_date,
        metavar="DATE",
        help="only those in force on this day (default: all; in JSON, in_force_on_day is "
        "judged on the summary's default day)",
    )
    _add_file(agreements)

    series = _add(
        commands,
        "series",
        _cmd_series,
        "the figures of one indicator for a reporting country, by period",
        "kgru-relations series trade-turnover --reporter KG --partner RU",
    )
    series.add_argument("indicator", metavar="INDICATOR", help="an indicator id or slug")
    series.add_argument("--reporter", required=True, metavar="CC", help="the reporting country")
    series.add_argument("--partner", metavar="CC", help="the partner country (default: none)")
    series.add_argument(
        "--kind",
        choices=[k.value for k in ObservationKind],
        default="actual",
        help="which figures: actual ones (default), estimates, targets...",
    )
    _add_file(series, old_option=True)

    timeline = _add(
        commands,
        "timeline",
        _cmd_timeline,
        "every dated fact in order",
        "kgru-relations timeline --from 2024-11-01 --to 2025-01-31",
    )
    timeline.add_argument(
        "--from", dest="start", type=_date, metavar="DATE", help="facts that may fall on or after"
    )
    timeline.add_argument(
        "--to", dest="end", type=_date, metavar="DATE", help="facts that may fall on or before"
    )
    _add_file(timeline)

    _add(
        commands,
        "schema",
        _cmd_schema,
        "print the JSON Schema of the data file format (always JSON)",
        "kgru-relations schema > schema.json",
        formats=False,
    )

    export = _add(
        commands,
        "export",
        _cmd_export,
        "write the dataset as a data file, or for other tools: FtM, Popolo, CSV, Parquet",
        "kgru-relations export --to parquet --output tables/",
        formats=False,
    )
    export.add_argument(
        "--to",
        choices=["json", "ftm", "popolo", "csv", "parquet"],
        default="json",
        help="the format: our own data file (json, the default), FollowTheMoney entities as "
        "JSON Lines (ftm), a Popolo document (popolo), or one table a file (csv, parquet)",
    )
    export.add_argument(
        "--output",
        "-o",
        metavar="PATH",
        help="a regular file to replace atomically, or - for standard output (the default); "
        "a directory for csv and parquet",
    )
    export.add_argument(
        "--observations",
        metavar="JSONL",
        help="convert a JSON Lines file of observations (- for standard input) to one "
        "Parquet file (with --to parquet and --output PATH), in batches; progress shows "
        "on a terminal",
    )
    _add_file(export)
    _add_plot(commands)
    _add_import(commands)
    return parser


def _add_group(
    commands: Any, name: str, summary: str, *, detail: str, examples: list[str], metavar: str
) -> Any:
    """A command of commands (``plot series``, ``import ftm``); returns where to add them."""
    group = commands.add_parser(
        name,
        help=summary,
        description=f"{summary[0].upper()}{summary[1:]}. {detail}",
        epilog="examples:\n" + "\n".join(f"  {example}" for example in examples),
        formatter_class=_Formatter,
    )
    return group.add_subparsers(dest=metavar.lower(), metavar=metavar, required=True)


def _add_import(commands: Any) -> None:
    """``import wikidata`` and ``import ftm``: a dataset from the field's open data."""
    origins = _add_group(
        commands,
        "import",
        "make a data file from Wikidata entity JSON or FollowTheMoney entities",
        detail="Nothing is merged by name; what the model cannot hold is listed as left out, "
        "never guessed.",
        examples=[
            "kgru-relations import wikidata Q1234567 --output people.json",
            "kgru-relations import ftm peps.ftm.json --output peps.json",
        ],
        metavar="FROM",
    )
    output_help = "the data file to write (replaced atomically); default: standard output"
    merge_help = (
        "a data file to join the import with (Dataset.merge: by Wikidata id, never by name)"
    )
    kind_help = (
        "a position's kind, by its id in the source: Q123=head_of_state (repeat for more; "
        "default: other, as the source does not say it in a form the model uses)"
    )
    wikidata = _add(
        origins,
        "wikidata",
        _cmd_import,
        "persons, their offices (P39) and those offices' states, from Wikidata",
        "kgru-relations import wikidata Q1234567 --output people.json",
        formats=False,
    )
    wikidata.set_defaults(origin="wikidata")
    wikidata.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="a file of Wikidata entity JSON (wbgetentities or Special:EntityData), - for "
        "standard input, or an item id (Q123) to fetch, with the offices and states it needs",
    )
    wikidata.add_argument(
        "--fetch-missing",
        action="store_true",
        help="also fetch the offices and states the files name but do not hold",
    )
    wikidata.add_argument(
        "--endpoint", metavar="URL", help="the Wikidata API to ask (default: wikidata.org)"
    )
    wikidata.add_argument(
        "--retrieved",
        type=_date,
        metavar="DATE",
        help="the day the files were read, kept on each source (default: today, when fetched)",
    )
    wikidata.add_argument(
        "--kind",
        type=_position_kind,
        action="append",
        default=[],
        metavar="ID=KIND",
        help=kind_help,
    )
    wikidata.add_argument("--merge-into", metavar="FILE", help=merge_help)
    wikidata.add_argument("--output", "-o", metavar="FILE", help=output_help)
    ftm = _add(
        origins,
        "ftm",
        _cmd_import,
        "persons, positions, occupancies and memberships from FollowTheMoney JSON Lines",
        "kgru-relations import ftm peps.ftm.json --output peps.json",
        formats=False,
    )
    ftm.set_defaults(origin="ftm")
    ftm.add_argument(
        "source", metavar="FILE", help="FtM JSON Lines, one entity a line; - for standard input"
    )
    ftm.add_argument(
        "--kind",
        type=_position_kind,
        action="append",
        default=[],
        metavar="ID=KIND",
        help=kind_help,
    )
    ftm.add_argument("--merge-into", metavar="FILE", help=merge_help)
    ftm.add_argument("--output", "-o", metavar="FILE", help=output_help)


def _add_plot(commands: Any) -> None:
    """``plot series`` and ``plot tenures``: the pictures of ``kgru_relations.plot``."""
    pictures = _add_group(
        commands,
        "plot",
        "draw a picture (SVG or PNG): a series against its targets, or who held what when",
        detail="Needs the plot extra: pip install 'kgru-relations[plot]'.",
        examples=[
            "kgru-relations plot series trade-turnover --reporter KG --partner RU "
            "--output trade.svg",
            "kgru-relations plot tenures --start 2020-01-01 --output offices.png",
        ],
        metavar="PICTURE",
    )
    output_help = "the picture to write (replaced atomically); its suffix, .svg or .png, says how"
    series = _add(
        pictures,
        "series",
        _cmd_plot_series,
        "one indicator's figures by period, each reporter's a line, with the targets",
        "kgru-relations plot series trade-turnover --reporter KG --partner RU -o trade.svg",
        formats=False,
    )
    series.add_argument("indicator", metavar="INDICATOR", help="an indicator id or slug")
    series.add_argument("--reporter", required=True, metavar="CC", help="the reporting country")
    series.add_argument(
        "--partner",
        metavar="CC",
        help="the partner country (default: none); for a symmetric indicator such as trade "
        "turnover, the partner's own figures are drawn too",
    )
    series.add_argument("--unit", help="the unit to draw, if the figures come in several")
    series.add_argument("--output", "-o", required=True, metavar="PICTURE", help=output_help)
    _add_file(series)
    tenures = _add(
        pictures,
        "tenures",
        _cmd_plot_tenures,
        "who held which office when, and who chaired and belonged to which organisation",
        "kgru-relations plot tenures --position position:kg-president -o presidents.svg",
        formats=False,
    )
    tenures.add_argument(
        "--position",
        action="append",
        metavar="ID",
        help="a position to draw (repeat for more; default, with no --organization: "
        "every position, and every organisation's chairs and members)",
    )
    tenures.add_argument(
        "--organization",
        action="append",
        metavar="ID",
        help="an organisation whose chairs and members to draw (repeat for more)",
    )
    tenures.add_argument(
        "--start",
        type=_date,
        metavar="DATE",
        help="the first day to show (default: the first day anything drawn may start)",
    )
    tenures.add_argument(
        "--end",
        type=_date,
        metavar="DATE",
        help="the last day to show (default: the last day "
        "the dataset's latest dated fact could fall on)",
    )
    tenures.add_argument("--output", "-o", required=True, metavar="PICTURE", help=output_help)
    _add_file(tenures)


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The parser's commands by name (none for a command that has no commands of its own)."""
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    found: dict[str, argparse.ArgumentParser] = actions[0].choices if actions else {}
    return found


def _parse(parser: argparse.ArgumentParser, arguments: list[str]) -> argparse.Namespace:
    """The arguments, parsed; a subcommand's options may come before, between or after FILE."""
    at = next((i for i, argument in enumerate(arguments) if not argument.startswith("-")), None)
    commands = _subcommands(parser)
    if at is not None and arguments[at] not in commands:
        name = arguments[at]
        near = difflib.get_close_matches(name, list(commands), n=1)
        hint = f"; did you mean {near[0]!r}?" if near else f" (choose from {', '.join(commands)})"
        parser.error(f"{name!r} is not a command{hint}")
    if at != 0:  # no command, or options of the command itself first: --help, --version
        return parser.parse_args(arguments)
    # A subparser left to itself reads `who ID --on DAY FILE` as ID and no FILE, then
    # refuses FILE; reading options and positionals apart takes FILE wherever it is.
    # A command of commands (`plot series`) is followed down to the one named.
    command, rest = commands[arguments[0]], arguments[1:]
    while rest and rest[0] in _subcommands(command):
        command, rest = _subcommands(command)[rest[0]], rest[1:]
    if _subcommands(command):  # none named: argparse says which there are, or shows --help
        args = command.parse_args(rest)
    else:
        args = command.parse_intermixed_args(rest)
    args.command = arguments[0]
    return args


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the command with *argv* (default: ``sys.argv[1:]``) and return its exit code.

    Args:
        argv: The arguments after the program name.
        out: Where to write the output (default: standard output). Problems go
            to standard error. Tables fit ``COLUMNS``, or the terminal *out*
            is, or are [`DEFAULT_WIDTH`][kgru_relations.cli.DEFAULT_WIDTH] wide.

    Returns:
        0 on success, 1 if a file is not valid or a query found nothing, 2 for a
        usage or I/O problem.
    """
    stream = sys.stdout if out is None else out
    arguments = sys.argv[1:] if argv is None else list(argv)
    token = _WIDTH.set(_width(stream))
    try:
        parser = _build_parser()
        try:
            args = _parse(parser, arguments)
        except SystemExit as exit_:  # argparse: --help, --version, or a usage error
            return int(exit_.code or 0) if not isinstance(exit_.code, str) else _USAGE
        try:
            handler: Callable[[argparse.Namespace, TextIO], int] = args.handler
            return handler(args, stream)
        except _Failure as failure:
            sys.stderr.write(f"kgru-relations: {failure}\n")
            return failure.code
        except BrokenPipeError:  # `kgru-relations timeline | head`
            return _OK
    finally:
        _WIDTH.reset(token)
