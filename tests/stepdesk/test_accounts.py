"""Accounts and roles: sign-in through the key slots, passwords, and role checks in services."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from stepdesk import lifecycle
from stepdesk.domain import RequestStatus, Role
from stepdesk.errors import PermissionDeniedError, ValidationError
from stepdesk.persistence.keystore import KeyStore, WrongPasswordError
from stepdesk.persistence.models import AgendaItem, AuditEvent, User
from stepdesk.services import Actor, Workspace, accounts
from stepdesk.services.decisions import record_decision
from stepdesk.services.minutes import save_item_notes
from stepdesk.services.views import DecisionDraft
from tests.trust_fixtures import EncryptedDemo


def _events(ws: Workspace, action: str) -> list[AuditEvent]:
    with ws.db.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_sign_in_opens_the_encrypted_file_and_is_audited(encrypted_demo: EncryptedDemo) -> None:
    ws, actor = accounts.sign_in(encrypted_demo.path, "chair", encrypted_demo.password)
    assert actor.role == Role.CHAIR
    assert ws.user == actor
    assert [e.user_id for e in _events(ws, "sign_in")] == [actor.user_id]
    ws.db.close()


def test_wrong_password_is_refused_clearly_and_reaches_the_audit_trail(
    encrypted_demo: EncryptedDemo,
) -> None:
    with pytest.raises(WrongPasswordError, match="do not match"):
        accounts.sign_in(encrypted_demo.path, "chair", "not-the-password")
    with pytest.raises(WrongPasswordError):
        accounts.sign_in(encrypted_demo.path, "nobody", encrypted_demo.password)
    ws, _ = accounts.sign_in(encrypted_demo.path, "auditor", encrypted_demo.password)
    failed = _events(ws, "sign_in.failed")
    assert sorted(e.detail["login"] for e in failed) == ["chair", "nobody"]
    assert KeyStore.load(encrypted_demo.path).take_failures() == []  # moved, not kept twice
    ws.db.close()


def test_password_change_rewraps_only_that_slot(encrypted_demo: EncryptedDemo) -> None:
    before = json.loads(encrypted_demo.keys.read_text())["slots"]
    ws, actor = accounts.sign_in(encrypted_demo.path, "worker", encrypted_demo.password)
    with pytest.raises(WrongPasswordError):
        accounts.change_password(ws, actor, "wrong-old-password", "a new long phrase")
    with pytest.raises(ValidationError, match="at least 10"):
        accounts.change_password(ws, actor, encrypted_demo.password, "short")
    accounts.change_password(ws, actor, encrypted_demo.password, "a new long phrase")
    ws.db.close()
    after = json.loads(encrypted_demo.keys.read_text())["slots"]
    assert {s["name"] for s in after} == {s["name"] for s in before}
    differ = [s["name"] for s in after if s not in before]
    assert differ == ["worker"]
    with pytest.raises(WrongPasswordError):
        accounts.sign_in(encrypted_demo.path, "worker", encrypted_demo.password)
    ws, _ = accounts.sign_in(encrypted_demo.path, "worker", "a new long phrase")
    ws.db.close()


def test_only_an_administrator_manages_accounts(encrypted_demo: EncryptedDemo) -> None:
    ws, chair = accounts.sign_in(encrypted_demo.path, "chair", encrypted_demo.password)
    with pytest.raises(PermissionDeniedError, match="manage other people's accounts"):
        accounts.create_user(
            ws, chair, name="Ada Quill", username="aquill", role="worker", password="x" * 12
        )
    ws.db.close()
    ws, admin = accounts.sign_in(encrypted_demo.path, "admin", encrypted_demo.password)
    made = accounts.create_user(
        ws, admin, name="Ada Quill", username="AQuill", role="worker", password="quill pen 42"
    )
    assert made.username == "aquill" and made.can_sign_in
    with pytest.raises(ValidationError, match="taken"):
        accounts.create_user(
            ws, admin, name="Ada Two", username="aquill", role="worker", password="x" * 12
        )
    accounts.deactivate(ws, admin, made.id)
    assert "aquill" not in KeyStore.load(encrypted_demo.path).names  # slot revoked
    with pytest.raises(ValidationError, match="yourself"):
        accounts.deactivate(ws, admin, admin.user_id or 0)
    ws.db.close()
    with pytest.raises(WrongPasswordError):
        accounts.sign_in(encrypted_demo.path, "aquill", "quill pen 42")


def test_a_hash_with_old_parameters_is_rehashed_at_sign_in(
    encrypted_demo: EncryptedDemo,
) -> None:
    ws, _ = accounts.sign_in(encrypted_demo.path, "manager", encrypted_demo.password)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    with ws.db.session() as s:
        user = s.scalars(select(User).where(User.username == "manager")).one()
        user.password_hash = weak.hash(encrypted_demo.password)
    ws.db.close()
    ws, _ = accounts.sign_in(encrypted_demo.path, "manager", encrypted_demo.password)
    with ws.db.session() as s:
        stored = s.scalars(select(User.password_hash).where(User.username == "manager")).one()
    assert stored and not accounts._HASHER.check_needs_rehash(stored)
    ws.db.close()


def test_first_run_creates_the_administrator_and_an_optional_recovery_key(
    tmp_path: Path,
) -> None:
    path = tmp_path / "new.db"
    db, admin, recovery = accounts.create_database(
        path, name="Ruth Admin", username="radmin", password="correct horse", recovery=True
    )
    db.close()
    assert admin.role == Role.ADMINISTRATOR and recovery
    assert path.read_bytes()[:16] != b"SQLite format 3\x00"
    keys = KeyStore.load(path)
    assert keys.unlock_recovery(recovery) == keys.unlock("radmin", "correct horse")
    with pytest.raises(ValidationError, match="exists already"):
        accounts.create_database(path, name="X", username="x", password="y" * 12)


# Every check is in the services: a worker calling them directly is refused.
def test_a_worker_cannot_record_decisions_or_write_minutes(demo_ws: Workspace) -> None:
    with demo_ws.db.session() as s:
        worker = s.scalars(select(User).where(User.role == Role.WORKER)).first()
        item_id = s.scalars(select(AgendaItem.id)).first()
    assert worker is not None and item_id is not None
    actor = Actor(worker.id, worker.name, worker.role)
    draft = DecisionDraft(outcome="agreed", rationale="because")
    with pytest.raises(PermissionDeniedError, match="may not record decisions"):
        record_decision(demo_ws, actor, item_id, draft)
    with pytest.raises(PermissionDeniedError, match="may not write minutes"):
        save_item_notes(demo_ws, actor, item_id, "a worker's note")
    with pytest.raises(lifecycle.IllegalMoveError, match="may not QA-approve"):
        lifecycle.check_move(RequestStatus.SUBMITTED, RequestStatus.QA_APPROVED, Role.WORKER)
    with pytest.raises(PermissionDeniedError):
        accounts.list_accounts(demo_ws, actor)
