"""Ctrl+K finds and opens a case; Help → Keyboard shortcuts lists every shortcut."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from stepdesk.services import Actor, Workspace
from stepdesk.services.search import CaseHit
from tests.ui.conftest import OFFSCREEN_NOISE, current_id, unnamed_controls
from ui.main_window import MainWindow
from ui.search_dialog import SearchDialog
from ui.shortcuts_dialog import ShortcutsDialog, shortcut_rows

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def test_ctrl_k_finds_a_case_and_opens_it_on_its_agenda(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, object] = {}

    def drive(dialog: SearchDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.keyClicks(dialog.query, "jamie hig")
        seen["results"] = [dialog.results.item(i).text() for i in range(dialog.results.count())]
        seen["unnamed"] = unnamed_controls(dialog)
        QTest.keyClick(dialog.query, Qt.Key.Key_Return)
        return dialog.result()

    monkeypatch.setattr(SearchDialog, "exec", drive)
    window.pages.setCurrentWidget(window.meeting_page)  # from anywhere
    QTest.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    results = seen["results"]
    assert isinstance(results, list) and len(results) == 1
    assert results[0].startswith("Jamie Higgins · C-")
    assert "on the panel of 30/11/2026 09:00" in results[0]
    assert seen["unnamed"] == []
    assert window.pages.currentIndex() == 0
    assert (current_id(window.upcoming_view), current_id(window.agenda_view)) == (3, 19)
    assert window.case_pane.subject.text() == "Jamie Higgins"


def test_a_case_on_no_agenda_is_said_so(
    qtbot: QtBot, window: MainWindow, demo_ws: Workspace, chair: Actor
) -> None:
    from ui.search_dialog import open_hit

    hit = CaseHit(1, "C-1", "A Person", None, "Team", "Plan", None, None, None)
    open_hit(window, hit)
    assert window.message.text() == "A Person (C-1) is on no panel's agenda: Plan, Team."


def test_the_shortcuts_window_lists_every_shortcut(qtbot: QtBot, window: MainWindow) -> None:
    rows = shortcut_rows(window)
    keys = {what: k for what, k, _ in rows}
    assert keys["Find a case"] == "Ctrl+K"
    assert keys["Start meeting"] == "Ctrl+Shift+S"
    assert keys["Next case"] == "Alt+Right"
    assert keys["Keyboard shortcuts"] == "F1"
    pairs = [(what, k) for what, k, _ in rows]
    # The Panels page's and the meeting page's own Record decision.
    assert {("Record decision", "Ctrl+D"), ("Record decision", "Ctrl+Shift+D")} <= set(pairs)
    assert len({k for _, k in pairs}) == len(pairs)  # no two actions share a shortcut
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(rows)
    assert unnamed_controls(dialog) == []
