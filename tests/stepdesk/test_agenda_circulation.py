"""T-AGENDA-24H: writing the agenda pack for circulation records when, the deadline reads it
(met / met late), and the co-ordinator reads "Agenda circulated dd/mm/yyyy HH:MM"."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from stepdesk.errors import PermissionDeniedError, ValidationError
from stepdesk.persistence.models import AuditEvent, Panel, Request
from stepdesk.services import Actor, Workspace
from stepdesk.services.agenda import agenda_builder
from stepdesk.services.deadlines import all_deadlines
from stepdesk.services.documents import agenda_document, record_agenda_circulated
from stepdesk.services.meeting import start_meeting
from stepdesk.services.people import actor_for
from stepdesk.timescales import Rag
from tests.conftest import NOW

STEP_PANEL = 2  # 25/11/2026 10:30: T-AGENDA-24H is due 24/11/2026 10:30
DUE = dt.datetime(2026, 11, 24, 10, 30)
COORDINATOR, WORKER = 3, 13


def _agenda_rows(ws: Workspace, actor: Actor, panel_id: int = STEP_PANEL) -> list[object]:
    with ws.db.session() as s:
        panel = s.get_one(Panel, panel_id)
        cases = {i.request.case_id for i in panel.items}
    return [
        r
        for r in all_deadlines(ws, actor)
        if r.deadline.rule == "T-AGENDA-24H"
        and r.case_id in cases
        and r.deadline.anchor == panel.starts_at
    ]


def test_circulating_records_the_time_audits_it_and_meets_the_deadline(
    demo_ws: Workspace,
) -> None:
    coordinator = actor_for(demo_ws, COORDINATOR)
    before = _agenda_rows(demo_ws, coordinator)
    assert len(before) == 8 and not any(r.deadline.done for r in before)  # type: ignore[attr-defined]
    view = agenda_builder(demo_ws, coordinator, STEP_PANEL)
    assert view.deadlines[-1].met_at is None

    done = record_agenda_circulated(demo_ws, coordinator, STEP_PANEL)
    assert (done.circulated_at, done.first, done.deadline.late) == (NOW, True, False)
    assert done.text() == (
        "Agenda circulated 23/11/2026 09:00 (on time: due 24/11/2026 10:30, T-AGENDA-24H)."
    )
    with demo_ws.db.session() as s:
        assert s.get_one(Panel, STEP_PANEL).agenda_circulated_at == NOW
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "circulate")).one()
        assert (event.entity, event.entity_id, event.user_id) == (
            "panel.agenda",
            STEP_PANEL,
            COORDINATOR,
        )
        assert event.detail["late"] is False
    after = _agenda_rows(demo_ws, coordinator)
    assert all(r.deadline.done and r.rag == Rag.DONE for r in after)  # type: ignore[attr-defined]
    assert all(not r.deadline.late for r in after)  # type: ignore[attr-defined]
    builder = agenda_builder(demo_ws, coordinator, STEP_PANEL).deadlines[-1]
    assert (builder.done, builder.met_at) == (True, NOW)
    assert builder.explain().endswith("met 23/11/2026 09:00")


def test_a_late_circulation_is_met_late_and_a_second_keeps_the_first_time(
    demo_ws: Workspace,
) -> None:
    coordinator = actor_for(demo_ws, COORDINATOR)
    late = DUE + dt.timedelta(hours=2)
    demo_ws.now = lambda: late
    done = record_agenda_circulated(demo_ws, coordinator, STEP_PANEL)
    assert done.deadline.late and done.deadline.done
    assert done.text() == (
        "Agenda circulated 24/11/2026 12:30 (late: due 24/11/2026 10:30, T-AGENDA-24H)."
    )
    assert done.deadline.explain().endswith("met late 24/11/2026 12:30")
    demo_ws.now = lambda: late + dt.timedelta(hours=1)
    again = record_agenda_circulated(demo_ws, coordinator, STEP_PANEL)
    assert (again.first, again.circulated_at) == (False, late)
    with demo_ws.db.session() as s:
        actions = s.scalars(
            select(AuditEvent.action).where(AuditEvent.entity == "panel.agenda")
        ).all()
    assert [a for a in actions if "circulate" in a] == ["circulate", "recirculate"]
    rows = _agenda_rows(demo_ws, coordinator)
    assert rows and all(r.deadline.late for r in rows)  # type: ignore[attr-defined]


def test_a_request_qad_after_circulation_is_met_when_qad(demo_ws: Workspace) -> None:
    coordinator = actor_for(demo_ws, COORDINATOR)
    record_agenda_circulated(demo_ws, coordinator, STEP_PANEL)
    with demo_ws.db.session() as s:
        panel = s.get_one(Panel, STEP_PANEL)
        request = s.get_one(Request, panel.items[0].request_id)
        case_id = request.case_id
        request.qa_at = DUE + dt.timedelta(hours=5)
        unqa = s.get_one(Request, panel.items[1].request_id)
        unqa_case = unqa.case_id
        unqa.qa_at = None
    rows = {r.case_id: r.deadline for r in _agenda_rows(demo_ws, coordinator)}  # type: ignore[attr-defined]
    assert rows[case_id].met_at == DUE + dt.timedelta(hours=5) and rows[case_id].late
    assert not rows[unqa_case].done and rows[unqa_case].met_at is None


def test_only_the_agenda_builders_circulate_and_only_before_the_meeting(
    demo_ws: Workspace, chair: Actor
) -> None:
    with pytest.raises(PermissionDeniedError, match="may not build panel agendas"):
        record_agenda_circulated(demo_ws, actor_for(demo_ws, WORKER), STEP_PANEL)
    with pytest.raises(ValidationError, match=r"Circulated at: .* is in the future"):
        record_agenda_circulated(demo_ws, chair, STEP_PANEL, NOW + dt.timedelta(minutes=5))
    start_meeting(demo_ws, chair, STEP_PANEL)
    with pytest.raises(ValidationError, match="Agenda: the meeting has started"):
        record_agenda_circulated(demo_ws, chair, STEP_PANEL)
    with demo_ws.db.session() as s:
        assert s.get_one(Panel, STEP_PANEL).agenda_circulated_at is None


def test_the_pack_for_circulation_says_when_it_was_circulated(demo_ws: Workspace) -> None:
    coordinator = actor_for(demo_ws, COORDINATOR)
    plain = agenda_document(demo_ws, coordinator, STEP_PANEL)
    assert plain.circulated_at is None
    sent = agenda_document(demo_ws, coordinator, STEP_PANEL, for_circulation=True)
    assert sent.circulated_at == NOW
    agenda = next(d for d in sent.deadlines if d.rule == "T-AGENDA-24H")
    assert agenda.met_at == NOW
    # Once recorded, the first time is what every later pack prints.
    record_agenda_circulated(demo_ws, coordinator, STEP_PANEL, sent.circulated_at)
    demo_ws.now = lambda: NOW + dt.timedelta(hours=3)
    again = agenda_document(demo_ws, coordinator, STEP_PANEL, for_circulation=True)
    assert again.circulated_at == NOW
