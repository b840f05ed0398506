"""Regenerate the screenshots here: ``.venv/bin/python docs/screenshots/make_screenshots.py``.

Runs offscreen on a fresh demo database with the tests' fixed clock (23/11/2026 09:00), in the
Light theme at the system text size; then the main window and the meeting page again in Dark,
High contrast and High contrast at 150 % text (``themes/``), all at 1366×768.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path


def laptop_screen() -> None:
    """Run offscreen on one 1366×768 screen at 96 dpi (the offscreen default is 800×800).

    Call before the QApplication is made. A platform other than offscreen is left alone.
    """
    platform = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    if platform.split(":")[0] != "offscreen" or ":" in platform:
        return
    config = Path(tempfile.mkdtemp()) / "laptop.json"
    screen = {"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768}
    screen |= {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


laptop_screen()

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from stepdesk.demo import create_demo
from stepdesk.persistence.database import open_database
from stepdesk.services import Workspace
from stepdesk.services.people import default_actor
from ui import theme
from ui.app import application
from ui.decision_dialog import DecisionDialog
from ui.main_window import MainWindow
from ui.meeting_dialogs import FinishMeetingDialog
from ui.search_dialog import SearchDialog
from ui.shortcuts_dialog import ShortcutsDialog

HERE = Path(__file__).resolve().parent
NOW = dt.datetime(2026, 11, 23, 9, 0)


def settle(app: QApplication, times: int = 5) -> None:
    """Let Qt lay out and paint before a grab."""
    for _ in range(times):
        app.processEvents()


def save_small(widget: QWidget, path: Path) -> None:
    """Grab ``widget`` as a 256-colour PNG: a fraction of the size in git, the text as sharp."""
    from PIL import Image

    widget.grab().save(str(path))
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(256)
    small.save(path, optimize=True)


def demo_workspace() -> tuple[QApplication, Workspace, Path]:
    """The app in Light at the system text size, with settings of its own, on a fresh demo.

    The screenshots never read or change the user's own theme and text size.
    """
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = application()
    theme.manager().set_choice(theme.LIGHT)
    theme.manager().reset_text()
    path = Path(tempfile.mkdtemp()) / "demo.db"
    create_demo(path, seed=1, today=NOW.date()).close()
    return app, Workspace(open_database(path), now=lambda: NOW), path


def main() -> int:
    """Grab the main window, the meeting room's screens and the decision dialog's tabs."""
    app, ws, _ = demo_workspace()
    db = ws.db
    actor = default_actor(ws)
    window = MainWindow(ws, actor)
    window.resize(1366, 768)
    window.show()
    # The CIN panel, third item: a step-down within 3 months of a CP plan (T-CP-CIN-3M).
    window.upcoming_view.setCurrentIndex(window.upcoming_filter.index(1, 0))
    window.agenda_view.setCurrentIndex(window.agenda_model.index(2, 0))
    window.notes.editor.setPlainText(
        "Robert Brown presented. CP plan ended 03/11/2026; family engaging well with school."
    )
    window.notes.flush()
    for _ in range(5):
        app.processEvents()
    window.grab().save(str(HERE / "main-window.png"))

    item_id = window.controller.detail.row.id
    dlg = DecisionDialog.create(window, ws, actor, item_id)
    dlg.rationale.setPlainText(
        "Safety plan holding for three months; family asks for Early Help support."
    )
    dlg.show()
    settle(app)
    dlg.grab().save(str(HERE / "decision-dialog.png"))
    dlg.tabs.setCurrentIndex(1)
    dlg.dissents.add_button.click()
    settle(app)
    dlg.grab().save(str(HERE / "decision-dialog-dissent.png"))
    dlg.escalate()
    dlg.escalation.disagreement.setPlainText("Whether the threshold for CIN is still met.")
    settle(app)
    dlg.grab().save(str(HERE / "decision-dialog-escalation.png"))
    dlg.reject()

    # Ctrl+K: find a case from anywhere.
    search = SearchDialog(ws, actor, window)
    search.show()
    search.query.setText("Brown")
    settle(app)
    search.grab().save(str(HERE / "search-dialog.png"))
    search.close()

    # F1: every shortcut.
    shortcuts = ShortcutsDialog(window, window)
    shortcuts.show()
    settle(app)
    shortcuts.grab().save(str(HERE / "shortcuts-window.png"))
    shortcuts.close()

    # The meeting page, seven minutes into the CIN panel's first item, quorate.
    clock = [dt.datetime(2026, 11, 30, 9, 0)]
    ws.now = lambda: clock[0]
    window.pages.setCurrentWidget(window.meeting_page)
    model = window.attendance_model
    for number in range(model.rowCount()):
        if model.row_at(number).panel_role in ("chair", "minutes", "member"):
            model.setData(model.index(number, 2), 2, 10)  # Present ticked
    window.meeting_page.start()
    clock[0] += dt.timedelta(minutes=7)
    window.meeting_page.notes.editor.setPlainText(
        "Worker presented. School reports attendance up to 92%; family engaging with TAC."
    )
    window.meeting_page.notes.flush()
    window.meeting_page._tick()
    for _ in range(5):
        app.processEvents()
    window.grab().save(str(HERE / "meeting-page.png"))

    # F11: the chair view alone, full screen (grabbed at the laptop's 1366×768).
    page = window.meeting_page
    page.show_chair_window()
    chair = page.chair_window
    assert chair is not None
    chair.showNormal()
    chair.resize(1366, 768)
    settle(app)
    chair.grab().save(str(HERE / "chair-view-full-screen.png"))
    chair.hide()

    # Finish meeting: the items not reached and the carry-forward reason.
    assert page.state is not None
    finish = FinishMeetingDialog(page.state.not_reached, window)
    finish.show()
    settle(app)
    finish.grab().save(str(HERE / "finish-meeting.png"))
    finish.close()

    # The same two screens in the other themes, and at 150 % text in High contrast.
    themes = theme.manager()
    folder = HERE / "themes"
    folder.mkdir(exist_ok=True)
    for name, choice, percent in (
        ("dark", theme.DARK, 100),
        ("high-contrast", theme.HIGH_CONTRAST, 100),
        ("high-contrast-150", theme.HIGH_CONTRAST, 150),
        ("dark-150", theme.DARK, 150),
    ):
        themes.set_choice(choice)
        themes.set_text_percent(percent)
        window.pages.setCurrentIndex(0)
        settle(app)
        save_small(window, folder / f"main-window-{name}.png")
        window.pages.setCurrentWidget(window.meeting_page)
        settle(app)
        save_small(window, folder / f"meeting-page-{name}.png")
    themes.set_choice(theme.LIGHT)
    themes.reset_text()
    window.close()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
