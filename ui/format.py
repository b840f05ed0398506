"""How the GUI writes dates, times and vocabulary: UK style, 24-hour, one place."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate

from stepdesk.domain import ItemStatus, Outcome, PanelStatus

# The one dd/mm/yyyy and HH:MM formatter (the PDFs and the CLI use the same).
from stepdesk.formats import NOT_SET, date_text, datetime_text, time_text

__all__ = ["NOT_SET", "date_text", "datetime_text", "time_text"]


_PANEL_STATUS = {
    PanelStatus.PLANNED: "Planned",
    PanelStatus.IN_PROGRESS: "In progress",
    PanelStatus.FINISHED: "Finished",
}
_ITEM_STATUS = {
    ItemStatus.PENDING: "Pending",
    ItemStatus.DECIDED: "Decided",
    ItemStatus.HELD_BACK: "Held back",
    ItemStatus.CARRIED_FORWARD: "Carried forward",
}
SEVERITY_WORDS = {"block": "Blocks", "warn": "Warning", "info": "Note"}


def slot_text(start: dt.datetime, minutes: int) -> str:
    """An agenda slot: ``10:30–10:50``."""
    end = start + dt.timedelta(minutes=minutes)
    return f"{start:%H:%M}–{end:%H:%M}"


def panel_status_text(status: str) -> str:
    """A panel's status as people say it."""
    try:
        return _PANEL_STATUS[PanelStatus(status)]
    except ValueError:
        return status


def item_status_text(status: str, outcome_label: str | None) -> str:
    """An agenda item's outcome once decided, else its status."""
    if outcome_label:
        return outcome_label
    try:
        return _ITEM_STATUS[ItemStatus(status)]
    except ValueError:
        return status


def outcome_options() -> list[tuple[str, str]]:
    """Every outcome as ``(code, label)``, in the order the panel usually reaches them."""
    return [(o.value, o.label) for o in Outcome]


def to_qdate(value: dt.date) -> QDate:
    """A Python date as a ``QDate``."""
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> dt.date:
    """A ``QDate`` as a Python date."""
    return dt.date(value.year(), value.month(), value.day())
