"""Two co-ordinators typing minute notes for the same item on a shared database: the editor
shows theirs and keeps mine below a marked line, saves both, and undo brings mine back."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from stepdesk.persistence.models import AgendaItem
from stepdesk.services import Workspace
from stepdesk.services.minutes import save_item_notes
from stepdesk.services.people import actor_for
from tests.ui.conftest import CIN_PANEL, OFFSCREEN_NOISE, select_row
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

ITEM, SIAN = 17, 4


def _stored(ws: Workspace) -> str | None:
    with ws.db.session() as s:
        return s.get_one(AgendaItem, ITEM).notes


def test_someone_elses_save_is_kept_and_so_is_mine(
    qtbot: QtBot, window: MainWindow, demo_ws: Workspace
) -> None:
    select_row(window.upcoming_view, CIN_PANEL)
    select_row(window.agenda_view, ITEM)
    notes = window.notes
    assert notes.item_id == ITEM
    qtbot.keyClicks(notes.editor, "Presented by the worker.")
    notes.flush()
    assert _stored(demo_ws) == "Presented by the worker."

    # Meanwhile, on another laptop, the other co-ordinator saves their version.
    theirs = "Presented by the worker. School attended."
    save_item_notes(demo_ws, actor_for(demo_ws, SIAN), ITEM, theirs)
    qtbot.keyClicks(notes.editor, " Family agreed.")
    notes.flush()

    assert _stored(demo_ws) == theirs  # not overwritten
    shown = notes.editor.toPlainText()
    assert shown.startswith(theirs + "\n\n--- Not saved: your version (notes changed by Siân")
    assert shown.endswith("---\nPresented by the worker. Family agreed.")
    assert notes.status.text() == "Changed by someone else: both versions kept"
    assert window.message.text().startswith(
        "Minute notes: These minute notes were changed by Siân Jones"
    )
    notes.flush()  # the autosave that follows: both versions are now saved
    assert _stored(demo_ws) == shown
    assert notes.status.text().startswith("Saved")
    notes.editor.undo()  # one step back: just what was typed here
    assert notes.editor.toPlainText() == "Presented by the worker. Family agreed."
