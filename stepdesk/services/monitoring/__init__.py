"""Monitoring for the Quality & Performance sub-group (M-ANNUAL 002 §7, M-OUTCOMES 000).

:func:`monitoring_report` computes the seven measure groups for a period, a team and the
workspace's profile: each with its definition, numerator, denominator, the rows behind it
(pseudonymised unless the role may see names), a monthly trend, the previous period beside
it and the direction of travel. Every output suppresses counts from 1 to 4
(:mod:`.suppression`). One read-only unit of work; the role is checked and the report audited.
"""

from __future__ import annotations

from collections.abc import Callable

from stepdesk.errors import CancelledError, ValidationError
from stepdesk.persistence.models import Team
from stepdesk.services import audit
from stepdesk.services.deadlines import all_deadlines
from stepdesk.services.monitoring import (
    activity,
    compliance,
    equalities,
    outcomes,
    stepdowns,
    throughput,
    timeliness,
)
from stepdesk.services.monitoring.common import Ctx
from stepdesk.services.monitoring.definitions import DEFINITIONS
from stepdesk.services.monitoring.facts import load_facts
from stepdesk.services.monitoring.model import (
    PERIOD_KINDS,
    Indicator,
    Measure,
    MonitoringReport,
    Period,
    Row,
    period_of,
)
from stepdesk.services.permissions import allowed, require
from stepdesk.services.workspace import Actor, Workspace
from stepdesk.timescales import Rag

__all__ = [
    "PERIOD_KINDS",
    "Indicator",
    "Measure",
    "MonitoringReport",
    "Period",
    "Row",
    "monitoring_report",
    "names_allowed",
    "period_of",
    "teams",
]

# progress(done, total, what) -> False to cancel.
Progress = Callable[[int, int, str], bool]

_GROUPS = {
    "activity": activity.indicators,
    "timeliness": timeliness.indicators,
    "stepdowns": stepdowns.indicators,
    "compliance": compliance.indicators,
    "outcomes": outcomes.indicators,
    "equalities": equalities.indicators,
    "throughput": throughput.indicators,
}


def teams(ws: Workspace, actor: Actor) -> list[tuple[int, str]]:
    """The teams a report can be filtered by: (id, name), by name."""
    require(actor, "monitoring.view")
    with ws.db.session() as s:
        return sorted(((t.id, t.name) for t in s.query(Team)), key=lambda t: t[1])


def monitoring_report(
    ws: Workspace,
    actor: Actor,
    period: Period,
    team_id: int | None = None,
    *,
    names: bool = False,
    progress: Progress | None = None,
) -> MonitoringReport:
    """The seven measure groups for ``period`` (and one team's cases, if ``team_id``).

    ``names`` asks for case references and names in the rows; roles without
    ``monitoring.names`` are refused it. ``progress`` is told after each step and may cancel
    (returns False): the report then raises :class:`CancelledError`.
    """
    require(actor, "monitoring.view")
    if names:
        require(actor, "monitoring.names")
    if period.end < period.start:
        raise ValidationError("To", "the end of the period is before its start; swap them")
    total = len(_GROUPS) + 2

    def step(done: int, what: str) -> None:
        if progress is not None and not progress(done, total, what):
            raise CancelledError("Monitoring report cancelled.")

    clock = ws.clock
    ranks = {p.code: i for i, p in enumerate(ws.profile.plans)}
    with ws.db.session() as s:
        team_name = "All teams"
        if team_id is not None:
            team = s.get(Team, team_id)
            if team is None:
                raise ValidationError("Team", f"there is no team {team_id}; choose one listed")
            team_name = team.name
        step(0, "Reading cases, requests and panels")
        facts = load_facts(s, ranks, team_id)
    step(1, "Checking today's deadlines")
    overdue = [
        (r.case_id, r.deadline.rule, r.deadline.due)
        for r in all_deadlines(ws, actor, ws.now())
        if r.rag == Rag.OVERDUE
    ]
    ctx = Ctx(facts, period, period.previous(), ws.today(), ws.now(), clock, names)
    measures = []
    for done, d in enumerate(DEFINITIONS, start=2):
        step(done, d.title)
        indicators = _GROUPS[d.key](ctx)
        if d.key == "timeliness":
            indicators.append(timeliness.overdue_now(ctx, overdue))
        for i, ind in enumerate(indicators):
            indicators[i] = _grouped(ind, d.key)
        measures.append(
            Measure(
                d.key,
                d.number,
                d.title,
                d.definition,
                d.numerator,
                d.denominator,
                d.rule,
                indicators,
            )
        )
    step(total, "Done")
    with ws.db.session() as s:
        audit.record(
            s,
            ws,
            actor,
            "monitoring_report",
            "team",
            team_id,
            period=period.label,
            team=team_name,
            names=names,
        )
    return MonitoringReport(
        period=period,
        previous=ctx.previous,
        team=team_name,
        profile=ws.profile.name,
        generated_at=ws.now(),
        generated_by=actor.name,
        names_shown=names,
        measures=measures,
    )


def _grouped(ind: Indicator, group: str) -> Indicator:
    import dataclasses

    return dataclasses.replace(ind, group=group)


def names_allowed(actor: Actor) -> bool:
    """Whether the actor may see names behind the figures."""
    return allowed(actor, "monitoring.names")
