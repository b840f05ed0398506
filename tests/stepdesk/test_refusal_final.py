"""A refusal ("not agreed", "no change") stays correctable until the chair approves the minutes.

The panel can change a refusal during the meeting like any other decision (decided → on_agenda
→ the new outcome's status); it has no transfer and no transfer clocks; approving the minutes
makes it final and closes the request (decided → closed, audited, the note citing the
approval), after which a correction is refused with a message that says why.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from reports.minutes import render_minutes
from stepdesk.domain import RequestStatus as S
from stepdesk.errors import ValidationError
from stepdesk.persistence.models import AgendaItem, AuditEvent, Panel, Request, User
from stepdesk.services import Actor, Workspace
from stepdesk.services.deadlines import deadlines_for
from stepdesk.services.decisions import record_decision
from stepdesk.services.minutes import approve_minutes
from stepdesk.services.request_listing import get_request, list_requests
from stepdesk.services.transfers import close_request, effect_decision, transfer_options
from stepdesk.services.views import DecisionDraft
from tests.stepdesk.test_decision_extras import COORDINATOR
from tests.stepdesk.test_decision_lifecycle import moves

PAST = 1  # the demo's finished panel (minutes not yet approved)
AGREED_STEP_UP = 3  # on PAST: an agreed step-up whose transfer is not made yet (decided)
UPCOMING_ITEM = 10  # on the next panel: on the agenda, no decision yet
TRANSFER_CLOCKS = {"T-EFFECT-24H", "T-HANDOVER", "T-HANDOVER-DONE"}


def decide(ws: Workspace, actor: Actor, item_id: int, outcome: str) -> None:
    record_decision(ws, actor, item_id, DecisionDraft(outcome, f"Panel: {outcome}."))


def request_of(ws: Workspace, item_id: int) -> tuple[int, int, str]:
    """(request id, case id, request status) of an agenda item."""
    with ws.db.session() as s:
        item = s.get(AgendaItem, item_id)
        assert item is not None
        return item.request_id, item.request.case_id, item.request.status


def outcome_of(ws: Workspace, item_id: int) -> str:
    with ws.db.session() as s:
        item = s.get(AgendaItem, item_id)
        assert item is not None and item.decision is not None
        return item.decision.outcome


def others(ws: Workspace, request_id: int) -> list[tuple[int, str]]:
    """The other requests on the past panel and their statuses."""
    with ws.db.session() as s:
        rows = s.execute(
            select(Request.id, Request.status)
            .join(AgendaItem, AgendaItem.request_id == Request.id)
            .where(AgendaItem.panel_id == PAST, Request.id != request_id)
            .order_by(Request.id)
        ).all()
        return [(r.id, r.status) for r in rows]


def clocks(ws: Workspace, actor: Actor, case_id: int) -> set[str]:
    return {r.deadline.rule for r in deadlines_for(ws, actor, "all", case_id=case_id)}


def test_a_refusal_is_decided_and_the_panel_can_correct_it(
    demo_ws: Workspace, chair: Actor
) -> None:
    before = len(moves(demo_ws, UPCOMING_ITEM))
    decide(demo_ws, chair, UPCOMING_ITEM, "not_agreed")
    assert request_of(demo_ws, UPCOMING_ITEM)[2] == "decided"
    # The chair saved "Not agreed" by mistake: "Agreed" replaces it, the request stays decided.
    decide(demo_ws, chair, UPCOMING_ITEM, "agreed")
    assert outcome_of(demo_ws, UPCOMING_ITEM) == "agreed"
    assert request_of(demo_ws, UPCOMING_ITEM)[2] == "decided"
    # And to a status of its own: decided → on agenda → deferred.
    decide(demo_ws, chair, UPCOMING_ITEM, "no_change")
    decide(demo_ws, chair, UPCOMING_ITEM, "defer")
    assert [m[:2] for m in moves(demo_ws, UPCOMING_ITEM)[before:]] == [
        ("on_agenda", "decided"),
        ("decided", "on_agenda"),
        ("on_agenda", "deferred"),
    ]
    assert request_of(demo_ws, UPCOMING_ITEM)[2] == "deferred"


def test_a_refusal_has_no_transfer_and_no_transfer_clocks(demo_ws: Workspace, chair: Actor) -> None:
    request_id, case_id, _ = request_of(demo_ws, AGREED_STEP_UP)
    assert TRANSFER_CLOCKS & clocks(demo_ws, chair, case_id)  # agreed: the clocks run
    decide(demo_ws, chair, AGREED_STEP_UP, "not_agreed")
    assert request_of(demo_ws, AGREED_STEP_UP)[2] == "decided"
    assert not TRANSFER_CLOCKS & clocks(demo_ws, chair, case_id)

    steps = {step.target: step for step in transfer_options(demo_ws, COORDINATOR, request_id).steps}
    assert not steps["effected"].allowed
    assert "'Not agreed': there is no transfer" in (steps["effected"].why_not or "")
    assert not steps["handover_arranged"].allowed
    assert "closes when the chair approves the minutes" in (
        steps["handover_arranged"].why_not or ""
    )
    assert steps["closed"].allowed
    with demo_ws.db.session() as s:
        item = s.get(AgendaItem, AGREED_STEP_UP)
        assert item is not None and item.decision is not None
        decision_id = item.decision.id
    with pytest.raises(ValidationError, match="there is no transfer to make"):
        effect_decision(demo_ws, COORDINATOR, decision_id)
    # The requests page says which kind of decided it is.
    assert get_request(demo_ws, chair, request_id).row.status_label == "Decided: not agreed"
    rows = {r.id: r for r in list_requests(demo_ws, chair)}
    assert rows[request_id].status_label == "Decided: not agreed"


def test_approving_the_minutes_closes_each_refusal(demo_ws: Workspace, chair: Actor) -> None:
    request_id, _, _ = request_of(demo_ws, AGREED_STEP_UP)
    decide(demo_ws, chair, AGREED_STEP_UP, "no_change")
    before = others(demo_ws, request_id)
    approve_minutes(demo_ws, chair, PAST, render=render_minutes)

    assert request_of(demo_ws, AGREED_STEP_UP)[2] == "closed"
    last = moves(demo_ws, AGREED_STEP_UP)[-1]
    assert last[:2] == ("decided", "closed")
    assert last[2] == (
        "Panel decision final: No change. The chair approved the minutes of 09/11/2026 "
        "(version 1) on 23/11/2026 09:00."
    )
    with demo_ws.db.session() as s:
        audited = s.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == "request", AuditEvent.entity_id == request_id)
            .order_by(AuditEvent.id.desc())
        ).first()
        assert audited is not None and audited.action == "move"
    # Only the refusal closes: the panel's other requests are where they were.
    assert others(demo_ws, request_id) == before
    assert get_request(demo_ws, chair, request_id).row.status_label == "Closed"

    # Final: the chair can no longer correct it.
    with pytest.raises(ValidationError, match="is final: the chair approved the minutes on "):
        decide(demo_ws, chair, AGREED_STEP_UP, "agreed")
    assert (outcome_of(demo_ws, AGREED_STEP_UP), request_of(demo_ws, AGREED_STEP_UP)[2]) == (
        "no_change",
        "closed",
    )
    # A corrected version of the minutes leaves the closed request as it is.
    approve_minutes(demo_ws, chair, PAST, "Typo in item 2.", render=render_minutes)
    assert request_of(demo_ws, AGREED_STEP_UP)[2] == "closed"


def test_a_panel_chair_whose_account_is_not_a_chair_can_still_approve(
    demo_ws: Workspace, chair: Actor
) -> None:
    # The co-ordinator named the administrator as this panel's chair: approving the minutes
    # closes the refusal as the panel's chair, not as the account's role (which may not).
    decide(demo_ws, chair, AGREED_STEP_UP, "not_agreed")
    with demo_ws.db.session() as s:
        admin = s.scalars(select(User).where(User.role == "administrator")).first()
        assert admin is not None
        s.get_one(Panel, PAST).chair_id = admin.id
        chaired_by = Actor(admin.id, admin.name, admin.role)
    assert approve_minutes(demo_ws, chaired_by, PAST, render=render_minutes).version == 1
    assert request_of(demo_ws, AGREED_STEP_UP)[2] == "closed"
    assert moves(demo_ws, AGREED_STEP_UP)[-1][:2] == ("decided", "closed")


def test_a_refusal_can_still_be_closed_by_hand(demo_ws: Workspace, chair: Actor) -> None:
    decide(demo_ws, chair, UPCOMING_ITEM, "not_agreed")
    request_id = request_of(demo_ws, UPCOMING_ITEM)[0]
    assert close_request(demo_ws, chair, request_id).request_status == S.CLOSED
    with pytest.raises(ValidationError, match="is final: the request has been closed"):
        decide(demo_ws, chair, UPCOMING_ITEM, "agreed")
