"""The ``kgru-relations`` command (also ``python -m kgru_relations``).

Run ``kgru-relations --help`` for the subcommands. Only this module prints.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import sys
import textwrap
from collections.abc import Sequence
from typing import TextIO

import pycountry

__all__ = ["main"]

#: Output is laid out for terminals this wide.
_COLUMNS = 100

_SUMMARY_EXAMPLE = """\
example:
  kgru-relations summary
"""


def _package_summary(out: TextIO) -> None:
    """Print what this installed version of the package holds."""
    from kgru_relations import codes  # noqa: PLC0415 - keep --help fast

    version = importlib.metadata.version("kgru-relations")
    countries = len(pycountry.countries)
    historic = len(pycountry.historic_countries)
    rows = [
        ("Version", version),
        ("Values", "PartialDate, Period, Money, Name (kgru_relations.dates, .money, .names)"),
        (
            "Code lists",
            f"pycountry {importlib.metadata.version('pycountry')}: {countries} countries "
            f"and {historic} withdrawn ones (ISO 3166), {len(pycountry.currencies)} "
            f"currencies (ISO 4217), {len(pycountry.languages)} languages (ISO 639), "
            f"{len(pycountry.scripts)} scripts (ISO 15924)",
        ),
        (
            "Example",
            f"{codes.country('KG').name} is {codes.country_code('KGZ')} / "
            f"{codes.country('KG').alpha_3} / {codes.country('KG').numeric}; "
            f"its currency is {codes.currency('KGS').name} (KGS)",
        ),
        (
            "Not yet",
            "the domain model, the Dataset and the embedded Kyrgyzstan–Russia dataset "
            "arrive in later releases",
        ),
    ]
    out.write("kgru_relations: a typed data model for relations between states\n\n")
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        lines = textwrap.wrap(value, _COLUMNS - width - 2) or [""]
        out.write(f"{label:<{width}}  {lines[0]}\n")
        for line in lines[1:]:
            out.write(f"{'':<{width}}  {line}\n")


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kgru-relations",
        description="Look at and check data about relations between states.",
        epilog=_SUMMARY_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {importlib.metadata.version('kgru-relations')}",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser(
        "summary",
        help="what this package holds (the default)",
        description="Print what this installed package holds.",
        epilog=_SUMMARY_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the command with *argv* (default: ``sys.argv[1:]``) and return its exit code.

    Args:
        argv: The arguments after the program name.
        out: Where to write the output (default: standard output).

    Returns:
        0 on success; argparse exits with 2 on a usage error.
    """
    stream = sys.stdout if out is None else out
    _build_parser().parse_args(argv)
    # "summary" is the only command so far, and the default.
    _package_summary(stream)
    return 0
