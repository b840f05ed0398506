"""What every measure group shares: its context and the three ways to make an indicator.

A measure describes its population as a function of a period returning :class:`Item`s; the
builders here count them in the period, the previous period and each month of the trend,
so that every indicator is computed the same way (and the same numbers reach every output).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable
from dataclasses import dataclass

from stepdesk.profile import Profile
from stepdesk.services.monitoring.facts import Facts, pseudonym
from stepdesk.services.monitoring.model import Indicator, Period, Row
from stepdesk.timescales import Clock


@dataclass(frozen=True)
class Item:
    """One member of a population: a case on a day, counted or not, with a value."""

    case_id: int
    day: dt.date
    detail: str
    counted: bool = True
    value: float | None = None


@dataclass
class Ctx:
    """A measure's inputs: the facts, the period and the one before, today, the protocol."""

    facts: Facts
    period: Period
    previous: Period
    today: dt.date
    now: dt.datetime
    clock: Clock
    names: bool

    @property
    def profile(self) -> Profile:
        """The protocol profile."""
        return self.clock.profile

    def row(self, item: Item) -> Row:
        """The row of an item: pseudonymised unless the role allows names."""
        case = self.facts.cases[item.case_id]
        return Row(
            case_id=case.id,
            case=case.reference if self.names else pseudonym(case.id),
            name=case.name if self.names else None,
            team=case.team,
            day=item.day,
            detail=item.detail,
            value=item.value,
            counted=item.counted,
        )


Population = Callable[[Period], list[Item]]


def _pct(items: list[Item]) -> float | None:
    return 100.0 * sum(i.counted for i in items) / len(items) if items else None


def _in(items: list[Item], first: dt.date, last: dt.date) -> list[Item]:
    return [i for i in items if first <= i.day <= last]


def rate(
    ctx: Ctx, key: str, label: str, population: Population, better: str | None = "higher"
) -> Indicator:
    """Percentage of a population counted: numerator / denominator."""
    now, before = population(ctx.period), population(ctx.previous)
    return Indicator(
        key=key,
        label=label,
        kind="percent",
        numerator=sum(i.counted for i in now),
        denominator=len(now),
        value=_pct(now),
        previous_numerator=sum(i.counted for i in before),
        previous_denominator=len(before),
        previous_value=_pct(before),
        trend=[(a, _pct(_in(now, a, b))) for a, b in ctx.period.months()],
        rows=[ctx.row(i) for i in sorted(now, key=lambda i: (i.day, i.case_id))],
        better=better,
        unit="%",
    )


def count(
    ctx: Ctx, key: str, label: str, population: Population, better: str | None = None
) -> Indicator:
    """How many items fall in the period (no denominator)."""
    now = [i for i in population(ctx.period) if i.counted]
    before = [i for i in population(ctx.previous) if i.counted]
    return Indicator(
        key=key,
        label=label,
        kind="count",
        numerator=len(now),
        denominator=None,
        value=float(len(now)),
        previous_numerator=len(before),
        previous_denominator=None,
        previous_value=float(len(before)),
        trend=[(a, float(len(_in(now, a, b)))) for a, b in ctx.period.months()],
        rows=[ctx.row(i) for i in sorted(now, key=lambda i: (i.day, i.case_id))],
        better=better,
    )


def quantile(values: list[float], q: float) -> float | None:
    """The ``q`` quantile (0.5 the median), inclusive method; ``None`` for no values."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    if q == 0.5:
        return float(statistics.median(values))
    return float(statistics.quantiles(values, n=4, method="inclusive")[2 if q == 0.75 else 0])


def spread(
    ctx: Ctx,
    key: str,
    label: str,
    population: Population,
    q: float = 0.5,
    unit: str = "working days",
    better: str | None = "lower",
) -> Indicator:
    """The median (or 75th percentile) of the items' values; numerator = how many values."""

    def values(items: list[Item]) -> list[float]:
        return [i.value for i in items if i.value is not None]

    now, before = population(ctx.period), population(ctx.previous)
    return Indicator(
        key=key,
        label=label,
        kind="median",
        numerator=len(values(now)),
        denominator=None,
        value=quantile(values(now), q),
        previous_numerator=len(values(before)),
        previous_denominator=None,
        previous_value=quantile(values(before), q),
        trend=[(a, quantile(values(_in(now, a, b)), q)) for a, b in ctx.period.months()],
        rows=[ctx.row(i) for i in sorted(now, key=lambda i: (i.day, i.case_id))],
        better=better,
        unit=unit,
    )


def matching(population: Population, key: Callable[[Item], str], value: str) -> Population:
    """The items of ``population`` whose ``key`` is ``value`` (one category of a breakdown)."""
    return lambda period: [i for i in population(period) if key(i) == value]
