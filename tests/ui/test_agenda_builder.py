"""Before the meeting, through the real widgets: request, submit, QA, agenda, reorder, hold back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from stepdesk.persistence.models import AgendaItem, Panel, Request
from stepdesk.services import Workspace
from stepdesk.services.agenda import AgendaBuilderView, BuilderItem
from stepdesk.services.people import actor_for, list_people
from tests.ui.conftest import open_window
from ui.dialogs import SaveFileDialog
from ui.documents import OpenFileQuestion
from ui.main_window import MainWindow
from ui.pages.agenda_builder import (
    AgendaBuilderPage,
    AgendaPreviewDialog,
    HoldBackDialog,
    NewPanelDialog,
)
from ui.pages.requests import RequestsPage
from ui.request_dialog import RequestDialog

from .conftest import OFFSCREEN_NOISE, select_row, unnamed_controls

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

# Demo (seed 1): 13 a worker, 6 the manager of case 5's team, 3 a co-ordinator; request 31 is
# QA-approved but has neither evidence nor consent (not ready).
WORKER, MANAGER, COORDINATOR, CASE, NOT_READY = 13, 6, 3, 5, 31


def _window(qtbot: QtBot, ws: Workspace, user_id: int) -> MainWindow:
    return open_window(qtbot, ws, actor_for(ws, user_id))


def _builder(win: MainWindow) -> AgendaBuilderPage:
    page = win.findChild(AgendaBuilderPage)
    assert page is not None
    win.pages.setCurrentWidget(page)
    return page


def _add(page: AgendaBuilderPage, request_id: int) -> None:
    select_row(page.requests_table, request_id)
    page.add_button.click()


def _order(ws: Workspace, panel_id: int) -> list[int]:
    with ws.db.session() as s:
        return list(
            s.scalars(
                select(AgendaItem.request_id)
                .where(AgendaItem.panel_id == panel_id)
                .order_by(AgendaItem.position)
            )
        )


def test_from_request_to_agenda(
    qtbot: QtBot, demo_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 1. A worker writes and submits a step-up on the form.
    dialog = RequestDialog.create(None, demo_ws, actor_for(demo_ws, WORKER), case_id=CASE)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.reasons, "Neglect concerns increasing; Graded Care Profile scores 4.")
    dialog.submit_button.click()
    assert dialog.detail is not None and dialog.detail.request.status == "submitted"
    request_id = dialog.detail.request.id

    # 2. The manager QA-approves it on the Requests page.
    manager = _window(qtbot, demo_ws, MANAGER)
    requests = manager.findChild(RequestsPage)
    assert requests is not None
    manager.pages.setCurrentWidget(requests)
    select_row(requests.table, request_id)
    qtbot.keyClicks(requests.qa_comment, "Form complete.")
    requests.approve_button.click()
    assert requests.detail is not None and requests.detail.request.status == "qa_approved"
    manager.close()

    # 3. The co-ordinator creates a panel and builds its agenda.
    win = _window(qtbot, demo_ws, COORDINATOR)
    page = _builder(win)
    assert unnamed_controls(page) == []

    def new_panel(cls: type[NewPanelDialog], parent: Any, ws: Workspace, actor: Any) -> Any:
        dlg = cls(ws, actor, parent)
        qtbot.addWidget(dlg)
        dlg.accept()  # no venue yet: refused, the dialog says why and stays open
        assert dlg.error.text().startswith("Venue:")
        qtbot.keyClicks(dlg.venue, "Riverside Family Centre")
        dlg.accept()
        return dlg.created

    monkeypatch.setattr(NewPanelDialog, "ask", classmethod(new_panel))
    page.new_panel_button.click()
    assert page.view is not None and page.view.items == []
    panel_id = page.view.panel.id
    ready_id = next(r.id for r in page.requests_model.rows() if r.id not in (request_id, NOT_READY))
    for rid in (request_id, NOT_READY, ready_id):
        _add(page, rid)
    assert _order(demo_ws, panel_id) == [request_id, NOT_READY, ready_id]
    assert page.agenda_model.rowCount() == 3
    ready_col = page.agenda_model.COLUMNS.index("Ready")
    assert page.agenda_model.index(1, ready_col).data() == "Not ready"

    # 4. Drag the last item to the top (the model's drop, as a mouse drag ends).
    model = page.agenda_model
    data = model.mimeData([model.index(2, 0)])
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert _order(demo_ws, panel_id) == [ready_id, request_id, NOT_READY]

    # 5. Keyboard: Alt+Shift+Up moves the selected item up one place.
    select_row(page.agenda, page.agenda_model.row_at(2).id)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)  # shortcuts reach only the active window
    page.agenda.setFocus()
    qtbot.keyClick(
        page.agenda,
        Qt.Key.Key_Up,
        Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert _order(demo_ws, panel_id) == [ready_id, NOT_READY, request_id]
    item: BuilderItem | None = page.current_item()
    assert item is not None and item.request_id == NOT_READY  # the selection follows the item

    # 6. Hold back the not-ready item with a reason.
    assert "C-EVIDENCE" in page.readiness.text()
    asked: list[str] = []

    def reason(cls: type[HoldBackDialog], parent: Any, it: BuilderItem) -> str:
        dlg = cls(it, parent)
        qtbot.addWidget(dlg)
        asked.append(dlg.reason.toPlainText())  # pre-filled with the readiness reasons
        return "No evidence tool and no consent yet."

    monkeypatch.setattr(HoldBackDialog, "ask", classmethod(reason))
    page.hold_button.click()
    assert "C-EVIDENCE" in asked[0]
    with demo_ws.db.session() as s:
        held = s.scalars(
            select(AgendaItem).where(
                AgendaItem.panel_id == panel_id, AgendaItem.request_id == NOT_READY
            )
        ).one()
        assert held.status == "held_back"
        assert held.held_back_reason == "No evidence tool and no consent yet."
        assert s.get_one(Request, NOT_READY).status == "qa_approved"
        assert s.get_one(Request, request_id).status == "on_agenda"
    assert page.readiness.text().startswith("Held back")
    assert not page.hold_button.isEnabled()
    assert NOT_READY in [r.id for r in page.requests_model.rows()]  # free for a later panel

    # 7. One-click preview, and the agenda pack hook.
    shown: list[str] = []
    monkeypatch.setattr(
        AgendaPreviewDialog,
        "show_preview",
        classmethod(
            lambda cls, parent, view: shown.append(cls(view, parent).browser.toPlainText())
        ),
    )
    page.preview_button.click()
    assert "Held back: No evidence tool" in shown[0]
    assert "OFFICIAL-SENSITIVE" in shown[0]
    asked: list[Path] = []
    monkeypatch.setattr(  # the window saves the pack: answer the save dialog with "cancel"
        SaveFileDialog, "ask", staticmethod(lambda *a, **k: asked.append(a[2]))
    )
    with qtbot.waitSignal(page.agenda_pack_requested) as blocker:
        page.pack_button.click()
    assert blocker.args == [panel_id]
    assert len(asked) == 1 and asked[0].name.startswith("Agenda pack")


def test_slot_presenter_and_members(qtbot: QtBot, demo_ws: Workspace) -> None:
    win = _window(qtbot, demo_ws, COORDINATOR)
    page = _builder(win)
    view: AgendaBuilderView | None = page.view
    assert view is not None and view.items
    first = view.items[0]
    select_row(page.agenda, first.id)
    page.minutes.setValue(first.row.slot_minutes + 10)
    page.minutes.editingFinished.emit()
    assert page.view is not None
    assert page.view.items[0].row.slot_minutes == first.row.slot_minutes + 10
    assert page.end_label.text().startswith("Estimated end")
    # Invite a member with a role.
    page.person.setCurrentIndex(page.person.findData(WORKER))
    page.role.setCurrentIndex(page.role.findData("adviser"))
    page.invite_button.click()
    with demo_ws.db.session() as s:
        panel = s.get_one(Panel, page.view.panel.id)
        roles = {a.user_id: a.panel_role for a in panel.attendance}
    assert roles[WORKER] == "adviser"


def test_only_coordinators_and_chairs_get_the_builder(qtbot: QtBot, demo_ws: Workspace) -> None:
    assert _window(qtbot, demo_ws, WORKER).findChild(AgendaBuilderPage) is None
    assert _window(qtbot, demo_ws, MANAGER).findChild(AgendaBuilderPage) is None
    assert _window(qtbot, demo_ws, 1).findChild(AgendaBuilderPage) is not None  # a chair


def test_agenda_pack_button_saves_the_pdf_of_the_builders_panel(
    qtbot: QtBot, demo_ws: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    coordinator = next(p for p in list_people(demo_ws) if p.role == "coordinator")
    window = MainWindow(demo_ws, actor_for(demo_ws, coordinator.id))
    qtbot.addWidget(window)
    target = tmp_path / "pack.pdf"
    monkeypatch.setattr(SaveFileDialog, "ask", staticmethod(lambda *a, **k: target))
    monkeypatch.setattr(OpenFileQuestion, "ask", staticmethod(lambda *a, **k: False))
    page = window.agenda_builder
    assert page is not None
    assert page.view is not None
    panel_id = page.view.panel.id
    page.agenda_pack_requested.emit(panel_id)
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert f"(panel {panel_id})" in text
    assert page.view.items[0].row.subject_name in text
