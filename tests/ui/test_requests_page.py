"""The Requests page and the request form, driven through their widgets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from stepdesk.persistence.models import Attachment, Request
from stepdesk.services import Workspace
from stepdesk.services.people import actor_for
from stepdesk.services.request_forms import RequestDetail
from tests.ui.conftest import open_window
from ui import request_dialog
from ui.main_window import MainWindow
from ui.pages.requests import CaseSearchDialog, RequestsPage
from ui.request_dialog import OpenFileDialog, RequestDialog

from .conftest import OFFSCREEN_NOISE, select_row, unnamed_controls

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

# Demo (seed 1): user 13 is a worker, 6 and 9 are managers (9 has a request awaiting QA);
# case 5 is on Early Help with an earlier request and a lead professional.
WORKER, MANAGER, QA_MANAGER, CASE = 13, 6, 9, 5


def _window(qtbot: QtBot, ws: Workspace, user_id: int) -> MainWindow:
    return open_window(qtbot, ws, actor_for(ws, user_id))


def _page(win: MainWindow) -> RequestsPage:
    page = win.findChild(RequestsPage)
    assert page is not None
    win.pages.setCurrentWidget(page)
    return page


def _fill_and_submit(qtbot: QtBot, dialog: RequestDialog, tmp_path: Path) -> None:
    """Type a step-up the way a worker would, attach evidence, record consent, submit."""
    assert dialog.lead.text() == "School nurse (Hobbs)"  # pre-filled (C-STORY-ONCE)
    assert "police attended twice" in dialog.background.toPlainText()
    qtbot.keyClicks(dialog.reasons, "Neglect concerns increasing; Graded Care Profile scores 4.")
    dialog.triggers_model.item(1).setCheckState(Qt.CheckState.Checked)
    dialog.record_new.setChecked(True)
    dialog.consent_by.setText("Grace Lefèvre (mother)")  # keyClicks types ASCII only
    qtbot.keyClicks(dialog.consent_how, "Signed at home visit")
    # Saved as typed: the draft exists before anything is submitted.
    qtbot.waitUntil(lambda: dialog.detail is not None and not dialog._dirty, timeout=3000)
    assert dialog.save_status.text().startswith("Saved")
    evidence = tmp_path / "gcp2.pdf"
    evidence.write_bytes(b"%PDF-1.4 synthetic Graded Care Profile 2")
    dialog.attach_kind.setCurrentIndex(dialog.attach_kind.findData("evidence_tool"))
    dialog.add_button.click()
    assert dialog.attachments_model.rowCount() == 1
    assert not any(f.rule == "C-EVIDENCE" for f in dialog.findings.findings())
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)


def test_worker_creates_and_submits_a_request(
    qtbot: QtBot, demo_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    win = _window(qtbot, demo_ws, WORKER)
    page = _page(win)
    assert page.new_button.isVisible() and not page.qa_box.isVisible()
    evidence = tmp_path / "gcp2.pdf"
    monkeypatch.setattr(OpenFileDialog, "ask", classmethod(lambda cls, *a: evidence))
    monkeypatch.setattr(CaseSearchDialog, "ask", classmethod(lambda cls, *a: CASE))

    def fake_ask(
        cls: type[RequestDialog], parent: Any, ws: Workspace, actor: Any, **kw: Any
    ) -> Any:
        dialog = cls.create(parent, ws, actor, **kw)
        qtbot.addWidget(dialog)
        dialog.show()
        _fill_and_submit(qtbot, dialog, tmp_path)
        return dialog.detail

    monkeypatch.setattr(RequestDialog, "ask", classmethod(fake_ask))
    page.new_button.click()

    assert page.detail is not None and page.detail.request.status == "submitted"
    assert "submitted" in page.message.text()
    with demo_ws.db.session() as s:
        request = s.scalars(
            select(Request).where(Request.case_id == CASE).order_by(Request.id.desc())
        ).first()
        assert request is not None and request.status == "submitted"
        assert request.triggers == ["Significant life event or transition"]
        assert request.consent is not None and request.consent.given_by == "Grace Lefèvre (mother)"
        att = s.scalars(select(Attachment).where(Attachment.request_id == request.id)).one()
        assert att.kind == "evidence_tool" and att.sha256 and att.content


def test_the_form_saves_as_typed_and_nothing_is_lost(qtbot: QtBot, demo_ws: Workspace) -> None:
    actor = actor_for(demo_ws, WORKER)
    dialog = RequestDialog.create(None, demo_ws, actor, case_id=CASE)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.reasons, "Typed, then the window closed at once")
    dialog.close()  # no Save button, no question: closing saves
    with demo_ws.db.session() as s:
        request = s.scalars(
            select(Request).where(Request.case_id == CASE, Request.status == "draft")
        ).one()
        assert request.reasons == "Typed, then the window closed at once"
    # Reopened, the draft shows what was typed; the consent on file is enough to submit.
    again = RequestDialog.create(None, demo_ws, actor, request_id=request.id)
    qtbot.addWidget(again)
    assert again.reasons.toPlainText() == "Typed, then the window closed at once"
    again.use_on_file.setChecked(True)
    again.submit_button.click()
    assert again.detail is not None and again.detail.request.status == "submitted"


def test_submit_names_the_field_to_fix(qtbot: QtBot, demo_ws: Workspace) -> None:
    dialog = RequestDialog.create(None, demo_ws, actor_for(demo_ws, WORKER), case_id=CASE)
    qtbot.addWidget(dialog)
    dialog.submit_button.click()
    assert dialog.error.text().startswith("Reasons:")


def test_manager_qa_approves_and_returns(qtbot: QtBot, demo_ws: Workspace) -> None:
    win = _window(qtbot, demo_ws, QA_MANAGER)
    page = _page(win)
    assert page.qa_box.isVisible()
    assert page.scope.currentData() == "qa"
    waiting = [row.id for row in page.model.rows()]
    assert waiting, "the demo has requests awaiting this manager's QA"
    assert unnamed_controls(page) == []
    select_row(page.table, waiting[0])
    assert page.approve_button.isEnabled()
    page.return_button.click()  # no comment yet: refused, with the field named
    assert page.message.text().startswith("Comments:")
    qtbot.keyClicks(page.qa_comment, "Attach the Child and Family Plan, please.")
    page.return_button.click()
    assert page.detail is not None and page.detail.request.status == "returned"
    assert not page.approve_button.isEnabled()
    with demo_ws.db.session() as s:
        request = s.get_one(Request, waiting[0])
        assert request.status == "returned"
        assert request.qa_comment == "Attach the Child and Family Plan, please."


def test_worker_sees_no_qa_and_cannot_approve(qtbot: QtBot, demo_ws: Workspace) -> None:
    win = _window(qtbot, demo_ws, WORKER)
    page = _page(win)
    assert page.scope.findData("qa") == -1
    assert not page.qa_box.isVisible()


def test_attachment_opens_from_a_private_copy_deleted_on_close(
    qtbot: QtBot, demo_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []

    def viewer(path: Path) -> bool:
        opened.append(path)
        assert path.read_bytes().startswith(b"Synthetic demo document")
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        return True

    monkeypatch.setattr(request_dialog, "open_in_viewer", viewer)
    with demo_ws.db.session() as s:
        request_id = s.scalars(select(Attachment.request_id).order_by(Attachment.id)).first()
    dialog = RequestDialog.create(None, demo_ws, actor_for(demo_ws, MANAGER), request_id=request_id)
    qtbot.addWidget(dialog)
    dialog.open_button.click()
    assert opened and opened[0].exists()
    dialog.close()
    assert not opened[0].exists()


def test_request_detail_shows_the_form_deadline(qtbot: QtBot, demo_ws: Workspace) -> None:
    win = _window(qtbot, demo_ws, MANAGER)
    page = _page(win)
    page.scope.setCurrentIndex(page.scope.findData("all"))
    detail: RequestDetail | None = page.detail
    assert detail is not None
    assert "T-FORM-48H" in page.deadline.text()
    column = page.model.COLUMNS.index("Form due (T-FORM-48H)")
    text = page.model.index(0, column).data()
    assert text.split(",")[0] in ("Done", "On track", "Due soon", "Overdue")


def test_a_second_request_on_a_case_opens_the_first(qtbot: QtBot, demo_ws: Workspace) -> None:
    actor = actor_for(demo_ws, WORKER)
    first = RequestDialog.create(None, demo_ws, actor, case_id=CASE)
    qtbot.addWidget(first)
    assert unnamed_controls(first) == []
    qtbot.keyClicks(first.reasons, "First draft")
    first.close()
    assert first.detail is not None
    again = RequestDialog.create(None, demo_ws, actor, case_id=CASE)
    qtbot.addWidget(again)
    assert again.detail is not None and again.detail.request.id == first.detail.request.id
    assert "already has an open request" in again.error.text()
    assert again.reasons.toPlainText() == "First draft"
