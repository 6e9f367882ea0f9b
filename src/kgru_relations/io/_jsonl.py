"""Observation streams: JSON Lines, one observation a line, read in constant memory.

Each read's lines are built together the fast way (see ``_fast``); a batch
in doubt is read line by line, each line the careful way if the fast one is
not sure, and a bad line is reported with its number.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final, Literal

import attrs
import cattrs

from kgru_relations.errors import Issue, ValidationError, shown
from kgru_relations.files import PathLike, line_batches, write_atomically
from kgru_relations.io._convert import converter
from kgru_relations.io._fast import fast_record, fast_records
from kgru_relations.io._json import ENCODER, decode, guarded
from kgru_relations.io._write import wire_writer
from kgru_relations.model import Observation

__all__ = ["iter_observations", "numbered_observations", "write_observations"]


def write_observations(path: PathLike, observations: Iterable[Observation]) -> int:
    """Write observations as JSON Lines (one compact object per line), atomically.

    Returns:
        The number of observations written.
    """
    shared = converter()
    unstructure = wire_writer(Observation)  # looked up once, not per line
    count = 0

    def chunks() -> Iterator[bytes]:
        nonlocal count
        batch: list[Any] = []
        for observation in observations:
            if type(observation) is Observation:
                batch.append(unstructure(observation))
            else:  # a subclass, or not an observation: the converter says what to do
                batch.append(shared.unstructure(observation))
            if len(batch) == _LINES_A_CHUNK:
                count += len(batch)
                yield ENCODER.encode_lines(batch)  # compact, keys sorted, one a line
                batch.clear()
        if batch:
            count += len(batch)
            yield ENCODER.encode_lines(batch)

    write_atomically(path, chunks())
    return count


_LINES_A_CHUNK: Final = 1024


def _observation_from_line(shared: cattrs.Converter, raw: bytes) -> Observation:
    fast = fast_record(Observation, raw)  # None on any doubt: then the careful way
    if fast is not None:
        return fast
    return guarded(lambda: shared.structure(decode(raw), Observation))


def iter_observations(
    path: PathLike,
    *,
    on_error: Literal["raise", "skip"] = "raise",
    errors: list[Issue] | None = None,
) -> Iterator[Observation]:
    """Read observations from a JSON Lines file, one at a time, in constant memory.

    Args:
        path: The file; blank lines are ignored.
        on_error: ``"raise"`` (the default) stops at the first bad line with a
            ``ValidationError``; ``"skip"`` skips bad lines and goes on.
        errors: A list that receives the issues of skipped lines, each with
            its line number.

    Raises:
        ValidationError: For a bad line, when *on_error* is ``"raise"``;
            each issue carries the line number.
        OSError: If the file cannot be read.
    """
    if on_error not in ("raise", "skip"):
        msg = f"on_error must be 'raise' or 'skip', got {shown(on_error)}"
        raise ValueError(msg)
    for _, observations in _observation_batches(path, on_error, errors):
        yield from observations


def numbered_observations(
    path: PathLike,
    *,
    on_error: Literal["raise", "skip"] = "raise",
    errors: list[Issue] | None = None,
) -> Iterator[tuple[int, Observation]]:
    """Each observation of a JSON Lines file with its line number (from 1).

    Reads as [`iter_observations`][kgru_relations.serialize.iter_observations]
    does, with the same arguments, for a caller that reports on a record
    later and must say which line it came from.
    """
    for numbers, observations in _observation_batches(path, on_error, errors):
        yield from zip(numbers, observations, strict=True)


def _observation_batches(
    path: PathLike, on_error: Literal["raise", "skip"], errors: list[Issue] | None
) -> Iterator[tuple[Sequence[int], list[Observation]]]:
    """The observations of a JSON Lines file and their line numbers, a read's lines at a time."""
    shared = converter()
    number = 0  # of the last line read
    # line_batches refuses devices, bounds each line and never waits forever on a
    # pipe; it gives the lines each read brought, which are built together.
    for read in line_batches(path):
        first = number + 1
        number += len(read)
        numbers: Sequence[int] = range(first, number + 1)
        lines = read
        # Empty lines are skipped (a line of blanks fails to decode below, and its
        # lines are then read one by one, which skips it too).
        if not all(read):
            numbers = [at for at, line in zip(numbers, read, strict=True) if line.strip()]
            lines = [line for line in read if line.strip()]
        together = fast_records(Observation, lines)  # None on any doubt about any line
        if together is not None:
            yield numbers, together
            continue
        kept: list[int] = []
        built: list[Observation] = []
        for at, raw in zip(numbers, lines, strict=True):  # one by one, the fast way if sure
            try:
                built.append(_observation_from_line(shared, raw))
            except ValidationError as error:
                found = [attrs.evolve(issue, line=at) for issue in error.issues]
                if on_error == "raise":
                    yield kept, built  # the good lines before the bad one come first
                    raise ValidationError(found) from None
                if errors is not None:
                    errors.extend(found)
                continue
            kept.append(at)
        yield kept, built
