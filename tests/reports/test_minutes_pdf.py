"""The minutes PDF: content of the demo panel, escaping, long documents, page furniture."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys

import pytest

from reports.base import PdfRenderer
from reports.minutes import NO_DECISION, MinutesPdf, render_minutes
from stepdesk.services import Actor, Workspace
from stepdesk.services.minutes import minutes_document
from tests.reports.report_helpers import (
    WHEN,
    assert_within_margins,
    attendee,
    item,
    minutes,
    read_pdf,
)

RIGHT_MARGIN = PdfRenderer.margins[1]


def page_numbers(pages: list[str]) -> list[tuple[int, int]]:
    found = []
    for text in pages:
        match = re.search(r"Page (\d+) of (\d+)", text)
        assert match, text[-200:]
        found.append((int(match[1]), int(match[2])))
    return found


def test_demo_panel_minutes_read_back(demo_ws: Workspace, chair: Actor) -> None:
    doc = minutes_document(demo_ws, chair, 1)
    assert len(doc.items) == 8 and all(i.decision for i in doc.items)
    pdf = read_pdf(render_minutes(doc))
    flat = pdf.flat

    assert "Minutes: CIN panel" in flat
    assert f"Chair {doc.panel.chair_name}" in flat
    assert "09/11/2026" in flat and "10:00" in flat
    assert doc.panel.venue in flat
    for a in doc.present + doc.apologies:
        assert a.name in flat
    for it in doc.items:
        assert f"{it.row.subject_name} ({it.row.case_reference})" in flat
        assert it.decision is not None
        assert " ".join(it.decision.rationale.split()) in flat
        for finding in it.decision.findings:
            assert finding.rule in flat
        for action in it.decision.actions:
            assert action.due_on.strftime("%d/%m/%Y") in flat
    overridden = [i.decision for i in doc.items if i.decision and i.decision.override_reason]
    assert overridden, "the demo panel should have an override to print"
    for d in overridden:
        assert d.override_reason is not None
        assert " ".join(d.override_reason.split()) in flat
    assert NO_DECISION not in flat

    count = len(pdf.pages)
    assert count >= 2
    assert page_numbers(pdf.pages) == [(n, count) for n in range(1, count + 1)]
    assert "Page 1 of " + str(count) in pdf.pages[0]
    for text in pdf.pages:
        # Top and bottom of every page.
        assert text.count("OFFICIAL-SENSITIVE") == 2
        assert "Minutes: CIN panel, 09/11/2026" in text
        assert "Generated 23/11/2026 09:00" in text

    meta = pdf.reader.metadata
    assert meta is not None
    assert meta.title == "Minutes: CIN panel, 09/11/2026"
    assert meta.author == "StepDesk"
    assert meta.subject and "CIN panel" in meta.subject
    assert meta.creator and meta.creator.startswith("StepDesk")
    assert_within_margins(render_minutes(doc), RIGHT_MARGIN)


def test_upcoming_panel_says_no_decision_recorded(demo_ws: Workspace, chair: Actor) -> None:
    doc = minutes_document(demo_ws, chair, 2)
    assert doc.items and not any(i.decision for i in doc.items)
    flat = read_pdf(render_minutes(doc)).flat
    # Once in the summary table and once under each item.
    assert flat.count(NO_DECISION) == 2 * len(doc.items)
    for it in doc.items:
        assert it.row.subject_name in flat


def test_user_text_reads_back_exactly_as_typed() -> None:
    subject = "Zoë <b>O'Brien & Sons"
    notes = (
        "Siân said <i>not</i> & S&P; see <img src=x.png> and </para> too.\n"
        "Second line: &amp; stays as typed."
    )
    names = ["Siân Booth", "Łukasz Nowak", "Nguyễn Thị Hoa", "Ó Súilleabháin"]
    doc = minutes(
        [
            item(
                1,
                subject,
                notes=notes,
                presenter=names[2],
                reasons="Risk > threshold & rising <script>",
                rationale="Agreed <u>unanimously</u>.",
                override_reason="Consent on file — per <Ó Súilleabháin>",
                override_by=names[1],
                override_at=WHEN,
                dissent="Łukasz: \"too soon\" & 'unclear'",
                lead_professional=names[3],
            ),
        ],
        meeting_name="Step-up & step-down <panel>",
        venue="O'Brien's Hall & Annexe",
        chair=names[0],
        present=[attendee(i, n, "member") for i, n in enumerate(names, start=1)],
    )
    pdf = read_pdf(render_minutes(doc))
    text = pdf.text
    for typed in [
        subject,
        "Siân said <i>not</i> & S&P; see <img src=x.png> and </para> too.",
        "Second line: &amp; stays as typed.",
        "Risk > threshold & rising <script>",
        "Agreed <u>unanimously</u>.",
        "Consent on file — per <Ó Súilleabháin>",
        "Łukasz: \"too soon\" & 'unclear'",
        "Step-up & step-down <panel>",
        "O'Brien's Hall & Annexe",
        *names,
    ]:
        assert typed in text, typed
    # Nothing was double-escaped beyond the one &amp; the user typed themselves.
    assert text.count("&amp;") == 1
    assert "&lt;" not in text and "&gt;" not in text and "&#" not in text
    meta = pdf.reader.metadata
    assert meta is not None and meta.title == "Minutes: Step-up & step-down <panel>, 09/11/2026"


def test_control_characters_and_decomposed_accents_print() -> None:
    notes = "Before\x00\x07\x1b\x7f after.\r\nNext\tline\u2028third \ud800 end. Sea\u0301n"
    doc = minutes([item(1, "Ce\u0301line Dupont", notes=notes)])
    text = read_pdf(render_minutes(doc)).text
    assert "Before after." in text
    assert "Next line" in text and "third \ufffd end." in text
    # Composed (NFC) so ReportLab draws the accent on its letter.
    assert "Céline Dupont" in text and "Seán" in text


def test_long_document_splits_sensibly() -> None:
    long_word = "x" * 300
    paragraph = (
        "The family reported progress with school attendance and health "
        "appointments; the panel weighed this against the police reports. "
    ) * 6
    items = [
        item(
            n,
            f"Subject {n:02d} Hyphenated-Doublebarrelled-Surname",
            reasons=paragraph,
            notes=f"{paragraph}\n\n{long_word}\n\nClosing remark for item {n}.",
            rationale=f"{paragraph} {long_word}",
            decided=n % 7 != 0,
            override_reason="Override " + long_word if n % 5 == 0 else None,
            override_by="Philip Smith",
        )
        for n in range(1, 61)
    ]
    data = render_minutes(minutes(items))
    pdf = read_pdf(data)
    count = len(pdf.pages)
    # About a page per item with this much text: not crammed, not one item a sheet twice over.
    assert 35 <= count <= 110, count
    assert page_numbers(pdf.pages)[-1] == (count, count)
    assert all(t.count("OFFICIAL-SENSITIVE") == 2 for t in pdf.pages)
    flat = pdf.flat
    for n in range(1, 61):
        assert f"Closing remark for item {n}." in flat
    assert flat.count(NO_DECISION) == 2 * len([n for n in range(1, 61) if n % 7 == 0])
    # The 300-character word wrapped instead of running off the page ...
    assert long_word not in pdf.text
    assert_within_margins(data, RIGHT_MARGIN)
    # ... and the summary table, which spans pages, repeats its header row on each.
    first = next(i for i, t in enumerate(pdf.pages) if "Summary of decisions" in t)
    last = next(i for i, t in enumerate(pdf.pages) if "Items not decided" in t)
    assert last > first, "60 summary rows should not fit on one page"
    for text in pdf.pages[first:last]:
        assert "Subject and case" in text


def test_very_long_notes_and_actions_split_across_pages() -> None:
    notes = "\n".join(f"Line {n}: " + "detail " * 30 for n in range(400))
    actions = [
        dataclasses.replace(
            item(1).decision.actions[0],  # type: ignore[union-attr]
            description=f"Action {n} " + "step " * 40,
        )
        for n in range(40)
    ]
    data = render_minutes(minutes([item(1, notes=notes, actions=actions, rationale="r " * 3000)]))
    pdf = read_pdf(data)
    assert len(pdf.pages) > 5
    assert "Line 399:" in pdf.text and "Action 39" in pdf.text
    # The actions table repeats its header on the page it continues onto.
    assert sum("Owner" in t and "Due" in t for t in pdf.pages) >= 2
    assert_within_margins(data, RIGHT_MARGIN)


def test_empty_panel_renders() -> None:
    flat = read_pdf(render_minutes(minutes([], present=[]))).flat
    assert "There were no items on the agenda." in flat
    assert "Page 1 of 1" in flat


def test_attendance_groups() -> None:
    doc = minutes(
        [item(1)],
        present=[attendee(1, "Philip Smith", "chair")],
        apologies=[attendee(2, "Olivia Carter", "minutes", "apologies", "Team Co-ordinator")],
        absent=[
            attendee(3, "Neil Jones", status="absent"),
            attendee(4, "Robert Brown", "presenter", "invited"),
        ],
    )
    flat = read_pdf(render_minutes(doc)).flat
    assert "Apologies Olivia Carter (Team Co-ordinator, minute-taker)" in flat
    assert "Absent Neil Jones (Social Worker)" in flat
    assert "Not recorded Robert Brown (Social Worker, presenter)" in flat


def test_minutes_pdf_is_the_same_as_render_minutes() -> None:
    doc = minutes([item(1)])
    assert read_pdf(MinutesPdf(doc).render()).text == read_pdf(render_minutes(doc)).text


@pytest.mark.parametrize("module", ["reports", "reports.minutes", "reports.base"])
def test_reports_do_not_import_qt_or_ui(module: str) -> None:
    # A fresh interpreter: pytest-qt has already imported PySide6 into this one.
    code = (
        f"import sys, {module}\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'ui')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_typed_lines_and_paragraphs_are_kept() -> None:
    notes = "First line\nsecond line\n\nNew paragraph"
    text = read_pdf(render_minutes(minutes([item(1, notes=notes, rationale="A\nB")]))).text
    assert "First line\nsecond line\nNew paragraph" in text
    assert "Rationale A\nB" in text


def test_maximum_notes_paginate() -> None:
    # 200,000 characters (the services' cap) in short lines; the time it takes is measured
    # by bench/pdf_long_notes.py, not here.
    notes = "\n".join(["Notes typed during the meeting, line after line."] * 4100)
    assert len(notes) >= 200_000
    pdf = read_pdf(render_minutes(minutes([item(1, notes=notes)])))
    assert len(pdf.pages) > 50
    assert pdf.text.count("line after line.") == 4100
