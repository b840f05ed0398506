"""Find a case from anywhere: by name, case reference or date of birth (dd/mm/yyyy).

One indexed query per search: words match the start of the given or family name (every word
must match), a reference matches anywhere in it, a date matches the date of birth. Each hit
says where the case is on an agenda, so the GUI can open it there.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from stepdesk.persistence.models import AgendaItem, Case, Panel, Request, Subject
from stepdesk.services.permissions import require
from stepdesk.services.workspace import Actor, Workspace

_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class CaseHit:
    """A case found, with the latest agenda item it is on (if any)."""

    case_id: int
    reference: str
    subject_name: str
    date_of_birth: dt.date | None
    team: str
    plan_name: str
    panel_id: int | None
    agenda_item_id: int | None
    panel_starts_at: dt.datetime | None


def _date(text: str) -> dt.date | None:
    match = _DATE.match(text)
    if match is None:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_cases(ws: Workspace, actor: Actor, text: str, limit: int = 25) -> list[CaseHit]:
    """Cases matching ``text``; an empty search finds nothing."""
    require(actor, "case.view")
    words = text.split()
    if not words:
        return []
    conditions = []
    born = _date(text.strip())
    if born is not None:
        conditions.append(Subject.date_of_birth == born)
    else:
        names = [
            or_(
                Subject.given_name.ilike(f"{_like(w)}%", escape="\\"),
                Subject.family_name.ilike(f"{_like(w)}%", escape="\\"),
            )
            for w in words
        ]
        conditions.append(and_(*names))
        if len(words) == 1:
            conditions.append(Case.reference.ilike(f"%{_like(words[0])}%", escape="\\"))
    with ws.db.session() as s:
        cases = s.scalars(
            select(Case)
            .join(Case.subject)
            .where(or_(*conditions))
            .options(selectinload(Case.subject), selectinload(Case.team))
            .order_by(Subject.family_name, Subject.given_name, Case.reference)
            .limit(limit)
        ).all()
        latest: dict[int, tuple[int, int, dt.datetime]] = {}
        if cases:
            rows = s.execute(
                select(Request.case_id, AgendaItem.id, Panel.id, Panel.starts_at)
                .join(AgendaItem, AgendaItem.request_id == Request.id)
                .join(Panel, Panel.id == AgendaItem.panel_id)
                .where(Request.case_id.in_([c.id for c in cases]))
                .order_by(Panel.starts_at)
            ).all()
            for case_id, item_id, panel_id, starts_at in rows:
                latest[case_id] = (item_id, panel_id, starts_at)
        return [
            CaseHit(
                case_id=c.id,
                reference=c.reference,
                subject_name=c.subject.full_name,
                date_of_birth=c.subject.date_of_birth,
                team=c.team.name,
                plan_name=ws.profile.plan_name(c.plan),
                panel_id=latest[c.id][1] if c.id in latest else None,
                agenda_item_id=latest[c.id][0] if c.id in latest else None,
                panel_starts_at=latest[c.id][2] if c.id in latest else None,
            )
            for c in cases
        ]
