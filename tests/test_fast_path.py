"""The fast path of loads accepts only what the careful path accepts, and builds the same."""

import concurrent.futures
import inspect
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgru_relations import (
    Dataset,
    Observation,
    Tenure,
    ValidationError,
    dumps,
    from_json,
    load_default,
    to_json,
)
from kgru_relations.dataset._integrity import _fits_of
from kgru_relations.io._fast import _Compiler, fast_loads, fast_record, fast_records
from kgru_relations.io._json import decode
from kgru_relations.io._write import wire_writer
from kgru_relations.serialize import SCHEMA_VERSION, _dataset_from
from kgru_relations.strategies import datasets, observations

from .test_schema_agreement import mutate
from .test_serialize_properties import JSON


def careful(data: bytes) -> Dataset | None:
    try:
        return _dataset_from(decode(data))
    except ValidationError:
        return None


def agree(data: bytes) -> Dataset | None:
    """The fast verdict, checked against the careful one."""
    fast = fast_loads(data, SCHEMA_VERSION)
    if fast is not None:
        assert careful(data) == fast
    return fast


def test_the_embedded_dataset_takes_the_fast_path() -> None:
    assert agree(dumps(load_default())) == load_default()


@given(datasets(max_size=3))
def test_every_valid_file_takes_the_fast_path_and_builds_the_same(dataset: Dataset) -> None:
    assert agree(dumps(dataset)) == dataset


@given(datasets(max_size=2), st.data())
def test_a_damaged_file_is_never_accepted_by_the_fast_path_alone(
    dataset: Dataset, data: st.DataObject
) -> None:
    document = json.loads(dumps(dataset))
    for _ in range(data.draw(st.integers(1, 3))):
        mutate(document, data)
    agree(json.dumps(document).encode())
    agree(json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8", "surrogatepass"))


@given(JSON)
def test_arbitrary_json_never_passes_the_fast_path_alone(value: Any) -> None:
    agree(json.dumps(value).encode())
    agree(json.dumps({"schema_version": SCHEMA_VERSION, "sources": [value]}).encode())


@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_pass_the_fast_path_alone(data: bytes) -> None:
    agree(data)


def test_a_key_given_twice_is_left_to_the_careful_path() -> None:
    data = dumps(load_default()).replace(b'"title": ', b'"title": "Twice", "title": ', 1)
    assert fast_loads(data, SCHEMA_VERSION) is None
    assert careful(data) is None


def test_a_key_written_with_a_blank_before_its_colon_takes_the_fast_path() -> None:
    data = dumps(load_default()).replace(b'"title":', b'"title" :', 1)
    assert agree(data) == load_default()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # a blank before a colon does not hide a key given twice
        (b'"title": ', b'"title" : "Twice", "title": '),
        (b'"title": ', b'"title": "Twice", "title"\n: '),
        # nor does a colon in the text of the value kept, or of the value dropped
        (b'"title": ', b'"title": "Twice", "title": "a: b", "z": '),
        (b'"url": ', b'"url": "https://example.org/", "url": '),
        # nor a colon written as an escape in the value kept
        (b'"title": ', b'"title": "x", "title": "a\\u003ab", "z": '),
        (b'"title": ', b'"title": "x", "title": "a\\u003Ab", "z": '),
        # a reference given twice
        (b'"sources": [', b'"sources": ["source:article"], "sources": ['),
    ],
)
def test_a_key_given_twice_is_found_whatever_its_text_holds(old: bytes, new: bytes) -> None:
    data = dumps(load_default()).replace(old, new, 1)
    assert data != dumps(load_default())
    assert agree(data) is None


def test_a_colon_written_as_an_escape_is_left_to_the_careful_path() -> None:
    data = dumps(load_default()).replace(b"https:", b"https\\u003a", 1)
    assert fast_loads(data, SCHEMA_VERSION) is None
    assert careful(data) == load_default()


def test_an_older_schema_version_is_left_to_its_migrations() -> None:
    data = dumps(load_default()).replace(b'"schema_version": 1', b'"schema_version": 0')
    assert fast_loads(data, SCHEMA_VERSION) is None


@given(st.lists(observations(), max_size=3), st.data())
def test_a_json_lines_line_takes_the_fast_path_only_when_sure(
    found: list[Observation], data: st.DataObject
) -> None:
    for observation in found:
        line = json.loads(to_json(observation))
        assert fast_record(Observation, to_json(observation)) == observation
        mutate(line, data)
        text = json.dumps(line).encode()
        fast = fast_record(Observation, text)
        if fast is not None:
            assert from_json(Observation, text) == fast


def test_a_line_with_a_key_given_twice_is_left_to_the_careful_path() -> None:
    line = to_json(load_default().all(Observation)[0]).replace(
        b'"unit":', b'"unit": "EUR", "unit":'
    )
    assert fast_record(Observation, line) is None


def test_lines_read_together_are_refused_together_if_one_is_in_doubt() -> None:
    found = load_default().all(Observation)
    lines = [to_json(observation).strip() for observation in found]
    assert fast_records(Observation, lines) == list(found)
    # One line's key given twice, another's colon written as an escape: the
    # sums of colons could agree, so the escape alone puts the lines in doubt.
    twice = lines[0].replace(b'"unit":', b'"unit": "EUR", "unit":')
    escaped = lines[1].replace(b'"indicator": "indicator:', b'"indicator": "indicator\\u003a')
    assert fast_records(Observation, [twice, *lines[1:]]) is None
    assert fast_records(Observation, [*lines[:1], escaped, *lines[2:]]) is None
    assert fast_records(Observation, [twice, escaped]) is None
    assert fast_record(Observation, escaped) is None
    assert from_json(Observation, escaped) == found[1]


def test_loads_in_many_threads_at_once_each_get_their_own_answer() -> None:
    good = dumps(load_default())
    twice = good.replace(b'"title": ', b'"title": "Twice", "title": ', 1)
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda data: fast_loads(data, SCHEMA_VERSION), [good, twice] * 8))
    assert answers == [load_default(), None] * 8


@given(
    observations(),
    st.data(),
    st.sampled_from([": ", ":", " : ", "\n:\t"]),
    st.text(alphabet=': a\\"\u00e9', max_size=6) | st.none() | st.integers(),
)
def test_a_key_given_twice_anywhere_in_a_line_is_never_taken_the_fast_way(
    observation: Observation, data: st.DataObject, colon: str, other: Any
) -> None:
    line = json.loads(to_json(observation))
    key = data.draw(st.sampled_from(sorted(line)))
    pairs = list(line.items())
    pairs.insert(data.draw(st.integers(0, len(pairs))), (key, other))  # before or after it
    text = (
        "{"
        + ", ".join(f"{json.dumps(name)}{colon}{json.dumps(value)}" for name, value in pairs)
        + "}"
    )
    assert fast_record(Observation, text.encode()) is None
    assert fast_records(Observation, [to_json(observation).strip(), text.encode()]) is None


def test_colons_in_any_text_do_not_put_a_file_in_doubt() -> None:
    document = json.loads(dumps(load_default()))

    def colons(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: item + ": a:b" if key in {"text", "title", "note"} else colons(item)
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [colons(item) for item in value]
        return value

    data = json.dumps(colons(document), indent=2, ensure_ascii=False).encode()
    assert data.count(b": a:b") > 100
    assert agree(data) is not None


def test_the_generated_builders_and_writers_are_registered_with_linecache() -> None:
    # Every function the load and save paths compile has a readable file name whose
    # lines a traceback, a debugger or a profiler can show.
    build = _Compiler().plan(Observation).build
    write = wire_writer(Observation)
    for function, name in ((build, "fast build Observation"), (write, "write Observation")):
        assert function.__code__.co_filename.startswith(f"<kgru_relations generated {name}")
        assert inspect.getsource(function).startswith(("def build(wire):", "def write(value):"))


def test_the_compiled_reference_test_of_the_integrity_check_is_registered_with_linecache() -> None:
    # The dataset's integrity check compiles one reference test per class, the same way.
    fits = _fits_of(Tenure)
    assert fits.__code__.co_filename.startswith("<kgru_relations generated fits Tenure")
    assert inspect.getsource(fits).startswith("def fits(entity, get):")
