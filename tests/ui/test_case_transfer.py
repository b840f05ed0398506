"""The steps after a decision in the case dialog: transfer, handover, close (lifecycle-gated)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from stepdesk.persistence.models import AgendaItem, Case, Decision, Request
from stepdesk.services import Actor, Workspace
from stepdesk.services.cases import case_summary
from stepdesk.services.decisions import record_decision
from stepdesk.services.people import actor_for
from stepdesk.services.views import DecisionDraft
from tests.ui.conftest import OFFSCREEN_NOISE, unnamed_controls
from ui.case_dialog import CaseDialog
from ui.models import ROW_ROLE
from ui.pages.deadlines import DeadlinesPage

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

COORDINATOR = 3  # Olivia Carter: may make a transfer, as may workers and managers


def decided_case(ws: Workspace) -> tuple[int, int]:
    """A case whose latest request the panel agreed and nobody has yet effected."""
    with ws.db.session() as s:
        rows = s.execute(
            select(Request.case_id, Request.id)
            .join(AgendaItem, AgendaItem.request_id == Request.id)
            .join(Decision, Decision.agenda_item_id == AgendaItem.id)
            .where(Request.status == "decided", Decision.outcome == "agreed")
            .order_by(Request.id)
        ).all()
        for case_id, request_id in rows:
            latest = s.scalars(
                select(Request.id)
                .where(Request.case_id == case_id)
                .order_by(Request.created_at.desc(), Request.id.desc())
            ).first()
            if latest == request_id:
                return case_id, request_id
    raise AssertionError("the demo has no agreed decision waiting for its transfer")


def open_from_page(
    qtbot: QtBot, ws: Workspace, actor: Actor, case_id: int
) -> tuple[DeadlinesPage, CaseDialog]:
    """The case opened from the Deadlines page (keep the page: the dialog is its child)."""
    page = DeadlinesPage(ws, actor)
    qtbot.addWidget(page)
    page.scope.setCurrentIndex(page.scope.findData("all"))
    proxy = page.proxy
    row = next(
        r
        for r in range(proxy.rowCount())
        if proxy.index(r, 0).data(ROW_ROLE).row.case_id == case_id
    )
    dialog = page.open_index(proxy.index(row, 0))
    assert dialog is not None
    return page, dialog


def test_a_coordinator_makes_the_transfer_then_arranges_the_handover(
    qtbot: QtBot, demo_ws: Workspace
) -> None:
    case_id, request_id = decided_case(demo_ws)
    _page, dialog = open_from_page(qtbot, demo_ws, actor_for(demo_ws, COORDINATOR), case_id)
    buttons = dialog.step_buttons
    assert dialog.steps_box.isVisible()
    assert buttons["effected"].isEnabled()
    assert not buttons["handover_arranged"].isEnabled()
    # The refusal says what must happen first.
    assert "first make the transfer" in buttons["handover_arranged"].toolTip()
    assert "Handover arranged: " in dialog.why_not.text()
    assert unnamed_controls(dialog.steps_box) == []
    with demo_ws.db.session() as s:
        team_before = s.get(Case, case_id).team_id  # type: ignore[union-attr]
    with qtbot.waitSignal(dialog.changed):
        qtbot.mouseClick(buttons["effected"], Qt.MouseButton.LeftButton)
    with demo_ws.db.session() as s:
        request = s.get(Request, request_id)
        assert request is not None and request.status == "effected"
        case = s.get(Case, case_id)
        assert case is not None and case.plan == request.to_plan
        moved_team = case.team_id
    assert dialog.step_result.text()
    assert "Transfer done" in dialog.step_status.text()
    assert not buttons["effected"].isEnabled()
    assert buttons["handover_arranged"].isEnabled()
    qtbot.mouseClick(buttons["handover_arranged"], Qt.MouseButton.LeftButton)
    with demo_ws.db.session() as s:
        assert s.get(Request, request_id).status == "handover_arranged"  # type: ignore[union-attr]
    assert buttons["handover_completed"].isEnabled()
    assert team_before is not None and moved_team is not None


def test_a_chair_is_told_who_may_make_the_transfer(
    qtbot: QtBot, demo_ws: Workspace, chair: Actor
) -> None:
    case_id, request_id = decided_case(demo_ws)
    _page, dialog = open_from_page(qtbot, demo_ws, chair, case_id)
    make = dialog.step_buttons["effected"]
    assert not make.isEnabled()
    assert "may not make the transfer" in make.toolTip()
    assert "co-ordinator" in dialog.why_not.text()
    # A chair may close a decided request that needs no transfer; the lifecycle allows it.
    assert dialog.step_buttons["closed"].isEnabled()
    with demo_ws.db.session() as s:
        assert s.get(Request, request_id).status == "decided"  # type: ignore[union-attr]


def test_a_request_not_yet_decided_shows_no_steps(qtbot: QtBot, demo_ws: Workspace) -> None:
    with demo_ws.db.session() as s:
        case_id = s.scalars(
            select(Request.case_id).where(Request.status == "qa_approved").order_by(Request.id)
        ).first()
    assert case_id is not None
    _page, dialog = open_from_page(qtbot, demo_ws, actor_for(demo_ws, COORDINATOR), case_id)
    assert dialog.steps_box.isHidden()


def test_a_refusal_offers_only_closing(qtbot: QtBot, demo_ws: Workspace, chair: Actor) -> None:
    case_id, request_id = decided_case(demo_ws)
    with demo_ws.db.session() as s:
        item_id = s.scalars(select(AgendaItem.id).where(AgendaItem.request_id == request_id)).one()
    record_decision(demo_ws, chair, item_id, DecisionDraft("not_agreed", "Risks not reduced."))
    coordinator = actor_for(demo_ws, COORDINATOR)
    dialog = CaseDialog(
        case_summary(demo_ws, coordinator, case_id), demo_ws.now(), ws=demo_ws, actor=coordinator
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.step_status.text() == f"Request No. {request_id}: Decided: not agreed."
    buttons = dialog.step_buttons
    assert [t for t, b in buttons.items() if b.isEnabled()] == ["closed"]
    # One line gives the one reason for the three steps that are not open.
    assert dialog.why_not.text() == (
        "Make the transfer, Handover arranged, Handover completed: The outcome is 'Not "
        "agreed': there is no transfer or handover; the request closes when the chair "
        "approves the minutes, or close it now."
    )
    dialog.resize(760, 700)
    dialog.grab().save("/tmp/refusal_case.png")
