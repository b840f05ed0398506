"""The request form says why a step-down offers no plan on a case with no current plan."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from stepdesk.persistence.models import Case
from stepdesk.services import Workspace
from stepdesk.services.people import actor_for
from tests.ui.conftest import OFFSCREEN_NOISE
from ui.request_dialog import RequestDialog

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

WORKER, CASE = 13, 5


def test_step_down_with_no_plan_shows_the_reason(qtbot: QtBot, demo_ws: Workspace) -> None:
    with demo_ws.db.session() as s:
        case = s.get(Case, CASE)
        assert case is not None
        case.plan = ""
    dialog = RequestDialog.create(None, demo_ws, actor_for(demo_ws, WORKER), case_id=CASE)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.error.text() == ""
    dialog.movement.setCurrentIndex(dialog.movement.findData("step_down"))
    assert dialog.to_plan.count() == 0
    assert "no current plan" in dialog.error.text()
    assert "step up or step in" in dialog.error.text()
    assert not dialog.flush()  # the service refuses it too, naming the field
    assert dialog.error.text().startswith("Movement: ")
    dialog.resize(1366, 768)
    dialog.grab().save("/tmp/x/no_plan.png")
    # Back to a step-up: plans to choose, and the reason goes.
    dialog.movement.setCurrentIndex(dialog.movement.findData("step_up"))
    assert dialog.to_plan.count() > 0 and dialog.error.text() == ""
    assert dialog.flush() and dialog.detail is not None
