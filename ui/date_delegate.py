"""A table cell editor for dates, written dd/mm/yyyy with a calendar starting on Monday."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QDateEdit, QStyledItemDelegate, QStyleOptionViewItem, QWidget

DATE_FORMAT = "dd/MM/yyyy"


def make_date_edit(name: str, parent: Any = None) -> QDateEdit:
    """A date field in UK format with a calendar popup; weeks start on Monday."""
    edit = QDateEdit(parent)
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setCalendarPopup(True)
    edit.calendarWidget().setFirstDayOfWeek(Qt.DayOfWeek.Monday)
    edit.setAccessibleName(name)
    return edit


class DateDelegate(QStyledItemDelegate):
    """Edits a cell whose edit value is a ``QDate``."""

    def createEditor(  # noqa: N802 (Qt's name)
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        """A date field."""
        return make_date_edit("Due date", parent)

    def setEditorData(  # noqa: N802 (Qt's name)
        self, editor: QWidget, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        """Start from the cell's date."""
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QDateEdit) and isinstance(value, QDate):
            editor.setDate(value)

    def setModelData(  # noqa: N802 (Qt's name)
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        """Store the chosen date."""
        if isinstance(editor, QDateEdit):
            model.setData(index, editor.date(), Qt.ItemDataRole.EditRole)
