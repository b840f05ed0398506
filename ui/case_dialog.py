"""A case opened from the Deadlines page: the case pane in a dialog, with its clocks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout

from stepdesk.services.views import CaseSummary
from ui.case_pane import CasePane


class CaseDialog(QDialog):
    """Read-only view of one case: who, where, history, the latest request, every clock."""

    def __init__(self, summary: CaseSummary, now: dt.datetime, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Case {summary.reference} — {summary.subject_name}")
        self.setAccessibleName("Case")
        self.summary = summary
        layout = QVBoxLayout(self)
        self.pane = CasePane(self)
        self.pane.show_case(summary, now)
        layout.addWidget(self.pane, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close the case")
        layout.addWidget(buttons)
        self.resize(720, 640)

    @classmethod
    def open_case(cls, summary: CaseSummary, now: dt.datetime, parent: Any = None) -> CaseDialog:
        """Show the case (non-modal, so the list stays usable) and return the dialog."""
        dialog = cls(summary, now, parent)
        dialog.show()
        return dialog
