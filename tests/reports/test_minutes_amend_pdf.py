"""The corrected minutes after a decision changed: the change note and the decision history.

Read back with pypdf from the stored, approved PDF (services.amendments, T-MINUTES-48H).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from reports.minutes import render_minutes
from stepdesk.services import Actor, Workspace
from stepdesk.services.decisions import record_decision
from stepdesk.services.minutes import approve_minutes, minutes_document
from tests.reports.report_helpers import read_pdf
from tests.stepdesk.test_decision_amend import CHANGED_AT, DEFER
from tests.stepdesk.test_refusal_final import AGREED_STEP_UP, PAST

REASON = "The school's report <dated 20/11> arrived after the panel & changes the picture."


def test_the_correction_prints_its_change_note_and_the_decision_history(
    demo_ws: Workspace, chair: Actor
) -> None:
    first = approve_minutes(demo_ws, chair, PAST, render=render_minutes)
    assert "Decision history" not in read_pdf(first.pdf).flat
    demo_ws.now = lambda: CHANGED_AT
    record_decision(demo_ws, chair, AGREED_STEP_UP, dataclasses.replace(DEFER, change_note=REASON))

    # The working draft already shows the history, as a DRAFT correction.
    draft = read_pdf(render_minutes(minutes_document(demo_ws, chair, PAST))).flat
    assert "DRAFT correction of approved version 1" in draft
    assert "Decision history: changed after the minutes were approved" in draft

    demo_ws.now = lambda: CHANGED_AT + dt.timedelta(hours=1)
    corrected = approve_minutes(demo_ws, chair, PAST, render=render_minutes)
    assert corrected.version == 2
    pdf = read_pdf(corrected.pdf)
    text = pdf.flat
    # Page 1: the change note of the correction, derived from the change.
    assert "Correction Item 3" in " ".join(pdf.pages[0].split())
    assert "from “Agreed as requested” to “Deferred for more information”" in text
    assert REASON in text  # escaped, not parsed as markup
    # The item: what was approved first, what now, who, when, why.
    assert "Decision history: changed after the minutes were approved" in text
    assert "Approved in version 1 Agreed as requested:" in text
    assert f"23/11/2026 10:30 {chair.name} Agreed as requested Deferred for more information:" in (
        text
    )
    assert "changed after approval: see item 3" in text  # the summary of decisions
    assert "Approved, version 2" in text
