"""Small questions the GUI asks. Each has an ``ask`` classmethod that tests monkeypatch."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget


class SaveFileDialog:
    """Where to save a file."""

    @classmethod
    def ask(
        cls, parent: QWidget | None, title: str, suggested: Path, file_filter: str
    ) -> Path | None:
        """The chosen path, or ``None`` if the user cancelled."""
        chosen, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), file_filter)
        return Path(chosen) if chosen else None
