"""Panels: the list, one panel with its agenda, and attendance."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from stepdesk.domain import AttendanceStatus
from stepdesk.errors import NotFoundError, ValidationError
from stepdesk.persistence.models import AgendaItem, Attendance, Panel
from stepdesk.services import audit
from stepdesk.services.convert import agenda_row, attendance_row, panel_row, slot_starts
from stepdesk.services.loading import panel_options
from stepdesk.services.permissions import require
from stepdesk.services.views import AgendaRow, AttendanceRow, PanelRow, PanelView
from stepdesk.services.workspace import Actor, Workspace


def list_panels(ws: Workspace, actor: Actor) -> list[PanelRow]:
    """Every panel, soonest first (upcoming and past alike; the GUI splits them)."""
    require(actor, "panel.view")
    with ws.db.session() as s:
        panels = s.scalars(
            select(Panel)
            .options(
                selectinload(Panel.chair),
                selectinload(Panel.items).selectinload(AgendaItem.decision),
            )
            .order_by(Panel.starts_at)
        ).all()
        return [panel_row(p, ws.profile) for p in panels]


def load_panel(s: Session, panel_id: int, *, full_case: bool = False) -> Panel:
    """A panel with what its views need, or ``NotFoundError``."""
    panel = s.scalars(
        select(Panel).where(Panel.id == panel_id).options(*panel_options(full_case=full_case))
    ).one_or_none()
    if panel is None:
        raise NotFoundError(f"No panel with id {panel_id}: run 'stepdesk panels' to list them.")
    return panel


def lock_panel(s: Session, panel_id: int) -> None:
    """Serialise writers of one panel's record: approving its minutes, changing a decision.

    ``SELECT … FOR UPDATE`` on a shared PostgreSQL database; SQLite's write transaction
    (BEGIN IMMEDIATE) already serialises them, and the clause is left out there.
    """
    s.execute(select(Panel.id).where(Panel.id == panel_id).with_for_update())


def agenda_rows(panel: Panel, ws: Workspace) -> list[AgendaRow]:
    """The agenda of a loaded panel, with slot times."""
    starts = slot_starts(panel)
    return [agenda_row(item, starts[item.id], ws.profile) for item in panel.items]


def get_panel(ws: Workspace, actor: Actor, panel_id: int) -> PanelView:
    """One panel with its attendance, agenda and the deadlines before it."""
    require(actor, "panel.view")
    with ws.db.session() as s:
        panel = load_panel(s, panel_id)
        return PanelView(
            panel=panel_row(panel, ws.profile),
            attendance=[attendance_row(a) for a in panel.attendance],
            items=agenda_rows(panel, ws),
            deadlines=ws.clock.before_meeting(panel.starts_at),
        )


def set_attendance(ws: Workspace, actor: Actor, attendance_id: int, status: str) -> AttendanceRow:
    """Mark an invited member present, apologies, absent or back to invited."""
    require(actor, "attendance.edit")
    try:
        new_status = AttendanceStatus(status)
    except ValueError:
        options = ", ".join(s.value for s in AttendanceStatus)
        raise ValidationError("attendance", f"'{status}' is not one of: {options}") from None
    with ws.db.session() as s:
        att = s.get(Attendance, attendance_id, options=[selectinload(Attendance.user)])
        if att is None:
            raise NotFoundError(f"No attendance record {attendance_id}.")
        before = att.status
        att.status = new_status
        audit.record(
            s, ws, actor, "change", "attendance", att.id, before=before, after=new_status.value
        )
        return attendance_row(att)
