"""Decision drafts: what is typed in an open decision dialog, saved as it is typed.

The dialog serialises its fields to a JSON-able dict and saves it a moment after each change;
reopening the dialog after a crash (or a power cut) finds it again. Saving the decision
deletes the draft (in :func:`stepdesk.services.decisions.record_decision`); cancelling the
dialog discards it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select

from stepdesk.errors import NotFoundError
from stepdesk.persistence.models import AgendaItem
from stepdesk.persistence.models import DecisionDraft as DraftRow
from stepdesk.services.permissions import require
from stepdesk.services.workspace import Actor, Workspace


@dataclass(frozen=True)
class SavedDraft:
    """A draft as last saved."""

    agenda_item_id: int
    data: dict[str, Any]
    saved_at: dt.datetime


def save_decision_draft(
    ws: Workspace, actor: Actor, item_id: int, data: dict[str, Any]
) -> dt.datetime:
    """Save what the decision dialog holds for an item; returns when it was saved.

    Not audited: a draft is not a decision, and keystrokes would flood the log.
    """
    require(actor, "decision.record")
    with ws.db.session() as s:
        if s.get(AgendaItem, item_id) is None:
            raise NotFoundError(f"No agenda item with id {item_id}.")
        row = s.scalars(select(DraftRow).where(DraftRow.agenda_item_id == item_id)).first()
        if row is None:
            row = DraftRow(agenda_item_id=item_id)
            s.add(row)
        row.data = dict(data)
        row.saved_at = ws.now()
        row.saved_by_id = actor.user_id
        return row.saved_at


def load_decision_draft(ws: Workspace, actor: Actor, item_id: int) -> SavedDraft | None:
    """The unsaved draft of an item's decision, if the dialog left one behind."""
    require(actor, "case.view")
    with ws.db.session() as s:
        row = s.scalars(select(DraftRow).where(DraftRow.agenda_item_id == item_id)).first()
        if row is None:
            return None
        return SavedDraft(row.agenda_item_id, dict(row.data or {}), row.saved_at)


def discard_decision_draft(ws: Workspace, actor: Actor, item_id: int) -> None:
    """Forget the draft (the dialog was cancelled on purpose)."""
    require(actor, "decision.record")
    with ws.db.session() as s:
        s.execute(delete(DraftRow).where(DraftRow.agenda_item_id == item_id))
