"""The deadlines of the whole database, and those of one agenda item."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from stepdesk.persistence.models import Case, Escalation
from stepdesk.services import Actor, Workspace
from stepdesk.services.cases import item_detail
from stepdesk.services.deadlines import all_deadlines
from stepdesk.services.panels import get_panel
from stepdesk.services.workspace import SYSTEM
from stepdesk.timescales import Rag


def test_upcoming_panel_items_have_form_and_agenda_clocks(demo_ws: Workspace, chair: Actor) -> None:
    view = get_panel(demo_ws, chair, 2)
    detail = item_detail(demo_ws, chair, view.items[0].id)
    rules = [d.rule for d in detail.case.deadlines]
    assert rules[:2] == ["T-FORM-48H", "T-AGENDA-24H"]
    # The demo submits forms 30 to 120 hours ahead: early ones are done, late ones are not.
    assert all(d.due < view.panel.starts_at for d in detail.case.deadlines[:2])


def test_done_when_actions_are_ticked(demo_ws: Workspace, chair: Actor) -> None:
    rows = all_deadlines(demo_ws, chair, dt.datetime(2026, 11, 23, 9, 0))
    effect = [r for r in rows if r.deadline.rule == "T-EFFECT-24H"]
    assert effect
    assert {r.rag for r in effect} <= {Rag.DONE, Rag.OVERDUE}
    assert any(r.rag is Rag.DONE for r in effect)


def test_cin_reviews_fall_every_four_weeks_from_the_plan_start(
    demo_ws: Workspace, chair: Actor
) -> None:
    as_of = dt.datetime(2026, 11, 23, 9, 0)
    reviews = [
        r for r in all_deadlines(demo_ws, chair, as_of) if r.deadline.rule == "T-CIN-REVIEW-4W"
    ]
    assert len(reviews) > 10
    for row in reviews:
        assert as_of.date() <= row.deadline.due.date() < as_of.date() + dt.timedelta(weeks=4)
        assert (row.deadline.due - row.deadline.anchor).days in (27, 28)


def test_one_cases_deadlines_equal_the_full_list_filtered(demo_ws: Workspace) -> None:
    """``all_deadlines(case_id=…)`` reads one case only and gives exactly its rows."""

    full = all_deadlines(demo_ws, SYSTEM)
    with demo_ws.db.session() as s:
        case_ids = sorted(s.scalars(select(Case.id)))
        escalated = set(s.scalars(select(Escalation.case_id)))
    assert escalated, "the demo has an escalation to check"
    seen = 0
    for case_id in case_ids:
        mine = all_deadlines(demo_ws, SYSTEM, case_id=case_id)
        assert mine == [r for r in full if r.case_id == case_id], case_id
        seen += len(mine)
    assert seen == len(full) > 100
