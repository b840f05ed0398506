"""The co-ordinator's minute notes for one agenda item, saved as they are typed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QVBoxLayout, QWidget

from ui.widgets import heading, plain_label, set_style_property

SAVE_DELAY_MS = 500


class NotesEditor(QWidget):
    """A plain-text editor that asks to save 500 ms after typing stops, and on leaving the item.

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
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)

        self.title = heading("Minute notes")
        self.status = plain_label(name="Notes save status", wrap=False)
        self.status.setObjectName("saveStatus")
        self.editor = QPlainTextEdit(self)
        self.editor.setAccessibleName("Minute notes")
        self.editor.setPlaceholderText("Minute notes for this item. Saved as you type.")
        self.editor.setTabChangesFocus(True)
        self.editor.textChanged.connect(self._on_text_changed)

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
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

    def set_item(
        self, item_id: int | None, text: str, saved_at: dt.datetime | None, title: str = ""
    ) -> None:
        """Show another item's notes, saving the current ones first."""
        self.flush()
        self._item_id = item_id
        self.title.setText(f"Minute notes: {title}" if title else "Minute notes")
        unsaved = self._unsaved.get(item_id) if item_id is not None else None
        self.editor.blockSignals(True)
        self.editor.setPlainText(text if unsaved is None else unsaved)
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
        if not self._dirty or self._item_id is None:
            return
        self._dirty = False
        text = self.editor.toPlainText()
        self._unsaved[self._item_id] = text
        self.save_requested.emit(self._item_id, text)

    def mark_saved(self, item_id: int, at: str) -> None:
        """The controller saved the notes of ``item_id`` at ``at``."""
        self._unsaved.pop(item_id, None)
        if item_id == self._item_id:
            self._show_status(f"Saved {at}" if at else "")
        self.saved.emit(item_id, at)

    def mark_failed(self, item_id: int) -> None:
        """The save failed: keep the text marked unsaved so that the next change retries."""
        if item_id == self._item_id:
            self._dirty = True
            self._show_status("Not saved", error=True)

    def _on_text_changed(self) -> None:
        self._dirty = True
        self._show_status("Saving…")
        self._timer.start()

    def _show_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        set_style_property(self.status, "error", "true" if error else "false")
