"""Opening a database: engine, connection settings, migrations and the unit of work.

SQLite files go through the ``sqlcipher3`` driver, whose wheels bundle a current SQLite
(the interpreter's own 3.40.1 has a known WAL bug) and SQLCipher. With a ``key`` (what the
app and the command line always pass, see :mod:`stepdesk.persistence.keystore`) the file,
its WAL and its backups are encrypted; without one (the tests' fixtures) it is plain SQLite.
A ``postgresql://`` URL is used as given, for a shared office.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy
import sqlcipher3
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from stepdesk.errors import DatabaseError, StaleRecordError
from stepdesk.persistence import audit_chain

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
BUSY_TIMEOUT_MS = 5000


def database_url(url_or_path: str | Path) -> str:
    """Turn a file path or a SQLAlchemy URL into a URL."""
    text = str(url_or_path)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def key_pragma(key: bytes) -> str:
    """SQLCipher's raw-key pragma: the key is used as is, with no passphrase derivation."""
    if len(key) != 32:
        raise ValueError("a database key is 32 bytes")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, key: bytes | None = None) -> None:
    # The key first: SQLCipher reads nothing before it. Temporary tables and sorts stay in
    # memory, never in an unencrypted temporary file. WAL so readers never block the writer;
    # FULL sync so a power cut loses nothing that was reported saved; foreign keys are off
    # by default in SQLite.
    cursor = dbapi_connection.cursor()
    if key is not None:
        cursor.execute(key_pragma(key))
    cursor.execute("PRAGMA temp_store = MEMORY")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def _friendly(error: Exception, url: str) -> DatabaseError:
    text = str(error).lower()
    where = url.removeprefix("sqlite:///")
    if "locked" in text or "busy" in text:
        return DatabaseError(
            f"The database {where} is busy in another program. Nothing was lost: "
            "wait a moment and try again, or close the other copy of StepDesk."
        )
    if "append-only" in text:
        return DatabaseError(
            "The audit trail is append-only: its rows cannot be changed or deleted. "
            "Nothing was saved."
        )
    if "not a database" in text or "malformed" in text or "file is encrypted" in text:
        return DatabaseError(
            f"{where} is not a StepDesk database, or it is damaged. "
            "Open another file, or restore the latest backup."
        )
    if ("disk" in text and ("full" in text or "i/o" in text)) or "no space" in text:
        return DatabaseError(
            f"The disk holding {where} is full or failing. Free some space, then try again: "
            "what was saved before is safe."
        )
    if "foreign key" in text or "unique constraint" in text:
        return DatabaseError(
            "That change would leave a record pointing at one that does not exist, or "
            "duplicate one that must be unique; nothing was saved. Reload and try again."
        )
    if "unable to open" in text or "readonly" in text or "read-only" in text:
        return DatabaseError(
            f"Cannot open {where} for writing. Check the folder exists and you may write there."
        )
    return DatabaseError(f"Database error on {where}: {error}")


@dataclass
class Database:
    """An open database: the engine and a session factory. One per process and file.

    ``key`` is the SQLCipher key the file was opened with (``None``: plain SQLite, tests only).
    """

    url: str
    engine: Engine
    _factory: sessionmaker[Session]
    key: bytes | None = field(default=None, repr=False)

    @property
    def path(self) -> Path | None:
        """The SQLite file, or ``None`` for a server database."""
        return sqlite_path(self.url)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on error, always close.

        Objects stay loaded after commit (``expire_on_commit=False``) so that a service can
        turn them into plain data for the GUI without another query.
        """
        session = self._factory()
        try:
            if self.is_sqlite:
                # Take the write lock now (waiting up to the busy timeout) rather than at the
                # first write, where WAL would fail at once if another writer got in between;
                # and so that the audit chain is extended by one writer at a time.
                session.connection().exec_driver_sql("BEGIN IMMEDIATE")
            yield session
            session.commit()
        except (exc.OperationalError, exc.DatabaseError) as error:
            session.rollback()
            raise _friendly(error, self.url) from error
        except StaleDataError as error:
            session.rollback()
            raise self._stale(error) from error
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @property
    def is_sqlite(self) -> bool:
        """Whether this is a local SQLite file (not a shared server)."""
        return self.engine.dialect.name == "sqlite"

    def _stale(self, error: StaleDataError) -> StaleRecordError:
        """Who changed the record last and when, from the audit trail, for the message."""
        text = str(error)
        table = text.split("table '", 1)[1].split("'", 1)[0] if "table '" in text else ""
        entity = {"case_record": "case", "agenda_item": "agenda_item"}.get(table, table)
        who, when = None, None
        try:
            with self._factory() as s:
                row = s.execute(
                    sqlalchemy.text(
                        "SELECT u.name, e.at FROM audit_event e "
                        "LEFT JOIN user_account u ON u.id = e.user_id "
                        "WHERE e.entity LIKE :entity AND e.action != 'view' "
                        "ORDER BY e.id DESC LIMIT 1"
                    ),
                    {"entity": f"{entity}%"},
                ).first()
            if row is not None:
                who = row[0] or "the command line"
                when = row[1] if isinstance(row[1], dt.datetime) else None
                if when is None and row[1]:
                    when = dt.datetime.fromisoformat(str(row[1]))
        except (exc.SQLAlchemyError, ValueError):
            pass
        return StaleRecordError(table or "record", who, when)

    def close(self) -> None:
        """Release every pooled connection (checkpoints the WAL on SQLite)."""
        self.engine.dispose()


def sqlite_path(url: str) -> Path | None:
    """The file of a ``sqlite:///`` URL (``None`` for other databases or memory)."""
    if url.startswith("sqlite:///") and len(url) > len("sqlite:///"):
        return Path(url.removeprefix("sqlite:///"))
    return None


def _make_engine(url: str, key: bytes | None = None) -> Engine:
    if url.startswith("sqlite"):
        # The GUI runs operations on a worker thread (ui/ops.py), each in its own session
        # made and closed there; a pooled connection may then serve another thread later,
        # never two at once. SQLAlchemy already sets this for a file database with its
        # QueuePool; it is said here so the thread use does not rest on a default.
        engine = create_engine(
            url, module=sqlcipher3.dbapi2, connect_args={"check_same_thread": False}
        )
        event.listen(engine, "connect", partial(_sqlite_pragmas, key=key))
        return engine
    return create_engine(url, pool_pre_ping=True)


# File systems that are a network share: SQLite's locking is unreliable over them, and a
# dropped connection mid-write corrupts the file.
NETWORK_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afs", "9p", "ncpfs", "davfs",
     "fuse.sshfs", "sshfs", "fuse.davfs2", "fuse.rclone", "ceph", "glusterfs", "fuse.glusterfs"}
)  # fmt: skip


def _mount_type(path: Path, mounts_file: Path = Path("/proc/mounts")) -> str | None:
    """The file system type of the mount holding ``path`` (Linux), or ``None``."""
    try:
        lines = mounts_file.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    best, kind = "", None
    target = str(path)
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount = parts[1].replace("\\040", " ")
        inside = target == mount or target.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) >= len(best):
            best, kind = mount, parts[2]
    return kind


def is_network_path(path: Path, mounts_file: Path = Path("/proc/mounts")) -> bool:
    """Whether ``path`` lies on a network share (UNC path, mapped drive, NFS/SMB mount)."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        drive = os.path.splitdrive(os.path.abspath(text))[0] + "\\"
        drive_remote = 4
        return bool(ctypes.windll.kernel32.GetDriveTypeW(drive) == drive_remote)
    absolute = Path(os.path.abspath(text))
    existing = absolute
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    # Follow symbolic links in the part that exists (a link may point onto a share).
    target = existing.resolve() / absolute.relative_to(existing)
    return _mount_type(target, mounts_file) in NETWORK_FILESYSTEMS


def refuse_network_share(path: Path) -> None:
    """Raise a clear ``DatabaseError`` when ``path`` is on a network share."""
    if is_network_path(path):
        raise DatabaseError(
            f"{path} is on a network share. StepDesk keeps its database on this computer's "
            "own disk, because a share can lose or corrupt changes when the connection drops. "
            "Copy the file to a local folder, or use a PostgreSQL server for a shared office."
        )


_SIDE_FILES = ("-wal", "-shm", "-journal")


def remove_partial(path: Path) -> None:
    """Delete a half-written database file and the journal files SQLite keeps beside it."""
    for suffix in ("", *_SIDE_FILES):
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):  # nothing there
            Path(f"{path}{suffix}").unlink()


def copy_pages(engine: Engine, dest: Path, key: bytes | None) -> None:
    """Copy the open database into the new file ``dest`` with SQLite's online backup API.

    The copy is encrypted with the same key (SQLCipher copies pages as they are) and is
    fsynced before this returns. On failure ``dest`` may be left half-written: the caller
    removes it (:func:`remove_partial`).
    """
    remove_partial(dest)
    raw = engine.raw_connection()
    try:
        copy = sqlcipher3.dbapi2.connect(str(dest))
        try:
            if key is not None:
                copy.execute(key_pragma(key))
            raw.driver_connection.backup(copy)  # type: ignore[union-attr]
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
    finally:
        raw.close()
    with open(dest, "rb") as stream:
        os.fsync(stream.fileno())


def online_backup(engine: Engine, target: Path, key: bytes | None) -> None:
    """Copy the open database to ``target`` with SQLite's online backup API.

    The copy is written beside ``target`` (``NAME.part``) and renamed into place only when
    complete; on any failure the partial file is deleted and ``target`` is left as it was.
    """
    partial_path = target.with_name(target.name + ".part")
    try:
        copy_pages(engine, partial_path, key)
        os.replace(partial_path, target)
    finally:
        remove_partial(partial_path)


def _heads() -> set[str]:
    return set(ScriptDirectory.from_config(_alembic_config()).get_heads())


def _needs_upgrade(engine: Engine) -> bool:
    """Whether an existing database (with tables) is behind the newest schema."""
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return bool(current) and current != _heads()


def _upgrade(engine: Engine, target: str = "heads") -> None:
    """Bring the schema to ``target`` (every head by default).

    On SQLite, batch mode rebuilds a table by copying it and dropping the old one; with
    foreign keys on, that drop would cascade-delete the rows that point at it. So foreign
    keys are switched off (outside any transaction, as SQLite requires) while migrating,
    and ``PRAGMA foreign_key_check`` must come back empty before they are switched on again.
    """
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
        if target == "heads" and current == _heads():
            return
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        connection.commit()  # end the reading transaction; the pragma needs none open
        try:
            with connection.begin():
                cfg = _alembic_config()
                cfg.attributes["connection"] = connection
                command.upgrade(cfg, target)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise DatabaseError(
                            "Upgrading the database would leave records pointing at ones that "
                            f"do not exist ({len(broken)} found); nothing was changed. "
                            "Restore the latest backup and report this."
                        )
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys = ON")
                connection.commit()


def _protect_audit_trail(engine: Engine, key: bytes | None, *, migrated: bool) -> None:
    """Append-only triggers (again, should a rebuild have dropped them); chain migrated rows."""
    # Read first, write only if needed: opening must not wait for another program's write lock.
    with engine.connect() as connection:
        triggers = connection.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'"
        ).scalar()
        unchained = connection.exec_driver_sql(
            "SELECT count(*) FROM audit_event WHERE chain IS NULL"
        ).scalar()
    # Only rows a migration just wrote are chained here; any other unchained row is left for
    # ``stepdesk audit verify`` to report.
    if triggers == len(audit_chain.TRIGGERS) and not (migrated and unchained):
        return
    with engine.begin() as connection:
        for trigger in audit_chain.TRIGGERS:
            connection.exec_driver_sql(trigger)
        if migrated:
            audit_chain.seal_unchained(connection, key)


def _backup_before_upgrade(engine: Engine, path: Path, key: bytes | None) -> None:
    if not path.exists():
        return
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    online_backup(engine, path.with_name(f"{path.name}.before-upgrade-{stamp}.bak"), key)


def open_database(
    url_or_path: str | Path, *, create: bool = True, key: bytes | None = None
) -> Database:
    """Open (and create or upgrade to the newest schema) a StepDesk database.

    Args:
        url_or_path: a file path for SQLite, or a SQLAlchemy URL.
        create: when false, a missing SQLite file is an error instead of a new database.
        key: the 32-byte SQLCipher key. The app and the command line always give one; a
            plain (unencrypted) file is only for tests.

    Raises:
        DatabaseError: the file is missing, locked, corrupt, on a network share, not a
            StepDesk database, or the key does not open it.
    """
    url = database_url(url_or_path)
    path = sqlite_path(url)
    if path is not None:
        if not create and not path.exists():
            raise DatabaseError(f"No database at {path}: check the path, or create one.")
        refuse_network_share(path)
    engine = _make_engine(url, key)
    try:
        migrated = _needs_upgrade(engine)
        if path is not None and migrated:
            # Migrations take a backup first (encrypted like the database).
            _backup_before_upgrade(engine, path, key)
        _upgrade(engine)
        if engine.dialect.name == "sqlite":
            _protect_audit_trail(engine, key, migrated=migrated)
    except (exc.OperationalError, exc.DatabaseError, sqlite3.DatabaseError) as error:
        engine.dispose()
        raise _friendly(error, url) from error
    except BaseException:
        engine.dispose()
        raise
    factory = sessionmaker(engine, expire_on_commit=False)
    chain_key = audit_chain.chain_key(key)
    event.listen(
        factory,
        "before_flush",
        lambda session, _context, _instances: audit_chain.chain_new_events(
            session, chain_key, dt.datetime.now().replace(microsecond=0)
        ),
    )
    return Database(url=url, engine=engine, _factory=factory, key=key)
