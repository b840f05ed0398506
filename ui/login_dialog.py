"""Signing in: the dialog that opens StepDesk on an encrypted database.

The dialog only gathers the login name and password; :func:`stepdesk.services.accounts.sign_in`
unwraps the key, opens the file and checks the password (and audits it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from stepdesk.errors import StepDeskError
from stepdesk.services.accounts import sign_in
from stepdesk.services.workspace import Actor, Workspace
from ui.widgets import heading, ok_cancel, plain_label, set_style_property


class LoginDialog(QDialog):
    """Login name and password for one database file."""

    def __init__(self, path: Path, *, hint: str = "", login: str = "", parent: Any = None) -> None:
        super().__init__(parent)
        self.path = path
        self.result_value: tuple[Workspace, Actor] | None = None
        self.setWindowTitle("Sign in to StepDesk")
        self.setAccessibleName("Sign in")
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Sign in to StepDesk", scale=1.3))
        layout.addWidget(plain_label(f"Database: {path}", name="Database"))
        self.hint = plain_label(hint, name="Hint")
        self.hint.setVisible(bool(hint))
        layout.addWidget(self.hint)
        form = QFormLayout()
        self.login = QLineEdit(login)
        self.login.setAccessibleName("Login name")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        form.addRow("&Login name", self.login)
        form.addRow("&Password", self.password)
        layout.addLayout(form)
        self.message = plain_label(name="Sign-in message")
        set_style_property(self.message, "kind", "error")
        self.message.hide()
        layout.addWidget(self.message)
        buttons, self.sign_in_button = ok_cancel(
            "&Sign in", self.try_sign_in, self.reject, cancel_text="&Quit"
        )
        layout.addWidget(buttons)
        (self.password if login else self.login).setFocus()

    def try_sign_in(self) -> None:
        """Open the database with what was typed; stay open with a message if it fails."""
        try:
            self.result_value = sign_in(self.path, self.login.text(), self.password.text())
        except StepDeskError as error:
            self.message.setText(str(error))
            self.message.show()
            self.password.clear()
            self.password.setFocus()
            return
        self.password.clear()
        self.accept()

    @classmethod
    def ask(
        cls, path: Path, *, hint: str = "", login: str = "", parent: QWidget | None = None
    ) -> tuple[Workspace, Actor] | None:
        """The open workspace and who signed in, or ``None`` if they quit."""
        dialog = cls(path, hint=hint, login=login, parent=parent)
        dialog.exec()
        return dialog.result_value
