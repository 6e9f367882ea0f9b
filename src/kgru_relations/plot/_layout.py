"""Layout shared by the pictures: a frozen figure, and labels placed where they overlap nothing.

This module imports matplotlib when it is imported: [`kgru_relations.plot`][kgru_relations.plot]
imports it only once matplotlib is known to be there. A figure is built directly
(``matplotlib.figure.Figure`` on an Agg canvas), laid out once by matplotlib's
constrained layout, and then frozen, so that labels can be measured and
placed where they overlap nothing: no text of a picture covers another.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any, Final, TypeVar

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox, Transform

from kgru_relations.plot._style import DPI, TEXT, WIDTH

_T = TypeVar("_T", bound=Text)


def num(day: _dt.date) -> float:
    """A day as matplotlib's date number (days since its epoch, at the day's start)."""
    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


def after(day: _dt.date) -> float:
    """The end of *day*: the start of the next, as a date number (no overflow at 9999-12-31)."""
    return num(day) + 1.0


def new_figure(height: float) -> tuple[Figure, RendererBase]:
    figure_ = Figure(figsize=(WIDTH, height), dpi=DPI, layout="constrained")
    canvas = FigureCanvasAgg(figure_)
    return figure_, canvas.get_renderer()  # type: ignore[no-untyped-call]


def plain(text: _T) -> _T:
    """*text*, drawn as written: a ``$`` in a name is a dollar sign, not mathematics."""
    text.set_parse_math(False)
    return text


def freeze(figure_: Figure) -> None:
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


class Placer:
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


def add_legend(figure_: Figure, handles: Sequence[Any]) -> Legend:
    legend = figure_.legend(
        handles=list(handles),
        loc="outside lower center",
        ncols=min(3, len(handles)) or 1,
        frameon=False,
        fontsize=TEXT,
    )
    for text in legend.get_texts():
        plain(text)
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


def place_one(
    placer: Placer,
    axes: Axes,
    label: str,
    xy: tuple[float, float],
    *,
    transform: Transform,
    gid: str,
) -> Annotation | None:
    """Label the point at *xy* where the label is clear of every other text and marker."""
    for offset, ha, va in _OFFSETS:
        text = plain(
            axes.annotate(
                label,
                xy=xy,
                xycoords=transform,
                xytext=offset,
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=TEXT,
            )
        )
        text.set_gid(gid)
        if placer.free(text):
            placer.take(text)
            return text
        text.remove()
    return None
