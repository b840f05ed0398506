"""The Agenda builder page: the co-ordinator builds a panel's agenda from QA-approved requests.

Choose or create a panel; QA-approved requests are on the left, the agenda in the middle (drag
to reorder, or Alt+Shift+Up / Alt+Shift+Down), the selected item's slot, presenter and
readiness under it, and the invited members on the right. Each item shows ready / not ready
with the reasons; "Hold back…" takes a not-ready item off with a reason. "Preview agenda" is
one click; :attr:`AgendaBuilderPage.agenda_pack_requested` asks for the agenda pack PDF.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any, ClassVar

from PySide6.QtCore import (
    SIGNAL,
    QByteArray,
    QMimeData,
    QModelIndex,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTextBrowser,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from stepdesk.errors import StepDeskError
from stepdesk.services.agenda import (
    PANEL_ROLES,
    AgendaBuilderView,
    BuilderItem,
    add_to_agenda,
    agenda_builder,
    approved_requests,
    chairs,
    create_panel,
    hold_back,
    invite_member,
    move_item,
    remove_from_agenda,
    reorder_agenda,
    set_presenter,
    set_slot,
    uninvite,
)
from stepdesk.services.deadlines import agenda_circulation_text
from stepdesk.services.panels import list_panels
from stepdesk.services.people import list_people
from stepdesk.services.views import AttendanceRow, PanelRow
from stepdesk.services.workspace import Actor, Workspace
from ui import theme
from ui.format import date_text, item_status_text, slot_text, time_text, to_qdate
from ui.models.agenda_model import movement_text
from ui.models.base import ROW_ROLE, AnyIndex, RowTableModel
from ui.pages.requests import RequestsModel
from ui.widgets import heading, ok_cancel, plain_label, set_style_property

MIME = "application/x-stepdesk-agenda-item"
_STATUS = {"invited": "Invited", "present": "Present", "apologies": "Apologies", "absent": "Absent"}


def readiness_text(item: BuilderItem) -> str:
    """``Held back: …``, ``Ready`` or ``Not ready: …``."""
    if item.held_back_reason:
        return f"Held back: {item.held_back_reason}"
    return item.readiness.summary()


class BuilderAgendaModel(RowTableModel[BuilderItem]):
    """The agenda being built; rows can be dragged to a new place (the page saves the order)."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("#", "Time", "Subject", "Movement", "Presenter", "Ready")
    move_requested = Signal(int, int)  # item id, new 0-based row

    def display(self, row: BuilderItem, column: int) -> str:
        """One cell."""
        r = row.row
        match column:
            case 0:
                return str(r.position)
            case 1:
                fixed = " (fixed)" if row.fixed_start else ""
                return slot_text(r.slot_start, r.slot_minutes) + fixed
            case 2:
                return r.subject_name
            case 3:
                return movement_text(r)
            case 4:
                return r.presenter_name or "—"
            case _:
                if row.held_back_reason:
                    return "Held back"
                return "Ready" if row.readiness.ready else "Not ready"

    def tooltip(self, row: BuilderItem, column: int) -> str:
        """The movement and the readiness reasons in full."""
        return (
            f"{row.row.position}. {row.row.subject_name} ({row.row.case_reference})\n"
            f"{movement_text(row.row)}\n"
            f"{item_status_text(row.row.status, row.row.outcome_label)} · {readiness_text(row)}"
        )

    def extra_data(self, row: BuilderItem, column: int, role: int) -> Any:
        """Not-ready and held-back rows are marked in colour too (the words say it)."""
        if column == 5 and role == Qt.ItemDataRole.ForegroundRole:
            from PySide6.QtGui import QColor

            c = theme.colours()
            if row.held_back_reason:
                return QColor(c.muted)
            return QColor(c.success if row.readiness.ready else c.error)
        return None

    # Drag and drop: the view drags rows; a drop asks the page to save the new order.
    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        """Rows drag; drops land between rows."""
        base = super().flags(index)
        if not index.isValid():
            return base | Qt.ItemFlag.ItemIsDropEnabled
        return base | Qt.ItemFlag.ItemIsDragEnabled

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802 (Qt's name)
        """Rows move."""
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802 (Qt's name)
        """The one type dragged: an agenda item id."""
        return [MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # noqa: N802 (Qt's name)
        """The dragged item's id."""
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        if rows:
            data.setData(MIME, QByteArray(str(self.row_at(rows[0]).id).encode()))
        return data

    def dropMimeData(  # noqa: N802 (Qt's name)
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: AnyIndex,
    ) -> bool:
        """Work out where the row was dropped and ask for the move (nothing moves here)."""
        if action != Qt.DropAction.MoveAction or not data.hasFormat(MIME):
            return False
        item_id = int(bytes(data.data(MIME).data()).decode())
        source = self.row_number(item_id)
        if source is None:
            return False
        target = row if row >= 0 else (parent.row() if parent.isValid() else self.line_count())
        if target > source:
            target -= 1  # dropping below itself: the row leaves its old place first
        target = max(0, min(target, self.line_count() - 1))
        if target != source:
            self.move_requested.emit(item_id, target)
        return True


class MembersModel(RowTableModel[AttendanceRow]):
    """Who is invited, in which panel role, and whether they have replied."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("Name", "Panel role", "Status")

    def display(self, row: AttendanceRow, column: int) -> str:
        """One cell."""
        match column:
            case 0:
                return row.name
            case 1:
                return PANEL_ROLES.get(row.panel_role, row.panel_role)
            case _:
                return _STATUS.get(row.status, row.status)

    def tooltip(self, row: AttendanceRow, column: int) -> str:
        """Job title."""
        return f"{row.name}, {row.job_title}"


def _table(name: str, model: RowTableModel[Any]) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)  # Tab goes on to the next control; arrows move inside
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.verticalHeader().hide()
    table.horizontalHeader().setHighlightSections(False)
    return table


class HoldBackDialog(QDialog):
    """Why an item is held back, pre-filled with its readiness reasons."""

    def __init__(self, item: BuilderItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Hold back an item")
        self.setAccessibleName("Hold back an item")
        r = item.row
        intro = plain_label(
            f"Hold back {r.subject_name} ({r.case_reference}) from this panel. The request goes "
            "back to QA approved, ready for a later panel.",
            "What holding back does",
        )
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Reason")
        self.reason.setTabChangesFocus(True)
        if not item.readiness.ready:
            text = "; ".join(x.text for x in item.readiness.reasons)
            self.reason.setPlainText(text[:1].upper() + text[1:] + ".")
        buttons, _ = ok_cancel("&Hold back", self.accept, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        label = QLabel("&Reason (minuted and shown on the agenda):")
        label.setBuddy(self.reason)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        layout.addWidget(buttons)
        self.resize(520, 260)

    @classmethod
    def ask(cls, parent: QWidget | None, item: BuilderItem) -> str | None:
        """The reason typed, or ``None`` if cancelled."""
        dialog = cls(item, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.reason.toPlainText()


class NewPanelDialog(QDialog):
    """A new panel: type, date and time, venue, chair. Created on OK; errors shown here."""

    def __init__(self, ws: Workspace, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.created: AgendaBuilderView | None = None
        self.setWindowTitle("New panel")
        self.setAccessibleName("New panel")
        self.kind = QComboBox()
        self.kind.setAccessibleName("Meeting type")
        for meeting in ws.profile.meeting_types:
            self.kind.addItem(meeting.name, meeting.code)
        self.starts = QDateTimeEdit()
        self.starts.setAccessibleName("Date and time")
        self.starts.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.starts.setCalendarPopup(True)
        start = ws.clock.calendar.add_working_days(ws.today(), 5)
        when = dt.datetime.combine(start, dt.time(10, 0))
        self.starts.setDate(to_qdate(when.date()))
        self.starts.setTime(QTime(10, 0))
        self.venue = QLineEdit()
        self.venue.setAccessibleName("Venue")
        self.venue.setPlaceholderText("e.g. Town Hall, Committee Room 2, or Microsoft Teams")
        self.chair = QComboBox()
        self.chair.setAccessibleName("Chair")
        for user_id, label in chairs(ws):
            self.chair.addItem(label, user_id)
        self.error = plain_label(name="Error")
        self.error.setObjectName("error")
        form = QFormLayout()
        for text, widget in (
            ("Meeting &type:", self.kind),
            ("&Date and time:", self.starts),
            ("&Venue:", self.venue),
            ("C&hair:", self.chair),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        buttons, _ = ok_cancel("&Create panel", self.accept, self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(520, 240)

    def accept(self) -> None:
        """Create the panel; stay open with the message if something needs fixing."""
        q = self.starts.dateTime()
        starts = dt.datetime(
            q.date().year(), q.date().month(), q.date().day(), q.time().hour(), q.time().minute()
        )
        try:
            self.created = create_panel(
                self.ws,
                self.actor,
                str(self.kind.currentData()),
                starts,
                self.venue.text(),
                self.chair.currentData(),
            )
        except StepDeskError as error:
            self.error.setText(str(error))
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, ws: Workspace, actor: Actor) -> AgendaBuilderView | None:
        """The panel created, or ``None`` if cancelled."""
        dialog = cls(ws, actor, parent)
        dialog.exec()
        return dialog.created


def preview_html(view: AgendaBuilderView) -> str:
    """The agenda and its readiness as simple HTML (user text escaped)."""
    p = view.panel
    e = html.escape
    rows = []
    for item in view.items:
        r = item.row
        state = readiness_text(item)
        style = f"color:{theme.colours().muted}" if item.held_back_reason else ""
        rows.append(
            f"<tr style='{style}'><td>{r.position}</td>"
            f"<td>{e(slot_text(r.slot_start, r.slot_minutes))}</td>"
            f"<td><b>{e(r.subject_name)}</b> ({e(r.case_reference)})<br/>{e(movement_text(r))}</td>"
            f"<td>{e(r.presenter_name or '—')}</td><td>{e(state)}</td></tr>"
        )
    members = "".join(
        f"<li>{e(a.name)}, {e(a.job_title)} — {e(PANEL_ROLES.get(a.panel_role, a.panel_role))}"
        f" ({e(_STATUS.get(a.status, a.status))})</li>"
        for a in view.attendance
    )
    deadlines = "".join(f"<li>{e(d.explain())}</li>" for d in view.deadlines)
    return (
        f"<h2>{e(p.meeting_name)}, {date_text(p.starts_at.date())}</h2>"
        f"<p>{time_text(p.starts_at)} to about {time_text(view.estimated_end)} (estimated) · "
        f"{e(p.venue)} · Chair: {e(p.chair_name)}</p>"
        f"<p><b>OFFICIAL-SENSITIVE</b> · {view.ready_count} of "
        f"{sum(1 for i in view.items if not i.held_back_reason)} items ready.</p>"
        "<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
        "<tr><th>#</th><th>Time</th><th>Case</th><th>Presenter</th><th>Readiness</th></tr>"
        + "".join(rows)
        + "</table>"
        + f"<h3>Members invited</h3><ul>{members}</ul>"
        + f"<h3>Before the meeting</h3><ul>{deadlines}</ul>"
    )


class AgendaPreviewDialog(QDialog):
    """A read-only preview of the agenda and its readiness."""

    def __init__(self, view: AgendaBuilderView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Agenda preview: {view.panel.meeting_name}")
        self.setAccessibleName("Agenda preview")
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Agenda")
        self.browser.setHtml(preview_html(view))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(900, 640)

    @classmethod
    def show_preview(cls, parent: QWidget | None, view: AgendaBuilderView) -> None:
        """Show the preview until it is closed."""
        cls(view, parent).exec()


class AgendaBuilderPage(QWidget):
    """Build a panel's agenda: requests to add, the agenda with readiness, slots and members."""

    agenda_pack_requested = Signal(int)  # panel id: the lead wires the agenda pack PDF here

    def __init__(self, ws: Workspace, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.view: AgendaBuilderView | None = None
        self._showing = False
        self._build()
        self.reload_panels()

    # Layout.
    def _build(self) -> None:
        self.panel_combo = QComboBox()
        self.panel_combo.setAccessibleName("Panel")
        self.new_panel_button = QPushButton("&New panel…")
        self.new_panel_button.setAccessibleName("New panel")
        self.preview_button = QPushButton("Previe&w agenda")
        self.preview_button.setAccessibleName("Preview agenda")
        self.pack_button = QPushButton("Agenda pac&k (PDF)…")
        self.pack_button.setAccessibleName("Agenda pack")
        self.panel_info = plain_label(name="Panel details")
        self.deadline = plain_label(name="Agenda deadline")

        # Left: QA-approved requests.
        self.requests_model = RequestsModel(self)
        self.requests_table = _table("QA-approved requests", self.requests_model)
        header = self.requests_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Narrow column: the subject and the movement; the tooltip has the rest.
        for column in (0, 1, 4, 5, 6):
            self.requests_table.hideColumn(column)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("Add to a&genda →")
        self.add_button.setObjectName("primary")
        self.add_button.setAccessibleName("Add to agenda")

        # Centre: the agenda, then the selected item.
        self.agenda_model = BuilderAgendaModel(self)
        self.agenda = _table("Agenda being built", self.agenda_model)
        self.agenda.setAccessibleDescription(
            "Drag a row, or press Alt+Shift+Up or Alt+Shift+Down, to move an item."
        )
        self.agenda.setDragEnabled(True)
        self.agenda.setAcceptDrops(True)
        self.agenda.setDropIndicatorShown(True)
        self.agenda.setDragDropOverwriteMode(False)
        self.agenda.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.agenda.setDefaultDropAction(Qt.DropAction.MoveAction)
        a_header = self.agenda.horizontalHeader()
        # Names are short, movements long ("Step down → Universal services"): the movement
        # takes the spare width; what is still cut off is in the row's tooltip.
        a_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        a_header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.end_label = plain_label(name="Estimated end", wrap=False)
        self.up_action = self._action(
            "Move item &up",
            "Alt+Shift+Up",
            lambda: self.move(-1),
            "Move the selected agenda item up one place",
        )
        self.down_action = self._action(
            "Move item &down",
            "Alt+Shift+Down",
            lambda: self.move(1),
            "Move the selected agenda item down one place",
        )
        self.up_button = self._button_for(self.up_action, "Move item up", "↑ Up")
        self.down_button = self._button_for(self.down_action, "Move item down", "↓ Down")
        self.remove_button = QPushButton("Rem&ove")
        self.remove_button.setAccessibleName("Remove from agenda")
        self.hold_button = QPushButton("Hold &back…")
        self.hold_button.setAccessibleName("Hold back")

        self.minutes = QSpinBox()
        self.minutes.setAccessibleName("Slot length in minutes")
        self.minutes.setRange(5, 180)
        self.minutes.setSingleStep(5)
        self.minutes.setSuffix(" min")
        self.fixed = QCheckBox("Fi&xed start")
        self.fixed.setAccessibleName("Fixed start")
        self.start = QTimeEdit()
        self.start.setAccessibleName("Start time")
        self.start.setDisplayFormat("HH:mm")
        self.presenter = QComboBox()
        self.presenter.setAccessibleName("Presenter")
        self.presenter.addItem("(no presenter)", None)
        for person in list_people(self.ws):
            self.presenter.addItem(f"{person.name} ({person.job_title})", person.id)
        self.readiness = plain_label(name="Readiness")
        item_form = QFormLayout()
        slot_row = QHBoxLayout()
        slot_row.addWidget(self.minutes)
        slot_row.addWidget(self.fixed)
        slot_row.addWidget(self.start)
        slot_row.addStretch(1)
        for text, widget, field in (
            ("&Slot:", self.minutes, slot_row),
            ("Pr&esenter:", self.presenter, self.presenter),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            item_form.addRow(label, field)
        item_form.addRow("Readiness:", self.readiness)

        # Right: members.
        self.members_model = MembersModel(self)
        self.members = _table("Members invited", self.members_model)
        m_header = self.members.horizontalHeader()
        m_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        m_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.person = QComboBox()
        self.person.setAccessibleName("Person to invite")
        for person in list_people(self.ws):
            self.person.addItem(f"{person.name} ({person.job_title})", person.id)
        self.role = QComboBox()
        self.role.setAccessibleName("Panel role")
        for code, label_text in PANEL_ROLES.items():
            self.role.addItem(label_text, code)
        self.role.setCurrentIndex(self.role.findData("member"))
        self.invite_button = QPushButton("Invi&te")
        self.invite_button.setAccessibleName("Invite")
        self.uninvite_button = QPushButton("&Un-invite")
        self.uninvite_button.setAccessibleName("Un-invite")
        self.message = plain_label(name="Agenda builder message")
        self.message.setObjectName("saveStatus")

        # Long entries ("name (job title)", the panel's full name) must not make the page wider
        # than a 1366-pixel screen at a large text size: the combos show ~20 characters.
        for combo in (self.panel_combo, self.presenter, self.person):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(20)

        # Assemble.
        top = QHBoxLayout()
        top.addWidget(QLabel("Panel:"))
        top.addWidget(self.panel_combo, 1)
        top.addWidget(self.new_panel_button)
        top.addWidget(self.preview_button)
        top.addWidget(self.pack_button)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(heading("QA-approved requests"))
        lv.addWidget(self.requests_table, 1)
        lv.addWidget(self.add_button)

        centre = QWidget()
        cv = QVBoxLayout(centre)
        cv.setContentsMargins(0, 0, 0, 0)
        agenda_head = QHBoxLayout()
        agenda_head.addWidget(heading("Agenda"))
        agenda_head.addStretch(1)
        agenda_head.addWidget(self.end_label)
        cv.addLayout(agenda_head)
        cv.addWidget(self.agenda, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.hold_button)
        cv.addLayout(buttons)
        cv.addLayout(item_form)

        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(heading("Members invited"))
        rv.addWidget(self.members, 1)
        rv.addWidget(self.person)
        invite_row = QHBoxLayout()
        invite_row.addWidget(self.role, 1)
        invite_row.addWidget(self.invite_button)
        rv.addLayout(invite_row)
        rv.addWidget(self.uninvite_button, 0, Qt.AlignmentFlag.AlignRight)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(centre)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([360, 640, 330])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.panel_info)
        layout.addWidget(self.deadline)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)

        # Wiring: each slot calls one service and shows its result.
        self.panel_combo.currentIndexChanged.connect(lambda _i: self.open_panel())
        self.new_panel_button.clicked.connect(self.new_panel)
        self.preview_button.clicked.connect(self.preview)
        self.pack_button.clicked.connect(self.request_pack)
        self.add_button.clicked.connect(self.add_selected)
        self.requests_table.doubleClicked.connect(lambda _i: self.add_selected())
        self.agenda_model.move_requested.connect(self.move_to)
        self.agenda.selectionModel().currentRowChanged.connect(lambda *_a: self._show_item())
        self.remove_button.clicked.connect(self.remove_selected)
        self.hold_button.clicked.connect(self.hold_back_selected)
        self.minutes.editingFinished.connect(self.save_slot)
        self.start.editingFinished.connect(self.save_slot)
        self.fixed.toggled.connect(lambda _c: self.save_slot())
        self.presenter.activated.connect(lambda _i: self.save_presenter())
        self.invite_button.clicked.connect(self.invite)
        self.uninvite_button.clicked.connect(self.uninvite_selected)

    def _action(self, text: str, shortcut: str, slot: Any, tip: str) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setStatusTip(tip)
        action.setToolTip(f"{tip} ({QKeySequence(shortcut).toString()})")
        action.setWhatsThis(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    @staticmethod
    def _button_for(action: QAction, name: str, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.setAccessibleDescription(action.toolTip())
        button.setToolTip(action.toolTip())
        button.clicked.connect(action.trigger)
        action.enabledChanged.connect(button.setEnabled)
        return button

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        """Requests are QA-approved on another page: show the agenda as it is now."""
        super().showEvent(event)
        self.reload_panels()

    # Showing.
    def reload_panels(self, select_id: int | None = None) -> None:
        """List the planned panels (soonest first) and open one."""
        try:
            panels = [p for p in list_panels(self.ws, self.actor) if p.status == "planned"]
        except StepDeskError as error:
            self.show_message(str(error), error=True)
            return
        current = select_id or (self.view.panel.id if self.view else None)
        self.panel_combo.blockSignals(True)
        self.panel_combo.clear()
        for p in panels:
            self.panel_combo.addItem(_panel_label(p), p.id)
        index = self.panel_combo.findData(current) if current is not None else 0
        self.panel_combo.setCurrentIndex(max(index, 0))
        self.panel_combo.blockSignals(False)
        self.open_panel()

    def open_panel(self) -> None:
        """Show the chosen panel."""
        panel_id = self.panel_combo.currentData()
        if panel_id is None:
            self.view = None
            self._show(None)
            return
        self._run(lambda: agenda_builder(self.ws, self.actor, panel_id))

    def _run(self, call: Any, message: str = "", keep: int | None = None) -> bool:
        """Call one service that returns the builder view, and show the result."""
        try:
            view = call()
        except StepDeskError as error:
            self.show_message(str(error), error=True)
            return False
        self._show(view, keep)
        if message:
            self.show_message(message)
        return True

    def _show(self, view: AgendaBuilderView | None, keep: int | None = None) -> None:
        keep = keep if keep is not None else self.current_item_id()
        self.view = view
        self._showing = True
        try:
            self.requests_model.set_rows(approved_requests(self.ws, self.actor))
        except StepDeskError as error:
            self.show_message(str(error), error=True)
        if view is None:
            self.agenda_model.set_rows([])
            self.members_model.set_rows([])
            self.panel_info.setText("No planned panel: create one with New panel….")
            self.deadline.setText("")
            self.end_label.setText("")
        else:
            p = view.panel
            self.agenda_model.set_rows(view.items)
            self.members_model.set_rows(view.attendance)
            on_agenda = sum(1 for i in view.items if not i.held_back_reason)
            self.panel_info.setText(
                f"{p.meeting_name}, {date_text(p.starts_at.date())} {time_text(p.starts_at)} · "
                f"{p.venue} · Chair: {p.chair_name} · {on_agenda} item(s), "
                f"{view.ready_count} ready"
            )
            agenda_deadline = view.deadlines[-1]
            rag = agenda_deadline.rag(self.ws.now())
            self.deadline.setText(agenda_circulation_text(agenda_deadline, agenda_deadline.met_at))
            self.deadline.setToolTip(agenda_deadline.explain())
            set_style_property(self.deadline, "rag", rag.name.lower())
            self.end_label.setText(f"Estimated end {time_text(view.estimated_end)}")
            number = self.agenda_model.row_number(keep) if keep is not None else None
            if number is None and view.items:
                number = 0
            if number is not None:
                self.agenda.setCurrentIndex(self.agenda_model.index(number, 0))
        self._showing = False
        self._show_item()

    def current_item_id(self) -> int | None:
        """The selected agenda item's id."""
        index = self.agenda.currentIndex()
        return index.data(ROW_ROLE).id if index.isValid() else None

    def current_item(self) -> BuilderItem | None:
        """The selected agenda item."""
        index = self.agenda.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _show_item(self) -> None:
        item = self.current_item()
        editable = self.view is not None and self.view.editable
        self._showing = True
        if item is None:
            self.readiness.setText("Select an item to see whether it is ready.")
        else:
            self.minutes.setValue(item.row.slot_minutes)
            self.fixed.setChecked(item.fixed_start)
            self.start.setTime(QTime(item.row.slot_start.hour, item.row.slot_start.minute))
            index = self.presenter.findData(item.presenter_id)
            self.presenter.setCurrentIndex(max(index, 0))
            self.readiness.setText(readiness_text(item))
            if item.held_back_reason:
                set_style_property(self.readiness, "rag", "done")
            else:
                set_style_property(
                    self.readiness, "rag", "on_track" if item.readiness.ready else "overdue"
                )
        self._showing = False
        has_item = item is not None and editable
        pending = has_item and item is not None and not item.held_back_reason
        for widget in (self.up_button, self.down_button, self.remove_button):
            widget.setEnabled(has_item)
        self.up_action.setEnabled(has_item)
        self.down_action.setEnabled(has_item)
        self.hold_button.setEnabled(pending)
        for widget in (self.minutes, self.fixed, self.presenter):
            widget.setEnabled(pending)
        self.start.setEnabled(pending and self.fixed.isChecked())
        self.add_button.setEnabled(editable and self.requests_model.rowCount() > 0)
        for widget in (self.invite_button, self.uninvite_button, self.person, self.role):
            widget.setEnabled(editable)
        self.agenda.setDragEnabled(editable)
        self.preview_button.setEnabled(self.view is not None)
        self.pack_button.setEnabled(self.view is not None)

    def show_message(self, text: str, *, error: bool = False) -> None:
        """Say what happened at the foot of the page."""
        self.message.setText(text)
        set_style_property(self.message, "error", "true" if error else "false")

    # Actions.
    def new_panel(self) -> None:
        """Create a panel and open it."""
        view = NewPanelDialog.ask(self, self.ws, self.actor)
        if view is not None:
            self.reload_panels(view.panel.id)
            self.show_message(f"Panel created: {_panel_label(view.panel)}.")

    def add_selected(self) -> None:
        """Put the selected QA-approved request on the agenda."""
        index = self.requests_table.currentIndex()
        if self.view is None or not index.isValid():
            return
        row = index.data(ROW_ROLE)
        panel_id = self.view.panel.id
        if self._run(
            lambda: add_to_agenda(self.ws, self.actor, panel_id, row.id),
            f"Added to the agenda: {row.subject_name}.",
        ):
            self._select_request(row.id)

    def _select_request(self, request_id: int) -> None:
        if self.view is None:
            return
        item = next((i for i in self.view.items if i.request_id == request_id), None)
        if item is not None:
            number = self.agenda_model.row_number(item.id)
            if number is not None:
                self.agenda.setCurrentIndex(self.agenda_model.index(number, 0))

    def move(self, step: int) -> None:
        """Move the selected item up or down one place (Alt+Shift+Up / Down)."""
        item_id = self.current_item_id()
        if item_id is None:
            return
        self._run(lambda: move_item(self.ws, self.actor, item_id, step), keep=item_id)
        self.agenda.setFocus()

    def move_to(self, item_id: int, target: int) -> None:
        """Save the order after a row was dragged to ``target``."""
        if self.view is None:
            return
        order = [i.id for i in self.view.items]
        order.insert(target, order.pop(order.index(item_id)))
        panel_id = self.view.panel.id
        self._run(
            lambda: reorder_agenda(self.ws, self.actor, panel_id, order),
            "Agenda order saved.",
            keep=item_id,
        )

    def remove_selected(self) -> None:
        """Take the selected item off the agenda."""
        item = self.current_item()
        if item is None:
            return
        self._run(
            lambda: remove_from_agenda(self.ws, self.actor, item.id),
            f"Removed from the agenda: {item.row.subject_name}. The request is QA approved again.",
        )

    def hold_back_selected(self) -> None:
        """Ask why, then hold back the selected item."""
        item = self.current_item()
        if item is None:
            return
        reason = HoldBackDialog.ask(self, item)
        if reason is None:
            return
        self._run(
            lambda: hold_back(self.ws, self.actor, item.id, reason),
            f"Held back: {item.row.subject_name}.",
            keep=item.id,
        )

    def save_slot(self) -> None:
        """Save the selected item's slot length and start as they are changed."""
        item = self.current_item()
        if item is None or self._showing:
            return
        self.start.setEnabled(self.fixed.isChecked())
        minutes = self.minutes.value()
        fixed = self.fixed.isChecked()
        t = self.start.time()
        start = dt.time(t.hour(), t.minute()) if fixed else None
        if (
            minutes == item.row.slot_minutes
            and fixed == item.fixed_start
            and (not fixed or start == item.row.slot_start.time())
        ):
            return
        self._run(
            lambda: set_slot(
                self.ws,
                self.actor,
                item.id,
                slot_minutes=minutes,
                start=start,
                clear_start=not fixed,
            ),
            "Slot saved.",
            keep=item.id,
        )

    def save_presenter(self) -> None:
        """Save the chosen presenter."""
        item = self.current_item()
        if item is None or self._showing:
            return
        user_id = self.presenter.currentData()
        self._run(
            lambda: set_presenter(self.ws, self.actor, item.id, user_id),
            "Presenter saved.",
            keep=item.id,
        )

    def invite(self) -> None:
        """Invite the chosen person with the chosen role."""
        if self.view is None:
            return
        panel_id, user_id, role = (
            self.view.panel.id,
            self.person.currentData(),
            self.role.currentData(),
        )
        self._run(
            lambda: invite_member(self.ws, self.actor, panel_id, user_id, role),
            f"Invited: {self.person.currentText()}.",
        )

    def uninvite_selected(self) -> None:
        """Take the selected member off the invitation list."""
        index = self.members.currentIndex()
        if not index.isValid():
            return
        row: AttendanceRow = index.data(ROW_ROLE)
        self._run(lambda: uninvite(self.ws, self.actor, row.id), f"Un-invited: {row.name}.")

    def preview(self) -> None:
        """Show the agenda and its readiness, read-only (one click)."""
        if self.view is not None:
            AgendaPreviewDialog.show_preview(self, self.view)

    def request_pack(self) -> None:
        """Ask for the agenda pack PDF; with nothing wired to make it yet, show the preview."""
        if self.view is None:
            return
        if self.receivers(SIGNAL("agenda_pack_requested(int)")) > 0:
            self.agenda_pack_requested.emit(self.view.panel.id)
            self.open_panel()  # writing the pack may have recorded its circulation
        else:
            self.preview()


def _panel_label(p: PanelRow) -> str:
    return f"{p.meeting_name}, {date_text(p.starts_at.date())} {time_text(p.starts_at)} · {p.venue}"
