"""The decision dialog: the panel's decision, checked against the protocol as it is typed."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStyle,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from stepdesk.domain import Movement, Outcome, Role
from stepdesk.errors import StaleRecordError, StepDeskError, ValidationError
from stepdesk.rules import Finding
from stepdesk.services.decisions import (
    DecisionContext,
    decision_context,
    latest_decision,
    record_decision,
    suggest_actions,
)
from stepdesk.services.drafts import (
    SavedDraft,
    discard_decision_draft,
    load_decision_draft,
    save_decision_draft,
)
from stepdesk.services.escalations import escalation_for_item
from stepdesk.services.people import list_people, list_teams
from stepdesk.services.views import (
    ActionDraft,
    DecisionDraft,
    DecisionView,
    DissentDraft,
    EscalationDraft,
    PersonOption,
    SideView,
    TeamOption,
)
from stepdesk.services.workspace import Actor, Workspace
from ui.date_delegate import DateDelegate, make_date_edit
from ui.decision_extras import DissentEditor, EscalationBox, FamilyInformedBox, MappingBox
from ui.format import from_qdate, outcome_options, to_qdate
from ui.models.actions_model import DUE, ActionsModel
from ui.widgets import FindingsList, heading, plain_label

RecordDecision = Callable[[DecisionDraft], DecisionView]
SaveDraft = Callable[[dict[str, Any]], dt.datetime]

# Where a ValidationError's field is shown; "Action 2 owner" and the like go to "Actions",
# "Dissent 2" to "Dissent", and the escalation's fields to "Escalation".
_FIELDS = (
    "Outcome",
    "Rationale",
    "Effective date",
    "Review date",
    "Receiving team",
    "Actions",
    "Dissent",
    "Mapping exercise",
    "Escalation",
    "Reason for the change",
)
_ESCALATION_FIELDS = ("Escalated to", "Disagreement", "Views", "View")
# The draft is kept DRAFT_DELAY_MS after typing pauses and, while typing goes on, at the latest
# MAX_UNSAVED_MS after the first change not yet kept (as the minute notes: ui.notes_editor).
DRAFT_DELAY_MS = 400
MAX_UNSAVED_MS = 2000


def _short_text(
    name: str, placeholder: str, lines: int = 3, *, grows: bool = False
) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    height = edit.fontMetrics().lineSpacing() * lines + 14
    edit.setMinimumHeight(height)
    if not grows:
        # Short answers: the rationale, which is minuted, gets the spare height.
        edit.setMaximumHeight(height)
    return edit


def _role_label(role: str) -> str:
    try:
        return Role(role).label.lower()
    except ValueError:
        return role


# The Action column keeps about this many characters a line: at 150 % text the Owner, Due and
# Rule columns (sized to their contents) left it a word a line.
ACTION_CHARS = 20


class ActionsTable(QTableView):
    """The decision's actions: the Action column stretches, the others fit their contents.

    Its minimum width keeps :data:`ACTION_CHARS` characters for the Action column beside the
    others, so the dialog's columns give it room rather than squeeze it; recomputed when the
    rows or the text size change.
    """

    def __init__(self, model: ActionsModel) -> None:
        super().__init__()
        self.setModel(model)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        model.changed.connect(self.fit_columns)
        self.fit_columns()

    def action_width(self) -> int:
        """The least width of the Action column at the current text size."""
        return ACTION_CHARS * self.fontMetrics().averageCharWidth()

    def fit_columns(self) -> None:
        """Keep room for the Action column beside the others' contents."""
        header = self.horizontalHeader()
        others = sum(
            max(header.sectionSizeHint(c), self.sizeHintForColumn(c))
            for c in range(1, self.model().columnCount())
        )
        scroll_bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        self.setMinimumWidth(self.action_width() + others + 2 * self.frameWidth() + scroll_bar)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        """Text size changed: the columns' contents did too."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit_columns()


class DecisionDialog(QDialog):
    """Outcome, rationale, dates, lead professional, team, exit, dissent and actions.

    Findings update on every change (``ctx.evaluate``). While any finding blocks, Save stays
    disabled until an authorised user types an override reason. What is typed is kept as a
    draft as it is typed (:attr:`draft_saved` says when), so a crash loses at most the last
    :data:`MAX_UNSAVED_MS` of typing.
    """

    draft_saved = Signal(object)  # the datetime the draft was kept

    def __init__(
        self,
        ctx: DecisionContext,
        actor: Actor,
        teams: list[TeamOption],
        people: list[PersonOption],
        record: RecordDecision,
        now: Callable[[], dt.datetime],
        existing: DecisionView | None = None,
        parent: QWidget | None = None,
        *,
        escalation: EscalationDraft | None = None,
        save_draft: SaveDraft | None = None,
        discard_draft: Callable[[], None] | None = None,
        restored: SavedDraft | None = None,
        latest: Callable[[], DecisionView | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._record = record
        # Optimistic locking: the version this dialog started from, and how to read theirs.
        self._based_on = existing.version if existing is not None else 0
        self._latest = latest
        self._now = now
        self._save_draft = save_draft
        self._discard_draft = discard_draft
        self._may_override = ctx.may_override(actor.role)
        self._role = actor.role
        self._blocked = False
        # Actions added by choosing an outcome; replaced when the outcome changes, if untouched.
        self._generated: list[ActionDraft] = []
        self.decision: DecisionView | None = None
        self.setWindowTitle(f"Record decision — {ctx.subject_name}")
        self.setAccessibleName("Record decision")
        self.setSizeGripEnabled(True)
        self._errors: dict[str, QLabel] = {}
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft_now)
        self._draft_max_timer = QTimer(self)
        self._draft_max_timer.setSingleShot(True)
        self._draft_max_timer.setInterval(MAX_UNSAVED_MS)
        self._draft_max_timer.timeout.connect(self.save_draft_now)
        self._build(teams, people)
        self._fill(existing, escalation)
        if restored is not None:
            self.restore(restored.data)
            self.draft_status.setText(
                f"Restored what was typed at {restored.saved_at:%H:%M:%S} "
                f"on {restored.saved_at:%d/%m/%Y} (not yet saved as the decision)."
            )
        self._connect()
        if existing is None and restored is None:
            self._generate_actions()
        self._refresh()

    @classmethod
    def create(
        cls,
        parent: QWidget | None,
        ws: Workspace,
        actor: Actor,
        item_id: int,
        existing: DecisionView | None = None,
    ) -> DecisionDialog:
        """The dialog for one agenda item, not yet shown.

        Raises:
            StepDeskError: the item cannot be opened (the caller shows the message).
        """
        return cls(
            decision_context(ws, actor, item_id),
            actor,
            list_teams(ws),
            list_people(ws),
            record=lambda draft: record_decision(ws, actor, item_id, draft),
            now=ws.now,
            existing=existing,
            parent=parent,
            escalation=escalation_for_item(ws, actor, item_id) if existing else None,
            save_draft=lambda data: save_decision_draft(ws, actor, item_id, data),
            discard_draft=lambda: discard_decision_draft(ws, actor, item_id),
            restored=load_decision_draft(ws, actor, item_id),
            latest=lambda: latest_decision(ws, actor, item_id),
        )

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        ws: Workspace,
        actor: Actor,
        item_id: int,
        existing: DecisionView | None = None,
    ) -> DecisionView | None:
        """Open the dialog for one agenda item; the saved decision, or ``None`` if cancelled.

        Raises:
            StepDeskError: the item cannot be opened (the caller shows the message).
        """
        dialog = cls.create(parent, ws, actor, item_id, existing)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.decision if accepted else None

    # Layout.
    def _build(self, teams: list[TeamOption], people: list[PersonOption]) -> None:
        ctx = self._ctx
        title = heading(f"{ctx.subject_name} ({ctx.case_reference})", scale=1.3)
        try:
            movement = Movement(ctx.movement).label
        except ValueError:
            movement = ctx.movement
        subtitle = plain_label(
            f"Request: {movement} to {ctx.profile.plan_name(ctx.to_plan)}. "
            f"Presenter: {ctx.presenter or '—'}.",
            "Request",
        )

        self.outcome = QComboBox()
        self.outcome.setAccessibleName("Outcome")
        for code, label in outcome_options():
            self.outcome.addItem(label, code)
        self.rationale = _short_text(
            "Rationale", "Why the panel decided this. It is printed in the minutes.", 6, grows=True
        )
        self.effective = make_date_edit("Effective date")
        self.review_set = QCheckBox("Set a review date")
        self.review_set.setAccessibleName("Set a review date")
        self.review = make_date_edit("Review date")
        self.lead = QLineEdit()
        self.lead.setAccessibleName("Lead professional")
        self.lead.setPlaceholderText("Who leads the plan after the move")
        completer = QCompleter(sorted({p.name for p in people}), self.lead)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.lead.setCompleter(completer)
        self.team = QComboBox()
        self.team.setAccessibleName("Receiving team")
        self.team.addItem("(no change of team)", None)
        for team in teams:
            self.team.addItem(team.name, team.id)
        if ctx.suggested_team_id is not None:  # T-REEMERGE-3M: back to the same team
            self.team.setCurrentIndex(max(0, self.team.findData(ctx.suggested_team_id)))
            self.team.setToolTip(ctx.suggested_team_reason or "")
        self.exit_strategy = _short_text("Exit strategy", "How and when the extra support ends")
        # Sized to the form, not to their longest entry (the dialog must fit a laptop screen
        # at 150 % text); the open list still shows each entry whole.
        for combo in (self.outcome, self.team):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(16)
        self.family = FamilyInformedBox()
        self.dissent = _short_text("Other dissent", "Anything else to minute about dissent", 2)
        self.dissents = DissentEditor(ctx.members)
        self.mapping = MappingBox()
        self.escalation = EscalationBox([p.name for p in people if p.role in ("manager", "chair")])
        self.escalate_button = QPushButton("Escalate: &no agreement")
        self.escalate_button.setAccessibleName("Escalate: no agreement")
        self.escalate_button.setToolTip(
            "No agreement: open an escalation to the Operations or Strategic Manager "
            "(T-ESCALATE-24H)"
        )
        self.escalate_button.setAutoDefault(False)

        review_row = QHBoxLayout()
        review_row.addWidget(self.review_set)
        review_row.addWidget(self.review, 1)
        outcome_row = QHBoxLayout()
        outcome_row.addWidget(self.outcome, 1)
        outcome_row.addWidget(self.escalate_button)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._add_row(form, "&Outcome", outcome_row, "Outcome", buddy=self.outcome)
        self._add_row(form, "&Rationale", self.rationale, "Rationale")
        self._add_row(form, "&Effective date", self.effective, "Effective date")
        self._add_row(form, "Re&view date", review_row, "Review date", buddy=self.review_set)
        self._add_row(form, "&Lead professional", self.lead)
        self._add_row(form, "Receiving &team", self.team, "Receiving team")
        self._add_row(form, "E&xit strategy", self.exit_strategy)
        self._add_row(form, "Family told", self.family, buddy=self.family.boxes["why"])

        self.findings = FindingsList()
        self.override_label = QLabel("Override &reason")
        self.override = QLineEdit()
        self.override.setAccessibleName("Override reason")
        self.override.setPlaceholderText("Why the panel proceeds despite the blocking finding")
        self.override_label.setBuddy(self.override)
        roles = " or ".join(_role_label(r) for r in ctx.profile.override_roles)
        self.override_help = plain_label(
            f"Only a {roles} may override a blocking finding. Change the decision so that "
            "nothing blocks, or ask one of them to record it.",
            "Why you cannot override",
        )
        self.override_help.setObjectName("overrideHelp")

        self.actions_model = ActionsModel(people, self)
        self.actions_view = ActionsTable(self.actions_model)
        self.actions_view.setAccessibleName("Actions")
        self.actions_view.setItemDelegateForColumn(DUE, DateDelegate(self.actions_view))
        self.actions_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.actions_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.actions_view.verticalHeader().hide()
        # The action's words wrap onto as many lines as they need (the tooltip has them too).
        self.actions_view.setWordWrap(True)
        self.actions_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.add_action = QPushButton("&Add action")
        self.remove_action = QPushButton("Re&move action")
        self.suggest = QPushButton("&Suggest actions")
        for button, name in (
            (self.add_action, "Add action"),
            (self.remove_action, "Remove action"),
            (self.suggest, "Suggest actions"),
        ):
            button.setAccessibleName(name)
            button.setAutoDefault(False)
        self.actions_hint = plain_label(
            "No actions yet. “Suggest actions” adds the protocol's standard ones, with their "
            "due dates.",
            "Actions hint",
        )
        self.actions_hint.setObjectName("hint")

        right = QVBoxLayout()
        right.addWidget(heading("Findings"))
        # Scrolls when long (large text on a laptop) instead of clipping each finding.
        findings_scroll = QScrollArea()
        findings_scroll.setWidget(self.findings)
        findings_scroll.setWidgetResizable(True)
        findings_scroll.setFrameShape(QFrame.Shape.NoFrame)
        findings_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        findings_scroll.setAccessibleName("Findings")
        right.addWidget(findings_scroll, 2)
        override_row = QHBoxLayout()
        override_row.addWidget(self.override_label)
        override_row.addWidget(self.override, 1)
        right.addLayout(override_row)
        right.addWidget(self.override_help)
        right.addSpacing(8)
        right.addWidget(heading("Actions"))
        right.addWidget(self.actions_view, 3)
        right.addWidget(self._error_label("Actions"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_action)
        buttons.addWidget(self.remove_action)
        buttons.addStretch(1)
        buttons.addWidget(self.suggest)
        right.addLayout(buttons)
        right.addWidget(self.actions_hint)

        self.general_error = plain_label(name="Error")
        self.general_error.setObjectName("error")
        self.general_error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Save decision")
        self.save_button.setAccessibleName("Save decision")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")

        # Left: the decision itself, then dissent and mapping, then escalation, as tabs.
        decision_page = QWidget()
        decision_page.setLayout(form)
        dissent_page = QWidget()
        dissent_layout = QVBoxLayout(dissent_page)
        dissent_layout.addWidget(heading("Dissent"))
        dissent_layout.addWidget(
            plain_label(
                "Each member who disagreed, picked from those present, with their view.",
                "About dissent",
            )
        )
        dissent_layout.addWidget(self.dissents)
        dissent_layout.addWidget(self._error_label("Dissent"))
        other = QLabel("Other &dissent")
        other.setBuddy(self.dissent)
        dissent_layout.addWidget(other)
        dissent_layout.addWidget(self.dissent)
        dissent_layout.addSpacing(8)
        dissent_layout.addWidget(heading("Threshold"))
        dissent_layout.addWidget(self.mapping)
        dissent_layout.addWidget(self._error_label("Mapping exercise"))
        dissent_layout.addStretch(1)
        # Ticked, the mapping note takes the tab's spare height; unticked, the stretch does.
        self.mapping.uncertain.toggled.connect(
            lambda on: self._give_room(dissent_layout, self.mapping, on)
        )
        escalation_page = QWidget()
        escalation_layout = QVBoxLayout(escalation_page)
        escalation_layout.addWidget(self.escalation, 1)
        escalation_layout.addWidget(self._error_label("Escalation"))
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Decision parts")
        self.tabs.addTab(decision_page, "Decision")
        self.tabs.addTab(dissent_page, "Dissent and mapping")
        self.escalation_tab = self.tabs.addTab(escalation_page, "Escalation")

        self.draft_status = plain_label(name="Draft status", wrap=False)
        self.draft_status.setObjectName("saveStatus")
        columns = QHBoxLayout()
        columns.addWidget(self.tabs, 5)
        columns.addSpacing(16)
        columns.addLayout(right, 4)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        self._build_change_reason(layout)
        layout.addSpacing(6)
        layout.addLayout(columns, 1)
        layout.addWidget(self.general_error)
        bottom = QHBoxLayout()
        bottom.addWidget(self.draft_status, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        self.resize(1100, 700)

    @staticmethod
    def _give_room(layout: QVBoxLayout, widget: QWidget, on: bool) -> None:
        """Give ``widget`` the spare height of ``layout`` (else its closing stretch has it)."""
        layout.setStretchFactor(widget, 1 if on else 0)
        layout.setStretch(layout.count() - 1, 0 if on else 1)

    def _build_change_reason(self, layout: QVBoxLayout) -> None:
        """Approved minutes: say so, and ask for the reason for the change (required)."""
        lock = self._ctx.minutes_lock
        if lock is not None:
            self.minutes_notice = plain_label(lock.text(), "Minutes approved")
            layout.addWidget(self.minutes_notice)
        self.change_reason = QLineEdit()
        self.change_reason.setAccessibleName("Reason for the change")
        self.change_reason.setPlaceholderText(
            "Why the decision changes after the minutes were approved (goes into the correction)"
        )
        label = QLabel("Reason for the c&hange")
        label.setBuddy(self.change_reason)
        # Hidden until the minutes are approved (or the service says they were meanwhile).
        self.change_row = QWidget()
        row = QHBoxLayout(self.change_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label)
        row.addWidget(self.change_reason, 1)
        self.change_row.setVisible(lock is not None)
        layout.addWidget(self.change_row)
        layout.addWidget(self._error_label("Reason for the change"))

    def _error_label(self, field: str) -> QLabel:
        label = plain_label(name=f"{field} error")
        label.setObjectName("error")
        label.hide()
        self._errors[field] = label
        return label

    def _add_row(
        self,
        form: QFormLayout,
        text: str,
        field: QWidget | QHBoxLayout,
        error_key: str | None = None,
        buddy: QWidget | None = None,
    ) -> None:
        label = QLabel(text)
        label.setBuddy(buddy or (field if isinstance(field, QWidget) else None))
        if error_key is None:
            form.addRow(label, field)
            return
        box = QVBoxLayout()
        box.setSpacing(2)
        if isinstance(field, QWidget):
            box.addWidget(field)
        else:
            box.addLayout(field)
        box.addWidget(self._error_label(error_key))
        form.addRow(label, box)

    def _fill(self, existing: DecisionView | None, escalation: EscalationDraft | None) -> None:
        ctx = self._ctx
        self.effective.setDate(to_qdate(ctx.today))
        self.review.setDate(to_qdate(ctx.today + dt.timedelta(weeks=12)))
        self.review.setEnabled(False)
        self.lead.setText(ctx.request.lead_professional or "")
        if existing is None:
            return
        self.outcome.setCurrentIndex(max(0, self.outcome.findData(existing.outcome)))
        self.rationale.setPlainText(existing.rationale)
        if existing.effective_on:
            self.effective.setDate(to_qdate(existing.effective_on))
        if existing.review_on:
            self.review_set.setChecked(True)
            self.review.setEnabled(True)
            self.review.setDate(to_qdate(existing.review_on))
        self.lead.setText(existing.lead_professional or "")
        if existing.receiving_team:
            self.team.setCurrentIndex(max(0, self.team.findText(existing.receiving_team)))
        self.exit_strategy.setPlainText(existing.exit_strategy or "")
        named = {f"{d.name}: {d.view}" for d in existing.dissents}
        other = [line for line in (existing.dissent or "").splitlines() if line not in named]
        self.dissent.setPlainText("\n".join(other))
        self.dissents.set_dissents(existing.dissents)
        self.mapping.set_mapping_note(existing.mapping_note)
        self.family.set_told(existing.family_informed)
        self.escalation.set_draft(escalation)
        self.override.setText(existing.override_reason or "")
        self.actions_model.set_actions(
            [
                ActionDraft(a.description, a.owner_name, a.due_on, a.owner_id, a.rule_id)
                for a in existing.actions
            ]
        )

    def _connect(self) -> None:
        self.outcome.currentIndexChanged.connect(self._refresh)
        self.rationale.textChanged.connect(self._refresh)
        self.effective.dateChanged.connect(self._refresh)
        self.review_set.toggled.connect(self.review.setEnabled)
        self.review_set.toggled.connect(self._refresh)
        self.review.dateChanged.connect(self._refresh)
        self.lead.textChanged.connect(self._refresh)
        self.team.currentIndexChanged.connect(self._refresh)
        self.exit_strategy.textChanged.connect(self._refresh)
        self.dissent.textChanged.connect(self._refresh)
        self.override.textChanged.connect(self._refresh)
        self.change_reason.textChanged.connect(self._refresh)
        self.actions_model.changed.connect(self._refresh)
        self.actions_model.changed.connect(self._on_actions_changed)
        for part in (self.dissents, self.mapping, self.escalation, self.family):
            part.changed.connect(self._refresh)
        self.outcome.currentIndexChanged.connect(self._generate_actions)
        self.escalate_button.clicked.connect(self.escalate)
        self.add_action.clicked.connect(self._add_action)
        self.remove_action.clicked.connect(self._remove_action)
        self.suggest.clicked.connect(self._suggest_actions)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)

    # What the dialog holds.
    def draft(self) -> DecisionDraft:
        """The decision as typed so far."""
        return DecisionDraft(
            outcome=self.outcome.currentData(),
            rationale=self.rationale.toPlainText(),
            effective_on=from_qdate(self.effective.date()),
            review_on=from_qdate(self.review.date()) if self.review_set.isChecked() else None,
            lead_professional=self.lead.text().strip() or None,
            receiving_team_id=self.team.currentData(),
            exit_strategy=self.exit_strategy.toPlainText().strip() or None,
            dissent=self.dissent.toPlainText().strip() or None,
            override_reason=(self.override.text().strip() or None) if self._blocked else None,
            actions=self.actions_model.actions(),
            family_informed=self.family.told(),
            dissents=self.dissents.dissents(),
            mapping_note=self.mapping.mapping_note(),
            escalation=(
                self.escalation.draft() if self.outcome.currentData() == Outcome.ESCALATE else None
            ),
            change_note=self.change_reason.text().strip() or None,
        )

    # Drafts: saved as typed, restored after a crash.
    def to_data(self) -> dict[str, Any]:
        """Everything typed, as JSON-able data for the draft store."""
        draft = self.draft()
        escalation = self.escalation.draft()
        return {
            "outcome": draft.outcome,
            "rationale": draft.rationale,
            "effective_on": draft.effective_on.isoformat() if draft.effective_on else None,
            "review_on": draft.review_on.isoformat() if draft.review_on else None,
            "lead_professional": self.lead.text(),
            "receiving_team_id": draft.receiving_team_id,
            "exit_strategy": self.exit_strategy.toPlainText(),
            "dissent": self.dissent.toPlainText(),
            "dissents": [
                {"name": d.name, "view": d.view, "user_id": d.user_id}
                for d in self.dissents.dissents(strip=False)
            ],
            "mapping_note": draft.mapping_note,
            "family_informed": list(draft.family_informed or ()),
            "override": self.override.text(),
            "change_reason": self.change_reason.text(),
            "escalation": {
                "escalated_to": escalation.escalated_to,
                "disagreement": escalation.disagreement,
                "views": [{"side": v.side, "who": v.who, "view": v.view} for v in escalation.views],
            },
            "actions": [
                {
                    "description": a.description,
                    "owner_name": a.owner_name,
                    "owner_id": a.owner_id,
                    "due_on": a.due_on.isoformat(),
                    "rule_id": a.rule_id,
                }
                for a in draft.actions
            ],
        }

    def restore(self, data: dict[str, Any]) -> None:
        """Fill the dialog from a saved draft (unknown or missing keys are left as they are)."""
        if "outcome" in data:
            self.outcome.setCurrentIndex(max(0, self.outcome.findData(data["outcome"])))
        self.rationale.setPlainText(str(data.get("rationale", "")))
        if data.get("effective_on"):
            self.effective.setDate(to_qdate(dt.date.fromisoformat(data["effective_on"])))
        self.review_set.setChecked(bool(data.get("review_on")))
        self.review.setEnabled(bool(data.get("review_on")))
        if data.get("review_on"):
            self.review.setDate(to_qdate(dt.date.fromisoformat(data["review_on"])))
        self.lead.setText(str(data.get("lead_professional") or ""))
        self.team.setCurrentIndex(max(0, self.team.findData(data.get("receiving_team_id"))))
        self.exit_strategy.setPlainText(str(data.get("exit_strategy") or ""))
        self.dissent.setPlainText(str(data.get("dissent") or ""))
        self.dissents.set_dissents(
            [DissentDraft(d["name"], d["view"], d.get("user_id")) for d in data.get("dissents", [])]
        )
        self.mapping.set_mapping_note(data.get("mapping_note"))
        if "family_informed" in data:
            self.family.set_told(data["family_informed"])
        self.override.setText(str(data.get("override") or ""))
        self.change_reason.setText(str(data.get("change_reason") or ""))
        esc = data.get("escalation")
        if esc:
            self.escalation.set_draft(
                EscalationDraft(
                    esc["escalated_to"],
                    esc["disagreement"],
                    [SideView(v["side"], v["who"], v["view"]) for v in esc["views"]],
                )
            )
        if "actions" in data:
            self.actions_model.set_actions(
                [
                    ActionDraft(
                        a["description"],
                        a["owner_name"],
                        dt.date.fromisoformat(a["due_on"]),
                        a.get("owner_id"),
                        a.get("rule_id"),
                    )
                    for a in data["actions"]
                ]
            )

    def save_draft_now(self) -> None:
        """Save what is typed as the item's draft (called a moment after each change)."""
        self._draft_timer.stop()
        self._draft_max_timer.stop()
        if self._save_draft is None or self.decision is not None:
            return
        try:
            at = self._save_draft(self.to_data())
        except StepDeskError as error:
            self.draft_status.setText(f"Draft not kept: {error}")
            return
        self.draft_status.setText(f"Draft kept {at:%H:%M:%S}")
        self.draft_saved.emit(at)

    def reject(self) -> None:
        """Cancel: what was typed is dropped on purpose, so its draft goes too."""
        self._draft_timer.stop()
        self._draft_max_timer.stop()
        if self._discard_draft is not None:
            try:
                self._discard_draft()
            except StepDeskError as error:
                self.general_error.setText(f"The draft could not be dropped: {error}")
        super().reject()

    def escalate(self) -> None:
        """No agreement: choose "escalate" and go to the escalation's fields."""
        self.outcome.setCurrentIndex(self.outcome.findData(Outcome.ESCALATE.value))
        self.tabs.setCurrentIndex(self.escalation_tab)
        self.escalation.escalated_to.setFocus()

    def shown_findings(self) -> list[Finding]:
        """The findings currently listed."""
        return self.findings.findings()

    # Slots.
    def _refresh(self) -> None:
        escalating = self.outcome.currentData() == Outcome.ESCALATE
        self.tabs.setTabEnabled(self.escalation_tab, escalating)
        if self._save_draft is not None and self.decision is None:
            self._draft_timer.start()
            if not self._draft_max_timer.isActive():
                self._draft_max_timer.start()
        findings = self._ctx.evaluate(self.draft())
        self.findings.set_findings(findings)
        blocks = [f.rule for f in findings if f.severity == "block"]
        self._blocked = bool(blocks)
        # Each rule may name its own override roles in the profile.
        self._may_override = self._ctx.may_override(self._role, blocks)
        can_override = self._blocked and self._may_override
        self.override_label.setVisible(can_override)
        self.override.setVisible(can_override)
        self.override.setEnabled(can_override)
        self.override_help.setVisible(self._blocked and not self._may_override)
        overridden = can_override and bool(self.override.text().strip())
        # Approved minutes: no change without its reason (services.amendments checks too).
        reason_missing = (
            self._ctx.minutes_lock is not None and not self.change_reason.text().strip()
        )
        self.save_button.setEnabled((not self._blocked or overridden) and not reason_missing)
        self.save_button.setToolTip(
            "A finding blocks this decision: change it, or give an override reason."
            if self._blocked and not overridden
            else "The minutes are approved: give the reason for the change."
            if reason_missing
            else ""
        )

    def _on_actions_changed(self) -> None:
        # The "no actions yet" hint is wrong once there are some.
        if self.actions_model.rowCount() and self.actions_hint.text().startswith("No actions"):
            self.actions_hint.hide()

    def _generate_actions(self) -> None:
        """Actions from the outcome's timescales, unless some were typed or edited already."""
        current = self.actions_model.actions()
        if current and current != self._generated:
            return
        self._generated = suggest_actions(self._ctx, self.outcome.currentData(), self._now())
        self.actions_model.set_actions(self._generated)
        if self._generated:
            self.actions_hint.setText(
                f"{len(self._generated)} action(s) from the timescales of "
                f"“{self.outcome.currentText()}”: edit the owner or due date as agreed."
            )
            self.actions_hint.show()

    def _add_action(self) -> None:
        owner = self._ctx.allocated_worker or self._ctx.presenter or ""
        row = self.actions_model.add(
            ActionDraft("", owner, self._ctx.today, self._ctx.allocated_worker_id)
        )
        index = self.actions_model.index(row, 0)
        self.actions_view.setCurrentIndex(index)
        self.actions_view.edit(index)

    def _remove_action(self) -> None:
        self.actions_model.remove(self.actions_view.currentIndex().row())

    def _suggest_actions(self) -> None:
        suggested = suggest_actions(self._ctx, self.outcome.currentData(), self._now())
        have = {(a.rule_id, a.description) for a in self.actions_model.actions()}
        new = [a for a in suggested if (a.rule_id, a.description) not in have]
        for action in new:
            self.actions_model.add(action)
        label = self.outcome.currentText()
        self.actions_hint.setText(
            f"Added {len(new)} standard action(s) for “{label}”."
            if new
            else f"No further standard actions for “{label}”."
        )
        self.actions_hint.show()

    def _save(self) -> None:
        for label in [*self._errors.values(), self.general_error]:
            label.hide()
        self._draft_timer.stop()
        self._draft_max_timer.stop()
        try:
            self.decision = self._record(
                dataclasses.replace(self.draft(), based_on_version=self._based_on)
            )
        except ValidationError as error:
            self._show_field_error(error)
            return
        except StaleRecordError as error:
            self._show_stale(error)
            return
        except StepDeskError as error:
            self.general_error.setText(str(error))
            self.general_error.show()
            return
        self.accept()

    def _show_stale(self, error: StaleRecordError) -> None:
        """Someone else saved first: say who and what, keep what was typed, never overwrite.

        Their version is read again; saving once more (knowingly) replaces it.
        """
        theirs = self._latest() if self._latest is not None else None
        text = str(error)
        if theirs is not None:
            self._based_on = theirs.version
            text += (
                f"\nTheir decision: {theirs.outcome_label}. “{theirs.rationale}”"
                "\nYour decision is still here: Save again to replace theirs with it, or "
                "Cancel to keep theirs."
            )
        self.general_error.setText(text)
        self.general_error.show()

    def _show_field_error(self, error: ValidationError) -> None:
        key = error.field if error.field in _FIELDS else None
        if key == "Reason for the change":
            self.change_row.show()  # approved since the dialog opened
        if key is None and error.field.startswith("Action"):
            key = "Actions"
        if key is None and error.field.startswith("Dissent"):
            key = "Dissent"
        if key is None and error.field.startswith(_ESCALATION_FIELDS):
            key = "Escalation"
        page = {"Dissent": 1, "Mapping exercise": 1, "Escalation": self.escalation_tab}
        self.tabs.setCurrentIndex(page.get(key or "", 0))
        label = self._errors.get(key or "", self.general_error)
        label.setText(str(error))
        label.show()
        focus = {
            "Outcome": self.outcome,
            "Rationale": self.rationale,
            "Review date": self.review,
            "Receiving team": self.team,
            "Actions": self.actions_view,
            "Dissent": self.dissents,
            "Mapping exercise": self.mapping.note,
            "Escalation": self.escalation.escalated_to,
            "Reason for the change": self.change_reason,
        }.get(key or "")
        if focus is not None:
            focus.setFocus()

    def field_error(self, field: str) -> str | None:
        """The message shown beside a field, if any (for tests and screen readers)."""
        label = self._errors.get(field)
        return label.text() if label is not None and not label.isHidden() else None


__all__ = ["DecisionDialog"]
