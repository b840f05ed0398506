"""The request form: a step-up / step-down / step-in / step-out request, saved as it is typed.

It opens pre-filled from the case (C-STORY-ONCE): the current plan, the lead professional, the
consent on file and what the family told us in earlier requests. Every change is saved half a
second after typing stops (and on closing), so there is no Save button and nothing to lose.
Attachments are chosen with a file dialog, stored in the database with their hash, and opened
with the system viewer from a private temporary copy that is deleted when the form closes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from stepdesk.domain import AttachmentKind, ConsentKind
from stepdesk.errors import StepDeskError
from stepdesk.services.requests import (
    CaseForRequest,
    ConsentInput,
    RequestDetail,
    RequestForm,
    add_attachment,
    attachment_content,
    case_for_request,
    create_request,
    delete_draft,
    get_request,
    remove_attachment,
    submit_request,
    update_draft,
)
from stepdesk.services.views import AttachmentRow, ConsentRow
from stepdesk.services.workspace import Actor, Workspace
from ui.format import date_text, datetime_text, from_qdate, to_qdate
from ui.widgets import FindingsList, heading, plain_label, set_style_property

SAVE_DELAY_MS = 500


def open_in_viewer(path: Path) -> bool:
    """Open a file with the system's viewer (tests replace this)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class PrivateFiles:
    """Temporary copies of attachments, readable by this user only, deleted on cleanup.

    The folder is made by ``tempfile.mkdtemp`` (mode 0700) and each file is written 0600; a
    finaliser removes the folder even if :meth:`cleanup` is never called (a crash aside).
    """

    def __init__(self) -> None:
        self._folder: Path | None = None
        self._finalizer: weakref.finalize[Any, Any] | None = None

    @property
    def folder(self) -> Path | None:
        """The private folder, once something has been opened."""
        return self._folder

    def write(self, filename: str, content: bytes) -> Path:
        """Write a private copy and return its path."""
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="stepdesk-"))
            self._finalizer = weakref.finalize(self, shutil.rmtree, self._folder, True)
        safe = Path(filename).name or "attachment"
        path = self._folder / safe
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        return path

    def cleanup(self) -> None:
        """Delete every copy made so far."""
        if self._finalizer is not None:
            self._finalizer()
        self._folder = None
        self._finalizer = None


def open_attachment(ws: Workspace, actor: Actor, files: PrivateFiles, attachment_id: int) -> str:
    """Open one attachment with the system viewer; returns a message to show."""
    name, content = attachment_content(ws, actor, attachment_id)
    path = files.write(name, content)
    if not open_in_viewer(path):
        return f"No program on this computer opens {name}: install a viewer for it."
    return f"Opened {name} (a private copy, deleted when this closes)."


class OpenFileDialog:
    """Which file to attach."""

    @classmethod
    def ask(cls, parent: QWidget | None, title: str) -> Path | None:
        """The chosen file, or ``None`` if the user cancelled."""
        chosen, _ = QFileDialog.getOpenFileName(
            parent, title, "", "Documents (*.pdf *.docx *.doc *.odt *.txt *.png *.jpg);;All (*)"
        )
        return Path(chosen) if chosen else None


def consent_text(consent: ConsentRow | None) -> str:
    """``Signed consent for step up, given by … on 01/11/2026``, or that none is on file."""
    if consent is None:
        return "No consent on file for this movement."
    text = (
        f"{consent.kind.capitalize()} consent for {consent.purpose_label}, "
        f"given by {consent.given_by} on {date_text(consent.given_on)}"
    )
    if consent.kind == ConsentKind.DECLINED:
        text = (
            f"Declined ({consent.purpose_label}) by {consent.given_by} "
            f"on {date_text(consent.given_on)}"
        )
    return text + (f". {consent.note}" if consent.note else ".")


def attachment_text(att: AttachmentRow) -> str:
    """``Evidence tool: Graded Care Profile 2 (gcp2.pdf, 12 KB)``."""
    size = f"{max(1, round(att.size / 1024))} KB" if att.size else "empty"
    return f"{att.kind_label}: {att.title} ({att.filename or 'no file name'}, {size})"


def _text_edit(name: str, placeholder: str, lines: int) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    height = edit.fontMetrics().lineSpacing() * lines + 14
    edit.setMinimumHeight(height)
    edit.setMaximumHeight(height * 2)
    return edit


def _buddy(text: str, widget: QWidget) -> QLabel:
    """A form label whose mnemonic (Alt+letter) moves to ``widget``."""
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def _line(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    return edit


# Room for the window's frame and title bar, which a screen's available geometry includes.
WINDOW_FRAME = QSize(16, 40)


class RequestDialog(QDialog):
    """The request form. Open it with :meth:`ask`; it saves itself."""

    def __init__(
        self,
        ws: Workspace,
        actor: Actor,
        case: CaseForRequest,
        detail: RequestDetail | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws, self.actor, self.case = ws, actor, case
        self.detail: RequestDetail | None = detail
        self.files = PrivateFiles()
        self._dirty = False
        self._loading = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.setWindowTitle(f"Request: {case.subject_name} ({case.reference})")
        self.setAccessibleName("Request form")
        self._build()
        form = detail.form if detail else case.suggested_form(case.movements[0][0])
        self._show_form(form)
        self._show_detail()
        self._loading = False
        self.fit_to_screen()

    def content_size(self) -> QSize:
        """The size that shows the whole form without scrolling."""
        layout = self.layout()
        layout.activate()
        body = self.scroll.widget()
        chrome = 2 * self.scroll.frameWidth()
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self.scroll)
        margins = layout.contentsMargins()
        width = body.sizeHint().width() + chrome + bar + margins.left() + margins.right()
        height = layout.sizeHint().height() - self.scroll.sizeHint().height()
        height += body.sizeHint().height() + chrome
        return QSize(max(width, layout.minimumSize().width()), height)

    def fit_to_screen(self) -> None:
        """As large as the form's content, within the screen's available area, never beyond.

        (A fixed 1100 pixels scrolled sideways at 150 % text.) The rest scrolls up and down.
        """
        want = self.content_size()
        screen = self.screen()
        if screen is not None:
            room = screen.availableGeometry().size() - WINDOW_FRAME
            want = want.boundedTo(room)
        self.resize(want)

    # Layout.
    def _build(self) -> None:
        c = self.case
        born = f", born {date_text(c.date_of_birth)}" if c.date_of_birth else ""
        self.title = heading(f"{c.subject_name} ({c.reference}{born})", scale=1.25)
        self.title.setWordWrap(True)  # on a small screen at large text: two lines
        self.case_line = plain_label(
            f"Now: {c.plan_name} ({c.level_name}) · {c.team} · Lead Professional: "
            f"{c.lead_professional or 'none recorded'} · Worker: {c.allocated_worker or '—'}",
            "Case",
        )
        self.status_label = plain_label(name="Request status", wrap=False)
        self.save_status = plain_label(name="Save status", wrap=False)
        self.save_status.setObjectName("saveStatus")

        # The request itself.
        self.movement = QComboBox()
        self.movement.setAccessibleName("Movement")
        for code, label in c.movements:
            self.movement.addItem(label, code)
        self.to_plan = QComboBox()
        self.to_plan.setAccessibleName("Move to")
        self.panel = QComboBox()
        self.panel.setAccessibleName("For the panel")
        for option in c.panels:
            self.panel.addItem(option.label, option.id)
        self.reasons = _text_edit(
            "Reasons", "Why the case should move now: what has changed, the risks, the plan.", 4
        )
        self.background = _text_edit(
            "What the family has already told us",
            "Carried from earlier requests: edit it, never retype it.",
            3,
        )
        self.lead = _line("Lead Professional", "Who leads after the move (C-LEAD-PROFESSIONAL)")
        self.triggers_model = QStandardItemModel(self)
        for code, name in c.triggers:
            item = QStandardItem(name)
            item.setData(code, Qt.ItemDataRole.UserRole)
            item.setCheckable(True)
            item.setEditable(False)
            self.triggers_model.appendRow(item)
        self.triggers = QListView()
        self.triggers.setModel(self.triggers_model)
        self.triggers.setAccessibleName("Triggers")
        self.triggers.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 16)
        self.other_triggers = _line(
            "Other triggers", "Other triggers, separated by semicolons (C-TRIGGERS)"
        )
        self.other_triggers.setVisible(not c.triggers_fixed)
        self.cp_concern = QCheckBox("Child protection concern: ris&k of significant harm")
        self.cp_concern.setAccessibleName("Child protection concern")
        self.cp_concern.setToolTip(
            "C-CP-IMMEDIATE: a child protection concern is referred at once (MASH / First "
            "Response), not queued for a panel"
        )
        self.threshold_uncertain = QCheckBox("Threshold &uncertain: map it at the meeting")
        self.threshold_uncertain.setAccessibleName("Threshold uncertain")
        self.threshold_uncertain.setToolTip(
            "C-MAPPING: the panel maps needs and risks against the levels, and minutes it"
        )

        request_box = QGroupBox("Request")
        form = QFormLayout(request_box)
        # A field too wide beside its label (the tick boxes at large text) goes below it.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        move_row = QHBoxLayout()
        move_row.addWidget(self.movement)
        move_row.addWidget(plain_label("to", wrap=False))
        move_row.addWidget(self.to_plan, 1)
        form.addRow(_buddy("&Movement:", self.movement), move_row)
        form.addRow(_buddy("For the &panel:", self.panel), self.panel)
        form.addRow(_buddy("&Reasons:", self.reasons), self.reasons)
        form.addRow(_buddy("&Family's story so far:", self.background), self.background)
        form.addRow(_buddy("Tri&ggers:", self.triggers), self.triggers)
        if not c.triggers_fixed:
            form.addRow("", self.other_triggers)
        form.addRow(_buddy("&Lead Professional:", self.lead), self.lead)
        form.addRow("Safeguarding:", self.cp_concern)
        form.addRow("Threshold:", self.threshold_uncertain)
        self.deadline = plain_label(name="Form deadline")
        form.addRow("Form due:", self.deadline)

        # Consent (C-CONSENT-UP / C-CONSENT-DOWN).
        consent_box = QGroupBox("Consent (C-CONSENT-UP / C-CONSENT-DOWN)")
        consent_layout = QVBoxLayout(consent_box)
        self.on_file = plain_label(name="Consent on file")
        self.use_on_file = QRadioButton("Use the consent &on file")
        self.use_on_file.setAccessibleName("Use the consent on file")
        self.record_new = QRadioButton("Record &consent now")
        self.record_new.setAccessibleName("Record consent now")
        self._consent_choice = QButtonGroup(self)
        self._consent_choice.addButton(self.use_on_file)
        self._consent_choice.addButton(self.record_new)
        self.consent_kind = QComboBox()
        self.consent_kind.setAccessibleName("Consent: how")
        for kind in ConsentKind:
            self.consent_kind.addItem(kind.value.capitalize(), kind.value)
        self.consent_by = _line("Consent: given by", "Name and relationship, e.g. mother")
        self.consent_on = QDateEdit()
        self.consent_on.setAccessibleName("Consent: date")
        self.consent_on.setDisplayFormat("dd/MM/yyyy")
        self.consent_on.setCalendarPopup(True)
        self.consent_on.setDate(to_qdate(self.ws.today()))
        self.consent_how = _line("Consent: details", "e.g. signed form at home visit, scanned")
        self.new_consent = QWidget()
        new_form = QFormLayout(self.new_consent)
        new_form.setContentsMargins(18, 0, 0, 0)
        new_form.addRow(_buddy("&How:", self.consent_kind), self.consent_kind)
        new_form.addRow(_buddy("Given &by:", self.consent_by), self.consent_by)
        new_form.addRow(_buddy("Da&te:", self.consent_on), self.consent_on)
        new_form.addRow(_buddy("Deta&ils:", self.consent_how), self.consent_how)
        self.without_manager = _line(
            "Without consent: line manager", "Line manager who agreed (name)"
        )
        self.without_reason = _text_edit(
            "Without consent: reason",
            "Why consent was not sought: delay would harm the child, or asking would raise the "
            "risk of significant harm.",
            2,
        )
        without = QGroupBox("Without consent (step-up only, line manager agrees)")
        without_form = QFormLayout(without)
        without_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        without_form.addRow(
            _buddy("&Who agreed (line manager):", self.without_manager), self.without_manager
        )
        without_form.addRow(_buddy("Why &no consent:", self.without_reason), self.without_reason)
        consent_layout.addWidget(self.use_on_file)
        consent_layout.addWidget(self.on_file)
        consent_layout.addWidget(self.record_new)
        consent_layout.addWidget(self.new_consent)
        consent_layout.addWidget(without)

        # Attachments (C-EVIDENCE).
        attach_box = QGroupBox("Documents (C-EVIDENCE)")
        attach_layout = QVBoxLayout(attach_box)
        self.attachments_model = QStandardItemModel(self)
        self.attachments = QListView()
        self.attachments.setModel(self.attachments_model)
        self.attachments.setAccessibleName("Attachments")
        self.attachments.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.attachments.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 16)
        self.attachments.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.attachments.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.attachments.doubleClicked.connect(lambda _i: self.open_selected())
        self.attach_kind = QComboBox()
        self.attach_kind.setAccessibleName("Document kind")
        for kind in AttachmentKind:
            self.attach_kind.addItem(kind.label, kind.value)
        self.add_button = QPushButton("&Add document…")
        self.add_button.setAccessibleName("Add document")
        self.open_button = QPushButton("Op&en")
        self.open_button.setAccessibleName("Open document")
        self.remove_button = QPushButton("Remo&ve")
        self.remove_button.setAccessibleName("Remove document")
        attach_buttons = QHBoxLayout()
        attach_buttons.addWidget(self.attach_kind, 1)
        attach_buttons.addWidget(self.add_button)
        attach_buttons.addWidget(self.open_button)
        attach_buttons.addWidget(self.remove_button)
        attach_layout.addWidget(self.attachments)
        attach_layout.addLayout(attach_buttons)

        self.findings = FindingsList()
        self.story = plain_label(name="Earlier requests")
        self.story.setObjectName("hint")
        self.qa_note = plain_label(name="Manager's comments")

        # Two columns in a scroll area: the request on the left, consent and documents right.
        left = QVBoxLayout()
        left.addWidget(request_box)
        left.addWidget(heading("Earlier requests on this case"))
        left.addWidget(self.story)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.qa_note)
        right.addWidget(consent_box)
        right.addWidget(attach_box)
        right.addWidget(heading("What the protocol says"))
        right.addWidget(self.findings)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        body = QWidget()
        body.setLayout(columns)
        scroll = self.scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setAccessibleName("Request form")

        # Sized to the form rather than to their longest entry (so at large text the form
        # fits a laptop screen without scrolling sideways); the open list shows each whole.
        for combo in (self.movement, self.to_plan, self.panel, self.consent_kind, self.attach_kind):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)

        self.submit_button = QPushButton("&Submit to manager")
        self.submit_button.setObjectName("primary")
        self.submit_button.setAccessibleName("Submit to manager")
        self.delete_button = QPushButton("&Delete draft")
        self.delete_button.setAccessibleName("Delete draft")
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close")
        self.error = plain_label(name="Error")
        self.error.setObjectName("error")
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_status)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.submit_button)

        top = QHBoxLayout()
        top_text = QVBoxLayout()
        top_text.addWidget(self.title)
        top_text.addWidget(self.case_line)
        top.addLayout(top_text, 1)
        top.addWidget(self.status_label, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

        # Wiring: every edit marks the form dirty; saving happens on a short timer.
        self.movement.currentIndexChanged.connect(self._on_movement)
        for combo in (self.to_plan, self.panel, self.consent_kind):
            combo.currentIndexChanged.connect(self._changed)
        for text in (self.reasons, self.background, self.without_reason):
            text.textChanged.connect(self._changed)
        for line in (
            self.lead,
            self.other_triggers,
            self.consent_by,
            self.consent_how,
            self.without_manager,
        ):
            line.textChanged.connect(self._changed)
        self.consent_on.dateChanged.connect(self._changed)
        self.cp_concern.toggled.connect(self._changed)
        self.threshold_uncertain.toggled.connect(self._changed)
        self.triggers_model.itemChanged.connect(self._changed)
        # Record-new may be chosen with neither checked before (nothing on file): watch both.
        self._consent_choice.buttonToggled.connect(
            lambda _button, checked: self._on_consent_choice() if checked else None
        )
        self.add_button.clicked.connect(self.add_document)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.submit_button.clicked.connect(self.submit)
        self.delete_button.clicked.connect(self.delete)
        self.close_button.clicked.connect(self.accept)

    # Showing.
    def _fill_plans(self, movement: str, selected: str | None) -> None:
        self.to_plan.blockSignals(True)
        self.to_plan.clear()
        for code, name in self.case.to_plans.get(movement, []):
            self.to_plan.addItem(name, code)
        index = self.to_plan.findData(selected) if selected else 0
        self.to_plan.setCurrentIndex(max(index, 0))
        self.to_plan.blockSignals(False)
        # Nothing to move to (a step-down with no current plan): say why where it is chosen.
        note = self.case.movement_notes.get(movement)
        self.to_plan.setPlaceholderText("nothing: see below" if note else "")
        self.error.setText(f"Movement: {note}" if note else "")

    def _show_form(self, form: RequestForm) -> None:
        self.movement.setCurrentIndex(max(self.movement.findData(form.movement), 0))
        self._fill_plans(form.movement, form.to_plan)
        if form.target_panel_id is not None:
            self.panel.setCurrentIndex(max(self.panel.findData(form.target_panel_id), 0))
        self.reasons.setPlainText(form.reasons)
        self.background.setPlainText(form.background)
        self.lead.setText(form.proposed_lead_professional or "")
        self.cp_concern.setChecked(form.cp_concern)
        self.threshold_uncertain.setChecked(form.threshold_uncertain)
        chosen = set(form.triggers)
        for number in range(self.triggers_model.rowCount()):
            item = self.triggers_model.item(number)
            checked = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        known = {
            self.triggers_model.item(n).data(Qt.ItemDataRole.UserRole)
            for n in range(self.triggers_model.rowCount())
        }
        self.other_triggers.setText("; ".join(t for t in form.triggers if t not in known))
        consent = form.consent
        self.record_new.setChecked(consent is not None)
        self.use_on_file.setChecked(consent is None)
        if consent is not None:
            self.consent_kind.setCurrentIndex(max(self.consent_kind.findData(consent.kind), 0))
            self.consent_by.setText(consent.given_by)
            self.consent_on.setDate(to_qdate(consent.given_on))
            self.consent_how.setText(consent.how)
        self.new_consent.setEnabled(consent is not None)
        self._suggest_document_kind()
        self.without_manager.setText(form.without_consent_manager or "")
        self.without_reason.setPlainText(form.without_consent_reason or "")
        self._show_story()

    def _show_story(self) -> None:
        lines = [
            f"{s.created_at:%d/%m/%Y} · {s.movement_label} to {s.to_plan_name} · "
            f"{s.status_label}: {s.reasons}"
            for s in self.case.story
        ]
        self.story.setText("\n\n".join(lines) or "None: this is the first request on the case.")

    def _show_detail(self) -> None:
        d = self.detail
        editable = d is None or d.editable
        movement = self.movement.currentData()
        on_file = None
        if d is not None:
            on_file = d.consent_on_file if d.consent_with_request is None else None
        if on_file is None:
            purposes = {movement, "information_sharing"}
            matching = [c for c in self.case.consents if c.purpose in purposes]
            on_file = matching[-1] if matching else None
        self.on_file.setText(consent_text(on_file))
        for widget in (
            self.movement,
            self.to_plan,
            self.panel,
            self.triggers,
            self.cp_concern,
            self.threshold_uncertain,
            self.use_on_file,
            self.record_new,
            self.consent_kind,
            self.consent_on,
            self.attach_kind,
            self.add_button,
            self.remove_button,
        ):
            widget.setEnabled(editable)
        if on_file is None:
            # Nothing on file: "use the consent on file" would be a choice of nothing (and it
            # looked chosen, so consent typed below was silently not recorded).
            self.use_on_file.setEnabled(False)
            if self.use_on_file.isChecked():
                self._consent_choice.setExclusive(False)
                self.use_on_file.blockSignals(True)
                self.use_on_file.setChecked(False)
                self.use_on_file.blockSignals(False)
                self._consent_choice.setExclusive(True)
        self.new_consent.setEnabled(editable and self.record_new.isChecked())
        for edit in (self.reasons, self.background, self.without_reason):
            edit.setReadOnly(not editable)
        for line in (
            self.lead,
            self.other_triggers,
            self.consent_by,
            self.consent_how,
            self.without_manager,
        ):
            line.setReadOnly(not editable)
        self.submit_button.setEnabled(editable and (d is None or d.can_submit))
        self.delete_button.setVisible(d is None or d.request.status == "draft")
        self.delete_button.setEnabled(d is not None and editable)
        if d is None:
            self.status_label.setText("New request (not saved yet)")
            self.deadline.setText("Counted once the request is saved.")
            self.findings.set_findings([])
            self.qa_note.hide()
            self._show_attachments([])
            return
        self.status_label.setText(f"No. {d.request.id} · {d.row.status_label}")
        self.deadline.setText(deadline_text(d))
        self.findings.set_findings(d.findings)
        if d.request.qa_comment:
            who = d.request.qa_by or "The manager"
            self.qa_note.setText(
                f"{who} ({datetime_text(d.request.qa_at)}): {d.request.qa_comment}"
            )
            self.qa_note.show()
        else:
            self.qa_note.hide()
        self._show_attachments(d.request.attachments)

    def _show_attachments(self, rows: list[AttachmentRow]) -> None:
        self.attachments_model.clear()
        for att in rows:
            item = QStandardItem(attachment_text(att))
            item.setData(att.id, Qt.ItemDataRole.UserRole)
            item.setToolTip(f"SHA-256 {att.sha256}")
            item.setEditable(False)
            self.attachments_model.appendRow(item)
        has = bool(rows)
        self.open_button.setEnabled(has)
        self.remove_button.setEnabled(has and (self.detail is None or self.detail.editable))
        if has:
            self.attachments.setCurrentIndex(self.attachments_model.index(0, 0))

    # Reading the form.
    def form(self) -> RequestForm:
        """What the form says now."""
        triggers = [
            str(self.triggers_model.item(n).data(Qt.ItemDataRole.UserRole))
            for n in range(self.triggers_model.rowCount())
            if self.triggers_model.item(n).checkState() == Qt.CheckState.Checked
        ]
        triggers += [t.strip() for t in self.other_triggers.text().split(";") if t.strip()]
        consent = None
        if self.record_new.isChecked():
            consent = ConsentInput(
                kind=str(self.consent_kind.currentData()),
                given_by=self.consent_by.text(),
                given_on=from_qdate(self.consent_on.date()),
                how=self.consent_how.text(),
            )
        return RequestForm(
            movement=str(self.movement.currentData()),
            to_plan=str(self.to_plan.currentData() or self.case.plan),
            reasons=self.reasons.toPlainText(),
            background=self.background.toPlainText(),
            triggers=tuple(triggers),
            proposed_lead_professional=self.lead.text(),
            consent=consent,
            without_consent_reason=self.without_reason.toPlainText(),
            without_consent_manager=self.without_manager.text(),
            target_panel_id=self.panel.currentData(),
            cp_concern=self.cp_concern.isChecked(),
            threshold_uncertain=self.threshold_uncertain.isChecked(),
        )

    # Saving as typed.
    def _suggest_document_kind(self) -> None:
        """C-EVIDENCE: a step-up attaches evidence tools, a step-down the Child and Family Plan."""
        kind = {"step_up": "evidence_tool", "step_down": "child_and_family_plan"}.get(
            str(self.movement.currentData()), "other"
        )
        self.attach_kind.setCurrentIndex(max(self.attach_kind.findData(kind), 0))

    def _on_movement(self) -> None:
        self._fill_plans(str(self.movement.currentData()), None)
        self._suggest_document_kind()
        self._changed()

    def _on_consent_choice(self) -> None:
        self.new_consent.setEnabled(self.record_new.isChecked())
        if self.record_new.isChecked() and not self.consent_by.text():
            self.consent_by.setFocus()
        self._changed()

    def _changed(self, *_args: object) -> None:
        if self._loading or (self.detail is not None and not self.detail.editable):
            return
        self._dirty = True
        self._show_save("Saving…")
        self._timer.start()

    def _show_save(self, text: str, *, error: bool = False) -> None:
        self.save_status.setText(text)
        set_style_property(self.save_status, "error", "true" if error else "false")

    def flush(self) -> bool:
        """Save now if anything is unsaved; ``False`` if the save failed."""
        self._timer.stop()
        if not self._dirty:
            return True
        try:
            if self.detail is None:
                self.detail = create_request(self.ws, self.actor, self.case.case_id, self.form())
            else:
                self.detail = update_draft(
                    self.ws, self.actor, self.detail.request.id, self.form(), self.detail.version
                )
        except StepDeskError as error:
            self._show_save("Not saved", error=True)
            self.error.setText(str(error))
            return False
        self._dirty = False
        self.error.setText("")
        self._show_save(f"Saved {self.ws.now():%H:%M:%S}")
        self._loading = True
        self._show_detail()
        self._loading = False
        return True

    # Actions.
    def add_document(self) -> None:
        """Choose a file and store it with the request."""
        if self.detail is None:
            self._dirty = True  # a document needs a request to hang on: save the draft first
        if not self.flush() or self.detail is None:
            return
        path = OpenFileDialog.ask(self, "Attach a document")
        if path is None:
            return
        try:
            content = path.read_bytes()
        except OSError as error:
            self.error.setText(f"Could not read {path.name}: {error.strerror or error}.")
            return
        try:
            add_attachment(
                self.ws,
                self.actor,
                self.detail.request.id,
                str(self.attach_kind.currentData()),
                path.name,
                content,
            )
            self.detail = get_request(self.ws, self.actor, self.detail.request.id)
        except StepDeskError as error:
            self.error.setText(str(error))
            return
        self.error.setText("")
        self._show_detail()

    def _selected_attachment(self) -> int | None:
        index: QModelIndex = self.attachments.currentIndex()
        return index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None

    def open_selected(self) -> None:
        """Open the selected attachment with the system viewer."""
        att_id = self._selected_attachment()
        if att_id is None:
            return
        try:
            self._show_save(open_attachment(self.ws, self.actor, self.files, att_id))
        except StepDeskError as error:
            self.error.setText(str(error))

    def remove_selected(self) -> None:
        """Take the selected attachment off the request."""
        att_id = self._selected_attachment()
        if att_id is None or self.detail is None:
            return
        try:
            remove_attachment(self.ws, self.actor, att_id)
            self.detail = get_request(self.ws, self.actor, self.detail.request.id)
        except StepDeskError as error:
            self.error.setText(str(error))
            return
        self._show_detail()

    def submit(self) -> None:
        """Save, then send the request to the manager; a missing field is named."""
        self._dirty = self._dirty or self.detail is None
        if not self.flush() or self.detail is None:
            return
        try:
            self.detail = submit_request(self.ws, self.actor, self.detail.request.id)
        except StepDeskError as error:
            self.error.setText(str(error))
            return
        self.error.setText("")
        self._show_detail()
        self.accept()

    def delete(self) -> None:
        """Throw the draft away."""
        if self.detail is None:
            self.reject()
            return
        self._timer.stop()
        self._dirty = False
        try:
            delete_draft(self.ws, self.actor, self.detail.request.id)
        except StepDeskError as error:
            self.error.setText(str(error))
            return
        self.detail = None
        self.reject()

    def done(self, result: int) -> None:
        """Save what is typed and delete private copies, however the form closes."""
        self.flush()
        self.files.cleanup()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        """Closing the window saves too."""
        self.flush()
        self.files.cleanup()
        super().closeEvent(event)

    @classmethod
    def create(
        cls,
        parent: QWidget | None,
        ws: Workspace,
        actor: Actor,
        *,
        case_id: int | None = None,
        request_id: int | None = None,
    ) -> RequestDialog:
        """The form for a new request on ``case_id``, or for an existing ``request_id``."""
        if request_id is not None:
            detail = get_request(ws, actor, request_id)
            return cls(ws, actor, detail.case, detail, parent)
        if case_id is None:
            raise ValueError("give a case_id or a request_id")
        case = case_for_request(ws, actor, case_id)
        if case.open_request_id is not None:
            # One open request per case: show that one rather than start a second.
            dialog = cls.create(parent, ws, actor, request_id=case.open_request_id)
            dialog.error.setText(
                f"{case.reference} already has an open request (no. {case.open_request_id}): "
                "it is shown here instead of a new one."
            )
            return dialog
        return cls(ws, actor, case, None, parent)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        ws: Workspace,
        actor: Actor,
        *,
        case_id: int | None = None,
        request_id: int | None = None,
    ) -> RequestDetail | None:
        """Show the form until it is closed; the request as saved (``None`` if none)."""
        dialog = cls.create(parent, ws, actor, case_id=case_id, request_id=request_id)
        dialog.exec()
        return dialog.detail


def deadline_text(detail: RequestDetail) -> str:
    """T-FORM-48H in words with its RAG, e.g. ``Due soon: by 23/11/2026 10:30 …``."""
    deadline, rag = detail.row.form_deadline, detail.row.rag
    if deadline is None or rag is None:
        return "No panel chosen: choose one to count T-FORM-48H."
    return f"{RAG_WORDS[rag.value]}: {deadline.explain()}"


RAG_WORDS = {
    "done": "Done",
    "on track": "On track",
    "due soon": "Due soon",
    "overdue": "Overdue",
}
