"""Export a dataset as FollowTheMoney entities, check FtM output strictly, and import FtM.

[FollowTheMoney](https://followthemoney.tech/) (FtM) is the entity model of
OpenSanctions and Aleph. [`to_ftm`][kgru_relations.interop.ftm.to_ftm] turns a
[`Dataset`][kgru_relations.Dataset] into FtM entities in their JSON form, plain
dicts (``{"id", "schema", "properties"}``, every value a string), so the export
needs no FtM package. [`check_ftm`][kgru_relations.interop.ftm.check_ftm] checks
any such stream with the real ``followthemoney`` package (the ``ftm`` extra),
more strictly than FtM itself: FtM's ``Schema.validate`` lets a missing required
property through, its cleaning drops or rewrites values it cannot read, and
nothing in FtM checks that a reference points to an entity of the right kind.

The id rule, one-to-one and reversible
([`ftm_id`][kgru_relations.interop.ftm.ftm_id],
[`id_from_ftm`][kgru_relations.interop.ftm.id_from_ftm]): FtM ids may hold only
``[0-9a-zA-Z.-]``; ours are ``kind:slug``, the slug lowercase letters and
digits with single ``-``, ``_`` or ``.`` between them. The FtM id is ``kgru-``,
the kind, ``-``, then the slug with each ``_`` written ``--``:
``person:sergey-lavrov`` is ``kgru-person-sergey-lavrov``, ``tenure:a_b`` is
``kgru-tenure-a--b``. A kind holds no ``-`` and a slug never two separators in
a row, so the first ``-`` after ``kgru-`` is always the colon and ``--`` is
always an underscore.

What maps to what, and what FtM cannot hold, is on the docs page "Export to
FollowTheMoney"; in short: sources are ``Article``s that every exported fact
cites in ``proof``; states are ``PublicBody``s with their ``country``;
organisations ``PublicBody`` (``Organization`` for kind ``other``); persons
``Person``; positions ``Position``; tenures ``Occupancy``; memberships and
chairmanships ``Membership`` (role ``member`` or ``chair``); held events, and
the signing of each signed agreement, ``Event``. Statements, indicators,
observations, planned or cancelled events and planned agreements have no FtM
home and are left out.

Values are written in the form FtM 4.11 stores them, so FtM's cleaning leaves
each one unchanged: dates to the day, month or year (a quarter is written as
its year; FtM has no quarters) between the years 1000 and 2999, which are all
FtM's dates can hold; countries as lowercase ISO 3166-1 alpha-2; languages as
ISO 639-3 (``kir``, not ``ky``), for the languages FtM knows; text in Unicode
NFC with FtM's spacing, names without surrounding quotes. A value FtM would
refuse is left out.

[`from_ftm`][kgru_relations.interop.ftm.from_ftm] goes the other way: FtM
entities (ours, or OpenSanctions' PEP data, read with
[`read_ftm_lines`][kgru_relations.interop.ftm.read_ftm_lines]) become model
entities, with what the model cannot hold listed, never dropped silently; the
docs page "Import from FollowTheMoney" has its mapping and loss tables.
"""

from kgru_relations.interop.ftm._check import check_ftm
from kgru_relations.interop.ftm._export import to_ftm
from kgru_relations.interop.ftm._import import ISO_SOURCE_ID, from_ftm
from kgru_relations.interop.ftm._mapping import FTM_ID_PREFIX, FTM_SCHEMATA, ftm_id, id_from_ftm
from kgru_relations.interop.ftm._reading import FtmImport, read_ftm_lines

__all__ = [
    "FTM_ID_PREFIX",
    "FTM_SCHEMATA",
    "ISO_SOURCE_ID",
    "FtmImport",
    "check_ftm",
    "from_ftm",
    "ftm_id",
    "id_from_ftm",
    "read_ftm_lines",
    "to_ftm",
]
