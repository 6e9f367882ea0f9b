"""Take persons, positions, states and who held what from Wikidata.

Read Wikidata entity JSON, the format of the ``wbgetentities`` API and of
``Special:EntityData``, with
[`entities_from_wikidata`][kgru_relations.interop.wikidata.entities_from_wikidata],
and fetch it with
[`fetch_entities`][kgru_relations.interop.wikidata.fetch_entities] (the
standard library only: no extra to install).

What is imported:

- an item with ``P31`` (instance of) ``Q5`` (human) is a
  [`Person`][kgru_relations.Person], id ``person:`` and its Wikidata id in
  lower case (``person:q123``);
- an item with ``P297`` (ISO 3166-1 alpha-2 code) is a
  [`State`][kgru_relations.State], id ``state:`` and the code (``state:kg``);
- an item that a person's ``P39`` (position held) names, or with ``P31``
  ``Q4164871`` (position), is a [`Position`][kgru_relations.Position], id
  ``position:q456``, belonging to the state its ``P1001`` (applies to
  jurisdiction) or ``P17`` (country) names;
- each ``P39`` statement is a [`Tenure`][kgru_relations.Tenure], id
  ``tenure:`` and the statement's own id (``tenure:q123-1b2c...``), its
  period from the ``P580`` (start time) and ``P582`` (end time) qualifiers
  (``somevalue``, a day not recorded, is [`UNKNOWN`][kgru_relations.UNKNOWN];
  ``novalue`` or no qualifier is open); what its other qualifiers say
  (replaces, replaced by, parliamentary term, electoral district, series
  ordinal...) is kept in the tenure's note, each with its property;
- each reference of a statement is a [`Source`][kgru_relations.Source]
  (``source:wikidata-ref-`` and the reference's hash): its address from
  ``P854`` (reference URL), else ``P4656`` (Wikimedia import URL), its
  title, dates and language from ``P1476``, ``P577`` and ``P813``, and the
  parts it has no field for in its note; each item is cited by a source for
  its own page (``source:wikidata-q123``);
- labels and aliases are names, their language codes read as BCP 47 tags
  (Wikimedia's own codes, such as ``sr-ec``, as MediaWiki maps them).

Ids come from Wikidata ids only, so importing an item twice gives the same
entities, and two people with one name stay two: nothing is merged by name.

Input that is not Wikidata entity JSON raises one
[`ValidationError`][kgru_relations.ValidationError] listing every problem at
its path, whatever the input (any JSON value, at any depth); a statement,
qualifier, reference part or language Wikidata allows but the model cannot
hold (a date to the decade or to the hour, a Julian date, a deprecated
statement, a statement with only a parliamentary term) is left out and said
in [`WikidataImport.skipped`][kgru_relations.interop.wikidata.WikidataImport],
and what is kept in another form (a qualifier in a tenure's note) in its
``notes``, while the rest is imported: nothing is dropped unsaid.
"""

from __future__ import annotations

from kgru_relations.interop.wikidata._http import (
    ENDPOINT,
    USER_AGENT,
    WikidataUnavailable,
    fetch_entities,
)
from kgru_relations.interop.wikidata._import import (
    QUALIFIERS,
    WikidataImport,
    entities_from_wikidata,
    missing_ids,
)
from kgru_relations.interop.wikidata._languages import name_language
from kgru_relations.interop.wikidata._sources import REFERENCE_PARTS
from kgru_relations.interop.wikidata._values import (
    GREGORIAN,
    JULIAN,
    partial_date,
    time_value,
    wikidata_id_of,
    wikidata_our_id,
)

__all__ = [
    "ENDPOINT",
    "GREGORIAN",
    "JULIAN",
    "QUALIFIERS",
    "REFERENCE_PARTS",
    "USER_AGENT",
    "WikidataImport",
    "WikidataUnavailable",
    "entities_from_wikidata",
    "fetch_entities",
    "missing_ids",
    "name_language",
    "partial_date",
    "time_value",
    "wikidata_id_of",
    "wikidata_our_id",
]
