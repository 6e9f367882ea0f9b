"""Take economic figures from SDMX, the format statisticians publish them in.

The IMF (Direction of Trade, IMTS, the World Economic Outlook), the World
Bank, the OECD, Eurostat and the ECB serve their series as SDMX (ISO 17369).
[`from_sdmx`][kgru_relations.interop.sdmx.from_sdmx] reads a data message,
SDMX-ML 2.1 (generic or structure-specific), SDMX-JSON or SDMX-CSV, into
indicators, observations and a [`Source`][kgru_relations.Source] for the
message, as one [`ImportResult`][kgru_relations.interop.importing.ImportResult];
[`fetch_sdmx`][kgru_relations.interop.sdmx.fetch_sdmx] asks a provider for one.

What is imported:

- each series is the observations of one
  [`Indicator`][kgru_relations.Indicator], whose id and name hold every key
  dimension but the reporter, the partner and time (``indicator:imf-imts-a.xg_fob_usd``),
  so two series never become one indicator;
- the reporter is the first of ``REF_AREA``, ``COUNTRY``, ``LOCATION``,
  ``REPORTER`` in the key, the partner the first of ``COUNTERPART_AREA``,
  ``PARTNER`` (or the dimensions named), read as ISO 3166-1 alpha-2, alpha-3
  or M49 numeric codes; an aggregate (the world, a region, a group) is not a
  state, and its series are left out and listed;
- periods ``2024``, ``2024-Q1``, ``2024-01``, ``2024-M01`` and days are
  [`PartialDate`][kgru_relations.PartialDate]s at their precision;
- values are read from the message's own text, never through a float, and
  ``UNIT_MULT`` is applied exactly; a missing value is left out, never zero;
- the unit is ``UNIT_MEASURE``, ``CURRENCY`` or ``UNIT``; ``OBS_STATUS`` gives
  the kind and confidence (see [`STATUSES`][kgru_relations.interop.sdmx.STATUSES]).

SDMX-ML is read through sdmx1 (the ``sdmx`` extra: ``pip install
'kgru-relations[sdmx]'``); SDMX-JSON and SDMX-CSV need nothing more, so that
each value is read from its own text. Input that is not an SDMX data message
raises one [`ValidationError`][kgru_relations.ValidationError]; nothing else
escapes.
"""

from __future__ import annotations

from kgru_relations.interop.sdmx._convert import STATUSES, UNIT_ATTRIBUTES, Status, period_of
from kgru_relations.interop.sdmx._fetch import SdmxUnavailable, fetch_sdmx
from kgru_relations.interop.sdmx._import import SdmxSource, from_sdmx, from_sdmx_files
from kgru_relations.interop.sdmx._message import PARTNER_DIMENSIONS, REPORTER_DIMENSIONS

__all__ = [
    "PARTNER_DIMENSIONS",
    "REPORTER_DIMENSIONS",
    "STATUSES",
    "UNIT_ATTRIBUTES",
    "SdmxSource",
    "SdmxUnavailable",
    "Status",
    "fetch_sdmx",
    "from_sdmx",
    "from_sdmx_files",
    "period_of",
]
