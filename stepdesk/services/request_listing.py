"""Finding cases to write a request on, and listing and reading requests."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from stepdesk.domain import RequestStatus as S
from stepdesk.errors import ValidationError
from stepdesk.persistence.models import (
    Case,
    Request,
    Subject,
    User,
)
from stepdesk.services import audit
from stepdesk.services.permissions import require
from stepdesk.services.request_forms import (
    CaseForRequest,
    CaseOption,
    RequestDetail,
    RequestRow,
    Scope,
)
from stepdesk.services.request_loading import (
    _agenda_panels,
    _case_for_request,
    _detail,
    _load_case,
    _load_request,
    _refusals,
    _request_options,
    _row,
)
from stepdesk.services.workspace import Actor, Workspace


def find_cases(ws: Workspace, actor: Actor, text: str, limit: int = 30) -> list[CaseOption]:
    """Open cases whose subject's name, case reference or date of birth matches ``text``."""
    require(actor, "case.view")
    text = text.strip()
    if not text:
        return []
    with ws.db.session() as s:
        query = (
            select(Case)
            .join(Subject, Case.subject_id == Subject.id)
            .where(Case.closed_on.is_(None))
            .options(selectinload(Case.subject), selectinload(Case.team))
        )
        try:
            born = dt.datetime.strptime(text, "%d/%m/%Y").date()
        except ValueError:
            born = None
        if born is not None:
            query = query.where(Subject.date_of_birth == born)
        else:
            conditions = [func.lower(Case.reference).contains(text.lower())]
            words = text.lower().split()
            name = func.lower(Subject.given_name + " " + Subject.family_name)
            conditions.append(
                name.contains(" ".join(words))
                if len(words) > 1
                else or_(
                    func.lower(Subject.given_name).startswith(words[0]),
                    func.lower(Subject.family_name).startswith(words[0]),
                )
            )
            query = query.where(or_(*conditions))
        cases = s.scalars(
            query.order_by(Subject.family_name, Subject.given_name).limit(limit)
        ).all()
        return [
            CaseOption(
                c.id,
                c.reference,
                c.subject.full_name,
                c.subject.date_of_birth,
                ws.profile.plan_name(c.plan),
                c.team.name,
            )
            for c in cases
        ]


def case_for_request(ws: Workspace, actor: Actor, case_id: int) -> CaseForRequest:
    """What a new request on a case starts from (C-STORY-ONCE)."""
    require(actor, "case.view")
    with ws.db.session() as s:
        return _case_for_request(s, ws, _load_case(s, case_id))


def list_requests(ws: Workspace, actor: Actor, scope: Scope = "all") -> list[RequestRow]:
    """Requests newest first: ``mine`` (written by or allocated to me), ``qa`` or ``all``.

    ``qa`` is the requests submitted and waiting for a manager: for a manager with a team,
    those on that team's cases; for one without (an Operations Manager), every team's.
    """
    require(actor, "case.view")
    with ws.db.session() as s:
        query = select(Request).join(Case, Request.case_id == Case.id)
        if scope == "mine":
            query = query.where(
                or_(
                    Request.created_by_id == actor.user_id,
                    Case.allocated_worker_id == actor.user_id,
                )
            )
        elif scope == "qa":
            query = query.where(Request.status == S.SUBMITTED)
            me = s.get(User, actor.user_id) if actor.user_id is not None else None
            if me is not None and me.team_id is not None:
                query = query.where(Case.team_id == me.team_id)
        elif scope != "all":
            raise ValidationError("Show", f"'{scope}' is not one of: mine, qa, all.")
        requests = s.scalars(
            query.options(*_request_options()).order_by(
                Request.created_at.desc(), Request.id.desc()
            )
        ).all()
        panels = _agenda_panels(s, [r.id for r in requests])
        refused = _refusals(s, list(requests))
        return [_row(ws, r, panels.get(r.id), refused.get(r.id)) for r in requests]


def get_request(ws: Workspace, actor: Actor, request_id: int) -> RequestDetail:
    """One request with its case, findings and history. Audited as a view of the case."""
    require(actor, "case.view")
    with ws.db.session() as s:
        request = _load_request(s, request_id)
        audit.record(s, ws, actor, "view", "request", request.id)
        return _detail(s, ws, actor, request)
