"""The co-ordinator's minute notes for one agenda item, saved as they are typed.

What "saved as typed" means, precisely: the notes are saved :data:`SAVE_DELAY_MS` after typing
pauses, and at the latest :data:`MAX_UNSAVED_MS` after the first keystroke not yet saved,
however fast and long someone types. So a crash (or a power cut) loses at most the last
:data:`MAX_UNSAVED_MS` of typing, and never anything the status line showed as "Saved"
(``tests/ui/test_crash_autosave.py`` kills the real app mid-typing and checks both).

Each item keeps its own text document for as long as the editor lives, so Ctrl+Z undoes the
last edits of an item even after an autosave or after going to another item and back. Each
autosave ends an undo step (Qt merges all uninterrupted typing into one step, and only while the
document is "modified"): Ctrl+Z takes back what was typed since the last save, not the whole
item's minutes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPlainTextDocumentLayout,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.widgets import heading, plain_label, set_style_property

SAVE_DELAY_MS = 500
MAX_UNSAVED_MS = 2000


class NotesEditor(QWidget):
    """A plain-text editor that asks to save when typing pauses, while it goes on, and on leaving.

    The editor knows no services: it emits :attr:`save_requested` and the controller answers
    with :meth:`mark_saved` or :meth:`mark_failed`. Switching item or closing the window calls
    :meth:`flush` first, so nothing typed is left unsaved.
    """

    save_requested = Signal(int, str)  # item id, text
    saved = Signal(int, str)  # item id, saved-at time text

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._item_id: int | None = None
        self._dirty = False
        # Text handed to the controller and not yet confirmed saved, by item: a failed save
        # (a locked database, say) keeps it here, so switching item and back never loses it.
        self._unsaved: dict[int, str] = {}
        # The text as last loaded from or saved to the database, by item: a save sends its
        # fingerprint so that another co-ordinator's save in between is never overwritten.
        self._base: dict[int, str] = {}
        # One document per item shown: its undo stack survives autosaves and item switches.
        self._documents: dict[int | None, QTextDocument] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        # Typing that never pauses still gets saved: this one is not restarted by keystrokes.
        self._max_timer = QTimer(self)
        self._max_timer.setSingleShot(True)
        self._max_timer.setInterval(MAX_UNSAVED_MS)
        self._max_timer.timeout.connect(self.flush)

        self.title = heading("Minute notes")
        self.title.setWordWrap(True)  # "Minute notes: <a long name>" never widens the page
        self.status = plain_label(name="Notes save status", wrap=False)
        self.status.setObjectName("saveStatus")
        self.editor = QPlainTextEdit(self)
        self.editor.setAccessibleName("Minute notes")
        self.editor.setPlaceholderText("Minute notes for this item. Saved as you type.")
        self.editor.setTabChangesFocus(True)
        self.editor.textChanged.connect(self._on_text_changed)

        top = QHBoxLayout()
        top.addWidget(self.title, 1)  # all the width there is, before it wraps
        top.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.editor)
        self.set_item(None, "", None)

    @property
    def item_id(self) -> int | None:
        """The agenda item whose notes are shown."""
        return self._item_id

    def _document(self, item_id: int | None) -> QTextDocument:
        document = self._documents.get(item_id)
        if document is None:
            document = QTextDocument(self)
            document.setDocumentLayout(QPlainTextDocumentLayout(document))
            document.setDefaultFont(self.editor.font())
            self._documents[item_id] = document
        return document

    def set_item(
        self, item_id: int | None, text: str, saved_at: dt.datetime | None, title: str = ""
    ) -> None:
        """Show another item's notes (or the same item's, changed elsewhere), saving first."""
        self.flush()
        self._item_id = item_id
        self.title.setText(f"Minute notes: {title}" if title else "Minute notes")
        unsaved = self._unsaved.get(item_id) if item_id is not None else None
        wanted = text if unsaved is None else unsaved
        if item_id is not None and (unsaved is None or item_id not in self._base):
            self._base[item_id] = text
        document = self._document(item_id)
        self.editor.blockSignals(True)
        if self.editor.document() is not document:
            self.editor.setDocument(document)
        if document.toPlainText() != wanted:
            if document.isEmpty() and not document.isUndoAvailable():
                document.setPlainText(wanted)  # first showing: nothing to undo to
            else:
                # Changed elsewhere (the other notes editor, say): one undoable replacement.
                cursor = QTextCursor(document)
                cursor.select(QTextCursor.SelectionType.Document)
                cursor.insertText(wanted)
            document.setModified(False)
        self.editor.blockSignals(False)
        self.editor.setEnabled(item_id is not None)
        if unsaved is not None and unsaved != text:
            self._dirty = True
            self._show_status("Not saved yet: retrying", error=True)
            self._timer.start()
        else:
            self._dirty = False
            self._show_status(f"Saved {saved_at:%H:%M:%S}" if saved_at else "")

    def set_read_only(self, read_only: bool, why: str = "") -> None:
        """For users who may not write minutes."""
        self.editor.setReadOnly(read_only)
        if read_only:
            self.editor.setPlaceholderText(why)

    def flush(self) -> None:
        """Ask to save now if anything is unsaved."""
        self._timer.stop()
        self._max_timer.stop()
        if not self._dirty or self._item_id is None:
            return
        self._dirty = False
        text = self.editor.toPlainText()
        # The next keystroke starts a new undo step (see the module's docstring).
        self.editor.document().setModified(False)
        self._unsaved[self._item_id] = text
        self.save_requested.emit(self._item_id, text)

    def base(self, item_id: int) -> str | None:
        """The notes of ``item_id`` as last loaded or saved here (what a save is based on)."""
        return self._base.get(item_id)

    def mark_saved(self, item_id: int, at: str) -> None:
        """The controller saved the notes of ``item_id`` at ``at``."""
        saved = self._unsaved.pop(item_id, None)
        if saved is not None:
            self._base[item_id] = saved
        if item_id == self._item_id:
            self._show_status(f"Saved {at}" if at else "")
        self.saved.emit(item_id, at)

    def mark_failed(self, item_id: int) -> None:
        """The save failed: keep the text marked unsaved so that the next change retries."""
        if item_id == self._item_id:
            self._dirty = True
            self._show_status("Not saved", error=True)

    def mark_conflict(self, item_id: int, theirs: str, merged: str) -> None:
        """Someone else saved ``theirs`` meanwhile: show both (``merged``) and save that.

        The replacement is one undo step, so Ctrl+Z brings back exactly what was typed here.
        """
        self._base[item_id] = theirs
        self._unsaved[item_id] = merged
        if item_id != self._item_id:
            return  # shown (and saved) when the item is opened again
        document = self.editor.document()
        self.editor.blockSignals(True)
        cursor = QTextCursor(document)
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(merged)
        document.setModified(False)
        self.editor.blockSignals(False)
        self._dirty = True
        self._show_status("Changed by someone else: both versions kept", error=True)
        self._timer.start()

    def _on_text_changed(self) -> None:
        self._dirty = True
        self._show_status("Saving…")
        self._timer.start()
        if not self._max_timer.isActive():
            self._max_timer.start()

    def _show_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        set_style_property(self.status, "error", "true" if error else "false")
