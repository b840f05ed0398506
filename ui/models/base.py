"""A read-mostly table model over a list of frozen rows that each have an ``id``."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

# The whole row object, for the controller (``index.data(ROW_ROLE)``).
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
# A value that sorts correctly (dates as ISO text), for QSortFilterProxyModel.
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

AnyIndex = QModelIndex | QPersistentModelIndex


class HasId(Protocol):
    """A row the model can find again by id."""

    @property
    def id(self) -> int:  # noqa: D102 (a protocol member)
        ...


RowT = TypeVar("RowT", bound=HasId)


class FlatTableModel(QAbstractTableModel):
    """A flat table with fixed column titles; subclasses say how many lines there are."""

    COLUMNS: ClassVar[tuple[str, ...]] = ()

    def line_count(self) -> int:
        """How many lines the table has."""
        raise NotImplementedError

    def rowCount(self, parent: AnyIndex | None = None) -> int:  # noqa: N802 (Qt's name)
        """Lines in the table (none under a cell: this is a flat table)."""
        return 0 if parent is not None and parent.isValid() else self.line_count()

    def columnCount(self, parent: AnyIndex | None = None) -> int:  # noqa: N802 (Qt's name)
        """Columns in the table."""
        return 0 if parent is not None and parent.isValid() else len(self.COLUMNS)

    def headerData(  # noqa: N802 (Qt's name)
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        """Column titles; rows are unnumbered."""
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section]
        return None


class RowTableModel(FlatTableModel, Generic[RowT]):
    """Rows of plain data, one per line; subclasses say what each column shows."""

    def line_count(self) -> int:
        """One line per row."""
        return len(self._rows)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[RowT] = []

    # Subclasses fill these in.
    def display(self, row: RowT, column: int) -> str:
        """The text of one cell."""
        raise NotImplementedError

    def tooltip(self, row: RowT, column: int) -> str | None:
        """A longer text for one cell, if it has one."""
        return None

    def accessible_text(self, row: RowT, column: int) -> str:
        """What a screen reader says for one cell; its text unless a subclass knows better."""
        return self.display(row, column)

    def sort_key(self, row: RowT, column: int) -> Any:
        """What the cell sorts by; its text unless a subclass knows better."""
        return self.display(row, column)

    # Data access for the controller.
    def set_rows(self, rows: list[RowT]) -> None:
        """Show a new list (a different panel): the only full reset."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[RowT]:
        """The rows shown, in order."""
        return list(self._rows)

    def row_at(self, number: int) -> RowT:
        """The row on line ``number``."""
        return self._rows[number]

    def row_number(self, row_id: int) -> int | None:
        """The line showing the row with this id, if any."""
        return next((n for n, row in enumerate(self._rows) if row.id == row_id), None)

    def update_row(self, row: RowT) -> None:
        """Replace one row after a service changed it, and repaint only that line."""
        number = self.row_number(row.id)
        if number is None:
            return
        self._rows[number] = row
        self.dataChanged.emit(self.index(number, 0), self.index(number, self.columnCount() - 1))

    # QAbstractTableModel.
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """One cell's text, tooltip, sort key or the whole row."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, index.column())
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.accessible_text(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, index.column())
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return self.sort_key(row, index.column())
        return self.extra_data(row, index.column(), role)

    def extra_data(self, row: RowT, column: int, role: int) -> Any:
        """Other roles (check state, colours) for subclasses."""
        return None
