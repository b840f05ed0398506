"""Measure 2, timeliness: request to panel, decision to action, minutes, overdue now.

Working days through the profile's calendar (bank holidays of its region), as every clock.
"""

from __future__ import annotations

import datetime as dt

from stepdesk.domain import Outcome
from stepdesk.domain import RequestStatus as S
from stepdesk.services.monitoring.common import Ctx, Item, count, rate, spread
from stepdesk.services.monitoring.facts import RequestFact
from stepdesk.services.monitoring.model import Indicator, Period

# The step a request must reach, and the decision's actions of that rule, for a clock to be met.
_MET_BY = {
    "T-EFFECT-24H": S.EFFECTED,
    "T-HANDOVER": S.HANDOVER_ARRANGED,
    "T-HANDOVER-DONE": S.HANDOVER_COMPLETED,
}


def _clock_keys(ctx: Ctx, r: RequestFact) -> list[str]:
    d = r.decision
    if d is None or d.outcome != Outcome.AGREED or r.movement not in ("step_up", "step_down"):
        return []
    return [k for k in _MET_BY if ctx.profile.has_timescale(k)]


def _met_at(r: RequestFact, key: str, rule: str) -> dt.datetime | None:
    status = _MET_BY[key]
    order = [S.EFFECTED, S.HANDOVER_ARRANGED, S.HANDOVER_COMPLETED, S.CLOSED]
    times = [r.reached[s] for s in order[order.index(status) :] if s in r.reached]
    assert r.decision is not None
    done = [at for rid, ok, at in r.decision.actions if rid == rule and ok and at is not None]
    if key == "T-HANDOVER-DONE":
        done = done[1:]
    elif key == "T-HANDOVER":
        done = done[:1]
    candidates = [t for t in [*times, *done] if t is not None]
    return min(candidates) if candidates else None


def indicators(ctx: Ctx) -> list[Indicator]:
    """Request → panel (median, 75th percentile), each post-decision clock, minutes, overdue."""
    facts, cal = ctx.facts, ctx.clock.calendar

    def to_panel(period: Period) -> list[Item]:
        out = []
        for r in facts.requests:
            if (
                r.panel_at is None
                or r.submitted_at is None
                or not period.contains(r.panel_at.date())
            ):
                continue
            days = cal.working_days_between(r.submitted_at.date(), r.panel_at.date())
            out.append(Item(r.case_id, r.panel_at.date(), f"{days} working days", value=days))
        return out

    out = [
        spread(ctx, "timeliness.to_panel.median", "Request submitted → panel: median", to_panel),
        spread(
            ctx,
            "timeliness.to_panel.p75",
            "Request submitted → panel: 75th percentile",
            to_panel,
            q=0.75,
        ),
    ]
    if ctx.profile.has_timescale("T-FORM-48H"):

        def form_on_time(period: Period) -> list[Item]:
            items = []
            for r in facts.requests:
                if r.panel_at is None or not period.contains(r.panel_at.date()):
                    continue
                due = ctx.clock.deadline("T-FORM-48H", r.panel_at, "the meeting on").due
                ok = r.submitted_at is not None and r.submitted_at <= due
                items.append(Item(r.case_id, r.panel_at.date(), f"due {due:%d/%m/%Y %H:%M}", ok))
            return items

        out.append(rate(ctx, "timeliness.T-FORM-48H", "Form in within T-FORM-48H", form_on_time))
    for key in _MET_BY:
        if not ctx.profile.has_timescale(key):
            continue
        rule = ctx.profile.timescale(key).rule

        def within(period: Period, key: str = key, rule: str = rule) -> list[Item]:
            items = []
            for r in facts.requests:
                if key not in _clock_keys(ctx, r):
                    continue
                assert r.decision is not None
                decided = r.decision.decided_at
                if not period.contains(decided.date()):
                    continue
                anchor = decided
                agreed = r.decision.effective_on
                if key == "T-EFFECT-24H" and agreed is not None and agreed > decided.date():
                    anchor = dt.datetime.combine(agreed, dt.time(9, 0))
                due = ctx.clock.deadline(key, anchor, "the decision made").due
                if due > ctx.now and _met_at(r, key, rule) is None:
                    continue  # still running: neither met nor missed
                met = _met_at(r, key, rule)
                ok = met is not None and met <= due
                detail = f"due {due:%d/%m/%Y}; " + (f"met {met:%d/%m/%Y}" if met else "not met")
                items.append(Item(r.case_id, decided.date(), detail, ok))
            return items

        label = "Handover completed" if key == "T-HANDOVER-DONE" else rule
        out.append(rate(ctx, f"timeliness.{key}", f"Within {label} ({key})", within))
    if ctx.profile.has_timescale("T-MINUTES-48H"):

        def minutes(period: Period) -> list[Item]:
            items = []
            for p in facts.panels:
                if p.finished_at is None or not period.contains(p.finished_at.date()):
                    continue
                due = ctx.clock.after_meeting(p.finished_at).due
                if due > ctx.now and p.first_minutes_at is None:
                    continue
                ok = p.first_minutes_at is not None and p.first_minutes_at <= due
                case_id = p.case_ids[0] if p.case_ids else None
                if case_id is None:
                    continue
                detail = f"panel {p.id} on {p.starts_at:%d/%m/%Y}; due {due:%d/%m/%Y %H:%M}"
                items.append(Item(case_id, p.finished_at.date(), detail, ok))
            return items

        out.append(
            rate(ctx, "timeliness.T-MINUTES-48H", "Minutes approved within T-MINUTES-48H", minutes)
        )

    def informed(period: Period) -> list[Item]:
        return [
            Item(
                r.case_id,
                r.decision.decided_at.date(),
                "recorded" if r.decision.family_informed else "not recorded",
                r.decision.family_informed,
            )
            for r in facts.requests
            if r.decision is not None and period.contains(r.decision.decided_at.date())
        ]

    out.append(
        rate(ctx, "timeliness.family_told", "Decisions with the family told recorded", informed)
    )
    return out


def overdue_now(ctx: Ctx, overdue: list[tuple[int, str, dt.datetime]]) -> Indicator:
    """Deadlines overdue today (a snapshot: the previous period is not comparable)."""

    def items(period: Period) -> list[Item]:
        if period != ctx.period:
            return []
        return [
            Item(case_id, ctx.today, f"{rule} due {due:%d/%m/%Y %H:%M}")
            for case_id, rule, due in overdue
            if case_id in ctx.facts.cases
        ]

    ind = count(ctx, "timeliness.overdue_now", "Deadlines overdue now", items, better="lower")
    return ind
