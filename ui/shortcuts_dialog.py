"""Help → Keyboard shortcuts: every shortcut, read from the window's own actions.

The list is made from the live QActions (and any QShortcut) under the main window each time
it is shown, so it cannot drift from what the keys really do. Each shortcut says where it
works: "Everywhere" (the window's own actions) or the page it belongs to (a page's actions
work while that page is shown). :func:`clashes` finds two shortcuts on the same keys that
could both be live at once; a test keeps that list empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMenu,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

EVERYWHERE = "Everywhere"


@dataclass(frozen=True)
class Shortcut:
    """One shortcut as the window lists it."""

    what: str  # the action's text, without mnemonics or the trailing "…"
    keys: str  # e.g. "Ctrl+Shift+S" or "Ctrl+Shift+Z, Ctrl+Y"
    where: str  # "Everywhere", or the page ("Meeting", "Agenda builder", …)
    about: str  # what it does (the status tip)
    sequences: tuple[str, ...]  # each key sequence on its own, portable text

    @property
    def row(self) -> tuple[str, str, str]:
        """(what, keys, about), as the first version of this window listed them."""
        return (self.what, self.keys, self.about)


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def _pages(window: QWidget) -> dict[QWidget, str]:
    tabs = getattr(window, "pages", None)
    if not isinstance(tabs, QTabWidget):
        return {}
    return {tabs.widget(i): _plain(tabs.tabText(i)) for i in range(tabs.count())}


def _where(owner: QWidget | None, context: Qt.ShortcutContext, window: QWidget) -> str | None:
    """Where a shortcut owned by ``owner`` works; ``None`` if not in this window at all."""
    if context == Qt.ShortcutContext.ApplicationShortcut:
        return EVERYWHERE
    if owner is None:
        return None
    if owner is window:
        return EVERYWHERE if context == Qt.ShortcutContext.WindowShortcut else None
    pages = _pages(window)
    widget: QWidget | None = owner
    while widget is not None:
        if widget in pages:
            return pages[widget]  # a hidden page's shortcuts do not fire: they are its own
        if widget.isWindow() and widget is not window:
            return widget.windowTitle() or None  # a window of its own (the chair view)
        widget = widget.parentWidget()
    return None


def _owner(action: QAction) -> QWidget | None:
    """The widget an action is added to for its shortcut (menus only show it)."""
    for obj in action.associatedObjects():
        if isinstance(obj, QWidget) and not isinstance(obj, QMenu | QMenuBar):
            return obj
    parent = action.parent()
    return parent if isinstance(parent, QWidget) else None


def shortcuts(window: QWidget) -> list[Shortcut]:
    """Every shortcut under ``window``: the window's first, then page by page, by keys."""
    found: dict[tuple[str, str, str], Shortcut] = {}
    objects: list[QObject] = [*window.findChildren(QAction), *window.findChildren(QShortcut)]
    for obj in objects:
        if isinstance(obj, QAction):
            sequences = obj.shortcuts()
            text, about = obj.text(), obj.statusTip()
            where = _where(_owner(obj), obj.shortcutContext(), window)
        else:
            assert isinstance(obj, QShortcut)
            sequences = list(obj.keys())
            text, about = obj.whatsThis() or obj.objectName(), obj.whatsThis()
            parent = obj.parent()
            where = _where(parent if isinstance(parent, QWidget) else None, obj.context(), window)
        sequences = [k for k in sequences if not k.isEmpty()]
        if not sequences or where is None:
            continue
        keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in sequences)
        portable = tuple(k.toString(QKeySequence.SequenceFormat.PortableText) for k in sequences)
        entry = Shortcut(_plain(text), keys, where, about, portable)
        found[(entry.what, entry.keys, entry.where)] = entry
    order = {name: n for n, name in enumerate(_pages(window).values())}
    return sorted(
        found.values(),
        key=lambda s: (s.where != EVERYWHERE, order.get(s.where, len(order)), s.keys, s.what),
    )


def shortcut_rows(root: QWidget) -> list[tuple[str, str, str]]:
    """(what, keys, about) for each shortcut under ``root``."""
    return [s.row for s in shortcuts(root)]


def clashes(window: QWidget) -> list[str]:
    """Pairs of shortcuts on the same keys that can be live together (each in words).

    A window-wide shortcut clashes with any other on the same keys (Qt calls it ambiguous and
    runs neither); two page shortcuts clash only on the same page.
    """
    problems = []
    listed = shortcuts(window)
    for n, a in enumerate(listed):
        for b in listed[n + 1 :]:
            same = set(a.sequences) & set(b.sequences)
            together = EVERYWHERE in (a.where, b.where) or a.where == b.where
            if same and together:
                problems.append(
                    f"{', '.join(sorted(same))}: {a.what} ({a.where}) and {b.what} ({b.where})"
                )
    return problems


class ShortcutsDialog(QDialog):
    """A table of the shortcuts, where each works and what it does; Esc closes it."""

    COLUMNS = ("Where", "Keys", "Action", "What it does")

    def __init__(self, window: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        self.entries = shortcuts(window)
        self.table = QTableWidget(len(self.entries), len(self.COLUMNS))
        self.table.setAccessibleName("Shortcuts")
        self.table.setAccessibleDescription(
            "Each keyboard shortcut: where it works, its keys, and what it does. Page "
            "shortcuts work while that page is shown."
        )
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        # Compact rows, sized from the font: the whole list fits a 768-pixel-high screen.
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setWordWrap(False)
        previous = None
        for number, entry in enumerate(self.entries):
            # The page is named on its first row only: the groups read as groups.
            where = entry.where if entry.where != previous else ""
            previous = entry.where
            for column, text in enumerate((where, entry.keys, entry.what, entry.about)):
                item = QTableWidgetItem(text)
                if column == 0 and not text:
                    item.setData(Qt.ItemDataRole.AccessibleTextRole, entry.where)
                self.table.setItem(number, column, item)
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        rows_height = self.table.verticalHeader().defaultSectionSize() * (len(self.entries) + 1)
        self.resize(900, min(700, rows_height + 90))

    def listed(self) -> list[tuple[str, str, str]]:
        """(where, keys, action) of each row, as shown (for tests and screen readers)."""
        rows = []
        for number, entry in enumerate(self.entries):
            rows.append((entry.where, self.table.item(number, 1).text(), entry.what))
        return rows


def install(window: QMainWindow) -> QAction:
    """Help → Keyboard shortcuts (F1)."""
    action = QAction("&Keyboard shortcuts", window)
    action.setShortcut(QKeySequence("F1"))
    action.setStatusTip("List every keyboard shortcut, page by page")
    window.addAction(action)
    action.triggered.connect(lambda: ShortcutsDialog(window).exec())
    menu = getattr(window, "menu", None)
    if menu is not None:
        menu("&Help").addAction(action)
    return action
