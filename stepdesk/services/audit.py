"""Writing audit events, inside the same transaction as the change they describe."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from stepdesk.persistence.audit_chain import Break, verify
from stepdesk.persistence.models import AuditEvent
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
