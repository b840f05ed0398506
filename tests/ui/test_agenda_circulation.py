"""The Agenda builder's "Agenda pack (PDF)…": writes the builder's own panel (whatever the
Panels page has selected), records the circulation (T-AGENDA-24H) and shows it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from stepdesk.persistence.models import Panel
from stepdesk.services import Workspace
from stepdesk.services.people import actor_for
from ui.dialogs import SaveFileDialog
from ui.documents import OpenFileQuestion
from ui.pages.agenda_builder import AgendaBuilderPage

from .conftest import OFFSCREEN_NOISE, open_window, select_row

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

COORDINATOR, STEP_PANEL, CIN_PANEL = 3, 2, 3


def test_the_pack_button_circulates_the_builders_panel_and_shows_when(
    qtbot: QtBot, demo_ws: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = open_window(qtbot, demo_ws, actor_for(demo_ws, COORDINATOR))
    select_row(window.upcoming_view, CIN_PANEL)  # the Panels page shows another panel
    page = window.findChild(AgendaBuilderPage)
    assert page is not None
    window.pages.setCurrentWidget(page)
    assert page.view is not None and page.view.panel.id == STEP_PANEL
    assert page.deadline.text() == (
        "Agenda not yet circulated: due 24/11/2026 10:30 (T-AGENDA-24H, 003)."
    )
    target = tmp_path / "pack.pdf"
    monkeypatch.setattr(SaveFileDialog, "ask", staticmethod(lambda *a, **k: target))
    monkeypatch.setattr(OpenFileQuestion, "ask", staticmethod(lambda *a, **k: False))
    page.pack_button.click()

    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert f"(panel {STEP_PANEL})" in text and f"(panel {CIN_PANEL})" not in text
    assert "circulated 23/11/2026 09:00" in " ".join(text.split())
    circulated = "Agenda circulated 23/11/2026 09:00 (on time: due 24/11/2026 10:30, T-AGENDA-24H)."
    assert page.deadline.text() == circulated
    assert page.deadline.property("rag") == "done"
    assert window.message.text() == f"Agenda pack saved to {target}. {circulated}"
    with demo_ws.db.session() as s:
        assert s.get_one(Panel, STEP_PANEL).agenda_circulated_at is not None
        assert s.get_one(Panel, CIN_PANEL).agenda_circulated_at is None
    page.grab().save(str(tmp_path / "builder.png"))
