"""Equalities on a case (sex, ethnicity, disability: CIN census codes), for workers to record."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QPushButton

from stepdesk.errors import StepDeskError
from stepdesk.services.equalities import equalities_of, record_equalities
from stepdesk.services.monitoring.categories import DISABILITY, ETHNICITY, SEX
from stepdesk.services.permissions import allowed
from stepdesk.services.workspace import Actor, Workspace
from ui.widgets import plain_label


def _combo(name: str, codes: dict[str, str], current: str | None) -> QComboBox:
    combo = QComboBox(accessibleName=name)
    combo.addItem("Not recorded", None)
    for code, label in codes.items():
        combo.addItem(label, code)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


class EqualitiesBox(QGroupBox):
    """Three choices and Save; read-only for roles that cannot edit requests."""

    def __init__(self, ws: Workspace, actor: Actor, case_id: int, parent: Any = None) -> None:
        super().__init__("Equalities (for monitoring)", parent)
        self.setAccessibleName("Equalities")
        self.ws, self.actor, self.case_id = ws, actor, case_id
        now = equalities_of(ws, actor, case_id)
        form = QFormLayout(self)
        self.sex = _combo("Sex", SEX, now.sex)
        self.ethnicity = _combo("Ethnicity", ETHNICITY, now.ethnicity)
        self.disability = _combo("Disability", DISABILITY, now.disability)
        form.addRow("&Sex", self.sex)
        form.addRow("&Ethnicity", self.ethnicity)
        form.addRow("D&isability", self.disability)
        self.save = QPushButton("Save e&qualities", accessibleName="Save equalities")
        self.message = plain_label("", "Equalities status")
        form.addRow(self.save, self.message)
        editable = allowed(actor, "request.edit")
        for widget in (self.sex, self.ethnicity, self.disability, self.save):
            widget.setEnabled(editable)
        self.save.clicked.connect(self.record)

    def record(self) -> None:
        """Save the three choices."""
        try:
            record_equalities(
                self.ws,
                self.actor,
                self.case_id,
                self.sex.currentData(),
                self.ethnicity.currentData(),
                self.disability.currentData(),
            )
        except StepDeskError as error:
            self.message.setText(str(error))
            return
        self.message.setText("Saved.")
