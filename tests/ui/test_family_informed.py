"""C-FAMILY-INFORMED in the decision dialog: three tick boxes, live findings, saved."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from stepdesk.profile import load_profile
from stepdesk.services import Actor, Workspace
from stepdesk.services.cases import item_detail
from tests.ui.conftest import OFFSCREEN_NOISE
from ui.decision_dialog import DecisionDialog

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

STEP_IN = 10  # a step in on the first upcoming panel: nothing else to say in the default profile


def family_findings(dialog: DecisionDialog) -> list[str]:
    return [f.severity for f in dialog.shown_findings() if f.rule == "C-FAMILY-INFORMED"]


def agreed(qtbot: QtBot, ws: Workspace, actor: Actor) -> DecisionDialog:
    dialog = DecisionDialog.create(None, ws, actor, STEP_IN)
    qtbot.addWidget(dialog)
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("agreed"))
    dialog.rationale.setPlainText("Needs met by a step in to Early Help.")
    dialog.review_set.setChecked(True)  # C-REVIEW-EXIT in the learning-disability profile
    dialog.exit_strategy.setPlainText("Support ends after the 12-week review if stable.")
    return dialog


def test_ticking_what_the_family_was_told_clears_the_finding_and_is_saved(
    qtbot: QtBot, demo_ws: Workspace, chair: Actor
) -> None:
    dialog = agreed(qtbot, demo_ws, chair)
    assert family_findings(dialog) == ["info"]
    message = next(f.message for f in dialog.shown_findings() if f.rule == "C-FAMILY-INFORMED")
    assert "why the change is proposed" in message
    dialog.family.boxes["why"].setChecked(True)
    dialog.family.boxes["how_long"].setChecked(True)
    still = next(f.message for f in dialog.shown_findings() if f.rule == "C-FAMILY-INFORMED")
    assert "how to raise concerns" in still and "why" not in still
    # Keyboard: Tab reaches the box from the one before it, and the space bar ticks it.
    dialog.show()
    qtbot.waitExposed(dialog)
    box = dialog.family.boxes["concerns"]
    assert box.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert dialog.family.boxes["how_long"].nextInFocusChain() is box
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked()
    assert family_findings(dialog) == []
    assert dialog.draft().family_informed == ("why", "how_long", "concerns")
    # Kept in the crash draft, and in the decision.
    data = dialog.to_data()
    assert data["family_informed"] == ["why", "how_long", "concerns"]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.decision is not None
    saved = item_detail(demo_ws, chair, STEP_IN).decision
    assert saved is not None and saved.family_informed == ("why", "how_long", "concerns")
    again = DecisionDialog.create(None, demo_ws, chair, STEP_IN, existing=saved)
    qtbot.addWidget(again)
    assert [b.isChecked() for b in again.family.boxes.values()] == [True, True, True]


def test_in_the_learning_disability_profile_it_blocks_until_ticked(
    qtbot: QtBot, demo_ws: Workspace, chair: Actor
) -> None:
    ws = Workspace(demo_ws.db, profile=load_profile("learning-disability"), now=demo_ws.now)
    dialog = agreed(qtbot, ws, chair)
    assert family_findings(dialog) == ["block"]
    for box in dialog.family.boxes.values():
        box.setChecked(True)
    assert family_findings(dialog) == []
    dialog.family.boxes["how_long"].setChecked(False)
    assert family_findings(dialog) == ["block"]


def test_the_tick_boxes_are_named_and_restored_from_a_draft(
    qtbot: QtBot, demo_ws: Workspace, chair: Actor
) -> None:
    dialog = agreed(qtbot, demo_ws, chair)
    names = [b.accessibleName() for b in dialog.family.boxes.values()]
    assert names == [
        "Family told: why the change is proposed",
        "Family told: how long it may last",
        "Family told: how to raise concerns",
    ]
    dialog.restore({"family_informed": ["concerns"]})
    assert dialog.family.told() == ("concerns",)
