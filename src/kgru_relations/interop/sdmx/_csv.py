"""Read an SDMX-CSV data message (1.0 and 2.0) into a Message, values as written.

SDMX-CSV 1.0 starts with a ``DATAFLOW`` column (``IMF:IMTS(1.0)``); 2.0 with
``STRUCTURE``, ``STRUCTURE_ID`` and ``ACTION``. Then one column per dimension
and attribute, ``TIME_PERIOD`` and ``OBS_VALUE``. A header or a value may carry
its label after ``: `` (``FREQ: Frequency``, ``A: Annual``), which gives names.
Which columns are dimensions the structure says, when one is given; otherwise
the SDMX cross-domain attributes are attributes and every other column is a
dimension.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection

from kgru_relations.errors import IssueCollector, ValidationError, shown
from kgru_relations.interop.sdmx._message import (
    ACTION,
    ATTRIBUTES_KNOWN,
    TIME_DIMENSION,
    Message,
    Obs,
    Series,
)

__all__ = ["read_csv"]

_VALUE = "OBS_VALUE"
_LEADING_1 = ("DATAFLOW",)
_LEADING_2 = ("STRUCTURE", "STRUCTURE_ID", "ACTION")


def _split(text: str) -> tuple[str, str | None]:
    code, separator, label = text.partition(": ")
    return (code.strip(), label.strip() or None) if separator else (text.strip(), None)


class _Columns:
    """Which column is what: the key's dimensions, the attributes, time and the value."""

    def __init__(self, ids: list[str], leading: int, dimensions: Collection[str] | None) -> None:
        problems = IssueCollector()
        if _VALUE not in ids:
            problems.add("$[0]", "no OBS_VALUE column: an SDMX-CSV data message has one")
        if len(set(ids)) != len(ids):
            problems.add("$[0]", f"a column is named twice: {shown(ids)}")
        problems.raise_if_any()
        self.value = ids.index(_VALUE)
        self.time = ids.index(TIME_DIMENSION) if TIME_DIMENSION in ids else None
        others = [
            (number, ident)
            for number, ident in enumerate(ids)
            if number >= leading and ident not in (_VALUE, TIME_DIMENSION)
        ]
        keys = {
            ident
            for _, ident in others
            if (ident in dimensions if dimensions is not None else ident not in ATTRIBUTES_KNOWN)
        }
        self.key = [(n, ident) for n, ident in others if ident in keys]
        self.attributes = [(n, ident) for n, ident in others if ident not in keys]


def _rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError.at("$", f"not UTF-8 text: {shown(str(error), 120)}") from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ValidationError.at("$", f"not CSV: {shown(str(error), 120)}") from None
    if not rows:
        raise ValidationError.at("$", "an empty file is not an SDMX-CSV message")
    return rows


def read_csv(data: bytes, *, dimensions: Collection[str] | None = None) -> Message:
    """Read an SDMX-CSV data message.

    Args:
        data: The file's bytes (UTF-8, a byte order mark allowed).
        dimensions: The structure's dimension ids, if a structure was given.

    Raises:
        ValidationError: If *data* is not SDMX-CSV, with every problem at its line.
    """
    rows = _rows(data)
    header = [_split(cell) for cell in rows[0]]
    ids = [ident for ident, _ in header]
    if tuple(ids[:3]) == _LEADING_2:
        leading, form = 3, "SDMX-CSV 2.0"
    elif tuple(ids[:1]) == _LEADING_1:
        leading, form = 1, "SDMX-CSV 1.0"
    else:
        raise ValidationError.at(
            "$[0]",
            f"an SDMX-CSV header starts with DATAFLOW (1.0) or STRUCTURE, STRUCTURE_ID, "
            f"ACTION (2.0); got {shown(rows[0][:3])}",
        )
    columns = _Columns(ids, leading, dimensions)
    names = {ident: label for ident, label in header if label}
    code_names: dict[str, dict[str, str]] = {}
    flow_text = None
    problems = IssueCollector()
    found: dict[tuple[str, tuple[tuple[str, str], ...]], Series] = {}
    for line, row in enumerate(rows[1:], start=1):
        if not row:
            continue
        at = f"$[{line}]"
        if len(row) != len(ids):
            problems.add(at, f"has {len(row)} cells, the header {len(ids)}")
            continue
        cells = [_split(cell) for cell in row]
        for (code, label), ident in zip(cells, ids, strict=True):
            if label is not None and ident != _VALUE:
                code_names.setdefault(ident, {})[code] = label
        flow = row[leading - 1] if leading == 1 else row[1]
        flow_text = flow_text or flow
        key = tuple((ident, cells[number][0]) for number, ident in columns.key)
        if flow != flow_text:  # a second dataflow: its series are told apart by it
            key = (("DATAFLOW", flow), *key)
        series = found.get((flow, key))
        if series is None:
            series = found[(flow, key)] = Series(at, key)
        attributes = {ident: cells[n][0] for n, ident in columns.attributes if cells[n][0]}
        value = row[columns.value].strip()
        period = cells[columns.time][0] if columns.time is not None else None
        if leading == 3 and row[2].strip():
            attributes[ACTION] = row[2].strip()
        series.observations.append(Obs(at, period, value, attributes))
    problems.raise_if_any()
    agency, flow_id = _flow_parts(flow_text)
    return Message(
        form=form,
        series=list(found.values()),
        agency=agency,
        flow=flow_id,
        dimension_names=names,
        code_names=code_names,
    )


def _flow_parts(text: str | None) -> tuple[str | None, str | None]:
    """``IMF:IMTS(1.0)`` as its agency and id."""
    if not text:
        return None, None
    agency, separator, rest = text.partition(":")
    if not separator:
        return None, text.partition("(")[0] or None
    return agency or None, rest.partition("(")[0] or None
