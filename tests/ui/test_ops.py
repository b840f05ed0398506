"""ui/ops.py: operations run on the worker, refusals are one message, one ``changed`` signal."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from stepdesk.errors import ValidationError
from stepdesk.services import Actor, Workspace
from stepdesk.services.changes import Changes, Operation
from tests.ui.conftest import OFFSCREEN_NOISE, open_window
from ui import ops
from ui.dialogs import SaveFileDialog

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def test_an_operation_runs_off_the_gui_thread_and_says_what_changed(
    qtbot: QtBot, threaded_ops: None
) -> None:
    hub = ops.hub()
    ran_on: list[int] = []
    got: list[str] = []

    def call() -> str:
        ran_on.append(threading.get_ident())
        return "done"

    with qtbot.waitSignal(hub.changed, timeout=5000) as changed:
        pending = hub.run(Operation("test.nothing", {"id": 1}), call, success=got.append)
        assert QApplication.overrideCursor() is not None  # busy while it runs
    assert ran_on and ran_on[0] != threading.get_ident()
    assert got == ["done"] and pending.finished and pending.ok
    assert changed.args == [Changes()]
    assert QApplication.overrideCursor() is None
    assert hub.history[-1] == Operation("test.nothing", {"id": 1})


def test_a_refusal_is_one_message(qtbot: QtBot, threaded_ops: None) -> None:
    hub = ops.hub()

    def refused() -> None:
        raise ValidationError("Reasons", "say why the case should move.")

    with qtbot.waitSignal(hub.failed, timeout=5000) as failed:
        pending = hub.run(Operation("test.refused"), refused, fails_as="Request not sent")
    assert failed.args == ["Request not sent: Reasons: say why the case should move."]
    assert pending.finished and not pending.ok


def test_our_bug_is_raised_not_shown_as_a_refusal(qtbot: QtBot) -> None:
    hub = ops.hub()

    def bug() -> None:
        raise KeyError("oops")

    with qtbot.assertNotEmitted(hub.failed), pytest.raises(KeyError):
        hub.run(Operation("test.bug"), bug)


def test_backup_runs_on_the_worker_and_the_window_says_where(
    qtbot: QtBot,
    demo_ws: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    threaded_ops: None,
) -> None:
    window = open_window(qtbot, demo_ws, Actor(6, "Admin", "administrator"))
    target = tmp_path / "copy.db"
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *a: target))
    assert window.backup_action is not None
    with qtbot.waitSignal(ops.hub().changed, timeout=20000):
        window.backup_action.trigger()
        assert not target.exists() or window.message.text().startswith("Backing up")
    assert window.message.text().startswith(f"Backup saved to {target} (")
    assert target.exists()
