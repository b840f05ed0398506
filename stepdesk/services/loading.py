"""Shared eager-loading options, so each service reads what it shows in a few queries."""

from __future__ import annotations

from sqlalchemy.orm import selectinload
from sqlalchemy.orm.strategy_options import _AbstractLoad

from stepdesk.persistence.models import AgendaItem, Attendance, Case, Decision, Panel, Request

_DECISION = (
    Decision.actions,
    Decision.dissents,
    Decision.receiving_team,
    Decision.override_by,
    Decision.decided_by,
)
_CASE_SUMMARY = (
    Case.team,
    Case.stepped_down_from_team,
    Case.allocated_worker,
    Case.episodes,
    Case.consents,
)


def case_options() -> list[_AbstractLoad]:
    """Load a case with everything its summary shows."""
    return [selectinload(Case.subject), *(selectinload(rel) for rel in _CASE_SUMMARY)]


def item_options(*, full_case: bool = False) -> list[_AbstractLoad]:
    """Load an agenda item with its request, case, presenter and decision."""
    request = selectinload(AgendaItem.request)
    case = request.selectinload(Request.case)
    decision = selectinload(AgendaItem.decision)
    options: list[_AbstractLoad] = [
        request.selectinload(Request.attachments),
        request.selectinload(Request.created_by),
        request.selectinload(Request.qa_by),
        case.selectinload(Case.subject),
        selectinload(AgendaItem.presenter),
        *(decision.selectinload(rel) for rel in _DECISION),
    ]
    if full_case:
        options += [case.selectinload(rel) for rel in _CASE_SUMMARY]
    return options


def panel_options(*, full_case: bool = False) -> list[_AbstractLoad]:
    """Load a panel with chair, attendance and agenda items."""
    items = selectinload(Panel.items)
    return [
        selectinload(Panel.chair),
        selectinload(Panel.attendance).selectinload(Attendance.user),
        items.options(*item_options(full_case=full_case)),
    ]
