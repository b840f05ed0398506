"""Measure 5, outcomes at closure (M-OUTCOMES): closures, time open, step-ups that end.

Closure reason is the plan the case closed from; "goals met" is a closure record with its
outcomes written (StepDesk records the outcomes in words, not a tick per goal). Support
intensity over time: the cases open at each level at the end of each month. Planned exits
reached: agreed step-ups whose review date fell in the period and whose case had stepped
down (or closed) by then: the evidence that step-ups end (000).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

from stepdesk.domain import Outcome
from stepdesk.services.monitoring.common import Ctx, Item, count, matching, rate, spread
from stepdesk.services.monitoring.facts import CaseFact
from stepdesk.services.monitoring.model import Indicator, Period


def indicators(ctx: Ctx) -> list[Indicator]:
    """Closures (by plan closed from), outcomes recorded, time open, intensity, exits."""
    cases = ctx.facts.cases

    def closed(period: Period) -> list[Item]:
        items = []
        for c in cases.values():
            if not period.contains(c.closed_on):
                continue
            assert c.closed_on is not None
            last = c.spells[-1].plan if c.spells else ""
            days = (c.closed_on - c.opened_on).days
            items.append(
                Item(
                    c.id,
                    c.closed_on,
                    f"closed from {ctx.profile.plan_name(last)}",
                    bool((c.closure_outcomes or "").strip()),
                    float(days),
                )
            )
        return items

    out = [
        count(
            ctx,
            "outcomes.closed",
            "Cases closed",
            lambda p: [Item(i.case_id, i.day, i.detail, True, i.value) for i in closed(p)],
        ),
        rate(ctx, "outcomes.goals", "Closures with their outcomes recorded", closed),
        spread(
            ctx,
            "outcomes.time_open",
            "Time open at closure: median",
            closed,
            unit="days",
            better=None,
        ),
    ]
    for plan in ctx.profile.plans:
        out.append(
            count(
                ctx,
                f"outcomes.closed_from.{plan.code}",
                f"Closed from {plan.name}",
                matching(closed, _detail, f"closed from {plan.name}"),
            )
        )
    levels_on = _levels_on(ctx)
    month_ends = [last for _first, last in ctx.period.months()]
    for level in ctx.profile.levels:
        code = level.code
        now = levels_on(ctx.period.end).get(code, [])
        before = len(levels_on(ctx.previous.end).get(code, []))
        out.append(
            Indicator(
                key=f"outcomes.intensity.{code}",
                label=f"Open at {level.name} (month end)",
                kind="count",
                numerator=len(now),
                denominator=None,
                value=float(len(now)),
                previous_numerator=before,
                previous_denominator=None,
                previous_value=float(before),
                trend=[
                    (first, float(len(levels_on(last).get(code, []))))
                    for (first, _l), last in zip(ctx.period.months(), month_ends, strict=True)
                ],
                rows=[
                    ctx.row(Item(c, ctx.period.end, f"at {code} on {ctx.period.end:%d/%m/%Y}"))
                    for c in now
                ],
            )
        )

    def exits(period: Period) -> list[Item]:
        items = []
        for r in ctx.facts.requests:
            d = r.decision
            if d is None or r.movement != "step_up" or d.outcome != Outcome.AGREED:
                continue
            if d.review_on is None or not period.contains(d.review_on) or d.review_on > ctx.today:
                continue
            case = cases[r.case_id]
            ended = _stepped_down_by(case, d.decided_at.date(), d.review_on)
            detail = f"review {d.review_on:%d/%m/%Y}; " + (
                f"stepped down {ended:%d/%m/%Y}" if ended else "still stepped up"
            )
            items.append(Item(r.case_id, d.review_on, detail, ended is not None))
        return items

    out.append(rate(ctx, "outcomes.exits", "Step-ups with their planned exit reached", exits))
    return out


def _stepped_down_by(case: CaseFact, after: dt.date, by: dt.date) -> dt.date | None:
    for before, spell in zip(case.spells, case.spells[1:], strict=False):
        if spell.rank < before.rank and after < spell.start <= by:
            return spell.start
    if case.closed_on is not None and after < case.closed_on <= by:
        return case.closed_on
    return None


def _levels_on(ctx: Ctx) -> Callable[[dt.date], dict[str, list[int]]]:
    """The open cases at each level on a day, one pass over the cases per day (cached)."""
    cases = list(ctx.facts.cases.values())

    @functools.cache
    def on(day: dt.date) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for c in cases:
            if c.opened_on > day or (c.closed_on is not None and c.closed_on <= day):
                continue
            for s in c.spells:
                if s.start <= day and (s.end is None or s.end > day):
                    out.setdefault(s.level, []).append(c.id)
                    break
        return out

    return on


def _detail(item: Item) -> str:
    return item.detail
