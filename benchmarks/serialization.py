"""Benchmark serialisation: kgru_relations against pydantic v2 and msgspec, in one run.

One run builds N synthetic observations (default 100,000) with the library,
citing one source and one indicator, and writes them with ``dumps`` (a data
file) and ``write_observations`` (JSON Lines, in a temporary directory). All
three implementations then read the same data file and the same JSON Lines
file, with the same checks, and write the same bytes:

* kgru_relations: ``loads`` and ``dumps`` of the data file (a ``Dataset``);
  ``iter_observations`` and ``write_observations`` of the JSON Lines file;
* pydantic v2: a ``BaseModel`` of the same shape as ``Observation`` inside a
  model of the file, read with ``validate_json`` and written with
  ``dump_json(indent=2, exclude_defaults=True)``; one line at a time with a
  ``TypeAdapter`` of the observation model;
* msgspec: a ``msgspec.Struct`` of the same shape inside a Struct of the file,
  read with a ``msgspec.json.Decoder`` and written with ``msgspec.json.encode``
  and ``msgspec.json.format(indent=2)``; one line at a time with a decoder of
  the observation Struct.

How it measures
---------------
Timings are interleaved: each of ``--rounds`` rounds (7 by default) times
kgru_relations, pydantic and msgspec one after the other, each loading the
data file and then dumping what it loaded; then each reading the JSON Lines
file; then each writing it. The order of the three turns by one every round,
so no implementation always runs first. ``gc.collect()`` runs before each
timed call; the figures are medians (with the fastest and slowest round), and
every ratio divides two medians of the same run. For scale, each round also
times ``Dataset.validate()`` alone (part of ``loads``) and the standard
library's ``json.loads`` and ``json.dumps`` (``indent=2``, sorted keys) of the
data file, which check nothing, and ``msgspec.json.format`` indenting the
compact file alone: the last step of every implementation's dump here, so the
part of a dump that no writer can make faster.

Memory is measured after the rounds, for each implementation in two fresh
processes that first load a small, different file (so what a first load
builds once, such as compiled plans, is not counted): in one,
``tracemalloc``'s current size after the load and ``gc.collect()`` (what the
loaded result keeps: "retained") and its peak during the load; in the other,
how much the resident set grew (``VmRSS``), which also counts memory freed by
Python but not handed back to the system, and memory that Rust or C code
allocates outside Python's allocator. The tracemalloc peak of streaming the
JSON Lines file is taken in this process, and the peak resident set
(``VmHWM``) of a fresh process that imports only kgru_relations and streams
the file with ``iter_observations``.

Every figure is printed with its ratio against msgspec and pydantic, and,
where issue 10 set one, its target and whether it is met (✓/✗). ``--scale``
runs the whole benchmark at 10,000 and 100,000 observations (and 1,000,000
with ``--full``: minutes, and a few GB of memory) and prints the cost per
observation at each size, to show that cost grows linearly. Before timing,
the script feeds a set of bad inputs to all three and prints where their
verdicts differ. The queries have their own benchmark, ``benchmarks/queries.py``.

Each round also times building every observation in Python from its keyword
arguments ("construct": ``Observation(**fields)``, the pydantic model's
constructor, ``msgspec.convert`` to the Struct), with the same checks, as an
importer or a user's own code builds records.

This is a benchmark, not a test: it prints figures and never fails a build.

    pip install -e '.[bench]'
    python benchmarks/serialization.py                    # 100,000 observations, 7 rounds
    python benchmarks/serialization.py --count 10000 --rounds 9
    python benchmarks/serialization.py --scale            # 10,000 and 100,000
    python benchmarks/serialization.py --scale --full     # and 1,000,000

What each implementation checks on load
---------------------------------------
All three:

* unknown keys are errors, in the file and in each record; required fields
  must be present; text must be JSON text (no number is taken for text), enums
  their lowercase values;
* ``id``, ``indicator``, ``sources[i]`` and ``subject`` are ``kind:slug`` ids of
  the right kind (observation; indicator; source; state, organization or
  agreement), the slug in lowercase letters, digits and single ``-``/``_``/``.``;
* ``reporter`` and ``partner`` are current ISO 3166-1 alpha-2 codes (pycountry);
* ``period`` is ``YYYY``, ``YYYY-Qn``, ``YYYY-MM`` or ``YYYY-MM-DD`` and a real
  calendar date (``2025-02-30`` and year ``0000`` are errors);
* ``value`` is a decimal *string* (a JSON number or NaN is an error), at most
  30 digits before the point and 18 after, parsed to ``Decimal``, and not
  negative;
* ``unit`` is an ISO 4217 code (pycountry) or a lowercase word;
* ``qualifier``, ``kind`` and ``confidence`` are members of their enums; ``note``
  is non-blank text without surrounding whitespace;
* ``sources`` is a non-empty list without repeats;
* cross-field rules: an actual or estimated figure needs a period; the partner
  differs from the reporter;
* integrity (data file only): observation ids are unique; ``indicator``, every
  source and ``subject`` name an entity of the right kind that the file holds.

Where they differ (honestly):

* kgru_relations normalises where the others refuse: ``reporter`` ``"KGZ"``,
  ``"kg"`` or ``"417"``, a unit ``"Usd"`` or ``"840"``, and a value in exponent
  form (``"3.2E9"``) load as ``KG``/``USD``/``3200000000``; pydantic and msgspec
  accept only the canonical form (the file holds only canonical forms, so the
  timed work is the same kind of work).
* kgru_relations refuses a key given twice in one object; pydantic and msgspec
  let the last one win.
* "not negative" is, in kgru_relations, a rule of the indicator (a balance may
  be negative): ``Dataset.validate()`` checks it against the cited indicator,
  which here does not allow negatives. pydantic and msgspec check it per field.
* kgru_relations builds richer values: ``period`` becomes a ``PartialDate``
  (with its first and last day), ``sources`` a tuple, the records frozen attrs
  objects inside an indexed ``Dataset``; it also checks the file's source and
  indicator records and its schema version, and its error report gives every
  problem with its path. pydantic and msgspec keep ``period`` as checked text,
  the source and indicator records as plain dicts (only their ids are used),
  and check that ``schema_version`` is 1.
* The integrity checks are a plain Python pass after decoding for pydantic and
  msgspec (timed as part of their load); ``iter_observations`` has no dataset to
  check references against, so no JSON Lines read does them.
* Writes: all three write the same bytes, which the script checks: the data
  file as ``json.dumps(..., ensure_ascii=False, sort_keys=True, indent=2)``
  plus a newline (the peers declare their fields in sorted order and leave
  defaults out, as the library does), and JSON Lines as compact lines with
  sorted keys. Every JSON Lines writer writes a temporary file, fsyncs it and
  renames it over the old one (``write_observations`` also fsyncs the folder).
* tracemalloc sees only the Python heap: memory pydantic-core (Rust) allocates
  for itself is not counted; the objects it returns are.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import datetime as dt
import gc
import importlib.metadata
import json
import math
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Annotated, Any, Final, Generic, Literal, Protocol, Self, TypeVar

import msgspec
import pycountry
import pydantic
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer, PlainValidator

from kgru_relations import (
    Confidence,
    Dataset,
    Indicator,
    Name,
    Observation,
    ObservationKind,
    Qualifier,
    Source,
    ValidationError,
    dumps,
    iter_observations,
    loads,
    write_observations,
)

T = TypeVar("T")
D = TypeVar("D", bound=Decimal)
L = TypeVar("L")

SOURCE: Final = "source:synthetic"
INDICATOR: Final = "indicator:trade-turnover"
MEBIBYTE: Final = 1024 * 1024
KGRU: Final = "kgru_relations"
PYDANTIC: Final = "pydantic"
MSGSPEC: Final = "msgspec"
IMPLEMENTATIONS: Final = (KGRU, PYDANTIC, MSGSPEC)
SCALE_COUNTS: Final = (10_000, 100_000)
FULL_COUNT: Final = 1_000_000
# Cost per observation may grow this much from the smallest size to the largest
# and still count as linear (a run on a shared machine is noisy).
LINEAR_TOLERANCE: Final = 1.5

# --- the checks pydantic and msgspec share ----------------------------------------------------
# Patterns are anchored for each engine: pydantic-core's Rust regex searches, and
# its "$" is the end of the text; msgspec uses Python's re.search, whose "$"
# also matches before a final newline, so msgspec's patterns end with "\Z".

SLUG: Final = r"[a-z0-9]+(?:[-_.][a-z0-9]+)*"
OBSERVATION_ID: Final = rf"^observation:{SLUG}"
INDICATOR_ID: Final = rf"^indicator:{SLUG}"
SOURCE_ID: Final = rf"^source:{SLUG}"
SUBJECT_ID: Final = rf"^(?:state|organization|agreement):{SLUG}"
PARTIAL_DATE: Final = r"^[0-9]{4}(?:-(?:Q[1-4]|(?:0[1-9]|1[0-2])(?:-[0-9]{2})?))?"
UNIT: Final = r"^(?:[a-z][a-z_]*|[A-Z]{3})"

COUNTRIES: Final = frozenset(country.alpha_2 for country in pycountry.countries)
CURRENCIES: Final = frozenset(currency.alpha_3 for currency in pycountry.currencies)
MAX_INTEGER_DIGITS: Final = 30
MAX_FRACTION_DIGITS: Final = 18
# Plain decimal text within the library's limits, counted as it counts them
# (leading zeros before the point are free; every digit after it counts).
DECIMAL_TEXT: Final = re.compile(
    rf"-?0*[0-9]{{1,{MAX_INTEGER_DIGITS}}}(?:\.[0-9]{{1,{MAX_FRACTION_DIGITS}}})?\Z"
)
NEEDS_PERIOD: Final = frozenset({ObservationKind.ACTUAL, ObservationKind.ESTIMATE})


def to_amount(value: object, cls: type[D]) -> D:
    """A decimal string (no float, no exponent), not too long, not negative, as *cls*."""
    if not isinstance(value, str):
        msg = f"expected a decimal string, got {value!r}"
        raise ValueError(msg)  # pydantic reports ValueError, not TypeError, per field
    if len(value) > 2 * (MAX_INTEGER_DIGITS + MAX_FRACTION_DIGITS) or not DECIMAL_TEXT.match(value):
        msg = (
            f"{value!r} is not a decimal number of at most {MAX_INTEGER_DIGITS} digits "
            f"before the point and {MAX_FRACTION_DIGITS} after"
        )
        raise ValueError(msg)
    amount = cls(value)
    if amount < 0:
        msg = f"must not be negative (got {value!r})"
        raise ValueError(msg)
    return amount


def format_amount(value: Decimal) -> str:
    """The amount as plain decimal text, never with an exponent."""
    return format(value, "f")


def check_real_date(text: str) -> str:
    """Text that matched PARTIAL_DATE: also a year from 1 and a day its month has."""
    if text.startswith("0000"):
        msg = f"{text!r} is not a real date: year must be 1 to 9999"
        raise ValueError(msg)
    if len(text) == 10:
        try:
            dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))
        except ValueError:
            msg = f"{text!r} is not a real date"
            raise ValueError(msg) from None
    return text


def check_country(code: str) -> str:
    """A current ISO 3166-1 alpha-2 code."""
    if code not in COUNTRIES:
        msg = f"{code!r} is not an ISO 3166-1 alpha-2 country code"
        raise ValueError(msg)
    return code


def check_unit(unit: str) -> str:
    """Text that matched UNIT: a lowercase word, or capitals that are an ISO 4217 code."""
    if unit.isupper() and unit not in CURRENCIES:
        msg = f"{unit!r} is not an ISO 4217 currency code"
        raise ValueError(msg)
    return unit


def check_text(text: str) -> str:
    """Non-blank text without leading or trailing whitespace."""
    if not text.strip() or text != text.strip():
        msg = f"{text!r} is blank or has leading or trailing whitespace"
        raise ValueError(msg)
    return text


def check_unique(items: list[str]) -> list[str]:
    """A list without repeats."""
    if len(set(items)) != len(items):
        msg = f"{items!r} lists an id twice"
        raise ValueError(msg)
    return items


def check_rules(
    kind: ObservationKind, period: str | None, reporter: str, partner: str | None
) -> None:
    """The cross-field rules of an observation."""
    if period is None and kind in NEEDS_PERIOD:
        msg = f"an observation of kind {kind.value!r} needs a period"
        raise ValueError(msg)
    if partner == reporter:
        msg = "the partner must differ from the reporter"
        raise ValueError(msg)


class IntegrityError(ValueError):
    """A reference to no entity of the right kind, or a repeated id."""


class Cites(Protocol):
    """What the integrity pass reads from a record."""

    @property
    def id(self) -> str: ...
    @property
    def indicator(self) -> str: ...
    @property
    def sources(self) -> list[str]: ...
    @property
    def subject(self) -> str | None: ...


class PeerFile(Protocol):
    """What the integrity pass reads from a peer's file model."""

    @property
    def sources(self) -> list[dict[str, Any]]: ...
    @property
    def indicators(self) -> list[dict[str, Any]]: ...
    @property
    def states(self) -> list[dict[str, Any]]: ...
    @property
    def organizations(self) -> list[dict[str, Any]]: ...
    @property
    def agreements(self) -> list[dict[str, Any]]: ...
    @property
    def observations(self) -> Sequence[Cites]: ...


def ids(records: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    return frozenset(record["id"] for record in records if "id" in record)


def check_integrity(file: PeerFile) -> None:
    """Unique ids, and every reference to an entity of the right kind the file holds."""
    sources, indicators = ids(file.sources), ids(file.indicators)
    subjects = ids(file.states) | ids(file.organizations) | ids(file.agreements)
    problems: list[str] = []
    seen: set[str] = set()
    for index, record in enumerate(file.observations):
        if record.id in seen:
            problems.append(f"$.observations[{index}].id: duplicate id {record.id!r}")
        seen.add(record.id)
        if record.indicator not in indicators:
            problems.append(f"$.observations[{index}].indicator: no indicator {record.indicator!r}")
        problems += [
            f"$.observations[{index}].sources: no source {source!r}"
            for source in record.sources
            if source not in sources
        ]
        if record.subject is not None and record.subject not in subjects:
            problems.append(f"$.observations[{index}].subject: no entity {record.subject!r}")
    if problems:
        raise IntegrityError("\n".join(problems))


def write_lines(path: Path, lines: Iterable[bytes]) -> None:
    """Write *lines* to a temporary file beside *path*, fsync it, rename it over *path*."""
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("wb") as stream:
        stream.writelines(lines)
        stream.flush()
        os.fsync(stream.fileno())
    temporary.replace(path)


def read_lines(path: Path, decode: Callable[[bytes], object]) -> int:
    """Decode each non-blank line of *path*, keeping none; return how many."""
    count = 0
    with path.open("rb") as stream:
        for line in stream:
            if line.strip():
                decode(line)
                count += 1
    return count


# --- pydantic v2 ------------------------------------------------------------------------------


def pydantic_amount(value: object) -> Decimal:
    return to_amount(value, Decimal)


Amount = Annotated[
    Decimal, PlainValidator(pydantic_amount), PlainSerializer(format_amount, return_type=str)
]
CountryCode = Annotated[str, AfterValidator(check_country)]


class PydanticObservation(BaseModel):
    """An Observation as a pydantic model; fields in sorted order, so dumps sort their keys."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    confidence: Confidence = Confidence.VERIFIED
    id: Annotated[str, Field(pattern=OBSERVATION_ID + "$")]
    indicator: Annotated[str, Field(pattern=INDICATOR_ID + "$")]
    kind: ObservationKind = ObservationKind.ACTUAL
    note: Annotated[str, AfterValidator(check_text)] | None = None
    partner: CountryCode | None = None
    period: (
        Annotated[str, Field(pattern=PARTIAL_DATE + "$"), AfterValidator(check_real_date)] | None
    ) = None
    qualifier: Qualifier = Qualifier.EXACT
    reporter: CountryCode
    sources: Annotated[
        list[Annotated[str, Field(pattern=SOURCE_ID + "$")]],
        Field(min_length=1),
        AfterValidator(check_unique),
    ]
    subject: Annotated[str, Field(pattern=SUBJECT_ID + "$")] | None = None
    unit: Annotated[str, Field(pattern=UNIT + "$"), AfterValidator(check_unit)]
    value: Amount

    @pydantic.model_validator(mode="after")
    def _rules(self) -> Self:
        check_rules(self.kind, self.period, self.reporter, self.partner)
        return self


class PydanticFile(BaseModel):
    """The data file: its observations checked, its other records kept as dicts."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    agreements: list[dict[str, Any]] = []
    indicators: list[dict[str, Any]] = []
    observations: list[PydanticObservation] = []
    organizations: list[dict[str, Any]] = []
    schema_version: Literal[1]
    sources: list[dict[str, Any]] = []
    states: list[dict[str, Any]] = []


PYDANTIC_LINE: Final = pydantic.TypeAdapter(PydanticObservation)


def pydantic_load(data: bytes) -> PydanticFile:
    file = PydanticFile.model_validate_json(data)
    check_integrity(file)
    return file


def pydantic_dump(file: PydanticFile) -> bytes:
    return file.model_dump_json(indent=2, exclude_defaults=True).encode() + b"\n"


def pydantic_read_lines(path: Path) -> int:
    return read_lines(path, PYDANTIC_LINE.validate_json)


def pydantic_write_lines(file: PydanticFile, path: Path) -> None:
    write_lines(
        path,
        (
            PYDANTIC_LINE.dump_json(record, exclude_defaults=True) + b"\n"
            for record in file.observations
        ),
    )


# --- msgspec ----------------------------------------------------------------------------------


class DecimalText(Decimal):
    """A Decimal that msgspec builds through ``msgspec_decode_hook`` from checked text."""

    __slots__ = ()


def msgspec_decode_hook(cls: type, value: object) -> object:
    if cls is DecimalText:
        return to_amount(value, DecimalText)
    msg = f"cannot decode {cls!r}"
    raise NotImplementedError(msg)


def msgspec_encode_hook(value: object) -> object:
    if isinstance(value, Decimal):
        return format_amount(value)
    msg = f"cannot encode {type(value)!r}"
    raise NotImplementedError(msg)


class MsgspecObservation(
    msgspec.Struct, forbid_unknown_fields=True, frozen=True, omit_defaults=True, kw_only=True
):
    """An Observation as a msgspec Struct; fields in sorted order, so dumps sort their keys."""

    confidence: Confidence = Confidence.VERIFIED
    id: Annotated[str, msgspec.Meta(pattern=OBSERVATION_ID + r"\Z")]
    indicator: Annotated[str, msgspec.Meta(pattern=INDICATOR_ID + r"\Z")]
    kind: ObservationKind = ObservationKind.ACTUAL
    note: str | None = None
    partner: str | None = None
    period: Annotated[str, msgspec.Meta(pattern=PARTIAL_DATE + r"\Z")] | None = None
    qualifier: Qualifier = Qualifier.EXACT
    reporter: str
    sources: Annotated[
        list[Annotated[str, msgspec.Meta(pattern=SOURCE_ID + r"\Z")]], msgspec.Meta(min_length=1)
    ]
    subject: Annotated[str, msgspec.Meta(pattern=SUBJECT_ID + r"\Z")] | None = None
    unit: Annotated[str, msgspec.Meta(pattern=UNIT + r"\Z")]
    value: DecimalText

    def __post_init__(self) -> None:
        check_country(self.reporter)
        if self.partner is not None:
            check_country(self.partner)
        if self.period is not None:
            check_real_date(self.period)
        check_unit(self.unit)
        check_unique(self.sources)
        if self.note is not None:
            check_text(self.note)
        check_rules(self.kind, self.period, self.reporter, self.partner)


class MsgspecFile(
    msgspec.Struct, forbid_unknown_fields=True, frozen=True, omit_defaults=True, kw_only=True
):
    """The data file: its observations checked, its other records kept as dicts."""

    agreements: list[dict[str, Any]] = []
    indicators: list[dict[str, Any]] = []
    observations: list[MsgspecObservation] = []
    organizations: list[dict[str, Any]] = []
    schema_version: Literal[1]
    sources: list[dict[str, Any]] = []
    states: list[dict[str, Any]] = []


MSGSPEC_DECODER: Final = msgspec.json.Decoder(MsgspecFile, dec_hook=msgspec_decode_hook)
MSGSPEC_LINE: Final = msgspec.json.Decoder(MsgspecObservation, dec_hook=msgspec_decode_hook)
MSGSPEC_ENCODER: Final = msgspec.json.Encoder(enc_hook=msgspec_encode_hook, order="sorted")


def msgspec_load(data: bytes) -> MsgspecFile:
    file = MSGSPEC_DECODER.decode(data)
    check_integrity(file)
    return file


def msgspec_dump(file: MsgspecFile) -> bytes:
    return msgspec.json.format(MSGSPEC_ENCODER.encode(file), indent=2) + b"\n"


def msgspec_read_lines(path: Path) -> int:
    return read_lines(path, MSGSPEC_LINE.decode)


def msgspec_write_lines(file: MsgspecFile, path: Path) -> None:
    encode = MSGSPEC_ENCODER.encode
    write_lines(path, (encode(record) + b"\n" for record in file.observations))


# --- kgru_relations ---------------------------------------------------------------------------


def kgru_read_lines(path: Path) -> int:
    return sum(1 for _ in iter_observations(path))


def kgru_write_lines(dataset: Dataset, path: Path) -> None:
    write_observations(path, dataset.all(Observation))


@dataclasses.dataclass(frozen=True)
class Suite(Generic[L]):
    """What one implementation does with the data file and the JSON Lines file."""

    name: str
    load: Callable[[bytes], L]
    dump: Callable[[L], bytes]
    read_lines: Callable[[Path], int]
    write_lines: Callable[[L, Path], None]
    construct: Callable[[list[dict[str, Any]]], object]


def kgru_construct(fields: list[dict[str, Any]]) -> list[Observation]:
    return [Observation(**keywords) for keywords in fields]


def pydantic_construct(fields: list[dict[str, Any]]) -> list[PydanticObservation]:
    return [PydanticObservation(**keywords) for keywords in fields]


def msgspec_construct(fields: list[dict[str, Any]]) -> list[MsgspecObservation]:
    convert = partial(
        msgspec.convert, type=MsgspecObservation, dec_hook=msgspec_decode_hook, strict=True
    )
    return [convert(keywords) for keywords in fields]


_ENUMS: Final[dict[str, Any]] = {
    "qualifier": Qualifier,
    "kind": ObservationKind,
    "confidence": Confidence,
}


def keyword_arguments(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Each observation of a data file as the keyword arguments a program builds it with.

    Text as the file has it (dates, amounts, codes), enumerations as members:
    what every implementation's constructor takes with its strict checks.
    """
    return [
        {key: _ENUMS[key](value) if key in _ENUMS else value for key, value in record.items()}
        for record in document["observations"]
    ]


SUITES: Final[tuple[Suite[Any], ...]] = (
    Suite(KGRU, loads, dumps, kgru_read_lines, kgru_write_lines, kgru_construct),
    Suite(
        PYDANTIC,
        pydantic_load,
        pydantic_dump,
        pydantic_read_lines,
        pydantic_write_lines,
        pydantic_construct,
    ),
    Suite(
        MSGSPEC,
        msgspec_load,
        msgspec_dump,
        msgspec_read_lines,
        msgspec_write_lines,
        msgspec_construct,
    ),
)


# --- the data ---------------------------------------------------------------------------------


def synthetic(count: int, seed: int = 1) -> Dataset:
    """A dataset of *count* varied observations citing one source and one indicator."""
    rng = random.Random(seed)
    codes = sorted(COUNTRIES)
    entities: list[Any] = [
        Source(id=SOURCE, title="Synthetic data"),
        Indicator(id=INDICATOR, names=[Name("Trade turnover")], symmetric=True),
    ]
    units = ("USD", "RUB", "KGS", "EUR", "project")
    width = len(str(count))
    for i in range(count):
        reporter = codes[i % len(codes)]
        partner = rng.choice(codes)
        kind = rng.choice(list(ObservationKind))
        year = 1995 + rng.randrange(30)
        period = rng.choice(
            (
                f"{year}",
                f"{year}-Q{rng.randrange(1, 5)}",
                f"{year}-{rng.randrange(1, 13):02d}",
                f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
            )
        )
        entities.append(
            Observation(
                id=f"observation:o-{i:0{width}d}",
                indicator=INDICATOR,
                reporter=reporter,
                partner=None if partner == reporter or i % 5 == 0 else partner,
                period=None if kind is ObservationKind.TARGET and i % 3 == 0 else period,
                value=f"{rng.randrange(10**10)}.{rng.randrange(100):02d}"
                if i % 2
                else str(rng.randrange(10**10)),
                unit=units[i % len(units)],
                qualifier=rng.choice(list(Qualifier)) if i % 4 == 0 else Qualifier.EXACT,
                kind=kind,
                sources=[SOURCE],
                confidence=Confidence.LIKELY if i % 10 == 0 else Confidence.VERIFIED,
                note=f"Synthetic figure {i}." if i % 10 == 0 else None,
            )
        )
    return Dataset(entities)


def stdlib_file(document: Any) -> bytes:
    """The data file format, as the standard library writes it."""
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False)
    return (text + "\n").encode()


# --- do the three agree on bad input? ---------------------------------------------------------


def bad_inputs(base: dict[str, Any]) -> list[tuple[str, str]]:
    """(what is wrong, the observations JSON array) for each bad input."""

    def changed(**fields: Any) -> str:
        record = {key: value for key, value in (base | fields).items() if value is not None}
        return json.dumps([record])

    good = json.dumps(base)
    return [
        ("id not a slug", changed(id="observation:Bad Slug")),
        ("id of another kind", changed(id="indicator:o-1")),
        ("id repeated", f"[{good},{good}]"),
        ("indicator not in the file", changed(indicator="indicator:missing")),
        ("source not in the file", changed(sources=["source:missing"])),
        ("subject not in the file", changed(subject="state:kg")),
        ("reporter not a country", changed(reporter="XX")),
        ("reporter alpha-3 'KGZ'", changed(reporter="KGZ")),
        ("reporter a JSON number", changed(reporter=417)),
        ("partner same as reporter", changed(partner=base["reporter"])),
        ("value a JSON number", changed(value=5)),
        ("value with an exponent", changed(value="3.2E9")),
        ("value negative", changed(value="-5")),
        ("value 31 digits", changed(value="1" + "0" * 30)),
        ("period 2025-02-30", changed(period="2025-02-30")),
        ("period 2025-Q5", changed(period="2025-Q5")),
        ("period 0000", changed(period="0000")),
        ("period missing (actual)", changed(period=None, kind="actual")),
        ("unit not ISO 4217", changed(unit="XYZ")),
        ("unit mixed case 'Usd'", changed(unit="Usd")),
        ("qualifier unknown", changed(qualifier="roughly")),
        ("sources empty", changed(sources=[])),
        ("source listed twice", changed(sources=[SOURCE, SOURCE])),
        ("note padded", changed(note=" padded ")),
        ("unknown key", changed(zz=1)),
        ("key given twice", "[" + good.replace("{", '{"unit": "RUB", ', 1) + "]"),
    ]


def accepts(load: Callable[[bytes], object], data: bytes) -> bool:
    try:
        load(data)
    except (ValidationError, pydantic.ValidationError, msgspec.ValidationError, IntegrityError):
        return False
    return True


def compare_checks(document: dict[str, Any]) -> None:
    """Feed bad inputs to all three and print where their verdicts differ."""
    base = document["observations"][1]
    # The file around the array is kept as text, so that a repeated key survives.
    head = json.dumps({key: value for key, value in document.items() if key != "observations"})

    def verdicts(array: str) -> tuple[bool, ...]:
        file = f'{head[:-1]}, "observations": {array}}}'.encode()
        return tuple(accepts(suite.load, file) for suite in SUITES)

    file_cases = [
        ("file: unknown key", head[:-1] + ', "zz": 1}'),
        ("file: schema_version 2", head.replace('"schema_version": 1', '"schema_version": 2')),
        ("file: no schema_version", head.replace('"schema_version": 1, ', "")),
    ]
    if verdicts(json.dumps([base])) != (True, True, True):
        raise SystemExit("a good observation is refused; the implementations are out of step")
    cases = bad_inputs(base)
    found = [(label, verdicts(array)) for label, array in cases]
    found += [
        (label, tuple(accepts(suite.load, text.encode()) for suite in SUITES))
        for label, text in file_cases
    ]
    differ = [(label, verdict) for label, verdict in found if any(verdict)]
    print(f"Bad inputs refused by all three: {len(found) - len(differ)} of {len(found)}")
    for label, verdict in differ:
        accepted = ", ".join(name for name, ok in zip(IMPLEMENTATIONS, verdict, strict=True) if ok)
        print(f"  {label:28} accepted by {accepted}")


# --- measuring --------------------------------------------------------------------------------


class Clock:
    """Wall times of named steps, gathered over interleaved rounds."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = collections.defaultdict(list)

    def time(self, step: str, call: Callable[[], T]) -> T:
        """Run *call* once after a ``gc.collect()``, record its wall time, return its result."""
        gc.collect()
        start = time.perf_counter()
        result = call()
        self.times[step].append(time.perf_counter() - start)
        return result

    def median(self, step: str) -> float:
        return statistics.median(self.times[step])

    def range(self, step: str) -> tuple[float, float]:
        return min(self.times[step]), max(self.times[step])


def traced(call: Callable[[], object]) -> tuple[float, float]:
    """tracemalloc's (current after gc.collect(), peak), in MiB, for one call, result kept."""
    gc.collect()
    tracemalloc.start()
    try:
        result = call()
        gc.collect()
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return current / MEBIBYTE, peak / MEBIBYTE


def memory_status(field: str) -> float:
    """A field of /proc/self/status (``VmRSS``, ``VmHWM``), in MiB; NaN where there is none."""
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return math.nan
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # kB
    return math.nan


# A fresh process that imports only the library, as a user's script would. VmHWM,
# not ru_maxrss: Linux carries ru_maxrss over from the parent through fork and exec.
RSS_PROBE: Final = """
import sys
import kgru_relations
from pathlib import Path
def peak():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
before = peak()
count = sum(1 for _ in kgru_relations.iter_observations(sys.argv[1]))
print(count, before, peak())
"""


def rss_of_streaming(path: Path, count: int) -> tuple[float, float]:
    """Peak RSS (MiB) of a fresh process after ``import kgru_relations``, and after the read."""
    done = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, str(path)], capture_output=True, text=True, check=True
    )
    read, before, after = done.stdout.split()
    if int(read) != count:
        raise SystemExit(f"the RSS probe read {read} observations, not {count}")
    return float(before), float(after)


def probe_memory(how: str, name: str, path: str) -> None:
    """In a fresh process: print what loading *path* with *name* keeps, in MiB.

    A small, different file is loaded first, so that what any first load
    builds once (compiled plans, code tables) is not counted; then *path* is
    loaded, and, with ``how`` "tracemalloc", the traced size after
    ``gc.collect()`` and the traced peak are printed, or with "rss" the growth
    of the resident set (which also sees memory that Rust or C code allocates
    outside Python's allocator).
    """
    suite = {suite.name: suite for suite in SUITES}[name]
    suite.load(dumps(synthetic(100, seed=2)))
    data = Path(path).read_bytes()
    gc.collect()
    if how == "tracemalloc":
        retained, peak = traced(partial(suite.load, data))
        print(retained, peak)
        return
    before = memory_status("VmRSS")
    result = suite.load(data)
    gc.collect()
    print(memory_status("VmRSS") - before, math.nan)
    del result


def memory_of_load(how: str, name: str, path: Path) -> tuple[float, float]:
    """Run ``probe_memory`` in a fresh process."""
    command = [sys.executable, __file__, "--probe-memory", how, name, str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    retained, peak = done.stdout.split()
    return float(retained), float(peak)


@dataclasses.dataclass
class Figures:
    """Everything one run at one size measured."""

    count: int
    rounds: int
    file_size: int
    lines_size: int
    clock: Clock
    retained: dict[str, float]
    retained_rss: dict[str, float]
    load_peak: dict[str, float]
    stream_peak: dict[str, float]
    rss_before: float
    rss_after: float
    identical_file: dict[str, bool]
    identical_lines: dict[str, bool]
    loadavg: tuple[float, float]

    def median(self, step: str) -> float:
        return self.clock.median(step)


def measure(count: int, rounds: int, *, compare: bool) -> Figures:
    """Build *count* observations, then time and weigh all three implementations."""
    load_before = os.getloadavg()[0]
    dataset = synthetic(count)
    data = dumps(dataset)
    document = json.loads(data)
    expected = stdlib_file(document)
    fields = keyword_arguments(document)
    del document["observations"][2:]  # what compare_checks needs
    if compare:
        compare_checks(document)
    clock = Clock()
    with tempfile.TemporaryDirectory() as directory:
        lines = Path(directory) / "observations.jsonl"
        write_observations(lines, dataset.all(Observation))
        expected_lines = lines.read_bytes()
        del dataset
        written = {name: Path(directory) / f"{name}.jsonl" for name in IMPLEMENTATIONS}
        loaded: dict[str, Any] = {}
        identical_file = dict.fromkeys(IMPLEMENTATIONS, True)
        for round_ in range(rounds):
            print(f"  {count:,} observations: round {round_ + 1} of {rounds}", file=sys.stderr)
            turn = round_ % len(SUITES)
            order = SUITES[turn:] + SUITES[:turn]
            for suite in order:
                loaded.pop(suite.name, None)  # freed before timing, not during
                loaded[suite.name] = clock.time(f"load {suite.name}", partial(suite.load, data))
                dumped = clock.time(f"dump {suite.name}", partial(suite.dump, loaded[suite.name]))
                identical_file[suite.name] &= dumped == expected
                del dumped
            for suite in order:
                read = clock.time(f"read {suite.name}", partial(suite.read_lines, lines))
                if read != count:
                    raise SystemExit(f"{suite.name} read {read} lines, not {count}")
            for suite in order:
                write = partial(suite.write_lines, loaded[suite.name], written[suite.name])
                clock.time(f"write {suite.name}", write)
            for suite in order:
                clock.time(f"construct {suite.name}", partial(suite.construct, fields))
            clock.time("validate", loaded[KGRU].validate)
            document = clock.time("json.loads", partial(json.loads, data))
            clock.time("json.dumps", partial(stdlib_file, document))
            # What each dump here indents last (encoded before the clock starts).
            clock.time(
                "indent", partial(msgspec.json.format, msgspec.json.encode(document), indent=2)
            )
            del document
        identical_lines = {
            name: written[name].read_bytes() == expected_lines for name in IMPLEMENTATIONS
        }
        loaded.clear()

        file = Path(directory) / "data.json"
        file.write_bytes(data)
        retained: dict[str, float] = {}
        retained_rss: dict[str, float] = {}
        load_peak: dict[str, float] = {}
        stream_peak: dict[str, float] = {}
        for suite in SUITES:
            retained[suite.name], load_peak[suite.name] = memory_of_load(
                "tracemalloc", suite.name, file
            )
            retained_rss[suite.name], _ = memory_of_load("rss", suite.name, file)
            _, stream_peak[suite.name] = traced(partial(suite.read_lines, lines))
        rss_before, rss_after = rss_of_streaming(lines, count)
    return Figures(
        count=count,
        rounds=rounds,
        file_size=len(data),
        lines_size=len(expected_lines),
        clock=clock,
        retained=retained,
        retained_rss=retained_rss,
        load_peak=load_peak,
        stream_peak=stream_peak,
        rss_before=rss_before,
        rss_after=rss_after,
        identical_file=identical_file,
        identical_lines=identical_lines,
        loadavg=(load_before, os.getloadavg()[0]),
    )


# --- reporting --------------------------------------------------------------------------------


def version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown CPU"
    for line in text.splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.processor() or "unknown CPU"


def print_machine() -> None:
    packages = ("kgru-relations", "pydantic", "pydantic-core", "msgspec", "attrs", "cattrs")
    print(f"serialization benchmark, {dt.date.today().isoformat()}")
    print(
        f"python {platform.python_version()} ({platform.python_implementation()}); "
        + ", ".join(f"{name} {version(name)}" for name in packages)
    )
    load = ", ".join(f"{figure:.2f}" for figure in os.getloadavg())
    print(f"{platform.platform()}; {os.cpu_count()} CPUs ({cpu_model()}); load average {load}")
    print()


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def spread(figures: Figures, step: str) -> str:
    low, high = figures.clock.range(step)
    return f"{milliseconds(figures.median(step))} ({low * 1000:,.0f}–{high * 1000:,.0f})"


def rate(figures: Figures, name: str) -> float:
    """Observations written per second by *name*'s JSON Lines writer (median round)."""
    return figures.count / figures.median(f"write {name}")


def print_figures(figures: Figures) -> None:
    print(
        f"\n{figures.count:,} observations; median of {figures.rounds} interleaved rounds "
        f"(fastest–slowest, ms); data file {figures.file_size / MEBIBYTE:.1f} MiB, "
        f"JSON Lines {figures.lines_size / MEBIBYTE:.1f} MiB; "
        f"load average {figures.loadavg[0]:.2f} before, {figures.loadavg[1]:.2f} after"
    )
    width = 26
    print(f"\n{'figure':30}" + "".join(f"{name:>{width}}" for name in IMPLEMENTATIONS))
    rows: list[tuple[str, Callable[[str], str]]] = [
        ("load the data file", lambda name: spread(figures, f"load {name}")),
        ("dump the data file", lambda name: spread(figures, f"dump {name}")),
        ("read JSON Lines", lambda name: spread(figures, f"read {name}")),
        ("write JSON Lines", lambda name: spread(figures, f"write {name}")),
        ("write JSON Lines, obs/s", lambda name: f"{rate(figures, name):,.0f}"),
        ("construct in Python", lambda name: spread(figures, f"construct {name}")),
        ("retained after load, MiB", lambda name: f"{figures.retained[name]:.1f}"),
        ("resident set growth, MiB", lambda name: f"{figures.retained_rss[name]:.1f}"),
        ("peak during load, MiB", lambda name: f"{figures.load_peak[name]:.1f}"),
        ("peak reading JSON Lines, KiB", lambda name: f"{figures.stream_peak[name] * 1024:.0f}"),
        ("dump = json.dumps bytes", lambda name: "yes" if figures.identical_file[name] else "NO"),
        ("JSON Lines = library's", lambda name: "yes" if figures.identical_lines[name] else "NO"),
    ]
    for label, cell in rows:
        print(f"{label:30}" + "".join(f"{cell(name):>{width}}" for name in IMPLEMENTATIONS))
    print(f"  of the kgru_relations load: Dataset.validate() alone {spread(figures, 'validate')}")
    parse = spread(figures, "json.loads")
    print(f"  for scale: stdlib json.loads of the data file, no checks {parse}")
    print(f"  for scale: stdlib json.dumps of the data file {spread(figures, 'json.dumps')}")
    print(
        "  of every dump: msgspec.json.format indenting the compact data file alone "
        f"{spread(figures, 'indent')}"
    )
    print(
        f"  peak RSS of a fresh process streaming the JSON Lines with iter_observations: "
        f"{figures.rss_after:.1f} MiB ({figures.rss_before:.1f} MiB after import kgru_relations)"
    )


def mark(met: bool) -> str:
    return "✓" if met else "✗"


def print_targets(figures: Figures) -> None:
    median = figures.median
    targets = {
        ("load", MSGSPEC): 1.0,
        ("load", PYDANTIC): 0.5,
        ("dump", MSGSPEC): 2.0,
        ("dump", PYDANTIC): 0.8,
        ("retained memory", MSGSPEC): 1.1,
        ("resident set growth", MSGSPEC): 1.1,
        ("read JSON Lines", MSGSPEC): 1.5,
        ("construct", PYDANTIC): 1.0,
    }
    measures: list[tuple[str, Callable[[str], float]]] = [
        ("load", lambda name: median(f"load {name}")),
        ("dump", lambda name: median(f"dump {name}")),
        ("retained memory", lambda name: figures.retained[name]),
        ("resident set growth", lambda name: figures.retained_rss[name]),
        ("peak memory during load", lambda name: figures.load_peak[name]),
        ("read JSON Lines", lambda name: median(f"read {name}")),
        ("write JSON Lines", lambda name: median(f"write {name}")),
        ("construct", lambda name: median(f"construct {name}")),
    ]
    print(f"\n{'kgru_relations against':36}{'ratio':>9}   target")
    for figure, of in measures:
        for peer in (MSGSPEC, PYDANTIC):
            ratio = of(KGRU) / of(peer)
            limit = targets.get((figure, peer))
            target = "–" if limit is None else f"≤ {limit:.1f}×  {mark(ratio <= limit)}"
            print(f"{figure + ', ' + peer:36}{ratio:8.2f}×   {target}")
    identical = figures.identical_file[KGRU]
    print(
        f"{'dump = json.dumps bytes':36}{'yes' if identical else 'no':>9}   yes  {mark(identical)}"
    )
    write_rate = rate(figures, KGRU)
    fast_enough = mark(write_rate >= 500_000)
    print(f"{'write JSON Lines, obs/s':36}{write_rate:9,.0f}   ≥ 500,000  {fast_enough}")
    print(
        f"{'peak RSS reading JSONL, MiB':36}{figures.rss_after:9.1f}   < 64  "
        f"{mark(figures.rss_after < 64)}"
    )
    print(
        "pydantic against msgspec: "
        + ", ".join(f"{figure} {of(PYDANTIC) / of(MSGSPEC):.2f}×" for figure, of in measures)
    )
    print("queries (every one under 1 ms at 1M observations): see benchmarks/queries.py")


def print_scale(runs: Sequence[Figures]) -> None:
    """Cost per observation at each size, and how much it grew from the smallest to the largest.

    The "linear" mark judges the growth itself. The sizes run one after the
    other, so a busy machine may slow one size more than another: "÷ msgspec"
    divides each growth by msgspec's growth in the same figure, to show how
    much of a growth slowed every implementation alike.
    """
    smallest, largest = runs[0], runs[-1]
    sizes = "".join(f"{run.count:>12,}" for run in runs)
    print(
        f"\n{'per observation, µs (memory: bytes)':36}{sizes}"
        f"{'growth':>9}{'÷ msgspec':>11}   linear (≤ {LINEAR_TOLERANCE}×)"
    )
    measures: list[tuple[str, Callable[[Figures, str], float]]] = [
        ("load", lambda run, name: run.median(f"load {name}") * 1e6),
        ("dump", lambda run, name: run.median(f"dump {name}") * 1e6),
        ("read JSON Lines", lambda run, name: run.median(f"read {name}") * 1e6),
        ("write JSON Lines", lambda run, name: run.median(f"write {name}") * 1e6),
        ("retained memory", lambda run, name: run.retained[name] * MEBIBYTE),
    ]

    def growth(of: Callable[[Figures, str], float], name: str) -> float:
        return (of(largest, name) / largest.count) / (of(smallest, name) / smallest.count)

    for name in IMPLEMENTATIONS:
        for figure, of in measures:
            costs = "".join(f"{of(run, name) / run.count:12.2f}" for run in runs)
            grew = growth(of, name)
            relative = grew / growth(of, MSGSPEC)
            print(
                f"{name + ' ' + figure:36}{costs}{grew:8.2f}×{relative:10.2f}×   "
                f"{mark(grew <= LINEAR_TOLERANCE)}"
            )
    print(
        f"{'peak RSS reading JSON Lines, MiB':36}"
        + "".join(f"{run.rss_after:12.1f}" for run in runs)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="observations (100,000)")
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (7)")
    parser.add_argument(
        "--scale", action="store_true", help="run at 10,000 and 100,000 observations instead"
    )
    parser.add_argument(
        "--full", action="store_true", help="with --scale, also at 1,000,000 (minutes, GBs)"
    )
    parser.add_argument("--probe-memory", nargs=3, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.probe_memory:
        probe_memory(*arguments.probe_memory)
        return
    if arguments.full:
        arguments.scale = True
    counts: Sequence[int] = (
        (*SCALE_COUNTS, *((FULL_COUNT,) if arguments.full else ()))
        if arguments.scale
        else (arguments.count,)
    )

    print_machine()
    runs: list[Figures] = []
    for index, count in enumerate(counts):
        runs.append(measure(count, arguments.rounds, compare=index == 0))
        print_figures(runs[-1])
        print_targets(runs[-1])
    if len(runs) > 1:
        print_scale(runs)


if __name__ == "__main__":
    main()
