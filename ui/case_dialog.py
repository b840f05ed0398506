"""A case opened from the Deadlines page: the case pane in a dialog, with its clocks.

For a request the panel has decided, the dialog also offers the steps after the decision:
make the transfer (T-EFFECT-24H), handover arranged and completed (T-HANDOVER), close. Each
button is enabled only when the lifecycle allows the move for the user's role; otherwise the
lifecycle's message says what must happen first, or who may.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
)

from stepdesk.errors import StepDeskError
from stepdesk.services.cases import case_summary
from stepdesk.services.transfers import (
    AFTER_DECISION,
    TransferOptions,
    take_transfer_step,
    transfer_options,
)
from stepdesk.services.views import CaseSummary
from stepdesk.services.workspace import Actor, Workspace
from ui.case_pane import CasePane
from ui.equalities_box import EqualitiesBox
from ui.widgets import plain_label

# The buttons' text with their mnemonics, by the request status each step reaches.
_BUTTONS = {
    "effected": "&Make the transfer",
    "handover_arranged": "Handover &arranged",
    "handover_completed": "Handover com&pleted",
    "closed": "Close re&quest",
}


class CaseDialog(QDialog):
    """One case: who, where, history, latest request, clocks, and the steps after a decision.

    The steps show only when a workspace and user are given (the Deadlines page gives them).
    """

    changed = Signal()

    def __init__(
        self,
        summary: CaseSummary,
        now: dt.datetime,
        parent: Any = None,
        *,
        ws: Workspace | None = None,
        actor: Actor | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Case {summary.reference} — {summary.subject_name}")
        self.setAccessibleName("Case")
        self.summary = summary
        self.ws, self.actor = ws, actor
        self.options: TransferOptions | None = None
        layout = QVBoxLayout(self)
        self.pane = CasePane(self)
        self.pane.show_case(summary, now)
        layout.addWidget(self.pane, 1)

        self.steps_box = QGroupBox("After the decision")
        self.steps_box.setAccessibleName("After the decision")
        steps = QVBoxLayout(self.steps_box)
        self.step_status = plain_label(name="Request status")
        row = QHBoxLayout()
        self.step_buttons: dict[str, QPushButton] = {}
        for target, text in _BUTTONS.items():
            button = QPushButton(text)
            button.setAccessibleName(text.replace("&", ""))
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, t=target: self.take_step(t))
            row.addWidget(button)
            self.step_buttons[target] = button
        row.addStretch(1)
        self.why_not = plain_label(name="Why a step is not open")
        self.why_not.setObjectName("hint")
        self.step_result = plain_label(name="Step result")
        steps.addWidget(self.step_status)
        steps.addLayout(row)
        steps.addWidget(self.why_not)
        steps.addWidget(self.step_result)
        layout.addWidget(self.steps_box)
        if ws is not None and actor is not None:  # equalities for monitoring (issue 18)
            layout.addWidget(EqualitiesBox(ws, actor, summary.case_id, self))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close the case")
        layout.addWidget(buttons)
        self.resize(760, 700)
        self.show_steps()

    @classmethod
    def open_case(
        cls,
        summary: CaseSummary,
        now: dt.datetime,
        parent: Any = None,
        *,
        ws: Workspace | None = None,
        actor: Actor | None = None,
    ) -> CaseDialog:
        """Show the case (non-modal, so the list stays usable) and return the dialog."""
        dialog = cls(summary, now, parent, ws=ws, actor=actor)
        dialog.show()
        return dialog

    def show_steps(self) -> None:
        """Ask the lifecycle which steps after the decision this user may take now."""
        request = self.summary.request
        self.options = None
        if self.ws is None or self.actor is None or request is None:
            self.steps_box.hide()
            return
        if request.status not in AFTER_DECISION:
            self.steps_box.hide()
            return
        try:
            self.options = transfer_options(self.ws, self.actor, request.id)
        except StepDeskError as error:
            self.step_status.setText(str(error))
            for button in self.step_buttons.values():
                button.setEnabled(False)
            self.steps_box.show()
            return
        self.step_status.setText(
            f"Request No. {self.options.request_id}: {self.options.status_label}."
        )
        refusals: dict[str, list[str]] = {}  # one line per reason, naming its steps
        for step in self.options.steps:
            button = self.step_buttons[step.target]
            button.setEnabled(step.allowed)
            button.setToolTip(step.why_not or (f"{step.label} ({step.rule})" if step.rule else ""))
            if not step.allowed and step.why_not:
                refusals.setdefault(step.why_not, []).append(step.label)
        self.why_not.setText("\n".join(f"{', '.join(s)}: {w}" for w, s in refusals.items()))
        self.why_not.setVisible(bool(refusals))
        self.steps_box.show()

    def take_step(self, target: str) -> None:
        """Take one step, then show the case and the steps again."""
        if self.ws is None or self.actor is None or self.options is None:
            return
        try:
            done = take_transfer_step(self.ws, self.actor, self.options.request_id, target)
        except StepDeskError as error:
            self.step_result.setText(str(error))
            self.step_result.setObjectName("error")
            return
        self.step_result.setObjectName("")
        self.step_result.setText(done.note)
        try:
            self.summary = case_summary(self.ws, self.actor, self.summary.case_id)
        except StepDeskError as error:
            self.step_result.setText(f"{done.note} (The case could not be shown again: {error})")
        else:
            self.pane.show_case(self.summary, self.ws.now())
        self.show_steps()
        self.changed.emit()
