"""Every open clock in the database: what is due, by when, under which rule, and its RAG.

Sources: the forms and agenda before each upcoming panel (T-FORM-48H, T-AGENDA-24H); what
follows an agreed step (T-EFFECT-24H from the decision or the agreed effective date,
T-HANDOVER arranged and completed), done when the matching actions are ticked off or the
request has moved on that far (services/transfers.py); what follows an agreed step into
statutory work (T-CIN-MEETING-7D, T-ICPC-15D, T-COWORK-10D), a step-down to early help
(T-EHA-20WD) and a step-in (T-STEPIN-8W); escalations (T-ESCALATE-24H, from the Escalation
record when there is one, done when resolved); minutes after a finished panel
(T-MINUTES-48H), and again from a decision changed after the minutes were approved until the
correction is approved (services/amendments.py); the four-weekly CIN review
(T-CIN-REVIEW-4W); and two windows a manager wants to see coming: the earliest step-down
after CP (T-CP-CIN-3M) and the re-emergence window (T-REEMERGE-3M). A timescale the profile
does not have is not tracked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from stepdesk.domain import Outcome, PanelStatus
from stepdesk.domain import RequestStatus as S
from stepdesk.errors import ValidationError
from stepdesk.persistence.models import (
    AgendaItem,
    Case,
    Decision,
    Escalation,
    Panel,
    Request,
    User,
)
from stepdesk.services.amendments import changes_of, corrections_due
from stepdesk.services.document_views import DecisionChangeRow
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
    team_id: int | None = None
    owner_id: int | None = None  # the case's allocated worker ("mine")
    owner_name: str | None = None


def _row(deadline: Deadline, case: Case, as_of: dt.datetime) -> DeadlineRow:
    return DeadlineRow(
        deadline=deadline,
        rag=deadline.rag(as_of),
        case_id=case.id,
        case_reference=case.reference,
        subject_name=case.subject.full_name,
        team=case.team.name,
        team_id=case.team_id,
        owner_id=case.allocated_worker_id,
        owner_name=case.allocated_worker.name if case.allocated_worker else None,
    )


def _panel_deadlines(
    clock: Clock,
    panel: Panel,
    as_of: dt.datetime,
    escalated: set[int],
    changes: list[DecisionChangeRow] | None = None,
) -> list[DeadlineRow]:
    rows = []
    if changes and clock.profile.has_timescale("T-MINUTES-48H"):
        cases = {item.id: item.request.case for item in panel.items}
        for change, approved_at in corrections_due(panel, changes):
            if change.agenda_item_id in cases:
                deadline = correction_deadline(clock, change, approved_at)
                rows.append(_row(deadline, cases[change.agenda_item_id], as_of))
    for item in panel.items:
        request, case = item.request, item.request.case
        if panel.status == PanelStatus.PLANNED:
            rows += [_row(d, case, as_of) for d in request_deadlines(clock, panel, request)]
        if item.decision is not None:
            found = decision_deadlines(clock, item.decision)
            if item.decision.id in escalated:  # the Escalation record's own clock counts
                found = [d for d in found if d.rule != "T-ESCALATE-24H"]
            rows += [_row(d, case, as_of) for d in found]
        if panel.finished_at is not None:
            rows.append(_row(minutes_deadline(clock, panel), case, as_of))
    return rows


def minutes_deadline(clock: Clock, panel: Panel) -> Deadline:
    """T-MINUTES-48H for a finished panel: done once the chair has approved the minutes."""
    assert panel.finished_at is not None
    return clock.after_meeting(panel.finished_at, done=bool(panel.minutes_versions))


def correction_deadline(
    clock: Clock, change: DecisionChangeRow, approved_at: dt.datetime | None
) -> Deadline:
    """T-MINUTES-48H again, from a decision changed after approval, to the correction.

    The seed's 48 hours are for minutes that say what the panel decided; a decision changed
    after approval makes the approved minutes wrong, so the corrected version is due on the
    same clock from the change. Done (met at) when the next version is approved.
    """
    deadline = clock.deadline(
        "T-MINUTES-48H", change.changed_at, "the decision change after approval on"
    )
    return replace(
        deadline,
        what=(
            f"Corrected minutes (version {change.against_version + 1}) approved by the chair "
            f"after item {change.position}'s decision changed"
        ),
        done=approved_at is not None,
        met_at=approved_at,
    )


def item_corrections(s: Session, clock: Clock, item: AgendaItem) -> list[Deadline]:
    """The corrected-minutes T-MINUTES-48H clocks of one agenda item's decision changes.

    The same clocks the Deadlines page counts for the item (:func:`correction_deadline`);
    none before the panel's minutes were approved (no change can call for a correction).
    """
    panel = item.panel
    if (
        item.decision is None
        or not panel.minutes_versions
        or not clock.profile.has_timescale("T-MINUTES-48H")
    ):
        return []
    changes = changes_of(s, [panel]).get(panel.id, [])
    return [
        correction_deadline(clock, change, approved_at)
        for change, approved_at in corrections_due(panel, changes)
        if change.agenda_item_id == item.id
    ]


def request_deadlines(clock: Clock, panel: Panel, request: Request) -> list[Deadline]:
    """T-FORM-48H and T-AGENDA-24H for a request on a panel.

    T-FORM-48H is done if the form was submitted in time. T-AGENDA-24H ("manager-QA'd form to
    the co-ordinator; agenda circulated 24 h before", 003) is done once the request is QA'd
    and the panel's agenda pack has been circulated; it is met at the later of the two, and
    met late if that is after the deadline.
    """
    form, agenda = clock.before_meeting(panel.starts_at)
    return [
        replace(form, done=_in_time(request.submitted_at, form.due)),
        # Circulated before this request was QA'd: its part is still to do.
        agenda
        if request.qa_at is None
        else agenda_circulation(agenda, panel.agenda_circulated_at, request.qa_at),
    ]


def agenda_circulation(
    agenda: Deadline, circulated_at: dt.datetime | None, qa_at: dt.datetime | None = None
) -> Deadline:
    """T-AGENDA-24H with what met it: the agenda circulated (and, for a request, its QA)."""
    if agenda.rule != "T-AGENDA-24H" or circulated_at is None:
        return agenda
    return replace(agenda, done=True, met_at=max(circulated_at, qa_at or circulated_at))


def agenda_circulation_text(deadline: Deadline | None, circulated_at: dt.datetime | None) -> str:
    """What the co-ordinator reads about T-AGENDA-24H: circulated when, on time or late."""
    if circulated_at is None:
        if deadline is None:
            return "Agenda not yet circulated."
        return (
            f"Agenda not yet circulated: due {deadline.due:%d/%m/%Y %H:%M} "
            f"({deadline.rule}, {deadline.citation})."
        )
    text = f"Agenda circulated {circulated_at:%d/%m/%Y %H:%M}"
    if deadline is None:
        return text + "."
    timing = "late" if circulated_at > deadline.due else "on time"
    return f"{text} ({timing}: due {deadline.due:%d/%m/%Y %H:%M}, {deadline.rule})."


def _in_time(when: dt.datetime | None, due: dt.datetime) -> bool:
    return when is not None and when <= due


# How far a request must have moved for a transfer timescale to be met.
_ORDER = [S.DECIDED, S.EFFECTED, S.HANDOVER_ARRANGED, S.HANDOVER_COMPLETED, S.CLOSED]
_MET_AT = {
    "T-EFFECT-24H": S.EFFECTED,
    "T-HANDOVER": S.HANDOVER_ARRANGED,
    "T-HANDOVER-DONE": S.HANDOVER_COMPLETED,
    "T-COWORK-10D": S.CLOSED,
}


def _reached(status: str, key: str) -> bool:
    target = _MET_AT.get(key)
    if target is None or status not in _ORDER:
        return False
    return _ORDER.index(S(status)) >= _ORDER.index(target)


def _statutory(clock: Clock, plan: str) -> bool:
    try:
        return clock.profile.plan(plan).statutory
    except KeyError:
        return False


def _decision_keys(clock: Clock, decision: Decision) -> list[str]:
    request = decision.agenda_item.request
    if decision.outcome == Outcome.ESCALATE:
        return ["T-ESCALATE-24H"]
    if decision.outcome != Outcome.AGREED:
        return []
    keys: list[str] = []
    if request.movement in ("step_up", "step_down"):
        keys += ["T-EFFECT-24H", "T-HANDOVER", "T-HANDOVER-DONE"]
    into_statutory = _statutory(clock, request.to_plan) and not _statutory(clock, request.from_plan)
    if request.movement == "step_up" and request.to_plan == "cin":
        keys.append("T-CIN-MEETING-7D")
    if request.movement == "step_up" and request.to_plan == "cp":
        keys.append("T-ICPC-15D")
    if request.movement == "step_up" and into_statutory and request.from_plan == "early_help":
        keys.append("T-COWORK-10D")
    if request.movement == "step_down" and request.to_plan == "early_help":
        keys.append("T-EHA-20WD")
    if request.movement == "step_in":
        keys.append("T-STEPIN-8W")
    return [k for k in keys if clock.profile.has_timescale(k)]


def decision_deadlines(clock: Clock, decision: Decision) -> list[Deadline]:
    """What follows a decision, each with its done state.

    A deadline is done when its matching actions are all ticked off, or when the request has
    moved far enough (effected, handover arranged, handover completed).
    """
    request = decision.agenda_item.request
    deadlines = []
    for key in _decision_keys(clock, decision):
        rule = clock.profile.timescale(key).rule
        matching = [a for a in decision.actions if a.rule_id == rule]
        # T-HANDOVER has two deadlines: actions tick off "arranged" first, then "done".
        if key == "T-HANDOVER-DONE":
            matching = matching[1:]
        elif key == "T-HANDOVER":
            matching = matching[:1]
        done = (bool(matching) and all(a.done for a in matching)) or _reached(request.status, key)
        anchor, label = decision.decided_at, "the decision made"
        agreed = decision.effective_on
        if key == "T-EFFECT-24H" and agreed is not None and agreed > decision.decided_at.date():
            # "within 24 h of the decision or an agreed timescale" (003)
            anchor, label = dt.datetime.combine(agreed, dt.time(9, 0)), "the agreed date"
        deadlines.append(clock.deadline(key, anchor, label, done=done))
    return deadlines


def escalation_deadline(clock: Clock, escalation: Escalation) -> Deadline:
    """T-ESCALATE-24H from an Escalation record: due when it says, done when resolved."""
    ts = clock.profile.timescale("T-ESCALATE-24H")
    return Deadline(
        rule=ts.rule,
        what=ts.what,
        due=escalation.due_at,
        anchor_label="the escalation raised",
        anchor=escalation.raised_at,
        citation=ts.citation,
        relation=ts.relation(),
        done=escalation.status == "resolved",
    )


def _case_deadlines(clock: Clock, case: Case, as_of: dt.datetime) -> list[DeadlineRow]:
    rows: list[DeadlineRow] = []
    if case.closed_on is not None or not case.episodes:
        return rows
    current = case.episodes[-1]
    start = dt.datetime.combine(current.started_on, dt.time(9, 0))
    if current.plan == "cin" and clock.profile.has_timescale("T-CIN-REVIEW-4W"):
        # The next four-weekly review on or after today (no review record yet: count from
        # the start of the plan).
        weeks = clock.profile.timescale("T-CIN-REVIEW-4W").amount
        due = current.started_on + dt.timedelta(weeks=weeks)
        while due < as_of.date():
            due += dt.timedelta(weeks=weeks)
        anchor = dt.datetime.combine(due - dt.timedelta(weeks=weeks), dt.time(9, 0))
        label = "the plan start or last review on"
        rows.append(_row(clock.deadline("T-CIN-REVIEW-4W", anchor, label), case, as_of))
        came_from_cp = any(ep.plan == "cp" for ep in case.episodes[:-1])
        if came_from_cp and clock.profile.has_timescale("T-CP-CIN-3M"):
            earliest = clock.deadline("T-CP-CIN-3M", start, "the Child in Need plan from")
            if earliest.due >= as_of:
                rows.append(_row(earliest, case, as_of))
    reemerge = clock.profile.has_timescale("T-REEMERGE-3M")
    if reemerge and case.stepped_down_on is not None and case.stepped_down_from_team is not None:
        anchor = dt.datetime.combine(case.stepped_down_on, dt.time(9, 0))
        window = clock.deadline("T-REEMERGE-3M", anchor, "the step-down on")
        if add_months(case.stepped_down_on, 3) >= as_of.date():
            rows.append(_row(window, case, as_of))
    return rows


def case_clocks(clock: Clock, case: Case, as_of: dt.datetime) -> list[Deadline]:
    """A case's own clocks (CIN review, CP → CIN window, re-emergence window)."""
    return [row.deadline for row in _case_deadlines(clock, case, as_of)]


def all_deadlines(
    ws: Workspace, actor: Actor, as_of: dt.datetime | None = None, case_id: int | None = None
) -> list[DeadlineRow]:
    """Every deadline in the database, soonest first, with RAG as of ``as_of`` (default now).

    With ``case_id``, one case's deadlines only, read by queries that look at that case
    alone (the same rows as filtering the full list; a case summary needs no more).
    """
    require(actor, "case.view")
    when = as_of or ws.now()
    clock = ws.clock
    rows: list[DeadlineRow] = []
    with ws.db.session() as s:
        escalations_query = select(Escalation).options(
            selectinload(Escalation.case).options(
                selectinload(Case.subject),
                selectinload(Case.team),
                selectinload(Case.allocated_worker),
            )
        )
        items = selectinload(Panel.items)
        panels_query = select(Panel)
        cases_query = select(Case).where(Case.closed_on.is_(None))
        if case_id is not None:
            escalations_query = escalations_query.where(Escalation.case_id == case_id)
            of_case = select(Request.id).where(Request.case_id == case_id).scalar_subquery()
            panels_query = panels_query.where(Panel.items.any(AgendaItem.request_id.in_(of_case)))
            items = selectinload(Panel.items.and_(AgendaItem.request_id.in_(of_case)))
            cases_query = cases_query.where(Case.id == case_id)
        escalations = s.scalars(escalations_query).all()
        escalated = {e.decision_id for e in escalations if e.decision_id is not None}
        if clock.profile.has_timescale("T-ESCALATE-24H"):
            rows += [_row(escalation_deadline(clock, e), e.case, when) for e in escalations]
        panels = s.scalars(
            panels_query.options(
                items.options(
                    *item_options(),
                    selectinload(AgendaItem.request)
                    .selectinload(Request.case)
                    .options(selectinload(Case.team), selectinload(Case.allocated_worker)),
                )
            )
        ).all()
        changes = changes_of(s, panels)
        for panel in panels:
            rows += _panel_deadlines(clock, panel, when, escalated, changes.get(panel.id))
        cases = s.scalars(
            cases_query.options(
                selectinload(Case.subject),
                selectinload(Case.team),
                selectinload(Case.episodes),
                selectinload(Case.stepped_down_from_team),
                selectinload(Case.allocated_worker),
            )
        ).all()
        for case in cases:
            rows += _case_deadlines(clock, case, when)
    rows.sort(key=lambda r: (r.deadline.due, r.case_reference, r.deadline.rule))
    return rows


SCOPES = ("mine", "team", "all")


def deadlines_for(
    ws: Workspace,
    actor: Actor,
    scope: str = "all",
    as_of: dt.datetime | None = None,
    case_id: int | None = None,
) -> list[DeadlineRow]:
    """The deadlines an actor asks for, soonest first.

    ``mine``: cases allocated to them; ``team``: cases their team owns; ``all``. With
    ``case_id``, one case's clocks only.
    """
    if scope not in SCOPES:
        raise ValidationError("Show", f"choose one of: {', '.join(SCOPES)}")
    rows = all_deadlines(ws, actor, as_of, case_id)
    if scope == "mine":
        rows = [r for r in rows if actor.user_id is not None and r.owner_id == actor.user_id]
    elif scope == "team":
        with ws.db.session() as s:
            user = s.get(User, actor.user_id) if actor.user_id is not None else None
            team_id = user.team_id if user is not None else None
        rows = [r for r in rows if team_id is not None and r.team_id == team_id]
    return rows
