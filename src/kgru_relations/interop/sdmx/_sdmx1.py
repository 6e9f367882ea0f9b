"""Read SDMX-ML (and any sdmx1 message) through sdmx1, into a Message.

sdmx1 keeps SDMX-ML values as the text of the XML, so they are read exactly.
Its own exceptions never leave this module: any failure to read becomes one
``ValidationError``.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import io
import logging
import warnings
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from kgru_relations.errors import ValidationError, shown
from kgru_relations.interop import require
from kgru_relations.interop.sdmx._message import (
    ACTION,
    ATTRIBUTES_KNOWN,
    TIME_DIMENSION,
    Message,
    Obs,
    Series,
)

__all__ = ["Structure", "from_message", "quiet", "read_structure", "read_xml", "sdmx1"]


def sdmx1(doing: str) -> Any:
    """The ``sdmx`` module (sdmx1), or a one-line `MissingExtra` naming the extra."""
    return require("sdmx", extra="sdmx", doing=doing)


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """sdmx1's warnings, log lines and prints silenced: what matters reaches the result instead.

    sdmx1's XML reader prints its parsing stacks to standard output when a
    message is malformed: that would mix into a command's JSON output, and
    nothing below the command prints.
    """
    logger = logging.getLogger("sdmx")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _text(value: object) -> str | None:
    """An sdmx1 name (an InternationalString) or value as text: English, else the first."""
    if value is None:
        return None
    localizations = getattr(value, "localizations", None)
    if isinstance(localizations, dict):
        if not localizations:
            return None
        chosen = localizations.get("en", next(iter(localizations.values())))
        return chosen if isinstance(chosen, str) and chosen.strip() else None
    if isinstance(value, str):
        return value
    ident = getattr(value, "id", None)  # a Code
    return ident if isinstance(ident, str) else None


def _value_text(value: object) -> str | None:
    """An attribute's value (text, or a code) as text."""
    inner = getattr(value, "value", value)
    return _text(inner)


class Structure:
    """Names from a structure message, and the data structure for structure-specific data.

    Attributes:
        dsd: The first data structure definition, or ``None``.
        dimensions: The dimension ids of every data structure.
        flow_names: A name per dataflow (and structure) id.
        dimension_names: A name per dimension id.
        code_names: A name per code, per dimension id.
    """

    def __init__(self, message: Any) -> None:
        self.dsd: Any = None
        self.dimensions: set[str] = set()
        self.flow_names: dict[str, str] = {}
        self.dimension_names: dict[str, str] = {}
        self.code_names: dict[str, dict[str, str]] = {}
        for flow in _values(getattr(message, "dataflow", None)):
            name = _text(getattr(flow, "name", None))
            if name:
                self.flow_names[flow.id] = name
        for dsd in _values(getattr(message, "structure", None)):
            self.dsd = self.dsd if self.dsd is not None else dsd
            name = _text(getattr(dsd, "name", None))
            if name:
                self.flow_names.setdefault(dsd.id, name)
            for dim in dsd.dimensions:
                self.dimensions.add(dim.id)
                concept = getattr(dim, "concept_identity", None)
                name = _text(getattr(concept, "name", None))
                if name:
                    self.dimension_names[dim.id] = name
                representation = getattr(dim, "local_representation", None)
                codelist = getattr(representation, "enumerated", None)
                if codelist is not None:
                    names = self.code_names.setdefault(dim.id, {})
                    for code in codelist:
                        code_name = _text(getattr(code, "name", None))
                        if code_name:
                            names[code.id] = code_name


def _values(mapping: object) -> Iterator[Any]:
    if mapping is None:
        return iter(())
    values = getattr(mapping, "values", None)
    return iter(values()) if callable(values) else iter(())


def read_structure(data: bytes | Any) -> Structure:
    """Read a structure message (SDMX-ML bytes, or an sdmx1 message).

    Raises:
        ValidationError: If it cannot be read as one.
    """
    sdmx = sdmx1("reading an SDMX structure message")
    message = data
    if isinstance(data, bytes):
        try:
            with quiet():
                message = sdmx.read_sdmx(io.BytesIO(data))
        except Exception as error:  # sdmx1 raises anything; ours is one type
            raise _unreadable("structure", error) from None
    if not isinstance(message, sdmx.message.StructureMessage):
        msg = f"expected an SDMX structure message, got {shown(type(message).__name__)}"
        raise ValidationError.at("$", msg)
    return Structure(message)


def _unreadable(what: str, error: BaseException) -> ValidationError:
    detail = shown(f"{type(error).__name__}: {error}", 160)
    return ValidationError.at("$", f"not an SDMX {what} message that can be read ({detail})")


def read_xml(data: bytes, structure: Structure | None) -> Message:
    """Read an SDMX-ML data message (generic or structure-specific)."""
    sdmx = sdmx1("reading SDMX-ML")
    if b"<!DOCTYPE" in data:
        msg = (
            "an SDMX-ML message has no document type declaration; one is refused, as its "
            "entities could read local files or grow without bound"
        )
        raise ValidationError.at("$", msg)
    kwargs = {} if structure is None or structure.dsd is None else {"structure": structure.dsd}
    try:
        with quiet():
            message = sdmx.read_sdmx(io.BytesIO(data), format="XML", **kwargs)
    except Exception as error:  # sdmx1 raises anything; ours is one type
        raise _unreadable("data", error) from None
    return from_message(message, structure, form="SDMX-ML", given=structure is not None)


def from_message(
    message: Any, structure: Structure | None, *, form: str = "sdmx1", given: bool = True
) -> Message:
    """A Message from an sdmx1 data message.

    Args:
        message: An ``sdmx.message.DataMessage``.
        structure: Names, if a structure message was given.
        form: The input's format, for notes.
        given: Whether the message's own data structure can be trusted to
            tell dimensions from attributes (sdmx1 reads structure-specific
            data with no structure by taking every XML attribute as a dimension).
    """
    sdmx = sdmx1("reading an sdmx1 message")
    if not isinstance(message, sdmx.message.DataMessage):
        msg = f"expected an SDMX data message, got {shown(type(message).__name__)}"
        raise ValidationError.at("$", msg)
    try:
        return _converted(sdmx, message, structure, form=form, given=given)
    except ValidationError:
        raise
    except Exception as error:  # an odd sdmx1 object: one error, ours
        raise _unreadable("data", error) from None


def _converted(
    sdmx: Any, message: Any, structure: Structure | None, *, form: str, given: bool
) -> Message:
    series: list[Series] = []
    flow = None
    agency = None
    for number, data_set in enumerate(message.data):
        at = f"$.DataSet[{number}]"
        dsd = getattr(data_set, "structured_by", None)
        if dsd is not None:
            flow = flow or dsd.id
            agency = agency or _text(getattr(getattr(dsd, "maintainer", None), "id", None))
        structure_specific = isinstance(data_set, sdmx.model.v21.StructureSpecificDataSet)
        loose = structure_specific and not given
        ds_attrs = _attributes(getattr(data_set, "attrib", {}) or {})
        action = getattr(data_set, "action", None)
        if getattr(action, "name", None) == "delete":
            ds_attrs[ACTION] = "D"
        for index, (key, observations) in enumerate(data_set.series.items()):
            series_at = f"{at}.Series[{index}]"
            key_values, key_attrs = _key(key, loose=loose)
            attributes = {**ds_attrs, **_attributes(getattr(key, "attrib", {}) or {}), **key_attrs}
            made = Series(series_at, key_values, attributes)
            made.observations.extend(
                _obs(obs, f"{series_at}.Obs[{n}]", loose=loose)
                for n, obs in enumerate(observations)
            )
            series.append(made)
        in_series = {id(obs) for observations in data_set.series.values() for obs in observations}
        flat: dict[tuple[tuple[str, str], ...], Series] = {}
        for n, obs in enumerate(data_set.obs):
            if id(obs) in in_series:
                continue
            obs_at = f"{at}.Obs[{n}]"
            key_values, key_attrs = _key(obs.dimension, loose=loose)
            target = flat.get(key_values)
            if target is None:
                target = flat[key_values] = Series(obs_at, key_values, dict(ds_attrs))
            made_obs = _obs(obs, obs_at, loose=loose)
            made_obs.attributes.update(key_attrs)
            target.observations.append(made_obs)
        series.extend(flat.values())
    header = message.header
    dataflow = getattr(message, "dataflow", None)
    flow_id = getattr(dataflow, "id", None) if dataflow is not None else None
    if isinstance(flow_id, str) and flow_id:
        flow = flow_id
    prepared = getattr(header, "prepared", None)
    sender = getattr(header, "sender", None)
    names = structure or Structure(None)
    return Message(
        form=form,
        series=series,
        message_id=_text(getattr(header, "id", None)),
        sender=_text(getattr(sender, "id", None)),
        sender_name=_text(getattr(sender, "name", None)),
        prepared=prepared.date() if isinstance(prepared, _dt.datetime) else None,
        agency=agency,
        flow=flow,
        flow_name=names.flow_names.get(flow or "") or _text(getattr(dataflow, "name", None)),
        dimension_names=names.dimension_names,
        code_names=names.code_names,
    )


def _attributes(attrib: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for ident, value in attrib.items():
        text = _value_text(value)
        if text is not None:
            found[str(ident)] = text
    return found


def _key(key: Any, *, loose: bool) -> tuple[tuple[tuple[str, str], ...], dict[str, str]]:
    """A key's (dimension, code) pairs, time left out; with *loose*, known attributes apart."""
    pairs: list[tuple[str, str]] = []
    moved: dict[str, str] = {}
    if key is None:
        return (), moved
    for ident, key_value in key.values.items():
        text = _value_text(key_value)
        if text is None or ident == TIME_DIMENSION:
            continue
        if loose and ident in ATTRIBUTES_KNOWN:
            moved[str(ident)] = text
        else:
            pairs.append((str(ident), text))
    return tuple(pairs), moved


def _obs(obs: Any, path: str, *, loose: bool) -> Obs:
    period = None
    dimension = getattr(obs, "dimension", None)
    if dimension is not None:
        time = dimension.values.get(TIME_DIMENSION)
        if time is None and len(dimension.values) == 1:
            time = next(iter(dimension.values.values()))
        period = _value_text(time) if time is not None else None
    value = obs.value
    text: str | float | None
    if value is None or isinstance(value, (str, float)):
        text = value  # a float is refused when converted, saying why
    elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        text = str(value)
    else:
        text = f"<{type(value).__name__}>"
    attributes: dict[str, str] = {}
    for group in getattr(obs, "group_keys", ()) or ():  # a group's attributes, then its own
        attributes.update(_attributes(getattr(group, "attrib", {}) or {}))
    attributes.update(_attributes(getattr(obs, "attached_attribute", {}) or {}))
    return Obs(path, period, text, attributes)
