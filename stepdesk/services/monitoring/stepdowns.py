"""Measure 3, step-downs that hold; and the DfE re-referral measure.

A step-down is a move in a case's plan history to a plan of lower rank; it is stepped back
up within N months when a later move to a higher rank starts within N calendar months. Only
step-downs whose N months have passed by today are counted (the rest are not yet known).
A referral (CIN census) is a start of a statutory plan from a non-statutory one, or a case
opened at one; a re-referral is a referral within 12 months of a previous referral.
"""

from __future__ import annotations

import datetime as dt

from stepdesk.services.monitoring.common import Ctx, Item, rate
from stepdesk.services.monitoring.facts import CaseFact
from stepdesk.services.monitoring.model import Indicator, Period
from stepdesk.timescales import add_months


def _moves(case: CaseFact) -> list[tuple[dt.date, int]]:
    """Each change of plan: (day, +1 up / -1 down)."""
    out = []
    for before, after in zip(case.spells, case.spells[1:], strict=False):
        if after.rank != before.rank:
            out.append((after.start, 1 if after.rank > before.rank else -1))
    return out


def _statutory(ctx: Ctx, plan: str) -> bool:
    try:
        return ctx.profile.plan(plan).statutory
    except KeyError:
        return False


def referrals(ctx: Ctx, case: CaseFact) -> list[dt.date]:
    """The days a case was referred into statutory work."""
    days = []
    for index, spell in enumerate(case.spells):
        was = index > 0 and _statutory(ctx, case.spells[index - 1].plan)
        if _statutory(ctx, spell.plan) and not was:
            days.append(spell.start)
    return days


def indicators(ctx: Ctx) -> list[Indicator]:
    """Stepped back up within 3, 6 and 12 months; re-referrals within 12 months."""
    cases = ctx.facts.cases.values()
    out = []
    for months in (3, 6, 12):

        def back_up(period: Period, months: int = months) -> list[Item]:
            items = []
            for case in cases:
                moves = _moves(case)
                for day, way in moves:
                    if way > 0 or not period.contains(day):
                        continue
                    window = add_months(day, months)
                    if window > ctx.today:
                        continue
                    again = next((d for d, w in moves if w > 0 and day < d <= window), None)
                    detail = f"stepped back up {again:%d/%m/%Y}" if again else "held"
                    items.append(Item(case.id, day, detail, again is not None))
            return items

        out.append(
            rate(
                ctx,
                f"stepdowns.back_up_{months}m",
                f"Step-downs stepped back up within {months} months",
                back_up,
                better="lower",
            )
        )

    def rereferred(period: Period) -> list[Item]:
        items = []
        for case in cases:
            days = referrals(ctx, case)
            for index, day in enumerate(days):
                if not period.contains(day):
                    continue
                earlier = [d for d in days[:index] if add_months(d, 12) >= day]
                detail = f"previous referral {earlier[-1]:%d/%m/%Y}" if earlier else "first"
                items.append(Item(case.id, day, detail, bool(earlier)))
        return items

    out.append(
        rate(
            ctx,
            "stepdowns.rereferral_12m",
            "Re-referrals within 12 months (DfE, CIN census)",
            rereferred,
            better="lower",
        )
    )
    return out
