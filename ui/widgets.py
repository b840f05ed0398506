"""Small building blocks shared by panes and dialogs: plain-text labels, findings, deadlines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialogButtonBox, QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from stepdesk.rules import Finding
from stepdesk.timescales import Deadline, Rag
from ui.format import SEVERITY_WORDS


def plain_label(text: str = "", name: str = "", *, wrap: bool = True, parent: Any = None) -> QLabel:
    """A label that never reads user text as rich text, selectable, with an accessible name."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    label.setText(text)
    if name:
        label.setAccessibleName(name)
    return label


def ok_cancel(
    ok_text: str,
    accept: Callable[[], Any] | None = None,
    reject: Callable[[], Any] | None = None,
    *,
    cancel_text: str = "Cancel",
) -> tuple[QDialogButtonBox, QPushButton]:
    """A dialog's OK / Cancel buttons, OK named for what it does (``"&Hold back"``).

    Each button's accessible name is its text without the ``&``; ``accept`` and ``reject``,
    when given, are connected to the box's ``accepted`` and ``rejected``.
    """
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    for button, text in ((ok, ok_text), (cancel, cancel_text)):
        button.setText(text)
        button.setAccessibleName(text.replace("&", ""))
    if accept is not None:
        buttons.accepted.connect(accept)
    if reject is not None:
        buttons.rejected.connect(reject)
    return buttons, ok


def heading(text: str, *, scale: float = 1.15, parent: Any = None) -> QLabel:
    """A bold section heading, sized relative to the app font (never a fixed size).

    Its scale is kept as a property so that :mod:`ui.theme` resizes it with the text size.
    """
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setObjectName("heading")
    label.setAccessibleName(text)
    font = QFont(label.font())
    font.setBold(True)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    label.setProperty("fontScale", scale)
    return label


def set_style_property(widget: QWidget, name: str, value: str) -> None:
    """Set a property the stylesheet selects on, and have the style notice."""
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class _LabelList(QFrame):
    """A short, word-wrapped list of labels, each styled by a property.

    Findings and deadlines are a handful of sentences that must wrap and be read whole:
    labels do that better than a list view (whose rows do not wrap to the pane width).
    """

    def __init__(self, name: str, empty_text: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self._empty_text = empty_text
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._labels: list[QLabel] = []

    def _replace(self, entries: list[tuple[str, str, str]]) -> None:
        """Show ``(text, property name, property value)`` entries, or the empty text."""
        for label in self._labels:
            self._layout.removeWidget(label)
            label.hide()
            label.setParent(None)  # gone from the tree now, not at the next event loop turn
            label.deleteLater()
        self._labels = []
        for text, prop, value in entries or [(self._empty_text, "quiet", "true")]:
            label = plain_label(text, text)
            label.setProperty(prop, value)
            self._layout.addWidget(label)
            self._labels.append(label)

    def labels(self) -> list[QLabel]:
        """The labels shown, in order."""
        return list(self._labels)

    def texts(self) -> list[str]:
        """What the list says, line by line (for tests and screen readers)."""
        return [label.text() for label in self._labels]


class FindingsList(_LabelList):
    """Findings with rule id and citation, coloured by severity (and named, not colour alone)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__("Findings", "No findings: nothing in the protocol objects.", parent)
        self._findings: list[Finding] = []
        self.set_findings([])

    def set_findings(self, findings: list[Finding]) -> None:
        """Show these findings, blocks first."""
        order = {"block": 0, "warn": 1, "info": 2}
        self._findings = sorted(findings, key=lambda f: order.get(f.severity, 3))
        self._replace(
            [
                (
                    f"{SEVERITY_WORDS.get(f.severity, f.severity)} · {f.rule}: {f.message} "
                    f"[{f.citation}]",
                    "severity",
                    f.severity,
                )
                for f in self._findings
            ]
        )

    def findings(self) -> list[Finding]:
        """The findings shown."""
        return list(self._findings)


_RAG_WORDS = {
    Rag.DONE: "Done",
    Rag.ON_TRACK: "On track",
    Rag.DUE_SOON: "Due soon",
    Rag.OVERDUE: "Overdue",
}


class DeadlinesList(_LabelList):
    """Deadlines with red / amber / green status and their explanation."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__("Deadlines", "No deadlines.", parent)
        self.set_deadlines([], dt.datetime.min)

    def set_deadlines(self, deadlines: list[Deadline], now: dt.datetime) -> None:
        """Show each deadline as of ``now``."""
        entries = []
        for deadline in deadlines:
            rag = deadline.rag(now)
            entries.append((f"{_RAG_WORDS[rag]}: {deadline.explain()}", "rag", rag.name.lower()))
        self._replace(entries)
