"""File → Back up now…: an encrypted copy of the open database, where the user chooses.

Offered to the roles that may back up (``database.backup``: administrator, chair and
co-ordinator). The copy is made by :func:`stepdesk.services.backup.backup` (online backup
API, still encrypted, key slots beside it as ``FILE.keys``, audited); the status bar says
where it went, or, in red, why it could not be made and what to do.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QAction

from stepdesk.services.backup import BackupResult, backup
from stepdesk.services.changes import Operation
from stepdesk.services.permissions import allowed
from stepdesk.services.workspace import Actor, Workspace
from ui import ops
from ui.dialogs import SaveFileDialog

if TYPE_CHECKING:
    from ui.host import PageHost

FILE_FILTER = "StepDesk backups (*.db)"


def suggested_path(ws: Workspace) -> Path:
    """Documents/NAME-backup-YYYYMMDD-HHMM.db (the user's Documents folder, else home)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    stem = ws.db.path.stem if ws.db.path is not None else "stepdesk"
    return Path(folder or Path.home()) / f"{stem}-backup-{ws.now():%Y%m%d-%H%M}.db"


def back_up_now(window: PageHost, ws: Workspace, actor: Actor) -> ops.Pending[BackupResult] | None:
    """Ask where, write the backup on the worker, and say in the status bar where it went."""
    window.notes.flush()  # notes typed a moment ago belong in the copy
    chosen = SaveFileDialog.ask(window, "Back up the database", suggested_path(ws), FILE_FILTER)
    if chosen is None:
        return None
    if not chosen.suffix:
        chosen = chosen.with_suffix(".db")
    target = chosen

    def made(done: BackupResult) -> None:
        kind = "Encrypted backup" if ws.db.key is not None else "Backup"
        keys = f", with its key file {done.path.name}.keys" if ws.db.key is not None else ""
        window.show_message(
            f"{kind} saved to {done.path}{keys} ({done.rows} rows, checked). "
            "Store it as safely as the database itself."
        )

    return ops.run(
        Operation("database.backup", {"file": str(target)}),
        lambda: backup(ws, actor, target),
        success=made,
        fails_as="Backup NOT made",
        busy="Backing up the database…",
    )


def install(window: PageHost, ws: Workspace, actor: Actor) -> QAction | None:
    """File → Back up now… for the roles that may back up; ``None`` for the others.

    A server (PostgreSQL) database is backed up by the server's own tools: no action.
    """
    if ws.db.path is None or not allowed(actor, "database.backup"):
        return None
    action = QAction("&Back up now…", window)
    action.setToolTip("Save an encrypted copy of this database to a file you choose")
    action.setStatusTip("Save an encrypted copy of this database to a file you choose")
    action.triggered.connect(lambda: back_up_now(window, ws, actor))
    window.addAction(action)
    menu = window.menu("&File")
    # Before the separator that leads to Quit (the last two entries), so Quit stays last.
    entries = menu.actions()
    menu.insertAction(entries[-2] if len(entries) >= 2 else None, action)  # type: ignore[arg-type]
    return action
