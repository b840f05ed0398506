"""The minutes of a panel meeting as a PDF (T-MINUTES-48H: uploaded within 48 hours).

The GUI and the command line call :func:`render_minutes` with the
:class:`~stepdesk.services.views.MinutesDocument` that
:func:`stepdesk.services.minutes.minutes_document` gathers.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Paragraph, Spacer

from reports.base import RULE, PdfRenderer
from reports.text import clean, fmt_date, fmt_datetime, fmt_time, para
from stepdesk.rules import Finding
from stepdesk.services.views import (
    ActionRow,
    AttendanceRow,
    DecisionView,
    MinutesDocument,
    MinutesItem,
)

NO_DECISION = "No decision recorded"

_PANEL_ROLES = {
    "chair": "Chair",
    "member": "Member",
    "presenter": "Presenter",
    "minutes": "Minute-taker",
}
_SEVERITIES = {"block": "Block", "warn": "Warning", "info": "Information"}


def _label(code: str, labels: dict[str, str]) -> str:
    return labels.get(code, code.replace("_", " ").capitalize())


def _when(name: str | None, at: dt.datetime | None) -> str:
    """``Name, dd/mm/yyyy HH:MM`` as escaped markup, either part optional."""
    parts = [para(name)] if clean(name) else []
    if at is not None:
        parts.append(fmt_datetime(at))
    return ", ".join(parts)


class MinutesPdf(PdfRenderer):
    """The minutes of one panel meeting."""

    def __init__(self, doc: MinutesDocument) -> None:
        self.doc = doc

    # -- steps ------------------------------------------------------------------------------

    def title(self) -> str:
        """``Minutes: CIN panel, 09/11/2026``."""
        panel = self.doc.panel
        return f"Minutes: {clean(panel.meeting_name)}, {fmt_date(panel.starts_at.date())}"

    def subject(self) -> str:
        """Which meeting, where, under which protocol profile."""
        panel = self.doc.panel
        return (
            f"Minutes of the {clean(panel.meeting_name)} held on "
            f"{fmt_date(panel.starts_at.date())} at {fmt_time(panel.starts_at)}, "
            f"{clean(panel.venue)} ({clean(self.doc.profile_name)})"
        )

    def generated_at(self) -> dt.datetime:
        """When the minutes were gathered from the database."""
        return self.doc.generated_at

    def footer_note(self) -> str:
        """Generated when, and by whom."""
        by = clean(self.doc.generated_by)
        note = super().footer_note()
        return f"{note} by {by}" if by else note

    def stylesheet(self) -> StyleSheet1:
        """The base styles plus a heading for each agenda item."""
        sheet = super().stylesheet()
        sheet.add(ParagraphStyle("Item", parent=sheet["Heading2"], spaceBefore=24))
        return sheet

    def story(self, styles: StyleSheet1) -> list[Flowable]:
        """Heading, attendance, a summary of decisions, then each item in full."""
        story: list[Flowable] = []
        story += self._heading(styles)
        story += self._attendance(styles)
        story += self._summary(styles)
        for item in self.doc.items:
            story += self._item(item, styles)
        story.append(
            HRFlowable(width="100%", thickness=0.6, color=RULE, spaceBefore=10, spaceAfter=4)
        )
        story.append(Paragraph("End of minutes.", styles["Muted"]))
        return story

    # -- parts ------------------------------------------------------------------------------

    def _field(self, label: str, value: str, styles: StyleSheet1) -> Paragraph:
        """A label in the left column, ``value`` (markup, already escaped) beside it."""
        return Paragraph(value, styles["Field"], bulletText=label)

    def _heading(self, styles: StyleSheet1) -> list[Flowable]:
        panel = self.doc.panel
        time = fmt_time(panel.starts_at)
        if panel.finished_at is not None:
            time = f"{time} to {fmt_time(panel.finished_at)}"
        return [
            Paragraph(f"Minutes: {para(panel.meeting_name)}", styles["Title"]),
            self._field("Date", fmt_date(panel.starts_at.date()), styles),
            self._field("Time", time, styles),
            self._field("Venue", para(panel.venue, "Not recorded"), styles),
            self._field("Chair", para(panel.chair_name, "Not recorded"), styles),
            self._field("Protocol", para(self.doc.profile_name), styles),
        ]

    def _attendance(self, styles: StyleSheet1) -> list[Flowable]:
        out: list[Flowable] = [Paragraph("Attendance", styles["Heading2"])]
        if self.doc.present:
            rows = [self._attendee(a, styles) for a in self.doc.present]
            out.append(
                self.table(
                    ["Present", "Job title", "At the panel as"], rows, [0.32, 0.43, 0.25], styles
                )
            )
            out.append(Spacer(0, 3 * mm))
        else:
            out.append(self._field("Present", "No attendance recorded", styles))
        everyone_else = self.doc.apologies + self.doc.absent
        groups = [
            ("Apologies", [a for a in everyone_else if a.status == "apologies"]),
            ("Absent", [a for a in everyone_else if a.status == "absent"]),
            ("Not recorded", [a for a in everyone_else if a.status not in ("apologies", "absent")]),
        ]
        for label, people in groups:
            if label == "Apologies" or people:
                names = "; ".join(self._attendee_line(a) for a in people) or "None"
                out.append(self._field(label, names, styles))
        return out

    def _attendee(self, a: AttendanceRow, styles: StyleSheet1) -> list[Flowable]:
        cell = styles["Cell"]
        return [
            Paragraph(para(a.name), cell),
            Paragraph(para(a.job_title), cell),
            Paragraph(_label(a.panel_role, _PANEL_ROLES), cell),
        ]

    def _attendee_line(self, a: AttendanceRow) -> str:
        extra = [para(a.job_title)] if clean(a.job_title) else []
        if a.panel_role and a.panel_role != "member":
            extra.append(_label(a.panel_role, _PANEL_ROLES).lower())
        return para(a.name) + (f" ({', '.join(extra)})" if extra else "")

    def _summary(self, styles: StyleSheet1) -> list[Flowable]:
        out: list[Flowable] = [Paragraph("Summary of decisions", styles["Heading2"])]
        if not self.doc.items:
            out.append(Paragraph("There were no items on the agenda.", styles["Body"]))
            return out
        cell = styles["Cell"]
        rows: list[list[Flowable]] = []
        for item in self.doc.items:
            r = item.row
            outcome = item.decision.outcome_label if item.decision else None
            rows.append(
                [
                    Paragraph(str(r.position), cell),
                    Paragraph(f"{para(r.subject_name)}<br/>{para(r.case_reference)}", cell),
                    Paragraph(para(r.movement_label), cell),
                    Paragraph(para(outcome, f"<i>{NO_DECISION}</i>"), cell),
                ]
            )
        out.append(
            self.table(
                ["No.", "Subject and case", "Request", "Outcome"],
                rows,
                [0.07, 0.38, 0.2, 0.35],
                styles,
            )
        )
        return out

    def _item(self, item: MinutesItem, styles: StyleSheet1) -> list[Flowable]:
        r = item.row
        heading = f"{r.position}. {para(r.subject_name)} ({para(r.case_reference)})"
        slot = f"{fmt_time(r.slot_start)}, {r.slot_minutes} minutes"
        movement = f"{para(r.movement_label)}: {para(r.from_plan_name)} → {para(r.to_plan_name)}"
        # The heading and the request read as one block: never a heading alone at the foot
        # of a page. (A separator rule here doubled up with the table rule above it.)
        out: list[Flowable] = [
            KeepTogether(
                [
                    Paragraph(heading, styles["Item"]),
                    Paragraph(f"Agenda slot {slot}", styles["Muted"]),
                    Paragraph("Request", styles["Heading3"]),
                    self._field("Movement", movement, styles),
                    self._field("Presented by", para(r.presenter_name, "Not recorded"), styles),
                    *self._text_field("Reasons", item.reasons, styles, "None given"),
                ]
            ),
            Paragraph("Minute notes", styles["Heading3"]),
        ]
        out += self.text_block(item.notes, styles["Body"], placeholder="No notes recorded.")
        out.append(Paragraph("Decision", styles["Heading3"]))
        if item.decision is None:
            out.append(Paragraph(NO_DECISION, styles["Body"]))
        else:
            out += self._decision(item.decision, styles)
        return out

    def _text_field(
        self, label: str, text: str | None, styles: StyleSheet1, placeholder: str = ""
    ) -> list[Flowable]:
        """Free text beside a label, line by line so that long text splits cheaply."""
        return self.text_block(text, styles["Field"], label=label, placeholder=placeholder)

    def _decision(self, d: DecisionView, styles: StyleSheet1) -> list[Flowable]:
        field, text = self._field, self._text_field
        out: list[Flowable] = [
            field("Outcome", f"<b>{para(d.outcome_label)}</b>", styles),
            *text("Rationale", d.rationale, styles, "None recorded"),
        ]
        short = [
            ("Effective from", fmt_date(d.effective_on, "")),
            ("Review date", fmt_date(d.review_on, "")),
            ("Lead professional", para(d.lead_professional)),
            ("Receiving team", para(d.receiving_team)),
        ]
        out += [field(label, value, styles) for label, value in short if value]
        out += text("Exit strategy", d.exit_strategy, styles)
        out += text("Dissent", d.dissent, styles)
        out.append(field("Decided by", _when(d.decided_by, d.decided_at) or "Not recorded", styles))
        if d.findings:
            out.append(Paragraph("Protocol findings acknowledged", styles["Heading3"]))
            out.append(self._findings(d.findings, styles))
        if clean(d.override_reason):
            out.append(Paragraph("Override", styles["Heading3"]))
            out += text("Reason", d.override_reason, styles)
            out.append(
                field(
                    "Authorised by", _when(d.override_by, d.override_at) or "Not recorded", styles
                )
            )
        if d.actions:
            out.append(Paragraph("Actions", styles["Heading3"]))
            out.append(self._actions(d.actions, styles))
        return out

    def _findings(self, findings: list[Finding], styles: StyleSheet1) -> Flowable:
        cell = styles["Cell"]
        rows = [
            [
                Paragraph(para(f.rule), styles["Code"]),
                Paragraph(_label(f.severity, _SEVERITIES), cell),
                Paragraph(para(f.message), cell),
                Paragraph(para(f.citation), cell),
            ]
            for f in findings
        ]
        return self.table(
            ["Rule", "Severity", "Finding", "Source"], rows, [0.23, 0.12, 0.48, 0.17], styles
        )

    def _actions(self, actions: list[ActionRow], styles: StyleSheet1) -> Flowable:
        cell = styles["Cell"]
        rows = [
            [
                Paragraph(para(a.description), cell),
                Paragraph(para(a.owner_name), cell),
                Paragraph(fmt_date(a.due_on), cell),
                Paragraph(para(a.rule_id, "—"), styles["Code"]),
            ]
            for a in actions
        ]
        return self.table(["Action", "Owner", "Due", "Rule"], rows, [0.43, 0.2, 0.14, 0.23], styles)


def render_minutes(doc: MinutesDocument) -> bytes:
    """The minutes of a panel as PDF bytes (what the GUI and ``stepdesk pdf`` call)."""
    return MinutesPdf(doc).render()
