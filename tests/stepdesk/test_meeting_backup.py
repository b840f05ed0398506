"""The automatic encrypted backup when a meeting is finished (issue 5): made into
``backups/`` beside the database, the profile's newest N kept, and a failure never undoes the
finish: it is audited and reported in the result."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import select

from stepdesk.persistence import database
from stepdesk.persistence.keystore import keyfile_for
from stepdesk.persistence.models import AuditEvent, Panel
from stepdesk.services import Actor, Workspace, accounts
from stepdesk.services.backup import check_file
from stepdesk.services.meeting import FinishResult, finish_meeting, start_meeting
from tests.trust_fixtures import EncryptedDemo

# Backups copy the SQLite file; a server database is backed up with pg_dump.
pytestmark = pytest.mark.sqlite_only

STEP_PANEL = 2  # the demo's step-up/down meeting on 25/11/2026; eight items


def _finish(ws: Workspace, actor: Actor) -> FinishResult:
    start_meeting(ws, actor, STEP_PANEL)
    return finish_meeting(ws, actor, STEP_PANEL, "Ran out of time")


def _status_in(path: Path) -> str:
    copy = sqlite3.connect(path)
    try:
        row = copy.execute("SELECT status FROM panel WHERE id = ?", (STEP_PANEL,)).fetchone()
        return str(row[0])
    finally:
        copy.close()


def _audited(ws: Workspace, action: str) -> list[AuditEvent]:
    with ws.db.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_finishing_a_meeting_backs_up_the_finished_database(
    demo_ws: Workspace, chair: Actor
) -> None:
    start_meeting(demo_ws, chair, STEP_PANEL)
    result = finish_meeting(demo_ws, chair, STEP_PANEL, "Ran out of time")
    folder = demo_ws.db.path.parent / "backups"  # type: ignore[union-attr]
    made = list(folder.glob("*.db"))
    assert made == [result.backup.path]
    assert made[0].name == "demo-after-meeting-20261123-090000.db"
    assert not result.backup.failed
    assert result.backup.text() == f"Backup saved to {made[0]}."  # the tests' db is plain
    # The backup holds the meeting as finished, and every table.
    assert _status_in(made[0]) == "finished"
    assert check_file(made[0], None)["agenda_item"] > 0
    backups = _audited(demo_ws, "backup")
    assert [(e.user_id, e.detail["file"]) for e in backups] == [(chair.user_id, made[0].name)]


def test_only_the_profiles_newest_backups_are_kept(demo_ws: Workspace, chair: Actor) -> None:
    demo_ws.profile = dataclasses.replace(demo_ws.profile, meeting_backups=2)
    folder = demo_ws.db.path.parent / "backups"  # type: ignore[union-attr]
    folder.mkdir()
    for number in range(3):
        old = folder / f"demo-after-meeting-2026110{number + 1}-170000.db"
        old.write_bytes(b"an older backup")
        os.utime(old, ns=(number * 10**9, number * 10**9))
    mine = folder / "someone-elses-file.db"
    mine.write_bytes(b"not ours to delete")
    result = _finish(demo_ws, chair)
    assert sorted(p.name for p in folder.glob("*.db")) == [
        "demo-after-meeting-20261103-170000.db",
        "demo-after-meeting-20261123-090000.db",
        "someone-elses-file.db",
    ]
    assert result.backup.path == folder / "demo-after-meeting-20261123-090000.db"


def test_a_failed_backup_keeps_the_finish_and_is_reported_and_audited(
    demo_ws: Workspace, chair: Actor
) -> None:
    # A file where the backups folder should be: the backup cannot be written.
    blocker = demo_ws.db.path.parent / "backups"  # type: ignore[union-attr]
    blocker.write_text("in the way")
    start_meeting(demo_ws, chair, STEP_PANEL)
    result = finish_meeting(demo_ws, chair, STEP_PANEL, "Ran out of time")
    assert result.state.status == "finished"
    assert result.backup.failed and result.backup.path is None
    assert result.backup.text().startswith("Automatic backup FAILED: Cannot write the backup")
    assert "The meeting is finished and saved" in result.backup.text()
    with demo_ws.db.session() as s:
        panel = s.get(Panel, STEP_PANEL)
        assert panel is not None and panel.status == "finished"
    failed = _audited(demo_ws, "backup_failed")
    assert [(e.entity, e.entity_id, e.user_id) for e in failed] == [
        ("panel", STEP_PANEL, chair.user_id)
    ]
    assert "Cannot write the backup" in failed[0].detail["error"]
    assert _audited(demo_ws, "finish") and not _audited(demo_ws, "backup")


def test_an_unexpected_backup_error_is_reported_not_raised(
    demo_ws: Workspace, chair: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*args: object) -> None:
        raise sqlcipher3.dbapi2.OperationalError("database or disk is full")

    monkeypatch.setattr(database, "copy_pages", disk_full)
    monkeypatch.setattr("stepdesk.services.backup.copy_pages", disk_full)
    result = _finish(demo_ws, chair)
    assert result.state.status == "finished"
    assert result.backup.error is not None
    assert "the disk is full. Free some space there" in result.backup.error
    assert len(_audited(demo_ws, "backup_failed")) == 1


def test_no_backup_when_the_profile_turns_them_off(demo_ws: Workspace, chair: Actor) -> None:
    demo_ws.profile = dataclasses.replace(demo_ws.profile, meeting_backups=0)
    result = _finish(demo_ws, chair)
    assert result.backup.path is None and not result.backup.failed
    assert "meeting_backups = 0" in result.backup.text()
    assert not (demo_ws.db.path.parent / "backups").exists()  # type: ignore[union-attr]


def test_the_backup_of_an_encrypted_database_is_encrypted_with_its_key_slots(
    encrypted_demo: EncryptedDemo,
) -> None:
    ws, coordinator = accounts.sign_in(encrypted_demo.path, "coordinator", encrypted_demo.password)
    try:
        result = _finish(ws, coordinator)
        made = result.backup.path
        assert made is not None and made.parent == encrypted_demo.path.parent / "backups"
        assert not made.read_bytes().startswith(b"SQLite format 3")
        assert keyfile_for(made).exists()
        assert result.backup.text().startswith("Encrypted backup saved to ")
    finally:
        ws.db.close()
    copy, _ = accounts.sign_in(made, "chair", encrypted_demo.password)
    try:
        with copy.db.session() as s:
            panel = s.get(Panel, STEP_PANEL)
            assert panel is not None and panel.status == "finished"
    finally:
        copy.db.close()
