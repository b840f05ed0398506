"""Optimistic locking: a stale save names who changed the decision and when, keeps what was
typed, and never silently overwrites."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from stepdesk.errors import StaleRecordError
from stepdesk.persistence.models import Decision, User
from stepdesk.services import Actor, Workspace
from stepdesk.services.decisions import latest_decision, record_decision
from stepdesk.services.views import DecisionDraft
from tests.ui.conftest import OFFSCREEN_NOISE
from ui.decision_dialog import DecisionDialog

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

ITEM = 10  # a step in on the first upcoming panel: nothing blocks it


def _other_chair(ws: Workspace, chair: Actor) -> Actor:
    with ws.db.session() as s:
        user = s.scalars(select(User).where(User.role == "chair", User.id != chair.user_id)).one()
        return Actor(user.id, user.name, user.role)


def test_the_service_refuses_a_stale_save(demo_ws: Workspace, chair: Actor) -> None:
    other = _other_chair(demo_ws, chair)
    first = record_decision(demo_ws, chair, ITEM, DecisionDraft("defer", "Need the school report."))
    # The other chair saves on top of version 1...
    record_decision(
        demo_ws, other, ITEM, DecisionDraft("no_change", "Stay as is.", based_on_version=1)
    )
    # ...and the first chair, still looking at version 1, is refused.
    with pytest.raises(StaleRecordError, match=f"changed by {other.name} at 09:00") as caught:
        record_decision(
            demo_ws, chair, ITEM, DecisionDraft("agreed", "Mine.", based_on_version=first.version)
        )
    assert "nothing was saved" in str(caught.value)
    with demo_ws.db.session() as s:
        saved = s.scalars(select(Decision).where(Decision.agenda_item_id == ITEM)).one()
        assert (saved.outcome, saved.rationale) == ("no_change", "Stay as is.")
    # A dialog that saw no decision at all is refused too once one exists.
    with pytest.raises(StaleRecordError):
        record_decision(demo_ws, chair, ITEM, DecisionDraft("defer", "x", based_on_version=0))


def test_the_dialog_shows_theirs_keeps_mine_and_saves_only_when_asked(
    qtbot: QtBot, demo_ws: Workspace, chair: Actor
) -> None:
    other = _other_chair(demo_ws, chair)
    dialog = DecisionDialog.create(None, demo_ws, chair, ITEM)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("defer"))
    mine = "Defer: the health visitor's report is due next week."
    qtbot.keyClicks(dialog.rationale, mine)
    # Meanwhile the other chair records a decision on the same item.
    record_decision(demo_ws, other, ITEM, DecisionDraft("agreed", "Their reasons."))

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.decision is None
    message = dialog.general_error.text()
    assert f"changed by {other.name}" in message
    assert "Their reasons." in message and "Save again" in message
    assert dialog.rationale.toPlainText() == mine  # what was typed is kept
    assert latest_decision(demo_ws, chair, ITEM).rationale == "Their reasons."  # type: ignore[union-attr]

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # knowingly, this time
    assert dialog.decision is not None and dialog.decision.rationale == mine
