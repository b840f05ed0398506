"""Render the Monitoring page and the first pages of its PDF into this folder.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/monitoring/make_monitoring_screenshots.py

Needs ``pdftoppm`` (poppler-utils) for the PDF pages.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from reports.monitoring import render_monitoring
from stepdesk.demo import create_demo
from stepdesk.persistence.database import open_database
from stepdesk.services import Actor, Workspace
from stepdesk.services.monitoring import monitoring_report, period_of
from ui.pages.monitoring import MonitoringPage

HERE = Path(__file__).parent
TODAY = dt.date(2026, 11, 23)


def main() -> None:
    """Build a demo, show the page with the year's report, click a bar, save PNGs."""
    app = QApplication([])
    path = Path(tempfile.mkdtemp()) / "demo.db"
    create_demo(path, seed=1, today=TODAY).close()
    ws = Workspace(open_database(path), now=lambda: dt.datetime(2026, 11, 23, 9, 0))
    manager = Actor(None, "Demo Manager", "manager")
    page = MonitoringPage(ws, manager)
    page.resize(1366, 900)
    page.show()
    loop = QEventLoop()
    page.refresh()
    assert page.worker is not None
    page.worker.signals.finished.connect(lambda _r: loop.quit())
    loop.exec()
    app.processEvents()
    page.show_rows("activity.requests.step_down")
    app.processEvents()
    page.grab().save(str(HERE / "monitoring-page.png"))
    report = monitoring_report(ws, manager, period_of("year", TODAY))
    pdf = HERE / "monitoring.pdf"
    pdf.write_bytes(render_monitoring(report))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", str(pdf), str(HERE / "pdf-page")],
        check=True,
    )
    pdf.unlink()


if __name__ == "__main__":
    main()
