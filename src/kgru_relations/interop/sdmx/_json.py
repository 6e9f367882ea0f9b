"""Read an SDMX-JSON data message (1.0, and the data part of 2.0) into a Message.

Values are read from the JSON's own number text (``parse_float=Decimal``), never
through a float, which is why this reader does not hand the text to sdmx1 (whose
SDMX-JSON reader gives floats). Every problem is reported at its JSON path.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from kgru_relations.dates import parse_day
from kgru_relations.errors import IssueCollector, ValidationError, path_segment, shown
from kgru_relations.interop.sdmx._message import ACTION, TIME_DIMENSION, Message, Obs, Series

__all__ = ["read_json"]

_LEVELS = ("dataSet", "series", "observation")


def _missing_constant(name: str) -> str:
    return name  # NaN, Infinity: kept as text, read as missing (NaN) or refused


def _text(value: object) -> str | None:
    """A name, id or value as text: a string, or the English (else first) of a localised map."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and value:
        chosen = value.get("en", next(iter(value.values())))
        return chosen if isinstance(chosen, str) else None
    return None


def _number_text(value: object) -> str | None:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value
    return None


class _Reader:
    def __init__(self) -> None:
        self.problems = IssueCollector()

    def expect(self, value: object, kind: type, path: str, what: str) -> Any:
        if isinstance(value, kind) and not isinstance(value, bool):
            return value
        self.problems.add(path, f"expected {what}, got {shown(value)}")
        return None

    def components(
        self, structure: Mapping[str, Any], group: str, path: str
    ) -> dict[str, list[Any]]:
        """Per level, the components (dimensions or attributes) with their values."""
        found: dict[str, list[Any]] = {}
        block = structure.get(group, {})
        block = self.expect(block, dict, f"{path}.{group}", "an object")
        if block is None:
            return found
        for level in _LEVELS:
            where = f"{path}.{group}.{level}"
            listed = self.expect(block.get(level, []), list, where, "a list")
            found[level] = []
            for index, item in enumerate(listed or []):
                at = f"{where}[{index}]"
                component = self.expect(item, dict, at, "an object")
                ident = self.expect((component or {}).get("id"), str, f"{at}.id", "an id")
                values = self.expect(
                    (component or {}).get("values", []), list, f"{at}.values", "a list"
                )
                codes: list[tuple[str, str | None]] = []
                for number, entry in enumerate(values or []):
                    entry_at = f"{at}.values[{number}]"
                    if not isinstance(entry, dict):
                        self.problems.add(entry_at, f"expected an object, got {shown(entry)}")
                        continue
                    code = _text(entry.get("id"))
                    if code is None:
                        code = _number_text(entry.get("value")) or _text(entry.get("name"))
                    if code is None:
                        self.problems.add(entry_at, "a value needs an id, a value or a name")
                        continue
                    codes.append((code, _text(entry.get("name"))))
                found[level].append((ident or "", _text((component or {}).get("name")), codes))
        return found

    def pick(self, component: Any, index: object, path: str) -> str | None:
        ident, _name, codes = component
        if index is None:
            return None
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(codes):
            self.problems.add(path, f"{shown(index)} is not an index into the values of {ident!r}")
            return None
        return str(codes[index][0])

    def key(self, text: object, dims: list[Any], path: str) -> list[tuple[str, str]] | None:
        if not isinstance(text, str):
            self.problems.add(path, f"expected a key such as '0:1', got {shown(text)}")
            return None
        parts = text.split(":") if dims else ([] if text == "" else [text])
        if len(parts) != len(dims) or not all(part.isdigit() and part.isascii() for part in parts):
            self.problems.add(
                path,
                f"key {shown(text)} does not give one index for each of {len(dims)} dimensions",
            )
            return None
        picked = [
            (dim[0], self.pick(dim, int(part), path)) for dim, part in zip(dims, parts, strict=True)
        ]
        if any(code is None for _, code in picked):
            return None
        return [(ident, code) for ident, code in picked if code is not None]

    def attributes(
        self, indexes: object, components: list[Any], path: str, *, start: int = 0
    ) -> dict[str, str]:
        found: dict[str, str] = {}
        if indexes is None:
            return found
        if not isinstance(indexes, list):
            self.problems.add(path, f"expected a list of value indexes, got {shown(indexes)}")
            return found
        pairs = zip(components, indexes[start:], strict=False)
        for number, (component, index) in enumerate(pairs, start=start):
            code = self.pick(component, index, f"{path}[{number}]")
            if code is not None:
                found[component[0]] = code
        return found


def _parts(tree: dict[str, Any], reader: _Reader) -> tuple[Any, str, Any, str]:
    """The structure and the data sets, and their paths, in SDMX-JSON 1.0 or 2.0."""
    if "data" in tree:  # SDMX-JSON 2.0
        body = reader.expect(tree["data"], dict, "$.data", "an object") or {}
        structures = reader.expect(body.get("structures", []), list, "$.data.structures", "a list")
        return (
            (structures or [{}])[0],
            "$.data.structures[0]",
            body.get("dataSets"),
            "$.data.dataSets",
        )
    return tree.get("structure"), "$.structure", tree.get("dataSets"), "$.dataSets"


class _DataSets:
    """The data sets of one message, read with its structure."""

    def __init__(self, reader: _Reader, structure: Mapping[str, Any], path: str) -> None:
        self.reader = reader
        self.dims = reader.components(structure, "dimensions", path)
        self.attrs = reader.components(structure, "attributes", path)
        self.path = path

    def read(self, data_set: object, at: str) -> list[Series]:
        reader = self.reader
        if not isinstance(data_set, dict):
            reader.problems.add(at, f"expected a data set object, got {shown(data_set)}")
            return []
        base_dims = self.dims.get("dataSet", [])
        base_key = ":".join("0" * len(base_dims))
        base = reader.key(base_key, base_dims, f"{self.path}.dimensions.dataSet") or []
        ds_attrs = reader.attributes(
            data_set.get("attributes"), self.attrs.get("dataSet", []), f"{at}.attributes"
        )
        action = data_set.get("action")
        if isinstance(action, str) and action.lower() == "delete":
            ds_attrs[ACTION] = "D"
        series: list[Series] = []
        listed = reader.expect(data_set.get("series", {}), dict, f"{at}.series", "an object")
        for key_text, item in (listed or {}).items():
            item_at = f"{at}.series{path_segment(key_text)}"
            if not isinstance(item, dict):
                reader.problems.add(item_at, f"expected a series object, got {shown(item)}")
                continue
            key = reader.key(key_text, self.dims.get("series", []), item_at)
            found = reader.attributes(
                item.get("attributes"), self.attrs.get("series", []), f"{item_at}.attributes"
            )
            if key is not None:
                whole = (*base, *key)
                series += self.observations(item_at, whole, {**ds_attrs, **found}, item)
        if "observations" in data_set:
            series += self.observations(at, tuple(base), ds_attrs, data_set)
        return series

    def observations(
        self,
        at: str,
        key: tuple[tuple[str, str], ...],
        attributes: dict[str, str],
        holder: dict[str, Any],
    ) -> list[Series]:
        """The series of the observations in *holder* (several, if a key dimension varies)."""
        reader = self.reader
        found: dict[tuple[tuple[str, str], ...], Series] = {}
        listed = reader.expect(
            holder.get("observations", {}), dict, f"{at}.observations", "an object"
        )
        for obs_key, obs in (listed or {}).items():
            obs_at = f"{at}.observations{path_segment(obs_key)}"
            values = reader.key(obs_key, self.dims.get("observation", []), obs_at)
            if not isinstance(obs, list):
                message = f"expected a list (the value, then attributes), got {shown(obs)}"
                reader.problems.add(obs_at, message)
                continue
            value: object = obs[0] if obs else None
            text = None if value is None else _number_text(value)
            if value is not None and text is None:
                message = f"expected a number, text or null, got {shown(value)}"
                reader.problems.add(f"{obs_at}[0]", message)
                continue
            if values is None:
                continue
            period = dict(values).get(TIME_DIMENSION)
            whole = (*key, *((ident, code) for ident, code in values if ident != TIME_DIMENSION))
            obs_attrs = reader.attributes(obs, self.attrs.get("observation", []), obs_at, start=1)
            target = found.get(whole)
            if target is None:
                target = found[whole] = Series(at, whole, attributes)
            target.observations.append(Obs(obs_at, period, text, obs_attrs))
        return list(found.values())


def read_json(data: bytes) -> Message:
    """Read an SDMX-JSON data message.

    Raises:
        ValidationError: If *data* is not an SDMX-JSON data message, with every
            problem at its path.
    """
    try:
        tree = json.loads(data, parse_float=Decimal, parse_constant=_missing_constant)
    except (ValueError, RecursionError) as error:  # JSONDecodeError, bad UTF-8, huge ints
        raise ValidationError.at("$", f"not JSON: {shown(str(error), 120)}") from None
    reader = _Reader()
    tree = reader.expect(tree, dict, "$", "an SDMX-JSON message (an object)")
    reader.problems.raise_if_any()
    header_key = "header" if "header" in tree else "meta"
    header = reader.expect(tree.get(header_key, {}), dict, f"$.{header_key}", "an object") or {}
    structure, structure_path, data_sets, data_sets_path = _parts(tree, reader)
    structure = reader.expect(structure, dict, structure_path, "the message's structure") or {}
    sets = _DataSets(reader, structure, structure_path)
    data_sets = reader.expect(data_sets, list, data_sets_path, "a list of data sets") or []
    reader.problems.raise_if_any()
    series = [
        item
        for number, data_set in enumerate(data_sets)
        for item in sets.read(data_set, f"{data_sets_path}[{number}]")
    ]
    dims = sets.dims
    reader.problems.raise_if_any()
    names = {dim[0]: dim[1] for level in _LEVELS for dim in dims.get(level, []) if dim[1]}
    code_names = {
        dim[0]: {code: name for code, name in dim[2] if name}
        for level in _LEVELS
        for dim in dims.get(level, [])
    }
    sender = header.get("sender")
    sender = sender if isinstance(sender, dict) else {}
    links = (
        [link for link in header.get("links", []) or [] if isinstance(link, dict)]
        if isinstance(header.get("links", []), list)
        else []
    )
    url = next((link.get("href") for link in links if isinstance(link.get("href"), str)), None)
    return Message(
        form="SDMX-JSON",
        series=series,
        message_id=_text(header.get("id")),
        sender=_text(sender.get("id")),
        sender_name=_text(sender.get("name")),
        prepared=_day(header.get("prepared")),
        flow=_text(structure.get("id")) or _flow_from_url(url),
        flow_name=_text(structure.get("name")),
        url=url,
        dimension_names={key: value for key, value in names.items() if value},
        code_names=code_names,
    )


def _day(value: object) -> _dt.date | None:
    """The day a date-time (``2025-01-02T00:00:00``) begins with, by the day rule; else None."""
    if not isinstance(value, str):
        return None
    try:
        return parse_day(value[:10])
    except ValidationError:
        return None  # not a day as the model reads one (2025-W04-3, 20250122): none said


def _flow_from_url(url: str | None) -> str | None:
    """The dataflow of an SDMX REST data query (``.../data/IMF,IMTS,1.0/A.KG...``)."""
    if url is None or "/data/" not in url:
        return None
    flow = url.split("/data/", 1)[1].split("/", 1)[0]
    parts = flow.split(",")
    return parts[1] if len(parts) > 1 else parts[0] or None
