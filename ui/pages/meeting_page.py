"""The meeting page: the chair's view of the case and the co-ordinator's desk, side by side.

Left, the chair view: the current case large and calm (summary, history, request, findings)
under the item's countdown and the meeting's projected end. Right, the co-ordinator: the
minutes of the current item (saved as typed), Record decision, and attendance with the live
quoracy line. Start / Finish meeting and next / previous are on the keyboard; F11 shows the
chair view on its own, full screen (for a second screen or a projector).

The page follows the panel selected on the Panels page and keeps that page's agenda on the
same item, so that every shortcut (Ctrl+D included) acts on the item the chair sees.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from stepdesk.domain import ItemStatus, PanelStatus
from stepdesk.errors import StepDeskError
from stepdesk.services.changes import Operation
from stepdesk.services.meeting import (
    FinishResult,
    ItemTiming,
    MeetingState,
    finish_meeting,
    meeting_state,
    open_item,
    start_meeting,
)
from stepdesk.services.minutes import StaleNotesError, notes_token, save_item_notes
from stepdesk.services.panels import list_panels
from stepdesk.services.permissions import allowed
from stepdesk.services.views import ItemDetail
from stepdesk.services.workspace import Actor, Workspace
from ui import ops
from ui.attendance_pane import AttendancePane
from ui.case_pane import CasePane
from ui.format import date_text, datetime_text, slot_text, time_text
from ui.meeting_dialogs import FinishMeetingDialog
from ui.models import ROW_ROLE
from ui.notes_editor import NotesEditor
from ui.widgets import heading, plain_label, set_style_property

if TYPE_CHECKING:
    from ui.host import PanelsHost

TICK_MS = 1000
# Items held back before the meeting, or carried to the next one, are not discussed here:
# next / previous step over them and "Item 2 of 4" does not count them.
NOT_DISCUSSED = frozenset({ItemStatus.HELD_BACK, ItemStatus.CARRIED_FORWARD})


def discussed(state: MeetingState | None) -> list[ItemTiming]:
    """The items this meeting discusses, in agenda order."""
    return [i for i in state.items if i.status not in NOT_DISCUSSED] if state else []


def clock_text(left: dt.timedelta) -> str:
    """``07:32 left`` or ``02:10 over`` (minutes and seconds)."""
    seconds = int(left.total_seconds())
    over = seconds < 0
    minutes, secs = divmod(abs(seconds), 60)
    return f"{minutes:02d}:{secs:02d} {'over' if over else 'left'}"


class ChairView(QWidget):
    """The current case, large and calm, under its countdown."""

    def __init__(self, scale: float = 1.2, parent: Any = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Chair view")
        self._scale = scale
        self.position = heading("No meeting open", scale=1.0)
        self.position.setAccessibleName("Item")
        # Wraps rather than widening the window past a 1366-pixel laptop screen.
        self.position.setWordWrap(True)
        self.countdown = plain_label(name="Time left in this item's slot", wrap=False)
        self.countdown.setObjectName("countdown")
        big = QFont(self.countdown.font())
        big.setBold(True)
        if big.pointSizeF() > 0:
            big.setPointSizeF(big.pointSizeF() * 1.5)
        self.countdown.setFont(big)
        self.projected = plain_label(name="Projected end of the meeting", wrap=False)
        self.case = CasePane()
        top = QHBoxLayout()
        top.addWidget(self.position, 1)
        right = QVBoxLayout()
        right.addWidget(self.countdown, 0, Qt.AlignmentFlag.AlignRight)
        right.addWidget(self.projected, 0, Qt.AlignmentFlag.AlignRight)
        top.addLayout(right)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.case, 1)
        self._enlarge()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        """Follow a change of the app font (View → Text size)."""
        if event.type() == QEvent.Type.FontChange:
            self._enlarge()
        super().changeEvent(event)

    def _enlarge(self) -> None:
        """Scale the text by the view's factor, from the system font (so it still follows it).

        A style sheet, not ``setFont``: the application's style sheet re-polishes the labels of
        the case pane and would put their own fonts back.
        """
        base = QApplication.font().pointSizeF()
        if base <= 0:
            return
        size = base * self._scale
        css = (
            f"QLabel {{ font-size: {size:.1f}pt; }}"
            f" QLabel#heading {{ font-size: {size * 1.15:.1f}pt; }}"
            f' QLabel#heading[accessibleName="Subject"] {{ font-size: {size * 1.35:.1f}pt; }}'
            f" QLabel#countdown {{ font-size: {size * 1.5:.1f}pt; }}"
        )
        if css != self.styleSheet():
            self.setStyleSheet(css)

    def show_item(
        self,
        detail: ItemDetail | None,
        timing: ItemTiming | None,
        items: list[ItemTiming],
        now: dt.datetime,
    ) -> None:
        """Show the item (or nothing), "Item 2 of 4" among ``items``; deadlines as of ``now``."""
        if detail is None or timing is None:
            self.position.setText("No item open")
            self.case.clear()
            return
        row = detail.row
        ids = [i.item_id for i in items]
        if timing.item_id in ids:
            number = ids.index(timing.item_id) + 1
            where = f"Item {number} of {len(ids)}"
            if number != timing.position:
                where += f" (agenda no. {timing.position})"
        else:
            state = "held back" if timing.status == ItemStatus.HELD_BACK else "carried forward"
            where = f"Agenda no. {timing.position}, {state}: not discussed at this meeting"
        self.position.setText(
            f"{where} · {slot_text(row.slot_start, row.slot_minutes)}"
            f" · {row.movement_label}: {row.from_plan_name} → {row.to_plan_name}"
        )
        self.case.show_detail(detail, now)

    def show_clock(self, state: MeetingState | None, now: dt.datetime) -> None:
        """The countdown of the item open now, and when the meeting should end."""
        if state is None:
            self.countdown.setText("")
            self.projected.setText("")
            return
        left = state.slot_left(now)
        current = state.current
        if state.status == PanelStatus.FINISHED:
            self.countdown.setText(f"Finished {time_text(state.finished_at)}")
            set_style_property(self.countdown, "over", "false")
        elif left is None or current is None:
            self.countdown.setText("Not started" if state.started_at is None else "No item open")
            set_style_property(self.countdown, "over", "false")
        else:
            self.countdown.setText(f"{clock_text(left)} of {current.slot_minutes}:00")
            set_style_property(
                self.countdown, "over", "true" if left.total_seconds() < 0 else "false"
            )
        self.projected.setText(f"Projected end {time_text(state.projected_end)}")


class ChairWindow(QWidget):
    """The chair view on its own, full screen: Esc or F11 closes it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("StepDesk — chair view")
        self.setAccessibleName("Chair view, full screen")
        self.view = ChairView(scale=1.5)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        close = QAction("Close chair view", self)
        close.setShortcuts([QKeySequence("Esc"), QKeySequence("F11")])
        close.triggered.connect(self.close)
        self.addAction(close)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        """Closing only hides it; the page shows it again on F11."""
        self.hide()
        event.ignore()


class MeetingPage(QWidget):
    """Run the selected panel's meeting: chair view, minutes, decisions, attendance."""

    def __init__(self, ws: Workspace, actor: Actor, window: PanelsHost) -> None:
        super().__init__(window)
        self.ws = ws
        self.actor = actor
        self.window_ = window
        self.state: MeetingState | None = None
        self.detail: ItemDetail | None = None
        self.item_id: int | None = None
        self.chair_window: ChairWindow | None = None
        self._build_actions()
        self._build_layout()
        self.notes.save_requested.connect(self.save_notes)
        window.attendance_model.dataChanged.connect(self._refresh_state)
        window.attendance_model.modelReset.connect(self._refresh_state)
        # A decision saved from anywhere (Ctrl+D included) updates the agenda row.
        window.agenda_model.dataChanged.connect(self._after_decision)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        window.installEventFilter(self)
        self._update_actions()

    # Layout.
    def _page_action(self, text: str, shortcut: str, tip: str) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{tip} ({QKeySequence(shortcut).toString()})")
        action.setStatusTip(tip)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.start_action = self._page_action(
            "&Start meeting", "Ctrl+Shift+S", "Start the meeting now and open its first item"
        )
        self.finish_action = self._page_action(
            "&Finish meeting…",
            "Ctrl+Shift+F",
            "Finish the meeting; items not reached go to the next panel",
        )
        self.next_action = self._page_action("Ne&xt case", "Alt+Right", "Open the next case")
        self.previous_action = self._page_action(
            "Pre&vious case", "Alt+Left", "Open the previous case"
        )
        self.decision_action = self._page_action(
            "&Record decision…", "Ctrl+Shift+D", "Record the panel's decision on this case"
        )
        self.full_screen_action = self._page_action(
            "Chair view, f&ull screen", "F11", "Show the chair view on its own, full screen"
        )
        self.start_action.triggered.connect(self.start)
        self.finish_action.triggered.connect(self.finish)
        self.next_action.triggered.connect(lambda: self.step(1))
        self.previous_action.triggered.connect(lambda: self.step(-1))
        self.decision_action.triggered.connect(self.record_decision)
        self.full_screen_action.triggered.connect(self.show_chair_window)
        menu = self.window_.menu("&Meeting")
        for action in (self.start_action, self.finish_action):
            menu.addAction(action)
        menu.addSeparator()
        for action in (self.previous_action, self.next_action, self.decision_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.full_screen_action)

    @staticmethod
    def _button(action: QAction, name: str, *, primary: bool = False) -> QPushButton:
        button = QPushButton(action.text())
        button.setAccessibleName(name)
        button.setToolTip(action.toolTip())
        button.clicked.connect(action.trigger)
        action.enabledChanged.connect(button.setEnabled)
        if primary:
            button.setObjectName("primary")
        return button

    def _build_layout(self) -> None:
        self.title = heading("No panel selected", scale=1.3)
        self.title.setAccessibleName("Meeting")
        self.status = plain_label(name="Meeting status")
        self.quoracy = plain_label(name="Quoracy")
        self.quoracy.setObjectName("quoracy")
        self.start_button = self._button(self.start_action, "Start meeting", primary=True)
        self.finish_button = self._button(self.finish_action, "Finish meeting")
        self.full_screen_button = self._button(self.full_screen_action, "Chair view, full screen")
        title_block = QVBoxLayout()
        title_block.addWidget(self.title)
        title_block.addWidget(self.status)
        top = QHBoxLayout()
        top.addLayout(title_block, 1)
        for button in (self.start_button, self.finish_button, self.full_screen_button):
            top.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)

        self.chair = ChairView()
        self.previous_button = self._button(self.previous_action, "Previous case")
        self.next_button = self._button(self.next_action, "Next case")
        self.decision_button = self._button(self.decision_action, "Record decision", primary=True)
        nav = QHBoxLayout()
        nav.addWidget(self.previous_button)
        nav.addWidget(self.next_button)
        nav.addStretch(1)
        nav.addWidget(self.decision_button)
        self.notes = NotesEditor()
        self.notes.editor.setAccessibleName("Minutes for this item")
        self.attendance = AttendancePane(self.window_.attendance_model)
        self.attendance.table.setAccessibleName("Meeting attendance")
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addLayout(nav)
        # Attendance gets the larger share: at 1366×768 the whole list (chair, minute taker,
        # members, presenters) shows without scrolling; the notes still have ten lines.
        side_layout.addWidget(self.notes, 2)
        side_layout.addWidget(self.attendance, 3)
        side_layout.addWidget(self.quoracy)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(self.chair)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([780, 560])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

    # Showing.
    def load(self) -> None:
        """Show the meeting of the panel selected on the Panels page."""
        panel = self.window_.controller.panel
        if panel is None:
            self.state = None
            self.title.setText("No panel selected")
            self._update_actions()
            return
        self.window_.notes.flush()
        try:
            self.state = meeting_state(self.ws, self.actor, panel.id)
        except StepDeskError as error:
            self.window_.show_message(str(error), error=True)
            return
        self.title.setText(f"{self.state.meeting_name}, {date_text(self.state.starts_at.date())}")
        current = self.state.current
        wanted = current.item_id if current else self._selected_item()
        self._show_item(wanted)

    def _selected_item(self) -> int | None:
        index = self.window_.agenda_view.currentIndex()
        return index.data(ROW_ROLE).id if index.isValid() else None

    def _timing(self, item_id: int | None) -> ItemTiming | None:
        if self.state is None:
            return None
        return next((i for i in self.state.items if i.item_id == item_id), None)

    def _show_item(self, item_id: int | None) -> None:
        """Show an item: the Panels page's agenda follows, so shortcuts act on it too."""
        self.notes.flush()
        self.item_id = item_id
        self.detail = None
        if item_id is not None:
            self._select_in_agenda(item_id)
            detail = self.window_.controller.detail
            self.detail = detail if detail and detail.row.id == item_id else None
        timing = self._timing(item_id)
        for view in self._chair_views():
            view.show_item(self.detail, timing, discussed(self.state), self.ws.now())
        if self.detail is not None:
            row = self.detail.row
            self.notes.set_item(
                row.id,
                self.detail.notes,
                self.detail.notes_saved_at,
                f"{row.position}. {row.subject_name}",
            )
        else:
            self.notes.set_item(None, "", None)
        self._show_state()

    def _select_in_agenda(self, item_id: int) -> None:
        view, model = self.window_.agenda_view, self.window_.agenda_model
        number = model.row_number(item_id)
        if number is None or view.currentIndex().row() == number:
            return
        view.selectionModel().setCurrentIndex(
            model.index(number, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def _chair_views(self) -> list[ChairView]:
        views = [self.chair]
        if self.chair_window is not None and self.chair_window.isVisible():
            views.append(self.chair_window.view)
        return views

    def _show_state(self) -> None:
        state = self.state
        if state is None:
            self.status.setText("")
            self.quoracy.setText("")
        else:
            if state.status == PanelStatus.FINISHED:
                due = state.minutes_due
                text = f"Finished at {time_text(state.finished_at)}." + (
                    f" Minutes due {datetime_text(due.due)} ({due.rule}); they go to the chair "
                    "for approval."
                    if due
                    else ""
                )
            elif state.status == PanelStatus.IN_PROGRESS:
                left = len(state.not_reached)
                text = (
                    f"In progress since {time_text(state.started_at)} · "
                    f"{left} item(s) still to discuss"
                )
            else:
                text = f"Not started · planned for {time_text(state.starts_at)}"
            self.status.setText(text)
            self.quoracy.setText(state.quoracy.text)
            set_style_property(
                self.quoracy, "quorate", "true" if state.quoracy.quorate else "false"
            )
        self._tick()
        self._update_actions()

    def _tick(self) -> None:
        now = self.ws.now()
        for view in self._chair_views():
            view.show_clock(self.state, now)

    def _update_actions(self) -> None:
        state, run = self.state, allowed(self.actor, "meeting.run")
        status = state.status if state else None
        self.start_action.setEnabled(run and status == PanelStatus.PLANNED)
        self.finish_action.setEnabled(run and status == PanelStatus.IN_PROGRESS)
        ids = [i.item_id for i in discussed(state)]
        at = ids.index(self.item_id) if self.item_id in ids else -1
        # On an item not discussed here (held back), previous goes to the last one that is.
        self.previous_action.setEnabled(at > 0 or (at == -1 and self.item_id is not None))
        self.next_action.setEnabled(at < len(ids) - 1)
        self.decision_action.setEnabled(
            self.detail is not None and allowed(self.actor, "decision.record")
        )

    def _refresh_state(self, *_args: Any) -> None:
        if self.state is None:
            return
        try:
            self.state = meeting_state(self.ws, self.actor, self.state.panel_id)
        except StepDeskError:
            return
        self._show_state()

    def _after_decision(self, *_args: Any) -> None:
        if self.state is None or not self.isVisible():
            return
        self._refresh_state()
        detail = self.window_.controller.detail
        if detail is not None and detail.row.id == self.item_id:
            self.detail = detail
            for view in self._chair_views():
                view.case.show_detail(detail, self.ws.now())

    # Doing.
    def _run(self, call: Any) -> Any:
        try:
            return call()
        except StepDeskError as error:
            self.window_.show_message(str(error), error=True)
            return None

    def start(self) -> None:
        """Start the meeting and open its first item."""
        if self.state is None:
            return
        panel_id = self.state.panel_id
        ops.run(
            Operation("meeting.start", {"panel": panel_id}),
            lambda: start_meeting(self.ws, self.actor, panel_id),
            success=self._started,
            fails_as="",
            busy="Starting the meeting…",
        )

    def _started(self, state: MeetingState) -> None:
        self.state = state
        self._refresh_panels()
        current = state.current
        self._show_item(current.item_id if current else None)
        self.window_.show_message(
            f"Meeting started at {time_text(state.started_at)}. {state.quoracy.text}."
        )

    def step(self, by: int) -> None:
        """Open the next (``by`` = 1) or previous (-1) case; in a running meeting, its clock."""
        if self.state is None:
            return
        ids = [i.item_id for i in discussed(self.state)]
        at = ids.index(self.item_id) if self.item_id in ids else -1
        if at == -1 and by < 0:  # on an item not discussed: back to the last one that is
            at = len(ids)
        target = at + by
        if not 0 <= target < len(ids):
            return
        self.open(ids[target])

    def open(self, item_id: int) -> None:
        """Open an item: in a running meeting its slot starts (and the one before ends)."""
        timing = self._timing(item_id)
        if (
            self.state is not None
            and self.state.status == PanelStatus.IN_PROGRESS
            and timing is not None
            and timing.waiting
        ):
            state = self._run(lambda: open_item(self.ws, self.actor, item_id))
            if state is not None:
                self.state = state
        self._show_item(item_id)

    def record_decision(self) -> None:
        """The decision dialog on the case shown (the Panels page is on the same item)."""
        if self.detail is None:
            return
        self.notes.flush()
        self.window_.controller.record_decision()
        self._after_decision()

    def finish(self) -> None:
        """Ask for the carry-forward reason, finish, and say what happened."""
        if self.state is None:
            return
        self.notes.flush()
        reason = FinishMeetingDialog.ask(self, self.state.not_reached)
        if reason is None:
            return
        panel_id = self.state.panel_id
        # Finishing backs the database up: on the worker, so typing is not held up.
        ops.run(
            Operation("meeting.finish", {"panel": panel_id, "reason": reason}),
            lambda: finish_meeting(self.ws, self.actor, panel_id, reason),
            success=self._finished,
            fails_as="",
            busy="Finishing the meeting and backing up…",
        )

    def _finished(self, result: FinishResult) -> None:
        self.state = result.state
        self._refresh_panels()
        carried = ""
        if result.carried:
            first = result.carried[0]
            carried = (
                f" {len(result.carried)} item(s) carried forward to the panel on "
                f"{datetime_text(first.to_panel_starts_at)}"
                + (" (a new panel)." if result.created_panel_id else ".")
            )
        due = result.state.minutes_due
        finished = (
            f"Meeting finished at {time_text(result.state.finished_at)}.{carried} "
            f"{result.case_notes} case note(s) added."
            + (f" Minutes due {datetime_text(due.due)} ({due.rule})." if due else "")
        )
        backup = result.backup.text()
        # A failed backup leads the message, so that a narrow status bar cannot cut it off.
        self.window_.show_message(
            f"{backup} {finished}" if result.backup.failed else f"{finished} {backup}",
            error=result.backup.failed,
        )
        self._show_state()

    def _refresh_panels(self) -> None:
        rows = self._run(lambda: list_panels(self.ws, self.actor))
        if rows is None:
            return
        model = self.window_.panels_model
        known = {r.id for r in model.rows()}
        if {r.id for r in rows} - known:
            # A panel was made for the carried items: reload the list, keep the selection.
            selected = self.state.panel_id if self.state else None
            model.set_rows(rows)
            for view in (self.window_.upcoming_view, self.window_.past_view):
                for number in range(view.model().rowCount()):
                    index = view.model().index(number, 0)
                    if index.data(ROW_ROLE).id == selected:
                        view.selectionModel().setCurrentIndex(
                            index, QItemSelectionModel.SelectionFlag.NoUpdate
                        )
            return
        for row in rows:
            model.update_row(row)

    def save_notes(self, item_id: int, text: str) -> None:
        """Save the minutes typed here; the Panels page's editor shows the same text."""
        try:
            base = self.notes.base(item_id)
            token = notes_token(base) if base is not None else None
            at = save_item_notes(self.ws, self.actor, item_id, text, token)
        except StaleNotesError as stale:
            self.notes.mark_conflict(item_id, stale.theirs, stale.merged)
            self.window_.show_message(f"Minutes: {stale}", error=True)
            return
        except StepDeskError as error:
            self.notes.mark_failed(item_id)
            self.window_.show_message(f"Minutes not saved: {error}", error=True)
            return
        self.notes.mark_saved(item_id, at)
        other = self.window_.notes
        if other.item_id == item_id:
            other.set_item(item_id, text, None, other.title.text().removeprefix("Minute notes: "))
            other.mark_saved(item_id, at)

    def show_chair_window(self) -> None:
        """The chair view alone, full screen, for a second screen or a projector."""
        if self.chair_window is None:
            self.chair_window = ChairWindow(self)
        self.chair_window.showFullScreen()
        timing = self._timing(self.item_id)
        self.chair_window.view.show_item(self.detail, timing, discussed(self.state), self.ws.now())
        self.chair_window.view.show_clock(self.state, self.ws.now())

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        """Shown: read the selected panel's meeting afresh."""
        super().showEvent(event)
        self.load()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        """Leaving the page: save the minutes first (not while Qt is tearing it down)."""
        if isValid(self.notes.status):
            self.notes.flush()
        super().hideEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """The main window is closing: save the minutes typed here first."""
        if watched is self.window_ and event.type() == QEvent.Type.Close:
            self.notes.flush()
        return False


def install(window: PanelsHost, ws: Workspace, actor: Actor) -> MeetingPage:
    """Add the meeting page to the main window (View → Meeting, Ctrl+<n>)."""
    page = MeetingPage(ws, actor, window)
    window.add_page(page, "&Meeting")
    return page


__all__ = ["ChairView", "ChairWindow", "MeetingPage", "clock_text", "install"]
