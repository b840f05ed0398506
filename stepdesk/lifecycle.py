"""The request lifecycle: which moves are legal, who may make them, and what must happen first.

Pure rules, no database: :func:`check_move` says whether a move is allowed and, when it is
not, what must happen first. :mod:`stepdesk.services.transitions` applies a move and records it.

    draft → submitted → returned ↺ / qa_approved → on_agenda → decided → effected
      → handover_arranged → handover_completed → closed
    on_agenda → escalated (T-ESCALATE-24H) → resolved → effected / closed
    on_agenda → deferred → on_agenda (a later panel)
    on_agenda → referred (C-CP-IMMEDIATE: leaves the panel route) → closed
    decided / escalated / referred → on_agenda: the panel changes its decision (a correction;
      the decision service allows it only while nothing has happened since the decision)

A refusal ("not agreed", "no change") is decided like any other outcome, so the panel can
correct it during the meeting; it has no transfer, and becomes final when the chair approves
the minutes, which moves it decided → closed (services.minutes.approve_minutes). It can also
be closed by hand before then (decided → closed, "the decision needs no transfer"). Closed is
the end: a closed request is never reopened.
"""

from __future__ import annotations

from dataclasses import dataclass

from stepdesk.domain import RequestStatus as S
from stepdesk.domain import Role
from stepdesk.errors import StepDeskError

_WORKERS = frozenset({Role.WORKER, Role.MANAGER})
_PANEL = frozenset({Role.CHAIR, Role.COORDINATOR})
_DECIDERS = frozenset({Role.CHAIR, Role.COORDINATOR, Role.MANAGER})
_CASEWORK = frozenset({Role.WORKER, Role.MANAGER, Role.COORDINATOR})


@dataclass(frozen=True)
class Move:
    """One legal move: from, to, the roles that may make it, and what it means."""

    source: S
    target: S
    roles: frozenset[Role]
    means: str
    rule: str | None = None


MOVES: tuple[Move, ...] = (
    Move(S.DRAFT, S.SUBMITTED, _WORKERS, "submit the request to the manager for QA"),
    Move(S.SUBMITTED, S.RETURNED, frozenset({Role.MANAGER}), "return it with comments"),
    Move(S.SUBMITTED, S.QA_APPROVED, frozenset({Role.MANAGER}), "QA-approve it", "T-FORM-48H"),
    Move(S.RETURNED, S.SUBMITTED, _WORKERS, "resubmit it after changes"),
    Move(S.QA_APPROVED, S.ON_AGENDA, _PANEL, "put it on a panel agenda", "T-AGENDA-24H"),
    Move(S.ON_AGENDA, S.QA_APPROVED, _PANEL, "take it off the agenda (held back)"),
    Move(S.ON_AGENDA, S.DECIDED, _DECIDERS, "record the panel's decision"),
    Move(S.ON_AGENDA, S.ESCALATED, _DECIDERS, "escalate: no agreement", "T-ESCALATE-24H"),
    Move(S.ON_AGENDA, S.DEFERRED, _DECIDERS, "defer it for more information"),
    Move(S.ON_AGENDA, S.REFERRED, _DECIDERS, "refer immediately", "C-CP-IMMEDIATE"),
    Move(S.DEFERRED, S.ON_AGENDA, _PANEL, "put it on a later agenda"),
    # Corrections: the panel changes the decision it has just recorded. The decision's service
    # makes these moves and, straight after, the one to the new outcome's status.
    Move(S.DECIDED, S.ON_AGENDA, _DECIDERS, "change the panel's decision"),
    Move(S.ESCALATED, S.ON_AGENDA, _DECIDERS, "change the panel's decision"),
    Move(S.REFERRED, S.ON_AGENDA, _DECIDERS, "change the panel's decision"),
    Move(
        S.ESCALATED,
        S.RESOLVED,
        frozenset({Role.MANAGER, Role.CHAIR}),
        "record how the escalation was resolved",
        "T-ESCALATE-24H",
    ),
    Move(S.RESOLVED, S.EFFECTED, _CASEWORK, "make the transfer agreed on escalation"),
    Move(S.RESOLVED, S.CLOSED, _DECIDERS, "close it: no transfer after escalation"),
    Move(S.DECIDED, S.EFFECTED, _CASEWORK, "make the transfer", "T-EFFECT-24H"),
    Move(S.DECIDED, S.CLOSED, _DECIDERS, "close it: the decision needs no transfer"),
    Move(S.EFFECTED, S.HANDOVER_ARRANGED, _CASEWORK, "arrange the handover", "T-HANDOVER"),
    Move(
        S.HANDOVER_ARRANGED,
        S.HANDOVER_COMPLETED,
        _CASEWORK,
        "complete the handover visit",
        "T-HANDOVER",
    ),
    Move(S.HANDOVER_COMPLETED, S.CLOSED, _DECIDERS, "close the request"),
    Move(S.REFERRED, S.CLOSED, _DECIDERS, "close it: the referral has left the panel route"),
)

_BY_PAIR = {(m.source, m.target): m for m in MOVES}


class IllegalMoveError(StepDeskError):
    """A lifecycle move that is not allowed from here, or not by this role."""


def moves_from(status: S | str) -> tuple[Move, ...]:
    """Every legal move out of a status."""
    return tuple(m for m in MOVES if m.source == S(status))


def move_for(source: S | str, target: S | str) -> Move | None:
    """The legal move from ``source`` to ``target``, if there is one."""
    return _BY_PAIR.get((S(source), S(target)))


def check_move(source: S | str, target: S | str, role: Role | str) -> Move:
    """Return the move if ``role`` may make it now; otherwise say what must happen first.

    Raises:
        IllegalMoveError: no such move from here (naming the moves that are possible and
            the shortest path to the target), or the role may not make it.
    """
    source, target = S(source), S(target)
    found = _BY_PAIR.get((source, target))
    if found is None:
        path = path_between(source, target)
        if path is None:
            where = ", ".join(m.target.label.lower() for m in moves_from(source)) or "nothing"
            raise IllegalMoveError(
                f"A request that is {source.label.lower()} cannot become "
                f"{target.label.lower()}; from here it can only become: {where}."
            )
        first = path[0]
        raise IllegalMoveError(
            f"A request that is {source.label.lower()} cannot become "
            f"{target.label.lower()} yet: first {first.means} "
            f"({first.target.label.lower()})."
        )
    if Role(role) not in found.roles:
        who = ", ".join(sorted(r.label.lower() for r in found.roles))
        raise IllegalMoveError(
            f"A {Role(role).label.lower()} may not {found.means}: that needs one of: {who}."
        )
    return found


def path_between(source: S, target: S) -> list[Move] | None:
    """The shortest chain of legal moves from ``source`` to ``target`` (breadth first)."""
    frontier: list[tuple[S, list[Move]]] = [(source, [])]
    seen = {source}
    while frontier:
        status, path = frontier.pop(0)
        for m in moves_from(status):
            if m.target == target:
                return [*path, m]
            if m.target not in seen:
                seen.add(m.target)
                frontier.append((m.target, [*path, m]))
    return None


__all__ = [
    "MOVES",
    "IllegalMoveError",
    "Move",
    "check_move",
    "move_for",
    "moves_from",
    "path_between",
]
