"""Parts of the decision dialog for the meeting room: named dissent, mapping, escalation.

Each part is a plain widget with a ``changed`` signal, a getter that returns the service's
draft type and a setter that fills it back (from a recorded decision or a saved draft).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from stepdesk.services.views import DissentDraft, EscalationDraft, SideView
from ui.widgets import heading, plain_label


def text_box(name: str, placeholder: str, lines: int) -> QPlainTextEdit:
    """A short plain-text box that Tab leaves, about ``lines`` lines high."""
    edit = QPlainTextEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * lines + 14)
    return edit


class DissentEditor(QWidget):
    """Members who disagreed, each picked from those present, with their view."""

    changed = Signal()

    def __init__(self, members: tuple[tuple[int, str], ...], parent: Any = None) -> None:
        super().__init__(parent)
        self._members = members
        self._rows: list[tuple[QComboBox, QLineEdit, QPushButton]] = []
        self._grid = QGridLayout()
        self._grid.setColumnStretch(1, 1)
        self.add_button = QPushButton("Add dissenting &member")
        self.add_button.setAccessibleName("Add dissenting member")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(lambda: self.add_row(focus=True))
        self.empty = plain_label("No dissent: the panel agreed.", "No dissent")
        self.empty.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._grid)
        layout.addWidget(self.empty)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        layout.addLayout(row)

    def add_row(self, name: str = "", view: str = "", *, focus: bool = False) -> int:
        """Add one dissenting member's line; returns its number (from 0)."""
        number = len(self._rows)
        who = QComboBox()
        who.setEditable(True)
        who.setAccessibleName(f"Dissenting member {number + 1}")
        for user_id, member in self._members:
            who.addItem(member, user_id)
        who.setCurrentIndex(who.findText(name) if name else -1)
        if name and who.currentIndex() < 0:
            who.setEditText(name)
        completer = who.completer()
        if completer is not None:
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        text = QLineEdit(view)
        text.setAccessibleName(f"Dissent view {number + 1}")
        text.setPlaceholderText("Their view, as it is to be minuted")
        remove = QPushButton("Remove")
        remove.setAccessibleName(f"Remove dissent {number + 1}")
        remove.setAutoDefault(False)
        remove.clicked.connect(lambda: self.remove_row(self._index_of(remove)))
        who.currentTextChanged.connect(self.changed)
        text.textChanged.connect(self.changed)
        self._grid.addWidget(who, number, 0)
        self._grid.addWidget(text, number, 1)
        self._grid.addWidget(remove, number, 2)
        self._rows.append((who, text, remove))
        self.empty.hide()
        if focus:
            who.setFocus()
        self.changed.emit()
        return number

    def _index_of(self, button: QPushButton) -> int:
        return next(i for i, row in enumerate(self._rows) if row[2] is button)

    def remove_row(self, number: int) -> None:
        """Remove line ``number`` (the others keep their text)."""
        kept = [d for i, d in enumerate(self.dissents(strip=False)) if i != number]
        self.set_dissents(kept)

    def rows(self) -> list[tuple[QComboBox, QLineEdit]]:
        """The member picker and view box of each line (for tests)."""
        return [(who, text) for who, text, _ in self._rows]

    def dissents(self, *, strip: bool = True) -> list[DissentDraft]:
        """Each line as a dissent; blank lines are left out when ``strip``."""
        out = []
        for who, text, _ in self._rows:
            name = who.currentText().strip()
            user_id = who.currentData() if who.currentIndex() >= 0 else None
            if who.currentIndex() >= 0 and who.itemText(who.currentIndex()) != name:
                user_id = None
            if strip and not name and not text.text().strip():
                continue
            out.append(DissentDraft(name, text.text(), user_id))
        return out

    def set_dissents(self, dissents: list[DissentDraft]) -> None:
        """Show these dissents (replacing every line)."""
        for who, text, remove in self._rows:
            for widget in (who, text, remove):
                self._grid.removeWidget(widget)
                widget.setParent(None)
                widget.deleteLater()
        self._rows = []
        for d in dissents:
            self.add_row(d.name, d.view)
        self.empty.setVisible(not self._rows)
        self.changed.emit()


class MappingBox(QWidget):
    """C-MAPPING: when the threshold is uncertain, the mapping exercise is part of the meeting."""

    changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.uncertain = QCheckBox("Threshold &uncertain: mapping exercise done (C-MAPPING)")
        self.uncertain.setAccessibleName("Threshold uncertain: mapping exercise")
        self.note = text_box(
            "Mapping exercise",
            "What the mapping against the continuum of need found, level by level",
            3,
        )
        # Hidden until ticked: an empty, greyed box took a third of the tab for nothing. The
        # dialog gives it the tab's spare height once it shows (see ``toggled``).
        self.note.setEnabled(False)
        self.note.hide()
        self.uncertain.toggled.connect(self._show_note)
        self.uncertain.toggled.connect(self.changed)
        self.note.textChanged.connect(self.changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.uncertain)
        layout.addWidget(self.note)

    def _show_note(self, on: bool) -> None:
        self.note.setEnabled(on)
        self.note.setVisible(on)

    def mapping_note(self) -> str | None:
        """The note if the exercise was done (empty text is for the service to refuse)."""
        return self.note.toPlainText() if self.uncertain.isChecked() else None

    def set_mapping_note(self, note: str | None) -> None:
        """Show a recorded note."""
        self.uncertain.setChecked(note is not None)
        self.note.setPlainText(note or "")


# C-FAMILY-INFORMED: the keys the rules engine and the profiles use, with the tick box text.
FAMILY_TOLD = (
    ("why", "&Why the change is proposed"),
    ("how_long", "&How long it may last"),
    ("concerns", "How to raise &concerns"),
)


class FamilyInformedBox(QWidget):
    """C-FAMILY-INFORMED: what the family (or the person and family) have been told."""

    changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.boxes: dict[str, QCheckBox] = {}
        # Two to a row: three in one row made the decision dialog wider than a 1366-pixel
        # screen at 150 % text.
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for number, (key, text) in enumerate(FAMILY_TOLD):
            box = QCheckBox(text)
            box.setAccessibleName(f"Family told: {text.replace('&', '').lower()}")
            box.setToolTip("Record that the family have been told this (C-FAMILY-INFORMED)")
            box.toggled.connect(self.changed)
            layout.addWidget(box, number // 2, number % 2)
            self.boxes[key] = box
        layout.setColumnStretch(2, 1)

    def told(self) -> tuple[str, ...] | None:
        """The keys ticked, in the protocol's order; ``None`` when nothing is recorded."""
        keys = tuple(key for key, box in self.boxes.items() if box.isChecked())
        return keys or None

    def set_told(self, told: tuple[str, ...] | list[str] | None) -> None:
        """Tick what was recorded (unknown keys are ignored)."""
        keys = set(told or ())
        for key, box in self.boxes.items():
            box.setChecked(key in keys)


class EscalationBox(QWidget):
    """No agreement: who it goes to, the disagreement, and each side's view (T-ESCALATE-24H)."""

    changed = Signal()

    def __init__(self, managers: list[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.intro = plain_label(
            "No agreement: the referring manager takes it to the Operations or Strategic "
            "Manager within 24 hours (T-ESCALATE-24H). The escalation opens with its clock "
            "when the decision is saved.",
            "About escalation",
        )
        self.escalated_to = QLineEdit()
        self.escalated_to.setAccessibleName("Escalated to")
        self.escalated_to.setPlaceholderText("Operations or Strategic Manager (name or role)")
        completer = QCompleter(sorted(set(managers)), self.escalated_to)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.escalated_to.setCompleter(completer)
        self.disagreement = text_box("Disagreement", "What the panel could not agree on", 2)
        self.sides: list[tuple[QLineEdit, QLineEdit, QPlainTextEdit]] = []
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._row(form, "Escalated &to", self.escalated_to)
        self._row(form, "Disa&greement", self.disagreement)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        for number, default in ((1, "Referring team"), (2, "Receiving team")):
            side = QLineEdit()
            side.setAccessibleName(f"Side {number}")
            side.setPlaceholderText(default)
            who = QLineEdit()
            who.setAccessibleName(f"Side {number} speaker")
            who.setPlaceholderText("Who put this view")
            view = text_box(f"Side {number} view", "Their view, as it is to be minuted", 2)
            layout.addWidget(heading(f"View {number}", scale=1.0))
            names = QHBoxLayout()
            names.addWidget(side, 1)
            names.addWidget(who, 1)
            layout.addLayout(names)
            layout.addWidget(view)
            for widget in (side, who):
                widget.textChanged.connect(self.changed)
            view.textChanged.connect(self.changed)
            self.sides.append((side, who, view))
        self.escalated_to.textChanged.connect(self.changed)
        self.disagreement.textChanged.connect(self.changed)
        layout.addStretch(1)

    @staticmethod
    def _row(form: QFormLayout, text: str, field: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(field)
        form.addRow(label, field)

    def draft(self) -> EscalationDraft:
        """What is typed, as the service takes it."""
        return EscalationDraft(
            self.escalated_to.text(),
            self.disagreement.toPlainText(),
            [
                SideView(side.text() or side.placeholderText(), who.text(), view.toPlainText())
                for side, who, view in self.sides
            ],
        )

    def set_draft(self, draft: EscalationDraft | None) -> None:
        """Fill in a saved escalation (from a draft)."""
        if draft is None:
            return
        self.escalated_to.setText(draft.escalated_to)
        self.disagreement.setPlainText(draft.disagreement)
        for (side, who, view), saved in zip(self.sides, draft.views, strict=False):
            side.setText(saved.side if saved.side != side.placeholderText() else "")
            who.setText(saved.who)
            view.setPlainText(saved.view)
