"""The Deadlines page: scopes, sorting by due date and RAG, colour with words, opening a case."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from stepdesk.persistence.models import Case, User
from stepdesk.services import Actor, Workspace
from tests.ui.conftest import OFFSCREEN_NOISE, unnamed_controls
from ui.main_window import MainWindow
from ui.models import ROW_ROLE
from ui.pages.deadlines import RAG_WORDS, DeadlinesModel, DeadlinesPage

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def page(qtbot: QtBot, demo_ws: Workspace, chair: Actor) -> DeadlinesPage:
    widget = DeadlinesPage(demo_ws, chair)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def column(page: DeadlinesPage, number: int) -> list[str]:
    proxy = page.proxy
    return [proxy.index(row, number).data() for row in range(proxy.rowCount())]


def test_model_passes_qt_checks(page: DeadlinesPage, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(page.model)
    assert page.model.rowCount() > 20


def test_sorted_by_due_date_first(page: DeadlinesPage) -> None:
    dues = [dt.datetime.strptime(t, "%d/%m/%Y %H:%M") for t in column(page, DeadlinesModel.DUE)]
    assert dues == sorted(dues)


def test_sort_by_status_puts_overdue_first_and_says_it_in_words(page: DeadlinesPage) -> None:
    page.table.horizontalHeader().sectionClicked.emit(DeadlinesModel.STATUS)
    page.table.sortByColumn(DeadlinesModel.STATUS, Qt.SortOrder.AscendingOrder)
    statuses = column(page, DeadlinesModel.STATUS)
    order = list(RAG_WORDS.values())
    assert [order.index(s) for s in statuses] == sorted(order.index(s) for s in statuses)
    assert statuses[0] == "Overdue" and statuses[-1] == "Done"
    first = page.proxy.index(0, DeadlinesModel.STATUS)
    assert isinstance(first.data(Qt.ItemDataRole.BackgroundRole), QBrush)
    assert first.data(Qt.ItemDataRole.AccessibleTextRole).startswith("Overdue, due ")
    assert f"{len(statuses)} deadlines: " in page.counts.text()


def test_scopes_mine_and_my_team(qtbot: QtBot, demo_ws: Workspace) -> None:
    with demo_ws.db.session() as s:
        worker_id, team_id = s.execute(
            select(User.id, User.team_id)
            .join(Case, Case.allocated_worker_id == User.id)
            .group_by(User.id, User.team_id)
            .order_by(func.count().desc())
        ).first()
        name = s.get(User, worker_id).name  # type: ignore[union-attr]
    worker = Actor(worker_id, name, "worker")
    widget = DeadlinesPage(demo_ws, worker)
    qtbot.addWidget(widget)
    everything = widget.model.rowCount()
    widget.scope.setCurrentIndex(widget.scope.findData("mine"))
    mine = [widget.model.row_at(n).row for n in range(widget.model.rowCount())]
    assert mine and len(mine) < everything
    assert all(r.owner_id == worker_id for r in mine)
    widget.scope.setCurrentIndex(widget.scope.findData("team"))
    team = [widget.model.row_at(n).row for n in range(widget.model.rowCount())]
    assert all(r.team_id == team_id for r in team)
    assert len(team) < everything


def test_enter_opens_the_case_with_its_clocks(qtbot: QtBot, page: DeadlinesPage) -> None:
    index = page.proxy.index(2, 0)
    expected = index.data(ROW_ROLE).row
    page.table.setFocus()
    page.table.setCurrentIndex(index)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    dialog = page.dialogs[-1]
    qtbot.addWidget(dialog)
    assert dialog.summary.case_id == expected.case_id
    assert expected.case_reference in dialog.windowTitle()
    assert dialog.pane.subject.text() == expected.subject_name
    texts = " ".join(dialog.pane.deadlines.texts())
    assert expected.deadline.rule in texts
    assert not unnamed_controls(dialog)


def test_double_click_opens_the_case(qtbot: QtBot, page: DeadlinesPage) -> None:
    index = page.proxy.index(0, 0)
    page.table.doubleClicked.emit(index)
    assert page.dialogs[-1].summary.case_id == index.data(ROW_ROLE).row.case_id
    qtbot.addWidget(page.dialogs[-1])


def test_page_is_in_the_main_window_with_named_controls(window: MainWindow) -> None:
    titles = [window.pages.tabText(i) for i in range(window.pages.count())]
    assert "Dead&lines" in titles
    page = window.pages.widget(titles.index("Dead&lines"))
    assert isinstance(page, DeadlinesPage)
    assert not unnamed_controls(page)
