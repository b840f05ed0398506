"""Building an agenda: panels, items, order, slots, presenters, members, readiness, hold back."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from stepdesk.errors import PermissionDeniedError, ValidationError
from stepdesk.persistence.models import AgendaItem, Attendance, Request, RequestTransition
from stepdesk.services import Actor, Workspace
from stepdesk.services.agenda import (
    add_to_agenda,
    agenda_builder,
    approved_requests,
    create_panel,
    hold_back,
    invite_member,
    item_readiness,
    move_item,
    remove_from_agenda,
    reorder_agenda,
    set_presenter,
    set_slot,
    uninvite,
)
from stepdesk.services.panels import set_attendance
from stepdesk.services.people import actor_for
from tests.conftest import NOW

# Demo (seed 1): user 3 is a co-ordinator, 13 a worker, 1 a chair; requests 30 and 32 are
# QA-approved step-downs with the Child and Family Plan and signed consent, request 31 a
# QA-approved step-up with neither evidence nor consent.
COORDINATOR, WORKER, CHAIR = 3, 13, 1
READY_REQUEST, NOT_READY_REQUEST = 30, 31


@pytest.fixture
def coordinator(demo_ws: Workspace) -> Actor:
    return actor_for(demo_ws, COORDINATOR)


def _new_panel(ws: Workspace, actor: Actor) -> int:
    starts = dt.datetime(2026, 12, 8, 10, 0)  # a Tuesday
    return create_panel(
        ws, actor, "step_meeting", starts, "Riverside Family Centre", CHAIR
    ).panel.id


def test_create_panel_invites_the_chair(demo_ws: Workspace, coordinator: Actor) -> None:
    view = agenda_builder(demo_ws, coordinator, _new_panel(demo_ws, coordinator))
    assert view.panel.meeting_name == "Step-up/down meeting"
    assert [(a.user_id, a.panel_role) for a in view.attendance] == [(CHAIR, "chair")]
    assert view.items == [] and view.estimated_end == view.panel.starts_at
    assert [d.rule for d in view.deadlines] == ["T-FORM-48H", "T-AGENDA-24H"]


@pytest.mark.parametrize(
    ("kind", "starts", "venue", "field"),
    [
        ("tea_party", dt.datetime(2026, 12, 8, 10), "Room 1", "Meeting type"),
        ("step_meeting", NOW - dt.timedelta(days=1), "Room 1", "Date and time"),
        ("step_meeting", dt.datetime(2026, 12, 25, 10), "Room 1", "Date and time"),
        ("step_meeting", dt.datetime(2026, 12, 8, 10), "  ", "Venue"),
    ],
)
def test_create_panel_names_the_field(
    demo_ws: Workspace, coordinator: Actor, kind: str, starts: dt.datetime, venue: str, field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        create_panel(demo_ws, coordinator, kind, starts, venue, CHAIR)
    assert error.value.field == field


def test_a_worker_cannot_build_an_agenda(demo_ws: Workspace, coordinator: Actor) -> None:
    panel_id = _new_panel(demo_ws, coordinator)
    with pytest.raises(PermissionDeniedError, match="build panel agendas"):
        add_to_agenda(demo_ws, actor_for(demo_ws, WORKER), panel_id, READY_REQUEST)


def test_add_readiness_order_slots_and_end(demo_ws: Workspace, coordinator: Actor) -> None:
    assert {READY_REQUEST, NOT_READY_REQUEST} <= {
        r.id for r in approved_requests(demo_ws, coordinator)
    }
    panel_id = _new_panel(demo_ws, coordinator)
    add_to_agenda(demo_ws, coordinator, panel_id, READY_REQUEST, slot_minutes=20)
    view = add_to_agenda(demo_ws, coordinator, panel_id, NOT_READY_REQUEST)
    ready, not_ready = view.items
    assert ready.readiness.ready, ready.readiness.summary()
    assert not not_ready.readiness.ready
    rules = {r.rule for r in not_ready.readiness.reasons}
    assert {"C-EVIDENCE", "C-CONSENT-UP"} <= rules
    assert "C-EVIDENCE" in not_ready.readiness.summary()
    # The presenter is the worker who wrote it, invited as a presenter.
    assert not_ready.presenter_id is not None
    assert "presenter" in {a.panel_role for a in view.attendance}
    # Slots follow one another; the end is estimated from them.
    assert not_ready.row.slot_start == view.panel.starts_at + dt.timedelta(minutes=20)
    assert view.estimated_end == view.panel.starts_at + dt.timedelta(minutes=35)
    assert READY_REQUEST not in {r.id for r in approved_requests(demo_ws, coordinator)}

    # Reorder, by list and by one step.
    view = reorder_agenda(demo_ws, coordinator, panel_id, [not_ready.row.id, ready.row.id])
    assert [i.request_id for i in view.items] == [NOT_READY_REQUEST, READY_REQUEST]
    view = move_item(demo_ws, coordinator, not_ready.row.id, +1)
    assert [i.request_id for i in view.items] == [READY_REQUEST, NOT_READY_REQUEST]
    assert [i.row.position for i in view.items] == [1, 2]
    with pytest.raises(ValidationError, match="every item"):
        reorder_agenda(demo_ws, coordinator, panel_id, [ready.row.id])

    # A fixed start after a break, and a longer slot.
    view = set_slot(demo_ws, coordinator, not_ready.row.id, slot_minutes=30, start=dt.time(11, 0))
    assert view.items[1].row.slot_start == dt.datetime(2026, 12, 8, 11, 0)
    assert view.estimated_end == dt.datetime(2026, 12, 8, 11, 30)
    with pytest.raises(ValidationError, match="before the panel starts"):
        set_slot(demo_ws, coordinator, not_ready.row.id, start=dt.time(9, 0))
    with pytest.raises(ValidationError, match=r"^Slot length"):
        set_slot(demo_ws, coordinator, not_ready.row.id, slot_minutes=2)


def test_presenter_apologies_make_an_item_not_ready(demo_ws: Workspace, coordinator: Actor) -> None:
    panel_id = _new_panel(demo_ws, coordinator)
    view = add_to_agenda(demo_ws, coordinator, panel_id, READY_REQUEST)
    item = view.items[0]
    assert item_readiness(demo_ws, coordinator, item.row.id).ready
    att = next(a for a in view.attendance if a.user_id == item.presenter_id)
    set_attendance(demo_ws, coordinator, att.id, "apologies")
    readiness = item_readiness(demo_ws, coordinator, item.row.id)
    assert not readiness.ready and readiness.reasons[0].rule == "Presenter"
    assert "sent apologies" in readiness.summary()
    # Another presenter makes it ready again; the old one can then be uninvited.
    view = set_presenter(demo_ws, coordinator, item.row.id, WORKER)
    assert view.items[0].readiness.ready
    view = uninvite(demo_ws, coordinator, att.id)
    assert att.user_id not in {a.user_id for a in view.attendance}
    view = set_presenter(demo_ws, coordinator, item.row.id, None)
    assert "no presenter named" in view.items[0].readiness.summary()


def test_members_are_invited_with_roles(demo_ws: Workspace, coordinator: Actor) -> None:
    panel_id = _new_panel(demo_ws, coordinator)
    view = invite_member(demo_ws, coordinator, panel_id, 5, "member")
    view = invite_member(demo_ws, coordinator, panel_id, COORDINATOR, "minutes")
    roles = {a.user_id: a.panel_role for a in view.attendance}
    assert roles == {CHAIR: "chair", 5: "member", COORDINATOR: "minutes"}
    with pytest.raises(ValidationError, match=r"^Panel role"):
        invite_member(demo_ws, coordinator, panel_id, 6, "tea maker")
    chair_att = next(a for a in view.attendance if a.user_id == CHAIR)
    with pytest.raises(ValidationError, match="chair stays invited"):
        uninvite(demo_ws, coordinator, chair_att.id)


def test_hold_back_a_not_ready_item(demo_ws: Workspace, coordinator: Actor) -> None:
    panel_id = _new_panel(demo_ws, coordinator)
    add_to_agenda(demo_ws, coordinator, panel_id, READY_REQUEST, slot_minutes=20)
    view = add_to_agenda(demo_ws, coordinator, panel_id, NOT_READY_REQUEST)
    item = view.items[1]
    with pytest.raises(ValidationError, match=r"^Reason"):
        hold_back(demo_ws, coordinator, item.row.id, "")
    view = hold_back(demo_ws, coordinator, item.row.id, "No evidence tool, no consent yet.")
    held = view.items[1]
    assert held.held_back_reason == "No evidence tool, no consent yet."
    assert held.row.status == "held_back"
    assert view.estimated_end == view.panel.starts_at + dt.timedelta(minutes=20)  # takes no time
    assert view.ready_count == 1
    with demo_ws.db.session() as s:
        request = s.get_one(Request, NOT_READY_REQUEST)
        assert request.status == "qa_approved"
        last = s.scalars(
            select(RequestTransition)
            .where(RequestTransition.request_id == NOT_READY_REQUEST)
            .order_by(RequestTransition.id.desc())
        ).first()
        assert last is not None and last.note == "held back: No evidence tool, no consent yet."
    # Back on the same panel later: the same item, pending again.
    view = add_to_agenda(demo_ws, coordinator, panel_id, NOT_READY_REQUEST)
    assert len(view.items) == 2 and view.items[1].row.status == "pending"
    assert view.items[1].held_back_reason is None


def test_remove_from_agenda(demo_ws: Workspace, coordinator: Actor) -> None:
    panel_id = _new_panel(demo_ws, coordinator)
    add_to_agenda(demo_ws, coordinator, panel_id, READY_REQUEST)
    view = add_to_agenda(demo_ws, coordinator, panel_id, NOT_READY_REQUEST)
    view = remove_from_agenda(demo_ws, coordinator, view.items[0].row.id)
    assert [(i.request_id, i.row.position) for i in view.items] == [(NOT_READY_REQUEST, 1)]
    with demo_ws.db.session() as s:
        assert s.get_one(Request, READY_REQUEST).status == "qa_approved"
        assert (
            s.scalars(select(AgendaItem).where(AgendaItem.request_id == READY_REQUEST)).first()
            is None
        )
        assert s.scalars(select(Attendance).where(Attendance.panel_id == panel_id)).all()


def test_demo_panel_items_carry_readiness(demo_ws: Workspace, coordinator: Actor) -> None:
    view = agenda_builder(demo_ws, coordinator, 2)
    assert len(view.items) == 8
    assert any(not i.readiness.ready for i in view.items)
    assert view.estimated_end > view.panel.starts_at
