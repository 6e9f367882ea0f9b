"""Each relation's FtM and Popolo form comes from one declaration beside its edge.

`interop.ftm._mapping.FTM_EDGES` and `interop.popolo._export.POPOLO_EDGES` hold
one line per edge of `dataset._edges.EDGES`; the export and the import read
that line alone. These tests hold the declarations to FtM's own edge
declarations (`schema/Occupancy.yaml`: `edge: source: holder, target: post`),
to the docs' loss tables, and to what both directions do with every relation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest

from kgru_relations import (
    Dataset,
    Name,
    Organization,
    OrganizationKind,
    Person,
    Position,
    PositionKind,
    Source,
    State,
)
from kgru_relations.dataset._edges import EDGES, Side
from kgru_relations.interop.ftm import from_ftm, ftm_id, to_ftm
from kgru_relations.interop.ftm._mapping import EDGES_LOST as FTM_LOST
from kgru_relations.interop.ftm._mapping import FTM_EDGES, SCHEMA_OF, UNREAD, FtmEdge
from kgru_relations.interop.popolo import check_popolo, to_popolo
from kgru_relations.interop.popolo._export import EDGES_LOST as POPOLO_LOST
from kgru_relations.interop.popolo._export import POPOLO_EDGES, PopoloEdge
from kgru_relations.model import Entity

DOCS = Path(__file__).parents[1] / "docs" / "how-to"
SOURCES = ["source:s"]

# One entity of each class a relation's end may be.
ENDS: dict[type[Entity], Entity] = {
    State: State(id="state:kg", code="KG", names=[Name("Kyrgyzstan")], sources=SOURCES),
    Organization: Organization(
        id="organization:csto",
        names=[Name("CSTO")],
        kind=OrganizationKind.INTERGOVERNMENTAL,
        sources=SOURCES,
    ),
    Person: Person(id="person:p", names=[Name("P")], sources=SOURCES),
    Position: Position(
        id="position:kg-president",
        names=[Name("President of Kyrgyzstan")],
        kind=PositionKind.HEAD_OF_STATE,
        organization="state:kg",
        sources=SOURCES,
    ),
}

SIDES: tuple[Side, Side] = ("source", "target")
PERIODS = ("2001-02-03/2005-06", "2001-02-03/..", "2001-02-03/", "/2005")


def relation(edge: Any, period: str) -> Entity:
    """A record of *edge* between the entities of ENDS, over *period*."""
    ends = {edge.field(side): ENDS[edge.classes(side)[0]].id for side in ("source", "target")}
    record: Entity = edge.kind(
        id=f"{edge.kind.KIND}:x", period=period, sources=SOURCES, note="Said so.", **ends
    )
    return record


def dataset(*records: Entity) -> Dataset:
    return Dataset([Source(id="source:s", title="S"), *ENDS.values(), *records])


def loss_table(page: str, heading: str) -> str:
    return (DOCS / page).read_text(encoding="utf-8").partition(heading)[2].partition("\n## ")[0]


@pytest.mark.parametrize(
    ("forms", "lost"),
    [(FTM_EDGES, FTM_LOST), (POPOLO_EDGES, POPOLO_LOST)],
    ids=["ftm", "popolo"],
)
def test_every_edge_has_one_form_or_is_listed_as_lost(
    forms: tuple[FtmEdge | PopoloEdge, ...], lost: tuple[Any, ...]
) -> None:
    declared = [form.edge for form in forms]
    assert sorted(map(id, declared)) == sorted(set(map(id, declared)))  # each edge once
    assert {id(edge) for edge in EDGES} == {*map(id, declared), *map(id, lost)}
    assert [edge for edge in EDGES if edge in declared] == declared  # in the edges' order


@pytest.mark.parametrize("form", FTM_EDGES, ids=lambda form: form.schema)
def test_each_ftm_form_is_the_edge_ftm_itself_declares(form: FtmEdge) -> None:
    model = pytest.importorskip("followthemoney").model
    schema = model.get(form.schema)
    assert schema.edge, f"{form.schema} is no edge in FtM"
    assert (schema.edge_source, schema.edge_target) == (form.source, form.target)
    for side, name in zip(SIDES, (form.source, form.target), strict=True):
        prop = schema.get(name)
        for cls in form.edge.classes(side):  # what each end is written as fits the range
            assert model.get(SCHEMA_OF[cls]).is_a(prop.range), (cls, name)


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("form", FTM_EDGES, ids=lambda form: form.kind.KIND)
def test_each_relation_goes_to_ftm_and_back_by_its_declaration(form: FtmEdge, period: str) -> None:
    record = relation(form.edge, period)
    (written,) = [item for item in to_ftm(dataset(record)) if item["id"] == ftm_id(record.id)]
    properties = written["properties"]
    assert written["schema"] == form.schema
    for side, name in zip(SIDES, (form.source, form.target), strict=True):
        assert properties[name] == [ftm_id(form.edge.end(record, side))]
    assert properties.get("role") == ([form.role] if form.role else None)
    assert properties.get("status") == ([status] if (status := form.status(record)) else None)
    assert properties["description"] == ["Said so."]

    result = from_ftm(to_ftm(dataset(record)))
    (read,) = [entity for entity in result.entities if type(entity) is form.kind]
    assert UNREAD[form.kind] >= form.unread()
    kept = [f.name for f in attrs.fields(form.kind) if f.name not in form.unread()]
    assert str(read.period) == period  # type: ignore[attr-defined]
    for name in kept:
        assert getattr(read, name) == getattr(record, name), name


@pytest.mark.parametrize("form", FTM_EDGES, ids=lambda form: form.kind.KIND)
def test_what_an_ftm_form_cannot_hold_is_in_the_loss_table(form: FtmEdge) -> None:
    table = loss_table("export-ftm.md", "## What FtM cannot hold")
    for name in form.unread():
        assert f"`{name}`" in table or f"`{form.kind.__name__}.{name}`" in table, name
    for edge in FTM_LOST:
        assert edge.kind.__name__ in table


@pytest.mark.parametrize("form", POPOLO_EDGES, ids=lambda form: form.edge.kind.KIND)
def test_what_a_popolo_form_cannot_hold_is_in_the_loss_table(form: PopoloEdge) -> None:
    table = loss_table("export-popolo.md", "## What Popolo cannot hold")
    for name in form.lost():
        assert f"`{name}`" in table, name
    for edge in POPOLO_LOST:
        assert edge.kind.__name__ in table


@pytest.mark.parametrize("form", POPOLO_EDGES, ids=lambda form: form.edge.kind.KIND)
def test_each_relation_is_a_popolo_membership_by_its_declaration(form: PopoloEdge) -> None:
    record = relation(form.edge, "2001-02-03/2005-06")
    document = to_popolo(dataset(record))
    check_popolo(document)
    (item,) = [item for item in document["memberships"] if item["id"] == record.id]
    post = ENDS[Position]
    assert item["role"] == (form.role or post.kind.value)  # type: ignore[attr-defined]
    assert (item["start_date"], item["end_date"]) == ("2001-02-03", "2005-06")
    fields = {State: "area_id", Organization: "organization_id", Person: "person_id"}
    for side in SIDES:
        cls = form.edge.classes(side)[0]
        end = form.edge.end(record, side)
        if cls is Position:  # a membership that holds a post sits where the post does
            assert (item["post_id"], item["area_id"]) == (end, "state:kg")
            assert item["label"] == post.label
        else:
            assert item[fields[cls]] == end


def mapping_row(page: str, cls: type[Entity]) -> str:
    """The row of *page*'s mapping table for *cls*."""
    text = (DOCS / page).read_text(encoding="utf-8")
    (row,) = [line for line in text.splitlines() if line.startswith(f"| [`{cls.__name__}`]")]
    return row


@pytest.mark.parametrize("form", FTM_EDGES, ids=lambda form: form.kind.KIND)
def test_the_ftm_mapping_table_says_what_the_declaration_does(form: FtmEdge) -> None:
    row = mapping_row("export-ftm.md", form.kind)
    said = [form.schema, form.source, form.target, "startDate", "endDate", "status"]
    for name in [*said, *(["role", form.role] if form.role else [])]:
        assert f"`{name}`" in row, name


@pytest.mark.parametrize("form", POPOLO_EDGES, ids=lambda form: form.edge.kind.KIND)
def test_the_popolo_mapping_table_says_what_the_declaration_does(form: PopoloEdge) -> None:
    row = mapping_row("export-popolo.md", form.edge.kind)
    for name in ["memberships[]", "role", "start_date", "end_date", *filter(None, [form.role])]:
        assert f"`{name}`" in row, name
    for flag in form.flags:
        assert f"`({flag})`" in row, flag
