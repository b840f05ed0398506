"""The Deadlines page: every clock that is running, mine / my team / all, with RAG.

Sortable by due date and by status; the status is a colour *and* a word. Double-click a
deadline, or press Enter on it, to open its case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from stepdesk.errors import StepDeskError
from stepdesk.services.cases import case_summary
from stepdesk.services.deadlines import DeadlineRow, deadlines_for
from stepdesk.services.workspace import Actor, Workspace
from stepdesk.timescales import Rag
from ui import theme
from ui.case_dialog import CaseDialog
from ui.format import datetime_text
from ui.models.base import ROW_ROLE, SORT_ROLE, RowTableModel
from ui.widgets import heading, plain_label

RAG_WORDS = {
    Rag.OVERDUE: "Overdue",
    Rag.DUE_SOON: "Due soon",
    Rag.ON_TRACK: "On track",
    Rag.DONE: "Done",
}
# Most urgent first when sorted by status.
_RAG_ORDER = {Rag.OVERDUE: 0, Rag.DUE_SOON: 1, Rag.ON_TRACK: 2, Rag.DONE: 3}
# The same tones as the case pane's deadline labels, from the theme in force (ui.theme).
_RAG_TONES = {
    Rag.OVERDUE: "overdue",
    Rag.DUE_SOON: "due_soon",
    Rag.ON_TRACK: "on_track",
    Rag.DONE: "done",
}
SCOPES = (("mine", "Mine"), ("team", "My team"), ("all", "All"))


@dataclass(frozen=True)
class DeadlineLine:
    """A deadline row with a line id, as the table model needs one."""

    id: int
    row: DeadlineRow


class DeadlinesModel(RowTableModel[DeadlineLine]):
    """Due, status, rule, case, subject, team and what, one deadline a line."""

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "Due",
        "Status",
        "Rule",
        "Case",
        "Subject",
        "Team",
        "What",
    )
    DUE, STATUS, RULE, CASE, SUBJECT, TEAM, WHAT = range(7)

    def set_deadlines(self, rows: list[DeadlineRow]) -> None:
        """Show a fresh list."""
        self.set_rows([DeadlineLine(n, r) for n, r in enumerate(rows)])

    def display(self, row: DeadlineLine, column: int) -> str:
        """The text of one cell."""
        r = row.row
        return [
            datetime_text(r.deadline.due),
            RAG_WORDS[r.rag],
            r.deadline.rule,
            r.case_reference,
            r.subject_name,
            r.team,
            r.deadline.what,
        ][column]

    def tooltip(self, row: DeadlineLine, column: int) -> str | None:
        """The deadline explaining itself."""
        return row.row.deadline.explain()

    def accessible_text(self, row: DeadlineLine, column: int) -> str:
        """Status cells are read with the due date, so a screen reader hears both."""
        if column == self.STATUS:
            return f"{RAG_WORDS[row.row.rag]}, due {datetime_text(row.row.deadline.due)}"
        return self.display(row, column)

    def sort_key(self, row: DeadlineLine, column: int) -> Any:
        """Due by time; status by urgency, then time; the rest by text."""
        due = row.row.deadline.due.isoformat()
        if column == self.DUE:
            return due
        if column == self.STATUS:
            return f"{_RAG_ORDER[row.row.rag]}{due}"
        return self.display(row, column)

    def extra_data(self, row: DeadlineLine, column: int, role: int) -> Any:
        """The status cell's colour (always with its word: colour is never alone)."""
        if column != self.STATUS:
            return None
        tone = getattr(theme.colours(), _RAG_TONES[row.row.rag])
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(tone.background))
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(tone.text))
        return None


class DeadlinesTable(QTableView):
    """A table that opens the current line on Enter as well as on double-click."""

    open_requested = Signal(QModelIndex)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.doubleClicked.connect(self.open_requested)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        """Enter or Return opens the current deadline's case."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class DeadlinesPage(QWidget):
    """Every deadline for me, my team or everyone; opens the case of the one chosen."""

    def __init__(self, ws: Workspace, actor: Actor, parent: Any = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.dialogs: list[CaseDialog] = []

        self.scope = QComboBox()
        self.scope.setAccessibleName("Show deadlines for")
        for code, text in SCOPES:
            self.scope.addItem(text, code)
        self.scope.setCurrentIndex(2)
        show = QLabel("&Show:")
        show.setBuddy(self.scope)
        self.refresh = QPushButton("&Refresh")
        self.refresh.setAccessibleName("Refresh deadlines")
        self.refresh.setToolTip("Count the deadlines again (F5)")
        self.refresh_action = QAction("&Refresh deadlines", self)  # listed under Help → Shortcuts
        self.refresh_action.setShortcut(QKeySequence("F5"))
        self.refresh_action.setStatusTip("Count the deadlines again")
        self.refresh_action.triggered.connect(self.reload)
        self.addAction(self.refresh_action)
        self.counts = plain_label(name="Deadline counts", wrap=False)

        self.model = DeadlinesModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = DeadlinesTable(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Deadlines")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DeadlinesModel.WHAT, QHeaderView.ResizeMode.Stretch)
        self.table.sortByColumn(DeadlinesModel.DUE, Qt.SortOrder.AscendingOrder)

        bar = QHBoxLayout()
        bar.addWidget(show)
        bar.addWidget(self.scope)
        bar.addWidget(self.refresh)
        bar.addSpacing(12)
        bar.addWidget(self.counts, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Deadlines", scale=1.25))
        hint = plain_label(
            "Every statutory clock that is running. Sort by a column heading; double-click "
            "a deadline or press Enter to open its case.",
            name="How to use the deadlines",
        )
        layout.addWidget(hint)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

        self.scope.currentIndexChanged.connect(self.reload)
        self.refresh.clicked.connect(self.reload)
        self.table.open_requested.connect(self.open_index)
        self.reload()

    def reload(self) -> None:
        """Ask the clock again for the chosen scope."""
        try:
            rows = deadlines_for(self.ws, self.actor, self.scope.currentData(), self.ws.now())
        except StepDeskError as error:
            self.counts.setText(str(error))
            return
        self.model.set_deadlines(rows)
        tally = {rag: sum(1 for r in rows if r.rag == rag) for rag in RAG_WORDS}
        self.counts.setText(
            f"{len(rows)} deadlines: "
            + ", ".join(f"{tally[rag]} {RAG_WORDS[rag].lower()}" for rag in RAG_WORDS)
        )

    def open_index(self, index: QModelIndex) -> CaseDialog | None:
        """Open the case of the deadline on this (proxy) line."""
        line: DeadlineLine | None = index.data(ROW_ROLE)
        if line is None:
            return None
        try:
            summary = case_summary(self.ws, self.actor, line.row.case_id)
        except StepDeskError as error:
            self.counts.setText(str(error))
            return None
        dialog = CaseDialog.open_case(summary, self.ws.now(), self, ws=self.ws, actor=self.actor)
        dialog.changed.connect(self.reload)
        self.dialogs = [d for d in self.dialogs if d.isVisible()] + [dialog]
        return dialog
