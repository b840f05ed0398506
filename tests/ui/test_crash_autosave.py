"""Kill the real app mid-typing (SIGKILL, no chance to clean up) and find the text again.

The child (``tests/ui/crash_child.py``) is the real main window on a copy of the demo
database, typing without ever pausing. Nothing it reported as saved may be missing after the
kill. Text typed after the last save is lost, by design, but never more than the autosave's
longest wait (``MAX_UNSAVED_MS``, 2 s, in ``ui/notes_editor.py`` and ``ui/decision_dialog.py``):
that is what "saved as you type" promises.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from stepdesk.persistence.database import open_database
from stepdesk.services import Workspace
from stepdesk.services.accounts import sign_in
from stepdesk.services.cases import item_detail
from stepdesk.services.drafts import load_decision_draft
from stepdesk.services.people import default_actor
from tests.conftest import NOW
from tests.trust_fixtures import EncryptedDemo

ROOT = Path(__file__).resolve().parents[2]
SAVES_BEFORE_KILL = 3
WORDS_AFTER_LAST_SAVE = 5
TIMEOUT_S = 120  # a loaded 2-CPU machine can take 20 s just to import Qt and SQLAlchemy
TYPING_S = 60  # the longest wait is 2 s: three saves take far less than this


def _typed_text(words: int) -> str:
    return "".join(f"w{n:04d} " for n in range(1, words + 1))


def _run_and_kill(db: Path, mode: str, password: str | None = None) -> tuple[int, str, int]:
    """Start the child, kill it after a few saves and a few more words.

    Returns the item id, the last text it reported saved and the words typed by the kill.
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.ui.crash_child",
            str(db),
            mode,
            *([password] if password else []),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert child.stdout is not None
    stdout = child.stdout
    reader = threading.Thread(target=lambda: [lines.put(line) for line in stdout], daemon=True)
    reader.start()
    item_id, saved, typed, saves, after = 0, "", 0, 0, -1
    ready_at = 0.0
    try:
        while after < WORDS_AFTER_LAST_SAVE:
            if ready_at and time.monotonic() - ready_at > TYPING_S:
                pytest.fail(f"{saves} save(s) in {TYPING_S} s of unbroken typing ({typed} words)")
            try:
                line = lines.get(timeout=TIMEOUT_S)
            except queue.Empty:
                pytest.fail(f"the app stopped talking ({saves} save(s) seen, {typed} words)")
            kind, _, rest = line.rstrip("\n").partition(" ")
            if kind == "READY":
                item_id, ready_at = int(rest), time.monotonic()
            elif kind == "TYPED":
                typed = int(rest)
                after += 1 if after >= 0 else 0
            elif kind == "SAVED":
                saved, saves = json.loads(rest), saves + 1
                after = 0 if saves >= SAVES_BEFORE_KILL else -1
            elif kind == "ERROR":
                pytest.fail(line)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    reader.join(timeout=10)
    stdout.close()
    while not lines.empty():  # what the child printed between our last read and the kill
        kind, _, rest = lines.get().rstrip("\n").partition(" ")
        if kind == "TYPED":
            typed = int(rest)
        elif kind == "SAVED":
            saved = json.loads(rest)
    assert child.returncode == -signal.SIGKILL
    return item_id, saved, typed


def _check(found: str, saved: str, typed: int) -> None:
    # Everything reported saved is there (a save may have landed just before the kill, unsaid).
    assert found.startswith(saved)
    # And nothing but what was typed, in order.
    assert _typed_text(typed).startswith(found)
    # The typing never paused, so only the longest wait can have saved it, more than once.
    assert len(saved.split()) >= SAVES_BEFORE_KILL
    lost = typed - len(found.split())
    assert 0 <= lost < typed


@pytest.mark.parametrize("mode", ["notes", "draft"])
def test_a_killed_app_loses_nothing_it_said_was_saved(demo_path: Path, mode: str) -> None:
    item_id, saved, typed = _run_and_kill(demo_path, mode)
    assert item_id and saved, "the child never saved"

    db = open_database(demo_path, create=False)
    try:
        ws = Workspace(db, now=lambda: NOW)
        actor = default_actor(ws)
        if mode == "notes":
            found = item_detail(ws, actor, item_id).notes
        else:
            draft = load_decision_draft(ws, actor, item_id)
            assert draft is not None, "the decision draft is gone"
            found = draft.data["rationale"]
    finally:
        db.close()
    _check(found, saved, typed)


def test_the_encrypted_app_killed_mid_typing_keeps_the_minutes(
    encrypted_demo: EncryptedDemo,
) -> None:
    """The app as shipped: signed in to an encrypted file, killed, signed in again."""
    path = encrypted_demo.path
    item_id, saved, typed = _run_and_kill(path, "notes", encrypted_demo.password)
    ws, actor = sign_in(path, "chair", encrypted_demo.password)
    try:
        found = item_detail(ws, actor, item_id).notes
    finally:
        ws.db.close()
    _check(found, saved, typed)
    # What was typed is in the file and its write-ahead log only encrypted.
    for part in (path, Path(f"{path}-wal")):
        if part.exists():
            assert b"w0001 w0002" not in part.read_bytes(), part.name
