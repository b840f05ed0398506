"""Sign-in, auto-lock and the auditor's page, driven as a person would."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from stepdesk.persistence.keystore import KeyStore
from stepdesk.persistence.models import AuditEvent
from stepdesk.services import Actor, Workspace, accounts
from tests.trust_fixtures import EncryptedDemo
from tests.ui.conftest import OFFSCREEN_NOISE, unnamed_controls
from ui.app import load_stylesheet
from ui.dialogs import SaveFileDialog
from ui.lock import IdleLock, LockScreen
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def _actions(ws: Workspace, action: str) -> int:
    with ws.db.session() as s:
        return len(list(s.scalars(select(AuditEvent.id).where(AuditEvent.action == action))))


@pytest.fixture
def signed_in(
    encrypted_demo: EncryptedDemo, request: pytest.FixtureRequest
) -> Iterator[tuple[Workspace, Actor]]:
    login = getattr(request, "param", "chair")
    ws, actor = accounts.sign_in(encrypted_demo.path, login, encrypted_demo.password)
    yield ws, actor
    ws.db.close()


def _window(qtbot: QtBot, ws: Workspace, actor: Actor) -> MainWindow:
    win = MainWindow(ws, actor)
    win.setStyleSheet(load_stylesheet())
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_login_dialog_says_why_and_stays_open_then_signs_in(
    qtbot: QtBot, encrypted_demo: EncryptedDemo
) -> None:
    dialog = LoginDialog(encrypted_demo.path, hint="demo", login="chair")
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed_controls(dialog) == []
    dialog.password.setText("not it at all")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.result_value is None
    assert "do not match" in dialog.message.text()
    assert dialog.password.text() == ""
    dialog.password.setText(encrypted_demo.password)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.result_value is not None
    ws, actor = dialog.result_value
    assert actor.role == "chair"
    assert _actions(ws, "sign_in.failed") == 1  # the wrong try reached the audit trail
    ws.db.close()


def test_idle_lock_replaces_the_contents_clears_the_clipboard_and_needs_the_password(
    qtbot: QtBot, signed_in: tuple[Workspace, Actor]
) -> None:
    ws, actor = signed_in
    win = _window(qtbot, ws, actor)
    lock = IdleLock(win, ws, actor, minutes=5)
    assert lock.timer.interval() == 5 * 60_000
    pages = win.centralWidget()
    QGuiApplication.clipboard().setText("Copied case notes")
    win.notes.editor.setPlainText("typed before the lock")  # type: ignore[attr-defined]
    lock.lock()
    assert isinstance(win.centralWidget(), LockScreen)
    assert QGuiApplication.clipboard().text() == ""
    assert not win.decision_action.isEnabled() and not win.menuBar().isEnabled()
    assert unnamed_controls(win.centralWidget()) == []
    qtbot.wait(10)
    win.grab().save("/tmp/trust-lock.png")

    screen = lock.screen
    assert screen is not None
    screen.password.setText("wrong password")
    qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)
    assert lock.locked and "not your password" in screen.message.text()
    screen.password.setText(accounts_password())
    qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)
    assert not lock.locked
    assert win.centralWidget() is pages
    assert win.menuBar().isEnabled()
    assert (_actions(ws, "lock"), _actions(ws, "unlock.failed"), _actions(ws, "unlock")) == (
        1,
        1,
        1,
    )


def accounts_password() -> str:
    from stepdesk.demo import DEMO_PASSWORD

    return DEMO_PASSWORD


def test_idle_time_locks_by_itself(qtbot: QtBot, signed_in: tuple[Workspace, Actor]) -> None:
    ws, actor = signed_in
    win = _window(qtbot, ws, actor)
    lock = IdleLock(win, ws, actor, minutes=1)
    lock.timer.setInterval(50)  # a minute is too long to wait in a test
    lock.timer.start()
    qtbot.waitUntil(lambda: lock.locked, timeout=3000)


@pytest.mark.parametrize("signed_in", ["chair"], indirect=True)
def test_the_audit_page_is_hidden_from_a_chair(
    qtbot: QtBot, signed_in: tuple[Workspace, Actor]
) -> None:
    win = _window(qtbot, *signed_in)
    titles = [win.pages.tabText(i) for i in range(win.pages.count())]
    assert "&Audit" not in titles


@pytest.mark.parametrize("signed_in", ["auditor"], indirect=True)
def test_auditor_filters_by_case_and_exports_csv(
    qtbot: QtBot,
    signed_in: tuple[Workspace, Actor],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ws, actor = signed_in
    win = _window(qtbot, ws, actor)
    page = win.audit_page  # type: ignore[attr-defined]
    index = [win.pages.tabText(i) for i in range(win.pages.count())].index("&Audit")
    win.pages.setCurrentIndex(index)
    assert page.model.rowCount() >= 1
    assert unnamed_controls(page) == []
    win.grab().save("/tmp/trust-audit.png")

    # The auditor opens the same case twice from the panels page's service; filter on it.
    from stepdesk.services.cases import item_detail

    detail = item_detail(ws, actor, 1)
    item_detail(ws, actor, 2)
    page.case.setText(detail.case.reference)
    qtbot.mouseClick(page.show_button, Qt.MouseButton.LeftButton)
    shown = page.model.rows()
    assert shown and all(r.entity_id == detail.case.case_id for r in shown)
    assert {r.action for r in shown} == {"view"}

    page.case.setText("NO-SUCH-CASE")
    qtbot.mouseClick(page.show_button, Qt.MouseButton.LeftButton)
    assert "no case with reference" in page.status.text()

    target = tmp_path / "audit.csv"
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda *a: target))
    page.case.setText("")
    page.export()
    with target.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0][:3] == ["id", "when", "user"]
    assert len(rows) > 3 and "/" in rows[1][1]

    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    assert "The chain holds" in page.status.text()
    QApplication.processEvents()


@pytest.mark.parametrize("signed_in", ["admin"], indirect=True)
def test_administrator_adds_resets_and_deactivates_people(
    qtbot: QtBot,
    signed_in: tuple[Workspace, Actor],
    encrypted_demo: EncryptedDemo,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui.pages.accounts import PasswordPrompt

    ws, actor = signed_in
    win = _window(qtbot, ws, actor)
    page = win.accounts_page  # type: ignore[attr-defined]
    win.pages.setCurrentWidget(page)
    assert unnamed_controls(page) == []
    page.name.setText("Nia Okafor")
    page.login.setText("nokafor")
    page.role.setCurrentIndex(page.role.findData("worker"))
    page.password.setText("short")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert "at least 10 characters" in page.status.text()
    page.password.setText("a first password")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert "can now sign in as 'nokafor'" in page.status.text()
    win.grab().save("/tmp/trust-accounts.png")

    row = next(n for n, r in enumerate(page.model.rows()) if r.username == "nokafor")
    page.table.setCurrentIndex(page.model.index(row, 0))
    monkeypatch.setattr(PasswordPrompt, "ask", classmethod(lambda *a: "a reset password"))
    qtbot.mouseClick(page.reset_button, Qt.MouseButton.LeftButton)
    assert "was reset" in page.status.text()
    other, _ = accounts.sign_in(encrypted_demo.path, "nokafor", "a reset password")
    other.db.close()
    page.table.setCurrentIndex(page.model.index(row, 0))
    qtbot.mouseClick(page.deactivate_button, Qt.MouseButton.LeftButton)
    assert "can no longer sign in" in page.status.text()
    with pytest.raises(accounts.WrongPasswordError):
        accounts.sign_in(encrypted_demo.path, "nokafor", "a reset password")


@pytest.mark.parametrize("signed_in", ["worker"], indirect=True)
def test_everyone_may_change_their_own_password_only_admins_see_accounts(
    qtbot: QtBot,
    signed_in: tuple[Workspace, Actor],
    encrypted_demo: EncryptedDemo,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui.pages.accounts import PasswordPrompt

    ws, actor = signed_in
    win = _window(qtbot, ws, actor)
    assert not hasattr(win, "accounts_page")
    answers = iter([encrypted_demo.password, "my own new phrase", "my own new phrase"])
    monkeypatch.setattr(PasswordPrompt, "ask", classmethod(lambda *a: next(answers)))
    win.change_password_action.trigger()  # type: ignore[attr-defined]
    assert win.message.text() == "Your password was changed."
    other, _ = accounts.sign_in(encrypted_demo.path, "worker", "my own new phrase")
    other.db.close()


def test_stepdesk_demo_opens_with_the_sign_in_dialog_explaining_the_demo(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stepdesk import cli
    from stepdesk.cli import gui
    from ui.first_run_dialog import FirstRunDialog

    seen: dict[str, object] = {}

    def fake_login(cls: object, path: Path, *, hint: str = "", login: str = "", parent=None):  # type: ignore[no-untyped-def]
        seen.update(path=path, hint=hint, login=login)
        return None  # the person pressed Quit

    import ui.app

    # The real start() styles the whole application; later tests expect an unstyled one.
    monkeypatch.setattr(ui.app, "application", QApplication.instance)
    monkeypatch.setattr(gui, "demo_db_path", lambda: tmp_path / "cache" / "demo.db")
    monkeypatch.setattr(LoginDialog, "ask", classmethod(fake_login))
    assert cli.main(["--demo"]) == 0
    assert seen["login"] == "chair"
    assert "stepdesk-demo" in str(seen["hint"])
    demo = tmp_path / "cache" / "demo.db"
    assert demo.exists() and not demo.read_bytes().startswith(b"SQLite format 3")

    # A database that does not exist yet starts with the first-run dialog instead.
    monkeypatch.setattr(
        FirstRunDialog, "ask", classmethod(lambda cls, path, parent=None: seen.update(new=path))
    )
    assert cli.main(["--db", str(tmp_path / "mine.db")]) == 0
    assert seen["new"] == tmp_path / "mine.db"


def test_first_run_dialog_creates_the_encrypted_database_and_its_administrator(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.first_run_dialog import FirstRunDialog, RecoveryKeyDialog

    shown: list[str] = []
    monkeypatch.setattr(RecoveryKeyDialog, "ask", classmethod(lambda cls, p, k: shown.append(k)))
    path = tmp_path / "new" / "stepdesk.db"
    dialog = FirstRunDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed_controls(dialog) == []
    dialog.name.setText("Ruth Admin")
    dialog.password.setText("a long enough phrase")
    dialog.again.setText("a different phrase!!")
    dialog.create()
    assert "differ" in dialog.message.text() and not path.exists()
    dialog.again.setText("a long enough phrase")
    dialog.grab().save("/tmp/trust-first-run.png")
    dialog.create()
    assert dialog.result_value is not None
    ws, admin = dialog.result_value
    assert admin.role == "administrator" and len(shown) == 1  # the recovery key, once
    ws.db.close()
    assert KeyStore.load(path).unlock_recovery(shown[0])
