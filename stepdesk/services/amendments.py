"""Decisions changed after the chair approved the panel's minutes (T-MINUTES-48H).

Approved minutes are frozen (:mod:`stepdesk.services.minutes`). A decision of that panel can
still change afterwards (an escalation resolved, a deferral agreed by the chair), but then
the approved minutes no longer say what the database says. So a change after approval:

- is the chair's (or anyone who may approve the panel's minutes);
- needs a reason, the *change note*;
- is written to the audit trail as action ``amend`` on the decision, with the reason, the
  approved version it departs from, and the decision before and after;
- makes the approved minutes *out of date* until a corrected version is approved, whose
  change note is derived from these changes, and starts a T-MINUTES-48H clock from the change.

No new table: the audit trail is append-only and hash-chained, so the history it keeps is the
one an auditor trusts, and "out of date" is simply "a change recorded against the latest
approved version".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stepdesk.domain import Outcome, Role
from stepdesk.errors import PermissionDeniedError, ValidationError
from stepdesk.persistence.models import AgendaItem, AuditEvent, Decision, Panel, User
from stepdesk.services import audit
from stepdesk.services.document_views import DecisionChangeRow, MinutesLock, MinutesState
from stepdesk.services.panels import load_panel
from stepdesk.services.permissions import require
from stepdesk.services.workspace import Actor, Workspace

AMEND = "amend"  # the audit action of a decision changed after the minutes were approved
REASON_FIELD = "Reason for the change"
MAX_REASON = 2_000


def may_approve(actor: Actor, chair_id: int | None) -> bool:
    """The chair of that panel, or anyone with the chair role, may approve its minutes."""
    return actor.role == Role.CHAIR or (actor.user_id is not None and actor.user_id == chair_id)


def minutes_lock(panel: Panel) -> MinutesLock | None:
    """The latest approved version of the panel's minutes, if any."""
    if not panel.minutes_versions:
        return None
    last = max(panel.minutes_versions, key=lambda v: v.version)
    return MinutesLock(
        meeting_date=panel.starts_at.date(),
        version=last.version,
        approved_by=last.approved_by.name if last.approved_by else "Unknown",
        approved_at=last.approved_at,
    )


def check_change_allowed(
    actor: Actor, item: AgendaItem, change_note: str | None
) -> tuple[int, str] | None:
    """Before a decision of ``item`` changes: ``(approved version, reason)`` if approved.

    ``None`` when the panel's minutes are not approved (no extra rule applies).

    Raises:
        PermissionDeniedError: the minutes are approved and the actor may not approve them.
        ValidationError: the minutes are approved and no reason was given.
    """
    panel = item.panel
    lock = minutes_lock(panel)
    if lock is None:
        return None
    if not may_approve(actor, panel.chair_id):
        raise PermissionDeniedError(
            f"The minutes of {lock.meeting_date:%d/%m/%Y} were approved on "
            f"{lock.approved_at:%d/%m/%Y}: only the panel's chair or a panel chair may change "
            f"its decisions now; {actor.name} is signed in as "
            f"{Role(actor.role).label.lower()}."
        )
    reason = (change_note or "").strip()[:MAX_REASON]
    if not reason:
        raise ValidationError(
            REASON_FIELD,
            f"the minutes of {lock.meeting_date:%d/%m/%Y} were approved on "
            f"{lock.approved_at:%d/%m/%Y %H:%M}: say why the decision changes; it goes into "
            "the corrected minutes",
        )
    return lock.version, reason


def decision_summary(decision: Decision | None) -> dict[str, Any] | None:
    """What the audit keeps of a decision before and after a change (plain JSON)."""
    if decision is None:
        return None
    return {
        "outcome": decision.outcome,
        "rationale": decision.rationale,
        "effective_on": decision.effective_on.isoformat() if decision.effective_on else None,
        "review_on": decision.review_on.isoformat() if decision.review_on else None,
        "lead_professional": decision.lead_professional,
        "receiving_team": decision.receiving_team.name if decision.receiving_team else None,
        "exit_strategy": decision.exit_strategy,
        "decided_by": decision.decided_by.name if decision.decided_by else None,
        "decided_at": decision.decided_at.isoformat() if decision.decided_at else None,
    }


def record_change(
    s: Session,
    ws: Workspace,
    actor: Actor,
    item: AgendaItem,
    decision: Decision,
    against: tuple[int, str],
    before: dict[str, Any] | None,
) -> None:
    """Audit the change (action ``amend``): reason, approved version, before and after."""
    version, reason = against
    audit.record(
        s,
        ws,
        actor,
        AMEND,
        "decision",
        decision.id,
        panel=item.panel_id,
        agenda_item=item.id,
        minutes_version=version,
        reason=reason,
        before=before,
        after=decision_summary(decision),
    )


def _label(outcome: object) -> str | None:
    if not isinstance(outcome, str):
        return None
    try:
        return Outcome(outcome).label
    except ValueError:
        return outcome


def _side(detail: dict[str, Any], key: str) -> dict[str, Any]:
    value = detail.get(key)
    return value if isinstance(value, dict) else {}


def changes_of(s: Session, panels: Iterable[Panel]) -> dict[int, list[DecisionChangeRow]]:
    """Every decision change after approval, oldest first, by panel id (one query)."""
    items = {item.id: item for panel in panels for item in panel.items}
    decisions = {item.decision.id: item for item in items.values() if item.decision is not None}
    found: dict[int, list[DecisionChangeRow]] = {}
    if not decisions:
        return found
    events = s.execute(
        select(AuditEvent, User.name)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(
            AuditEvent.entity == "decision",
            AuditEvent.action == AMEND,
            AuditEvent.entity_id.in_(list(decisions)),
        )
        .order_by(AuditEvent.id)
    ).all()
    for event, name in events:
        decision_id = event.entity_id
        if decision_id is None or decision_id not in decisions:
            continue
        item = decisions[decision_id]
        detail = event.detail or {}
        before, after = _side(detail, "before"), _side(detail, "after")
        case = item.request.case
        found.setdefault(item.panel_id, []).append(
            DecisionChangeRow(
                decision_id=decision_id,
                agenda_item_id=item.id,
                position=item.position,
                subject_name=case.subject.full_name,
                case_reference=case.reference,
                changed_by=name or "StepDesk (command line)",
                changed_at=event.at,
                reason=str(detail.get("reason") or ""),
                before_outcome=_label(before.get("outcome")),
                before_rationale=before.get("rationale"),
                after_outcome=_label(after.get("outcome")) or "",
                after_rationale=str(after.get("rationale") or ""),
                against_version=int(detail.get("minutes_version") or 0),
            )
        )
    return found


def outstanding(panel: Panel, changes: list[DecisionChangeRow]) -> list[DecisionChangeRow]:
    """The changes no approved version takes in yet (recorded against the latest one)."""
    lock = minutes_lock(panel)
    if lock is None:
        return []
    return [c for c in changes if c.against_version >= lock.version]


def state_of(s: Session, panel: Panel) -> MinutesState:
    """Whether the panel's approved minutes are out of date, and by which changes."""
    lock = minutes_lock(panel)
    changes = changes_of(s, [panel]).get(panel.id, [])
    return MinutesState(
        panel_id=panel.id,
        version=lock.version if lock else None,
        approved_at=lock.approved_at if lock else None,
        changes=outstanding(panel, changes),
    )


def minutes_state(ws: Workspace, actor: Actor, panel_id: int) -> MinutesState:
    """Whether a panel's approved minutes are out of date (Documents menu, approval dialog)."""
    require(actor, "panel.view")
    with ws.db.session() as s:
        return state_of(s, load_panel(s, panel_id))


def corrections_due(
    panel: Panel, changes: list[DecisionChangeRow]
) -> list[tuple[DecisionChangeRow, dt.datetime | None]]:
    """The corrections a panel's decision changes call for, and when each was approved.

    One per decision and approved version it departs from: the first such change starts the
    T-MINUTES-48H clock, met when the next version of the minutes is approved (``None``: not
    yet).
    """
    approved = {v.version: v.approved_at for v in panel.minutes_versions}
    first: dict[tuple[int, int], DecisionChangeRow] = {}
    for change in changes:
        first.setdefault((change.decision_id, change.against_version), change)
    return [(c, approved.get(c.against_version + 1)) for c in first.values()]
