"""The command's parser, assembled from the command modules, and ``main``, which runs it."""

from __future__ import annotations

import argparse
import difflib
import importlib.metadata
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from kgru_relations.cli._arguments import Handler, HelpFormatter, Parser
from kgru_relations.cli._export import add_export
from kgru_relations.cli._imports import add_import
from kgru_relations.cli._output import (
    OK,
    USAGE,
    WIDTH,
    Failure,
    OutputFailed,
    Sink,
    terminal_width,
)
from kgru_relations.cli._plots import add_plot
from kgru_relations.cli._queries import add_agreements, add_find, add_series, add_timeline, add_who
from kgru_relations.cli._summary import add_check, add_summary
from kgru_relations.cli._validate import add_schema, add_validate

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command, its help as wide as the output (``WIDTH``)."""
    version = importlib.metadata.version("kgru-relations")
    parser = Parser(
        prog="kgru-relations",
        description="Look at, check and query data about relations between states. Without a "
        "FILE, every command reads the embedded, sourced Kyrgyzstan–Russia dataset; - reads "
        "standard input. By default a summary describes, and check judges on, the last "
        "day the dataset's latest dated fact could fall on (today, if nothing is dated).",
        epilog=(
            "examples:\n  kgru-relations summary\n"
            "  kgru-relations who position:kg-president --on 2025-01-22\n"
            "  kgru-relations check my-data.json"
        ),
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {version}", help="print the version"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in (
        add_summary,
        add_validate,
        add_check,
        add_find,
        add_who,
        add_agreements,
        add_series,
        add_timeline,
        add_schema,
        add_export,
        add_plot,
        add_import,
    ):
        add(commands)
    return parser


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


def _run(arguments: list[str], sink: Sink) -> int:
    """Parse *arguments* and run the command they name, writing to *sink*."""
    try:
        args = _parse(build_parser(), arguments)
    except SystemExit as exit_:  # argparse: --help, --version, or a usage error
        sink.flush()  # the help, if standard output is where it went
        return int(exit_.code or 0) if not isinstance(exit_.code, str) else USAGE
    try:
        handler: Handler = args.handler
        code = handler(args, sink)
    except Failure as failure:
        sys.stderr.write(f"kgru-relations: {failure}\n")
        code = failure.code
    sink.flush()
    return code


def _discard_the_rest(stream: TextIO) -> None:
    """Send what is left in *stream*'s buffer nowhere, so that exiting does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # not a real file: nothing is flushed on exit
        pass


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the command with *argv* (default: ``sys.argv[1:]``) and return its exit code.

    Args:
        argv: The arguments after the program name.
        out: Where to write the output (default: standard output). Problems go
            to standard error. Tables fit ``COLUMNS``, or the terminal *out*
            is, or are [`DEFAULT_WIDTH`][kgru_relations.cli.DEFAULT_WIDTH] wide.

    Returns:
        0 on success, 1 if a file is not valid or a query or an import found
        nothing, 2 for a usage or I/O problem (an output that cannot be written
        too).
    """
    stream = sys.stdout if out is None else out
    arguments = sys.argv[1:] if argv is None else list(argv)
    token = WIDTH.set(terminal_width(stream))
    try:
        return _run(arguments, Sink(stream))
    except OutputFailed as failure:
        if out is None:
            _discard_the_rest(stream)
        if isinstance(failure.error, BrokenPipeError):  # `kgru-relations timeline | head`
            return OK
        where = "standard output" if out is None else "the output"
        sys.stderr.write(f"kgru-relations: cannot write {where}: {failure}\n")
        return USAGE
    finally:
        WIDTH.reset(token)
