"""After the decision: the case moves, the handover happens, the request closes.

``effect_decision`` makes an agreed movement real on or after its effective date: the current
plan episode ends, a new one starts, and the case's plan, level, owning team and Lead
Professional change, all in one transaction with the request's move to *effected*
(T-EFFECT-24H). ``arrange_handover`` and ``complete_handover`` record the handover visit
(T-HANDOVER); ``close_request`` ends the request's life; ``effect_due`` effects every
decision whose day has come.

"Held safely": a case always has an owning team, and its team changes only inside
``effect_decision``, in the same transaction as the request's move. Nothing else here, or
anywhere in the services, writes ``Case.team``.

Re-emergence (T-REEMERGE-3M): a step-up within 3 months of a step-down from a Family
Safeguarding team goes back to that team unless the panel named another receiving team.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from stepdesk import lifecycle
from stepdesk.domain import REFUSALS, Movement, Outcome
from stepdesk.domain import RequestStatus as S
from stepdesk.errors import NotFoundError, StepDeskError, ValidationError
from stepdesk.persistence.models import (
    AgendaItem,
    Case,
    CaseNote,
    Decision,
    PlanEpisode,
    Request,
    Team,
)
from stepdesk.profile import Profile
from stepdesk.services import audit
from stepdesk.services.permissions import require
from stepdesk.services.transitions import move_request
from stepdesk.services.workspace import Actor, Workspace
from stepdesk.timescales import add_months

# Where a step-down from this kind of team is remembered for T-REEMERGE-3M.
FAMILY_SAFEGUARDING = "family_safeguarding"


@dataclass(frozen=True)
class TransferView:
    """What a transfer (or a handover step) did to a case and its request."""

    case_id: int
    case_reference: str
    request_id: int
    decision_id: int | None
    request_status: str
    from_plan: str
    to_plan: str
    from_team: str
    to_team: str
    effective_on: dt.date | None
    note: str


@dataclass(frozen=True)
class EffectDueResult:
    """What ``effect_due`` did: the transfers made and the decisions it could not effect."""

    effected: list[TransferView]
    skipped: list[tuple[int, str]]  # (decision id, why)


def reemergence_team(case: Case, on: dt.date) -> Team | None:
    """The Family Safeguarding team a re-emerging case returns to, if within 3 months."""
    team, stepped_down_on = case.stepped_down_from_team, case.stepped_down_on
    if team is None or stepped_down_on is None:
        return None
    return team if on <= add_months(stepped_down_on, 3) else None


def _load_decision(s: Session, decision_id: int) -> Decision:
    decision = s.scalars(
        select(Decision)
        .where(Decision.id == decision_id)
        .options(
            selectinload(Decision.receiving_team),
            selectinload(Decision.agenda_item)
            .selectinload(AgendaItem.request)
            .options(
                selectinload(Request.attachments),
                selectinload(Request.case).options(
                    selectinload(Case.team),
                    selectinload(Case.episodes),
                    selectinload(Case.stepped_down_from_team),
                ),
            ),
            selectinload(Decision.agenda_item).selectinload(AgendaItem.panel),
        )
    ).one_or_none()
    if decision is None:
        raise NotFoundError(f"No decision with id {decision_id}.")
    return decision


def _load_request(s: Session, request_id: int) -> Request:
    request = s.scalars(
        select(Request)
        .where(Request.id == request_id)
        .options(selectinload(Request.case).selectinload(Case.team))
    ).one_or_none()
    if request is None:
        raise NotFoundError(f"No request with id {request_id}.")
    return request


def _decision_of(s: Session, request: Request) -> Decision | None:
    return s.scalars(
        select(Decision)
        .join(AgendaItem, Decision.agenda_item_id == AgendaItem.id)
        .where(AgendaItem.request_id == request.id)
        .order_by(Decision.decided_at.desc())
    ).first()


def _effective_on(decision: Decision) -> dt.date:
    return decision.effective_on or decision.decided_at.date()


def effect_decision(
    ws: Workspace, actor: Actor, decision_id: int, note: str | None = None
) -> TransferView:
    """Make a decided movement real: new plan episode, plan, level, team, Lead Professional.

    Raises:
        NotFoundError: no such decision.
        ValidationError: the decision does not move the case, or its effective date is
            still to come.
        IllegalMoveError: the request is not decided (or resolved), or the actor's role may
            not make the transfer; the message says what must happen first.
    """
    require(actor, "case.view")
    with ws.db.session() as s:
        decision = _load_decision(s, decision_id)
        request = decision.agenda_item.request
        case = request.case
        # Refuse an illegal move before anything changes (the lifecycle's own message).
        lifecycle.check_move(request.status, S.EFFECTED, actor.role)
        resolved = request.status == S.RESOLVED
        if decision.outcome not in (Outcome.AGREED, Outcome.CLOSE) and not resolved:
            raise ValidationError(
                "Decision",
                f"the outcome is '{Outcome(decision.outcome).label}': there is no transfer "
                "to make; close the request instead",
            )
        effective = _effective_on(decision)
        if ws.today() < effective:
            raise ValidationError(
                "Effective date",
                f"the transfer takes effect on {effective:%d/%m/%Y}; effect it on or after "
                "that day",
            )
        from_plan, from_team = case.plan, case.team
        closing = decision.outcome == Outcome.CLOSE or request.movement == Movement.CLOSE
        text = apply_transfer(ws.profile, s, decision, request, case, effective, closing)
        if note:
            text = f"{text} {note.strip()}"
        s.add(
            CaseNote(
                case_id=case.id, at=ws.now(), author_id=actor.user_id, source="transfer", text=text
            )
        )
        move_request(s, ws, actor, request, S.EFFECTED, text)
        s.flush()
        audit.record(
            s,
            ws,
            actor,
            "effect",
            "case",
            case.id,
            decision=decision.id,
            request=request.id,
            from_plan=from_plan,
            to_plan=case.plan,
            from_team=from_team.name,
            to_team=case.team.name,
        )
        return TransferView(
            case_id=case.id,
            case_reference=case.reference,
            request_id=request.id,
            decision_id=decision.id,
            request_status=request.status,
            from_plan=from_plan,
            to_plan=case.plan,
            from_team=from_team.name,
            to_team=case.team.name,
            effective_on=effective,
            note=text,
        )


def apply_transfer(
    profile: Profile,
    s: Session,
    decision: Decision,
    request: Request,
    case: Case,
    effective: dt.date,
    closing: bool,
) -> str:
    """Change the case in the caller's transaction; return the case-history note.

    The caller moves the request to *effected* in the same transaction (``effect_decision``;
    the demo, for its history).
    """
    panel = decision.agenda_item.panel
    where = f"{profile.meeting_name(panel.meeting_type)} on {panel.starts_at:%d/%m/%Y}"
    carried = ", ".join(a.title for a in request.attachments)
    story = f" Carried over with the case (C-STORY-ONCE): {carried}." if carried else ""
    current = case.episodes[-1] if case.episodes else None
    if closing:
        if current is not None and current.ended_on is None:
            current.ended_on = effective
        case.closed_on = effective
        return f"Case closed on {effective:%d/%m/%Y} by the decision of the {where}.{story}"
    if request.movement in (Movement.STEP_IN, Movement.STEP_OUT):
        verb = "joined" if request.movement == Movement.STEP_IN else "left"
        return (
            f"{Movement(request.movement).label}: a service {verb} the plan on "
            f"{effective:%d/%m/%Y} (decision of the {where}); plan and team unchanged.{story}"
        )
    target = decision.receiving_team
    routed = ""
    if target is None and request.movement == Movement.STEP_UP:
        target = reemergence_team(case, effective)
        if target is not None:
            routed = (
                f" Returned to {target.name}: concerns re-emerged within 3 months of its "
                f"step-down on {case.stepped_down_on:%d/%m/%Y} (T-REEMERGE-3M)."
            )
    new_team = target or case.team
    try:
        level = profile.plan(request.to_plan).level
    except KeyError:
        raise ValidationError(
            "Plan", f"'{request.to_plan}' is not a plan of the profile {profile.name}"
        ) from None
    old_plan, old_team = case.plan, case.team
    if current is not None and current.ended_on is None:
        current.ended_on = effective
    text = (
        f"{Movement(request.movement).label} from {profile.plan_name(old_plan)} "
        f"({old_team.name}) to {profile.plan_name(request.to_plan)} ({new_team.name}) on "
        f"{effective:%d/%m/%Y}, by the decision of the {where}.{routed}{story}"
    )
    s.add(
        PlanEpisode(
            case=case,
            level=level,
            plan=request.to_plan,
            team=new_team,
            started_on=effective,
            note=text,
        )
    )
    if request.movement == Movement.STEP_DOWN and old_team.service == FAMILY_SAFEGUARDING:
        case.stepped_down_from_team = old_team
        case.stepped_down_on = effective
    elif request.movement == Movement.STEP_UP:
        case.stepped_down_from_team = None
        case.stepped_down_on = None
    case.plan, case.level = request.to_plan, level
    case.team = new_team  # held safely: the only place the owning team changes
    if decision.lead_professional:
        case.lead_professional = decision.lead_professional
    return text


def _handover_move(
    ws: Workspace, actor: Actor, request_id: int, target: S, what: str, note: str | None
) -> TransferView:
    require(actor, "case.view")
    with ws.db.session() as s:
        request = _load_request(s, request_id)
        case = request.case
        move_request(s, ws, actor, request, target, note)
        text = f"{what} on {ws.now():%d/%m/%Y %H:%M}." + (f" {note.strip()}" if note else "")
        s.add(
            CaseNote(
                case_id=case.id, at=ws.now(), author_id=actor.user_id, source="transfer", text=text
            )
        )
        decision = _decision_of(s, request)
        s.flush()
        return TransferView(
            case_id=case.id,
            case_reference=case.reference,
            request_id=request.id,
            decision_id=decision.id if decision else None,
            request_status=request.status,
            from_plan=request.from_plan,
            to_plan=request.to_plan,
            from_team=case.team.name,
            to_team=case.team.name,
            effective_on=_effective_on(decision) if decision else None,
            note=text,
        )


def arrange_handover(
    ws: Workspace, actor: Actor, request_id: int, note: str | None = None
) -> TransferView:
    """Record that the handover visit is arranged (T-HANDOVER, 48 hours)."""
    return _handover_move(
        ws, actor, request_id, S.HANDOVER_ARRANGED, "Handover visit arranged", note
    )


def complete_handover(
    ws: Workspace, actor: Actor, request_id: int, note: str | None = None
) -> TransferView:
    """Record that the handover visit took place (T-HANDOVER, 5 working days)."""
    return _handover_move(
        ws, actor, request_id, S.HANDOVER_COMPLETED, "Handover visit completed", note
    )


def close_request(
    ws: Workspace, actor: Actor, request_id: int, note: str | None = None
) -> TransferView:
    """Close a request at the end of its life (after the handover, a referral, or no transfer)."""
    return _handover_move(ws, actor, request_id, S.CLOSED, "Request closed", note)


# After the decision, the steps a case dialog offers, in the order they happen.
_STEPS: tuple[tuple[S, str], ...] = (
    (S.EFFECTED, "Make the transfer"),
    (S.HANDOVER_ARRANGED, "Handover arranged"),
    (S.HANDOVER_COMPLETED, "Handover completed"),
    (S.CLOSED, "Close request"),
)
# Where a request is once the panel has decided (the transfer steps apply).
AFTER_DECISION = frozenset(
    {S.DECIDED, S.RESOLVED, S.REFERRED, S.EFFECTED, S.HANDOVER_ARRANGED, S.HANDOVER_COMPLETED}
)


@dataclass(frozen=True)
class TransferStep:
    """One step after the decision: whether this user may take it now, and if not, why."""

    target: str
    label: str
    allowed: bool
    why_not: str | None
    rule: str | None


@dataclass(frozen=True)
class TransferOptions:
    """A request after its decision, and the steps open to the user."""

    request_id: int
    decision_id: int | None
    status: str
    status_label: str
    steps: list[TransferStep]


def _step(
    request: Request, decision: Decision | None, target: S, label: str, role: str, today: dt.date
) -> TransferStep:
    refused = decision is not None and decision.outcome in REFUSALS
    if refused and target != S.CLOSED and request.status == S.DECIDED:
        assert decision is not None
        none = (
            f"The outcome is '{Outcome(decision.outcome).label}': there is no transfer or "
            "handover; the request closes when the chair approves the minutes, or close it now."
        )
        return TransferStep(target.value, label, False, none, None)
    try:
        move = lifecycle.check_move(request.status, target, role)
    except lifecycle.IllegalMoveError as error:
        return TransferStep(target.value, label, False, str(error), None)
    why: str | None = None
    if target == S.EFFECTED:
        resolved = request.status == S.RESOLVED
        if decision is None:
            why = "There is no recorded decision to make the transfer from."
        elif decision.outcome not in (Outcome.AGREED, Outcome.CLOSE) and not resolved:
            why = (
                f"The outcome is '{Outcome(decision.outcome).label}': there is no transfer to "
                "make; close the request instead."
            )
        elif today < _effective_on(decision):
            why = (
                f"The transfer takes effect on {_effective_on(decision):%d/%m/%Y}: make it on "
                "or after that day."
            )
    return TransferStep(target.value, label, why is None, why, move.rule)


def _status_label(request: Request, decision: Decision | None) -> str:
    """The status, and for a decided refusal which one (it closes with the approved minutes)."""
    label = S(request.status).label
    if request.status == S.DECIDED and decision is not None and decision.outcome in REFUSALS:
        return f"{label}: {Outcome(decision.outcome).label.lower()}"
    return label


def transfer_options(ws: Workspace, actor: Actor, request_id: int) -> TransferOptions:
    """The steps after the decision (transfer, handover, close) and which this user may take.

    Each refused step carries the lifecycle's message: what must happen first, or who may.
    """
    require(actor, "case.view")
    with ws.db.session() as s:
        request = _load_request(s, request_id)
        decision = _decision_of(s, request)
        today = ws.today()
        return TransferOptions(
            request_id=request.id,
            decision_id=decision.id if decision else None,
            status=request.status,
            status_label=_status_label(request, decision),
            steps=[
                _step(request, decision, target, label, actor.role, today)
                for target, label in _STEPS
            ],
        )


def take_transfer_step(
    ws: Workspace, actor: Actor, request_id: int, target: str, note: str | None = None
) -> TransferView:
    """Take one step of :func:`transfer_options` (``target`` is the request status to reach).

    Raises:
        IllegalMoveError, ValidationError: as the step's own service raises them.
    """
    goal = S(target)
    if goal == S.EFFECTED:
        options = transfer_options(ws, actor, request_id)
        if options.decision_id is None:
            raise ValidationError("Decision", "there is no recorded decision to effect")
        return effect_decision(ws, actor, options.decision_id, note)
    if goal == S.HANDOVER_ARRANGED:
        return arrange_handover(ws, actor, request_id, note)
    if goal == S.HANDOVER_COMPLETED:
        return complete_handover(ws, actor, request_id, note)
    if goal == S.CLOSED:
        return close_request(ws, actor, request_id, note)
    raise ValidationError("Step", f"'{target}' is not a step after the decision")


def effect_due(ws: Workspace, actor: Actor, as_of: dt.date | None = None) -> EffectDueResult:
    """Effect every decided movement whose effective date has come (on or before ``as_of``).

    Each transfer is its own transaction: one that cannot be made is reported, not fatal.
    """
    require(actor, "case.view")
    day = as_of or ws.today()
    with ws.db.session() as s:
        rows = s.execute(
            select(Decision.id, Decision.effective_on, Decision.decided_at)
            .join(AgendaItem, Decision.agenda_item_id == AgendaItem.id)
            .join(Request, AgendaItem.request_id == Request.id)
            .where(Request.status.in_([S.DECIDED.value, S.RESOLVED.value]))
            .where(Decision.outcome.in_([Outcome.AGREED.value, Outcome.CLOSE.value]))
            .order_by(Decision.id)
        ).all()
    due = [r.id for r in rows if (r.effective_on or r.decided_at.date()) <= day]
    effected: list[TransferView] = []
    skipped: list[tuple[int, str]] = []
    for decision_id in due:
        try:
            effected.append(effect_decision(ws, actor, decision_id))
        except StepDeskError as error:
            skipped.append((decision_id, str(error)))
    return EffectDueResult(effected, skipped)


__all__ = [
    "AFTER_DECISION",
    "EffectDueResult",
    "TransferOptions",
    "TransferStep",
    "TransferView",
    "apply_transfer",
    "arrange_handover",
    "close_request",
    "complete_handover",
    "effect_decision",
    "effect_due",
    "reemergence_team",
    "take_transfer_step",
    "transfer_options",
]
