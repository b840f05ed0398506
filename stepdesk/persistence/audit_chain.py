"""The audit trail's hash chain: altering or deleting a row breaks it from that row on.

Each row carries a keyed hash of the previous row's hash and its own content.

The chain key is derived (HKDF-SHA256) from the database key and is never stored in the
database: someone who copies the file cannot recompute the chain after editing it. An
unencrypted database (tests only) uses a fixed, public key: its chain shows accidents, not
a determined forger. Rows are chained as they are flushed, inside the writer's transaction
(which holds SQLite's write lock from its first statement, so two writers cannot both
extend the same link).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from stepdesk.persistence.models import AuditEvent

GENESIS = "0" * 64
_UNKEYED = hashlib.sha256(b"StepDesk audit chain of an unencrypted database").digest()

# SQLite refuses to change or delete a chained audit row. A row not yet chained (written by
# a migration) may get its chain once; nothing else may change.
TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event
    WHEN OLD.chain IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at
      OR NEW.user_id IS NOT OLD.user_id OR NEW.action IS NOT OLD.action
      OR NEW.entity IS NOT OLD.entity OR NEW.entity_id IS NOT OLD.entity_id
      OR NEW.detail IS NOT OLD.detail
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: rows cannot be changed'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: rows cannot be deleted'); END""",
)


def chain_key(database_key: bytes | None) -> bytes:
    """The HMAC key of the chain, derived from the database key (or the public unkeyed one)."""
    if database_key is None:
        return _UNKEYED
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"stepdesk audit chain v1"
    ).derive(database_key)


def _at_text(at: dt.datetime | str | None) -> str:
    if isinstance(at, dt.datetime):
        return at.isoformat(sep=" ", timespec="microseconds")
    if at is None:
        return ""
    # A raw row read without the ORM: SQLite's own text form of the same datetime.
    return dt.datetime.fromisoformat(at).isoformat(sep=" ", timespec="microseconds")


def content(
    at: dt.datetime | str | None,
    user_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    detail: Any,
) -> bytes:
    """The canonical bytes of one row's content (what the chain vouches for)."""
    if isinstance(detail, str):
        detail = json.loads(detail)
    return json.dumps(
        [_at_text(at), user_id, action, entity, entity_id, detail],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    ).encode("utf-8")


def link(key: bytes, previous: str, row_content: bytes) -> str:
    """The chain value of a row: HMAC-SHA256(key, previous chain ‖ content), hex."""
    return hmac.new(key, previous.encode("ascii") + b"\n" + row_content, hashlib.sha256).hexdigest()


def _event_content(event: AuditEvent) -> bytes:
    return content(
        event.at, event.user_id, event.action, event.entity, event.entity_id, event.detail
    )


def chain_new_events(session: Session, key: bytes, now: dt.datetime) -> None:
    """Give each audit event about to be inserted its chain value (``before_flush``)."""
    pending = [obj for obj in session.new if isinstance(obj, AuditEvent) and obj.chain is None]
    if not pending:
        return
    # The order the unit of work inserts them in: the order they were added.
    from sqlalchemy import inspect

    pending.sort(key=lambda obj: int(inspect(obj).insert_order or 0))
    with session.no_autoflush:
        previous = session.scalar(
            select(AuditEvent.chain)
            .where(AuditEvent.chain.is_not(None))
            .order_by(AuditEvent.id.desc())
            .limit(1)
        )
    previous = previous or GENESIS
    for event in pending:
        # Columns' Python defaults apply only at insert: fill them now, as they will be read.
        values = inspect(event).dict
        event.at = values.get("at") or now
        # Round-trip through JSON, so the hash covers what will be read back.
        event.detail = json.loads(json.dumps(values.get("detail") or {}, default=str))
        event.chain = link(key, previous, _event_content(event))
        previous = event.chain


@dataclass(frozen=True)
class Break:
    """The first row where the chain does not hold, and why."""

    row_id: int
    reason: str


def _rows(connection: Connection) -> Iterator[tuple[Any, ...]]:
    yield from connection.exec_driver_sql(
        "SELECT id, at, user_id, action, entity, entity_id, detail, chain "
        "FROM audit_event ORDER BY id"
    )


def verify_rows(rows: Iterable[tuple[Any, ...]], key: bytes) -> tuple[int, Break | None]:
    """Walk the rows in id order; returns (rows checked, first break or ``None``)."""
    previous, count = GENESIS, 0
    last_id: int | None = None
    for row_id, at, user_id, action, entity, entity_id, detail, chain in rows:
        count += 1
        if chain is None:
            return count, Break(row_id, "it has no chain value (written outside StepDesk)")
        expected = link(key, previous, content(at, user_id, action, entity, entity_id, detail))
        if not hmac.compare_digest(expected, chain):
            if last_id is None and row_id != 1:
                return count, Break(row_id, f"rows 1-{row_id - 1} were deleted")
            # Does the row vouch for itself after some other previous row? Then rows before
            # it were deleted; otherwise this row itself was altered.
            if last_id is not None and row_id != last_id + 1:
                return count, Break(
                    row_id,
                    f"it does not follow row {last_id}: rows {last_id + 1}-{row_id - 1} "
                    "were deleted, or this row was altered",
                )
            return count, Break(row_id, "its content or its link to the row before was altered")
        previous, last_id = chain, row_id
    return count, None


def verify(connection: Connection, database_key: bytes | None) -> tuple[int, Break | None]:
    """Check the whole audit chain of an open database."""
    return verify_rows(_rows(connection), chain_key(database_key))


def seal_unchained(connection: Connection, database_key: bytes | None) -> int:
    """Chain rows that have none yet (written by a migration), if they come after the chain.

    Returns how many rows were sealed. Rows without a chain *before* a chained row are left
    alone: ``verify`` reports them.
    """
    last = connection.exec_driver_sql(
        "SELECT id, chain FROM audit_event WHERE chain IS NOT NULL ORDER BY id DESC LIMIT 1"
    ).first()
    after = last[0] if last else 0
    rows = connection.exec_driver_sql(
        "SELECT id, at, user_id, action, entity, entity_id, detail FROM audit_event "
        "WHERE chain IS NULL AND id > ? ORDER BY id",
        (after,),
    ).fetchall()
    key, previous = chain_key(database_key), (last[1] if last else GENESIS)
    for row_id, at, user_id, action, entity, entity_id, detail in rows:
        previous = link(key, previous, content(at, user_id, action, entity, entity_id, detail))
        connection.exec_driver_sql(
            "UPDATE audit_event SET chain = ? WHERE id = ?", (previous, row_id)
        )
    return len(rows)
