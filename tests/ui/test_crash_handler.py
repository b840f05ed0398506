"""The crash handler (issue 12): a plain dialog, a log without personal data, faulthandler."""

from __future__ import annotations

import faulthandler
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from stepdesk.services.changes import Operation
from tests.ui.conftest import OFFSCREEN_NOISE
from ui import crash, ops

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def _asked(monkeypatch: pytest.MonkeyPatch, quit_: bool = False) -> list[Path | None]:
    seen: list[Path | None] = []

    def ask(cls: type, log: Path | None, parent: object = None) -> bool:
        seen.append(log)
        return quit_

    monkeypatch.setattr(crash.CrashDialog, "ask", classmethod(ask))
    return seen


def _boom() -> None:
    raise KeyError("Maureen Lefèvre, 14/03/2012")  # what a message may quote


def test_a_bug_is_logged_without_personal_data_and_the_person_is_told(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _asked(monkeypatch)
    try:
        _boom()
    except KeyError as error:
        log = crash.handle(type(error), error, error.__traceback__, folder=tmp_path)
    assert log is not None and seen == [log] and log.parent == tmp_path
    text = log.read_text(encoding="utf-8")
    assert "builtins.KeyError" in text and "in _boom" in text
    assert "test_crash_handler.py" in text
    assert "Maureen" not in text and "14/03/2012" not in text
    assert str(Path.home()) not in text  # no user folder in the paths


def test_install_sets_the_hook_and_faulthandler_into_the_log_folder(tmp_path: Path) -> None:
    before = sys.excepthook
    folder = crash.install(tmp_path / "logs")
    try:
        assert sys.excepthook is not before
        assert faulthandler.is_enabled() and (folder / "faults.log").exists()
    finally:
        crash.uninstall()
    assert sys.excepthook is before


def test_a_bug_in_an_operation_reaches_the_dialog(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threaded_ops: None
) -> None:
    seen = _asked(monkeypatch)
    crash.install(tmp_path / "logs")
    try:
        ops.hub().run(Operation("test.bug"), _boom)
        qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    finally:
        crash.uninstall()
    assert seen[0] is not None and "in _boom" in seen[0].read_text(encoding="utf-8")


def test_the_dialog_is_plain_and_says_what_to_do(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    shown: list[str] = []

    def press_keep_working() -> None:
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox))
        shown.append(box.text())
        next(b for b in box.buttons() if b.text() == "&Keep working").click()

    QTimer.singleShot(0, press_keep_working)
    assert crash.CrashDialog.ask(tmp_path / "crash.log") is False
    assert "choose Quit and open StepDesk again" in shown[0]
    assert str(tmp_path / "crash.log") in shown[0]
