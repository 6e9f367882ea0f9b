"""kgru_relations: a typed, validated data model for relations between states.

The public names are re-exported here; import them from the package:

    >>> from kgru_relations import PartialDate, Period, Money, Name, ValidationError
    >>> Period.parse("2021-01-28/..").is_open
    True

The code lists (countries, currencies, languages, scripts) live in
[`kgru_relations.codes`][kgru_relations.codes].
"""

from __future__ import annotations

from kgru_relations.codes import (
    Country,
    Currency,
    Language,
    Script,
    country,
    country_code,
    currency,
    currency_code,
    language,
    language_code,
    script,
    script_code,
)
from kgru_relations.dataset import (
    Anniversary,
    Dataset,
    DatasetBuilder,
    Finding,
    IssueList,
    Progress,
    Severity,
    TimelineEntry,
)
from kgru_relations.dates import UNKNOWN, DatePrecision, PartialDate, Period, Unknown
from kgru_relations.errors import Issue, KgruRelationsError, ValidationError
from kgru_relations.model import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Chairmanship,
    Confidence,
    Entity,
    Event,
    EventKind,
    EventStatus,
    Indicator,
    Measure,
    Membership,
    MembershipStatus,
    Observation,
    ObservationKind,
    Organization,
    OrganizationKind,
    Person,
    Position,
    PositionKind,
    Qualifier,
    Source,
    State,
    Statement,
    StatusChange,
    Tenure,
)
from kgru_relations.money import Money
from kgru_relations.names import Name, NameKind
from kgru_relations.schema import json_schema
from kgru_relations.serialize import (
    dumps,
    from_dict,
    from_json,
    iter_observations,
    load,
    load_default,
    loads,
    save,
    to_dict,
    to_json,
    write_observations,
)

__all__ = [
    "UNKNOWN",
    "Agreement",
    "AgreementKind",
    "AgreementStatus",
    "Anniversary",
    "Chairmanship",
    "Confidence",
    "Country",
    "Currency",
    "Dataset",
    "DatasetBuilder",
    "DatePrecision",
    "Entity",
    "Event",
    "EventKind",
    "EventStatus",
    "Finding",
    "Indicator",
    "Issue",
    "IssueList",
    "KgruRelationsError",
    "Language",
    "Measure",
    "Membership",
    "MembershipStatus",
    "Money",
    "Name",
    "NameKind",
    "Observation",
    "ObservationKind",
    "Organization",
    "OrganizationKind",
    "PartialDate",
    "Period",
    "Person",
    "Position",
    "PositionKind",
    "Progress",
    "Qualifier",
    "Script",
    "Severity",
    "Source",
    "State",
    "Statement",
    "StatusChange",
    "Tenure",
    "TimelineEntry",
    "Unknown",
    "ValidationError",
    "country",
    "country_code",
    "currency",
    "currency_code",
    "dumps",
    "from_dict",
    "from_json",
    "iter_observations",
    "json_schema",
    "language",
    "language_code",
    "load",
    "load_default",
    "loads",
    "save",
    "script",
    "script_code",
    "to_dict",
    "to_json",
    "write_observations",
]


def __getattr__(name: str) -> str:
    """Return ``__version__`` lazily from the installed distribution's metadata."""
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415 - only when asked

        return version("kgru-relations")
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
