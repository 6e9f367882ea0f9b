"""``export``: the dataset as a data file, or for other tools (FtM, Popolo, CSV, Parquet)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from typing import Any, Final

import msgspec

from kgru_relations.cli._arguments import add_command, add_file, data_file
from kgru_relations.cli._files import STDIN, STDOUT, named, standard_input, to_output
from kgru_relations.cli._files import dataset as read_dataset
from kgru_relations.cli._output import INVALID, OK, USAGE, Failure, Output, Progress, listed
from kgru_relations.dataset import Dataset
from kgru_relations.errors import ValidationError
from kgru_relations.interop import MissingExtra
from kgru_relations.model import Observation
from kgru_relations.serialize import dumps, iter_observations

__all__ = ["add_export"]

_TABLE_FORMATS: Final = frozenset({"csv", "parquet"})
_STREAM_FORMATS: Final = frozenset({"parquet", "store"})


def _ftm_lines(dataset: Dataset) -> Iterator[bytes]:
    from kgru_relations.interop.ftm import to_ftm  # noqa: PLC0415 - only when asked for

    encoder = msgspec.json.Encoder(order="sorted")
    for entity in to_ftm(dataset):
        yield encoder.encode(entity) + b"\n"


def _popolo_text(dataset: Dataset) -> Iterator[bytes]:
    from kgru_relations.interop.popolo import to_popolo  # noqa: PLC0415 - only when asked for

    yield json.dumps(to_popolo(dataset), ensure_ascii=False, indent=2, sort_keys=True).encode()
    yield b"\n"


def _convert(args: argparse.Namespace, source: str, progress: Progress | None) -> int:
    """Write the observations of the JSON Lines file *source* as ``--to`` says."""
    from kgru_relations.interop import tables  # noqa: PLC0415 - only when asked for

    if args.to == "store":
        observations = iter_observations(source)
        return tables.write_observation_store(observations, args.output, progress=progress)
    return tables.observations_to_parquet(source, args.output, progress=progress)


def _export_observations(args: argparse.Namespace, out: Output) -> int:
    """``--observations FILE.jsonl``: JSON Lines of observations to a Parquet file or store."""
    if args.to not in _STREAM_FORMATS:
        raise Failure("--observations converts JSON Lines to Parquet: add --to parquet", USAGE)
    if data_file(args) is not None:
        raise Failure("give either FILE or --observations, not both", USAGE)
    if args.output is None or args.output in STDOUT:
        if args.to == "store":
            raise Failure("a store is written to a directory: give --output DIRECTORY", USAGE)
        raise Failure("Parquet is written to a file: give --output PATH", USAGE)
    # Standard input is read as the pipe it is (a terminal is refused, as for FILE).
    source = "/dev/stdin" if args.observations in STDIN else args.observations
    progress = Progress.on_terminal("observations written")
    try:
        try:
            if source == "/dev/stdin":
                standard_input()  # not closed
            count = _convert(args, source, progress)
        except BaseException:
            if progress is not None:  # what is printed next starts on a line of its own
                progress.end_line()
            raise
    except ValidationError as error:
        lines = listed(map(str, error.issues), error.more)
        raise Failure(f"{named(args.observations)} is not valid:\n{lines}", INVALID) from None
    except OSError as error:
        name = named(args.observations) if error.filename in {None, source} else error.filename
        raise Failure(f"cannot convert {name}: {error.strerror or error}", USAGE) from None
    if progress is not None:
        progress.done(count)
    out.write(f"wrote {count} observations to {args.output} ({args.to})\n")
    return OK


def _export_store(args: argparse.Namespace, dataset: Dataset, out: Output) -> int:
    """``--to store``: the dataset's observations to a partitioned Parquet store."""
    from kgru_relations.interop.tables import write_observation_store  # noqa: PLC0415

    if args.output is None or args.output in STDOUT:
        raise Failure("a store is written to a directory: give --output DIRECTORY", USAGE)
    try:
        count = write_observation_store(dataset.all(Observation), args.output, context=dataset)
    except OSError as error:
        raise Failure(f"cannot write {args.output}: {error.strerror or error}", USAGE) from None
    out.write(f"wrote {count} observations to {args.output} (store)\n")
    return OK


def _export_tables(args: argparse.Namespace, dataset: Dataset, out: Output) -> int:
    from kgru_relations.interop import tables  # noqa: PLC0415 - only when asked for

    if args.output is None or args.output in STDOUT:
        raise Failure(f"{args.to} writes one file per table: give --output DIRECTORY", USAGE)
    write = tables.write_csv if args.to == "csv" else tables.write_parquet
    try:
        paths = write(dataset, args.output)
    except OSError as error:
        raise Failure(f"cannot write {args.output}: {error.strerror or error}", USAGE) from None
    for path in paths:
        out.write(f"wrote {path}\n")
    return OK


def _write(args: argparse.Namespace, out: Output) -> int:
    if args.observations is not None:
        return _export_observations(args, out)
    dataset = read_dataset(data_file(args))
    if args.to in _TABLE_FORMATS:
        return _export_tables(args, dataset, out)
    if args.to == "store":
        return _export_store(args, dataset, out)
    if args.to == "ftm":
        if to_output(args.output, _ftm_lines(dataset), out):
            out.write(f"wrote {args.output} (ftm, one entity a line)\n")
    elif args.to == "popolo":
        if to_output(args.output, _popolo_text(dataset), out):
            out.write(f"wrote {args.output} (popolo)\n")
    elif to_output(args.output, [dumps(dataset)], out):
        out.write(f"wrote {len(dataset)} entities to {args.output} ({args.to})\n")
    return OK


def _export(args: argparse.Namespace, out: Output) -> int:
    try:
        return _write(args, out)
    except MissingExtra as error:
        raise Failure(str(error), USAGE) from None
    except ValidationError as error:  # a dataset that loads may still not fit the format
        lines = listed(map(str, error.issues), error.more)
        raise Failure(f"cannot export as {args.to}:\n{lines}", INVALID) from None


def add_export(commands: Any) -> None:
    """``export``: the dataset in our format or another, to a file or standard output."""
    export = add_command(
        commands,
        "export",
        _export,
        "write the dataset as a data file, or for other tools: FtM, Popolo, CSV, Parquet",
        "kgru-relations export --to parquet --output tables/",
        formats=False,
    )
    export.add_argument(
        "--to",
        choices=["json", "ftm", "popolo", "csv", "parquet", "store"],
        default="json",
        help="the format: our own data file (json, the default), FollowTheMoney entities as "
        "JSON Lines (ftm), a Popolo document (popolo), one table a file (csv, parquet), "
        "or the observations as a partitioned Parquet store (store)",
    )
    export.add_argument(
        "--output",
        "-o",
        metavar="PATH",
        help="a regular file to replace atomically, or - for standard output (the default); "
        "a directory for csv, parquet and store",
    )
    export.add_argument(
        "--observations",
        metavar="JSONL",
        help="convert a JSON Lines file of observations (- for standard input) to one "
        "Parquet file (with --to parquet and --output PATH) or a store (with --to store and "
        "--output DIRECTORY), in batches; progress shows on a terminal",
    )
    add_file(export)
