"""The Requests page: my requests, those awaiting my QA, or all; a request's detail; manager QA.

Everyone sees the page. "New request…" is for workers and managers; the QA box (approve, or
return with comments) is for managers. The services check the same rules again.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from stepdesk.domain import Role
from stepdesk.errors import StepDeskError
from stepdesk.services.changes import Operation
from stepdesk.services.permissions import allowed
from stepdesk.services.request_forms import RequestDetail, RequestRow, Scope
from stepdesk.services.request_listing import find_cases, get_request, list_requests
from stepdesk.services.request_review import qa_approve, qa_return
from stepdesk.services.workspace import Actor, Workspace
from ui import ops, theme
from ui.format import datetime_text
from ui.models.base import ROW_ROLE, RowTableModel
from ui.request_dialog import (
    RAG_WORDS,
    PrivateFiles,
    RequestDialog,
    attachment_text,
    consent_text,
    deadline_text,
    open_attachment,
)
from ui.widgets import FindingsList, heading, ok_cancel, plain_label, set_style_property

SCOPES: list[tuple[Scope, str]] = [
    ("mine", "My requests"),
    ("qa", "Awaiting my QA"),
    ("all", "All requests"),
]


def form_due_text(row: RequestRow) -> str:
    """``Due soon: 23/11/2026 10:30``, the T-FORM-48H deadline with its RAG in words."""
    if row.form_deadline is None or row.rag is None:
        return "—"
    return f"{RAG_WORDS[row.rag.value]}, {row.form_deadline.due:%d/%m %H:%M}"


class RequestsModel(RowTableModel[RequestRow]):
    """Case, subject, movement, status, T-FORM-48H and panel of each request."""

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "No.",
        "Case",
        "Subject",
        "Movement",
        "Status",
        "Form due (T-FORM-48H)",
        "Panel",
    )

    def display(self, row: RequestRow, column: int) -> str:
        """One cell."""
        match column:
            case 0:
                return str(row.id)
            case 1:
                return row.case_reference
            case 2:
                return row.subject_name
            case 3:
                to_plan = row.to_plan_name.split(" (", 1)[0]
                return f"{row.movement_label} → {to_plan}"
            case 4:
                return row.status_label
            case 5:
                return form_due_text(row)
            case _:
                return row.panel_label or "—"

    def tooltip(self, row: RequestRow, column: int) -> str:
        """The whole request in a few lines."""
        deadline = row.form_deadline.explain() if row.form_deadline else "No panel chosen."
        return (
            f"No. {row.id}: {row.subject_name} ({row.case_reference})\n"
            f"{row.movement_label}: {row.from_plan_name} → {row.to_plan_name}\n"
            f"{row.status_label}; written by {row.created_by or '—'} on "
            f"{datetime_text(row.created_at)}\n{deadline}"
        )

    def extra_data(self, row: RequestRow, column: int, role: int) -> Any:
        """The RAG column is also coloured (never colour alone: the words say it)."""
        if column == 5 and row.rag is not None and role == Qt.ItemDataRole.ForegroundRole:
            from PySide6.QtGui import QColor

            c = theme.colours()
            return QColor(
                {"overdue": c.error, "due soon": c.warning, "on track": c.success}.get(
                    row.rag.value, c.muted
                )
            )
        return None


class CaseSearchDialog(QDialog):
    """Find a case by name, case reference or date of birth (dd/mm/yyyy)."""

    def __init__(self, ws: Workspace, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.setWindowTitle("New request: choose the case")
        self.setAccessibleName("Choose the case")
        self.resize(640, 420)
        self.search = QLineEdit()
        self.search.setAccessibleName("Find a case")
        self.search.setPlaceholderText("Name, case reference (C-100185) or date of birth")
        self.search.setClearButtonEnabled(True)
        self.results_model = QStandardItemModel(self)
        self.results = QListView()
        self.results.setModel(self.results_model)
        self.results.setAccessibleName("Cases found")
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.hint = plain_label(name="Search hint")
        self.hint.setObjectName("hint")
        self.buttons, _ = ok_cancel("&Start request")
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self._on_return)
        self.results.doubleClicked.connect(lambda _i: self.accept())
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.run_search()

    def run_search(self) -> None:
        """Show the cases matching the search text."""
        self._timer.stop()
        text = self.search.text()
        self.results_model.clear()
        try:
            found = find_cases(self.ws, self.actor, text)
        except StepDeskError as error:
            self.hint.setText(str(error))
            return
        for case in found:
            item = QStandardItem(case.label)
            item.setData(case.id, Qt.ItemDataRole.UserRole)
            self.results_model.appendRow(item)
        if found:
            self.results.setCurrentIndex(self.results_model.index(0, 0))
        self.hint.setText(
            "Type a name, a case reference or a date of birth."
            if not text.strip()
            else f"{len(found)} open case(s) found."
            if found
            else "No open case matches: check the spelling, or search by case reference."
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(found))

    def _on_return(self) -> None:
        self.run_search()
        if self.results_model.rowCount():
            self.accept()

    def chosen(self) -> int | None:
        """The id of the case chosen."""
        index = self.results.currentIndex()
        return index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None

    @classmethod
    def ask(cls, parent: QWidget | None, ws: Workspace, actor: Actor) -> int | None:
        """The chosen case's id, or ``None`` if cancelled."""
        dialog = cls(ws, actor, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen()


class RequestsPage(QWidget):
    """The list of requests and the selected one's detail, with QA for managers."""

    changed = Signal(int)  # a request id whose status changed (for other pages to refresh)

    def __init__(self, ws: Workspace, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.detail: RequestDetail | None = None
        self.files = PrivateFiles()
        self.may_write = allowed(actor, "request.edit")
        self.may_qa = allowed(actor, "request.qa")
        self._build()
        default: Scope = "qa" if self.may_qa else ("mine" if actor.role == Role.WORKER else "all")
        self.scope.setCurrentIndex(max(self.scope.findData(default), 0))
        self.refresh()

    def _build(self) -> None:
        self.scope = QComboBox()
        self.scope.setAccessibleName("Show")
        for code, label in SCOPES:
            if code == "qa" and not self.may_qa:
                continue
            self.scope.addItem(label, code)
        self.new_button = QPushButton("&New request…")
        self.new_button.setAccessibleName("New request")
        self.new_button.setToolTip("Start a request on a case (Ctrl+Shift+N)")
        self.new_button.setVisible(self.may_write)
        self.new_button.setObjectName("primary")
        self.model = RequestsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Requests")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        # Names vary in length: a fixed width keeps the deadline column in view.
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(2, 150)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.count = plain_label(name="Request count", wrap=False)

        # Detail.
        self.title = heading("No request selected", scale=1.25)
        self.title.setAccessibleName("Request")
        self.summary = plain_label(name="Request summary")
        self.deadline = plain_label(name="Form deadline")
        self.reasons = plain_label(name="Reasons")
        self.background = plain_label(name="Family's story so far")
        self.consent = plain_label(name="Consent")
        self.documents_model = QStandardItemModel(self)
        self.documents = QListView()
        self.documents.setModel(self.documents_model)
        self.documents.setAccessibleName("Documents")
        self.documents.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.documents.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 16)
        self.documents.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.documents.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.open_document = QPushButton("Open do&cument")
        self.open_document.setAccessibleName("Open document")
        self.findings = FindingsList()
        self.history = plain_label(name="History")
        self.history.setObjectName("hint")
        self.open_form = QPushButton("&Open form…")
        self.open_form.setAccessibleName("Open form")

        self.qa_box = QWidget()
        qa_layout = QVBoxLayout(self.qa_box)
        qa_layout.setContentsMargins(0, 0, 0, 0)
        self.qa_comment = QPlainTextEdit()
        self.qa_comment.setAccessibleName("QA comments")
        self.qa_comment.setPlaceholderText(
            "Comments for the worker: what to change (needed to return it)."
        )
        self.qa_comment.setTabChangesFocus(True)
        self.qa_comment.setMaximumHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.approve_button = QPushButton("&QA approve")
        self.approve_button.setObjectName("primary")
        self.approve_button.setAccessibleName("QA approve")
        self.return_button = QPushButton("Re&turn with comments")
        self.return_button.setAccessibleName("Return with comments")
        qa_buttons = QHBoxLayout()
        qa_buttons.addStretch(1)
        qa_buttons.addWidget(self.return_button)
        qa_buttons.addWidget(self.approve_button)
        qa_layout.addWidget(heading("Manager QA"))
        qa_layout.addWidget(self.qa_comment)
        qa_layout.addLayout(qa_buttons)
        self.qa_box.setVisible(self.may_qa)
        self.message = plain_label(name="Requests message")
        self.message.setObjectName("saveStatus")

        detail = QWidget()
        detail.setObjectName("casePane")
        d = QVBoxLayout(detail)
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.open_form, 0, Qt.AlignmentFlag.AlignTop)
        d.addLayout(title_row)
        d.addWidget(self.summary)
        d.addWidget(self.deadline)
        for text, widget in (
            ("Reasons", self.reasons),
            ("Family's story so far", self.background),
            ("Consent", self.consent),
        ):
            d.addWidget(heading(text))
            d.addWidget(widget)
        d.addWidget(heading("Documents"))
        d.addWidget(self.documents)
        doc_row = QHBoxLayout()
        doc_row.addStretch(1)
        doc_row.addWidget(self.open_document)
        d.addLayout(doc_row)
        d.addWidget(heading("What the protocol says"))
        d.addWidget(self.findings)
        d.addWidget(heading("History"))
        d.addWidget(self.history)
        d.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(detail)
        scroll.setAccessibleName("Request detail")
        right = QWidget()
        r = QVBoxLayout(right)
        r.setContentsMargins(0, 0, 0, 0)
        r.addWidget(scroll, 1)
        r.addWidget(self.qa_box)
        r.addWidget(self.message)

        top = QHBoxLayout()
        top.addWidget(plain_label("Show:", wrap=False))
        top.addWidget(self.scope)
        top.addWidget(self.count, 1)
        top.addWidget(self.new_button)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addLayout(top)
        lv.addWidget(self.table, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([880, 480])
        layout = QVBoxLayout(self)
        layout.addWidget(split)

        self.scope.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.selectionModel().currentRowChanged.connect(self._on_row)
        self.table.doubleClicked.connect(lambda _i: self.open_selected_form())
        self.new_button.clicked.connect(self.new_request)
        self.open_form.clicked.connect(self.open_selected_form)
        self.open_document.clicked.connect(self.open_selected_document)
        self.documents.doubleClicked.connect(lambda _i: self.open_selected_document())
        self.approve_button.clicked.connect(self.approve)
        self.return_button.clicked.connect(self.send_back)
        # A QAction, not a QShortcut: Help → Keyboard shortcuts lists it with its words.
        self.new_action = QAction("&New request…", self)
        self.new_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.new_action.setStatusTip("Start a request on a case")
        self.new_action.triggered.connect(self.new_request)
        self.addAction(self.new_action)
        self.destroyed.connect(self.files.cleanup)
        self._update_buttons()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        """Other pages change requests (QA, agenda): show them as they are now."""
        super().showEvent(event)
        self.refresh()

    # Showing.
    def refresh(self, select_id: int | None = None) -> None:
        """Reload the list for the chosen scope, keeping (or moving to) a selection."""
        keep = select_id if select_id is not None else (self.detail.row.id if self.detail else None)
        try:
            rows = list_requests(self.ws, self.actor, self.scope.currentData() or "all")
        except StepDeskError as error:
            self.show_message(str(error), error=True)
            return
        self.model.set_rows(rows)
        self.count.setText(f"{len(rows)} request(s)")
        number = self.model.row_number(keep) if keep is not None else None
        if number is None and rows:
            number = 0
        if number is not None:
            self.table.setCurrentIndex(self.model.index(number, 0))
        else:
            self.detail = None
            self._show()

    def _on_row(self, current: QModelIndex, _previous: Any) -> None:
        if current.isValid():
            self.open_request(current.data(ROW_ROLE).id)

    def open_request(self, request_id: int) -> None:
        """Show one request's detail."""
        try:
            self.detail = get_request(self.ws, self.actor, request_id)
        except StepDeskError as error:
            self.show_message(str(error), error=True)
            return
        self._show()

    def _show(self) -> None:
        d = self.detail
        self.documents_model.clear()
        if d is None:
            self.title.setText("No request selected")
            for label in (self.summary, self.deadline, self.reasons, self.background):
                label.setText("")
            self.consent.setText("")
            self.findings.set_findings([])
            self.history.setText("")
            self._update_buttons()
            return
        r, row = d.request, d.row
        self.title.setText(f"No. {r.id}: {row.subject_name} ({row.case_reference})")
        self.summary.setText(
            f"{r.movement_label}: {r.from_plan_name} → {r.to_plan_name} · {row.status_label}\n"
            f"Written by {r.created_by or '—'} on {datetime_text(r.created_at)}"
            + (f" · for {row.panel_label}" if row.panel_label else "")
            + (f"\nTriggers: {'; '.join(r.triggers)}" if r.triggers else "")
            + (
                f"\nLead Professional: {r.proposed_lead_professional}"
                if r.proposed_lead_professional
                else ""
            )
        )
        self.deadline.setText(deadline_text(d))
        rag = row.rag.name.lower() if row.rag else "done"
        set_style_property(self.deadline, "rag", rag)
        self.reasons.setText(r.reasons or "(not written yet)")
        self.background.setText(d.form.background or "—")
        consent = consent_text(d.consent_with_request or d.consent_on_file)
        if r.without_consent_reason:
            consent += (
                f"\nProceeding without consent, agreed with {r.without_consent_manager}: "
                f"{r.without_consent_reason}"
            )
        self.consent.setText(consent)
        for att in r.attachments:
            item = QStandardItem(attachment_text(att))
            item.setData(att.id, Qt.ItemDataRole.UserRole)
            item.setToolTip(f"SHA-256 {att.sha256}")
            self.documents_model.appendRow(item)
        if r.attachments:
            self.documents.setCurrentIndex(self.documents_model.index(0, 0))
        self.findings.set_findings(d.findings)
        self.history.setText(
            "\n".join(
                f"{datetime_text(t.at)} · {t.to_label} · {t.by or '—'}"
                + (f': "{t.note}"' if t.note else "")
                for t in d.transitions
            )
            or "—"
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        d = self.detail
        self.open_form.setEnabled(d is not None)
        self.open_form.setText("&Edit form…" if d is not None and d.editable else "&Open form…")
        self.open_document.setEnabled(d is not None and bool(d.request.attachments))
        can_qa = d is not None and d.can_qa
        for widget in (self.qa_comment, self.approve_button, self.return_button):
            widget.setEnabled(can_qa)
        refused = d.approve_refused if d is not None and can_qa else None
        why = f"{refused[:1].upper()}{refused[1:]}." if refused else ""
        self.approve_button.setEnabled(can_qa and refused is None)
        self.approve_button.setToolTip(why)
        if why:
            self.show_message(why)
        if self.may_qa and d is not None and not can_qa:
            self.qa_comment.setPlaceholderText(
                f"Only a request submitted to the manager can be QA'd; this one is "
                f"{d.row.status_label.lower()}."
            )
        elif self.may_qa:
            self.qa_comment.setPlaceholderText(
                "Comments for the worker: what to change (needed to return it)."
            )

    def show_message(self, text: str, *, error: bool = False) -> None:
        """Say what happened under the detail."""
        self.message.setText(text)
        set_style_property(self.message, "error", "true" if error else "false")

    # Actions.
    def new_request(self) -> None:
        """Choose a case, then open the pre-filled form."""
        if not self.may_write:
            return
        case_id = CaseSearchDialog.ask(self, self.ws, self.actor)
        if case_id is None:
            return
        try:
            detail = RequestDialog.ask(self, self.ws, self.actor, case_id=case_id)
        except StepDeskError as error:
            self.show_message(str(error), error=True)
            return
        self._after_form(detail)

    def open_selected_form(self) -> None:
        """Open the selected request's form (editable while a draft or returned)."""
        if self.detail is None:
            return
        try:
            detail = RequestDialog.ask(self, self.ws, self.actor, request_id=self.detail.row.id)
        except StepDeskError as error:
            self.show_message(str(error), error=True)
            return
        self._after_form(detail)

    def _after_form(self, detail: RequestDetail | None) -> None:
        if detail is None:
            self.refresh()
            return
        if self.model.row_number(detail.row.id) is None:
            all_index = self.scope.findData("all")
            mine = self.scope.findData("mine")
            self.scope.blockSignals(True)
            self.scope.setCurrentIndex(mine if mine >= 0 else all_index)
            self.scope.blockSignals(False)
        self.refresh(detail.row.id)
        self.show_message(f"Request no. {detail.row.id}: {detail.row.status_label.lower()}.")
        self.changed.emit(detail.row.id)

    def open_selected_document(self) -> None:
        """Open the selected document with the system viewer."""
        index = self.documents.currentIndex()
        if not index.isValid():
            return
        try:
            self.show_message(
                open_attachment(
                    self.ws, self.actor, self.files, index.data(Qt.ItemDataRole.UserRole)
                )
            )
        except StepDeskError as error:
            self.show_message(str(error), error=True)

    def approve(self) -> None:
        """QA-approve the selected request."""
        if self.detail is None:
            return
        request_id, comment = self.detail.row.id, self.qa_comment.toPlainText()
        ops.run(
            Operation("request.qa_approve", {"request": request_id, "comment": comment}),
            lambda: qa_approve(self.ws, self.actor, request_id, comment),
            success=lambda detail: self._after_qa(detail, "QA approved: it can go on an agenda"),
            failure=lambda error: self.show_message(str(error), error=True),
        )

    def send_back(self) -> None:
        """Return the selected request to the worker with the comments typed."""
        if self.detail is None:
            return
        request_id, comment = self.detail.row.id, self.qa_comment.toPlainText()

        def refused(error: StepDeskError) -> None:
            self.show_message(str(error), error=True)
            self.qa_comment.setFocus()

        ops.run(
            Operation("request.qa_return", {"request": request_id, "comment": comment}),
            lambda: qa_return(self.ws, self.actor, request_id, comment),
            success=lambda detail: self._after_qa(
                detail, "Returned to the worker with your comments"
            ),
            failure=refused,
        )

    def _after_qa(self, detail: RequestDetail, what: str) -> None:
        self.qa_comment.clear()
        self.model.update_row(detail.row)
        self.detail = detail
        self._show()
        self.show_message(f"Request no. {detail.row.id}: {what}.")
        self.changed.emit(detail.row.id)
