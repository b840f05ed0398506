"""Fixtures for GUI tests: the main window on the demo database, and ways to drive it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSettings
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCalendarWidget,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from stepdesk.services import Actor, Workspace
from ui import theme
from ui.app import load_stylesheet
from ui.main_window import MainWindow
from ui.models import ROW_ROLE

# Qt's offscreen platform says this whenever a window is shown; it is not our warning.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"

# The CIN panel of the demo, and its third item: a step-down to Early Help of a child who
# left a Child Protection plan on 03/11/2026, so T-CP-CIN-3M blocks until 03/02/2027.
CIN_PANEL = 3
BLOCKED_ITEM = 19


@pytest.fixture(autouse=True)
def _own_settings(tmp_path: Path) -> Iterator[None]:
    """Settings (theme, text size) in the test's own folder; the app's look put back after."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    yield
    theme.discard()


@pytest.fixture(autouse=True)
def _crash_logs_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The crash handler (installed by ui.app.start) logs into the test's folder, and is
    taken off again after the test: pytest-qt keeps its own hooks."""
    from ui import crash

    monkeypatch.setattr(crash, "log_folder", lambda: tmp_path / "logs")
    yield
    crash.uninstall()


@pytest.fixture(autouse=True)
def _ops_inline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Operations run at once (through the same success/failure/changed path) so a test can
    check the screen right after a click; ``threaded_ops`` puts the worker back."""
    from ui.ops import Ops

    monkeypatch.setattr(Ops, "inline", True)


@pytest.fixture
def threaded_ops(_ops_inline: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Operations on the real worker thread, as in the running app."""
    from ui.ops import Ops

    monkeypatch.setattr(Ops, "inline", False)


def select_row(view: QTableView, row_id: int) -> None:
    """Make the row showing the record ``row_id`` current, as a click would."""
    model = view.model()
    for number in range(model.rowCount()):
        index = model.index(number, 0)
        if index.data(ROW_ROLE).id == row_id:
            view.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            return
    raise AssertionError(f"no row with id {row_id} in {view.accessibleName()}")


def current_id(view: QTableView) -> int | None:
    """The id of the current row's record."""
    index: QModelIndex = view.currentIndex()
    return index.data(ROW_ROLE).id if index.isValid() else None


def unnamed_controls(root: QWidget) -> list[str]:
    """Controls a screen reader could not name (Qt's own sub-widgets aside)."""
    kinds = (
        QAbstractButton,
        QLineEdit,
        QPlainTextEdit,
        QComboBox,
        QAbstractSpinBox,
        QAbstractItemView,
    )
    inner = (QComboBox, QAbstractSpinBox, QCalendarWidget)
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, kinds) or isinstance(widget, QHeaderView):
            continue
        parent, is_inner = widget.parentWidget(), False
        while parent is not None:
            is_inner = is_inner or isinstance(parent, inner)
            parent = parent.parentWidget()
        qt_own = widget.objectName().startswith("qt_")  # e.g. the table's corner button
        if not is_inner and not qt_own and not widget.accessibleName():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def open_window(qtbot: QtBot, ws: Workspace, actor: Actor, *, active: bool = False) -> MainWindow:
    """The main window as ``actor`` sees it, styled as shipped, at the size of a modest laptop.

    ``active``: also make it the active window (shortcuts reach only the active window).
    """
    win = MainWindow(ws, actor)
    win.setStyleSheet(load_stylesheet())
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    if active:
        win.activateWindow()
        qtbot.waitUntil(win.isActiveWindow)
    return win


@pytest.fixture
def window(qtbot: QtBot, demo_ws: Workspace, chair: Actor) -> MainWindow:
    """The main window on a fresh demo, as the chair sees it."""
    return open_window(qtbot, demo_ws, chair)
