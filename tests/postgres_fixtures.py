"""PostgreSQL in the tests: a throwaway database per test on the server in STEPDESK_TEST_POSTGRES.

`.ci/run` starts a cluster of its own and exports the URL (a server URL such as
``postgresql+psycopg://postgres@127.0.0.1:PORT/postgres``); a developer can point it at any
server they may create databases on. Without the variable every test marked ``postgres`` is
skipped, the database fixtures run on SQLite only, and the run ends by saying so.

With it, ``demo_ws`` and ``empty_ws`` (tests/conftest.py) run each test twice, on SQLite and on
PostgreSQL; a test that is about SQLite itself (its files, WAL, SQLCipher) is marked
``sqlite_only`` and keeps to SQLite. GUI tests keep to SQLite: the app always works on its
local copy, and reaches a server only through the sync service.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

ENV = "STEPDESK_TEST_POSTGRES"


def server_url() -> str | None:
    """The PostgreSQL server the tests may use, or ``None`` when none was given."""
    return os.environ.get(ENV) or None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"postgres: needs a PostgreSQL server ({ENV})")
    config.addinivalue_line(
        "markers", "sqlite_only: about SQLite itself; not repeated on PostgreSQL"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skipped = 0
    kept, gui_on_postgres = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_postgres = callspec is not None and "postgres" in callspec.params.values()
        if on_postgres and "tests/ui/" in item.nodeid:
            # The GUI works on its local SQLite copy and never opens a server database; the
            # core and report tests cover the services on PostgreSQL.
            gui_on_postgres.append(item)
            continue
        kept.append(item)
        if on_postgres and item.get_closest_marker("sqlite_only"):
            item.add_marker(pytest.mark.skip(reason="about SQLite itself"))
        elif item.get_closest_marker("postgres") and not server_url():
            item.add_marker(pytest.mark.skip(reason=f"PostgreSQL tests need {ENV}"))
            skipped += 1
    if gui_on_postgres:
        config.hook.pytest_deselected(items=gui_on_postgres)
        items[:] = kept
    config.stash[_SKIPPED] = skipped


_SKIPPED = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if server_url():
        terminalreporter.write_line(f"PostgreSQL tests ran on {_safe(server_url() or '')}.")
        return
    skipped = terminalreporter.config.stash.get(_SKIPPED, 0)
    terminalreporter.write_line(
        f"PostgreSQL tests were skipped ({skipped} marked postgres, and no database test ran "
        f"on PostgreSQL): set {ENV}=postgresql+psycopg://USER@HOST:PORT/postgres to run them "
        "(.ci/run starts a server of its own)."
    )


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine]:
    """An engine on the server's maintenance database, able to create and drop databases."""
    url = server_url()
    if not url:
        pytest.skip(f"PostgreSQL tests need {ENV}")
    engine = create_engine(url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    yield engine
    engine.dispose()


@contextmanager
def fresh_database(admin: Engine, *, template: str | None = None) -> Iterator[str]:
    """A new database (optionally a copy of ``template``) for one test; dropped afterwards."""
    name = f"stepdesk_test_{uuid.uuid4().hex[:12]}"
    clause = f" TEMPLATE {template}" if template else ""
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
    try:
        yield make_url(server_url() or "").set(database=name).render_as_string(
            hide_password=False
        )
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def pg_url(pg_admin: Engine) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database for one test."""
    with fresh_database(pg_admin) as url:
        yield url


@pytest.fixture(scope="session")
def pg_demo_template(pg_admin: Engine) -> Iterator[str]:
    """One PostgreSQL database holding the demo, built once per run; tests get copies."""
    from stepdesk.demo import populate
    from stepdesk.persistence.database import open_database
    from tests.conftest import TODAY

    with fresh_database(pg_admin) as url:
        db = open_database(url)
        with db.session() as s:
            populate(s, seed=1, today=TODAY)
        db.close()
        yield make_url(url).database or ""


@pytest.fixture
def pg_demo_url(pg_admin: Engine, pg_demo_template: str) -> Iterator[str]:
    """The URL of a fresh copy of the demo on PostgreSQL, for one test."""
    with fresh_database(pg_admin, template=pg_demo_template) as url:
        yield url
