"""The documents a panel hands out, gathered from the database as plain data.

Each function reads one document's content in one unit of work and returns a detached
dataclass from :mod:`stepdesk.services.document_views`; ``reports`` renders it. The minutes
live in :mod:`stepdesk.services.minutes`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from stepdesk.domain import Movement, Outcome, PanelStatus
from stepdesk.errors import NotFoundError, ValidationError
from stepdesk.persistence.models import (
    AgendaItem,
    Case,
    Closure,
    Decision,
    Escalation,
    Panel,
    Request,
)
from stepdesk.services import audit
from stepdesk.services.cases import case_summary_for
from stepdesk.services.convert import (
    attendance_row,
    decision_view,
    episode_rows,
    panel_row,
)
from stepdesk.services.deadlines import agenda_circulation, agenda_circulation_text
from stepdesk.services.document_views import (
    AgendaCase,
    AgendaDocument,
    ClosureDocument,
    EscalationDocument,
    LetterDocument,
    QuestionAnswer,
)
from stepdesk.services.loading import case_options
from stepdesk.services.panels import agenda_rows, load_panel
from stepdesk.services.permissions import require
from stepdesk.services.views import SideView
from stepdesk.services.workspace import Actor, Workspace
from stepdesk.timescales import Deadline


def _level_name(ws: Workspace, code: str) -> str:
    try:
        return ws.profile.level(code).name
    except KeyError:
        return code


def _movement_label(code: str) -> str:
    try:
        return Movement(code).label
    except ValueError:
        return code


def _outcome_label(code: str | None) -> str | None:
    if code is None:
        return None
    try:
        return Outcome(code).label
    except ValueError:
        return code


def agenda_document(
    ws: Workspace, actor: Actor, panel_id: int, *, for_circulation: bool = False
) -> AgendaDocument:
    """The agenda pack of a panel: cover, agenda, then each case as it stands (T-AGENDA-24H).

    ``for_circulation``: the pack is being written to send round, so it says "circulated"
    at the time :func:`record_agenda_circulated` is then given (the first circulation, if
    there was one, else now).
    """
    require(actor, "case.view")
    with ws.db.session() as s:
        panel = load_panel(s, panel_id, full_case=True)
        circulated = panel.agenda_circulated_at
        if for_circulation and circulated is None:
            circulated = ws.now()
        rows = agenda_rows(panel, ws)
        items = [
            AgendaCase(row, case_summary_for(ws, item))
            for row, item in zip(rows, panel.items, strict=True)
        ]
        audit.record(s, ws, actor, "export", "panel.agenda", panel.id)
        return AgendaDocument(
            panel=panel_row(panel, ws.profile),
            profile_name=ws.profile.name,
            members=[attendance_row(a) for a in panel.attendance],
            items=items,
            deadlines=[
                agenda_circulation(d, circulated) for d in ws.clock.before_meeting(panel.starts_at)
            ],
            circulated_at=circulated,
            generated_at=ws.now(),
            generated_by=actor.name,
        )


@dataclass(frozen=True)
class AgendaCirculation:
    """When a panel's agenda was (first) circulated, against T-AGENDA-24H."""

    panel_id: int
    circulated_at: dt.datetime
    deadline: Deadline
    first: bool  # this call recorded the first circulation (not a re-circulation)

    def text(self) -> str:
        """E.g. ``Agenda circulated 24/11/2026 09:15 (on time: due 24/11/2026 10:30, …)``."""
        return agenda_circulation_text(self.deadline, self.circulated_at)


def record_agenda_circulated(
    ws: Workspace, actor: Actor, panel_id: int, at: dt.datetime | None = None
) -> AgendaCirculation:
    """Record that the agenda pack was written for circulation (T-AGENDA-24H); audited.

    The first circulation is the one the deadline counts: a later one (an amended pack) is
    audited as a re-circulation and keeps the first time. ``at`` is the time printed on the
    pack (default now).

    Raises:
        ValidationError: the meeting has already started or finished, or ``at`` is in the
            future.
    """
    require(actor, "agenda.edit")
    now = ws.now()
    when = at or now
    if when > now:
        raise ValidationError("Circulated at", f"{when:%d/%m/%Y %H:%M} is in the future")
    with ws.db.session() as s:
        panel = s.get(Panel, panel_id)
        if panel is None:
            raise NotFoundError(f"No panel with id {panel_id}.")
        if panel.status != PanelStatus.PLANNED:
            raise ValidationError(
                "Agenda",
                "the meeting has started: the agenda is no longer circulated; "
                "its minutes are the record now",
            )
        first = panel.agenda_circulated_at is None
        if first:
            panel.agenda_circulated_at = when
        circulated = panel.agenda_circulated_at
        assert circulated is not None
        agenda = next(
            d for d in ws.clock.before_meeting(panel.starts_at) if d.rule == "T-AGENDA-24H"
        )
        deadline = agenda_circulation(agenda, circulated)
        audit.record(
            s,
            ws,
            actor,
            "circulate" if first else "recirculate",
            "panel.agenda",
            panel.id,
            at=when,
            first_circulated=circulated,
            due=deadline.due,
            late=deadline.late,
        )
        return AgendaCirculation(panel.id, circulated, deadline, first)


def letter_document(ws: Workspace, actor: Actor, decision_id: int) -> LetterDocument:
    """What the family's letter about one decision says (C-FAMILY-INFORMED)."""
    require(actor, "case.view")
    with ws.db.session() as s:
        decision = s.scalars(
            select(Decision)
            .where(Decision.id == decision_id)
            .options(
                selectinload(Decision.actions),
                selectinload(Decision.agenda_item)
                .selectinload(AgendaItem.request)
                .selectinload(Request.case)
                .options(*case_options()),
                selectinload(Decision.agenda_item).selectinload(AgendaItem.panel),
            )
        ).one_or_none()
        if decision is None:
            raise NotFoundError(
                f"No decision with id {decision_id}: the decision ids are shown on the "
                f"agenda items of a panel."
            )
        item = decision.agenda_item
        request, case = item.request, item.request.case
        subject = case.subject
        family = subject.family
        worker = case.allocated_worker
        panel = item.panel
        audit.record(s, ws, actor, "export", "decision.letter", decision.id, case=case.id)
        return LetterDocument(
            decision=decision_view(decision),
            movement=request.movement,
            from_plan=request.from_plan,
            from_plan_name=ws.profile.plan_name(request.from_plan),
            to_plan=request.to_plan,
            to_plan_name=ws.profile.plan_name(request.to_plan),
            subject_name=subject.full_name,
            subject_given_name=subject.given_name,
            subject_kind=subject.kind,
            family_name=family.name if family else subject.family_name,
            family_address=family.address if family else None,
            case_reference=case.reference,
            meeting_name=ws.profile.meeting_name(panel.meeting_type),
            meeting_date=panel.starts_at.date(),
            team=case.team.name,
            lead_professional=decision.lead_professional or case.lead_professional,
            allocated_worker=worker.name if worker else None,
            allocated_worker_email=worker.email if worker else None,
            chair_name=panel.chair.name if panel.chair else "the panel chair",
            next_steps=decision_view(decision).actions,
            generated_at=ws.now(),
            generated_by=actor.name,
        )


def closure_document(ws: Workspace, actor: Actor, case_id: int) -> ClosureDocument:
    """A case's closure summary: needs, work done, outcomes, exit questionnaire (001 §3)."""
    require(actor, "case.view")
    with ws.db.session() as s:
        case = s.scalars(
            select(Case).where(Case.id == case_id).options(*case_options())
        ).one_or_none()
        if case is None:
            raise NotFoundError(f"No case with id {case_id}.")
        closure = s.scalars(select(Closure).where(Closure.case_id == case_id)).one_or_none()
        if closure is None:
            raise NotFoundError(
                f"Case {case.reference} (id {case_id}) has no closure record yet: "
                f"record the closure first."
            )
        audit.record(s, ws, actor, "export", "case.closure", case.id)
        return ClosureDocument(
            case_id=case.id,
            case_reference=case.reference,
            subject_name=case.subject.full_name,
            date_of_birth=case.subject.date_of_birth,
            team=case.team.name,
            level_name=_level_name(ws, case.level),
            plan_name=ws.profile.plan_name(case.plan),
            lead_professional=case.lead_professional,
            opened_on=case.opened_on,
            closed_on=case.closed_on,
            history=episode_rows(case, ws.profile),
            needs_at_start=closure.needs_at_start,
            work_done=closure.work_done,
            outcomes=closure.outcomes,
            questionnaire=[
                QuestionAnswer(str(q.get("question", "")), str(q.get("answer", "")))
                for q in closure.questionnaire or []
            ],
            authorised_by=closure.authorised_by.name if closure.authorised_by else None,
            authorised_at=closure.authorised_at,
            decision_outcome=_outcome_label(closure.decision.outcome if closure.decision else None),
            generated_at=ws.now(),
            generated_by=actor.name,
        )


def escalation_document(ws: Workspace, actor: Actor, escalation_id: int) -> EscalationDocument:
    """The escalation summary for the Operations / Strategic Manager (T-ESCALATE-24H)."""
    require(actor, "case.view")
    with ws.db.session() as s:
        esc = s.get(Escalation, escalation_id)
        if esc is None:
            raise NotFoundError(f"No escalation with id {escalation_id}.")
        case = esc.case
        item = esc.agenda_item
        decision = esc.decision or (item.decision if item else None)
        request = item.request if item else None
        deadline = ws.clock.deadline(
            "T-ESCALATE-24H", esc.raised_at, "the escalation raised", done=esc.status == "resolved"
        )
        audit.record(s, ws, actor, "export", "escalation", esc.id, case=case.id)
        return EscalationDocument(
            id=esc.id,
            case_reference=case.reference,
            subject_name=case.subject.full_name,
            team=case.team.name,
            level_name=_level_name(ws, case.level),
            plan_name=ws.profile.plan_name(case.plan),
            request_label=(
                f"{_movement_label(request.movement)}: {ws.profile.plan_name(request.from_plan)}"
                f" → {ws.profile.plan_name(request.to_plan)}"
                if request is not None
                else None
            ),
            meeting_name=ws.profile.meeting_name(item.panel.meeting_type) if item else None,
            meeting_date=item.panel.starts_at.date() if item else None,
            decision_outcome=_outcome_label(decision.outcome if decision else None),
            raised_by=esc.raised_by.name if esc.raised_by else None,
            raised_at=esc.raised_at,
            escalated_to=esc.escalated_to,
            disagreement=esc.disagreement,
            views=[
                SideView(str(v.get("side", "")), str(v.get("who", "")), str(v.get("view", "")))
                for v in esc.views or []
            ],
            due_at=esc.due_at,
            status=esc.status,
            resolved_at=esc.resolved_at,
            resolved_by=esc.resolved_by.name if esc.resolved_by else None,
            resolution=esc.resolution,
            # The due time recorded when it was raised is the one that counts.
            deadline=dataclasses.replace(deadline, due=esc.due_at),
            generated_at=ws.now(),
            generated_by=actor.name,
        )


def case_escalations(ws: Workspace, actor: Actor, case_id: int) -> list[int]:
    """The ids of a case's escalations, newest first (for the Documents menu)."""
    require(actor, "case.view")
    with ws.db.session() as s:
        return list(
            s.scalars(
                select(Escalation.id)
                .where(Escalation.case_id == case_id)
                .order_by(Escalation.raised_at.desc(), Escalation.id.desc())
            ).all()
        )


def case_has_closure(ws: Workspace, actor: Actor, case_id: int) -> bool:
    """Whether a case has a closure record to print."""
    require(actor, "case.view")
    with ws.db.session() as s:
        return s.scalars(select(Closure.id).where(Closure.case_id == case_id)).first() is not None
