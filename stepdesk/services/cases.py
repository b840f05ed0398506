"""Cases as the chair sees them: the summary pane of an agenda item."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session, selectinload

from stepdesk.errors import NotFoundError
from stepdesk.persistence.models import AgendaItem, Case, Request
from stepdesk.rules import Finding, evaluate
from stepdesk.services import audit
from stepdesk.services.convert import (
    agenda_row,
    case_facts,
    consent_rows,
    decision_view,
    episode_rows,
    request_proposal,
    request_view,
    slot_starts,
)
from stepdesk.services.deadlines import (
    all_deadlines,
    case_clocks,
    decision_deadlines,
    item_corrections,
    minutes_deadline,
    request_deadlines,
)
from stepdesk.services.loading import case_options, item_options
from stepdesk.services.permissions import require
from stepdesk.services.views import CaseSummary, ItemDetail
from stepdesk.services.workspace import Actor, Workspace
from stepdesk.timescales import Deadline


def load_item(s: Session, item_id: int) -> AgendaItem:
    """An agenda item with its request, full case and decision, or ``NotFoundError``."""
    item = s.scalars(
        select(AgendaItem).where(AgendaItem.id == item_id).options(*item_options(full_case=True))
    ).one_or_none()
    if item is None:
        raise NotFoundError(f"No agenda item with id {item_id}.")
    return item


def _age(born: dt.date | None, today: dt.date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def item_deadlines(ws: Workspace, item: AgendaItem) -> list[Deadline]:
    """The deadlines that apply to an agenda item's request and decision."""
    clock, panel = ws.clock, item.panel
    deadlines = request_deadlines(clock, panel, item.request)
    if item.decision is not None:
        deadlines += decision_deadlines(clock, item.decision)
    if panel.finished_at is not None:
        deadlines.append(minutes_deadline(clock, panel))
    s = object_session(item)
    if s is not None:  # a decision changed after approval: the corrected minutes are due
        deadlines += item_corrections(s, clock, item)
    return deadlines


def _summary(
    ws: Workspace,
    case: Case,
    request: Request | None,
    findings: list[Finding],
    deadlines: list[Deadline],
) -> CaseSummary:
    """A loaded case as the case pane shows it."""
    profile = ws.profile
    try:
        level_name = profile.level(case.level).name
    except KeyError:
        level_name = case.level
    return CaseSummary(
        case_id=case.id,
        reference=case.reference,
        subject_name=case.subject.full_name,
        date_of_birth=case.subject.date_of_birth,
        age=_age(case.subject.date_of_birth, ws.today()),
        subject_kind=case.subject.kind,
        family_name=case.subject.family_name,
        team=case.team.name,
        level=case.level,
        level_name=level_name,
        plan=case.plan,
        plan_name=profile.plan_name(case.plan),
        lead_professional=case.lead_professional,
        allocated_worker=case.allocated_worker.name if case.allocated_worker else None,
        history=episode_rows(case, profile),
        consents=consent_rows(case),
        request=request_view(request, profile) if request is not None else None,
        findings=findings,
        deadlines=deadlines,
    )


def _findings(ws: Workspace, case: Case, request: Request) -> list[Finding]:
    return evaluate(
        case_facts(case, request.movement), request_proposal(request), ws.profile, ws.today()
    )


def case_summary_for(ws: Workspace, item: AgendaItem) -> CaseSummary:
    """The summary of a loaded item's case, with findings known before the meeting."""
    case: Case = item.request.case
    return _summary(
        ws,
        case,
        item.request,
        _findings(ws, case, item.request),
        item_deadlines(ws, item) + case_clocks(ws.clock, case, ws.now()),
    )


def item_detail(ws: Workspace, actor: Actor, item_id: int) -> ItemDetail:
    """Open an agenda item: its row, case summary, minute notes and decision. Audited."""
    require(actor, "case.view")
    with ws.db.session() as s:
        item = load_item(s, item_id)
        row = agenda_row(item, slot_starts(item.panel)[item.id], ws.profile)
        summary = case_summary_for(ws, item)
        audit.record(s, ws, actor, "view", "case", item.request.case_id, via="agenda_item")
        return ItemDetail(
            row=row,
            case=summary,
            notes=item.notes,
            notes_saved_at=item.notes_saved_at,
            decision=decision_view(item.decision) if item.decision else None,
        )


_OPEN_REQUEST = ("draft", "submitted", "returned", "qa_approved", "on_agenda", "deferred")


def case_summary(ws: Workspace, actor: Actor, case_id: int) -> CaseSummary:
    """One case as the Deadlines page opens it: summary, latest request, every clock. Audited.

    Findings are those of the latest request while it is still open (before a decision).
    """
    require(actor, "case.view")
    clocks = [r.deadline for r in all_deadlines(ws, actor, case_id=case_id)]
    with ws.db.session() as s:
        case = s.scalars(
            select(Case).where(Case.id == case_id).options(*case_options())
        ).one_or_none()
        if case is None:
            raise NotFoundError(f"No case with id {case_id}.")
        request = s.scalars(
            select(Request)
            .where(Request.case_id == case_id)
            .options(
                selectinload(Request.attachments),
                selectinload(Request.created_by),
                selectinload(Request.qa_by),
            )
            .order_by(Request.created_at.desc(), Request.id.desc())
        ).first()
        findings = (
            _findings(ws, case, request)
            if request is not None and request.status in _OPEN_REQUEST
            else []
        )
        audit.record(s, ws, actor, "view", "case", case.id, via="deadlines")
        return _summary(ws, case, request, findings, clocks)
