"""The main window's layout: panels on the left, the agenda in the middle, the case on the right.

This module holds layout only; :mod:`ui.controller` connects it to the services.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import make_url

from stepdesk.domain import Role
from stepdesk.services.workspace import Actor, Workspace
from ui import backup_action, edit_menu, ops, search_dialog, shortcuts_dialog, theme
from ui.agenda_view import AgendaView
from ui.attendance_pane import AttendancePane
from ui.case_pane import CasePane
from ui.controller import MainController
from ui.models import AgendaModel, AttendanceModel, PanelsFilter, PanelsModel
from ui.notes_editor import NotesEditor
from ui.pages import accounts as accounts_page
from ui.pages import meeting_page
from ui.pages import monitoring as monitoring_page
from ui.pages.agenda_builder import AgendaBuilderPage
from ui.pages.audit import add_audit_page
from ui.pages.deadlines import DeadlinesPage
from ui.pages.requests import RequestsPage
from ui.widgets import heading, plain_label, set_style_property


def database_name(url: str) -> str:
    """A short name for the title bar: the file name, or the server and database."""
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        return Path(parsed.database or "memory").name
    return f"{parsed.host or 'localhost'}/{parsed.database or ''}"


def window_title(ws: Workspace, actor: Actor) -> str:
    """StepDesk, the database and the acting user."""
    try:
        role = Role(actor.role).label
    except ValueError:
        role = actor.role
    return f"StepDesk — {database_name(ws.db.url)} — {actor.name} ({role})"


# The Panels page is laid out for the window's default width; its side panes follow the font.
DEFAULT_WIDTH = 1366
PAGE_HEIGHT = 670  # the page in a 1366×768 window, below the menus and tabs
# Sample text of the upcoming panels table's columns (widest usual values) and of the case pane.
PANELS_SAMPLES = ("30/11/2026 09:00", "CIN panel", "Planned, 10/10")
CASE_SAMPLE = "Complex / multiple additional needs · Early Help"
CELL_PADDING = 16  # a header section's padding (6 + 6, see ui.theme) and a little air


def panels_page_widths(metrics: QFontMetrics, total: int = DEFAULT_WIDTH) -> list[int]:
    """Widths of the panels list, the agenda and the case pane, from the text they show.

    The panels list is as wide as its three columns' sample text (so the date and time is read
    whole at any text size); the case pane as wide as a long line of its text. The agenda keeps
    at least 38 % of the width: the case pane gives way first (it wraps) down to 26 %, then
    the panels list.
    """
    chrome = 2 * 3 + metrics.height()  # frame and a vertical scroll bar
    left = sum(metrics.horizontalAdvance(t) + CELL_PADDING for t in PANELS_SAMPLES) + chrome
    right = metrics.horizontalAdvance(CASE_SAMPLE) + 4 * metrics.averageCharWidth() + chrome
    room = total - int(total * 0.38)
    right = max(min(right, room - left), int(total * 0.26))
    left = max(min(left, room - right), int(total * 0.2))
    return [left, total - left - right, right]


def panels_column_heights(metrics: QFontMetrics) -> list[int]:
    """Heights of upcoming panels (three rows), past panels (two rows) and the attendance."""
    row = metrics.height() + 16  # a table row and a header section, padded (ui.theme)
    heading_height = int(metrics.lineSpacing() * 1.3) + 8
    upcoming = heading_height + row * 4 + 8
    past = heading_height + row * 3 + 8
    return [upcoming, past, max(PAGE_HEIGHT - upcoming - past, row * 6)]


def _panels_table(name: str, model: PanelsFilter) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    # Date and time and the status are read whole; the meeting's name takes what is left
    # (elided, with the whole of it in the row's tooltip).
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    header.setMinimumSectionSize(table.fontMetrics().horizontalAdvance("Step-up…") + 12)
    return table


class MainWindow(QMainWindow):
    """Panels, agenda, case summary, minute notes and attendance in one window."""

    def __init__(self, ws: Workspace, actor: Actor, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(window_title(ws, actor))
        self.setAccessibleName("StepDesk")
        self.panels_model = PanelsModel(self)
        self.upcoming_filter = PanelsFilter(True, ws.today(), self)
        self.upcoming_filter.setSourceModel(self.panels_model)
        self.past_filter = PanelsFilter(False, ws.today(), self)
        self.past_filter.setSourceModel(self.panels_model)
        self.agenda_model = AgendaModel(self)
        self.attendance_model = AttendanceModel(self)
        self._menus: dict[str, QMenu] = {}
        self._build_actions()
        self._build_layout()
        self._build_menus()
        self._build_pages(ws, actor)
        self.message = plain_label(name="Status message", wrap=False)
        self.statusBar().addWidget(self.message, 1)
        hub = ops.hub()  # every operation's refusal, and what is running, in the status bar
        hub.failed.connect(self.show_error)
        hub.status.connect(self.show_message)
        self.resize(1366, 768)
        self.controller = MainController(ws, actor, self)
        if self.agenda_builder is not None:
            self.agenda_builder.agenda_pack_requested.connect(
                self.controller.documents.save_agenda_for
            )
        self.controller.start()

    def _action(self, text: str, shortcut: QKeySequence | str, tip: str) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(f"{tip} ({QKeySequence(shortcut).toString()})")
        action.setStatusTip(tip)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.export_action = self._action(
            "&Export minutes…", "Ctrl+E", "Write the minutes of this panel as a PDF"
        )
        self.quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit, "Close StepDesk")
        self.quit_action.triggered.connect(self.close)
        self.decision_action = self._action(
            "&Record decision…", "Ctrl+D", "Record the panel's decision on this item"
        )
        self.next_action = self._action("&Next item", "Alt+Down", "Go to the next agenda item")
        self.previous_action = self._action(
            "&Previous item", "Alt+Up", "Go to the previous agenda item"
        )

    def menu(self, title: str) -> QMenu:
        """The menu called ``title`` ("&File", "&View", …), made on first use."""
        if title not in self._menus:
            self._menus[title] = self.menuBar().addMenu(title)
        return self._menus[title]

    def _build_menus(self) -> None:
        file_menu = self.menu("&File")
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.menu("&Edit")  # filled by ui.edit_menu; made here so that it follows File
        view_menu = self.menu("&View")
        view_menu.addAction(self._page_action(0, "&Panels"))
        item_menu = self.menu("&Item")
        item_menu.addAction(self.previous_action)
        item_menu.addAction(self.next_action)
        item_menu.addSeparator()
        item_menu.addAction(self.decision_action)

    def _page_action(self, index: int, title: str) -> QAction:
        action = self._action(title, f"Ctrl+{index + 1}", f"Show the {title.replace('&', '')} page")
        action.triggered.connect(lambda: self.show_page(index))
        return action

    def show_page(self, index: int) -> None:
        """Show a page with the keyboard in it (not on the tab bar), so its keys work at once."""
        self.pages.setCurrentIndex(index)
        page, focus = self.pages.widget(index), QApplication.focusWidget()
        if focus is not None and page.isAncestorOf(focus):
            return
        widget = page.nextInFocusChain()
        while widget is not page:
            wants = widget.isVisible() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            if wants and widget.isEnabled() and page.isAncestorOf(widget):
                widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return
            widget = widget.nextInFocusChain()

    def _show_panels_page(self) -> None:
        if self.pages.currentIndex() != 0:
            self.show_page(0)

    def add_page(self, widget: QWidget, title: str) -> int:
        """Add a page (a tab) with a View menu entry and the shortcut Ctrl+<its number>."""
        index = self.pages.addTab(widget, title)
        widget.setAccessibleName(title.replace("&", ""))
        self.menu("&View").addAction(self._page_action(index, title))
        return index

    def _build_pages(self, ws: Workspace, actor: Actor) -> None:
        """The pages beside Panels. Each lives in its own module under ``ui/pages/``."""
        self.add_page(RequestsPage(ws, actor), "&Requests")
        if actor.role in (Role.CHAIR, Role.COORDINATOR):
            self.agenda_builder: AgendaBuilderPage | None = AgendaBuilderPage(ws, actor)
            self.add_page(self.agenda_builder, "&Agenda builder")
        else:
            self.agenda_builder = None
        self.meeting_page = meeting_page.install(self, ws, actor)
        self.add_page(DeadlinesPage(ws, actor, self), "Dead&lines")
        self.monitoring_page = monitoring_page.install(self, ws, actor)
        self.find_action = search_dialog.install(self, ws, actor)
        add_audit_page(self, ws, actor)
        accounts_page.install(self, ws, actor)
        self.edit_actions = edit_menu.install(self)
        self.theme_actions = theme.install(self)  # View → Theme, View → Text size
        self.backup_action = backup_action.install(self, ws, actor)  # File → Back up now…
        self.shortcuts_action = shortcuts_dialog.install(self)  # last: it lists every action

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
        # Left: upcoming and past panels, then who is attending the selected one.
        self.upcoming_view = _panels_table("Upcoming panels", self.upcoming_filter)
        self.past_view = _panels_table("Past panels", self.past_filter)
        self.attendance = AttendancePane(self.attendance_model)
        left = QSplitter(Qt.Orientation.Vertical)
        left.setChildrenCollapsible(False)
        for title, widget in (
            ("Upcoming panels", self.upcoming_view),
            ("Past panels", self.past_view),
        ):
            box = QWidget()
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            box_layout.addWidget(heading(title))
            box_layout.addWidget(widget)
            left.addWidget(box)
        left.addWidget(self.attendance)
        left.setSizes(panels_column_heights(self.fontMetrics()))

        # Centre: the panel, its agenda, the buttons that act on an item, the minute notes.
        self.panel_title = heading("No panel selected", scale=1.3)
        self.panel_title.setAccessibleName("Panel")
        self.panel_title.setWordWrap(True)  # a long meeting name at large text: two lines
        self.panel_details = plain_label(name="Panel details")
        self.export_button = self._button(self.export_action, "Export minutes")
        self.agenda_view = AgendaView(self.agenda_model)
        self.previous_button = self._button(self.previous_action, "Previous item")
        self.next_button = self._button(self.next_action, "Next item")
        self.decision_button = self._button(self.decision_action, "Record decision", primary=True)
        self.notes = NotesEditor()

        title_row = QHBoxLayout()
        title_block = QVBoxLayout()
        title_block.addWidget(self.panel_title)
        title_block.addWidget(self.panel_details)
        title_row.addLayout(title_block, 1)
        title_row.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        item_buttons = QHBoxLayout()
        item_buttons.addWidget(self.previous_button)
        item_buttons.addWidget(self.next_button)
        item_buttons.addStretch(1)
        item_buttons.addWidget(self.decision_button)
        agenda_box = QWidget()
        agenda_layout = QVBoxLayout(agenda_box)
        agenda_layout.setContentsMargins(0, 0, 0, 0)
        agenda_layout.addLayout(title_row)
        agenda_layout.addWidget(self.agenda_view, 1)
        agenda_layout.addLayout(item_buttons)
        centre = QSplitter(Qt.Orientation.Vertical)
        centre.setChildrenCollapsible(False)
        centre.addWidget(agenda_box)
        centre.addWidget(self.notes)
        centre.setSizes([430, 230])

        # Right: the case summary of the selected item.
        self.case_pane = CasePane()

        main = QSplitter(Qt.Orientation.Horizontal)
        main.setChildrenCollapsible(False)
        main.addWidget(left)
        main.addWidget(centre)
        main.addWidget(self.case_pane)
        main.setStretchFactor(1, 1)
        main.setSizes(panels_page_widths(self.fontMetrics()))
        # Pages: "Panels" (this layout) first; other pages are added by _build_pages.
        self.pages = QTabWidget()
        self.pages.setAccessibleName("Pages")
        self.pages.setDocumentMode(True)
        self.pages.addTab(main, "&Panels")
        # The item keys act on this page's agenda: live only while the Panels page shows.
        for action in (self.decision_action, self.next_action, self.previous_action):
            self.removeAction(action)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            main.addAction(action)
            # From the Item menu on another page: show the agenda the action works on first.
            action.triggered.connect(self._show_panels_page)
        self.setCentralWidget(self.pages)

    def show_message(self, text: str, *, error: bool = False) -> None:
        """Say something in the status bar; errors stay until the next message."""
        self.message.setText(text)
        set_style_property(self.message, "kind", "error" if error else "info")

    def show_error(self, text: str) -> None:
        """Say in red in the status bar why something was not done (until the next message)."""
        self.show_message(text, error=True)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        """Save unsaved notes and close: there is never anything to ask about."""
        self.notes.flush()
        super().closeEvent(event)
