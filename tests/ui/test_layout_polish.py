"""Small layout fixes seen on a 1366×768 screen, at the system text size and at 150 %."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from stepdesk.services import Actor, Workspace
from tests.ui.conftest import BLOCKED_ITEM, OFFSCREEN_NOISE
from ui import theme
from ui.decision_dialog import DecisionDialog

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def shown_dialog(qtbot: QtBot, ws: Workspace, actor: Actor, item_id: int) -> DecisionDialog:
    """The decision dialog, shown at its own size (it opens at 1100×700 or wider)."""
    dialog = DecisionDialog.create(None, ws, actor, item_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.fixture(autouse=True)
def _delete_closed_windows(qapp: QApplication) -> Iterator[None]:
    """Really delete earlier tests' windows: a text size change restyles every widget."""
    qapp.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    yield
    qapp.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def themes(qapp: QApplication) -> theme.ThemeManager:
    """The app's theme manager, applied (tests/ui/conftest.py puts the look back after)."""
    manager = theme.manager()
    manager.apply()
    return manager


def test_the_mapping_note_is_out_of_the_way_until_the_box_is_ticked(
    qtbot: QtBot, qapp: QApplication, demo_ws: Workspace, chair: Actor
) -> None:
    """C-MAPPING: an empty, greyed note box took a third of the tab before anyone ticked."""
    dialog = shown_dialog(qtbot, demo_ws, chair, BLOCKED_ITEM)
    dialog.tabs.setCurrentIndex(1)
    qapp.processEvents()
    mapping = dialog.mapping
    line = mapping.note.fontMetrics().lineSpacing()
    assert not mapping.note.isVisible()
    assert mapping.height() <= mapping.uncertain.sizeHint().height() + line
    assert mapping.mapping_note() is None

    mapping.uncertain.click()
    qapp.processEvents()
    # Ticked: the note shows, enabled, with the tab's spare room (well over the
    # three lines it is sized for).
    assert mapping.note.isVisible() and mapping.note.isEnabled()
    assert mapping.note.height() >= 8 * line
    page = dialog.tabs.currentWidget()
    bottom = mapping.note.mapTo(page, mapping.note.rect().bottomLeft()).y()
    assert bottom >= page.height() - 4 * line
    assert mapping.mapping_note() == ""

    mapping.uncertain.click()  # unticked again: back out of the way
    qapp.processEvents()
    assert not mapping.note.isVisible()
    assert mapping.mapping_note() is None


def test_a_recorded_mapping_note_shows_when_the_dialog_opens(
    qtbot: QtBot, qapp: QApplication, demo_ws: Workspace, chair: Actor
) -> None:
    dialog = shown_dialog(qtbot, demo_ws, chair, BLOCKED_ITEM)
    dialog.restore({"mapping_note": "Mapped: Level 3 needs."})
    dialog.tabs.setCurrentIndex(1)
    qapp.processEvents()
    assert dialog.mapping.note.isVisible()
    assert dialog.mapping.note.toPlainText() == "Mapped: Level 3 needs."
