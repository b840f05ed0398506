"""The audit trail: append-only (triggers), hash-chained with a key not stored in the file."""

from __future__ import annotations

import pytest
import sqlcipher3
from sqlalchemy import select

from stepdesk.cli import main
from stepdesk.errors import DatabaseError
from stepdesk.persistence.database import key_pragma
from stepdesk.persistence.keystore import KeyStore
from stepdesk.persistence.models import AgendaItem, AuditEvent
from stepdesk.services import Actor, Workspace, accounts
from stepdesk.services.cases import item_detail
from tests.trust_fixtures import EncryptedDemo


@pytest.mark.sqlite_only  # SQLite triggers; PostgreSQL is guarded by grants
def test_triggers_refuse_to_change_or_delete_audit_rows(demo_ws: Workspace, chair: Actor) -> None:
    item_id = 1
    item_detail(demo_ws, chair, item_id)  # viewing a case is audited
    with demo_ws.db.session() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "view")).one()
        assert event.entity == "case" and event.chain and len(event.chain) == 64
    with pytest.raises(DatabaseError, match="append-only"), demo_ws.db.session() as s:
        s.scalars(select(AuditEvent)).one().detail = {"via": "forged"}
    with pytest.raises(DatabaseError, match="append-only"), demo_ws.db.session() as s:
        s.delete(s.scalars(select(AuditEvent)).one())


def _fill(demo: EncryptedDemo) -> bytes:
    """Several audited operations; returns the database key."""
    ws, chair = accounts.sign_in(demo.path, "chair", demo.password)
    with ws.db.session() as s:
        items = list(s.scalars(select(AgendaItem.id).limit(5)))
    for item_id in items:
        item_detail(ws, chair, item_id)
    key = ws.db.key
    ws.db.close()
    assert key is not None
    return key


def _tamper(demo: EncryptedDemo, key: bytes, sql: str) -> None:
    """What someone with the key and a SQLite shell might do: drop the trigger, edit."""
    connection = sqlcipher3.dbapi2.connect(str(demo.path))
    connection.execute(key_pragma(key))
    connection.execute("DROP TRIGGER audit_event_no_update")
    connection.execute("DROP TRIGGER audit_event_no_delete")
    connection.execute(sql)
    connection.commit()
    connection.close()


def _verify(demo: EncryptedDemo, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("STEPDESK_USER", "auditor")
    monkeypatch.setenv("STEPDESK_PASSWORD", demo.password)
    return main(["audit", "verify", "--db", str(demo.path)])


def test_verify_passes_an_untouched_trail(
    encrypted_demo: EncryptedDemo,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _fill(encrypted_demo)
    assert _verify(encrypted_demo, monkeypatch) == 0
    assert "Audit trail intact: 7 rows" in capsys.readouterr().out  # sign-in, 5 views, sign-in


def test_verify_names_the_altered_row(
    encrypted_demo: EncryptedDemo,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key = _fill(encrypted_demo)
    _tamper(encrypted_demo, key, "UPDATE audit_event SET user_id = 2 WHERE id = 3")
    assert _verify(encrypted_demo, monkeypatch) == 1
    err = capsys.readouterr().err
    assert "audit trail broken at row 3:" in err
    assert "altered" in err


def test_verify_names_the_row_after_a_deletion(
    encrypted_demo: EncryptedDemo,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key = _fill(encrypted_demo)
    _tamper(encrypted_demo, key, "DELETE FROM audit_event WHERE id = 4")
    assert _verify(encrypted_demo, monkeypatch) == 1
    err = capsys.readouterr().err
    assert "audit trail broken at row 5: it does not follow row 3: rows 4-4 were deleted" in err


def test_the_chain_key_is_not_in_the_file(encrypted_demo: EncryptedDemo) -> None:
    # Recomputing the chain with the key of a plain database (or none) must fail: the
    # chain key is derived from the database key, which only the key slots unwrap.
    from stepdesk.persistence import audit_chain

    key = _fill(encrypted_demo)
    ws, _ = accounts.sign_in(encrypted_demo.path, "admin", encrypted_demo.password)
    with ws.db.engine.connect() as connection:
        assert audit_chain.verify(connection, key)[1] is None
        assert audit_chain.verify(connection, None)[1] is not None
        assert audit_chain.verify(connection, bytes(32))[1] is not None
    ws.db.close()
    assert KeyStore.load(encrypted_demo.path).unlock("admin", encrypted_demo.password) == key
