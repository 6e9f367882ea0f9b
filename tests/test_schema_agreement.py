"""The JSON Schema accepts what ``loads`` accepts, as far as a schema can say it.

Files are generated valid, then damaged one value at a time. ``loads`` must
never accept what the schema refuses; and where the schema accepts what
``loads`` refuses, every reason ``loads`` gives must be one a schema cannot
express (a calendar, another record, a rule across fields), listed below.
"""

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgru_relations import (
    Name,
    Observation,
    Source,
    ValidationError,
    _text,
    dates,
    dumps,
    json_schema,
    loads,
    money,
)
from kgru_relations._checks import Check
from kgru_relations.io import forget_compiled
from kgru_relations.io._fast import fast_loads
from kgru_relations.model import ENTITY_CLASSES, Organization, StatusChange, _base, actors, sources
from kgru_relations.model._base import check_id, reference_kinds
from kgru_relations.serialize import SCHEMA_VERSION, iter_observations
from kgru_relations.strategies import datasets, edge_values

from .test_serialize_properties import JSON

SCHEMA = jsonschema.Draft202012Validator(json_schema())

# What a schema cannot check, with the words loads uses for it.
BEYOND_A_SCHEMA = re.compile(
    "|".join(
        [
            "is not a real date",  # 2025-02-30: a calendar
            "must not be before",  # an end before its start
            "must not be after",
            "with id",  # a reference to no entity, or a duplicate id
            "is a [a-z]+, not a",  # a reference to an entity of another kind
            "duplicate id",
            "overlap",  # two tenures or chairs at once
            "is listed twice",  # uniqueness after normalising ("KG" and "kgz")
            "digits (before|after) the point",  # an amount's size
            "needs a signing date",  # rules across fields
            "must not be negative",  # an indicator's sign, in another record
            "second account",  # variant_of, in another record
            "withdrawn",  # a withdrawn code that looks like a current one
            "is not a period",  # the order of a period's two ends
            "an acting",
            "the (start|end) of",
        ]
    )
)

# Values a file is likely to get nearly right, or wrong in an instructive way; and values
# at and just past the edge of each rule, drawn from the rules' own limits.
NEAR_MISSES: st.SearchStrategy[Any] = edge_values() | st.sampled_from(
    [
        "kg",
        "KGZ",
        "kgz",
        "417",
        "SU",
        "XK",
        "ru",
        "RUS",
        "rus",
        "Cyrl",
        "cyrl",
        "215",
        "USD",
        "usd",
        "840",
        "2025",
        "2025-13-01",
        "2025-02-30",
        "2025-Q4",
        "2025-Q5",
        "2024/..",
        "../2024",
        "2024/2023",
        "2025-01-22",
        "20250122",
        "3.2E9",
        "1e999",
        "-0",
        "0.000000000000000000001",
        " x",
        "x ",
        "a\u0000b",
        "a\nb",
        "\ud800",
        "Q42",
        "Q0",
        "https://x.org",
        "http://[x",
        "person:x",
        "state:kg",
        "verified",
        "treaty",
        "in_force",
        "common",
        "",
        None,
        True,
        0,
        -1,
        1.5,
        [],
        {},
    ]
)


def loads_verdict(text: str) -> list[str]:
    try:
        loads(text)
    except ValidationError as error:
        return [issue.message for issue in error.issues]
    return []


def mutate(node: Any, data: st.DataObject) -> None:
    """Change one value somewhere inside *node* (an object or a list)."""
    while True:
        if isinstance(node, list) and node:
            index = data.draw(st.integers(0, len(node) - 1))
            child = node[index]
            if isinstance(child, dict | list) and child and data.draw(st.booleans()):
                node = child
                continue
            node[index] = data.draw(NEAR_MISSES | JSON)
            return
        if isinstance(node, dict) and node:
            key = data.draw(st.sampled_from(sorted(node)))
            child = node[key]
            if isinstance(child, dict | list) and child and data.draw(st.booleans()):
                node = child
                continue
            action = data.draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "replace":
                node[key] = data.draw(NEAR_MISSES | JSON)
            elif action == "delete":
                del node[key]
            else:
                node[data.draw(st.text(max_size=8))] = data.draw(NEAR_MISSES)
            return
        return


def check_agreement(document: dict[str, Any]) -> None:
    text = json.dumps(document)
    schema_errors = list(SCHEMA.iter_errors(json.loads(text)))
    reasons = loads_verdict(text)
    if not reasons:
        assert schema_errors == [], [error.message[:200] for error in schema_errors]
    elif not schema_errors:
        unexplained = [reason for reason in reasons if not BEYOND_A_SCHEMA.search(reason)]
        assert unexplained == [], unexplained


@given(datasets(max_size=3))
def test_the_schema_accepts_every_valid_file(dataset: Any) -> None:
    check_agreement(json.loads(dumps(dataset)))


@given(datasets(max_size=2), st.data())
def test_the_schema_and_loads_agree_on_damaged_files(dataset: Any, data: st.DataObject) -> None:
    document = json.loads(dumps(dataset))
    for _ in range(data.draw(st.integers(1, 2))):
        mutate(document, data)
    check_agreement(document)


def test_every_field_names_a_check_object_and_the_schema_is_its_schema() -> None:
    # One rule in one place: each field's check is an object that both checks
    # a value and gives the schema that says the same; the file's schema is
    # assembled from those objects, never written beside them.
    for cls in (*ENTITY_CLASSES, StatusChange):
        definition = json_schema()["$defs"][cls.__name__]["properties"]
        for field in attrs.fields(cls):
            if field.name == "id":  # the id rule, for the class's own kind
                assert definition["id"] == check_id.schema((cls.KIND,))  # type: ignore[attr-defined]
                continue
            check = field.metadata["check"]
            assert isinstance(check, Check), (cls.__name__, field.name, check)
            schema = check.schema(reference_kinds(cls, field))
            assert definition[field.name] == schema, (cls.__name__, field.name)


# --- one rule, changed where it is defined, changes every reader alike -------------------


def recompile() -> None:
    """Forget what was compiled from the rules, as a new process would not have it."""
    forget_compiled()
    global SCHEMA  # noqa: PLW0603 - the module's validator is compiled from the rules too
    SCHEMA = jsonschema.Draft202012Validator(json_schema())


@pytest.fixture
def rules(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """A monkeypatch for rule definitions; what was compiled from them is forgotten."""
    recompile()
    yield monkeypatch
    monkeypatch.undo()
    recompile()


def observation_file(value: str) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "sources": [{"id": "source:s", "title": "A report", "url": "https://example.org/r"}],
        "indicators": [
            {"id": "indicator:i", "names": [{"text": "Balance"}], "allows_negative": True}
        ],
        "observations": [
            {
                "id": "observation:o",
                "indicator": "indicator:i",
                "reporter": "KG",
                "period": "2025",
                "value": value,
                "unit": "USD",
                "sources": ["source:s"],
            }
        ],
    }


def readers(document: dict[str, Any]) -> dict[str, bool]:
    """Which readers accept *document*: the model, the fast and careful paths, the schema."""
    raw = json.dumps(document).encode()
    try:
        for collection, cls in (
            ("sources", Source),
            ("observations", Observation),
            ("organizations", Organization),
        ):
            for record in document.get(collection, ()):
                names = [Name(**name) for name in record.get("names", ())]
                cls(**(record | {"names": names} if names else record))
        model = True
    except ValidationError:
        model = False
    try:
        loads(b"\xef\xbb\xbf" + raw)  # a byte order mark: loads takes the careful path
        careful = True
    except ValidationError:
        careful = False
    return {
        "model": model,
        "fast path": fast_loads(raw, SCHEMA_VERSION) is not None,
        "careful path": careful,
        "schema": SCHEMA.is_valid(json.loads(raw)),
    }


ALL = {"model": True, "fast path": True, "careful path": True, "schema": True}
NONE = dict.fromkeys(ALL, False)


def json_lines_reads(document: dict[str, Any], folder: Path) -> set[bool]:
    """Whether a JSON Lines file of *document*'s observations is read, on each of its paths.

    Lines are read together (fast) when every line is sure, else one by one
    (carefully): a line that is not an observation sends the others there too.
    """
    records = [json.dumps(record) for record in document["observations"]]
    verdicts = set()
    for extra in ([], ['"not an observation"']):
        file = folder / "observations.jsonl"
        file.write_text("\n".join([*records, *extra]) + "\n")
        verdicts.add(len(list(iter_observations(file, on_error="skip"))) == len(records))
    return verdicts


@pytest.mark.parametrize(("integer_digits", "fraction_digits"), [(30, 18), (20, 6), (40, 25)])
def test_changing_an_amount_limit_changes_the_model_both_load_paths_and_the_schema_alike(
    rules: pytest.MonkeyPatch, integer_digits: int, fraction_digits: int, tmp_path: Path
) -> None:
    rules.setattr(money, "MAX_INTEGER_DIGITS", integer_digits)
    rules.setattr(money, "MAX_FRACTION_DIGITS", fraction_digits)
    recompile()
    widest = "9" * integer_digits + "." + "9" * fraction_digits
    # A JSON Lines file of observations, read fast or carefully, takes the same amounts.
    for value, taken in (("-" + widest, True), ("1" + widest, False), (widest + "0", False)):
        assert json_lines_reads(observation_file(value), tmp_path) == {taken}, value
    assert readers(observation_file(widest)) == ALL
    assert readers(observation_file("-" + widest)) == ALL
    assert readers(observation_file("000" + widest)) == ALL  # leading zeros are not digits
    assert readers(observation_file("1" + widest)) == NONE  # one digit too many before
    assert readers(observation_file(widest + "0")) == NONE  # one too many after
    # A file read before the change is read again under the changed rule.
    assert readers(observation_file("9" * 25)) == (ALL if integer_digits >= 25 else NONE)
    assert readers(observation_file("0." + "1" * 20)) == (ALL if fraction_digits >= 20 else NONE)


def test_changing_the_web_address_form_changes_the_model_both_load_paths_and_the_schema_alike(
    rules: pytest.MonkeyPatch,
) -> None:
    document = observation_file("1")
    document["sources"][0]["url"] = "http://example.org/r"
    assert readers(document) == ALL
    rules.setattr(sources, "URL_SCHEMES", ("https",))
    recompile()
    assert readers(document) == NONE
    document["sources"][0]["url"] = "HTTPS://example.org/r"  # a scheme is read in any case
    assert readers(document) == ALL


def test_changing_the_refused_text_categories_changes_the_model_both_load_paths_and_the_schema(
    rules: pytest.MonkeyPatch,
) -> None:
    document = observation_file("1")
    document["sources"][0]["title"] = "A report \ue000 in private use"
    assert readers(document) == ALL
    rules.setattr(_text, "_REFUSED_CATEGORIES", _text._REFUSED_CATEGORIES | {"Co"})
    recompile()
    assert readers(document) == NONE


def test_changing_the_day_form_changes_the_model_both_load_paths_and_the_schema_alike(
    rules: pytest.MonkeyPatch,
) -> None:
    document = observation_file("1")
    document["sources"][0]["retrieved"] = "20250122"
    assert readers(document) == NONE
    rules.setattr(dates, "DAY_FORM", r"[0-9]{4}-?[0-9]{2}-?[0-9]{2}")
    recompile()
    assert readers(document) == ALL


def test_changing_the_id_form_changes_the_model_both_load_paths_and_the_schema_alike(
    rules: pytest.MonkeyPatch,
) -> None:
    document = observation_file("1")
    document["sources"][0]["id"] = "source:Report-1"
    document["observations"][0]["sources"] = ["source:Report-1"]
    assert readers(document) == NONE
    rules.setattr(_base, "_SLUG", r"[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*")
    recompile()
    assert readers(document) == ALL


def test_changing_the_wikidata_id_form_changes_the_model_both_load_paths_and_the_schema_alike(
    rules: pytest.MonkeyPatch,
) -> None:
    document = observation_file("1")
    document["organizations"] = [
        {
            "id": "organization:o",
            "names": [{"text": "An organisation"}],
            "kind": "intergovernmental",
            "wikidata": "Q0813",
            "sources": ["source:s"],
        }
    ]
    assert readers(document) == NONE  # no leading zero today
    rules.setattr(actors, "WIKIDATA_ID", re.compile(r"Q[0-9]+\Z"))
    recompile()
    assert readers(document) == ALL
    document["organizations"][0]["wikidata"] = "L813"  # a lexeme is still not an item
    assert readers(document) == NONE


# --- the date forms: the reader's and the schema's are one statement -----------------------

# What a pattern cannot say of a date: the calendar (a month's length) and the year 0.
CALENDAR = re.compile(r"day [0-9]+ is out of range for|year must be")


def parse_refusal(text: str) -> str | None:
    """Why ``PartialDate.parse`` refuses *text*, or None if it reads it."""
    try:
        dates.PartialDate.parse(text)
    except ValidationError as error:
        return error.issues[0].message
    return None


@given(
    st.from_regex(dates.DATE_TEXT, fullmatch=True)
    | st.from_regex(f"^{dates.DATE_SCHEMA_PATTERN}$", fullmatch=True)
)
def test_the_schema_reads_a_date_as_parse_does(text: str) -> None:
    # Drawn from either form, loose parts and all (2025-Q7, 2025-00-99): a form
    # or a range written into one of them alone makes them differ on some text.
    schema = re.fullmatch(dates.DATE_SCHEMA_PATTERN, text) is not None
    refusal = parse_refusal(text)
    # Read: the schema takes it too. Refused: the schema too, or for the calendar.
    agrees = schema if refusal is None else not schema or CALENDAR.search(refusal)
    assert agrees, (text, refusal)
    # A period's sides are dates of the same forms, in the period's schema too.
    for period in (f"{text}/..", f"../{text}", f"{text}/"):
        assert (re.fullmatch(dates.period_schema_pattern(), period) is not None) == schema, period


def part_edges() -> list[str]:
    """Dates whose one part is each value its digits hold, or is a digit short or long."""
    texts = [f"{year:04d}" for year in (0, 1, 2024, 9999)]
    texts += [f"2024-Q{quarter}" for quarter in range(10)]
    texts += [f"2024-{month:02d}" for month in range(100)]
    texts += [f"2024-{month}-{day:02d}" for month in ("01", "02", "04") for day in range(100)]
    # Each part a digit short or long of its width.
    texts += [
        "202",
        "02024",
        "2024-Q",
        "2024-Q01",
        "2024-1",
        "2024-001",
        "2024-01-1",
        "2024-01-001",
    ]
    return texts


def test_the_schema_and_parse_agree_on_every_value_of_each_date_part() -> None:
    # Each range (quarters, months, days) at and past both ends, so a range
    # written into the schema's pattern or the reader alone cannot pass.
    for text in part_edges():
        schema = re.fullmatch(dates.DATE_SCHEMA_PATTERN, text) is not None
        refusal = parse_refusal(text)
        # Read: the schema takes it too. Refused: the schema too, or for the calendar.
        agrees = schema if refusal is None else not schema or CALENDAR.search(refusal)
        assert agrees, (text, refusal)
