"""A decision moves its request through the lifecycle (stepdesk.lifecycle), never around it.

Every move is a RequestTransition row; a panel correcting the decision it has just recorded
takes the request back to "on agenda" first; a request that has moved on since the decision
(transfer made, or closed) keeps its decision.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from stepdesk.errors import ValidationError
from stepdesk.lifecycle import IllegalMoveError, check_move
from stepdesk.persistence.models import AgendaItem, Request, RequestTransition
from stepdesk.services import Actor, Workspace
from stepdesk.services.decisions import record_decision
from stepdesk.services.transfers import close_request, effect_decision
from stepdesk.services.views import DecisionDraft
from tests.stepdesk.test_decision_extras import COORDINATOR, ESCALATION, ITEM


def moves(ws: Workspace, item_id: int = ITEM) -> list[tuple[str, str, str | None]]:
    """The request's lifecycle moves, oldest first."""
    with ws.db.session() as s:
        item = s.get(AgendaItem, item_id)
        assert item is not None
        rows = s.scalars(
            select(RequestTransition)
            .where(RequestTransition.request_id == item.request_id)
            .order_by(RequestTransition.id)
        ).all()
        return [(r.from_status, r.to_status, r.note) for r in rows]


def status(ws: Workspace, item_id: int = ITEM) -> str:
    with ws.db.session() as s:
        item = s.get(AgendaItem, item_id)
        assert item is not None
        request = s.get(Request, item.request_id)
        assert request is not None
        return request.status


def request_id(ws: Workspace, item_id: int = ITEM) -> int:
    with ws.db.session() as s:
        item = s.get(AgendaItem, item_id)
        assert item is not None
        return item.request_id


def decide(ws: Workspace, actor: Actor, outcome: str, **more: object) -> None:
    record_decision(ws, actor, ITEM, DecisionDraft(outcome, f"Panel: {outcome}.", **more))  # type: ignore[arg-type]


def test_each_outcome_is_a_lifecycle_move(demo_ws: Workspace, chair: Actor) -> None:
    before = moves(demo_ws)
    decide(demo_ws, chair, "agreed")
    assert moves(demo_ws)[len(before) :] == [
        ("on_agenda", "decided", "Panel decision: Agreed as requested")
    ]


def test_a_refusal_is_decided_until_the_minutes_are_approved(
    demo_ws: Workspace, chair: Actor
) -> None:
    before = len(moves(demo_ws))
    decide(demo_ws, chair, "not_agreed")
    assert [m[:2] for m in moves(demo_ws)[before:]] == [("on_agenda", "decided")]
    assert status(demo_ws) == "decided"
    # Closed (by hand here, or by the approved minutes) is the end: the decision stays.
    close_request(demo_ws, chair, request_id(demo_ws))
    with pytest.raises(ValidationError, match="closed request is never reopened"):
        decide(demo_ws, chair, "agreed")
    assert status(demo_ws) == "closed"


def test_the_panel_corrects_its_decision_during_the_meeting(
    demo_ws: Workspace, chair: Actor
) -> None:
    before = len(moves(demo_ws))
    decide(demo_ws, chair, "agreed")
    decide(demo_ws, chair, "escalate", escalation=ESCALATION)
    decide(demo_ws, chair, "defer")
    decide(demo_ws, chair, "defer")  # saved again unchanged: no move
    assert [m[:2] for m in moves(demo_ws)[before:]] == [
        ("on_agenda", "decided"),
        ("decided", "on_agenda"),
        ("on_agenda", "escalated"),
        ("escalated", "on_agenda"),
        ("on_agenda", "deferred"),
    ]
    assert moves(demo_ws)[before + 1][2] == "The panel changed its decision"
    assert status(demo_ws) == "deferred"


def test_a_decision_already_acted_on_cannot_change(demo_ws: Workspace, chair: Actor) -> None:
    decide(demo_ws, chair, "agreed")
    with demo_ws.db.session() as s:
        item = s.get(AgendaItem, ITEM)
        assert item is not None and item.decision is not None
        decision_id = item.decision.id
    effect_decision(demo_ws, COORDINATOR, decision_id)
    assert status(demo_ws) == "effected"
    with pytest.raises(ValidationError, match="has moved on since the panel's decision"):
        decide(demo_ws, chair, "defer")
    assert status(demo_ws) == "effected"


def test_corrections_are_lifecycle_moves_for_deciders_only() -> None:
    for source in ("decided", "escalated", "referred"):
        assert check_move(source, "on_agenda", "chair").means == "change the panel's decision"
        with pytest.raises(IllegalMoveError, match="may not change the panel's decision"):
            check_move(source, "on_agenda", "worker")
