"""One SDMX data message, whatever its format: the series, their keys, values as text.

Each reader (SDMX-JSON, SDMX-CSV, SDMX-ML through sdmx1) gives a
[`Message`][kgru_relations.interop.sdmx._message.Message]; the conversion to
the model reads only that, so a rule (a period's form, a unit, a status) is
applied once, whatever the format.
"""

from __future__ import annotations

import datetime as _dt
from typing import Final

import attrs

__all__ = [
    "ACTION",
    "ATTRIBUTES_KNOWN",
    "PARTNER_DIMENSIONS",
    "REPORTER_DIMENSIONS",
    "TIME_DIMENSION",
    "Message",
    "Obs",
    "Series",
]

REPORTER_DIMENSIONS: Final = ("REF_AREA", "COUNTRY", "LOCATION", "REPORTER")
"""The dimensions read as the reporter, the first one a message has."""

PARTNER_DIMENSIONS: Final = ("COUNTERPART_AREA", "PARTNER")
"""The dimensions read as the partner, the first one a message has."""

ACTION: Final = "ACTION"
"""The attribute an observation carries for its data set's action, where not
``I``/``A``/``R``: ``D`` (delete) says the observation is to be removed, not a figure."""

TIME_DIMENSION: Final = "TIME_PERIOD"
"""The time dimension of SDMX 2.1 and 3.0."""

ATTRIBUTES_KNOWN: Final = frozenset(
    {
        "UNIT_MULT",
        "UNIT_MEASURE",
        "CURRENCY",
        "UNIT",
        "OBS_STATUS",
        "OBS_CONF",
        "OBS_COMMENT",
        "OBS_PRE_BREAK",
        "DECIMALS",
        "DECIMALS_DISPLAYED",
        "SCALE",
        "TIME_FORMAT",
        "TITLE",
        "TITLE_COMPL",
        "COMMENT",
        "COMMENT_TS",
        "COMPILING_ORG",
        "DATA_COMP",
        "SOURCE_AGENCY",
        "BASE_PER",
        "COLLECTION",
        "CONF_STATUS",
    }
)
"""The SDMX cross-domain (and IMF) attributes: with no structure to say, a column
or XML attribute with one of these ids is read as an attribute, any other as a
dimension (so that two series never become one)."""


@attrs.frozen
class Obs:
    """One observation as the message gives it.

    Attributes:
        path: Where it is in the input (``$.dataSets[0].series['0:1'].observations['3']``).
        period: The time period's text, if any.
        value: The value's text exactly as written; ``None`` if missing (``null``);
            a float where an sdmx1 message built in Python holds one.
        attributes: Its own attributes, by id, as text.
    """

    path: str
    period: str | None
    value: str | float | None
    attributes: dict[str, str] = attrs.field(factory=dict)


@attrs.frozen
class Series:
    """One series: its key (every dimension but time), its attributes, its observations.

    Attributes:
        path: Where it is in the input.
        key: ``(dimension id, code)`` pairs, in the structure's order.
        attributes: The series' attributes (and the data set's), by id.
        observations: Its observations, in the input's order.
    """

    path: str
    key: tuple[tuple[str, str], ...]
    attributes: dict[str, str] = attrs.field(factory=dict)
    observations: list[Obs] = attrs.field(factory=list)


@attrs.frozen
class Message:
    """A data message: who sent it, what it is, and its series.

    Attributes:
        form: The format's name (``SDMX-JSON``), for notes.
        series: The series.
        message_id: The header's id.
        sender: The sender's id (``IMF``).
        sender_name: The sender's name, if given.
        prepared: When the message was prepared.
        agency: The agency of the dataflow or structure.
        flow: The dataflow (or structure) id (``IMTS``).
        flow_name: Its name.
        url: The query's address, where the message gives it.
        dimension_names: A name for each dimension id.
        code_names: A name for each code, by dimension id.
    """

    form: str
    series: list[Series]
    message_id: str | None = None
    sender: str | None = None
    sender_name: str | None = None
    prepared: _dt.date | None = None
    agency: str | None = None
    flow: str | None = None
    flow_name: str | None = None
    url: str | None = None
    dimension_names: dict[str, str] = attrs.field(factory=dict)
    code_names: dict[str, dict[str, str]] = attrs.field(factory=dict)
