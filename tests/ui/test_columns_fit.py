"""Long text in narrow tables at 1366×768: the builder's movement and the decision's actions.

Another part of each row's text may be elided (the tooltip has it all), but what a person
reads the row for is shown whole.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from pytestqt.qtbot import QtBot

from stepdesk.services import Actor, Workspace
from tests.ui.conftest import OFFSCREEN_NOISE
from tests.ui.test_agenda_builder import COORDINATOR, _builder, _window
from tests.ui.test_decision_dialog import choose_outcome, make

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

STEP_UP_ITEM = 9  # first on the demo's step-up/down panel: Step up → Child in Need plan


def test_the_builders_movement_shows_where_the_case_goes(qtbot: QtBot, demo_ws: Workspace) -> None:
    page = _builder(_window(qtbot, demo_ws, COORDINATOR))
    table, model = page.agenda, page.agenda_model
    assert model.rowCount() >= 5
    metrics = table.fontMetrics()
    for row in range(model.rowCount()):
        full = model.index(row, 3).data()
        where_to = full.split(" (from ")[0]  # "Step up → Child in Need plan"
        assert metrics.horizontalAdvance(where_to) + 12 <= table.columnWidth(3), where_to
        assert full in model.index(row, 3).data(Qt.ItemDataRole.ToolTipRole)


def test_the_decisions_actions_are_read_in_full(
    qtbot: QtBot, demo_ws: Workspace, chair: Actor
) -> None:
    dialog = make(qtbot, demo_ws, chair, STEP_UP_ITEM)
    dialog.resize(1100, 700)
    choose_outcome(dialog, "agreed")
    dialog.show()
    qtbot.waitExposed(dialog)
    view, model = dialog.actions_view, dialog.actions_model
    assert model.rowCount() == 3
    metrics, width = view.fontMetrics(), view.columnWidth(0) - 8
    for row in range(model.rowCount()):
        text = model.index(row, 0).data()
        needed = metrics.boundingRect(QRect(0, 0, width, 0), Qt.TextFlag.TextWordWrap, text)
        assert view.rowHeight(row) >= needed.height(), text
    assert view.rowHeight(0) > metrics.height() * 2  # "Step the case and record …" wraps
