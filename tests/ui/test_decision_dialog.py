"""The decision dialog, and the issue's end-to-end test: block, clear, save, minutes PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from stepdesk.services import Actor, Workspace
from stepdesk.services.cases import item_detail
from tests.ui.conftest import (
    BLOCKED_ITEM,
    CIN_PANEL,
    OFFSCREEN_NOISE,
    select_row,
    unnamed_controls,
)
from ui.decision_dialog import DecisionDialog
from ui.dialogs import SaveFileDialog
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

UNBLOCKED_ITEM = 10  # a step in on the first upcoming panel: the protocol has nothing to say
COORDINATOR = Actor(3, "Olivia Carter", "coordinator")  # records decisions, may not override


def blocks(dialog: DecisionDialog) -> list[str]:
    return [f.rule for f in dialog.shown_findings() if f.severity == "block"]


def make(qtbot: QtBot, ws: Workspace, actor: Actor, item_id: int, **kw: object) -> DecisionDialog:
    dialog = DecisionDialog.create(None, ws, actor, item_id, **kw)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    return dialog


def choose_outcome(dialog: DecisionDialog, code: str) -> None:
    dialog.outcome.setCurrentIndex(dialog.outcome.findData(code))


def test_decision_with_a_block_is_cleared_saved_and_minuted(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The issue's test: a blocking finding disables Save until cleared; the PDF has it."""
    select_row(window.upcoming_view, CIN_PANEL)
    select_row(window.agenda_view, BLOCKED_ITEM)
    assert "T-CP-CIN-3M" in [f.rule for f in window.case_pane.findings.findings()]
    rationale = "Safety plan holding; step down when three months on CIN are complete."
    seen: dict[str, object] = {}

    def drive(dialog: DecisionDialog) -> int:
        """Stands in for the modal event loop: a person typing into the real dialog."""
        dialog.show()
        qtbot.waitExposed(dialog)
        choose_outcome(dialog, "agreed")
        qtbot.keyClicks(dialog.rationale, rationale)
        seen["blocks"] = blocks(dialog)
        seen["block label"] = dialog.findings.texts()[0]
        seen["save while blocked"] = dialog.save_button.isEnabled()
        seen["override offered"] = dialog.override.isVisible()
        # Clear it by the rule's own terms: effective after 03/02/2027, three months on CIN.
        dialog.effective.setDate(QDate(2027, 2, 15))
        # CIN to early help changes service: the receiving team must be named (T-HANDOVER).
        seen["team block"] = blocks(dialog)
        seen["team label"] = dialog.findings.texts()[0]
        dialog.team.setCurrentIndex(dialog.team.findText("Early Help North Hub"))
        seen["blocks after"] = blocks(dialog)
        seen["save after"] = dialog.save_button.isEnabled()
        seen["override after"] = dialog.override.isVisible()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(DecisionDialog, "exec", drive)
    qtbot.mouseClick(window.decision_button, Qt.MouseButton.LeftButton)

    assert "T-CP-CIN-3M" in seen["blocks"]  # type: ignore[operator]
    assert str(seen["block label"]).startswith("Blocks · T-CP-CIN-3M:")
    assert seen["save while blocked"] is False
    assert seen["override offered"] is True
    assert seen["team block"] == ["T-HANDOVER"]
    assert str(seen["team label"]).startswith("Blocks · T-HANDOVER: Name the receiving team")
    assert seen["blocks after"] == []
    assert seen["save after"] is True
    assert seen["override after"] is False
    row = window.agenda_model.row_at(window.agenda_view.currentIndex().row())
    assert (row.id, row.outcome_label) == (BLOCKED_ITEM, "Agreed as requested")
    assert window.message.text().startswith("Decision recorded for Jamie Higgins")
    assert "Agreed as requested" in window.case_pane.decision.text()

    pdf = tmp_path / "minutes.pdf"
    asked: list[str] = []

    def ask(cls: type, parent: object, title: str, suggested: Path, file_filter: str) -> Path:
        asked.append(suggested.name)
        return pdf

    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(ask))
    window.export_action.trigger()
    assert asked == ["Minutes CIN panel 2026-11-30.pdf"]
    assert window.message.text() == f"Minutes exported to {pdf}."
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert rationale in " ".join(text.split())


def test_export_cancelled_writes_nothing(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *args: None))
    window.export_action.trigger()
    assert list(tmp_path.glob("*.pdf")) == []


def test_export_to_an_unwritable_place_says_so(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "no such folder" / "minutes.pdf"
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *args: target))
    window.export_action.trigger()
    assert window.message.text().startswith(f"Could not write {target}:")
    assert window.message.property("kind") == "error"


def test_a_chair_may_override_with_a_reason(qtbot: QtBot, demo_ws: Workspace, chair: Actor) -> None:
    dialog = make(qtbot, demo_ws, chair, BLOCKED_ITEM)
    qtbot.keyClicks(dialog.rationale, "Agreed: the family asked for it.")
    assert "T-CP-CIN-3M" in blocks(dialog)
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.override, "   ")
    assert not dialog.save_button.isEnabled()  # blank is not a reason
    qtbot.keyClicks(dialog.override, "Family relocating; Early Help lead already working.")
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.decision is not None
    assert dialog.decision.override_reason == "Family relocating; Early Help lead already working."
    assert dialog.decision.override_by == chair.name
    assert "T-CP-CIN-3M" in [f.rule for f in dialog.decision.findings]


def test_a_coordinator_is_told_who_may_override(qtbot: QtBot, demo_ws: Workspace) -> None:
    dialog = make(qtbot, demo_ws, COORDINATOR, BLOCKED_ITEM)
    qtbot.keyClicks(dialog.rationale, "Agreed.")
    assert blocks(dialog)
    assert dialog.override.isHidden()
    assert not dialog.override_help.isHidden()
    assert "panel chair or manager" in dialog.override_help.text()
    assert not dialog.save_button.isEnabled()


def test_validation_error_is_shown_beside_its_field(
    qtbot: QtBot, demo_ws: Workspace, chair: Actor
) -> None:
    dialog = make(qtbot, demo_ws, chair, UNBLOCKED_ITEM)
    assert blocks(dialog) == []
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.field_error("Rationale") == (
        "Rationale: say why the panel decided this; it is minuted"
    )
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.decision is None

    qtbot.keyClicks(dialog.rationale, "Social worker steps in for eight weeks.")
    dialog.review_set.setChecked(True)
    dialog.review.setDate(QDate(2026, 11, 1))  # before the effective date
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.field_error("Rationale") is None
    assert (
        dialog.field_error("Review date")
        == "Review date: must be after the effective date 23/11/2026"
    )

    dialog.review.setDate(QDate(2027, 1, 18))
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.decision is not None
    assert dialog.decision.review_on == dt.date(2027, 1, 18)


def test_suggested_actions_are_saved_with_the_decision(
    qtbot: QtBot, demo_ws: Workspace, chair: Actor
) -> None:
    dialog = make(qtbot, demo_ws, chair, 20)  # a step-down that clears with a later date
    choose_outcome(dialog, "agreed")
    dialog.effective.setDate(QDate(2027, 1, 4))
    qtbot.keyClicks(dialog.rationale, "Ready for Early Help.")
    qtbot.mouseClick(dialog.suggest, Qt.MouseButton.LeftButton)
    rules = [a.rule_id for a in dialog.actions_model.actions()]
    assert rules == ["T-EFFECT-24H", "T-HANDOVER", "T-HANDOVER"]  # arranged, then done
    qtbot.mouseClick(dialog.suggest, Qt.MouseButton.LeftButton)  # no duplicates
    assert len(dialog.actions_model.actions()) == 3
    assert "No further standard actions" in dialog.actions_hint.text()
    dialog.actions_view.setCurrentIndex(dialog.actions_model.index(2, 0))
    qtbot.mouseClick(dialog.remove_action, Qt.MouseButton.LeftButton)
    team = dialog.team.findText("Early Help North Hub")
    dialog.team.setCurrentIndex(team)
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.decision is not None
    assert [a.rule_id for a in dialog.decision.actions] == ["T-EFFECT-24H", "T-HANDOVER"]
    assert dialog.decision.receiving_team == "Early Help North Hub"


def test_an_empty_action_names_its_line(qtbot: QtBot, demo_ws: Workspace, chair: Actor) -> None:
    dialog = make(qtbot, demo_ws, chair, UNBLOCKED_ITEM)
    qtbot.keyClicks(dialog.rationale, "Agreed.")
    qtbot.mouseClick(dialog.add_action, Qt.MouseButton.LeftButton)
    dialog.actions_view.closePersistentEditor(dialog.actions_model.index(0, 0))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.field_error("Actions") == "Action 1: describe what is to be done"


def test_a_recorded_decision_opens_filled_in(
    qtbot: QtBot, demo_ws: Workspace, chair: Actor
) -> None:
    existing = item_detail(demo_ws, chair, 2).decision  # decided at the past panel
    assert existing is not None
    dialog = make(qtbot, demo_ws, chair, 2, existing=existing)
    assert dialog.outcome.currentData() == existing.outcome
    assert dialog.rationale.toPlainText() == existing.rationale
    assert existing.actions
    assert [(a.description, a.owner_name, a.due_on, a.rule_id) for a in existing.actions] == [
        (a.description, a.owner_name, a.due_on, a.rule_id) for a in dialog.draft().actions
    ]


def test_every_dialog_control_has_an_accessible_name(
    qtbot: QtBot, demo_ws: Workspace, chair: Actor
) -> None:
    dialog = make(qtbot, demo_ws, chair, BLOCKED_ITEM)
    assert unnamed_controls(dialog) == []
    assert dialog.effective.displayFormat() == "dd/MM/yyyy"
