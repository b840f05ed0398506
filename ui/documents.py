"""The Documents menu: every document a panel hands out, for the selected panel, item or case.

Each action asks where to save (the shared :class:`~ui.dialogs.SaveFileDialog`), gathers the
document through one service, renders it with ``reports`` and offers to open the file.
"Approve minutes…" is offered to the panel's chair (or anyone with the chair role).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from stepdesk.errors import StepDeskError
from stepdesk.services.amendments import minutes_state
from stepdesk.services.changes import Operation
from stepdesk.services.document_views import (
    AgendaDocument,
    ApprovedMinutes,
    MinutesState,
    MinutesVersionRow,
)
from stepdesk.services.documents import (
    agenda_document,
    case_escalations,
    case_has_closure,
    closure_document,
    escalation_document,
    letter_document,
    record_agenda_circulated,
)
from stepdesk.services.minutes import (
    approve_minutes,
    approved_minutes,
    can_approve,
    minutes_document,
    minutes_versions,
)
from stepdesk.services.panels import get_panel
from stepdesk.services.permissions import allowed
from stepdesk.services.views import PanelRow
from ui import ops
from ui.dialogs import SaveFileDialog
from ui.files import write_pdf
from ui.widgets import ok_cancel

if TYPE_CHECKING:
    from ui.host import PanelSelection


class OpenFileQuestion:
    """After saving: open the file now?"""

    @classmethod
    def ask(cls, parent: QWidget | None, path: Path) -> bool:
        """True if the user wants the saved file opened."""
        box = QMessageBox(parent)
        box.setWindowTitle("Document saved")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"Saved to {path}.\n\nOpen it now?")
        box.setStandardButtons(QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close)
        box.setDefaultButton(QMessageBox.StandardButton.Open)
        box.setAccessibleName("Document saved")
        return box.exec() == QMessageBox.StandardButton.Open


class ApproveMinutesDialog(QDialog):
    """Confirm approval; for a correction, say what changed (required)."""

    def __init__(
        self,
        parent: QWidget | None,
        panel_title: str,
        versions: list[MinutesVersionRow],
        state: MinutesState | None = None,
    ) -> None:
        super().__init__(parent)
        self.correction = bool(versions)
        self.setWindowTitle("Approve minutes")
        self.setAccessibleName("Approve minutes")
        layout = QVBoxLayout(self)
        if self.correction:
            last = versions[-1]
            intro = (
                f"The minutes of {panel_title} were approved as version {last.version} by "
                f"{last.approved_by} on {last.approved_at:%d/%m/%Y %H:%M}.\n\n"
                f"Approving again makes version {last.version + 1}: a correction. Say what "
                f"changed; version {last.version} is kept as it was."
            )
            if state is not None and state.out_of_date:
                intro = f"{state.text()}.\n\n{intro}"
        else:
            intro = (
                f"Approve the minutes of {panel_title}?\n\nThey become version 1 and are then "
                "frozen: a later correction makes a new version."
            )
        label = QLabel(intro)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("What changed")
        self.note.setPlaceholderText(
            "What changed since the last version (required for a correction)"
            if self.correction
            else "A note with this approval (optional)"
        )
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(110)
        if state is not None and state.out_of_date:
            # Derived from the decision changes; the chair may add to it.
            self.note.setPlainText(state.suggested_note)
        note_label = QLabel("&What changed:" if self.correction else "&Note:")
        note_label.setBuddy(self.note)
        layout.addWidget(note_label)
        layout.addWidget(self.note)
        self.buttons, self.ok_button = ok_cancel("&Approve", self.accept, self.reject)
        layout.addWidget(self.buttons)
        self.note.textChanged.connect(self._update)
        self._update()
        self.resize(480, self.sizeHint().height())

    def _update(self) -> None:
        self.ok_button.setEnabled(not self.correction or bool(self.note.toPlainText().strip()))

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        panel_title: str,
        versions: list[MinutesVersionRow],
        state: MinutesState | None = None,
    ) -> str | None:
        """The change note ("" for a first approval without one), or ``None`` if cancelled."""
        dialog = cls(parent, panel_title, versions, state)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.note.toPlainText().strip()


class DocumentsMenu(QObject):
    """The "&Documents" menu of the main window and what its actions do."""

    def __init__(self, controller: PanelSelection) -> None:
        super().__init__(controller)
        self.c = controller
        window = controller.window
        menu = window.menu("&Documents")
        # Keep Help the last menu, as people expect.
        bar = window.menuBar()
        help_action = next((a for a in bar.actions() if a.text() == "&Help"), None)
        if help_action is not None:
            bar.removeAction(menu.menuAction())
            bar.insertAction(help_action, menu.menuAction())

        def action(text: str, tip: str, slot: Callable[[], None], shortcut: str = "") -> QAction:
            act = QAction(text, window)
            act.setStatusTip(tip)
            act.setToolTip(tip)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(slot)
            menu.addAction(act)
            return act

        # "Minutes out of date: decision changed on … by …; approve a correction" (shown only
        # while a decision changed after approval waits for a corrected version).
        self.out_of_date_action = action(
            "Minutes out of date", "A decision changed after approval", self.approve
        )
        self.out_of_date_action.setVisible(False)
        self.agenda_action = action(
            "&Agenda pack…", "Save the agenda pack of this panel as a PDF", self.save_agenda
        )
        self.minutes_action = action(
            "&Minutes…",
            "Save the minutes of this panel: the approved version, or the draft",
            self.save_minutes,
        )
        self.approve_action = action(
            "A&pprove minutes…",
            "Approve the minutes of this panel as its chair (T-MINUTES-48H)",
            self.approve,
        )
        menu.addSeparator()
        self.letter_action = action(
            "&Letter to the family…",
            "Save the family's letter about this item's decision (no protective marking)",
            lambda: self.save_letter(office_copy=False),
        )
        self.office_letter_action = action(
            "Letter, &office copy…",
            "Save the office copy of the family letter (marked OFFICIAL-SENSITIVE)",
            lambda: self.save_letter(office_copy=True),
        )
        self.closure_action = action(
            "&Closure summary…", "Save the closure summary of this item's case", self.save_closure
        )
        self.escalation_action = action(
            "&Escalation summary…",
            "Save the latest escalation summary of this item's case (T-ESCALATE-24H)",
            self.save_escalation,
        )
        self.update()

    # -- state ------------------------------------------------------------------------------

    def update(self) -> None:
        """Enable what the current panel and item allow."""
        c = self.c
        panel, detail = c.panel, c.detail
        self.agenda_action.setEnabled(panel is not None)
        self.minutes_action.setEnabled(panel is not None)
        try:
            approvable = panel is not None and can_approve(c.ws, c.actor, panel.id)
        except StepDeskError:
            approvable = False
        self.approve_action.setEnabled(approvable)
        try:
            state = minutes_state(c.ws, c.actor, panel.id) if panel is not None else None
        except StepDeskError:
            state = None
        self.minutes_out_of_date = state.text() if state is not None else ""
        self.out_of_date_action.setText(self.minutes_out_of_date.replace("&", "&&"))
        self.out_of_date_action.setVisible(bool(self.minutes_out_of_date))
        # Chairs click it to approve the correction; others read it.
        self.out_of_date_action.setEnabled(approvable)
        self.approve_action.setText(
            "A&pprove corrected minutes…" if self.minutes_out_of_date else "A&pprove minutes…"
        )
        decided = detail is not None and detail.decision is not None
        self.letter_action.setEnabled(decided)
        self.office_letter_action.setEnabled(decided)
        case_id = detail.case.case_id if detail is not None else None
        try:
            has_closure = case_id is not None and case_has_closure(c.ws, c.actor, case_id)
            has_escalation = case_id is not None and bool(case_escalations(c.ws, c.actor, case_id))
        except StepDeskError:
            has_closure = has_escalation = False
        self.closure_action.setEnabled(has_closure)
        self.escalation_action.setEnabled(has_escalation)

    # -- saving -----------------------------------------------------------------------------

    def _save(
        self,
        title: str,
        name: str,
        make: Callable[[], bytes],
        op: Operation,
        then: Callable[[Path], None] | None = None,
    ) -> Path | None:
        """Ask where; build the PDF and write it on the worker; offer to open it.

        Returns the chosen path (the file is there once the operation has finished), or
        ``None`` if nothing was chosen. ``then(path)`` runs after a successful write.
        """
        window = self.c.window
        window.notes.flush()
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        safe = "".join(ch if ch.isalnum() or ch in " -_,." else "_" for ch in name).strip()
        suggested = Path(folder or Path.home()) / f"{safe}.pdf"
        path = SaveFileDialog.ask(window, title, suggested, "PDF files (*.pdf)")
        if path is None:
            return None
        target = path

        def build() -> Path:
            write_pdf(target, make())
            return target

        def saved(done: Path) -> None:
            window.show_message(f"{title} saved to {done}.")
            if then is not None:
                then(done)
            if OpenFileQuestion.ask(window, done):
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(done)))

        ops.run(op, build, success=saved, fails_as="", busy=f"Writing the {title.lower()}…")
        return path

    def save_agenda(self) -> Path | None:
        """The agenda pack of the panel selected on the Panels page."""
        return self._save_agenda_pack(self.c.panel)

    def save_agenda_for(self, panel_id: int) -> Path | None:
        """The agenda pack of ``panel_id`` (the Agenda builder's panel)."""
        try:
            panel = get_panel(self.c.ws, self.c.actor, panel_id).panel
        except StepDeskError as error:
            self.c.window.show_message(str(error), error=True)
            return None
        return self._save_agenda_pack(panel)

    def _save_agenda_pack(self, p: PanelRow | None) -> Path | None:
        """Write the pack; by the co-ordinator or chair, of a planned panel, it is circulated.

        The circulation time (printed on the pack) is recorded for T-AGENDA-24H.
        """
        if p is None:
            return None
        from reports.agenda import render_agenda

        c = self.c
        circulating = p.status == "planned" and allowed(c.actor, "agenda.edit")
        printed: list[AgendaDocument] = []

        def make() -> bytes:
            doc = agenda_document(c.ws, c.actor, p.id, for_circulation=circulating)
            printed.append(doc)
            return render_agenda(doc)

        name = f"Agenda pack {p.meeting_name} {p.starts_at:%Y-%m-%d}"

        def circulate(path: Path) -> None:
            if not circulating or not printed:
                return
            ops.run(
                Operation("agenda.circulate", {"panel": p.id}),
                lambda: record_agenda_circulated(c.ws, c.actor, p.id, printed[0].circulated_at),
                success=lambda done: c.window.show_message(
                    f"Agenda pack saved to {path}. {done.text()}"
                ),
                fails_as=f"Agenda pack saved to {path}; but",
            )

        op = Operation("document.agenda_pack", {"panel": p.id, "circulate": circulating})
        return self._save("Agenda pack", name, make, op, circulate)

    def save_minutes(self) -> Path | None:
        """The latest approved minutes of the selected panel, else the draft."""
        p = self.c.panel
        if p is None:
            return None
        from reports.minutes import render_minutes

        def make() -> bytes:
            approved = approved_minutes(self.c.ws, self.c.actor, p.id)
            if approved is not None:
                return approved.pdf
            return render_minutes(minutes_document(self.c.ws, self.c.actor, p.id))

        out_of_date = self.minutes_out_of_date

        def said(path: Path) -> None:
            if out_of_date:
                # The approved version was saved; say it no longer matches the decisions.
                self.c.window.show_message(f"Minutes saved to {path}. {out_of_date}.")

        name = f"Minutes {p.meeting_name} {p.starts_at:%Y-%m-%d}"
        return self._save(
            "Minutes", name, make, Operation("document.minutes", {"panel": p.id}), said
        )

    def approve(self) -> int | None:
        """Ask the chair to confirm (and for a correction, what changed); store the version."""
        c = self.c
        p = c.panel
        if p is None or not self.approve_action.isEnabled():
            return None
        c.window.notes.flush()
        try:
            versions = minutes_versions(c.ws, c.actor, p.id)
            state = minutes_state(c.ws, c.actor, p.id)
        except StepDeskError as error:
            c.window.show_message(str(error), error=True)
            return None
        title = f"the {p.meeting_name} on {p.starts_at:%d/%m/%Y}"
        note = ApproveMinutesDialog.ask(c.window, title, versions, state)
        if note is None:
            return None
        from reports.minutes import render_minutes

        def approved(done: ApprovedMinutes) -> None:
            c.window.show_message(
                f"Minutes approved: version {done.version}, frozen "
                f"(sha256 {done.sha256[:12]}…). Documents → Minutes saves it."
            )
            self.update()  # no longer out of date

        # Rendering and freezing the PDF takes a while: on the worker, not the GUI thread.
        pending = ops.run(
            Operation("minutes.approve", {"panel": p.id, "note": note or None}),
            lambda: approve_minutes(c.ws, c.actor, p.id, note or None, render=render_minutes),
            success=approved,
            fails_as="",
            busy="Approving the minutes…",
        )
        return pending.result.version if pending.ok and pending.result is not None else None

    def save_letter(self, *, office_copy: bool) -> Path | None:
        """The family letter (or its office copy) about the selected item's decision."""
        d = self.c.detail
        if d is None or d.decision is None:
            return None
        decision_id = d.decision.id
        from reports.letter import render_letter

        kind = "Letter (office copy)" if office_copy else "Letter to the family"
        return self._save(
            kind,
            f"{kind} {d.row.case_reference}",
            lambda: render_letter(
                letter_document(self.c.ws, self.c.actor, decision_id), office_copy=office_copy
            ),
            Operation("document.letter", {"decision": decision_id, "office_copy": office_copy}),
        )

    def save_closure(self) -> Path | None:
        """The closure summary of the selected item's case."""
        d = self.c.detail
        if d is None:
            return None
        case_id = d.case.case_id
        from reports.closure import render_closure

        return self._save(
            "Closure summary",
            f"Closure summary {d.case.reference}",
            lambda: render_closure(closure_document(self.c.ws, self.c.actor, case_id)),
            Operation("document.closure", {"case": case_id}),
        )

    def save_escalation(self) -> Path | None:
        """The latest escalation summary of the selected item's case."""
        d = self.c.detail
        if d is None:
            return None
        ids = case_escalations(self.c.ws, self.c.actor, d.case.case_id)
        if not ids:
            self.c.window.show_message("This case has no escalation.", error=True)
            return None
        from reports.escalation import render_escalation

        return self._save(
            "Escalation summary",
            f"Escalation {ids[0]} {d.case.reference}",
            lambda: render_escalation(escalation_document(self.c.ws, self.c.actor, ids[0])),
            Operation("document.escalation", {"escalation": ids[0]}),
        )
