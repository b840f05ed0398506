"""First run: create the encrypted database and its administrator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from stepdesk.errors import StepDeskError
from stepdesk.services.accounts import MIN_PASSWORD_LENGTH, create_database
from stepdesk.services.workspace import Actor, Workspace
from ui.widgets import heading, ok_cancel, plain_label, set_style_property


class RecoveryKeyDialog:
    """Shows the recovery key, once."""

    @classmethod
    def ask(cls, parent: QWidget | None, recovery_key: str) -> None:
        """Show the key in a selectable box until it is acknowledged."""
        box = QMessageBox(parent)
        box.setWindowTitle("Recovery key")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setText(
            "Print or write down this recovery key and lock it away. It opens the database "
            "if every password is forgotten. It is shown only now and is not stored anywhere."
        )
        box.setInformativeText(recovery_key)
        box.setTextInteractionFlags(box.textInteractionFlags())
        box.exec()


class FirstRunDialog(QDialog):
    """Administrator's name, login and password; optionally a recovery key."""

    def __init__(self, path: Path, parent: Any = None) -> None:
        super().__init__(parent)
        self.path = path
        self.result_value: tuple[Workspace, Actor] | None = None
        self.setWindowTitle("Set up StepDesk")
        self.setAccessibleName("Set up StepDesk")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Set up StepDesk", scale=1.3))
        layout.addWidget(
            plain_label(
                f"A new, encrypted database will be made at {path}. Its first account is the "
                "administrator, who adds everyone else.",
                name="What happens",
            )
        )
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName("Administrator's name")
        self.login = QLineEdit("admin")
        self.login.setAccessibleName("Login name")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.password.setPlaceholderText(f"at least {MIN_PASSWORD_LENGTH} characters")
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again.setAccessibleName("Password again")
        self.recovery = QCheckBox("Make a &recovery key (shown once, to print)")
        self.recovery.setAccessibleName("Make a recovery key")
        self.recovery.setChecked(True)
        form.addRow("&Name", self.name)
        form.addRow("&Login name", self.login)
        form.addRow("&Password", self.password)
        form.addRow("Password &again", self.again)
        layout.addLayout(form)
        layout.addWidget(self.recovery)
        self.message = plain_label(name="Set-up message")
        set_style_property(self.message, "kind", "error")
        self.message.hide()
        layout.addWidget(self.message)
        buttons, _ = ok_cancel("&Create", self.create, self.reject, cancel_text="&Quit")
        layout.addWidget(buttons)

    def _fail(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def create(self) -> None:
        """Make the database; on a problem, say which field to fix and stay open."""
        if self.password.text() != self.again.text():
            self._fail("Password again: the two passwords differ.")
            return
        try:
            db, admin, recovery = create_database(
                self.path,
                name=self.name.text(),
                username=self.login.text(),
                password=self.password.text(),
                recovery=self.recovery.isChecked(),
            )
        except StepDeskError as error:
            self._fail(str(error))
            return
        self.password.clear()
        self.again.clear()
        if recovery:
            RecoveryKeyDialog.ask(self, recovery)
        ws = Workspace(db, user=admin)
        self.result_value = (ws, admin)
        self.accept()

    @classmethod
    def ask(cls, path: Path, parent: QWidget | None = None) -> tuple[Workspace, Actor] | None:
        """The new workspace and its administrator, or ``None`` if they quit."""
        dialog = cls(path, parent)
        dialog.exec()
        return dialog.result_value
