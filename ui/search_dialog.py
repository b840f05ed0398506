"""Ctrl+K from anywhere: find a case by name, case reference or date of birth, and open it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from stepdesk.errors import StepDeskError
from stepdesk.services.search import CaseHit, search_cases
from stepdesk.services.workspace import Actor, Workspace
from ui.format import date_text, datetime_text
from ui.models import ROW_ROLE
from ui.widgets import plain_label

if TYPE_CHECKING:
    from ui.host import PanelsHost

HIT_ROLE = Qt.ItemDataRole.UserRole + 1


def hit_text(hit: CaseHit) -> str:
    """One line per case: name, reference, date of birth, plan and team, and its panel."""
    where = (
        f" · on the panel of {datetime_text(hit.panel_starts_at)}" if hit.panel_starts_at else ""
    )
    return (
        f"{hit.subject_name} · {hit.reference} · born {date_text(hit.date_of_birth)} · "
        f"{hit.plan_name}, {hit.team}{where}"
    )


class SearchDialog(QDialog):
    """Type a name, a case reference or a date of birth (dd/mm/yyyy); Enter opens the case."""

    def __init__(self, ws: Workspace, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws, self._actor = ws, actor
        self.hit: CaseHit | None = None
        self.setWindowTitle("Find a case")
        self.setAccessibleName("Find a case")
        self.query = QLineEdit()
        self.query.setAccessibleName("Search for a case")
        self.query.setPlaceholderText("Name, case reference or date of birth (dd/mm/yyyy)")
        self.results = QListWidget()
        self.results.setAccessibleName("Cases found")
        # A hit is one long line (name, reference, birth, level, team, panel): wrap it
        # rather than scroll sideways.
        self.results.setWordWrap(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setSpacing(2)
        self.count = plain_label(name="Number of cases found", wrap=False)
        label = QLabel("&Find")
        label.setBuddy(self.query)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.query)
        layout.addWidget(self.count)
        layout.addWidget(self.results, 1)
        self.query.textChanged.connect(self.search)
        self.query.returnPressed.connect(self.open_current)
        self.results.itemActivated.connect(lambda _item: self.open_current())
        self.resize(760, 420)

    def search(self, text: str) -> None:
        """Show the cases matching ``text`` (instant: one indexed query)."""
        self.results.clear()
        try:
            hits = search_cases(self._ws, self._actor, text)
        except StepDeskError as error:
            self.count.setText(str(error))
            return
        for hit in hits:
            item = QListWidgetItem(hit_text(hit))
            item.setData(HIT_ROLE, hit)
            self.results.addItem(item)
        if hits:
            self.results.setCurrentRow(0)
        self.count.setText(f"{len(hits)} case(s)" if text.strip() else "")

    def keyPressEvent(self, event: object) -> None:  # noqa: N802 (Qt's name)
        """Up and Down move through the results while typing."""
        key = getattr(event, "key", lambda: None)()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.results.count():
            step = 1 if key == Qt.Key.Key_Down else -1
            row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
            self.results.setCurrentRow(row)
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]

    def open_current(self) -> None:
        """Choose the highlighted case."""
        item = self.results.currentItem()
        if item is None:
            return
        self.hit = item.data(HIT_ROLE)
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, ws: Workspace, actor: Actor) -> CaseHit | None:
        """The case chosen, or ``None``."""
        dialog = cls(ws, actor, parent)
        return dialog.hit if dialog.exec() == QDialog.DialogCode.Accepted else None


def open_hit(window: PanelsHost, hit: CaseHit) -> None:
    """Show the case where it is on an agenda (its latest panel), else say where it is."""
    if hit.panel_id is None or hit.agenda_item_id is None:
        window.show_message(
            f"{hit.subject_name} ({hit.reference}) is on no panel's agenda: "
            f"{hit.plan_name}, {hit.team}."
        )
        return
    window.pages.setCurrentIndex(0)
    for view in (window.upcoming_view, window.past_view):
        model = view.model()
        for number in range(model.rowCount()):
            if model.index(number, 0).data(ROW_ROLE).id == hit.panel_id:
                view.setCurrentIndex(model.index(number, 0))
    row = window.agenda_model.row_number(hit.agenda_item_id)
    if row is not None:
        window.agenda_view.setCurrentIndex(window.agenda_model.index(row, 0))
        window.agenda_view.setFocus()
    window.show_message(f"Opened {hit.subject_name} ({hit.reference}).")


def install(window: PanelsHost, ws: Workspace, actor: Actor) -> QAction:
    """Ctrl+K on the main window (File → Find a case…)."""
    action = QAction("&Find a case…", window)
    action.setShortcut(QKeySequence("Ctrl+K"))
    action.setToolTip("Find a case by name, reference or date of birth (Ctrl+K)")
    action.setStatusTip("Find a case by name, reference or date of birth")
    window.addAction(action)

    def find() -> None:
        hit = SearchDialog.ask(window, ws, actor)
        if hit is not None:
            open_hit(window, hit)

    action.triggered.connect(find)
    window.menu("&File").insertAction(window.menu("&File").actions()[0], action)
    return action
