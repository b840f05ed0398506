"""Running a meeting: start, open items, quoracy, finish with carry-forward and case notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import select

from stepdesk.errors import PermissionDeniedError, ValidationError
from stepdesk.persistence.models import (
    AgendaItem,
    AuditEvent,
    CaseNote,
    Decision,
    Panel,
    Request,
)
from stepdesk.services import Actor, Workspace
from stepdesk.services.agenda import hold_back
from stepdesk.services.decisions import decision_context, record_decision
from stepdesk.services.meeting import (
    QUORUM_RULE,
    finish_meeting,
    meeting_state,
    open_item,
    start_meeting,
)
from stepdesk.services.panels import get_panel, set_attendance
from stepdesk.services.views import DecisionDraft

STEP_PANEL = 2  # the demo's step-up/down meeting on 25/11/2026 10:30; no later one is planned
CHAIR_ATT, MANAGER_ATT = 12, 15  # Philip Smith (chair) and Janet Williams (manager) on it
WORKER = Actor(14, "Francesca Henderson", "worker")
START = dt.datetime(2026, 11, 25, 10, 30)  # when the demo says it starts


@pytest.fixture
def tick(demo_ws: Workspace) -> Iterator[Callable[[int], dt.datetime]]:
    """Move the workspace clock on by some minutes (it starts when the meeting does)."""
    now = [START]
    demo_ws.now = lambda: now[0]

    def advance(minutes: int) -> dt.datetime:
        now[0] += dt.timedelta(minutes=minutes)
        return now[0]

    yield advance


def items(ws: Workspace, actor: Actor, panel_id: int = STEP_PANEL) -> list[int]:
    return [row.id for row in get_panel(ws, actor, panel_id).items]


def quorate_panel(ws: Workspace, actor: Actor) -> None:
    set_attendance(ws, actor, CHAIR_ATT, "present")
    set_attendance(ws, actor, MANAGER_ATT, "present")


def decide(ws: Workspace, actor: Actor, item_id: int, outcome: str = "not_agreed") -> Decision:
    record_decision(ws, actor, item_id, DecisionDraft(outcome, "Panel view, minuted."))
    with ws.db.session() as s:
        decision = s.scalars(select(Decision).where(Decision.agenda_item_id == item_id)).one()
        s.expunge(decision)
        return decision


def test_start_opens_the_first_item_and_cannot_start_twice(
    demo_ws: Workspace, chair: Actor, tick: Callable[[int], dt.datetime]
) -> None:
    state = start_meeting(demo_ws, chair, STEP_PANEL)
    assert state.status == "in_progress"
    assert state.started_at == START
    assert state.current is not None and state.current.item_id == items(demo_ws, chair)[0]
    assert state.current.started_at == START
    with pytest.raises(ValidationError, match="already started at 10:30"):
        start_meeting(demo_ws, chair, STEP_PANEL)
    with demo_ws.db.session() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "start")).one()
    assert (event.entity, event.entity_id, event.detail["quorate"]) == ("panel", STEP_PANEL, False)


def test_opening_an_item_ends_the_one_before(
    demo_ws: Workspace, chair: Actor, tick: Callable[[int], dt.datetime]
) -> None:
    first, second, *_ = items(demo_ws, chair)
    with pytest.raises(ValidationError, match="start the meeting first"):
        open_item(demo_ws, chair, second)
    start_meeting(demo_ws, chair, STEP_PANEL)
    at = tick(12)
    state = open_item(demo_ws, chair, second)
    by_id = {i.item_id: i for i in state.items}
    assert by_id[first].ended_at == at
    assert by_id[second].started_at == at and by_id[second].is_open
    assert state.current is not None and state.current.item_id == second
    # The slot counts down from the item's start: 15 minutes, 5 gone.
    tick(5)
    assert state.slot_left(demo_ws.now()) == dt.timedelta(minutes=10)
    # Going back to the first keeps its first start, so its slot shows as overrun.
    tick(6)  # 23 minutes after it started; its slot is 20
    again = open_item(demo_ws, chair, first)
    assert again.current is not None and again.current.item_id == first
    assert again.current.started_at == START
    assert again.slot_left(demo_ws.now()) == dt.timedelta(minutes=-3)
    # Opening the item already open changes nothing.
    assert open_item(demo_ws, chair, first) == again


def test_projected_end_counts_what_is_left(
    demo_ws: Workspace, chair: Actor, tick: Callable[[int], dt.datetime]
) -> None:
    slots = [row.slot_minutes for row in get_panel(demo_ws, chair, STEP_PANEL).items]
    before = meeting_state(demo_ws, chair, STEP_PANEL)
    assert before.projected_end == before.starts_at + dt.timedelta(minutes=sum(slots))
    start_meeting(demo_ws, chair, STEP_PANEL)
    tick(5)
    state = meeting_state(demo_ws, chair, STEP_PANEL)
    # Five minutes into the first slot: the rest of it, then every later slot.
    expected = demo_ws.now() + dt.timedelta(minutes=slots[0] - 5 + sum(slots[1:]))
    assert state.projected_end == expected
    decide(demo_ws, chair, items(demo_ws, chair)[1])
    later = meeting_state(demo_ws, chair, STEP_PANEL)
    assert later.projected_end == expected - dt.timedelta(minutes=slots[1])


def test_quoracy_follows_attendance(demo_ws: Workspace, chair: Actor) -> None:
    state = meeting_state(demo_ws, chair, STEP_PANEL)
    assert not state.quoracy.quorate
    assert state.quoracy.text.startswith("Not quorate: still needs The chair")
    set_attendance(demo_ws, chair, CHAIR_ATT, "present")
    half = meeting_state(demo_ws, chair, STEP_PANEL).quoracy
    assert not half.quorate
    assert half.missing == ("A manager who can accept the case (0 of 1 present)",)
    set_attendance(demo_ws, chair, MANAGER_ATT, "present")
    full = meeting_state(demo_ws, chair, STEP_PANEL).quoracy
    assert full.quorate
    assert "Janet Williams" in full.text and set(full.present) == {"Philip Smith", "Janet Williams"}


def test_a_non_quorate_decision_is_warned_and_recorded_as_such(
    demo_ws: Workspace, chair: Actor, tick: Callable[[int], dt.datetime]
) -> None:
    first, second, third, *_ = items(demo_ws, chair)
    # Before the meeting starts attendance is not taken: quoracy is not assessed.
    assert decide(demo_ws, chair, first).quorate is None
    start_meeting(demo_ws, chair, STEP_PANEL)
    ctx = decision_context(demo_ws, chair, second)
    warned = [f for f in ctx.evaluate(DecisionDraft("not_agreed", "x")) if f.rule == QUORUM_RULE]
    assert [f.severity for f in warned] == ["warn"]
    assert "not quorate" in warned[0].message
    decision = decide(demo_ws, chair, second)
    assert decision.quorate is False
    assert QUORUM_RULE in [f["rule"] for f in decision.findings]
    quorate_panel(demo_ws, chair)
    assert not [
        f
        for f in decision_context(demo_ws, chair, third).evaluate(DecisionDraft("defer", "x"))
        if f.rule == QUORUM_RULE
    ]
    ok = decide(demo_ws, chair, third)
    assert ok.quorate is True
    assert QUORUM_RULE not in [f["rule"] for f in ok.findings]


def test_finish_needs_a_reason_for_items_not_reached(
    demo_ws: Workspace, chair: Actor, tick: Callable[[int], dt.datetime]
) -> None:
    with pytest.raises(ValidationError, match="not started yet"):
        finish_meeting(demo_ws, chair, STEP_PANEL, "Ran out of time")
    start_meeting(demo_ws, chair, STEP_PANEL)
    with pytest.raises(ValidationError, match=r"Carry-forward reason: 8 item\(s\) were not"):
        finish_meeting(demo_ws, chair, STEP_PANEL, "  ")
    assert meeting_state(demo_ws, chair, STEP_PANEL).status == "in_progress"


def test_finish_carries_forward_notes_cases_and_starts_the_minutes_clock(
    demo_ws: Workspace, chair: Actor, tick: Callable[[int], dt.datetime]
) -> None:
    quorate_panel(demo_ws, chair)
    ids = items(demo_ws, chair)
    start_meeting(demo_ws, chair, STEP_PANEL)
    decide(demo_ws, chair, ids[0], "not_agreed")
    tick(15)
    open_item(demo_ws, chair, ids[1])
    decide(demo_ws, chair, ids[1], "defer")
    at = tick(20)
    result = finish_meeting(demo_ws, chair, STEP_PANEL, "Ran out of time")

    state = result.state
    assert (state.status, state.finished_at) == ("finished", at)
    assert all(i.ended_at is not None for i in state.items if i.started_at is not None)
    assert state.minutes_due is not None
    assert state.minutes_due.rule == "T-MINUTES-48H" and state.minutes_due.anchor == at
    assert state.minutes_due.due == dt.datetime(2026, 11, 27, 17, 0)
    # No later step-up/down meeting was planned: one is made a week later, same time.
    assert result.created_panel_id is not None
    assert [c.item_id for c in result.carried] == ids[2:]
    assert {c.to_panel_id for c in result.carried} == {result.created_panel_id}
    assert result.case_notes == 2
    with demo_ws.db.session() as s:
        new = s.get(Panel, result.created_panel_id)
        assert new is not None
        assert (new.meeting_type, new.status) == ("step_meeting", "planned")
        assert new.starts_at == dt.datetime(2026, 12, 2, 10, 30)
        assert {a.panel_role for a in new.attendance} == {"chair", "minutes"}
        assert [i.position for i in new.items] == list(range(1, 7))
        for old_id, moved in zip(ids[2:], new.items, strict=True):
            old = s.get(AgendaItem, old_id)
            assert old is not None
            assert (old.status, old.carried_forward_to_panel_id) == ("carried_forward", new.id)
            assert old.carry_reason == "Ran out of time"
            assert moved.request_id == old.request_id
            assert moved.status == "pending"
            assert moved.carry_reason == "Carried forward from 25/11/2026: Ran out of time"
            request = s.get(Request, old.request_id)
            assert request is not None and request.status == "on_agenda"
        notes = s.scalars(select(CaseNote).order_by(CaseNote.id)).all()
        assert [n.text for n in notes] == [
            "Discussed at Step-up/down meeting on 25/11/2026: Not agreed",
            "Discussed at Step-up/down meeting on 25/11/2026: Deferred for more information",
        ]
        assert {(n.source, n.author_id, n.at) for n in notes} == {("panel", chair.user_id, at)}
        panel = s.get(Panel, STEP_PANEL)
        assert panel is not None and panel.minutes_by_id == 3  # the co-ordinator minuting
    with pytest.raises(ValidationError, match="finished already"):
        finish_meeting(demo_ws, chair, STEP_PANEL, "again")


def test_finish_carries_to_the_next_planned_panel_of_the_same_type(
    demo_ws: Workspace, chair: Actor, tick: Callable[[int], dt.datetime]
) -> None:
    with demo_ws.db.session() as s:
        later = Panel(
            meeting_type="step_meeting", starts_at=dt.datetime(2027, 1, 5, 9, 30), venue="Hall"
        )
        sooner = Panel(
            meeting_type="step_meeting", starts_at=dt.datetime(2026, 12, 8, 9, 30), venue="Hall"
        )
        s.add_all([later, sooner])
        s.flush()
        sooner_id = sooner.id
    ids = items(demo_ws, chair)
    start_meeting(demo_ws, chair, STEP_PANEL)
    for item_id in ids[:-1]:
        decide(demo_ws, chair, item_id)
    result = finish_meeting(demo_ws, chair, STEP_PANEL, "Presenter off sick")
    assert result.created_panel_id is None
    assert [(c.item_id, c.to_panel_id) for c in result.carried] == [(ids[-1], sooner_id)]
    assert [row.id for row in get_panel(demo_ws, chair, sooner_id).items] == [
        result.carried[0].new_item_id
    ]


def test_nothing_to_carry_needs_no_reason(
    demo_ws: Workspace, chair: Actor, tick: Callable[[int], dt.datetime]
) -> None:
    start_meeting(demo_ws, chair, STEP_PANEL)
    for item_id in items(demo_ws, chair):
        decide(demo_ws, chair, item_id)
    result = finish_meeting(demo_ws, chair, STEP_PANEL)
    assert (result.carried, result.created_panel_id, result.case_notes) == ([], None, 8)


def test_only_panel_staff_run_a_meeting(demo_ws: Workspace) -> None:
    with pytest.raises(PermissionDeniedError, match="may not run a meeting"):
        start_meeting(demo_ws, WORKER, STEP_PANEL)
    assert meeting_state(demo_ws, WORKER, STEP_PANEL).status == "planned"


def test_planned_end_before_the_start_counts_only_items_to_discuss(
    demo_ws: Workspace, chair: Actor
) -> None:
    rows = get_panel(demo_ws, chair, STEP_PANEL).items
    slots = [row.slot_minutes for row in rows]
    hold_back(demo_ws, chair, rows[1].id, "Child and Family Plan not attached")
    with demo_ws.db.session() as s:  # carried here from an earlier panel's unfinished business
        carried = s.get(AgendaItem, rows[2].id)
        assert carried is not None
        carried.status = "carried_forward"
    state = meeting_state(demo_ws, chair, STEP_PANEL)
    assert state.status == "planned"
    left = sum(slots) - slots[1] - slots[2]
    assert state.projected_end == START + dt.timedelta(minutes=left)
