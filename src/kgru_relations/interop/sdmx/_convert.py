"""A Message's series as indicators, observations and the message's source.

The rules of the import live here, once for every format: which dimensions are
the reporter and the partner, what a period, a value, a unit, a multiplier and
a status become, and what is left out (each said in the result, at its path).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Final

import attrs

from kgru_relations.codes import country_code, currency_code
from kgru_relations.dates import PartialDate
from kgru_relations.errors import ValidationError, path_segment, shown
from kgru_relations.interop.importing import ImportLog, ImportResult, digest, make_id, slug
from kgru_relations.interop.sdmx._message import (
    ACTION,
    PARTNER_DIMENSIONS,
    REPORTER_DIMENSIONS,
    Message,
    Obs,
    Series,
)
from kgru_relations.model import Confidence, Indicator, Observation, ObservationKind, Source
from kgru_relations.model.economy import unit as unit_rule
from kgru_relations.money import decimal_rule
from kgru_relations.names import Name

__all__ = ["STATUSES", "UNIT_ATTRIBUTES", "Status", "convert", "period_of"]

UNIT_ATTRIBUTES: Final = ("UNIT_MEASURE", "CURRENCY", "UNIT")
"""Where the unit is read from, in this order (an attribute, or a dimension)."""

_MULTIPLIER: Final = "UNIT_MULT"
_STATUS: Final = "OBS_STATUS"
_DISPLAY_ONLY: Final = ("SCALE", "DECIMALS_DISPLAYED", "DECIMALS")
_READ: Final = frozenset({*UNIT_ATTRIBUTES, _MULTIPLIER, _STATUS, ACTION})
_MISSING_TEXT: Final = frozenset({"", "nan", "null", "na"})
_MULT_TEXT: Final = re.compile(r"-?[0-9]{1,2}\Z")
_PERCENT: Final = frozenset({"PC", "PCT", "PT", "PERCENT"})
_WORD_BREAK: Final = re.compile(r"[^a-z]+")


@attrs.frozen
class Status:
    """What an ``OBS_STATUS`` code says, as far as the model can say it.

    Attributes:
        name: Its name in the SDMX code list ``CL_OBS_STATUS``.
        kind: The observation's kind.
        confidence: The observation's confidence.
        missing: Whether the code marks a missing value (the value is left out).
        exact: Whether the kind and confidence say all the code says; if not,
            the code and its name go into the observation's note and the
            result's notes.
    """

    name: str
    kind: ObservationKind = ObservationKind.ACTUAL
    confidence: Confidence = Confidence.VERIFIED
    missing: bool = False
    exact: bool = False


STATUSES: Final = {
    "A": Status("normal value", exact=True),
    "E": Status("estimated value", kind=ObservationKind.ESTIMATE, exact=True),
    "F": Status("forecast value", kind=ObservationKind.FORECAST, exact=True),
    "I": Status("imputed value", kind=ObservationKind.ESTIMATE),
    "P": Status("provisional value", confidence=Confidence.LIKELY),
    "G": Status("experimental value", confidence=Confidence.LIKELY),
    "U": Status("low reliability", confidence=Confidence.UNVERIFIED),
    "V": Status("unvalidated value", confidence=Confidence.UNVERIFIED),
    "B": Status("time series break"),
    "D": Status("definition differs"),
    "K": Status("data included in another category"),
    "W": Status("includes data from another category"),
    "N": Status("not significant"),
    "S": Status("strike and other special events"),
    "H": Status("missing value; holiday or weekend", missing=True),
    "L": Status("missing value; data exist but were not collected", missing=True),
    "M": Status("missing value; data cannot exist", missing=True),
    "O": Status("missing value", missing=True),
    "Q": Status("missing value; suppressed", missing=True),
}
"""The SDMX code list ``CL_OBS_STATUS``, read into the model's kinds and confidences."""

_PERIOD_FORMS: Final = (
    (re.compile(r"([0-9]{4})\Z"), "{0}"),
    (re.compile(r"([0-9]{4})-A1\Z"), "{0}"),
    (re.compile(r"([0-9]{4})-(Q[1-4])\Z"), "{0}-{1}"),
    (re.compile(r"([0-9]{4})-M([0-9]{2})\Z"), "{0}-{1}"),
    (re.compile(r"([0-9]{4})-([0-9]{2})\Z"), "{0}-{1}"),
    (re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z"), "{0}-{1}-{2}"),
)
_UNHELD: Final = (
    (re.compile(r"[0-9]{4}-S[12]\Z"), "a semester"),
    (re.compile(r"[0-9]{4}-W[0-9]{2}\Z"), "a week"),
    (re.compile(r"[0-9]{4}-T[1-3]\Z"), "a trimester"),
    (re.compile(r"[0-9]{4}-D[0-9]{3}\Z"), "a reporting day"),
    (re.compile(r".*/.*"), "a range of time"),
    (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T"), "a date and time"),
)


def period_of(text: str) -> PartialDate:
    """The partial date an SDMX time period is, at its precision.

    ``2024``, ``2024-A1`` (a year), ``2024-Q1``, ``2024-01``, ``2024-M01``
    and ``2024-01-31``.

    Raises:
        ValidationError: For any other form (a semester, a week, a range),
            saying which.

    Examples:
        >>> str(period_of("2024-M03")), str(period_of("2024-Q1"))
        ('2024-03', '2024-Q1')
    """
    for pattern, form in _PERIOD_FORMS:
        match = pattern.match(text)
        if match:
            return PartialDate.parse(form.format(*match.groups()))
    for pattern, what in _UNHELD:
        if pattern.match(text):
            msg = (
                f"{shown(text)} is {what}; the model's periods are years, quarters, months and days"
            )
            raise ValidationError.at("$", msg)
    msg = (
        f"{shown(text)} is not an SDMX time period the model holds "
        f"(2024, 2024-Q1, 2024-01, 2024-M01, 2024-01-31)"
    )
    raise ValidationError.at("$", msg)


def _state(code: str) -> str:
    """An alpha-2, alpha-3 or M49 numeric code as alpha-2 (M49 ``4`` is ``004``)."""
    return country_code(code.zfill(3) if code.isdigit() and len(code) < 3 else code)


def _currency(code: str) -> str | None:
    """*code* as an ISO 4217 code, if it is one."""
    try:
        return currency_code(code)
    except ValidationError:
        return None


def _scaled(value: Decimal, power: int) -> Decimal:
    """``value × 10**power``, exactly (no context rounding)."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    return Decimal((sign, digits, exponent + power))


@attrs.define
class _Run:
    """One conversion: the message, the options, what has been made."""

    message: Message
    log: ImportLog
    source: Source
    reporter: str | None
    partner: str | None
    default_unit: str | None
    indicators: dict[str, tuple[tuple[str, str], ...]] = attrs.field(factory=dict)
    negative: set[str] = attrs.field(factory=set)
    observation_ids: set[str] = attrs.field(factory=set)
    figures_seen: set[tuple[tuple[tuple[str, str], ...], str]] = attrs.field(factory=set)
    attributes_seen: set[str] = attrs.field(factory=set)

    @property
    def owner(self) -> str | None:
        """Whose dataflow: its agency, else the message's sender."""
        return self.message.agency or self.message.sender

    @property
    def prefix(self) -> str:
        """The start of every id: the owner and the dataflow (``imf-imts``)."""
        return "-".join(part for part in (self.owner, self.message.flow) if part) or "sdmx"

    def side(self, series: Series, dim: str | None, role: str) -> tuple[bool, str | None]:
        """Whether the series can be imported for this side, and its country code."""
        if dim is None:
            return True, None
        code = dict(series.key).get(dim)
        if code is None:
            return True, None
        try:
            return True, _state(code)
        except ValidationError:
            label = shown(code) + (
                f" ({self.message.code_names[dim][code]})"
                if code in self.message.code_names.get(dim, {})
                else ""
            )
            count = len(series.observations)
            self.log.skip(
                f"{series.path}.{dim}",
                f"the {role} {label} is not a state (an aggregate such as the world, a region "
                f"or a group, or a code ISO 3166-1 does not have): its {count} observation(s) "
                f"are left out",
            )
            return False, None

    def indicator_id(self, key: tuple[tuple[str, str], ...]) -> str:
        codes = ".".join(code for _, code in key)
        ident = make_id("indicator", f"{self.prefix}-{codes}" if codes else self.prefix)
        if self.indicators.get(ident, key) != key:
            ident = f"{ident}-{digest(repr(key), 8)}"
        self.indicators[ident] = key
        return ident

    def unit(self, attributes: dict[str, str], path: str) -> str | None:
        """The unit: the first ISO 4217 code given, else a word; ``None`` if none (said)."""
        given = [(ident, attributes[ident]) for ident in UNIT_ATTRIBUTES if attributes.get(ident)]
        read = [(ident, code, _currency(code)) for ident, code in given]
        currencies = [(ident, currency) for ident, _, currency in read if currency is not None]
        if currencies:
            first, found = currencies[0]
            for ident, code, currency in read:
                if currency is None:
                    message = (
                        f"the unit {shown(code)} is read as {found}, the currency its {first} says"
                    )
                elif currency != found:
                    message = (
                        f"the message gives two currencies ({found} and {currency}); "
                        f"the unit is {found}, its {first}"
                    )
                else:
                    continue
                self.log.note(f"{path}.{ident}", message)
            return found
        for ident, code in given:
            if code.upper() in _PERCENT:
                return "percent"
            word = _WORD_BREAK.sub("_", code.lower()).strip("_")
            try:
                found = unit_rule(word)
            except ValidationError:
                continue
            self.log.note(
                f"{path}.{ident}",
                f"the unit {shown(code)} is not an ISO 4217 currency code, and no other unit "
                f"attribute names one; kept as the word {found!r}",
            )
            return found
        if self.default_unit is not None:
            if given:
                self.log.note(
                    path,
                    f"the unit {shown(given[0][1])} is not one the model holds; "
                    f"{self.default_unit!r}, the unit given to the import, is used",
                )
            return self.default_unit
        what = (
            f"the unit {shown(given[0][1])} is not one the model holds"
            if given
            else ("the message gives no unit (UNIT_MEASURE, CURRENCY or UNIT)")
        )
        self.log.skip(path, f"{what}; pass unit= to the import to say it")
        return None

    def multiplier(self, attributes: dict[str, str], path: str) -> int | None:
        text = attributes.get(_MULTIPLIER)
        if text is None:
            return 0
        if _MULT_TEXT.match(text.strip()):
            return int(text)
        self.log.skip(
            f"{path}.{_MULTIPLIER}", f"UNIT_MULT {shown(text)} is not a power of ten from -99 to 99"
        )
        return None

    def listed_attributes(self, attributes: dict[str, str], path: str) -> None:
        for ident in attributes:
            if ident in _READ or ident in self.attributes_seen:
                continue
            self.attributes_seen.add(ident)
            if ident in _DISPLAY_ONLY:
                self.log.note(
                    f"{path}.{ident}",
                    f"{ident!r} says how to display the values, not a multiplier; "
                    f"the values are as given",
                )
            else:
                self.log.skip(
                    f"{path}.{ident}",
                    f"the attribute {ident!r} is not imported: the model has no place for it",
                )

    def series(self, series: Series) -> Iterator[Observation]:
        ok_reporter, reporter = self.side(series, self.reporter, "reporter")
        ok_partner, partner = self.side(series, self.partner, "partner")
        if not (ok_reporter and ok_partner):
            return
        if reporter is None:
            where = ", ".join(REPORTER_DIMENSIONS)
            self.log.skip(
                series.path,
                f"no reporter: the key has none of {where}; "
                f"name the dimension with reporter_dimension=",
            )
            return
        if partner is not None and partner == reporter:
            self.log.skip(
                series.path,
                f"the partner is the reporter ({reporter}): "
                f"its {len(series.observations)} observation(s) are left out",
            )
            return
        key = tuple(
            (dim, code) for dim, code in series.key if dim not in (self.reporter, self.partner)
        )
        indicator = self.indicator_id(key)
        self.listed_attributes(series.attributes, series.path)
        for obs in series.observations:
            made = self.observation(series, obs, indicator, reporter, partner)
            if made is not None:
                yield made

    def figure(self, obs: Obs, attributes: dict[str, str]) -> tuple[PartialDate, Decimal] | None:
        """The period and the value (multiplied out) of *obs*, or ``None`` if left out."""
        status_code = attributes.get(_STATUS)
        status = STATUSES.get(status_code or "A")
        given_value = obs.value.strip() if isinstance(obs.value, str) else obs.value
        if (
            given_value is None
            or (isinstance(given_value, str) and given_value.lower() in _MISSING_TEXT)
            or (isinstance(given_value, float) and math.isnan(given_value))
        ):
            given = "null" if obs.value is None else shown(obs.value)
            self.log.skip(obs.path, f"a missing value ({given}) is left out, never read as zero")
            return None
        if status is not None and status.missing:
            message = f"OBS_STATUS {status_code!r} ({status.name}): the value is left out"
            self.log.skip(obs.path, message)
            return None
        if obs.period is None:
            self.log.skip(obs.path, "no time period: an observation needs one")
            return None
        try:
            period = period_of(obs.period.strip())
            value = decimal_rule(given_value)
        except ValidationError as error:
            self.log.skip(obs.path, f"not imported: {error.issues[0].message}")
            return None
        power = self.multiplier(attributes, obs.path)
        if power is None:
            return None
        return period, _scaled(value, power) if power else value

    def status(self, code: str | None, path: str) -> tuple[ObservationKind, Confidence, str | None]:
        """The kind, confidence and note an ``OBS_STATUS`` code gives."""
        status = STATUSES.get(code or "A")
        if status is None:
            self.log.note(
                f"{path}.{_STATUS}",
                f"OBS_STATUS {shown(code)} is not in CL_OBS_STATUS; it is kept in the note",
            )
            return ObservationKind.ACTUAL, Confidence.VERIFIED, f"SDMX OBS_STATUS {code}"
        if status.exact:
            return status.kind, status.confidence, None
        self.log.note(
            f"{path}.{_STATUS}",
            f"OBS_STATUS {code!r} ({status.name}) is kept in the note; the model's kind "
            f"and confidence say only part of it",
        )
        return status.kind, status.confidence, f"SDMX OBS_STATUS {code}: {status.name}"

    def observation_id(self, series: Series, obs: Obs, period: PartialDate) -> str | None:
        """Its id; ``None`` (said) if the series already has a figure for this period."""
        whole = (series.key, str(period))
        if whole in self.figures_seen:
            self.log.skip(obs.path, f"repeats the observation of {period} of this series")
            return None
        self.figures_seen.add(whole)
        codes = ".".join(code for _, code in series.key)
        ident = make_id("observation", f"{self.prefix}-{codes}-{period}")
        if ident in self.observation_ids:  # another key with the same slug (A.B, a-b)
            ident = f"{ident}-{digest(repr(whole), 8)}"
        return ident

    def observation(
        self, series: Series, obs: Obs, indicator: str, reporter: str, partner: str | None
    ) -> Observation | None:
        attributes = {**series.attributes, **obs.attributes}
        self.listed_attributes(obs.attributes, obs.path)
        if attributes.get(ACTION) == "D":
            self.log.skip(obs.path, "the message deletes this observation: it is no figure")
            return None
        figure = self.figure(obs, attributes)
        own_unit = any(ident in obs.attributes for ident in UNIT_ATTRIBUTES)
        where = obs.path if own_unit else series.path  # a series' unit is noted once
        unit = self.unit(attributes, where) if figure is not None else None
        if figure is None or unit is None:
            return None
        period, value = figure
        kind, confidence, note = self.status(attributes.get(_STATUS), obs.path)
        ident = self.observation_id(series, obs, period)
        if ident is None:
            return None
        try:
            made = Observation(
                id=ident,
                indicator=indicator,
                reporter=reporter,
                partner=partner,
                period=period,
                value=value,
                unit=unit,
                kind=kind,
                confidence=confidence,
                note=note,
                sources=[self.source.id],
            )
        except ValidationError as error:
            self.log.skip(obs.path, f"not imported: {error.issues[0]}")
            return None
        self.observation_ids.add(ident)
        if made.value < 0:
            self.negative.add(indicator)
        return made

    def indicator(self, ident: str) -> Indicator:
        key = self.indicators[ident]
        flow = (
            self.message.flow_name
            or " ".join(part for part in (self.owner, self.message.flow) if part)
            or "SDMX"
        )
        parts = []
        for dim, code in key:
            name = self.message.code_names.get(dim, {}).get(code)
            parts.append(name if name else f"{dim} {code}")
        text = f"{flow}: {', '.join(parts)}" if parts else flow
        described = ", ".join(f"{dim}={code}" for dim, code in key)
        flow_id = (
            ":".join(part for part in (self.owner, self.message.flow) if part) or "an SDMX dataflow"
        )
        if ident in self.negative:
            self.log.note(
                f"$.indicators{path_segment(ident)}",
                "some values are negative: the indicator allows them",
            )
        return Indicator(
            id=ident,
            names=[Name(_clean(text) or ident)],
            description=_clean(
                f"The series of {flow_id} with the key {described}."
                if described
                else f"The series of {flow_id}."
            ),
            allows_negative=ident in self.negative,
        )


def _clean(text: str) -> str | None:
    cleaned = " ".join(text.split())
    try:
        Name(cleaned)
    except ValidationError:
        return None
    return cleaned


def _source(
    message: Message, *, fingerprint: str, url: str | None, retrieved: _dt.date | None
) -> Source:
    who = message.sender or message.agency
    flow = message.flow_name or message.flow or "data"
    ident = slug("-".join(part for part in ("sdmx", who, message.flow) if part))
    number = f" {message.message_id}" if message.message_id else ""
    title = _clean(f"{flow} ({message.form} message{number})") or "SDMX data message"
    source_url = url or message.url
    try:
        return Source(
            id=f"source:{ident}-{fingerprint[:8]}",
            title=title,
            publisher=_clean(message.sender_name or who or "")
            if (message.sender_name or who)
            else None,
            url=source_url,
            published=PartialDate.from_date(message.prepared) if message.prepared else None,
            retrieved=retrieved,
        )
    except ValidationError:  # an address the model refuses: the source without it
        return Source(id=f"source:{ident}-{fingerprint[:8]}", title=title, retrieved=retrieved)


def convert(
    message: Message,
    *,
    fingerprint: str,
    reporter_dimension: str | None,
    partner_dimension: str | None,
    unit: str | None,
    url: str | None,
    retrieved: _dt.date | None,
) -> ImportResult:
    """The import of *message*: its observations, indicators and source."""
    log = ImportLog()
    source = _source(message, fingerprint=fingerprint, url=url, retrieved=retrieved)
    log.add_source(source)
    dims = {dim for series in message.series for dim, _ in series.key}
    reporter = reporter_dimension or next((d for d in REPORTER_DIMENSIONS if d in dims), None)
    partner = partner_dimension or next((d for d in PARTNER_DIMENSIONS if d in dims), None)
    run = _Run(
        message, log, source, reporter, partner, unit_rule(unit) if unit is not None else None
    )
    observations = [obs for series in message.series for obs in run.series(series)]
    used = dict.fromkeys(obs.indicator for obs in observations)
    indicators = [run.indicator(ident) for ident in used]
    return log.result([*indicators, *observations])
