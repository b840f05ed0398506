"""Turning loaded ORM objects into the plain views of :mod:`stepdesk.services.views`.

Also builds the rules engine's facts from a case, so the decision dialog, the agenda pack and
the save all check the same thing.
"""

from __future__ import annotations

import datetime as dt

from stepdesk.domain import AttachmentKind, Movement, Outcome
from stepdesk.persistence.models import (
    AgendaItem,
    Attachment,
    Attendance,
    Case,
    Decision,
    Panel,
    Request,
)
from stepdesk.profile import Profile
from stepdesk.rules import CaseFacts, ConsentFact, Finding, PlanSpell, Proposal
from stepdesk.services.views import (
    ActionRow,
    AgendaRow,
    AttachmentRow,
    AttendanceRow,
    ConsentRow,
    DecisionView,
    DissentDraft,
    EpisodeRow,
    PanelRow,
    RequestView,
)


def _label(enum: type[Movement] | type[Outcome] | type[AttachmentKind], code: str) -> str:
    try:
        return enum(code).label
    except ValueError:
        return code


def panel_row(panel: Panel, profile: Profile) -> PanelRow:
    """A panel as one line of the list."""
    return PanelRow(
        id=panel.id,
        meeting_type=panel.meeting_type,
        meeting_name=profile.meeting_name(panel.meeting_type),
        starts_at=panel.starts_at,
        venue=panel.venue,
        chair_name=panel.chair.name if panel.chair else "(no chair)",
        status=panel.status,
        item_count=len(panel.items),
        decided_count=sum(1 for item in panel.items if item.decision is not None),
        finished_at=panel.finished_at,
    )


def attendance_row(att: Attendance) -> AttendanceRow:
    """An attendance record as a row."""
    return AttendanceRow(
        id=att.id,
        user_id=att.user_id,
        name=att.user.name,
        job_title=att.user.job_title,
        panel_role=att.panel_role,
        status=att.status,
    )


def slot_starts(panel: Panel) -> dict[int, dt.datetime]:
    """Each agenda item's start time: the meeting start plus the slots before it.

    An item with a planned ``slot_start`` (a fixed time, e.g. after a break) starts then; an
    item held back keeps its place in the list but takes no time.
    """
    starts: dict[int, dt.datetime] = {}
    at = panel.starts_at
    for item in panel.items:
        start = item.slot_start or at
        starts[item.id] = start
        if item.status != "held_back":
            at = start + dt.timedelta(minutes=item.slot_minutes)
    return starts


def agenda_row(item: AgendaItem, slot_start: dt.datetime, profile: Profile) -> AgendaRow:
    """An agenda item as one row of the agenda table."""
    request, case = item.request, item.request.case
    decision = item.decision
    return AgendaRow(
        id=item.id,
        position=item.position,
        slot_start=slot_start,
        slot_minutes=item.slot_minutes,
        case_id=case.id,
        case_reference=case.reference,
        subject_name=case.subject.full_name,
        movement=request.movement,
        movement_label=_label(Movement, request.movement),
        from_plan_name=profile.plan_name(request.from_plan),
        to_plan_name=profile.plan_name(request.to_plan),
        presenter_name=item.presenter.name if item.presenter else "",
        status=item.status,
        outcome_label=_label(Outcome, decision.outcome) if decision else None,
    )


def attachment_row(att: Attachment) -> AttachmentRow:
    """An attachment without its bytes."""
    return AttachmentRow(
        id=att.id,
        kind=att.kind,
        kind_label=_label(AttachmentKind, att.kind),
        title=att.title,
        filename=att.filename,
        sha256=att.sha256,
        size=len(att.content or b""),
    )


def request_view(request: Request, profile: Profile) -> RequestView:
    """A request with its attachments."""
    return RequestView(
        id=request.id,
        movement=request.movement,
        movement_label=_label(Movement, request.movement),
        from_plan=request.from_plan,
        from_plan_name=profile.plan_name(request.from_plan),
        to_plan=request.to_plan,
        to_plan_name=profile.plan_name(request.to_plan),
        reasons=request.reasons,
        triggers=list(request.triggers or []),
        status=request.status,
        created_by=request.created_by.name if request.created_by else None,
        created_at=request.created_at,
        qa_by=request.qa_by.name if request.qa_by else None,
        qa_at=request.qa_at,
        qa_comment=request.qa_comment,
        proposed_lead_professional=request.proposed_lead_professional,
        without_consent_reason=request.without_consent_reason,
        without_consent_manager=request.without_consent_manager,
        attachments=[attachment_row(a) for a in request.attachments],
    )


def episode_rows(case: Case, profile: Profile) -> list[EpisodeRow]:
    """The case history, oldest first."""
    rows = []
    for ep in case.episodes:
        try:
            level_name = profile.level(ep.level).name
        except KeyError:
            level_name = ep.level
        rows.append(
            EpisodeRow(
                level=ep.level,
                level_name=level_name,
                plan=ep.plan,
                plan_name=profile.plan_name(ep.plan),
                team=ep.team.name,
                started_on=ep.started_on,
                ended_on=ep.ended_on,
            )
        )
    return rows


def consent_rows(case: Case) -> list[ConsentRow]:
    """Recorded consents, oldest first."""
    return [ConsentRow(c.kind, c.purpose, c.given_by, c.given_on, c.note) for c in case.consents]


def findings_from_json(raw: list[dict[str, str]]) -> list[Finding]:
    """Findings as stored with a decision."""
    return [Finding(f["rule"], f["severity"], f["message"], f["citation"]) for f in raw]


def decision_view(decision: Decision) -> DecisionView:
    """A decision with its actions."""
    return DecisionView(
        id=decision.id,
        agenda_item_id=decision.agenda_item_id,
        outcome=decision.outcome,
        outcome_label=_label(Outcome, decision.outcome),
        rationale=decision.rationale,
        effective_on=decision.effective_on,
        review_on=decision.review_on,
        lead_professional=decision.lead_professional,
        receiving_team=decision.receiving_team.name if decision.receiving_team else None,
        exit_strategy=decision.exit_strategy,
        dissent=decision.dissent,
        findings=findings_from_json(decision.findings or []),
        override_reason=decision.override_reason,
        override_by=decision.override_by.name if decision.override_by else None,
        override_at=decision.override_at,
        decided_by=decision.decided_by.name if decision.decided_by else None,
        decided_at=decision.decided_at,
        actions=[
            ActionRow(a.id, a.description, a.owner_name, a.owner_id, a.due_on, a.rule_id, a.done)
            for a in decision.actions
        ],
        version=decision.version_id,
        quorate=decision.quorate,
        mapping_note=decision.mapping_note,
        dissents=[DissentDraft(d.name, d.view, d.user_id) for d in decision.dissents],
        family_informed=(
            tuple(decision.family_informed) if decision.family_informed is not None else None
        ),
    )


def case_facts(case: Case, movement: str) -> CaseFacts:
    """The rules engine's view of a case, for a request of ``movement``.

    The consent that counts is the latest one recorded for that movement (or for information
    sharing, which covers either).
    """
    purposes = {movement, "information_sharing"}
    relevant = [c for c in case.consents if c.purpose in purposes]
    consent = relevant[-1] if relevant else None
    return CaseFacts(
        history=tuple(PlanSpell(ep.plan, ep.started_on) for ep in case.episodes),
        lead_professional=case.lead_professional,
        consent=ConsentFact(consent.kind, consent.given_on, consent.given_by) if consent else None,
        stepped_down_from_team=(
            case.stepped_down_from_team.name if case.stepped_down_from_team else None
        ),
        stepped_down_on=case.stepped_down_on,
        team=case.team.name,
    )


def request_proposal(request: Request) -> Proposal:
    """The rules engine's view of a request not yet decided."""
    return Proposal(
        movement=request.movement,
        to_plan=request.to_plan,
        reasons=(request.reasons,),
        attachments=tuple(a.kind for a in request.attachments),
        triggers=tuple(request.triggers or ()),
        lead_professional=request.proposed_lead_professional,
        without_consent_reason=request.without_consent_reason,
        without_consent_manager=request.without_consent_manager,
        cp_concern=bool(request.cp_concern),
        threshold_uncertain=bool(request.threshold_uncertain),
        # C-STEPDOWN-DECIDER: the manager's QA approval is the Team Manager's agreement.
        team_manager=(
            request.qa_by.name
            if request.qa_by is not None and request.qa_by.role == "manager" and request.qa_at
            else None
        ),
    )
