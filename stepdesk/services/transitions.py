"""Applying a lifecycle move to a request: checked, recorded with who and when, audited."""

from __future__ import annotations

from sqlalchemy.orm import Session

from stepdesk import lifecycle
from stepdesk.domain import RequestStatus
from stepdesk.persistence.models import Request, RequestTransition
from stepdesk.services import audit
from stepdesk.services.workspace import Actor, Workspace


def move_request(
    s: Session,
    ws: Workspace,
    actor: Actor,
    request: Request,
    target: RequestStatus,
    note: str | None = None,
) -> RequestTransition:
    """Move ``request`` to ``target`` inside the caller's transaction.

    Raises:
        IllegalMoveError: the move is not legal from the request's status, or not for the
            actor's role; the message says what must happen first.
    """
    source = RequestStatus(request.status)
    lifecycle.check_move(source, target, actor.role)
    request.status = target.value
    transition = RequestTransition(
        request_id=request.id,
        from_status=source.value,
        to_status=target.value,
        at=ws.now(),
        by_id=actor.user_id,
        note=note,
    )
    s.add(transition)
    audit.record(
        s, ws, actor, "move", "request", request.id, before=source.value, after=target.value
    )
    return transition
