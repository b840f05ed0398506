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

from ui.theme.colours import (
    CHOICES,
    DARK,
    DARK_COLOURS,
    FONT_SCALE,
    HIGH_CONTRAST,
    HIGH_CONTRAST_COLOURS,
    LIGHT,
    LIGHT_COLOURS,
    SYSTEM,
    TEXT_KEY,
    TEXT_STEPS,
    THEME_KEY,
    THEMES,
    Colours,
    Tone,
    colours,
    contrast_ratio,
    relative_luminance,
    resolve,
    widget_colours,
)
from ui.theme.manager import ThemeManager, app_settings, discard, manager, rescale_headings
from ui.theme.menu import install
from ui.theme.stylesheet import indicator_images, palette, stylesheet

__all__ = [
    "CHOICES",
    "DARK",
    "DARK_COLOURS",
    "FONT_SCALE",
    "HIGH_CONTRAST",
    "HIGH_CONTRAST_COLOURS",
    "LIGHT",
    "LIGHT_COLOURS",
    "SYSTEM",
    "TEXT_KEY",
    "TEXT_STEPS",
    "THEMES",
    "THEME_KEY",
    "Colours",
    "ThemeManager",
    "Tone",
    "app_settings",
    "colours",
    "contrast_ratio",
    "discard",
    "indicator_images",
    "install",
    "manager",
    "palette",
    "relative_luminance",
    "rescale_headings",
    "resolve",
    "stylesheet",
    "widget_colours",
]
