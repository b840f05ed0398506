"""File → Back up now…: the chosen file is written encrypted with its key slots, the status
bar says where, the audit trail records it; roles that may not back up do not see it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from stepdesk.persistence.keystore import KeyStore, keyfile_for
from stepdesk.persistence.models import AuditEvent
from stepdesk.services import Actor, Workspace, accounts
from stepdesk.services.backup import check_file
from tests.trust_fixtures import EncryptedDemo
from tests.ui.conftest import OFFSCREEN_NOISE, open_window
from ui.dialogs import SaveFileDialog
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def _answer(monkeypatch: pytest.MonkeyPatch, answer: Path | None) -> list[Path]:
    """Answer the save dialog with ``answer``; the list gets the path it suggested."""
    suggested: list[Path] = []

    def ask(cls: type, parent: object, title: str, offered: Path, file_filter: str) -> Path | None:
        suggested.append(offered)
        return answer

    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(ask))
    return suggested


def _menu_texts(window: MainWindow) -> list[str]:
    return [a.text() for a in window.menu("&File").actions()]


def test_back_up_now_writes_an_encrypted_copy_and_says_where(
    qtbot: QtBot,
    encrypted_demo: EncryptedDemo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ws, coordinator = accounts.sign_in(encrypted_demo.path, "coordinator", encrypted_demo.password)
    try:
        window = open_window(qtbot, ws, coordinator)
        assert window.backup_action is not None
        texts = _menu_texts(window)
        assert "&Back up now…" in texts and texts[-1] == "&Quit"
        target = tmp_path / "usb" / "panel-copy"  # no suffix: .db is added
        suggested = _answer(monkeypatch, target)
        window.backup_action.trigger()

        made = target.with_suffix(".db")
        assert re.fullmatch(r"stepdesk-backup-\d{8}-\d{4}\.db", suggested[0].name)
        assert made.exists() and not made.read_bytes().startswith(b"SQLite format 3")
        key = KeyStore.load(made).unlock("coordinator", encrypted_demo.password)
        assert check_file(made, key)["agenda_item"] > 0
        message = window.message.text()
        assert message.startswith(f"Encrypted backup saved to {made}, with its key file ")
        assert f"{made.name}.keys" in message and keyfile_for(made).exists()
        assert window.message.property("kind") == "info"
        with ws.db.session() as s:
            event = s.scalars(select(AuditEvent).where(AuditEvent.action == "backup")).one()
            assert event.user_id == coordinator.user_id
            assert event.detail["file"] == "panel-copy.db"
            assert event.detail["folder"] == str(made.parent)
        assert not list(made.parent.glob("*.part*"))
    finally:
        ws.db.close()


def test_cancelling_makes_nothing_and_a_failure_is_shown_in_red(
    qtbot: QtBot,
    demo_ws: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    admin = Actor(6, "Admin", "administrator")
    window = open_window(qtbot, demo_ws, admin)
    assert window.backup_action is not None
    _answer(monkeypatch, None)
    window.backup_action.trigger()
    assert window.message.text() == ""
    (tmp_path / "blocked").write_text("a file where the folder should be")
    _answer(monkeypatch, tmp_path / "blocked" / "copy.db")
    window.backup_action.trigger()
    assert window.message.text().startswith("Backup NOT made: Cannot write the backup copy.db")
    assert window.message.property("kind") == "error"


@pytest.mark.parametrize("role", ["worker", "manager", "auditor"])
def test_roles_that_may_not_back_up_do_not_see_it(
    qtbot: QtBot, demo_ws: Workspace, role: str
) -> None:
    window = open_window(qtbot, demo_ws, Actor(5, "Someone", role))
    assert window.backup_action is None
    assert "&Back up now…" not in _menu_texts(window)
