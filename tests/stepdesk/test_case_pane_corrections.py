"""The case pane of an agenda item counts the corrected-minutes T-MINUTES-48H clock that a
decision changed after approval starts, as the Deadlines page does (services/amendments.py)."""

from __future__ import annotations

import datetime as dt

from stepdesk.services import Actor, Workspace
from stepdesk.services.cases import case_summary, item_detail
from stepdesk.services.deadlines import deadlines_for
from stepdesk.timescales import Deadline
from tests.stepdesk.test_decision_amend import CHANGED_AT, amend, approve
from tests.stepdesk.test_refusal_final import AGREED_STEP_UP, request_of


def _corrections(deadlines: list[Deadline]) -> list[tuple[str, dt.datetime, bool, str]]:
    return sorted(
        (d.rule, d.due, d.done, d.explain())
        for d in deadlines
        if d.rule == "T-MINUTES-48H" and d.what.startswith("Corrected minutes")
    )


def test_the_case_pane_and_the_deadlines_page_agree_on_the_correction(
    demo_ws: Workspace, chair: Actor
) -> None:
    case_id = request_of(demo_ws, AGREED_STEP_UP)[1]

    def both() -> tuple[list[tuple[str, dt.datetime, bool, str]], ...]:
        pane = item_detail(demo_ws, chair, AGREED_STEP_UP).case.deadlines
        page = [r.deadline for r in deadlines_for(demo_ws, chair, "all", case_id=case_id)]
        summary = case_summary(demo_ws, chair, case_id).deadlines
        return _corrections(pane), _corrections(page), _corrections(summary)

    approve(demo_ws, chair)
    assert both() == ([], [], [])
    demo_ws.now = lambda: CHANGED_AT
    amend(demo_ws, chair, "The school's report arrived after the panel.")
    pane, page, summary = both()
    assert len(pane) == 1 and pane == page == summary
    assert not pane[0][2] and "due 25/11/2026 17:00" in pane[0][3]
    # The correction approved: met in both.
    demo_ws.now = lambda: dt.datetime(2026, 11, 24, 9, 15)
    approve(demo_ws, chair)
    pane, page, summary = both()
    assert len(pane) == 1 and pane == page == summary and pane[0][2]
    assert pane[0][3].endswith("; met 24/11/2026 09:15")
