"""Start the GUI: ``run(ws, actor)`` shows the main window and runs the event loop."""

from __future__ import annotations

import sys
from importlib.resources import files

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from stepdesk import __version__
from stepdesk.services.workspace import Actor, Workspace
from ui.main_window import MainWindow

STYLESHEET = files("resources") / "styles" / "stepdesk.qss"
ICON = files("resources") / "icons" / "stepdesk.svg"


def load_stylesheet() -> str:
    """The shipped stylesheet (colours and spacing only: the system font size is kept)."""
    return STYLESHEET.read_text(encoding="utf-8")


def application() -> QApplication:
    """The running QApplication, or a new one named StepDesk with its stylesheet applied."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("StepDesk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("StepDesk")
    app.setWindowIcon(QIcon(str(ICON)))
    app.setStyleSheet(load_stylesheet())
    return app


def run(ws: Workspace, actor: Actor) -> int:
    """Show the main window on ``ws``, acting as ``actor``; returns the exit code."""
    app = application()
    window = MainWindow(ws, actor)
    window.show()
    return app.exec()
