"""The panels list: one model, shown twice through filters (upcoming and past)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from stepdesk.domain import PanelStatus
from stepdesk.services.views import PanelRow
from ui.format import date_text, panel_status_text, time_text
from ui.models.base import ROW_ROLE, SORT_ROLE, RowTableModel


class PanelsModel(RowTableModel[PanelRow]):
    """Every panel: date, start time, meeting type and status."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("Date and time", "Meeting", "Status")

    def display(self, row: PanelRow, column: int) -> str:
        """Date dd/mm/yyyy with the 24-hour start, meeting type, status with decided count."""
        if column == 0:
            return f"{date_text(row.starts_at.date())} {time_text(row.starts_at)}"
        if column == 1:
            return row.meeting_name
        status = panel_status_text(row.status)
        return f"{status}, {row.decided_count}/{row.item_count}"

    def tooltip(self, row: PanelRow, column: int) -> str:
        """Where, who chairs and how many items."""
        return (
            f"{row.meeting_name}, {date_text(row.starts_at.date())} {time_text(row.starts_at)}\n"
            f"{panel_status_text(row.status)}, at {row.venue}\nChair: {row.chair_name}\n"
            f"{row.item_count} items, {row.decided_count} decided"
        )

    def sort_key(self, row: PanelRow, column: int) -> Any:
        """Panels sort by when they meet, whatever the column."""
        return row.starts_at.isoformat()


class PanelsFilter(QSortFilterProxyModel):
    """Upcoming panels (soonest first) or past ones (latest first)."""

    def __init__(self, upcoming: bool, today: dt.date, parent: Any = None) -> None:
        super().__init__(parent)
        self._upcoming = upcoming
        self._today = today
        self.setSortRole(SORT_ROLE)
        self.sort(0, Qt.SortOrder.AscendingOrder if upcoming else Qt.SortOrder.DescendingOrder)

    def is_upcoming(self, row: PanelRow) -> bool:
        """Not finished and not yet in the past."""
        return row.status != PanelStatus.FINISHED and row.starts_at.date() >= self._today

    def filterAcceptsRow(  # noqa: N802 (Qt's name)
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        """Keep the rows on this side of today."""
        row = self.sourceModel().index(source_row, 0, source_parent).data(ROW_ROLE)
        return row is not None and self.is_upcoming(row) == self._upcoming
