"""Recording a panel's decision, checked against the protocol.

The decision dialog gets a :class:`DecisionContext` once and calls its pure ``evaluate`` on
every keystroke; ``record_decision`` checks again inside the transaction and refuses a
``block`` finding unless an authorised override with a reason comes with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from stepdesk.domain import (
    REFUSALS,
    AttendanceStatus,
    ItemStatus,
    Movement,
    Outcome,
    RequestStatus,
    Role,
)
from stepdesk.errors import (
    BlockedByRuleError,
    PermissionDeniedError,
    StaleRecordError,
    ValidationError,
)
from stepdesk.persistence.models import (
    Action,
    AgendaItem,
    Decision,
    Dissent,
    Request,
    Team,
    User,
)
from stepdesk.persistence.models import DecisionDraft as DraftRow
from stepdesk.profile import Profile
from stepdesk.quorum import Quoracy
from stepdesk.rules import CaseFacts, Finding, Proposal, evaluate, has_block
from stepdesk.services import audit
from stepdesk.services.amendments import (
    check_change_allowed,
    decision_summary,
    minutes_lock,
    record_change,
)
from stepdesk.services.cases import load_item
from stepdesk.services.convert import case_facts, decision_view, request_proposal
from stepdesk.services.document_views import MinutesLock
from stepdesk.services.escalations import (
    open_escalation,
    validate_escalation,
    withdraw_open_escalation,
)
from stepdesk.services.meeting import assessed_quoracy, quorum_finding
from stepdesk.services.panels import lock_panel
from stepdesk.services.permissions import require
from stepdesk.services.transfers import reemergence_team
from stepdesk.services.transitions import move_request
from stepdesk.services.views import ActionDraft, DecisionDraft, DecisionView
from stepdesk.services.workspace import Actor, Workspace
from stepdesk.timescales import Clock

_REQUEST_STATUS = {
    Outcome.AGREED: RequestStatus.DECIDED,
    Outcome.NOT_AGREED: RequestStatus.DECIDED,
    Outcome.NO_CHANGE: RequestStatus.DECIDED,
    Outcome.DEFER: RequestStatus.DEFERRED,
    Outcome.REFER_IMMEDIATELY: RequestStatus.REFERRED,
    Outcome.ESCALATE: RequestStatus.ESCALATED,
    Outcome.CLOSE: RequestStatus.DECIDED,
}


def _check_item_open(s: Session, item: AgendaItem) -> None:
    """Say whether this agenda item is still where its request is decided (not moved on).

    Raises:
        ValidationError: the item was held back or carried forward, or the request has since
            been put on another panel's agenda (after a deferral): the decision belongs there.
    """
    status = ItemStatus(item.status)
    if status == ItemStatus.HELD_BACK:
        raise ValidationError(
            "Agenda item",
            f"this item was held back ({item.held_back_reason or 'no reason given'}) and is "
            "not before the panel; put the request back on an agenda first",
        )
    later = s.scalars(
        select(AgendaItem)
        .where(AgendaItem.request_id == item.request_id, AgendaItem.id > item.id)
        .where(AgendaItem.panel_id != item.panel_id)
        .where(AgendaItem.status != ItemStatus.HELD_BACK.value)
        .order_by(AgendaItem.id.desc())
    ).first()
    if status == ItemStatus.CARRIED_FORWARD or later is not None:
        where = later.panel if later is not None else item.carried_forward_to
        when = f" on {where.starts_at:%d/%m/%Y}" if where is not None else ""
        raise ValidationError(
            "Agenda item",
            f"the request has since gone to a later panel{when}; record or change the "
            "decision on that panel's agenda item instead",
        )


def _check_change(item: AgendaItem, before: str | None) -> bool:
    """May the request's status follow a new decision? True if it must be reopened first.

    Raises:
        ValidationError: the request has moved on since the decision (the transfer is made,
            say), or the approved minutes made a refusal final and closed the request: a
            closed request is never reopened.
    """
    request = item.request
    status = RequestStatus(request.status)
    if status == RequestStatus.ON_AGENDA:
        return False
    if status == RequestStatus.CLOSED and before is not None and before in REFUSALS:
        approved = item.panel.minutes_versions
        why = (
            f"the chair approved the minutes on {approved[0].approved_at:%d/%m/%Y}, which "
            "closed the request"
            if approved
            else "the request has been closed"
        )
        raise ValidationError(
            "Outcome",
            f"“{Outcome(before).label}” is final: {why}, and a closed request is never "
            "reopened; make a new request for the case if the panel wants another outcome",
        )
    if before is None or _REQUEST_STATUS.get(Outcome(before)) != status:
        raise ValidationError(
            "Outcome",
            f"the request is {status.label.lower()} and has moved on since the panel's "
            "decision, which can no longer be changed; record what happened next on the "
            "request instead",
        )
    return True


def _move_to_outcome(
    s: Session, ws: Workspace, actor: Actor, request: Request, outcome: Outcome, reopen: bool
) -> None:
    """Move the request through the lifecycle to the status the outcome gives it."""
    target = _REQUEST_STATUS[outcome]
    if reopen:
        if RequestStatus(request.status) == target:
            return  # e.g. "agreed" changed to "close": decided either way
        changed = "The panel changed its decision"
        move_request(s, ws, actor, request, RequestStatus.ON_AGENDA, changed)
    move_request(s, ws, actor, request, target, f"Panel decision: {outcome.label}")


def draft_over_proposal(
    request: Proposal, draft: DecisionDraft, receiving_team: str | None
) -> Proposal:
    """The request with a draft decision's fields laid over it: what the rules check.

    The one overlay, for the live check as the chair types and for the save alike.
    """
    return replace(
        request,
        outcome=draft.outcome,
        rationale=draft.rationale,
        effective_on=draft.effective_on,
        review_on=draft.review_on,
        lead_professional=draft.lead_professional,
        exit_strategy=draft.exit_strategy,
        family_informed=draft.family_informed,
        mapping_note=draft.mapping_note,
        receiving_team=receiving_team,
    )


@dataclass(frozen=True)
class DecisionContext:
    """What the decision dialog needs to check a draft without touching the database."""

    agenda_item_id: int
    subject_name: str
    case_reference: str
    movement: str
    to_plan: str
    case: CaseFacts
    request: Proposal
    profile: Profile
    today: dt.date
    allocated_worker: str | None
    allocated_worker_id: int | None
    presenter: str | None
    presenter_id: int | None
    meeting_type: str = ""
    # Quoracy of the running meeting (None before it starts: attendance is not taken yet).
    quoracy: Quoracy | None = None
    # T-REEMERGE-3M: the team a re-emerging case goes back to, and why (shown to the panel).
    suggested_team_id: int | None = None
    suggested_team: str | None = None
    suggested_team_reason: str | None = None
    # Who may be named as dissenting: members marked present, else everyone invited.
    members: tuple[tuple[int, str], ...] = ()
    # Every team by id: the receiving team's name for the rules (T-HANDOVER).
    teams: tuple[tuple[int, str], ...] = ()
    # The panel's approved minutes, if any: a change then needs a reason (services.amendments).
    minutes_lock: MinutesLock | None = None

    def proposal(self, draft: DecisionDraft) -> Proposal:
        """The request, with the draft decision's fields laid over it."""
        team = _team_name(dict(self.teams), draft.receiving_team_id)
        return draft_over_proposal(self.request, draft, team)

    def evaluate(self, draft: DecisionDraft) -> list[Finding]:
        """The findings for a draft; pure and fast enough to run on every keystroke."""
        findings = evaluate(self.case, self.proposal(draft), self.profile, self.today)
        quorum = quorum_finding(self.profile, self.meeting_type, self.quoracy)
        return [*findings, quorum] if quorum else findings

    def may_override(self, role: str, rules: Iterable[str] | None = None) -> bool:
        """Whether a user of ``role`` may override ``block`` findings of ``rules``.

        Each rule may name its own override roles in the profile; without ``rules``, the
        profile's default roles answer.
        """
        if rules is None:
            return role in self.profile.override_roles
        return all(role in self.profile.override_roles_for(rule) for rule in rules)


def decision_context(ws: Workspace, actor: Actor, item_id: int) -> DecisionContext:
    """Gather the facts for the decision dialog of one agenda item."""
    require(actor, "case.view")
    with ws.db.session() as s:
        item = load_item(s, item_id)
        case, request = item.request.case, item.request
        back = reemergence_team(case, ws.today()) if request.movement == "step_up" else None
        why = (
            f"Stepped down by {back.name} on {case.stepped_down_on:%d/%m/%Y}: concerns "
            "re-emerging within 3 months return the case to that team (T-REEMERGE-3M)."
            if back is not None and case.stepped_down_on is not None
            else None
        )
        return DecisionContext(
            agenda_item_id=item.id,
            subject_name=case.subject.full_name,
            case_reference=case.reference,
            movement=request.movement,
            to_plan=request.to_plan,
            case=case_facts(case, request.movement),
            request=request_proposal(request),
            profile=ws.profile,
            today=ws.today(),
            allocated_worker=case.allocated_worker.name if case.allocated_worker else None,
            allocated_worker_id=case.allocated_worker_id,
            presenter=item.presenter.name if item.presenter else None,
            presenter_id=item.presenter_id,
            meeting_type=item.panel.meeting_type,
            quoracy=assessed_quoracy(ws.profile, item.panel),
            suggested_team_id=back.id if back else None,
            suggested_team=back.name if back else None,
            suggested_team_reason=why,
            members=_members(item),
            teams=tuple((team.id, team.name) for team in s.scalars(select(Team).order_by(Team.id))),
            minutes_lock=minutes_lock(item.panel),
        )


def _team_name(teams: dict[int, str], team_id: int | None) -> str | None:
    if team_id is None:
        return None
    return teams.get(team_id, f"team {team_id}")


def _members(item: AgendaItem) -> tuple[tuple[int, str], ...]:
    attendance = item.panel.attendance
    present = [a for a in attendance if a.status == AttendanceStatus.PRESENT]
    return tuple((a.user_id, a.user.name) for a in present or attendance)


def suggest_actions(
    ctx: DecisionContext, outcome: str, decided_at: dt.datetime
) -> list[ActionDraft]:
    """Standard follow-up actions for an outcome, due by the protocol's timescales."""
    clock = Clock(ctx.profile)
    owner, owner_id = ctx.allocated_worker or ctx.presenter or "", ctx.allocated_worker_id
    steps: list[tuple[str, str]] = []
    if outcome == Outcome.AGREED and ctx.movement in (Movement.STEP_UP, Movement.STEP_DOWN):
        steps = [
            ("T-EFFECT-24H", "Step the case and record the change on the case record"),
            ("T-HANDOVER", "Arrange the handover visit with the receiving worker"),
            ("T-HANDOVER-DONE", "Complete the handover visit"),
        ]
    elif outcome == Outcome.ESCALATE:
        steps = [("T-ESCALATE-24H", "Take the disagreement to the Operations/Strategic Manager")]
        owner, owner_id = ctx.presenter or owner, ctx.presenter_id or owner_id
    actions = []
    for key, text in steps:
        deadline = clock.deadline(key, decided_at, "the decision made")
        actions.append(ActionDraft(text, owner, deadline.due.date(), owner_id, deadline.rule))
    return actions


def _validate(draft: DecisionDraft) -> Outcome:
    try:
        outcome = Outcome(draft.outcome)
    except ValueError:
        raise ValidationError("Outcome", "choose one of the listed outcomes") from None
    if not draft.rationale.strip():
        raise ValidationError("Rationale", "say why the panel decided this; it is minuted")
    if draft.effective_on and draft.review_on and draft.review_on <= draft.effective_on:
        raise ValidationError(
            "Review date",
            f"must be after the effective date {draft.effective_on:%d/%m/%Y}",
        )
    for number, action in enumerate(draft.actions, start=1):
        if not action.description.strip():
            raise ValidationError(f"Action {number}", "describe what is to be done")
        if not action.owner_name.strip():
            raise ValidationError(f"Action {number} owner", "name who will do it")
    for number, dissent in enumerate(draft.dissents, start=1):
        if not dissent.name.strip():
            raise ValidationError(f"Dissent {number}", "name the member who disagreed")
        if not dissent.view.strip():
            raise ValidationError(
                f"Dissent {number}", f"give {dissent.name.strip()}'s view; it is minuted"
            )
    if draft.mapping_note is not None and not draft.mapping_note.strip():
        raise ValidationError(
            "Mapping exercise", "record what the threshold mapping found (C-MAPPING)"
        )
    if outcome == Outcome.ESCALATE:
        validate_escalation(draft.escalation)
    return outcome


def _dissent_text(draft: DecisionDraft) -> str | None:
    """The minuted dissent: each named member's view, then any free text."""
    parts = [f"{d.name.strip()}: {d.view.strip()}" for d in draft.dissents]
    if (draft.dissent or "").strip():
        parts.append((draft.dissent or "").strip())
    return "\n".join(parts) or None


def _require_override(profile: Profile, actor: Actor, rules: list[str]) -> None:
    """Refuse an override by a role the profile does not allow for each blocking rule."""
    for rule_id in dict.fromkeys(rules):
        roles = profile.override_roles_for(rule_id)
        if actor.role not in roles:
            who = " or ".join(roles)
            raise PermissionDeniedError(
                f"Only a {who} may override {rule_id}; "
                f"{actor.name} is signed in as {Role(actor.role).label.lower()}."
            )


def _check_not_stale(decision: Decision | None, based_on: int | None) -> None:
    """Refuse to overwrite a decision someone else saved since the dialog opened."""
    if based_on is None:
        return
    current = decision.version_id if decision is not None else 0
    if current != based_on:
        assert decision is not None  # a version moved on: there is a decision
        who = decision.decided_by.name if decision.decided_by else None
        raise StaleRecordError("decision", who, decision.decided_at)


def latest_decision(ws: Workspace, actor: Actor, item_id: int) -> DecisionView | None:
    """The decision on an item as saved now (to show beside a stale edit)."""
    require(actor, "case.view")
    with ws.db.session() as s:
        item = load_item(s, item_id)
        return decision_view(item.decision) if item.decision else None


def record_decision(
    ws: Workspace, actor: Actor, item_id: int, draft: DecisionDraft
) -> DecisionView:
    """Save (or replace) the decision on an agenda item, with its findings and actions.

    Raises:
        ValidationError: a required field is empty or a date is impossible.
        BlockedByRuleError: a ``block`` finding and no override reason.
        PermissionDeniedError: the actor may not record decisions, or may not override, or
            the panel's minutes are approved and the actor may not approve them.

    Once the panel's minutes are approved, a change needs ``draft.change_note`` (the reason)
    and marks the minutes out of date until a correction is approved
    (:mod:`stepdesk.services.amendments`).
    """
    require(actor, "decision.record")
    outcome = _validate(draft)
    with ws.db.session() as s:
        # First the panel's lock: minutes being approved meanwhile are seen once approved.
        panel_id = s.scalar(select(AgendaItem.panel_id).where(AgendaItem.id == item_id))
        if panel_id is not None:
            lock_panel(s, panel_id)
        item = load_item(s, item_id)
        request = item.request
        decision = item.decision
        _check_not_stale(decision, draft.based_on_version)
        action = "change" if decision else "create"
        before = decision.outcome if decision else None
        # Before the rules: a decision that is final cannot change, whatever the draft says.
        _check_item_open(s, item)
        reopen = _check_change(item, before)
        # After the minutes are approved: the chair's, with a reason (services.amendments).
        amending = check_change_allowed(actor, item, draft.change_note)
        was = decision_summary(decision) if amending else None
        team = s.get(Team, draft.receiving_team_id) if draft.receiving_team_id else None
        if draft.receiving_team_id is not None and team is None:
            raise ValidationError("Receiving team", "choose a team from the list")
        proposal = draft_over_proposal(
            request_proposal(request), draft, team.name if team else None
        )
        findings = evaluate(
            case_facts(request.case, request.movement), proposal, ws.profile, ws.today()
        )
        quoracy = assessed_quoracy(ws.profile, item.panel)
        quorum = quorum_finding(ws.profile, item.panel.meeting_type, quoracy)
        if quorum is not None:
            findings.append(quorum)
        override = (draft.override_reason or "").strip() or None
        blocks = [f.rule for f in findings if f.severity == "block"]
        blocked = has_block(findings)
        if blocked and override is None:
            raise BlockedByRuleError(blocks)
        if blocked:
            _require_override(ws.profile, actor, blocks)
        user = s.get(User, actor.user_id) if actor.user_id is not None else None

        if decision is None:
            decision = Decision(agenda_item=item)
            s.add(decision)
        decision.outcome = outcome.value
        decision.rationale = draft.rationale.strip()
        decision.effective_on = draft.effective_on
        decision.review_on = draft.review_on
        decision.lead_professional = (draft.lead_professional or "").strip() or None
        decision.receiving_team = team
        decision.exit_strategy = (draft.exit_strategy or "").strip() or None
        decision.dissent = _dissent_text(draft)
        decision.dissents = [
            Dissent(
                user_id=d.user_id if d.user_id and s.get(User, d.user_id) else None,
                name=d.name.strip(),
                view=d.view.strip(),
            )
            for d in draft.dissents
        ]
        decision.quorate = quoracy.quorate if quoracy is not None else None
        decision.mapping_note = (draft.mapping_note or "").strip() or None
        decision.findings = [f.to_dict() for f in findings]
        decision.family_informed = (
            list(draft.family_informed) if draft.family_informed is not None else None
        )
        decision.override_reason = override if blocked else None
        decision.override_by = user if blocked else None
        decision.override_at = ws.now() if blocked else None
        decision.decided_by = user
        decision.decided_at = ws.now()
        decision.actions = [
            Action(
                description=a.description.strip(),
                owner_id=a.owner_id if a.owner_id and s.get(User, a.owner_id) else None,
                owner_name=a.owner_name.strip(),
                due_on=a.due_on,
                rule_id=a.rule_id,
            )
            for a in draft.actions
        ]
        item.status = ItemStatus.DECIDED
        _move_to_outcome(s, ws, actor, request, outcome, reopen)
        s.flush()
        if outcome == Outcome.ESCALATE:
            open_escalation(s, ws, actor, item, decision, validate_escalation(draft.escalation))
        else:
            withdraw_open_escalation(s, ws, actor, decision)
        # The decision is saved: what was typed towards it is no longer a draft.
        s.execute(delete(DraftRow).where(DraftRow.agenda_item_id == item.id))
        audit.record(
            s,
            ws,
            actor,
            action,
            "decision",
            decision.id,
            agenda_item=item.id,
            before=before,
            after=outcome.value,
            findings=[f.rule for f in findings],
            override=bool(blocked),
            quorate=decision.quorate,
            dissents=[d.name for d in decision.dissents],
        )
        if amending is not None:
            record_change(s, ws, actor, item, decision, amending, was)
        return decision_view(decision)
