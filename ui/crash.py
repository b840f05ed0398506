"""What happens on a bug: a plain dialog saying what to do, and a log for support.

As qutebrowser does it: :func:`install` puts :func:`handle` in ``sys.excepthook`` (an exception
no code expected, on the GUI thread or delivered there by :mod:`ui.ops`), sends Qt's own
critical and fatal messages to the same log, and turns ``faulthandler`` on into a file beside
it, so that even a hard crash (a segfault in Qt) leaves its stack behind.

The log holds no personal data: the exception's *type* and where it happened (module, line,
function) and the versions, never the exception's text, local variables or file paths of the
user's folders (a message may quote a child's name or a path under a person's home).
"""

from __future__ import annotations

import datetime as dt
import faulthandler
import platform
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import platformdirs
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QMessageLogContext, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from stepdesk import APP_NAME, __version__

OUR_PACKAGES = ("stepdesk", "ui", "reports")
_fault_file: IO[str] | None = None
_previous: dict[str, Any] = {}


def log_folder() -> Path:
    """The platform's user log folder for StepDesk (made if missing)."""
    folder = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _where(filename: str) -> str:
    """A frame's file without the folders above the package (no user names in paths)."""
    parts = Path(filename).parts
    for i, part in enumerate(parts):
        if part in OUR_PACKAGES or part in ("PySide6", "sqlalchemy", "reportlab"):
            return "/".join(parts[i:])
    return Path(filename).name


def report(exc_type: type[BaseException], tb: TracebackType | None) -> str:
    """The crash report: versions, the exception's type and the stack, nothing personal."""
    lines = [
        f"{APP_NAME} {__version__} crashed at {dt.datetime.now():%d/%m/%Y %H:%M:%S}",
        f"Python {platform.python_version()}, PySide6 {pyside_version}, {platform.system()} "
        f"{platform.release()}",
        f"Error: {exc_type.__module__}.{exc_type.__qualname__} (its message is left out: it may "
        "hold personal data)",
        "Stack, most recent call last:",
    ]
    for frame in traceback.extract_tb(tb):
        lines.append(f"  {_where(frame.filename)}:{frame.lineno} in {frame.name}")
    return "\n".join(lines) + "\n"


def write_log(text: str, folder: Path | None = None) -> Path:
    """Write one crash report to its own file in the log folder; returns the file."""
    folder = folder or log_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"crash-{dt.datetime.now():%Y%m%d-%H%M%S-%f}.log"
    path.write_text(text, encoding="utf-8")
    return path


class CrashDialog:
    """The plain message after a bug: what happened, what is safe, what to do."""

    @classmethod
    def ask(cls, log: Path | None, parent: QWidget | None = None) -> bool:
        """Show the message; ``True`` if the person chose to quit (tests monkeypatch this)."""
        where = f"\n\nA report for support was saved as:\n{log}" if log else ""
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "StepDesk met a problem",
            "Something went wrong inside StepDesk. This is a fault in StepDesk, not something "
            "you did.\n\nEverything shown as saved is safe: StepDesk saves each change as it "
            "is made.\n\nWhat to do: choose Quit and open StepDesk again. If it happens again, "
            "tell your IT support what you were doing and send them the report (it holds no "
            f"names or case details).{where}",
            parent=parent,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAccessibleName("StepDesk met a problem")
        quit_button = box.addButton("&Quit StepDesk", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("&Keep working", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(quit_button)
        box.exec()
        return box.clickedButton() is quit_button


def handle(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    *,
    folder: Path | None = None,
) -> Path | None:
    """``sys.excepthook``: log the bug, tell the person, quit if they choose to."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return None
    try:
        log: Path | None = write_log(report(exc_type, tb), folder)
    except OSError:
        log = None  # a full disk must not turn a bug into a second crash
    traceback.print_exception(exc_type, exc, tb)  # for a developer's console
    app = QApplication.instance()
    if isinstance(app, QApplication) and CrashDialog.ask(log, app.activeWindow()):
        app.exit(1)
    return log


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
        # Qt's text names a class or a file of Qt's, not the user's data.
        try:
            with (log_folder() / "qt.log").open("a", encoding="utf-8") as out:
                out.write(f"{dt.datetime.now():%d/%m/%Y %H:%M:%S} {kind.name}: {message}\n")
        except OSError:
            pass
    previous: Callable[..., None] | None = _previous.get("qt")
    if previous is not None:
        previous(kind, context, message)
    else:
        print(message, file=sys.stderr)


def install(folder: Path | None = None) -> Path:
    """Turn the crash handler, Qt's message log and ``faulthandler`` on; returns the folder."""
    global _fault_file
    folder = folder or log_folder()
    folder.mkdir(parents=True, exist_ok=True)
    _previous.setdefault("hook", sys.excepthook)
    sys.excepthook = lambda t, e, tb: handle(t, e, tb, folder=folder)  # type: ignore[assignment]
    _previous.setdefault("qt", qInstallMessageHandler(_qt_message))
    if _fault_file is None:
        _previous["fault"] = faulthandler.is_enabled()
        _fault_file = (folder / "faults.log").open("a", encoding="utf-8")
        faulthandler.enable(file=_fault_file, all_threads=True)
    return folder


def uninstall() -> None:
    """Put back what :func:`install` replaced (tests)."""
    global _fault_file
    if "hook" in _previous:
        sys.excepthook = _previous.pop("hook")
    if "qt" in _previous:
        qInstallMessageHandler(_previous.pop("qt"))
    if _fault_file is not None:
        faulthandler.disable()
        _fault_file.close()
        _fault_file = None
        if _previous.pop("fault", False) and sys.__stderr__ is not None:
            faulthandler.enable(file=sys.__stderr__)
