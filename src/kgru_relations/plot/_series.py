"""The series picture: one indicator's figures by period, against its targets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, Final, Literal

import attrs
import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox, offset_copy

from kgru_relations._amounts import scale_of, shifted
from kgru_relations.codes import country_code
from kgru_relations.dataset import Dataset
from kgru_relations.dates import DatePrecision, PartialDate
from kgru_relations.model import Indicator, Observation, ObservationKind, Qualifier, State
from kgru_relations.model.economy import is_currency
from kgru_relations.plot._labels import amount_label, value_label
from kgru_relations.plot._layout import (
    Placer,
    add_legend,
    after,
    freeze,
    new_figure,
    num,
    place_one,
    plain,
)
from kgru_relations.plot._style import GREY, GRID, PAD, PALETTE, TEXT

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
    state = dataset.get(State.id_for(code)) if State.id_for(code) in dataset else None
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
    return (num(period.earliest) + after(period.latest)) / 2


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
        """Where *value* is drawn on the axis (a float: only a position, never a label)."""
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
    figure_, renderer = new_figure(5.2)
    axes = figure_.add_subplot()
    plain(axes.set_title(heading, loc="left", fontweight="bold"))
    axes.set_ylabel(f"{data.unit} {data.word}".strip() if is_currency(data.unit) else data.unit)
    axes.grid(axis="y", color=GRID, linewidth=0.8)
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
    add_legend(figure_, handles)
    freeze(figure_)
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
        label = f"Target{when}: {amount_label(goal[0].value, data.unit)}"
        goal_lines.append((label, y, target_line))
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
                color=GREY,
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
        [], [], linestyle="none", marker=marker, color=GREY, markerfacecolor="none", label=label
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
    low = min(num(p.earliest) for p in periods)
    high = max(after(p.latest) for p in periods)
    widest = max(after(p.latest) - num(p.earliest) for p in periods)
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


def _series_labels(
    figure_: Figure,
    renderer: RendererBase,
    axes: Axes,
    points: Sequence[tuple[Observation, float, float, Line2D]],
    goal_lines: Sequence[tuple[str, float, Line2D]],
) -> None:
    placer = Placer(figure_, renderer, axes.get_window_extent(renderer))
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
        for dy, va in ((PAD, "bottom"), (-PAD, "top")):
            text = plain(
                axes.annotate(
                    label,
                    xy=(1.0, y),
                    xycoords=("axes fraction", "data"),
                    xytext=(-PAD, dy),
                    textcoords="offset points",
                    ha="right",
                    va=va,
                    fontsize=TEXT,
                )
            )
            text.set_gid(f"{line.get_gid()}#label")
            if placer.free(text):
                placer.take(text)
                break
            text.remove()
    for observation, x, y, point in points:
        place_one(
            placer,
            axes,
            value_label(observation),
            (x, y),
            transform=point.get_transform(),
            gid=f"{observation.id}#label",
        )
