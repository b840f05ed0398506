"""Step-up / step-down / step-in / step-out requests: drafts written, changed and deleted.

A worker starts a request on a case; the form comes pre-filled from the case so nothing the
family already told us is typed again (C-STORY-ONCE): the current plan, the lead professional,
the latest consent and the story of earlier requests. A draft is saved as it is typed
(:func:`update_draft` accepts whatever is there); :func:`submit_request` is where the form must
be complete. A manager then QA-approves it or returns it with comments (T-FORM-48H).

Every status change goes through :func:`stepdesk.services.transitions.move_request`.

The other jobs around a request have their own modules: the form's data and options
(:mod:`request_forms`), reading (:mod:`request_listing`), review (:mod:`request_review`) and
attachments (:mod:`attachments`). The names ``ui/request_dialog.py`` imports from here are
re-exported below so it keeps working unchanged.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from stepdesk.domain import (
    ConsentKind,
)
from stepdesk.domain import RequestStatus as S
from stepdesk.errors import ValidationError
from stepdesk.persistence.models import (
    Attachment,
    AuditEvent,
    Case,
    Consent,
    Panel,
    Request,
    RequestTransition,
)
from stepdesk.profile import Profile
from stepdesk.services import audit
from stepdesk.services.attachments import add_attachment, attachment_content, remove_attachment
from stepdesk.services.permissions import require
from stepdesk.services.request_forms import (
    _MOVEMENTS,
    OPEN_STATUSES,
    CaseForRequest,
    ConsentInput,
    RequestDetail,
    RequestForm,
    _movement_label,
    _status_label,
    movement_note,
    to_plan_options,
    trigger_options,
)
from stepdesk.services.request_listing import case_for_request, get_request
from stepdesk.services.request_loading import (
    _consent_purpose,
    _default_panel_id,
    _detail,
    _editable,
    _load_case,
)
from stepdesk.services.request_review import submit_request
from stepdesk.services.workspace import Actor, Workspace

# Re-exported for ui/request_dialog.py (being edited by others); new code imports the
# module that does the job.
__all__ = [
    "CaseForRequest",
    "ConsentInput",
    "RequestDetail",
    "RequestForm",
    "add_attachment",
    "attachment_content",
    "case_for_request",
    "create_request",
    "delete_draft",
    "get_request",
    "remove_attachment",
    "submit_request",
    "update_draft",
]


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
