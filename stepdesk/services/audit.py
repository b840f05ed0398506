"""Writing audit events, inside the same transaction as the change they describe."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from stepdesk.errors import NotFoundError
from stepdesk.persistence.audit_chain import Break, verify
from stepdesk.persistence.models import AgendaItem, AuditEvent, Case, Decision, Request, User
from stepdesk.services.permissions import require
from stepdesk.services.workspace import Actor, Workspace


def record(
    session: Session,
    ws: Workspace,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None,
    **detail: Any,
) -> None:
    """Add one audit event (who, when, what, which record, details) to the session."""
    session.add(
        AuditEvent(
            at=ws.now(),
            user_id=actor.user_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail={k: _jsonable(v) for k, v in detail.items()},
        )
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


@dataclass(frozen=True)
class TrailCheck:
    """The result of checking the audit chain: rows checked, and the first break if any."""

    checked: int
    broken: Break | None


def verify_trail(ws: Workspace, actor: Actor) -> TrailCheck:
    """Walk the audit trail's hash chain (auditors and administrators); the check is audited."""
    require(actor, "audit.view")
    with ws.db.engine.connect() as connection:
        checked, broken = verify(connection, ws.db.key)
    with ws.db.session() as s:
        record(
            s,
            ws,
            actor,
            "verify",
            "audit_event",
            broken.row_id if broken else None,
            checked=checked,
            intact=broken is None,
        )
    return TrailCheck(checked, broken)


@dataclass(frozen=True)
class AuditRow:
    """One audit event as the auditor's page shows it."""

    id: int
    at: dt.datetime
    user_id: int | None
    user_name: str
    action: str
    entity: str
    entity_id: int | None
    before: str
    after: str
    detail: str


@dataclass(frozen=True)
class AuditFilter:
    """What the auditor narrows the trail to: a person, a case (by reference), dates."""

    user_id: int | None = None
    case_reference: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    limit: int = 5000


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {_text(v)}" for k, v in sorted(value.items()))
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _case_records(s: Session, reference: str) -> list[tuple[str, int]]:
    """(entity, id) pairs of a case: the case, its requests, their items and decisions."""
    case = s.scalars(select(Case).where(func.lower(Case.reference) == reference.lower())).first()
    if case is None:
        raise NotFoundError(f"Case: no case with reference '{reference}'. Check the reference.")
    pairs = [("case", case.id)]
    requests = list(s.scalars(select(Request.id).where(Request.case_id == case.id)))
    pairs += [("request", r) for r in requests]
    items = list(s.scalars(select(AgendaItem.id).where(AgendaItem.request_id.in_(requests))))
    pairs += [("agenda_item", i) for i in items]
    decisions = s.scalars(select(Decision.id).where(Decision.agenda_item_id.in_(items)))
    pairs += [("decision", d) for d in decisions]
    return pairs


def search_events(ws: Workspace, actor: Actor, where: AuditFilter) -> list[AuditRow]:
    """The audit events matching ``where``, newest first (auditors and administrators)."""
    require(actor, "audit.view")
    with ws.db.session() as s:
        query = (
            select(AuditEvent, User.name)
            .outerjoin(User, User.id == AuditEvent.user_id)
            .order_by(AuditEvent.id.desc())
            .limit(where.limit)
        )
        if where.user_id is not None:
            query = query.where(AuditEvent.user_id == where.user_id)
        if where.date_from is not None:
            query = query.where(AuditEvent.at >= dt.datetime.combine(where.date_from, dt.time()))
        if where.date_to is not None:
            end = dt.datetime.combine(where.date_to + dt.timedelta(days=1), dt.time())
            query = query.where(AuditEvent.at < end)
        if where.case_reference.strip():
            pairs = _case_records(s, where.case_reference.strip())
            query = query.where(
                or_(
                    *(
                        and_(AuditEvent.entity.startswith(entity), AuditEvent.entity_id == ident)
                        for entity, ident in pairs
                    )
                )
            )
        rows = [
            AuditRow(
                id=event.id,
                at=event.at,
                user_id=event.user_id,
                user_name=name or "StepDesk (system)",
                action=event.action,
                entity=event.entity,
                entity_id=event.entity_id,
                before=_text((event.detail or {}).get("before")),
                after=_text((event.detail or {}).get("after")),
                detail=_text(
                    {k: v for k, v in (event.detail or {}).items() if k not in ("before", "after")}
                    or None
                ),
            )
            for event, name in s.execute(query)
        ]
        record(s, ws, actor, "view", "audit_event", None, **_filter_detail(where), rows=len(rows))
        return rows


def _filter_detail(where: AuditFilter) -> dict[str, Any]:
    return {
        "user_id": where.user_id,
        "case": where.case_reference.strip() or None,
        "from": where.date_from.isoformat() if where.date_from else None,
        "to": where.date_to.isoformat() if where.date_to else None,
    }


CSV_COLUMNS = ("id", "when", "user", "action", "record", "record id", "before", "after", "detail")


def export_csv(ws: Workspace, actor: Actor, where: AuditFilter) -> str:
    """The matching events as CSV text (UK dates, 24-hour times); the export is audited."""
    rows = search_events(ws, actor, where)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r.id,
                f"{r.at:%d/%m/%Y %H:%M:%S}",
                _no_formula(r.user_name),
                r.action,
                r.entity,
                "" if r.entity_id is None else r.entity_id,
                _no_formula(r.before),
                _no_formula(r.after),
                _no_formula(r.detail),
            ]
        )
    with ws.db.session() as s:
        record(s, ws, actor, "export", "audit_event", None, **_filter_detail(where), rows=len(rows))
    return out.getvalue()


def _no_formula(text: str) -> str:
    # A spreadsheet runs a cell starting with = + - @ as a formula (CSV injection).
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
