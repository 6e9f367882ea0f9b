"""Popolo: persons, organizations, areas, posts, memberships and events.

[Popolo](https://www.popoloproject.com/) is the open-government data model
that parliamentary monitoring sites and EveryPolitician use. One
[`to_popolo`][kgru_relations.interop.popolo.to_popolo] call turns a dataset into
one Popolo JSON document:

- each [`Person`][kgru_relations.Person] a Popolo person, every name kept in
  ``other_names`` with its language and script (``lang``, a BCP 47 tag such as
  ``ky-Cyrl``) and its kind (``note``);
- each [`State`][kgru_relations.State] an area (``classification`` ``country``);
- each [`Organization`][kgru_relations.Organization] an organization;
- each [`Position`][kgru_relations.Position] a post;
- each [`Tenure`][kgru_relations.Tenure] a membership that holds the post,
  each [`Membership`][kgru_relations.Membership] a membership with the state
  as its area and the role ``member``, each
  [`Chairmanship`][kgru_relations.Chairmanship] one with the role ``chair``;
- each [`Event`][kgru_relations.Event] an event, its people as attendees.

Popolo dates are ISO 8601 reduced dates (``2024``, ``2024-11``,
``2024-11-28``): a date known to the quarter is written as its year, the part
of it that is exact. A Popolo speech's ``date`` must be a full date and time
(RFC 3339), and a [`Statement`][kgru_relations.Statement] is dated at most to
the day, so no statement is exported; ``speeches`` is always empty. What else
Popolo cannot hold (confidence, status history, agreements, figures...) is
listed in the how-to page's loss table.

[`check_popolo`][kgru_relations.interop.popolo.check_popolo] checks a Popolo
document for what its JSON Schemas cannot say (every id it refers to names an
item of the right kind; dates are real) and, given the Popolo schemas, for
everything they say too, with their formats checked.

Examples:
    >>> from kgru_relations import load_default
    >>> document = to_popolo(load_default())
    >>> sorted(document)
    ['areas', 'events', 'memberships', 'organizations', 'persons', 'posts', 'speeches']
    >>> check_popolo(document)
"""

from kgru_relations.interop.popolo._check import COLLECTIONS, check_popolo
from kgru_relations.interop.popolo._export import to_popolo

__all__ = ["COLLECTIONS", "check_popolo", "to_popolo"]
