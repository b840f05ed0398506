"""The main window: panels, agenda, case pane, notes autosave, attendance, keyboard, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QPlainTextEdit,
)
from pytestqt.qtbot import QtBot

from stepdesk.persistence.database import open_database
from stepdesk.services import Actor, Workspace
from stepdesk.services.cases import item_detail
from stepdesk.services.panels import get_panel
from tests.conftest import NOW
from tests.ui.conftest import (
    BLOCKED_ITEM,
    CIN_PANEL,
    OFFSCREEN_NOISE,
    current_id,
    select_row,
    unnamed_controls,
)
from ui.app import run
from ui.decision_dialog import DecisionDialog
from ui.main_window import MainWindow
from ui.models.attendance_model import APOLOGIES_COLUMN, PRESENT_COLUMN
from ui.notes_editor import NotesEditor

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def fresh_workspace(path: Path) -> Workspace:
    """Another workspace on the same file: proves what was saved, not what is on screen."""
    return Workspace(open_database(path), now=lambda: NOW)


def test_opens_on_the_soonest_upcoming_panel(window: MainWindow, demo_path: Path) -> None:
    assert window.windowTitle() == f"StepDesk — {demo_path.name} — Łukasz Macdonald (Panel chair)"
    assert window.upcoming_filter.rowCount() == 3
    assert window.past_filter.rowCount() == 1
    assert current_id(window.upcoming_view) == 2
    assert window.panel_title.text() == "Step-up/down meeting, 25/11/2026"
    assert window.agenda_model.rowCount() == 8
    assert window.attendance_model.rowCount() == 12
    # The first item is open: its case summary and its notes.
    assert window.case_pane.subject.text() == window.agenda_model.row_at(0).subject_name
    assert window.notes.item_id == window.agenda_model.row_at(0).id


def test_past_and_upcoming_lists_select_one_panel(window: MainWindow) -> None:
    select_row(window.past_view, 1)
    assert window.panel_title.text() == "CIN panel, 09/11/2026"
    assert not window.upcoming_view.selectionModel().hasSelection()
    assert window.agenda_model.index(0, 6).data() == "Agreed as requested"
    select_row(window.upcoming_view, CIN_PANEL)
    assert not window.past_view.selectionModel().hasSelection()
    assert window.panel_title.text() == "CIN panel, 30/11/2026"


def test_case_pane_shows_findings_and_deadlines(window: MainWindow) -> None:
    select_row(window.upcoming_view, CIN_PANEL)
    select_row(window.agenda_view, BLOCKED_ITEM)
    pane = window.case_pane
    assert pane.subject.text() == "Jamie Higgins"
    assert "C-100333" in pane.identity.text()
    assert "Child in Need plan" in pane.level.text()
    assert "Child Protection plan" in pane.history.text()
    texts = pane.findings.texts()
    assert texts[0].startswith("Blocks · T-CP-CIN-3M:")
    assert texts[0].endswith("[004 5.1]")
    assert pane.findings.findings()[0].severity == "block"
    assert any("T-AGENDA-24H" in t for t in pane.deadlines.texts())
    # Findings are styled by severity through the stylesheet, and say it in words too.
    label = pane.findings.labels()[0]
    assert label.property("severity") == "block"


def test_notes_autosave_after_typing(qtbot: QtBot, window: MainWindow, demo_path: Path) -> None:
    item_id = window.notes.item_id
    with qtbot.waitSignal(window.notes.saved, timeout=5000) as blocker:
        qtbot.keyClicks(window.notes.editor, "Family attended; school report read.")
    assert blocker.args == [item_id, "09:00:00"]
    assert window.notes.status.text() == "Saved 09:00:00"
    other = fresh_workspace(demo_path)
    try:
        detail = item_detail(other, window.controller.actor, item_id)
    finally:
        other.db.close()
    assert detail.notes == "Family attended; school report read."


def test_notes_saved_on_item_change_and_close(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    first = window.notes.item_id
    window.notes.editor.setPlainText("Typed, then straight on to the next item")
    with qtbot.assertNotEmitted(window.notes.saved, wait=0):
        pass  # nothing saved before the debounce or a change of item
    with qtbot.waitSignal(window.notes.saved, timeout=0):
        window.controller.next_item()
    second = window.notes.item_id
    assert second != first
    window.notes.editor.setPlainText("Typed, then the window closed")
    with qtbot.waitSignal(window.notes.saved, timeout=0):
        window.close()  # never asks: there is nothing unsaved to ask about
    other = fresh_workspace(demo_path)
    try:
        actor = window.controller.actor
        assert item_detail(other, actor, first).notes == "Typed, then straight on to the next item"
        assert item_detail(other, actor, second).notes == "Typed, then the window closed"
    finally:
        other.db.close()


def test_attendance_change_persists(window: MainWindow, demo_path: Path) -> None:
    model = window.attendance_model
    member = model.row_at(1)
    model.setData(
        model.index(1, PRESENT_COLUMN), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole
    )
    assert model.row_at(1).status == "present"
    assert model.index(1, PRESENT_COLUMN).data(Qt.ItemDataRole.CheckStateRole) == (
        Qt.CheckState.Checked
    )
    model.setData(
        model.index(2, APOLOGIES_COLUMN), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole
    )
    assert "Attendance saved" in window.message.text()
    other = fresh_workspace(demo_path)
    try:
        saved = {a.id: a.status for a in get_panel(other, window.controller.actor, 2).attendance}
    finally:
        other.db.close()
    assert saved[member.id] == "present"
    assert saved[model.row_at(2).id] == "apologies"


def test_service_errors_show_in_the_status_bar(window: MainWindow) -> None:
    window.controller.change_attendance(window.attendance_model.row_at(0).id, "late")
    assert window.message.text().startswith("attendance: 'late' is not one of:")
    assert window.message.property("kind") == "error"
    assert "Traceback" not in window.message.text()


def test_keyboard_moves_between_items_and_opens_the_decision(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.next_action.shortcut().toString() == "Alt+Down"
    assert window.previous_action.shortcut().toString() == "Alt+Up"
    assert window.decision_action.shortcut().toString() == "Ctrl+D"
    assert window.export_action.shortcut().toString() == "Ctrl+E"
    rows = window.agenda_model.rows()
    assert not window.previous_action.isEnabled()
    window.next_action.trigger()
    window.next_action.trigger()
    assert current_id(window.agenda_view) == rows[2].id
    assert window.case_pane.subject.text() == rows[2].subject_name
    window.previous_action.trigger()
    assert current_id(window.agenda_view) == rows[1].id

    asked = []
    monkeypatch.setattr(
        DecisionDialog, "ask", classmethod(lambda cls, *args, **kw: asked.append(args[3]))
    )
    qtbot.keyClick(window.agenda_view, Qt.Key.Key_Return)
    viewport = window.agenda_view.viewport()
    centre = window.agenda_view.visualRect(window.agenda_model.index(1, 2)).center()
    # QTest's double click alone has no press before it; a real one does.
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=centre)
    window.decision_action.trigger()
    assert asked == [rows[1].id] * 3


def test_every_control_has_an_accessible_name(window: MainWindow) -> None:
    assert unnamed_controls(window) == []


def test_read_only_roles_cannot_edit(qtbot: QtBot, demo_ws: Workspace) -> None:
    auditor = Actor(None, "Avery Auditor", "auditor")
    win = MainWindow(demo_ws, auditor)
    qtbot.addWidget(win)
    assert not win.decision_action.isEnabled()
    assert not win.decision_button.isEnabled()
    assert win.notes.editor.isReadOnly()
    tick = win.attendance_model.index(0, PRESENT_COLUMN)
    assert not tick.flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert win.export_action.isEnabled()  # anyone may export the minutes


def test_run_shows_the_window_with_the_stylesheet(
    qapp: QApplication, demo_ws: Workspace, chair: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QApplication, "exec", lambda *args: 0)
    try:
        assert run(demo_ws, chair) == 0
        assert 'QLabel[severity="block"]' in qapp.styleSheet()
        shown = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        assert len(shown) == 1
        qapp.processEvents()  # a stylesheet Qt cannot parse would warn here and fail
    finally:
        for widget in qapp.topLevelWidgets():
            if isinstance(widget, MainWindow):
                widget.close()
                widget.deleteLater()
        qapp.setStyleSheet("")


def test_notes_editor_is_plain_text_only(qtbot: QtBot) -> None:
    editor = NotesEditor()
    qtbot.addWidget(editor)
    assert isinstance(editor.editor, QPlainTextEdit)


def test_notes_kept_through_a_failed_save_and_a_change_of_item(
    qtbot: QtBot, window: MainWindow, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stepdesk.errors import DatabaseError
    from ui import controller as controller_module

    real_save = controller_module.save_item_notes

    def locked(*args: object, **kwargs: object) -> str:
        raise DatabaseError("The database is busy in another program.")

    first = window.notes.item_id
    monkeypatch.setattr(controller_module, "save_item_notes", locked)
    window.notes.editor.setPlainText("Typed while the database was locked")
    window.controller.next_item()  # the save fails; the text must not be lost
    assert "not saved" in window.message.text().lower()
    monkeypatch.setattr(controller_module, "save_item_notes", real_save)
    window.controller.previous_item()
    assert window.notes.item_id == first
    assert window.notes.editor.toPlainText() == "Typed while the database was locked"
    with qtbot.waitSignal(window.notes.saved, timeout=2000):
        pass  # the retry goes through once the database is free
    other = fresh_workspace(demo_path)
    try:
        detail = item_detail(other, window.controller.actor, first)
        assert detail.notes == "Typed while the database was locked"
    finally:
        other.db.close()
