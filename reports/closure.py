"""The closure summary of a case (seed 001 §3).

Needs at the start, what was done, outcomes, the exit questionnaire, and who authorised the
closure and when.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.styles import StyleSheet1
from reportlab.platypus import Flowable, Paragraph

from reports.base import PdfRenderer
from reports.text import clean, fmt_date, fmt_datetime, para
from stepdesk.services.document_views import ClosureDocument


class ClosurePdf(PdfRenderer):
    """One case's closure summary."""

    def __init__(self, doc: ClosureDocument) -> None:
        self.doc = doc

    def title(self) -> str:
        """``Closure summary: Siân Booth (C-100123)``."""
        return f"Closure summary: {clean(self.doc.subject_name)} ({clean(self.doc.case_reference)})"

    def subject(self) -> str:
        """Which case, which team, when closed (001 §3)."""
        d = self.doc
        return (
            f"Closure summary of case {clean(d.case_reference)} (id {d.case_id}), "
            f"{clean(d.team)}, closed {fmt_date(d.closed_on)} (seed 001 §3)"
        )

    def generated_at(self) -> dt.datetime:
        """When the summary was made."""
        return self.doc.generated_at

    def footer_note(self) -> str:
        """Generated when and by whom."""
        return f"{super().footer_note()} by {clean(self.doc.generated_by)}"

    def story(self, styles: StyleSheet1) -> list[Flowable]:
        """Case, needs, work, outcomes, questionnaire, authorisation, history."""
        d, field = self.doc, self.field
        out: list[Flowable] = [
            Paragraph(f"Closure summary: {para(d.subject_name)}", styles["Title"]),
            field("Case", f"{para(d.case_reference)} (id {d.case_id})", styles),
            field("Date of birth", fmt_date(d.date_of_birth, "Not recorded"), styles),
            field("Team", para(d.team), styles),
            field("Level at closure", para(d.level_name), styles),
            field("Plan at closure", para(d.plan_name), styles),
            field("Lead professional", para(d.lead_professional, "None named"), styles),
            field(
                "Open", f"{fmt_date(d.opened_on)} to {fmt_date(d.closed_on, 'not closed')}", styles
            ),
        ]
        if d.decision_outcome:
            out.append(field("Panel decision", para(d.decision_outcome), styles))
        for heading, text in [
            ("Needs at the start", d.needs_at_start),
            ("What was done", d.work_done),
            ("Outcomes", d.outcomes),
        ]:
            out.append(Paragraph(heading, styles["Heading2"]))
            out += self.text_block(text, styles["Body"], placeholder="<i>Not recorded.</i>")
        out.append(Paragraph("Exit questionnaire", styles["Heading2"]))
        if d.questionnaire:
            rows = [self.cells(styles, para(q.question), para(q.answer)) for q in d.questionnaire]
            out.append(self.table(["Question", "The family's answer"], rows, [0.42, 0.58], styles))
        else:
            out.append(Paragraph("The family did not complete the questionnaire.", styles["Body"]))
        out.append(Paragraph("Authorisation", styles["Heading2"]))
        by = para(d.authorised_by, "Not yet authorised")
        at = f", {fmt_datetime(d.authorised_at)}" if d.authorised_at else ""
        out.append(field("Authorised by", by + at, styles))
        if d.history:
            out.append(Paragraph("Level and plan history", styles["Heading2"]))
            out.append(self.history_table(d.history, styles, "closure"))
        return out


def render_closure(doc: ClosureDocument) -> bytes:
    """The closure summary as PDF bytes."""
    return ClosurePdf(doc).render()
