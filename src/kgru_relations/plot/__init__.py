"""Pictures of a dataset: a series against its targets, and who held which office when.

Two questions are answered faster by a picture than by a table: how a figure
moved against its target, and who held which office (or chaired, or belonged
to, which organisation) when. [`plot_series`][kgru_relations.plot.plot_series]
and [`plot_tenures`][kgru_relations.plot.plot_tenures] draw them as matplotlib
[`Figure`](https://matplotlib.org/stable/api/figure_api.html)s, built directly
(never through pyplot, so nothing global changes and no window opens);
[`render`][kgru_relations.plot.render] writes one as SVG or PNG.

They need matplotlib, the ``plot`` extra (``pip install 'kgru-relations[plot]'``);
without it they raise [`MissingExtra`][kgru_relations.interop.MissingExtra],
saying so. Importing this module does not import matplotlib.

What the pictures show, so that a reader can trust them:

- values are read from the ``Decimal`` itself, never through a float (only
  the position on the axis is one), and a label shows three significant
  digits, and all of the whole part: ``USD 9.8500000005 bn`` reads
  ``USD 9.85 bn``, ``≈ USD 3.2 bn`` as it is; the data keep every digit;
- a partial date is drawn as the span it stands for: a tenure that began "in
  2022-04" has a hatched, faded stretch as wide as April 2022 where it began;
- an open end (still held) runs to the chart's edge, with a ▸ there; an end on
  an unknown day fades out, with a "?", towards the next holder's start or
  the edge;
- colours are the Okabe–Ito palette ([`PALETTE`][kgru_relations.plot.PALETTE]),
  which readers with any common colour-vision deficiency tell apart, and
  nothing is told by colour alone: marker shapes, hatches and line styles say
  it too.

Every drawn record carries its id as its ``gid`` (the element's ``id`` in an
SVG file): a bar's is its tenure's, chairmanship's or membership's id, a
series point's its observation's, a target line's its target's. Programs and
tests can find them there.

Examples:
    >>> from kgru_relations import load_default
    >>> from kgru_relations.plot import plot_series, render
    >>> figure = plot_series(load_default(), "indicator:trade-turnover", "KG", "RU")
    >>> render(figure, "svg").startswith(b"<?xml")
    True
"""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final, Literal

from kgru_relations.dataset import Dataset
from kgru_relations.dates import as_day
from kgru_relations.errors import shown, typed
from kgru_relations.interop import require
from kgru_relations.model import Indicator, ObservationKind, Organization, Position
from kgru_relations.plot._style import PALETTE

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["FORMATS", "PALETTE", "plot_series", "plot_tenures", "render"]

FORMATS: Final = ("png", "svg")
"""The formats [`render`][kgru_relations.plot.render] writes."""

_DOING: Final = "drawing pictures"


def _matplotlib() -> None:
    """Make sure matplotlib is there, or say which extra installs it."""
    require("matplotlib", extra="plot", doing=_DOING)


def plot_series(
    dataset: Dataset,
    indicator: str,
    reporter: str,
    partner: str | None = None,
    *,
    kinds: Iterable[ObservationKind | str] | None = None,
    unit: str | None = None,
    targets: bool = True,
    title: str | None = None,
) -> Figure:
    """Draw one indicator's figures for a reporter (and partner), by period, with its targets.

    Each reporter's figures of each kind are a marked line, named in the
    legend ("Reported by Kyrgyzstan"). For an indicator whose figures are
    symmetric (trade turnover), the partner's own figures for the pair are
    drawn too, so where two statistics offices disagree on a year there are
    two markers at that year. Two figures of one reporter for one period (two
    accounts, from different sources) are split onto lines of their own.

    A figure's qualifier shows: an approximate one ("about") has a hollow
    marker and ``≈`` in its label; "more than" and "at least" an open arrow
    upwards, "less than" and "at most" one downwards. Each marker is labelled
    with its value (rounded to three significant digits, all of the whole
    part kept: ``USD 9.85 bn``). Targets are dashed horizontal lines labelled with
    their value. The axis names the unit, and its scale (``USD bn``).

    Args:
        dataset: The dataset.
        indicator: The indicator's id (``indicator:trade-turnover``).
        reporter: The reporting country's code (alpha-2, alpha-3 or numeric).
        partner: The partner's code; ``None`` for figures with no partner.
        kinds: Which kinds of figure to draw as lines (members or values);
            default: every kind but targets. Estimates, forecasts and
            planned figures have dotted lines.
        unit: The unit to draw, if the figures come in more than one.
        targets: Whether to draw the targets, the reporter's and (for a
            symmetric indicator) the partner's.
        title: The title; default: the indicator and the countries.

    Returns:
        The figure, with one axes.

    Raises:
        KeyError: If no indicator has this id (with a did-you-mean).
        ValidationError: If a code is not a country code, or a kind not a
            kind of observation.
        ValueError: If there is no figure with a period to draw, or the
            figures are in several units and *unit* does not choose one.
        MissingExtra: If matplotlib is not installed.
    """
    dataset.get(indicator, Indicator)
    _matplotlib()
    from kgru_relations.plot._series import series  # noqa: PLC0415 - it imports matplotlib

    return series(
        dataset,
        indicator,
        reporter,
        partner,
        kinds=kinds,
        unit=unit,
        targets=targets,
        title=title,
    )


def plot_tenures(
    dataset: Dataset,
    positions: Iterable[str] | None = None,
    *,
    organizations: Iterable[str] | None = None,
    start: _dt.date | None = None,
    end: _dt.date | None = None,
    title: str | None = None,
) -> Figure:
    """Draw who held which office when, and which states chaired and belonged to which body.

    A Gantt chart: one row per position, one bar per tenure labelled with its
    holder (beside the bar where it does not fit in it; the surname, or no
    label, where neither fits: the bar's matplotlib label is the holder's
    name all the same). A holder's acting spell and the tenure that follows
    it share one label. Acting spells are
    dotted and paler. For each organisation, a row of its chairs (each bar
    labelled with the chairing state) and a row per member state, each spell
    of a status its own bar, hatched when it is not full membership
    (suspended, observer, withdrawn). Rows are grouped by the state or
    organisation the office belongs to, each group in its own colour.

    Partial dates show as their uncertain span (hatched and faded, as wide as
    the year, quarter or month the date names); an open end runs to the
    chart's edge; an end on an unknown day fades out with a "?" up to the
    next bar's start in the row or the edge. Where two records of one row
    overlap (two accounts of one tenure), they are drawn in lanes, one above
    the other.

    Args:
        dataset: The dataset.
        positions: The positions to draw, by id, in this order. With neither
            *positions* nor *organizations*: every position, and every
            organisation with chairs or members; with either, only what is named.
        organizations: The organisations whose chairs and memberships to draw.
        start: The first day to show; default: the first day anything drawn
            may start.
        end: The last day to show; default: the last day any dated fact of
            the dataset could fall on (its
            [`latest_date`][kgru_relations.dataset.Dataset.latest_date]).
        title: The title; default: what is drawn, and the years shown.

    Returns:
        The figure, with one axes; records wholly outside the days shown are
        not drawn.

    Raises:
        KeyError: If an id names no position or organisation (with a did-you-mean).
        TypeError: If an id names an entity of another kind, or *start* or
            *end* is not a `datetime.date`.
        ValueError: If *end* is before *start*.
        MissingExtra: If matplotlib is not installed.
    """
    chosen_positions = None if positions is None else _ids(positions, "positions")
    chosen_organizations = None if organizations is None else _ids(organizations, "organizations")
    for position_id in chosen_positions or ():
        dataset.get(position_id, Position)
    for organization_id in chosen_organizations or ():
        dataset.get(organization_id, Organization)
    first, last = (
        None if day is None else as_day(day, name) for day, name in ((start, "start"), (end, "end"))
    )
    if first is not None and last is not None and last < first:
        msg = f"the end {last} is before the start {first}"
        raise ValueError(msg)
    _matplotlib()
    from kgru_relations.plot._tenures import tenures  # noqa: PLC0415 - it imports matplotlib

    return tenures(
        dataset,
        chosen_positions,
        chosen_organizations,
        start=first,
        end=last,
        title=title,
    )


def render(figure: Figure, format: Literal["png", "svg"]) -> bytes:
    """Return the figure drawn as SVG or PNG, the same bytes for the same figure.

    SVG text is drawn as paths, so the picture looks the same without the
    fonts; the file carries no date, and its element ids do not change from
    one run to the next, so a picture kept in git changes only when it does.

    Args:
        figure: A figure, from this module or any other.
        format: ``"svg"`` or ``"png"``.

    Raises:
        ValueError: If *format* is neither.
        MissingExtra: If matplotlib is not installed.
    """
    if format not in FORMATS:
        msg = f"format must be one of {', '.join(FORMATS)}, got {typed(format)}"
        raise ValueError(msg)
    _matplotlib()
    import matplotlib as mpl  # noqa: PLC0415 - the plot extra, only when asked for

    buffer = io.BytesIO()
    metadata: dict[str, str | None] = {"Date": None} if format == "svg" else {}
    with mpl.rc_context({"svg.hashsalt": "kgru-relations", "svg.fonttype": "path"}):
        figure.savefig(buffer, format=format, metadata=metadata)
    return buffer.getvalue()


def _ids(values: Iterable[str], name: str) -> list[str]:
    if isinstance(values, str):
        msg = f"{name} must be a list of ids, not one string ({shown(values)})"
        raise TypeError(msg)
    return list(dict.fromkeys(values))
