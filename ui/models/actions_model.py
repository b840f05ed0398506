"""The follow-up actions typed into the decision dialog: an editable table."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any, ClassVar

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal

from stepdesk.services.views import ActionDraft, PersonOption
from ui.format import date_text, from_qdate, to_qdate
from ui.models.base import AnyIndex, FlatTableModel

DESCRIPTION, OWNER, DUE, RULE = range(4)


class ActionsModel(FlatTableModel):
    """Description, owner and due date of each action; the rule it comes from, if any."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("Action", "Owner", "Due", "Rule")
    changed = Signal()

    def __init__(self, people: list[PersonOption] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._actions: list[ActionDraft] = []
        # Owners typed by name are matched to staff so that the action is assigned properly.
        self._people = {p.name: p.id for p in people or []}

    def actions(self) -> list[ActionDraft]:
        """The actions as typed, in order."""
        return list(self._actions)

    def set_actions(self, actions: list[ActionDraft]) -> None:
        """Replace every action (an existing decision opened again)."""
        self.beginResetModel()
        self._actions = list(actions)
        self.endResetModel()
        self.changed.emit()

    def add(self, action: ActionDraft) -> int:
        """Append one action; returns its line."""
        number = len(self._actions)
        self.beginInsertRows(QModelIndex(), number, number)
        self._actions.append(action)
        self.endInsertRows()
        self.changed.emit()
        return number

    def remove(self, number: int) -> None:
        """Remove the action on line ``number``."""
        if not 0 <= number < len(self._actions):
            return
        self.beginRemoveRows(QModelIndex(), number, number)
        del self._actions[number]
        self.endRemoveRows()
        self.changed.emit()

    def line_count(self) -> int:
        """One line per action."""
        return len(self._actions)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text to show, or the value to edit (a ``QDate`` for the due date)."""
        if not index.isValid() or not 0 <= index.row() < len(self._actions):
            return None
        action = self._actions[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.EditRole:
            if column == DUE:
                return to_qdate(action.due_on)
            role = Qt.ItemDataRole.DisplayRole
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return [
                action.description,
                action.owner_name,
                date_text(action.due_on),
                action.rule_id or "",
            ][column]
        if role == Qt.ItemDataRole.ToolTipRole and column == DESCRIPTION:
            return action.description
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        """Action, owner and due date are editable; the rule is not."""
        base = super().flags(index)
        if index.isValid() and index.column() != RULE:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(  # noqa: N802 (Qt's name)
        self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        """Store an edited cell."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        action = self._actions[index.row()]
        column = index.column()
        if column == DESCRIPTION:
            action = replace(action, description=str(value))
        elif column == OWNER:
            name = str(value).strip()
            action = replace(action, owner_name=name, owner_id=self._people.get(name))
        elif column == DUE and isinstance(value, QDate | dt.date):
            due = value if isinstance(value, dt.date) else from_qdate(value)
            action = replace(action, due_on=due)
        else:
            return False
        self._actions[index.row()] = action
        self.dataChanged.emit(index, index)
        self.changed.emit()
        return True
