"""Opening databases: settings, migrations, and clear errors for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from stepdesk.errors import DatabaseError
from stepdesk.persistence.database import _heads, open_database
from stepdesk.services import Workspace


@pytest.mark.sqlite_only  # the SQLite pragmas themselves
def test_sqlite_settings(empty_ws: Workspace) -> None:
    with empty_ws.db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        version = conn.execute(text("select sqlite_version()")).scalar()
        # The bundled SQLite, not the interpreter's 3.40.1 with its WAL bug.
        assert tuple(int(p) for p in str(version).split(".")) >= (3, 44, 0)
        versions = {r[0] for r in conn.execute(text("select version_num from alembic_version"))}
        assert versions == _heads()


def test_reopening_is_idempotent(tmp_path: Path) -> None:
    for _ in range(2):
        db = open_database(tmp_path / "x.db")
        db.close()


def test_foreign_keys_are_enforced(empty_ws: Workspace) -> None:
    from stepdesk.persistence.models import Attendance

    with pytest.raises(DatabaseError), empty_ws.db.session() as s:
        s.add(Attendance(panel_id=999, user_id=999, panel_role="member"))


def test_a_file_that_is_not_a_database_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"This is a shopping list, not a database." * 200)
    with pytest.raises(DatabaseError, match="not a StepDesk database, or it is damaged"):
        open_database(path)
    assert path.read_bytes().startswith(b"This is a shopping list")  # nothing overwritten


def test_missing_file_with_create_false(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="No database at"):
        open_database(tmp_path / "missing.db", create=False)
