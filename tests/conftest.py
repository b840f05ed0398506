"""Shared fixtures. Qt runs offscreen; each test gets its own fresh database."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before any Qt import (Picard's habit): tests never need a screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The fixtures' databases are plain SQLite (fast, and readable by the tests' own queries);
# this lets the headless commands open them. The app and the command line never set it.
os.environ["STEPDESK_ALLOW_PLAINTEXT"] = "1"

from stepdesk.demo import create_demo
from stepdesk.persistence.database import open_database
from stepdesk.services import Actor, Workspace
from stepdesk.services.people import default_actor

# Fixtures of the encrypted paths (sign-in, key slots, backups): encrypted_demo, fast_kdf.
# The back ends every database fixture runs on (tests/postgres_fixtures.py says how).
BACKENDS = ["sqlite", "postgres"] if os.environ.get("STEPDESK_TEST_POSTGRES") else ["sqlite"]

# PostgreSQL: pg_url, pg_demo_url and the `postgres` / `sqlite_only` markers.
pytest_plugins = ["tests.trust_fixtures", "tests.postgres_fixtures"]

# The demo and every workspace in the tests live on this day, so results never drift.
TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 9, 0)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo database built per test run; tests get copies of it (Anki's habit)."""
    path = tmp_path_factory.mktemp("template") / "demo.db"
    db = create_demo(path, seed=1, today=TODAY)
    db.close()
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo database for one test."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    return path


@pytest.fixture(params=BACKENDS)
def demo_ws(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    """A workspace on a fresh demo database, with the clock fixed at NOW.

    On SQLite, and on PostgreSQL too when STEPDESK_TEST_POSTGRES names a server.
    """
    if request.param == "postgres":
        target: str | Path = request.getfixturevalue("pg_demo_url")
    else:
        target = request.getfixturevalue("demo_path")
    db = open_database(target)
    yield Workspace(db, now=lambda: NOW)
    db.close()


@pytest.fixture(params=BACKENDS)
def empty_ws(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    """A workspace on a new, empty database (SQLite, and PostgreSQL when one is given)."""
    if request.param == "postgres":
        target: str | Path = request.getfixturevalue("pg_url")
    else:
        target = tmp_path / "empty.db"
    db = open_database(target)
    yield Workspace(db, now=lambda: NOW)
    db.close()


@pytest.fixture
def chair(demo_ws: Workspace) -> Actor:
    """The demo's first chair."""
    return default_actor(demo_ws)
