"""Benchmark loading and dumping observations: kgru_relations, pydantic v2 and msgspec.

One run builds N synthetic observations (default 100,000) with the library,
citing one source and one indicator, writes them with ``dumps`` (a data file)
and ``write_observations`` (JSON Lines, in a temporary directory), then times
loading and dumping them with

* kgru_relations: ``loads(bytes)`` and ``dumps(dataset)`` of the data file;
  ``iter_observations`` and ``write_observations`` of the JSON Lines file;
  and, on its own, ``Dataset.validate()`` (part of ``loads``);
* pydantic v2: a ``BaseModel`` of the same shape as ``Observation``, loaded with
  ``TypeAdapter(list[Model]).validate_json`` and dumped with ``dump_json``;
* msgspec: a ``msgspec.Struct`` of the same shape, loaded with a
  ``msgspec.json.Decoder(list[Struct])`` and dumped with ``msgspec.json.encode``.

pydantic and msgspec read the file's ``observations`` list, re-encoded on its own
with the file's formatting (``indent=2``, sorted keys). It prints, per
implementation, the median load and dump time of ``--repeat`` runs, the peak
memory of one load (``tracemalloc``), the ratios against msgspec and pydantic,
and the file sizes. Before timing, it feeds a set of bad inputs to all three
and prints where their verdicts differ.

This is a benchmark, not a test: it prints figures and never fails a build.

    pip install -e '.[bench]'
    python benchmarks/load.py                   # 100,000 observations, 3 runs each
    python benchmarks/load.py --count 10000 --repeat 5

What each implementation checks on load
---------------------------------------
All three:

* unknown keys are errors; required fields must be present; text must be
  JSON text (no number is taken for text), enums their lowercase values;
* ``id``, ``indicator``, ``sources[i]`` and ``subject`` are ``kind:slug`` ids of
  the right kind (observation; indicator; source; state, organization or
  agreement), the slug in lowercase letters, digits and single ``-``/``_``/``.``;
* ``reporter`` and ``partner`` are current ISO 3166-1 alpha-2 codes (pycountry);
* ``period`` is ``YYYY``, ``YYYY-Qn``, ``YYYY-MM`` or ``YYYY-MM-DD`` and a real
  calendar date (``2025-02-30`` and year ``0000`` are errors);
* ``value`` is a decimal *string* (a JSON number, an exponent, NaN are errors),
  at most 30 digits before the point and 18 after, parsed to ``Decimal``, and
  not negative;
* ``unit`` is an ISO 4217 code (pycountry) or a lowercase word;
* ``qualifier``, ``kind`` and ``confidence`` are members of their enums; ``note``
  is non-blank text without surrounding whitespace;
* ``sources`` is a non-empty list without repeats;
* cross-field rules: an actual or estimated figure needs a period; the partner
  differs from the reporter;
* integrity: observation ids are unique; ``indicator``, every source and
  ``subject`` name an entity of the right kind that the file holds.

Where they differ (honestly):

* kgru_relations normalises where the others refuse: ``reporter`` ``"KGZ"``,
  ``"kg"`` or ``"417"``, and a unit ``"Usd"`` or ``"840"``, load as ``KG``/``USD``;
  pydantic and msgspec accept only the canonical form (the file holds only
  canonical forms, so the timed work is the same kind of work).
* kgru_relations refuses a key given twice in one object; pydantic and msgspec
  let the last one win.
* "not negative" is, in kgru_relations, a rule of the indicator (a balance may
  be negative): ``Dataset.validate()`` checks it against the cited indicator,
  which here does not allow negatives. pydantic and msgspec check it per field.
* kgru_relations builds richer values: ``period`` becomes a ``PartialDate``
  (with its first and last day), ``sources`` a tuple, the records frozen attrs
  objects inside an indexed ``Dataset``; it also reads the file's source and
  indicator and checks them, and its error report gives every problem with its
  path. pydantic and msgspec keep ``period`` as checked text.
* The integrity checks are a plain Python pass after decoding for pydantic and
  msgspec (timed as part of their load); ``iter_observations`` has no dataset to
  check references against, so the JSON Lines load skips them.
* Dumps: ``dumps`` writes the whole file with ``indent=2`` and sorted keys;
  ``write_observations`` writes compact lines and fsyncs the file; pydantic and
  msgspec write the observations list compactly, fields in sorted order (the
  classes declare them so), defaults left out, as the library does. The script
  checks that all three outputs parse to the same observations.
* tracemalloc sees only the Python heap: memory pydantic-core (Rust) allocates
  for itself is not counted; the objects it returns are.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import random
import re
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Final, Protocol, Self, TypeVar

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

SOURCE: Final = "source:synthetic"
INDICATOR: Final = "indicator:trade-turnover"
MEBIBYTE: Final = 1024 * 1024

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


class Known:
    """The ids a file holds besides its observations, by kind."""

    def __init__(self, document: dict[str, Any]) -> None:
        def ids(collection: str) -> frozenset[str]:
            return frozenset(record["id"] for record in document.get(collection, ()))

        self.sources = ids("sources")
        self.indicators = ids("indicators")
        self.subjects = ids("states") | ids("organizations") | ids("agreements")


def check_integrity(records: Sequence[Cites], known: Known) -> None:
    """Unique ids, and every reference to an entity of the right kind the file holds."""
    problems: list[str] = []
    seen: set[str] = set()
    for index, record in enumerate(records):
        if record.id in seen:
            problems.append(f"$[{index}].id: duplicate id {record.id!r}")
        seen.add(record.id)
        if record.indicator not in known.indicators:
            problems.append(f"$[{index}].indicator: no indicator {record.indicator!r}")
        problems += [
            f"$[{index}].sources: no source {source!r}"
            for source in record.sources
            if source not in known.sources
        ]
        if record.subject is not None and record.subject not in known.subjects:
            problems.append(f"$[{index}].subject: no entity {record.subject!r}")
    if problems:
        raise IntegrityError("\n".join(problems))


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


PYDANTIC_LIST: Final = pydantic.TypeAdapter(list[PydanticObservation])


def pydantic_load(data: bytes, known: Known) -> list[PydanticObservation]:
    records = PYDANTIC_LIST.validate_json(data)
    check_integrity(records, known)
    return records


def pydantic_dump(records: list[PydanticObservation]) -> bytes:
    return PYDANTIC_LIST.dump_json(records, exclude_defaults=True)


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


MSGSPEC_DECODER: Final = msgspec.json.Decoder(
    list[MsgspecObservation], dec_hook=msgspec_decode_hook
)
MSGSPEC_ENCODER: Final = msgspec.json.Encoder(enc_hook=msgspec_encode_hook)


def msgspec_load(data: bytes, known: Known) -> list[MsgspecObservation]:
    records = MSGSPEC_DECODER.decode(data)
    check_integrity(records, known)
    return records


def msgspec_dump(records: list[MsgspecObservation]) -> bytes:
    return MSGSPEC_ENCODER.encode(records)


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


def encode_like_file(value: Any) -> bytes:
    """JSON formatted as ``dumps`` formats a data file."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False)
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


def accepts(load: Callable[[], object]) -> bool:
    try:
        load()
    except (ValidationError, pydantic.ValidationError, msgspec.ValidationError, IntegrityError):
        return False
    return True


def compare_checks(document: dict[str, Any], known: Known) -> None:
    """Feed bad inputs to all three and print where their verdicts differ."""
    base = document["observations"][1]
    # The file around the array is kept as text, so that a repeated key survives.
    head = json.dumps({key: value for key, value in document.items() if key != "observations"})

    def verdicts(array: str) -> tuple[bool, ...]:
        data = array.encode()
        file = f'{head[:-1]}, "observations": {array}}}'.encode()
        return (
            accepts(lambda: loads(file)),
            accepts(lambda: pydantic_load(data, known)),
            accepts(lambda: msgspec_load(data, known)),
        )

    names = ("kgru_relations", "pydantic", "msgspec")
    if verdicts(json.dumps([base])) != (True, True, True):
        raise SystemExit("a good observation is refused; the implementations are out of step")
    cases = bad_inputs(base)
    found = [(label, verdicts(array)) for label, array in cases]
    differ = [(label, verdict) for label, verdict in found if any(verdict)]
    print(f"Bad inputs refused by all three: {len(cases) - len(differ)} of {len(cases)}")
    for label, verdict in differ:
        accepted = ", ".join(name for name, ok in zip(names, verdict, strict=True) if ok)
        print(f"  {label:28} accepted by {accepted}")


# --- timing -----------------------------------------------------------------------------------


def median_time(call: Callable[[], T], repeat: int) -> tuple[float, T]:
    """The median wall time of *repeat* calls, and the last call's result."""
    times = []
    result: T
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def peak_memory(call: Callable[[], object]) -> float:
    """The tracemalloc peak, in MiB, of one call (its result included)."""
    gc.collect()
    tracemalloc.start()
    try:
        result = call()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak / MEBIBYTE


class Row:
    """The figures of one implementation."""

    def __init__(self, name: str, load: float, dump: float, peak: float) -> None:
        self.name, self.load, self.dump, self.peak = name, load, dump, peak


def ratios(row: Row, msgspec_row: Row, pydantic_row: Row) -> str:
    def against(field: str) -> str:
        mine = getattr(row, field)
        parts = [
            f"{mine / getattr(other, field):.1f}x {other.name}"
            for other in (msgspec_row, pydantic_row)
            if other is not row
        ]
        return f"{field} = " + ", ".join(parts)

    return f"{row.name:24} {against('load')}; {against('dump')}"


def same_observations(outputs: Iterable[tuple[str, Any]], expected: list[Any]) -> None:
    """Check that each output parses back to the observations of the data file."""
    for name, observations in outputs:
        if observations != expected:
            raise SystemExit(f"{name} wrote different observations from the data file")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="observations (100,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each load and dump (3)")
    arguments = parser.parse_args()
    count, repeat = arguments.count, arguments.repeat

    dataset = synthetic(count)
    data = dumps(dataset)
    document = json.loads(data)
    observations_json = encode_like_file(document["observations"])
    known = Known(document)
    compare_checks(document, known)

    with tempfile.TemporaryDirectory() as directory:
        lines = Path(directory) / "observations.jsonl"
        write_observations(lines, dataset.all(Observation))
        lines_size = lines.stat().st_size

        load, loaded = median_time(lambda: loads(data), repeat)
        dump, dumped = median_time(lambda: dumps(loaded), repeat)
        validate, problems = median_time(loaded.validate, repeat)
        parse, _ = median_time(lambda: json.loads(data), repeat)
        kgru = Row("kgru_relations", load, dump, peak_memory(lambda: loads(data)))
        if dumped != data or problems:
            raise SystemExit("kgru_relations did not read back what it wrote")

        load, streamed = median_time(lambda: list(iter_observations(lines)), repeat)
        dump, _ = median_time(lambda: write_observations(lines, streamed), repeat)
        jsonl = Row(
            "kgru_relations JSONL", load, dump, peak_memory(lambda: list(iter_observations(lines)))
        )
        jsonl_back = [json.loads(line) for line in lines.read_bytes().splitlines()]

    load, models = median_time(lambda: pydantic_load(observations_json, known), repeat)
    dump, pydantic_json = median_time(lambda: pydantic_dump(models), repeat)
    pyd = Row("pydantic", load, dump, peak_memory(lambda: pydantic_load(observations_json, known)))

    load, structs = median_time(lambda: msgspec_load(observations_json, known), repeat)
    dump, msgspec_json = median_time(lambda: msgspec_dump(structs), repeat)
    msg = Row("msgspec", load, dump, peak_memory(lambda: msgspec_load(observations_json, known)))

    same_observations(
        [
            ("write_observations", jsonl_back),
            ("pydantic", json.loads(pydantic_json)),
            ("msgspec", json.loads(msgspec_json)),
        ],
        document["observations"],
    )

    print(
        f"\n{count:,} observations, median of {repeat} runs; "
        f"data file {len(data) / MEBIBYTE:.1f} MiB, observations JSON for pydantic/msgspec "
        f"{len(observations_json) / MEBIBYTE:.1f} MiB, JSON Lines {lines_size / MEBIBYTE:.1f} MiB"
    )
    print(f"\n{'implementation':24} {'load s':>8} {'dump s':>8} {'load peak MiB':>14}")
    rows = (kgru, jsonl, pyd, msg)
    for row in rows:
        print(f"{row.name:24} {row.load:8.3f} {row.dump:8.3f} {row.peak:14.1f}")
    print(f"  of kgru load: Dataset.validate() alone {validate:.3f} s")
    print(f"  for scale: stdlib json.loads of the data file, no checks {parse:.3f} s")
    print()
    for row in (kgru, jsonl, pyd):
        print(ratios(row, msg, pyd))


if __name__ == "__main__":
    main()
