"""``plot series`` and ``plot tenures``: the pictures of ``kgru_relations.plot``, as files."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from kgru_relations.cli._arguments import add_command, add_file, add_group, data_file, day
from kgru_relations.cli._files import dataset as read_dataset
from kgru_relations.cli._files import write_file
from kgru_relations.cli._output import INVALID, OK, USAGE, Failure, Output
from kgru_relations.cli._rows import entity, figures_of, indicator_id
from kgru_relations.codes import country_code
from kgru_relations.dataset import Dataset
from kgru_relations.errors import ValidationError
from kgru_relations.interop import MissingExtra
from kgru_relations.model import Indicator, Observation, Organization, Position
from kgru_relations.plot import plot_series, plot_tenures, render

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["add_plot"]

_OUTPUT_HELP = "the picture to write (replaced atomically); its suffix, .svg or .png, says how"


def _picture_format(output: str) -> Literal["png", "svg"]:
    """The format ``--output`` names by its suffix."""
    suffix = os.path.splitext(output)[1].lower()
    if suffix == ".svg":
        return "svg"
    if suffix == ".png":
        return "png"
    raise Failure(
        f"--output {output!r}: name a picture ending in .svg or .png, to say which to draw", USAGE
    )


def _picture(args: argparse.Namespace, draw: Callable[[Dataset], Figure], out: Output) -> int:
    """Draw a picture of the dataset and write it, atomically, to ``--output``."""
    kind = _picture_format(args.output)
    dataset = read_dataset(data_file(args))
    try:
        data = render(draw(dataset), kind)
    except MissingExtra as error:
        raise Failure(str(error), USAGE) from None
    write_file(args.output, [data])
    out.write(f"wrote {args.output} ({kind})\n")
    return OK


def _has_figures(dataset: Dataset, indicator: str, reporter: str, partner: str | None) -> bool:
    """Whether *reporter* reports figures of *indicator* with a period, with *partner*."""
    return any(
        o.indicator == indicator
        and o.reporter == reporter
        and o.partner == partner
        and o.period is not None
        for o in dataset.all(Observation)
    )


def _series(args: argparse.Namespace, out: Output) -> int:
    indicator = indicator_id(args.indicator)

    def draw(dataset: Dataset) -> Figure:
        entity(dataset, indicator, Indicator)
        try:
            return plot_series(dataset, indicator, args.reporter, args.partner, unit=args.unit)
        except ValidationError as error:  # a country code that is not one
            raise Failure(str(error.issues[0].message), USAGE) from None
        except ValueError as error:  # nothing to draw, or several units
            reporter = country_code(args.reporter)
            partner = None if args.partner is None else country_code(args.partner)
            if _has_figures(dataset, indicator, reporter, partner):
                raise Failure(str(error), INVALID) from None
            hint = figures_of(dataset, indicator, reporter)  # as the series command says
            raise Failure(f"{error}; {hint}", INVALID) from None

    return _picture(args, draw, out)


def _add_series(pictures: Any) -> None:
    series = add_command(
        pictures,
        "series",
        _series,
        "one indicator's figures by period, each reporter's a line, with the targets",
        "kgru-relations plot series trade-turnover --reporter KG --partner RU -o kg.svg",
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
    series.add_argument("--output", "-o", required=True, metavar="PICTURE", help=_OUTPUT_HELP)
    add_file(series)


def _tenures(args: argparse.Namespace, out: Output) -> int:
    def draw(dataset: Dataset) -> Figure:
        positions = [entity(dataset, p, Position).id for p in args.position or ()]
        bodies = [entity(dataset, o, Organization).id for o in args.organization or ()]
        try:
            return plot_tenures(
                dataset,
                positions or None,
                organizations=bodies or None,
                start=args.start,
                end=args.end,
            )
        except ValueError as error:
            raise Failure(f"--end comes before --start: {error}", USAGE) from None

    return _picture(args, draw, out)


def _add_tenures(pictures: Any) -> None:
    tenures = add_command(
        pictures,
        "tenures",
        _tenures,
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
        type=day,
        metavar="DATE",
        help="the first day to show (default: the first day anything drawn may start)",
    )
    tenures.add_argument(
        "--end",
        type=day,
        metavar="DATE",
        help="the last day to show (default: the last day "
        "the dataset's latest dated fact could fall on)",
    )
    tenures.add_argument("--output", "-o", required=True, metavar="PICTURE", help=_OUTPUT_HELP)
    add_file(tenures)


def add_plot(commands: Any) -> None:
    """``plot series`` and ``plot tenures``."""
    pictures = add_group(
        commands,
        "plot",
        "draw a picture (SVG or PNG): a series against its targets, or who held what when",
        detail="Needs the plot extra: pip install 'kgru-relations[plot]'.",
        examples=[
            "kgru-relations plot series trade-turnover --reporter KG --partner RU -o kg.svg",
            "kgru-relations plot tenures --start 2020-01-01 --output offices.png",
        ],
        metavar="PICTURE",
    )
    _add_series(pictures)
    _add_tenures(pictures)
