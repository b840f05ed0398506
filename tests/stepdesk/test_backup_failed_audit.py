"""A manual backup that could not be written is audited (``backup_failed``) with the reason,
the file and the folder, as the meeting's automatic backup is: from the service, so the
command line and File → Back up now… are both covered."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import select

from stepdesk.cli import main
from stepdesk.errors import DatabaseError
from stepdesk.persistence.database import open_database
from stepdesk.persistence.models import AuditEvent
from stepdesk.services import Actor, Workspace
from stepdesk.services.backup import backup

# Backups copy the SQLite file; a server database is backed up with pg_dump.
pytestmark = pytest.mark.sqlite_only


def _failed(ws: Workspace) -> list[AuditEvent]:
    with ws.db.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == "backup_failed")).all())


def test_a_failed_manual_backup_is_audited_with_reason_and_folder(
    demo_ws: Workspace, chair: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(engine: object, dest: Path, key: bytes | None) -> None:
        raise sqlcipher3.dbapi2.OperationalError("database or disk is full")

    monkeypatch.setattr("stepdesk.services.backup.copy_pages", disk_full)
    with pytest.raises(DatabaseError, match="the disk is full"):
        backup(demo_ws, chair, tmp_path / "usb" / "weekly.db")
    [event] = _failed(demo_ws)
    assert (event.entity, event.entity_id, event.user_id) == ("database", None, chair.user_id)
    assert event.detail["reason"] == "the disk is full"
    assert event.detail["folder"] == str((tmp_path / "usb").resolve())
    assert event.detail["file"] == "weekly.db"
    assert event.detail["error"].startswith("Cannot write the backup weekly.db")
    # A backup that works is recorded as a backup, and adds no failure.
    monkeypatch.undo()
    backup(demo_ws, chair, tmp_path / "usb" / "weekly.db")
    assert len(_failed(demo_ws)) == 1


def test_the_command_line_backup_failure_is_audited(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    assert main(["backup", "--db", str(demo_path), "-o", str(blocker / "b.db")]) != 0
    assert "Cannot write the backup b.db" in capsys.readouterr().err
    db = open_database(demo_path)
    try:
        with db.session() as s:
            events = s.scalars(select(AuditEvent).where(AuditEvent.action == "backup_failed")).all()
            assert [(e.entity, e.detail["folder"], e.detail["file"]) for e in events] == [
                ("database", str(blocker), "b.db")
            ]
            assert events[0].detail["reason"]
    finally:
        db.close()
