"""Values in the form FollowTheMoney stores them, so that FtM's cleaning keeps each as it is."""

from __future__ import annotations

import datetime as _dt
import ipaddress
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Final
from urllib.parse import urlparse

from kgru_relations.codes import language
from kgru_relations.dates import PartialDate

__all__ = [
    "ADDRESS_LENGTH",
    "FTM_YEARS",
    "IDENTIFIER_LENGTH",
    "NAME_LENGTH",
    "STRING_LENGTH",
    "TEXT_LENGTH",
    "URL_LENGTH",
    "address_step",
    "address_value",
    "date_value",
    "fixed",
    "language_value",
    "name_value",
    "text_value",
    "url_step",
]

# FtM cleans every value it is given (followthemoney.util.sanitize_text, then the
# property type's clean_text). These functions return the value FtM's cleaning
# leaves as it is, or None where FtM would refuse it. They follow followthemoney
# 4.11 with normality 3.1 and rigour 2.6; the tests check them against the
# installed package.

# normality.cleaning: space-like characters become a space; controls, invisible
# formatting characters (the zero-width joiners too) and lone surrogates go.
# Collapsing the spaces in a name (normality's squash_spaces) drops the zero-width
# characters and turns a run of whitespace or space-like characters into one space.
_SPACE_LIKE: Final = (
    *range(0x2000, 0x200B),
    0x2028,
    0x2029,
    0x0A00,
    0x1680,
    0x202F,
    0x205F,
    0x3000,
)
_ZERO_WIDTH: Final = (*range(0x200B, 0x200E), *range(0x2060, 0x2065), 0x00AD, 0xFEFF)
_DELETED: Final = (
    *range(0x00, 0x09),
    *range(0x0B, 0x0D),
    *range(0x0E, 0x20),
    0x7F,
    *range(0x80, 0xA0),
    *_ZERO_WIDTH,
    *range(0x200E, 0x2010),
    0x061C,
    *range(0xD800, 0xE000),
)


def _characters(code_points: Iterable[int]) -> str:
    """The characters at *code_points*, escaped to sit inside a regex's ``[...]``."""
    return "".join(re.escape(chr(code_point)) for code_point in code_points)


_SANITIZE: Final = dict.fromkeys(_SPACE_LIKE, " ") | dict.fromkeys(_DELETED)
_SQUASH_REMOVE: Final = re.compile(f"[{_characters(_ZERO_WIDTH)}]")
_SQUASH: Final = re.compile(rf"[\s{_characters(_SPACE_LIKE)}]+")
_QUOTED: Final = re.compile(r"^[\"'](.*)[\"']$")
_ADDRESS_BREAKS: Final = re.compile(r"(\r\n|\n|<BR/>|<BR>|\t|ESQ\.,|ESQ,|;)")
_ADDRESS_COMMATA: Final = re.compile(r"(,\s?[,\.])")
_HOST_LABEL: Final = re.compile(r"[\w-]{1,63}")
_HOST_ALNUM: Final = re.compile(r"[^\W_]")
_WHITESPACE: Final = re.compile(r"\s")

# The longest value of each FtM property type this export writes.
NAME_LENGTH: Final = 384
STRING_LENGTH: Final = 1024
TEXT_LENGTH: Final = 65000
ADDRESS_LENGTH: Final = 250
IDENTIFIER_LENGTH: Final = 64
URL_LENGTH: Final = 4096
#: The years FtM's date type holds.
FTM_YEARS: Final = range(1000, 3000)

# followthemoney.types.language.LanguageType.LANGUAGES: the only languages FtM keeps.
_FTM_LANGUAGE_LIST: Final = (
    "afr amh ara aze bel ben bos bul cat ces cnr dan deu ell eng est fas fil fin fra gle heb "
    "hin hrv hun hye ind isl ita jpn kan kat kaz khm kir kor lao lav lit ltz mkd mlt mon msa "
    "mul mya nep nld nor pol por pus ron rus sin slk slv spa sqi srp swa swe tam tel tgk tgl "
    "tha tuk tur ukr urd uzb vie zho"
)
_FTM_LANGUAGES: Final = frozenset(_FTM_LANGUAGE_LIST.split())


def _sanitized(text: str) -> str | None:
    cleaned = unicodedata.normalize("NFC", text).translate(_SANITIZE).strip()
    return cleaned or None


def _squashed(text: str) -> str | None:
    return _SQUASH.sub(" ", _SQUASH_REMOVE.sub("", text)).strip(" ") or None


def _name_step(text: str) -> str | None:
    return _squashed(_QUOTED.sub(r"\1", text))


def address_step(text: str) -> str | None:
    return _squashed(_ADDRESS_COMMATA.sub(", ", _ADDRESS_BREAKS.sub(", ", text)))


def _plausible_host(netloc: str, host: str | None) -> bool:
    """Whether rigour's URL cleaning takes this for a host name (or an IP address)."""
    if not host or _WHITESPACE.search(netloc):
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return True
    labels = host.rstrip(".").split(".")
    if not all(_HOST_LABEL.fullmatch(label) and _HOST_ALNUM.search(label) for label in labels):
        return False
    # rigour: no public suffix is one character or all digits ("3.4", "N.A.").
    return len(labels) == 1 or (len(labels[-1]) >= 2 and not labels[-1].isdigit())


def url_step(text: str) -> str | None:
    try:
        parsed = urlparse(text)
        _ = parsed.port  # rigour refuses a port that is not a number from 0 to 65535
    except ValueError:
        return None
    if parsed.scheme.lower() not in {"http", "https"} or not _plausible_host(
        parsed.netloc, parsed.hostname
    ):
        return None
    parsed = parsed._replace(scheme=parsed.scheme.lower(), path=parsed.path.strip() or "/")
    return parsed.geturl()


def fixed(text: str, step: Callable[[str], str | None] | None, longest: int) -> str | None:
    """The value FtM keeps as it is: *text* cleaned until cleaning changes nothing.

    FtM's cleaning is not idempotent (``''a''`` loses one pair of quotes each
    time), so it is applied until the value is a fixed point; ``None`` if FtM
    would refuse the value, or it is longer than *longest*.
    """
    current: str | None = text
    while current is not None:
        cleaned = _sanitized(current)
        if cleaned is not None and step is not None:
            cleaned = step(cleaned)
        if cleaned == current:
            break
        current = cleaned
    return current if current is not None and len(current) <= longest else None


def text_value(text: str | None, longest: int = STRING_LENGTH) -> str | None:
    return None if text is None else fixed(text, None, longest)


def name_value(text: str) -> str | None:
    return fixed(text, _name_step, NAME_LENGTH)


def date_value(value: PartialDate | _dt.date | None) -> str | None:
    if value is None or value.year not in FTM_YEARS:
        return None
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value.reduced_iso()


def language_value(code: str | None) -> str | None:
    if code is None:
        return None
    alpha_3 = language(code).alpha_3
    return alpha_3 if alpha_3 in _FTM_LANGUAGES else None


def address_value(place: str | None) -> str | None:
    return None if place is None else fixed(place, address_step, ADDRESS_LENGTH)
