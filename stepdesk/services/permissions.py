"""Who may do what. Checked in every service; the GUI mirrors it to hide what a role cannot do."""

from __future__ import annotations

from stepdesk.domain import Role
from stepdesk.errors import PermissionDeniedError
from stepdesk.services.workspace import Actor

_EVERYONE = frozenset(Role)
_PANEL_STAFF = frozenset({Role.CHAIR, Role.COORDINATOR, Role.MANAGER, Role.ADMINISTRATOR})

PERMISSIONS: dict[str, frozenset[Role]] = {
    "panel.view": _EVERYONE,
    "case.view": _EVERYONE,
    "attendance.edit": _PANEL_STAFF,
    "minutes.edit": frozenset({Role.CHAIR, Role.COORDINATOR, Role.ADMINISTRATOR}),
    "minutes.export": _EVERYONE,
    "decision.record": frozenset({Role.CHAIR, Role.COORDINATOR, Role.MANAGER}),
    "request.edit": frozenset({Role.WORKER, Role.MANAGER}),
    "request.qa": frozenset({Role.MANAGER}),
    "agenda.edit": frozenset({Role.CHAIR, Role.COORDINATOR}),
    "meeting.run": frozenset({Role.CHAIR, Role.COORDINATOR, Role.ADMINISTRATOR}),
    "escalation.resolve": frozenset({Role.CHAIR, Role.MANAGER}),
    "accounts.manage": frozenset({Role.ADMINISTRATOR}),
    "audit.view": frozenset({Role.AUDITOR, Role.ADMINISTRATOR}),
    "database.backup": frozenset({Role.ADMINISTRATOR, Role.COORDINATOR, Role.CHAIR}),
    "database.restore": frozenset({Role.ADMINISTRATOR}),
    "monitoring.view": frozenset({Role.MANAGER, Role.CHAIR, Role.AUDITOR, Role.ADMINISTRATOR}),
    "monitoring.names": frozenset({Role.MANAGER, Role.CHAIR}),
}

# What each permission lets a person do, for the refusal message.
_WHAT = {
    "panel.view": "view panels",
    "case.view": "view cases",
    "attendance.edit": "change attendance",
    "minutes.edit": "write minutes",
    "minutes.export": "export minutes",
    "decision.record": "record decisions",
    "request.edit": "write step-up / step-down requests",
    "request.qa": "QA requests (approve or return them)",
    "agenda.edit": "build panel agendas",
    "meeting.run": "run a meeting (start, open items, finish)",
    "escalation.resolve": "resolve an escalation",
    "accounts.manage": "manage other people's accounts",
    "audit.view": "read the audit trail",
    "database.backup": "back up the database",
    "database.restore": "restore the database from a backup",
    "monitoring.view": "see the monitoring measures",
    "monitoring.names": "see names behind the monitoring figures",
}


def allowed(actor: Actor, permission: str) -> bool:
    """Whether the actor's role grants the permission."""
    return actor.role in PERMISSIONS[permission]


def require(actor: Actor, permission: str) -> None:
    """Raise ``PermissionDeniedError`` unless the actor's role grants the permission."""
    if not allowed(actor, permission):
        roles = ", ".join(sorted(Role(r).label.lower() for r in PERMISSIONS[permission]))
        raise PermissionDeniedError(
            f"{actor.name} ({Role(actor.role).label}) may not {_WHAT[permission]}: "
            f"that needs one of: {roles}."
        )
