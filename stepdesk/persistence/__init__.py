"""Persistence: the ORM schema, opening a database, migrations and the unit of work."""
