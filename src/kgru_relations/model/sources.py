"""Where facts come from: [`Source`][kgru_relations.Source]."""

from __future__ import annotations

import datetime as _dt
import functools
import re
from typing import Any, ClassVar, Final
from urllib.parse import urlsplit

import attrs

from kgru_relations._checks import rule
from kgru_relations.codes import language_rule
from kgru_relations.dates import PartialDate, parse_day
from kgru_relations.errors import ValidationError, shown
from kgru_relations.model._base import (
    Entity,
    as_optional_day,
    as_optional_partial_date,
    check_paragraphs,
    check_partial_date,
    check_text,
    checked,
    optional,
)

__all__ = ["Source"]


URL_SCHEMES: Final = ("http", "https")
"""The schemes a source's web address may have; read in any case (``HTTPS://`` too)."""


def _url_form() -> str:
    """The form of a web address under the current ``URL_SCHEMES``."""
    return _url_form_of(URL_SCHEMES)


@functools.cache
def _url_form_of(schemes: tuple[str, ...]) -> str:
    """The form of a web address: a scheme of ``URL_SCHEMES``, ``://``, a host, the rest.

    Written in any case letter by letter (``[hH][tT]...``), which Python's and
    ECMAScript's regular expressions read alike; the rule and the schema both
    use it, so neither can follow a change to the schemes alone.
    """
    either = "|".join(
        "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in scheme)
        for scheme in schemes
    )
    return rf"(?:{either})://[^\s/]+\S*"


def _url_schema() -> dict[str, Any]:
    return {"allOf": [check_text.schema(), {"pattern": f"^{_url_form()}$"}]}


@rule(_url_schema)
def check_url(value: object) -> str:
    checked = check_text(value)
    expected = " or ".join(f"{scheme}://" for scheme in URL_SCHEMES)
    problem = f"expected an {expected} URL"
    try:
        parts = urlsplit(checked)
    except ValueError as error:  # "Invalid IPv6 URL", a host that NFKC changes
        problem = f"{error}"
    else:
        if parts.netloc and re.fullmatch(_url_form(), checked):
            return checked
    raise ValidationError.at("$", f"{shown(checked)} is not a web address; {problem}")


@attrs.frozen(kw_only=True)
class Source(Entity):
    """A document that facts are taken from: a news report, an official page, a statistic.

    Every fact-bearing entity cites one or more sources by id.

    Attributes:
        id: ``source:slug``.
        title: The document's title (in its own language, or translated).
        publisher: Who published it (``TASS``, ``President of Russia``).
        url: Where to read it, an http(s) address; ``None`` for print-only works.
        published: When it was published, to whatever precision is known.
        retrieved: The day it was read for this dataset.
        language: The ISO 639 code of the document's language.
        note: What the source is for, or what to keep in mind when reading it.

    Examples:
        >>> Source(id="source:kremlin-2000-07-27", title="Declaration signed",
        ...        publisher="President of Russia", published="2000-07-27").published
        PartialDate.parse('2000-07-27')
    """

    KIND: ClassVar[str] = "source"
    COLLECTION: ClassVar[str] = "sources"

    title: str = attrs.field(metadata=checked(check_text))
    publisher: str | None = attrs.field(default=None, metadata=checked(optional(check_text)))
    url: str | None = attrs.field(default=None, metadata=checked(optional(check_url)))
    published: PartialDate | None = attrs.field(
        converter=as_optional_partial_date,
        default=None,
        metadata=checked(optional(check_partial_date)),
    )
    retrieved: _dt.date | None = attrs.field(
        converter=as_optional_day, default=None, metadata=checked(optional(parse_day))
    )
    language: str | None = attrs.field(default=None, metadata=checked(optional(language_rule)))
    note: str | None = attrs.field(default=None, metadata=checked(optional(check_paragraphs)))

    @property
    def label(self) -> str:
        """The title."""
        return self.title
