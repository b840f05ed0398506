"""Four eyes on QA: a manager may not QA-approve a request they created themselves, unless
the profile allows it (``qa_own_requests = true``)."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from stepdesk.errors import PermissionDeniedError
from stepdesk.persistence.models import Request, RequestTransition
from stepdesk.services import Actor, Workspace
from stepdesk.services.people import actor_for
from stepdesk.services.request_forms import ConsentInput, RequestForm
from stepdesk.services.request_listing import get_request
from stepdesk.services.request_review import qa_approve, qa_return, submit_request
from stepdesk.services.requests import create_request, update_draft
from tests.conftest import TODAY

CASE = 5  # Early Help; see tests/stepdesk/test_requests.py
MANAGER, OTHER_MANAGER = 6, 7


def _submitted_by(ws: Workspace, author: Actor, submitter: Actor | None = None) -> int:
    """A complete step-up written by ``author`` and submitted by ``submitter`` (the author)."""
    draft = create_request(ws, author, CASE, RequestForm("step_up", "cin"))
    form = RequestForm(
        "step_up",
        "cin",
        reasons="Neglect concerns increasing despite TAF support; school attendance 61%.",
        triggers=("Significant life event or transition",),
        consent=ConsentInput("signed", "Ana Lefèvre (mother)", TODAY, "Signed form"),
    )
    update_draft(ws, author, draft.request.id, form, version=draft.version)
    submit_request(ws, submitter or author, draft.request.id)
    return draft.request.id


def test_a_manager_may_not_approve_their_own_request(demo_ws: Workspace) -> None:
    manager = actor_for(demo_ws, MANAGER)
    request_id = _submitted_by(demo_ws, manager)
    detail = get_request(demo_ws, manager, request_id)
    assert detail.can_qa and detail.approve_refused is not None
    assert detail.approve_refused.startswith("another manager must QA this request")
    with pytest.raises(PermissionDeniedError, match=r"another manager must QA this request"):
        qa_approve(demo_ws, manager, request_id, "Looks fine to me.")
    with demo_ws.db.session() as s:
        assert s.get_one(Request, request_id).status == "submitted"
    # Another manager may; and the author may still return it to themselves.
    other = actor_for(demo_ws, OTHER_MANAGER)
    assert other.role == "manager"
    assert get_request(demo_ws, other, request_id).approve_refused is None
    approved = qa_approve(demo_ws, other, request_id, "Second pair of eyes: fine.")
    assert (approved.request.status, approved.request.qa_by) == ("qa_approved", other.name)


def test_returning_your_own_request_is_still_allowed(demo_ws: Workspace) -> None:
    manager = actor_for(demo_ws, MANAGER)
    request_id = _submitted_by(demo_ws, manager)
    returned = qa_return(demo_ws, manager, request_id, "I need to add the school's report.")
    assert returned.request.status == "returned"


def test_the_profile_may_allow_self_qa(demo_ws: Workspace) -> None:
    demo_ws.profile = dataclasses.replace(demo_ws.profile, qa_own_requests=True)
    manager = actor_for(demo_ws, MANAGER)
    request_id = _submitted_by(demo_ws, manager)
    assert get_request(demo_ws, manager, request_id).approve_refused is None
    qa_approve(demo_ws, manager, request_id)
    with demo_ws.db.session() as s:
        moves = s.scalars(
            select(RequestTransition.to_status).where(RequestTransition.request_id == request_id)
        ).all()
    assert moves[-1] == "qa_approved"


def test_the_shipped_profiles_keep_four_eyes() -> None:
    from stepdesk.profile import load_profile

    assert not load_profile().qa_own_requests
    assert not load_profile("learning-disability").qa_own_requests


def test_a_manager_who_submitted_a_workers_draft_may_not_approve_it(demo_ws: Workspace) -> None:
    worker, manager = actor_for(demo_ws, 13), actor_for(demo_ws, MANAGER)
    request_id = _submitted_by(demo_ws, worker, manager)  # the manager sends the worker's draft
    with pytest.raises(PermissionDeniedError, match=r"you submitted it"):
        qa_approve(demo_ws, manager, request_id, "Fine.")
    other = actor_for(demo_ws, OTHER_MANAGER)
    assert qa_approve(demo_ws, other, request_id, "Fine.").request.status == "qa_approved"
