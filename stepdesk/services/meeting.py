"""Running a panel meeting: start it, open items one by one, quoracy now, finish it.

The meeting's clock lives in the database: ``Panel.started_at`` / ``finished_at`` and each
item's ``started_at`` / ``ended_at``; the item open now is the one started and not ended.
Finishing carries the items not reached to the next panel of the same type (with a reason),
adds a case note "Discussed at … on …" for each decided item (T-MINUTES-48H), and starts the
T-MINUTES-48H clock from ``finished_at``; the minutes then go to the chair for approval.
Once the finish is committed, an encrypted backup is made into ``backups/`` beside the
database (the profile's ``meeting_backups`` newest are kept); a failed backup never undoes
the finish: it is audited and reported in :class:`FinishResult`.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from stepdesk.domain import AttendanceStatus, ItemStatus, Outcome, PanelStatus
from stepdesk.errors import StepDeskError, ValidationError
from stepdesk.persistence.models import AgendaItem, Attendance, CaseNote, Panel, User
from stepdesk.profile import Profile
from stepdesk.quorum import Member, Quoracy, assess
from stepdesk.rules import Finding
from stepdesk.services import audit
from stepdesk.services.backup import backup_after_meeting
from stepdesk.services.panels import load_panel
from stepdesk.services.permissions import require
from stepdesk.services.workspace import Actor, Workspace
from stepdesk.timescales import Deadline

_log = logging.getLogger(__name__)

# Not a DOMAIN.md rule: the quorum comes from the profile's meeting type (e.g. 001 §4).
QUORUM_RULE = "QUORUM"

# Items in these states are not waiting to be discussed.
_DONE_STATES = frozenset({ItemStatus.DECIDED, ItemStatus.HELD_BACK, ItemStatus.CARRIED_FORWARD})


@dataclass(frozen=True)
class QuoracyView:
    """Whether the members present make the panel quorate, in words."""

    quorate: bool
    text: str
    missing: tuple[str, ...]
    present: tuple[str, ...]


@dataclass(frozen=True)
class ItemTiming:
    """One agenda item's place in the meeting's clock."""

    item_id: int
    position: int
    subject_name: str
    case_reference: str
    slot_minutes: int
    status: str
    started_at: dt.datetime | None
    ended_at: dt.datetime | None

    @property
    def is_open(self) -> bool:
        """Opened by the chair and not yet left."""
        return self.started_at is not None and self.ended_at is None

    @property
    def waiting(self) -> bool:
        """Still to be discussed (not decided, held back or carried forward)."""
        return self.status not in _DONE_STATES


@dataclass(frozen=True)
class MeetingState:
    """A panel's meeting as the chair and the co-ordinator see it right now."""

    panel_id: int
    meeting_type: str
    meeting_name: str
    status: str
    starts_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    items: list[ItemTiming]
    quoracy: QuoracyView
    projected_end: dt.datetime
    minutes_due: Deadline | None

    @property
    def current(self) -> ItemTiming | None:
        """The item open now, if any."""
        return next((i for i in self.items if i.is_open), None)

    @property
    def not_reached(self) -> list[ItemTiming]:
        """Items still waiting: finishing now would carry these forward."""
        return [i for i in self.items if i.waiting]

    def slot_left(self, now: dt.datetime) -> dt.timedelta | None:
        """Time left in the current item's slot (negative when over), or ``None``."""
        item = self.current
        if item is None or item.started_at is None:
            return None
        return item.started_at + dt.timedelta(minutes=item.slot_minutes) - now


@dataclass(frozen=True)
class CarriedItem:
    """An item not reached, and where it went."""

    item_id: int
    subject_name: str
    to_panel_id: int
    to_panel_starts_at: dt.datetime
    new_item_id: int


@dataclass(frozen=True)
class AutoBackup:
    """The automatic backup taken when a meeting finished: where it went, or why it did not."""

    path: Path | None = None
    error: str | None = None
    skipped: str | None = None  # why none was made on purpose (server database, profile)
    encrypted: bool = True

    @property
    def failed(self) -> bool:
        """The backup was attempted and did not succeed (the meeting is still finished)."""
        return self.error is not None

    def text(self) -> str:
        """One sentence for the person who finished the meeting."""
        if self.error is not None:
            return (
                f"Automatic backup FAILED: {self.error} The meeting is finished and saved; "
                "make a backup now (File → Back up now…) or tell your administrator."
            )
        if self.path is not None:
            return f"{'Encrypted backup' if self.encrypted else 'Backup'} saved to {self.path}."
        return f"No automatic backup: {self.skipped}"


@dataclass(frozen=True)
class FinishResult:
    """What finishing the meeting did."""

    state: MeetingState
    carried: list[CarriedItem]
    created_panel_id: int | None
    case_notes: int
    backup: AutoBackup = AutoBackup(skipped="not attempted.")


def _members(panel: Panel) -> list[Member]:
    return [
        Member(a.user.name, a.user.role, a.user.team.service if a.user.team else None)
        for a in panel.attendance
        if a.status == AttendanceStatus.PRESENT
    ]


def panel_quoracy(profile: Profile, panel: Panel) -> Quoracy:
    """The quorum check of a loaded panel over the members marked present."""
    return assess(profile.meeting_type(panel.meeting_type), _members(panel))


def quorum_finding(profile: Profile, meeting_type: str, quoracy: Quoracy | None) -> Finding | None:
    """A warning to show with (and store on) a decision taken by a panel that is not quorate."""
    if quoracy is None or quoracy.quorate:
        return None
    meeting = profile.meeting_type(meeting_type)
    name = meeting.name if meeting else meeting_type
    citation = f"profile quorum for {name}" + (f", {meeting.citation}" if meeting else "")
    return Finding(
        QUORUM_RULE,
        "warn",
        f"The panel is not quorate: still needs {'; '.join(quoracy.missing)}. "
        "The decision is recorded as taken by a non-quorate panel.",
        citation,
    )


def assessed_quoracy(profile: Profile, panel: Panel) -> Quoracy | None:
    """Quoracy once the meeting has started (attendance is taken then); ``None`` before."""
    if panel.status == PanelStatus.PLANNED or panel.started_at is None:
        return None
    return panel_quoracy(profile, panel)


def _quoracy_view(q: Quoracy, panel: Panel) -> QuoracyView:
    return QuoracyView(q.quorate, q.explain(), q.missing, tuple(m.name for m in _members(panel)))


def _timing(item: AgendaItem) -> ItemTiming:
    case = item.request.case
    return ItemTiming(
        item_id=item.id,
        position=item.position,
        subject_name=case.subject.full_name,
        case_reference=case.reference,
        slot_minutes=item.slot_minutes,
        status=item.status,
        started_at=item.started_at,
        ended_at=item.ended_at,
    )


def _projected_end(panel: Panel, items: list[ItemTiming], now: dt.datetime) -> dt.datetime:
    if panel.finished_at is not None:
        return panel.finished_at
    if panel.status != PanelStatus.IN_PROGRESS:
        # Not started: the planned end of the items still to be discussed (held-back,
        # carried and decided items take no time), each at its fixed start if it has one.
        end = panel.starts_at
        for planned in panel.items:
            if planned.status not in _DONE_STATES:
                end = (planned.slot_start or end) + dt.timedelta(minutes=planned.slot_minutes)
        return end
    end = now
    for item in items:
        if item.is_open and item.started_at is not None:
            slot_end = item.started_at + dt.timedelta(minutes=item.slot_minutes)
            # An item over its slot still needs a minute or two: never "ended in the past".
            end += max(slot_end - now, dt.timedelta(minutes=1))
        elif item.waiting:
            end += dt.timedelta(minutes=item.slot_minutes)
    return end


def state_of(ws: Workspace, panel: Panel) -> MeetingState:
    """The meeting state of a loaded panel."""
    items = [_timing(i) for i in panel.items]
    return MeetingState(
        panel_id=panel.id,
        meeting_type=panel.meeting_type,
        meeting_name=ws.profile.meeting_name(panel.meeting_type),
        status=panel.status,
        starts_at=panel.starts_at,
        started_at=panel.started_at,
        finished_at=panel.finished_at,
        items=items,
        quoracy=_quoracy_view(panel_quoracy(ws.profile, panel), panel),
        projected_end=_projected_end(panel, items, ws.now()),
        minutes_due=ws.clock.after_meeting(panel.finished_at) if panel.finished_at else None,
    )


def _load(s: Session, panel_id: int) -> Panel:
    panel = load_panel(s, panel_id)
    # Quoracy needs each member's team service.
    s.scalars(
        select(Attendance)
        .where(Attendance.panel_id == panel.id)
        .options(selectinload(Attendance.user).selectinload(User.team))
    ).all()
    return panel


def meeting_state(ws: Workspace, actor: Actor, panel_id: int) -> MeetingState:
    """The meeting as it stands: status, items with their times, quoracy, projected end."""
    require(actor, "panel.view")
    with ws.db.session() as s:
        return state_of(ws, _load(s, panel_id))


def start_meeting(ws: Workspace, actor: Actor, panel_id: int) -> MeetingState:
    """Start the meeting now and open its first item still waiting.

    Raises:
        ValidationError: the meeting has already started or finished.
    """
    require(actor, "meeting.run")
    with ws.db.session() as s:
        panel = _load(s, panel_id)
        if panel.status == PanelStatus.FINISHED:
            raise ValidationError(
                "Meeting", f"finished at {panel.finished_at:%H:%M}: it cannot start again"
            )
        if panel.status == PanelStatus.IN_PROGRESS:
            raise ValidationError(
                "Meeting", f"already started at {panel.started_at:%H:%M}; carry on with it"
            )
        now = ws.now()
        panel.status = PanelStatus.IN_PROGRESS
        panel.started_at = now
        first = next((i for i in panel.items if i.status not in _DONE_STATES), None)
        if first is not None:
            first.started_at = now
            first.ended_at = None
        s.flush()
        audit.record(
            s,
            ws,
            actor,
            "start",
            "panel",
            panel.id,
            quorate=panel_quoracy(ws.profile, panel).quorate,
            first_item=first.id if first else None,
        )
        return state_of(ws, panel)


def open_item(ws: Workspace, actor: Actor, item_id: int) -> MeetingState:
    """Open an item in the running meeting; the item open before it ends now.

    Opening the item already open changes nothing; reopening an earlier one keeps its first
    start time (its slot shows as overrun) and ends the one open now.

    Raises:
        ValidationError: the meeting is not running, or the item was held back or carried.
    """
    require(actor, "meeting.run")
    with ws.db.session() as s:
        item = s.get(AgendaItem, item_id)
        if item is None:
            raise ValidationError("Agenda item", f"no item with id {item_id}")
        panel = _load(s, item.panel_id)
        if panel.status != PanelStatus.IN_PROGRESS:
            raise ValidationError(
                "Meeting", "not running: start the meeting first (Meeting → Start meeting)"
            )
        if item.status in (ItemStatus.HELD_BACK, ItemStatus.CARRIED_FORWARD):
            raise ValidationError(
                "Agenda item",
                f"item {item.position} was {item.status.replace('_', ' ')}: it is not "
                "discussed at this meeting",
            )
        if item.started_at is not None and item.ended_at is None:
            return state_of(ws, panel)
        now = ws.now()
        for other in panel.items:
            if other.id != item.id and other.started_at is not None and other.ended_at is None:
                other.ended_at = now
        if item.started_at is None:
            item.started_at = now
        item.ended_at = None
        s.flush()
        audit.record(s, ws, actor, "open", "agenda_item", item.id, panel=panel.id)
        return state_of(ws, panel)


def _next_panel(s: Session, ws: Workspace, panel: Panel) -> tuple[Panel, bool]:
    """The next planned panel of the same type, or a new one a week later (and whether new)."""
    found = s.scalars(
        select(Panel)
        .where(
            Panel.meeting_type == panel.meeting_type,
            Panel.status == PanelStatus.PLANNED,
            Panel.starts_at > panel.starts_at,
            Panel.id != panel.id,
        )
        .order_by(Panel.starts_at)
    ).first()
    if found is not None:
        return found, False
    day = ws.clock.calendar.next_working_day(panel.starts_at.date() + dt.timedelta(days=7))
    new = Panel(
        meeting_type=panel.meeting_type,
        starts_at=dt.datetime.combine(day, panel.starts_at.time()),
        venue=panel.venue,
        chair_id=panel.chair_id,
        status=PanelStatus.PLANNED,
    )
    for att in panel.attendance:
        if att.panel_role in ("chair", "minutes"):
            new.attendance.append(Attendance(user_id=att.user_id, panel_role=att.panel_role))
    s.add(new)
    s.flush()
    return new, True


def finish_meeting(
    ws: Workspace, actor: Actor, panel_id: int, carry_reason: str = ""
) -> FinishResult:
    """Finish the meeting now: carry forward what was not reached, note each decided case.

    Items still waiting go to the next planned panel of the same meeting type (one is made a
    week later, same time, venue and chair, if none is planned), each with ``carry_reason``.
    Each decided item's case gets a note "Discussed at <meeting> on dd/mm/yyyy: <outcome>"
    (T-MINUTES-48H); the T-MINUTES-48H clock runs from now. After the finish is committed, an
    automatic encrypted backup is taken (:func:`backup_after_finish`); its outcome is in
    ``FinishResult.backup``.

    Raises:
        ValidationError: the meeting is not running, or items would be carried forward and
            ``carry_reason`` is empty.
    """
    require(actor, "meeting.run")
    reason = carry_reason.strip()
    with ws.db.session() as s:
        panel = _load(s, panel_id)
        if panel.status != PanelStatus.IN_PROGRESS:
            raise ValidationError(
                "Meeting",
                "finished already" if panel.status == PanelStatus.FINISHED else "not started yet",
            )
        waiting = [i for i in panel.items if i.status not in _DONE_STATES]
        if waiting and not reason:
            raise ValidationError(
                "Carry-forward reason",
                f"{len(waiting)} item(s) were not reached: say why, for the next panel's agenda",
            )
        now = ws.now()
        for item in panel.items:
            if item.started_at is not None and item.ended_at is None:
                item.ended_at = now
        carried: list[CarriedItem] = []
        created: int | None = None
        if waiting:
            target, is_new = _next_panel(s, ws, panel)
            created = target.id if is_new else None
            position = max((i.position for i in target.items), default=0)
            for item in waiting:
                position += 1
                new_item = AgendaItem(
                    request_id=item.request_id,
                    position=position,
                    presenter_id=item.presenter_id,
                    slot_minutes=item.slot_minutes,
                    carry_reason=f"Carried forward from {panel.starts_at:%d/%m/%Y}: {reason}",
                )
                target.items.append(new_item)
                item.status = ItemStatus.CARRIED_FORWARD
                item.carried_forward_to_panel_id = target.id
                item.carry_reason = reason
                s.flush()
                carried.append(
                    CarriedItem(
                        item.id,
                        item.request.case.subject.full_name,
                        target.id,
                        target.starts_at,
                        new_item.id,
                    )
                )
                audit.record(
                    s,
                    ws,
                    actor,
                    "carry_forward",
                    "agenda_item",
                    item.id,
                    to_panel=target.id,
                    new_item=new_item.id,
                    reason=reason,
                )
        notes = 0
        meeting_name = ws.profile.meeting_name(panel.meeting_type)
        for item in panel.items:
            decision = item.decision
            if item.status != ItemStatus.DECIDED or decision is None:
                continue
            try:
                outcome = Outcome(decision.outcome).label
            except ValueError:
                outcome = decision.outcome
            s.add(
                CaseNote(
                    case_id=item.request.case_id,
                    at=now,
                    author_id=actor.user_id,
                    source="panel",
                    text=f"Discussed at {meeting_name} on {panel.starts_at:%d/%m/%Y}: {outcome}",
                )
            )
            notes += 1
        panel.status = PanelStatus.FINISHED
        panel.finished_at = now
        if panel.minutes_by_id is None:
            panel.minutes_by_id = next(
                (a.user_id for a in panel.attendance if a.panel_role == "minutes"), None
            )
        s.flush()
        audit.record(
            s,
            ws,
            actor,
            "finish",
            "panel",
            panel.id,
            carried=[c.item_id for c in carried],
            created_panel=created,
            case_notes=notes,
        )
        s.expire_all()
        state = state_of(ws, _load(s, panel.id))
    # The finish is committed: nothing the backup does can undo it.
    return FinishResult(state, carried, created, notes, backup_after_finish(ws, actor, panel_id))


def backup_after_finish(ws: Workspace, actor: Actor, panel_id: int) -> AutoBackup:
    """The automatic backup after a meeting; never raises: a failure is audited and returned.

    The backup goes into ``backups/`` beside the database file (still encrypted, with its key
    slots), keeping the profile's ``meeting_backups`` newest. A server database is backed up
    by the server's own tools, so none is made for it.
    """
    keep = ws.profile.meeting_backups
    if keep <= 0:
        return AutoBackup(skipped="the profile turns them off (meeting_backups = 0).")
    if ws.db.path is None:
        return AutoBackup(skipped="a server database is backed up by the server's own tools.")
    try:
        done = backup_after_meeting(ws, keep=keep, actor=actor)
    except Exception as error:  # any failure: the meeting's finish must stand regardless
        if not isinstance(error, StepDeskError):
            _log.exception("Automatic backup after panel %s failed", panel_id)
        message = str(error).strip() or type(error).__name__
        if not message.endswith("."):
            message += "."
        try:
            with ws.db.session() as s:
                audit.record(s, ws, actor, "backup_failed", "panel", panel_id, error=message[:500])
        except Exception:  # the database itself may be what failed; the user still hears
            _log.exception("Could not audit the failed backup after panel %s", panel_id)
        return AutoBackup(error=message)
    if done is None:
        return AutoBackup(skipped="a server database is backed up by the server's own tools.")
    return AutoBackup(path=done.path, encrypted=ws.db.key is not None)


__all__ = [
    "QUORUM_RULE",
    "AutoBackup",
    "CarriedItem",
    "FinishResult",
    "ItemTiming",
    "MeetingState",
    "QuoracyView",
    "assessed_quoracy",
    "backup_after_finish",
    "finish_meeting",
    "meeting_state",
    "open_item",
    "panel_quoracy",
    "quorum_finding",
    "start_meeting",
]
