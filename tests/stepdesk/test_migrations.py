"""Migrations keep every row: a populated first-revision database upgraded to the newest schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import func, select

from stepdesk.demo import populate
from stepdesk.persistence import database
from stepdesk.persistence.models import AgendaItem, Decision, Panel, Request
from tests.conftest import TODAY


def _counts(db: database.Database) -> dict[str, int]:
    with db.session() as s:
        return {
            model.__tablename__: s.scalar(select(func.count()).select_from(model)) or 0
            for model in (Panel, AgendaItem, Decision, Request)
        }


def test_upgrade_from_first_revision_keeps_every_row(tmp_path: Path) -> None:
    # Build the demo at head, copy its rows into a database created at revision 0001.
    source = database.open_database(tmp_path / "source.db")
    with source.session() as s:
        populate(s, seed=7, today=TODAY)
    expected = _counts(source)
    source.close()

    old_url = database.database_url(tmp_path / "old.db")
    engine = database._make_engine(old_url)
    database._upgrade(engine, "0001")
    engine.dispose()
    src = sqlite3.connect(tmp_path / "source.db")
    dst = sqlite3.connect(tmp_path / "old.db")
    dst.execute("PRAGMA foreign_keys = OFF")
    tables = [
        r[0]
        for r in src.execute("SELECT name FROM sqlite_master WHERE type='table'")
        if r[0] != "alembic_version"
    ]
    for table in tables:
        old_cols = [r[1] for r in dst.execute(f"PRAGMA table_info({table})")]
        if not old_cols:
            continue  # a table the first revision did not have
        cols = ", ".join(old_cols)
        rows = src.execute(f"SELECT {cols} FROM {table}").fetchall()
        marks = ", ".join("?" for _ in old_cols)
        dst.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
    dst.commit()
    src.close()
    dst.close()

    upgraded = database.open_database(tmp_path / "old.db")
    assert _counts(upgraded) == expected
    assert expected["decision"] > 0
    with upgraded.session() as s:
        assert s.connection().exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert not s.connection().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    upgraded.close()
