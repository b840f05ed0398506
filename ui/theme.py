"""Themes and text size: Light, Dark and High contrast, following the system unless told.

Each theme is one set of named colours (:class:`Colours`); the application's ``QPalette`` and its
style sheet are both generated from it, and so are the few colours code paints itself (the RAG
cells of the Deadlines table, the readiness column of the Agenda builder): they ask
:func:`colours` for the theme in force. Severity and RAG are always written in words too.

"Follow system" (the default) reads ``QStyleHints.colorScheme()`` and, from Qt 6.10, the
accessibility contrast preference (``QStyleHints.accessibility().contrastPreference()``), and
follows their live changes.

Text size is a percentage of the system font size taken when the app starts; the app font is set
to it, and headings (which are a multiple of the app font, see :func:`ui.widgets.heading`) are
rescaled with it. Nothing sets a fixed font size.

The choices are kept in QSettings (organisation and application StepDesk).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QObject, QSettings, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QColor,
    QFont,
    QGuiApplication,
    QKeySequence,
    QPalette,
)
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

SYSTEM, LIGHT, DARK, HIGH_CONTRAST = "system", "light", "dark", "high-contrast"
CHOICES = (
    (SYSTEM, "Follow &system"),
    (LIGHT, "&Light"),
    (DARK, "&Dark"),
    (HIGH_CONTRAST, "&High contrast"),
)
# Text sizes offered by Larger / Smaller, in per cent of the system font size.
TEXT_STEPS = (80, 90, 100, 115, 130, 150, 175, 200)
THEME_KEY = "appearance/theme"
TEXT_KEY = "appearance/textPercent"
# The widget property that makes a label's font a multiple of the app font (see ui.widgets).
FONT_SCALE = "fontScale"


@dataclass(frozen=True)
class Tone:
    """A coloured strip (severity, RAG, quoracy): its background, text and left edge."""

    background: str
    text: str
    edge: str


@dataclass(frozen=True)
class Colours:
    """One theme: every colour StepDesk uses, by what it is for."""

    name: str
    window: str  # window and dialog background
    text: str  # body text on window and base
    base: str  # inputs, tables, panes
    alternate: str  # alternate table rows
    heading: str
    muted: str  # field labels, hints: still at least 7:1 in high contrast
    border: str  # frames of tables and panes
    input_border: str
    grid: str
    header: str  # table header background
    button: str
    button_text: str
    button_border: str
    hover: str
    primary: str  # the one primary button of a screen
    primary_text: str
    disabled: str  # disabled control background
    disabled_text: str
    selection: str
    selection_text: str
    focus: str  # focus ring
    focus_width: int  # pixels
    link: str
    error: str  # error text on window
    success: str  # "saved", "quorate", "ready" text on base
    warning: str  # "due soon" text on base
    block: Tone
    warn: Tone
    info: Tone
    overdue: Tone
    due_soon: Tone
    on_track: Tone
    done: Tone
    edge_width: int  # pixels of a strip's coloured left edge


LIGHT_COLOURS = Colours(
    name=LIGHT,
    window="#f7f8fa",
    text="#1b1f24",
    base="#ffffff",
    alternate="#f2f5f9",
    heading="#14263a",
    muted="#3d4a59",
    border="#c3cad3",
    input_border="#aab3be",
    grid="#dde2e8",
    header="#e8ecf1",
    button="#ffffff",
    button_text="#14263a",
    button_border="#8d99a6",
    hover="#eef3f8",
    primary="#1f4e79",
    primary_text="#ffffff",
    disabled="#eef0f3",
    disabled_text="#5b6673",
    selection="#1f4e79",
    selection_text="#ffffff",
    focus="#1f6fb2",
    focus_width=2,
    link="#0b57a0",
    error="#a3211a",
    success="#1e5e24",
    warning="#7a4a00",
    block=Tone("#fdecea", "#5f1410", "#b3261e"),
    warn=Tone("#fff3df", "#4d3300", "#b26a00"),
    info=Tone("#e7f0fa", "#0b3358", "#1f6fb2"),
    overdue=Tone("#fdecea", "#5f1410", "#b3261e"),
    due_soon=Tone("#fff3df", "#4d3300", "#b26a00"),
    on_track=Tone("#e8f5ea", "#123d1a", "#2e7d32"),
    done=Tone("#f0f2f5", "#3d4a59", "#8d99a6"),
    edge_width=5,
)

DARK_COLOURS = Colours(
    name=DARK,
    window="#1d2126",
    text="#e4e8ec",
    base="#252a31",
    alternate="#2b3139",
    heading="#f2f5f8",
    muted="#b9c2cc",
    border="#4a535e",
    input_border="#65707c",
    grid="#3a424c",
    header="#303740",
    button="#2d343c",
    button_text="#eef1f4",
    button_border="#75808c",
    hover="#38414b",
    primary="#2b67a3",
    primary_text="#ffffff",
    disabled="#2a2f35",
    disabled_text="#9aa3ad",
    selection="#2f5f8f",
    selection_text="#ffffff",
    focus="#74b6f2",
    focus_width=2,
    link="#8cc4ff",
    error="#ff9b93",
    success="#8ad695",
    warning="#f2c46d",
    block=Tone("#3e2020", "#ffd9d5", "#e5534b"),
    warn=Tone("#3a2f16", "#ffe6b8", "#d29922"),
    info=Tone("#1b2e44", "#d3e7ff", "#4f9ee8"),
    overdue=Tone("#3e2020", "#ffd9d5", "#e5534b"),
    due_soon=Tone("#3a2f16", "#ffe6b8", "#d29922"),
    on_track=Tone("#1d3523", "#cdeed4", "#46a35a"),
    done=Tone("#2c3137", "#c8cfd7", "#75808c"),
    edge_width=5,
)

# Black, white and yellow; every text colour is at least 7:1 (WCAG AAA) on its background.
HIGH_CONTRAST_COLOURS = Colours(
    name=HIGH_CONTRAST,
    window="#000000",
    text="#ffffff",
    base="#000000",
    alternate="#141414",
    heading="#ffffff",
    muted="#e8e8e8",
    border="#ffffff",
    input_border="#ffffff",
    grid="#8c8c8c",
    header="#000000",
    button="#000000",
    button_text="#ffffff",
    button_border="#ffffff",
    hover="#262626",
    primary="#ffffff",
    primary_text="#000000",
    disabled="#000000",
    disabled_text="#b3b3b3",
    selection="#ffff00",
    selection_text="#000000",
    focus="#ffff00",
    focus_width=3,
    link="#ffff00",
    error="#ff9e9e",
    success="#8cff8c",
    warning="#ffe066",
    block=Tone("#000000", "#ffc7c7", "#ff5c5c"),
    warn=Tone("#000000", "#ffeb99", "#ffd400"),
    info=Tone("#000000", "#cfe8ff", "#66b3ff"),
    overdue=Tone("#000000", "#ffc7c7", "#ff5c5c"),
    due_soon=Tone("#000000", "#ffeb99", "#ffd400"),
    on_track=Tone("#000000", "#c7ffc7", "#5ee05e"),
    done=Tone("#000000", "#ffffff", "#b3b3b3"),
    edge_width=8,
)

THEMES = {c.name: c for c in (LIGHT_COLOURS, DARK_COLOURS, HIGH_CONTRAST_COLOURS)}

_current: Colours = LIGHT_COLOURS


def colours() -> Colours:
    """The colours of the theme in force (Light until a theme is applied)."""
    return _current


# WCAG 2.x contrast, for the tests and for anyone adding a colour.
def relative_luminance(colour: str | QColor) -> float:
    """WCAG relative luminance of a colour (0 for black, 1 for white)."""
    c = QColor(colour)

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def contrast_ratio(first: str | QColor, second: str | QColor) -> float:
    """WCAG contrast ratio of two colours, from 1 to 21."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def palette(c: Colours) -> QPalette:
    """The QPalette of a theme (what Qt's own painting uses: Fusion, item views, tooltips)."""
    p = QPalette()
    role = QPalette.ColorRole
    active = {
        role.Window: c.window,
        role.WindowText: c.text,
        role.Base: c.base,
        role.AlternateBase: c.alternate,
        role.Text: c.text,
        role.Button: c.button,
        role.ButtonText: c.button_text,
        role.BrightText: c.error,
        role.Highlight: c.selection,
        role.HighlightedText: c.selection_text,
        role.ToolTipBase: c.base,
        role.ToolTipText: c.text,
        role.PlaceholderText: c.disabled_text,
        role.Link: c.link,
        role.LinkVisited: c.link,
        role.Accent: c.focus,
        role.Light: c.hover,
        role.Midlight: c.grid,
        role.Mid: c.border,
        role.Dark: c.button_border,
        role.Shadow: c.input_border,
    }
    for which, value in active.items():
        p.setColor(which, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    for which in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(disabled, which, QColor(c.disabled_text))
    p.setColor(disabled, role.Base, QColor(c.disabled))
    p.setColor(disabled, role.Button, QColor(c.disabled))
    return p


def _strip(selector: str, tone: Tone, edge: int, padding: str) -> str:
    return (
        f"{selector} {{ background: {tone.background}; color: {tone.text};"
        f" border-left: {edge}px solid {tone.edge}; padding: {padding}; }}\n"
    )


_SVG = {
    "check-off": '<rect x="1.5" y="1.5" width="13" height="13" rx="2" fill="{base}"'
    ' stroke="{edge}" stroke-width="{w}"/>',
    "check-on": '<rect x="1.5" y="1.5" width="13" height="13" rx="2" fill="{base}"'
    ' stroke="{edge}" stroke-width="{w}"/><path d="M4 8.3 L7 11.2 L12.2 4.8" fill="none"'
    ' stroke="{mark}" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round"/>',
    "check-mixed": '<rect x="1.5" y="1.5" width="13" height="13" rx="2" fill="{base}"'
    ' stroke="{edge}" stroke-width="{w}"/><path d="M4.5 8 H11.5" stroke="{mark}"'
    ' stroke-width="2.4" stroke-linecap="round"/>',
    "radio-off": '<circle cx="8" cy="8" r="6.5" fill="{base}" stroke="{edge}" stroke-width="{w}"/>',
    "radio-on": '<circle cx="8" cy="8" r="6.5" fill="{base}" stroke="{edge}" stroke-width="{w}"/>'
    '<circle cx="8" cy="8" r="3.2" fill="{mark}"/>',
}
_indicator_dir: tempfile.TemporaryDirectory[str] | None = None


def indicator_images(c: Colours, disabled: bool = False) -> dict[str, str]:
    """Check box and radio button images of a theme, as files the style sheet can name.

    Fusion outlines check boxes in a darker shade of the window colour, which cannot be seen on
    a dark or black window; so the style sheet draws them from these SVGs instead. They are
    written once per process to a temporary folder (removed at exit).
    """
    global _indicator_dir
    if _indicator_dir is None:
        _indicator_dir = tempfile.TemporaryDirectory(prefix="stepdesk-theme-")
    folder = Path(_indicator_dir.name)
    edge = c.disabled_text if disabled else (c.text if c.name == HIGH_CONTRAST else c.button_border)
    mark = c.disabled_text if disabled else c.text
    base = c.disabled if disabled else c.base
    width = 2 if c.name == HIGH_CONTRAST else 1.2
    paths = {}
    for name, body in _SVG.items():
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">'
            + body.format(base=base, edge=edge, mark=mark, w=width)
            + "</svg>"
        )
        path = folder / f"{c.name}{'-disabled' if disabled else ''}-{name}.svg"
        if not path.exists():
            path.write_text(svg, encoding="utf-8")
        paths[name] = path.as_posix()
    return paths


def _indicators(c: Colours) -> str:
    on, off = indicator_images(c), indicator_images(c, disabled=True)
    views = "QAbstractItemView"
    return f"""
QCheckBox::indicator, {views}::indicator, QGroupBox::indicator,
QRadioButton::indicator, QMenu::indicator {{ width: 1em; height: 1em; }}
QCheckBox::indicator:unchecked, {views}::indicator:unchecked, QGroupBox::indicator:unchecked,
QMenu::indicator:non-exclusive:unchecked {{ image: url({on["check-off"]}); }}
QCheckBox::indicator:checked, {views}::indicator:checked, QGroupBox::indicator:checked,
QMenu::indicator:non-exclusive:checked {{ image: url({on["check-on"]}); }}
QCheckBox::indicator:indeterminate, {views}::indicator:indeterminate {{
    image: url({on["check-mixed"]}); }}
QCheckBox::indicator:unchecked:disabled {{ image: url({off["check-off"]}); }}
QCheckBox::indicator:checked:disabled {{ image: url({off["check-on"]}); }}
QRadioButton::indicator:unchecked, QMenu::indicator:exclusive:unchecked {{
    image: url({on["radio-off"]}); }}
QRadioButton::indicator:checked, QMenu::indicator:exclusive:checked {{
    image: url({on["radio-on"]}); }}
QRadioButton::indicator:unchecked:disabled {{ image: url({off["radio-off"]}); }}
QRadioButton::indicator:checked:disabled {{ image: url({off["radio-on"]}); }}
"""


def stylesheet(c: Colours) -> str:
    """The application's style sheet for a theme: colours and spacing, never a font size.

    Every coloured background sets its own text colour, so text stays readable whatever the
    palette. A high-contrast theme also gets solid borders on every control and thick focus rings.

    A font weight is never set by state (``:selected``, ``:default``…): Qt sizes a widget with
    its stateless font, so bold text in a state is clipped (the selected tab, the default
    button at large text sizes). States change colours and borders only.
    """
    f = f"{c.focus_width}px solid {c.focus}"
    hc = c.name == HIGH_CONTRAST
    control_border = f"{2 if hc else 1}px solid"
    css = f"""
QMainWindow, QDialog {{ background: {c.window}; color: {c.text}; }}
QToolTip {{ background: {c.base}; color: {c.text}; border: 1px solid {c.border}; }}
QMenuBar {{ background: {c.window}; color: {c.text}; }}
QMenuBar::item:selected, QMenu::item:selected {{
    background: {c.selection}; color: {c.selection_text}; }}
QMenu {{ background: {c.base}; color: {c.text}; border: 1px solid {c.border}; }}
QMenu::item:disabled {{ color: {c.disabled_text}; }}
QMenu::separator {{ height: 1px; background: {c.border}; margin: 3px 6px; }}
QTabWidget::pane {{ border-top: 1px solid {c.border}; }}
QTabBar::tab {{
    background: {c.window}; color: {c.muted}; padding: 6px 14px;
    border: none; border-bottom: {3 if hc else 2}px solid transparent; }}
QTabBar::tab:selected {{ color: {c.heading}; border-bottom: {3 if hc else 2}px solid {c.focus}; }}
QTabBar::tab:hover {{ background: {c.hover}; }}
QTabBar::tab:focus {{ outline: none; border: {f}; }}
QLabel {{ color: {c.text}; }}
QLabel#heading {{ color: {c.heading}; padding-top: 4px; }}
QLabel#fieldLabel {{ color: {c.muted}; }}
QLabel:disabled {{ color: {c.disabled_text}; }}
QGroupBox {{ color: {c.heading}; border: 1px solid {c.border}; margin-top: 1.2em;
    padding-top: 4px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; padding: 0 4px; }}
QCheckBox, QRadioButton {{ color: {c.text}; }}
QCheckBox:focus, QRadioButton:focus {{ outline: {f}; }}
QTableView, QListView, QTreeView, QTableWidget, QListWidget {{
    background: {c.base}; color: {c.text}; alternate-background-color: {c.alternate};
    gridline-color: {c.grid}; border: {control_border} {c.border};
    selection-background-color: {c.selection}; selection-color: {c.selection_text}; }}
QTableView:focus, QListView:focus, QTreeView:focus {{ border: {f}; }}
QHeaderView {{ background: {c.header}; }}
QHeaderView::section {{
    background: {c.header}; color: {c.text}; padding: 4px 6px; border: none;
    border-right: 1px solid {c.grid}; border-bottom: {control_border} {c.border};
    font-weight: bold; }}
QTableCornerButton::section {{ background: {c.header}; border: none; }}
QPlainTextEdit, QTextEdit, QTextBrowser, QLineEdit, QComboBox, QDateEdit, QTimeEdit,
QDateTimeEdit, QSpinBox {{
    background: {c.base}; color: {c.text}; border: {control_border} {c.input_border};
    border-radius: 3px; padding: 3px 4px;
    selection-background-color: {c.selection}; selection-color: {c.selection_text}; }}
QPlainTextEdit:focus, QTextEdit:focus, QTextBrowser:focus, QLineEdit:focus, QComboBox:focus,
QDateEdit:focus, QTimeEdit:focus, QDateTimeEdit:focus, QSpinBox:focus {{ border: {f}; }}
QPlainTextEdit:disabled, QTextEdit:disabled, QLineEdit:disabled, QComboBox:disabled,
QDateEdit:disabled, QTimeEdit:disabled, QSpinBox:disabled {{
    background: {c.disabled}; color: {c.disabled_text}; }}
QComboBox QAbstractItemView {{ background: {c.base}; color: {c.text};
    selection-background-color: {c.selection}; selection-color: {c.selection_text}; }}
QCalendarWidget QWidget {{ background: {c.base}; color: {c.text}; }}
QCalendarWidget QToolButton {{ color: {c.text}; background: {c.header}; }}
QCalendarWidget QAbstractItemView:disabled {{ color: {c.disabled_text}; }}
QScrollArea {{ border: {control_border} {c.border}; background: {c.base}; }}
QScrollArea > QWidget > QWidget {{ background: {c.base}; }}
QWidget#casePane {{ background: {c.base}; color: {c.text}; }}
QSplitter::handle {{ background: {c.window}; }}
QSplitter::handle:hover {{ background: {c.border}; }}
QPushButton, QToolButton {{
    padding: 5px 12px; border: {control_border} {c.button_border}; border-radius: 4px;
    background: {c.button}; color: {c.button_text}; }}
QPushButton:hover, QToolButton:hover {{ background: {c.hover}; }}
QPushButton:focus, QToolButton:focus {{ border: {f}; }}
QPushButton:disabled, QToolButton:disabled {{
    color: {c.disabled_text}; border: 1px {"dashed" if hc else "solid"} {c.border};
    background: {c.disabled}; }}
QPushButton#primary, QDialogButtonBox QPushButton:default {{
    background: {c.primary}; border: {control_border} {c.primary}; color: {c.primary_text}; }}
QPushButton#primary:focus, QDialogButtonBox QPushButton:default:focus {{ border: {f}; }}
QPushButton#primary:disabled, QDialogButtonBox QPushButton:default:disabled {{
    background: {c.disabled}; border: 1px {"dashed" if hc else "solid"} {c.border};
    color: {c.disabled_text}; }}
QStatusBar {{ background: {c.header}; color: {c.text}; }}
QStatusBar QLabel {{ color: {c.text}; }}
QLabel[quiet="true"] {{ color: {c.muted}; padding: 2px 0; }}
QLabel#error {{ color: {c.error}; font-weight: bold; }}
QLabel#hint, QLabel#overrideHelp {{ color: {c.muted}; }}
QLabel#saveStatus {{ color: {c.success}; }}
QLabel#saveStatus[error="true"], QStatusBar QLabel[kind="error"] {{
    color: {c.error}; font-weight: bold; }}
QLabel#countdown {{ color: {c.heading}; }}
QLabel#countdown[over="true"] {{ color: {c.error}; }}
QLabel#quoracy {{ padding: 4px 6px; border-left: {c.edge_width - 1}px solid transparent; }}
QLabel#quoracy[quorate="true"] {{ color: {c.success}; }}
"""
    # Findings by severity; deadlines red / amber / green, and done; quoracy warning.
    e = c.edge_width
    for severity, tone in (("block", c.block), ("warn", c.warn), ("info", c.info)):
        css += _strip(f'QLabel[severity="{severity}"]', tone, e, "5px 8px")
    for rag, tone in (
        ("overdue", c.overdue),
        ("due_soon", c.due_soon),
        ("on_track", c.on_track),
        ("done", c.done),
    ):
        css += _strip(f'QLabel[rag="{rag}"]', tone, e, "4px 8px")
    # The plain rule above gives the quoracy line its box from the start: Qt does not recompute
    # a label's margins when a property change moves it from an unboxed rule to a boxed one.
    css += _strip('QLabel#quoracy[quorate="false"]', c.warn, e - 1, "4px 6px")
    return css + _indicators(c)


def resolve(choice: str, scheme: Qt.ColorScheme, contrast: Any = None) -> Colours:
    """The colours for a choice; "system" follows the colour scheme and contrast preference."""
    if choice in THEMES:
        return THEMES[choice]
    high = getattr(getattr(Qt, "ContrastPreference", None), "HighContrast", None)
    if high is not None and contrast == high:
        return HIGH_CONTRAST_COLOURS
    return DARK_COLOURS if scheme == Qt.ColorScheme.Dark else LIGHT_COLOURS


def _accessibility_hints() -> Any:
    """QStyleHints.accessibility() (Qt 6.10+), or None on an older Qt."""
    hints = QGuiApplication.styleHints()
    getter = getattr(hints, "accessibility", None)
    return getter() if getter is not None else None


class ThemeManager(QObject):
    """Applies the chosen theme and text size to the application, and keeps them.

    One per application (see :func:`manager`). ``changed`` is emitted after each change.
    """

    changed = Signal()

    def __init__(self, app: QApplication, settings: QSettings | None = None) -> None:
        super().__init__(app)
        self.app = app
        self.settings = settings or app_settings()
        self._saved = (QFont(app.font()), QPalette(app.palette()), app.styleSheet())
        self.base_point_size = app.font().pointSizeF()
        choice = str(self.settings.value(THEME_KEY, SYSTEM))
        self.choice = choice if choice in dict(CHOICES) else SYSTEM
        try:
            percent = int(self.settings.value(TEXT_KEY, 100))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            percent = 100
        self.text_percent = min(max(percent, TEXT_STEPS[0]), TEXT_STEPS[-1])
        hints = QGuiApplication.styleHints()
        self.scheme = hints.colorScheme()
        hints.colorSchemeChanged.connect(self.system_changed)
        # Kept as an attribute: PySide6 drops a wrapper of a temporary, and its signal with it.
        self._accessibility = _accessibility_hints()
        self.contrast = None
        if self._accessibility is not None:
            self.contrast = self._accessibility.contrastPreference()
            self._accessibility.contrastPreferenceChanged.connect(self.contrast_changed)
        self.colours = resolve(self.choice, self.scheme, self.contrast)
        self.applied = False

    # The system.
    def system_changed(self, scheme: Qt.ColorScheme) -> None:
        """The system's colour scheme changed: follow it if the choice is "Follow system"."""
        self.scheme = scheme
        if self.choice == SYSTEM:
            self.apply()

    def contrast_changed(self, contrast: Any) -> None:
        """The system's contrast preference changed: follow it if following the system."""
        self.contrast = contrast
        if self.choice == SYSTEM:
            self.apply()

    # The user's choices.
    def set_choice(self, choice: str) -> None:
        """Use a theme (or follow the system) from now on, and remember it."""
        if choice not in dict(CHOICES):
            raise ValueError(f"unknown theme {choice!r}")
        self.choice = choice
        self.settings.setValue(THEME_KEY, choice)
        self.apply()

    def set_text_percent(self, percent: int) -> None:
        """Text at ``percent`` of the system font size (clamped to the steps), remembered."""
        self.text_percent = min(max(int(percent), TEXT_STEPS[0]), TEXT_STEPS[-1])
        self.settings.setValue(TEXT_KEY, self.text_percent)
        self.apply()

    def larger(self) -> None:
        """One step larger."""
        bigger = [s for s in TEXT_STEPS if s > self.text_percent]
        self.set_text_percent(bigger[0] if bigger else TEXT_STEPS[-1])

    def smaller(self) -> None:
        """One step smaller."""
        less = [s for s in TEXT_STEPS if s < self.text_percent]
        self.set_text_percent(less[-1] if less else TEXT_STEPS[0])

    def reset_text(self) -> None:
        """Back to the system font size."""
        self.set_text_percent(100)

    # Applying.
    def apply(self) -> None:
        """Set the app's font, palette and style sheet from the choices."""
        global _current
        self.colours = resolve(self.choice, self.scheme, self.contrast)
        _current = self.colours
        font = QFont(self._saved[0])
        if self.base_point_size > 0:
            font.setPointSizeF(self.base_point_size * self.text_percent / 100)
        self.app.setFont(font)
        self.app.setPalette(palette(self.colours))
        # Set after the font: re-polishing the widgets makes style-sheet fonts follow it.
        self.app.setStyleSheet(stylesheet(self.colours))
        rescale_headings(self.app)
        self.applied = True
        self.changed.emit()

    def restore(self) -> None:
        """Put back the font, palette and style sheet the app had (for tests)."""
        global _current
        if self.applied:
            font, pal, css = self._saved
            self.app.setFont(font)
            self.app.setPalette(pal)
            self.app.setStyleSheet(css)
            rescale_headings(self.app)
        _current = LIGHT_COLOURS
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.disconnect(self.system_changed)
        if self._accessibility is not None:
            self._accessibility.contrastPreferenceChanged.disconnect(self.contrast_changed)


def rescale_headings(app: QApplication) -> None:
    """Make each label whose font is a multiple of the app font follow the app font."""
    base = app.font().pointSizeF()
    if base <= 0:
        return
    name = QByteArray(FONT_SCALE.encode())
    for widget in app.allWidgets():
        # Ask for the property only where it is set: PySide6 6.12's QObject.property() drops
        # a reference to None for a missing one, and Python 3.11 then aborts at exit.
        if name in widget.dynamicPropertyNames():
            scale = widget.property(FONT_SCALE)
            font = QFont(widget.font())
            font.setPointSizeF(base * float(scale))
            widget.setFont(font)


def app_settings() -> QSettings:
    """StepDesk's settings (an INI file in the user's configuration folder)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "StepDesk", "StepDesk")


_manager: ThemeManager | None = None


def manager() -> ThemeManager:
    """The application's theme manager, made (from the saved choices) on first use."""
    global _manager
    app = QApplication.instance()
    assert isinstance(app, QApplication), "make the QApplication first"
    if _manager is None or _manager.app is not app:
        _manager = ThemeManager(app)
    return _manager


def discard() -> None:
    """Forget the manager and put the app's look back as it was (tests use this)."""
    global _manager
    if _manager is not None:
        _manager.restore()
        _manager = None


def install(window: QMainWindow) -> dict[str, QAction]:
    """View → Theme and View → Text size on ``window``; returns the actions by name."""
    themes = manager()
    view = window.menu("&View")  # type: ignore[attr-defined]
    view.addSeparator()
    theme_menu = view.addMenu("&Theme")
    group = QActionGroup(window)
    group.setExclusive(True)
    actions: dict[str, QAction] = {}
    for key, label in CHOICES:
        action = QAction(label, window)
        action.setCheckable(True)
        action.setChecked(key == themes.choice)
        action.setStatusTip(f"Colours: {label.replace('&', '').lower()}")
        action.triggered.connect(lambda _=False, k=key: themes.set_choice(k))
        group.addAction(action)
        theme_menu.addAction(action)
        actions[key] = action
    size_menu = view.addMenu("Text si&ze")
    for name, label, keys, tip, slot in (
        ("larger", "&Larger text", ["Ctrl++", "Ctrl+="], "Make all text larger", themes.larger),
        ("smaller", "&Smaller text", ["Ctrl+-"], "Make all text smaller", themes.smaller),
        (
            "reset",
            "&Reset text size",
            ["Ctrl+0"],
            "Text at the system's size",
            themes.reset_text,
        ),
    ):
        action = QAction(label, window)
        action.setShortcuts([QKeySequence(k) for k in keys])
        # From any window of the app (the full-screen chair view included).
        action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        action.setStatusTip(tip)
        action.setToolTip(f"{tip} ({QKeySequence(keys[0]).toString()})")
        action.triggered.connect(slot)
        window.addAction(action)
        size_menu.addAction(action)
        actions[name] = action
    return actions


def widget_colours(widget: QWidget) -> tuple[QColor, QColor]:
    """(text, background) a widget is painted with, from its palette (for tests)."""
    p = widget.palette()
    return p.color(widget.foregroundRole()), p.color(widget.backgroundRole())
