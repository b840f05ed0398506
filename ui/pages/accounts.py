"""Accounts: the administrator adds people, resets passwords and deactivates accounts.

Everyone gets *Change my password…* in the File menu. Each button calls one service in
:mod:`stepdesk.services.accounts`, which checks the role and keeps the key slots in step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from stepdesk.domain import Role
from stepdesk.errors import StepDeskError
from stepdesk.services.accounts import (
    AccountView,
    change_password,
    create_user,
    deactivate,
    list_accounts,
    set_password,
)
from stepdesk.services.permissions import allowed
from stepdesk.services.workspace import Actor, Workspace
from ui.models import ROW_ROLE
from ui.models.base import RowTableModel
from ui.widgets import heading, plain_label, set_style_property

if TYPE_CHECKING:
    from ui.host import PageHost


class PasswordPrompt:
    """Asks for a password (hidden as typed)."""

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, label: str) -> str | None:
        """The password typed, or ``None`` if cancelled."""
        text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
        return text if ok else None


class AccountsModel(RowTableModel[AccountView]):
    """One line per person with a login."""

    COLUMNS = ("Name", "Login", "Role", "Can sign in", "Password set")

    def display(self, row: AccountView, column: int) -> str:
        """The text of one cell."""
        try:
            role = Role(row.role).label
        except ValueError:
            role = row.role
        changed = row.password_changed_at
        return (
            row.name,
            row.username or "",
            role,
            "yes" if row.can_sign_in else ("no (inactive)" if not row.active else "no"),
            f"{changed:%d/%m/%Y %H:%M}" if changed else "never",
        )[column]


class AccountsPage(QWidget):
    """The accounts list, the add form, and reset / deactivate for the selected person."""

    def __init__(self, ws: Workspace, actor: Actor, parent: Any = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.actor = actor
        self.model = AccountsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Accounts")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.reset_button = QPushButton("&Reset password…")
        self.reset_button.setAccessibleName("Reset password")
        self.deactivate_button = QPushButton("&Deactivate")
        self.deactivate_button.setAccessibleName("Deactivate")

        self.name = QLineEdit()
        self.name.setAccessibleName("New person's name")
        self.login = QLineEdit()
        self.login.setAccessibleName("New person's login name")
        self.role = QComboBox()
        self.role.setAccessibleName("New person's role")
        for role in Role:
            self.role.addItem(role.label, role.value)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("New person's first password")
        self.add_button = QPushButton("&Add person")
        self.add_button.setAccessibleName("Add person")
        self.add_button.setObjectName("primary")
        self.status = plain_label(name="Accounts status", wrap=True)

        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Login name", self.login)
        form.addRow("Role", self.role)
        form.addRow("First password", self.password)
        form.addRow("", self.add_button)
        side = QVBoxLayout()
        side.addWidget(heading("Add a person"))
        side.addLayout(form)
        side.addWidget(
            plain_label(
                "They sign in with this password and should change it (File menu, Change my "
                "password). Their password also unlocks the encrypted database for them.",
                name="About passwords",
            )
        )
        side.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.deactivate_button)
        buttons.addStretch(1)
        main = QVBoxLayout()
        main.addWidget(heading("Accounts"))
        main.addWidget(self.table, 1)
        main.addLayout(buttons)
        main.addWidget(self.status)
        layout = QHBoxLayout(self)
        layout.addLayout(main, 3)
        layout.addLayout(side, 2)

        self.add_button.clicked.connect(self.add)
        self.reset_button.clicked.connect(self.reset)
        self.deactivate_button.clicked.connect(self.deactivate)
        self.refresh()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        set_style_property(self.status, "kind", "error" if error else "info")

    def _selected(self) -> AccountView | None:
        index = self.table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def refresh(self) -> None:
        """Read the accounts again."""
        try:
            self.model.set_rows(list_accounts(self.ws, self.actor))
        except StepDeskError as error:
            self._say(str(error), error=True)

    def add(self) -> None:
        """Create the account the form describes."""
        try:
            made = create_user(
                self.ws,
                self.actor,
                name=self.name.text(),
                username=self.login.text(),
                role=self.role.currentData(),
                password=self.password.text(),
            )
        except StepDeskError as error:
            self._say(str(error), error=True)
            return
        for field in (self.name, self.login, self.password):
            field.clear()
        self.refresh()
        self._say(f"{made.name} can now sign in as '{made.username}'.")

    def reset(self) -> None:
        """Set a new password for the selected person (their key slot is rewrapped)."""
        person = self._selected()
        if person is None:
            self._say("Choose a person in the list first.", error=True)
            return
        password = PasswordPrompt.ask(self, "Reset password", f"New password for {person.name}")
        if password is None:
            return
        try:
            set_password(self.ws, self.actor, person.id, password)
        except StepDeskError as error:
            self._say(str(error), error=True)
            return
        self.refresh()
        self._say(f"{person.name}'s password was reset. Tell them to change it.")

    def deactivate(self) -> None:
        """Stop the selected person signing in; their password no longer opens the file."""
        person = self._selected()
        if person is None:
            self._say("Choose a person in the list first.", error=True)
            return
        try:
            deactivate(self.ws, self.actor, person.id)
        except StepDeskError as error:
            self._say(str(error), error=True)
            return
        self.refresh()
        self._say(f"{person.name} can no longer sign in.")


def change_my_password(window: PageHost, ws: Workspace, actor: Actor) -> None:
    """Ask for the current and a new password (twice); say in the status bar how it went."""
    old = PasswordPrompt.ask(window, "Change my password", "Current password")
    if old is None:
        return
    new = PasswordPrompt.ask(window, "Change my password", "New password (10 characters or more)")
    if new is None:
        return
    again = PasswordPrompt.ask(window, "Change my password", "New password again")
    if again != new:
        window.show_message("The two new passwords differ; nothing was changed.", error=True)
        return
    try:
        change_password(ws, actor, old, new)
    except StepDeskError as error:
        window.show_message(str(error), error=True)
        return
    window.show_message("Your password was changed.")


def install(window: PageHost, ws: Workspace, actor: Actor) -> AccountsPage | None:
    """Add *Change my password…* for everyone and the Accounts page for administrators."""
    action = QAction("Change my &password…", window)
    action.setStatusTip("Change the password you sign in with")
    action.triggered.connect(lambda: change_my_password(window, ws, actor))
    window.menu("&File").insertAction(window.quit_action, action)
    window.change_password_action = action  # type: ignore[attr-defined]
    if actor.user_id is None or not allowed(actor, "accounts.manage"):
        return None
    page = AccountsPage(ws, actor)
    window.add_page(page, "A&ccounts")
    window.accounts_page = page  # type: ignore[attr-defined]
    return page
