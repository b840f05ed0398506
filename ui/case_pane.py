"""The case summary of the selected agenda item: everything the chair reads before deciding."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QFormLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from stepdesk.services.views import CaseSummary, ItemDetail, RequestView
from ui.format import NOT_SET, date_text, datetime_text
from ui.widgets import DeadlinesList, FindingsList, heading, plain_label


def _history_text(case: CaseSummary) -> str:
    lines = []
    for ep in reversed(case.history):  # newest first: the chair reads down from "now"
        until = date_text(ep.ended_on) if ep.ended_on else "now"
        lines.append(
            f"{date_text(ep.started_on)} – {until}: {ep.plan_name} ({ep.level_name}), {ep.team}"
        )
    return "\n".join(lines) or "No history recorded."


def _consent_text(case: CaseSummary, request: RequestView | None) -> str:
    lines = [
        f"{c.kind.capitalize()} consent to {c.purpose_label}, given by {c.given_by} on "
        f"{date_text(c.given_on)}" + (f". {c.note}" if c.note else "")
        for c in case.consents
    ]
    if request and request.without_consent_reason:
        manager = request.without_consent_manager or "no manager named"
        lines.append(f"Proceeding without consent ({manager}): {request.without_consent_reason}")
    return "\n".join(lines) or "No consent recorded."


def _attachments_text(request: RequestView | None) -> str:
    if request is None or not request.attachments:
        return "No attachments."
    return "\n".join(
        f"{a.kind_label}: {a.title}" + (f" ({a.filename})" if a.filename else "")
        for a in request.attachments
    )


class CasePane(QScrollArea):
    """Subject, level and plan with history, the request, consent, findings and deadlines."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Case summary")
        self.setWidgetResizable(True)
        body = QWidget(self)
        body.setObjectName("casePane")
        layout = QVBoxLayout(body)
        layout.setSpacing(6)

        self.subject = heading("No item selected", scale=1.35)
        self.subject.setAccessibleName("Subject")
        self.identity = plain_label(name="Case reference and age")
        layout.addWidget(self.subject)
        layout.addWidget(self.identity)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.level = plain_label(name="Current level and plan")
        self.team = plain_label(name="Team")
        self.people = plain_label(name="Lead professional and worker")
        form.addRow(self._form_label("Now"), self.level)
        form.addRow(self._form_label("Team"), self.team)
        form.addRow(self._form_label("Staff"), self.people)
        layout.addLayout(form)

        self.request = self._section(layout, "Request", "Request")
        self.reasons = self._section(layout, "Reasons", "Request reasons")
        self.triggers = self._section(layout, "Triggers", "Request triggers")
        self.findings = FindingsList()
        layout.addWidget(heading("Findings before the meeting"))
        layout.addWidget(self.findings)
        self.consent = self._section(layout, "Consent", "Consent")
        self.attachments = self._section(layout, "Attachments", "Attachments")
        self.deadlines = DeadlinesList()
        layout.addWidget(heading("Deadlines"))
        layout.addWidget(self.deadlines)
        self.history = self._section(layout, "History", "Level and plan history")
        self.decision = self._section(layout, "Decision", "Recorded decision")
        layout.addStretch(1)
        self.setWidget(body)
        self.clear()

    @staticmethod
    def _form_label(text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("fieldLabel")
        return label

    @staticmethod
    def _section(layout: QVBoxLayout, title: str, name: str) -> QLabel:
        layout.addWidget(heading(title))
        label = plain_label(name=name)
        layout.addWidget(label)
        return label

    def clear(self) -> None:
        """Nothing selected."""
        self.subject.setText("No item selected")
        for label in (
            self.identity,
            self.level,
            self.team,
            self.people,
            self.request,
            self.reasons,
            self.triggers,
            self.consent,
            self.attachments,
            self.history,
            self.decision,
        ):
            label.setText(NOT_SET)
        self.findings.set_findings([])
        self.deadlines.set_deadlines([], dt.datetime.min)

    def show_detail(self, detail: ItemDetail, now: dt.datetime) -> None:
        """Show one opened agenda item; deadlines are rated as of ``now``."""
        self.show_case(detail.case, now)
        d = detail.decision
        self.decision.setText(
            f"{d.outcome_label} ({datetime_text(d.decided_at)}, {d.decided_by or NOT_SET})\n"
            f"{d.rationale}"
            if d
            else "Not decided yet."
        )

    def show_case(self, case: CaseSummary, now: dt.datetime) -> None:
        """Show a case summary (and its clocks, rated as of ``now``) without a decision."""
        request = case.request
        self.subject.setText(case.subject_name)
        born = f"born {date_text(case.date_of_birth)}" if case.date_of_birth else "no date of birth"
        age = f", age {case.age}" if case.age is not None else ""
        family = f" · family {case.family_name}" if case.family_name else ""
        self.identity.setText(
            f"{case.reference} · {case.subject_kind.replace('_', ' ')} · {born}{age}{family}"
        )
        self.level.setText(f"{case.level_name} · {case.plan_name}")
        self.team.setText(case.team)
        self.people.setText(
            f"Lead professional: {case.lead_professional or NOT_SET}\n"
            f"Allocated worker: {case.allocated_worker or NOT_SET}"
        )
        if request is None:
            self.request.setText("No request.")
            self.reasons.setText(NOT_SET)
            self.triggers.setText(NOT_SET)
        else:
            qa = (
                f"\nQA by {request.qa_by} on {datetime_text(request.qa_at)}"
                + (f": {request.qa_comment}" if request.qa_comment else "")
                if request.qa_by
                else "\nNot yet quality-assured."
            )
            self.request.setText(
                f"{request.movement_label}: {request.from_plan_name} → {request.to_plan_name}\n"
                f"Requested by {request.created_by or NOT_SET} on "
                f"{datetime_text(request.created_at)}{qa}\n"
                f"Proposed lead professional: {request.proposed_lead_professional or NOT_SET}"
            )
            self.reasons.setText(request.reasons or NOT_SET)
            self.triggers.setText(", ".join(request.triggers) or "None recorded.")
        self.findings.set_findings(case.findings)
        self.consent.setText(_consent_text(case, request))
        self.attachments.setText(_attachments_text(request))
        self.deadlines.set_deadlines(case.deadlines, now)
        self.history.setText(_history_text(case))
        self.decision.setText(NOT_SET)
