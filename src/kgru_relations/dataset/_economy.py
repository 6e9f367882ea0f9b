"""Queries about the economy: an indicator's series, and progress towards a target.

Each function here is the body of the [`Dataset`][kgru_relations.Dataset]
method of the same name, which documents it.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from kgru_relations.codes import country_code
from kgru_relations.dataset._core import Core, option
from kgru_relations.dataset._indexes import Indexes
from kgru_relations.model import Indicator, Observation, ObservationKind

__all__ = ["Progress", "progress", "series"]


@attrs.frozen(kw_only=True)
class Progress:
    """How far the latest actual figure has come towards a target.

    Attributes:
        target: The target observation.
        actual: The latest actual observation of the same indicator, reporter,
            partner and unit, or ``None`` if there is none.
        share: ``actual / target`` as an exact decimal (``0.64``), or ``None``.
    """

    target: Observation
    actual: Observation | None
    share: Decimal | None

    @property
    def percent(self) -> Decimal | None:
        """The share as a percentage, rounded to one decimal place (``64.0``)."""
        if self.share is None:
            return None
        return (self.share * 100).quantize(Decimal("0.1"))


def series(
    core: Core,
    index: Indexes,
    indicator: str,
    reporter: str,
    partner: str | None,
    *,
    kind: ObservationKind | str,
) -> list[Observation]:
    """The observations of one indicator for one reporter (and partner), ordered by period."""
    core.known(indicator, Indicator)
    key = (
        indicator,
        country_code(reporter),
        None if partner is None else country_code(partner),
        option(kind, ObservationKind, "kind"),
    )
    return list(index.series.get(key, ()))


def _actuals(index: Indexes, target: Observation) -> list[Observation]:
    """The actual figures *target* is measured against, ordered by period."""
    key = (target.indicator, target.reporter, target.partner, ObservationKind.ACTUAL)
    return [
        observation
        for observation in index.series.get(key, ())
        if observation.unit == target.unit and observation.period is not None
    ]


def progress(index: Indexes, target: Observation) -> Progress:
    """How far the latest actual figure has come towards *target*."""
    if target.kind is not ObservationKind.TARGET:
        msg = f"{target.id!r} is not a target: its kind is {target.kind.value!r}"
        raise ValueError(msg)
    actuals = _actuals(index, target)
    if not actuals:
        return Progress(target=target, actual=None, share=None)
    actual = actuals[-1]
    share = actual.value / target.value if target.value else None
    return Progress(target=target, actual=actual, share=share)
