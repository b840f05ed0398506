"""Wiring of the main window: each slot calls one service and shows what it returns."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, QStandardPaths
from PySide6.QtWidgets import QTableView

from stepdesk.errors import StepDeskError
from stepdesk.services.cases import item_detail
from stepdesk.services.changes import Changes, Operation
from stepdesk.services.minutes import (
    StaleNotesError,
    approved_minutes,
    minutes_document,
    notes_token,
    save_item_notes,
)
from stepdesk.services.panels import get_panel, list_panels, set_attendance
from stepdesk.services.permissions import allowed
from stepdesk.services.views import ItemDetail, PanelRow
from stepdesk.services.workspace import Actor, Workspace
from ui import ops
from ui.decision_dialog import DecisionDialog
from ui.dialogs import SaveFileDialog
from ui.documents import DocumentsMenu
from ui.files import write_pdf
from ui.format import date_text, time_text
from ui.models import ROW_ROLE

if TYPE_CHECKING:
    from ui.host import PanelsHost

P = ParamSpec("P")
R = TypeVar("R")


def shows_errors(
    slot: Callable[Concatenate[MainController, P], R],
) -> Callable[Concatenate[MainController, P], R | None]:
    """Show a ``StepDeskError`` in the status bar, plainly; anything else is our bug."""

    @functools.wraps(slot)
    def wrapper(self: MainController, *args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return slot(self, *args, **kwargs)
        except StepDeskError as error:
            self.window.show_message(str(error), error=True)
            return None

    return wrapper


class MainController(QObject):
    """Connects the main window's views to the panel, case, minutes and decision services."""

    def __init__(self, ws: Workspace, actor: Actor, window: PanelsHost) -> None:
        super().__init__(window)
        self.ws = ws
        self.actor = actor
        self.window = window
        self.panel: PanelRow | None = None
        self.detail: ItemDetail | None = None
        w = window
        w.attendance_model.set_editable(allowed(actor, "attendance.edit"))
        if not allowed(actor, "minutes.edit"):
            w.notes.set_read_only(True, f"{actor.name} may read the minute notes, not write them.")
        for view in (w.upcoming_view, w.past_view):
            view.selectionModel().currentRowChanged.connect(
                functools.partial(self._on_panel_index, view)
            )
        w.agenda_view.selectionModel().currentRowChanged.connect(self._on_item_index)
        w.agenda_view.open_requested.connect(self.record_decision)
        w.attendance_model.status_requested.connect(self.change_attendance)
        w.notes.save_requested.connect(self.save_notes)
        w.decision_action.triggered.connect(self.record_decision)
        w.export_action.triggered.connect(self.export_minutes)
        w.next_action.triggered.connect(self.next_item)
        w.previous_action.triggered.connect(self.previous_item)
        self.documents = DocumentsMenu(self)
        ops.hub().changed.connect(self.on_changed)
        self._update_actions()

    @shows_errors
    def start(self) -> None:
        """Load the panels and open the soonest upcoming one (else the latest past one)."""
        self.window.panels_model.set_rows(list_panels(self.ws, self.actor))
        for view in (self.window.upcoming_view, self.window.past_view):
            if view.model().rowCount() > 0:
                view.setCurrentIndex(view.model().index(0, 0))
                view.setFocus()
                break

    @shows_errors
    def on_changed(self, changes: Changes) -> None:
        """An operation (on any page) changed records: redraw only the panel rows they touch."""
        if not changes.touches("panel", "agenda_item", "decision", "attendance", "minutes"):
            return
        wanted = changes.ids("panel")
        for panel in list_panels(self.ws, self.actor):
            if not wanted or panel.id in wanted:
                self.window.panels_model.update_row(panel)

    # Selection.
    def _on_panel_index(self, view: QTableView, current: QModelIndex, _previous: Any) -> None:
        if not current.isValid():
            return
        other = (
            self.window.past_view
            if view is self.window.upcoming_view
            else (self.window.upcoming_view)
        )
        other.selectionModel().clear()
        self.open_panel(current.data(ROW_ROLE).id)

    def _on_item_index(self, current: QModelIndex, _previous: Any) -> None:
        if current.isValid():
            self.open_item(current.data(ROW_ROLE).id)

    @shows_errors
    def open_panel(self, panel_id: int) -> None:
        """Show one panel's agenda and attendance, and open its first item."""
        w = self.window
        w.notes.flush()
        view = get_panel(self.ws, self.actor, panel_id)
        self.panel = view.panel
        p = view.panel
        w.panel_title.setText(f"{p.meeting_name}, {date_text(p.starts_at.date())}")
        w.panel_details.setText(
            f"{time_text(p.starts_at)} at {p.venue} · Chair: {p.chair_name} · "
            f"{p.item_count} items, {p.decided_count} decided"
        )
        w.attendance_model.set_rows(view.attendance)
        w.agenda_model.set_rows(view.items)
        self.detail = None
        w.case_pane.clear()
        w.notes.set_item(None, "", None)
        if view.items:
            w.agenda_view.setCurrentIndex(w.agenda_model.index(0, 0))
        self._update_actions()

    @shows_errors
    def open_item(self, item_id: int) -> None:
        """Show one agenda item's case summary and minute notes."""
        w = self.window
        w.notes.flush()
        self.detail = item_detail(self.ws, self.actor, item_id)
        row = self.detail.row
        w.case_pane.show_detail(self.detail, self.ws.now())
        w.notes.set_item(
            item_id,
            self.detail.notes,
            self.detail.notes_saved_at,
            f"{row.position}. {row.subject_name}",
        )
        self._update_actions()

    def _move(self, step: int) -> None:
        view = self.window.agenda_view
        target = view.currentIndex().row() + step
        if 0 <= target < self.window.agenda_model.rowCount():
            view.selectionModel().setCurrentIndex(
                self.window.agenda_model.index(target, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def next_item(self) -> None:
        """Go to the next agenda item."""
        self._move(1)

    def previous_item(self) -> None:
        """Go to the previous agenda item."""
        self._move(-1)

    def _update_actions(self) -> None:
        w, item = self.window, self.detail
        w.decision_action.setEnabled(item is not None and allowed(self.actor, "decision.record"))
        w.export_action.setEnabled(self.panel is not None)
        row = w.agenda_view.currentIndex().row()
        w.previous_action.setEnabled(item is not None and row > 0)
        w.next_action.setEnabled(item is not None and row < w.agenda_model.rowCount() - 1)
        self.documents.update()

    # Changes.
    @shows_errors
    def change_attendance(self, attendance_id: int, status: str) -> None:
        """Save one member's attendance as soon as it is ticked."""
        row = set_attendance(self.ws, self.actor, attendance_id, status)
        self.window.attendance_model.update_row(row)
        self.window.show_message(f"Attendance saved: {row.name}, {row.status}.")

    def save_notes(self, item_id: int, text: str) -> None:
        """Save the minute notes the editor asks to save."""
        try:
            base = self.window.notes.base(item_id)
            token = notes_token(base) if base is not None else None
            at = save_item_notes(self.ws, self.actor, item_id, text, token)
        except StaleNotesError as stale:
            self.window.notes.mark_conflict(item_id, stale.theirs, stale.merged)
            self.window.show_message(f"Minute notes: {stale}", error=True)
            return
        except StepDeskError as error:
            self.window.notes.mark_failed(item_id)
            self.window.show_message(f"Minute notes not saved: {error}", error=True)
            return
        self.window.notes.mark_saved(item_id, at)

    @shows_errors
    def record_decision(self) -> None:
        """Open the decision dialog on the current item; show the saved decision."""
        if self.detail is None or not self.window.decision_action.isEnabled():
            return
        self.window.notes.flush()
        item_id = self.detail.row.id
        decision = DecisionDialog.ask(
            self.window, self.ws, self.actor, item_id, existing=self.detail.decision
        )
        if decision is None:
            return
        self.detail = item_detail(self.ws, self.actor, item_id)
        self.window.agenda_model.update_row(self.detail.row)
        self.window.case_pane.show_detail(self.detail, self.ws.now())
        self.documents.update()  # a letter can be written now
        for panel in list_panels(self.ws, self.actor):
            self.window.panels_model.update_row(panel)
        self.window.show_message(
            f"Decision recorded for {self.detail.row.subject_name}: {decision.outcome_label}."
        )

    @shows_errors
    def export_minutes(self) -> None:
        """Ask where, then write the minutes of the selected panel as a PDF."""
        if self.panel is None:
            return
        self.window.notes.flush()
        p = self.panel
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = Path(folder or Path.home()) / (
            f"Minutes {p.meeting_name} {p.starts_at:%Y-%m-%d}.pdf"
        )
        path = SaveFileDialog.ask(self.window, "Export minutes", suggested, "PDF files (*.pdf)")
        if path is None:
            return
        panel_id = p.id

        def export() -> Path:
            # The chair's approved version once there is one (frozen), else the draft.
            approved = approved_minutes(self.ws, self.actor, panel_id)
            if approved is not None:
                data = approved.pdf
            else:
                # Imported here: reports (ReportLab) loads only when someone exports.
                from reports.minutes import render_minutes

                data = render_minutes(minutes_document(self.ws, self.actor, panel_id))
            write_pdf(target, data)
            return target

        target = path
        ops.run(
            Operation("document.minutes", {"panel": panel_id}),
            export,
            success=lambda done: self.window.show_message(f"Minutes exported to {done}."),
            fails_as="",
            busy="Writing the minutes…",
        )
