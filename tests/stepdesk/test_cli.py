"""The stepdesk command: output formats, and one clear line with exit code 2 on bad input."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from stepdesk import __version__
from stepdesk.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stepdesk", *args], capture_output=True, text=True, timeout=120
    )


def test_version() -> None:
    out = run("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"StepDesk {__version__}"


def test_panels_lists_one_tab_separated_line_per_panel(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["panels", "--db", str(demo_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    first = lines[0].split("\t")
    assert first[0] == "1"
    assert first[1] == "09/11/2026"
    assert first[2] == "CIN panel"
    assert first[3] == "finished"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["panels", "--db", "/nonexistent/x.db"], "no database at /nonexistent/x.db"),
        (["pdf", "minutes", "--db", "x.db", "--panel", "abc", "-o", "m.pdf"], "whole number"),
        (["frobnicate"], "invalid choice"),
        (["panels"], "--db"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], expected: str) -> None:
    out = run(*args)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert expected in lines[0]
    assert "Traceback" not in out.stderr


def test_missing_panel_is_one_line(demo_path: Path, tmp_path: Path) -> None:
    out = run(
        "pdf", "minutes", "--db", str(demo_path), "--panel", "99", "-o", str(tmp_path / "m.pdf")
    )
    assert out.returncode == 2
    assert out.stderr.strip() == (
        "stepdesk: error: No panel with id 99: run 'stepdesk panels' to list them."
    )
    assert not (tmp_path / "m.pdf").exists()


def test_demo_command_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "kept.db"
    target.write_bytes(b"keep me")
    out = run("demo", "--db", str(target))
    assert out.returncode == 2
    assert "already exists" in out.stderr
    assert target.read_bytes() == b"keep me"


def test_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00garbage" * 500)
    out = run("panels", "--db", str(junk))
    assert out.returncode == 2
    assert "not a StepDesk database" in out.stderr


def test_rules_lists_every_configured_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    ids = {row[0] for row in rows}
    assert {"C-CONSENT-DOWN", "T-CP-CIN-3M", "T-REEMERGE-3M"} <= ids
    assert all(len(row) == 4 and row[3] for row in rows)


@pytest.mark.parametrize("profile", ["default", "learning-disability"])
def test_rules_lists_every_domain_id_with_its_status(
    profile: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from stepdesk.domain import RULE_IDS

    assert main(["rules", "--profile", profile]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert {row[0] for row in rows} == set(RULE_IDS)
    kinds = {row[1] for row in rows}
    assert kinds <= {"block", "warn", "info", "deadline", "not applicable"}
    assert "not applicable" in kinds
    for row in rows:
        assert len(row) == 4 and row[2] and row[3], row


def test_rules_ld_profile_shows_reasons_and_override(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--profile", "learning-disability"]) == 0
    rows = {row[0]: row for row in (ln.split("\t") for ln in capsys.readouterr().out.splitlines())}
    assert rows["T-ICPC-15D"][1] == "not applicable"
    assert "children" in rows["T-ICPC-15D"][2]
    assert rows["C-FAMILY-INFORMED"][1] == "block"
    assert "Override: chair." in rows["C-FAMILY-INFORMED"][2]


def test_check_lists_deadlines_with_rag(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--db", str(demo_path), "--as-of", "23/11/2026"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert rows
    assert all(len(row) == 5 for row in rows)
    assert {row[1] for row in rows} <= {"done", "on track", "due soon", "overdue"}
    rules = {row[2] for row in rows}
    assert {"T-FORM-48H", "T-AGENDA-24H", "T-CIN-REVIEW-4W", "T-MINUTES-48H"} <= rules
    dues = [dt.datetime.strptime(row[0], "%d/%m/%Y %H:%M") for row in rows]
    assert dues == sorted(dues)


def test_check_refuses_an_impossible_date(demo_path: Path) -> None:
    out = run("check", "--db", str(demo_path), "--as-of", "31/02/2026")
    assert out.returncode == 2
    assert "'31/02/2026' is not a date" in out.stderr
