"""Auto-lock: after a spell with no keyboard or mouse use, the window's contents are replaced.

The lock screen takes the place of the main window's contents (and covers any open dialog,
whose typing is kept), the menus and shortcuts are switched off, and the clipboard is
cleared. Unlocking needs the signed-in person's password; locking and unlocking (and a
wrong password) are audited by the accounts service.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from stepdesk.domain import Role
from stepdesk.errors import StepDeskError
from stepdesk.services.accounts import record_lock, verify_password
from stepdesk.services.workspace import Actor, Workspace
from ui.widgets import heading, plain_label, set_style_property

if TYPE_CHECKING:
    from ui.main_window import MainWindow

DEFAULT_LOCK_MINUTES = 5
LOCK_VARIABLE = "STEPDESK_LOCK_MINUTES"

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


def lock_minutes(given: int | None = None) -> int:
    """Minutes of idleness before locking: the option, else STEPDESK_LOCK_MINUTES, else 5."""
    if given:
        return given
    try:
        value = int(os.environ.get(LOCK_VARIABLE, DEFAULT_LOCK_MINUTES))
    except ValueError:
        return DEFAULT_LOCK_MINUTES
    return value if value > 0 else DEFAULT_LOCK_MINUTES


class LockScreen(QWidget):
    """What the window shows while locked: who is signed in, and a password box."""

    def __init__(self, actor: Actor, parent: Any = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Locked")
        try:
            role = Role(actor.role).label
        except ValueError:
            role = actor.role
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.password.setPlaceholderText("Password")
        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setAccessibleName("Unlock")
        self.unlock_button.setObjectName("primary")
        self.quit_button = QPushButton("&Quit StepDesk")
        self.quit_button.setAccessibleName("Quit StepDesk")
        self.message = plain_label(name="Unlock message")
        set_style_property(self.message, "kind", "error")
        self.message.hide()
        self.password.returnPressed.connect(self.unlock_button.click)

        box = QWidget()
        box.setMaximumWidth(460)
        inner = QVBoxLayout(box)
        inner.addWidget(heading("StepDesk is locked", scale=1.5))
        inner.addWidget(
            plain_label(
                f"Signed in as {actor.name} ({role}). Nothing is lost: type your password "
                "to carry on where you were.",
                name="Who is signed in",
            )
        )
        inner.addWidget(self.password)
        inner.addWidget(self.message)
        row = QHBoxLayout()
        row.addWidget(self.quit_button)
        row.addStretch(1)
        row.addWidget(self.unlock_button)
        inner.addLayout(row)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        centre = QHBoxLayout()
        centre.addStretch(1)
        centre.addWidget(box, 3)
        centre.addStretch(1)
        outer.addLayout(centre)
        outer.addStretch(2)

    def fail(self, text: str) -> None:
        """Say why it did not unlock."""
        self.message.setText(text)
        self.message.show()
        self.password.clear()
        self.password.setFocus()


class _Curtain(QWidget):
    """Covers an open dialog while locked, so its contents cannot be read."""

    def __init__(self, dialog: QWidget) -> None:
        super().__init__(dialog)
        self.setAutoFillBackground(True)
        self.setAccessibleName("Locked")
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label("Locked: unlock StepDesk in its main window.", name="Locked"),
            0,
            Qt.AlignmentFlag.AlignCenter,
        )
        self.setGeometry(dialog.rect())
        self.raise_()
        self.show()


class IdleLock(QObject):
    """Watches the application for input; locks ``window`` after ``minutes`` without any."""

    def __init__(self, window: MainWindow, ws: Workspace, actor: Actor, minutes: int) -> None:
        super().__init__(window)
        self.window = window
        self.ws = ws
        self.actor = actor
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(minutes * 60_000)
        self.timer.timeout.connect(self.lock)
        self.screen: LockScreen | None = None
        self._contents: QWidget | None = None
        self._menu_was_enabled = True
        self._actions: list[tuple[QAction, bool]] = []
        self._curtains: list[tuple[QWidget, _Curtain]] = []
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    @property
    def locked(self) -> bool:
        """Whether the lock screen is showing."""
        return self.screen is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Any keyboard or mouse use restarts the idle timer (while unlocked)."""
        if event.type() in _ACTIVITY and not self.locked:
            self.timer.start()
        return False

    def lock(self) -> None:
        """Replace the window's contents with the lock screen; clear the clipboard."""
        if self.locked:
            return
        w = self.window
        w.notes.flush()  # what was typed is saved before it disappears from view
        QGuiApplication.clipboard().clear()
        self._contents = w.takeCentralWidget()
        if self._contents is not None:
            # Still the window's child (hidden): it lives and dies with the window, so its
            # views never outlive the models they show.
            self._contents.setParent(w)
            self._contents.hide()
        self.screen = LockScreen(self.actor)
        self.screen.unlock_button.clicked.connect(self.try_unlock)
        self.screen.quit_button.clicked.connect(w.close)
        w.setCentralWidget(self.screen)
        self._menu_was_enabled = w.menuBar().isEnabled()
        w.menuBar().setEnabled(False)
        w.statusBar().hide()  # its last message may name a child
        self._actions = [(a, a.isEnabled()) for a in w.findChildren(QAction)]
        for action, _ in self._actions:
            action.setEnabled(False)
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                self._curtains.append((widget, _Curtain(widget)))
                widget.setEnabled(False)
        self.screen.password.setFocus()
        try:
            record_lock(self.ws, self.actor)
        except StepDeskError as error:
            self.screen.fail(f"(The lock could not be recorded: {error})")

    def try_unlock(self) -> None:
        """Check the password (audited) and put the window back as it was."""
        screen = self.screen
        if screen is None:
            return
        try:
            ok = verify_password(self.ws, self.actor, screen.password.text())
        except StepDeskError as error:
            screen.fail(str(error))
            return
        if not ok:
            screen.fail("That is not your password. Check Caps Lock and try again.")
            return
        w = self.window
        w.takeCentralWidget()
        screen.deleteLater()
        self.screen = None
        if self._contents is not None:
            w.setCentralWidget(self._contents)
            self._contents.show()
        self._contents = None
        w.menuBar().setEnabled(self._menu_was_enabled)
        w.statusBar().show()
        for action, enabled in self._actions:
            action.setEnabled(enabled)
        self._actions = []
        for dialog, curtain in self._curtains:
            curtain.deleteLater()
            dialog.setEnabled(True)
        self._curtains = []
        self.timer.start()
