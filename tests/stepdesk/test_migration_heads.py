"""The migrations have one head, and a freshly migrated database matches the models exactly."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from stepdesk.persistence import database
from stepdesk.persistence.models import Base


def test_alembic_has_exactly_one_head() -> None:
    # A second head makes the next `alembic revision` refuse to run and `upgrade head` fail.
    heads = ScriptDirectory.from_config(database._alembic_config()).get_heads()
    assert len(heads) == 1, f"several Alembic heads: {heads}; add a merge revision"


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    engine = database._make_engine(database.database_url(tmp_path / "fresh.db"))
    database._upgrade(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == [], f"the migrations and the models differ: {diff}"
