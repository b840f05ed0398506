"""Writing audit events, inside the same transaction as the change they describe."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from stepdesk.persistence.models import AuditEvent
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
