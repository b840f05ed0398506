"""Escalations: no agreement at panel goes to an Operations / Strategic Manager (T-ESCALATE-24H).

A panel that cannot agree records the outcome "escalate"; :func:`record_decision` then opens
the escalation in the same transaction (:func:`open_escalation`), with who it goes to, what
the disagreement is, each side's view and the 24-hour clock. :func:`resolve_escalation`
records the manager's answer and moves the request on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from stepdesk.domain import RequestStatus
from stepdesk.errors import NotFoundError, ValidationError
from stepdesk.persistence.models import AgendaItem, Case, Decision, Escalation, Request
from stepdesk.services import audit
from stepdesk.services.permissions import require
from stepdesk.services.transitions import move_request
from stepdesk.services.views import EscalationDraft, SideView
from stepdesk.services.workspace import Actor, Workspace


@dataclass(frozen=True)
class EscalationView:
    """An escalation with its clock."""

    id: int
    case_id: int
    case_reference: str
    subject_name: str
    agenda_item_id: int | None
    decision_id: int | None
    raised_by: str | None
    raised_at: dt.datetime
    escalated_to: str
    disagreement: str
    views: list[SideView]
    due_at: dt.datetime
    status: str
    resolved_at: dt.datetime | None
    resolved_by: str | None
    resolution: str | None


def validate_escalation(draft: EscalationDraft | None) -> EscalationDraft:
    """The escalation a decision to escalate must carry, or a ``ValidationError``."""
    if draft is None or not draft.escalated_to.strip():
        raise ValidationError(
            "Escalated to",
            "name the Operations or Strategic Manager the disagreement goes to (T-ESCALATE-24H)",
        )
    if not draft.disagreement.strip():
        raise ValidationError("Disagreement", "say what the panel could not agree on")
    views = [v for v in draft.views if v.view.strip()]
    if len(views) < 2:
        raise ValidationError("Views", "give each side's view (at least two sides)")
    for number, view in enumerate(views, start=1):
        if not view.side.strip():
            raise ValidationError(f"View {number}", "name the side (a team or a role)")
    return EscalationDraft(
        draft.escalated_to.strip(),
        draft.disagreement.strip(),
        [SideView(v.side.strip(), v.who.strip(), v.view.strip()) for v in views],
    )


def _views_json(views: list[SideView]) -> list[dict[str, Any]]:
    return [{"side": v.side, "who": v.who, "view": v.view} for v in views]


def open_escalation(
    s: Session,
    ws: Workspace,
    actor: Actor,
    item: AgendaItem,
    decision: Decision,
    draft: EscalationDraft,
) -> Escalation:
    """Open (or update) the escalation of a decision, inside the caller's transaction.

    ``due_at`` is T-ESCALATE-24H from now, by the profile's clock.
    """
    now = ws.now()
    escalation = s.scalars(
        select(Escalation).where(Escalation.decision_id == decision.id, Escalation.status == "open")
    ).first()
    action = "change" if escalation else "create"
    if escalation is None:
        escalation = Escalation(
            case_id=item.request.case_id,
            agenda_item_id=item.id,
            decision_id=decision.id,
            raised_by_id=actor.user_id,
            raised_at=now,
            due_at=ws.clock.deadline("T-ESCALATE-24H", now, "the panel on").due,
        )
        s.add(escalation)
    escalation.escalated_to = draft.escalated_to
    escalation.disagreement = draft.disagreement
    escalation.views = _views_json(draft.views)
    s.flush()
    audit.record(
        s,
        ws,
        actor,
        action,
        "escalation",
        escalation.id,
        decision=decision.id,
        escalated_to=draft.escalated_to,
        due_at=escalation.due_at,
    )
    return escalation


def withdraw_open_escalation(s: Session, ws: Workspace, actor: Actor, decision: Decision) -> None:
    """The panel changed an "escalate" decision in the meeting: its open escalation goes."""
    for escalation in s.scalars(
        select(Escalation).where(Escalation.decision_id == decision.id, Escalation.status == "open")
    ).all():
        audit.record(s, ws, actor, "delete", "escalation", escalation.id, decision=decision.id)
        s.delete(escalation)


def _view(e: Escalation) -> EscalationView:
    return EscalationView(
        id=e.id,
        case_id=e.case_id,
        case_reference=e.case.reference,
        subject_name=e.case.subject.full_name,
        agenda_item_id=e.agenda_item_id,
        decision_id=e.decision_id,
        raised_by=e.raised_by.name if e.raised_by else None,
        raised_at=e.raised_at,
        escalated_to=e.escalated_to,
        disagreement=e.disagreement,
        views=[SideView(v.get("side", ""), v.get("who", ""), v.get("view", "")) for v in e.views],
        due_at=e.due_at,
        status=e.status,
        resolved_at=e.resolved_at,
        resolved_by=e.resolved_by.name if e.resolved_by else None,
        resolution=e.resolution,
    )


_OPTIONS = (
    selectinload(Escalation.case).selectinload(Case.subject),
    selectinload(Escalation.raised_by),
    selectinload(Escalation.resolved_by),
)


def list_escalations(
    ws: Workspace, actor: Actor, *, open_only: bool = True
) -> list[EscalationView]:
    """Escalations, soonest due first."""
    require(actor, "case.view")
    with ws.db.session() as s:
        query = select(Escalation).options(*_OPTIONS).order_by(Escalation.due_at)
        if open_only:
            query = query.where(Escalation.status == "open")
        return [_view(e) for e in s.scalars(query).all()]


def get_escalation(ws: Workspace, actor: Actor, escalation_id: int) -> EscalationView:
    """One escalation."""
    require(actor, "case.view")
    with ws.db.session() as s:
        e = s.get(Escalation, escalation_id, options=list(_OPTIONS))
        if e is None:
            raise NotFoundError(f"No escalation with id {escalation_id}.")
        return _view(e)


def resolve_escalation(
    ws: Workspace, actor: Actor, escalation_id: int, resolution: str
) -> EscalationView:
    """Record how the Operations / Strategic Manager resolved it; the request is resolved.

    Raises:
        ValidationError: no resolution text, or the escalation is resolved already.
        IllegalMoveError: the request cannot become resolved (the message says why).
    """
    require(actor, "escalation.resolve")
    text = resolution.strip()
    if not text:
        raise ValidationError("Resolution", "say what was decided on escalation")
    with ws.db.session() as s:
        e = s.get(Escalation, escalation_id, options=list(_OPTIONS))
        if e is None:
            raise NotFoundError(f"No escalation with id {escalation_id}.")
        if e.status != "open":
            raise ValidationError("Escalation", f"resolved already on {e.resolved_at:%d/%m/%Y}")
        e.status = "resolved"
        e.resolution = text
        e.resolved_at = ws.now()
        e.resolved_by_id = actor.user_id
        if e.agenda_item_id is not None:
            item = s.get(AgendaItem, e.agenda_item_id)
            request: Request | None = item.request if item else None
            if request is not None and request.status == RequestStatus.ESCALATED:
                move_request(s, ws, actor, request, RequestStatus.RESOLVED, text)
        audit.record(s, ws, actor, "resolve", "escalation", e.id, resolution=text)
        s.flush()
        s.refresh(e)
        return _view(e)


def escalation_for_item(ws: Workspace, actor: Actor, item_id: int) -> EscalationDraft | None:
    """The open escalation of an item's decision, as the decision dialog fills it back."""
    require(actor, "case.view")
    with ws.db.session() as s:
        e = s.scalars(
            select(Escalation)
            .where(Escalation.agenda_item_id == item_id, Escalation.status == "open")
            .order_by(Escalation.id.desc())
        ).first()
        if e is None:
            return None
        return EscalationDraft(
            e.escalated_to,
            e.disagreement,
            [SideView(v.get("side", ""), v.get("who", ""), v.get("view", "")) for v in e.views],
        )
