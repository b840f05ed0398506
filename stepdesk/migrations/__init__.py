"""Alembic migrations of the StepDesk schema; run by :func:`open_database`."""
