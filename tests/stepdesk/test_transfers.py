"""After the decision: transfers, handovers, closing, re-emergence and "held safely"."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from stepdesk import lifecycle
from stepdesk.domain import RequestStatus as S
from stepdesk.errors import StepDeskError, ValidationError
from stepdesk.lifecycle import IllegalMoveError
from stepdesk.persistence.models import (
    AuditEvent,
    Case,
    CaseNote,
    PlanEpisode,
    Request,
    RequestTransition,
)
from stepdesk.services import Workspace
from stepdesk.services.decisions import decision_context
from stepdesk.services.transfers import (
    arrange_handover,
    close_request,
    complete_handover,
    effect_decision,
    effect_due,
)
from tests.conftest import NOW, TODAY
from tests.stepdesk.transfer_world import World, build_world, decide, new_case

YESTERDAY = NOW - dt.timedelta(days=1)


@pytest.fixture
def world(empty_ws: Workspace) -> World:
    return build_world(empty_ws)


def case_state(ws: Workspace, case_id: int) -> tuple[str, str, int, list[tuple[str, int, bool]]]:
    with ws.db.session() as s:
        case = s.get(Case, case_id)
        assert case is not None
        episodes = [(e.plan, e.team_id, e.ended_on is None) for e in case.episodes]
        return case.plan, case.level, case.team_id, episodes


def status(ws: Workspace, request_id: int) -> str:
    with ws.db.session() as s:
        request = s.get(Request, request_id)
        assert request is not None
        return request.status


def test_step_down_moves_the_case_in_one_go(empty_ws: Workspace, world: World) -> None:
    case_id = new_case(empty_ws, world.fs_a, "cin", dt.date(2026, 3, 2))
    decision_id, request_id, _ = decide(
        empty_ws, case_id, "step_down", "early_help", on=YESTERDAY, receiving_team_id=world.hub
    )
    view = effect_decision(empty_ws, world.worker, decision_id)
    assert (view.from_plan, view.to_plan) == ("cin", "early_help")
    assert (view.from_team, view.to_team) == ("Family Safeguarding Team A", "Early Help Hub North")
    assert view.request_status == "effected"
    plan, level, team, episodes = case_state(empty_ws, case_id)
    assert (plan, level, team) == ("early_help", "L3", world.hub)
    assert episodes == [("cin", world.fs_a, False), ("early_help", world.hub, True)]
    with empty_ws.db.session() as s:
        case = s.get(Case, case_id)
        assert case is not None
        assert case.lead_professional == "School nurse"
        # T-REEMERGE-3M: a step-down from Family Safeguarding is remembered.
        assert case.stepped_down_from_team_id == world.fs_a
        assert case.stepped_down_on == YESTERDAY.date()
        note = s.scalars(select(CaseNote).where(CaseNote.case_id == case_id)).one()
        assert "Step down from Child in Need plan (Family Safeguarding Team A)" in note.text
        moves = s.scalars(
            select(RequestTransition).where(RequestTransition.request_id == request_id)
        )
        assert [(m.from_status, m.to_status) for m in moves] == [("decided", "effected")]
        audit = s.scalars(select(AuditEvent).where(AuditEvent.action == "effect")).one()
        assert audit.detail["to_team"] == "Early Help Hub North"


def test_effective_date_still_to_come_is_refused(empty_ws: Workspace, world: World) -> None:
    case_id = new_case(empty_ws, world.fs_a, "cin", dt.date(2026, 3, 2))
    decision_id, request_id, _ = decide(
        empty_ws,
        case_id,
        "step_down",
        "early_help",
        on=YESTERDAY,
        effective_on=TODAY + dt.timedelta(days=1),
        receiving_team_id=world.hub,
    )
    with pytest.raises(ValidationError, match="takes effect on 24/11/2026"):
        effect_decision(empty_ws, world.worker, decision_id)
    assert status(empty_ws, request_id) == "decided"
    assert case_state(empty_ws, case_id)[2] == world.fs_a


def test_not_agreed_has_nothing_to_effect(empty_ws: Workspace, world: World) -> None:
    case_id = new_case(empty_ws, world.fs_a, "cin", dt.date(2026, 3, 2))
    decision_id, _, _ = decide(
        empty_ws, case_id, "step_down", "early_help", on=YESTERDAY, outcome="not_agreed"
    )
    with pytest.raises(ValidationError, match="'Not agreed': there is no transfer to make"):
        effect_decision(empty_ws, world.worker, decision_id)


def test_handover_before_the_transfer_says_what_comes_first(
    empty_ws: Workspace, world: World
) -> None:
    case_id = new_case(empty_ws, world.fs_a, "cin", dt.date(2026, 3, 2))
    _, request_id, _ = decide(empty_ws, case_id, "step_down", "early_help", on=YESTERDAY)
    with pytest.raises(IllegalMoveError, match="first make the transfer"):
        arrange_handover(empty_ws, world.worker, request_id)


def test_the_whole_path_to_closed(empty_ws: Workspace, world: World) -> None:
    case_id = new_case(empty_ws, world.hub, "early_help", dt.date(2026, 6, 1))
    decision_id, request_id, _ = decide(
        empty_ws, case_id, "step_up", "cin", on=YESTERDAY, receiving_team_id=world.fs_b
    )
    effect_decision(empty_ws, world.worker, decision_id)
    arrange_handover(empty_ws, world.worker, request_id, "Joint visit on Thursday")
    done = complete_handover(empty_ws, world.manager, request_id)
    assert done.request_status == "handover_completed"
    with pytest.raises(IllegalMoveError, match="worker may not close the request"):
        close_request(empty_ws, world.worker, request_id)
    closed = close_request(empty_ws, world.manager, request_id)
    assert closed.request_status == "closed"
    assert case_state(empty_ws, case_id)[2] == world.fs_b


def test_a_chair_may_not_make_the_transfer(empty_ws: Workspace, world: World) -> None:
    case_id = new_case(empty_ws, world.hub, "early_help", dt.date(2026, 6, 1))
    decision_id, _, _ = decide(empty_ws, case_id, "step_up", "cin", on=YESTERDAY)
    with pytest.raises(IllegalMoveError, match="panel chair may not make the transfer"):
        effect_decision(empty_ws, world.chair, decision_id)


def test_close_outcome_closes_the_case_and_keeps_its_team(
    empty_ws: Workspace, world: World
) -> None:
    case_id = new_case(empty_ws, world.hub, "early_help", dt.date(2026, 6, 1))
    decision_id, _, _ = decide(
        empty_ws, case_id, "close", "universal", on=YESTERDAY, outcome="close"
    )
    effect_decision(empty_ws, world.worker, decision_id)
    with empty_ws.db.session() as s:
        case = s.get(Case, case_id)
        assert case is not None
        assert case.closed_on == YESTERDAY.date()
        assert case.team_id == world.hub


# T-REEMERGE-3M -----------------------------------------------------------------------------


def _stepped_down(ws: Workspace, world: World, on: dt.datetime) -> int:
    case_id = new_case(ws, world.fs_a, "cin", dt.date(2026, 1, 5))
    decision_id, _, _ = decide(
        ws, case_id, "step_down", "early_help", on=on, receiving_team_id=world.hub
    )
    effect_decision(ws, world.worker, decision_id)
    return case_id


def test_reemergence_within_3_months_returns_to_the_same_team(
    empty_ws: Workspace, world: World
) -> None:
    case_id = _stepped_down(empty_ws, world, dt.datetime(2026, 8, 24, 10, 0))
    decision_id, _, item_id = decide(empty_ws, case_id, "step_up", "cin", on=YESTERDAY)
    ctx = decision_context(empty_ws, world.chair, item_id)
    assert ctx.suggested_team == "Family Safeguarding Team A"
    assert "T-REEMERGE-3M" in (ctx.suggested_team_reason or "")
    assert "24/08/2026" in (ctx.suggested_team_reason or "")
    view = effect_decision(empty_ws, world.worker, decision_id)
    assert view.to_team == "Family Safeguarding Team A"
    assert "T-REEMERGE-3M" in view.note


def test_reemergence_after_3_months_stays_with_the_current_team(
    empty_ws: Workspace, world: World
) -> None:
    case_id = _stepped_down(empty_ws, world, dt.datetime(2026, 8, 21, 10, 0))
    decision_id, _, item_id = decide(empty_ws, case_id, "step_up", "cin", on=YESTERDAY)
    assert decision_context(empty_ws, world.chair, item_id).suggested_team is None
    assert effect_decision(empty_ws, world.worker, decision_id).to_team == "Early Help Hub North"


# effect_due --------------------------------------------------------------------------------


def test_effect_due_makes_every_transfer_whose_day_has_come(
    empty_ws: Workspace, world: World
) -> None:
    due_case = new_case(empty_ws, world.hub, "early_help", dt.date(2026, 6, 1))
    later_case = new_case(empty_ws, world.hub, "early_help", dt.date(2026, 6, 1))
    due_id, _, _ = decide(
        empty_ws, due_case, "step_up", "cin", on=YESTERDAY, receiving_team_id=world.fs_a
    )
    decide(
        empty_ws,
        later_case,
        "step_up",
        "cin",
        on=YESTERDAY,
        receiving_team_id=world.fs_a,
        effective_on=TODAY + dt.timedelta(days=7),
    )
    result = effect_due(empty_ws, world.worker)
    assert [v.decision_id for v in result.effected] == [due_id]
    assert result.skipped == []
    assert case_state(empty_ws, later_case)[2] == world.hub
    assert effect_due(empty_ws, world.worker).effected == []  # nothing twice
    refused = effect_due(empty_ws, world.chair, TODAY)
    assert refused.effected == []


# "Held safely": hypothesis drives random sequences through the services --------------------

OPS = ("effect", "arrange", "complete", "close")
# "next" takes the next step of the happy path, so that long legal runs are common too.
HAPPY = {
    "decided": "effect",
    "effected": "arrange",
    "handover_arranged": "complete",
    "handover_completed": "close",
}
ROLES = ("worker", "manager", "coordinator", "chair")
TARGET = {
    "effect": S.EFFECTED,
    "arrange": S.HANDOVER_ARRANGED,
    "complete": S.HANDOVER_COMPLETED,
    "close": S.CLOSED,
}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(
    steps=[("next", "chair")] * 5,
    movement=("step_down", "cin", "early_help"),
    days_ahead=0,
    receiving=True,
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from((*OPS, *["next"] * 6)), st.sampled_from(ROLES)), max_size=8
    ),
    movement=st.sampled_from([("step_down", "cin", "early_help"), ("step_up", "early_help", "cp")]),
    days_ahead=st.integers(min_value=-2, max_value=1),
    receiving=st.booleans(),
)
def test_held_safely_through_random_sequences(
    empty_ws: Workspace,
    world: World,
    steps: list[tuple[str, str]],
    movement: tuple[str, str, str],
    days_ahead: int,
    receiving: bool,
) -> None:
    ws = empty_ws
    kind, from_plan, to_plan = movement
    start_team = world.fs_a if from_plan == "cin" else world.hub
    case_id = new_case(ws, start_team, from_plan, dt.date(2026, 1, 5))
    effective = TODAY + dt.timedelta(days=days_ahead)
    decision_id, request_id, _ = decide(
        ws,
        case_id,
        kind,
        to_plan,
        on=YESTERDAY - dt.timedelta(days=3),
        effective_on=effective,
        receiving_team_id=world.fs_b if receiving else None,
    )
    actors = {a.role: a for a in (world.worker, world.manager, world.coordinator, world.chair)}
    moves = 0
    for op, role in steps:
        before_status = status(ws, request_id)
        before = case_state(ws, case_id)
        if op == "next":
            op, role = HAPPY.get(before_status, "close"), "manager"
        try:
            expected = lifecycle.check_move(before_status, TARGET[op], role)
        except IllegalMoveError as error:
            expected, refusal = None, str(error)
        if op == "effect" and expected is not None and effective > TODAY:
            expected, refusal = None, "takes effect on"
        try:
            if op == "effect":
                effect_decision(ws, actors[role], decision_id)
            elif op == "arrange":
                arrange_handover(ws, actors[role], request_id)
            elif op == "complete":
                complete_handover(ws, actors[role], request_id)
            else:
                close_request(ws, actors[role], request_id)
            succeeded = True
        except StepDeskError as error:
            succeeded = False
            assert refusal in str(error)  # the lifecycle's own "what must happen first"
        assert succeeded == (expected is not None)
        after = case_state(ws, case_id)
        # Held safely: always an owning team, the latest episode's, with one open episode;
        # the team changes only when a transfer is effected.
        plan, _, team, episodes = after
        assert team in (world.hub, world.fs_a, world.fs_b)
        assert episodes[-1][1] == team and episodes[-1][0] == plan
        assert sum(open_ for _, _, open_ in episodes) == 1
        if team != before[2]:
            assert succeeded and op == "effect"
        if succeeded:
            moves += 1
            assert status(ws, request_id) == TARGET[op].value
        else:
            assert status(ws, request_id) == before_status
            assert after == before
    with ws.db.session() as s:
        recorded = s.scalar(
            select(func.count())
            .select_from(RequestTransition)
            .where(RequestTransition.request_id == request_id)
        )
        assert recorded == moves
        assert s.scalar(
            select(func.count()).select_from(PlanEpisode).where(PlanEpisode.case_id == case_id)
        ) in (1, 2)


def test_only_the_transfer_service_writes_a_case_team() -> None:
    """Held safely, statically: no other service assigns a case's owning team."""
    import re
    from pathlib import Path

    services = Path(__file__).resolve().parents[2] / "stepdesk" / "services"
    writers = [
        path.name
        for path in services.glob("*.py")
        if re.search(r"\bcase\.team(?:_id)?\s*=[^=]", path.read_text(encoding="utf-8"))
    ]
    assert writers == ["transfers.py"]
