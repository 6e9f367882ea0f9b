"""``import wikidata``, ``import ftm`` and ``import sdmx``: a data file from the field's open data.

Nothing is merged by name; what the model cannot hold is listed as left out,
never guessed, and what was imported in a form the input did not give word for
word is listed as adapted. An import that imports nothing writes nothing and
says so.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Final, TypeVar

import attrs

from kgru_relations.cli._arguments import add_command, add_group, day
from kgru_relations.cli._files import STDIN, dataset, input_bytes, named, standard_input, to_output
from kgru_relations.cli._output import INVALID, OK, USAGE, Failure, Output, Progress, listed
from kgru_relations.dataset import Dataset
from kgru_relations.errors import Issue, ValidationError, shown
from kgru_relations.interop import MissingExtra
from kgru_relations.model import ENTITY_CLASSES, Entity, Position, PositionKind, Source
from kgru_relations.model.economy import unit
from kgru_relations.serialize import dumps

__all__ = ["add_import"]

T = TypeVar("T")
_SHOWN_ISSUES: Final = 20  # of each list: left out, adapted, kept apart by the merge
_OURS: Final = f"{Position.KIND}:"  # how our own position ids begin, unlike the source's
_DOCUMENT: Final = re.compile(r"\$\[([0-9]+)\]")
_SDMX_EXAMPLE: Final = "kgru-relations import sdmx imts.json --merge-into kg_ru.json -o both.json"
_SDMX_INPUT: Final = re.compile(r'\$\["<([0-9]+)>"\]')  # from_sdmx_files' name for bytes


@attrs.frozen
class _Read:
    """What an import read: what it made, what it left out and adapted, the input's positions.

    Each issue is written with where it was (the file, its path there).
    """

    entities: list[Entity]
    skipped: list[str]
    notes: list[str]
    positions: set[str] = attrs.field(factory=set)  # their ids in the input, for --kind
    # Per model class, the fields the input's format cannot give: gaps to the merge.
    unread: Mapping[type[Entity], frozenset[str]] = attrs.field(factory=dict)


def _counted(items: Iterable[T], progress: Progress | None) -> Iterator[T]:
    """*items*, counting them on the progress line as they pass."""
    for count, item in enumerate(items, start=1):
        if progress is not None:
            progress(count)
        yield item


def _placed(issue: Issue, places: Sequence[str]) -> str:
    """An issue of an import, its ``$[i]`` written as where document *i* came from."""
    match = _DOCUMENT.match(issue.path)
    if match is None or int(match[1]) >= len(places):
        return str(issue)
    return f"{places[int(match[1])]}{issue.path[match.end() :]}: {issue.message}"


def _position_kind(text: str) -> tuple[str, PositionKind]:
    """``Q123=head_of_state``: a position's id (in the source, or ours), and its kind."""
    position, _, kind = text.partition("=")
    try:
        return position, PositionKind(kind)
    except ValueError:
        kinds = ", ".join(k.value for k in PositionKind)
        msg = f"{shown(text)}: write ID=KIND, KIND one of {kinds}"
        raise argparse.ArgumentTypeError(msg) from None


def _unit(text: str) -> str:
    """A unit, read by the model's own rule; if it is not one, say why."""
    try:
        return unit(text)
    except ValidationError as error:
        raise argparse.ArgumentTypeError(error.issues[0].message) from None


# --- reading what to import ------------------------------------------------------------------


def _input(path: str, *, or_else: str | None = None) -> bytes:
    """All of *path* (or of standard input); a `Failure` that names it if it cannot be read.

    *or_else*: what else *path* is not, said if there is no such file.
    """
    try:
        return input_bytes(path)
    except OSError as error:
        if or_else is not None and isinstance(error, FileNotFoundError):
            raise Failure(f"{path} is not a file, and {or_else}", USAGE) from None
        raise Failure(f"cannot read {named(path)}: {error.strerror or error}", USAGE) from None


def _json_documents(path: str, *, or_else: str | None = None) -> list[Any]:
    """The JSON value in *path* (or standard input), as a list of documents.

    *or_else*: what else *path* is not, said if there is no such file.
    """
    data = _input(path, or_else=or_else)
    try:
        value = json.loads(data)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        message = getattr(error, "msg", None) or type(error).__name__
        raise Failure(f"{named(path)} is not JSON: {message}", INVALID) from None
    return value if isinstance(value, list) else [value]


def _wikidata_documents(
    args: argparse.Namespace, progress: Progress | None, places: list[str]
) -> list[Any]:
    """The documents the SOURCEs name: files read, QIDs fetched with what they need.

    *places* gets where each came from (``people.json: $``, ``people.json: $[2]``,
    ``Q123 (fetched)``), for the messages.
    """
    from kgru_relations.interop.wikidata import (  # noqa: PLC0415 - only when asked for
        fetch_entities,
        missing_ids,
        wikidata_our_id,
    )

    def item(source: str) -> str | None:
        """Why *source* is not a Wikidata item id (the id rule's own words), or None."""
        try:
            wikidata_our_id("item", source)
        except ValidationError as error:
            return error.issues[0].message
        return None

    documents: list[Any] = []
    for source in args.sources:
        not_an_item = item(source)
        if not_an_item is None:
            continue
        # Q12x, with no folder or suffix, may be meant as an id: say it is neither.
        meant = None if any(mark in source for mark in "./") else not_an_item
        found = _json_documents(source, or_else=meant)
        if len(found) == 1:
            places.append(f"{named(source)}: $")
        else:
            places += [f"{named(source)}: $[{index}]" for index in range(len(found))]
        documents += found
    wanted = [source for source in args.sources if item(source) is None]
    if not wanted and not args.fetch_missing:
        return documents
    options = {} if args.endpoint is None else {"endpoint": args.endpoint}
    asked: set[str] = set()
    wanted = wanted or missing_ids(documents)
    while wanted:  # the people asked for, then their positions, then those states
        asked.update(wanted)
        fetched = list(_counted(fetch_entities(wanted, **options), progress))
        places += [f"{document.get('id', '?')} (fetched): $" for document in fetched]
        documents += fetched
        wanted = [qid for qid in missing_ids(documents) if qid not in asked]
    return documents


def _from_wikidata(
    args: argparse.Namespace, progress: Progress | None, kinds: Mapping[str, PositionKind]
) -> _Read:
    """What the import made, left out and adapted (each with where it was), the positions."""
    from kgru_relations.interop.wikidata import entities_from_wikidata  # noqa: PLC0415

    places: list[str] = []
    documents = _wikidata_documents(args, progress, places)
    try:
        result = entities_from_wikidata(documents, retrieved=args.retrieved, position_kinds=kinds)
    except ValidationError as error:
        listing = listed((_placed(issue, places) for issue in error.issues), error.more)
        raise Failure(f"cannot import from wikidata:\n{listing}", INVALID) from None
    return _Read(
        list(result.entities),
        [_placed(issue, places) for issue in result.skipped],
        [_placed(issue, places) for issue in result.notes],
        {p.wikidata for p in result.entities if isinstance(p, Position) and p.wikidata},
        result.unread,
    )


def _from_ftm(
    args: argparse.Namespace, progress: Progress | None, kinds: Mapping[str, PositionKind]
) -> _Read:
    """What the import made, left out and adapted, and the FtM ids of the input's positions."""
    from kgru_relations.interop.ftm import from_ftm, read_ftm_lines  # noqa: PLC0415

    positions: set[str] = set()

    def noting_positions(entities: Iterable[Any]) -> Iterator[Any]:
        for entity in entities:
            if isinstance(entity, Mapping) and entity.get("schema") == "Position":
                positions.add(str(entity.get("id")))
            yield entity

    source: Any = standard_input() if args.source in STDIN else args.source
    lines = noting_positions(_counted(read_ftm_lines(source), progress))
    found = from_ftm(lines, position_kinds=kinds)
    return _Read(
        list(found.entities),
        list(map(str, found.skipped)),
        list(map(str, found.notes)),
        positions,
        found.unread,
    )


def _from_sdmx(
    args: argparse.Namespace, progress: Progress | None, kinds: Mapping[str, PositionKind]
) -> _Read:
    """What the import made, left out and adapted, each issue with the file it was in.

    A message's problems and notes name the import's options as the command
    spells them (``--unit``, not ``unit=``).
    """
    from kgru_relations.interop.sdmx import from_sdmx_files  # noqa: PLC0415 - only when asked for

    if sum(name in STDIN for name in [*args.sources, args.structure]) > 1:
        raise Failure("standard input can be read once: give - once, as FILE or --structure", USAGE)
    options = {
        "structure": None if args.structure is None else _input(args.structure),
        "reporter_dimension": args.reporter_dimension,
        "partner_dimension": args.partner_dimension,
        "unit": args.unit,
    }
    keywords = re.compile(rf"\b({'|'.join(options)})=")

    def placed(issue: Issue) -> str:
        """The issue, ``$["<i>"]`` written as the file it was in, ``unit=`` as ``--unit``."""
        match = _SDMX_INPUT.match(issue.path)
        if match is not None:
            where = f"{named(args.sources[int(match[1])])}: ${issue.path[match.end() :]}"
            issue = attrs.evolve(issue, path=where)
        return keywords.sub(lambda found: "--" + found[1].replace("_", "-"), str(issue))

    messages = _counted(map(_input, args.sources), progress)
    try:
        result = from_sdmx_files(messages, **options)
    except ValidationError as error:
        listing = listed(map(placed, error.issues), error.more)
        raise Failure(f"cannot import from sdmx:\n{listing}", INVALID) from None
    return _Read(
        list(result.entities),
        list(map(placed, result.skipped)),
        list(map(placed, result.notes)),
        unread=result.unread,
    )


# --- the command -----------------------------------------------------------------------------


def _with_kinds(
    entities: list[Entity], ours: Mapping[str, PositionKind], theirs: Iterable[str], seen: set[str]
) -> list[Entity]:
    """*entities*, each position that ``--kind`` names by our id of the kind it says.

    A ``--kind`` that names no position (by its id in the input, *seen*, or
    ours) is refused rather than ignored.
    """
    made = {e.id for e in entities if isinstance(e, Position)}
    unknown = [key for key in theirs if key not in seen] + [key for key in ours if key not in made]
    if unknown:
        example = min(made, default="position:q123")
        raise Failure(
            f"--kind {shown(unknown[0])}: no position of the import has this id; name one by "
            f"its id in the input or by ours, such as {example}",
            USAGE,
        )
    return [
        attrs.evolve(e, kind=ours[e.id]) if isinstance(e, Position) and e.id in ours else e
        for e in entities
    ]


def _counts(dataset: Dataset) -> str:
    """How many entities, and of each kind: ``19 entities (8 sources, 1 state, ...)``."""
    kinds = []
    for cls in ENTITY_CLASSES:
        count = len(dataset.all(cls))
        if count:
            kinds.append(f"{count} {cls.KIND}{'' if count == 1 else 's'}")
    return f"{len(dataset)} entities ({', '.join(kinds)})"


def _import(args: argparse.Namespace, out: Output) -> int:
    ours = {key: kind for key, kind in args.kind if key.startswith(_OURS)}
    theirs = {key: kind for key, kind in args.kind if key not in ours}
    read, counting, made = _ORIGINS[args.origin]
    progress = Progress.on_terminal(counting)
    try:
        found = read(args, progress, theirs)
    except BaseException:
        if progress is not None:  # what is printed next starts on a line of its own
            progress.end_line()
        raise
    if progress is not None:
        progress.done(progress.count)
    imported = Dataset(_with_kinds(found.entities, ours, theirs, found.positions))
    skipped = found.skipped
    _say("left out", skipped)
    _say("adapted", found.notes)
    if all(isinstance(e, Source) for e in imported):
        why = f"{len(skipped)} left out" if skipped else f"it holds no {made}"
        raise Failure(f"nothing was imported from {_where(args)} ({why}); nothing written", INVALID)
    result = imported
    if args.merge_into is not None:
        try:
            result, report = dataset(args.merge_into).merged(imported, unread=found.unread)
        except ValidationError as error:
            listing = listed((issue.message for issue in error.issues), error.more)
            raise Failure(
                f"cannot join the import with {named(args.merge_into)}:\n{listing}", INVALID
            ) from None
        _say("kept apart", list(map(str, report.kept_apart)))  # and why
    problems = result.validate()
    if problems:
        lines = listed(map(str, problems), problems.more)
        raise Failure(f"the import does not make a valid dataset:\n{lines}", INVALID)
    if to_output(args.output, [dumps(result)], out):
        out.write(f"wrote {args.output}: {_counts(result)}; {len(skipped)} left out\n")
    return OK


def _say(what: str, issues: Sequence[str]) -> None:
    """*issues* on standard error, one a line, saying *what* became of each; the first 20 only."""
    for issue in issues[:_SHOWN_ISSUES]:
        sys.stderr.write(f"kgru-relations: {what}: {issue}\n")
    if len(issues) > _SHOWN_ISSUES:
        sys.stderr.write(f"kgru-relations: ... and {len(issues) - _SHOWN_ISSUES} more {what}\n")


def _where(args: argparse.Namespace) -> str:
    """What the import read, as a message names it: a file, or the sources given."""
    if args.origin == "ftm":
        return named(args.source)
    if args.origin == "sdmx" and len(args.sources) == 1:
        return named(args.sources[0])
    return "the sources given"


_Reader = Callable[[argparse.Namespace, "Progress | None", Mapping[str, PositionKind]], _Read]
_ORIGINS: Final[Mapping[str, tuple[_Reader, str, str]]] = {
    # origin: how it is read, what its progress line counts, what an input with none holds
    "wikidata": (_from_wikidata, "items fetched", "entities"),
    "ftm": (_from_ftm, "entities read", "entities"),
    "sdmx": (_from_sdmx, "files read", "figures"),
}


def _import_command(args: argparse.Namespace, out: Output) -> int:
    try:
        return _import(args, out)
    except MissingExtra as error:
        raise Failure(str(error), USAGE) from None
    except ConnectionError as error:  # WikidataUnavailable, SdmxUnavailable: offline, or down
        raise Failure(str(error), USAGE) from None
    except ValidationError as error:  # the input is not what its format says
        lines = listed(map(str, error.issues), error.more)
        raise Failure(f"cannot import from {args.origin}:\n{lines}", INVALID) from None
    except OSError as error:  # the FtM file (the others are read by _input)
        name = error.filename or _where(args)
        raise Failure(f"cannot read {name}: {error.strerror or error}", USAGE) from None


def _add_shared(parser: Any, *, kinds: bool) -> None:
    """The options every import takes: --kind (where it makes offices), --merge-into, --output."""
    if kinds:
        parser.add_argument(
            "--kind",
            type=_position_kind,
            action="append",
            default=[],
            metavar="ID=KIND",
            help="a position's kind, by its id in the source (Q123=head_of_state) or by ours "
            "(position:q123=head_of_state); repeat for more; default: other, as the source "
            "does not say it in a form the model uses",
        )
    parser.add_argument(
        "--merge-into",
        metavar="FILE",
        help="a data file to join the import with (Dataset.merge: by Wikidata id, never by "
        "name); each record kept apart from one of the file's is listed, with why",
    )
    parser.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        help="the data file to write (replaced atomically); default: standard output",
    )


def add_import(commands: Any) -> None:
    """``import wikidata``, ``import ftm`` and ``import sdmx``."""
    origins = add_group(
        commands,
        "import",
        "make a data file from Wikidata entity JSON, FollowTheMoney entities or SDMX",
        detail="Nothing is merged by name; what the model cannot hold is listed as left out, "
        "never guessed, and what was adapted to the model is listed too.",
        examples=[
            "kgru-relations import wikidata Q1234567 --output people.json",
            "kgru-relations import ftm peps.ftm.json --output peps.json",
            _SDMX_EXAMPLE,
        ],
        metavar="FROM",
    )
    wikidata = add_command(
        origins,
        "wikidata",
        _import_command,
        "persons, their offices (P39) and those offices' states, from Wikidata",
        "kgru-relations import wikidata Q1234567 --output people.json",
        formats=False,
    )
    wikidata.set_defaults(origin="wikidata")
    wikidata.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="a file of Wikidata entity JSON (wbgetentities or Special:EntityData), - for "
        "standard input, or an item id (Q123) to fetch, with the offices and states it needs",
    )
    wikidata.add_argument(
        "--fetch-missing",
        action="store_true",
        help="also fetch the offices and states the files name but do not hold",
    )
    wikidata.add_argument(
        "--endpoint", metavar="URL", help="the Wikidata API to ask (default: wikidata.org)"
    )
    wikidata.add_argument(
        "--retrieved",
        type=day,
        metavar="DATE",
        help="the day the files were read, kept on each source (default: today, when fetched)",
    )
    _add_shared(wikidata, kinds=True)
    ftm = add_command(
        origins,
        "ftm",
        _import_command,
        "persons, positions, occupancies and memberships from FollowTheMoney JSON Lines",
        "kgru-relations import ftm peps.ftm.json --output peps.json",
        formats=False,
    )
    ftm.set_defaults(origin="ftm")
    ftm.add_argument(
        "source", metavar="FILE", help="FtM JSON Lines, one entity a line; - for standard input"
    )
    _add_shared(ftm, kinds=True)
    sdmx = add_command(
        origins,
        "sdmx",
        _import_command,
        "economic figures (indicators and observations) from SDMX data messages",
        _SDMX_EXAMPLE,
        formats=False,
    )
    sdmx.set_defaults(origin="sdmx", kind=[])
    sdmx.add_argument(
        "sources",
        nargs="+",
        metavar="FILE",
        help="an SDMX data message: SDMX-ML 2.1 (needs the sdmx extra), SDMX-JSON or SDMX-CSV; "
        "- for standard input",
    )
    sdmx.add_argument(
        "--structure",
        metavar="FILE",
        help="a structure message: names for the dataflow, dimensions and codes, and the "
        "structure that structure-specific SDMX-ML needs",
    )
    sdmx.add_argument(
        "--reporter-dimension",
        metavar="DIM",
        help="the dimension that holds the reporter (default: the first the message has of "
        "kgru_relations.interop.sdmx.REPORTER_DIMENSIONS)",
    )
    sdmx.add_argument(
        "--partner-dimension",
        metavar="DIM",
        help="the dimension that holds the partner (default: the first the message has of "
        "kgru_relations.interop.sdmx.PARTNER_DIMENSIONS)",
    )
    sdmx.add_argument(
        "--unit",
        type=_unit,
        metavar="UNIT",
        help="the unit of series whose message gives none, or one the model cannot hold: "
        "an ISO 4217 code (USD) or a lowercase word (percent)",
    )
    _add_shared(sdmx, kinds=False)
