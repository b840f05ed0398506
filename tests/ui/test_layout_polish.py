"""Small layout fixes seen on a 1366×768 screen, at the system text size and at 150 %."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QRect
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from stepdesk.services import Actor, Workspace
from stepdesk.services.people import actor_for
from tests.ui.conftest import BLOCKED_ITEM, OFFSCREEN_NOISE
from ui import theme
from ui.decision_dialog import DecisionDialog
from ui.request_dialog import WINDOW_FRAME, RequestDialog

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

WORKER, STEP_UP_CASE = 13, 5  # Jennifer Singh; Maureen Lefèvre, on Early Help


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


def test_at_150_percent_the_action_column_has_the_room_and_the_others_fit_their_contents(
    qtbot: QtBot, qapp: QApplication, themes: theme.ThemeManager, demo_ws: Workspace, chair: Actor
) -> None:
    """The Action column wrapped a word a line beside Owner, Due and Rule at 150 % text."""
    themes.set_choice(theme.HIGH_CONTRAST)
    themes.set_text_percent(150)
    dialog = shown_dialog(qtbot, demo_ws, chair, BLOCKED_ITEM)
    qapp.processEvents()
    view = dialog.actions_view
    model = view.model()
    header = view.horizontalHeader()
    assert model.rowCount() == 3  # the handover's actions, from "Agreed as requested"
    metrics = view.fontMetrics()
    assert view.columnWidth(0) >= 20 * metrics.averageCharWidth()
    # Owner, Due and Rule are as wide as their contents, no wider: the Action has the rest.
    for column in (1, 2, 3):
        contents = max(header.sectionSizeHint(column), view.sizeHintForColumn(column))
        assert view.columnWidth(column) == contents, model.headerData(column, header.orientation())
    assert view.columnWidth(0) > max(view.columnWidth(c) for c in (1, 2, 3))
    # "Step the case and record the change on the case record" reads in three lines at most.
    for row in range(model.rowCount()):
        assert view.rowHeight(row) <= 3 * metrics.lineSpacing() + 12, model.index(row, 0).data()
    # …and the dialog still fits a 1366-pixel screen.
    assert dialog.width() <= 1366 - 40


def request_form(qtbot: QtBot, ws: Workspace, percent: int = 150) -> RequestDialog:
    """A worker's step-up request form, shown, at ``percent`` text."""
    theme.manager().set_text_percent(percent)
    form = RequestDialog.create(None, ws, actor_for(ws, WORKER), case_id=STEP_UP_CASE)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    return form


def test_at_150_percent_the_request_form_fits_a_laptop_without_scrolling_sideways(
    qtbot: QtBot, qapp: QApplication, demo_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It was 1100 pixels wide whatever the text size, and scrolled sideways at 150 %."""
    laptop = QRect(0, 0, 1366, 740)  # 1366×768 less a task bar
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: laptop)
    form = request_form(qtbot, demo_ws)
    qapp.processEvents()
    assert form.width() <= laptop.width() - WINDOW_FRAME.width()
    assert form.height() <= laptop.height() - WINDOW_FRAME.height()
    assert form.width() > 1100  # it grew to its content
    assert not form.scroll.horizontalScrollBar().isVisible()
    body = form.scroll.widget()
    assert body.width() <= form.scroll.viewport().width()
    assert body.minimumSizeHint().width() <= form.scroll.viewport().width()


def test_the_request_form_never_opens_beyond_the_screen(
    qtbot: QtBot, qapp: QApplication, demo_ws: Workspace
) -> None:
    """On the test platform's 800×800 screen: as big as there is room for, and no bigger."""
    form = request_form(qtbot, demo_ws)
    room = form.screen().availableGeometry().size() - WINDOW_FRAME
    assert form.width() <= room.width() and form.height() <= room.height()
    # Content bigger than the screen fills it, and scrolls.
    assert form.content_size().width() > room.width()
    assert form.width() == room.width()


def test_at_the_system_text_size_the_request_form_is_as_wide_as_its_content(
    qtbot: QtBot, qapp: QApplication, demo_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop = QRect(0, 0, 1366, 740)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: laptop)
    form = request_form(qtbot, demo_ws, 100)
    qapp.processEvents()
    want = form.content_size()
    assert want.width() < laptop.width() - WINDOW_FRAME.width()
    assert form.width() == want.width()
    assert not form.scroll.horizontalScrollBar().isVisible()
