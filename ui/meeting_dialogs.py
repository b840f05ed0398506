"""Questions the meeting page asks: the carry-forward reason when the meeting finishes."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from stepdesk.services.meeting import ItemTiming
from ui.widgets import heading, ok_cancel, plain_label


class FinishMeetingDialog(QDialog):
    """Finish the meeting: lists the items not reached and asks why they go forward."""

    def __init__(self, not_reached: list[ItemTiming], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Finish meeting")
        self.setAccessibleName("Finish meeting")
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Finish the meeting?", scale=1.2))
        if not_reached:
            items = "\n".join(
                f"{i.position}. {i.subject_name} ({i.case_reference})" for i in not_reached
            )
            layout.addWidget(
                plain_label(
                    f"{len(not_reached)} item(s) not reached go to the next panel of this type:"
                    f"\n{items}",
                    "Items not reached",
                    wrap=False,  # one short line per item; wrapping clipped the last one
                )
            )
        else:
            layout.addWidget(plain_label("Every item was dealt with.", "Items not reached"))
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Carry-forward reason")
        self.reason.setPlaceholderText("Why they were not reached, e.g. ran out of time")
        self.reason.setText("Not reached: the meeting ran out of time." if not_reached else "")
        label = QLabel("Carry-forward &reason")
        label.setBuddy(self.reason)
        label.setVisible(bool(not_reached))
        self.reason.setVisible(bool(not_reached))
        layout.addWidget(label)
        layout.addWidget(self.reason)
        layout.addWidget(
            plain_label(
                "The minutes then go to the chair for approval, due within 48 hours "
                "(T-MINUTES-48H).\nEach decided case gets a note that it was discussed.",
                "What happens next",
            )
        )
        buttons, _ = ok_cancel("Finish meeting", self.accept, self.reject)
        layout.addWidget(buttons)
        self.resize(620, 0)

    @classmethod
    def ask(cls, parent: QWidget | None, not_reached: list[ItemTiming]) -> str | None:
        """The carry-forward reason (empty if nothing is carried), or ``None`` if cancelled."""
        dialog = cls(not_reached, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.reason.text()
