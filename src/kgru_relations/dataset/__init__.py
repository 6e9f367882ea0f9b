"""The Dataset: every entity, the checks that they fit together, and the queries.

A [`Dataset`][kgru_relations.Dataset] is immutable once built. It answers
questions from indexes built once, on the first query that needs them, so a
query costs a lookup and a short scan, not a pass over every entity.

The package, from the bottom up: ``_core`` (the container and its lookups),
``_search`` and ``_indexes`` (built once, on the first query that needs
them), the queries by topic (``_offices``, ``_memberships``, ``_agreements``,
``_economy``), ``_timeline``, ``_integrity``, ``_findings`` and ``_merge``,
each taking the core as an argument; ``_dataset`` puts the methods on top.
Nothing imports upward.

Examples:
    >>> import datetime
    >>> from kgru_relations import Dataset, Name, Person, Position, Source, Tenure
    >>> dataset = Dataset([
    ...     Source(id="source:mfa", title="MFA biography"),
    ...     Person(id="person:sergey-lavrov", names=[Name("Sergey Lavrov")],
    ...            sources=["source:mfa"]),
    ...     Position(id="position:ru-foreign-minister", names=[Name("Foreign Minister")],
    ...              kind="foreign_minister", organization="organization:ru-mfa",
    ...              sources=["source:mfa"]),
    ...     Tenure(id="tenure:lavrov", person="person:sergey-lavrov",
    ...            position="position:ru-foreign-minister", period="2004-03-09/..",
    ...            sources=["source:mfa"]),
    ... ])
    >>> dataset.holder("position:ru-foreign-minister", on=datetime.date(2025, 5, 9)).label
    'Sergey Lavrov'
    >>> [str(issue) for issue in dataset.validate()]
    ["$.positions[0].organization: no organization with id 'organization:ru-mfa'"]
"""

from kgru_relations.dataset._agreements import Anniversary
from kgru_relations.dataset._dataset import Dataset, DatasetBuilder
from kgru_relations.dataset._economy import Progress
from kgru_relations.dataset._findings import APPROXIMATE_TOLERANCE, Finding, Severity
from kgru_relations.dataset._integrity import IssueList
from kgru_relations.dataset._merge import KeptApart, MergeReport
from kgru_relations.dataset._timeline import TimelineEntry

__all__ = [
    "APPROXIMATE_TOLERANCE",
    "Anniversary",
    "Dataset",
    "DatasetBuilder",
    "Finding",
    "IssueList",
    "KeptApart",
    "MergeReport",
    "Progress",
    "Severity",
    "TimelineEntry",
]
