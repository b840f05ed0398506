"""The decision dialog in the meeting: named dissent, mapping, escalation, drafts, quoracy."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from stepdesk.persistence.models import Dissent, Escalation
from stepdesk.services import Actor, Workspace
from stepdesk.services.drafts import load_decision_draft
from stepdesk.services.meeting import start_meeting
from tests.ui.conftest import OFFSCREEN_NOISE, unnamed_controls
from ui.decision_dialog import DecisionDialog

# The completer's popup on the offscreen platform says these too; they are not our warnings.
pytestmark = pytest.mark.qt_log_ignore(
    OFFSCREEN_NOISE, "This plugin does not support (raise|grabbing the keyboard)"
)

STEP_IN = 10  # on the step-up/down meeting (panel 2): nothing in the protocol objects
STEP_DOWN = 20  # a step-down on the CIN panel: agreed gives the transfer's actions


def make(qtbot: QtBot, ws: Workspace, actor: Actor, item_id: int) -> DecisionDialog:
    dialog = DecisionDialog.create(None, ws, actor, item_id)
    qtbot.addWidget(dialog)
    dialog.show()  # as the user sees it: a completer's popup needs a shown window
    qtbot.waitExposed(dialog)
    return dialog


def save(qtbot: QtBot, dialog: DecisionDialog) -> None:
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_named_dissent_picked_from_the_members(
    qtbot: QtBot, demo_ws: Workspace, chair: Actor
) -> None:
    dialog = make(qtbot, demo_ws, chair, STEP_IN)
    qtbot.keyClicks(dialog.rationale, "Step in for eight weeks.")
    qtbot.mouseClick(dialog.dissents.add_button, Qt.MouseButton.LeftButton)
    who, view = dialog.dissents.rows()[0]
    members = [who.itemText(i) for i in range(who.count())]
    assert "Janet Williams" in members and "Philip Smith" in members
    who.setCurrentIndex(who.findText("Janet Williams"))
    # A view left empty is refused beside the dissent, on its tab.
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.field_error("Dissent") == "Dissent 1: give Janet Williams's view; it is minuted"
    assert dialog.tabs.currentIndex() == 1
    qtbot.keyClicks(view, "Would hold a TAC meeting first.")
    save(qtbot, dialog)
    assert dialog.decision is not None
    assert [(d.name, d.user_id) for d in dialog.decision.dissents] == [("Janet Williams", 7)]
    with demo_ws.db.session() as s:
        assert [r.view for r in s.scalars(select(Dissent)).all()] == [
            "Would hold a TAC meeting first."
        ]


def test_mapping_exercise_needs_its_note(qtbot: QtBot, demo_ws: Workspace, chair: Actor) -> None:
    dialog = make(qtbot, demo_ws, chair, STEP_IN)
    qtbot.keyClicks(dialog.rationale, "Agreed.")
    assert not dialog.mapping.note.isEnabled()
    dialog.mapping.uncertain.setChecked(True)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "(C-MAPPING)" in (dialog.field_error("Mapping exercise") or "")
    qtbot.keyClicks(dialog.mapping.note, "Mapped: Level 3 needs.")
    save(qtbot, dialog)
    assert dialog.decision is not None
    assert dialog.decision.mapping_note == "Mapped: Level 3 needs."


def test_escalate_opens_an_escalation(qtbot: QtBot, demo_ws: Workspace, chair: Actor) -> None:
    dialog = make(qtbot, demo_ws, chair, STEP_IN)
    assert not dialog.tabs.isTabEnabled(dialog.escalation_tab)
    qtbot.keyClicks(dialog.rationale, "The panel could not agree on the threshold.")
    qtbot.mouseClick(dialog.escalate_button, Qt.MouseButton.LeftButton)
    assert dialog.outcome.currentData() == "escalate"
    assert dialog.tabs.currentIndex() == dialog.escalation_tab
    assert [a.rule_id for a in dialog.actions_model.actions()] == ["T-ESCALATE-24H"]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Escalated to:" in (dialog.field_error("Escalation") or "")
    box = dialog.escalation
    qtbot.keyClicks(box.escalated_to, "Operations Manager")
    qtbot.keyClicks(box.disagreement, "Whether CIN threshold is met.")
    (side1, who1, view1), (_side2, who2, view2) = box.sides
    qtbot.keyClicks(side1, "Family Safeguarding")
    qtbot.keyClicks(who1, "Janet Williams")
    qtbot.keyClicks(view1, "Risk is reducing.")
    who2.setText("Paul García")  # QTest types ASCII only
    qtbot.keyClicks(view2, "Needs remain complex.")
    save(qtbot, dialog)
    with demo_ws.db.session() as s:
        row = s.scalars(select(Escalation).where(Escalation.agenda_item_id == STEP_IN)).one()
        assert row.escalated_to == "Operations Manager"
        assert [v["side"] for v in row.views] == ["Family Safeguarding", "Receiving team"]
    # Opened again, the escalation is filled back in.
    again = DecisionDialog.create(None, demo_ws, chair, STEP_IN, existing=dialog.decision)
    qtbot.addWidget(again)
    assert again.escalation.escalated_to.text() == "Operations Manager"
    assert again.escalation.sides[1][2].toPlainText() == "Needs remain complex."


def test_actions_follow_the_outcome_until_edited(
    qtbot: QtBot, demo_ws: Workspace, chair: Actor
) -> None:
    dialog = make(qtbot, demo_ws, chair, STEP_DOWN)
    assert dialog.outcome.currentData() == "agreed"
    agreed = [a.rule_id for a in dialog.actions_model.actions()]
    assert agreed == ["T-EFFECT-24H", "T-HANDOVER", "T-HANDOVER"]
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("defer"))
    assert dialog.actions_model.actions() == []
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("agreed"))
    model = dialog.actions_model
    model.setData(model.index(0, 1), "Paul García")  # the owner is edited
    assert model.actions()[0].owner_id == 8
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("defer"))
    assert len(model.actions()) == 3  # edited actions are never thrown away


def test_a_draft_survives_a_crash_and_cancel_drops_it(
    qtbot: QtBot, demo_ws: Workspace, chair: Actor
) -> None:
    dialog = make(qtbot, demo_ws, chair, STEP_IN)
    qtbot.keyClicks(dialog.rationale, "Half way through the sentence")
    dialog.dissents.add_row("Janet Williams", "Unsure")
    qtbot.waitUntil(lambda: load_decision_draft(demo_ws, chair, STEP_IN) is not None)
    qtbot.waitUntil(lambda: dialog.draft_status.text().startswith("Draft kept"))
    saved = load_decision_draft(demo_ws, chair, STEP_IN)
    assert saved is not None and saved.data["dissents"][0]["view"] == "Unsure"
    # The app dies: the dialog is gone without Save or Cancel. Reopened, it is all there.
    dialog.hide()
    again = make(qtbot, demo_ws, chair, STEP_IN)
    assert again.rationale.toPlainText() == "Half way through the sentence"
    assert [(d.name, d.view) for d in again.dissents.dissents()] == [("Janet Williams", "Unsure")]
    assert again.draft_status.text().startswith("Restored what was typed at 09:00:00")
    again.reject()
    assert load_decision_draft(demo_ws, chair, STEP_IN) is None


def test_a_non_quorate_panel_is_warned_in_the_dialog(
    qtbot: QtBot, demo_ws: Workspace, chair: Actor
) -> None:
    start_meeting(demo_ws, chair, 2)  # nobody is marked present yet
    dialog = make(qtbot, demo_ws, chair, STEP_IN)
    quorum = [t for t in dialog.findings.texts() if "QUORUM" in t]
    assert len(quorum) == 1 and quorum[0].startswith("Warning · QUORUM: The panel is not quorate")
    assert dialog.save_button.isEnabled()  # a warning, not a block
    qtbot.keyClicks(dialog.rationale, "Agreed.")
    save(qtbot, dialog)
    assert dialog.decision is not None and dialog.decision.quorate is False


def test_every_new_control_has_an_accessible_name(
    qtbot: QtBot, demo_ws: Workspace, chair: Actor
) -> None:
    dialog = make(qtbot, demo_ws, chair, STEP_IN)
    dialog.dissents.add_row("Janet Williams", "x")
    dialog.escalate()
    assert unnamed_controls(dialog) == []
