"""Screens at 1366×768 with larger text: what a person reads is shown whole (issue 6).

Each test sets the text size first, as View → Text size does, then opens the screen.
"""

from __future__ import annotations

import re

import pytest
from pytestqt.qtbot import QtBot

from stepdesk.services import Actor, Workspace
from tests.ui.conftest import BLOCKED_ITEM, OFFSCREEN_NOISE, open_window
from tests.ui.test_decision_dialog import make
from ui import theme

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

SCREEN_WIDTH = 1366


@pytest.fixture
def large_text() -> None:
    """High contrast at 150 % text, the combination a low-vision user picks."""
    themes = theme.manager()
    themes.set_choice(theme.HIGH_CONTRAST)
    themes.set_text_percent(150)


@pytest.mark.usefixtures("large_text")
def test_the_upcoming_panels_date_and_time_is_read_whole_at_150_percent(
    qtbot: QtBot, demo_ws: Workspace, chair: Actor
) -> None:
    window = open_window(qtbot, demo_ws, chair)
    table = window.upcoming_view
    model = table.model()
    texts = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert "30/11/2026 09:00" in texts
    metrics = table.fontMetrics()
    needed = metrics.horizontalAdvance("30/11/2026 09:00")
    assert table.columnWidth(0) >= needed + 8
    # …and the whole column is in view, not behind a scroll bar.
    visible = table.viewport().width()
    assert table.columnViewportPosition(0) + table.columnWidth(0) <= visible
    # The status ("Planned, 0/7") is read whole too, and the meeting keeps a few letters.
    status_end = table.columnViewportPosition(2) + table.columnWidth(2)
    assert status_end <= visible, (status_end, visible)
    assert table.columnWidth(1) >= metrics.horizontalAdvance("Step-up")
    # The agenda keeps more than a third of the window (38 % less the splitter handles).
    assert window.agenda_view.width() >= 0.36 * window.width()


def test_the_panels_page_is_unchanged_at_the_system_text_size(
    qtbot: QtBot, demo_ws: Workspace, chair: Actor
) -> None:
    window = open_window(qtbot, demo_ws, chair)
    table = window.upcoming_view
    assert table.columnViewportPosition(2) + table.columnWidth(2) <= table.viewport().width()
    assert window.agenda_view.width() >= 0.45 * window.width()


@pytest.mark.parametrize("colours", list(theme.THEMES.values()), ids=list(theme.THEMES))
def test_no_state_makes_text_bold(colours: theme.Colours) -> None:
    """Qt sizes a tab or button with its stateless font: bold only in a state is clipped.

    (At 150 % in High contrast "Save decision" read "Save decisio" and the selected tab
    "Decisio".)
    """
    css = theme.stylesheet(colours)
    offenders = []
    for rule in css.split("}"):
        if "{" not in rule or "font-weight" not in rule.split("{", 1)[1]:
            continue
        for selector in rule.split("{", 1)[0].split(","):
            if ":" in re.sub(r"::[\w-]+", "", selector):
                offenders.append(selector.strip())
    assert offenders == []


@pytest.mark.usefixtures("large_text")
def test_the_decision_dialog_fits_a_laptop_screen_at_150_percent(
    qtbot: QtBot, demo_ws: Workspace, chair: Actor
) -> None:
    dialog = make(qtbot, demo_ws, chair, BLOCKED_ITEM)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.minimumSizeHint().width() <= SCREEN_WIDTH - 40
    assert dialog.width() <= SCREEN_WIDTH - 40
    # Long findings scroll in their own box rather than squeezing each other's lines away.
    findings = dialog.findings
    for label in findings.labels():
        assert label.height() >= label.heightForWidth(label.width()), label.text()
