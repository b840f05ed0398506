"""The agenda table: one row per item; Enter or double-click opens the decision."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from ui.models.agenda_model import AgendaModel


class AgendaView(QTableView):
    """Rows select whole items; Return/Enter and double-click emit :attr:`open_requested`."""

    open_requested = Signal()

    def __init__(self, model: AgendaModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setAccessibleName("Agenda")
        self.setAccessibleDescription("Agenda items. Press Enter to record a decision.")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        # Names vary in length; fixed widths leave the movement column room to be read.
        for column, width in ((2, 130), (5, 120)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(column, width)
        self.doubleClicked.connect(lambda _index: self.open_requested.emit())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        """Enter opens the decision of the current item."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)
