"""Four eyes on the Requests page: a manager's own request cannot be QA-approved by them;
the button says why, and Return still works."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from stepdesk.services import Workspace
from stepdesk.services.people import actor_for
from tests.stepdesk.test_four_eyes import MANAGER, _submitted_by
from ui.main_window import MainWindow
from ui.pages.requests import RequestsPage

from .conftest import OFFSCREEN_NOISE, select_row

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def test_the_author_cannot_approve_but_is_told_why(qtbot: QtBot, demo_ws: Workspace) -> None:
    request_id = _submitted_by(demo_ws, actor_for(demo_ws, MANAGER))
    window = MainWindow(demo_ws, actor_for(demo_ws, MANAGER))
    qtbot.addWidget(window)
    page = window.findChild(RequestsPage)
    assert page is not None
    window.pages.setCurrentWidget(page)
    page.scope.setCurrentIndex(page.scope.findData("all"))
    select_row(page.table, request_id)
    assert page.detail is not None and page.detail.row.id == request_id
    assert not page.approve_button.isEnabled()
    assert page.return_button.isEnabled()
    assert page.approve_button.toolTip().startswith("Another manager must QA this request")
    assert page.message.text().startswith("Another manager must QA this request: you created it")
