"""How the GUI writes dates, times and vocabulary: UK style, 24-hour, one place."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate

from stepdesk.domain import ItemStatus, Outcome, PanelStatus

NOT_SET = "—"

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


def date_text(value: dt.date | None) -> str:
    """``23/11/2026``, or a dash for no date."""
    return f"{value:%d/%m/%Y}" if value else NOT_SET


def time_text(value: dt.datetime | None) -> str:
    """``09:30`` (24-hour), or a dash."""
    return f"{value:%H:%M}" if value else NOT_SET


def datetime_text(value: dt.datetime | None) -> str:
    """``23/11/2026 09:30``, or a dash."""
    return f"{value:%d/%m/%Y %H:%M}" if value else NOT_SET


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
