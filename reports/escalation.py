"""The escalation summary (T-ESCALATE-24H).

When a panel cannot agree, the referring manager takes the case to the Operations / Strategic
Manager within 24 hours. One or two pages: the disagreement, each side's view, the deadline,
and the outcome once resolved.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib import colors
from reportlab.lib.styles import StyleSheet1
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from reports.base import INK, SHADE, PdfRenderer
from reports.text import clean, fmt_date, fmt_datetime, para
from stepdesk.services.document_views import EscalationDocument


class EscalationPdf(PdfRenderer):
    """One escalation's summary."""

    def __init__(self, doc: EscalationDocument) -> None:
        self.doc = doc

    def title(self) -> str:
        """``Escalation 3: Siân Booth (C-100123)``."""
        d = self.doc
        return f"Escalation {d.id}: {clean(d.subject_name)} ({clean(d.case_reference)})"

    def subject(self) -> str:
        """To whom, by when, under which rule."""
        d = self.doc
        return (
            f"Escalation summary for {clean(d.escalated_to)}, due {fmt_datetime(d.due_at)} "
            f"({d.deadline.rule}, {clean(d.deadline.citation)})"
        )

    def generated_at(self) -> dt.datetime:
        """When the summary was made."""
        return self.doc.generated_at

    def footer_note(self) -> str:
        """Generated when and by whom."""
        return f"{super().footer_note()} by {clean(self.doc.generated_by)}"

    def _deadline_box(self, styles: StyleSheet1) -> Flowable:
        d = self.doc
        status = (
            f"Resolved {fmt_datetime(d.resolved_at)}"
            if d.status == "resolved"
            else "Open: awaiting a decision"
        )
        text = (
            f"<b>Decision needed from {para(d.escalated_to)} by {fmt_datetime(d.due_at)}</b><br/>"
            f"{para(d.deadline.rule)}: {para(d.deadline.what)} ({para(d.deadline.citation)}). "
            f"{status}."
        )
        box = Table([[Paragraph(text, styles["Body"])]], colWidths=[self.frame_width])
        box.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                    ("BOX", (0, 0), (-1, -1), 0.8, INK),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                    ("LINEBEFORE", (0, 0), (0, -1), 4, colors.HexColor("#b00020")),
                ]
            )
        )
        return box

    def story(self, styles: StyleSheet1) -> list[Flowable]:
        """Deadline, case, the disagreement, each side's view, outcome."""
        d, field = self.doc, self.field
        out: list[Flowable] = [
            Paragraph(f"Escalation summary: {para(d.subject_name)}", styles["Title"]),
            self._deadline_box(styles),
            Paragraph("The case", styles["Heading2"]),
            field("Case", para(d.case_reference), styles),
            field("Team", para(d.team), styles),
            field("Level and plan", f"{para(d.level_name)}; {para(d.plan_name)}", styles),
        ]
        if d.request_label:
            out.append(field("Request", para(d.request_label), styles))
        if d.meeting_name:
            out.append(
                field("Panel", f"{para(d.meeting_name)}, {fmt_date(d.meeting_date)}", styles)
            )
        if d.decision_outcome:
            out.append(field("Panel outcome", para(d.decision_outcome), styles))
        out.append(
            field(
                "Raised by",
                f"{para(d.raised_by, 'Not recorded')}, {fmt_datetime(d.raised_at)}",
                styles,
            )
        )
        out.append(field("Escalated to", para(d.escalated_to), styles))
        out.append(Paragraph("The disagreement", styles["Heading2"]))
        out += self.text_block(d.disagreement, styles["Body"], placeholder="<i>Not recorded.</i>")
        out.append(Paragraph("Each side's view", styles["Heading2"]))
        if not d.views:
            out.append(Paragraph("No views recorded.", styles["Body"]))
        for number, v in enumerate(d.views, start=1):
            side = para(v.side, f"Side {number}")
            who = f" ({para(v.who)})" if clean(v.who) else ""
            out.append(Paragraph(f"{side}{who}", styles["Heading3"]))
            out += self.text_block(v.view, styles["Body"], placeholder="<i>No view given.</i>")
        out.append(Paragraph("Outcome", styles["Heading2"]))
        if d.status == "resolved":
            out.append(
                field(
                    "Decided by",
                    f"{para(d.resolved_by, 'Not recorded')}, {fmt_datetime(d.resolved_at)}",
                    styles,
                )
            )
            out += self.text_field("Decision", d.resolution, styles, "Not recorded")
        else:
            out.append(
                Paragraph(
                    f"Not yet decided. {para(d.escalated_to)} records the decision in StepDesk.",
                    styles["Body"],
                )
            )
        return out


def render_escalation(doc: EscalationDocument) -> bytes:
    """The escalation summary as PDF bytes."""
    return EscalationPdf(doc).render()
