"""``stepdesk pdf agenda``: a preview records nothing; ``--circulate`` records the
circulation for T-AGENDA-24H as the app's Agenda pack does, and refuses (writing nothing)
for a role that may not circulate or a meeting that has started."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from stepdesk.cli import main
from stepdesk.persistence.models import AuditEvent, Panel
from stepdesk.services import accounts
from stepdesk.services.meeting import start_meeting
from tests.trust_fixtures import EncryptedDemo

STEP_PANEL = 2  # planned, 25/11/2026 10:30


def _as(monkeypatch: pytest.MonkeyPatch, login: str, demo: EncryptedDemo) -> None:
    monkeypatch.setenv("STEPDESK_USER", login)
    monkeypatch.setenv("STEPDESK_PASSWORD", demo.password)


def _circulation(demo: EncryptedDemo) -> tuple[object, list[tuple[str, int | None]]]:
    ws, _ = accounts.sign_in(demo.path, "auditor", demo.password)
    try:
        with ws.db.session() as s:
            at = s.get_one(Panel, STEP_PANEL).agenda_circulated_at
            events = [
                (e.action, e.user_id)
                for e in s.scalars(
                    select(AuditEvent).where(AuditEvent.action.in_(["circulate", "recirculate"]))
                )
            ]
        return at, events
    finally:
        ws.db.close()


def _pdf(args: list[str], demo: EncryptedDemo, out: Path) -> int:
    return main(["pdf", "agenda", "--db", str(demo.path), "--panel", str(STEP_PANEL), "-o",
                 str(out), *args])  # fmt: skip


def test_a_preview_records_nothing_and_says_so(
    encrypted_demo: EncryptedDemo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _as(monkeypatch, "coordinator", encrypted_demo)
    assert _pdf([], encrypted_demo, tmp_path / "a.pdf") == 0
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    assert "a preview: not recorded as circulated" in capsys.readouterr().out
    assert _circulation(encrypted_demo) == (None, [])


def test_circulate_records_the_first_circulation_and_a_later_one_as_a_recirculation(
    encrypted_demo: EncryptedDemo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _as(monkeypatch, "coordinator", encrypted_demo)
    assert _pdf(["--circulate"], encrypted_demo, tmp_path / "a.pdf") == 0
    out = capsys.readouterr().out
    assert f"written to {tmp_path / 'a.pdf'}. Agenda circulated " in out
    assert "T-AGENDA-24H)." in out
    first, events = _circulation(encrypted_demo)
    assert first is not None and [action for action, _ in events] == ["circulate"]
    assert events[0][1] is not None  # the co-ordinator, not an anonymous system user
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")

    assert _pdf(["--circulate"], encrypted_demo, tmp_path / "b.pdf") == 0
    assert "re-circulated: the first circulation counts" in capsys.readouterr().out
    again, events = _circulation(encrypted_demo)
    assert again == first and [a for a, _ in events] == ["circulate", "recirculate"]


def test_circulate_is_refused_for_a_worker_and_writes_nothing(
    encrypted_demo: EncryptedDemo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _as(monkeypatch, "worker", encrypted_demo)
    assert _pdf(["--circulate"], encrypted_demo, tmp_path / "a.pdf") == 2
    assert "may not build panel agendas" in capsys.readouterr().err
    assert not (tmp_path / "a.pdf").exists()
    assert _circulation(encrypted_demo) == (None, [])


def test_circulate_is_refused_once_the_meeting_has_started(
    encrypted_demo: EncryptedDemo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ws, chair = accounts.sign_in(encrypted_demo.path, "chair", encrypted_demo.password)
    try:
        start_meeting(ws, chair, STEP_PANEL)
    finally:
        ws.db.close()
    _as(monkeypatch, "chair", encrypted_demo)
    assert _pdf(["--circulate"], encrypted_demo, tmp_path / "a.pdf") == 2
    error = capsys.readouterr().err
    assert "meeting is in progress: its agenda is no longer circulated" in error
    assert "leave out --circulate for a copy" in error
    assert not (tmp_path / "a.pdf").exists()
    assert _circulation(encrypted_demo) == (None, [])
