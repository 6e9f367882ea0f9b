"""Export, import, merge into the origin: nothing added, nothing kept apart (issue 20).

An import fills what its format cannot give with defaults (from FtM, a
position's ``kind`` is ``other``); the import's ``unread`` names those fields,
and a merge given it takes them as gaps. What the export writes in another form
(a quarter as its year, text in FtM's form, lists in another order) is the same
fact. So a dataset exported, imported and merged back is the dataset.
"""

from typing import Any

import attrs
from hypothesis import given

from kgru_relations import (
    UNKNOWN,
    Agreement,
    Chairmanship,
    Dataset,
    Event,
    Membership,
    MembershipStatus,
    Name,
    NameKind,
    Organization,
    OrganizationKind,
    PartialDate,
    Person,
    Position,
    PositionKind,
    Source,
    State,
    Tenure,
    load_default,
)
from kgru_relations.dataset import MergeReport
from kgru_relations.interop.ftm import from_ftm, to_ftm
from kgru_relations.interop.ftm._values import address_value
from kgru_relations.model import Entity, StatusChange
from kgru_relations.strategies import datasets

Relation = Tenure | Membership | Chairmanship

OURS = Source(id="source:ours", title="Our source")
NOTES = Source(id="source:notes", title="Notes")
KG = State(id="state:kg", code="KG", names=[Name("Kyrgyzstan")], sources=["source:ours"])
SCO = Organization(
    id="organization:sco",
    names=[
        Name("Shanghai Cooperation Organisation", language="en", kind=NameKind.OFFICIAL),
        Name("SCO", language="en", kind=NameKind.ALIAS),
    ],
    kind=OrganizationKind.INTERGOVERNMENTAL,
    sources=["source:notes"],
)


def test_the_embedded_dataset_through_ftm_merges_into_itself_adding_nothing() -> None:
    origin = load_default()
    imported = from_ftm(to_ftm(origin))
    merged, report = origin.merged(imported.entities, unread=imported.unread)
    assert report == MergeReport()  # 0 added, 0 joined with ours, 0 kept apart
    assert merged == origin
    # The import's defaults are what kept records apart without unread.
    assert origin.merged(imported.entities)[1].kept_apart


def _a_documented_loss(ours: Entity, theirs: Entity, reason: str) -> bool:
    """Whether *theirs* differs from *ours* only as the FtM export's loss table says.

    FtM has no "since always" (an open start is written with no ``startDate``,
    which the import reads, as it must, as a start on a day not given), and a
    place is written in FtM's form (``;`` as ``, ``): the merge cannot tell
    these from a disagreement.
    """
    if reason == "they disagree on period":
        assert isinstance(ours, Relation)
        assert isinstance(theirs, Relation)
        mine, read = ours.period, theirs.period
        assert isinstance(mine.end, PartialDate)
        assert isinstance(read.end, PartialDate)
        assert read.end.earliest <= mine.end.earliest <= mine.end.latest <= read.end.latest
        return (mine.start, read.start) == (None, UNKNOWN)
    if reason == "they disagree on place":
        assert isinstance(ours, Agreement | Event)
        assert isinstance(theirs, Agreement | Event)
        return address_value(ours.place or "") == theirs.place
    return False


@given(datasets())
def test_any_dataset_through_ftm_merges_into_itself_adding_nothing(origin: Dataset) -> None:
    imported = from_ftm(to_ftm(origin))
    merged, report = origin.merged(imported.entities, unread=imported.unread)
    for kept in report.kept_apart:
        assert _a_documented_loss(origin.get(kept.beside), merged.get(kept.id), kept.reason)
    assert report.joined == ()
    assert set(report.added) == {kept.id for kept in report.kept_apart}
    if not report.kept_apart:
        assert merged == origin
    # Merging the import again adds nothing more.
    assert merged.merged(imported.entities, unread=imported.unread)[0] == merged


def _office(**changes: Any) -> Position:
    office = Position(
        id="position:kg-president",
        names=[Name("President of the Kyrgyz Republic", language="en")],
        kind=PositionKind.HEAD_OF_STATE,
        organization="state:kg",
        sources=["source:ours"],
    )
    return attrs.evolve(office, **changes)


def test_a_field_the_import_cannot_give_is_a_gap_never_a_disagreement_nor_ours() -> None:
    ours = Dataset([OURS, KG, _office(wikidata=None)])
    theirs = [_office(kind=PositionKind.OTHER, single_holder=False, wikidata="Q1")]
    merged, report = ours.merged(theirs, unread={Position: {"kind", "single_holder", "wikidata"}})
    assert merged == ours  # an empty field of ours is not filled from a gap of theirs
    assert report == MergeReport()
    # Without unread, the defaults are what they say: a second account.
    assert [kept.reason for kept in ours.merged(theirs)[1].kept_apart] == [
        "they disagree on kind, single_holder"
    ]


def test_the_same_source_and_text_on_both_sides_is_no_disagreement() -> None:
    # Issue 20: "sources disagree … [Shanghai Cooperation Organisation, SCO] (source:notes)
    # or [Shanghai Cooperation Organisation, SCO] (source:notes)". FtM gives names as text:
    # no language, the kind only name or alias, its spacing and Unicode form.
    told_again = attrs.evolve(
        SCO,
        names=[Name("SCO", kind=NameKind.ALIAS), Name("Shanghai\u00a0Cooperation  Organisation")],
    )
    merged, report = Dataset([NOTES, SCO]).merged([NOTES, told_again])
    assert merged == Dataset([NOTES, SCO])
    assert report == MergeReport()
    assert not [f for f in merged.check() if f.code == "sources-disagree"]


def test_a_name_with_a_language_and_another_kind_is_still_another_name() -> None:
    official = attrs.evolve(SCO, names=[Name("SCO", language="en", kind=NameKind.OFFICIAL)])
    report = Dataset([NOTES, SCO]).merged([official])[1]
    assert [kept.reason for kept in report.kept_apart] == ["they disagree on names"]


def test_a_transliteration_read_back_as_an_alias_is_ours() -> None:
    putin = Person(
        id="person:putin",
        names=[Name("Vladimir Putin"), Name("Wladimir Putin", kind=NameKind.TRANSLITERATION)],
        sources=["source:ours"],
    )
    read_back = attrs.evolve(putin, names=[Name("Wladimir Putin", kind=NameKind.ALIAS)])
    merged, report = Dataset([OURS, putin]).merged([read_back])
    assert merged == Dataset([OURS, putin])
    assert report == MergeReport()


def test_lists_are_compared_as_sets_and_a_coarser_date_says_less() -> None:
    by = State(id="state:by", code="BY", names=[Name("Belarus")], sources=["source:ours"])
    csto = Organization(
        id="organization:csto",
        names=[Name("CSTO")],
        kind=OrganizationKind.INTERGOVERNMENTAL,
        founded="2002-Q2",
        sources=["source:ours", "source:notes"],
    )
    ours = Dataset([OURS, NOTES, KG, by, csto])
    theirs = [attrs.evolve(csto, founded="2002", sources=["source:notes", "source:ours"])]
    merged, report = ours.merged(theirs)
    assert merged == ours
    assert report == MergeReport()
    # A date that does not hold ours disagrees.
    other = attrs.evolve(csto, founded="2003")
    assert [kept.reason for kept in ours.merged([other])[1].kept_apart] == [
        "they disagree on founded"
    ]


def test_a_membership_citing_its_status_changes_sources_adds_none_of_them() -> None:
    membership = Membership(
        id="membership:csto-kg",
        state="state:kg",
        organization="organization:sco",
        period="2001/..",
        sources=["source:ours"],
        changes=[
            StatusChange(since="2024", status=MembershipStatus.SUSPENDED, sources=["source:notes"])
        ],
    )
    # The FtM export puts each change's sources in the membership's proof.
    read_back = attrs.evolve(membership, sources=["source:notes", "source:ours"], changes=[])
    ours = Dataset([OURS, NOTES, KG, SCO, membership])
    merged, report = ours.merged([read_back], unread={Membership: {"changes"}})
    assert merged == ours
    assert report == MergeReport()
    # A source ours cites nowhere is still added.
    more = attrs.evolve(read_back, sources=["source:new"])
    merged = ours.merge([Source(id="source:new", title="New"), more])
    assert merged.get("membership:csto-kg", Membership).sources == ("source:ours", "source:new")
