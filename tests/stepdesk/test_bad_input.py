"""Bad input: a corrupt file, a wrong password, a full disk, a database locked by another
process, a network share. Each gives a clear message and loses nothing already saved."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import event

from stepdesk.cli import main
from stepdesk.errors import DatabaseError
from stepdesk.persistence import database
from stepdesk.persistence.keystore import KeyStore, keyfile_for
from stepdesk.persistence.models import AgendaItem
from stepdesk.services import Actor, Workspace, accounts
from stepdesk.services.backup import backup, restore
from stepdesk.services.minutes import save_item_notes
from tests.trust_fixtures import EncryptedDemo


def test_a_corrupt_file_is_named_and_a_backup_brings_everything_back(
    encrypted_demo: EncryptedDemo, tmp_path: Path
) -> None:
    ws, coordinator = accounts.sign_in(encrypted_demo.path, "coordinator", encrypted_demo.password)
    save_item_notes(ws, coordinator, 2, "Saved before the disk went bad.")
    copy = backup(ws, Actor(None, "system", "administrator"), tmp_path / "b.db").path
    ws.db.close()
    data = bytearray(encrypted_demo.path.read_bytes())
    data[0:4096] = bytes(4096)  # the first page (SQLCipher's salt and the schema) is gone
    encrypted_demo.path.write_bytes(bytes(data))
    with pytest.raises(DatabaseError, match="not a StepDesk database, or it is damaged"):
        accounts.sign_in(encrypted_demo.path, "chair", encrypted_demo.password)
    restore(copy, encrypted_demo.path, "admin", encrypted_demo.password)  # item 3: an administrator
    ws, _ = accounts.sign_in(encrypted_demo.path, "chair", encrypted_demo.password)
    with ws.db.session() as s:
        assert s.get(AgendaItem, 2).notes == "Saved before the disk went bad."  # type: ignore[union-attr]
    ws.db.close()


def test_a_missing_or_damaged_key_file_says_what_to_do(encrypted_demo: EncryptedDemo) -> None:
    keys = keyfile_for(encrypted_demo.path)
    text = keys.read_text()
    keys.write_text("{ not json")
    with pytest.raises(accounts.StepDeskError, match="cannot be read"):
        accounts.sign_in(encrypted_demo.path, "chair", encrypted_demo.password)
    keys.unlink()
    with pytest.raises(accounts.StepDeskError, match=r"key file .* is missing"):
        accounts.sign_in(encrypted_demo.path, "chair", encrypted_demo.password)
    keys.write_text(text)
    ws, _ = accounts.sign_in(encrypted_demo.path, "chair", encrypted_demo.password)
    ws.db.close()


def test_wrong_password_on_the_command_line_is_one_line(
    encrypted_demo: EncryptedDemo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEPDESK_USER", "chair")
    monkeypatch.setenv("STEPDESK_PASSWORD", "Stepdesk-demo")  # Caps Lock
    out = subprocess.run(
        [sys.executable, "-m", "stepdesk", "panels", "--db", str(encrypted_demo.path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "do not match" in out.stderr
    assert "Traceback" not in out.stderr
    assert KeyStore.load(encrypted_demo.path).take_failures()[0][0] == "chair"


def test_a_full_disk_is_a_clear_message_and_what_was_saved_stays(
    demo_path: Path, chair: Actor
) -> None:
    db = database.open_database(demo_path)
    ws = Workspace(db)
    save_item_notes(ws, chair, 3, "Short note, saved.")
    db.close()
    # Simulate the disk filling up: SQLite may not grow the file by another page.
    db = database.open_database(demo_path)

    @event.listens_for(db.engine, "connect")
    def _full(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    db.engine.dispose()
    ws = Workspace(db)
    with pytest.raises(DatabaseError, match="is full or failing") as caught:
        save_item_notes(ws, chair, 3, "A long note that needs new pages. " * 20_000)
    assert "what was saved before is safe" in str(caught.value)
    db.close()
    db = database.open_database(demo_path)
    with db.session() as s:
        assert s.get(AgendaItem, 3).notes == "Short note, saved."  # type: ignore[union-attr]
    db.close()


LOCKER = """
import sys, time, sqlcipher3
c = sqlcipher3.dbapi2.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA busy_timeout = 0")
c.execute("BEGIN IMMEDIATE")
c.execute("UPDATE agenda_item SET notes = 'the other program' WHERE id = 4")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
c.execute("ROLLBACK")
"""


def test_a_database_locked_by_another_process_is_a_clear_message(
    demo_path: Path, chair: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)
    db = database.open_database(demo_path)
    ws = Workspace(db)
    save_item_notes(ws, chair, 4, "Saved before the other program.")
    other = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(demo_path), "3"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with pytest.raises(DatabaseError, match=r"busy in another program\. Nothing was lost"):
            save_item_notes(ws, chair, 4, "Typed while it was locked.")
        assert time.monotonic() - started < 2.5  # it waited the busy timeout, then said so
    finally:
        other.wait(timeout=30)
        if other.stdout is not None:
            other.stdout.close()
    # Once the other program lets go, the same save goes through; nothing was lost.
    save_item_notes(ws, chair, 4, "Typed while it was locked.")
    with db.session() as s:
        assert s.get(AgendaItem, 4).notes == "Typed while it was locked."  # type: ignore[union-attr]
    db.close()


def test_a_network_share_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/sda1 / ext4 rw 0 0\n"
        "//fileserver/panels /mnt/panels cifs rw 0 0\n"
        "nas:/export /srv/nfs nfs4 rw 0 0\n"
    )
    assert database.is_network_path(Path("/mnt/panels/stepdesk.db"), mounts)
    assert database.is_network_path(Path("/srv/nfs/a/b.db"), mounts)
    assert not database.is_network_path(Path("/home/me/stepdesk.db"), mounts)
    assert database.is_network_path(Path("//fileserver/panels/stepdesk.db"), mounts)
    monkeypatch.setattr(database, "_mount_type", lambda *_: "cifs")
    target = tmp_path / "share.db"
    with pytest.raises(DatabaseError, match="is on a network share"):
        database.open_database(target)
    assert not target.exists()
    assert main(["demo", "--db", str(target)]) == 2
