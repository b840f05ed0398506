"""Every open clock in the database: what is due, by when, under which rule, and its RAG.

Sources: the forms and agenda before each upcoming panel (T-FORM-48H, T-AGENDA-24H); what
follows an agreed step or an escalation (T-EFFECT-24H, T-HANDOVER, T-ESCALATE-24H), done when
the matching actions are ticked off; minutes after a finished panel (T-MINUTES-48H); the
four-weekly CIN review (T-CIN-REVIEW-4W); and two windows a manager wants to see coming:
the earliest step-down after CP (T-CP-CIN-3M) and the re-emergence window (T-REEMERGE-3M).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from stepdesk.domain import Outcome, PanelStatus
from stepdesk.persistence.models import AgendaItem, Case, Decision, Panel, Request
from stepdesk.services.loading import item_options
from stepdesk.services.permissions import require
from stepdesk.services.workspace import Actor, Workspace
from stepdesk.timescales import Clock, Deadline, Rag, add_months


@dataclass(frozen=True)
class DeadlineRow:
    """A deadline with the case it belongs to and its RAG status on the day asked about."""

    deadline: Deadline
    rag: Rag
    case_id: int
    case_reference: str
    subject_name: str
    team: str


def _row(deadline: Deadline, case: Case, as_of: dt.datetime) -> DeadlineRow:
    return DeadlineRow(
        deadline=deadline,
        rag=deadline.rag(as_of),
        case_id=case.id,
        case_reference=case.reference,
        subject_name=case.subject.full_name,
        team=case.team.name,
    )


def _panel_deadlines(clock: Clock, panel: Panel, as_of: dt.datetime) -> list[DeadlineRow]:
    rows = []
    for item in panel.items:
        request, case = item.request, item.request.case
        if panel.status == PanelStatus.PLANNED:
            rows += [_row(d, case, as_of) for d in request_deadlines(clock, panel, request)]
        if item.decision is not None:
            rows += [_row(d, case, as_of) for d in decision_deadlines(clock, item.decision)]
        if panel.finished_at is not None:
            rows.append(_row(minutes_deadline(clock, panel), case, as_of))
    return rows


def minutes_deadline(clock: Clock, panel: Panel) -> Deadline:
    """T-MINUTES-48H for a finished panel: done once the chair has approved the minutes."""
    assert panel.finished_at is not None
    return clock.after_meeting(panel.finished_at, done=bool(panel.minutes_versions))


def request_deadlines(clock: Clock, panel: Panel, request: Request) -> list[Deadline]:
    """T-FORM-48H and T-AGENDA-24H for a request on a panel, done if met in time."""
    form, agenda = clock.before_meeting(panel.starts_at)
    return [
        replace(form, done=_in_time(request.submitted_at, form.due)),
        replace(agenda, done=_in_time(request.qa_at, agenda.due)),
    ]


def _in_time(when: dt.datetime | None, due: dt.datetime) -> bool:
    return when is not None and when <= due


def decision_deadlines(clock: Clock, decision: Decision) -> list[Deadline]:
    """What follows a decision; each is done when its matching actions are all ticked off."""
    if decision.outcome == Outcome.ESCALATE:
        keys = ["T-ESCALATE-24H"]
    elif decision.outcome == Outcome.AGREED and decision.agenda_item.request.movement in (
        "step_up",
        "step_down",
    ):
        keys = ["T-EFFECT-24H", "T-HANDOVER", "T-HANDOVER-DONE"]
    else:
        return []
    deadlines = []
    for key in keys:
        rule = clock.profile.timescale(key).rule
        matching = [a for a in decision.actions if a.rule_id == rule]
        done = bool(matching) and all(a.done for a in matching)
        deadlines.append(clock.deadline(key, decision.decided_at, "the decision made", done=done))
    return deadlines


def _case_deadlines(clock: Clock, case: Case, as_of: dt.datetime) -> list[DeadlineRow]:
    rows: list[DeadlineRow] = []
    if case.closed_on is not None or not case.episodes:
        return rows
    current = case.episodes[-1]
    start = dt.datetime.combine(current.started_on, dt.time(9, 0))
    if current.plan == "cin":
        # The next four-weekly review on or after today (no review record yet: count from
        # the start of the plan).
        weeks = clock.profile.timescale("T-CIN-REVIEW-4W").amount
        due = current.started_on + dt.timedelta(weeks=weeks)
        while due < as_of.date():
            due += dt.timedelta(weeks=weeks)
        anchor = dt.datetime.combine(due - dt.timedelta(weeks=weeks), dt.time(9, 0))
        label = "the plan start or last review on"
        rows.append(_row(clock.deadline("T-CIN-REVIEW-4W", anchor, label), case, as_of))
        if any(ep.plan == "cp" for ep in case.episodes[:-1]):
            earliest = clock.deadline("T-CP-CIN-3M", start, "the Child in Need plan from")
            if earliest.due >= as_of:
                rows.append(_row(earliest, case, as_of))
    if case.stepped_down_on is not None and case.stepped_down_from_team is not None:
        anchor = dt.datetime.combine(case.stepped_down_on, dt.time(9, 0))
        window = clock.deadline("T-REEMERGE-3M", anchor, "the step-down on")
        if add_months(case.stepped_down_on, 3) >= as_of.date():
            rows.append(_row(window, case, as_of))
    return rows


def all_deadlines(
    ws: Workspace, actor: Actor, as_of: dt.datetime | None = None
) -> list[DeadlineRow]:
    """Every deadline in the database, soonest first, with RAG as of ``as_of`` (default now)."""
    require(actor, "case.view")
    when = as_of or ws.now()
    clock = ws.clock
    rows: list[DeadlineRow] = []
    with ws.db.session() as s:
        panels = s.scalars(
            select(Panel).options(
                selectinload(Panel.items).options(
                    *item_options(),
                    selectinload(AgendaItem.request)
                    .selectinload(Request.case)
                    .selectinload(Case.team),
                )
            )
        ).all()
        for panel in panels:
            rows += _panel_deadlines(clock, panel, when)
        cases = s.scalars(
            select(Case)
            .where(Case.closed_on.is_(None))
            .options(
                selectinload(Case.subject),
                selectinload(Case.team),
                selectinload(Case.episodes),
                selectinload(Case.stepped_down_from_team),
            )
        ).all()
        for case in cases:
            rows += _case_deadlines(clock, case, when)
    rows.sort(key=lambda r: (r.deadline.due, r.case_reference, r.deadline.rule))
    return rows
