"""How [`kgru_relations.plot`][kgru_relations.plot] draws its pictures, with matplotlib.

This module imports matplotlib when it is imported: ``plot`` imports it only
once matplotlib is known to be there. A figure is built directly
(``matplotlib.figure.Figure`` on an Agg canvas), laid out once by matplotlib's
constrained layout, and then frozen, so that labels can be measured and
placed where they overlap nothing: no text of a picture covers another.
"""

from __future__ import annotations

import datetime as _dt
import math
import textwrap
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, Final, Literal, TypeVar

import attrs
import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox, Transform, blended_transform_factory, offset_copy

from kgru_relations._amounts import amount, figure, scale_of, shifted
from kgru_relations.codes import country_code
from kgru_relations.dataset import Dataset
from kgru_relations.dates import DatePrecision, PartialDate, Period
from kgru_relations.model import (
    Chairmanship,
    Indicator,
    Membership,
    MembershipStatus,
    Observation,
    ObservationKind,
    Organization,
    Position,
    PositionKind,
    Qualifier,
    State,
    Tenure,
)
from kgru_relations.plot import PALETTE

_WIDTH: Final = 10.0  # inches
_DPI: Final = 100
_TEXT: Final = 8.5  # points: labels on bars and points
_TICKS: Final = 9.0
_GREY: Final = "#666666"
_GRID: Final = "#DDDDDD"
_PAD: Final = 3.0  # points between a label and what it labels
_T = TypeVar("_T", bound=Text)


# --- shared -------------------------------------------------------------------------------------


def _num(day: _dt.date) -> float:
    """A day as matplotlib's date number (days since its epoch, at the day's start)."""
    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


def _after(day: _dt.date) -> float:
    """The end of *day*: the start of the next, as a date number (no overflow at 9999-12-31)."""
    return _num(day) + 1.0


def _new_figure(height: float) -> tuple[Figure, RendererBase]:
    figure_ = Figure(figsize=(_WIDTH, height), dpi=_DPI, layout="constrained")
    canvas = FigureCanvasAgg(figure_)
    return figure_, canvas.get_renderer()  # type: ignore[no-untyped-call]


def _plain(text: _T) -> _T:
    """*text*, drawn as written: a ``$`` in a name is a dollar sign, not mathematics."""
    text.set_parse_math(False)
    return text


def _freeze(figure_: Figure) -> None:
    """Lay the figure out once (constrained layout), then keep that layout for good."""
    figure_.draw_without_rendering()
    figure_.set_layout_engine("none")


def _overlap(a: Bbox, b: Bbox) -> bool:
    return bool(a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1)


def _inside(box: Bbox, area: Bbox) -> bool:
    slack = 0.5
    return bool(
        box.x0 >= area.x0 - slack
        and box.x1 <= area.x1 + slack
        and box.y0 >= area.y0 - slack
        and box.y1 <= area.y1 + slack
    )


def drawn_texts(figure_: Figure) -> list[Text]:
    """Every text the figure draws: titles, axis and tick labels in view, legends, labels."""
    found: list[Text] = []
    for axes in figure_.axes:
        found += [child for child in axes.get_children() if isinstance(child, Text)]
        found += [axes.xaxis.label, axes.yaxis.label]
        for axis, (low, high) in (
            (axes.xaxis, sorted(axes.get_xlim())),
            (axes.yaxis, sorted(axes.get_ylim())),
        ):
            for tick in axis.get_major_ticks():
                if low <= tick.get_loc() <= high:
                    found += [tick.label1, tick.label2]
    for legend in figure_.legends:
        found += legend.get_texts()
    found += figure_.texts
    return [text for text in found if text.get_visible() and text.get_text()]


class _Placer:
    """Places labels where they overlap no other text, and nothing else they must not."""

    def __init__(self, figure_: Figure, renderer: RendererBase, area: Bbox) -> None:
        self._renderer = renderer
        self._area = area
        self._taken: list[Bbox] = [
            text.get_window_extent(renderer) for text in drawn_texts(figure_)
        ]

    def extent(self, text: Text) -> Bbox:
        return text.get_window_extent(self._renderer)

    def block(self, box: Bbox) -> None:
        """Keep labels off *box* (a marker, a bar)."""
        self._taken.append(box)

    def free(self, text: Text, also: Sequence[Bbox] = ()) -> bool:
        """Whether *text* lies in the area, clear of every other text and of *also*."""
        box = self.extent(text).padded(1.0)
        return _inside(self.extent(text), self._area) and not any(
            _overlap(box, other) for other in [*self._taken, *also]
        )

    def take(self, text: Text) -> None:
        self._taken.append(self.extent(text))


# --- series -------------------------------------------------------------------------------------

_VERBS: Final = {
    ObservationKind.ACTUAL: "Reported by",
    ObservationKind.ESTIMATE: "Estimated by",
    ObservationKind.FORECAST: "Forecast by",
    ObservationKind.PLANNED: "Planned by",
    ObservationKind.TARGET: "Target set by",
}
_MARKERS: Final = ("o", "s", "D", "^", "v", "P", "X", "h")
_ORDINALS: Final = ("", "second", "third", "fourth", "fifth")
_UPWARD: Final = frozenset({Qualifier.MORE_THAN, Qualifier.AT_LEAST})
_DOWNWARD: Final = frozenset({Qualifier.LESS_THAN, Qualifier.AT_MOST})
_MAX_PERIOD_TICKS: Final = 12
_DODGE: Final = 7.0  # points between lines' markers for one period
_ARROW: Final = 22.0  # points: the length of a "more than" or "less than" arrow


@attrs.frozen
class _Line:
    label: str
    kind: ObservationKind
    observations: tuple[Observation, ...]


def _state_name(dataset: Dataset, code: str) -> str:
    state = dataset.get(f"state:{code.lower()}") if f"state:{code.lower()}" in dataset else None
    return state.label if isinstance(state, State) else code


def _accounts(observations: Sequence[Observation]) -> list[list[Observation]]:
    """Split figures so that each list has at most one figure a period (first accounts first)."""
    accounts: list[list[Observation]] = []
    for observation in sorted(observations, key=lambda o: (o.variant_of is not None, o.id)):
        for account in accounts:
            if all(other.period != observation.period for other in account):
                account.append(observation)
                break
        else:
            accounts.append([observation])
    for account in accounts:
        account.sort(key=lambda o: (o.period.earliest, o.period.latest) if o.period else ())
    return accounts


def _middle(period: PartialDate) -> float:
    return (_num(period.earliest) + _after(period.latest)) / 2


def _series_lines(
    dataset: Dataset,
    indicator: str,
    pairs: Sequence[tuple[str, str | None]],
    kinds: Sequence[ObservationKind],
) -> list[_Line]:
    lines: list[_Line] = []
    for who, whom in pairs:
        for kind in kinds:
            dated = [o for o in dataset.series(indicator, who, whom, kind=kind) if o.period]
            for index, account in enumerate(_accounts(dated)):
                label = f"{_VERBS[kind]} {_state_name(dataset, who)}"
                if index:
                    ordinal = _ORDINALS[index] if index < len(_ORDINALS) else f"#{index + 1}"
                    label += f" ({ordinal} account)"
                lines.append(_Line(label, kind, tuple(account)))
    return lines


def _chosen_unit(observations: Iterable[Observation], unit: str | None) -> str:
    units = sorted({o.unit for o in observations})
    if unit is not None:
        return unit
    if len(units) > 1:
        msg = f"the figures are in {' and '.join(units)}: choose one unit to draw"
        raise ValueError(msg)
    return units[0]


@attrs.frozen
class _Series:
    """What a series picture draws, chosen and checked before anything is drawn."""

    indicator: Indicator
    names: str  # the countries, for the title
    lines: list[_Line]
    goals: list[Observation]
    unit: str
    places: int  # the scale: values are drawn divided by 10 ** places
    word: str  # the scale's word: bn, m, or nothing

    def y(self, value: Decimal) -> float:
        """Where *value* is drawn on the axis (a float: only the labels are exact)."""
        return float(shifted(value, self.places))


def _series_data(
    dataset: Dataset,
    indicator: str,
    reporter: str,
    partner: str | None,
    *,
    kinds: Iterable[ObservationKind | str] | None,
    unit: str | None,
    targets: bool,
) -> _Series:
    measured = dataset.get(indicator, Indicator)
    who = country_code(reporter)
    whom = None if partner is None else country_code(partner)
    pairs = [(who, whom)]
    if whom is not None and measured.symmetric:
        pairs.append((whom, who))
    chosen = (
        [k for k in ObservationKind if k is not ObservationKind.TARGET]
        if kinds is None
        else list(dict.fromkeys(ObservationKind(k) for k in kinds))
    )
    lines = _series_lines(dataset, indicator, pairs, chosen)
    names = " and ".join(_state_name(dataset, code) for code in (who, whom) if code)
    everything = [o for line in lines for o in line.observations]
    if not everything:
        msg = f"no figures of {measured.label} with a period for {names} to draw"
        raise ValueError(msg)
    shown_unit = _chosen_unit(everything, unit)
    lines = [
        _Line(line.label, line.kind, kept)
        for line in lines
        if (kept := tuple(o for o in line.observations if o.unit == shown_unit))
    ]
    if not lines:
        msg = f"no figures of {measured.label} in {shown_unit} to draw"
        raise ValueError(msg)
    goals = [
        o
        for pair in (pairs if targets else [])
        for o in dataset.series(indicator, *pair, kind=ObservationKind.TARGET)
        if o.unit == shown_unit
    ]
    values = [o.value for line in lines for o in line.observations] + [o.value for o in goals]
    places, word = scale_of(max(values, key=abs), shown_unit)
    return _Series(measured, names, lines, goals, shown_unit, places, word)


def series(
    dataset: Dataset,
    indicator: str,
    reporter: str,
    partner: str | None,
    *,
    kinds: Iterable[ObservationKind | str] | None,
    unit: str | None,
    targets: bool,
    title: str | None,
) -> Figure:
    """Draw [`plot_series`][kgru_relations.plot.plot_series]'s picture."""
    data = _series_data(
        dataset, indicator, reporter, partner, kinds=kinds, unit=unit, targets=targets
    )
    heading = title if title is not None else f"{data.indicator.label}: {data.names}"
    figure_, renderer = _new_figure(5.2)
    axes = figure_.add_subplot()
    _plain(axes.set_title(heading, loc="left", fontweight="bold"))
    axes.set_ylabel(f"{data.unit} {data.word}".strip() if data.unit.isupper() else data.unit)
    axes.grid(axis="y", color=_GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    points, handles = _draw_lines(figure_, axes, data)
    goal_lines, goal_handles = _draw_targets(axes, dataset, data)
    handles += goal_handles + _qualifier_handles({o.qualifier for o, *_ in points})
    periods = [o.period for o, *_ in points if o.period]
    _series_limits(axes, periods + [g.period for g in data.goals if g.period], points, goal_lines)
    _period_ticks(axes, periods)
    axes.set_xlabel(_period_word(periods))
    _legend(figure_, handles)
    _freeze(figure_)
    _series_labels(figure_, renderer, axes, points, goal_lines)
    return figure_


_Point = tuple[Observation, float, float, Line2D]
_Goal = tuple[str, float, Line2D]


def _draw_lines(figure_: Figure, axes: Axes, data: _Series) -> tuple[list[_Point], list[Any]]:
    points: list[_Point] = []
    handles: list[Any] = []
    # Where lines share a period, each is drawn a few points aside (its data stay
    # at the period), so that markers of equal values do not hide one another.
    shared = Counter(o.period for line in data.lines for o in line.observations)
    dodge = any(count > 1 for count in shared.values())
    middle = (len(data.lines) - 1) / 2
    for index, line in enumerate(data.lines):
        aside = offset_copy(
            axes.transData,
            fig=figure_,
            x=(index - middle) * _DODGE if dodge else 0.0,
            units="points",
        )
        colour, marker = PALETTE[index % len(PALETTE)], _MARKERS[index % len(_MARKERS)]
        style: Literal["-", ":"] = "-" if line.kind is ObservationKind.ACTUAL else ":"
        xs = [_middle(o.period) for o in line.observations if o.period]
        ys = [data.y(o.value) for o in line.observations]
        drawn = axes.plot(xs, ys, linestyle=style, color=colour, linewidth=1.6, transform=aside)[0]
        drawn.set_gid(f"series-{index}")
        for observation, x, y in zip(line.observations, xs, ys, strict=True):
            hollow = observation.qualifier is Qualifier.APPROXIMATELY
            point = axes.plot(
                [x],
                [y],
                linestyle="none",
                marker=marker,
                markersize=7,
                color=colour,
                markerfacecolor="white" if hollow else colour,
                markeredgewidth=1.6,
                zorder=3,
                transform=aside,
            )[0]
            point.set_gid(observation.id)
            point.set_label(f"_{observation.id}")
            points.append((observation, x, y, point))
        handles.append(
            Line2D([], [], color=colour, linestyle=style, marker=marker, label=line.label)
        )
    return points, handles


def _draw_targets(axes: Axes, dataset: Dataset, data: _Series) -> tuple[list[_Goal], list[Any]]:
    goal_lines: list[_Goal] = []
    handles: list[Any] = []
    for goal in _merged_targets(data.goals):
        y = data.y(goal[0].value)
        target_line = axes.axhline(y, color="#000000", linestyle="--", linewidth=1.2, zorder=2)
        target_line.set_gid(goal[0].id)
        setters = ", ".join(dict.fromkeys(_state_name(dataset, o.reporter) for o in goal))
        when = f" for {goal[0].period}" if goal[0].period else ""
        goal_lines.append((f"Target{when}: {amount(goal[0].value, data.unit)}", y, target_line))
        handles.append(
            Line2D([], [], color="#000000", linestyle="--", label=f"Target set by {setters}")
        )
    return goal_lines, handles


def _qualifier_handles(qualifiers: set[Qualifier]) -> list[Any]:
    handles: list[Any] = []
    if Qualifier.APPROXIMATELY in qualifiers:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                color=_GREY,
                markerfacecolor="white",
                label="≈ about (hollow marker)",
            )
        )
    if qualifiers & _UPWARD:
        handles.append(_arrow_handle("↑ more than, or at least", "^"))
    if qualifiers & _DOWNWARD:
        handles.append(_arrow_handle("↓ less than, or at most", "v"))
    return handles


def _arrow_handle(label: str, marker: str) -> Line2D:
    return Line2D(
        [], [], linestyle="none", marker=marker, color=_GREY, markerfacecolor="none", label=label
    )


def _merged_targets(goals: Sequence[Observation]) -> list[list[Observation]]:
    """Targets of one value and period, set by each side, drawn as one line."""
    merged: dict[tuple[Decimal, PartialDate | None], list[Observation]] = {}
    for goal in sorted(goals, key=lambda o: o.id):
        merged.setdefault((goal.value, goal.period), []).append(goal)
    return list(merged.values())


def _series_limits(
    axes: Axes,
    periods: Sequence[PartialDate],
    points: Sequence[_Point],
    goal_lines: Sequence[_Goal],
) -> None:
    low = min(_num(p.earliest) for p in periods)
    high = max(_after(p.latest) for p in periods)
    widest = max(_after(p.latest) - _num(p.earliest) for p in periods)
    axes.set_xlim(low - 0.6 * widest, high + 0.6 * widest)
    ys = [y for _, _, y, _ in points] + [y for _, y, _ in goal_lines]
    top, bottom = max([*ys, 0.0]), min([*ys, 0.0])
    span = (top - bottom) or 1.0
    axes.set_ylim(bottom - (0.25 * span if bottom < 0 else 0), top + 0.25 * span)


def _period_ticks(axes: Axes, periods: Sequence[PartialDate]) -> None:
    distinct = sorted(set(periods), key=lambda p: (p.earliest, p.latest))
    if len(distinct) <= _MAX_PERIOD_TICKS:
        axes.set_xticks([_middle(p) for p in distinct], labels=[str(p) for p in distinct])
        return
    locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def _period_word(periods: Sequence[PartialDate]) -> str:
    precisions = {p.precision for p in periods}
    return {
        frozenset({DatePrecision.YEAR}): "Year",
        frozenset({DatePrecision.QUARTER}): "Quarter",
        frozenset({DatePrecision.MONTH}): "Month",
        frozenset({DatePrecision.DAY}): "Day",
    }.get(frozenset(precisions), "Period")


def _legend(figure_: Figure, handles: Sequence[Any]) -> Legend:
    legend = figure_.legend(
        handles=list(handles),
        loc="outside lower center",
        ncols=min(3, len(handles)) or 1,
        frameon=False,
        fontsize=_TEXT,
    )
    for text in legend.get_texts():
        _plain(text)
    return legend


_OFFSETS: Final = (  # (dx, dy) in points, with the alignment that keeps the text clear
    ((0.0, 7.0), "center", "bottom"),
    ((8.0, 0.0), "left", "center"),
    ((-8.0, 0.0), "right", "center"),
    ((0.0, -8.0), "center", "top"),
    ((0.0, 20.0), "center", "bottom"),
    ((0.0, -21.0), "center", "top"),
    ((10.0, 12.0), "left", "bottom"),
    ((-10.0, 12.0), "right", "bottom"),
    ((10.0, -12.0), "left", "top"),
    ((-10.0, -12.0), "right", "top"),
    ((0.0, 33.0), "center", "bottom"),
    ((0.0, -34.0), "center", "top"),
)


def _series_labels(
    figure_: Figure,
    renderer: RendererBase,
    axes: Axes,
    points: Sequence[tuple[Observation, float, float, Line2D]],
    goal_lines: Sequence[tuple[str, float, Line2D]],
) -> None:
    placer = _Placer(figure_, renderer, axes.get_window_extent(renderer))
    for observation, x, y, point in points:
        placer.block(point.get_window_extent(renderer))
        if observation.qualifier in _UPWARD | _DOWNWARD:
            up = observation.qualifier in _UPWARD
            arrow = axes.annotate(
                "",
                xy=(x, y),
                xycoords=point.get_transform(),
                xytext=(0, _ARROW if up else -_ARROW),
                textcoords="offset points",
                arrowprops={
                    "arrowstyle": "<-",
                    "color": point.get_color(),
                    "linewidth": 1.4,
                    "shrinkA": 0,
                    "shrinkB": 4,
                },
            )
            arrow.set_gid(f"{observation.id}#arrow")
            # Where the arrow lies, reckoned rather than drawn (a draw per arrow is slow).
            px, py = point.get_transform().transform((x, y))
            reach = _ARROW * figure_.dpi / 72 * (1 if up else -1)
            placer.block(
                Bbox.from_extents(px - 5, min(py, py + reach), px + 5, max(py, py + reach))
            )
    for label, y, line in goal_lines:
        for dy, va in ((_PAD, "bottom"), (-_PAD, "top")):
            text = _plain(
                axes.annotate(
                    label,
                    xy=(1.0, y),
                    xycoords=("axes fraction", "data"),
                    xytext=(-_PAD, dy),
                    textcoords="offset points",
                    ha="right",
                    va=va,
                    fontsize=_TEXT,
                )
            )
            text.set_gid(f"{line.get_gid()}#label")
            if placer.free(text):
                placer.take(text)
                break
            text.remove()
    for observation, x, y, _point in points:
        _place_one(
            placer,
            axes,
            figure(observation),
            (x, y),
            transform=point.get_transform(),
            gid=f"{observation.id}#label",
        )


def _place_one(
    placer: _Placer,
    axes: Axes,
    label: str,
    xy: tuple[float, float],
    *,
    transform: Transform,
    gid: str,
) -> Annotation | None:
    """Label the point at *xy* where the label is clear of every other text and marker."""
    for offset, ha, va in _OFFSETS:
        text = _plain(
            axes.annotate(
                label,
                xy=xy,
                xycoords=transform,
                xytext=offset,
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=_TEXT,
            )
        )
        text.set_gid(gid)
        if placer.free(text):
            placer.take(text)
            return text
        text.remove()
    return None


# --- tenures ------------------------------------------------------------------------------------

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
_LANE: Final = 0.32  # a lane's height, in the rows' units (about an inch each)
_LINE: Final = 0.16  # a line of a row's label
_ROW_PAD: Final = 0.08
_WRAP: Final = 30  # characters of a row's label a line
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
_INF: Final = math.inf


@attrs.define
class _Record:
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
class _Row:
    label: str
    kind: str  # office, chair or member
    group: str
    records: list[_Record]
    named: bool  # asked for by the caller: drawn even if empty
    shared: bool = True  # records follow one another (tenures of an office), not side by side
    lanes: int = 1


def _side(endpoint: object, *, start: bool) -> tuple[float | None, tuple[float, float] | None]:
    """(where the solid bar may begin or end, the uncertain span) for one side of a period."""
    if endpoint is None:
        return (-_INF if start else _INF), None
    if isinstance(endpoint, PartialDate):
        span = (_num(endpoint.earliest), _after(endpoint.latest))
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


def _record(gid: str, holder: str, short: str, style: str, period: Period) -> _Record:
    low, first_span = _side(period.start, start=True)
    high, last_span = _side(period.end, start=False)
    if low is None and isinstance(period.end, PartialDate):  # an unknown start
        low = _num(period.end.earliest)
    if high is None and isinstance(period.start, PartialDate):  # an unknown end
        high = _after(period.start.latest)
    spans = _merged(span for span in (first_span, last_span) if span is not None)
    return _Record(
        gid,
        holder,
        short,
        style,
        period.start,
        period.end,
        (low if low is not None else -_INF, high if high is not None else _INF),
        spans,
    )


def _is_unknown(endpoint: object) -> bool:
    return endpoint is not None and not isinstance(endpoint, PartialDate)


def _fades(row: _Row) -> None:
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
                min((r.solid[0] for r in near if r.solid[0] >= high), default=_INF),
            )
        elif _is_unknown(record.start):
            record.fade = (max((r.solid[1] for r in near if r.solid[1] <= low), default=-_INF), low)


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
    return body.label if len(body.label) <= _WRAP else shortest


def _label(dataset: Dataset, entity_id: str) -> str:
    return dataset.get(entity_id).label if entity_id in dataset else entity_id


def _position_rows(dataset: Dataset, position_ids: Sequence[str], *, named: bool) -> list[_Row]:
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
                    record.fade = (record.solid[1], _INF if last is None else _after(last))
                else:
                    record.fade = (-_INF if first is None else _num(first), record.solid[0])
            records.append(record)
        rows.append(
            _Row(position.label, "office", _owner(dataset, position_id), records, named=named)
        )
    return rows


def _state_short(dataset: Dataset, state_id: str) -> str:
    state = dataset.get(state_id) if state_id in dataset else None
    return state.code if isinstance(state, State) else state_id


def _organization_rows(
    dataset: Dataset, organization_ids: Sequence[str], *, named: bool
) -> list[_Row]:
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
            rows.append(_Row(f"Chair of the {short}", "chair", group, chairs, named=named))
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
                _Row(f"Members of the {short}", "member", group, spells, named=named, shared=False)
            )
    return rows


def _spells(membership: Membership, state: str, code: str) -> list[_Record]:
    """A membership's spells of one status each, as bars: the first as member."""
    whole = _record(f"{membership.id}/0", state, code, "member", membership.period)
    whole.unit = membership.id
    if not membership.changes:
        return [whole]
    low, high = whole.solid
    starts = [low, *(_num(change.since.earliest) for change in membership.changes)]
    ends = [*starts[1:], high]
    statuses = [MembershipStatus.MEMBER, *(change.status for change in membership.changes)]
    spells = []
    for index, (first, last, status) in enumerate(zip(starts, ends, statuses, strict=True)):
        spans = [s for s in whole.spans if first <= s[0] < last or (index == 0 and s[0] < first)]
        if index:
            since = membership.changes[index - 1].since
            if since.precision is not DatePrecision.DAY:
                spans.append((_num(since.earliest), _after(since.latest)))
        member = status is MembershipStatus.MEMBER
        spell = _Record(
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


def _rows(
    dataset: Dataset, positions: Sequence[str] | None, organizations: Sequence[str] | None
) -> list[_Row]:
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


def _window(
    dataset: Dataset, rows: Sequence[_Row], start: _dt.date | None, end: _dt.date | None
) -> tuple[float, float]:
    """The days to show: as asked, or from the first day anything drawn may start to the last."""
    extents = [record.extent for row in rows for record in row.records]
    finite = [value for extent in extents for value in extent if math.isfinite(value)]
    latest = dataset.latest_date
    if latest is not None:
        finite.append(_after(latest))
    if not finite:
        finite.append(_after(_dt.date.today()))
    low = _num(start) if start is not None else min(finite)
    high = _after(end) if end is not None else max(finite)
    if high <= low:
        high = low + 365.0 if end is None else high
        low = high - 365.0 if start is None else low
    # What runs on past the last (or first) date, fading or open, needs room to show.
    room = max(0.06 * (high - low), 30.0)
    if start is None and any(extent[0] == -_INF for extent in extents):
        low -= room
    if end is None and any(
        extent[1] == _INF and (extent[0] >= high - 1.0 or record.fade is not None)
        for row in rows
        for record in row.records
        for extent in [record.extent]
    ):
        high += room
    return low, high


def _stop_fades(row: _Row) -> None:
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


def _lanes(records: Sequence[_Record]) -> int:
    """Put each unit in the first lane where it overlaps no other by more than a day."""
    units: dict[str, list[_Record]] = {}
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
    rows = _rows(dataset, positions, organizations)
    low, high = _window(dataset, rows, start, end)
    for row in rows:
        row.records = [r for r in row.records if r.extent[0] < high and r.extent[1] > low]
        row.lanes = _lanes(row.records)
        _stop_fades(row)
    rows = [row for row in rows if row.records or row.named]
    labels = [textwrap.wrap(row.label, _WRAP) or [""] for row in rows]
    heights = [
        max(row.lanes * _LANE, len(lines) * _LINE) + _ROW_PAD
        for row, lines in zip(rows, labels, strict=True)
    ]
    total = sum(heights) or _LANE
    figure_, renderer = _new_figure(total + 1.9)
    axes = figure_.add_subplot()
    first_year = mdates.num2date(low).year  # type: ignore[no-untyped-call]
    last_year = mdates.num2date(high - 1.0).year  # type: ignore[no-untyped-call]
    years = f"{first_year}–{last_year}" if last_year != first_year else str(first_year)
    _plain(axes.set_title(title if title is not None else _tenures_title(rows, years)))
    axes.title.set_fontweight("bold")
    axes.title.set_horizontalalignment("left")
    axes.title.set_position((0.0, 1.0))
    axes.set_xlim(low, high)
    axes.set_ylim(total, 0.0)
    axes.xaxis_date()
    locator = mdates.AutoDateLocator(maxticks=12)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    axes.grid(axis="x", color=_GRID, linewidth=0.8)
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
            axes.axhline(top, color=_GREY, linewidth=0.8)
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
        centres, labels=["\n".join(lines) for lines in labels], parse_math=False, fontsize=_TICKS
    )
    axes.tick_params(axis="y", length=0)
    axes.set_xlabel("Date")
    _legend(figure_, _tenure_handles(rows))
    _freeze(figure_)
    _tenure_labels(figure_, renderer, axes, rows=rows, lane_ys=lane_ys, window=(low, high))
    return figure_


def _tenures_title(rows: Sequence[_Row], years: str) -> str:
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
    axes: Axes, record: _Record, *, y: float, colour: str, window: tuple[float, float]
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
    if record.solid[1] == _INF and record.fade is None:
        _edge_mark(axes, (1.0, y), ">", colour=colour, gid=f"{record.gid}#open-end")
    if record.solid[0] == -_INF and record.fade is None:
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
    record: _Record,
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
    mark = _plain(
        axes.annotate(
            "?",
            xy=(last if ending else first, y),
            xytext=(-_PAD if ending else _PAD, 0),
            textcoords="offset points",
            ha="right" if ending else "left",
            va="center",
            fontsize=_TEXT + 1,
            fontweight="bold",
            color=colour,
        )
    )
    mark.set_gid(f"{record.gid}#unknown")


def _tenure_handles(rows: Sequence[_Row]) -> list[Any]:
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
    if any(r.solid[1] == _INF and r.fade is None for r in records):
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
    rows: Sequence[_Row],
    lane_ys: Sequence[Sequence[float]],
    window: tuple[float, float],
) -> None:
    placer = _Placer(figure_, renderer, axes.get_window_extent(renderer))
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


def _runs(records: Sequence[_Record]) -> list[list[_Record]]:
    """Bars of one holder that follow one another (an acting spell, then the tenure)."""
    runs: list[list[_Record]] = []
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
    placer: _Placer,
    axes: Axes,
    run: Sequence[_Record],
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
        (left, _PAD, "left", lambda box: box.x1 <= inside - 1.0),
        (right, _PAD, "left", lambda box: True),
        (left, -_PAD, "right", lambda box: True),
    ]
    for text_ in candidates:
        for x, dx, ha, fits in attempts:
            text = _plain(
                axes.annotate(
                    text_,
                    xy=(x, y),
                    xytext=(dx, 0),
                    textcoords="offset points",
                    ha=ha,
                    va="center",
                    fontsize=_TEXT,
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
