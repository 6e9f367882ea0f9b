"""The parts every command's parser is built from: help that fits, the data file, a day.

Each command module adds its own command with these, its options beside its
handler; ``_app`` assembles the commands into the parser.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from kgru_relations.cli._output import USAGE, WIDTH, Failure, Output, OutputFailed, wrap
from kgru_relations.dates import parse_day
from kgru_relations.errors import ValidationError

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

__all__ = [
    "Handler",
    "HelpFormatter",
    "Parser",
    "add_command",
    "add_file",
    "add_group",
    "data_file",
    "day",
]

Handler = Callable[[argparse.Namespace, Output], int]
"""What runs a command: its arguments and where to write, to its exit code."""

_FILE_HELP: Final = (
    "a data file to read, or - for standard input (default: the embedded Kyrgyzstan–Russia dataset)"
)


class HelpFormatter(argparse.HelpFormatter):
    """Help as wide as the output: prose wrapped at spaces, example lines kept as written.

    argparse's own formatter wraps option help but breaks words at hyphens
    (``position:kg-`` / ``president``); its ``RawDescriptionHelpFormatter``
    does not wrap a description at all. Here a line of a description or epilog
    that starts with a space (an example) is kept as it is; every other line is
    a paragraph, wrapped at spaces to the width.
    """

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=WIDTH.get())

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines: list[str] = []
        for line in text.splitlines():
            if line.startswith(" ") or not line:
                lines.append(indent + line)
            else:
                lines += wrap(line, width, initial_indent=indent, subsequent_indent=indent)
        return "\n".join(lines)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(" ".join(text.split()), width)


class Parser(argparse.ArgumentParser):
    """A parser that says when its help cannot be written, rather than exit 0 with none.

    argparse drops an `OSError` from writing ``--help`` (to a full disk, say);
    here one to standard output is an `OutputFailed`, as a command's own is.
    """

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if not message:
            return
        stream = sys.stderr if file is None else file
        try:
            stream.write(message)
        except OSError as error:
            if stream is not sys.stderr:
                raise OutputFailed(error) from None


def add_command(
    commands: Any,
    name: str,
    handler: Handler,
    summary: str,
    example: str,
    *,
    formats: bool = True,
) -> argparse.ArgumentParser:
    """Add the command *name* that *handler* runs; *formats*: it takes ``--format``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog=f"example:\n  {example}",
        formatter_class=HelpFormatter,
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


def add_group(
    commands: Any, name: str, summary: str, *, detail: str, examples: list[str], metavar: str
) -> Any:
    """A command of commands (``plot series``, ``import ftm``); returns where to add them."""
    group = commands.add_parser(
        name,
        help=summary,
        description=f"{summary[0].upper()}{summary[1:]}. {detail}",
        epilog="examples:\n" + "\n".join(f"  {example}" for example in examples),
        formatter_class=HelpFormatter,
    )
    return group.add_subparsers(dest=metavar.lower(), metavar=metavar, required=True)


def add_file(parser: argparse.ArgumentParser, *, old_option: bool = False) -> None:
    """The data file, the last positional argument; *old_option*: ``--file`` is kept too."""
    parser.add_argument("file", nargs="?", metavar="FILE", help=_FILE_HELP)
    if old_option:
        parser.add_argument(
            "--file",
            dest="file_option",
            metavar="FILE",
            help="deprecated: give the file as FILE, the last argument",
        )


def data_file(args: argparse.Namespace) -> str | None:
    """The data file named by FILE, or by the deprecated ``--file``."""
    if args.file_option is None:
        file: str | None = args.file
        return file
    if args.file is not None:
        raise Failure("give the data file once: as FILE, not also as --file", USAGE)
    sys.stderr.write(
        "kgru-relations: --file is deprecated; give the file as FILE, the last argument\n"
    )
    option: str = args.file_option
    return option


def day(text: str) -> _dt.date:
    """A day, ``YYYY-MM-DD``, read by the model's own rule; if it is not one, say why."""
    try:
        return parse_day(text)
    except ValidationError as error:
        raise argparse.ArgumentTypeError(error.issues[0].message) from None
