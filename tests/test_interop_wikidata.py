"""The Wikidata importer: fixture documents in Wikidata's JSON shape, and the fetch helper
against a local HTTP server (no test reaches the internet)."""

from __future__ import annotations

import copy
import datetime as dt
import http.server
import json
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgru_relations import UNKNOWN, Dataset, PartialDate
from kgru_relations.errors import ValidationError
from kgru_relations.interop.wikidata import (
    GREGORIAN,
    JULIAN,
    USER_AGENT,
    WikidataImport,
    WikidataUnavailable,
    entities_from_wikidata,
    fetch_entities,
    missing_ids,
    name_language,
    partial_date,
    time_value,
    wikidata_id_of,
    wikidata_our_id,
)
from kgru_relations.model import Person, Position, PositionKind, Source, State, Tenure
from kgru_relations.names import NameKind
from kgru_relations.strategies import partial_dates

DATA = Path(__file__).parent / "data" / "wikidata"
RETRIEVED = dt.date(2026, 11, 3)
PERSON = "$[0].entities.Q9000001"
DEPUTY = "$[0].entities.Q9000004"


def _load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def _documents() -> list[dict[str, Any]]:
    return [_load(name) for name in ("persons", "positions", "states", "refused")]


@pytest.fixture(scope="module")
def result() -> WikidataImport:
    return entities_from_wikidata(_documents(), retrieved=RETRIEVED)


def _by_id(result: WikidataImport) -> dict[str, Any]:
    return {entity.id: entity for entity in result.entities}


def _skipped(result: WikidataImport) -> dict[str, str]:
    return {issue.path: issue.message for issue in result.skipped}


# --- the import ------------------------------------------------------------------


def test_the_fixtures_import_into_a_valid_dataset(result: WikidataImport) -> None:
    dataset = Dataset(result.entities)
    assert list(dataset.validate()) == []
    assert len(dataset.all(Person)) == 3
    assert [state.id for state in dataset.all(State)] == ["state:kg"]
    assert {position.id for position in dataset.all(Position)} == {
        "position:q9100001",
        "position:q9100002",
        "position:q9100003",
    }


def test_two_people_with_one_name_stay_two(result: WikidataImport) -> None:
    dataset = Dataset(result.entities)
    found = {entity.id for entity in dataset.find("Test Adamov")}
    assert {"person:q9000001", "person:q9000002"} <= found


def test_persons_carry_their_wikidata_id_and_every_label_and_alias(result: WikidataImport) -> None:
    person = _by_id(result)["person:q9000001"]
    assert person.wikidata == "Q9000001"
    names = {(name.text, name.language, name.script, name.kind) for name in person.names}
    assert ("Тест Адамов", "ky", "Cyrl", NameKind.COMMON) in names
    assert ("Тест Адамов", "ru", "Cyrl", NameKind.COMMON) in names
    assert ("Test Adamov", "en", "Latn", NameKind.COMMON) in names
    assert ("T. Adamov", "en", "Latn", NameKind.ALIAS) in names
    assert ("Адамов Тест", "ru", "Cyrl", NameKind.ALIAS) in names


def test_a_script_subtag_and_mul_labels(result: WikidataImport) -> None:
    minister = _by_id(result)["position:q9100003"]
    assert ("部长（测试）", "zh", "Hans") in {
        (n.text, n.language, n.script) for n in minister.names
    }
    state = _by_id(result)["state:kg"]
    assert ("Kyrgyzstan", None) in {(n.text, n.language) for n in state.names}
    assert state.code == "KG"
    assert state.wikidata == "Q813"


def test_two_terms_of_one_office_are_two_tenures(result: WikidataImport) -> None:
    dataset = Dataset(result.entities)
    terms = [t for t in dataset.tenures_of("person:q9000001") if t.position == "position:q9100001"]
    assert sorted(str(t.period) for t in terms) == ["2005/2009-10", "2021-01-28/.."]
    assert dataset.holder("position:q9100001", on=dt.date(2025, 1, 1)) == dataset.get(
        "person:q9000001"
    )
    assert dataset.holder("position:q9100001", on=dt.date(2015, 1, 1)) is None


def test_precision_year_month_day_become_partial_dates(result: WikidataImport) -> None:
    tenures = {t.id: t for t in Dataset(result.entities).all(Tenure)}
    first = tenures["tenure:q9000001-0a1b2c3d-0000-4000-8000-000000000003"]
    assert first.period.start == PartialDate(2005)
    assert first.period.end == PartialDate(2009, 10)
    cabinet = tenures["tenure:q9000001-0a1b2c3d-0000-4000-8000-000000000002"]
    assert str(cabinet.period) == "2020-10-14/2020-11-14"


def test_novalue_end_is_open(result: WikidataImport) -> None:
    tenure = _by_id(result)["tenure:q9000002-0a1b2c3d-0000-4000-8000-000000000002"]
    assert tenure.period.is_open
    assert tenure.period.start == PartialDate(2013, 4)


def test_somevalue_end_is_unknown_not_open(result: WikidataImport) -> None:
    tenure = _by_id(result)["tenure:q9000001-0a1b2c3d-0000-4000-8000-000000000006"]
    assert isinstance(tenure, Tenure)
    assert tenure.period.end is UNKNOWN
    assert isinstance(tenure.period.start, PartialDate)
    assert str(tenure.period).endswith("/")
    assert not tenure.period.is_open


def test_what_is_left_out_is_said_at_its_path(result: WikidataImport) -> None:
    skipped = _skipped(result)
    assert "deprecated" in skipped[f"{PERSON}.claims.P39[3].rank"]
    assert f"{PERSON}.claims.P39[4].qualifiers.P582[0]" not in skipped  # unknown: imported
    assert "no start (P580) or end (P582)" in skipped[f"{PERSON}.claims.P39[5]"]
    refused = "$[3].entities.Q9000003.claims.P39"
    assert (
        "precision 8 (a decade) is coarser than a year"
        in skipped[f"{refused}[0].qualifiers.P580[0].datavalue.value.precision"]
    )
    assert "Julian" in skipped[f"{refused}[1].qualifiers.P580[0].datavalue.value.calendarmodel"]
    assert "no entity" in skipped["$[3].entities.Q9999999"]
    assert not any("labels" in path for path in skipped if "Q9000003" in path)
    names = {(n.text, n.language, n.script) for n in _by_id(result)["person:q9000003"].names}
    assert ("Test Odbijen", "sr", "Latn") in names  # sr-el: Wikimedia's Serbian in Latin
    ids = _by_id(result)
    assert "tenure:q9000001-0a1b2c3d-0000-4000-8000-000000000005" not in ids  # deprecated
    assert "tenure:q9000001-0a1b2c3d-0000-4000-8000-000000000006" in ids  # somevalue end
    assert "tenure:q9000003-0a1b2c3d-0000-4000-8000-000000000004" in ids  # the sound one


def test_references_become_sources(result: WikidataImport) -> None:
    ids = _by_id(result)
    tenure = ids["tenure:q9000001-0a1b2c3d-0000-4000-8000-000000000004"]
    cited = [ids[source] for source in tenure.sources]
    assert all(isinstance(source, Source) for source in cited)
    by_url = {source.url: source for source in cited}
    decree = by_url["https://example.org/kg/decree-2020-10-14"]
    assert decree.retrieved == dt.date(2026, 11, 1)
    assert by_url["https://www.wikidata.org/wiki/Q9000001"].retrieved == RETRIEVED
    stated = next(source for source in cited if source.note and "Q9200001" in source.note)
    assert stated.title == "Wikidata item Q9200001"
    assert stated.retrieved == dt.date(2026, 11, 2)


def test_importing_twice_gives_the_same_entities() -> None:
    once = entities_from_wikidata(_documents(), retrieved=RETRIEVED)
    twice = entities_from_wikidata(_documents() + _documents(), retrieved=RETRIEVED)
    assert Dataset(once.entities) == Dataset(twice.entities)


def test_the_names_do_not_depend_on_the_order_of_the_json_keys() -> None:
    reordered = copy.deepcopy(_documents())
    for document in reordered:
        for item in document["entities"].values():
            for terms in ("labels", "aliases"):
                if isinstance(item.get(terms), dict):
                    item[terms] = dict(reversed(item[terms].items()))
    as_given = entities_from_wikidata(_documents()).entities
    assert entities_from_wikidata(reordered).entities == as_given
    person = _by_id(entities_from_wikidata(_documents()))["person:q9000001"]
    assert person.label == "Test Adamov"  # "en" before "ky"


def test_the_newest_revision_of_an_item_wins() -> None:
    newer = copy.deepcopy(_load("persons"))
    person = newer["entities"]["Q9000002"]
    person["lastrevid"] = 999
    person["labels"]["en"]["value"] = "Test Adamov-Renamed"
    result = entities_from_wikidata([_load("persons"), newer, _load("positions"), _load("states")])
    names = {name.text for name in _by_id(result)["person:q9000002"].names}
    assert "Test Adamov-Renamed" in names
    assert "Test Adamov" not in names


def test_two_items_with_one_country_code_are_one_state_and_say_so() -> None:
    states = _load("states")
    other = copy.deepcopy(states["entities"]["Q813"])
    other["id"] = other["title"] = "Q2813"
    other["labels"] = {"en": {"language": "en", "value": "Kirghiz SSR"}}
    states["entities"]["Q2813"] = other
    result = entities_from_wikidata([_load("persons"), _load("positions"), states])
    dataset = result.dataset()  # one state:kg, not two
    assert dataset.get("state:kg").wikidata == "Q813"  # type: ignore[attr-defined]
    assert _skipped(result)["$[2].entities.Q2813"] == (
        "Q2813 has the country code of Q813 (KG): it is read as the same state, "
        "'state:kg', and its own names are left out"
    )


def test_a_position_without_a_state_is_skipped_with_its_tenures() -> None:
    result = entities_from_wikidata([_load("persons"), _load("positions")])
    skipped = _skipped(result)
    assert "none of its jurisdiction" in skipped["$[1].entities.Q9100001"]
    assert "position Q9100001 was not imported" in skipped[f"{PERSON}.claims.P39[2].mainsnak"]
    assert not Dataset(result.entities).all(Tenure)


def test_position_kinds_are_taken_from_the_caller() -> None:
    result = entities_from_wikidata(
        _documents(), position_kinds={"Q9100001": PositionKind.HEAD_OF_STATE}
    )
    assert _by_id(result)["position:q9100001"].kind is PositionKind.HEAD_OF_STATE
    assert _by_id(result)["position:q9100002"].kind is PositionKind.OTHER


def test_an_item_of_no_known_kind_is_skipped() -> None:
    other = {"id": "Q42", "type": "item", "labels": {}, "claims": {}}
    result = entities_from_wikidata([other, {"id": "P31", "type": "property"}])
    assert "is not a person" in _skipped(result)["$[0]"]
    assert "only items" in _skipped(result)["$[1].id"]
    assert result.entities == ()


def test_missing_ids_lists_what_to_fetch_next() -> None:
    assert missing_ids([_load("persons")]) == ["Q9100001", "Q9100002", "Q9100003"]
    assert missing_ids([_load("persons"), _load("positions")]) == ["Q813"]
    assert missing_ids(_documents()) == []
    gone = {"entities": {"Q9100001": {"id": "Q9100001", "missing": ""}}}
    assert missing_ids([_load("persons"), gone]) == ["Q9100002", "Q9100003"]


def test_a_somevalue_or_novalue_position_is_skipped() -> None:
    doc = copy.deepcopy(_load("persons"))
    statements = doc["entities"]["Q9000001"]["claims"]["P39"]
    statements[0]["mainsnak"] = {"snaktype": "somevalue", "property": "P39"}
    statements[1]["mainsnak"] = {"snaktype": "novalue", "property": "P39"}
    skipped = _skipped(entities_from_wikidata([doc, _load("positions"), _load("states")]))
    assert "unknown position" in skipped[f"{PERSON}.claims.P39[0].mainsnak"]
    assert "no position" in skipped[f"{PERSON}.claims.P39[1].mainsnak"]


def test_a_person_without_names_is_skipped_and_a_bad_name_is_said() -> None:
    doc = copy.deepcopy(_load("persons"))
    doc["entities"]["Q9000002"]["labels"] = {"en": {"language": "en", "value": " Padded "}}
    result = entities_from_wikidata([doc, _load("positions"), _load("states")])
    skipped = _skipped(result)
    assert "person:q9000002" not in _by_id(result)
    assert any(path.startswith("$[0].entities.Q9000002.labels.en") for path in skipped)
    assert "$[0].entities.Q9000002.names" in skipped


def test_two_starts_on_one_statement_are_not_chosen_between() -> None:
    doc = copy.deepcopy(_load("persons"))
    qualifiers = doc["entities"]["Q9000002"]["claims"]["P39"][0]["qualifiers"]
    qualifiers["P580"] = qualifiers["P580"] * 2
    skipped = _skipped(entities_from_wikidata([doc, _load("positions"), _load("states")]))
    assert "2 P580 qualifiers" in skipped["$[0].entities.Q9000002.claims.P39[0].qualifiers.P580"]


@pytest.mark.parametrize("other_id", ["same", "Q9000002-{}", "q9000002${}"])
def test_two_statements_whose_ids_read_alike_give_one_tenure_and_say_so(other_id: str) -> None:
    doc = copy.deepcopy(_load("persons"))
    statements = doc["entities"]["Q9000002"]["claims"]["P39"]
    first = statements[0]
    second = copy.deepcopy(first)
    second["id"] = first["id"] if other_id == "same" else other_id.format(first["id"].split("$")[1])
    statements.insert(1, second)
    result = entities_from_wikidata([doc, _load("positions"), _load("states")])
    result.dataset()  # one tenure per id: still a valid dataset
    said = _skipped(result)["$[0].entities.Q9000002.claims.P39[1].id"]
    assert "reads as the id of the statement at $[0].entities.Q9000002.claims.P39[0]" in said


def _time_snak(prop: str, text: str, precision: int) -> dict[str, Any]:
    value = {"time": text, "precision": precision, "calendarmodel": GREGORIAN}
    return {"snaktype": "value", "property": prop, "datavalue": {"type": "time", "value": value}}


def test_reference_titles_dates_and_what_a_source_cannot_hold() -> None:
    doc = copy.deepcopy(_load("persons"))
    statement = doc["entities"]["Q9000002"]["claims"]["P39"][0]
    title = {"text": "Указ (тест)", "language": "ru"}
    statement["references"] = [
        {
            "hash": "aa11",
            "snaks": {
                "P1476": [{"snaktype": "value", "datavalue": {"value": title}}],
                "P577": [_time_snak("P577", "+2013-04-00T00:00:00Z", 10)],
                "P248": [{"snaktype": "value", "datavalue": {"value": {"numeric-id": 9100003}}}],
            },
        },
        {"hash": "bb22", "snaks": {"P813": [_time_snak("P813", "+2026-11-00T00:00:00Z", 10)]}},
        {
            "hash": "cc33",
            "snaks": {"P854": [{"snaktype": "value", "datavalue": {"value": "ftp://x"}}]},
        },
        {"hash": "dd44", "snaks": {"P248": [item_snak("Q9100003")]}},
    ]
    result = entities_from_wikidata([doc, _load("positions"), _load("states")])
    ids = _by_id(result)
    titled = ids["source:wikidata-ref-aa11"]
    assert (titled.title, titled.published) == ("Указ (тест)", PartialDate(2013, 4))
    assert titled.note == "Stated in Wikidata item Q9100003."
    assert ids["source:wikidata-ref-dd44"].title == "Minister (test)"  # the label of the item
    skipped = _skipped(result)
    refs = "$[0].entities.Q9000002.claims.P39[0].references"
    assert "not a day" in skipped[f"{refs}[1].snaks.P813[0]"]
    assert "web address" in skipped[f"{refs}[2].snaks.P854[0]"]
    tenure = ids["tenure:q9000002-0a1b2c3d-0000-4000-8000-000000000002"]
    assert tenure.sources == (
        "source:wikidata-ref-aa11",
        "source:wikidata-ref-dd44",
        "source:wikidata-q9000002",
    )


def item_snak(qid: str) -> dict[str, Any]:
    value = {"entity-type": "item", "numeric-id": int(qid[1:]), "id": qid}
    return {"snaktype": "value", "datavalue": {"value": value, "type": "wikibase-entityid"}}


# --- a member of parliament: every qualifier and reference part is kept or listed ----


@pytest.fixture(scope="module")
def deputy() -> WikidataImport:
    return entities_from_wikidata([_load("parliament"), _load("states")], retrieved=RETRIEVED)


def _deputy_tenure(result: WikidataImport, number: int) -> Tenure:
    tenure = _by_id(result)[f"tenure:q9000004-0a1b2c3d-0000-4000-8000-0000000004{number:02d}"]
    assert isinstance(tenure, Tenure)
    return tenure


def test_the_parliament_fixture_imports_into_a_valid_dataset(deputy: WikidataImport) -> None:
    assert list(Dataset(deputy.entities).validate()) == []
    assert deputy.dataset() == Dataset(deputy.entities)  # the result every importer gives


def test_what_is_kept_in_another_form_is_noted(deputy: WikidataImport) -> None:
    notes = {issue.path: issue.message for issue in deputy.notes}
    tenure = "tenure:q9000004-0a1b2c3d-0000-4000-8000-000000000401"
    assert notes[f"{DEPUTY}.claims.P39[0].qualifiers"] == (
        f"P2937, P768, P4100, P1365, P1366, P1545 kept in the note of {tenure!r}, "
        "which has no field for them"
    )
    refs = f"{DEPUTY}.claims.P39[0].references"
    assert notes[f"{refs}[0].snaks.P4656[0]"].startswith("the Wikimedia import URL is the address")
    assert notes[f"{refs}[1].snaks"].startswith("P407, P123, P2093 kept in the note of")
    assert notes[f'{DEPUTY}.labels["be-tarask"].language'] == (
        "name 'Тэст Бейшэнава' is kept as be: a name does not hold the region, variants "
        "or private part (tarask) of 'be-tarask'"
    )
    assert "(md) of 'mo'" in notes[f"{DEPUTY}.labels.mo.language"]


def test_qualifiers_past_start_and_end_are_kept_in_the_note(deputy: WikidataImport) -> None:
    tenure = _deputy_tenure(deputy, 1)
    assert str(tenure.period) == "2015-10-28/2020-11"
    assert tenure.note == (
        "The Wikidata statement also says: parliamentary term (P2937): Q9300006; "
        "electoral district (P768): Q9400001; parliamentary group (P4100): Q9500001; "
        'replaces (P1365): Q9000002; replaced by (P1366): Q9000001; series ordinal (P1545): "7".'
    )
    assert _deputy_tenure(deputy, 5).note == (
        "The Wikidata statement also says: end cause (P1534): Q9800001."
    )


def test_a_qualifier_this_import_does_not_know_is_listed(deputy: WikidataImport) -> None:
    said = _skipped(deputy)[f"{DEPUTY}.claims.P39[0].qualifiers.P5102[0]"]
    assert said == (
        "qualifier P5102 is not imported: this import does not know what it says of a term "
        "in office"
    )


def test_a_statement_with_only_a_parliamentary_term_is_listed_saying_why(
    deputy: WikidataImport,
) -> None:
    said = _skipped(deputy)[f"{DEPUTY}.claims.P39[2]"]
    assert "parliamentary term (P2937: Q9300007) but no start (P580) or end (P582)" in said
    assert "tenure:q9000004-0a1b2c3d-0000-4000-8000-000000000403" not in _by_id(deputy)


def test_an_hour_precision_is_finer_than_a_day(deputy: WikidataImport) -> None:
    said = _skipped(deputy)[f"{DEPUTY}.claims.P39[3].qualifiers.P580[0].datavalue.value.precision"]
    assert said == (
        "precision 12 (an hour) is finer than a day; "
        "only 9 (year), 10 (month) and 11 (day) are imported, never rounded or cut"
    )


def test_a_wikimedia_import_url_is_the_source_s_address(deputy: WikidataImport) -> None:
    tenure = _deputy_tenure(deputy, 2)
    source = _by_id(deputy)[tenure.sources[0]]
    assert isinstance(source, Source)
    assert source.id == "source:wikidata-ref-0def12d7334f5a0b9c8d7e6f5a4b3c2d1e0f9a8b"
    assert source.url == "https://ru.wikipedia.org/w/index.php?title=Test_Beishenova&oldid=2000002"
    assert not source.title.startswith("Reference")
    assert source.note == "Imported into Wikidata from this page (P4656, Wikimedia import URL)."
    imported = _by_id(deputy)[_deputy_tenure(deputy, 1).sources[0]]
    assert imported.url.startswith("https://ky.wikipedia.org/")
    assert "imported from Wikimedia project (P143): Q9700001" in (imported.note or "")


def test_reference_parts_fill_fields_or_the_note_or_are_listed(deputy: WikidataImport) -> None:
    press = _by_id(deputy)[_deputy_tenure(deputy, 1).sources[1]]
    assert isinstance(press, Source)
    assert (press.title, press.language, press.url, press.retrieved) == (
        "Список депутатов (тест)",
        "ru",  # the language of the title (P1476)
        "https://example.org/kg/kenesh/members-2015",
        dt.date(2026, 11, 2),
    )
    assert press.note == (
        "The Wikidata reference also says: language of work or name (P407): Q9700002; "
        'publisher (P123): Q9700003; author name string (P2093): "Test Author".'
    )
    refs = f"{DEPUTY}.claims.P39[0].references"
    said = _skipped(deputy)[f"{refs}[1].snaks.P1810[0]"]
    assert said.startswith("reference part P1810 is not imported")


def _snak(prop: str, value: object, kind: str) -> dict[str, Any]:
    datavalue = {"value": value, "type": kind}
    return {"snaktype": "value", "property": prop, "datavalue": datavalue}


def _one_statement(qualifiers: dict[str, Any], references: list[Any]) -> WikidataImport:
    doc = copy.deepcopy(_load("persons"))
    statement = doc["entities"]["Q9000002"]["claims"]["P39"][0]
    statement["qualifiers"] = {"P580": statement["qualifiers"]["P580"], **qualifiers}
    statement["references"] = references
    return entities_from_wikidata([doc, _load("positions"), _load("states")])


def test_each_kind_of_value_is_written_in_the_note_as_it_reads() -> None:
    day = time_value(PartialDate(2016, 1, 2))
    result = _one_statement(
        {
            "P1545": [{"snaktype": "somevalue", "property": "P1545"}],
            "P1365": [{"snaktype": "novalue", "property": "P1365"}],
            "P2715": [_snak("P2715", day, "time")],
            "P768": [_snak("P768", {"text": "Округ №1", "language": "ky"}, "monolingualtext")],
            "P1534": [_snak("P1534", {"amount": "+7", "unit": "1"}, "quantity")],
            "P5054": [_snak("P5054", {"latitude": 42.87, "longitude": 74.59}, "globecoordinate")],
        },
        [],
    )
    tenure = _by_id(result)["tenure:q9000002-0a1b2c3d-0000-4000-8000-000000000002"]
    assert tenure.note == (
        "The Wikidata statement also says: series ordinal (P1545): an unknown value; "
        "replaces (P1365): none; elected in (P2715): 2016-01-02; electoral district (P768): "
        '"Округ №1"; end cause (P1534): 7.'
    )
    where = "$[0].entities.Q9000002.claims.P39[0].qualifiers.P5054[0].datavalue.value"
    assert "a kind of value this import does not read" in _skipped(result)[where]


def test_a_qualifier_the_note_cannot_hold_leaves_the_tenure_standing() -> None:
    result = _one_statement({"P1545": [_snak("P1545", "7\u202e", "string")]}, [])
    tenure = _by_id(result)["tenure:q9000002-0a1b2c3d-0000-4000-8000-000000000002"]
    assert tenure.note is None
    said = _skipped(result)["$[0].entities.Q9000002.claims.P39[0].qualifiers"]
    assert said.startswith("the qualifiers are left out: $.note:")
    assert "U+202E" in said


def test_reference_parts_the_note_cannot_hold_leave_the_source_standing() -> None:
    quote = _snak("P1683", {"text": "\u202e", "language": "ru"}, "monolingualtext")
    url = _snak("P854", "https://example.org/a", "string")
    archived = _snak("P2960", time_value(PartialDate(2020, 5, 1)), "time")
    result = _one_statement(
        {},
        [
            {"hash": "ee55", "snaks": {"P854": [url], "P1683": [quote]}},
            {"hash": "ff66", "snaks": {"P854": [url], "P2960": [archived]}},
        ],
    )
    source = _by_id(result)["source:wikidata-ref-ee55"]
    assert (source.url, source.note) == ("https://example.org/a", None)
    refs = "$[0].entities.Q9000002.claims.P39[0].references"
    assert "past its fields is left out" in _skipped(result)[f"{refs}[0].snaks"]
    archive = _by_id(result)["source:wikidata-ref-ff66"].note
    assert archive == "The Wikidata reference also says: archive date (P2960): 2020-05-01."


def test_a_title_that_is_not_monolingual_text_is_refused() -> None:
    title = _snak("P1476", "just text", "string")
    with pytest.raises(ValidationError) as raised:
        _one_statement({}, [{"hash": "ab12", "snaks": {"P1476": [title]}}])
    [issue] = raised.value.issues
    assert issue.path.endswith("references[0].snaks.P1476[0].datavalue.value")
    assert "monolingual text" in issue.message


def test_nothing_in_a_statement_is_dropped_unsaid(deputy: WikidataImport) -> None:
    """Every qualifier and reference part of the fixture is in a field, a note or the list."""
    document = _load("parliament")["entities"]["Q9000004"]
    kept = " ".join(
        entity.note or "" for entity in deputy.entities if isinstance(entity, Tenure | Source)
    )
    skipped = _skipped(deputy)
    ids = _by_id(deputy)
    for index, statement in enumerate(document["claims"]["P39"]):
        here = f"{DEPUTY}.claims.P39[{index}]"
        if f"tenure:q9000004-0a1b2c3d-0000-4000-8000-0000000004{index + 1:02d}" not in ids:
            assert any(path == here or path.startswith(f"{here}.") for path in skipped)
            continue  # the statement is listed, and its parts with it
        for prop in statement.get("qualifiers", {}):
            if prop not in ("P580", "P582"):
                assert f"({prop})" in kept or f"{here}.qualifiers.{prop}[0]" in skipped, prop
        for number, reference in enumerate(statement.get("references", [])):
            for prop in reference["snaks"]:
                fields = ("P854", "P4656", "P813", "P1476", "P248", "P577")
                listed = f"{here}.references[{number}].snaks.{prop}[0]" in skipped
                assert prop in fields or f"({prop})" in kept or listed, prop


# --- bad input -----------------------------------------------------------------------


def test_not_wikidata_json_raises_every_problem_at_once() -> None:
    doc = copy.deepcopy(_load("persons"))
    person = doc["entities"]["Q9000001"]
    person["claims"]["P39"][1]["mainsnak"]["snaktype"] = "maybe"
    person["claims"]["P39"][0]["qualifiers"]["P580"][0]["datavalue"]["value"]["time"] = 2020
    person["claims"]["P39"][2]["rank"] = "best"
    person["labels"]["en"] = "Test Adamov"
    with pytest.raises(ValidationError) as raised:
        entities_from_wikidata([doc, _load("positions"), _load("states"), 7])  # type: ignore[list-item]
    paths = {issue.path for issue in raised.value.issues}
    assert len(paths) == len(raised.value.issues)  # each problem once
    assert paths >= {
        f"{PERSON}.claims.P39[1].mainsnak.snaktype",
        f"{PERSON}.claims.P39[0].qualifiers.P580[0].datavalue.value.time",
        f"{PERSON}.claims.P39[2].rank",
        f"{PERSON}.labels.en",
        "$[3]",
    }


@pytest.mark.parametrize(
    ("broken", "path"),
    [
        ({"snaktype": "value", "property": "P39"}, "mainsnak.datavalue"),
        ({"snaktype": "value", "datavalue": {"value": {"id": "P5"}}}, "mainsnak.datavalue.value"),
        ("not a snak", "mainsnak"),
    ],
)
def test_a_broken_main_snak_is_refused(broken: object, path: str) -> None:
    doc = copy.deepcopy(_load("persons"))
    doc["entities"]["Q9000002"]["claims"]["P39"][0]["mainsnak"] = broken
    with pytest.raises(ValidationError) as raised:
        entities_from_wikidata([doc])
    assert f"$[0].entities.Q9000002.claims.P39[0].{path}" in {i.path for i in raised.value.issues}


# --- any input: only ValidationError, at its path, in bounded time --------------------

# Any character at all: controls, format characters, lone surrogates.
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=12)
KEYS = st.sampled_from(
    ["entities", "id", "claims", "P31", "P39", "P580", "mainsnak", "datavalue", "value", "x"]
)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**120, max_value=10**130)
    | st.floats()
    | st.text(max_size=12)
    | ANY_TEXT
    | st.sampled_from(["Q5", "Q9100001", "value", "somevalue", "sr-ec", "+2021-01-28T00:00:00Z"]),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(KEYS | ANY_TEXT, children, max_size=4)
    ),
    max_leaves=25,
)


def _places(value: object, where: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a JSON value, as the keys that lead to it."""
    yield where
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _places(inner, (*where, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _places(inner, (*where, index))


def _imports_or_refuses(documents: Any) -> None:
    """The contract of every importer: a result, or a ValidationError, each issue at a path."""
    for run in (entities_from_wikidata, missing_ids):
        try:
            result = run(documents)
        except ValidationError as error:
            issues = error.issues
        else:
            issues = ()
            if isinstance(result, WikidataImport):
                result.dataset()  # what an import makes is always a valid dataset
                issues = (*result.skipped, *result.notes)
        for issue in issues:
            assert issue.path.startswith("$")
            assert str(issue).isprintable()
            str(issue).encode()  # no lone surrogate reaches a message


@given(JSON)
def test_any_json_value_is_imported_or_refused(value: Any) -> None:
    _imports_or_refuses(value)
    _imports_or_refuses([value])
    _imports_or_refuses([{"entities": {"Q1": value}}])


@given(st.data())
def test_any_value_anywhere_in_real_documents_is_imported_or_refused(data: st.DataObject) -> None:
    documents = copy.deepcopy([_load("parliament"), *_documents()])
    places = list(_places(documents))
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        where = data.draw(st.sampled_from(places[1:]))
        holder: Any = documents
        try:
            for key in where[:-1]:
                holder = holder[key]
            holder[where[-1]] = data.draw(JSON)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this place
    _imports_or_refuses(documents)


@given(ANY_TEXT | st.text(alphabet="abcdefghijklmnopqrstuvwxyz-0123456789", max_size=20))
def test_any_language_code_is_mapped_or_refused(code: str) -> None:
    try:
        language, script = name_language(code)
    except ValidationError as error:
        message = str(error)
    else:
        message = ""
        assert language is None or language.isascii()
        assert script is None or len(script) == 4
    assert message.isprintable()


def _nested(depth: int) -> list[Any]:
    deepest: list[Any] = []
    outer = deepest
    for _ in range(depth):
        outer = [outer]
    return outer


def test_deep_nesting_is_refused_at_its_path() -> None:
    deep = _nested(100_000)
    person = {"id": "Q2", "claims": {"P31": [{"mainsnak": item_snak("Q5")}]}, "labels": deep}
    with pytest.raises(ValidationError) as raised:
        entities_from_wikidata([{"id": "Q1", "claims": {"P31": deep}}, person, deep])  # type: ignore[list-item]
    assert {issue.path for issue in raised.value.issues} == {
        "$[0].claims.P31[0]",
        "$[1].labels",
        "$[2]",
    }
    assert "got a list" in str(raised.value)


def test_an_item_given_twice_with_a_revision_that_is_not_a_number_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        entities_from_wikidata([{"id": "Q1", "lastrevid": "x"}, {"id": "Q1", "lastrevid": 5}])
    assert [str(issue) for issue in raised.value.issues] == [
        "$[0].lastrevid: expected a revision number, got 'x'"
    ]


def test_numbers_too_long_to_write_are_described() -> None:
    huge = 10**5000  # past what Python writes as text
    doc = copy.deepcopy(_load("persons"))
    statement = doc["entities"]["Q9000002"]["claims"]["P39"][0]
    statement["qualifiers"]["P580"][0]["datavalue"]["value"]["precision"] = huge
    with pytest.raises(ValidationError) as raised:
        entities_from_wikidata(
            [doc, _load("positions"), _load("states"), {"id": "Q1", "lastrevid": -huge}]
        )
    assert {issue.message for issue in raised.value.issues} == {
        "a number too long to show is not a Wikidata precision; expected 0 to 14",
        "expected a revision number, got a number too long to show",
    }
    with pytest.raises(ValidationError, match="not a Wikidata time"):
        partial_date(
            {"time": f"+{'9' * 5000}-01-01T00:00:00Z", "precision": 9, "calendarmodel": GREGORIAN}
        )


def test_a_long_key_is_shortened_in_every_path_beneath_it() -> None:
    """Paths grow one short step at a time, so reading costs time linear in the input."""
    key = "Q" + "1" * 100_000
    statements = [{"mainsnak": "not a snak"}] * 1_000
    with pytest.raises(ValidationError) as raised:
        entities_from_wikidata([{"entities": {key: {"id": "Q1", "claims": {"P31": statements}}}}])
    assert len(raised.value.issues) == 1_000
    assert all(len(issue.path) < 100 for issue in raised.value.issues)
    assert raised.value.issues[0].path.startswith('$[0].entities["Q111')


# --- dates, languages and ids --------------------------------------------------------


@given(partial_dates(min_year=1).filter(lambda date: date.quarter is None))
def test_time_values_round_trip(date: PartialDate) -> None:
    value = time_value(date)
    assert value["precision"] in (9, 10, 11)
    assert partial_date(value) == date


def test_a_quarter_has_no_wikidata_precision() -> None:
    with pytest.raises(ValidationError, match="quarter"):
        time_value(PartialDate(2025, quarter=2))


@pytest.mark.parametrize(
    ("value", "where", "says"),
    [
        (
            {"time": "+2020-00-00T00:00:00Z", "precision": 8, "calendarmodel": GREGORIAN},
            "$.precision",
            "coarser",
        ),
        (
            {"time": "+1917-02-23T00:00:00Z", "precision": 11, "calendarmodel": JULIAN},
            "$.calendarmodel",
            "Julian",
        ),
        (
            {"time": "-0044-03-15T00:00:00Z", "precision": 11, "calendarmodel": GREGORIAN},
            "$.time",
            "before the year 1",
        ),
        (
            {"time": "+2021-02-30T00:00:00Z", "precision": 11, "calendarmodel": GREGORIAN},
            "$.time",
            "2021-02-30",
        ),
        (
            {"time": "2021-01-28", "precision": 11, "calendarmodel": GREGORIAN},
            "$.time",
            "not a Wikidata time",
        ),
        (
            {"time": "+2021-01-28T00:00:00Z", "precision": True, "calendarmodel": 5},
            "$.precision",
            "whole number",
        ),
        ("+2021", "$", "time value"),
    ],
)
def test_partial_date_refuses_what_it_cannot_hold(value: Any, where: str, says: str) -> None:
    with pytest.raises(ValidationError) as raised:
        partial_date(value)
    assert raised.value.issues[0].path == where
    assert says in str(raised.value)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("ky", ("ky", None)),
        ("ru", ("ru", None)),
        ("EN", ("en", None)),  # BCP 47 tags are read whatever their case
        ("zh-hans", ("zh", "Hans")),
        ("kk-cyrl", ("kk", "Cyrl")),
        ("en-gb", ("en", None)),  # a region: a name does not hold it
        ("es-419", ("es", None)),
        ("be-tarask", ("be", None)),  # a variant: a name does not hold it
        ("zh-yue", ("yue", None)),  # an extended language subtag is the language
        ("sr-latn-rs", ("sr", "Latn")),
        ("de-x-formal", ("de", None)),  # a private part
        # Wikimedia's own codes, read as MediaWiki maps them to BCP 47:
        ("sr-el", ("sr", "Latn")),
        ("sr-ec", ("sr", "Cyrl")),  # Serbian in Cyrillic, not Serbian in Ecuador
        ("mo", ("ro", "Cyrl")),
        ("roa-tara", ("nap", None)),
        ("map-bms", ("jv", None)),
        ("cbk-zam", ("cbk", None)),
        ("zh-min-nan", ("nan", None)),
        ("be-x-old", ("be", None)),
        ("mul", (None, None)),
    ],
)
def test_wikidata_language_codes(code: str, expected: tuple[str | None, str | None]) -> None:
    assert name_language(code) == expected


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("nah", "'nah' names a group of languages (ISO 639-5: Nahuatl languages), not one"),
        ("eml", "'eml' is not an ISO 639 language code"),  # retired from ISO 639-3
        ("xx", "'xx' is not an ISO 639 language code"),
        ("en-abcd", "'abcd' in 'en-abcd' is not an ISO 15924 script"),
        ("en-gb-oxendict-x", "is not a BCP 47 language tag"),  # a singleton ends a tag
        ("en_GB", "is not a BCP 47 language tag"),
        ("", "is not a BCP 47 language tag"),
        ("en-toolongsubtag", "is not a BCP 47 language tag"),
    ],
)
def test_a_language_code_that_cannot_be_mapped_is_refused(code: str, says: str) -> None:
    with pytest.raises(ValidationError) as raised:
        name_language(code)
    assert says in str(raised.value)


def test_a_name_whose_language_is_not_known_is_kept_and_that_is_said() -> None:
    result = entities_from_wikidata([_load("parliament"), _load("states")])
    names = {(n.text, n.language, n.script) for n in _by_id(result)["person:q9000004"].names}
    assert {
        ("Тэст Бейшэнава", "be", "Cyrl"),
        ("Test Bejšenova", "sr", "Latn"),
        ("Тест Бејшенова", "sr", "Cyrl"),
        ("Тест Бейшенова", "ro", "Cyrl"),
        ("Test Beishenova", "nap", "Latn"),
        ("Test Beishenova", "jv", "Latn"),
        ("Test Beishenova", "cbk", "Latn"),
        ("Test Beishenova", None, "Latn"),  # nah and eml: no language, the name kept
    } <= names
    skipped = _skipped(result)
    labels = f"{DEPUTY}.labels"
    assert "is kept with no language: 'nah' names a group" in skipped[f"{labels}.nah.language"]
    assert "is kept with no language: 'eml'" in skipped[f"{labels}.eml.language"]
    assert not [
        path
        for path in skipped
        if path.startswith(labels) and "nah" not in path and "eml" not in path
    ]


@given(st.integers(min_value=1, max_value=10**12), st.sampled_from(["person", "position"]))
def test_ids_map_one_to_one(number: int, kind: str) -> None:
    qid = f"Q{number}"
    ours = wikidata_our_id(kind, qid)
    assert ours == f"{kind}:q{number}"
    assert wikidata_id_of(ours) == qid


@pytest.mark.parametrize("bad", ["q1", "Q01", "P31", "Q"])
def test_only_item_ids_make_ids(bad: str) -> None:
    with pytest.raises(ValidationError):
        wikidata_our_id("person", bad)


def test_an_id_not_made_from_wikidata_has_no_wikidata_id() -> None:
    with pytest.raises(ValidationError, match="not made from a Wikidata id"):
        wikidata_id_of("person:sadyr-japarov")


# --- fetching, against a local server ------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    """Answers wbgetentities from the fixtures; a script of statuses may come first."""

    entities: ClassVar[dict[str, Any]] = {}
    seen: ClassVar[list[tuple[str, str]]] = []
    statuses: ClassVar[list[int]] = []

    def do_GET(self) -> None:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        self.seen.append((query["ids"][0], self.headers.get("User-Agent", "")))
        if self.statuses:
            status = self.statuses.pop(0)
            if status == 0:  # a connection that breaks: no answer at all
                self.close_connection = True
                return
            if status == -1:
                self.wfile.write(b"HTTP/1.0 200 OK\r\n\r\n<html>not JSON</html>")
                return
            self.send_response(status)
            if status in (429, 503):
                self.send_header("Retry-After", "7")
            self.end_headers()
            return
        ids = query["ids"][0].split("|")
        if "Q404404" in ids:  # the API's answer to an id it refuses
            self._send(200, {"error": {"code": "no-such-entity", "info": "Invalid id"}})
            return
        if "Q404405" in ids:  # JSON, but not the object an answer is
            self._send(200, [[[["deep"]]]])
            return
        answer = {"entities": {q: self.entities.get(q, {"id": q, "missing": ""}) for q in ids}}
        self._send(200, answer)

    def _send(self, status: int, answer: object) -> None:
        body = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.entities = {}
    for name in ("persons", "positions", "states"):
        _Handler.entities.update(_load(name)["entities"])
    _Handler.seen = []
    _Handler.statuses = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/w/api.php"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_fetch_batches_ids_and_sends_a_user_agent(server: str) -> None:
    ids = ["Q9000001", "Q9000002", "Q9100001", "Q9100002", "Q9100003", "Q813", "Q9000001"]
    documents = list(fetch_entities(ids, endpoint=server, batch=2))
    assert [doc["id"] for doc in documents] == ids[:6]
    assert [batch for batch, _ in _Handler.seen] == [
        "Q9000001|Q9000002",
        "Q9100001|Q9100002",
        "Q9100003|Q813",
    ]
    assert {agent for _, agent in _Handler.seen} == {USER_AGENT}
    result = entities_from_wikidata(documents)
    assert list(Dataset(result.entities).validate()) == []
    assert (
        len(Dataset(result.entities).all(Tenure)) == 5
    )  # the somevalue end is imported as unknown


def test_fetch_yields_missing_items_as_the_api_gives_them(server: str) -> None:
    assert list(fetch_entities(["Q1"], endpoint=server)) == [{"id": "Q1", "missing": ""}]


def test_fetch_retries_a_503_honouring_retry_after(server: str) -> None:
    _Handler.statuses = [503, 429]
    waits: list[float] = []
    documents = list(fetch_entities(["Q813"], endpoint=server, sleep=waits.append))
    assert [doc["id"] for doc in documents] == ["Q813"]
    assert waits == [7.0, 7.0]
    assert len(_Handler.seen) == 3


def test_fetch_gives_up_after_its_retries(server: str) -> None:
    _Handler.statuses = [500, 500, 500]
    waits: list[float] = []
    with pytest.raises(WikidataUnavailable, match="after 3 tries"):
        list(fetch_entities(["Q813"], endpoint=server, retries=2, sleep=waits.append))
    assert waits == [1.0, 2.0]  # no Retry-After: 1, 2, 4... seconds


def test_fetch_says_what_an_api_error_answer_said(server: str) -> None:
    with pytest.raises(WikidataUnavailable, match="'no-such-entity': 'Invalid id'"):
        list(fetch_entities(["Q404404"], endpoint=server))
    assert len(_Handler.seen) == 1
    with pytest.raises(WikidataUnavailable, match="with an error: a list"):
        list(fetch_entities(["Q404405"], endpoint=server))


def test_fetch_does_not_retry_a_404(server: str) -> None:
    _Handler.statuses = [404]
    waits: list[float] = []
    with pytest.raises(WikidataUnavailable, match="HTTP 404"):
        list(fetch_entities(["Q813"], endpoint=server, sleep=waits.append))
    assert waits == []
    assert len(_Handler.seen) == 1


def test_fetch_offline_fails_at_once_without_retrying() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    waits: list[float] = []
    with pytest.raises(WikidataUnavailable, match="are you offline") as raised:
        list(fetch_entities(["Q1"], endpoint=f"http://127.0.0.1:{port}/", sleep=waits.append))
    assert isinstance(raised.value, ConnectionError)
    assert waits == []  # a refused connection is not asked again
    assert "tries" not in str(raised.value)


def test_fetch_retries_a_connection_that_broke(server: str) -> None:
    _Handler.statuses = [0, 0]  # the server closes the connection without an answer
    waits: list[float] = []
    documents = list(fetch_entities(["Q813"], endpoint=server, sleep=waits.append))
    assert [doc["id"] for doc in documents] == ["Q813"]
    assert waits == [1.0, 2.0]


def test_fetch_says_an_answer_that_is_not_json(server: str) -> None:
    _Handler.statuses = [-1]  # 200 with a body that is not JSON
    with pytest.raises(WikidataUnavailable, match="something that is not JSON"):
        list(fetch_entities(["Q813"], endpoint=server))


def test_fetch_refuses_bad_arguments() -> None:
    with pytest.raises(ValueError, match="batch"):
        list(fetch_entities(["Q1"], batch=51))
    with pytest.raises(ValueError, match="not a Wikidata item id"):
        list(fetch_entities(["Kyrgyzstan"], endpoint="http://127.0.0.1:9/"))


@given(st.lists(st.integers(min_value=1, max_value=99), min_size=1, max_size=12, unique=True))
def test_fetch_asks_each_id_once_in_batches(numbers: list[int]) -> None:
    asked: list[str] = []

    class Recorder(_Handler):
        def do_GET(self) -> None:
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            asked.append(query["ids"][0])
            super().do_GET()

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        endpoint = f"http://127.0.0.1:{httpd.server_address[1]}/"
        ids = [f"Q{number}" for number in numbers]
        assert [doc["id"] for doc in fetch_entities(ids, endpoint=endpoint, batch=5)] == ids
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
    assert asked == ["|".join(ids[first : first + 5]) for first in range(0, len(ids), 5)]
