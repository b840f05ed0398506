"""View → Theme and View → Text size."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QKeySequence,
)
from PySide6.QtWidgets import QMainWindow

from ui.theme.colours import CHOICES
from ui.theme.manager import manager


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
