"""The real app, typing by itself until it is killed: the child of ``test_crash_autosave``.

Run as ``python -m tests.ui.crash_child DB {notes|draft} [PASSWORD]``. With a password it
signs in to the encrypted file as the demo's chair, as the app does (``accounts.sign_in``);
without, it opens a plain test database (``open_database``). It builds the main window with the
shipped stylesheet, and types words ("w0001 w0002 …") into the minute notes of the first
item of the first upcoming panel, or into the rationale of that item's decision dialog, on a
timer and without ever pausing (faster than anyone types, so the debounce alone would never
fire). It prints one line per event, flushed at once so the parent sees it before the kill:

    READY <item id>
    TYPED <words typed so far>
    SAVED <json of the text the app reported saved>
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest

from stepdesk.persistence.database import open_database
from stepdesk.services import Workspace
from stepdesk.services.accounts import sign_in
from stepdesk.services.people import default_actor
from ui.app import application
from ui.decision_dialog import DecisionDialog
from ui.main_window import MainWindow

NOW = dt.datetime(2026, 11, 23, 9, 0)  # the demo's day, as in tests/conftest.py
TYPE_EVERY_MS = 40


def say(*words: object) -> None:
    """One line to the parent, flushed before anything else happens."""
    print(*words, flush=True)


def main(db_path: str, mode: str, password: str | None = None) -> int:
    """Open the app on ``db_path`` and type into the notes (``mode`` "notes") or a draft."""
    app = application()
    if password is not None:
        ws, actor = sign_in(db_path, "chair", password)
        ws.now = lambda: NOW
    else:
        ws = Workspace(open_database(db_path, create=False), now=lambda: NOW)
        actor = default_actor(ws)
    window = MainWindow(ws, actor)
    window.show()
    detail = window.controller.detail
    if detail is None:
        say("ERROR no item open")
        return 2
    if mode == "notes":
        editor = window.notes.editor
        typed_into = window.notes
        typed_into.saved.connect(lambda _item, _at: say("SAVED", json.dumps(editor.toPlainText())))
    else:
        dialog = DecisionDialog.create(window, ws, actor, detail.row.id)
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.show()
        editor = dialog.rationale
        dialog.draft_saved.connect(lambda _at: say("SAVED", json.dumps(editor.toPlainText())))
    editor.setFocus()
    count = 0

    def type_a_word() -> None:
        nonlocal count
        count += 1
        QTest.keyClicks(editor, f"w{count:04d} ")
        say("TYPED", count)

    timer = QTimer()
    timer.setInterval(TYPE_EVERY_MS)
    timer.timeout.connect(type_a_word)
    timer.start()
    say("READY", detail.row.id)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
