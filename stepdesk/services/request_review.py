"""A request on its way to the panel: submitted, then QA-approved or returned.

A complete form is submitted; a manager approves it or returns it with comments (T-FORM-48H;
four eyes on QA).

Every status change goes through :func:`stepdesk.services.transitions.move_request`.
"""

from __future__ import annotations

from stepdesk.domain import (
    ConsentKind,
    Movement,
)
from stepdesk.domain import RequestStatus as S
from stepdesk.errors import PermissionDeniedError, ValidationError
from stepdesk.persistence.models import (
    Case,
    Request,
)
from stepdesk.services.permissions import require
from stepdesk.services.request_forms import RequestDetail, movement_note
from stepdesk.services.request_loading import (
    _detail,
    _editable,
    _latest_consent,
    _load_case,
    _load_request,
    _own_request,
)
from stepdesk.services.transitions import move_request
from stepdesk.services.workspace import Actor, Workspace


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
