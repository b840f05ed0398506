"""One whole panel, from a worker's request to the carried-forward item, through real widgets.

Four people at four desks, each in the main window as they would sign in: a worker writes a
step-down on the request form; an Operations Manager QA-approves it (and one more waiting);
the co-ordinator makes a panel, builds its agenda (adds, reorders with Alt+Shift+Up, sets a
slot and a presenter, invites a manager, holds back a request that is not ready); the chair runs
the meeting (start, attendance, minutes, three decisions: a T-CP-CIN-3M block overridden, an
escalation with no agreement, an ordinary agreement; one item not reached) and finishes it.
Then the database is checked. Modal dialogs are answered through their own widgets: their
``exec`` is replaced by "show it, fill it in, press its button" (tests.ui.test_meeting_page).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QDialog, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from stepdesk.persistence.models import (
    AgendaItem,
    AuditEvent,
    CaseNote,
    Escalation,
    Panel,
    Request,
)
from stepdesk.services import Workspace
from stepdesk.services.agenda import agenda_builder, hold_back
from stepdesk.services.meeting import meeting_state
from stepdesk.services.people import actor_for
from tests.conftest import NOW
from tests.ui.conftest import CIN_PANEL, OFFSCREEN_NOISE, open_window
from ui.decision_dialog import DecisionDialog
from ui.main_window import MainWindow
from ui.meeting_dialogs import FinishMeetingDialog
from ui.models import ROW_ROLE
from ui.models.attendance_model import PRESENT_COLUMN
from ui.pages.agenda_builder import (
    AgendaBuilderPage,
    HoldBackDialog,
    NewPanelDialog,
    readiness_text,
)
from ui.pages.requests import CaseSearchDialog, RequestsPage
from ui.request_dialog import OpenFileDialog, RequestDialog

pytestmark = pytest.mark.qt_log_ignore(
    OFFSCREEN_NOISE, "This plugin does not support (raise|grabbing the keyboard)"
)

# Demo (seed 1). Robert Brown (13) works in team 4; Thảo Phillips (10) is the Operations
# Manager (no team: QA for every team); Olivia Carter (3) a co-ordinator; Janet Williams (7)
# manages team 4; Kelly Watson (22) is an Early Help worker. Renée Walters (case 152, team 4)
# has been on Child in Need since 03/11/2026 after a Child Protection plan, so a step-down to
# Early Help before 03/02/2027 is blocked by T-CP-CIN-3M. Requests 30 and 32 are QA-approved
# and ready; 34 waits for QA; 31 is QA-approved but has neither consent nor evidence.
WORKER, OPS_MANAGER, COORDINATOR, MANAGER, PRESENTER = 13, 10, 3, 7, 22
SUBJECT = "Renée Walters"
READY_A, READY_B, WAITING_QA, NOT_READY = 30, 32, 34, 31
MEETING = dt.datetime(2026, 11, 30, 10, 0)  # New panel's default: five working days on
ALT_SHIFT = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


# Driving.
def sign_in(qtbot: QtBot, ws: Workspace, user_id: int) -> MainWindow:
    """The main window as ``user_id`` sees it, active (shortcuts reach only the active window)."""
    return open_window(qtbot, ws, actor_for(ws, user_id), active=True)


def activate(qtbot: QtBot, widget: QWidget) -> None:
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


def answer(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, cls: type[QDialog], fill: Callable[[Any], None]
) -> list[Any]:
    """The next ``cls`` dialog is shown and ``fill`` drives it; its result goes back as exec's.

    Returns the list the dialogs shown are appended to (so a test can say one was shown).
    """
    shown: list[Any] = []

    def drive(dialog: QDialog) -> int:
        shown.append(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        activate(qtbot, dialog)
        fill(dialog)
        parent = dialog.parentWidget()
        if parent is not None and not dialog.isVisible():  # back to the window, as on a desktop
            activate(qtbot, parent.window())
        return dialog.result()

    monkeypatch.setattr(cls, "exec", drive)
    return shown


def click(qtbot: QtBot, widget: QWidget) -> None:
    assert widget.isEnabled() and widget.isVisible(), widget.accessibleName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def row_index(
    view: QAbstractItemView, wanted: Callable[[Any], bool], column: int = 0
) -> QModelIndex:
    model = view.model()
    for number in range(model.rowCount()):
        index = model.index(number, column)
        if wanted(index.data(ROW_ROLE)):
            return index
    raise AssertionError(f"no such row in {view.accessibleName()}")


def click_row(
    qtbot: QtBot, view: QAbstractItemView, wanted: Callable[[Any], bool], column: int = 0
) -> None:
    """Click the row as a mouse would (it must be on screen)."""
    index = row_index(view, wanted, column)
    view.scrollTo(index)
    rect = view.visualRect(index)
    assert rect.isValid(), view.accessibleName()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.currentIndex().row() == index.row()


def button_named(root: QWidget, name: str) -> QPushButton:
    found = [b for b in root.findChildren(QPushButton) if b.accessibleName() == name]
    assert len(found) == 1, f"{len(found)} buttons named {name!r}"
    return found[0]


def key(
    widget: QWidget, k: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    QTest.keyClick(widget, k, modifiers)


# The people, one after the other.
def worker_writes_a_step_down(
    qtbot: QtBot, ws: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> int:
    win = sign_in(qtbot, ws, WORKER)
    page = win.findChild(RequestsPage)
    assert page is not None
    key(win, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # View → Requests
    assert win.pages.currentWidget() is page

    def choose_case(dialog: CaseSearchDialog) -> None:
        qtbot.keyClicks(dialog.search, "Walters")
        key(dialog.search, Qt.Key.Key_Return)

    chosen = answer(monkeypatch, qtbot, CaseSearchDialog, choose_case)
    plan = tmp_path / "Child and Family Plan.pdf"
    plan.write_bytes(b"%PDF-1.4 synthetic Child and Family Plan")
    monkeypatch.setattr(OpenFileDialog, "ask", classmethod(lambda cls, *a: plan))

    def fill_form(form: RequestDialog) -> None:
        assert form.title.text().startswith(SUBJECT)
        form.movement.setFocus()
        form.movement.setCurrentIndex(form.movement.findData("step_down"))
        assert form.to_plan.currentText().startswith("Early Help")
        qtbot.keyClicks(form.reasons, "Family Group Conference held; school and GP supportive.")
        form.lead.clear()
        qtbot.keyClicks(form.lead, "Kelly Watson (Early Help)")
        key(form, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # Record &consent now
        qtbot.waitUntil(form.record_new.isChecked)  # a mnemonic "animates" the click
        assert form.consent_by.hasFocus()
        form.consent_kind.setCurrentIndex(form.consent_kind.findData("signed"))
        qtbot.keyClicks(form.consent_by, "Ms Walters (mother)")
        qtbot.keyClicks(form.consent_how, "Signed at the review")
        form.attach_kind.setCurrentIndex(form.attach_kind.findData("child_and_family_plan"))
        click(qtbot, form.add_button)
        assert form.attachments_model.rowCount() == 1, form.error.text()
        click(qtbot, form.submit_button)
        assert form.error.text() == "", form.error.text()

    forms = answer(monkeypatch, qtbot, RequestDialog, fill_form)
    key(page, Qt.Key.Key_N, CTRL_SHIFT)  # New request…
    assert len(chosen) == 1 and len(forms) == 1
    assert page.detail is not None and page.detail.request.status == "submitted"
    request_id = page.detail.request.id
    win.close()
    return request_id


def manager_approves(qtbot: QtBot, ws: Workspace, request_ids: list[int]) -> None:
    win = sign_in(qtbot, ws, OPS_MANAGER)
    page = win.findChild(RequestsPage)
    assert page is not None
    win.pages.setCurrentWidget(page)
    for request_id in request_ids:
        click_row(qtbot, page.table, lambda r, i=request_id: r.id == i)
        qtbot.keyClicks(page.qa_comment, "Form complete; evidence attached.")
        click(qtbot, page.approve_button)
        assert page.detail is not None and page.detail.request.status == "qa_approved", (
            page.message.text()
        )
    win.close()


def coordinator_builds_the_agenda(
    qtbot: QtBot, ws: Workspace, monkeypatch: pytest.MonkeyPatch, new_request: int
) -> tuple[int, int]:
    """The panel made and its agenda built; returns (panel id, chair id)."""
    win = sign_in(qtbot, ws, COORDINATOR)
    page = win.findChild(AgendaBuilderPage)
    assert page is not None
    win.pages.setCurrentWidget(page)

    def make_panel(dialog: NewPanelDialog) -> None:
        assert dialog.kind.currentData() == "step_meeting"
        qtbot.keyClicks(dialog.venue, "Riverside Family Centre, Room 2")
        dialog.chair.setCurrentIndex(
            dialog.chair.findText("Philip Smith", Qt.MatchFlag.MatchStartsWith)
        )
        key(dialog.venue, Qt.Key.Key_Return)  # the default button: Create panel

    made = answer(monkeypatch, qtbot, NewPanelDialog, make_panel)
    click(qtbot, page.new_panel_button)
    assert made and made[0].created is not None, made and made[0].error.text()
    assert page.view is not None and page.view.items == []
    panel_id = page.view.panel.id
    assert page.view.panel.starts_at == MEETING
    chair_id = made[0].chair.currentData()

    # Add: the two ready requests, the worker's (after them), the one that just passed QA, and
    # the one that is not ready (Add to agenda, then double-click, both as people do).
    for number, rid in enumerate((READY_A, new_request, READY_B, WAITING_QA, NOT_READY)):
        if number % 2:
            click_row(qtbot, page.requests_table, lambda r, i=rid: r.id == i, 2)
            index = page.requests_table.currentIndex()
            qtbot.mouseDClick(
                page.requests_table.viewport(),
                Qt.MouseButton.LeftButton,
                pos=page.requests_table.visualRect(index).center(),
            )
        else:
            click_row(qtbot, page.requests_table, lambda r, i=rid: r.id == i, 2)
            click(qtbot, page.add_button)
    assert [i.request_id for i in page.view.items] == [
        READY_A,
        new_request,
        READY_B,
        WAITING_QA,
        NOT_READY,
    ], page.message.text()

    # The worker's request goes first: Alt+Shift+Up with the agenda focused.
    click_row(qtbot, page.agenda, lambda r: r.request_id == new_request)
    key(page.agenda, Qt.Key.Key_Up, ALT_SHIFT)
    assert [i.request_id for i in page.view.items][:2] == [new_request, READY_A]
    first = page.current_item()
    assert first is not None and first.request_id == new_request
    assert readiness_text(first) == "Ready", readiness_text(first)

    # Its slot: 20 minutes, typed; presenter: the Early Help lead, chosen from the keyboard
    # (typing a name in the closed list picks it, as in any list box).
    assert first.presenter_id == WORKER  # who wrote the request presents by default
    page.minutes.setFocus()
    page.minutes.selectAll()
    qtbot.keyClicks(page.minutes, "20")
    key(page.minutes, Qt.Key.Key_Tab)  # leaving the field saves it
    assert page.message.text() == "Slot saved."
    page.presenter.setFocus()
    qtbot.keyClicks(page.presenter, "Kelly")
    assert page.message.text() == "Presenter saved."
    item = page.current_item()
    assert item is not None and item.row.slot_minutes == 20
    assert item.presenter_id == PRESENTER and item.row.presenter_name == "Kelly Watson"

    # Invite the team manager (so that the panel can be quorate) and the co-ordinator herself
    # to take the minutes.
    for person, role in ((MANAGER, "member"), (COORDINATOR, "minutes")):
        page.person.setCurrentIndex(page.person.findData(person))
        page.role.setCurrentIndex(page.role.findData(role))
        click(qtbot, page.invite_button)
    roles = {a.user_id: a.panel_role for a in page.view.attendance}
    assert (roles[MANAGER], roles[COORDINATOR]) == ("member", "minutes"), page.message.text()

    # Request 31 is not ready: hold it back with the reason (pre-filled, then edited).
    click_row(qtbot, page.agenda, lambda r: r.request_id == NOT_READY)
    assert page.readiness.text().startswith("Not ready")

    def why(dialog: HoldBackDialog) -> None:
        assert "C-EVIDENCE" in dialog.reason.toPlainText()
        dialog.reason.selectAll()
        qtbot.keyClicks(dialog.reason, "No consent and no evidence tool yet; next panel.")
        click(qtbot, button_named(dialog, "Hold back"))

    held = answer(monkeypatch, qtbot, HoldBackDialog, why)
    click(qtbot, page.hold_button)
    assert held and page.readiness.text().startswith("Held back: No consent"), page.message.text()
    win.close()
    return panel_id, chair_id


def choose_receiving_team(qtbot: QtBot, dialog: DecisionDialog) -> None:
    """T-HANDOVER: an agreed step-down names the team that takes the case (typed to pick)."""
    dialog.team.setFocus()
    qtbot.keyClicks(dialog.team, "Early Help")
    assert dialog.team.currentText().startswith("Early Help"), dialog.team.currentText()


def tick_present(qtbot: QtBot, page: Any, name: str) -> None:
    """Select the member's Present cell and press Space, as a keyboard user ticks a box."""
    table = page.attendance.table
    index = row_index(table, lambda r: r.name == name, PRESENT_COLUMN)
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center()
    )
    assert table.currentIndex() == index
    key(table, Qt.Key.Key_Space)
    state = Qt.CheckState(index.data(Qt.ItemDataRole.CheckStateRole))
    assert state == Qt.CheckState.Checked, name


def chair_runs_the_meeting(
    qtbot: QtBot,
    ws: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    now: list[dt.datetime],
    panel_id: int,
    chair_id: int,
) -> dict[str, int]:
    """Start, attendance, minutes, three decisions, finish; returns the items by role."""
    now[0] = MEETING
    win = sign_in(qtbot, ws, chair_id)
    click_row(qtbot, win.upcoming_view, lambda r: r.id == panel_id)
    page = win.meeting_page
    number = win.pages.indexOf(page) + 1
    key(win, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier)
    assert win.pages.currentWidget() is page
    assert page.title.text() == "Step-up/down meeting, 30/11/2026"
    assert page.status.text().startswith("Not started")

    # Start from the keyboard: item 1 (the worker's request) opens with its 20-minute slot.
    key(page, Qt.Key.Key_S, CTRL_SHIFT)
    assert page.status.text().startswith("In progress since 10:00"), win.message.text()
    assert page.chair.position.text().startswith("Item 1 of 4")
    assert page.chair.countdown.text() == "20:00 left of 20:00"
    items = {"blocked": page.item_id}

    # Attendance: the chair, and a manager who can accept the case.
    assert page.quoracy.text().startswith("Not quorate")
    tick_present(qtbot, page, "Philip Smith")
    tick_present(qtbot, page, "Janet Williams")
    assert page.quoracy.text().startswith("Quorate"), page.quoracy.text()

    # Minutes for item 1, typed while the worker presents: saved without anyone asking.
    page.notes.editor.setFocus()
    qtbot.keyClicks(page.notes.editor, "Presented by Robert Brown. Family keen on Early Help.")
    qtbot.waitUntil(lambda: page.notes.status.text().startswith("Saved"), timeout=4000)

    # Item 1: agreed, but T-CP-CIN-3M blocks; the chair overrides with a reason.
    def overridden(dialog: DecisionDialog) -> None:
        dialog.outcome.setFocus()
        dialog.outcome.setCurrentIndex(dialog.outcome.findData("agreed"))
        qtbot.keyClicks(dialog.rationale, "Agreed: the family asked for Early Help now.")
        assert "T-HANDOVER" in [f.rule for f in dialog.shown_findings()]  # no team named yet
        choose_receiving_team(qtbot, dialog)
        blocks = [f.rule for f in dialog.shown_findings() if f.severity == "block"]
        assert blocks == ["T-CP-CIN-3M"], [(f.rule, f.message) for f in dialog.shown_findings()]
        assert not dialog.save_button.isEnabled()
        qtbot.keyClicks(dialog.override, "Family relocating; Early Help lead already working.")
        click(qtbot, dialog.save_button)
        assert not dialog.isVisible(), dialog.general_error.text()

    decided = answer(monkeypatch, qtbot, DecisionDialog, overridden)
    key(page, Qt.Key.Key_D, CTRL_SHIFT)
    assert len(decided) == 1 and "Agreed" in page.chair.case.decision.text()

    # Item 2 (Alt+Right): no agreement, escalated.
    now[0] += dt.timedelta(minutes=22)
    key(page, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert page.chair.position.text().startswith("Item 2 of 4")
    items["escalated"] = page.item_id

    def escalated(dialog: DecisionDialog) -> None:
        qtbot.keyClicks(dialog.rationale, "No agreement on whether Early Help can hold the risk.")
        click(qtbot, dialog.escalate_button)
        box = dialog.escalation
        assert box.escalated_to.hasFocus()
        qtbot.keyClicks(box.escalated_to, "Thao Phillips, Operations Manager")
        qtbot.keyClicks(box.disagreement, "Whether the risks have reduced enough.")
        for (side, who, view), text in zip(
            box.sides, ["Step down now", "Keep the plan three months"], strict=True
        ):
            qtbot.keyClicks(side, "Panel")
            qtbot.keyClicks(who, "Member")
            qtbot.keyClicks(view, text)
        click(qtbot, dialog.save_button)
        assert not dialog.isVisible(), dialog.general_error.text()

    answer(monkeypatch, qtbot, DecisionDialog, escalated)
    key(page, Qt.Key.Key_D, CTRL_SHIFT)
    assert "Escalated" in page.chair.case.decision.text()

    # Item 3: an ordinary agreement (the lead professional named, nothing blocks).
    now[0] += dt.timedelta(minutes=15)
    key(page, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    items["agreed"] = page.item_id

    def agreed(dialog: DecisionDialog) -> None:
        dialog.outcome.setCurrentIndex(dialog.outcome.findData("agreed"))
        qtbot.keyClicks(dialog.rationale, "Agreed: plan goals met, family consent signed.")
        if not dialog.lead.text():
            qtbot.keyClicks(dialog.lead, "Kelly Watson")
        choose_receiving_team(qtbot, dialog)
        assert not [f for f in dialog.shown_findings() if f.severity == "block"]
        click(qtbot, dialog.save_button)
        assert not dialog.isVisible(), dialog.general_error.text()

    answer(monkeypatch, qtbot, DecisionDialog, agreed)
    key(page, Qt.Key.Key_D, CTRL_SHIFT)
    assert "Agreed" in page.chair.case.decision.text()

    # Item 4 is not reached. Finish, with the reason typed over the suggested one.
    now[0] += dt.timedelta(minutes=16)

    def finish(dialog: FinishMeetingDialog) -> None:
        assert "1 item(s) not reached" in " ".join(w.text() for w in dialog.findChildren(QLabel))
        dialog.reason.selectAll()
        qtbot.keyClicks(dialog.reason, "Ran out of time: first item on the next panel")
        key(dialog.reason, Qt.Key.Key_Return)

    finished = answer(monkeypatch, qtbot, FinishMeetingDialog, finish)
    key(page, Qt.Key.Key_F, CTRL_SHIFT)
    assert finished and page.status.text().startswith("Finished at 10:53"), win.message.text()
    assert "1 item(s) carried forward" in win.message.text()
    win.close()
    return items


def test_a_whole_panel_through_the_widgets(
    qtbot: QtBot, demo_ws: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    now = [NOW]
    demo_ws.now = lambda: now[0]

    new_request = worker_writes_a_step_down(qtbot, demo_ws, monkeypatch, tmp_path)
    manager_approves(qtbot, demo_ws, [new_request, WAITING_QA])
    panel_id, chair_id = coordinator_builds_the_agenda(qtbot, demo_ws, monkeypatch, new_request)
    items = chair_runs_the_meeting(qtbot, demo_ws, monkeypatch, now, panel_id, chair_id)
    blocked, escalated, agreed = items["blocked"], items["escalated"], items["agreed"]
    with demo_ws.db.session() as s:
        panel = s.get_one(Panel, panel_id)
        by_request = {i.request_id: i for i in panel.items}
        assert [(i.request_id, i.status) for i in panel.items] == [
            (new_request, "decided"),
            (READY_A, "decided"),
            (READY_B, "decided"),
            (WAITING_QA, "carried_forward"),
            (NOT_READY, "held_back"),
        ]
        assert [by_request[r].id for r in (new_request, READY_A, READY_B)] == [
            blocked,
            escalated,
            agreed,
        ]
        # Three decisions with their outcomes, all on a quorate panel.
        decisions = {i.id: i.decision for i in panel.items if i.decision is not None}
        assert {k: d.outcome for k, d in decisions.items()} == {
            blocked: "agreed",
            escalated: "escalate",
            agreed: "agreed",
        }
        assert all(d.quorate is True and d.decided_by_id == chair_id for d in decisions.values())
        # The override: who, why, when, and the rule it overrode.
        over = decisions[blocked]
        assert over.override_reason == "Family relocating; Early Help lead already working."
        assert (over.override_by_id, over.override_at) == (chair_id, MEETING)
        assert [f["rule"] for f in over.findings if f["severity"] == "block"] == ["T-CP-CIN-3M"]
        assert decisions[agreed].override_reason is None
        assert decisions[agreed].receiving_team_id is not None  # T-HANDOVER
        # The escalation and its 24-hour clock (T-ESCALATE-24H, to the end of the working day).
        escalation = s.scalars(
            select(Escalation).where(Escalation.agenda_item_id == escalated)
        ).one()
        assert escalation.raised_at == MEETING + dt.timedelta(minutes=22)
        assert escalation.due_at == dt.datetime(2026, 12, 1, 17, 0)
        assert escalation.due_at - escalation.raised_at >= dt.timedelta(hours=24)
        assert (escalation.escalated_to, escalation.status) == (
            "Thao Phillips, Operations Manager",
            "open",
        )
        # Held back, with its reason; the request is free for a later panel.
        held = by_request[NOT_READY]
        assert held.held_back_reason == "No consent and no evidence tool yet; next panel."
        # Minutes typed on the meeting page were saved; item times were kept.
        first = by_request[new_request]
        assert first.notes == "Presented by Robert Brown. Family keen on Early Help."
        assert (first.started_at, first.ended_at) == (MEETING, MEETING + dt.timedelta(minutes=22))
        assert (first.slot_minutes, first.presenter_id) == (20, PRESENTER)
        # Carried forward to the next panel of the same type, with the reason.
        left = by_request[WAITING_QA]
        assert left.carry_reason == "Ran out of time: first item on the next panel"
        later = s.scalars(
            select(Panel)
            .where(
                Panel.meeting_type == "step_meeting",
                Panel.starts_at > MEETING,
                Panel.status == "planned",
            )
            .order_by(Panel.starts_at)
        ).first()
        assert later is not None and left.carried_forward_to_panel_id == later.id
        assert later.starts_at == dt.datetime(2026, 12, 7, 10, 0)  # a week on: none was planned
        moved = [i for i in later.items if i.request_id == WAITING_QA]
        assert len(moved) == 1 and moved[0].status == "pending"
        assert moved[0].carry_reason == (
            "Carried forward from 30/11/2026: Ran out of time: first item on the next panel"
        )
        # Finished: the minutes go to the co-ordinator who took them, then the chair.
        assert (panel.status, panel.started_at, panel.finished_at) == (
            "finished",
            MEETING,
            MEETING + dt.timedelta(minutes=53),
        )
        assert panel.minutes_by_id == COORDINATOR
        # The requests moved: decided, escalated, carried (still on an agenda), held back.
        status = {r: s.get_one(Request, r).status for r in by_request}
        assert status == {
            new_request: "decided",
            READY_A: "escalated",
            READY_B: "decided",
            WAITING_QA: "on_agenda",
            NOT_READY: "qa_approved",
        }
        # Case notes for the decided cases (T-MINUTES-48H).
        notes = s.scalars(
            select(CaseNote.text).where(
                CaseNote.source == "panel", CaseNote.at == panel.finished_at
            )
        ).all()
        assert sorted(notes) == sorted(
            [
                "Discussed at Step-up/down meeting on 30/11/2026: Agreed as requested",
                "Discussed at Step-up/down meeting on 30/11/2026: Agreed as requested",
                "Discussed at Step-up/down meeting on 30/11/2026: Escalated: no agreement",
            ]
        )
        # The audit trail has each step, by whom.
        events = {
            (e.action, e.entity, e.entity_id): e.user_id
            for e in s.scalars(select(AuditEvent).where(AuditEvent.at >= NOW))
        }
    assert events[("create", "request", new_request)] == WORKER
    assert events[("create", "panel", panel_id)] == COORDINATOR
    assert events[("reorder", "panel", panel_id)] == COORDINATOR
    assert events[("hold_back", "agenda_item", held.id)] == COORDINATOR
    for action, entity, entity_id in (
        ("start", "panel", panel_id),
        ("open", "agenda_item", escalated),
        ("open", "agenda_item", agreed),
        ("create", "decision", over.id),
        ("create", "escalation", escalation.id),
        ("carry_forward", "agenda_item", left.id),
        ("finish", "panel", panel_id),
    ):
        assert events[(action, entity, entity_id)] == chair_id, (action, entity)
    assert sum(1 for a, e, _ in events if (a, e) == ("create", "decision")) == 3
    moves = [k for k in events if k[:2] == ("move", "request") and k[2] == new_request]
    assert moves, "the request's moves are audited"
    # The T-MINUTES-48H clock runs from the finish.
    state = meeting_state(demo_ws, actor_for(demo_ws, chair_id), panel_id)
    assert state.minutes_due is not None and state.minutes_due.rule == "T-MINUTES-48H"
    assert state.minutes_due.anchor == MEETING + dt.timedelta(minutes=53)
    assert state.minutes_due.due == dt.datetime(2026, 12, 2, 17, 0)  # by the end of that day


def test_next_and_previous_step_over_a_held_back_item(
    qtbot: QtBot, demo_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Held back before the meeting: not counted, not stepped onto, not "opened" by mistake."""
    coordinator = actor_for(demo_ws, COORDINATOR)
    view = agenda_builder(demo_ws, coordinator, CIN_PANEL)
    third = view.items[2].id
    hold_back(demo_ws, coordinator, third, "Plan not attached.")
    demo_ws.now = lambda: dt.datetime(2026, 11, 30, 9, 0)
    win = sign_in(qtbot, demo_ws, 2)  # the CIN panel's chair
    click_row(qtbot, win.upcoming_view, lambda r: r.id == CIN_PANEL)
    page = win.meeting_page
    win.pages.setCurrentWidget(page)
    key(page, Qt.Key.Key_S, CTRL_SHIFT)
    assert page.chair.position.text().startswith("Item 1 of 6 ·"), page.chair.position.text()
    key(page, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    key(page, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert page.item_id != third
    assert page.chair.position.text().startswith("Item 3 of 6 (agenda no. 4)")
    key(page, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert page.chair.position.text().startswith("Item 2 of 6 ·")
    for _ in range(10):  # to the end, and no further
        key(page, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert page.chair.position.text().startswith("Item 6 of 6 (agenda no. 7)")
    assert not page.next_action.isEnabled()
    assert "held back" not in win.message.text()
    with demo_ws.db.session() as s:
        item = s.get_one(AgendaItem, third)
        assert (item.status, item.started_at) == ("held_back", None)


def test_with_no_consent_on_file_the_form_does_not_pretend_to_use_it(
    qtbot: QtBot, demo_ws: Workspace
) -> None:
    """Case 152 has no consent on file: "Use the consent on file" was shown chosen."""
    dialog = RequestDialog.create(None, demo_ws, actor_for(demo_ws, WORKER), case_id=152)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(qtbot, dialog)
    assert dialog.on_file.text().startswith("No consent on file")
    assert not dialog.use_on_file.isChecked() and not dialog.use_on_file.isEnabled()
    assert not dialog.record_new.isChecked() and not dialog.new_consent.isEnabled()
    assert dialog.form().consent is None
    dialog.record_new.click()
    assert dialog.new_consent.isEnabled() and dialog.consent_by.hasFocus()
    qtbot.keyClicks(dialog.consent_by, "Ms Walters (mother)")
    consent = dialog.form().consent
    assert consent is not None and consent.given_by == "Ms Walters (mother)"
