"""Read what the measures need in a few queries, into plain records (no ORM objects leak).

Everything a measure looks at is here: requests with their decision and the panel that
heard them, cases with their plan history, consents and closure, panels with their items and
minutes. The measures themselves are pure functions of these facts (easy to test by hand).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from stepdesk.persistence.models import (
    AgendaItem,
    Case,
    Closure,
    Decision,
    MinutesVersion,
    Panel,
    Request,
    RequestTransition,
)


def pseudonym(case_id: int) -> str:
    """A stable pseudonymised id for a case: neither its reference nor its name."""
    digest = hashlib.sha256(f"stepdesk-monitoring:{case_id}".encode()).hexdigest()
    return f"P-{digest[:8].upper()}"


@dataclass(frozen=True)
class Spell:
    """One stretch of a case at one plan."""

    plan: str
    level: str
    rank: int
    start: dt.date
    end: dt.date | None


@dataclass
class CaseFact:
    """A case, its subject's equalities fields, plan history, consents and closure."""

    id: int
    reference: str
    name: str
    team_id: int
    team: str
    date_of_birth: dt.date | None
    sex: str | None
    ethnicity: str | None
    disability: str | None
    opened_on: dt.date
    closed_on: dt.date | None
    spells: list[Spell]
    step_down_consents: list[dt.date] = field(default_factory=list)
    closure_outcomes: str | None = None


@dataclass
class DecisionFact:
    """A decision on a request, with what the measures check of it."""

    id: int
    outcome: str
    decided_at: dt.datetime
    rationale: str
    lead_professional: str | None
    override_reason: str | None
    review_on: dt.date | None
    exit_strategy: str | None
    family_informed: bool
    quorate: bool | None
    effective_on: dt.date | None
    actions: list[tuple[str | None, bool, dt.datetime | None]]  # rule, done, done_at


@dataclass
class RequestFact:
    """A request, the panel that heard it and its decision."""

    id: int
    case_id: int
    movement: str
    from_plan: str
    to_plan: str
    status: str
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    panel_at: dt.datetime | None
    decision: DecisionFact | None
    reached: dict[str, dt.datetime]  # status -> first time the request reached it


@dataclass
class PanelFact:
    """A panel meeting, its items and its minutes."""

    id: int
    meeting_type: str
    starts_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    status: str
    agenda_circulated_at: dt.datetime | None
    items: int
    decided: int
    carried_forward: int
    non_quorate_decisions: int
    first_minutes_at: dt.datetime | None
    case_ids: list[int]
    carried_cases: list[int] = field(default_factory=list)


@dataclass
class Facts:
    """Everything the seven measures read."""

    cases: dict[int, CaseFact]
    requests: list[RequestFact]
    panels: list[PanelFact]


def _rank(ranks: dict[str, int], plan: str) -> int:
    return ranks.get(plan, 0)


def load_facts(s: Session, ranks: dict[str, int], team_id: int | None) -> Facts:
    """Read the facts, of one team's cases when ``team_id`` is given."""
    case_query = select(Case).options(
        selectinload(Case.subject),
        selectinload(Case.team),
        selectinload(Case.episodes),
        selectinload(Case.consents),
    )
    if team_id is not None:
        case_query = case_query.where(Case.team_id == team_id)
    cases: dict[int, CaseFact] = {}
    for c in s.scalars(case_query):
        subject = c.subject
        cases[c.id] = CaseFact(
            id=c.id,
            reference=c.reference,
            name=subject.full_name,
            team_id=c.team_id,
            team=c.team.name,
            date_of_birth=subject.date_of_birth,
            sex=subject.sex,
            ethnicity=subject.ethnicity,
            disability=subject.disability,
            opened_on=c.opened_on,
            closed_on=c.closed_on,
            spells=[
                Spell(e.plan, e.level, _rank(ranks, e.plan), e.started_on, e.ended_on)
                for e in c.episodes
            ],
            step_down_consents=[
                k.given_on for k in c.consents if k.purpose == "step_down" and k.kind != "declined"
            ],
        )
    for closure in s.scalars(select(Closure)):
        if closure.case_id in cases:
            cases[closure.case_id].closure_outcomes = closure.outcomes

    reached: dict[int, dict[str, dt.datetime]] = {}
    for t in s.scalars(select(RequestTransition).order_by(RequestTransition.at)):
        reached.setdefault(t.request_id, {}).setdefault(t.to_status, t.at)

    items = list(
        s.scalars(
            select(AgendaItem).options(
                selectinload(AgendaItem.panel),
                selectinload(AgendaItem.decision).selectinload(Decision.actions),
            )
        )
    )
    heard: dict[int, AgendaItem] = {}
    for item in items:
        # The item that decided a request wins over one it was carried forward from.
        if item.request_id not in heard or item.decision is not None:
            heard[item.request_id] = item
    requests: list[RequestFact] = []
    for r in s.scalars(select(Request)):
        if r.case_id not in cases:
            continue
        heard_at = heard.get(r.id)
        d = heard_at.decision if heard_at is not None else None
        requests.append(
            RequestFact(
                id=r.id,
                case_id=r.case_id,
                movement=r.movement,
                from_plan=r.from_plan,
                to_plan=r.to_plan,
                status=r.status,
                created_at=r.created_at,
                submitted_at=r.submitted_at,
                panel_at=heard_at.panel.starts_at if heard_at is not None else None,
                decision=None if d is None else _decision(d),
                reached=reached.get(r.id, {}),
            )
        )
    return Facts(cases, requests, _panels(s, cases, items))


def _decision(d: Decision) -> DecisionFact:
    return DecisionFact(
        id=d.id,
        outcome=d.outcome,
        decided_at=d.decided_at,
        rationale=d.rationale or "",
        lead_professional=d.lead_professional,
        override_reason=d.override_reason,
        review_on=d.review_on,
        exit_strategy=d.exit_strategy,
        family_informed=bool(d.family_informed),
        quorate=d.quorate,
        effective_on=d.effective_on,
        actions=[(a.rule_id, a.done, a.done_at) for a in d.actions],
    )


def _panels(s: Session, cases: dict[int, CaseFact], items: list[AgendaItem]) -> list[PanelFact]:
    case_of = {r.id: r.case_id for r in s.scalars(select(Request))}
    by_panel: dict[int, list[AgendaItem]] = {}
    for item in items:
        by_panel.setdefault(item.panel_id, []).append(item)
    first_minutes: dict[int, dt.datetime] = {}
    for m in s.scalars(select(MinutesVersion).order_by(MinutesVersion.approved_at)):
        first_minutes.setdefault(m.panel_id, m.approved_at)
    out: list[PanelFact] = []
    for p in s.scalars(select(Panel).order_by(Panel.starts_at)):
        mine = by_panel.get(p.id, [])
        ids = [case_of[i.request_id] for i in mine]
        if mine and not any(c in cases for c in ids):
            continue  # another team's panel business only
        out.append(
            PanelFact(
                id=p.id,
                meeting_type=p.meeting_type,
                starts_at=p.starts_at,
                started_at=p.started_at,
                finished_at=p.finished_at,
                status=p.status,
                agenda_circulated_at=p.agenda_circulated_at,
                items=len(mine),
                decided=sum(i.decision is not None for i in mine),
                carried_forward=sum(i.carried_forward_to_panel_id is not None for i in mine),
                non_quorate_decisions=sum(
                    i.decision is not None and i.decision.quorate is False for i in mine
                ),
                first_minutes_at=first_minutes.get(p.id),
                case_ids=[c for c in ids if c in cases],
                carried_cases=[
                    case_of[i.request_id]
                    for i in mine
                    if i.carried_forward_to_panel_id is not None and case_of[i.request_id] in cases
                ],
            )
        )
    return out
