"""Measure 4, compliance: consent before step-down, Lead Professional, EHA, rationale, overrides."""

from __future__ import annotations

from stepdesk.domain import Outcome
from stepdesk.services.monitoring.common import Ctx, Item, count, rate
from stepdesk.services.monitoring.facts import RequestFact
from stepdesk.services.monitoring.model import Indicator, Period


def indicators(ctx: Ctx) -> list[Indicator]:
    """The C-… checks of each decision in the period, as rates."""
    facts = ctx.facts

    def decided(period: Period, movement: str | None = None) -> list[RequestFact]:
        return [
            r
            for r in facts.requests
            if r.decision is not None
            and period.contains(r.decision.decided_at.date())
            and (movement is None or r.movement == movement)
        ]

    def consent(period: Period) -> list[Item]:
        items = []
        for r in decided(period, "step_down"):
            assert r.decision is not None
            day = r.decision.decided_at.date()
            given = [d for d in facts.cases[r.case_id].step_down_consents if d <= day]
            detail = f"consent {max(given):%d/%m/%Y}" if given else "no consent recorded"
            items.append(Item(r.case_id, day, detail, bool(given)))
        return items

    def lead(period: Period) -> list[Item]:
        items = []
        for r in decided(period, "step_down"):
            assert r.decision is not None
            if r.decision.outcome != Outcome.AGREED:
                continue
            named = (r.decision.lead_professional or "").strip()
            items.append(
                Item(
                    r.case_id,
                    r.decision.decided_at.date(),
                    "named" if named else "not named",
                    bool(named),
                )
            )
        return items

    def eha(period: Period) -> list[Item]:
        items = []
        for r in decided(period, "step_down"):
            d = r.decision
            assert d is not None
            if d.outcome != Outcome.AGREED or r.to_plan != "early_help":
                continue
            due = ctx.clock.deadline("T-EHA-20WD", d.decided_at, "the decision made").due
            done = [at for rule, ok, at in d.actions if rule == "T-EHA-20WD" and ok and at]
            if due > ctx.now and not done:
                continue
            ok = bool(done) and min(done) <= due
            items.append(Item(r.case_id, d.decided_at.date(), f"due {due:%d/%m/%Y}", ok))
        return items

    def rationale(period: Period) -> list[Item]:
        items = []
        for r in decided(period):
            assert r.decision is not None
            ok = bool(r.decision.rationale.strip())
            items.append(
                Item(r.case_id, r.decision.decided_at.date(), "given" if ok else "missing", ok)
            )
        return items

    def overrides(period: Period) -> list[Item]:
        return [
            Item(r.case_id, r.decision.decided_at.date(), r.decision.override_reason or "")
            for r in decided(period)
            if r.decision is not None and r.decision.override_reason
        ]

    out = [
        rate(
            ctx,
            "compliance.consent",
            "Step-downs with consent recorded before the decision",
            consent,
        ),
        rate(ctx, "compliance.lead", "Agreed step-downs naming the Lead Professional", lead),
    ]
    if ctx.profile.has_timescale("T-EHA-20WD"):
        out.append(rate(ctx, "compliance.eha", "EHA started within T-EHA-20WD", eha))
    out += [
        rate(ctx, "compliance.rationale", "Decisions with a rationale", rationale),
        count(
            ctx,
            "compliance.overrides",
            "Overrides of a block (reasons in the rows)",
            overrides,
            better="lower",
        ),
    ]
    return out
