"""Edit → Undo / Redo, acting on the text field that has (or last had) the keyboard focus.

The fields handle Ctrl+Z and Ctrl+Shift+Z themselves while they have the focus (Qt gives a
focused text field the first go at its standard keys); these menu entries make the same
commands visible and reachable by mouse and by Alt+E, and say when there is nothing to undo.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit, QWidget
from shiboken6 import isValid

if TYPE_CHECKING:
    from ui.host import PageHost

Editable = QPlainTextEdit | QTextEdit | QLineEdit


class EditActions(QObject):
    """Undo and Redo for the focused text field of one window."""

    def __init__(self, window: PageHost) -> None:
        super().__init__(window)
        self.window = window
        self.editor: Editable | None = None
        self.undo = QAction("&Undo", window)
        self.undo.setShortcut(QKeySequence("Ctrl+Z"))
        self.undo.setStatusTip("Undo the last edit in the text you are typing")
        self.redo = QAction("&Redo", window)
        # The platform's full lists add media keys and Alt+Backspace; these are what people use.
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo.setStatusTip("Redo the edit just undone")
        for action in (self.undo, self.redo):
            keys = ", ".join(k.toString() for k in action.shortcuts())
            action.setToolTip(f"{action.statusTip()} ({keys})")
            window.addAction(action)
        self.undo.triggered.connect(lambda: self._do("undo"))
        self.redo.triggered.connect(lambda: self._do("redo"))
        menu = window.menu("&Edit")
        menu.addAction(self.undo)
        menu.addAction(self.redo)
        menu.aboutToShow.connect(self.update)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        self._follow(QApplication.focusWidget())

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        # Opening the menu moves no focus to a text field: keep the last one.
        if isinstance(new, Editable) and new.window() is self.window:
            self._follow(new)

    def _follow(self, widget: QWidget | None) -> None:
        if not isinstance(widget, Editable) or widget is self.editor:
            self.update()
            return
        old = self.editor
        if old is not None and isValid(old):
            old.textChanged.disconnect(self.update)
        self.editor = widget
        widget.textChanged.connect(self.update)
        self.update()

    def _current(self) -> Editable | None:
        editor = self.editor
        if editor is None or not isValid(editor) or not editor.isVisible():
            return None
        return editor

    def update(self) -> None:
        """Enable Undo / Redo when the field has something to undo / redo."""
        editor = self._current()
        if editor is None or editor.isReadOnly():
            self.undo.setEnabled(False)
            self.redo.setEnabled(False)
            return
        if isinstance(editor, QLineEdit):
            can_undo, can_redo = editor.isUndoAvailable(), editor.isRedoAvailable()
        else:
            document = editor.document()
            can_undo, can_redo = document.isUndoAvailable(), document.isRedoAvailable()
        self.undo.setEnabled(can_undo)
        self.redo.setEnabled(can_redo)

    def _do(self, what: str) -> None:
        editor = self._current()
        if editor is None:
            return
        if what == "undo":
            editor.undo()
        else:
            editor.redo()
        editor.setFocus()
        self.update()


def install(window: PageHost) -> EditActions:
    """Fill the window's Edit menu; returns the actions (``.undo``, ``.redo``)."""
    return EditActions(window)


__all__ = ["EditActions", "install"]
