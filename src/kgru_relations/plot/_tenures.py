"""The tenures picture: who held which office when, chairs and members, as a Gantt chart."""

from __future__ import annotations

import datetime as _dt
import textwrap
from collections.abc import Callable, Sequence
from typing import Any, Final, Literal

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.transforms import Bbox, blended_transform_factory

from kgru_relations.dataset import Dataset
from kgru_relations.plot._bars import (
    INF,
    WRAP,
    Record,
    Row,
    assign_lanes,
    build_rows,
    days_shown,
    stop_fades,
)
from kgru_relations.plot._layout import Placer, add_legend, freeze, new_figure, plain
from kgru_relations.plot._style import GREY, GRID, PAD, PALETTE, TEXT, TICKS

_LANE: Final = 0.32  # a lane's height, in the rows' units (about an inch each)
_LINE: Final = 0.16  # a line of a row's label
_ROW_PAD: Final = 0.08
_FADE_STEPS: Final = 6
_STYLES: Final[dict[str, tuple[float, str | None, Literal["solid", "dashed", "dotted"], str]]] = {
    # style: (face alpha, hatch, line style, legend text)
    "held": (0.55, None, "solid", "held"),
    "held or member": (0.55, None, "solid", "held, or a member"),
    "acting": (0.2, "--", "dashed", "acting"),
    "member": (0.55, None, "solid", "member"),
    "suspended": (0.15, "xxx", "solid", "suspended"),
    "observer": (0.15, "|||", "solid", "observer"),
    "withdrawn": (0.1, "\\\\\\", "dotted", "withdrawn"),
}


def tenures(
    dataset: Dataset,
    positions: Sequence[str] | None,
    organizations: Sequence[str] | None,
    *,
    start: _dt.date | None,
    end: _dt.date | None,
    title: str | None,
) -> Figure:
    """Draw [`plot_tenures`][kgru_relations.plot.plot_tenures]'s picture."""
    rows = build_rows(dataset, positions, organizations)
    low, high = days_shown(dataset, rows, start, end)
    for row in rows:
        row.records = [r for r in row.records if r.extent[0] < high and r.extent[1] > low]
        row.lanes = assign_lanes(row.records)
        stop_fades(row)
    rows = [row for row in rows if row.records or row.named]
    labels = [textwrap.wrap(row.label, WRAP) or [""] for row in rows]
    heights = [
        max(row.lanes * _LANE, len(lines) * _LINE) + _ROW_PAD
        for row, lines in zip(rows, labels, strict=True)
    ]
    total = sum(heights) or _LANE
    figure_, renderer = new_figure(total + 1.9)
    axes = figure_.add_subplot()
    first_year = mdates.num2date(low).year  # type: ignore[no-untyped-call]
    last_year = mdates.num2date(high - 1.0).year  # type: ignore[no-untyped-call]
    years = f"{first_year}–{last_year}" if last_year != first_year else str(first_year)
    plain(axes.set_title(title if title is not None else _tenures_title(rows, years)))
    axes.title.set_fontweight("bold")
    axes.title.set_horizontalalignment("left")
    axes.title.set_position((0.0, 1.0))
    axes.set_xlim(low, high)
    axes.set_ylim(total, 0.0)
    axes.xaxis_date()
    locator = mdates.AutoDateLocator(maxticks=12)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    axes.grid(axis="x", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    colours: dict[str, str] = {}
    centres: list[float] = []
    lane_ys: list[list[float]] = []
    top = 0.0
    previous_group: str | None = None
    for row, height in zip(rows, heights, strict=True):
        colour = colours.setdefault(row.group, PALETTE[len(colours) % (len(PALETTE) - 1)])
        if previous_group is not None and row.group != previous_group:
            axes.axhline(top, color=GREY, linewidth=0.8)
        previous_group = row.group
        middle = top + height / 2
        first_lane = middle - row.lanes * _LANE / 2
        ys = [first_lane + (lane + 0.5) * _LANE for lane in range(row.lanes)]
        centres.append(middle)
        lane_ys.append(ys)
        for record in row.records:
            _draw_record(axes, record, y=ys[record.lane], colour=colour, window=(low, high))
        top += height
    axes.set_yticks(
        centres, labels=["\n".join(lines) for lines in labels], parse_math=False, fontsize=TICKS
    )
    axes.tick_params(axis="y", length=0)
    axes.set_xlabel("Date")
    add_legend(figure_, _tenure_handles(rows))
    freeze(figure_)
    _tenure_labels(figure_, renderer, axes, rows=rows, lane_ys=lane_ys, window=(low, high))
    return figure_


def _tenures_title(rows: Sequence[Row], years: str) -> str:
    kinds = {row.kind for row in rows}
    if kinds <= {"office"}:
        return f"Who held which office, {years}"
    words = [
        w
        for k, w in (("office", "offices"), ("chair", "chairs"), ("member", "members"))
        if k in kinds
    ]
    what = ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]
    return f"{what[0].upper()}{what[1:]}, {years}"


def _draw_record(
    axes: Axes, record: Record, *, y: float, colour: str, window: tuple[float, float]
) -> None:
    low, high = window
    alpha, hatch, line, _ = _STYLES[record.style]
    height = _LANE * 0.78
    left, right = max(record.solid[0], low), min(record.solid[1], high)
    bar = Rectangle(
        (left, y - height / 2),
        max(right - left, 0.0),
        height,
        facecolor=_faded(colour, alpha),
        edgecolor=colour,
        hatch=hatch,
        linestyle=line,
        linewidth=1.0,
        label=record.holder,
        gid=record.gid,
        zorder=2,
    )
    axes.add_patch(bar)
    for index, span in enumerate(record.spans):
        first, last = max(span[0], low), min(span[1], high)
        if last > first:
            axes.add_patch(
                Rectangle(
                    (first, y - height / 2),
                    last - first,
                    height,
                    facecolor=(1.0, 1.0, 1.0, 0.6),
                    edgecolor=colour,
                    hatch="////",
                    linewidth=0.0,
                    gid=f"{record.gid}#uncertain-{index}",
                    zorder=2.5,
                )
            )
    if record.fade is not None:
        _draw_fade(axes, record, y=y, height=height, colour=colour, window=window)
    if record.solid[1] == INF and record.fade is None:
        _edge_mark(axes, (1.0, y), ">", colour=colour, gid=f"{record.gid}#open-end")
    if record.solid[0] == -INF and record.fade is None:
        _edge_mark(axes, (0.0, y), "<", colour=colour, gid=f"{record.gid}#open-start")


def _faded(colour: str, alpha: float) -> tuple[float, float, float, float]:
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return (red, green, blue, alpha)


def _edge_mark(
    axes: Axes, where: tuple[float, float], marker: str, *, colour: str, gid: str
) -> None:
    """A ▸ at the right edge (◂ at the left) for an open end: *where* is (axes x, data y)."""
    mark = axes.plot(
        [where[0]],
        [where[1]],
        marker=marker,
        markersize=6,
        color=colour,
        linestyle="none",
        transform=blended_transform_factory(axes.transAxes, axes.transData),
        clip_on=False,
        zorder=3,
    )[0]
    mark.set_gid(gid)


def _draw_fade(
    axes: Axes,
    record: Record,
    *,
    y: float,
    height: float,
    colour: str,
    window: tuple[float, float],
) -> None:
    assert record.fade is not None
    low, high = window
    first, last = max(record.fade[0], low), min(record.fade[1], high)
    if last <= first:
        return
    ending = record.fade[0] >= record.solid[1] - 0.5  # an unknown end, not an unknown start
    step = (last - first) / _FADE_STEPS
    for index in range(_FADE_STEPS):
        strength = (index + 0.5) / _FADE_STEPS
        alpha = 0.5 * (1 - strength if ending else strength)
        axes.add_patch(
            Rectangle(
                (first + index * step, y - height / 2),
                step,
                height,
                facecolor=_faded(colour, alpha),
                linewidth=0.0,
                gid=f"{record.gid}#unknown-{'end' if ending else 'start'}-{index}",
                zorder=1.9,
            )
        )
    mark = plain(
        axes.annotate(
            "?",
            xy=(last if ending else first, y),
            xytext=(-PAD if ending else PAD, 0),
            textcoords="offset points",
            ha="right" if ending else "left",
            va="center",
            fontsize=TEXT + 1,
            fontweight="bold",
            color=colour,
        )
    )
    mark.set_gid(f"{record.gid}#unknown")


def _tenure_handles(rows: Sequence[Row]) -> list[Any]:
    records = [record for row in rows for record in row.records]
    styles = {record.style for record in records}
    if {"held", "member"} <= styles:  # drawn alike: one entry says both
        styles = (styles - {"held", "member"}) | {"held or member"}
    handles: list[Any] = []
    for style, (alpha, hatch, line, text) in _STYLES.items():
        if style in styles:
            handles.append(
                Patch(
                    facecolor=_faded("#555555", alpha),
                    edgecolor="#555555",
                    hatch=hatch,
                    linestyle=line,
                    label=text,
                )
            )
    if any(record.spans for record in records):
        handles.append(
            Patch(
                facecolor=(1.0, 1.0, 1.0, 0.6),
                edgecolor="#555555",
                hatch="////",
                linewidth=0.0,
                label="date known to the year, quarter or month",
            )
        )
    if any(r.solid[1] == INF and r.fade is None for r in records):
        handles.append(
            Line2D(
                [],
                [],
                marker=">",
                color="#555555",
                linestyle="none",
                label="still so, past the edge",
            )
        )
    if any(r.fade is not None for r in records):
        handles.append(
            Patch(
                facecolor=_faded("#555555", 0.2), linewidth=0.0, label="? ended on an unknown day"
            )
        )
    return handles


def _tenure_labels(
    figure_: Figure,
    renderer: RendererBase,
    axes: Axes,
    *,
    rows: Sequence[Row],
    lane_ys: Sequence[Sequence[float]],
    window: tuple[float, float],
) -> None:
    placer = Placer(figure_, renderer, axes.get_window_extent(renderer))
    bars = {
        patch.get_gid(): patch.get_window_extent(renderer)
        for patch in axes.patches
        if isinstance(patch, Rectangle) and "#" not in str(patch.get_gid())
    }
    for row, ys in zip(rows, lane_ys, strict=True):
        for lane, y in enumerate(ys):
            in_lane = sorted((r for r in row.records if r.lane == lane), key=lambda r: r.extent)
            others = [bars[r.gid] for r in in_lane]
            for run in _runs(in_lane):
                _label_run(placer, axes, run, y=y, window=window, lane_bars=others, bars=bars)


def _runs(records: Sequence[Record]) -> list[list[Record]]:
    """Bars of one holder that follow one another (an acting spell, then the tenure)."""
    runs: list[list[Record]] = []
    for record in records:
        if (
            runs
            and runs[-1][-1].holder == record.holder
            and record.solid[0] - runs[-1][-1].solid[1] <= 1.0
        ):
            runs[-1].append(record)
        else:
            runs.append([record])
    return runs


def _label_run(
    placer: Placer,
    axes: Axes,
    run: Sequence[Record],
    *,
    y: float,
    window: tuple[float, float],
    lane_bars: Sequence[Bbox],
    bars: dict[str | None, Bbox],
) -> None:
    left = max(run[0].solid[0], window[0])
    right = min(run[-1].solid[1], window[1])
    own = [bars[record.gid] for record in run]
    elsewhere = [box for box in lane_bars if all(box is not mine for mine in own)]
    candidates: list[str] = list(dict.fromkeys(t for t in (run[0].holder, run[0].short) if t))
    inside = max(b.x1 for b in own)
    fade = run[-1].fade
    if fade is not None and fade[1] > run[-1].solid[1] - 0.5:  # a label may lie on a fade
        inside = max(inside, axes.transData.transform((min(fade[1], window[1]), y))[0])
    attempts: list[tuple[float, float, str, Callable[[Bbox], bool]]] = [
        (left, PAD, "left", lambda box: box.x1 <= inside - 1.0),
        (right, PAD, "left", lambda box: True),
        (left, -PAD, "right", lambda box: True),
    ]
    for text_ in candidates:
        for x, dx, ha, fits in attempts:
            text = plain(
                axes.annotate(
                    text_,
                    xy=(x, y),
                    xytext=(dx, 0),
                    textcoords="offset points",
                    ha=ha,
                    va="center",
                    fontsize=TEXT,
                    zorder=4,
                )
            )
            text.set_gid(f"{run[0].gid}#label")
            if fits(placer.extent(text)) and placer.free(
                text, elsewhere if ha == "left" and x == left else [*elsewhere, *own]
            ):
                placer.take(text)
                return
            text.remove()
