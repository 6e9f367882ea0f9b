"""Ask a provider for a data message through sdmx1's client, and import it."""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from kgru_relations.errors import ValidationError, shown
from kgru_relations.interop import require
from kgru_relations.interop.sdmx._import import from_sdmx
from kgru_relations.interop.sdmx._sdmx1 import sdmx1

if TYPE_CHECKING:
    from kgru_relations.interop.importing import ImportResult

__all__ = ["SdmxUnavailable", "fetch_sdmx"]


class SdmxUnavailable(ConnectionError):
    """The SDMX service could not be reached, or kept failing after every retry.

    A `ConnectionError` (an `OSError`), so code that handles a network that is
    down handles this too. The message says what was asked and what went wrong.
    """


def _client(sdmx: Any, agency: str, base_url: str | None) -> Any:
    if base_url is None:
        try:
            return sdmx.Client(agency)
        except ValueError:
            msg = f"{shown(agency)} is not a provider sdmx1 knows; pass its address as base_url="
            raise ValidationError.at("agency", msg) from None
    client = sdmx.Client()
    client.source = sdmx.source.Source(id=agency, url=base_url.rstrip("/"), name=agency)
    return client


def _send(
    client: Any, request: Any, *, retries: int, timeout: float, sleep: Callable[[float], None]
) -> bytes:
    requests = require("requests", extra="sdmx", doing="fetching SDMX")  # sdmx1 needs it too
    url = request.url
    attempt = 0
    while True:
        try:
            response = client.session.send(request, timeout=timeout)
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as error:
            problem = type(error).__name__
        else:
            code = response.status_code
            if code < 400:
                content: bytes = response.content
                return content
            if code != 429 and code < 500:
                msg = f"the SDMX service refused {url}: HTTP {code} {response.reason}"
                raise SdmxUnavailable(msg)
            problem = f"HTTP {code} {response.reason}"
        if attempt >= retries:
            msg = f"could not read {url} after {attempt + 1} tries ({problem}); are you offline?"
            raise SdmxUnavailable(msg)
        sleep(2.0**attempt)
        attempt += 1


def fetch_sdmx(
    agency: str,
    dataflow: str,
    key: str = "",
    *,
    params: Mapping[str, str] | None = None,
    base_url: str | None = None,
    structure: Any = None,
    reporter_dimension: str | None = None,
    partner_dimension: str | None = None,
    unit: str | None = None,
    retries: int = 2,
    timeout: float = 30,
    sleep: Callable[[float], None] = time.sleep,
) -> ImportResult:
    """Ask a provider for the series of *dataflow* matching *key*, and import them.

    sdmx1's client builds the query for the provider (``IMF_DATA``, ``ECB``,
    ``ESTAT``, ``WB_WDI``, ... or any SDMX 2.1 REST service at *base_url*);
    the answer is read by [`from_sdmx`][kgru_relations.interop.sdmx.from_sdmx],
    its source citing the query's address and the day it was fetched. A 429 or
    5xx answer, or a failed connection, is retried up to *retries* times,
    waiting 1, 2, 4... seconds; another 4xx is not.

    Args:
        agency: The provider, as sdmx1 names it (``IMF_DATA``), or any name
            with *base_url*.
        dataflow: The dataflow's id (``IMTS``).
        key: The series key, codes joined by dots (``A.KG.XG_FOB_USD.RU``);
            empty for every series.
        params: More query parameters (``{"startPeriod": "2020"}``).
        base_url: The service's address, instead of the one sdmx1 knows.
        structure: A structure message, as for ``from_sdmx``.
        reporter_dimension: As for ``from_sdmx``.
        partner_dimension: As for ``from_sdmx``.
        unit: As for ``from_sdmx``.
        retries: How many times to retry.
        timeout: Seconds to wait for an answer.
        sleep: Waits between tries (tests pass one that does not wait).

    Raises:
        SdmxUnavailable: If the service cannot be reached or keeps failing:
            one line, ending ``are you offline?`` when nothing answered.
        ValidationError: If the agency is unknown or the answer is not an
            SDMX data message.
        MissingExtra: If sdmx1 is not installed.
    """
    sdmx = sdmx1("fetching SDMX")
    client = _client(sdmx, agency, base_url)
    try:
        request = client.get(
            "data", resource_id=dataflow, key=key, params=dict(params or {}), dry_run=True
        )
    except Exception as error:  # sdmx1 refuses a query in its own ways
        msg = f"sdmx1 cannot ask for this: {shown(str(error), 160)}"
        raise ValidationError.at("$", msg) from None
    content = _send(client, request, retries=retries, timeout=timeout, sleep=sleep)
    return from_sdmx(
        content,
        structure=structure,
        reporter_dimension=reporter_dimension,
        partner_dimension=partner_dimension,
        unit=unit,
        url=request.url,
        retrieved=_dt.datetime.now(_dt.UTC).date(),
    )
