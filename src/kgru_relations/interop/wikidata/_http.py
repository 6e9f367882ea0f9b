"""Fetching entity JSON from the Wikidata API, with the standard library only."""

from __future__ import annotations

import errno
import http.client
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final

from kgru_relations.errors import shown
from kgru_relations.interop.importing import described
from kgru_relations.interop.wikidata._values import wikidata_our_id

__all__ = ["ENDPOINT", "USER_AGENT", "WikidataUnavailable", "fetch_entities"]

ENDPOINT: Final = "https://www.wikidata.org/w/api.php"
"""The Wikidata API that [`fetch_entities`][kgru_relations.interop.wikidata.fetch_entities] asks."""

USER_AGENT: Final = (
    "kgru-relations (https://github.com/kgru-relations; Wikidata importer) Python-urllib"
)
"""The User-Agent sent with every request, as the Wikimedia User-Agent policy asks."""


class WikidataUnavailable(ConnectionError):
    """Wikidata could not be reached, or kept failing after every retry.

    A `ConnectionError` (an `OSError`), so code that handles a network that is
    down handles this too. The message says what was asked and what went wrong.
    """


#: Where no answer can come from however often one asks: a refused connection (nothing
#: listens there), a name that does not resolve, a network or host out of reach.
_UNREACHABLE: Final = (errno.ECONNREFUSED, errno.ENETUNREACH, errno.EHOSTUNREACH)


def _unreachable(reason: object) -> bool:
    """Whether a failed connection is not worth trying again."""
    if isinstance(reason, socket.gaierror):
        return True
    return isinstance(reason, OSError) and reason.errno in _UNREACHABLE


def _said(detail: object) -> str:
    """What an API error answer says: its code and its text, where it gives them."""
    if isinstance(detail, dict):
        said = [detail[key] for key in ("code", "info") if isinstance(detail.get(key), str)]
        if said:
            return ": ".join(shown(text) for text in said)
    return described(detail)


def _answer(url: str, body: bytes) -> dict[str, Any]:
    """The JSON object an answer holds, or WikidataUnavailable saying what it held instead."""
    try:
        answer = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, nested past reading
        msg = f"Wikidata answered {url} with something that is not JSON"
        raise WikidataUnavailable(msg) from None
    if not isinstance(answer, dict) or "error" in answer:
        detail = answer.get("error") if isinstance(answer, dict) else answer
        msg = f"Wikidata answered {url} with an error: {_said(detail)}"
        raise WikidataUnavailable(msg)
    return answer


def _retry_after(error: urllib.error.HTTPError, fallback: float) -> float:
    value = error.headers.get("Retry-After") if error.headers else None
    if value is not None and value.strip().isdigit():
        return float(value.strip())
    return fallback


def _get(
    url: str, *, user_agent: str, retries: int, timeout: float, sleep: Callable[[float], None]
) -> dict[str, Any]:
    request = urllib.request.Request(
        url, headers={"User-Agent": user_agent, "Accept": "application/json"}
    )
    attempt = 0
    while True:
        wait = 2.0**attempt
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as error:
            if error.code != 429 and error.code < 500:
                msg = f"Wikidata refused {url}: HTTP {error.code} {error.reason}"
                raise WikidataUnavailable(msg) from None
            problem = f"HTTP {error.code} {error.reason}"
            wait = _retry_after(error, wait)
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            reason = getattr(error, "reason", error)
            problem = str(reason) or type(reason).__name__
            if _unreachable(reason):  # asking again would only make the user wait
                msg = f"could not read {url} ({problem}); are you offline?"
                raise WikidataUnavailable(msg) from None
        else:
            return _answer(url, body)
        if attempt >= retries:
            msg = f"could not read {url} after {attempt + 1} tries ({problem}); are you offline?"
            raise WikidataUnavailable(msg)
        sleep(wait)
        attempt += 1


def fetch_entities(
    ids: Iterable[str],
    *,
    endpoint: str = ENDPOINT,
    batch: int = 50,
    user_agent: str = USER_AGENT,
    retries: int = 3,
    timeout: float = 30,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[dict[str, Any]]:
    """Read items from the Wikidata API, *batch* at a time, and yield each entity.

    Asks ``action=wbgetentities&ids=Q1|Q2&format=json`` with a descriptive
    User-Agent; retries a 429 or 5xx answer, a timeout or a connection that
    broke, up to *retries* times, waiting 1, 2, 4... seconds (or what
    ``Retry-After`` says). Never retries another 4xx, nor a connection that
    cannot be made (refused, a name that does not resolve, a network out of
    reach: offline, it fails at once).

    Args:
        ids: Wikidata item ids (``Q813``); each is asked once.
        endpoint: The API address.
        batch: Ids per request, 1 to 50 (the API's limit for most clients).
        user_agent: The User-Agent header.
        retries: How many times to retry one request.
        timeout: Seconds to wait for one answer.
        sleep: Waits between tries (tests pass one that does not wait).

    Yields:
        Each entity document, in the order the API gives them; a missing
        item is yielded as the API gives it (``{"id": ..., "missing": ""}``).

    Raises:
        ValueError: If an id is not a Wikidata item id, *batch* is out of
            range, or *endpoint* is not a web address.
        WikidataUnavailable: If Wikidata cannot be reached or keeps failing.
    """
    if not 1 <= batch <= 50:
        msg = f"batch must be 1 to 50 ids, got {batch}"
        raise ValueError(msg)
    wanted = list(dict.fromkeys(ids))
    for qid in wanted:
        wikidata_our_id("item", qid)  # raises for anything but Q and digits
    for first in range(0, len(wanted), batch):
        query = urllib.parse.urlencode(
            {
                "action": "wbgetentities",
                "ids": "|".join(wanted[first : first + batch]),
                "format": "json",
            }
        )
        answer = _get(
            f"{endpoint}?{query}",
            user_agent=user_agent,
            retries=retries,
            timeout=timeout,
            sleep=sleep,
        )
        entities = answer.get("entities", {})
        if isinstance(entities, dict):
            yield from (entity for entity in entities.values() if isinstance(entity, dict))
