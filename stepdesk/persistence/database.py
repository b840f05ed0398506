"""Opening a database: engine, connection settings, migrations and the unit of work.

SQLite files go through the ``sqlcipher3`` driver, whose wheels bundle a current SQLite
(the interpreter's own 3.40.1 has a known WAL bug) and SQLCipher, so that encryption can be
switched on without a new driver. A ``postgresql://`` URL is used as given, for a shared office.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.orm import Session, sessionmaker

from stepdesk.errors import DatabaseError

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
BUSY_TIMEOUT_MS = 5000


def database_url(url_or_path: str | Path) -> str:
    """Turn a file path or a SQLAlchemy URL into a URL."""
    text = str(url_or_path)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL so readers never block the writer; FULL sync so a power cut loses nothing that
    # was reported saved; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
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
    if "not a database" in text or "malformed" in text or "file is encrypted" in text:
        return DatabaseError(
            f"{where} is not a StepDesk database, or it is damaged. "
            "Open another file, or restore the latest backup."
        )
    if "disk" in text and ("full" in text or "i/o" in text):
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
    """An open database: the engine and a session factory. One per process and file."""

    url: str
    engine: Engine
    _factory: sessionmaker[Session]

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on error, always close.

        Objects stay loaded after commit (``expire_on_commit=False``) so that a service can
        turn them into plain data for the GUI without another query.
        """
        session = self._factory()
        try:
            yield session
            session.commit()
        except (exc.OperationalError, exc.DatabaseError) as error:
            session.rollback()
            raise _friendly(error, self.url) from error
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @property
    def is_sqlite(self) -> bool:
        """Whether this is a local SQLite file (not a shared server)."""
        return self.engine.dialect.name == "sqlite"

    def close(self) -> None:
        """Release every pooled connection (checkpoints the WAL on SQLite)."""
        self.engine.dispose()


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, module=sqlcipher3.dbapi2)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _heads() -> set[str]:
    return set(ScriptDirectory.from_config(_alembic_config()).get_heads())


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


def open_database(url_or_path: str | Path, *, create: bool = True) -> Database:
    """Open (and create or upgrade to the newest schema) a StepDesk database.

    Args:
        url_or_path: a file path for SQLite, or a SQLAlchemy URL.
        create: when false, a missing SQLite file is an error instead of a new database.

    Raises:
        DatabaseError: the file is missing, locked, corrupt or not a StepDesk database.
    """
    url = database_url(url_or_path)
    if url.startswith("sqlite:///") and not create:
        path = Path(url.removeprefix("sqlite:///"))
        if not path.exists():
            raise DatabaseError(f"No database at {path}: check the path, or create one.")
    engine = _make_engine(url)
    try:
        _upgrade(engine)
    except (exc.OperationalError, exc.DatabaseError, sqlite3.DatabaseError) as error:
        engine.dispose()
        raise _friendly(error, url) from error
    factory = sessionmaker(engine, expire_on_commit=False)
    return Database(url=url, engine=engine, _factory=factory)
