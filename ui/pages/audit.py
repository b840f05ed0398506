"""The auditor's page: the audit trail filtered by person, case and dates.

It exports to CSV and checks the hash chain. Shown only to auditors and administrators.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QStandardPaths
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from stepdesk.errors import StepDeskError
from stepdesk.services.audit import (
    AuditFilter,
    AuditRow,
    export_csv,
    search_events,
    verify_trail,
)
from stepdesk.services.people import list_people
from stepdesk.services.permissions import allowed
from stepdesk.services.workspace import Actor, Workspace
from ui.dialogs import SaveFileDialog
from ui.format import from_qdate, to_qdate
from ui.models.base import RowTableModel
from ui.widgets import heading, plain_label, set_style_property

if TYPE_CHECKING:
    from ui.host import PageHost

_ACTIONS = {
    "view": "Viewed",
    "create": "Created",
    "change": "Changed",
    "move": "Moved",
    "export": "Exported",
    "sign_in": "Signed in",
    "sign_in.failed": "Sign-in failed",
    "lock": "Locked",
    "unlock": "Unlocked",
    "unlock.failed": "Unlock failed",
    "backup": "Backed up",
    "backup_failed": "Backup failed",
    "circulate": "Circulated",
    "recirculate": "Re-circulated",
    "verify": "Checked the trail",
    "deactivate": "Deactivated",
}


class AuditModel(RowTableModel[AuditRow]):
    """One line per audit event."""

    COLUMNS = ("When", "Who", "Did", "Record", "Before", "After", "Details")

    def display(self, row: AuditRow, column: int) -> str:
        """The text of one cell."""
        record = row.entity.replace("_", " ") + (f" {row.entity_id}" if row.entity_id else "")
        return (
            f"{row.at:%d/%m/%Y %H:%M:%S}",
            row.user_name,
            _ACTIONS.get(row.action, row.action.replace("_", " ")),
            record,
            row.before,
            row.after,
            row.detail,
        )[column]

    def tooltip(self, row: AuditRow, column: int) -> str | None:
        """The whole text of a long cell."""
        text = self.display(row, column)
        return text if len(text) > 30 else None

    def sort_key(self, row: AuditRow, column: int) -> Any:
        """Dates sort as dates."""
        return row.at.isoformat() if column == 0 else self.display(row, column)


class AuditPage(QWidget):
    """Filters above, events below; export and chain check on the right of the filters."""

    def __init__(self, ws: Workspace, actor: Actor, parent: Any = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.actor = actor
        self.model = AuditModel(self)
        self.person = QComboBox()
        self.person.setAccessibleName("Filter by person")
        self.person.addItem("Everyone", None)
        for person in list_people(ws):
            self.person.addItem(person.name, person.id)
        self.case = QLineEdit()
        self.case.setAccessibleName("Filter by case reference")
        self.case.setPlaceholderText("Case reference")
        self.use_dates = QCheckBox("&Dates")
        self.use_dates.setAccessibleName("Filter by dates")
        today = to_qdate(ws.today())
        self.date_from = self._date("From date", today.addDays(-30))
        self.date_to = self._date("To date", today)
        self.show_button = QPushButton("&Show")
        self.show_button.setAccessibleName("Show matching events")
        self.show_button.setObjectName("primary")
        self.export_button = QPushButton("E&xport CSV…")
        self.export_button.setAccessibleName("Export CSV")
        self.verify_button = QPushButton("&Check the chain")
        self.verify_button.setAccessibleName("Check the audit chain")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Audit events")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.status = plain_label(name="Audit status", wrap=False)

        filters = QHBoxLayout()
        filters.addWidget(plain_label("Person"))
        filters.addWidget(self.person, 2)
        filters.addWidget(plain_label("Case"))
        filters.addWidget(self.case, 1)
        filters.addWidget(self.use_dates)
        filters.addWidget(self.date_from)
        filters.addWidget(plain_label("to"))
        filters.addWidget(self.date_to)
        filters.addWidget(self.show_button)
        filters.addStretch(1)
        filters.addWidget(self.export_button)
        filters.addWidget(self.verify_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Audit trail"))
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

        self.use_dates.toggled.connect(self.date_from.setEnabled)
        self.use_dates.toggled.connect(self.date_to.setEnabled)
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)
        self.show_button.clicked.connect(self.refresh)
        self.case.returnPressed.connect(self.refresh)
        self.export_button.clicked.connect(self.export)
        self.verify_button.clicked.connect(self.verify)
        self._loaded = False

    @staticmethod
    def _date(name: str, value: QDate) -> QDateEdit:
        edit = QDateEdit(value)
        edit.setAccessibleName(name)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setCalendarPopup(True)
        return edit

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        """Read the trail the first time the page is shown (not when the window opens)."""
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            self.refresh()

    def current_filter(self) -> AuditFilter:
        """The filter the controls describe."""
        dates = self.use_dates.isChecked()
        return AuditFilter(
            user_id=self.person.currentData(),
            case_reference=self.case.text(),
            date_from=from_qdate(self.date_from.date()) if dates else None,
            date_to=from_qdate(self.date_to.date()) if dates else None,
        )

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        set_style_property(self.status, "kind", "error" if error else "info")

    def refresh(self) -> None:
        """Show the events that match the filters (the viewing is audited too)."""
        try:
            rows = search_events(self.ws, self.actor, self.current_filter())
        except StepDeskError as error:
            self._say(str(error), error=True)
            return
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 260))
        self._say(f"{len(rows)} events, newest first.")

    def export(self) -> None:
        """Write the matching events to a CSV file the auditor chooses."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = Path(folder or Path.home()) / f"Audit trail {self.ws.today():%Y-%m-%d}.csv"
        path = SaveFileDialog.ask(self, "Export the audit trail", suggested, "CSV files (*.csv)")
        if path is None:
            return
        try:
            text = export_csv(self.ws, self.actor, self.current_filter())
            path.write_text(text, encoding="utf-8-sig", newline="")
        except StepDeskError as error:
            self._say(str(error), error=True)
            return
        except OSError as error:
            self._say(f"Could not write {path}: {error.strerror or error}.", error=True)
            return
        self._say(f"Exported {text.count(chr(10)) - 1} events to {path}.")

    def verify(self) -> None:
        """Check the hash chain and say where it breaks, if it does."""
        try:
            result = verify_trail(self.ws, self.actor)
        except StepDeskError as error:
            self._say(str(error), error=True)
            return
        if result.broken is None:
            self._say(f"The chain holds: {result.checked} events, each linked to the one before.")
        else:
            self._say(
                f"The chain is broken at event {result.broken.row_id}: {result.broken.reason}.",
                error=True,
            )


def add_audit_page(window: PageHost, ws: Workspace, actor: Actor) -> AuditPage | None:
    """Add the page for auditors and administrators; nobody else sees it."""
    if not allowed(actor, "audit.view"):
        return None
    page = AuditPage(ws, actor)
    window.add_page(page, "&Audit")
    window.audit_page = page  # type: ignore[attr-defined]
    return page
