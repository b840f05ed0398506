"""The decision dialog once the panel's minutes are approved: the notice and the reason field."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reports.minutes import render_minutes
from stepdesk.services import Actor, Workspace
from stepdesk.services.amendments import minutes_state
from stepdesk.services.cases import item_detail
from stepdesk.services.decisions import record_decision
from stepdesk.services.document_views import MinutesState
from stepdesk.services.minutes import approve_minutes
from stepdesk.services.views import DecisionDraft
from tests.stepdesk.test_decision_amend import amend_events
from tests.stepdesk.test_refusal_final import AGREED_STEP_UP, PAST
from tests.ui.conftest import OFFSCREEN_NOISE, select_row
from ui.decision_dialog import DecisionDialog
from ui.documents import ApproveMinutesDialog
from ui.main_window import MainWindow
from ui.pages.deadlines import DeadlinesPage

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

REASON = "The school's report arrived after the panel."


def open_dialog(qtbot: QtBot, ws: Workspace, actor: Actor) -> DecisionDialog:
    existing = item_detail(ws, actor, AGREED_STEP_UP).decision
    dialog = DecisionDialog.create(None, ws, actor, AGREED_STEP_UP, existing)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_before_approval_no_reason_is_asked(qtbot: QtBot, demo_ws: Workspace, chair: Actor) -> None:
    dialog = open_dialog(qtbot, demo_ws, chair)
    assert not dialog.change_reason.isVisible()
    assert not hasattr(dialog, "minutes_notice")
    assert dialog.draft().change_note is None


def test_after_approval_a_change_needs_its_reason(
    qtbot: QtBot, demo_ws: Workspace, chair: Actor
) -> None:
    approve_minutes(demo_ws, chair, PAST, render=render_minutes)
    demo_ws.now = lambda: dt.datetime(2026, 11, 23, 10, 30)
    dialog = open_dialog(qtbot, demo_ws, chair)
    assert dialog.minutes_notice.isVisible()
    assert dialog.minutes_notice.text() == (
        f"The minutes of 09/11/2026 were approved on 23/11/2026 09:00 by {chair.name}: "
        "a change needs a reason and a corrected version of the minutes"
    )
    assert dialog.minutes_notice.textFormat() == Qt.TextFormat.PlainText
    assert dialog.change_reason.isVisible()
    assert dialog.change_reason.accessibleName() == "Reason for the change"

    dialog.outcome.setCurrentIndex(dialog.outcome.findData("defer"))
    dialog.rationale.setPlainText("More information needed from the school.")
    assert not dialog.save_button.isEnabled()  # no reason yet
    assert "give the reason for the change" in dialog.save_button.toolTip()
    qtbot.keyClicks(dialog.change_reason, "   ")
    assert not dialog.save_button.isEnabled()  # blanks are no reason
    dialog.change_reason.clear()
    qtbot.keyClicks(dialog.change_reason, REASON)
    assert dialog.save_button.isEnabled()
    assert dialog.to_data()["change_reason"] == REASON  # kept with the draft, too

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.decision is not None and dialog.decision.outcome == "defer"
    (event,) = amend_events(demo_ws)
    assert event.detail["reason"] == REASON
    assert minutes_state(demo_ws, chair, PAST).out_of_date


def test_the_services_refusal_is_shown_beside_the_reason(
    qtbot: QtBot, demo_ws: Workspace, chair: Actor
) -> None:
    """Approved while the dialog was open: the service asks for the reason, the field shows it."""
    dialog = open_dialog(qtbot, demo_ws, chair)  # opened before approval: no reason asked
    approve_minutes(demo_ws, chair, PAST, render=render_minutes)
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("defer"))
    dialog.rationale.setPlainText("More information needed from the school.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.decision is None
    assert "say why the decision changes" in (dialog.field_error("Reason for the change") or "")
    assert dialog.change_reason.isVisible() and dialog.focusWidget() is dialog.change_reason
    assert amend_events(demo_ws) == []
    qtbot.keyClicks(dialog.change_reason, REASON)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.decision is not None
    assert [e.detail["reason"] for e in amend_events(demo_ws)] == [REASON]


def test_the_documents_menu_says_the_minutes_are_out_of_date_until_corrected(
    qtbot: QtBot,
    window: MainWindow,
    demo_ws: Workspace,
    chair: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    docs = window.controller.documents
    select_row(window.past_view, PAST)
    approve_minutes(demo_ws, chair, PAST, render=render_minutes)
    docs.update()
    assert not docs.out_of_date_action.isVisible()

    demo_ws.now = lambda: dt.datetime(2026, 11, 23, 10, 30)
    draft = DecisionDraft("defer", "More information needed.", change_note=REASON)
    record_decision(demo_ws, chair, AGREED_STEP_UP, draft)
    docs.update()
    assert docs.out_of_date_action.isVisible()
    assert docs.out_of_date_action.text() == (
        f"Minutes out of date: decision changed on 23/11/2026 10:30 by {chair.name}; "
        "approve a correction"
    )
    assert docs.approve_action.text() == "A&pprove corrected minutes…"

    # The approval dialog says so and comes with the change note derived from the change.
    state = minutes_state(demo_ws, chair, PAST)
    dialog = ApproveMinutesDialog(window, "the CIN panel on 09/11/2026", [], state)
    qtbot.addWidget(dialog)
    assert dialog.note.toPlainText() == state.suggested_note
    assert REASON in dialog.note.toPlainText()

    seen: list[MinutesState | None] = []

    def ask(cls: object, parent: object, title: str, versions: object, state=None):  # type: ignore[no-untyped-def]
        seen.append(state)
        return state.suggested_note if state is not None else None

    monkeypatch.setattr(ApproveMinutesDialog, "ask", classmethod(ask))
    docs.out_of_date_action.trigger()  # the line itself leads the chair to the correction
    assert seen and seen[0] is not None and seen[0].out_of_date
    assert "Minutes approved: version 2" in window.message.text()
    assert not docs.out_of_date_action.isVisible()
    assert docs.approve_action.text() == "A&pprove minutes…"


def test_the_deadlines_page_shows_the_correction_clock(
    qtbot: QtBot, demo_ws: Workspace, chair: Actor
) -> None:
    approve_minutes(demo_ws, chair, PAST, render=render_minutes)
    demo_ws.now = lambda: dt.datetime(2026, 11, 23, 10, 30)
    draft = DecisionDraft("defer", "More information needed.", change_note=REASON)
    record_decision(demo_ws, chair, AGREED_STEP_UP, draft)
    page = DeadlinesPage(demo_ws, chair)
    qtbot.addWidget(page)
    rows = [
        [page.proxy.index(r, c).data() for c in range(page.proxy.columnCount())]
        for r in range(page.proxy.rowCount())
    ]
    (row,) = [r for r in rows if any("Corrected minutes (version 2)" in str(v) for v in r)]
    assert "T-MINUTES-48H" in row and "25/11/2026 17:00" in row
