"""What pages, menus and the controller need of the window they live in: small Protocols.

Pages and menus are given a :class:`PageHost` (the Panels page's parts: a
:class:`PanelsHost`), never :class:`ui.main_window.MainWindow` itself, so that the window
imports its parts and no part imports the window (no circle; a part is testable in any host
that has these few members). ``MainWindow`` is the one real host.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu, QMenuBar, QTableView, QTabWidget, QWidget

    from stepdesk.services.views import ItemDetail, PanelRow
    from stepdesk.services.workspace import Actor, Workspace
    from ui.agenda_view import AgendaView
    from ui.case_pane import CasePane
    from ui.models import AgendaModel, AttendanceModel, PanelsModel
    from ui.notes_editor import NotesEditor


class PageHost(Protocol):
    """A window that holds pages and menus and has a status bar."""

    notes: NotesEditor  # the minute notes: flushed before anything is read or written
    quit_action: QAction

    def show_message(self, text: str, *, error: bool = False) -> None:
        """Say something in the status bar (in red if ``error``)."""

    def show_error(self, text: str) -> None:
        """Say in red why something was not done."""

    def menu(self, title: str) -> QMenu:
        """The menu called ``title``, made on first use."""

    def menuBar(self) -> QMenuBar:  # noqa: N802 (Qt's name)
        """The window's menu bar."""

    def add_page(self, widget: QWidget, title: str) -> int:
        """Add a page with its View menu entry and Ctrl+<number>."""

    def addAction(self, action: QAction) -> None:  # noqa: N802 (Qt's name)
        """Make an action's shortcut work anywhere in the window."""


class PanelSelection(Protocol):
    """The Panels page's current panel and item, and its one action on them."""

    ws: Workspace
    actor: Actor
    panel: PanelRow | None
    detail: ItemDetail | None
    window: PanelsHost

    def record_decision(self) -> None:
        """Open the decision dialog on the current item."""


class PanelsHost(PageHost, Protocol):
    """A host that also shows the Panels page (panels, agenda, case, attendance)."""

    pages: QTabWidget
    panels_model: PanelsModel
    agenda_model: AgendaModel
    attendance_model: AttendanceModel
    upcoming_view: QTableView
    past_view: QTableView
    agenda_view: AgendaView
    case_pane: CasePane
    decision_action: QAction
    controller: PanelSelection
