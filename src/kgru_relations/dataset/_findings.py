"""The findings: what a user must see in a dataset, though it is not an error.

[`Dataset.check`][kgru_relations.dataset.Dataset.check] returns what
[`findings`][kgru_relations.dataset._findings.findings] finds; each kind of finding
is one function here, each linear in the records it reads (or n·log n, where
it sorts).
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Final

import attrs

from kgru_relations.dataset._core import Core
from kgru_relations.dataset._indexes import Indexes
from kgru_relations.dataset._integrity import TopTwo
from kgru_relations.dates import UNKNOWN, PartialDate, Period
from kgru_relations.model import (
    ENTITY_CLASSES,
    Agreement,
    AgreementStatus,
    Entity,
    Fact,
    Indicator,
    Observation,
    ObservationKind,
    Qualifier,
    Source,
    Statement,
)
from kgru_relations.names import Name

__all__ = ["APPROXIMATE_TOLERANCE", "Finding", "Severity", "findings"]

APPROXIMATE_TOLERANCE: Final = Decimal("0.05")
"""How far (as a share of the value) a figure "approximately" X may be from X."""


class Severity(enum.Enum):
    """How much a [`Finding`][kgru_relations.Finding] matters."""

    INFO = "info"
    """Worth knowing; nothing is wrong."""
    WARNING = "warning"
    """The data may be wrong, or its sources disagree; look at it."""


@attrs.frozen(kw_only=True)
class Finding:
    """Something about the data a user must see, though it is not an error.

    Attributes:
        code: A stable name for the kind of finding (``statement-outside-tenure``).
        severity: How much it matters.
        message: A sentence saying what was found.
        ids: The ids of the entities involved.
    """

    code: str
    severity: Severity
    message: str
    ids: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.severity.value}: {self.message}"


def findings(core: Core, index: Indexes, day: _dt.date | None) -> list[Finding]:
    """Every finding in *core*, judging expiry on *day* (none: no expiry findings)."""
    return [
        *statement_findings(core, index),
        *outdated_title_findings(core, index),
        *variant_findings(core),
        *discrepancy_findings(core),
        *agreement_findings(core, day),
    ]


def statement_findings(core: Core, index: Indexes) -> Iterator[Finding]:
    for statement in core.all(Statement):
        if statement.as_position is None or statement.date is None:
            continue
        held = index.held_by(statement.speaker, statement.as_position)
        # A tenure counts for its span as dated: one that ended on an unknown day is
        # not taken to reach past its start, so a statement after that start is noted.
        if held.spells.meets_as_dated(statement.date.earliest, statement.date.latest):
            continue
        tenures = held.spells.items()
        speaker = core.label(statement.speaker)
        position = core.label(statement.as_position)
        when = "; ".join(_spell(tenure.period) for tenure in tenures) or "never, in this dataset"
        yield Finding(
            code="statement-outside-tenure",
            severity=Severity.WARNING,
            message=(
                f"statement {statement.id!r} ({statement.date}) has {speaker} speaking as "
                f"{position}, which they held: {when}"
            ),
            ids=(
                statement.id,
                statement.speaker,
                statement.as_position,
                *(t.id for t in tenures),
            ),
        )


def _spell(period: Period) -> str:
    """A tenure's period in a message, saying what an unknown side means."""
    if period.end is UNKNOWN:
        return f"{period} (ended on an unknown day)"
    if period.start is UNKNOWN:
        return f"{period} (began on an unknown day)"
    return str(period)


def outdated_title_findings(core: Core, index: Indexes) -> Iterator[Finding]:
    for statement in core.all(Statement):
        if statement.as_position is None:
            continue
        held = index.held_by(statement.speaker, statement.as_position)
        for source_id in statement.sources:
            source = core.lookup(source_id)
            if not isinstance(source, Source) or source.published is None:
                continue
            published = source.published
            if held.spells.may_meet(Period(published, published)):
                continue  # the speaker may still have held it that day
            last = held.last_ended_before(published.earliest)
            if last is None or not isinstance(last.period.end, PartialDate):
                continue  # never held, or not yet: not a title out of date
            left = last.period.end
            if statement.date is not None and statement.date.earliest > left.latest:
                continue  # made after leaving: statement-outside-tenure says so
            undated = statement.date is None
            yield Finding(
                code="outdated-title",
                severity=Severity.WARNING if undated else Severity.INFO,
                message=(
                    f"source {source.id!r} (published {published}) reports statement "
                    f"{statement.id!r} ({'undated' if undated else statement.date}) by "
                    f"{core.label(statement.speaker)} as "
                    f"{core.label(statement.as_position)}, an office left on {left}"
                ),
                ids=(
                    statement.id,
                    source.id,
                    statement.speaker,
                    statement.as_position,
                    last.id,
                ),
            )


def variant_findings(core: Core) -> Iterator[Finding]:
    for items in map(core.all, ENTITY_CLASSES):
        for variant in items:
            if not isinstance(variant, Fact) or variant.variant_of is None:
                continue
            original = core.lookup(variant.variant_of)
            if type(original) is not type(variant):
                continue  # validate() reports a reference of the wrong kind
            assert isinstance(original, Fact)
            differences = [
                f"{name}: {_show(getattr(original, name))} "
                f"({', '.join(original.sources)}) or {_show(getattr(variant, name))} "
                f"({', '.join(variant.sources)})"
                for name in _compared_fields(type(variant))
                if getattr(original, name) != getattr(variant, name)
            ]
            if differences:
                yield Finding(
                    code="sources-disagree",
                    severity=Severity.WARNING,
                    message=(
                        f"sources disagree on {original.KIND} {original.id!r}, "
                        f"{'; '.join(differences)}; both accounts are kept"
                    ),
                    ids=(original.id, variant.id),
                )


def discrepancy_findings(core: Core) -> Iterator[Finding]:
    groups: dict[tuple[Any, ...], list[Observation]] = defaultdict(list)
    symmetric = {indicator.id for indicator in core.all(Indicator) if indicator.symmetric}
    for observation in core.all(Observation):
        if observation.kind is not ObservationKind.ACTUAL or observation.period is None:
            continue
        pair: tuple[Any, ...] = (observation.reporter, observation.partner)
        if observation.indicator in symmetric and observation.partner is not None:
            pair = tuple(sorted((observation.reporter, observation.partner)))
        groups[(observation.indicator, pair, observation.period, observation.unit)].append(
            observation
        )
    for group in groups.values():
        for first, second in _discrepancies(group):
            low, high = sorted((first, second), key=lambda o: o.value)
            ratio_text = f"; ratio {_ratio(high.value, low.value)}" if low.value else ""
            yield Finding(
                code="observation-discrepancy",
                severity=Severity.WARNING,
                message=(
                    f"{core.label(first.indicator)} for {first.period}: "
                    f"{low.reporter} reports {low.label} ({', '.join(low.sources)}), "
                    f"{high.reporter} reports {high.label} ({', '.join(high.sources)})"
                    f"{ratio_text}; both are kept"
                ),
                ids=(low.id, high.id),
            )


def agreement_findings(core: Core, day: _dt.date | None) -> Iterator[Finding]:
    if day is None:
        return
    for agreement in core.all(Agreement):
        if (
            agreement.status is AgreementStatus.IN_FORCE
            and agreement.validity is not None
            and agreement.validity.latest is not None
            and agreement.validity.latest < day
        ):
            yield Finding(
                code="agreement-expired-in-force",
                severity=Severity.WARNING,
                message=(
                    f"{agreement.label} ({agreement.id!r}) was valid until "
                    f"{agreement.validity.end}, but its status says in force on {day}"
                ),
                ids=(agreement.id,),
            )


def _bounds(observation: Observation) -> tuple[Decimal | None, Decimal | None, bool, bool]:
    """(low, high, low inclusive, high inclusive) of the values *observation* allows."""
    value = observation.value
    qualifier = observation.qualifier
    if qualifier is Qualifier.EXACT:
        return value, value, True, True
    if qualifier is Qualifier.APPROXIMATELY:
        spread = abs(value) * APPROXIMATE_TOLERANCE
        return value - spread, value + spread, True, True
    if qualifier is Qualifier.MORE_THAN:
        return value, None, False, True
    if qualifier is Qualifier.AT_LEAST:
        return value, None, True, True
    if qualifier is Qualifier.LESS_THAN:
        return None, value, True, False
    return None, value, True, True


def _compatible(a: Observation, b: Observation) -> bool:
    """Whether some single true value could satisfy both figures with their qualifiers."""
    a_low, a_high, a_low_in, a_high_in = _bounds(a)
    b_low, b_high, b_low_in, b_high_in = _bounds(b)
    # The two ranges meet unless one lies wholly above the other.
    pairs = ((a_low, a_low_in, b_high, b_high_in), (b_low, b_low_in, a_high, a_high_in))
    for low, low_in, high, high_in in pairs:
        if low is None or high is None:
            continue
        if low > high or (low == high and not (low_in and high_in)):
            return False
    return True


def _low_key(bounds: tuple[Decimal | None, Decimal | None, bool, bool]) -> tuple[Any, ...]:
    """Orders lower bounds: none first, then by value, "at least" before "more than"."""
    low, _, low_in, _ = bounds
    return (0,) if low is None else (1, low, not low_in)


def _high_rank(bounds: tuple[Decimal | None, Decimal | None, bool, bool]) -> tuple[Any, ...]:
    """Ranks upper bounds, the lowest greatest: "less than" before "at most", none last."""
    _, high, _, high_in = bounds
    return (-1,) if high is None else (0, -high, not high_in)


def _discrepancies(group: list[Observation]) -> Iterator[tuple[Observation, Observation]]:
    """Yield (earlier, later) once for each figure that cannot be right with one before it.

    Figures are swept in order of the lowest value each allows. A figure
    cannot be right with an earlier one only if it lies wholly above it, so it
    is enough to compare it with the earlier figure whose highest allowed value
    is lowest (and, where that one comes from the same sources, the lowest
    among the rest). n·log n for the sort, then one pass; the pair is given in
    the order the figures were listed.
    """
    order = {id(observation): index for index, observation in enumerate(group)}
    swept = sorted(group, key=lambda o: (_low_key(_bounds(o)), order[id(o)]))
    lowest = TopTwo[Observation]()  # ranked by upper bound, the lowest first
    for observation in swept:
        sources = frozenset(observation.sources)
        found = lowest.other_than(sources)
        if found is not None and not _compatible(found[1], observation):
            first, second = sorted((found[1], observation), key=lambda o: order[id(o)])
            yield first, second
        lowest.add(_high_rank(_bounds(observation)), sources, observation)


# A second account differs from the first in what it says, not in who says it,
# how sure the data is, or when its status was last known.
_NOT_COMPARED: Final = frozenset({"id", "sources", "confidence", "note", "variant_of", "as_of"})
_SHOWN: Final = 60


def _compared_fields(cls: type[Entity]) -> tuple[str, ...]:
    return tuple(field.name for field in attrs.fields(cls) if field.name not in _NOT_COMPARED)


def _show(value: object) -> str:
    """A field's value in a message: dates and periods as text, names by their text, shortened."""
    if value is None:
        text = "none"
    elif isinstance(value, tuple):
        text = "[" + ", ".join(_show(item) for item in value) + "]"
    elif isinstance(value, enum.Enum):
        text = str(value.value)
    elif isinstance(value, Name):
        text = value.text
    else:
        text = str(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _ratio(high: Decimal, low: Decimal) -> Decimal:
    """``high / low`` to two places, or to four when two places would show 1.00."""
    ratio = high / low
    rounded = ratio.quantize(Decimal("0.01"))
    return ratio.quantize(Decimal("0.0001")) if rounded == 1 else rounded
