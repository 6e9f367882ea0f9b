"""What the tenures picture draws: its rows, and each record as a bar's days and lanes.

Dates become matplotlib date numbers here; nothing is drawn.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable, Sequence
from typing import Any, Final

import attrs

from kgru_relations.dataset import Dataset
from kgru_relations.dates import DatePrecision, PartialDate, Period
from kgru_relations.model import (
    Chairmanship,
    Membership,
    MembershipStatus,
    Organization,
    Position,
    PositionKind,
    State,
    Tenure,
)
from kgru_relations.plot._layout import after, num

_KIND_ORDER: Final = {
    kind: index
    for index, kind in enumerate(
        [
            PositionKind.HEAD_OF_STATE,
            PositionKind.HEAD_OF_GOVERNMENT,
            PositionKind.FOREIGN_MINISTER,
        ]
    )
}
WRAP: Final = 30  # characters of a row's label a line
INF: Final = math.inf


@attrs.define
class Record:
    """One bar: a tenure, a chairmanship, or one status spell of a membership."""

    gid: str
    holder: str
    short: str
    style: str
    start: object  # the period's start: a PartialDate, None (open) or unknown
    end: object
    solid: tuple[float, float]  # date numbers; -inf/+inf where open
    spans: list[tuple[float, float]]  # uncertain spans (partial dates)
    fade: tuple[float, float] | None = None  # an unknown side's fade
    lane: int = 0
    unit: str = ""  # bars that share a lane: a membership's spells (default: the gid)

    def __attrs_post_init__(self) -> None:
        self.unit = self.unit or self.gid

    @property
    def extent(self) -> tuple[float, float]:
        low, high = self.solid
        if self.fade is not None:
            low, high = min(low, self.fade[0]), max(high, self.fade[1])
        return low, high


@attrs.define
class Row:
    label: str
    kind: str  # office, chair or member
    group: str
    records: list[Record]
    named: bool  # asked for by the caller: drawn even if empty
    shared: bool = True  # records follow one another (tenures of an office), not side by side
    lanes: int = 1


def _side(endpoint: object, *, start: bool) -> tuple[float | None, tuple[float, float] | None]:
    """(where the solid bar may begin or end, the uncertain span) for one side of a period."""
    if endpoint is None:
        return (-INF if start else INF), None
    if isinstance(endpoint, PartialDate):
        span = (num(endpoint.earliest), after(endpoint.latest))
        uncertain = span if endpoint.precision is not DatePrecision.DAY else None
        return (span[0] if start else span[1]), uncertain
    return None, None  # unknown: the other side says where the bar is


def _merged(spans: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for low, high in sorted(spans):
        if merged and low < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
        else:
            merged.append((low, high))
    return merged


def _record(gid: str, holder: str, short: str, style: str, period: Period) -> Record:
    low, first_span = _side(period.start, start=True)
    high, last_span = _side(period.end, start=False)
    if low is None and isinstance(period.end, PartialDate):  # an unknown start
        low = num(period.end.earliest)
    if high is None and isinstance(period.start, PartialDate):  # an unknown end
        high = after(period.start.latest)
    spans = _merged(span for span in (first_span, last_span) if span is not None)
    return Record(
        gid,
        holder,
        short,
        style,
        period.start,
        period.end,
        (low if low is not None else -INF, high if high is not None else INF),
        spans,
    )


def _is_unknown(endpoint: object) -> bool:
    return endpoint is not None and not isinstance(endpoint, PartialDate)


def _fades(row: Row) -> None:
    """An unknown end fades out to the next start in the row; an unknown start fades in.

    A tenure's reach is the dataset's (``Dataset.possible_days``), set when it is
    read; a chair's is the next chair's start; a membership's, the edge.
    """
    for record in row.records:
        if record.fade is not None:  # a tenure's: the dataset says how far it may reach
            continue
        low, high = record.solid
        near = [r for r in row.records if r is not record and (row.shared or r.unit == record.unit)]
        if _is_unknown(record.end):
            record.fade = (
                high,
                min((r.solid[0] for r in near if r.solid[0] >= high), default=INF),
            )
        elif _is_unknown(record.start):
            record.fade = (max((r.solid[1] for r in near if r.solid[1] <= low), default=-INF), low)


def _short_person(label: str) -> str:
    words = label.split()
    return words[-1] if len(words) > 1 else label


def _owner(dataset: Dataset, entity_id: str, seen: frozenset[str] = frozenset()) -> str:
    """The state or organisation an office or body belongs to, at the top."""
    entity = dataset.get(entity_id) if entity_id in dataset else None
    if isinstance(entity, Position):
        return _owner(dataset, entity.organization, seen | {entity_id})
    if isinstance(entity, Organization) and entity_id not in seen:
        above = entity.state or entity.parent
        if above is not None:
            return _owner(dataset, above, seen | {entity_id})
    return entity_id


def _short_body(dataset: Dataset, organization_id: str) -> str:
    body = dataset.get(organization_id, Organization)
    shortest = min((name.text for name in body.names), key=len)
    return body.label if len(body.label) <= WRAP else shortest


def _label(dataset: Dataset, entity_id: str) -> str:
    return dataset.get(entity_id).label if entity_id in dataset else entity_id


def _position_rows(dataset: Dataset, position_ids: Sequence[str], *, named: bool) -> list[Row]:
    by_position: dict[str, list[Tenure]] = {}
    for tenure in dataset.all(Tenure):
        by_position.setdefault(tenure.position, []).append(tenure)
    rows = []
    for position_id in position_ids:
        position = dataset.get(position_id, Position)
        records = []
        for tenure in by_position.get(position_id, []):
            person = _label(dataset, tenure.person)
            style = "acting" if tenure.acting else "held"
            record = _record(tenure.id, person, _short_person(person), style, tenure.period)
            if tenure.period.is_unknown:
                first, last = dataset.possible_days(tenure)
                if _is_unknown(tenure.period.end):
                    record.fade = (record.solid[1], INF if last is None else after(last))
                else:
                    record.fade = (-INF if first is None else num(first), record.solid[0])
            records.append(record)
        rows.append(
            Row(position.label, "office", _owner(dataset, position_id), records, named=named)
        )
    return rows


def _state_short(dataset: Dataset, state_id: str) -> str:
    state = dataset.get(state_id) if state_id in dataset else None
    return state.code if isinstance(state, State) else state_id


def _organization_rows(
    dataset: Dataset, organization_ids: Sequence[str], *, named: bool
) -> list[Row]:
    rows = []
    for organization_id in organization_ids:
        short = _short_body(dataset, organization_id)
        group = _owner(dataset, organization_id)
        chairs = [
            _record(
                chair.id,
                _label(dataset, chair.state),
                _state_short(dataset, chair.state),
                "held",
                chair.period,
            )
            for chair in dataset.all(Chairmanship)
            if chair.organization == organization_id
        ]
        if chairs or named:
            rows.append(Row(f"Chair of the {short}", "chair", group, chairs, named=named))
        members = sorted(
            (m for m in dataset.all(Membership) if m.organization == organization_id),
            key=lambda m: (_label(dataset, m.state), m.id),
        )
        if members or named:
            spells = [
                spell
                for membership in members
                for spell in _spells(
                    membership,
                    _label(dataset, membership.state),
                    _state_short(dataset, membership.state),
                )
            ]
            rows.append(
                Row(f"Members of the {short}", "member", group, spells, named=named, shared=False)
            )
    return rows


def _spells(membership: Membership, state: str, code: str) -> list[Record]:
    """A membership's spells of one status each, as bars: the first as member."""
    whole = _record(f"{membership.id}/0", state, code, "member", membership.period)
    whole.unit = membership.id
    if not membership.changes:
        return [whole]
    low, high = whole.solid
    starts = [low, *(num(change.since.earliest) for change in membership.changes)]
    ends = [*starts[1:], high]
    statuses = [MembershipStatus.MEMBER, *(change.status for change in membership.changes)]
    spells = []
    for index, (first, last, status) in enumerate(zip(starts, ends, statuses, strict=True)):
        spans = [s for s in whole.spans if first <= s[0] < last or (index == 0 and s[0] < first)]
        if index:
            since = membership.changes[index - 1].since
            if since.precision is not DatePrecision.DAY:
                spans.append((num(since.earliest), after(since.latest)))
        member = status is MembershipStatus.MEMBER
        spell = Record(
            f"{membership.id}/{index}",
            state if member else f"{state} ({status.value})",
            code if member else f"{code} ({status.value})",
            status.value,
            membership.period.start if index == 0 else membership.changes[index - 1].since,
            membership.changes[index].since
            if index < len(membership.changes)
            else membership.period.end,
            (first, last),
            _merged(spans),
        )
        spell.unit = membership.id
        spells.append(spell)
    return spells


def build_rows(
    dataset: Dataset, positions: Sequence[str] | None, organizations: Sequence[str] | None
) -> list[Row]:
    named = positions is not None or organizations is not None
    if not named:
        groups = {p.id: _owner(dataset, p.id) for p in dataset.all(Position)}

        def order(position: Position) -> tuple[Any, ...]:
            owner = groups[position.id]
            return (
                not owner.startswith("state:"),
                _label(dataset, owner),
                _KIND_ORDER.get(position.kind, len(_KIND_ORDER)),
                position.label,
                position.id,
            )

        positions = [p.id for p in sorted(dataset.all(Position), key=order)]
        used = {m.organization for m in dataset.all(Membership)}
        used |= {c.organization for c in dataset.all(Chairmanship)}
        organizations = sorted(
            (o for o in used if isinstance(dataset.get(o) if o in dataset else None, Organization)),
            key=lambda o: (_label(dataset, o), o),
        )
    rows = _position_rows(dataset, positions or [], named=named)
    rows += _organization_rows(dataset, organizations or [], named=named)
    # Keep each group's rows together, groups in order of their first row.
    first: dict[str, int] = {}
    for index, row in enumerate(rows):
        first.setdefault(row.group, index)
    rows.sort(key=lambda row: first[row.group])
    for row in rows:
        _fades(row)
    return rows


def days_shown(
    dataset: Dataset, rows: Sequence[Row], start: _dt.date | None, end: _dt.date | None
) -> tuple[float, float]:
    """The days to show: as asked, or from the first day anything drawn may start to the last."""
    extents = [record.extent for row in rows for record in row.records]
    finite = [value for extent in extents for value in extent if math.isfinite(value)]
    latest = dataset.latest_date
    if latest is not None:
        finite.append(after(latest))
    if not finite:
        finite.append(after(_dt.date.today()))
    low = num(start) if start is not None else min(finite)
    high = after(end) if end is not None else max(finite)
    if high <= low:
        high = low + 365.0 if end is None else high
        low = high - 365.0 if start is None else low
    # What runs on past the last (or first) date, fading or open, needs room to show.
    room = max(0.06 * (high - low), 30.0)
    if start is None and any(extent[0] == -INF for extent in extents):
        low -= room
    if end is None and any(
        extent[1] == INF and (extent[0] >= high - 1.0 or record.fade is not None)
        for row in rows
        for record in row.records
        for extent in [record.extent]
    ):
        high += room
    return low, high


def stop_fades(row: Row) -> None:
    """A fade stops where the next bar in its lane begins (or the last one ends)."""
    for record in row.records:
        if record.fade is None:
            continue
        lane = [r.solid for r in row.records if r.lane == record.lane and r is not record]
        low, high = record.fade
        if high > record.solid[1] - 0.5:  # fading out, after the bar
            high = min([high, *(start for start, _ in lane if start >= record.solid[1])])
        else:  # fading in, before it
            low = max([low, *(end for _, end in lane if end <= record.solid[0])])
        record.fade = (low, high)


def assign_lanes(records: Sequence[Record]) -> int:
    """Put each unit in the first lane where it overlaps no other by more than a day."""
    units: dict[str, list[Record]] = {}
    for record in records:
        units.setdefault(record.unit, []).append(record)
    spans = sorted(  # by start, then end, then the order given (members by name)
        (min(r.solid[0] for r in unit), max(r.solid[1] for r in unit), order, name)
        for order, (name, unit) in enumerate(units.items())
    )
    ends: list[float] = []
    for low, high, _, name in spans:
        lane = next((i for i, last in enumerate(ends) if low >= last - 1.0), len(ends))
        if lane == len(ends):
            ends.append(high)
        ends[lane] = high
        for record in units[name]:
            record.lane = lane
    return max(len(ends), 1)
