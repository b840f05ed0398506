"""Encrypted at rest: a canary surname written through the app is nowhere in plain text."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import select

from stepdesk.cli import main
from stepdesk.persistence.models import AgendaItem
from stepdesk.services import accounts
from stepdesk.services.decisions import record_decision
from stepdesk.services.minutes import save_item_notes
from stepdesk.services.views import DecisionDraft
from tests.trust_fixtures import CANARY, EncryptedDemo

NEEDLES = [CANARY.encode(e) for e in ("utf-8", "utf-16-le", "utf-16-be")]


def canary_hits(root: Path) -> dict[str, int]:
    """How often the canary appears in each file under ``root`` (files with hits only)."""
    hits = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        count = sum(data.count(n) for n in NEEDLES)
        if count:
            hits[str(path.relative_to(root))] = count
    return hits


def test_canary_is_never_written_in_plain_text(
    encrypted_demo: EncryptedDemo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    for variable in ("TMPDIR", "TEMP", "TMP", "SQLITE_TMPDIR"):
        monkeypatch.setenv(variable, str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    root = encrypted_demo.path.parent

    ws, coordinator = accounts.sign_in(encrypted_demo.path, "coordinator", encrypted_demo.password)
    with ws.db.session() as s:
        item_id = s.scalars(select(AgendaItem.id).order_by(AgendaItem.id.desc())).first()
    assert item_id is not None
    text = f"Mother, Ms {CANARY}, attended with an advocate. " * 50
    save_item_notes(ws, coordinator, item_id, text)
    record_decision(
        ws,
        coordinator,
        item_id,
        DecisionDraft("defer", rationale=f"Panel needs the {CANARY} school report first."),
    )
    # While the database is open its WAL and shared-memory files exist: check them too.
    assert Path(f"{encrypted_demo.path}-wal").exists()
    open_hits = canary_hits(root) | canary_hits(scratch)

    monkeypatch.setenv("STEPDESK_USER", "admin")
    monkeypatch.setenv("STEPDESK_PASSWORD", encrypted_demo.password)
    assert main(["backup", "--db", str(encrypted_demo.path), "-o", str(root / "b" / "x.db")]) == 0
    ws.db.close()
    assert "Backup written" in capsys.readouterr().out

    files = {p.name for p in root.rglob("*") if p.is_file()}
    assert {"stepdesk.db", "stepdesk.db.keys", "x.db", "x.db.keys"} <= files
    assert open_hits == {}
    assert canary_hits(root) == {}
    assert canary_hits(scratch) == {}
    for database in (encrypted_demo.path, root / "b" / "x.db"):
        assert not database.read_bytes().startswith(b"SQLite format 3")
        plain = sqlite3.connect(database)
        with pytest.raises(sqlite3.DatabaseError, match="not a database"):
            plain.execute("SELECT count(*) FROM sqlite_master").fetchall()
        plain.close()

    # ...and the text is there for whoever signs in.
    ws, _ = accounts.sign_in(root / "b" / "x.db", "chair", encrypted_demo.password)
    with ws.db.session() as s:
        assert CANARY in (s.get(AgendaItem, item_id).notes or "")  # type: ignore[union-attr]
    ws.db.close()


def test_the_headless_commands_need_the_password(
    encrypted_demo: EncryptedDemo,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("STEPDESK_USER", raising=False)
    monkeypatch.setenv("STEPDESK_PASSWORD", "wrong password")
    assert main(["panels", "--db", str(encrypted_demo.path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "opens no account" in err[0]
    monkeypatch.setenv("STEPDESK_PASSWORD", encrypted_demo.password)
    assert main(["panels", "--db", str(encrypted_demo.path)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 4


def test_a_plain_file_is_refused_outside_the_tests(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("STEPDESK_ALLOW_PLAINTEXT")
    assert main(["panels", "--db", str(demo_path)]) == 2
    assert "is not encrypted" in capsys.readouterr().err


def test_a_database_from_before_encryption_is_encrypted_in_place(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("STEPDESK_ALLOW_PLAINTEXT")
    monkeypatch.setenv("STEPDESK_PASSWORD", "the admin's own phrase")
    args = ["encrypt", "--db", str(demo_path), "--name", "Ruth Admin", "--login", "ruth"]
    assert main(args) == 0
    assert "is now encrypted" in capsys.readouterr().out
    assert not demo_path.read_bytes().startswith(b"SQLite format 3")
    assert not list(demo_path.parent.glob("*.encrypting*"))
    monkeypatch.setenv("STEPDESK_USER", "ruth")
    assert main(["panels", "--db", str(demo_path)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 4  # every panel is still there
    assert main(args) == 2  # only once
    assert "encrypted already" in capsys.readouterr().err
