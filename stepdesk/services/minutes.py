"""Minute notes typed during the meeting, and the minutes document gathered for the PDF."""

from __future__ import annotations

from stepdesk.domain import AttendanceStatus
from stepdesk.errors import NotFoundError
from stepdesk.persistence.models import AgendaItem
from stepdesk.services import audit
from stepdesk.services.convert import attendance_row, decision_view, panel_row
from stepdesk.services.panels import agenda_rows, load_panel
from stepdesk.services.permissions import require
from stepdesk.services.views import MinutesDocument, MinutesItem
from stepdesk.services.workspace import Actor, Workspace

MAX_NOTES = 200_000


def save_item_notes(ws: Workspace, actor: Actor, item_id: int, text: str) -> str:
    """Save the co-ordinator's minute notes for one item (autosave); returns when, as text."""
    require(actor, "minutes.edit")
    if len(text) > MAX_NOTES:
        text = text[:MAX_NOTES]
    with ws.db.session() as s:
        item = s.get(AgendaItem, item_id)
        if item is None:
            raise NotFoundError(f"No agenda item with id {item_id}.")
        if item.notes == text:
            return f"{item.notes_saved_at:%H:%M:%S}" if item.notes_saved_at else ""
        item.notes = text
        item.notes_saved_at = ws.now()
        # Notes are saved as they are typed: audit the fact and size, not every keystroke's text.
        audit.record(s, ws, actor, "change", "agenda_item.notes", item.id, length=len(text))
        return f"{item.notes_saved_at:%H:%M:%S}"


def minutes_document(ws: Workspace, actor: Actor, panel_id: int) -> MinutesDocument:
    """Everything the minutes print, read in one unit of work."""
    require(actor, "minutes.export")
    with ws.db.session() as s:
        panel = load_panel(s, panel_id)
        rows = agenda_rows(panel, ws)
        by_status = {
            status: [attendance_row(a) for a in panel.attendance if a.status == status]
            for status in AttendanceStatus
        }
        items = [
            MinutesItem(
                row=row,
                reasons=item.request.reasons,
                notes=item.notes,
                decision=decision_view(item.decision) if item.decision else None,
            )
            for row, item in zip(rows, panel.items, strict=True)
        ]
        audit.record(s, ws, actor, "export", "panel.minutes", panel.id)
        return MinutesDocument(
            panel=panel_row(panel, ws.profile),
            profile_name=ws.profile.name,
            present=by_status[AttendanceStatus.PRESENT],
            apologies=by_status[AttendanceStatus.APOLOGIES],
            absent=by_status[AttendanceStatus.ABSENT] + by_status[AttendanceStatus.INVITED],
            items=items,
            generated_at=ws.now(),
            generated_by=actor.name,
        )
