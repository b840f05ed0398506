"""A theme's QPalette and style sheet (with its check box and radio indicator images)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtGui import (
    QColor,
    QPalette,
)

from ui.theme.colours import HIGH_CONTRAST, Colours, Tone


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
