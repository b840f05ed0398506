"""The minutes of a panel meeting as a PDF (T-MINUTES-48H: uploaded within 48 hours).

The GUI and the command line call :func:`render_minutes` with the
:class:`~stepdesk.services.views.MinutesDocument` that
:func:`stepdesk.services.minutes.minutes_document` gathers.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, HRFlowable, Paragraph, Spacer

from reports.base import RULE, PdfRenderer
from reports.text import clean, fmt_date, fmt_datetime, fmt_time, para
from stepdesk.rules import Finding
from stepdesk.services.document_views import (
    DecisionChangeRow,
    DissentRow,
    MinutesDocument,
    MinutesItem,
)
from stepdesk.services.views import AttendanceRow, DecisionView

NO_DECISION = "No decision recorded"
# Room an item's heading, slot, request fields and first lines of notes need (points).
ITEM_HEAD_ROOM = 62 * mm

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
        """Generated when, and by whom; which approved version, or DRAFT."""
        by = clean(self.doc.generated_by)
        note = super().footer_note()
        note = f"{note} by {by}" if by else note
        approval = self.doc.approval
        panel = f"Panel {self.doc.panel.id}"
        if approval is None:
            return f"{panel}, DRAFT, not approved. {note}"
        return f"{panel}, approved version {approval.version}. {note}"

    def watermark(self) -> str | None:
        """``DRAFT`` across every page until the chair approves the minutes."""
        return None if self.doc.approval else "DRAFT"

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
        story += self._quoracy(styles)
        story += self._summary(styles)
        story += self._not_decided(styles)
        story += self._overrides(styles)
        for item in self.doc.items:
            story += self._item(item, styles)
        story += self._action_log(styles)
        story += self._approval(styles)
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
            self._field("Minutes taken by", para(self.doc.minutes_by, "Not recorded"), styles),
            self._field("Protocol", para(self.doc.profile_name), styles),
            self._field("Status", self._status_line(), styles),
            *self._correction(styles),
        ]

    def _correction(self, styles: StyleSheet1) -> list[Flowable]:
        """On page 1 of a correction: what it changes (the chair's change note)."""
        approval = self.doc.approval
        if approval is None or approval.version < 2 or not clean(approval.change_note):
            return []
        return self._text_field("Correction", approval.change_note, styles)

    def _status_line(self) -> str:
        approval = self.doc.approval
        if approval is None:
            if self.doc.versions:
                last = self.doc.versions[-1]
                return (
                    f"<b>DRAFT correction</b> of approved version {last.version}: "
                    "not yet approved by the chair"
                )
            return "<b>DRAFT</b>: not yet approved by the chair (T-MINUTES-48H)"
        return (
            f"<b>Approved</b>, version {approval.version}, by {para(approval.approved_by)} "
            f"on {fmt_datetime(approval.approved_at)}"
        )

    def _quoracy(self, styles: StyleSheet1) -> list[Flowable]:
        q = self.doc.quoracy
        if q is None:
            return []
        out: list[Flowable] = [Paragraph("Quoracy", styles["Heading2"])]
        verdict = "Quorate" if q.quorate else "<b>Not quorate</b>"
        out.append(self._field("Verdict", verdict, styles))
        if not q.parts:
            out.append(
                Paragraph("This meeting type has no quorum in the profile.", styles["Muted"])
            )
            return out
        cell = styles["Cell"]
        rows = [
            [
                Paragraph(para(p.who), cell),
                Paragraph(str(p.needed), cell),
                Paragraph(para("; ".join(p.met_by), "<i>Nobody present</i>"), cell),
                Paragraph("Met" if p.met else "<b>Not met</b>", cell),
            ]
            for p in q.parts
        ]
        out.append(
            self.table(
                ["Needed", "How many", "Who came", "Met"], rows, [0.4, 0.12, 0.36, 0.12], styles
            )
        )
        return out

    def _not_decided(self, styles: StyleSheet1) -> list[Flowable]:
        """Items not reached, held back or carried forward, and where each went."""
        finished = self.doc.panel.finished_at is not None
        rows: list[list[Flowable]] = []
        cell = styles["Cell"]
        for item in self.doc.items:
            state = self._undecided_state(item, finished)
            if state is None:
                continue
            where, why = state
            r = item.row
            rows.append(
                [
                    Paragraph(str(r.position), cell),
                    Paragraph(f"{para(r.subject_name)}<br/>{para(r.case_reference)}", cell),
                    Paragraph(where, cell),
                    Paragraph(why, cell),
                ]
            )
        if not rows:
            return []
        return [
            Paragraph("Items not decided", styles["Heading2"]),
            self.table(
                ["No.", "Subject and case", "What happened", "Reason"],
                rows,
                [0.07, 0.3, 0.33, 0.3],
                styles,
            ),
        ]

    @staticmethod
    def _undecided_state(item: MinutesItem, finished: bool) -> tuple[str, str] | None:
        if item.decision is not None:
            return None
        if item.carried_forward_to:
            return (
                f"Carried forward to {para(item.carried_forward_to)}",
                para(item.carry_reason, "No reason recorded"),
            )
        if item.held_back_reason or item.row.status == "held_back":
            return "Held back (not ready)", para(item.held_back_reason, "No reason recorded")
        if finished:
            return "Not reached", para(item.carry_reason, "The meeting ended before this item")
        return None

    def _overrides(self, styles: StyleSheet1) -> list[Flowable]:
        cell = styles["Cell"]
        rows: list[list[Flowable]] = []
        for item in self.doc.items:
            d = item.decision
            if d is None or not clean(d.override_reason):
                continue
            blocks = ", ".join(f.rule for f in d.findings if f.severity == "block")
            rows.append(
                [
                    Paragraph(str(item.row.position), cell),
                    Paragraph(para(blocks, "—"), styles["Code"]),
                    Paragraph(para(d.override_reason), cell),
                    Paragraph(_when(d.override_by, d.override_at) or "Not recorded", cell),
                ]
            )
        if not rows:
            return []
        return [
            Paragraph("Protocol overrides", styles["Heading2"]),
            self.table(
                ["No.", "Rule overridden", "Reason", "Authorised by"],
                rows,
                [0.07, 0.25, 0.4, 0.28],
                styles,
            ),
        ]

    def _action_log(self, styles: StyleSheet1) -> list[Flowable]:
        cell = styles["Cell"]
        rows: list[list[Flowable]] = []
        for item in self.doc.items:
            for a in item.decision.actions if item.decision else []:
                rows.append(
                    [
                        Paragraph(str(item.row.position), cell),
                        Paragraph(para(a.description), cell),
                        Paragraph(para(a.owner_name), cell),
                        Paragraph(fmt_date(a.due_on), cell),
                        Paragraph(para(a.rule_id, "—"), styles["Code"]),
                    ]
                )
        out: list[Flowable] = [Paragraph("Action log", styles["Heading2"])]
        if not rows:
            out.append(Paragraph("No actions were set.", styles["Body"]))
            return out
        out.append(
            self.table(
                ["No.", "Action", "Owner", "Due", "Rule"],
                rows,
                [0.07, 0.4, 0.2, 0.13, 0.2],
                styles,
            )
        )
        return out

    def _approval(self, styles: StyleSheet1) -> list[Flowable]:
        out: list[Flowable] = [Paragraph("Chair's approval", styles["Heading2"])]
        approval = self.doc.approval
        if approval is None:
            out.append(
                Paragraph(
                    "These minutes are a <b>draft</b>. They are final only when the chair "
                    "approves them in StepDesk; the approved version is then kept unchanged.",
                    styles["Body"],
                )
            )
            out.append(self._field("Chair", para(self.doc.panel.chair_name), styles))
        else:
            out.append(
                self._field(
                    "Approved by", _when(approval.approved_by, approval.approved_at), styles
                )
            )
            out.append(self._field("Version", str(approval.version), styles))
            if approval.change_note:
                out += self._text_field("What changed", approval.change_note, styles)
        if len(self.doc.versions) > (0 if approval is None else 1):
            cell = styles["Cell"]
            rows = [
                [
                    Paragraph(str(v.version), cell),
                    Paragraph(_when(v.approved_by, v.approved_at), cell),
                    Paragraph(para(v.change_note, "First approved version"), cell),
                ]
                for v in self.doc.versions
            ]
            out.append(Paragraph("Versions", styles["Heading3"]))
            out.append(
                self.table(
                    ["Version", "Approved by", "What changed"], rows, [0.12, 0.38, 0.5], styles
                )
            )
        return out

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
            outcome = para(item.decision.outcome_label if item.decision else None)
            if outcome and item.changes:
                outcome += f"<br/><i>changed after approval: see item {r.position}</i>"
            rows.append(
                [
                    Paragraph(str(r.position), cell),
                    Paragraph(f"{para(r.subject_name)}<br/>{para(r.case_reference)}", cell),
                    Paragraph(para(r.movement_label), cell),
                    Paragraph(outcome or f"<i>{NO_DECISION}</i>", cell),
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
        # Never a heading alone at the foot of a page: start the item on a new page unless
        # its heading and request fit. A conditional break, not KeepTogether, which would lay
        # the block out twice (bench/pdf_minutes.py). (A separator rule here doubled up with
        # the table rule above it.)
        out: list[Flowable] = [
            CondPageBreak(ITEM_HEAD_ROOM),
            Paragraph(heading, styles["Item"]),
            Paragraph(f"Agenda slot {slot}", styles["Muted"]),
            Paragraph("Request", styles["Heading3"]),
            self._field("Movement", movement, styles),
            self._field("Presented by", para(r.presenter_name, "Not recorded"), styles),
            *self._text_field("Reasons", item.reasons, styles, "None given"),
            Paragraph("Minute notes", styles["Heading3"]),
        ]
        out += self.text_block(item.notes, styles["Body"], placeholder="No notes recorded.")
        out.append(Paragraph("Decision", styles["Heading3"]))
        if item.decision is None:
            out.append(Paragraph(NO_DECISION, styles["Body"]))
            state = self._undecided_state(item, self.doc.panel.finished_at is not None)
            if state is not None:
                out.append(self._field("What happened", state[0], styles))
                out.append(self._field("Reason", state[1], styles))
        else:
            out += self._decision(item.decision, styles, item.dissents)
        out += self._history(item.changes, styles)
        return out

    def _history(self, changes: list[DecisionChangeRow], styles: StyleSheet1) -> list[Flowable]:
        """A decision changed after approval: what was decided first, each change, who, why."""
        if not changes:
            return []
        first = changes[0]
        was = (
            f"<b>{para(first.before_outcome)}</b>: {para(first.before_rationale, '')}"
            if first.before_outcome
            else "No decision"
        )
        cell = styles["Cell"]
        rows = [
            [
                Paragraph(fmt_datetime(c.changed_at), cell),
                Paragraph(para(c.changed_by), cell),
                Paragraph(f"<b>{para(c.before_outcome, 'No decision')}</b>", cell),
                Paragraph(f"<b>{para(c.after_outcome)}</b>: {para(c.after_rationale)}", cell),
                Paragraph(para(c.reason), cell),
            ]
            for c in changes
        ]
        return [
            Paragraph(
                "Decision history: changed after the minutes were approved", styles["Heading3"]
            ),
            self._field(f"Approved in version {first.against_version}", was, styles),
            self.table(
                ["Changed", "By", "Was", "Now", "Reason for the change"],
                rows,
                [0.14, 0.16, 0.17, 0.28, 0.25],
                styles,
            ),
        ]

    def _text_field(
        self, label: str, text: str | None, styles: StyleSheet1, placeholder: str = ""
    ) -> list[Flowable]:
        """Free text beside a label, line by line so that long text splits cheaply."""
        return self.text_block(text, styles["Field"], label=label, placeholder=placeholder)

    def _decision(
        self, d: DecisionView, styles: StyleSheet1, dissents: list[DissentRow] | None = None
    ) -> list[Flowable]:
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
        if not dissents:
            # A decision recorded before named dissent: its free text.
            dissents = [DissentRow("", d.dissent or "")] if clean(d.dissent) else []
        for dissent in dissents:
            label = "Dissent"
            if clean(dissent.name):
                out.append(field(label, f"<b>{para(dissent.name)}</b> disagreed:", styles))
                label = ""
            out += text(label, dissent.view, styles)
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
            count = len(d.actions)
            noun = "action" if count == 1 else "actions"
            out.append(field("Actions", f"{count} {noun}: see the action log", styles))
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
            ["Rule", "Severity", "Finding", "Source"], rows, [0.24, 0.15, 0.44, 0.17], styles
        )


def render_minutes(doc: MinutesDocument) -> bytes:
    """The minutes of a panel as PDF bytes (what the GUI and ``stepdesk pdf`` call)."""
    return MinutesPdf(doc).render()
