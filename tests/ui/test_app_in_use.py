"""The app holds its database's in-use lock from before sign-in until it exits; a second
StepDesk on the same file gets a clear message instead of sharing the file silently."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from stepdesk.persistence import in_use
from stepdesk.persistence.in_use import DatabaseInUseError
from stepdesk.services import Actor, Workspace, accounts
from tests.trust_fixtures import EncryptedDemo
from tests.ui.conftest import OFFSCREEN_NOISE
from ui import app
from ui.first_run_dialog import FirstRunDialog
from ui.login_dialog import LoginDialog

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def test_the_app_holds_the_database_while_it_runs_and_lets_go_after(
    qtbot: QtBot, encrypted_demo: EncryptedDemo, monkeypatch: pytest.MonkeyPatch
) -> None:
    def sign_in(cls: type, path: object, **kwargs: object) -> tuple[Workspace, Actor]:
        with pytest.raises(DatabaseInUseError):  # held from before the sign-in dialog
            in_use.hold(encrypted_demo.path)
        return accounts.sign_in(encrypted_demo.path, "chair", encrypted_demo.password)

    seen: list[str] = []

    def running(ws: Workspace, actor: Actor, lock_after: int | None = None) -> int:
        with pytest.raises(DatabaseInUseError, match="Close StepDesk on this database first"):
            in_use.refuse_if_open(encrypted_demo.path, "restore a backup over it")
        seen.append(actor.role)
        ws.db.close()
        return 0

    monkeypatch.setattr(LoginDialog, "ask", classmethod(sign_in))
    monkeypatch.setattr(app, "run", running)
    assert app.start(encrypted_demo.path) == 0
    assert seen == ["chair"]
    in_use.refuse_if_open(encrypted_demo.path, "restore a backup over it")  # let go


def test_a_second_stepdesk_is_told_the_database_is_already_open(
    qtbot: QtBot, encrypted_demo: EncryptedDemo, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []

    def never(cls: type, *args: object, **kwargs: object) -> None:
        raise AssertionError("the sign-in dialog opened on a database already open")

    monkeypatch.setattr(LoginDialog, "ask", classmethod(never))
    monkeypatch.setattr(app.AlreadyOpenMessage, "show", classmethod(lambda cls, t: shown.append(t)))
    with in_use.hold(encrypted_demo.path):
        assert app.start(encrypted_demo.path) == 1
    assert len(shown) == 1
    assert shown[0].startswith("stepdesk.db is already open in StepDesk on this computer")
    assert "Switch to that window, or close it first" in shown[0]


def test_a_database_in_a_missing_folder_says_which_and_what_to_do(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []

    def never(cls: type, *args: object, **kwargs: object) -> None:
        raise AssertionError("the first-run dialog opened on a folder that does not exist")

    monkeypatch.setattr(FirstRunDialog, "ask", classmethod(never))
    monkeypatch.setattr(app.CannotOpenMessage, "show", classmethod(lambda cls, t: shown.append(t)))
    monkeypatch.setattr(app.AlreadyOpenMessage, "show", classmethod(never))
    missing = tmp_path / "no-such-folder"
    assert app.start(missing / "panel.db") == 1
    assert len(shown) == 1
    assert shown[0].startswith(f"The folder {missing} does not exist")
    assert "Create the folder first" in shown[0]
