import datetime as dt
import json
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest

import kgru_relations
from kgru_relations import (
    Dataset,
    Money,
    Name,
    Observation,
    PartialDate,
    Period,
    Person,
    Qualifier,
    Tenure,
    ValidationError,
    dumps,
    from_dict,
    from_json,
    iter_observations,
    json_schema,
    load,
    loads,
    save,
    to_dict,
    to_json,
    write_observations,
)
from kgru_relations.io._migrations import _MIGRATIONS
from kgru_relations.serialize import (
    SCHEMA_VERSION,
    make_converter,
    register_migration,
)

from .builders import document, observation_record, tenure_record
from .world import world

WORLD = world()
SCHEMA = jsonschema.Draft202012Validator(
    json_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def problems(data: bytes | str) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        loads(data)
    return [str(issue) for issue in caught.value]


INDICATORS = [{"id": "indicator:t", "names": [{"text": "Trade turnover"}]}]


# --- round trips ---------------------------------------------------------------------------


def test_dumps_and_loads_round_trip_the_world() -> None:
    data = dumps(WORLD)
    assert loads(data) == WORLD
    assert dumps(loads(data)) == data


def test_dumps_is_deterministic_and_diff_friendly() -> None:
    data = dumps(WORLD)
    assert data.endswith(b"}\n")
    parsed = json.loads(data)
    assert list(parsed) == sorted(parsed)
    assert parsed["schema_version"] == SCHEMA_VERSION
    for records in (value for key, value in parsed.items() if key != "schema_version"):
        assert [record["id"] for record in records] == sorted(record["id"] for record in records)
        assert all(list(record) == sorted(record) for record in records)
    assert "Садыр Жапаров".encode() in data  # UTF-8, not \\u escapes
    assert dumps(Dataset(reversed(list(WORLD)))) == data


def test_file_values_are_text_forms() -> None:
    parsed = json.loads(dumps(WORLD))
    [trade] = [o for o in parsed["observations"] if o["id"] == "observation:trade-kg-2024"]
    assert trade["value"] == "3200000000"
    assert trade["period"] == "2024"
    assert trade["qualifier"] == "approximately"
    assert "kind" not in trade  # the default, actual, is left out
    [tenure] = [t for t in parsed["tenures"] if t["id"] == "tenure:kasymaliev-cabinet"]
    assert tenure["period"] == "2024-12-16/.."
    assert tenure["acting"] is True


def test_save_and_load(tmp_path: Path) -> None:
    path = tmp_path / "kg_ru.json"
    save(WORLD, path)
    assert load(path) == WORLD
    assert path.read_bytes() == dumps(WORLD)
    assert [p.name for p in tmp_path.iterdir()] == ["kg_ru.json"]


def test_save_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "data.json"
    save(WORLD, path)
    before = path.read_bytes()

    def crash(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        save(Dataset(), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["data.json"]  # no temporary file left


def test_save_keeps_permissions_and_follows_links(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_bytes(b"old")
    path.chmod(0o640)
    save(WORLD, path)
    assert path.stat().st_mode & 0o777 == 0o640
    link = tmp_path / "current.json"
    link.symlink_to(path)
    save(Dataset(), link)
    assert link.is_symlink()
    assert loads(path.read_bytes()) == Dataset()
    fresh = tmp_path / "new.json"
    save(WORLD, fresh)
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask


def test_load_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "nothing.json")


def test_single_records() -> None:
    lavrov = Person(id="person:sergey-lavrov", names=[Name("Sergey Lavrov")], sources=["source:s"])
    assert to_dict(lavrov) == {
        "id": "person:sergey-lavrov",
        "names": [{"text": "Sergey Lavrov"}],
        "sources": ["source:s"],
    }
    assert from_dict(Person, to_dict(lavrov)) == lavrov
    assert from_json(Person, to_json(lavrov)) == lavrov
    assert from_json(Person, to_json(lavrov).decode()) == lavrov
    assert to_json(PartialDate(2025, 5)) == b'"2025-05"\n'
    assert from_dict(Period, "2025/2027") == Period("2025", "2027")
    assert from_dict(Name, {"text": "Жапаров", "language": "ru", "kind": "alias"}).language == "ru"


def test_a_converter_of_ones_own() -> None:
    converter = make_converter()
    assert converter.structure("2025-Q3", PartialDate) == PartialDate(2025, quarter=3)
    assert converter is not make_converter()


# --- errors, each with its path --------------------------------------------------------------


def test_the_errors_users_are_promised() -> None:
    data = document(
        indicators=INDICATORS,
        observations=[
            observation_record(),
            observation_record(id="observation:b", reporter="XX", value="-5"),
        ],
        tenures=[
            {
                "id": "tenure:t",
                "person": "person:nobody",
                "position": "position:p",
                "period": "2020/..",
                "sources": ["source:s"],
            }
        ],
    )
    found = problems(json.dumps(data))
    assert "$.observations[1].reporter: 'XX' is not an ISO 3166-1 alpha-2 country code" in found
    assert any(
        line.startswith("$.observations[1].value: must not be negative (got '-5')")
        for line in found
    )
    assert "$.tenures[0].person: no person with id 'person:nobody'" in found
    # A record with two bad fields yields two issues.
    assert [line for line in found if line.startswith("$.observations[1]")] == [
        "$.observations[1].reporter: 'XX' is not an ISO 3166-1 alpha-2 country code",
        "$.observations[1].value: must not be negative (got '-5'); "
        "'indicator:t' does not allow a balance",
    ]


def test_every_problem_in_a_record_is_reported() -> None:
    found = problems(
        json.dumps(
            document(
                indicators=INDICATORS,
                observations=[
                    observation_record(
                        period="2025-02-30", value=3.2, unit="dollars!", zz=1, reporter="KG"
                    )
                ],
            )
        )
    )
    assert found == [
        "$.observations[0].zz: unknown key; expected one of confidence, id, indicator, kind, "
        "note, partner, period, qualifier, reporter, sources, subject, unit, value, variant_of",
        "$.observations[0].period: '2025-02-30' is not a real date: day 30 is out of range for "
        "February 2025 (it has 28 days)",
        '$.observations[0].value: expected a decimal string such as "3.2", got the JSON number '
        "3.2; amounts are written as strings because a float would lose digits",
        "$.observations[0].unit: 'dollars!' is not a unit; expected an ISO 4217 currency code "
        "such as 'USD' or a lowercase word such as 'project'",
    ]


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({"id": "source:a"}, "$.sources[1].title: required field is missing"),
        ({"id": "source:a", "title": 5}, "$.sources[1].title: expected text, got 5 (a number)"),
        ({"id": "Source A", "title": "A"}, "$.sources[1].id: 'Source A' is not a valid id"),
        ({"id": "source:a", "title": "A", "url": "ftp://x"}, "$.sources[1].url: 'ftp://x'"),
        ("source:a", "$.sources[1]: expected a Source (a JSON object), got 'source:a'"),
    ],
)
def test_bad_sources(record: object, expected: str) -> None:
    data = {"schema_version": 1, "sources": [{"id": "source:s", "title": "S"}, record]}
    [found] = problems(json.dumps(data))
    assert found.startswith(expected)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "$: the input is empty; expected a JSON object"),
        (b"  \n", "$: the input is empty; expected a JSON object"),
        (b"\xff\xfe{}", "$: the input is not UTF-8 text (byte 0: invalid start byte)"),
        (b'{"schema_version": 1,\n "sources": [1,]}', "line 2, column 16: $: not valid JSON"),
        (b"[1, 2]", "$: expected a data file (a JSON object), got a list"),
        (b"[" * 100_000, "$: the JSON is nested too deeply to read"),
        (b'{"a":' * 100_000, "$: the JSON is nested too deeply to read"),
        (
            b'{"schema_version": 1, "sources": [{"id": "source:a", "title": NaN}]}',
            "$.sources[0].title: expected text, got NaN (not JSON: write a number as a decimal",
        ),
        (
            b'{"schema_version": -Infinity}',
            "$.schema_version: expected an integer version, got -Infinity (not JSON: write",
        ),
        (
            b'{"schema_version": ' + b"9" * 5000 + b"}",
            "$.schema_version: expected an integer version, got 999999999999… (5000 characters)",
        ),
        (b'{"schema_version": 1e999}', "$.schema_version: expected an integer version, got 1e999"),
        (b'{"schema_version": 1.0}', "$.schema_version: expected an integer version, got 1.0 (a"),
        (b'{"sources": []}', "$.schema_version: required field is missing; this library writes 1"),
        (b'{"schema_version": "1"}', "$.schema_version: expected an integer version, got '1'"),
        (b'{"schema_version": 1, "schema_version": 1}', "$.schema_version: this key appears"),
        (b'{"schema_version": 1, "people": []}', "$.people: unknown key; expected one of"),
        (b'{"schema_version": 1, "sources": {}}', "$.sources: expected a list, got an object"),
        (
            b'{"schema_version": 1, "sources": [{"id": "source:a", "title": "A", "title": "B"}]}',
            "$.sources[0].title: this key appears more than once",
        ),
        ("\ufeff{}", "$.schema_version: required field is missing"),
        (b'"text"', "$: expected a data file (a JSON object), got 'text'"),
        (b"null", "$: expected a data file (a JSON object), got null"),
    ],
)
def test_bad_files(data: bytes | str, expected: str) -> None:
    found = problems(data)
    assert found[0].startswith(expected), found


def test_a_newer_file_is_refused_naming_both_versions() -> None:
    assert problems(b'{"schema_version": 2}') == [
        "$.schema_version: the file has schema_version 2, but this version of kgru_relations "
        "reads up to 1; upgrade kgru-relations to read it"
    ]


def test_an_older_file_goes_through_the_registered_migrations() -> None:
    old = {"schema_version": 0, "sources": [{"id": "source:s", "name": "S"}]}
    assert problems(json.dumps(old)) == [
        "$.schema_version: the file has schema_version 0, and no migration from it to 1 is known"
    ]

    @register_migration(0)
    def rename(data: dict[str, Any]) -> dict[str, Any]:
        for source in data["sources"]:
            source["title"] = source.pop("name")
        return data

    try:
        migrated = loads(json.dumps(old))
    finally:
        del _MIGRATIONS[0]
    assert migrated.get("source:s").label == "S"
    assert json.loads(dumps(migrated))["schema_version"] == 1


def test_references_to_records_that_failed_are_not_reported_twice() -> None:
    data = document(
        persons=[{"id": "person:a", "names": []}],
        tenures=[
            {
                "id": "tenure:t",
                "person": "person:a",
                "position": "position:gone",
                "period": "2020/..",
                "sources": ["source:s"],
            }
        ],
    )
    assert problems(json.dumps(data)) == [
        "$.persons[0].sources: required field is missing",
        "$.persons[0].names: needs at least 1 item",
        "$.tenures[0].position: no position with id 'position:gone'",
    ]


def test_integrity_paths_point_into_the_file_even_after_a_bad_record() -> None:
    data = document(
        persons=[
            {"id": "person:bad"},
            {"id": "person:good", "names": [{"text": "G"}], "sources": ["source:gone"]},
        ]
    )
    assert problems(json.dumps(data)) == [
        "$.persons[0].sources: required field is missing",
        "$.persons[0].names: required field is missing",
        "$.persons[1].sources[0]: no source with id 'source:gone'",
    ]


def test_a_second_account_in_a_file_must_name_a_record_of_its_own_kind() -> None:
    people = [{"id": "person:p", "names": [{"text": "P"}], "sources": ["source:s"]}]
    positions = [
        {
            "id": "position:q",
            "names": [{"text": "Q"}],
            "kind": "other",
            "organization": "organization:o",
            "single_holder": False,
            "sources": ["source:s"],
        }
    ]
    organizations = [
        {"id": "organization:o", "names": [{"text": "O"}], "kind": "other", "sources": ["source:s"]}
    ]
    data = document(
        persons=people,
        organizations=organizations,
        positions=positions,
        tenures=[
            tenure_record("a"),
            tenure_record("b", variant_of="tenure:a"),
            tenure_record("c", variant_of="person:p"),
            # A bad period and a wrong-kind variant in one record: both reported.
            tenure_record("d", period="2020/2019", variant_of="event:e"),
        ],
    )
    assert problems(json.dumps(data)) == [
        "$.tenures[2].variant_of: 'person:p' is a person, not a tenure",
        "$.tenures[3].period: '2020/2019' is not a period: the end 2019 is before the start 2020",
        "$.tenures[3].variant_of: no tenure with id 'event:e'",
    ]
    assert (
        loads(
            json.dumps(
                document(
                    persons=people,
                    organizations=organizations,
                    positions=positions,
                    tenures=[tenure_record("a"), tenure_record("b", variant_of="tenure:a")],
                )
            )
        )
        .get("tenure:b", Tenure)
        .variant_of
        == "tenure:a"
    )
    assert list(SCHEMA.iter_errors(data))  # the schema, derived from the model, agrees


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, ["$.amount: required field is missing", "$.currency: required field is missing"]),
        (
            {"amount": 1.5, "currency": "XXQ"},
            [
                '$.amount: expected a decimal string such as "1.5", got the JSON number 1.5; '
                "amounts are written as strings because a float would lose digits",
                "$.currency: 'XXQ' is not an ISO 4217 currency code",
            ],
        ),
        (
            {"amount": "1", "currency": "USD", "x": 1},
            ["$.x: unknown key; expected one of amount, currency"],
        ),
        (5, ["$: expected money (a JSON object), got 5 (a number)"]),
    ],
)
def test_money_from_a_dict_reports_each_field_in_our_words(
    data: object, expected: list[str]
) -> None:
    with pytest.raises(ValidationError) as caught:
        from_dict(Money, data)
    assert [str(issue) for issue in caught.value.issues] == expected
    assert from_dict(Money, {"amount": "-12.50", "currency": "840"}) == Money("-12.50", "USD")


def test_names_in_files_report_each_field() -> None:
    data = document(
        persons=[
            {
                "id": "person:a",
                "names": [{"text": "A"}, {"text": " B", "kind": "nickname", "lang": "ru"}, "C"],
                "sources": ["source:s"],
            }
        ]
    )
    # A name is a record like any other: an unknown key and its fields' problems, all at once.
    assert problems(json.dumps(data)) == [
        "$.persons[0].names[1].lang: unknown key; expected one of kind, language, script, text",
        "$.persons[0].names[1].text: ' B' has leading or trailing whitespace",
        "$.persons[0].names[1].kind: 'nickname' is not a kind of name; expected one of "
        "'official', 'common', 'transliteration', 'alias'",
        "$.persons[0].names[2]: expected a name (a JSON object), got 'C'",
    ]
    data["persons"][0]["names"] = [{"text": " B", "kind": "nickname"}]
    assert problems(json.dumps(data)) == [
        "$.persons[0].names[0].text: ' B' has leading or trailing whitespace",
        "$.persons[0].names[0].kind: 'nickname' is not a kind of name; expected one of "
        "'official', 'common', 'transliteration', 'alias'",
    ]


def test_from_json_guards_its_input() -> None:
    with pytest.raises(ValidationError, match="not valid JSON"):
        from_json(Person, b"{")
    with pytest.raises(ValidationError, match=r"\$.names: required field is missing"):
        from_json(Person, b'{"id": "person:x", "sources": ["source:s"]}')
    with pytest.raises(ValidationError, match="expected bytes or text, got int"):
        from_json(Person, 5)  # type: ignore[arg-type]


# --- observation streams --------------------------------------------------------------------------


def test_observations_stream_both_ways(tmp_path: Path) -> None:
    path = tmp_path / "observations.jsonl"
    figures = list(WORLD.all(Observation))
    assert write_observations(path, iter(figures)) == len(figures)
    lines = path.read_bytes().splitlines()
    assert len(lines) == len(figures)
    assert json.loads(lines[0])["id"] == figures[0].id
    assert list(iter_observations(path)) == figures


def bad_stream(tmp_path: Path) -> Path:
    path = tmp_path / "observations.jsonl"
    good = json.dumps(observation_record())
    path.write_text(
        "\n".join(
            [
                good,
                "",
                json.dumps(observation_record(id="observation:b", reporter="XX")),
                "{not json",
                good.replace("observation:a", "observation:c"),
            ]
        )
        + "\n"
    )
    return path


def test_a_bad_line_reports_its_line_number_and_path(tmp_path: Path) -> None:
    stream = iter_observations(bad_stream(tmp_path))
    assert next(stream).id == "observation:a"  # read lazily: the good line comes first
    with pytest.raises(ValidationError) as caught:
        next(stream)
    assert str(caught.value) == "line 3: $.reporter: 'XX' is not an ISO 3166-1 alpha-2 country code"


def test_the_reader_can_skip_bad_lines_and_collect_their_errors(tmp_path: Path) -> None:
    errors: list[kgru_relations.Issue] = []
    read = list(iter_observations(bad_stream(tmp_path), on_error="skip", errors=errors))
    assert [o.id for o in read] == ["observation:a", "observation:c"]
    assert [str(issue) for issue in errors] == [
        "line 3: $.reporter: 'XX' is not an ISO 3166-1 alpha-2 country code",
        "line 4, column 2: $: not valid JSON: Expecting property name enclosed in double quotes",
    ]
    assert [o.id for o in iter_observations(bad_stream(tmp_path), on_error="skip")] == [
        "observation:a",
        "observation:c",
    ]
    with pytest.raises(ValueError, match="on_error must be"):
        next(iter_observations(bad_stream(tmp_path), on_error="ignore"))  # type: ignore[arg-type]


def test_writing_observations_is_atomic(tmp_path: Path) -> None:
    path = tmp_path / "observations.jsonl"
    write_observations(path, WORLD.all(Observation))
    before = path.read_bytes()

    def failing() -> Iterator[Observation]:
        yield WORLD.all(Observation)[0]
        raise RuntimeError("the source of the figures broke")

    with pytest.raises(RuntimeError):
        write_observations(path, failing())
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["observations.jsonl"]


# --- JSON Schema ----------------------------------------------------------------------------


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema_version"] == {"const": 1}
    assert json_schema() is not json_schema()  # each call a fresh copy


def test_what_dumps_writes_validates_against_the_schema() -> None:
    assert list(SCHEMA.iter_errors(json.loads(dumps(WORLD)))) == []


@pytest.mark.parametrize(
    "bad",
    [
        document(observations=[observation_record(reporter="XX")]),
        document(observations=[observation_record(value=3.2)]),
        document(observations=[observation_record(value="3.2E")]),
        document(observations=[observation_record(zz=1)]),
        document(observations=[observation_record(period="25")]),
        document(observations=[observation_record(qualifier="roughly")]),
        document(persons=[{"id": "person:a", "names": [], "sources": ["source:s"]}]),
        document(persons=[{"id": "state:kg", "names": [{"text": "A"}], "sources": ["source:s"]}]),
        document(
            tenures=[
                {
                    "id": "tenure:t",
                    "person": "state:kg",
                    "position": "position:p",
                    "period": "2020/..",
                    "sources": ["source:s"],
                }
            ]
        ),
        {"schema_version": 2},
        {"schema_version": 1, "people": []},
        {"sources": []},
    ],
)
def test_the_invalid_examples_are_rejected_by_the_schema_too(bad: dict[str, Any]) -> None:
    assert list(SCHEMA.iter_errors(bad))
    with pytest.raises(ValidationError):
        loads(json.dumps(bad))


def test_values_keep_every_digit() -> None:
    data = document(
        indicators=INDICATORS,
        observations=[
            observation_record(value="123456789012345678901234567890.123456789012345678")
        ],
    )
    [figure] = loads(json.dumps(data)).all(Observation)
    assert figure.value == Decimal("123456789012345678901234567890.123456789012345678")


def test_json_lines_written_in_chunks_read_back_whole_and_in_order(tmp_path: Path) -> None:
    # More lines than one chunk holds, and an Observation subclass among them.
    class Noted(Observation):
        pass

    base = list(world().all(Observation))
    many = [attrs.evolve(base[i % len(base)], id=f"observation:n{i}") for i in range(2_500)]
    many[1_500] = Noted(**attrs.asdict(many[1_500], recurse=False))
    path = tmp_path / "many.jsonl"
    assert write_observations(path, many) == 2_500
    assert len(path.read_bytes().splitlines()) == 2_500
    assert list(iter_observations(path)) == [
        attrs.evolve(o) if type(o) is Observation else Observation(**attrs.asdict(o, recurse=False))
        for o in many
    ]


def test_lines_read_together_keep_their_numbers_and_their_order(tmp_path: Path) -> None:
    # Thousands of lines a read (built together), over several reads, with
    # blank lines, CRLF endings, a key given twice and bad lines among them.
    good = [json.dumps(observation_record(id=f"observation:o{i}")) for i in range(12_000)]
    lines = list(good)
    lines[10] = ""
    lines[11] = "   "
    lines[12] = good[12] + "\r"
    lines[5_000] = good[5_000].replace('"unit": ', '"unit": "EUR", "unit": ', 1)
    lines[5_001] = json.dumps(observation_record(id="observation:bad", reporter="XX"))
    lines[11_999] = json.dumps(observation_record(id="observation:last", value="-0.5"))
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines) + "\n")
    assert path.stat().st_size > 1024 * 1024  # more than one read
    errors: list[kgru_relations.Issue] = []
    read = list(
        kgru_relations.serialize.numbered_observations(path, on_error="skip", errors=errors)
    )
    expected = [i + 1 for i in range(12_000) if i not in {10, 11, 5_000, 5_001}]
    assert [number for number, _ in read] == expected
    assert read[-1][1].id == "observation:last"
    assert all(o.id == f"observation:o{n - 1}" for n, o in read[:-1])
    assert [str(issue) for issue in errors] == [
        "line 5001: $.unit: this key appears more than once",
        "line 5002: $.reporter: 'XX' is not an ISO 3166-1 alpha-2 country code",
    ]
    stream = iter_observations(path)
    assert [next(stream).id for _ in range(4_998)][-1] == "observation:o4999"
    with pytest.raises(ValidationError, match="line 5001: "):
        next(stream)


def test_from_dict_reads_a_bare_value_type_with_its_check() -> None:
    # A type asked for alone is read by the check its fields use: one rule, one message.
    assert from_dict(Qualifier, "approximately") is Qualifier.APPROXIMATELY
    assert from_dict(dt.date, "2025-01-22") == dt.date(2025, 1, 22)
    assert from_dict(tuple[Name, ...], [{"text": "A"}, {"text": "A"}]) == (Name("A"), Name("A"))
    cases: list[tuple[Any, object, str]] = [
        (
            tuple[Name, ...],
            [{"text": "A"}, 5],
            "$[1]: expected a name (a JSON object), got 5 (a number)",
        ),
        (PartialDate, 5, "$: expected text, got 5 (a number)"),
        (Qualifier, 5, "$: 5 (a number) is not one of 'exact', "),
        (
            Money,
            {"amount": [], "currency": "USD"},
            "$.amount: expected a decimal string, got a list",
        ),
        (dt.date, "20250122", "$: '20250122' is not a date (YYYY-MM-DD)"),
    ]
    for cls, data, message in cases:
        with pytest.raises(ValidationError) as caught:
            from_dict(cls, data)
        assert str(caught.value).startswith(message), (cls, str(caught.value))
