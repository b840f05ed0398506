"""The agenda of one panel."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt

from stepdesk.services.views import AgendaRow
from ui.format import item_status_text, slot_text
from ui.models.base import RowTableModel


def movement_text(row: AgendaRow) -> str:
    """``Step down → Early Help (from Child in Need plan)``: destination first, to elide well."""
    to_plan, from_plan = _short(row.to_plan_name), _short(row.from_plan_name)
    if from_plan == to_plan:
        return f"{row.movement_label}: {to_plan}"
    return f"{row.movement_label} → {to_plan} (from {from_plan})"


def _short(plan_name: str) -> str:
    """A plan name without its bracketed detail: ``Early Help (EHA/CAF with TAC)`` → ``Early Help``.

    The table is narrow; the tooltip and the case pane give the full names.
    """
    return plan_name.split(" (", 1)[0]


class AgendaModel(RowTableModel[AgendaRow]):
    """Position, slot, subject, case, movement, presenter and outcome of each item."""

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "#",
        "Time",
        "Subject",
        "Case",
        "Movement",
        "Presenter",
        "Outcome",
    )

    def display(self, row: AgendaRow, column: int) -> str:
        """One cell of the agenda."""
        match column:
            case 0:
                return str(row.position)
            case 1:
                return slot_text(row.slot_start, row.slot_minutes)
            case 2:
                return row.subject_name
            case 3:
                return row.case_reference
            case 4:
                return movement_text(row)
            case 5:
                return row.presenter_name
            case _:
                return item_status_text(row.status, row.outcome_label)

    def tooltip(self, row: AgendaRow, column: int) -> str:
        """The whole item in one line, for cells too narrow to show it."""
        return (
            f"{row.position}. {row.subject_name} ({row.case_reference})\n"
            f"{row.movement_label}: {row.from_plan_name} → {row.to_plan_name}\n"
            f"{slot_text(row.slot_start, row.slot_minutes)}, presented by {row.presenter_name}\n"
            f"{item_status_text(row.status, row.outcome_label)}."
        )

    def sort_key(self, row: AgendaRow, column: int) -> Any:
        """Agenda order by position, other columns by text."""
        return row.position if column in (0, 1) else self.display(row, column)

    def extra_data(self, row: AgendaRow, column: int, role: int) -> Any:
        """Numbers right-aligned."""
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
