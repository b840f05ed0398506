"""The request form's two flags: C-CP-IMMEDIATE and C-MAPPING, saved as typed."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from stepdesk.persistence.models import Request
from stepdesk.services import Workspace
from stepdesk.services.people import actor_for
from stepdesk.services.request_listing import get_request
from tests.ui.conftest import OFFSCREEN_NOISE
from ui.request_dialog import RequestDialog

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

WORKER, CASE = 13, 5  # a worker, and a case on Early Help (see test_requests_page)


def rules(dialog: RequestDialog) -> list[str]:
    assert dialog.detail is not None
    return [f.rule for f in dialog.detail.findings]


def test_ticking_the_flags_saves_them_and_the_findings_follow(
    qtbot: QtBot, demo_ws: Workspace
) -> None:
    actor = actor_for(demo_ws, WORKER)
    dialog = RequestDialog.create(None, demo_ws, actor, case_id=CASE)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.reasons, "Neglect is getting worse at home")
    assert dialog.flush()
    assert "C-CP-IMMEDIATE" not in rules(dialog) and "C-MAPPING" not in rules(dialog)
    assert dialog.cp_concern.accessibleName() == "Child protection concern"
    assert dialog.threshold_uncertain.accessibleName() == "Threshold uncertain"
    dialog.cp_concern.setChecked(True)
    dialog.threshold_uncertain.setChecked(True)
    assert dialog.flush()
    assert "C-CP-IMMEDIATE" in rules(dialog)
    assert "C-MAPPING" in rules(dialog)
    shown = [f.rule for f in dialog.findings.findings()]
    assert "C-CP-IMMEDIATE" in shown
    with demo_ws.db.session() as s:
        request = s.scalars(
            select(Request).where(Request.case_id == CASE, Request.status == "draft")
        ).one()
        assert request.cp_concern and request.threshold_uncertain
        request_id = request.id
    # Reopened, the boxes are ticked; unticked and saved, the flags go.
    assert get_request(demo_ws, actor, request_id).form.cp_concern
    again = RequestDialog.create(None, demo_ws, actor, request_id=request_id)
    qtbot.addWidget(again)
    assert again.cp_concern.isChecked() and again.threshold_uncertain.isChecked()
    again.cp_concern.setChecked(False)
    assert again.flush()
    assert "C-CP-IMMEDIATE" not in rules(again)
    assert not get_request(demo_ws, actor, request_id).form.cp_concern
    assert get_request(demo_ws, actor, request_id).form.threshold_uncertain
