"""Who was invited to a panel, with Present and Apologies tick boxes."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal

from stepdesk.domain import AttendanceStatus
from stepdesk.services.views import AttendanceRow
from ui.models.base import AnyIndex, RowTableModel

PRESENT_COLUMN = 2
APOLOGIES_COLUMN = 3
_TICKS = {PRESENT_COLUMN: AttendanceStatus.PRESENT, APOLOGIES_COLUMN: AttendanceStatus.APOLOGIES}


class AttendanceModel(RowTableModel[AttendanceRow]):
    """Members and their attendance. Ticking asks for a change; the service makes it.

    ``setData`` does not change the row: it emits :attr:`status_requested`, the controller
    calls ``set_attendance`` and hands the saved row back through ``update_row``. What is
    shown is therefore always what was saved.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = ("Member", "Role", "Present", "Apologies")
    status_requested = Signal(int, str)  # attendance id, new status

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._editable = True

    def set_editable(self, editable: bool) -> None:
        """Whether the acting user may change attendance."""
        self._editable = editable

    def display(self, row: AttendanceRow, column: int) -> str:
        """Name and role; the tick columns show only a tick box."""
        if column == 0:
            return row.name
        if column == 1:
            return row.panel_role.capitalize()
        return ""

    def tooltip(self, row: AttendanceRow, column: int) -> str:
        """Job title and status in words."""
        return f"{row.name}, {row.job_title}: {row.status}"

    def extra_data(self, row: AttendanceRow, column: int, role: int) -> Any:
        """Tick state of the Present and Apologies columns."""
        if column not in _TICKS:
            return None
        ticked = row.status == _TICKS[column]
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        return None

    def accessible_text(self, row: AttendanceRow, column: int) -> str:
        """Tick columns read as yes or no to a screen reader."""
        if column in _TICKS:
            return f"{self.COLUMNS[column]}: {'yes' if row.status == _TICKS[column] else 'no'}"
        return self.display(row, column)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        """Tick columns are checkable for users who may change attendance."""
        base = super().flags(index)
        if index.isValid() and index.column() in _TICKS and self._editable:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(  # noqa: N802 (Qt's name)
        self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        """Ticking Present or Apologies asks for that status; unticking for 'invited'."""
        if role != Qt.ItemDataRole.CheckStateRole or index.column() not in _TICKS:
            return False
        row = self.row_at(index.row())
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        status = _TICKS[index.column()] if checked else AttendanceStatus.INVITED
        if status != row.status:
            self.status_requested.emit(row.id, status.value)
        # The row changes when the saved record comes back through update_row.
        return False
