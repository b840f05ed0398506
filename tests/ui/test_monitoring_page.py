"""The Monitoring page: filters, the report off the GUI thread, click a bar, roles (issue 18)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from stepdesk.services import Actor, Workspace
from tests.stepdesk.monitoring_world import build
from tests.ui.conftest import OFFSCREEN_NOISE, unnamed_controls
from ui.pages.monitoring import MonitoringPage, install

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

MANAGER = Actor(None, "Mo Manager", "manager")


@pytest.fixture
def page(qtbot: QtBot, empty_ws: Workspace) -> MonitoringPage:
    build(empty_ws)
    widget = MonitoringPage(empty_ws, MANAGER)
    qtbot.addWidget(widget)
    widget.resize(1366, 900)
    widget.show()
    qtbot.waitExposed(widget)
    widget.kind.setCurrentIndex(widget.kind.findData("quarter"))
    widget.start.setDate(QDate(2026, 2, 15))
    return widget


def run(qtbot: QtBot, page: MonitoringPage) -> None:
    page.refresh()
    assert page.worker is not None
    with qtbot.waitSignal(page.worker.signals.finished, timeout=30000):
        pass


def test_the_page_shows_every_measure_and_the_cases_behind_a_bar(
    qtbot: QtBot,
    page: MonitoringPage,
    qtmodeltester,  # type: ignore[no-untyped-def]
) -> None:
    run(qtbot, page)
    report = page.report
    assert report is not None and report.period.start == dt.date(2026, 1, 1)
    assert len(page.canvases) == 7
    assert "01/01/2026 to 31/03/2026" in page.status.text()
    # Click: the bar of "consent recorded" carries its indicator's key.
    canvas = page.canvases[3]
    bars = [p for p in canvas.figure.axes[0].patches if p.get_gid() == "compliance.consent"]
    assert bars and bars[0].get_picker()
    page.show_rows("compliance.consent")
    assert page.rows.rowCount() == 7
    assert page.rows.index(0, 0).data().startswith("P-")  # pseudonymised
    assert "6" in page.rows_title.text() or "85.7" in page.rows_title.text()
    qtmodeltester.check(page.rows)
    page.show_rows("equalities.sex.Male")  # 2 people: withheld
    assert page.rows.rowCount() == 0 and "withheld" in page.rows_title.text()
    assert not unnamed_controls(page)


def test_names_when_ticked_and_cancel(qtbot: QtBot, page: MonitoringPage) -> None:
    assert page.names.isEnabled()
    page.names.setChecked(True)
    run(qtbot, page)
    page.show_rows("compliance.consent")
    assert page.rows.index(0, 0).data().startswith("C-")
    page.refresh()
    page.cancel()
    assert page.worker is not None
    with qtbot.waitSignals([page.worker.signals.cancelled], timeout=30000, raising=False):
        pass
    qtbot.waitUntil(lambda: page.show_button.isEnabled(), timeout=30000)


def test_only_managers_chairs_auditors_and_administrators_get_the_page(
    qtbot: QtBot, empty_ws: Workspace
) -> None:
    class Window:
        def add_page(self, widget: object, title: str) -> int:
            return 0

    assert install(Window(), empty_ws, Actor(None, "W", "worker")) is None
    auditor = install(Window(), empty_ws, Actor(None, "A", "auditor"))
    assert auditor is not None and not auditor.names.isEnabled()
    qtbot.addWidget(auditor)


def test_the_case_dialog_records_equalities(qtbot: QtBot, demo_ws: Workspace) -> None:
    from stepdesk.services.cases import case_summary
    from stepdesk.services.equalities import equalities_of
    from ui.case_dialog import CaseDialog
    from ui.equalities_box import EqualitiesBox

    worker = Actor(None, "Wendy Worker", "worker")
    summary = case_summary(demo_ws, worker, 1)
    dialog = CaseDialog(summary, demo_ws.now(), ws=demo_ws, actor=worker)
    qtbot.addWidget(dialog)
    box = dialog.findChild(EqualitiesBox)
    assert box is not None and box.save.isEnabled()
    box.ethnicity.setCurrentIndex(box.ethnicity.findData("CHNE"))
    box.save.click()
    assert box.message.text() == "Saved."
    assert equalities_of(demo_ws, worker, 1).ethnicity == "CHNE"
