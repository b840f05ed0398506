"""Start the GUI: sign in (or set up), then the main window and the event loop."""

from __future__ import annotations

import sys
from importlib.resources import files
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from stepdesk import __version__
from stepdesk.services import opening
from stepdesk.services.workspace import Actor, Workspace
from ui import crash, theme
from ui.main_window import MainWindow

ICON = files("resources") / "icons" / "stepdesk.svg"


def load_stylesheet() -> str:
    """The Light theme's style sheet (colours and spacing only: the system font size is kept)."""
    return theme.stylesheet(theme.LIGHT_COLOURS)


def application() -> QApplication:
    """The running QApplication, or a new one named StepDesk in the saved theme and text size."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("StepDesk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("StepDesk")
    app.setWindowIcon(QIcon(str(ICON)))
    # Fusion paints with the palette on every platform; the native Windows styles draw some
    # controls light whatever the palette, which would leave light islands in Dark.
    app.setStyle("Fusion")
    theme.manager().apply()
    return app


def run(ws: Workspace, actor: Actor, lock_after: int | None = None) -> int:
    """Show the main window on ``ws``, acting as ``actor``; returns the exit code.

    The window locks itself after ``lock_after`` idle minutes (default 5).
    """
    from ui.lock import IdleLock, lock_minutes

    app = application()
    window = MainWindow(ws, actor)
    lock = IdleLock(window, ws, actor, lock_minutes(lock_after))  # noqa: F841 (kept alive)
    window.show()
    try:
        return app.exec()
    finally:
        ws.db.close()


def demo_hint() -> str:
    """What the sign-in dialog says on the demo: the logins and the documented password."""
    return (
        "This is the synthetic demo. Sign in as chair, coordinator, manager, worker, admin "
        f"or auditor; each has the password {opening.demo_password()}."
    )


def start(path: Path, *, demo: bool = False, lock_minutes: int | None = None) -> int:
    """Sign in to ``path`` (set it up first if it does not exist) and run the app.

    Raises:
        StepDeskError: the file is not encrypted (it has no key file beside it).
    """
    from stepdesk.errors import StepDeskError
    from ui.first_run_dialog import FirstRunDialog
    from ui.login_dialog import LoginDialog

    opening.check_openable(path)
    application()
    crash.install()  # a bug from here on: a plain dialog and a log without personal data
    try:
        # One StepDesk per database file; restore refuses while this is held.
        opened = opening.hold(path)
    except opening.DatabaseInUseError as error:
        AlreadyOpenMessage.show(str(error))
        return 1
    except StepDeskError as error:  # e.g. the database's folder does not exist
        CannotOpenMessage.show(str(error))
        return 1
    with opened:
        if not path.exists():
            signed = FirstRunDialog.ask(path)
        else:
            signed = LoginDialog.ask(
                path, hint=demo_hint() if demo else "", login="chair" if demo else ""
            )
        if signed is None:
            return 0
        ws, actor = signed
        return run(ws, actor, lock_minutes)


def _warn(title: str, text: str) -> None:
    """A plain-text warning box titled (and named, for screen readers) ``title``."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAccessibleName(title)
    box.exec()


class CannotOpenMessage:
    """Why StepDesk did not open the database (its folder is missing, or not writable)."""

    @classmethod
    def show(cls, text: str) -> None:
        """A warning box with ``text`` (tests monkeypatch this)."""
        _warn("StepDesk cannot open the database", text)


class AlreadyOpenMessage:
    """Why StepDesk did not open: the database is open in another StepDesk."""

    @classmethod
    def show(cls, text: str) -> None:
        """A warning box with ``text`` (tests monkeypatch this)."""
        _warn("StepDesk is already open", text)
