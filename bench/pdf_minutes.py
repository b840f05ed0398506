"""Time the minutes PDF of a 30-item panel against a bare ReportLab document of the same text.

    .venv/bin/python bench/pdf_minutes.py [--repeat N]

Prints both medians and their ratio (issue target: StepDesk within 1.3x of the bare document).
The bare document sets the same words with ReportLab's built-in Helvetica, plain Paragraphs
and one Table per item, without the escaping helper, fonts, page furniture or page count.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import io
import statistics
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from reports.minutes import render_minutes
from stepdesk.demo import create_demo
from stepdesk.services import Workspace
from stepdesk.services.minutes import minutes_document
from stepdesk.services.people import default_actor
from stepdesk.services.views import MinutesDocument


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
    """The same words as a plain ReportLab document."""
    styles = getSampleStyleSheet()
    body, head = styles["BodyText"], styles["Heading2"]
    story = [Paragraph(escape(f"Minutes: {doc.panel.meeting_name}"), styles["Title"])]
    story += [Paragraph(escape(f"{a.name}, {a.job_title}"), body) for a in doc.present]
    for item in doc.items:
        row, decision = item.row, item.decision
        story.append(Paragraph(escape(f"{row.position}. {row.subject_name}"), head))
        story.append(
            Paragraph(
                escape(f"{row.movement_label}: {row.from_plan_name} to {row.to_plan_name}"), body
            )
        )
        story.append(Paragraph(escape(item.reasons), body))
        story.append(Paragraph(escape(item.notes), body))
        if decision:
            story.append(Paragraph(escape(f"{decision.outcome_label}: {decision.rationale}"), body))
            story += [Paragraph(escape(f.message), body) for f in decision.findings]
            if decision.actions:
                data = [["Action", "Owner", "Due", "Rule"]] + [
                    [
                        Paragraph(escape(a.description), body),
                        a.owner_name,
                        f"{a.due_on:%d/%m/%Y}",
                        a.rule_id or "",
                    ]
                    for a in decision.actions
                ]
                story.append(Table(data, repeatRows=1))
        story.append(Spacer(1, 12))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(story)
    return out.getvalue()


def median_seconds(func, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        doc = thirty_items(Path(tmp))
    render_minutes(doc)  # warm up: font registration, imports
    bare(doc)
    ours = median_seconds(lambda: render_minutes(doc), args.repeat)
    plain = median_seconds(lambda: bare(doc), args.repeat)
    print(f"items: {len(doc.items)}  repeats: {args.repeat}")
    print(f"StepDesk minutes PDF: {ours * 1000:8.1f} ms")
    print(f"bare ReportLab PDF:   {plain * 1000:8.1f} ms")
    print(f"ratio:                {ours / plain:8.2f}x (target <= 1.30x)")


if __name__ == "__main__":
    main()
