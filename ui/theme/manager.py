"""The application's theme manager: applies the chosen theme and text size, and keeps them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QObject, QSettings, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QPalette,
)
from PySide6.QtWidgets import QApplication

from ui.theme.colours import (
    CHOICES,
    FONT_SCALE,
    LIGHT_COLOURS,
    SYSTEM,
    TEXT_KEY,
    TEXT_STEPS,
    THEME_KEY,
    resolve,
    set_current,
)
from ui.theme.stylesheet import palette, stylesheet


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
        self.colours = resolve(self.choice, self.scheme, self.contrast)
        set_current(self.colours)
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
        if self.applied:
            font, pal, css = self._saved
            self.app.setFont(font)
            self.app.setPalette(pal)
            self.app.setStyleSheet(css)
            rescale_headings(self.app)
        set_current(LIGHT_COLOURS)
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
