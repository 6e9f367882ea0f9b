"""Laws of the file format, for any data hypothesis can find."""

import json
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgru_relations import (
    Dataset,
    Issue,
    Money,
    Observation,
    ValidationError,
    dumps,
    from_dict,
    from_json,
    iter_observations,
    json_schema,
    loads,
    to_dict,
    write_observations,
)
from kgru_relations.model import ENTITY_CLASSES, Entity
from kgru_relations.serialize import SCHEMA_VERSION
from kgru_relations.strategies import datasets, money, observations

from .test_strategies import STRATEGIES

SCHEMA = jsonschema.Draft202012Validator(json_schema())

# Any character at all: controls, format characters, lone surrogates.
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=20)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**120, max_value=10**130)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.decimals(allow_nan=False, allow_infinity=False).map(str)
    | st.text(max_size=20)
    | ANY_TEXT,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=12) | ANY_TEXT, children, max_size=4)
    ),
    max_leaves=25,
)


@pytest.mark.parametrize(("cls", "strategy"), STRATEGIES, ids=lambda v: getattr(v, "__name__", ""))
@given(data=st.data())
def test_every_model_class_round_trips_through_a_dict(
    cls: type[Entity], strategy: st.SearchStrategy[Entity], data: st.DataObject
) -> None:
    entity = data.draw(strategy)
    plain = to_dict(entity)
    assert json.loads(json.dumps(plain)) == plain  # it really is JSON data
    assert from_dict(cls, plain) == entity


@given(datasets())
def test_datasets_round_trip_byte_for_byte(dataset: Dataset) -> None:
    data = dumps(dataset)
    again = loads(data)
    assert again == dataset
    assert dumps(again) == data


@given(datasets())
def test_dumps_writes_what_the_standard_library_would(dataset: Dataset) -> None:
    # The format is defined by json.dumps of each record's to_dict; dumps writes
    # it faster (records as msgspec structs, written by msgspec), byte for byte.
    document: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for cls in ENTITY_CLASSES:
        if dataset.all(cls):
            records = sorted(dataset.all(cls), key=lambda entity: entity.id)
            document[cls.COLLECTION] = [to_dict(entity) for entity in records]
    expected = json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2)
    assert dumps(dataset) == (expected + "\n").encode("utf-8")


@given(datasets())
def test_what_dumps_writes_matches_the_schema(dataset: Dataset) -> None:
    assert list(SCHEMA.iter_errors(json.loads(dumps(dataset)))) == []


def only_validation_errors(data: bytes | str, read: Callable[[Any], object] = loads) -> None:
    """Read *data*: it may fail, but only with a ValidationError that says where, in our words.

    Its report is printable, bounded and UTF-8; what reads can be written again.
    """
    try:
        value = read(data)
    except ValidationError as error:
        issues = error.issues
    else:
        if isinstance(value, Dataset):
            assert loads(dumps(value)) == value  # never a UnicodeEncodeError on the way out
        return
    assert issues
    assert all(issue.path.startswith("$") for issue in issues)
    # Never cattrs' wording ("While structuring Money (2 sub-exceptions)").
    assert not any("While structuring" in issue.message for issue in issues)
    for issue in issues:
        assert issue.path.isprintable()
        assert issue.message.isprintable()
        assert len(issue.message) <= 400
        str(issue).encode("utf-8")


@given(JSON)
def test_no_json_makes_loads_raise_anything_else(value: Any) -> None:
    only_validation_errors(json.dumps(value))
    only_validation_errors(json.dumps({"schema_version": 1, "persons": value}))
    only_validation_errors(json.dumps({"schema_version": 1, "persons": [value]}))


@given(st.binary(max_size=200))
def test_no_bytes_make_loads_raise_anything_else(data: bytes) -> None:
    only_validation_errors(data)


@given(datasets(max_size=2), st.data())
def test_a_damaged_valid_file_gives_only_validation_errors(
    dataset: Dataset, data: st.DataObject
) -> None:
    document = json.loads(dumps(dataset))
    collections = [key for key in document if key != "schema_version"]
    collection = data.draw(st.sampled_from(collections))
    record = data.draw(st.sampled_from(document[collection]))
    key = data.draw(st.sampled_from(sorted(record)) | st.text(max_size=8) | ANY_TEXT)
    record[key] = data.draw(JSON)
    only_validation_errors(json.dumps(document))
    only_validation_errors(
        json.dumps(document, ensure_ascii=False).encode("utf-8", "surrogatepass")
    )


@given(money())
def test_money_round_trips_through_a_dict_as_decimal_text(amount: Money) -> None:
    plain = to_dict(amount)
    assert plain == {"amount": format(amount.amount, "f"), "currency": amount.currency}
    assert from_dict(Money, plain) == amount


@given(JSON)
def test_no_json_makes_from_dict_money_raise_anything_else(value: Any) -> None:
    only_validation_errors(value, lambda data: from_dict(Money, data))


@pytest.mark.parametrize("cls", ENTITY_CLASSES, ids=lambda cls: cls.__name__)
@given(value=JSON)
def test_no_json_makes_from_dict_or_from_json_raise_anything_else(
    cls: type[Entity], value: Any
) -> None:
    only_validation_errors(value, lambda data: from_dict(cls, data))
    only_validation_errors(json.dumps(value), lambda data: from_json(cls, data))


@given(st.lists(st.binary(max_size=60) | JSON.map(json.dumps).map(str.encode), max_size=5))
def test_no_lines_make_the_json_lines_reader_raise_anything_else(lines: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "observations.jsonl"
        path.write_bytes(b"\n".join(line.replace(b"\n", b" ") for line in lines))
        skipped: list[Issue] = []
        list(iter_observations(path, on_error="skip", errors=skipped))
        for issue in skipped:
            assert issue.line is not None
            assert issue.message.isprintable()
        only_validation_errors(str(path), lambda file: list(iter_observations(file)))


@given(st.lists(observations(), max_size=5))
def test_json_lines_are_what_the_standard_library_would_write(found: list[Observation]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "observations.jsonl"
        write_observations(path, found)
        written = path.read_bytes()
    expected = "".join(
        json.dumps(to_dict(o), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
        for o in found
    )
    assert written == expected.encode("utf-8")


@pytest.mark.parametrize(
    "amount",
    ["1E-7", "0E-7", "0.0000010", "123.4500", "-0", "1E+2", "0.000001", "12345678901234567890"],
)
def test_every_amount_is_written_without_an_exponent(amount: str) -> None:
    value = Decimal(amount)
    observation = Observation(
        id="observation:a",
        indicator="indicator:i",
        reporter="KG",
        period="2024",
        value=value,
        unit="USD",
        sources=["source:s"],
    )
    assert to_dict(observation)["value"] == format(observation.value, "f")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "observations.jsonl"
        write_observations(path, [observation])
        assert json.loads(path.read_bytes())["value"] == format(observation.value, "f")
