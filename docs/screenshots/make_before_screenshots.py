"""Screenshots of the "before the meeting" screens.

Regenerate: ``.venv/bin/python docs/screenshots/make_before_screenshots.py``.

Runs offscreen on a fresh demo database with the tests' fixed clock (23/11/2026 09:00), at
1366x768: the Requests page as a manager with a request awaiting QA, the request form, the
Agenda builder as a co-ordinator, and the agenda preview.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings

from stepdesk.demo import create_demo
from stepdesk.persistence.database import open_database
from stepdesk.services import Workspace
from stepdesk.services.people import actor_for
from ui import theme
from ui.app import application
from ui.main_window import MainWindow
from ui.pages.agenda_builder import AgendaBuilderPage, AgendaPreviewDialog
from ui.pages.requests import RequestsPage
from ui.request_dialog import RequestDialog

HERE = Path(__file__).resolve().parent
NOW = dt.datetime(2026, 11, 23, 9, 0)
QA_MANAGER, COORDINATOR, WORKER, CASE = 9, 3, 13, 5  # demo, seed 1


def _settle(app: object) -> None:
    for _ in range(5):
        app.processEvents()  # type: ignore[attr-defined]


def main() -> int:
    """Grab each screen at the size of a modest council laptop."""
    # The screenshots never read or change the user's own theme and text size.
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = application()
    theme.manager().set_choice(theme.LIGHT)
    path = Path(tempfile.mkdtemp()) / "demo.db"
    create_demo(path, seed=1, today=NOW.date()).close()
    ws = Workspace(open_database(path), now=lambda: NOW)

    manager = MainWindow(ws, actor_for(ws, QA_MANAGER))
    manager.resize(1366, 768)
    manager.show()
    requests = manager.findChild(RequestsPage)
    manager.pages.setCurrentWidget(requests)
    requests.qa_comment.setPlainText("Form complete; consent on file.")
    _settle(app)
    manager.grab().save(str(HERE / "requests.png"))
    manager.close()

    form = RequestDialog.create(None, ws, actor_for(ws, WORKER), case_id=CASE)
    form.resize(1366, 768)
    form.reasons.setPlainText(
        "Escalating concerns despite TAF support: repeated missed health appointments and "
        "school attendance down to 61%."
    )
    form.triggers_model.item(1).setCheckState(form.triggers_model.item(1).checkState().Checked)
    form.show()
    form.flush()
    _settle(app)
    form.grab().save(str(HERE / "request-form.png"))
    form.close()

    window = MainWindow(ws, actor_for(ws, COORDINATOR))
    window.resize(1366, 768)
    window.show()
    builder = window.findChild(AgendaBuilderPage)
    window.pages.setCurrentWidget(builder)
    builder.agenda.setCurrentIndex(builder.agenda_model.index(0, 0))
    _settle(app)
    window.grab().save(str(HERE / "agenda-builder.png"))
    preview = AgendaPreviewDialog(builder.view, window)
    preview.show()
    _settle(app)
    preview.grab().save(str(HERE / "agenda-preview.png"))
    preview.close()
    window.close()
    ws.db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
