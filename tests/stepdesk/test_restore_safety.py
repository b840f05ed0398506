"""Restore that cannot lose anything (issue 13 items 3-5): administrator only, checked in the
service; an empty or foreign file refused before anything is touched; the live database's
journal folded into the copy that is kept, so no acknowledged write is lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlcipher3

from stepdesk.errors import DatabaseError, PermissionDeniedError
from stepdesk.persistence.database import open_database
from stepdesk.persistence.keystore import KeyStore, keyfile_for
from stepdesk.persistence.models import AgendaItem, User
from stepdesk.services import accounts
from stepdesk.services.backup import _refuse_not_stepdesk, backup, restore
from stepdesk.services.minutes import save_item_notes
from stepdesk.services.workspace import SYSTEM
from tests.trust_fixtures import EncryptedDemo

# Restore replaces a SQLite file; a server database is restored with pg_restore.
pytestmark = pytest.mark.sqlite_only


def _backup_of(demo: EncryptedDemo, folder: Path) -> Path:
    ws, _ = accounts.sign_in(demo.path, "admin", demo.password)
    try:
        return backup(ws, SYSTEM, folder / "saved.db").path
    finally:
        ws.db.close()


@pytest.mark.parametrize("login", ["worker", "auditor", "chair"])
def test_only_an_administrator_may_restore(
    encrypted_demo: EncryptedDemo, tmp_path: Path, login: str
) -> None:
    saved = _backup_of(encrypted_demo, tmp_path)
    before = encrypted_demo.path.stat().st_size
    with pytest.raises(PermissionDeniedError, match="may not restore the database"):
        restore(saved, encrypted_demo.path, login, encrypted_demo.password)
    assert not list(encrypted_demo.path.parent.glob("*.before-restore-*"))
    assert encrypted_demo.path.stat().st_size >= before  # still the live file, not swapped
    assert restore(saved, encrypted_demo.path, "admin", encrypted_demo.password).previous


def test_the_role_in_the_live_database_counts_not_the_backup(
    encrypted_demo: EncryptedDemo, tmp_path: Path
) -> None:
    """A former administrator demoted since the backup may not roll the data back."""
    saved = _backup_of(encrypted_demo, tmp_path)
    # Demote in the live database only: the backup still says administrator.
    key = KeyStore.load(encrypted_demo.path).unlock("admin", encrypted_demo.password)
    db = open_database(encrypted_demo.path, create=False, key=key)
    with db.session() as s:
        user = s.query(User).filter(User.username == "admin").one()
        user.role = "worker"
    db.close()
    with pytest.raises(PermissionDeniedError):
        restore(saved, encrypted_demo.path, "admin", encrypted_demo.password)


@pytest.mark.parametrize("kind", ["empty", "foreign"])
def test_an_empty_or_foreign_file_is_refused_before_anything_is_touched(
    encrypted_demo: EncryptedDemo, tmp_path: Path, kind: str
) -> None:
    bogus = tmp_path / "bogus.db"
    if kind == "empty":
        bogus.write_bytes(b"")
        KeyStore.load(encrypted_demo.path).copy_to(bogus)  # the key file opens; the file is empty
    else:  # another program's database, encrypted with the same key so that it opens
        key = KeyStore.load(encrypted_demo.path).unlock("admin", encrypted_demo.password)
        connection = sqlcipher3.dbapi2.connect(str(bogus))
        connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        connection.execute("CREATE TABLE recipes (name TEXT)")
        connection.execute("INSERT INTO recipes VALUES ('soup')")
        connection.commit()
        connection.close()
        KeyStore.load(encrypted_demo.path).copy_to(bogus)
    live = encrypted_demo.path.read_bytes()
    with pytest.raises(DatabaseError, match="is not a StepDesk backup") as refused:
        restore(bogus, encrypted_demo.path, "admin", encrypted_demo.password)
    assert "Nothing was replaced" in str(refused.value)
    assert encrypted_demo.path.read_bytes() == live
    assert not list(encrypted_demo.path.parent.glob("*.before-restore-*"))


def test_work_only_in_the_live_journal_is_kept_in_the_set_aside_copy(
    encrypted_demo: EncryptedDemo, tmp_path: Path
) -> None:
    """After a crash the newest saves can live only in NAME-wal: the kept copy must hold them."""
    saved = _backup_of(encrypted_demo, tmp_path)
    key = KeyStore.load(encrypted_demo.path).unlock("admin", encrypted_demo.password)
    ws, coordinator = accounts.sign_in(encrypted_demo.path, "coordinator", encrypted_demo.password)
    # A reader holding the journal open stops the checkpoint that closing would do; then the
    # process "crashes" (the reader's connection is dropped without a checkpoint).
    holder = sqlcipher3.dbapi2.connect(str(encrypted_demo.path))
    holder.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    holder.execute("PRAGMA wal_autocheckpoint = 0")
    holder.execute("SELECT count(*) FROM agenda_item").fetchone()
    save_item_notes(ws, coordinator, 2, "Decided just before the crash.")
    ws.db.close()
    wal = Path(f"{encrypted_demo.path}-wal")
    assert wal.exists() and wal.stat().st_size > 0, "the save must sit in the journal"
    done = restore(saved, encrypted_demo.path, "admin", encrypted_demo.password)
    holder.close()
    assert done.previous is not None
    kept = done.previous
    assert keyfile_for(kept).exists()  # the kept copy has its key slots beside it
    ws, _ = accounts.sign_in(kept, "chair", encrypted_demo.password)
    with ws.db.session() as s:
        assert s.get(AgendaItem, 2).notes == "Decided just before the crash."  # type: ignore[union-attr]
    ws.db.close()


def test_a_plain_sqlite_file_without_stepdesk_tables_names_the_fix(tmp_path: Path) -> None:
    """The message tells the administrator which file to choose instead."""
    plain = tmp_path / "other.db"
    sqlite3.connect(plain).close()
    with pytest.raises(DatabaseError, match="choose a backup StepDesk wrote"):
        _refuse_not_stepdesk(plain, {})
    with pytest.raises(DatabaseError, match="no accounts"):
        _refuse_not_stepdesk(plain, {"alembic_version": 1, "user_account": 0})
