"""Step-up / step-down / step-in / step-out requests: written, QA'd, listed, attached to.

A worker starts a request on a case; the form comes pre-filled from the case so nothing the
family already told us is typed again (C-STORY-ONCE): the current plan, the lead professional,
the latest consent and the story of earlier requests. A draft is saved as it is typed
(:func:`update_draft` accepts whatever is there); :func:`submit_request` is where the form must
be complete. A manager then QA-approves it or returns it with comments (T-FORM-48H).

Every status change goes through :func:`stepdesk.services.transitions.move_request`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from typing import Literal

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.strategy_options import _AbstractLoad

from stepdesk.domain import (
    REFUSALS,
    AttachmentKind,
    ConsentKind,
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
    Attachment,
    AuditEvent,
    Case,
    Consent,
    Decision,
    Panel,
    Request,
    RequestTransition,
    Subject,
    User,
)
from stepdesk.profile import Profile
from stepdesk.rules import Finding, evaluate
from stepdesk.rules.engine import trigger_names
from stepdesk.services import audit
from stepdesk.services.convert import (
    attachment_row,
    case_facts,
    consent_rows,
    request_proposal,
    request_view,
)
from stepdesk.services.loading import case_options
from stepdesk.services.permissions import allowed, require
from stepdesk.services.transitions import move_request
from stepdesk.services.views import AttachmentRow, ConsentRow, RequestView
from stepdesk.services.workspace import Actor, Workspace
from stepdesk.timescales import Clock, Deadline, Rag

# C-TRIGGERS (seed 000): offered when the profile names no triggers of its own.
DEFAULT_TRIGGERS = (
    "Change in health or mental wellbeing",
    "Significant life event or transition",
    "Increased independence or skills",
)
# Requests still on their way: a case has at most one of these at a time.
OPEN_STATUSES = (S.DRAFT, S.SUBMITTED, S.RETURNED, S.QA_APPROVED, S.ON_AGENDA, S.DEFERRED)
EDITABLE_STATUSES = (S.DRAFT, S.RETURNED)
MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
_MOVEMENTS = (Movement.STEP_UP, Movement.STEP_DOWN, Movement.STEP_IN, Movement.STEP_OUT)

Scope = Literal["mine", "qa", "all"]


# Plain data handed to the GUI.
@dataclass(frozen=True)
class ConsentInput:
    """Consent typed on the form: how it was given (kind), by whom, when, and any detail."""

    kind: str
    given_by: str
    given_on: dt.date
    how: str = ""


@dataclass(frozen=True)
class RequestForm:
    """What the request form holds. A draft may be incomplete; submitting checks it."""

    movement: str
    to_plan: str
    reasons: str = ""
    background: str = ""
    triggers: tuple[str, ...] = ()
    proposed_lead_professional: str | None = None
    consent: ConsentInput | None = None  # None: rely on the consent already on file
    without_consent_reason: str | None = None
    without_consent_manager: str | None = None
    target_panel_id: int | None = None
    cp_concern: bool = False  # C-CP-IMMEDIATE: refer at once, not via a panel
    threshold_uncertain: bool = False  # C-MAPPING: a mapping exercise at the meeting


@dataclass(frozen=True)
class StoryEntry:
    """An earlier request on the case: what was asked, why, and where it got to."""

    request_id: int
    created_at: dt.datetime
    movement_label: str
    to_plan_name: str
    reasons: str
    status_label: str


@dataclass(frozen=True)
class PanelOption:
    """A planned panel a request can aim for."""

    id: int
    label: str
    starts_at: dt.datetime


@dataclass(frozen=True)
class CaseOption:
    """A case found by name, case reference or date of birth."""

    id: int
    reference: str
    subject_name: str
    date_of_birth: dt.date | None
    plan_name: str
    team: str

    @property
    def label(self) -> str:
        """``CASE-0001 · Ava Smith (born 01/02/2015) · Child in Need plan · Team``."""
        born = f" (born {self.date_of_birth:%d/%m/%Y})" if self.date_of_birth else ""
        return f"{self.reference} · {self.subject_name}{born} · {self.plan_name} · {self.team}"


@dataclass(frozen=True)
class CaseForRequest:
    """A case as the request form shows it, with everything it pre-fills from."""

    case_id: int
    reference: str
    subject_name: str
    date_of_birth: dt.date | None
    team: str
    plan: str
    plan_name: str
    level_name: str
    lead_professional: str | None
    allocated_worker: str | None
    consents: list[ConsentRow]
    story: list[StoryEntry]
    background: str
    movements: list[tuple[str, str]]
    to_plans: dict[str, list[tuple[str, str]]]
    triggers: tuple[tuple[str, str], ...]  # (code stored, name shown)
    triggers_fixed: bool
    panels: list[PanelOption]
    default_panel_id: int | None
    open_request_id: int | None
    # Why a movement offers no plan to go to (e.g. a step-down on a case with no plan).
    movement_notes: dict[str, str] = field(default_factory=dict)

    def suggested_form(self, movement: str) -> RequestForm:
        """The form as it opens for ``movement``: nothing already known is typed again."""
        plans = self.to_plans.get(movement) or [(self.plan, self.plan_name)]
        return RequestForm(
            movement=movement,
            to_plan=plans[0][0],
            background=self.background,
            proposed_lead_professional=self.lead_professional,
            target_panel_id=self.default_panel_id,
        )


@dataclass(frozen=True)
class RequestRow:
    """One line of the requests list, with its T-FORM-48H deadline."""

    id: int
    case_id: int
    case_reference: str
    subject_name: str
    movement_label: str
    from_plan_name: str
    to_plan_name: str
    status: str
    status_label: str
    created_by: str | None
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    panel_label: str | None
    form_deadline: Deadline | None
    rag: Rag | None


@dataclass(frozen=True)
class TransitionRow:
    """One move of the request: when, from, to, who and why."""

    at: dt.datetime
    from_label: str
    to_label: str
    by: str | None
    note: str | None


@dataclass(frozen=True)
class RequestDetail:
    """A request opened: the form's values, the case, findings, history and what may be done."""

    row: RequestRow
    request: RequestView
    case: CaseForRequest
    form: RequestForm
    consent_with_request: ConsentRow | None
    consent_on_file: ConsentRow | None
    findings: list[Finding]
    transitions: list[TransitionRow]
    editable: bool
    can_submit: bool
    can_qa: bool
    version: int
    # Four eyes: why this actor may not QA-approve it (they wrote it), else ``None``.
    approve_refused: str | None = None


# Helpers.
def trigger_options(profile: Profile) -> tuple[tuple[tuple[str, str], ...], bool]:
    """The triggers to offer as ``(code, name)`` and whether they are a fixed list.

    A profile whose C-TRIGGERS rule applies and lists triggers fixes them (the request stores
    the codes); otherwise the C-TRIGGERS suggestions of seed 000 are offered and any other
    trigger may be typed.
    """
    setting = profile.rules.get("C-TRIGGERS")
    if setting is not None and setting.applies:
        names = trigger_names(setting.params)
        if names:
            return tuple(names.items()), True
    return tuple((t, t) for t in DEFAULT_TRIGGERS), False


def _status_label(status: str) -> str:
    try:
        return S(status).label
    except ValueError:
        return status


def _movement_label(code: str) -> str:
    try:
        return Movement(code).label
    except ValueError:
        return code


def to_plan_options(profile: Profile, from_plan: str) -> dict[str, list[tuple[str, str]]]:
    """Plans each movement may go to from ``from_plan``.

    Up is more intensive, down less; step in / out stay on the same plan.

    Intensity is the level's rank, then the plan's place in the profile (a Child Protection
    plan is listed after Child in Need at the same level, so CP to CIN is a step down).
    """
    order = {p.code: (profile.plan_rank(p.code), i) for i, p in enumerate(profile.plans)}
    here = order.get(from_plan, (0, -1))
    options: dict[str, list[tuple[str, str]]] = {}
    for movement in _MOVEMENTS:
        if movement in (Movement.STEP_IN, Movement.STEP_OUT):
            options[movement] = [(from_plan, profile.plan_name(from_plan))]
            continue
        up = movement == Movement.STEP_UP
        plans = [p for p in profile.plans if (order[p.code] > here if up else order[p.code] < here)]
        # Nearest first: the usual step is to the next plan along.
        plans.sort(key=lambda p: abs(order[p.code][1] - here[1]))
        options[movement] = [(p.code, p.name) for p in plans]
    return options


def has_plan(profile: Profile, plan: str | None) -> bool:
    """Whether ``plan`` is a current plan of the profile (not empty, not an unknown code)."""
    try:
        profile.plan(plan or "")
    except KeyError:
        return False
    return True


def movement_note(profile: Profile, from_plan: str | None, movement: str) -> str | None:
    """Why ``movement`` cannot start from ``from_plan`` (no plan to go to), else ``None``.

    A case with no current plan has nothing to step down from; one on the least intensive
    plan has nothing below it.
    """
    if movement != Movement.STEP_DOWN or to_plan_options(profile, from_plan or "")[movement]:
        return None
    if not has_plan(profile, from_plan):
        return (
            "this case has no current plan, so there is nothing to step down from: choose "
            "step up or step in instead, or record the case's current plan first."
        )
    return (
        f"{profile.plan_name(from_plan or '')} is the least intensive plan, so there is nothing "
        "to step down to: choose step up instead, or close the case."
    )


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


def _check_codes(profile: Profile, case_plan: str, form: RequestForm) -> None:
    if form.movement not in [m.value for m in _MOVEMENTS]:
        options = ", ".join(m.label.lower() for m in _MOVEMENTS)
        raise ValidationError("Movement", f"'{form.movement}' is not one of: {options}.")
    note = movement_note(profile, case_plan, form.movement)
    if note is not None:
        raise ValidationError("Movement", note)
    allowed_plans = to_plan_options(profile, case_plan)[form.movement]
    if form.to_plan not in [code for code, _ in allowed_plans]:
        names = ", ".join(name for _, name in allowed_plans) or "none: choose another movement"
        raise ValidationError(
            "Move to",
            f"a {_movement_label(form.movement).lower()} from "
            f"{profile.plan_name(case_plan)} can go to: {names}.",
        )


def _clean_triggers(profile: Profile, triggers: tuple[str, ...]) -> list[str]:
    options, fixed = trigger_options(profile)
    by_name = {name: code for code, name in options}
    codes = {code for code, _ in options}
    cleaned: list[str] = []
    for trigger in (t.strip() for t in triggers):
        trigger = by_name.get(trigger, trigger)  # a name typed is stored as its code
        if not trigger or trigger in cleaned:
            continue
        if fixed and trigger not in codes:
            names = ", ".join(name for _, name in options)
            raise ValidationError(
                "Triggers", f"'{trigger}' is not in this protocol's list: {names}."
            )
        cleaned.append(trigger)
    return cleaned


def _apply(
    s: Session, ws: Workspace, actor: Actor, request: Request, case: Case, form: RequestForm
) -> None:
    """Write the form onto a request (lenient: a draft may be incomplete)."""
    _check_codes(ws.profile, request.from_plan, form)
    request.movement = form.movement
    request.to_plan = form.to_plan
    request.reasons = form.reasons
    request.background = form.background or None
    request.triggers = _clean_triggers(ws.profile, form.triggers)
    request.proposed_lead_professional = (form.proposed_lead_professional or "").strip() or None
    request.without_consent_reason = (form.without_consent_reason or "").strip() or None
    request.without_consent_manager = (form.without_consent_manager or "").strip() or None
    request.cp_concern = form.cp_concern
    request.threshold_uncertain = form.threshold_uncertain
    if form.target_panel_id is None:
        # No choice made: the soonest panel whose T-FORM-48H has not passed.
        request.target_panel_id = _default_panel_id(s, ws)
    elif s.get(Panel, form.target_panel_id) is None:
        raise ValidationError("Panel", f"no panel with id {form.target_panel_id}: choose another.")
    else:
        request.target_panel_id = form.target_panel_id
    consent = form.consent
    if consent is None:
        if request.consent is not None:
            # Consent typed on this draft and then cleared: it was never more than the draft's.
            old = request.consent
            request.consent = None
            s.flush()
            s.delete(old)
        return
    if consent.kind not in [k.value for k in ConsentKind]:
        options = ", ".join(k.value for k in ConsentKind)
        raise ValidationError("Consent: how", f"'{consent.kind}' is not one of: {options}.")
    record = request.consent
    if record is None:
        record = Consent(case=case, recorded_by_id=actor.user_id)
        s.add(record)
        request.consent = record
    record.kind = consent.kind
    record.purpose = _consent_purpose(form.movement)
    record.given_by = consent.given_by.strip()
    record.given_on = consent.given_on
    record.note = consent.how.strip() or None


def _check_complete(ws: Workspace, request: Request, case: Case) -> None:
    """What must be on the form before it goes to the manager; each names its fix."""
    note = movement_note(ws.profile, request.from_plan, request.movement)
    if note is not None:
        raise ValidationError("Movement", note)
    if len(request.reasons.strip()) < 20:
        raise ValidationError(
            "Reasons",
            "say why the case should move, in a sentence or more (at least 20 characters).",
        )
    consent = request.consent
    if consent is not None:
        if not consent.given_by.strip():
            raise ValidationError("Consent: given by", "name who gave (or declined) consent.")
        if consent.given_on > ws.today():
            raise ValidationError(
                "Consent: date",
                f"{consent.given_on:%d/%m/%Y} is after today; enter the day it was given.",
            )
    if (
        request.movement == Movement.STEP_DOWN
        and not request.proposed_lead_professional
        and not case.lead_professional
    ):
        raise ValidationError(
            "Lead Professional",
            "name who takes over after the step-down (C-LEAD-PROFESSIONAL); if none was "
            "negotiated, the original referrer is the Lead Professional.",
        )
    reason = (request.without_consent_reason or "").strip()
    manager = (request.without_consent_manager or "").strip()
    if bool(reason) != bool(manager):
        missing = "line manager's name" if reason else "reason"
        raise ValidationError(
            "Proceeding without consent",
            f"give the {missing} as well (C-CONSENT-UP): both are recorded together.",
        )
    if request.movement == Movement.STEP_UP:
        latest = _latest_consent(case, request.movement)
        has_consent = latest is not None and latest.kind != ConsentKind.DECLINED
        if not has_consent and not reason:
            raise ValidationError(
                "Consent",
                "record the family's consent (who, when, how), or proceed without it by "
                "giving the line manager's name and the reason (C-CONSENT-UP).",
            )


# Reading.
def find_cases(ws: Workspace, actor: Actor, text: str, limit: int = 30) -> list[CaseOption]:
    """Open cases whose subject's name, case reference or date of birth matches ``text``."""
    require(actor, "case.view")
    text = text.strip()
    if not text:
        return []
    with ws.db.session() as s:
        query = (
            select(Case)
            .join(Subject, Case.subject_id == Subject.id)
            .where(Case.closed_on.is_(None))
            .options(selectinload(Case.subject), selectinload(Case.team))
        )
        try:
            born = dt.datetime.strptime(text, "%d/%m/%Y").date()
        except ValueError:
            born = None
        if born is not None:
            query = query.where(Subject.date_of_birth == born)
        else:
            conditions = [func.lower(Case.reference).contains(text.lower())]
            words = text.lower().split()
            name = func.lower(Subject.given_name + " " + Subject.family_name)
            conditions.append(
                name.contains(" ".join(words))
                if len(words) > 1
                else or_(
                    func.lower(Subject.given_name).startswith(words[0]),
                    func.lower(Subject.family_name).startswith(words[0]),
                )
            )
            query = query.where(or_(*conditions))
        cases = s.scalars(
            query.order_by(Subject.family_name, Subject.given_name).limit(limit)
        ).all()
        return [
            CaseOption(
                c.id,
                c.reference,
                c.subject.full_name,
                c.subject.date_of_birth,
                ws.profile.plan_name(c.plan),
                c.team.name,
            )
            for c in cases
        ]


def case_for_request(ws: Workspace, actor: Actor, case_id: int) -> CaseForRequest:
    """What a new request on a case starts from (C-STORY-ONCE)."""
    require(actor, "case.view")
    with ws.db.session() as s:
        return _case_for_request(s, ws, _load_case(s, case_id))


def list_requests(ws: Workspace, actor: Actor, scope: Scope = "all") -> list[RequestRow]:
    """Requests newest first: ``mine`` (written by or allocated to me), ``qa`` or ``all``.

    ``qa`` is the requests submitted and waiting for a manager: for a manager with a team,
    those on that team's cases; for one without (an Operations Manager), every team's.
    """
    require(actor, "case.view")
    with ws.db.session() as s:
        query = select(Request).join(Case, Request.case_id == Case.id)
        if scope == "mine":
            query = query.where(
                or_(
                    Request.created_by_id == actor.user_id,
                    Case.allocated_worker_id == actor.user_id,
                )
            )
        elif scope == "qa":
            query = query.where(Request.status == S.SUBMITTED)
            me = s.get(User, actor.user_id) if actor.user_id is not None else None
            if me is not None and me.team_id is not None:
                query = query.where(Case.team_id == me.team_id)
        elif scope != "all":
            raise ValidationError("Show", f"'{scope}' is not one of: mine, qa, all.")
        requests = s.scalars(
            query.options(*_request_options()).order_by(
                Request.created_at.desc(), Request.id.desc()
            )
        ).all()
        panels = _agenda_panels(s, [r.id for r in requests])
        refused = _refusals(s, list(requests))
        return [_row(ws, r, panels.get(r.id), refused.get(r.id)) for r in requests]


def get_request(ws: Workspace, actor: Actor, request_id: int) -> RequestDetail:
    """One request with its case, findings and history. Audited as a view of the case."""
    require(actor, "case.view")
    with ws.db.session() as s:
        request = _load_request(s, request_id)
        audit.record(s, ws, actor, "view", "request", request.id)
        return _detail(s, ws, actor, request)


def attachment_content(ws: Workspace, actor: Actor, attachment_id: int) -> tuple[str, bytes]:
    """An attachment's file name and bytes, checked against its stored hash. Audited."""
    require(actor, "case.view")
    with ws.db.session() as s:
        att = s.get(Attachment, attachment_id)
        if att is None:
            raise NotFoundError(f"No attachment with id {attachment_id}.")
        content = att.content or b""
        if att.sha256 and hashlib.sha256(content).hexdigest() != att.sha256:
            raise StepDeskError(
                f"The stored copy of '{att.title}' does not match its fingerprint (SHA-256): "
                "it may be damaged. Ask the worker to attach it again."
            )
        audit.record(s, ws, actor, "open", "attachment", att.id, request=att.request_id)
        name = att.filename or f"{att.title}.bin"
        return name, content


# Changing.
def create_request(ws: Workspace, actor: Actor, case_id: int, form: RequestForm) -> RequestDetail:
    """Start a draft request on a case. One open request per case at a time."""
    require(actor, "request.edit")
    with ws.db.session() as s:
        case = _load_case(s, case_id)
        if case.closed_on is not None:
            raise ValidationError(
                "Case",
                f"{case.reference} was closed on {case.closed_on:%d/%m/%Y}: reopen it first.",
            )
        existing = next((r for r in case.requests if r.status in OPEN_STATUSES), None)
        if existing is not None:
            raise ValidationError(
                "Case",
                f"{case.reference} already has an open {_movement_label(existing.movement).lower()}"
                f" request (no. {existing.id}, {_status_label(existing.status).lower()}): "
                "open that one instead.",
            )
        request = Request(
            case=case,
            movement=form.movement,
            from_plan=case.plan,
            to_plan=form.to_plan,
            reasons="",
            triggers=[],
            status=S.DRAFT,
            created_by_id=actor.user_id,
            created_at=ws.now(),
        )
        s.add(request)
        _apply(s, ws, actor, request, case, form)
        s.flush()
        s.add(
            RequestTransition(
                request_id=request.id, to_status=S.DRAFT, at=ws.now(), by_id=actor.user_id
            )
        )
        audit.record(s, ws, actor, "create", "request", request.id, case=case.reference)
        return _detail(s, ws, actor, request)


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


def update_draft(
    ws: Workspace, actor: Actor, request_id: int, form: RequestForm, version: int | None = None
) -> RequestDetail:
    """Save the form as it is typed (a draft or returned request).

    Nothing typed is refused for being incomplete: that is checked on submitting.
    """
    with ws.db.session() as s:
        request = _editable(s, actor, request_id, version)
        case = _load_case(s, request.case_id)
        before = _snapshot(request)
        _apply(s, ws, actor, request, case, form)
        s.flush()
        _audit_edit(s, ws, actor, request, before)
        return _detail(s, ws, actor, request, case)


# Autosaves of one person's edit session are audited once per field: the trail names each
# field they changed (when it first changed), not every keystroke's save. A session ends
# after this long without an audited change, or when anything else is audited on the request.
EDIT_SESSION = dt.timedelta(minutes=30)


def _snapshot(request: Request) -> dict[str, object]:
    """The request's form fields as they stand, to see which ones an autosave changed."""
    consent = request.consent
    return {
        "movement": request.movement,
        "to_plan": request.to_plan,
        "reasons": request.reasons,
        "background": request.background,
        "triggers": tuple(request.triggers or ()),
        "proposed_lead_professional": request.proposed_lead_professional,
        "without_consent": (request.without_consent_reason, request.without_consent_manager),
        "cp_concern": request.cp_concern,
        "threshold_uncertain": request.threshold_uncertain,
        "target_panel": request.target_panel_id,
        "consent": (
            (consent.kind, consent.given_by, consent.given_on, consent.note) if consent else None
        ),
    }


def _audit_edit(
    s: Session, ws: Workspace, actor: Actor, request: Request, before: dict[str, object]
) -> None:
    """Audit an autosave if it changed a field not yet recorded in this edit session."""
    after = _snapshot(request)
    changed = {key for key in after if after[key] != before[key]}
    if not changed:
        return  # nothing changed: nothing happened worth a line
    recent = s.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.entity == "request",
            AuditEvent.entity_id == request.id,
            AuditEvent.at >= ws.now() - EDIT_SESSION,
        )
        .order_by(AuditEvent.id.desc())
    ).all()
    noted: set[str] = set()
    for event in recent:  # newest first: this person's run of autosave events
        if event.action != "change" or event.user_id != actor.user_id:
            break
        noted.update(event.detail.get("fields", ()))
    new = sorted(changed - noted)
    if new:
        audit.record(s, ws, actor, "change", "request", request.id, fields=new)


def delete_draft(ws: Workspace, actor: Actor, request_id: int) -> None:
    """Throw away a draft never submitted (with the consent typed on it)."""
    with ws.db.session() as s:
        request = _editable(s, actor, request_id, None)
        if request.status != S.DRAFT or request.submitted_at is not None:
            raise ValidationError("Request", "only a draft never submitted can be deleted.")
        consent = request.consent
        s.execute(delete(Attachment).where(Attachment.request_id == request.id))
        s.execute(delete(RequestTransition).where(RequestTransition.request_id == request.id))
        s.expire(request, ["attachments"])
        s.delete(request)
        s.flush()
        if consent is not None:
            s.delete(consent)
        audit.record(s, ws, actor, "delete", "request", request_id)


def add_attachment(
    ws: Workspace,
    actor: Actor,
    request_id: int,
    kind: str,
    filename: str,
    content: bytes,
    title: str = "",
) -> AttachmentRow:
    """Store a file with the request, in the database with its SHA-256 (C-EVIDENCE)."""
    if kind not in [k.value for k in AttachmentKind]:
        options = ", ".join(k.label for k in AttachmentKind)
        raise ValidationError("Document kind", f"'{kind}' is not one of: {options}.")
    if not content:
        raise ValidationError("File", f"'{filename}' is empty: choose the saved document.")
    if len(content) > MAX_ATTACHMENT_BYTES:
        size = len(content) / 1024 / 1024
        raise ValidationError(
            "File",
            f"'{filename}' is {size:.0f} MB; the limit is "
            f"{MAX_ATTACHMENT_BYTES // 1024 // 1024} MB. Save a smaller copy (PDF) and "
            "attach that.",
        )
    with ws.db.session() as s:
        request = _editable(s, actor, request_id, None)
        stem = filename.rsplit(".", 1)[0] if "." in filename else filename
        att = Attachment(
            request_id=request.id,
            kind=kind,
            title=title.strip() or stem or AttachmentKind(kind).label,
            filename=filename,
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            added_at=ws.now(),
        )
        s.add(att)
        s.flush()
        audit.record(
            s, ws, actor, "attach", "request", request.id, attachment=att.id, sha256=att.sha256
        )
        return attachment_row(att)


def remove_attachment(ws: Workspace, actor: Actor, attachment_id: int) -> None:
    """Take an attachment off a draft or returned request."""
    with ws.db.session() as s:
        att = s.get(Attachment, attachment_id)
        if att is None:
            raise NotFoundError(f"No attachment with id {attachment_id}.")
        _editable(s, actor, att.request_id, None)
        s.delete(att)
        audit.record(s, ws, actor, "detach", "request", att.request_id, attachment=attachment_id)


def submit_request(ws: Workspace, actor: Actor, request_id: int) -> RequestDetail:
    """Send a complete draft (or a returned request) to the manager for QA (T-FORM-48H)."""
    with ws.db.session() as s:
        request = _editable(s, actor, request_id, None)
        case = _load_case(s, request.case_id)
        _check_complete(ws, request, case)
        move_request(s, ws, actor, request, S.SUBMITTED)
        request.submitted_at = ws.now()
        s.flush()
        return _detail(s, ws, actor, request)


def qa_approve(ws: Workspace, actor: Actor, request_id: int, comment: str = "") -> RequestDetail:
    """A manager's QA: the form is fit for the panel (T-AGENDA-24H counts from here).

    Raises:
        PermissionDeniedError: not a manager, or the manager created the request themselves
            (four eyes; unless the profile sets ``qa_own_requests = true``).
    """
    require(actor, "request.qa")
    with ws.db.session() as s:
        request = _load_request(s, request_id)
        refused = _own_request(s, ws, actor, request)
        if refused is not None:
            raise PermissionDeniedError(f"{actor.name}: {refused}.")
        move_request(s, ws, actor, request, S.QA_APPROVED, comment.strip() or None)
        request.qa_by_id = actor.user_id
        request.qa_at = ws.now()
        request.qa_comment = comment.strip() or None
        s.flush()
        return _detail(s, ws, actor, request)


def qa_return(ws: Workspace, actor: Actor, request_id: int, comment: str) -> RequestDetail:
    """A manager returns the request to the worker, saying what to change."""
    require(actor, "request.qa")
    if len(comment.strip()) < 5:
        raise ValidationError("Comments", "say what the worker should change before resubmitting.")
    with ws.db.session() as s:
        request = _load_request(s, request_id)
        move_request(s, ws, actor, request, S.RETURNED, comment.strip())
        request.qa_by_id = actor.user_id
        request.qa_at = ws.now()
        request.qa_comment = comment.strip()
        s.flush()
        return _detail(s, ws, actor, request)
