"""Themes (Light, Dark, High contrast, following the system) and the text size."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from stepdesk.rules import Finding
from stepdesk.services import Actor, Workspace
from stepdesk.services.people import actor_for
from stepdesk.timescales import Rag
from tests.ui.conftest import OFFSCREEN_NOISE
from ui import theme
from ui.main_window import MainWindow
from ui.pages.deadlines import DeadlinesPage
from ui.shortcuts_dialog import clashes, shortcut_rows
from ui.widgets import FindingsList

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

ROLE = QPalette.ColorRole
AAA, AA = 7.0, 4.5


@pytest.fixture(autouse=True)
def _delete_closed_windows(qapp: QApplication) -> Iterator[None]:
    """Really delete the windows earlier tests closed: each theme change restyles every widget
    that exists, so left-over windows would make these tests slow."""
    qapp.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    yield
    qapp.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def themes(qapp: QApplication) -> Iterator[theme.ThemeManager]:
    """The app's theme manager, as the app starts it (Follow system, 100 %)."""
    manager = theme.manager()
    manager.apply()
    yield manager  # tests/ui/conftest.py puts the app's look back afterwards


@pytest.fixture
def themed_window(
    qtbot: QtBot, themes: theme.ThemeManager, demo_ws: Workspace, chair: Actor
) -> MainWindow:
    """The main window styled by the app (no window style sheet of its own), at 1366×768."""
    win = MainWindow(demo_ws, chair)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_contrast_ratio_matches_wcag() -> None:
    assert theme.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert theme.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert theme.contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)


def text_pairs(c: theme.Colours) -> dict[str, tuple[str, str]]:
    """Every (text, background) pair the theme paints text with."""
    pairs = {
        "text on window": (c.text, c.window),
        "text on base": (c.text, c.base),
        "text on alternate rows": (c.text, c.alternate),
        "heading": (c.heading, c.window),
        "muted on window": (c.muted, c.window),
        "muted on base": (c.muted, c.base),
        "header": (c.text, c.header),
        "button": (c.button_text, c.button),
        "primary button": (c.primary_text, c.primary),
        "selection": (c.selection_text, c.selection),
        "error": (c.error, c.window),
        "success on base": (c.success, c.base),
        "warning on base": (c.warning, c.base),
        "error on base": (c.error, c.base),
    }
    for name in ("block", "warn", "info", "overdue", "due_soon", "on_track", "done"):
        tone: theme.Tone = getattr(c, name)
        pairs[name] = (tone.text, tone.background)
    return pairs


@pytest.mark.parametrize(
    ("colours", "least"),
    [(theme.HIGH_CONTRAST_COLOURS, AAA), (theme.DARK_COLOURS, AA), (theme.LIGHT_COLOURS, AA)],
    ids=["high-contrast AAA", "dark AA", "light AA"],
)
def test_every_text_colour_is_readable(colours: theme.Colours, least: float) -> None:
    low = {
        name: round(theme.contrast_ratio(fg, bg), 2)
        for name, (fg, bg) in text_pairs(colours).items()
        if theme.contrast_ratio(fg, bg) < least
    }
    assert low == {}


@pytest.mark.parametrize("choice", [theme.LIGHT, theme.DARK, theme.HIGH_CONTRAST])
def test_choosing_a_theme_sets_palette_and_style(
    qapp: QApplication, themed_window: MainWindow, themes: theme.ThemeManager, choice: str
) -> None:
    themed_window.theme_actions[choice].trigger()
    expected = theme.THEMES[choice]
    assert themes.choice == choice
    assert theme.colours() is expected
    palette = qapp.palette()
    assert palette.color(ROLE.Window).name() == expected.window
    assert palette.color(ROLE.WindowText).name() == expected.text
    assert palette.color(ROLE.Base).name() == expected.base
    assert palette.color(ROLE.Highlight).name() == expected.selection
    # The style sheet is in force on the real widgets: the agenda table is painted in the
    # theme's colours (no light island in a dark theme).
    qapp.processEvents()
    table = themed_window.agenda_view
    assert table.palette().color(ROLE.Base).name() == expected.base
    assert table.palette().color(ROLE.Text).name() == expected.text
    main_text = palette.color(ROLE.WindowText)
    ratio = theme.contrast_ratio(main_text, palette.color(ROLE.Window))
    assert ratio >= (AAA if choice == theme.HIGH_CONTRAST else AA)
    assert QSettings(*_settings_args()).value(theme.THEME_KEY) == choice


def _settings_args() -> tuple[QSettings.Format, QSettings.Scope, str, str]:
    return (QSettings.Format.IniFormat, QSettings.Scope.UserScope, "StepDesk", "StepDesk")


def test_high_contrast_severity_and_rag_labels_are_aaa_on_screen(
    qtbot: QtBot, qapp: QApplication, themes: theme.ThemeManager
) -> None:
    themes.set_choice(theme.HIGH_CONTRAST)
    box = QWidget()
    qtbot.addWidget(box)
    findings = FindingsList(box)
    findings.set_findings(
        [
            Finding(rule="T-CP-CIN-3M", severity="block", message="Too soon.", citation="004"),
            Finding(rule="C-EVIDENCE", severity="warn", message="No plan.", citation="003"),
            Finding(rule="C-NOTE", severity="info", message="For information.", citation="003"),
        ]
    )
    box.show()
    qapp.processEvents()
    labels = findings.labels()
    assert [label.text().split(" ·")[0] for label in labels] == ["Blocks", "Warning", "Note"]
    for label in labels:
        # What the style sheet polished onto the label is what is painted.
        text = label.palette().color(label.foregroundRole())
        background = label.palette().color(label.backgroundRole())
        assert background.name() == "#000000", label.text()
        assert theme.contrast_ratio(text, background) >= AAA, label.text()
    # The deadline strips (red / amber / green / done) too.
    for rag in ("overdue", "due_soon", "on_track", "done"):
        label = QLabel(rag, box)
        label.setProperty("rag", rag)
        label.show()
        qapp.processEvents()
        text = label.palette().color(label.foregroundRole())
        background = label.palette().color(label.backgroundRole())
        assert theme.contrast_ratio(text, background) >= AAA, rag


def test_severity_words_survive_every_theme(qtbot: QtBot, themes: theme.ThemeManager) -> None:
    findings = FindingsList()
    qtbot.addWidget(findings)
    findings.set_findings([Finding(rule="T-X", severity="block", message="Stop.", citation="1")])
    for choice in (theme.DARK, theme.HIGH_CONTRAST):
        themes.set_choice(choice)
        assert findings.texts()[0].startswith("Blocks · T-X")


def test_follow_system_tracks_the_colour_scheme_and_contrast(
    qapp: QApplication, themes: theme.ThemeManager
) -> None:
    themes.set_choice(theme.SYSTEM)
    themes.system_changed(Qt.ColorScheme.Dark)
    assert theme.colours() is theme.DARK_COLOURS
    assert qapp.palette().color(ROLE.Window).name() == theme.DARK_COLOURS.window
    themes.system_changed(Qt.ColorScheme.Light)
    assert qapp.palette().color(ROLE.Window).name() == theme.LIGHT_COLOURS.window
    themes.contrast_changed(Qt.ContrastPreference.HighContrast)
    assert theme.colours() is theme.HIGH_CONTRAST_COLOURS
    themes.contrast_changed(Qt.ContrastPreference.NoPreference)
    assert theme.colours() is theme.LIGHT_COLOURS
    # A theme chosen by hand is kept whatever the system does.
    themes.set_choice(theme.LIGHT)
    themes.system_changed(Qt.ColorScheme.Dark)
    assert theme.colours() is theme.LIGHT_COLOURS


def test_the_manager_listens_to_the_style_hints(
    qapp: QApplication, themes: theme.ThemeManager
) -> None:
    # The offscreen platform cannot change its colour scheme, so emit the hint's own signal.
    themes.set_choice(theme.SYSTEM)
    QApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert theme.colours() is theme.DARK_COLOURS
    QApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert theme.colours() is theme.LIGHT_COLOURS


def test_resolve_degrades_without_a_contrast_preference() -> None:
    assert theme.resolve(theme.SYSTEM, Qt.ColorScheme.Unknown, None) is theme.LIGHT_COLOURS
    assert theme.resolve(theme.SYSTEM, Qt.ColorScheme.Dark, None) is theme.DARK_COLOURS
    assert theme.resolve(theme.DARK, Qt.ColorScheme.Light, None) is theme.DARK_COLOURS


def test_theme_menu_is_a_radio_group_that_remembers(
    qapp: QApplication, themed_window: MainWindow, themes: theme.ThemeManager
) -> None:
    actions = themed_window.theme_actions
    assert actions[theme.SYSTEM].isChecked()
    actions[theme.DARK].trigger()
    assert actions[theme.DARK].isChecked() and not actions[theme.SYSTEM].isChecked()
    # A new start reads the choice back.
    theme.discard()
    assert theme.manager().choice == theme.DARK


def test_larger_text_grows_the_app_font_and_persists(
    qtbot: QtBot, qapp: QApplication, themed_window: MainWindow, themes: theme.ThemeManager
) -> None:
    before = qapp.font().pointSizeF()
    title = themed_window.panel_title  # a heading at 1.3 × the app font
    title_before = title.font().pointSizeF()
    themed_window.activateWindow()
    qtbot.keyClick(themed_window.agenda_view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    if themes.text_percent == 100:  # the offscreen platform may not deliver the shortcut
        themed_window.theme_actions["larger"].trigger()
    assert themes.text_percent == 115
    assert qapp.font().pointSizeF() == pytest.approx(before * 1.15)
    assert title.font().pointSizeF() == pytest.approx(before * 1.15 * 1.3)
    assert title.font().pointSizeF() > title_before
    assert themed_window.agenda_view.font().pointSizeF() == pytest.approx(before * 1.15)
    theme.discard()
    assert theme.manager().text_percent == 115
    theme.manager().reset_text()
    assert qapp.font().pointSizeF() == pytest.approx(before)


def test_smaller_and_reset(qapp: QApplication, themes: theme.ThemeManager) -> None:
    base = qapp.font().pointSizeF()
    themes.smaller()
    assert qapp.font().pointSizeF() == pytest.approx(base * 0.9)
    themes.set_text_percent(theme.TEXT_STEPS[0])
    themes.smaller()  # the smallest stays the smallest
    assert themes.text_percent == theme.TEXT_STEPS[0]
    themes.reset_text()
    assert qapp.font().pointSizeF() == pytest.approx(base)


def test_text_size_shortcuts_are_listed_and_clash_with_nothing(themed_window: MainWindow) -> None:
    owners: dict[str, list[str]] = {}
    from PySide6.QtGui import QAction

    for action in themed_window.findChildren(QAction):
        for keys in action.shortcuts():
            owners.setdefault(keys.toString(), []).append(action.text())
    for keys in ("Ctrl++", "Ctrl+=", "Ctrl+-", "Ctrl+0"):
        assert len(owners[QKeySequence(keys).toString()]) == 1, (keys, owners.get(keys))
    mine = ("Ctrl++", "Ctrl+=", "Ctrl+-", "Ctrl+0")
    assert [c for c in clashes(themed_window) if c.split(":")[0] in mine] == []
    listed = {row[0]: row[1] for row in shortcut_rows(themed_window)}
    assert "Ctrl++" in listed["Larger text"]
    assert listed["Smaller text"] == "Ctrl+-"
    assert listed["Reset text size"] == "Ctrl+0"


def test_chair_view_follows_the_text_size(
    qapp: QApplication, themed_window: MainWindow, themes: theme.ThemeManager
) -> None:
    themed_window.pages.setCurrentWidget(themed_window.meeting_page)
    qapp.processEvents()
    position = themed_window.meeting_page.chair.position
    before = position.font().pointSizeF()
    themes.set_text_percent(150)
    qapp.processEvents()
    assert position.font().pointSizeF() == pytest.approx(before * 1.5, rel=0.02)


def test_deadlines_table_takes_its_colours_from_the_theme(
    qapp: QApplication, qtbot: QtBot, themes: theme.ThemeManager, demo_ws: Workspace
) -> None:
    page = DeadlinesPage(demo_ws, actor_for(demo_ws, 1), None)
    qtbot.addWidget(page)
    model = page.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).row.rag == Rag.OVERDUE)
    index = model.index(row, model.STATUS)
    themes.set_choice(theme.DARK)
    assert index.data(Qt.ItemDataRole.BackgroundRole).color().name() == "#3e2020"
    themes.set_choice(theme.HIGH_CONTRAST)
    fg = index.data(Qt.ItemDataRole.ForegroundRole).color()
    bg = index.data(Qt.ItemDataRole.BackgroundRole).color()
    assert theme.contrast_ratio(fg, bg) >= AAA
    assert index.data() == "Overdue"  # the word, never colour alone


def clipped(root: QWidget) -> list[str]:
    """Visible labels and buttons smaller than their text needs.

    A label that wraps must be as tall as its text at its width; one that does not, and a button,
    as wide and as tall as its size hint (which is what the text needs, margins included).
    """
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel) and widget.text():
            if widget.wordWrap():
                need_w, need_h = 0, widget.heightForWidth(widget.width())
            else:
                need_w, need_h = widget.sizeHint().width(), widget.sizeHint().height()
        elif isinstance(widget, QPushButton) and widget.text():
            need_w, need_h = widget.sizeHint().width(), widget.sizeHint().height()
        else:
            continue
        if widget.width() + 1 < need_w or widget.height() + 1 < need_h:
            found.append(
                f"{type(widget).__name__} {widget.text()[:40]!r}: {widget.width()}×"
                f"{widget.height()}, needs {need_w}×{need_h}"
            )
    return found


@pytest.mark.parametrize("login", [2, 3, 27], ids=["chair", "coordinator", "administrator"])
def test_at_150_percent_nothing_is_clipped_at_1366x768(
    qtbot: QtBot,
    qapp: QApplication,
    themes: theme.ThemeManager,
    demo_ws: Workspace,
    login: int,
) -> None:
    themes.set_choice(theme.HIGH_CONTRAST)
    themes.set_text_percent(150)
    win = MainWindow(demo_ws, actor_for(demo_ws, login))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    win.upcoming_view.setCurrentIndex(win.upcoming_filter.index(1, 0))
    win.agenda_view.setCurrentIndex(win.agenda_model.index(2, 0))
    problems = {}
    for page in range(win.pages.count()):
        win.pages.setCurrentIndex(page)
        for _ in range(3):
            qapp.processEvents()
        assert (win.width(), win.height()) == (1366, 768), win.pages.tabText(page)
        found = clipped(win.pages.currentWidget())
        if found:
            problems[win.pages.tabText(page)] = found
    assert problems == {}
