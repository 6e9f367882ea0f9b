"""``validate`` (check data files, list every problem) and ``schema`` (the format as a schema)."""

from __future__ import annotations

import argparse
import os
import stat
from typing import Any

from kgru_relations.cli._arguments import add_command
from kgru_relations.cli._files import STDIN, read
from kgru_relations.cli._output import INVALID, OK, USAGE, Output, issues_text, write_json
from kgru_relations.errors import Issue, ValidationError
from kgru_relations.schema import json_schema
from kgru_relations.serialize import iter_observations

__all__ = ["add_schema", "add_validate"]


def _validate_one(path: str) -> tuple[int, list[Issue], str]:
    """(exit code, issues, description) for one file."""
    try:
        if path not in STDIN and path.endswith((".jsonl", ".ndjson")):
            if not stat.S_ISREG(os.stat(path).st_mode):  # read line by line: no pipes, no devices
                return USAGE, [], "cannot read it: JSON Lines are read from regular files only"
            errors: list[Issue] = []
            count = sum(1 for _ in iter_observations(path, on_error="skip", errors=errors))
            return (INVALID if errors else OK), errors, f"{count} observations"
        dataset = read(path)
    except ValidationError as error:
        return INVALID, list(error.issues), ""
    except OSError as error:
        return USAGE, [], f"cannot read it: {error.strerror or error}"
    return OK, [], f"{len(dataset)} entities"


def _validate(args: argparse.Namespace, out: Output) -> int:
    worst = OK
    report = []
    for path in args.files:
        code, issues, description = _validate_one(path)
        worst = max(worst, code)
        report.append(
            {
                "file": path,
                "valid": code == OK,
                "readable": code != USAGE,
                "description": description,
                "issues": [
                    {"path": i.path, "message": i.message, "line": i.line, "column": i.column}
                    for i in issues
                ],
            }
        )
        if args.format == "text":
            if code == OK:
                out.write(f"{path}: valid ({description})\n")
            elif code == USAGE:
                out.write(f"{path}: {description}\n")
            else:
                out.write(f"{path}: {len(issues)} problem{'s' if len(issues) != 1 else ''}\n")
                issues_text(issues, out, prefix="  ")
    if args.format == "json":
        write_json(report, out)
    return worst


def add_validate(commands: Any) -> None:
    """``validate FILE...``: every problem of each file, with its path."""
    validate = add_command(
        commands,
        "validate",
        _validate,
        "check data files (JSON, or JSON Lines of observations) and list every problem",
        "kgru-relations validate data.json observations.jsonl",
    )
    validate.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="files to check; a name ending in .jsonl or .ndjson is read as JSON Lines; "
        "- reads a data file from standard input",
    )


def _schema(args: argparse.Namespace, out: Output) -> int:
    write_json(json_schema(), out)
    return OK


def add_schema(commands: Any) -> None:
    """``schema``: the JSON Schema of the data file format."""
    add_command(
        commands,
        "schema",
        _schema,
        "print the JSON Schema of the data file format (always JSON)",
        "kgru-relations schema > schema.json",
        formats=False,
    )
