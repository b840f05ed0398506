"""Keyboard-only operation: the meeting run without a mouse, and every shortcut listed.

The meeting test counts mouse presses reaching the application: there must be none. Focus
moves with Tab, arrows and shortcuts only (``setFocus`` is never called), so every control
used is reachable from the keyboard as it stands.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from stepdesk.persistence.models import AgendaItem, Decision, Panel
from stepdesk.services import Workspace
from stepdesk.services.people import actor_for
from tests.ui.conftest import CIN_PANEL, OFFSCREEN_NOISE, current_id, open_window, unnamed_controls
from ui.decision_dialog import DecisionDialog
from ui.main_window import MainWindow
from ui.meeting_dialogs import FinishMeetingDialog
from ui.models.attendance_model import PRESENT_COLUMN
from ui.pages.agenda_builder import AgendaBuilderPage
from ui.shortcuts_dialog import CHAIR_VIEW, EVERYWHERE, ShortcutsDialog, clashes

pytestmark = pytest.mark.qt_log_ignore(
    OFFSCREEN_NOISE, "This plugin does not support (raise|grabbing the keyboard)"
)

CHAIR, COORDINATOR = 2, 3  # the CIN panel's chair; a co-ordinator
NO = Qt.KeyboardModifier.NoModifier
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = CTRL | Qt.KeyboardModifier.ShiftModifier


class MousePresses(QObject):
    """Counts mouse presses anywhere in the application."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self.count += 1
        return False


@pytest.fixture
def no_mouse() -> Iterator[MousePresses]:
    counter = MousePresses()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(counter)
    yield counter
    app.removeEventFilter(counter)


def sign_in(qtbot: QtBot, ws: Workspace, user_id: int) -> MainWindow:
    return open_window(qtbot, ws, actor_for(ws, user_id), active=True)


def key(k: Qt.Key, modifiers: Qt.KeyboardModifier = NO) -> None:
    """Press a key where the keyboard focus is (as a person does), else on the active window."""
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None, "no window has the keyboard"
    QTest.keyClick(target, k, modifiers)


def tab_to(qtbot: QtBot, wanted: Callable[[QWidget], bool], limit: int = 80) -> QWidget:
    """Press Tab until the focus is on a widget ``wanted`` accepts (it must be reachable)."""
    seen = []
    for _ in range(limit):
        focus = QApplication.focusWidget()
        seen.append(f"{type(focus).__name__}:{focus.accessibleName() if focus else ''}")
        if focus is not None and wanted(focus):
            return focus
        key(Qt.Key.Key_Tab)
    raise AssertionError(f"not reachable with Tab: {seen}")


def answer(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, cls: type[QDialog], fill: Callable[[Any], None]
) -> list[Any]:
    """The next ``cls`` dialog is shown, made active and driven by ``fill`` (keys only)."""
    shown: list[Any] = []

    def drive(dialog: QDialog) -> int:
        shown.append(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        fill(dialog)
        parent = dialog.parentWidget()
        if parent is not None and not dialog.isVisible():
            parent.window().activateWindow()
            qtbot.waitUntil(parent.window().isActiveWindow)
        return dialog.result()

    monkeypatch.setattr(cls, "exec", drive)
    return shown


def test_the_meeting_runs_from_the_keyboard_alone(
    qtbot: QtBot,
    demo_ws: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    no_mouse: MousePresses,
) -> None:
    now = [dt.datetime(2026, 11, 30, 9, 0)]
    demo_ws.now = lambda: now[0]
    win = sign_in(qtbot, demo_ws, CHAIR)

    # Panels page: Tab to the upcoming panels and arrow down to the CIN panel.
    key(Qt.Key.Key_1, CTRL)
    tab_to(qtbot, lambda w: w is win.upcoming_view)
    for _ in range(win.upcoming_view.model().rowCount()):
        if current_id(win.upcoming_view) == CIN_PANEL:
            break
        key(Qt.Key.Key_Down)
    assert current_id(win.upcoming_view) == CIN_PANEL

    # Meeting page (View → Meeting), and start: the page's keys work as soon as it shows.
    page = win.meeting_page
    number = win.pages.indexOf(page) + 1
    key(getattr(Qt.Key, f"Key_{number}"), CTRL)
    assert win.pages.currentWidget() is page
    key(Qt.Key.Key_S, CTRL_SHIFT)
    assert page.status.text().startswith("In progress since 09:00"), win.message.text()
    first = page.item_id
    assert page.chair.position.text().startswith("Item 1 of 7")

    # Attendance: Tab to the table, arrows to each member's Present box, Space ticks it.
    table = page.attendance.table
    tab_to(qtbot, lambda w: w is table)
    model = table.model()
    for name in ("Philip Smith", "Neil Jones"):
        row = next(n for n in range(model.rowCount()) if model.row_at(n).name == name)
        key(Qt.Key.Key_Home, CTRL)  # first row
        for _ in range(row):
            key(Qt.Key.Key_Down)
        while table.currentIndex().column() < PRESENT_COLUMN:
            key(Qt.Key.Key_Right)
        key(Qt.Key.Key_Space)
        state = Qt.CheckState(model.index(row, PRESENT_COLUMN).data(Qt.ItemDataRole.CheckStateRole))
        assert state == Qt.CheckState.Checked, name
    assert page.quoracy.text().startswith("Quorate"), page.quoracy.text()

    # Minutes: Tab to the editor and type; the autosave keeps them.
    editor = tab_to(qtbot, lambda w: w is page.notes.editor)
    qtbot.keyClicks(editor, "Keyboard only: presented, discussed.")
    qtbot.waitUntil(lambda: page.notes.status.text().startswith("Saved"), timeout=4000)

    # Next, previous, next again.
    key(Qt.Key.Key_Right, ALT)
    assert page.chair.position.text().startswith("Item 2 of 7")
    key(Qt.Key.Key_Left, ALT)
    assert page.item_id == first
    key(Qt.Key.Key_Right, ALT)
    second = page.item_id
    assert second != first

    # The decision dialog: Alt+R to the rationale and type; Alt+O to the outcome and arrow
    # down to "Deferred"; Return (from the outcome box) presses the default button, Save.
    def defer(dialog: DecisionDialog) -> None:
        key(Qt.Key.Key_R, ALT)  # &Rationale
        assert dialog.rationale.hasFocus()
        qtbot.keyClicks(dialog.rationale, "Deferred: the school report is due next week.")
        key(Qt.Key.Key_O, ALT)  # &Outcome
        assert dialog.outcome.hasFocus()
        while dialog.outcome.currentData() != "defer":
            key(Qt.Key.Key_Down)
        assert dialog.save_button.isEnabled(), [f.rule for f in dialog.shown_findings()]
        key(Qt.Key.Key_Return)  # the dialog's default button: Save decision
        assert not dialog.isVisible(), dialog.general_error.text()

    decided = answer(monkeypatch, qtbot, DecisionDialog, defer)
    key(Qt.Key.Key_D, CTRL_SHIFT)
    assert len(decided) == 1 and "Deferred" in page.chair.case.decision.text()

    # F1 lists the shortcuts; Esc closes the list.
    listed = answer(monkeypatch, qtbot, ShortcutsDialog, lambda d: key(Qt.Key.Key_Escape))
    key(Qt.Key.Key_F1)
    assert listed and not listed[0].isVisible()

    # Finish: the reason is typed over the suggestion, Return finishes.
    now[0] += dt.timedelta(minutes=30)

    def finish(dialog: FinishMeetingDialog) -> None:
        assert dialog.reason.hasFocus()
        dialog.reason.selectAll()
        qtbot.keyClicks(dialog.reason, "Keyboard test: out of time")
        key(Qt.Key.Key_Return)

    finished = answer(monkeypatch, qtbot, FinishMeetingDialog, finish)
    key(Qt.Key.Key_F, CTRL_SHIFT)
    assert finished and page.status.text().startswith("Finished at 09:30"), win.message.text()

    assert no_mouse.count == 0
    with demo_ws.db.session() as s:
        decision = s.scalars(select(Decision).where(Decision.agenda_item_id == second)).one()
        assert decision.outcome == "defer"
        assert s.get_one(AgendaItem, first).notes == "Keyboard only: presented, discussed."
        assert s.get_one(Panel, CIN_PANEL).status == "finished"
        carried = s.scalars(
            select(AgendaItem.carry_reason).where(
                AgendaItem.panel_id == CIN_PANEL, AgendaItem.status == "carried_forward"
            )
        ).all()
        assert carried and set(carried) == {"Keyboard test: out of time"}


def test_a_page_shortcut_works_only_on_its_page(qtbot: QtBot, demo_ws: Workspace) -> None:
    demo_ws.now = lambda: dt.datetime(2026, 11, 30, 9, 0)
    win = sign_in(qtbot, demo_ws, CHAIR)
    page = win.meeting_page
    meeting = getattr(Qt.Key, f"Key_{win.pages.indexOf(page) + 1}")
    key(meeting, CTRL)  # the meeting page has read its panel…
    assert page.state is not None and page.start_action.isEnabled()
    panel = page.state.panel_id
    key(Qt.Key.Key_1, CTRL)  # …but on the Panels page, Start meeting is not live
    key(Qt.Key.Key_S, CTRL_SHIFT)
    with demo_ws.db.session() as s:
        assert s.get_one(Panel, panel).status == "planned"
    key(meeting, CTRL)
    key(Qt.Key.Key_S, CTRL_SHIFT)
    with demo_ws.db.session() as s:
        assert s.get_one(Panel, panel).status == "in_progress"


def test_the_item_keys_act_on_the_panels_agenda_only_on_that_page(
    qtbot: QtBot, demo_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    win = sign_in(qtbot, demo_ws, CHAIR)
    asked: list[int] = []
    monkeypatch.setattr(
        DecisionDialog, "ask", classmethod(lambda cls, *args, **kw: asked.append(args[3]))
    )
    key(Qt.Key.Key_1, CTRL)
    assert win.pages.currentWidget().isAncestorOf(QApplication.focusWidget())
    rows = win.agenda_model.rows()
    assert len(rows) > 2 and current_id(win.agenda_view) == rows[0].id
    key(Qt.Key.Key_Down, ALT)
    assert current_id(win.agenda_view) == rows[1].id
    # On another page the same keys do nothing to the Panels page's agenda.
    for page in (win.pages.indexOf(win.meeting_page), 1):
        key(getattr(Qt.Key, f"Key_{page + 1}"), CTRL)
        assert win.pages.currentIndex() == page
        key(Qt.Key.Key_Up, ALT)
        key(Qt.Key.Key_D, CTRL)
        key(Qt.Key.Key_Down, ALT)  # the page's own use of it, if any (a list drops down)
        if QApplication.activePopupWidget() is not None:
            key(Qt.Key.Key_Escape)
        assert current_id(win.agenda_view) == rows[1].id and asked == []
    # Back on Panels (the View menu's Ctrl+1 puts the keyboard in the page) they work again.
    key(Qt.Key.Key_1, CTRL)
    key(Qt.Key.Key_Up, ALT)
    assert current_id(win.agenda_view) == rows[0].id
    key(Qt.Key.Key_D, CTRL)
    assert asked == [rows[0].id]
    listed = {(e.where, e.keys) for e in ShortcutsDialog(win).entries}
    assert {("Panels", "Ctrl+D"), ("Panels", "Alt+Down"), ("Panels", "Alt+Up")} <= listed


def test_the_item_menu_on_another_page_shows_the_agenda_it_acts_on(
    qtbot: QtBot, demo_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    win = sign_in(qtbot, demo_ws, CHAIR)
    shown: list[int] = []
    monkeypatch.setattr(
        DecisionDialog,
        "ask",
        classmethod(lambda cls, *args, **kw: shown.append(win.pages.currentIndex())),
    )
    rows = win.agenda_model.rows()
    win.show_page(win.pages.indexOf(win.meeting_page))
    win.next_action.trigger()  # Item → Next item, chosen from the menu on the Meeting page
    assert win.pages.currentIndex() == 0 and current_id(win.agenda_view) == rows[1].id
    win.show_page(1)
    win.decision_action.trigger()
    assert shown == [0]


def test_the_chair_views_keys_are_listed_before_it_is_opened(
    qtbot: QtBot, demo_ws: Workspace
) -> None:
    win = sign_in(qtbot, demo_ws, CHAIR)
    assert win.meeting_page.chair_window is None

    def chair_rows() -> list[tuple[str, str, str]]:
        dialog = ShortcutsDialog(win)
        qtbot.addWidget(dialog)
        return [row for row in dialog.listed() if "chair view" in row[2].lower()]

    closing = (CHAIR_VIEW, "Esc, F11", "Close chair view")
    assert closing in chair_rows()
    # Open, the window's own action is the same row, listed once, right after the Meeting page.
    win.meeting_page.show_chair_window()
    assert win.meeting_page.chair_window is not None
    assert chair_rows().count(closing) == 1
    wheres = list(dict.fromkeys(e.where for e in ShortcutsDialog(win).entries))
    assert wheres[wheres.index("Meeting") + 1] == CHAIR_VIEW
    assert clashes(win) == []
    win.meeting_page.chair_window.close()


@pytest.mark.parametrize("user_id", [CHAIR, COORDINATOR])
def test_every_shortcut_is_listed_and_none_clash(
    qtbot: QtBot, demo_ws: Workspace, user_id: int
) -> None:
    win = sign_in(qtbot, demo_ws, user_id)
    dialog = ShortcutsDialog(win)
    qtbot.addWidget(dialog)
    listed = {(what, keys) for _where, keys, what in dialog.listed()}
    objects: list[QObject] = [*win.findChildren(QAction), *win.findChildren(QShortcut)]
    live = 0
    for obj in objects:
        keys = obj.shortcuts() if isinstance(obj, QAction) else obj.keys()
        keys = [k for k in keys if not k.isEmpty()]
        if not keys:
            continue
        live += 1
        text = obj.text() if isinstance(obj, QAction) else obj.whatsThis()
        what = text.replace("&", "").rstrip("…")
        shown = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
        assert (what, shown) in listed, f"{what} ({shown}) is not in Help → Keyboard shortcuts"
        assert what, f"a shortcut ({shown}) has no words"
    assert dialog.table.rowCount() == len(dialog.entries) and live >= 20
    assert clashes(win) == []
    wheres = {e.where for e in dialog.entries}
    assert {EVERYWHERE, "Meeting", "Requests", "Deadlines"} <= wheres
    if user_id in (CHAIR, COORDINATOR):
        assert "Agenda builder" in wheres
        builder = {e.keys: e for e in dialog.entries if e.where == "Agenda builder"}
        assert builder["Alt+Shift+Up"].about == "Move the selected agenda item up one place"
        assert builder["Alt+Shift+Down"].about == "Move the selected agenda item down one place"
    assert unnamed_controls(dialog) == []


def test_a_clash_is_found(qtbot: QtBot, demo_ws: Workspace) -> None:
    win = sign_in(qtbot, demo_ws, CHAIR)
    assert clashes(win) == []
    extra = QAction("Duplicate", win.meeting_page)
    extra.setShortcut(QKeySequence("Ctrl+E"))  # the window's Export minutes
    win.meeting_page.addAction(extra)
    assert clashes(win) == ["Ctrl+E: Export minutes (Everywhere) and Duplicate (Meeting)"]
    # The same keys on two different pages do not clash: only one page shows at a time.
    for keys in ("F5", "Ctrl+D"):  # Deadlines' Refresh; the Panels page's Record decision
        extra.setShortcut(QKeySequence(keys))
        assert clashes(win) == []
    extra.setShortcut(QKeySequence("Alt+Down"))
    win.addAction(extra)  # made window-wide, it clashes with the Panels page's Next item
    win.meeting_page.removeAction(extra)
    assert clashes(win) == ["Alt+Down: Duplicate (Everywhere) and Next item (Panels)"]


INTERACTIVE = (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox)


def unreachable(root: QWidget) -> list[str]:
    """Interactive widgets that Tab can never reach (focus policy without Tab)."""
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, (*INTERACTIVE, QAbstractItemView)) or isinstance(
            widget, QHeaderView
        ):
            continue
        if widget.objectName().startswith("qt_") or isinstance(
            widget.parentWidget(), (QComboBox, QAbstractSpinBox)
        ):
            continue  # Qt's own parts (a table's corner button, a spin box's line edit)
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            found.append(f"{type(widget).__name__} {widget.accessibleName()!r}")
    return found


def test_every_control_on_the_meeting_and_builder_is_named_and_reachable(
    qtbot: QtBot, demo_ws: Workspace
) -> None:
    win = sign_in(qtbot, demo_ws, CHAIR)
    builder = win.findChild(AgendaBuilderPage)
    assert builder is not None
    for page in (win.meeting_page, builder):
        win.pages.setCurrentWidget(page)
        assert unnamed_controls(page) == [], page.accessibleName()
        assert unreachable(page) == [], page.accessibleName()
        # Tab really goes round every enabled, visible control of the page.
        wanted = {
            w
            for w in page.findChildren(QWidget)
            if isinstance(w, (*INTERACTIVE, QAbstractItemView))
            and not isinstance(w, QHeaderView)
            and w.isVisible()
            and w.isEnabled()
            and not w.objectName().startswith("qt_")
            and not isinstance(w.parentWidget(), (QComboBox, QAbstractSpinBox))
        }
        reached: set[QWidget] = set()
        page.focusNextChild()
        for _ in range(len(wanted) * 3 + 10):
            focus = QApplication.focusWidget()
            if focus in wanted:
                reached.add(focus)
            key(Qt.Key.Key_Tab)
        missed = [f"{type(w).__name__} {w.accessibleName()!r}" for w in wanted - reached]
        assert missed == [], page.accessibleName()
