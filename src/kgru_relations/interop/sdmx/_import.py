"""Read a data message in any of its formats, and convert it."""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from kgru_relations.errors import Issue, IssueCollector, ValidationError, path_segment, shown
from kgru_relations.interop.importing import ImportResult, digest
from kgru_relations.interop.sdmx._convert import convert
from kgru_relations.interop.sdmx._csv import read_csv
from kgru_relations.interop.sdmx._json import read_json
from kgru_relations.interop.sdmx._message import Message
from kgru_relations.interop.sdmx._sdmx1 import Structure, from_message, read_structure, read_xml
from kgru_relations.model import ENTITY_CLASSES, Entity, Indicator

__all__ = ["SdmxSource", "from_sdmx", "from_sdmx_files"]

SdmxSource = str | os.PathLike[str] | bytes | Any
"""A path, the message's bytes, or an sdmx1 message."""


def _bytes(source: object) -> bytes | None:
    if isinstance(source, bytes):
        return source
    if isinstance(source, (str, os.PathLike)):
        return Path(source).read_bytes()
    return None


def _structure(structure: object) -> Structure | None:
    if structure is None:
        return None
    data = _bytes(structure)
    return read_structure(data if data is not None else structure)


def _read(data: bytes, structure: Structure | None) -> Message:
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"<":
        return read_xml(data, structure)
    if start in (b"{", b"["):
        message = read_json(data)
    else:
        message = read_csv(data, dimensions=structure.dimensions or None if structure else None)
    if structure is not None:  # names from the structure message, the message's own first
        message.dimension_names.update(
            {k: v for k, v in structure.dimension_names.items() if k not in message.dimension_names}
        )
        for dim, names in structure.code_names.items():
            known = message.code_names.setdefault(dim, {})
            known.update({k: v for k, v in names.items() if k not in known})
        if message.flow_name is None and message.flow in structure.flow_names:
            message = attrs.evolve(message, flow_name=structure.flow_names[message.flow])
    return message


def from_sdmx(
    source: SdmxSource,
    *,
    structure: SdmxSource | None = None,
    reporter_dimension: str | None = None,
    partner_dimension: str | None = None,
    unit: str | None = None,
    url: str | None = None,
    retrieved: _dt.date | None = None,
) -> ImportResult:
    r"""Import an SDMX data message: its series as indicators and observations.

    Args:
        source: A path to the message, its bytes, or an sdmx1 ``DataMessage``.
            The format is read from the content: SDMX-ML (``<``), SDMX-JSON
            (``{``), else SDMX-CSV.
        structure: A structure message (a path, its bytes, or an sdmx1
            ``StructureMessage``): names for the dataflow, dimensions and codes,
            and the data structure that structure-specific SDMX-ML needs to tell
            dimensions from attributes.
        reporter_dimension: The dimension that holds the reporter; default:
            the first of [`REPORTER_DIMENSIONS`][kgru_relations.interop.sdmx.REPORTER_DIMENSIONS].
        partner_dimension: The dimension that holds the partner; default: the
            first of [`PARTNER_DIMENSIONS`][kgru_relations.interop.sdmx.PARTNER_DIMENSIONS].
        unit: The unit of series whose message gives none (or one the model
            cannot hold): an ISO 4217 code or a lowercase word.
        url: The query's address, for the source (the message's own, if it
            gives one, otherwise).
        retrieved: The day the message was fetched, for the source.

    Returns:
        The indicators, the observations and the message's source; what was
        left out (aggregates, missing values, periods the model cannot hold)
        in ``skipped``, what was adapted in ``notes``.

    Raises:
        OSError: If a file cannot be read.
        ValidationError: If *source* is not an SDMX data message (or
            *structure* not a structure message), with every problem at its
            path; or if *unit* is not a unit.
        MissingExtra: If the message is SDMX-ML (or an sdmx1 object) and sdmx1
            is not installed.

    Examples:
        >>> from kgru_relations import Observation
        >>> result = from_sdmx(
        ...     b"DATAFLOW,FREQ,REF_AREA,COUNTERPART_AREA,TIME_PERIOD,OBS_VALUE,UNIT_MULT\n"
        ...     b"IMF:IMTS(1.0),A,KG,RU,2024,1234.5,6\n",
        ...     unit="USD",
        ... )
        >>> [obs.value for obs in result.dataset().all(Observation)]
        [Decimal('1234500000')]
    """
    return _from_message(
        source,
        _structure(structure),
        reporter_dimension=reporter_dimension,
        partner_dimension=partner_dimension,
        unit=unit,
        url=url,
        retrieved=retrieved,
    )


def _from_message(
    source: SdmxSource,
    structure_read: Structure | None,
    *,
    reporter_dimension: str | None,
    partner_dimension: str | None,
    unit: str | None,
    url: str | None = None,
    retrieved: _dt.date | None = None,
) -> ImportResult:
    """[`from_sdmx`][kgru_relations.interop.sdmx.from_sdmx] with its structure already read."""
    data = _bytes(source)
    if data is not None:
        message = _read(data, structure_read)
        fingerprint = digest(data.decode("utf-8", "replace"))
    else:
        message = from_message(source, structure_read)
        fingerprint = digest(shown(message.message_id) + shown(message.flow))
    return convert(
        message,
        fingerprint=fingerprint,
        reporter_dimension=reporter_dimension,
        partner_dimension=partner_dimension,
        unit=unit,
        url=url,
        retrieved=retrieved,
    )


def from_sdmx_files(
    sources: Iterable[str | os.PathLike[str] | bytes],
    *,
    structure: SdmxSource | None = None,
    reporter_dimension: str | None = None,
    partner_dimension: str | None = None,
    unit: str | None = None,
) -> ImportResult:
    """Import several data messages as one result, as ``kgru-relations import sdmx`` does.

    Each file (a path, or a message's bytes, such as standard input's) is
    read by [`from_sdmx`][kgru_relations.interop.sdmx.from_sdmx] with the
    same options; the structure message is read once, and its problems are
    given once, under its own name (``<structure>`` if it is bytes). Each
    issue's path starts with its file's name
    (``$["imts.json"].dataSets[0]...``; ``$["<0>"]`` for the first input,
    if it is bytes). An indicator two files both define
    is kept once (the first file's, a note says so if the second differs); an
    observation two files both give (one series, one period) is kept once if
    they agree, and the second is left out if they do not.

    Raises:
        OSError: If a file cannot be read.
        ValidationError: With the problems of every file that is not an SDMX
            data message, each under its file's name.
        MissingExtra: If a message is SDMX-ML and sdmx1 is not installed.
    """
    try:  # read once, its problems said once, under its own name
        structure_read = _structure(structure)
    except ValidationError as error:
        named = Path(structure).name if isinstance(structure, (str, os.PathLike)) else None
        raise error.under(named or "<structure>") from None
    problems = IssueCollector()
    entities: dict[str, Entity] = {}
    skipped: list[Issue] = []
    notes: list[Issue] = []
    for number, path in enumerate(sources):
        name = f"<{number}>" if isinstance(path, bytes) else Path(path).name
        try:
            result = _from_message(
                path,
                structure_read,
                reporter_dimension=reporter_dimension,
                partner_dimension=partner_dimension,
                unit=unit,
            )
        except ValidationError as error:
            for issue in error.issues:
                problems.add(issue.under(name).path, issue.message)
            continue
        skipped += (issue.under(name) for issue in result.skipped)
        notes += (issue.under(name) for issue in result.notes)
        for entity in result.entities:
            kept = entities.setdefault(entity.id, entity)
            if kept == entity:
                continue
            where = f"${path_segment(name)}"
            if isinstance(entity, Indicator):
                notes.append(
                    Issue(where, f"{entity.id!r} is also in an earlier file, which is kept")
                )
            else:
                message = f"{entity.id!r} differs from the one an earlier file gives: left out"
                skipped.append(Issue(where, message))
    problems.raise_if_any()
    ordered = sorted(entities.values(), key=lambda entity: ENTITY_CLASSES.index(type(entity)))
    return ImportResult(
        entities=tuple(ordered),
        skipped=tuple(dict.fromkeys(skipped)),
        notes=tuple(dict.fromkeys(notes)),
    )
