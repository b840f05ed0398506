"""The agenda pack of a panel, circulated 24 hours before the meeting (T-AGENDA-24H).

A cover page (panel, date, venue, chair, members, the agenda with slot times and presenters),
then one section per case: the subject, level and plan history, the request with its reasons
and triggers, consent, attachments, the rule findings known before the meeting and deadlines.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Paragraph

from reports.base import PdfRenderer
from reports.text import clean, fmt_date, fmt_datetime, fmt_time, para
from stepdesk.services.document_views import AgendaCase, AgendaDocument
from stepdesk.services.views import CaseSummary

_ROLES = {"chair": "Chair", "member": "Member", "presenter": "Presenter", "minutes": "Minutes"}
CASE_ROOM = 110 * mm
_SEVERITIES = {"block": "Block", "warn": "Warning", "info": "Information"}


def _size(size: int) -> str:
    if size <= 0:
        return "—"
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


class AgendaPdf(PdfRenderer):
    """The agenda pack of one panel meeting."""

    def __init__(self, doc: AgendaDocument) -> None:
        self.doc = doc

    def title(self) -> str:
        """``Agenda pack: CIN panel, 25/11/2026``."""
        p = self.doc.panel
        return (
            f"Agenda pack: {clean(p.meeting_name)}, {fmt_date(p.starts_at.date())} (panel {p.id})"
        )

    def subject(self) -> str:
        """Which meeting, where, and how many cases."""
        p = self.doc.panel
        return (
            f"Agenda and case papers for the {clean(p.meeting_name)} on "
            f"{fmt_date(p.starts_at.date())} at {fmt_time(p.starts_at)}, {clean(p.venue)}: "
            f"{len(self.doc.items)} cases"
        )

    def generated_at(self) -> dt.datetime:
        """When the pack was gathered."""
        return self.doc.generated_at

    def footer_note(self) -> str:
        """Generated when and by whom."""
        return f"{super().footer_note()} by {clean(self.doc.generated_by)}"

    def stylesheet(self) -> StyleSheet1:
        """Base styles plus a case heading."""
        sheet = super().stylesheet()
        sheet.add(ParagraphStyle("Case", parent=sheet["Heading2"], fontSize=15, leading=20))
        return sheet

    def story(self, styles: StyleSheet1) -> list[Flowable]:
        """Cover, agenda, then a section per case."""
        story = self._cover(styles)
        story += self._agenda(styles)
        for number, item in enumerate(self.doc.items):
            # The first case on a new page; the others on the same page when a good part of
            # it is left (most cases run a little over one page).
            story.append(PageBreak() if number == 0 else CondPageBreak(CASE_ROOM))
            story += self._case(item, styles)
        return story

    def _cover(self, styles: StyleSheet1) -> list[Flowable]:
        p = self.doc.panel
        field = self.field
        time = fmt_time(p.starts_at)
        if self.doc.items:
            last = self.doc.items[-1].row
            end = last.slot_start + dt.timedelta(minutes=last.slot_minutes)
            time = f"{time} to {fmt_time(end)}"
        out: list[Flowable] = [
            Paragraph(f"Agenda pack: {para(p.meeting_name)}", styles["Title"]),
            field("Date", fmt_date(p.starts_at.date()), styles),
            field("Time", time, styles),
            field("Venue", para(p.venue, "Not recorded"), styles),
            field("Chair", para(p.chair_name, "Not recorded"), styles),
            field("Protocol", para(self.doc.profile_name), styles),
            field("Panel id", str(p.id), styles),
        ]
        circulated = self.doc.circulated_at
        agenda_due = next((d for d in self.doc.deadlines if d.rule == "T-AGENDA-24H"), None)
        if agenda_due is not None:
            due = f"by {fmt_datetime(agenda_due.due)} (T-AGENDA-24H, {para(agenda_due.citation)})"
            status = f"circulated {fmt_datetime(circulated)}" if circulated else "not yet recorded"
            out.append(field("Circulation", f"Due {due}; {status}", styles))
        out.append(Paragraph("Members", styles["Heading2"]))
        if self.doc.members:
            rows = [
                self.cells(
                    styles,
                    para(m.name),
                    para(m.job_title),
                    para(_ROLES.get(m.panel_role, m.panel_role.capitalize())),
                )
                for m in self.doc.members
            ]
            out.append(self.table(["Name", "Job title", "Role"], rows, [0.35, 0.45, 0.2], styles))
        else:
            out.append(Paragraph("No members invited yet.", styles["Body"]))
        return out

    def _agenda(self, styles: StyleSheet1) -> list[Flowable]:
        out: list[Flowable] = [CondPageBreak(35 * mm), Paragraph("Agenda", styles["Heading2"])]
        if not self.doc.items:
            out.append(Paragraph("There are no items on the agenda yet.", styles["Body"]))
            return out
        rows = [
            self.cells(
                styles,
                str(r.position),
                f"{fmt_time(r.slot_start)}<br/>{r.slot_minutes} min",
                f"{para(r.subject_name)}<br/>{para(r.case_reference)}",
                f"{para(r.movement_label)}: {para(r.from_plan_name)} → {para(r.to_plan_name)}",
                para(r.presenter_name, "Not recorded"),
            )
            for r in (i.row for i in self.doc.items)
        ]
        out.append(
            self.table(
                ["No.", "Time", "Subject and case", "Request", "Presenter"],
                rows,
                [0.07, 0.11, 0.28, 0.32, 0.22],
                styles,
            )
        )
        return out

    def _case(self, item: AgendaCase, styles: StyleSheet1) -> list[Flowable]:
        r, c = item.row, item.case
        field = self.field
        born = fmt_date(c.date_of_birth, "Not recorded")
        if c.age is not None:
            born = f"{born} (age {c.age})"
        out: list[Flowable] = [
            Paragraph(
                f"{r.position}. {para(r.subject_name)} ({para(r.case_reference)})", styles["Case"]
            ),
            Paragraph(
                f"{fmt_time(r.slot_start)}, {r.slot_minutes} minutes · presented by "
                f"{para(r.presenter_name, 'not recorded')}",
                styles["Muted"],
            ),
            Paragraph("Subject", styles["Heading3"]),
            field("Date of birth", born, styles),
            field("Team", para(c.team), styles),
            field("Level", para(c.level_name), styles),
            field("Plan", para(c.plan_name), styles),
            field("Lead professional", para(c.lead_professional, "None named"), styles),
            field("Allocated worker", para(c.allocated_worker, "None"), styles),
        ]
        out += self._history(c, styles)
        out += self._request(c, styles)
        out += self._deadlines(c, styles)
        out += self._consent(c, styles)
        out += self._attachments(c, styles)
        out += self._findings(c, styles)
        return out

    def _history(self, c: CaseSummary, styles: StyleSheet1) -> list[Flowable]:
        out: list[Flowable] = [Paragraph("Level and plan history", styles["Heading3"])]
        if not c.history:
            return [*out, Paragraph("No history recorded.", styles["Body"])]
        out.append(self.history_table(c.history, styles, "now"))
        return out

    def _request(self, c: CaseSummary, styles: StyleSheet1) -> list[Flowable]:
        q = c.request
        out: list[Flowable] = [Paragraph("The request", styles["Heading3"])]
        if q is None:
            return [*out, Paragraph("No request.", styles["Body"])]
        field = self.field
        out.append(
            field(
                "Movement",
                f"{para(q.movement_label)}: {para(q.from_plan_name)} → {para(q.to_plan_name)}",
                styles,
            )
        )
        out += self.text_field("Reasons", q.reasons, styles, "None given")
        triggers = "; ".join(para(t) for t in q.triggers if clean(t))
        out.append(field("Triggers", triggers or "None recorded", styles))
        out.append(
            field(
                "Lead proposed",
                para(q.proposed_lead_professional, "None named"),
                styles,
            )
        )
        made = para(q.created_by, "Unknown")
        out.append(field("Made by", f"{made}, {fmt_datetime(q.created_at)}", styles))
        if q.qa_by or q.qa_at:
            out.append(
                field("Manager QA", f"{para(q.qa_by, 'Unknown')}, {fmt_datetime(q.qa_at)}", styles)
            )
            out += self.text_field("QA comment", q.qa_comment, styles)
        if clean(q.without_consent_reason):
            out += self.text_field("No consent: why", q.without_consent_reason, styles)
            out.append(
                field(
                    "Agreed with",
                    para(q.without_consent_manager, "Not recorded"),
                    styles,
                )
            )
        return out

    def _consent(self, c: CaseSummary, styles: StyleSheet1) -> list[Flowable]:
        out: list[Flowable] = [Paragraph("Consent", styles["Heading3"])]
        if not c.consents:
            return [*out, Paragraph("No consent recorded.", styles["Body"])]
        rows = [
            self.cells(
                styles,
                fmt_date(k.given_on),
                para(k.purpose_label.capitalize()),
                para(k.kind.capitalize()),
                para(k.given_by),
                para(k.note),
            )
            for k in c.consents
        ]
        out.append(
            self.table(
                ["Date", "For", "How", "Given by", "Note"],
                rows,
                [0.13, 0.2, 0.12, 0.25, 0.3],
                styles,
            )
        )
        return out

    def _attachments(self, c: CaseSummary, styles: StyleSheet1) -> list[Flowable]:
        out: list[Flowable] = [Paragraph("Attachments", styles["Heading3"])]
        attachments = c.request.attachments if c.request else []
        if not attachments:
            return [*out, Paragraph("None attached.", styles["Body"])]
        rows = [
            self.cells(
                styles,
                para(a.kind_label),
                para(a.title),
                para(a.filename, "—"),
                _size(a.size),
            )
            for a in attachments
        ]
        out.append(
            self.table(["Kind", "Title", "File", "Size"], rows, [0.25, 0.35, 0.27, 0.13], styles)
        )
        return out

    def _findings(self, c: CaseSummary, styles: StyleSheet1) -> list[Flowable]:
        out: list[Flowable] = [
            Paragraph("Protocol findings before the meeting", styles["Heading3"])
        ]
        if not c.findings:
            return [*out, Paragraph("No findings: the request meets the protocol.", styles["Body"])]
        rows = [
            [
                Paragraph(para(f.rule), styles["Code"]),
                *self.cells(
                    styles,
                    _SEVERITIES.get(f.severity, f.severity),
                    para(f.message),
                    para(f.citation),
                ),
            ]
            for f in c.findings
        ]
        out.append(
            self.table(
                ["Rule", "Severity", "Finding", "Source"], rows, [0.24, 0.15, 0.44, 0.17], styles
            )
        )
        return out

    def _deadlines(self, c: CaseSummary, styles: StyleSheet1) -> list[Flowable]:
        """The deadlines on one line: rule, when due, done or open."""
        if not c.deadlines:
            return []
        parts = [
            f"{para(d.rule)} {fmt_datetime(d.due)} ({'done' if d.done else 'open'})"
            for d in c.deadlines
        ]
        return [self.field("Deadlines", "; ".join(parts), styles)]


def render_agenda(doc: AgendaDocument) -> bytes:
    """The agenda pack as PDF bytes."""
    return AgendaPdf(doc).render()
