"""Backups (online backup API, still encrypted), restore checked before replacing anything,
the automatic backup after a meeting, and the backup a migration takes first."""

from __future__ import annotations

import datetime as dt
import errno
import os
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import func, select

from stepdesk.cli import main
from stepdesk.errors import DatabaseError, StepDeskError
from stepdesk.persistence import database
from stepdesk.persistence.keystore import KeyStore, WrongPasswordError, keyfile_for
from stepdesk.persistence.models import AgendaItem, AuditEvent
from stepdesk.services import Workspace, accounts
from stepdesk.services.backup import backup, backup_after_meeting, check_file, restore
from stepdesk.services.minutes import save_item_notes
from stepdesk.services.workspace import SYSTEM
from tests.trust_fixtures import EncryptedDemo

# Backups copy the SQLite file; a server database is backed up with pg_dump.
pytestmark = pytest.mark.sqlite_only


def _notes(path: Path, password: str, item_id: int) -> str | None:
    ws, _ = accounts.sign_in(path, "chair", password)
    with ws.db.session() as s:
        notes = s.get(AgendaItem, item_id).notes  # type: ignore[union-attr]
    ws.db.close()
    return notes


def test_backup_and_restore_through_the_command_line(
    encrypted_demo: EncryptedDemo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, coordinator = accounts.sign_in(encrypted_demo.path, "coordinator", encrypted_demo.password)
    save_item_notes(ws, coordinator, 1, "Before the backup.")
    ws.db.close()
    monkeypatch.setenv("STEPDESK_USER", "admin")
    monkeypatch.setenv("STEPDESK_PASSWORD", encrypted_demo.password)
    saved = tmp_path / "copies" / "monday.db"
    assert main(["backup", "--db", str(encrypted_demo.path), "-o", str(saved)]) == 0
    assert not saved.read_bytes().startswith(b"SQLite format 3")

    ws, coordinator = accounts.sign_in(encrypted_demo.path, "coordinator", encrypted_demo.password)
    save_item_notes(ws, coordinator, 1, "After the backup: to be rolled back.")
    ws.db.close()
    assert main(["restore", str(saved), "--db", str(encrypted_demo.path)]) == 0
    assert _notes(encrypted_demo.path, encrypted_demo.password, 1) == "Before the backup."
    ws, _ = accounts.sign_in(encrypted_demo.path, "auditor", encrypted_demo.password)
    with ws.db.session() as s:
        restored = s.scalars(select(AuditEvent).where(AuditEvent.action == "restore")).one()
        assert restored.detail["from"] == "monday.db" and restored.user_id is not None
    ws.db.close()
    kept = list(encrypted_demo.path.parent.glob("stepdesk.db.before-restore-*.bak"))
    assert len(kept) == 1  # the replaced file is kept, not deleted
    assert _notes(kept[0], encrypted_demo.password, 1) == "After the backup: to be rolled back."


def test_restore_refuses_a_damaged_backup_and_replaces_nothing(
    encrypted_demo: EncryptedDemo, tmp_path: Path
) -> None:
    ws, admin = accounts.sign_in(encrypted_demo.path, "admin", encrypted_demo.password)
    copy = backup(ws, admin, tmp_path / "b.db").path
    ws.db.close()
    data = bytearray(copy.read_bytes())
    data[40_000:48_000] = bytes(8_000)  # a few pages zeroed, as a failing disk might
    copy.write_bytes(bytes(data))
    before = encrypted_demo.path.read_bytes()
    with pytest.raises(DatabaseError, match="Nothing was replaced"):
        restore(copy, encrypted_demo.path, "admin", encrypted_demo.password)
    assert encrypted_demo.path.read_bytes() == before
    with pytest.raises(WrongPasswordError):
        restore(copy, encrypted_demo.path, "admin", "not the password")
    assert not list(encrypted_demo.path.parent.glob("*.restoring*"))


def test_backup_after_a_meeting_keeps_the_last_n(demo_ws: Workspace) -> None:
    moments = iter(dt.datetime(2026, 11, 23, 10, minute) for minute in range(20))
    demo_ws.now = lambda: next(moments)
    made = [backup_after_meeting(demo_ws, keep=3) for _ in range(5)]
    folder = demo_ws.db.path.parent / "backups"  # type: ignore[union-attr]
    names = sorted(p.name for p in folder.glob("*.db"))
    assert names == sorted(m.path.name for m in made[-3:] if m is not None)
    assert names[0].startswith("demo-after-meeting-20261123-10")
    counts = check_file(folder / names[-1], None)
    assert counts["agenda_item"] > 0
    with demo_ws.db.session() as s:
        audited = s.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "backup")
        )
    assert audited == 5


def test_a_migration_takes_a_backup_first(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = database._make_engine(database.database_url(path))
    database._upgrade(engine, "0002")
    engine.dispose()
    db = database.open_database(path)
    db.close()
    backups = list(tmp_path.glob("old.db.before-upgrade-*.bak"))
    assert len(backups) == 1
    import sqlite3

    old = sqlite3.connect(backups[0])
    assert [r[0] for r in old.execute("SELECT version_num FROM alembic_version")] == ["0002"]
    old.close()
    db = database.open_database(path)  # already at the newest schema: no second backup
    db.close()
    assert len(list(tmp_path.glob("old.db.before-upgrade-*.bak"))) == 1


def test_only_some_roles_may_back_up(demo_ws: Workspace, tmp_path: Path) -> None:
    from stepdesk.errors import PermissionDeniedError
    from stepdesk.services import Actor

    with pytest.raises(PermissionDeniedError, match="back up"):
        backup(demo_ws, Actor(5, "A Worker", "worker"), tmp_path / "x.db")
    assert backup(demo_ws, SYSTEM, tmp_path / "x.db").rows > 0


def _disk_full_midway(engine: object, dest: Path, key: bytes | None) -> None:
    """The copy step as it fails when the disk fills: some pages written, then ENOSPC."""
    dest.write_bytes(b"SQLite format 3\x00" + bytes(4096))  # a half-written copy
    Path(f"{dest}-journal").write_bytes(b"journal")
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dest))


def test_a_backup_that_fails_midway_leaves_no_partial_file_and_keeps_the_last_good_one(
    encrypted_demo: EncryptedDemo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, admin = accounts.sign_in(encrypted_demo.path, "admin", encrypted_demo.password)
    try:
        folder = tmp_path / "usb"
        good = backup(ws, admin, folder / "weekly.db").path
        good_bytes, good_keys = good.read_bytes(), keyfile_for(good).read_bytes()
        monkeypatch.setattr("stepdesk.services.backup.copy_pages", _disk_full_midway)
        with pytest.raises(DatabaseError) as raised:
            backup(ws, admin, folder / "weekly.db")
        message = str(raised.value)
        assert f"Cannot write the backup weekly.db in {folder.resolve()}" in message
        assert "the disk is full. Free some space there, or choose another folder" in message
        assert "The earlier backup weekly.db there is kept as it was." in message
        assert sorted(p.name for p in folder.iterdir()) == ["weekly.db", "weekly.db.keys"]
        assert good.read_bytes() == good_bytes and keyfile_for(good).read_bytes() == good_keys
        with pytest.raises(DatabaseError, match="disk is full"):
            backup(ws, admin, folder / "new.db")  # no earlier backup of that name
        assert sorted(p.name for p in folder.iterdir()) == ["weekly.db", "weekly.db.keys"]
        with ws.db.session() as s:
            backups = s.scalars(select(AuditEvent).where(AuditEvent.action == "backup")).all()
        assert len(backups) == 1  # only the good one is recorded as a backup
    finally:
        ws.db.close()
    assert check_file(good, KeyStore.load(good).unlock("admin", encrypted_demo.password))


def test_a_failure_after_the_copy_also_removes_the_partial_key_slots(
    encrypted_demo: EncryptedDemo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, admin = accounts.sign_in(encrypted_demo.path, "admin", encrypted_demo.password)
    real_replace = os.replace

    def full_at_the_rename(source: Path, target: Path) -> None:
        if Path(target).name == "weekly.db.keys":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_replace(source, target)

    try:
        monkeypatch.setattr("stepdesk.services.backup.os.replace", full_at_the_rename)
        with pytest.raises(DatabaseError, match="the disk is full"):
            backup(ws, admin, tmp_path / "weekly.db")
    finally:
        ws.db.close()
    assert not list(tmp_path.glob("*.part*"))


def test_the_database_reporting_a_full_disk_is_a_clear_error(
    demo_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def sqlite_full(engine: object, dest: Path, key: bytes | None) -> None:
        dest.write_bytes(b"partial")
        raise sqlcipher3.dbapi2.OperationalError("database or disk is full")

    monkeypatch.setattr("stepdesk.services.backup.copy_pages", sqlite_full)
    with pytest.raises(DatabaseError, match=r"in .*out: the disk is full\. Free some space"):
        backup(demo_ws, SYSTEM, tmp_path / "out" / "b.db")
    assert not list((tmp_path / "out").iterdir())


def test_a_folder_given_as_the_backup_file_is_refused(demo_ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(StepDeskError, match="is a folder: give a file name"):
        backup(demo_ws, SYSTEM, tmp_path)


def test_the_backup_before_an_upgrade_leaves_no_partial_file_either(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    engine = database._make_engine(database.database_url(path))
    database._upgrade(engine, "0002")
    monkeypatch.setattr(database, "copy_pages", _disk_full_midway)
    with pytest.raises(OSError, match="No space left"):
        database.online_backup(engine, tmp_path / "old.db.bak", None)
    engine.dispose()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.db"]
