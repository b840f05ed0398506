"""A step-down needs a plan to step down from: refused, with the reason, on a case with none."""

from __future__ import annotations

import pytest

from stepdesk.errors import ValidationError
from stepdesk.persistence.models import Case, Request
from stepdesk.services import Actor, Workspace
from stepdesk.services.people import actor_for
from stepdesk.services.request_forms import RequestForm, movement_note
from stepdesk.services.request_listing import case_for_request
from stepdesk.services.request_review import submit_request
from stepdesk.services.requests import create_request

# Demo (seed 1): case 5 is on Early Help, user 13 a worker (see test_requests).
CASE, WORKER = 5, 13


@pytest.fixture
def worker(demo_ws: Workspace) -> Actor:
    return actor_for(demo_ws, WORKER)


def _set_plan(ws: Workspace, plan: str) -> None:
    with ws.db.session() as s:
        case = s.get(Case, CASE)
        assert case is not None
        case.plan = plan


@pytest.mark.parametrize("plan", ["", "no_such_plan"])
def test_a_case_with_no_plan_cannot_step_down(demo_ws: Workspace, worker: Actor, plan: str) -> None:
    _set_plan(demo_ws, plan)
    case = case_for_request(demo_ws, worker, CASE)
    assert case.to_plans["step_down"] == []
    note = case.movement_notes["step_down"]
    assert "no current plan" in note and "step up or step in" in note
    assert "record the case's current plan" in note
    assert "step_up" not in case.movement_notes and case.to_plans["step_up"]
    with pytest.raises(ValidationError) as refused:
        create_request(demo_ws, worker, CASE, RequestForm("step_down", ""))
    assert refused.value.field == "Movement"
    assert "no current plan" in refused.value.message
    # A step-up is how such a case moves.
    assert create_request(demo_ws, worker, CASE, RequestForm("step_up", "cin")).request.id


def test_a_step_down_drafted_before_the_plan_was_lost_cannot_be_submitted(
    demo_ws: Workspace, worker: Actor
) -> None:
    draft = create_request(
        demo_ws,
        worker,
        CASE,
        RequestForm("step_down", "universal", reasons="Needs met: attendance 98% for a term."),
    )

    with demo_ws.db.session() as s:
        request = s.get(Request, draft.request.id)
        assert request is not None
        request.from_plan = ""
    with pytest.raises(ValidationError) as refused:
        submit_request(demo_ws, worker, draft.request.id)
    assert refused.value.field == "Movement"


def test_the_least_intensive_plan_says_why_too(demo_ws: Workspace) -> None:
    note = movement_note(demo_ws.profile, "universal", "step_down")
    assert note is not None and "least intensive" in note
    assert movement_note(demo_ws.profile, "early_help", "step_down") is None
    assert movement_note(demo_ws.profile, "", "step_up") is None
