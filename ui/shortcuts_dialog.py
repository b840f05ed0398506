"""Help → Keyboard shortcuts: every shortcut, read from the window's own actions."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def shortcut_rows(root: QWidget) -> list[tuple[str, str, str]]:
    """(what, keys, about) for each action with a shortcut under ``root``, by keys."""
    rows = {}
    for action in root.findChildren(QAction):
        keys = ", ".join(
            k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()
        )
        if not keys:
            continue
        text = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
        rows[(text, keys)] = (text.rstrip("…"), keys, action.statusTip())
    return sorted(rows.values(), key=lambda r: (r[1], r[0]))


class ShortcutsDialog(QDialog):
    """A table of the shortcuts; Esc closes it."""

    def __init__(self, window: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 3)
        self.table.setAccessibleName("Shortcuts")
        self.table.setHorizontalHeaderLabels(["Action", "Keys", "What it does"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        # Compact rows, sized from the font: the whole list fits a 768-pixel-high screen.
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setWordWrap(False)
        for number, row in enumerate(rows):
            for column, text in enumerate(row):
                self.table.setItem(number, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        rows_height = self.table.verticalHeader().defaultSectionSize() * (len(rows) + 1)
        self.resize(760, min(640, rows_height + 90))


def install(window: QMainWindow) -> QAction:
    """Help → Keyboard shortcuts (F1)."""
    action = QAction("&Keyboard shortcuts", window)
    action.setShortcut(QKeySequence("F1"))
    action.setStatusTip("List every keyboard shortcut")
    window.addAction(action)
    action.triggered.connect(lambda: ShortcutsDialog(window).exec())
    menu = getattr(window, "menu", None)
    if menu is not None:
        menu("&Help").addAction(action)
    return action
