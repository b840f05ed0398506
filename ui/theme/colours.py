"""The themes' named colours, the theme in force, and WCAG contrast."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
)
from PySide6.QtWidgets import QWidget

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


def set_current(c: Colours) -> None:
    """Make ``c`` the theme in force (the manager calls this when it applies a theme)."""
    global _current
    _current = c


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


def resolve(choice: str, scheme: Qt.ColorScheme, contrast: Any = None) -> Colours:
    """The colours for a choice; "system" follows the colour scheme and contrast preference."""
    if choice in THEMES:
        return THEMES[choice]
    high = getattr(getattr(Qt, "ContrastPreference", None), "HighContrast", None)
    if high is not None and contrast == high:
        return HIGH_CONTRAST_COLOURS
    return DARK_COLOURS if scheme == Qt.ColorScheme.Dark else LIGHT_COLOURS


def widget_colours(widget: QWidget) -> tuple[QColor, QColor]:
    """(text, background) a widget is painted with, from its palette (for tests)."""
    p = widget.palette()
    return p.color(widget.foregroundRole()), p.color(widget.backgroundRole())
