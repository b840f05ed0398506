"""The decision dialog: the panel's decision, checked against the protocol as it is typed."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from stepdesk.domain import Movement, Role
from stepdesk.errors import StaleRecordError, StepDeskError, ValidationError
from stepdesk.rules import Finding
from stepdesk.services.decisions import (
    DecisionContext,
    decision_context,
    latest_decision,
    record_decision,
    suggest_actions,
)
from stepdesk.services.people import list_people, list_teams
from stepdesk.services.views import (
    ActionDraft,
    DecisionDraft,
    DecisionView,
    PersonOption,
    TeamOption,
)
from stepdesk.services.workspace import Actor, Workspace
from ui.date_delegate import DateDelegate, make_date_edit
from ui.format import from_qdate, outcome_options, to_qdate
from ui.models.actions_model import DUE, ActionsModel
from ui.widgets import FindingsList, heading, plain_label

RecordDecision = Callable[[DecisionDraft], DecisionView]

# Where a ValidationError's field is shown; "Action 2 owner" and the like go to "Actions".
_FIELDS = ("Outcome", "Rationale", "Effective date", "Review date", "Receiving team", "Actions")


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


class DecisionDialog(QDialog):
    """Outcome, rationale, dates, lead professional, team, exit, dissent and actions.

    Findings update on every change (``ctx.evaluate``). While any finding blocks, Save stays
    disabled until an authorised user types an override reason.
    """

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
        latest: Callable[[], DecisionView | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._record = record
        # Optimistic locking: the version this dialog started from, and how to read theirs.
        self._based_on = existing.version if existing is not None else 0
        self._latest = latest
        self._now = now
        self._may_override = ctx.may_override(actor.role)
        self._role = actor.role
        self._blocked = False
        self.decision: DecisionView | None = None
        self.setWindowTitle(f"Record decision — {ctx.subject_name}")
        self.setAccessibleName("Record decision")
        self.setSizeGripEnabled(True)
        self._errors: dict[str, QLabel] = {}
        self._build(teams, people)
        self._fill(existing)
        self._connect()
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
        self.exit_strategy = _short_text("Exit strategy", "How and when the extra support ends")
        self.dissent = _short_text("Dissent", "Any member who disagreed, and why", 2)

        review_row = QHBoxLayout()
        review_row.addWidget(self.review_set)
        review_row.addWidget(self.review, 1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._add_row(form, "&Outcome", self.outcome, "Outcome")
        self._add_row(form, "&Rationale", self.rationale, "Rationale")
        self._add_row(form, "&Effective date", self.effective, "Effective date")
        self._add_row(form, "Re&view date", review_row, "Review date", buddy=self.review_set)
        self._add_row(form, "&Lead professional", self.lead)
        self._add_row(form, "Receiving &team", self.team, "Receiving team")
        self._add_row(form, "E&xit strategy", self.exit_strategy)
        self._add_row(form, "&Dissent", self.dissent)

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
        self.actions_view = QTableView()
        self.actions_view.setModel(self.actions_model)
        self.actions_view.setAccessibleName("Actions")
        self.actions_view.setItemDelegateForColumn(DUE, DateDelegate(self.actions_view))
        self.actions_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.actions_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.actions_view.verticalHeader().hide()
        self.actions_view.setWordWrap(False)
        header = self.actions_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
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
        right.addWidget(self.findings)
        override_row = QHBoxLayout()
        override_row.addWidget(self.override_label)
        override_row.addWidget(self.override, 1)
        right.addLayout(override_row)
        right.addWidget(self.override_help)
        right.addSpacing(8)
        right.addWidget(heading("Actions"))
        right.addWidget(self.actions_view, 1)
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

        columns = QHBoxLayout()
        columns.addLayout(form, 5)
        columns.addSpacing(16)
        columns.addLayout(right, 4)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addSpacing(6)
        layout.addLayout(columns, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.resize(1020, 660)

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

    def _fill(self, existing: DecisionView | None) -> None:
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
        self.dissent.setPlainText(existing.dissent or "")
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
        self.actions_model.changed.connect(self._refresh)
        self.actions_model.changed.connect(self._on_actions_changed)
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
        )

    def shown_findings(self) -> list[Finding]:
        """The findings currently listed."""
        return self.findings.findings()

    # Slots.
    def _refresh(self) -> None:
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
        self.save_button.setEnabled(not self._blocked or overridden)
        self.save_button.setToolTip(
            "A finding blocks this decision: change it, or give an override reason."
            if self._blocked and not overridden
            else ""
        )

    def _on_actions_changed(self) -> None:
        # The "no actions yet" hint is wrong once there are some.
        if self.actions_model.rowCount() and self.actions_hint.text().startswith("No actions"):
            self.actions_hint.hide()

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
        if key is None and error.field.startswith("Action"):
            key = "Actions"
        label = self._errors.get(key or "", self.general_error)
        label.setText(str(error))
        label.show()
        focus = {
            "Outcome": self.outcome,
            "Rationale": self.rationale,
            "Review date": self.review,
            "Receiving team": self.team,
            "Actions": self.actions_view,
        }.get(key or "")
        if focus is not None:
            focus.setFocus()

    def field_error(self, field: str) -> str | None:
        """The message shown beside a field, if any (for tests and screen readers)."""
        label = self._errors.get(field)
        return label.text() if label is not None and not label.isHidden() else None


__all__ = ["DecisionDialog"]
