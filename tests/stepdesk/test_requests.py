"""Requests: pre-filled from the case, drafts saved as typed, submitted, QA'd, attached to."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import select

from stepdesk.errors import PermissionDeniedError, StepDeskError, ValidationError
from stepdesk.lifecycle import IllegalMoveError
from stepdesk.persistence.models import Attachment, AuditEvent, Consent, Request, RequestTransition
from stepdesk.services import Actor, Workspace
from stepdesk.services.attachments import add_attachment, attachment_content
from stepdesk.services.people import actor_for
from stepdesk.services.request_forms import ConsentInput, RequestForm, to_plan_options
from stepdesk.services.request_listing import (
    case_for_request,
    find_cases,
    get_request,
    list_requests,
)
from stepdesk.services.request_review import qa_approve, qa_return, submit_request
from stepdesk.services.requests import create_request, delete_draft, update_draft
from tests.conftest import TODAY

# Demo (seed 1): case 5 is Maureen Lefèvre on Early Help with an earlier, decided request
# and a lead professional; users 13 (a worker) and 6 (the manager of the case's team).
CASE = 5
WORKER = 13
OTHER_WORKER = 14
MANAGER = 6


@pytest.fixture
def worker(demo_ws: Workspace) -> Actor:
    return actor_for(demo_ws, WORKER)


@pytest.fixture
def manager(demo_ws: Workspace) -> Actor:
    return actor_for(demo_ws, MANAGER)


def _step_up(**changes: object) -> RequestForm:
    base = {
        "movement": "step_up",
        "to_plan": "cin",
        "reasons": "Neglect concerns increasing despite TAF support; school attendance 61%.",
        "triggers": ("Significant life event or transition",),
        "consent": ConsentInput("signed", "Ana Lefèvre (mother)", TODAY, "Signed form, home visit"),
    }
    base.update(changes)
    return RequestForm(**base)  # type: ignore[arg-type]


def test_the_form_prefills_from_the_case(demo_ws: Workspace, worker: Actor) -> None:
    case = case_for_request(demo_ws, worker, CASE)
    assert case.plan == "early_help"
    assert case.lead_professional == "School nurse (Hobbs)"
    assert [c.purpose for c in case.consents] == ["step_down", "step_up"]
    # C-STORY-ONCE: the earlier request's reasons are carried, not typed again.
    assert case.story and case.story[0].reasons in case.background
    assert case.background.startswith("From the ")
    form = case.suggested_form("step_up")
    assert form.to_plan == "cin"  # the next plan up
    assert form.proposed_lead_professional == "School nurse (Hobbs)"
    assert form.background == case.background
    assert form.target_panel_id == 2  # the soonest panel whose T-FORM-48H has not passed
    assert case.open_request_id is None


def test_plan_choices_follow_the_movement(demo_ws: Workspace) -> None:
    options = to_plan_options(demo_ws.profile, "cp")
    assert [code for code, _ in options["step_down"]][:1] == ["cin"]  # CP steps down to CIN
    assert [code for code, _ in options["step_up"]] == ["looked_after"]
    assert options["step_in"] == [("cp", "Child Protection plan")]


def test_create_update_submit_approve(demo_ws: Workspace, worker: Actor, manager: Actor) -> None:
    draft = create_request(demo_ws, worker, CASE, RequestForm("step_up", "cin"))
    assert draft.request.status == "draft" and draft.editable
    assert draft.row.form_deadline is not None
    assert draft.row.form_deadline.rule == "T-FORM-48H"
    assert draft.row.rag is not None

    # Saved as typed: an incomplete draft is accepted.
    saved = update_draft(demo_ws, worker, draft.request.id, _step_up(), version=draft.version)
    assert saved.request.reasons.startswith("Neglect")
    assert saved.consent_with_request is not None
    assert saved.consent_with_request.given_by == "Ana Lefèvre (mother)"
    assert saved.request.triggers == ["Significant life event or transition"]

    # A stale version is refused with what to do.
    with pytest.raises(StepDeskError, match="open it again"):
        update_draft(demo_ws, worker, draft.request.id, _step_up(), version=draft.version)

    submitted = submit_request(demo_ws, worker, draft.request.id)
    assert submitted.request.status == "submitted" and not submitted.editable
    assert submitted.row.form_deadline is not None and submitted.row.form_deadline.done

    # A worker may not QA, not even their own request.
    with pytest.raises((PermissionDeniedError, IllegalMoveError)):
        qa_approve(demo_ws, worker, draft.request.id)
    assert [r.id for r in list_requests(demo_ws, manager, "qa")] == [draft.request.id]

    approved = qa_approve(demo_ws, manager, draft.request.id, "Form complete.")
    assert approved.request.status == "qa_approved"
    assert approved.request.qa_by == manager.name
    with demo_ws.db.session() as s:
        moves = s.scalars(
            select(RequestTransition.to_status)
            .where(RequestTransition.request_id == draft.request.id)
            .order_by(RequestTransition.id)
        ).all()
        assert moves == ["draft", "submitted", "qa_approved"]
        consent = s.scalars(select(Consent).where(Consent.given_by == "Ana Lefèvre (mother)")).one()
        assert consent.case_id == CASE and consent.purpose == "step_up"
        assert consent.note == "Signed form, home visit"


def test_return_with_comments_and_resubmit(
    demo_ws: Workspace, worker: Actor, manager: Actor
) -> None:
    rid = create_request(demo_ws, worker, CASE, _step_up()).request.id
    submit_request(demo_ws, worker, rid)
    with pytest.raises(ValidationError, match="Comments"):
        qa_return(demo_ws, manager, rid, "")
    returned = qa_return(demo_ws, manager, rid, "Attach the Graded Care Profile, please.")
    assert returned.request.status == "returned"
    assert returned.request.qa_comment == "Attach the Graded Care Profile, please."
    assert returned.transitions[-1].note == "Attach the Graded Care Profile, please."
    assert returned.editable  # back with the worker
    assert submit_request(demo_ws, worker, rid).request.status == "submitted"


def test_submit_names_what_is_missing(demo_ws: Workspace, worker: Actor) -> None:
    rid = create_request(demo_ws, worker, 6, RequestForm("step_up", "cin")).request.id
    with pytest.raises(ValidationError, match=r"^Reasons:"):
        submit_request(demo_ws, worker, rid)
    # Case 6 has no consent on file: C-CONSENT-UP.
    update_draft(demo_ws, worker, rid, _step_up(consent=None))
    with pytest.raises(ValidationError, match="C-CONSENT-UP") as error:
        submit_request(demo_ws, worker, rid)
    assert error.value.field == "Consent"
    # Half of "proceeding without consent" is not enough.
    update_draft(demo_ws, worker, rid, _step_up(consent=None, without_consent_reason="Risk"))
    with pytest.raises(ValidationError, match="line manager's name"):
        submit_request(demo_ws, worker, rid)
    update_draft(
        demo_ws,
        worker,
        rid,
        _step_up(
            consent=None,
            without_consent_reason="Asking would raise the risk of significant harm.",
            without_consent_manager="Neil Jones",
        ),
    )
    assert submit_request(demo_ws, worker, rid).request.without_consent_manager == "Neil Jones"


def test_consent_in_the_future_is_refused_on_submit(demo_ws: Workspace, worker: Actor) -> None:
    late = ConsentInput("signed", "Ana Lefèvre", TODAY + dt.timedelta(days=3))
    rid = create_request(demo_ws, worker, CASE, _step_up(consent=late)).request.id
    with pytest.raises(ValidationError, match="after today"):
        submit_request(demo_ws, worker, rid)


def test_one_open_request_per_case(demo_ws: Workspace, worker: Actor) -> None:
    first = create_request(demo_ws, worker, CASE, _step_up())
    with pytest.raises(ValidationError, match="already has an open step up request"):
        create_request(demo_ws, worker, CASE, _step_up())
    assert case_for_request(demo_ws, worker, CASE).open_request_id == first.request.id


def test_movement_and_plan_are_checked(demo_ws: Workspace, worker: Actor) -> None:
    with pytest.raises(ValidationError, match=r"^Move to:.*Child in Need plan"):
        create_request(demo_ws, worker, CASE, RequestForm("step_up", "universal"))
    with pytest.raises(ValidationError, match=r"^Movement:"):
        create_request(demo_ws, worker, CASE, RequestForm("sideways", "cin"))


def test_another_worker_cannot_change_my_draft(demo_ws: Workspace, worker: Actor) -> None:
    rid = create_request(demo_ws, worker, CASE, _step_up()).request.id
    other = actor_for(demo_ws, OTHER_WORKER)
    with pytest.raises(PermissionDeniedError):
        update_draft(demo_ws, other, rid, _step_up(reasons="Something else entirely here."))


def test_attachments_are_stored_with_their_hash(demo_ws: Workspace, worker: Actor) -> None:
    rid = create_request(demo_ws, worker, CASE, _step_up()).request.id
    before = get_request(demo_ws, worker, rid)
    assert any(f.rule == "C-EVIDENCE" for f in before.findings)
    content = b"%PDF-1.4 synthetic Graded Care Profile"
    row = add_attachment(demo_ws, worker, rid, "evidence_tool", "gcp2.pdf", content)
    assert row.sha256 == hashlib.sha256(content).hexdigest()
    assert row.title == "gcp2" and row.size == len(content)
    after = get_request(demo_ws, worker, rid)
    assert not any(f.rule == "C-EVIDENCE" for f in after.findings)
    assert attachment_content(demo_ws, worker, row.id) == ("gcp2.pdf", content)
    with pytest.raises(ValidationError, match=r"^File:.*empty"):
        add_attachment(demo_ws, worker, rid, "evidence_tool", "blank.pdf", b"")
    with pytest.raises(ValidationError, match=r"^Document kind:"):
        add_attachment(demo_ws, worker, rid, "selfie", "x.jpg", b"x")
    # A damaged copy is noticed, not opened.
    with demo_ws.db.session() as s:
        s.get_one(Attachment, row.id).content = b"tampered"
    with pytest.raises(StepDeskError, match="fingerprint"):
        attachment_content(demo_ws, worker, row.id)


def test_lists_carry_the_form_deadline(demo_ws: Workspace, worker: Actor) -> None:
    rid = create_request(demo_ws, worker, CASE, _step_up()).request.id
    mine = list_requests(demo_ws, worker, "mine")
    assert rid in [r.id for r in mine]
    everything = list_requests(demo_ws, worker, "all")
    assert len(everything) > len(mine)
    on_agenda = next(r for r in everything if r.status == "on_agenda")
    assert on_agenda.panel_label is not None and on_agenda.form_deadline is not None
    with pytest.raises(ValidationError, match=r"^Show:"):
        list_requests(demo_ws, worker, "theirs")  # type: ignore[arg-type]


def test_delete_draft_takes_its_consent(demo_ws: Workspace, worker: Actor) -> None:
    rid = create_request(demo_ws, worker, CASE, _step_up()).request.id
    delete_draft(demo_ws, worker, rid)
    with demo_ws.db.session() as s:
        assert s.get(Request, rid) is None
        assert s.scalars(select(Consent).where(Consent.given_by.like("Ana%"))).first() is None
        assert s.scalars(
            select(AuditEvent).where(AuditEvent.entity == "request", AuditEvent.action == "delete")
        ).first()


def test_find_cases_by_name_reference_or_birthday(demo_ws: Workspace, worker: Actor) -> None:
    by_name = find_cases(demo_ws, worker, "maureen lef")
    assert [c.id for c in by_name] == [CASE]
    assert [c.id for c in find_cases(demo_ws, worker, "c-100185")] == [CASE]
    born = by_name[0].date_of_birth
    assert born is not None
    assert CASE in [c.id for c in find_cases(demo_ws, worker, f"{born:%d/%m/%Y}")]
    assert find_cases(demo_ws, worker, "  ") == []


def test_triggers_come_from_the_profile_when_it_lists_them() -> None:
    from stepdesk.profile import load_profile
    from stepdesk.services.request_forms import trigger_options
    from stepdesk.services.requests import _clean_triggers

    children = load_profile()
    options, fixed = trigger_options(children)  # C-TRIGGERS does not apply: suggestions only
    assert not fixed and ("Increased independence or skills",) * 2 in options
    assert _clean_triggers(children, ("Anything the worker types", "")) == [
        "Anything the worker types"
    ]
    adults = load_profile("learning-disability")
    options, fixed = trigger_options(adults)
    assert fixed and ("health", "Change in health or mental wellbeing") in options
    # Chosen by name or code, stored as the code the rules engine checks.
    assert _clean_triggers(adults, ("Change in health or mental wellbeing", "life_event")) == [
        "health",
        "life_event",
    ]
    with pytest.raises(ValidationError, match="not in this protocol's list"):
        _clean_triggers(adults, ("Moon phase",))
