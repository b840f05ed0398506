"""Qt item models over the plain rows the services return (model/view, never item widgets)."""

from ui.models.actions_model import ActionsModel
from ui.models.agenda_model import AgendaModel
from ui.models.attendance_model import AttendanceModel
from ui.models.base import ROW_ROLE, SORT_ROLE
from ui.models.panels_model import PanelsFilter, PanelsModel

__all__ = [
    "ROW_ROLE",
    "SORT_ROLE",
    "ActionsModel",
    "AgendaModel",
    "AttendanceModel",
    "PanelsFilter",
    "PanelsModel",
]
