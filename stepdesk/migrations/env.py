"""Alembic environment: migrations run on the connection StepDesk hands over."""

from alembic import context
from sqlalchemy import create_engine

from stepdesk.persistence.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    """Run on ``config.attributes['connection']``, or on the URL given to the alembic CLI."""
    connection = config.attributes.get("connection")
    if connection is None:
        # Developer use only: `alembic -x url=sqlite:///x.db revision --autogenerate`.
        url = context.get_x_argument(as_dictionary=True)["url"]
        with create_engine(url).connect() as conn:
            _configure_and_run(conn)
            conn.commit()
        return
    _configure_and_run(connection)


def _configure_and_run(connection) -> None:  # type: ignore[no-untyped-def]
    # render_as_batch: SQLite cannot ALTER most things; batch mode rebuilds the table.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
