"""Every dialog and page, in every theme, on a 1366×768 screen: for looking at, not committing.

Run: ``.venv/bin/python docs/screenshots/make_dialog_screenshots.py [FOLDER] [--commit]``.

Writes ``<theme>-<screen>.png`` into FOLDER (default ``/tmp/stepdesk-dialogs``) for the themes
Light, Dark, High contrast and High contrast at 150 % text, and prints each window's size; a
window taller or wider than the screen is flagged ("OFF SCREEN"), since a person could not reach
its bottom. ``--commit`` also saves the chosen few (:data:`CHOSEN`) in ``docs/screenshots/dialogs/``
as 256-colour PNGs. Uses the helpers of ``make_screenshots.py`` (same demo, clock and screen).
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from make_screenshots import HERE, NOW, demo_workspace, save_small, settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QWidget

from stepdesk.services import Workspace
from stepdesk.services.agenda import agenda_builder
from stepdesk.services.meeting import ItemTiming
from stepdesk.services.people import actor_for
from ui import theme
from ui.app import demo_hint
from ui.decision_dialog import DecisionDialog
from ui.first_run_dialog import FirstRunDialog
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.meeting_dialogs import FinishMeetingDialog
from ui.pages.accounts import AccountsPage
from ui.pages.agenda_builder import AgendaPreviewDialog, HoldBackDialog, NewPanelDialog
from ui.pages.audit import AuditPage
from ui.pages.deadlines import DeadlinesPage
from ui.request_dialog import RequestDialog
from ui.search_dialog import SearchDialog
from ui.shortcuts_dialog import ShortcutsDialog

# Demo (seed 1) people and records.
CHAIR, COORDINATOR, WORKER, ADMIN, AUDITOR = 1, 3, 13, 27, 28
STEP_UP_CASE, STEP_DOWN_CASE = 5, 1
CIN_PANEL, BLOCKED_ITEM = 3, 19  # a step-down that T-CP-CIN-3M blocks: findings to show
SCREEN_W, SCREEN_H = 1366, 768
TITLE_BAR = 32  # a dialog's frame above its contents

VARIANTS = (
    ("light", theme.LIGHT, 100),
    ("dark", theme.DARK, 100),
    ("high-contrast", theme.HIGH_CONTRAST, 100),
    ("high-contrast-150", theme.HIGH_CONTRAST, 150),
)
# The few committed under docs/screenshots/dialogs/ with --commit: what a reader most needs.
CHOSEN = (
    "dark-decision",
    "dark-decision-dissent",
    "dark-request-step-down",
    "dark-case",
    "dark-accounts-page",
    "high-contrast-decision-escalation",
    "high-contrast-login",
    "high-contrast-audit-page",
    "high-contrast-150-panels-page",
    "high-contrast-150-decision",
    "high-contrast-150-request-step-up",
    "high-contrast-150-deadlines-page",
    "high-contrast-150-new-panel",
)

Grab = tuple[str, QWidget]


def _window(ws: Workspace, user: int) -> MainWindow:
    window = MainWindow(ws, actor_for(ws, user))
    window.resize(SCREEN_W, SCREEN_H)
    window.show()
    return window


def _page(window: MainWindow, kind: type[QWidget]) -> QWidget:
    page = window.findChild(kind)
    assert page is not None, kind
    window.pages.setCurrentWidget(page)
    return page


def pages(app: QApplication, ws: Workspace) -> Iterator[Grab]:
    """The main window's pages that were not looked at yet, as the people who use them."""
    window = _window(ws, CHAIR)
    window.upcoming_view.setCurrentIndex(window.upcoming_filter.index(1, 0))
    settle(app)
    yield "panels-page", window
    _page(window, DeadlinesPage)
    settle(app)
    yield "deadlines-page", window
    deadlines = window.findChild(DeadlinesPage)
    assert isinstance(deadlines, DeadlinesPage)
    case = deadlines.open_index(deadlines.table.model().index(0, 0))
    assert case is not None
    settle(app)
    yield "case", case
    case.close()
    window.close()

    admin = _window(ws, ADMIN)
    _page(admin, AccountsPage)
    settle(app)
    yield "accounts-page", admin
    admin.close()
    auditor = _window(ws, AUDITOR)
    audit = _page(auditor, AuditPage)
    audit.show_button.click()  # type: ignore[attr-defined]
    settle(app)
    yield "audit-page", auditor
    auditor.close()


def dialogs(app: QApplication, ws: Workspace, db_path: Path) -> Iterator[Grab]:
    """Each dialog, filled in as in use."""
    chair = actor_for(ws, CHAIR)
    window = _window(ws, CHAIR)
    decision = DecisionDialog.create(window, ws, chair, BLOCKED_ITEM)
    decision.rationale.setPlainText(
        "Safety plan holding for three months; family asks for Early Help support."
    )
    decision.show()
    settle(app)
    yield "decision", decision
    decision.tabs.setCurrentIndex(1)
    settle(app)
    yield "decision-dissent-empty", decision
    decision.dissents.add_button.click()
    settle(app)
    yield "decision-dissent", decision
    decision.escalate()
    decision.escalation.disagreement.setPlainText("Whether the threshold for CIN is still met.")
    settle(app)
    yield "decision-escalation", decision
    decision.tabs.setCurrentIndex(0)
    decision.family.boxes["why"].setChecked(True)
    settle(app)
    yield "decision-family-told", decision
    decision.reject()

    worker = actor_for(ws, WORKER)
    form = RequestDialog.create(None, ws, worker, case_id=STEP_UP_CASE)
    form.reasons.setPlainText(
        "Escalating concerns despite TAF support: repeated missed health appointments and "
        "school attendance down to 61%."
    )
    form.show()
    settle(app)
    yield "request-step-up", form
    form.close()
    form = RequestDialog.create(None, ws, worker, case_id=STEP_DOWN_CASE)
    form.movement.setCurrentIndex(form.movement.findData("step_down"))
    form.show()
    settle(app)
    yield "request-step-down", form
    form.close()

    coordinator = actor_for(ws, COORDINATOR)
    view = agenda_builder(ws, coordinator, CIN_PANEL)
    new_panel = NewPanelDialog(ws, coordinator, window)
    new_panel.show()
    settle(app)
    yield "new-panel", new_panel
    new_panel.close()
    not_ready = [i for i in view.items if not i.readiness.ready] or list(view.items)
    hold = HoldBackDialog(not_ready[0], window)
    hold.show()
    settle(app)
    yield "hold-back", hold
    hold.close()
    preview = AgendaPreviewDialog(view, window)
    preview.show()
    settle(app)
    yield "agenda-preview", preview
    preview.close()
    timings = [
        ItemTiming(i.row.id, i.row.position, i.row.subject_name, i.row.case_reference, 20,
                   "scheduled", None, None)
        for i in view.items[-2:]
    ]  # fmt: skip
    finish = FinishMeetingDialog(timings, window)
    finish.show()
    settle(app)
    yield "finish-meeting", finish
    finish.close()

    search = SearchDialog(ws, chair, window)
    search.show()
    search.query.setText("Brown")
    settle(app)
    yield "search", search
    search.close()
    shortcuts = ShortcutsDialog(window, window)
    shortcuts.show()
    settle(app)
    yield "shortcuts", shortcuts
    shortcuts.close()

    login = LoginDialog(db_path, hint=demo_hint(), login="chair")
    login.show()
    settle(app)
    yield "login", login
    login.close()
    first = FirstRunDialog(Path.home() / "StepDesk" / "stepdesk.db")
    first.show()
    settle(app)
    yield "first-run", first
    first.close()
    # File → Change my password asks with Qt's own input dialog (ui.pages.accounts).
    password = QInputDialog(window)
    password.setWindowTitle("Change my password")
    password.setLabelText("New password (10 characters or more)")
    password.setTextEchoMode(QLineEdit.EchoMode.Password)
    password.setTextValue("correct horse")
    password.show()
    settle(app)
    yield "change-password", password
    password.close()
    window.close()


def render(folder: Path, keep: Path | None = None) -> list[str]:
    """Grab every screen in every variant into ``folder``; the problems seen by measuring.

    ``keep``: also save the :data:`CHOSEN` screens there, as 256-colour PNGs.
    """
    app, ws, db_path = demo_workspace()
    themes = theme.manager()
    problems: list[str] = []
    for variant, choice, percent in VARIANTS:
        themes.set_choice(choice)
        themes.set_text_percent(percent)
        screens: list[Callable[[], Iterator[Grab]]] = [
            lambda: pages(app, ws),
            lambda: dialogs(app, ws, db_path),
        ]
        for make in screens:
            for name, widget in make():
                size = widget.size()
                tall = SCREEN_H - (0 if isinstance(widget, MainWindow) else TITLE_BAR)
                note = ""
                if size.width() > SCREEN_W or size.height() > tall:
                    note = "  OFF SCREEN"
                    problems.append(f"{variant}-{name}: {size.width()}×{size.height()}")
                print(f"{variant}-{name}: {size.width()}×{size.height()}{note}")
                widget.grab().save(str(folder / f"{variant}-{name}.png"))
                if keep is not None and f"{variant}-{name}" in CHOSEN:
                    save_small(widget, keep / f"{variant}-{name}.png")
    themes.set_choice(theme.LIGHT)
    themes.reset_text()
    ws.db.close()
    return problems


def main(argv: list[str]) -> int:
    """Render everything; with --commit, keep the chosen few."""
    args = [a for a in argv if not a.startswith("--")]
    folder = Path(args[0]) if args else Path("/tmp/stepdesk-dialogs")
    folder.mkdir(parents=True, exist_ok=True)
    keep = None
    if "--commit" in argv:
        keep = HERE / "dialogs"
        shutil.rmtree(keep, ignore_errors=True)
        keep.mkdir()
    problems = render(folder, keep)
    print(f"{len(problems)} window(s) larger than the {SCREEN_W}×{SCREEN_H} screen")
    for line in problems:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
