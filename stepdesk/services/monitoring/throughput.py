"""Measure 7, panel throughput: meetings, items a meeting, carried forward, quorate, on time.

A meeting is "on time" when it started within 10 minutes of its scheduled time; its agenda
on time when circulated by T-AGENDA-24H. Quorate: no decision recorded as not quorate.
"""

from __future__ import annotations

import datetime as dt

from stepdesk.services.monitoring.common import Ctx, Item, count, rate, spread
from stepdesk.services.monitoring.facts import PanelFact
from stepdesk.services.monitoring.model import Indicator, Period

LATE_AFTER = dt.timedelta(minutes=10)


def indicators(ctx: Ctx) -> list[Indicator]:
    """Per meeting held in the period."""
    facts = ctx.facts

    def held(period: Period) -> list[PanelFact]:
        return [
            p
            for p in facts.panels
            if (p.started_at is not None or p.finished_at is not None)
            and period.contains(p.starts_at.date())
            and p.case_ids
        ]

    def item(p: PanelFact, detail: str, ok: bool = True, value: float | None = None) -> Item:
        # A meeting's row is listed under its first case (pseudonymised like every row).
        return Item(p.case_ids[0], p.starts_at.date(), f"panel {p.id}: {detail}", ok, value)

    def meetings(period: Period) -> list[Item]:
        return [item(p, f"{p.items} items", value=float(p.items)) for p in held(period)]

    def carried(period: Period) -> list[Item]:
        out = []
        for p in held(period):
            carried_left = list(p.carried_cases)
            for c in p.case_ids:
                hit = c in carried_left
                if hit:
                    carried_left.remove(c)
                out.append(Item(c, p.starts_at.date(), f"panel {p.id}", hit))
        return out

    def quorate(period: Period) -> list[Item]:
        return [
            item(
                p, f"{p.non_quorate_decisions} decisions not quorate", p.non_quorate_decisions == 0
            )
            for p in held(period)
        ]

    def on_time(period: Period) -> list[Item]:
        out = []
        for p in held(period):
            if p.started_at is None:
                continue  # no start time recorded: neither on time nor late
            late = p.started_at - p.starts_at
            out.append(item(p, f"started {p.started_at:%H:%M}", late <= LATE_AFTER))
        return out

    def agenda(period: Period) -> list[Item]:
        out = []
        for p in held(period):
            due = ctx.clock.deadline("T-AGENDA-24H", p.starts_at, "the meeting on").due
            at = p.agenda_circulated_at
            ok = at is not None and at <= due
            out.append(item(p, f"circulated {at:%d/%m/%Y %H:%M}" if at else "not circulated", ok))
        return out

    out = [
        count(ctx, "throughput.meetings", "Meetings held", meetings),
        spread(
            ctx, "throughput.items", "Items a meeting: median", meetings, unit="items", better=None
        ),
        rate(ctx, "throughput.carried", "Items carried forward", carried, better="lower"),
        rate(ctx, "throughput.quorate", "Meetings quorate for every decision", quorate),
        rate(ctx, "throughput.on_time", "Meetings started on time (within 10 minutes)", on_time),
    ]
    if ctx.profile.has_timescale("T-AGENDA-24H"):
        out.append(rate(ctx, "throughput.agenda", "Agenda circulated within T-AGENDA-24H", agenda))
    return out
