"""`stepdesk effect-due`: the agreed transfers whose day has come, made as the signed-in user."""

from __future__ import annotations

import pytest

from stepdesk.cli import main
from tests.trust_fixtures import EncryptedDemo


def _as(user: str, demo: EncryptedDemo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEPDESK_USER", user)
    monkeypatch.setenv("STEPDESK_PASSWORD", demo.password)


def test_a_coordinator_makes_the_due_transfers_once(
    encrypted_demo: EncryptedDemo,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _as("coordinator", encrypted_demo, monkeypatch)
    assert main(["effect-due", "--db", str(encrypted_demo.path), "--as-of", "20/11/2026"]) == 0
    out, err = capsys.readouterr()
    lines = [line.split("\t") for line in out.splitlines()]
    assert lines and all(len(line) == 5 and line[0].startswith("C-") for line in lines)
    assert f"{len(lines)} transfer(s) made, 0 refused." in err
    # Done is done: a second run finds nothing left to effect.
    assert main(["effect-due", "--db", str(encrypted_demo.path)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "0 transfer(s) made, 0 refused." in err


def test_a_chair_is_refused_with_the_lifecycle_reason(
    encrypted_demo: EncryptedDemo,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _as("chair", encrypted_demo, monkeypatch)
    assert main(["effect-due", "--db", str(encrypted_demo.path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "may not make the transfer: that needs one of: manager" in err


def test_a_date_to_come_is_refused(
    encrypted_demo: EncryptedDemo,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _as("coordinator", encrypted_demo, monkeypatch)
    assert main(["effect-due", "--db", str(encrypted_demo.path), "--as-of", "01/01/2099"]) == 2
    assert "is after today" in capsys.readouterr().err
