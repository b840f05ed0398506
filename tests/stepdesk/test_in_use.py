"""The in-use lock (NAME.lock): restore and a new demo refuse a database that a running
StepDesk holds, whether the holder is this process or another one; a second StepDesk on the
same file is refused; the lock goes when its process ends, however it ends."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from stepdesk.cli import main
from stepdesk.errors import DatabaseError
from stepdesk.persistence import in_use
from stepdesk.persistence.in_use import DatabaseInUseError
from stepdesk.services import accounts
from stepdesk.services.backup import backup, restore
from tests.trust_fixtures import EncryptedDemo

HOLDER = """
import sys
from pathlib import Path
from stepdesk.persistence.in_use import hold
held = hold(Path(sys.argv[1]))
print("held", flush=True)
sys.stdin.readline()  # until the test says so (or kills us)
held.release()
"""


@pytest.fixture
def saved(encrypted_demo: EncryptedDemo, tmp_path: Path) -> Path:
    """A backup of the encrypted demo, to restore."""
    ws, admin = accounts.sign_in(encrypted_demo.path, "admin", encrypted_demo.password)
    try:
        return backup(ws, admin, tmp_path / "saved" / "copy.db").path
    finally:
        ws.db.close()


@pytest.fixture
def other_process(encrypted_demo: EncryptedDemo) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the demo's in-use lock, as a running StepDesk does."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(encrypted_demo.path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    yield child
    if child.poll() is None:
        child.kill()
    child.wait(timeout=10)
    for stream in (child.stdin, child.stdout):
        if stream is not None:
            stream.close()


def test_restore_refuses_while_this_process_holds_the_database(
    encrypted_demo: EncryptedDemo, saved: Path
) -> None:
    before = encrypted_demo.path.read_bytes()
    with in_use.hold(encrypted_demo.path), pytest.raises(DatabaseInUseError) as refused:
        restore(saved, encrypted_demo.path, "admin", encrypted_demo.password)
    assert str(refused.value).startswith("Close StepDesk on this database first: ")
    assert "cannot restore a backup over it while it is in use" in str(refused.value)
    assert encrypted_demo.path.read_bytes() == before
    assert not list(encrypted_demo.path.parent.glob("*.restoring*"))
    assert not list(encrypted_demo.path.parent.glob("*.before-restore-*"))
    # Closed: the same restore goes ahead.
    done = restore(saved, encrypted_demo.path, "admin", encrypted_demo.password)
    assert done.previous is not None and done.rows > 0


def test_restore_refuses_while_another_process_holds_it_and_goes_ahead_once_it_ends(
    encrypted_demo: EncryptedDemo, saved: Path, other_process: subprocess.Popen[str]
) -> None:
    before = encrypted_demo.path.read_bytes()
    with pytest.raises(DatabaseInUseError, match="Close StepDesk on this database first"):
        restore(saved, encrypted_demo.path, "admin", encrypted_demo.password)
    assert encrypted_demo.path.read_bytes() == before
    other_process.kill()  # a crash, not a tidy exit: the OS lets go of the lock
    other_process.wait(timeout=10)
    assert restore(saved, encrypted_demo.path, "admin", encrypted_demo.password).rows > 0


def test_the_restore_command_refuses_before_asking_for_the_password(
    encrypted_demo: EncryptedDemo,
    saved: Path,
    other_process: subprocess.Popen[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("STEPDESK_PASSWORD", raising=False)

    def no_prompt(prompt: str = "") -> str:
        raise AssertionError("asked for a password although the restore cannot happen")

    monkeypatch.setattr("getpass.getpass", no_prompt)
    assert main(["restore", str(saved), "--db", str(encrypted_demo.path)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("stepdesk: error: Close StepDesk on this database first: ")
    assert "Nothing was changed." in error


def test_a_second_stepdesk_on_the_same_file_is_refused(
    encrypted_demo: EncryptedDemo, other_process: subprocess.Popen[str]
) -> None:
    with pytest.raises(DatabaseInUseError, match="already open in StepDesk on this computer"):
        in_use.hold(encrypted_demo.path)
    assert other_process.stdin is not None
    other_process.stdin.write("done\n")
    other_process.stdin.flush()
    other_process.wait(timeout=10)
    with in_use.hold(encrypted_demo.path) as held:  # a tidy exit lets go too
        assert held.held
        with pytest.raises(DatabaseInUseError):
            in_use.hold(encrypted_demo.path)  # the same process, a second window
    assert not held.held
    assert in_use.lock_path(encrypted_demo.path).name == "stepdesk.db.lock"


def test_a_new_demo_is_not_made_over_an_open_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.db"
    path.write_bytes(b"the demo someone has open")
    with in_use.hold(path):
        assert main(["demo", "--db", str(path), "--replace"]) == 2
    assert "Close StepDesk on this database first" in capsys.readouterr().err
    assert path.read_bytes() == b"the demo someone has open"


def test_a_lock_file_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    in_use.lock_path(tmp_path / "x.db").mkdir()  # something in the way of the lock file
    with pytest.raises(DatabaseError, match=r"Cannot create the lock file .*x\.db\.lock: "):
        in_use.hold(tmp_path / "x.db")


def test_a_backup_is_never_written_over_a_database_open_in_stepdesk(
    encrypted_demo: EncryptedDemo, saved: Path
) -> None:
    # "Back up now…" pointed at another database that a running StepDesk has open (a wrong
    # choice in the save dialog): refused, and that database and its key slots are untouched.
    live = saved  # any StepDesk database file
    before = (live.read_bytes(), live.with_name(live.name + ".keys").read_bytes())
    ws, admin = accounts.sign_in(encrypted_demo.path, "admin", encrypted_demo.password)
    try:
        with in_use.hold(live), pytest.raises(DatabaseInUseError) as refused:
            backup(ws, admin, live)
        assert "cannot write a backup over it while it is in use" in str(refused.value)
        assert (live.read_bytes(), live.with_name(live.name + ".keys").read_bytes()) == before
        assert not list(live.parent.glob("*.part*"))
        # Once that StepDesk has closed it, the same backup goes ahead.
        assert backup(ws, admin, live).path == live
    finally:
        ws.db.close()
