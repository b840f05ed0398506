"""A --db in a folder that does not exist: a message naming the folder and the fix, not
"Cannot create the lock file …", from the lock itself, so the app and the CLI both say it."""

from __future__ import annotations

from pathlib import Path

import pytest

from stepdesk.cli import main
from stepdesk.errors import DatabaseError
from stepdesk.persistence import in_use


def test_holding_a_database_in_a_missing_folder_names_the_folder_and_the_fix(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "no" / "such"
    with pytest.raises(DatabaseError) as raised:
        in_use.hold(missing / "panel.db")
    message = str(raised.value)
    assert "Cannot create the lock file" not in message
    assert f"The folder {missing} does not exist" in message
    assert "Create the folder first" in message and "choose another path" in message
    assert not missing.exists()  # nothing made behind the user's back


def test_a_file_where_the_folder_should_be_is_named_too(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file")
    with pytest.raises(DatabaseError, match=r"notes\.txt is a file, not a folder"):
        in_use.hold(blocker / "panel.db")


def test_the_command_line_says_which_folder_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "gone"
    backup = tmp_path / "copy.db"
    backup.write_bytes(b"")
    assert main(["restore", str(backup), "--db", str(missing / "panel.db")]) != 0
    err = capsys.readouterr().err
    assert f"The folder {missing} does not exist" in err
    assert "Cannot create the lock file" not in err
