"""A whole panel through the real widgets: attendance, start, three decisions, finish."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from stepdesk.persistence.models import (
    AgendaItem,
    CaseNote,
    Decision,
    Dissent,
    Escalation,
    Panel,
)
from stepdesk.services import Actor, Workspace
from tests.ui.conftest import CIN_PANEL, OFFSCREEN_NOISE, select_row, unnamed_controls
from ui.decision_dialog import DecisionDialog
from ui.main_window import MainWindow
from ui.meeting_dialogs import FinishMeetingDialog
from ui.models.attendance_model import PRESENT_COLUMN
from ui.pages.meeting_page import clock_text

pytestmark = pytest.mark.qt_log_ignore(
    OFFSCREEN_NOISE, "This plugin does not support (raise|grabbing the keyboard)"
)

START = dt.datetime(2026, 11, 30, 9, 0)  # the demo's CIN panel


@pytest.fixture
def clock(demo_ws: Workspace) -> Callable[[int], None]:
    now = [START]
    demo_ws.now = lambda: now[0]

    def advance(minutes: int) -> None:
        now[0] += dt.timedelta(minutes=minutes)

    return advance


def tick_present(window: MainWindow, names: list[str]) -> None:
    model = window.attendance_model
    for number in range(model.rowCount()):
        if model.row_at(number).name in names:
            model.setData(model.index(number, PRESENT_COLUMN), Qt.CheckState.Checked.value, 10)


def decide_with(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, fill: Callable[[DecisionDialog], None]
) -> None:
    """Answer the next decision dialog as a person would: fill it in and press Save."""

    def drive(dialog: DecisionDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        fill(dialog)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(DecisionDialog, "exec", drive)


def test_a_whole_panel_run_through_the_widgets(
    qtbot: QtBot,
    window: MainWindow,
    demo_ws: Workspace,
    chair: Actor,
    clock: Callable[[int], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    select_row(window.upcoming_view, CIN_PANEL)
    page = window.meeting_page
    window.pages.setCurrentWidget(page)
    assert page.title.text() == "CIN panel, 30/11/2026"
    assert page.status.text().startswith("Not started")
    assert not page.finish_action.isEnabled()

    # Attendance: the chair and an Early Help manager make the CIN panel quorate (001 §4).
    assert page.quoracy.text().startswith("Not quorate")
    tick_present(window, ["Philip Smith", "Siân Jones", "Janet Williams", "Paul García"])
    assert page.quoracy.text().startswith("Not quorate: still needs An Early Help manager")
    tick_present(window, ["Neil Jones"])
    assert page.quoracy.text().startswith("Quorate:")
    assert page.quoracy.property("quorate") == "true"

    # Start from the keyboard: the first item opens with its 15-minute slot.
    page.start_button.setFocus()
    QTest.keyClick(
        page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert page.status.text().startswith("In progress since 09:00")
    first = page.item_id
    assert first is not None and page.chair.position.text().startswith("Item 1 of 7")
    clock(5)
    page._tick()
    assert page.chair.countdown.text() == "10:00 left of 15:00"

    # Minutes typed for the item are saved as typed.
    qtbot.keyClicks(page.notes.editor, "Presented by the social worker; school supportive.")
    page.notes.flush()

    # Item 1: a plain decision with named dissent.
    def with_dissent(dialog: DecisionDialog) -> None:
        dialog.outcome.setCurrentIndex(dialog.outcome.findData("not_agreed"))
        qtbot.keyClicks(dialog.rationale, "Not yet: risks not reduced.")
        dialog.dissents.add_row("Janet Williams", "Would step down now.")

    decide_with(monkeypatch, qtbot, with_dissent)
    qtbot.mouseClick(page.decision_button, Qt.MouseButton.LeftButton)
    assert "Not agreed" in page.chair.case.decision.text()

    # Item 2 (Alt+Right): escalated, no agreement.
    clock(14)
    QTest.keyClick(page, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    second = page.item_id
    assert second != first and page.chair.position.text().startswith("Item 2 of 7")

    def escalated(dialog: DecisionDialog) -> None:
        qtbot.keyClicks(dialog.rationale, "No agreement on the threshold.")
        qtbot.mouseClick(dialog.escalate_button, Qt.MouseButton.LeftButton)
        dialog.escalation.escalated_to.setText("Operations Manager")
        dialog.escalation.disagreement.setPlainText("Whether CIN is still needed.")
        for (side, who, view), text in zip(
            dialog.escalation.sides, ["Keep CIN", "Early Help can hold it"], strict=True
        ):
            side.setText("Team")
            who.setText("Member")
            view.setPlainText(text)

    decide_with(monkeypatch, qtbot, escalated)
    qtbot.mouseClick(page.decision_button, Qt.MouseButton.LeftButton)

    # Item 3: a block (T-CP-CIN-3M) overridden by the chair with a reason.
    clock(12)
    QTest.keyClick(page, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    third = page.item_id
    assert third == 19  # tests.ui.conftest.BLOCKED_ITEM

    def overridden(dialog: DecisionDialog) -> None:
        dialog.outcome.setCurrentIndex(dialog.outcome.findData("agreed"))
        qtbot.keyClicks(dialog.rationale, "Agreed: the family asked for Early Help now.")
        assert [f.rule for f in dialog.shown_findings() if f.severity == "block"]
        qtbot.keyClicks(dialog.override, "Family relocating; Early Help lead already working.")
        dialog.effective.setDate(QDate(2026, 11, 30))

    decide_with(monkeypatch, qtbot, overridden)
    qtbot.mouseClick(page.decision_button, Qt.MouseButton.LeftButton)

    # Finish: the other four items go forward with the reason typed.
    clock(20)
    asked: list[int] = []

    def finish(cls: type, parent: object, not_reached: list[object]) -> str:
        asked.append(len(not_reached))
        return "Ran out of time"

    monkeypatch.setattr(FinishMeetingDialog, "ask", classmethod(finish))
    qtbot.mouseClick(page.finish_button, Qt.MouseButton.LeftButton)
    assert asked == [4]
    assert page.status.text().startswith("Finished at 09:51. Minutes due 02/12/2026 17:00")
    assert "4 item(s) carried forward" in window.message.text()
    # The automatic backup after the meeting is named in the same message.
    backups = demo_ws.db.path.parent / "backups"  # type: ignore[union-attr]
    made = backups / "demo-after-meeting-20261130-095100.db"
    assert window.message.text().endswith(f"Backup saved to {made}.")
    assert made.exists()
    assert window.message.property("kind") == "info"

    with demo_ws.db.session() as s:
        decisions = {
            d.agenda_item_id: d
            for d in s.scalars(
                select(Decision).where(Decision.agenda_item_id.in_([first, second, third]))
            )
        }
        assert {k: d.outcome for k, d in decisions.items()} == {
            first: "not_agreed",
            second: "escalate",
            third: "agreed",
        }
        assert all(d.quorate is True for d in decisions.values())
        assert decisions[third].override_reason.startswith("Family relocating")  # type: ignore[union-attr]
        dissent = s.scalars(select(Dissent)).one()
        assert (dissent.decision_id, dissent.name) == (decisions[first].id, "Janet Williams")
        escalation = s.scalars(select(Escalation).where(Escalation.agenda_item_id == second)).one()
        assert escalation.due_at == dt.datetime(2026, 12, 1, 17, 0)
        first_item = s.get(AgendaItem, first)
        assert first_item is not None
        assert first_item.notes == "Presented by the social worker; school supportive."
        assert (first_item.started_at, first_item.ended_at) == (
            START,
            START + dt.timedelta(minutes=19),
        )
        carried = s.scalars(
            select(AgendaItem).where(
                AgendaItem.panel_id == CIN_PANEL, AgendaItem.status == "carried_forward"
            )
        ).all()
        assert len(carried) == 4
        target = s.get(Panel, carried[0].carried_forward_to_panel_id)
        assert target is not None and target.meeting_type == "cin_panel"
        moved = [i for i in target.items if i.request_id == carried[0].request_id]
        assert moved and moved[0].carry_reason.endswith("Ran out of time")  # type: ignore[union-attr]
        notes = s.scalars(select(CaseNote).where(CaseNote.source == "panel")).all()
        assert sorted(n.text for n in notes) == sorted(
            [
                "Discussed at CIN panel on 30/11/2026: Not agreed",
                "Discussed at CIN panel on 30/11/2026: Escalated: no agreement",
                "Discussed at CIN panel on 30/11/2026: Agreed as requested",
            ]
        )
    # The new panel is listed beside the others.
    assert target.id in [r.id for r in window.panels_model.rows()]


def test_the_meeting_page_names_every_control(window: MainWindow) -> None:
    select_row(window.upcoming_view, CIN_PANEL)
    window.pages.setCurrentWidget(window.meeting_page)
    assert unnamed_controls(window.meeting_page) == []


def test_clock_text() -> None:
    assert clock_text(dt.timedelta(minutes=7, seconds=32)) == "07:32 left"
    assert clock_text(dt.timedelta(seconds=-130)) == "02:10 over"


def test_the_full_screen_chair_view_is_large_and_fits_a_laptop(
    qtbot: QtBot, window: MainWindow
) -> None:
    select_row(window.upcoming_view, CIN_PANEL)
    window.pages.setCurrentWidget(window.meeting_page)
    page = window.meeting_page
    page.show_chair_window()
    chair = page.chair_window
    assert chair is not None and chair.isVisible()
    qtbot.waitExposed(chair)
    base = window.font().pointSizeF()
    # Every line of the case is scaled, not only the headings (the style sheet's own
    # polishing put the labels' own fonts back when the view only called setFont).
    for label in (chair.view.case.identity, chair.view.case.request, chair.view.position):
        assert label.fontInfo().pointSizeF() >= base * 1.4, label.accessibleName()
    chair.close()
    assert not chair.isVisible()
