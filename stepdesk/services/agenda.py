"""Building a panel's agenda before the meeting, with the readiness gate.

The co-ordinator creates a panel (type, date and time, venue, chair), puts QA-approved
requests on its agenda, orders them, sets each item's slot and presenter, and invites the
members with their panel roles. Each item is *ready* or *not ready* with the reasons
(:func:`item_readiness`): QA not done, the Child and Family Plan or the evidence missing
(C-EVIDENCE), consent missing (C-CONSENT-UP / C-CONSENT-DOWN), the presenter absent or sending
apologies. A not-ready item can be held back with a reason: it stays listed on the agenda as
held back, and its request goes back to "QA approved" for a later panel.

Every request status change goes through :func:`~stepdesk.services.transitions.move_request`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from stepdesk.domain import AttendanceStatus, ItemStatus, PanelStatus, Role
from stepdesk.domain import RequestStatus as S
from stepdesk.errors import NotFoundError, ValidationError
from stepdesk.persistence.models import AgendaItem, Attendance, Panel, Request, User
from stepdesk.rules import evaluate
from stepdesk.services import audit
from stepdesk.services.convert import (
    agenda_row,
    attendance_row,
    case_facts,
    panel_row,
    request_proposal,
    slot_starts,
)
from stepdesk.services.deadlines import agenda_circulation
from stepdesk.services.loading import case_options, panel_options
from stepdesk.services.permissions import require
from stepdesk.services.request_forms import RequestRow
from stepdesk.services.request_listing import list_requests
from stepdesk.services.transitions import move_request
from stepdesk.services.views import AgendaRow, AttendanceRow, PanelRow
from stepdesk.services.workspace import Actor, Workspace
from stepdesk.timescales import Deadline

PANEL_ROLES: dict[str, str] = {
    "chair": "Chair",
    "member": "Panel member",
    "presenter": "Presenter",
    "minutes": "Minute taker",
    "adviser": "Adviser (not a decision-maker)",
}
MIN_SLOT, MAX_SLOT = 5, 180
# The readiness gate's rules: those the rules engine checks before the meeting.
_GATE_RULES = ("C-EVIDENCE", "C-CONSENT-UP", "C-CONSENT-DOWN")


@dataclass(frozen=True)
class ReadinessReason:
    """Why an item is not ready: the rule (or check) and what to do."""

    rule: str
    text: str


@dataclass(frozen=True)
class Readiness:
    """Ready, or not ready with the reasons."""

    ready: bool
    reasons: list[ReadinessReason]

    def summary(self) -> str:
        """``Ready`` or ``Not ready: …; …`` in one line."""
        if self.ready:
            return "Ready"
        return "Not ready: " + "; ".join(r.text for r in self.reasons)


@dataclass(frozen=True)
class BuilderItem:
    """An agenda item as the builder shows it."""

    row: AgendaRow
    readiness: Readiness
    held_back_reason: str | None
    fixed_start: bool
    presenter_id: int | None
    request_id: int

    @property
    def id(self) -> int:
        """The agenda item's id."""
        return self.row.id


@dataclass(frozen=True)
class AgendaBuilderView:
    """A panel being built: its items with readiness, members, timings and what can be added."""

    panel: PanelRow
    items: list[BuilderItem]
    attendance: list[AttendanceRow]
    estimated_end: dt.datetime
    deadlines: list[Deadline]
    editable: bool

    @property
    def ready_count(self) -> int:
        """Items on the agenda (not held back) that are ready."""
        return sum(1 for i in self.items if i.readiness.ready and not i.held_back_reason)


# Reading.
def _load_panel(s: Session, panel_id: int) -> Panel:
    panel = s.scalars(
        select(Panel)
        .where(Panel.id == panel_id)
        .options(
            *panel_options(full_case=True),
            selectinload(Panel.items).selectinload(AgendaItem.request).selectinload(Request.qa_by),
        )
        .execution_options(populate_existing=True)
    ).one_or_none()
    if panel is None:
        raise NotFoundError(f"No panel with id {panel_id}.")
    return panel


def _readiness(ws: Workspace, item: AgendaItem, panel: Panel) -> Readiness:
    """The readiness gate for one loaded item (pure: reads, never writes)."""
    request: Request = item.request
    reasons: list[ReadinessReason] = []
    if request.qa_at is None or request.qa_by_id is None:
        reasons.append(ReadinessReason("QA", "the manager's QA is not done"))
    findings = evaluate(
        case_facts(request.case, request.movement),
        request_proposal(request),
        ws.profile,
        ws.today(),
    )
    seen: set[str] = set()
    for finding in findings:
        if finding.rule in _GATE_RULES and finding.rule not in seen:
            seen.add(finding.rule)
            reasons.append(ReadinessReason(finding.rule, _gate_text(finding.rule, request)))
    if item.presenter_id is None:
        reasons.append(ReadinessReason("Presenter", "no presenter named"))
    else:
        att = next((a for a in panel.attendance if a.user_id == item.presenter_id), None)
        name = item.presenter.name if item.presenter else "The presenter"
        if att is None:
            reasons.append(ReadinessReason("Presenter", f"{name} is not invited"))
        elif att.status in (AttendanceStatus.APOLOGIES, AttendanceStatus.ABSENT):
            word = "sent apologies" if att.status == AttendanceStatus.APOLOGIES else "is absent"
            reasons.append(ReadinessReason("Presenter", f"{name} {word}"))
    return Readiness(not reasons, reasons)


def _gate_text(rule: str, request: Request) -> str:
    if rule == "C-EVIDENCE":
        if request.movement == "step_down":
            return "the Child and Family Plan is not attached (C-EVIDENCE)"
        return "no evidence tool is attached (C-EVIDENCE)"
    if rule == "C-CONSENT-UP":
        return "no family consent, nor a line manager's reason to proceed without (C-CONSENT-UP)"
    return "no explicit, informed consent to the step-down (C-CONSENT-DOWN)"


def _builder_view(ws: Workspace, actor: Actor, panel: Panel) -> AgendaBuilderView:
    starts = slot_starts(panel)
    items = [
        BuilderItem(
            row=agenda_row(item, starts[item.id], ws.profile),
            readiness=_readiness(ws, item, panel),
            held_back_reason=item.held_back_reason if item.status == ItemStatus.HELD_BACK else None,
            fixed_start=item.slot_start is not None,
            presenter_id=item.presenter_id,
            request_id=item.request_id,
        )
        for item in panel.items
    ]
    return AgendaBuilderView(
        panel=panel_row(panel, ws.profile),
        items=items,
        attendance=[attendance_row(a) for a in panel.attendance],
        estimated_end=_estimated_end(panel, starts),
        deadlines=[
            agenda_circulation(d, panel.agenda_circulated_at)
            for d in ws.clock.before_meeting(panel.starts_at)
        ],
        editable=panel.status == PanelStatus.PLANNED and _may_edit(actor),
    )


def _estimated_end(panel: Panel, starts: dict[int, dt.datetime]) -> dt.datetime:
    ends = [
        starts[i.id] + dt.timedelta(minutes=i.slot_minutes)
        for i in panel.items
        if i.status != ItemStatus.HELD_BACK
    ]
    return max(ends, default=panel.starts_at)


def _may_edit(actor: Actor) -> bool:
    return actor.role in (Role.CHAIR, Role.COORDINATOR)


def agenda_builder(ws: Workspace, actor: Actor, panel_id: int) -> AgendaBuilderView:
    """A panel with its items' readiness, members, estimated end and the T-AGENDA-24H clock."""
    require(actor, "panel.view")
    with ws.db.session() as s:
        return _builder_view(ws, actor, _load_panel(s, panel_id))


def item_readiness(ws: Workspace, actor: Actor, item_id: int) -> Readiness:
    """Ready, or not ready with the reasons, for one agenda item."""
    require(actor, "panel.view")
    with ws.db.session() as s:
        item = s.get(AgendaItem, item_id)
        if item is None:
            raise NotFoundError(f"No agenda item with id {item_id}.")
        panel = _load_panel(s, item.panel_id)
        loaded = next(i for i in panel.items if i.id == item_id)
        return _readiness(ws, loaded, panel)


def approved_requests(ws: Workspace, actor: Actor) -> list[RequestRow]:
    """QA-approved requests waiting for an agenda (held-back ones included), oldest first."""
    rows = [r for r in list_requests(ws, actor, "all") if r.status == S.QA_APPROVED]
    return sorted(rows, key=lambda r: (r.submitted_at or r.created_at, r.id))


def chairs(ws: Workspace) -> list[tuple[int, str]]:
    """Who can chair a panel: active chairs, then managers (Service Managers deputise)."""
    with ws.db.session() as s:
        users = s.scalars(
            select(User)
            .where(User.active.is_(True), User.role.in_([Role.CHAIR, Role.MANAGER]))
            .order_by(User.role, User.name)
        ).all()
        return [(u.id, f"{u.name} ({u.job_title})") for u in users]


# Changing.
def _editable_panel(s: Session, actor: Actor, panel_id: int) -> Panel:
    require(actor, "agenda.edit")
    panel = _load_panel(s, panel_id)
    if panel.status != PanelStatus.PLANNED:
        raise ValidationError(
            "Panel",
            f"it is {panel.status.replace('_', ' ')}: its agenda can no longer be changed.",
        )
    return panel


def _item(s: Session, actor: Actor, item_id: int) -> tuple[Panel, AgendaItem]:
    item = s.get(AgendaItem, item_id)
    if item is None:
        raise NotFoundError(f"No agenda item with id {item_id}.")
    panel = _editable_panel(s, actor, item.panel_id)
    return panel, next(i for i in panel.items if i.id == item_id)


def _renumber(panel: Panel) -> None:
    for number, item in enumerate(sorted(panel.items, key=lambda i: i.position), start=1):
        item.position = number
    panel.items.sort(key=lambda i: i.position)


def create_panel(
    ws: Workspace,
    actor: Actor,
    meeting_type: str,
    starts_at: dt.datetime,
    venue: str,
    chair_id: int | None,
) -> AgendaBuilderView:
    """A new planned panel, with its chair invited."""
    require(actor, "agenda.edit")
    if ws.profile.meeting_type(meeting_type) is None:
        names = ", ".join(m.name for m in ws.profile.meeting_types)
        raise ValidationError("Meeting type", f"'{meeting_type}' is not one of: {names}.")
    if starts_at < ws.now():
        raise ValidationError(
            "Date and time",
            f"{starts_at:%d/%m/%Y %H:%M} has passed: choose a time from now on.",
        )
    if not ws.clock.calendar.is_working_day(starts_at.date()):
        holiday = ws.clock.calendar.holiday_name(starts_at.date())
        why = holiday or "a weekend"
        raise ValidationError(
            "Date and time", f"{starts_at:%d/%m/%Y} is {why}: choose a working day."
        )
    if not venue.strip():
        raise ValidationError("Venue", "say where the panel meets (a room, or Microsoft Teams).")
    with ws.db.session() as s:
        chair = s.get(User, chair_id) if chair_id is not None else None
        if chair_id is not None and (chair is None or not chair.active):
            raise ValidationError("Chair", "choose an active member of staff to chair.")
        panel = Panel(
            meeting_type=meeting_type,
            starts_at=starts_at.replace(second=0, microsecond=0),
            venue=venue.strip(),
            chair_id=chair_id,
            status=PanelStatus.PLANNED,
        )
        s.add(panel)
        s.flush()
        if chair is not None:
            s.add(Attendance(panel_id=panel.id, user_id=chair.id, panel_role="chair"))
        audit.record(s, ws, actor, "create", "panel", panel.id, type=meeting_type)
        s.flush()
        return _builder_view(ws, actor, _load_panel(s, panel.id))


def _invite(s: Session, panel: Panel, user_id: int, role: str) -> Attendance:
    existing = next((a for a in panel.attendance if a.user_id == user_id), None)
    if existing is not None:
        return existing
    att = Attendance(panel_id=panel.id, user_id=user_id, panel_role=role)
    s.add(att)
    panel.attendance.append(att)
    return att


def add_to_agenda(
    ws: Workspace,
    actor: Actor,
    panel_id: int,
    request_id: int,
    *,
    presenter_id: int | None = None,
    slot_minutes: int = 15,
) -> AgendaBuilderView:
    """Put a QA-approved request at the end of a panel's agenda (T-AGENDA-24H).

    The presenter defaults to the worker who wrote the request, and is invited. A request
    held back from this panel earlier comes back to its old item.
    """
    _check_minutes(slot_minutes)
    with ws.db.session() as s:
        panel = _editable_panel(s, actor, panel_id)
        request = s.scalars(
            select(Request)
            .where(Request.id == request_id)
            .options(selectinload(Request.case).options(*case_options()))
        ).one_or_none()
        if request is None:
            raise NotFoundError(f"No request with id {request_id}.")
        move_request(s, ws, actor, request, S.ON_AGENDA, f"panel {panel.id}")
        presenter = presenter_id if presenter_id is not None else request.created_by_id
        item = next((i for i in panel.items if i.request_id == request.id), None)
        if item is None:
            item = AgendaItem(
                panel_id=panel.id,
                request_id=request.id,
                position=len(panel.items) + 1,
                slot_minutes=slot_minutes,
            )
            s.add(item)
            panel.items.append(item)
        item.status = ItemStatus.PENDING
        item.held_back_reason = None
        item.presenter_id = presenter
        if presenter is not None:
            _invite(s, panel, presenter, "presenter")
        s.flush()
        audit.record(s, ws, actor, "add", "agenda_item", item.id, panel=panel.id)
        s.flush()
        return _builder_view(ws, actor, _load_panel(s, panel.id))


def remove_from_agenda(ws: Workspace, actor: Actor, item_id: int) -> AgendaBuilderView:
    """Take an undecided item off the agenda; its request goes back to "QA approved"."""
    with ws.db.session() as s:
        panel, item = _item(s, actor, item_id)
        if item.decision is not None or item.notes.strip():
            raise ValidationError(
                "Agenda item", "it has minute notes or a decision: hold it back instead."
            )
        if item.request.status == S.ON_AGENDA:
            move_request(s, ws, actor, item.request, S.QA_APPROVED, "removed from the agenda")
        panel.items.remove(item)
        s.delete(item)
        _renumber(panel)
        audit.record(s, ws, actor, "remove", "agenda_item", item_id, panel=panel.id)
        s.flush()
        return _builder_view(ws, actor, _load_panel(s, panel.id))


def _reorder(s: Session, ws: Workspace, actor: Actor, panel: Panel, item_ids: list[int]) -> None:
    current = {i.id: i for i in panel.items}
    if sorted(item_ids) != sorted(current):
        raise ValidationError(
            "Agenda order", "list every item of this panel once: reload the agenda and retry."
        )
    for number, item_id in enumerate(item_ids, start=1):
        current[item_id].position = number
    panel.items.sort(key=lambda i: i.position)
    audit.record(s, ws, actor, "reorder", "panel", panel.id, order=item_ids)
    s.flush()


def reorder_agenda(
    ws: Workspace, actor: Actor, panel_id: int, item_ids: list[int]
) -> AgendaBuilderView:
    """Put the agenda in this order (every item of the panel, each once)."""
    with ws.db.session() as s:
        panel = _editable_panel(s, actor, panel_id)
        _reorder(s, ws, actor, panel, item_ids)
        return _builder_view(ws, actor, panel)  # only positions changed: no reload


def move_item(ws: Workspace, actor: Actor, item_id: int, step: int) -> AgendaBuilderView:
    """Move an item up (``step`` < 0) or down the agenda; at either end it stays put."""
    with ws.db.session() as s:
        panel, _item_row = _item(s, actor, item_id)
        order = [i.id for i in panel.items]
        here = order.index(item_id)
        there = max(0, min(len(order) - 1, here + step))
        order.insert(there, order.pop(here))
        _reorder(s, ws, actor, panel, order)
        return _builder_view(ws, actor, panel)  # only positions changed: no reload


def _check_minutes(minutes: int) -> None:
    if not MIN_SLOT <= minutes <= MAX_SLOT:
        raise ValidationError(
            "Slot length", f"{minutes} minutes: give between {MIN_SLOT} and {MAX_SLOT} minutes."
        )


def set_slot(
    ws: Workspace,
    actor: Actor,
    item_id: int,
    *,
    slot_minutes: int | None = None,
    start: dt.time | None = None,
    clear_start: bool = False,
) -> AgendaBuilderView:
    """Set an item's slot length, and/or fix its start time (``clear_start``: after the last)."""
    if slot_minutes is not None:
        _check_minutes(slot_minutes)
    with ws.db.session() as s:
        panel, item = _item(s, actor, item_id)
        if slot_minutes is not None:
            item.slot_minutes = slot_minutes
        if clear_start:
            item.slot_start = None
        elif start is not None:
            at = dt.datetime.combine(panel.starts_at.date(), start)
            if at < panel.starts_at:
                raise ValidationError(
                    "Start time",
                    f"{start:%H:%M} is before the panel starts ({panel.starts_at:%H:%M}).",
                )
            item.slot_start = at
        audit.record(
            s,
            ws,
            actor,
            "change",
            "agenda_item",
            item.id,
            minutes=item.slot_minutes,
            start=item.slot_start,
        )
        s.flush()
        return _builder_view(ws, actor, _load_panel(s, panel.id))


def set_presenter(
    ws: Workspace, actor: Actor, item_id: int, user_id: int | None
) -> AgendaBuilderView:
    """Name who presents an item (invited as a presenter if not yet invited)."""
    with ws.db.session() as s:
        panel, item = _item(s, actor, item_id)
        if user_id is not None:
            user = s.get(User, user_id)
            if user is None or not user.active:
                raise ValidationError("Presenter", "choose an active member of staff.")
            _invite(s, panel, user_id, "presenter")
        item.presenter_id = user_id
        audit.record(s, ws, actor, "change", "agenda_item", item.id, presenter=user_id)
        s.flush()
        return _builder_view(ws, actor, _load_panel(s, panel.id))


def invite_member(
    ws: Workspace, actor: Actor, panel_id: int, user_id: int, panel_role: str
) -> AgendaBuilderView:
    """Invite a member with a panel role, or change the role of one already invited."""
    if panel_role not in PANEL_ROLES:
        raise ValidationError(
            "Panel role", f"'{panel_role}' is not one of: {', '.join(PANEL_ROLES)}."
        )
    with ws.db.session() as s:
        panel = _editable_panel(s, actor, panel_id)
        user = s.get(User, user_id)
        if user is None or not user.active:
            raise ValidationError("Member", "choose an active member of staff.")
        att = _invite(s, panel, user_id, panel_role)
        att.panel_role = panel_role
        if panel_role == "chair":
            panel.chair_id = user_id
        s.flush()
        audit.record(s, ws, actor, "invite", "attendance", att.id, role=panel_role)
        s.flush()
        return _builder_view(ws, actor, _load_panel(s, panel.id))


def uninvite(ws: Workspace, actor: Actor, attendance_id: int) -> AgendaBuilderView:
    """Take a member off the invitation list (not the chair, nor a named presenter)."""
    with ws.db.session() as s:
        att = s.get(Attendance, attendance_id)
        if att is None:
            raise NotFoundError(f"No invitation {attendance_id}.")
        panel = _editable_panel(s, actor, att.panel_id)
        if panel.chair_id == att.user_id:
            raise ValidationError("Member", "the chair stays invited: choose another chair first.")
        if any(i.presenter_id == att.user_id for i in panel.items):
            raise ValidationError("Member", "they present an item: name another presenter first.")
        panel.attendance.remove(att)
        s.delete(att)
        audit.record(s, ws, actor, "uninvite", "attendance", attendance_id)
        s.flush()
        return _builder_view(ws, actor, _load_panel(s, panel.id))


def hold_back(ws: Workspace, actor: Actor, item_id: int, reason: str) -> AgendaBuilderView:
    """Hold back an item with a reason: it stays listed, its request returns to QA approved."""
    if len(reason.strip()) < 5:
        raise ValidationError(
            "Reason", "say why the item is held back (e.g. 'Child and Family Plan not attached')."
        )
    with ws.db.session() as s:
        panel, item = _item(s, actor, item_id)
        if item.decision is not None:
            raise ValidationError("Agenda item", "it is decided already: it cannot be held back.")
        if item.status == ItemStatus.HELD_BACK:
            raise ValidationError("Agenda item", "it is held back already.")
        move_request(s, ws, actor, item.request, S.QA_APPROVED, f"held back: {reason.strip()}")
        item.status = ItemStatus.HELD_BACK
        item.held_back_reason = reason.strip()
        audit.record(s, ws, actor, "hold_back", "agenda_item", item.id, reason=reason.strip())
        s.flush()
        return _builder_view(ws, actor, _load_panel(s, panel.id))


__all__ = [
    "PANEL_ROLES",
    "AgendaBuilderView",
    "BuilderItem",
    "Readiness",
    "ReadinessReason",
    "add_to_agenda",
    "agenda_builder",
    "approved_requests",
    "chairs",
    "create_panel",
    "hold_back",
    "invite_member",
    "item_readiness",
    "move_item",
    "remove_from_agenda",
    "reorder_agenda",
    "set_presenter",
    "set_slot",
    "uninvite",
]
