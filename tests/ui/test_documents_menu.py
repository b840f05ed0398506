"""The Documents menu: approve minutes as the chair, and save each document for the selection."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from stepdesk.services import Actor, Workspace
from stepdesk.services.document_views import MinutesVersionRow
from stepdesk.services.minutes import approved_minutes
from tests.reports.report_helpers import read_pdf
from tests.ui.conftest import CIN_PANEL, OFFSCREEN_NOISE, current_id, select_row
from ui import documents as documents_module
from ui.documents import ApproveMinutesDialog, OpenFileQuestion
from ui.main_window import MainWindow

PAST = 1

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def saved(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    """Every save goes to tmp_path under the suggested name; the open question says no."""
    paths: list[Path] = []

    def ask_save(cls: object, parent: object, title: str, suggested: Path, filt: str) -> Path:
        path = tmp_path / suggested.name
        paths.append(path)
        return path

    monkeypatch.setattr(documents_module.SaveFileDialog, "ask", classmethod(ask_save))
    monkeypatch.setattr(OpenFileQuestion, "ask", classmethod(lambda cls, parent, path: False))
    return paths


def menu_titles(window: MainWindow) -> list[str]:
    return [a.text() for a in window.menu("&Documents").actions() if a.text()]


def test_chair_approves_then_corrects_the_minutes(
    qtbot: QtBot,
    window: MainWindow,
    demo_ws: Workspace,
    chair: Actor,
    monkeypatch: pytest.MonkeyPatch,
    saved: list[Path],
) -> None:
    docs = window.controller.documents
    assert "A&pprove minutes…" in menu_titles(window)
    select_row(window.past_view, PAST)
    assert docs.approve_action.isEnabled()
    asked: list[list[MinutesVersionRow]] = []

    def answer(note: str | None):  # type: ignore[no-untyped-def]
        def ask(
            cls: object,
            parent: object,
            title: str,
            versions: list[MinutesVersionRow],
            state: object = None,
        ):  # type: ignore[no-untyped-def]
            asked.append(versions)
            return note

        return classmethod(ask)

    monkeypatch.setattr(ApproveMinutesDialog, "ask", answer(None))
    docs.approve_action.trigger()
    assert approved_minutes(demo_ws, chair, PAST) is None  # cancelled: nothing stored

    monkeypatch.setattr(ApproveMinutesDialog, "ask", answer(""))
    docs.approve_action.trigger()
    first = approved_minutes(demo_ws, chair, PAST)
    assert first is not None and first.version == 1
    assert "Minutes approved: version 1" in window.message.text()

    monkeypatch.setattr(ApproveMinutesDialog, "ask", answer("Item 3: corrected the review date."))
    docs.approve_action.trigger()
    second = approved_minutes(demo_ws, chair, PAST)
    assert second is not None and second.version == 2
    assert [len(v) for v in asked] == [0, 0, 1]  # the correction was asked with version 1

    # Documents → Minutes now saves the stored, approved version byte for byte.
    docs.minutes_action.trigger()
    assert saved and saved[-1].read_bytes() == second.pdf
    assert "Item 3: corrected the review date." in read_pdf(second.pdf).flat
    # And so does File → Export minutes.
    window.export_action.trigger()
    assert saved[-1].read_bytes() == second.pdf


def test_the_correction_dialog_needs_a_note(qtbot: QtBot, window: MainWindow) -> None:
    version = MinutesVersionRow(1, "Philip Smith", window.controller.ws.now(), None)
    dialog = ApproveMinutesDialog(window, "the CIN panel on 09/11/2026", [version])
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.note, "Corrected a name.")
    assert dialog.ok_button.isEnabled()
    first = ApproveMinutesDialog(window, "the CIN panel on 09/11/2026", [])
    qtbot.addWidget(first)
    assert first.ok_button.isEnabled()


def test_a_worker_is_not_offered_approval(qtbot: QtBot, demo_ws: Workspace) -> None:
    worker = Actor(None, "Wendy Worker", "worker")
    win = MainWindow(demo_ws, worker)
    qtbot.addWidget(win)
    select_row(win.past_view, PAST)
    assert not win.controller.documents.approve_action.isEnabled()
    assert win.controller.documents.agenda_action.isEnabled()


def test_save_agenda_and_letter_for_the_selection(
    qtbot: QtBot, window: MainWindow, saved: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = window.controller.documents
    select_row(window.upcoming_view, CIN_PANEL)
    assert not docs.letter_action.isEnabled()  # nothing decided yet
    docs.agenda_action.trigger()
    assert saved[-1].name.startswith("Agenda pack CIN panel")
    flat = read_pdf(saved[-1].read_bytes()).flat
    assert "Agenda pack: CIN panel" in flat
    assert f"saved to {saved[-1]}" in window.message.text()

    opened: list[Path] = []
    monkeypatch.setattr(
        OpenFileQuestion, "ask", classmethod(lambda cls, parent, path: opened.append(path))
    )
    select_row(window.past_view, PAST)
    item_id = current_id(window.agenda_view)
    assert item_id is not None and docs.letter_action.isEnabled()
    docs.letter_action.trigger()
    letter = read_pdf(saved[-1].read_bytes())
    assert "Letter about" in letter.flat and "OFFICIAL-SENSITIVE" not in letter.text
    assert opened == [saved[-1]]  # the user was offered to open it
    docs.office_letter_action.trigger()
    assert "OFFICIAL-SENSITIVE" in read_pdf(saved[-1].read_bytes()).text


def test_escalation_summary_for_the_case_that_has_one(
    qtbot: QtBot, window: MainWindow, saved: list[Path]
) -> None:
    docs = window.controller.documents
    select_row(window.past_view, PAST)
    rows = window.agenda_model.rows()
    offered = []
    for row in rows:
        select_row(window.agenda_view, row.id)
        offered.append(docs.escalation_action.isEnabled())
    assert offered.count(True) == 1
    select_row(window.agenda_view, rows[offered.index(True)].id)
    docs.escalation_action.trigger()
    assert "Escalation summary" in read_pdf(saved[-1].read_bytes()).flat


def test_documents_menu_has_every_document(window: MainWindow) -> None:
    assert menu_titles(window) == [
        "&Agenda pack…",
        "&Minutes…",
        "A&pprove minutes…",
        "&Letter to the family…",
        "Letter, &office copy…",
        "&Closure summary…",
        "&Escalation summary…",
    ]
