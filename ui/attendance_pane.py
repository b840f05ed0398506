"""Who is at the panel: Present / Apologies per member, saved on each tick."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from ui.models.attendance_model import APOLOGIES_COLUMN, PRESENT_COLUMN, AttendanceModel
from ui.widgets import heading


class AttendancePane(QWidget):
    """The attendance table of the selected panel. The controller saves each change."""

    def __init__(self, model: AttendanceModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = model
        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setAccessibleName("Attendance")
        self.table.setAccessibleDescription(
            "Tick Present or Apologies for each member; each change is saved at once."
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        # Tab leaves the table (arrows move inside it): a keyboard user is never trapped.
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, PRESENT_COLUMN, APOLOGIES_COLUMN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading("Attendance"))
        layout.addWidget(self.table)
