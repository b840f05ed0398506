"""The Monitoring page: the seven measures for a period, team and profile (issue 18).

Managers, chairs, auditors (and administrators) see it; the service checks the role. The
charts are the PDF's own matplotlib figures on a Qt canvas; click a bar to list the cases
behind it (pseudonymised unless "Show names" is ticked and the role allows it). The report
is computed off the GUI thread with progress and Cancel.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reports.monitoring_charts import measure_figure
from stepdesk.profile import load_profile
from stepdesk.services.monitoring import (
    MonitoringReport,
    Period,
    Row,
    monitoring_report,
    names_allowed,
    period_of,
    teams,
)
from stepdesk.services.monitoring.suppression import shown_value
from stepdesk.services.permissions import allowed
from stepdesk.services.workspace import Actor, Workspace
from ui.models.base import RowTableModel
from ui.pages.monitoring_worker import Progress, Worker
from ui.widgets import heading, plain_label

KINDS = (
    ("month", "Month"),
    ("quarter", "Quarter"),
    ("year", "Year (April to March)"),
    ("custom", "Custom"),
)
PROFILES = (("default", "Children's services"), ("learning-disability", "Learning disability"))


@dataclass(frozen=True)
class RowLine:
    """A row behind a figure, with a line id for the model."""

    id: int
    row: Row


class RowsModel(RowTableModel[RowLine]):
    """The cases behind the figure clicked."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("Case", "Name", "Team", "Date", "Counted", "Detail")

    def display(self, line: RowLine, column: int) -> str:
        """The text of one cell."""
        r = line.row
        return [
            r.case,
            r.name or "",
            r.team,
            f"{r.day:%d/%m/%Y}" if r.day else "",
            "yes" if r.counted else "no",
            r.detail,
        ][column]


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


class MonitoringPage(QWidget):
    """Period, team and profile filters; one chart per measure; the cases behind a bar."""

    def __init__(self, ws: Workspace, actor: Actor, parent: Any = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.report: MonitoringReport | None = None
        self.worker: Worker | None = None
        self.canvases: list[FigureCanvasQTAgg] = []
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Monitoring for the Quality & Performance sub-group"))
        bar = QHBoxLayout()
        self.kind = QComboBox(accessibleName="Period")
        for code, label in KINDS:
            self.kind.addItem(label, code)
        self.kind.setCurrentIndex(2)
        self.start = QDateEdit(_qdate(ws.today()), accessibleName="Period containing, or from")
        self.end = QDateEdit(_qdate(ws.today()), accessibleName="To (custom period)")
        for edit in (self.start, self.end):
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setCalendarPopup(True)
        self.team = QComboBox(accessibleName="Team")
        self.team.addItem("All teams", None)
        for team_id, name in teams(ws, actor):
            self.team.addItem(name, team_id)
        self.profile = QComboBox(accessibleName="Profile")
        for code, label in PROFILES:
            self.profile.addItem(label, code)
        self.profile.setCurrentIndex(max(0, self.profile.findData(ws.profile.name)))
        self.names = QCheckBox("Show names", accessibleName="Show names")
        self.names.setEnabled(names_allowed(actor))
        self.show_button = QPushButton("&Show", accessibleName="Show the measures")
        self.cancel_button = QPushButton("Cancel", accessibleName="Cancel the report")
        self.cancel_button.setEnabled(False)
        # Two rows: in one, the filters overflow a 1366-wide screen at 150 % text.
        filters = QHBoxLayout()
        for row, fields in (
            (bar, (("Period", self.kind), ("Containing / from", self.start), ("To", self.end))),
            (filters, (("Team", self.team), ("Profile", self.profile))),
        ):
            for label, widget in fields:
                caption = QLabel(label)
                caption.setBuddy(widget)
                row.addWidget(caption)
                row.addWidget(widget)
        bar.addStretch(1)
        filters.addWidget(self.names)
        filters.addStretch(1)
        filters.addWidget(self.show_button)
        filters.addWidget(self.cancel_button)
        layout.addLayout(bar)
        layout.addLayout(filters)
        self.progress = QProgressBar(accessibleName="Progress")
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.status = plain_label("", "Status")
        layout.addWidget(self.status)
        split = QSplitter(Qt.Orientation.Vertical)
        self.charts = QWidget()
        self.charts_layout = QVBoxLayout(self.charts)
        scroll = QScrollArea(accessibleName="Measures")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.charts)
        split.addWidget(scroll)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        self.rows_title = plain_label("Click a bar to see the cases behind it.", "Cases behind")
        lower_layout.addWidget(self.rows_title)
        self.rows = RowsModel(self)
        self.table = QTableView(accessibleName="Cases behind the figure")
        self.table.setModel(self.rows)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        lower_layout.addWidget(self.table)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        layout.addWidget(split, 1)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.show_button.clicked.connect(self.refresh)
        self.cancel_button.clicked.connect(self.cancel)
        self._kind_changed()

    def _kind_changed(self) -> None:
        self.end.setEnabled(self.kind.currentData() == "custom")

    def period(self) -> Period:
        """The period the filters describe."""
        kind = self.kind.currentData()
        if kind == "custom":
            return Period(_date(self.start.date()), _date(self.end.date()))
        return period_of(kind, _date(self.start.date()))

    def refresh(self) -> None:
        """Compute the report off the GUI thread."""
        period, team_id, names = self.period(), self.team.currentData(), self.names.isChecked()
        if period.end < period.start:
            self.status.setText("To is before From: choose a To date after the From date.")
            return
        ws = dataclasses.replace(self.ws, profile=load_profile(self.profile.currentData()))
        actor = self.actor

        def work(progress: Progress) -> MonitoringReport:
            return monitoring_report(ws, actor, period, team_id, names=names, progress=progress)

        self.worker = worker = Worker(work)
        worker.signals.progress.connect(self._progress)
        worker.signals.finished.connect(self._show)
        worker.signals.failed.connect(self._failed)
        worker.signals.cancelled.connect(self._cancelled)
        self.show_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setVisible(True)
        self.progress.setValue(0)
        self.status.setText(f"Computing {period.label}…")
        worker.start()

    def cancel(self) -> None:
        """Stop the report being computed."""
        if self.worker is not None:
            self.worker.cancel()

    def _progress(self, done: int, total: int, what: str) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)
        self.progress.setFormat(what)

    def _idle(self, message: str) -> None:
        # The worker is kept (not set to None): its signals object must outlive this slot,
        # or the other slots connected to the same signal are never called.
        self.show_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setVisible(False)
        self.status.setText(message)

    def _failed(self, message: str) -> None:
        self._idle(message)

    def _cancelled(self) -> None:
        self._idle("Cancelled: nothing changed.")

    def _show(self, report: MonitoringReport) -> None:
        self.report = report
        self._idle(
            f"{report.period.label}, {report.team}, compared with {report.previous.label}. "
            "Counts from 1 to 4 are shown as <5."
        )
        while self.charts_layout.count():
            item = self.charts_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.canvases = []
        for m in report.measures:
            self.charts_layout.addWidget(heading(f"{m.number}. {m.title}", scale=1.05))
            self.charts_layout.addWidget(plain_label(m.definition, f"{m.title}: definition"))
            canvas = FigureCanvasQTAgg(measure_figure(m))
            canvas.setAccessibleName(f"{m.title}: chart (click a bar for its cases)")
            canvas.setMinimumHeight(int(canvas.figure.get_figheight() * 90))
            canvas.mpl_connect("pick_event", self._picked)
            self.canvases.append(canvas)
            self.charts_layout.addWidget(canvas)
        self.charts_layout.addStretch(1)

    def _picked(self, event: Any) -> None:
        key = event.artist.get_gid()
        if key:
            self.show_rows(key)

    def show_rows(self, key: str) -> None:
        """List the cases behind one indicator (withheld where it is suppressed)."""
        if self.report is None:
            return
        ind = self.report.indicator(key)
        value = shown_value(ind.value, ind.kind, ind.suppressed)
        if ind.suppressed:
            text = f"{ind.label}: {value}. Fewer than 5: the cases are withheld."
        else:
            text = f"{ind.label}: {value}, {len(ind.rows)} cases."
        self.rows_title.setText(text)
        self.rows.set_rows([RowLine(n, r) for n, r in enumerate(ind.shown_rows)])
        self.table.resizeColumnsToContents()


def install(window: Any, ws: Workspace, actor: Actor) -> MonitoringPage | None:
    """Add the page for the roles that may see it."""
    if not allowed(actor, "monitoring.view"):
        return None
    page = MonitoringPage(ws, actor)
    window.add_page(page, "&Monitoring")
    return page
