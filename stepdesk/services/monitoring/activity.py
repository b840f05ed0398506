"""Measure 1, activity: requests and decisions by month, movement, outcome and team."""

from __future__ import annotations

from stepdesk.domain import Movement, Outcome
from stepdesk.services.monitoring.common import Ctx, Item, count, matching
from stepdesk.services.monitoring.model import Indicator, Period


def indicators(ctx: Ctx) -> list[Indicator]:
    """Requests received, decisions made, and each by movement, outcome and team."""
    facts = ctx.facts

    def requests(period: Period) -> list[Item]:
        return [
            Item(r.case_id, r.created_at.date(), f"{r.movement.replace('_', ' ')} request")
            for r in facts.requests
            if period.contains(r.created_at.date())
        ]

    def decisions(period: Period) -> list[Item]:
        return [
            Item(
                r.case_id,
                r.decision.decided_at.date(),
                f"{r.movement.replace('_', ' ')}: {r.decision.outcome.replace('_', ' ')}",
            )
            for r in facts.requests
            if r.decision is not None and period.contains(r.decision.decided_at.date())
        ]

    out = [
        count(ctx, "activity.requests", "Requests received", requests),
        count(ctx, "activity.decisions", "Decisions made", decisions),
    ]
    for movement in Movement:
        if movement == Movement.CLOSE:
            continue
        out.append(
            count(
                ctx,
                f"activity.requests.{movement.value}",
                f"Requests: {movement.label.lower()}",
                matching(requests, _movement, movement.value.replace("_", " ")),
            )
        )
    for outcome in Outcome:
        out.append(
            count(
                ctx,
                f"activity.decisions.{outcome.value}",
                f"Decisions: {outcome.label.lower()}",
                matching(decisions, _outcome, outcome.value.replace("_", " ")),
            )
        )
    for team in sorted({c.team for c in facts.cases.values()}):
        out.append(
            count(
                ctx,
                f"activity.team.{team}",
                f"Requests from {team}",
                matching(requests, lambda i: facts.cases[i.case_id].team, team),
            )
        )
    return out


def _movement(item: Item) -> str:
    return item.detail.removesuffix(" request")


def _outcome(item: Item) -> str:
    return item.detail.split(": ", 1)[1]
