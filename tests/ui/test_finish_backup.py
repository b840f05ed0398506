"""Finishing a meeting when the automatic backup cannot be written: the meeting is finished,
and the status bar says (as an error) that the backup failed and what to do."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from stepdesk.services import Actor, Workspace
from stepdesk.services.meeting import meeting_state
from tests.ui.conftest import CIN_PANEL, OFFSCREEN_NOISE, select_row
from ui.main_window import MainWindow
from ui.meeting_dialogs import FinishMeetingDialog

pytestmark = pytest.mark.qt_log_ignore(
    OFFSCREEN_NOISE, "This plugin does not support (raise|grabbing the keyboard)"
)


def test_a_failed_backup_is_shown_as_an_error_and_the_meeting_stays_finished(
    qtbot: QtBot,
    window: MainWindow,
    demo_ws: Workspace,
    chair: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A file where the backups folder should be: the backup cannot be written.
    (demo_ws.db.path.parent / "backups").write_text("in the way")  # type: ignore[union-attr]
    select_row(window.upcoming_view, CIN_PANEL)
    page = window.meeting_page
    window.pages.setCurrentWidget(page)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert page.status.text().startswith("In progress")
    monkeypatch.setattr(
        FinishMeetingDialog, "ask", classmethod(lambda cls, parent, waiting: "Out of time")
    )
    qtbot.mouseClick(page.finish_button, Qt.MouseButton.LeftButton)

    assert page.status.text().startswith("Finished at")
    assert meeting_state(demo_ws, chair, CIN_PANEL).status == "finished"
    message = window.message.text()
    # The failure leads, so a narrow status bar cannot cut it off.
    assert message.startswith("Automatic backup FAILED: Cannot write the backup")
    assert "The meeting is finished and saved; make a backup now (File → Back up now…)" in message
    assert "Meeting finished at " in message
    assert window.message.property("kind") == "error"
