"""The SDMX import: every format, exact values, periods, countries, units, statuses.

Messages come from two places: written by sdmx1 itself from its own model
objects (so the import reads what the field's reader and writer agree on), and
written by hand in the shapes the IMF and the World Bank serve (so the import
reads what providers send, including the awkward parts: aggregates, semesters,
missing values, the IMF's domestic-currency code).
"""

from __future__ import annotations

import datetime as _dt
import http.server
import io
import json
import socket
import sys
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar
from xml.etree import ElementTree

import pytest
import sdmx
from hypothesis import given
from hypothesis import strategies as st
from sdmx import message as sdmx_message
from sdmx.model import common
from sdmx.model import v21 as m
from sdmx.model.common import Key

from kgru_relations import Indicator, Observation, ObservationKind, Source, ValidationError
from kgru_relations.interop import MissingExtra
from kgru_relations.interop.importing import ImportResult
from kgru_relations.interop.sdmx import (
    STATUSES,
    SdmxUnavailable,
    fetch_sdmx,
    from_sdmx,
    from_sdmx_files,
    period_of,
)
from kgru_relations.model import Confidence

DATA = Path(__file__).parent / "data" / "sdmx"
IMTS = DATA / "imf-imts-kg-ru.json"
DOTS = DATA / "imf-dots-kg-ru.xml"
IFS = DATA / "imf-ifs-kg.xml"
WDI = DATA / "wb-remittances.csv"


def observations(result: ImportResult) -> dict[str, Observation]:
    return {o.id: o for o in result.entities if isinstance(o, Observation)}


def figures(result: ImportResult) -> set[tuple[str, str | None, str, Decimal, str, str]]:
    """What a user reads off each observation, ids aside."""
    return {
        (o.reporter, o.partner, str(o.period), o.value, o.unit, o.kind.value)
        for o in result.entities
        if isinstance(o, Observation)
    }


def messages(result: ImportResult) -> list[str]:
    return [str(issue) for issue in (*result.skipped, *result.notes)]


# --- messages sdmx1 writes ------------------------------------------------------------


def sdmx1_message(value: str = "583.1", *, generic: bool = False) -> sdmx_message.DataMessage:
    """An IMTS-like message built from sdmx1's model: KG's exports to RU, and to the world."""
    imf = common.Agency(id="IMF", name={"en": "International Monetary Fund"})
    dsd = m.DataStructureDefinition(id="IMTS", version="1.0", maintainer=imf)
    for dim in ("FREQ", "REF_AREA", "INDICATOR", "COUNTERPART_AREA"):
        dsd.dimensions.getdefault(dim)
    dsd.dimensions.getdefault("TIME_PERIOD", cls=m.TimeDimension)
    unit_mult = dsd.attributes.getdefault("UNIT_MULT")
    unit = dsd.attributes.getdefault("UNIT_MEASURE")
    status = dsd.attributes.getdefault("OBS_STATUS")
    measure = dsd.measures.getdefault("OBS_VALUE")
    flow = m.DataflowDefinition(id="IMTS", version="1.0", maintainer=imf, structure=dsd)
    data_set = (m.GenericDataSet if generic else m.StructureSpecificDataSet)(
        structured_by=dsd, described_by=flow
    )
    for partner, values in (
        ("RU", [("2023", "636.3", "A"), ("2024", value, "E")]),
        ("W00", [("2024", "3509.2", "A")]),
    ):
        key = dsd.make_key(
            m.SeriesKey,
            {"FREQ": "A", "REF_AREA": "KG", "INDICATOR": "XG_FOB_USD", "COUNTERPART_AREA": partner},
        )
        key.attrib["UNIT_MULT"] = common.AttributeValue(value="6", value_for=unit_mult)
        key.attrib["UNIT_MEASURE"] = common.AttributeValue(value="USD", value_for=unit)
        data_set.add_obs(
            [
                m.Observation(
                    series_key=key,
                    dimension=dsd.make_key(Key, {"TIME_PERIOD": period}),
                    value_for=measure,
                    value=text,
                    attached_attribute={
                        "OBS_STATUS": common.AttributeValue(value=code, value_for=status)
                    },
                )
                for period, text, code in values
            ],
            key,
        )
    header = sdmx_message.Header(id="IMTS-1", prepared=_dt.datetime(2025, 6, 30, 12), sender=imf)
    written = sdmx_message.DataMessage(header=header, data=[data_set], dataflow=flow)
    written.observation_dimension = dsd.dimensions.get("TIME_PERIOD")
    return written


def sdmx1_structure() -> bytes:
    """The structure of ``sdmx1_message`` with names, as sdmx1 writes it."""
    imf = common.Agency(id="IMF")
    codes = m.Codelist(id="CL_INDICATOR", version="1.0", maintainer=imf)
    codes.append(m.Code(id="XG_FOB_USD", name={"en": "Exports of goods, FOB, US dollar"}))
    concept = m.Concept(id="INDICATOR", name={"en": "Indicator"})
    concepts = m.ConceptScheme(id="CS_IMTS", version="1.0", maintainer=imf)
    concepts.append(concept)
    dsd = m.DataStructureDefinition(id="IMTS", version="1.0", maintainer=imf)
    dsd.dimensions.getdefault("FREQ")
    dsd.dimensions.getdefault("REF_AREA")
    dsd.dimensions.getdefault(
        "INDICATOR",
        concept_identity=concept,
        local_representation=common.Representation(enumerated=codes),
    )
    dsd.dimensions.getdefault("COUNTERPART_AREA")
    dsd.dimensions.getdefault("TIME_PERIOD", cls=m.TimeDimension)
    for attribute in ("UNIT_MULT", "UNIT_MEASURE", "OBS_STATUS"):
        dsd.attributes.getdefault(attribute)
    dsd.measures.getdefault("OBS_VALUE")
    flow = m.DataflowDefinition(
        id="IMTS",
        version="1.0",
        maintainer=imf,
        structure=dsd,
        name={"en": "International Trade in Goods"},
    )
    structure = sdmx_message.StructureMessage(
        header=sdmx_message.Header(id="S", sender=imf),
        codelist={codes.id: codes},
        concept_scheme={concepts.id: concepts},
        structure={dsd.id: dsd},
        dataflow={flow.id: flow},
    )
    written: bytes = sdmx.to_xml(structure)
    return written


EXPECTED_SDMX1 = {
    ("KG", "RU", "2023", Decimal("636300000"), "USD", "actual"),
    ("KG", "RU", "2024", Decimal("583100000"), "USD", "estimate"),
}


def test_structure_specific_sdmx_ml_written_by_sdmx1() -> None:
    written = sdmx.to_xml(sdmx1_message())
    result = from_sdmx(written)
    assert figures(result) == EXPECTED_SDMX1
    # with no structure, sdmx1 reads every XML attribute of a series as a dimension;
    # the import knows UNIT_MULT and UNIT_MEASURE are attributes, so they apply
    assert [i.id for i in result.entities if isinstance(i, Indicator)] == [
        "indicator:imf-imts-a.xg_fob_usd"
    ]
    assert any("'W00' is not a state" in text for text in messages(result))
    result.dataset()


def test_generic_sdmx_ml_written_by_sdmx1() -> None:
    # sdmx1 writes a generic data set under the structure-specific root; the root
    # is the only thing that differs in a generic message
    written = sdmx.to_xml(sdmx1_message(generic=True))
    written = written.replace(b"mes:StructureSpecificData", b"mes:GenericData")
    assert b"<gen:ObsValue" in written
    assert figures(from_sdmx(written)) == EXPECTED_SDMX1


def test_an_sdmx1_message_object() -> None:
    result = from_sdmx(sdmx1_message())
    assert figures(result) == EXPECTED_SDMX1
    source = next(e for e in result.entities if isinstance(e, Source))
    assert (source.publisher, str(source.published)) == (
        "International Monetary Fund",
        "2025-06-30",
    )


def test_sdmx_csv_written_by_sdmx1(tmp_path: Path) -> None:
    path = tmp_path / "imts.csv"
    sdmx.to_csv(sdmx1_message().data[0], attributes="so", path=path)
    assert path.read_text().startswith("STRUCTURE,STRUCTURE_ID,ACTION,")
    assert figures(from_sdmx(path)) == EXPECTED_SDMX1


def test_sdmx1_csv_writer_passes_values_through_a_float(tmp_path: Path) -> None:
    # Not ours to fix, but a user should know: sdmx1 writes SDMX-CSV through pandas
    # floats, so a 20-digit value loses digits on the way out. The import reads the
    # file's text as written, so it keeps what the file says, no more.
    path = tmp_path / "imts.csv"
    sdmx.to_csv(sdmx1_message("583.10000000000000001").data[0], attributes="so", path=path)
    assert "583.10000000000000001" not in path.read_text()
    values = {o.value for o in observations(from_sdmx(path)).values()}
    assert Decimal("583100000") in values


def test_a_structure_message_gives_names() -> None:
    written = sdmx.to_xml(sdmx1_message())
    result = from_sdmx(written, structure=sdmx1_structure())
    indicator = next(e for e in result.entities if isinstance(e, Indicator))
    assert indicator.names[0].text == (
        "International Trade in Goods: FREQ A, Exports of goods, FOB, US dollar"
    )
    assert figures(result) == EXPECTED_SDMX1


# --- SDMX-JSON: exact values ------------------------------------------------------


def json_message(value: str, *, unit_mult: str = "0", status: str | None = None) -> bytes:
    observation = f"[{value}]" if status is None else f"[{value}, 0]"
    text = {
        "header": {"id": "T", "prepared": "2025-01-02T00:00:00", "sender": {"id": "IMF"}},
        "structure": {
            "id": "IMTS",
            "dimensions": {
                "series": [
                    {"id": "REF_AREA", "values": [{"id": "KG"}]},
                    {"id": "COUNTERPART_AREA", "values": [{"id": "RU"}]},
                ],
                "observation": [{"id": "TIME_PERIOD", "values": [{"id": "2024"}]}],
            },
            "attributes": {
                "series": [
                    {"id": "UNIT_MULT", "values": [{"id": unit_mult}]},
                    {"id": "UNIT_MEASURE", "values": [{"id": "USD"}]},
                ],
                "observation": [{"id": "OBS_STATUS", "values": [{"id": status or "A"}]}],
            },
        },
        "dataSets": [
            {"series": {"0:0": {"attributes": [0, 0], "observations": {"0": "OBSERVATION"}}}}
        ],
    }
    return json.dumps(text).replace('"OBSERVATION"', observation).encode()


@pytest.mark.parametrize(
    ("prepared", "published"),
    [("2025-01-02T00:00:00", "2025-01-02"), ("2025-W04-3T00:00:00", "None"), ("20250122", "None")],
)
def test_a_json_message_is_dated_by_the_day_rule(prepared: str, published: str) -> None:
    # A week date or basic form is not a day the model reads, so it dates nothing.
    text = json_message("1").replace(b"2025-01-02T00:00:00", prepared.encode())
    source = next(e for e in from_sdmx(text).entities if isinstance(e, Source))
    assert str(source.published) == published


def only_value(result: ImportResult) -> Decimal:
    (found,) = observations(result).values()
    return found.value


def test_twenty_significant_digits_come_back_digit_for_digit() -> None:
    value = only_value(from_sdmx(json_message("12345678901.234567890")))
    assert str(value) == "12345678901.234567890"  # a float would give 12345678901.234568


def test_why_sdmx_json_is_not_read_through_sdmx1() -> None:
    # sdmx1's SDMX-JSON reader hands values over as floats, silently dropping digits
    # (and would give the import nothing to say where a value was); the import reads
    # the JSON's number text itself
    text = IMTS.read_text().replace("[353.4]", "[12345678901.234567890]")
    message = sdmx.read_sdmx(io.BytesIO(text.encode()))
    assert isinstance(message, sdmx_message.DataMessage)
    value = message.data[0].obs[0].value
    assert isinstance(value, float)
    assert str(value) == "12345678901.234568"
    ours = observations(from_sdmx(text.encode()))["observation:imf-imts-a.kg.xg_fob_usd.ru-2021"]
    assert str(ours.value) == "12345678901234567.890"  # times 10**6, every digit kept


def test_a_value_given_as_text_in_json_is_read_exactly() -> None:
    assert str(only_value(from_sdmx(json_message('"1234567890.1234567891"')))) == (
        "1234567890.1234567891"
    )


@pytest.mark.parametrize(
    ("value", "unit_mult", "expected"),
    [
        ("1.5", "9", "1500000000"),
        ("2061.2", "6", "2061200000"),
        ("123456789.123456789012", "3", "123456789123.456789012"),
        ("1500", "-3", "1.500"),
        ("7", "0", "7"),
    ],
)
def test_unit_mult_is_applied_exactly(value: str, unit_mult: str, expected: str) -> None:
    assert str(only_value(from_sdmx(json_message(value, unit_mult=unit_mult)))) == expected


@pytest.mark.parametrize("missing", ["null", "NaN", '"NaN"', '""'])
def test_a_missing_value_is_left_out_never_zero(missing: str) -> None:
    result = from_sdmx(json_message(missing))
    assert observations(result) == {}
    assert "a missing value" in str(result.skipped[0])
    assert str(result.skipped[0]).startswith('$.dataSets[0].series["0:0"].observations["0"]')


@pytest.mark.parametrize(
    ("status", "kind", "confidence", "note"),
    [
        ("A", ObservationKind.ACTUAL, Confidence.VERIFIED, None),
        ("E", ObservationKind.ESTIMATE, Confidence.VERIFIED, None),
        ("F", ObservationKind.FORECAST, Confidence.VERIFIED, None),
        ("P", ObservationKind.ACTUAL, Confidence.LIKELY, "SDMX OBS_STATUS P: provisional value"),
        ("I", ObservationKind.ESTIMATE, Confidence.VERIFIED, "SDMX OBS_STATUS I: imputed value"),
        ("U", ObservationKind.ACTUAL, Confidence.UNVERIFIED, "SDMX OBS_STATUS U: low reliability"),
        ("B", ObservationKind.ACTUAL, Confidence.VERIFIED, "SDMX OBS_STATUS B: time series break"),
        ("Z", ObservationKind.ACTUAL, Confidence.VERIFIED, "SDMX OBS_STATUS Z"),
    ],
)
def test_obs_status_gives_kind_and_confidence(
    status: str, kind: ObservationKind, confidence: Confidence, note: str | None
) -> None:
    result = from_sdmx(json_message("1", status=status))
    (found,) = observations(result).values()
    assert (found.kind, found.confidence, found.note) == (kind, confidence, note)
    assert bool(result.notes) == (note is not None)  # what the model cannot say is listed


def test_a_status_that_marks_a_value_missing_leaves_it_out() -> None:
    result = from_sdmx(json_message("0", status="M"))
    assert observations(result) == {}
    assert "OBS_STATUS 'M'" in str(result.skipped[0])
    assert all(status.missing == (code in "HLMOQ") for code, status in STATUSES.items())


# --- messages written by hand, as providers send them -------------------------------


def test_imf_imts_json() -> None:
    result = from_sdmx(IMTS)
    assert figures(result) >= {
        ("KG", "RU", "2024", Decimal("583100000"), "USD", "estimate"),
        ("KG", "RU", "2024", Decimal("2898600000"), "USD", "actual"),
        ("RU", "KG", "2024", Decimal("3602500000"), "USD", "actual"),
    }
    found = observations(result)
    provisional = found["observation:imf-imts-a.kg.mg_cif_usd.ru-2024"]
    assert provisional.confidence is Confidence.LIKELY
    # exports and imports are two indicators; KG's and RU's exports are one
    indicators = {e.id: e for e in result.entities if isinstance(e, Indicator)}
    assert sorted(indicators) == [
        "indicator:imf-imts-a.mg_cif_usd",
        "indicator:imf-imts-a.xg_fob_usd",
    ]
    assert indicators["indicator:imf-imts-a.xg_fob_usd"].names[0].text == (
        "International Trade in Goods (by partner country): Annual, "
        "Exports of goods, free on board (FOB), US dollar"
    )
    listed = messages(result)
    assert any("'2024-S1' is a semester" in text for text in listed)
    assert any("'W00' (World) is not a state" in text for text in listed)
    assert any("a missing value (null)" in text for text in listed)
    assert any("'DECIMALS_DISPLAYED' says how to display" in text for text in listed)
    source = next(e for e in result.entities if isinstance(e, Source))
    assert source.url is not None
    assert source.url.startswith("https://api.imf.org/")
    assert {o.sources for o in found.values()} == {(source.id,)}
    assert len(result.dataset().all(Observation)) == 11


def test_imf_dots_generic_sdmx_ml() -> None:
    result = from_sdmx(DOTS)
    assert figures(result) == {
        ("KG", "RU", "2024-Q1", Decimal("131220000"), "USD", "actual"),
        ("KG", "RU", "2024-Q2", Decimal("152917000"), "USD", "actual"),
        ("KG", "RU", "2024-01", Decimal("201345500"), "USD", "actual"),
        ("KG", "RU", "2024-02", Decimal("-250.00"), "USD", "forecast"),
    }
    listed = messages(result)
    assert any("'2024-S2' is a semester" in text for text in listed)
    assert any("'F19' is not a state" in text for text in listed)
    assert any("a missing value ('NaN')" in text for text in listed)
    assert any("'TIME_FORMAT' is not imported" in text for text in listed)
    negative = [e for e in result.dataset().all(Indicator) if e.allows_negative]
    assert [e.id for e in negative] == ["indicator:imf-dots-m.tmg_cif_usd"]


def test_imf_ifs_structure_specific_with_m49_codes_and_domestic_currency() -> None:
    result = from_sdmx(IFS)
    assert figures(result) == {
        ("KG", None, "2024-01", Decimal("548448500000"), "KGS", "actual"),
        ("KG", None, "2024-02", Decimal("553337800000"), "KGS", "estimate"),
        ("KG", None, "2023", Decimal("1250000"), "USD", "actual"),
        ("KG", None, "2023", Decimal("1255800000000"), "xdc", "actual"),
        ("KG", None, "2025", Decimal("1598200000000"), "xdc", "forecast"),
    }
    listed = messages(result)
    assert any("'XDC' is read as KGS, the currency its CURRENCY says" in t for t in listed)
    assert any("'XDC' is not an ISO 4217 currency code" in t for t in listed)
    assert any("'SCALE' says how to display the values, not a multiplier" in t for t in listed)
    assert any("'2024-W05' is a week" in t for t in listed)
    assert any("the reporter 'U2' is not a state" in t for t in listed)
    assert any(
        "two currencies (USD and EUR); the unit is USD, its UNIT_MEASURE" in t for t in listed
    )
    assert len([t for t in listed if "'XDC' is not" in t]) == 1  # once per series


def test_world_bank_csv() -> None:
    result = from_sdmx(WDI)
    assert figures(result) == {
        ("KG", None, "2022", Decimal("2993670000"), "USD", "actual"),
        ("KG", None, "2023", Decimal("2532021000"), "USD", "actual"),
    }
    listed = messages(result)
    assert any(t.startswith("$[3]: a missing value ('')") for t in listed)
    assert any("'WLD' is not a state" in t for t in listed)
    assert any("'ECS' is not a state" in t for t in listed)
    assert any(t.startswith("$[6]: the message gives no unit") for t in listed)


def test_a_unit_for_series_that_give_none() -> None:
    csv = b"DATAFLOW,REF_AREA,TIME_PERIOD,OBS_VALUE\nWB:WDI(1.0),KGZ,2023,18.8\n"
    assert figures(from_sdmx(csv, unit="percent")) == {
        ("KG", None, "2023", Decimal("18.8"), "percent", "actual")
    }
    with pytest.raises(ValidationError):
        from_sdmx(csv, unit="not a unit")


def test_csv_labels_give_names_and_deletions_are_no_figures() -> None:
    csv = (
        b"STRUCTURE,STRUCTURE_ID,ACTION,FREQ: Frequency,REF_AREA: Reference area,"
        b"TIME_PERIOD: Time,OBS_VALUE: Value,UNIT_MEASURE: Unit\n"
        b"dataflow,WB:WDI(1.0),I,A: Annual,KGZ: Kyrgyz Republic,2023,5,USD: US dollar\n"
        b"dataflow,WB:WDI(1.0),D,A: Annual,KGZ: Kyrgyz Republic,2022,4,USD: US dollar\n"
    )
    result = from_sdmx(csv)
    assert figures(result) == {("KG", None, "2023", Decimal("5"), "USD", "actual")}
    assert "WB WDI: Annual" in next(
        e.names[0].text for e in result.entities if isinstance(e, Indicator)
    )
    assert any("deletes this observation" in t for t in messages(result))


def test_named_dimensions_and_two_series_never_one_indicator() -> None:
    csv = (
        b"DATAFLOW,REPORTING_COUNTRY,COUNTERPART_COUNTRY,FLOW,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE\n"
        b"X:TRADE(1.0),417,643,X,2024,1,USD\n"
        b"X:TRADE(1.0),417,643,M,2024,2,USD\n"
    )
    result = from_sdmx(
        csv, reporter_dimension="REPORTING_COUNTRY", partner_dimension="COUNTERPART_COUNTRY"
    )
    assert figures(result) == {
        ("KG", "RU", "2024", Decimal("1"), "USD", "actual"),
        ("KG", "RU", "2024", Decimal("2"), "USD", "actual"),
    }
    assert len(result.dataset().all(Indicator)) == 2
    without = from_sdmx(csv)
    assert observations(without) == {}
    assert "no reporter" in str(without.skipped[0])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", "2024"),
        ("2024-A1", "2024"),
        ("2024-Q1", "2024-Q1"),
        ("2024-01", "2024-01"),
        ("2024-M01", "2024-01"),
        ("2024-02-29", "2024-02-29"),
    ],
)
def test_periods_at_their_precision(text: str, expected: str) -> None:
    assert str(period_of(text)) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2024-S1", "a semester"),
        ("2024-W01", "a week"),
        ("2024-01-01/P1Y", "a range of time"),
        ("2024-01-01T00:00:00", "a date and time"),
        ("2024-M13", "not a real date"),
        ("24", "not an SDMX time period"),
    ],
)
def test_periods_the_model_cannot_hold(text: str, why: str) -> None:
    with pytest.raises(ValidationError, match=why):
        period_of(text)


def test_sdmx_ml_without_sdmx1_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sdmx", None)
    with pytest.raises(MissingExtra) as caught:
        from_sdmx(DOTS)
    assert str(caught.value) == "reading SDMX-ML needs sdmx: pip install 'kgru-relations[sdmx]'"
    assert len(from_sdmx(IMTS).entities) > 1  # SDMX-JSON and SDMX-CSV need no extra


# --- bad input ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "$: an empty file is not an SDMX-CSV message"),
        (b"FREQ,OBS_VALUE\n", "$[0]: an SDMX-CSV header starts with DATAFLOW"),
        (b"{", "$: not JSON"),
        (b"[1]", "$: expected an SDMX-JSON message (an object)"),
        (b"<html></html>", "$: not an SDMX data message that can be read"),
        (b"\xff\xfe", "$: not UTF-8 text"),
        (b"DATAFLOW,REF_AREA\nX,KG\n", "$[0]: no OBS_VALUE column"),
        (b"DATAFLOW,OBS_VALUE\nX,1,2\n", "$[1]: has 3 cells, the header 2"),
    ],
)
def test_what_is_not_an_sdmx_message(data: bytes, expected: str) -> None:
    with pytest.raises(ValidationError) as caught:
        from_sdmx(data)
    assert str(caught.value).startswith(expected)


def test_every_problem_in_json_at_its_path() -> None:
    bad = json.loads(IMTS.read_text())
    bad["dataSets"][0]["series"]["0:0:9:0"] = {"observations": {}}
    bad["dataSets"][0]["series"]["0:0:0:0"]["observations"]["7"] = [1]
    bad["dataSets"][0]["series"]["0:0:1:0"]["observations"]["0"] = [{"x": 1}]
    with pytest.raises(ValidationError) as caught:
        from_sdmx(json.dumps(bad).encode())
    assert [str(issue) for issue in caught.value.issues] == [
        '$.dataSets[0].series["0:0:0:0"].observations["7"]: '
        "7 is not an index into the values of 'TIME_PERIOD'",
        '$.dataSets[0].series["0:0:1:0"].observations["0"][0]: '
        "expected a number, text or null, got an object",
        "$.dataSets[0].series[\"0:0:9:0\"]: 9 is not an index into the values of 'INDICATOR'",
    ]


def test_a_structure_that_is_not_one() -> None:
    with pytest.raises(ValidationError, match="expected an SDMX structure message"):
        from_sdmx(IMTS, structure=sdmx.to_xml(sdmx1_message()))
    with pytest.raises(ValidationError, match="not an SDMX structure message that can be read"):
        from_sdmx(IMTS, structure=b"<x/>")
    with pytest.raises(ValidationError, match="expected an SDMX data message"):
        from_sdmx(sdmx.read_sdmx(io.BytesIO(sdmx1_structure())))


# --- mutated messages: only ValidationError, every problem at its path ------------------

FIXTURES = [IMTS.read_bytes(), DOTS.read_bytes(), IFS.read_bytes(), WDI.read_bytes()]
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=6)
    | st.sampled_from(["2024", "2024-S1", "NaN", "KG", "W00", "-1", "1e999"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


def imports_or_refuses(data: bytes) -> None:
    """The law: a result whose dataset is valid, or one ValidationError; short messages."""
    refused: ValidationError | None = None
    try:
        result = from_sdmx(data)
    except ValidationError as error:
        refused = error
    if refused is not None:
        assert refused.issues
        assert all(issue.path.startswith("$") for issue in refused.issues)
        assert len(str(refused)) < 200 * (len(refused.issues) + 1)
        return
    result.dataset()
    assert all(len(str(issue)) < 600 for issue in (*result.skipped, *result.notes))


@given(
    st.sampled_from(FIXTURES),
    st.lists(st.tuples(st.integers(min_value=0), st.binary(min_size=1, max_size=3)), max_size=4),
)
def test_flipped_bytes(data: bytes, flips: list[tuple[int, bytes]]) -> None:
    mutated = bytearray(data)
    for position, new in flips:
        at = position % len(mutated)
        mutated[at : at + len(new)] = new
    imports_or_refuses(bytes(mutated))


def json_nodes(tree: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(tree, dict):
        for key, value in tree.items():
            found += json_nodes(value, (*path, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            found += json_nodes(value, (*path, index))
    return found


@given(st.data(), JSON_VALUES, st.booleans())
def test_any_json_value_anywhere(data: st.DataObject, value: Any, drop: bool) -> None:
    tree = json.loads(IMTS.read_text())
    path = data.draw(st.sampled_from(json_nodes(tree)[1:]))
    parent = tree
    for part in path[:-1]:
        parent = parent[part]
    if drop:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    imports_or_refuses(json.dumps(tree).encode())


@given(st.sampled_from([DOTS, IFS]), st.data())
def test_xml_elements_and_attributes_dropped(path: Path, data: st.DataObject) -> None:
    root = ElementTree.fromstring(path.read_bytes())
    elements = [(parent, child) for parent in root.iter() for child in parent]
    parent, child = data.draw(st.sampled_from(elements))
    names: list[str] = sorted(child.attrib)
    drop_attribute: bool = data.draw(st.booleans())
    if names and drop_attribute:
        del child.attrib[data.draw(st.sampled_from(names))]
    else:
        parent.remove(child)
    imports_or_refuses(ElementTree.tostring(root))


def test_a_message_sdmx1_cannot_parse_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    # sdmx1 prints its parsing stacks when it fails; a command's output must not carry them.
    broken = IFS.read_bytes().replace(
        b'dimensionAtObservation="TIME_PERIOD"', b'dimensionAtObservation="X"'
    )
    with pytest.raises(ValidationError, match="not an SDMX data message that can be read"):
        from_sdmx(broken)
    assert capsys.readouterr() == ("", "")


@given(st.sampled_from([WDI]), st.data())
def test_csv_cells_replaced(path: Path, data: st.DataObject) -> None:
    rows = [line.split(",") for line in path.read_text().splitlines()]
    row = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    column = data.draw(st.integers(min_value=0, max_value=len(rows[row]) - 1))
    rows[row][column] = data.draw(
        st.sampled_from(["", "NaN", "2024-S1", "W00", "X", "1e5", "99", "-", ":"])
        | st.text(max_size=5)
    )
    imports_or_refuses(
        "\n".join(",".join(cells) for cells in rows).encode("utf-8", "surrogatepass")
    )


# --- fetching: a local server serving a recorded response, never the network -----------


class Recorded(http.server.BaseHTTPRequestHandler):
    """Answers every GET with the recorded IMTS response (or the status asked for)."""

    status = 200
    asked: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).asked.append(self.path)
        body = IMTS.read_bytes() if self.status == 200 else b"no"
        self.send_response(self.status)
        self.send_header("Content-Type", "application/vnd.sdmx.data+json; version=1.0.0")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def server() -> Iterator[tuple[str, type[Recorded]]]:
    handler = type("Handler", (Recorded,), {"asked": []})
    httpd = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/rest", handler
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_fetch_through_sdmx1s_client(server: tuple[str, type[Recorded]]) -> None:
    base, handler = server
    result = fetch_sdmx(
        "IMF_DATA",
        "IMTS",
        "A.KG.XG_FOB_USD+MG_CIF_USD.RU",
        params={"startPeriod": "2021"},
        base_url=base,
    )
    (asked,) = handler.asked
    assert asked.startswith("/rest/data/IMTS/A.KG.XG_FOB_USD+MG_CIF_USD.RU")
    assert "startPeriod=2021" in asked
    assert figures(result) == figures(from_sdmx(IMTS))
    source = next(e for e in result.entities if isinstance(e, Source))
    assert source.url == base + asked.removeprefix("/rest")
    assert source.retrieved is not None


def test_fetch_refused(server: tuple[str, type[Recorded]]) -> None:
    base, handler = server
    handler.status = 404
    with pytest.raises(SdmxUnavailable, match=r"^the SDMX service refused http://127\.0\.0\.1"):
        fetch_sdmx("IMF_DATA", "IMTS", "A.KG", base_url=base)
    assert len(handler.asked) == 1  # a 4xx is not retried


def test_fetch_retries_a_failing_service(server: tuple[str, type[Recorded]]) -> None:
    base, handler = server
    handler.status = 503
    waits: list[float] = []
    with pytest.raises(SdmxUnavailable, match=r"after 3 tries \(HTTP 503 Service Unavailable\)"):
        fetch_sdmx("IMF_DATA", "IMTS", "A.KG", base_url=base, retries=2, sleep=waits.append)
    assert (len(handler.asked), waits) == (3, [1.0, 2.0])


def test_offline_is_one_clear_line() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(SdmxUnavailable) as caught:
        fetch_sdmx("IMF_DATA", "IMTS", "A.KG", base_url=f"http://127.0.0.1:{port}", retries=0)
    text = str(caught.value)
    assert "\n" not in text
    assert text.startswith(f"could not read http://127.0.0.1:{port}/data/IMTS/A.KG")
    assert text.endswith("after 1 tries (ConnectionError); are you offline?")
    assert isinstance(caught.value, ConnectionError)


def test_fetch_from_a_provider_sdmx1_does_not_know() -> None:
    with pytest.raises(ValidationError, match="not a provider sdmx1 knows"):
        fetch_sdmx("NOWHERE", "IMTS")


# --- several files, as the command reads them ---------------------------------------


def test_several_files_make_one_result(tmp_path: Path) -> None:
    both = from_sdmx_files([IMTS, DOTS])
    assert figures(both) == figures(from_sdmx(IMTS)) | figures(from_sdmx(DOTS))
    assert str(both.skipped[0]).startswith('$["imf-imts-kg-ru.json"].dataSets[0]')
    assert len(both.dataset().all(Source)) == 2
    twice = from_sdmx_files([IMTS, IMTS])
    assert twice.entities == from_sdmx(IMTS).entities
    # another account of one observation, from another file, is left out and said
    other = tmp_path / "other.json"
    other.write_text(IMTS.read_text().replace("[353.4]", "[353.5]"))
    clash = from_sdmx_files([IMTS, other])
    assert "$[\"other.json\"]: 'observation:imf-imts-a.kg.xg_fob_usd.ru-2021' differs" in (
        "\n".join(map(str, clash.skipped))
    )
    clash.dataset()


def test_several_files_every_problem_under_its_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"DATAFLOW,REF_AREA\nX,KG\n")
    worse = tmp_path / "worse.json"
    worse.write_bytes(b"[]")
    with pytest.raises(ValidationError) as caught:
        from_sdmx_files([IMTS, bad, worse, b"{"])
    assert [issue.path for issue in caught.value.issues] == [
        '$["bad.csv"][0]',
        '$["worse.json"]',
        '$["<3>"]',
    ]


def test_several_files_one_bad_structure_is_said_once_under_its_name(tmp_path: Path) -> None:
    structure = tmp_path / "dsd.xml"
    structure.write_bytes(b"DATAFLOW,REF_AREA\n")  # not a structure message
    with pytest.raises(ValidationError) as caught:
        from_sdmx_files([IMTS, DOTS, IMTS], structure=structure)
    paths = [issue.path for issue in caught.value.issues]
    assert paths, "a structure that is not one is refused"
    assert all(path.startswith('$["dsd.xml"]') for path in paths)
    assert len(paths) == len(set(paths))  # once, not once per data file
    with pytest.raises(ValidationError) as given:
        from_sdmx_files([IMTS], structure=b"DATAFLOW,REF_AREA\n")
    assert all(issue.path.startswith('$["<structure>"]') for issue in given.value.issues)


# --- more shapes ---------------------------------------------------------------------


def test_a_float_in_an_sdmx1_message_is_refused_not_rounded() -> None:
    built = sdmx1_message()
    data_set = built.data[0]
    for observations in data_set.series.values():
        for obs in observations:
            obs.value = 0.1 if obs.value == "636.3" else obs.value
    result = from_sdmx(built)
    assert figures(result) == {("KG", "RU", "2024", Decimal("583100000"), "USD", "estimate")}
    assert any("a float cannot hold a decimal amount exactly" in t for t in messages(result))


def test_a_document_type_declaration_is_refused() -> None:
    text = DOTS.read_text().replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>',
    )
    with pytest.raises(ValidationError, match="no document type declaration"):
        from_sdmx(text.replace('value="TXG_FOB_USD"', 'value="&e;"').encode())


def test_sdmx_json_2_and_observations_with_every_dimension() -> None:
    message = {
        "meta": {"id": "M", "prepared": "2025-02-03T00:00:00", "sender": {"id": "OECD"}},
        "data": {
            "structures": [
                {
                    "name": {"en": "Trade in goods"},
                    "dimensions": {
                        "observation": [
                            {"id": "REF_AREA", "values": [{"id": "KGZ"}, {"id": "RUS"}]},
                            {"id": "TIME_PERIOD", "values": [{"id": "2024-Q4"}]},
                        ]
                    },
                    "attributes": {
                        "dataSet": [{"id": "UNIT_MEASURE", "values": [{"id": "USD"}]}],
                        "observation": [{"id": "UNIT_MULT", "values": [{"id": "3"}]}],
                    },
                }
            ],
            "dataSets": [
                {
                    "action": "Information",
                    "attributes": [0],
                    "observations": {"0:0": ["12.5", 0], "1:0": [7]},
                }
            ],
        },
    }
    result = from_sdmx(json.dumps(message).encode())
    assert figures(result) == {
        ("KG", None, "2024-Q4", Decimal("12500"), "USD", "actual"),
        ("RU", None, "2024-Q4", Decimal("7"), "USD", "actual"),
    }
    source = next(e for e in result.entities if isinstance(e, Source))
    assert (source.title, source.publisher) == ("Trade in goods (SDMX-JSON message M)", "OECD")
    deleted = json.loads(json.dumps(message))
    deleted["data"]["dataSets"][0]["action"] = "Delete"
    assert observations(from_sdmx(json.dumps(deleted).encode())) == {}


def test_observations_outside_series_written_by_sdmx1() -> None:
    built = sdmx1_message()
    dsd = built.data[0].structured_by
    flat = m.GenericDataSet(structured_by=dsd)
    flat.obs.append(
        m.Observation(
            dimension=dsd.make_key(
                Key,
                {
                    "FREQ": "A",
                    "REF_AREA": "KG",
                    "INDICATOR": "XG_FOB_USD",
                    "COUNTERPART_AREA": "RU",
                    "TIME_PERIOD": "2022",
                },
            ),
            value="914.5",
            attached_attribute={
                "UNIT_MULT": common.AttributeValue(
                    value="6", value_for=dsd.attributes.get("UNIT_MULT")
                ),
                "UNIT_MEASURE": common.AttributeValue(
                    value="USD", value_for=dsd.attributes.get("UNIT_MEASURE")
                ),
            },
        )
    )
    built.data = [flat]
    built.observation_dimension = common.AllDimensions
    assert figures(from_sdmx(built)) == {
        ("KG", "RU", "2022", Decimal("914500000"), "USD", "actual")
    }


def test_a_structure_names_the_codes_of_csv() -> None:
    csv = (
        b"DATAFLOW,FREQ,REF_AREA,INDICATOR,COUNTERPART_AREA,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE\n"
        b"IMF:IMTS(1.0),A,KG,XG_FOB_USD,RU,2024,1,USD\n"
    )
    result = from_sdmx(csv, structure=sdmx1_structure())
    (indicator,) = result.dataset().all(Indicator)
    assert indicator.names[0].text == (
        "International Trade in Goods: FREQ A, Exports of goods, FOB, US dollar"
    )


def test_what_a_single_figure_cannot_be() -> None:
    head = b"DATAFLOW,REF_AREA,SERIES,TIME_PERIOD,OBS_VALUE,UNIT_MULT,UNIT_MEASURE\n"
    rows = [
        b"X:F(1.0),KG,A,2023,5,x,USD",  # a multiplier that is no power of ten
        b"X:F(1.0),KG,B,2023,5,40,USD",  # more digits than the model holds
        b"X:F(1.0),KG,C,2023,5,0,TONNES",  # a word
        b"X:F(1.0),KG,D,2023,5,0,$$$",  # no unit the model holds
        b"X:F(1.0),KG,E,2023,1,0,USD",
        b"X:F(1.0),KG,E,2023,2,0,USD",  # one series, one period, twice
        b"X:F(1.0),KG,F,2023,abc,0,USD",  # not a number
    ]
    result = from_sdmx(head + b"\n".join(rows) + b"\n")
    assert figures(result) == {
        ("KG", None, "2023", Decimal("5"), "tonnes", "actual"),
        ("KG", None, "2023", Decimal("1"), "USD", "actual"),
    }
    listed = "\n".join(messages(result))
    assert "$[1].UNIT_MULT: UNIT_MULT 'x' is not a power of ten" in listed
    assert "$[2]: not imported: $.value: the amount has more than 30 digits" in listed
    assert "kept as the word 'tonnes'" in listed
    assert "$[4]: the unit '$$$' is not one the model holds; pass unit=" in listed
    assert "$[6]: repeats the observation of 2023 of this series" in listed
    assert "$[7]: not imported: 'abc' is not a decimal number" in listed
    given = from_sdmx(head + rows[3] + b"\n", unit="USD")
    assert figures(given) == {("KG", None, "2023", Decimal("5"), "USD", "actual")}
    assert "'USD', the unit given to the import, is used" in messages(given)[0]


def test_a_source_address_the_model_refuses_is_left_off() -> None:
    tree = json.loads(IMTS.read_text())
    tree["header"]["links"][0]["href"] = "ftp://example.org/x"
    source = next(e for e in from_sdmx(json.dumps(tree).encode()).entities if isinstance(e, Source))
    assert (source.url, source.title) == (
        None,
        "International Trade in Goods (by partner country) (SDMX-JSON message IMTS-KG-RU-2025-06)",
    )


def test_a_group_s_attributes_apply_to_its_series() -> None:
    text = DOTS.read_text()
    text = text.replace(
        '<generic:Value id="UNIT_MULT" value="3"/>\n'
        '        <generic:Value id="UNIT_MEASURE" value="USD"/>',
        '<generic:Value id="UNIT_MULT" value="3"/>',
    )
    group = (
        '<generic:Group type="SiblingGroup"><generic:GroupKey>'
        '<generic:Value id="FREQ" value="M"/><generic:Value id="REF_AREA" value="KG"/>'
        '<generic:Value id="INDICATOR" value="TMG_CIF_USD"/>'
        '<generic:Value id="COUNTERPART_AREA" value="RU"/></generic:GroupKey>'
        '<generic:Attributes><generic:Value id="UNIT_MEASURE" value="EUR"/>'
        "</generic:Attributes></generic:Group>"
    )
    text = text.replace("</message:DataSet>", group + "</message:DataSet>")
    units = {(str(o.period), o.unit) for o in observations(from_sdmx(text.encode())).values()}
    assert ("2024-01", "EUR") in units
    assert ("2024-Q1", "USD") in units
