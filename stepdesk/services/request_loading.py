"""Reading a request inside a unit of work.

Loading it and its case, building its row and detail, the story so far, consent on file, four
eyes, and whether the actor may still edit it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.strategy_options import _AbstractLoad

from stepdesk.domain import (
    REFUSALS,
    ItemStatus,
    Movement,
    Outcome,
    PanelStatus,
    Role,
)
from stepdesk.domain import RequestStatus as S
from stepdesk.errors import NotFoundError, PermissionDeniedError, StepDeskError, ValidationError
from stepdesk.persistence.models import (
    AgendaItem,
    Case,
    Consent,
    Decision,
    Panel,
    Request,
    RequestTransition,
)
from stepdesk.profile import Profile
from stepdesk.rules import evaluate
from stepdesk.services.convert import (
    case_facts,
    consent_rows,
    request_proposal,
    request_view,
)
from stepdesk.services.loading import case_options
from stepdesk.services.permissions import allowed, require
from stepdesk.services.request_forms import (
    _MOVEMENTS,
    EDITABLE_STATUSES,
    OPEN_STATUSES,
    CaseForRequest,
    ConsentInput,
    PanelOption,
    RequestDetail,
    RequestForm,
    RequestRow,
    StoryEntry,
    TransitionRow,
    _movement_label,
    _status_label,
    movement_note,
    to_plan_options,
    trigger_options,
)
from stepdesk.services.views import ConsentRow
from stepdesk.services.workspace import Actor, Workspace
from stepdesk.timescales import Clock, Deadline, Rag


def _panel_label(panel: Panel, profile: Profile) -> str:
    return f"{profile.meeting_name(panel.meeting_type)}, {panel.starts_at:%d/%m/%Y %H:%M}"


def _request_options() -> list[_AbstractLoad]:
    case = selectinload(Request.case)
    return [
        case.selectinload(Case.subject),
        case.selectinload(Case.team),
        selectinload(Request.created_by),
        selectinload(Request.qa_by),
        selectinload(Request.attachments),
        selectinload(Request.target_panel),
        selectinload(Request.consent),
    ]


def _agenda_panels(s: Session, request_ids: list[int]) -> dict[int, Panel]:
    """The panel each request is on the agenda of (not held back), by request id."""
    if not request_ids:
        return {}
    items = s.scalars(
        select(AgendaItem)
        .where(AgendaItem.request_id.in_(request_ids))
        .where(AgendaItem.status != ItemStatus.HELD_BACK)
        .options(selectinload(AgendaItem.panel))
        .order_by(AgendaItem.id)
    ).all()
    return {item.request_id: item.panel for item in items}


def _refusals(s: Session, requests: list[Request]) -> dict[int, str]:
    """The refusal ("not agreed", "no change") each decided request carries, by request id."""
    decided = [r.id for r in requests if r.status == S.DECIDED]
    if not decided:
        return {}
    rows = s.execute(
        select(AgendaItem.request_id, Decision.outcome)
        .join(Decision, Decision.agenda_item_id == AgendaItem.id)
        .where(AgendaItem.request_id.in_(decided))
        .order_by(Decision.decided_at)
    ).all()
    latest = {request_id: outcome for request_id, outcome in rows}
    return {k: v for k, v in latest.items() if v in REFUSALS}


def form_deadline(
    clock: Clock, request: Request, panel: Panel | None, now: dt.datetime
) -> tuple[Deadline | None, Rag | None]:
    """T-FORM-48H for a request and the panel it is for; done if submitted in time."""
    if panel is None:
        return None, None
    deadline = clock.deadline("T-FORM-48H", panel.starts_at, "the meeting on")
    done = request.submitted_at is not None and request.submitted_at <= deadline.due
    if done:
        deadline = replace(deadline, done=True)
    return deadline, deadline.rag(now)


def _row(
    ws: Workspace, request: Request, agenda_panel: Panel | None, refusal: str | None = None
) -> RequestRow:
    panel = agenda_panel or request.target_panel
    label = _status_label(request.status)
    if refusal is not None:  # decided, not yet final: closes when the minutes are approved
        label = f"{label}: {Outcome(refusal).label.lower()}"
    deadline, rag = form_deadline(ws.clock, request, panel, ws.now())
    case = request.case
    return RequestRow(
        id=request.id,
        case_id=case.id,
        case_reference=case.reference,
        subject_name=case.subject.full_name,
        movement_label=_movement_label(request.movement),
        from_plan_name=ws.profile.plan_name(request.from_plan),
        to_plan_name=ws.profile.plan_name(request.to_plan),
        status=request.status,
        status_label=label,
        created_by=request.created_by.name if request.created_by else None,
        created_at=request.created_at,
        submitted_at=request.submitted_at,
        panel_label=_panel_label(panel, ws.profile) if panel else None,
        form_deadline=deadline,
        rag=rag,
    )


def _load_case(s: Session, case_id: int) -> Case:
    case = s.scalars(
        select(Case)
        .where(Case.id == case_id)
        .options(*case_options(), selectinload(Case.requests))
        .execution_options(populate_existing=True)
    ).one_or_none()
    if case is None:
        raise NotFoundError(f"No case with id {case_id}.")
    return case


def _load_request(s: Session, request_id: int) -> Request:
    request = s.scalars(
        select(Request).where(Request.id == request_id).options(*_request_options())
    ).one_or_none()
    if request is None:
        raise NotFoundError(f"No request with id {request_id}.")
    return request


def _upcoming_panels(s: Session, ws: Workspace) -> list[Panel]:
    return list(
        s.scalars(
            select(Panel)
            .where(Panel.status == PanelStatus.PLANNED)
            .where(Panel.starts_at >= ws.now())
            .order_by(Panel.starts_at)
        ).all()
    )


def _default_panel_id(s: Session, ws: Workspace, panels: list[Panel] | None = None) -> int | None:
    """The soonest planned panel whose T-FORM-48H has not passed (else the soonest at all)."""
    panels = _upcoming_panels(s, ws) if panels is None else panels
    clock, now = ws.clock, ws.now()
    in_time = [p for p in panels if clock.deadline("T-FORM-48H", p.starts_at, "").due >= now]
    chosen = in_time or panels
    return chosen[0].id if chosen else None


def _story(case: Case, profile: Profile, exclude: int | None) -> list[StoryEntry]:
    earlier = sorted(
        (r for r in case.requests if r.id != exclude), key=lambda r: r.created_at, reverse=True
    )
    return [
        StoryEntry(
            request_id=r.id,
            created_at=r.created_at,
            movement_label=_movement_label(r.movement),
            to_plan_name=profile.plan_name(r.to_plan),
            reasons=r.reasons,
            status_label=_status_label(r.status),
        )
        for r in earlier
    ]


def _background(case: Case, profile: Profile, exclude: int | None) -> str:
    """What the family already told us, from the latest earlier request (C-STORY-ONCE)."""
    earlier = sorted(
        (r for r in case.requests if r.id != exclude and r.reasons.strip()),
        key=lambda r: r.created_at,
    )
    if not earlier:
        return ""
    last = earlier[-1]
    told = (last.background or "").strip()
    parts = [told] if told else []
    parts.append(
        f"From the {_movement_label(last.movement).lower()} request of "
        f"{last.created_at:%d/%m/%Y}: {last.reasons.strip()}"
    )
    return "\n\n".join(parts)


def _case_for_request(
    s: Session, ws: Workspace, case: Case, exclude: int | None = None
) -> CaseForRequest:
    profile = ws.profile
    try:
        level_name = profile.level(case.level).name
    except KeyError:
        level_name = case.level
    triggers, fixed = trigger_options(profile)
    panels = _upcoming_panels(s, ws)
    open_request = next(
        (r.id for r in case.requests if r.id != exclude and r.status in OPEN_STATUSES), None
    )
    return CaseForRequest(
        case_id=case.id,
        reference=case.reference,
        subject_name=case.subject.full_name,
        date_of_birth=case.subject.date_of_birth,
        team=case.team.name,
        plan=case.plan,
        plan_name=profile.plan_name(case.plan),
        level_name=level_name,
        lead_professional=case.lead_professional,
        allocated_worker=case.allocated_worker.name if case.allocated_worker else None,
        consents=consent_rows(case),
        story=_story(case, profile, exclude),
        background=_background(case, profile, exclude),
        movements=[(m.value, m.label) for m in _MOVEMENTS],
        to_plans=to_plan_options(profile, case.plan),
        triggers=triggers,
        triggers_fixed=fixed,
        panels=[PanelOption(p.id, _panel_label(p, profile), p.starts_at) for p in panels],
        default_panel_id=_default_panel_id(s, ws, panels),
        open_request_id=open_request,
        movement_notes={
            m.value: note for m in _MOVEMENTS if (note := movement_note(profile, case.plan, m))
        },
    )


def _consent_purpose(movement: str) -> str:
    return movement if movement in (Movement.STEP_UP, Movement.STEP_DOWN) else "information_sharing"


def _latest_consent(case: Case, movement: str) -> Consent | None:
    purposes = {_consent_purpose(movement), "information_sharing", movement}
    relevant = [c for c in case.consents if c.purpose in purposes]
    return relevant[-1] if relevant else None


def _consent_row(consent: Consent | None) -> ConsentRow | None:
    if consent is None:
        return None
    return ConsentRow(
        consent.kind, consent.purpose, consent.given_by, consent.given_on, consent.note
    )


def _form_of(request: Request) -> RequestForm:
    consent = request.consent
    return RequestForm(
        movement=request.movement,
        to_plan=request.to_plan,
        reasons=request.reasons,
        background=request.background or "",
        triggers=tuple(request.triggers or ()),
        proposed_lead_professional=request.proposed_lead_professional,
        consent=ConsentInput(consent.kind, consent.given_by, consent.given_on, consent.note or "")
        if consent
        else None,
        without_consent_reason=request.without_consent_reason,
        without_consent_manager=request.without_consent_manager,
        target_panel_id=request.target_panel_id,
        cp_concern=bool(request.cp_concern),
        threshold_uncertain=bool(request.threshold_uncertain),
    )


def _may_edit(actor: Actor, request: Request) -> bool:
    if request.status not in EDITABLE_STATUSES or not allowed(actor, "request.edit"):
        return False
    return actor.role == Role.MANAGER or request.created_by_id in (None, actor.user_id)


def _detail(
    s: Session, ws: Workspace, actor: Actor, request: Request, case: Case | None = None
) -> RequestDetail:
    if case is None:
        case = _load_case(s, request.case_id)
    else:
        # Already loaded in this unit of work: reread only what the change may have touched.
        s.expire(case, ["consents", "requests"])
    s.refresh(request, attribute_names=["attachments", "consent"])
    agenda = _agenda_panels(s, [request.id]).get(request.id)
    transitions = s.scalars(
        select(RequestTransition)
        .where(RequestTransition.request_id == request.id)
        .options(selectinload(RequestTransition.by))
        .order_by(RequestTransition.at, RequestTransition.id)
    ).all()
    findings = evaluate(
        case_facts(case, request.movement), request_proposal(request), ws.profile, ws.today()
    )
    on_file = _latest_consent(case, request.movement)
    return RequestDetail(
        row=_row(ws, request, agenda, _refusals(s, [request]).get(request.id)),
        request=request_view(request, ws.profile),
        case=_case_for_request(s, ws, case, exclude=request.id),
        form=_form_of(request),
        consent_with_request=_consent_row(request.consent),
        consent_on_file=_consent_row(on_file),
        findings=findings,
        transitions=[
            TransitionRow(
                t.at,
                _status_label(t.from_status) if t.from_status else "(new)",
                _status_label(t.to_status),
                t.by.name if t.by else None,
                t.note,
            )
            for t in transitions
        ],
        editable=_may_edit(actor, request),
        can_submit=request.status in EDITABLE_STATUSES and _may_edit(actor, request),
        can_qa=request.status == S.SUBMITTED and allowed(actor, "request.qa"),
        version=request.version_id,
        approve_refused=_own_request(s, ws, actor, request),
    )


def _own_request(s: Session, ws: Workspace, actor: Actor, request: Request) -> str | None:
    """Four eyes on QA: why ``actor`` may not approve a request they created or submitted.

    Submitting counts too: a manager may edit and submit a worker's draft, and then must not
    be the one who QAs it. ``None`` when the actor may approve. A profile may allow self-QA
    (``qa_own_requests = true``), e.g. for a council with one manager.
    """
    if ws.profile.qa_own_requests:
        return None
    submitted_by = s.scalars(
        select(RequestTransition.by_id)
        .where(RequestTransition.request_id == request.id)
        .where(RequestTransition.to_status == S.SUBMITTED.value)
        .order_by(RequestTransition.id.desc())
    ).first()
    if actor.user_id == request.created_by_id:
        did = "created"
    elif actor.user_id == submitted_by:
        did = "submitted"
    else:
        return None
    return (
        f"another manager must QA this request: you {did} it, and QA needs a second pair of "
        "eyes. Ask another manager to approve it (a council may allow self-QA with "
        "qa_own_requests = true in its profile)"
    )


def _editable(s: Session, actor: Actor, request_id: int, version: int | None) -> Request:
    require(actor, "request.edit")
    request = _load_request(s, request_id)
    if version is not None and request.version_id != version:
        raise StepDeskError(
            f"Request no. {request.id} was changed by someone else since it was opened: "
            "close it and open it again to see their changes."
        )
    if request.status not in EDITABLE_STATUSES:
        raise ValidationError(
            "Request",
            f"it is {_status_label(request.status).lower()} and can no longer be changed; "
            "a manager can return it for changes.",
        )
    if not _may_edit(actor, request):
        raise PermissionDeniedError(
            f"{actor.name} may not change a request another worker wrote; ask them or a manager."
        )
    return request
