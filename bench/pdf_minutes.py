"""Time the minutes PDF of a 30-item panel against a bare ReportLab document of the same text.

    .venv/bin/python bench/pdf_minutes.py [--repeat N]

Prints both medians (CPU time) and their ratio (issue target: StepDesk within 1.3x of the
bare document).
The bare document sets the same words in the same fonts and tables with plain ReportLab
(see ``bare``), without StepDesk's page furniture, page count, metadata or text cleaning.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, LongTable, Paragraph, SimpleDocTemplate

from reports import fonts
from reports.minutes import render_minutes
from stepdesk.demo import create_demo
from stepdesk.services import Workspace
from stepdesk.services.document_views import MinutesDocument
from stepdesk.services.minutes import minutes_document
from stepdesk.services.people import default_actor


def thirty_items(tmp: Path) -> MinutesDocument:
    """The demo's past panel (8 decided items), its items repeated to make 30."""
    db = create_demo(tmp / "bench.db", seed=1, today=dt.date(2026, 11, 23))
    ws = Workspace(db)
    doc = minutes_document(ws, default_actor(ws), 1)
    db.close()
    items = []
    for n in range(30):
        item = doc.items[n % len(doc.items)]
        items.append(dataclasses.replace(item, row=dataclasses.replace(item.row, position=n + 1)))
    return dataclasses.replace(doc, items=items)


def bare(doc: MinutesDocument) -> bytes:
    """The same words, fonts and tables as a plain ReportLab document.

    What a developer would write without StepDesk's renderer: the same DejaVu fonts (so the
    same font embedding), a paragraph per field and per line of notes, the same tables with
    wrapping cells and repeated headers. Left out: the page furniture (marking, title,
    "Page X of Y" and the two passes it needs), metadata, the DRAFT watermark and the
    cleaning in ``reports.text``.
    """
    family = fonts.register_fonts()
    sample = getSampleStyleSheet()
    body = ParagraphStyle("b", parent=sample["BodyText"], fontName=family, fontSize=10)
    cell = ParagraphStyle("c", parent=body, fontSize=9, leading=12)
    head = ParagraphStyle("h", parent=sample["Heading2"], fontName=fonts.BOLD)
    small = ParagraphStyle("s", parent=sample["Heading3"], fontName=fonts.BOLD)
    title = ParagraphStyle("t", parent=sample["Title"], fontName=fonts.BOLD)

    def p(text: str | None, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text or ""), style)

    def field(label: str, value: str | None) -> Paragraph:
        return Paragraph(f"<b>{label}</b> {escape(value or '')}", body)

    def table(header: list[str], rows: list[list[str]], widths: list[float]) -> LongTable:
        data = [[p(h, cell) for h in header]] + [[p(c, cell) for c in row] for row in rows]
        t = LongTable(data, colWidths=[w * 170 * mm for w in widths], repeatRows=1)
        t.setStyle(
            [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.4, "grey")]
        )
        return t

    panel = doc.panel
    story: list[Flowable] = [p(f"Minutes: {panel.meeting_name}", title)]
    story += [
        field("Date", f"{panel.starts_at:%d/%m/%Y}"),
        field("Venue", panel.venue),
        field("Chair", panel.chair_name),
        field("Minutes taken by", doc.minutes_by),
        p("Attendance", head),
        table(
            ["Present", "Job title", "At the panel as"],
            [[a.name, a.job_title, a.panel_role] for a in doc.present],
            [0.32, 0.43, 0.25],
        ),
        field("Apologies", "; ".join(a.name for a in doc.apologies)),
    ]
    if doc.quoracy:
        story.append(p("Quoracy", head))
        story.append(
            table(
                ["Needed", "How many", "Who came", "Met"],
                [
                    [q.who, str(q.needed), "; ".join(q.met_by), str(q.met)]
                    for q in doc.quoracy.parts
                ],
                [0.4, 0.12, 0.36, 0.12],
            )
        )
    story.append(p("Summary of decisions", head))
    story.append(
        table(
            ["No.", "Subject and case", "Request", "Outcome"],
            [
                [
                    str(i.row.position),
                    f"{i.row.subject_name} {i.row.case_reference}",
                    i.row.movement_label,
                    i.decision.outcome_label if i.decision else "",
                ]
                for i in doc.items
            ],
            [0.07, 0.38, 0.2, 0.35],
        )
    )
    actions: list[list[str]] = []
    for item in doc.items:
        row, decision = item.row, item.decision
        story.append(p(f"{row.position}. {row.subject_name} ({row.case_reference})", head))
        story.append(p(f"Agenda slot {row.slot_start:%H:%M}, {row.slot_minutes} minutes"))
        story.append(p("Request", small))
        story.append(
            field("Movement", f"{row.movement_label}: {row.from_plan_name} to {row.to_plan_name}")
        )
        story.append(field("Presented by", row.presenter_name))
        story += [field("Reasons", line) for line in item.reasons.splitlines()]
        story.append(p("Minute notes", small))
        story += [p(line) for line in item.notes.splitlines()]
        story.append(p("Decision", small))
        if decision is None:
            continue
        story.append(field("Outcome", decision.outcome_label))
        story += [field("Rationale", line) for line in decision.rationale.splitlines()]
        story.append(field("Effective from", f"{decision.effective_on}"))
        story.append(field("Lead professional", decision.lead_professional))
        story.append(field("Decided by", decision.decided_by))
        if decision.findings:
            story.append(p("Protocol findings acknowledged", small))
            story.append(
                table(
                    ["Rule", "Severity", "Finding", "Source"],
                    [[f.rule, f.severity, f.message, f.citation] for f in decision.findings],
                    [0.23, 0.12, 0.48, 0.17],
                )
            )
        if decision.override_reason:
            story.append(p("Override", small))
            story.append(field("Reason", decision.override_reason))
            story.append(field("Authorised by", decision.override_by))
        actions += [
            [
                str(row.position),
                a.description,
                a.owner_name,
                f"{a.due_on:%d/%m/%Y}",
                a.rule_id or "",
            ]
            for a in decision.actions
        ]
    story.append(p("Action log", head))
    story.append(
        table(["No.", "Action", "Owner", "Due", "Rule"], actions, [0.07, 0.4, 0.2, 0.13, 0.2])
    )
    story.append(p("Chair's approval", head))
    story.append(field("Chair", panel.chair_name))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(story)
    return out.getvalue()


def interleaved_medians(
    first: Callable[[], object], second: Callable[[], object], repeat: int
) -> tuple[float, float]:
    """Median CPU seconds of each, timed turn about so that machine load hits both alike.

    CPU time of this process rather than wall time: on a busy machine (a test suite
    running beside it) wall time swings by half; CPU time barely moves.
    """
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeat):
        for func, times in ((first, a), (second, b)):
            start = time.process_time()
            func()
            times.append(time.process_time() - start)
    return statistics.median(a), statistics.median(b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        doc = thirty_items(Path(tmp))
    render_minutes(doc)  # warm up: font registration, imports
    bare(doc)
    ours, plain = interleaved_medians(lambda: render_minutes(doc), lambda: bare(doc), args.repeat)
    print(f"items: {len(doc.items)}  repeats: {args.repeat}")
    print(f"StepDesk minutes PDF: {ours * 1000:8.1f} ms")
    print(f"bare ReportLab PDF:   {plain * 1000:8.1f} ms")
    print(f"ratio:                {ours / plain:8.2f}x (target <= 1.30x)")


if __name__ == "__main__":
    main()
