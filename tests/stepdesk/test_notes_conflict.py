"""Minute notes on a shared database: a save based on notes someone else has since changed
is refused with both texts (nothing is lost), instead of the last save silently winning."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from stepdesk.persistence.models import AgendaItem
from stepdesk.services import Workspace
from stepdesk.services.minutes import StaleNotesError, notes_token, save_item_notes
from stepdesk.services.people import actor_for

ITEM = 17  # the CIN panel's first item: no notes yet
OLIVIA, SIAN = 3, 4  # the demo's two co-ordinators


def _stored(ws: Workspace) -> str | None:
    with ws.db.session() as s:
        return s.scalars(select(AgendaItem.notes).where(AgendaItem.id == ITEM)).one()


def test_a_stale_save_is_refused_with_both_texts(demo_ws: Workspace) -> None:
    olivia, sian = actor_for(demo_ws, OLIVIA), actor_for(demo_ws, SIAN)
    assert _stored(demo_ws) in (None, "")
    loaded = notes_token(_stored(demo_ws))  # both editors opened the empty notes
    save_item_notes(demo_ws, sian, ITEM, "Siân: school report read out.", loaded)
    with pytest.raises(StaleNotesError) as stale:
        save_item_notes(demo_ws, olivia, ITEM, "Olivia: family views heard.", loaded)
    error = stale.value
    assert _stored(demo_ws) == "Siân: school report read out."  # theirs is not overwritten
    assert (error.theirs, error.mine) == (
        "Siân: school report read out.",
        "Olivia: family views heard.",
    )
    assert str(error).startswith("These minute notes were changed by Siân Jones at 09:00")
    assert "Both are kept in the editor" in str(error)
    assert error.merged == (
        "Siân: school report read out.\n\n"
        "--- Not saved: your version (notes changed by Siân Jones at 09:00) ---\n"
        "Olivia: family views heard."
    )
    # Saving the merged text, based on theirs, goes through: nothing typed was lost.
    save_item_notes(demo_ws, olivia, ITEM, error.merged, notes_token(error.theirs))
    assert _stored(demo_ws) == error.merged


def test_saves_based_on_the_stored_notes_and_unchecked_saves_go_through(
    demo_ws: Workspace,
) -> None:
    olivia = actor_for(demo_ws, OLIVIA)
    save_item_notes(demo_ws, olivia, ITEM, "First line.", notes_token(None))
    save_item_notes(demo_ws, olivia, ITEM, "First line. Second.", notes_token("First line."))
    save_item_notes(demo_ws, olivia, ITEM, "Overwritten by the command line.")  # no check
    assert _stored(demo_ws) == "Overwritten by the command line."
    # The same text again is no change, whatever it was based on.
    save_item_notes(demo_ws, olivia, ITEM, "Overwritten by the command line.", "stale")
