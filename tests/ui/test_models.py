"""Every Qt model passes Qt's own model tester (as qutebrowser checks its models)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt

from stepdesk.services import Actor, Workspace
from stepdesk.services.panels import get_panel, list_panels
from stepdesk.services.people import list_people
from stepdesk.services.views import ActionDraft
from ui.models import ActionsModel, AgendaModel, AttendanceModel, PanelsFilter, PanelsModel
from ui.models.agenda_model import movement_text
from ui.models.attendance_model import APOLOGIES_COLUMN, PRESENT_COLUMN


def test_panels_model_and_filters(qtmodeltester, demo_ws: Workspace, chair: Actor) -> None:
    model = PanelsModel()
    model.set_rows(list_panels(demo_ws, chair))
    qtmodeltester.check(model)
    upcoming = PanelsFilter(True, demo_ws.today())
    upcoming.setSourceModel(model)
    past = PanelsFilter(False, demo_ws.today())
    past.setSourceModel(model)
    qtmodeltester.check(upcoming)
    qtmodeltester.check(past)
    assert upcoming.rowCount() == 3
    assert past.rowCount() == 1
    # UK date, 24-hour time, soonest first.
    assert upcoming.index(0, 0).data() == "25/11/2026 10:30"
    assert upcoming.index(1, 1).data() == "CIN panel"
    assert past.index(0, 2).data() == "Finished, 8/8"


def test_agenda_model(qtmodeltester, demo_ws: Workspace, chair: Actor) -> None:
    model = AgendaModel()
    model.set_rows(get_panel(demo_ws, chair, 1).items)
    qtmodeltester.check(model)
    assert model.index(0, 1).data() == "09/11/2026 10:00"[11:] + "–10:15"
    assert model.index(0, 7 - 1).data() == "Agreed as requested"
    row = model.row_at(0)
    assert movement_text(row) == "Step down → Early Help (from Child in Need plan)"
    assert "Early Help (EHA/CAF with TAC)" in model.index(0, 4).data(Qt.ItemDataRole.ToolTipRole)


def test_attendance_model_asks_the_service(qtmodeltester, demo_ws, chair) -> None:
    model = AttendanceModel()
    model.set_rows(get_panel(demo_ws, chair, 2).attendance)
    qtmodeltester.check(model)
    requested = []
    model.status_requested.connect(lambda att_id, status: requested.append((att_id, status)))
    present = model.index(0, PRESENT_COLUMN)
    assert present.flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert model.setData(present, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole) is False
    assert requested == [(model.row_at(0).id, "present")]
    # Nothing changes until the saved row comes back.
    assert present.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    model.set_editable(False)
    assert not model.index(0, APOLOGIES_COLUMN).flags() & Qt.ItemFlag.ItemIsUserCheckable


def test_actions_model(qtmodeltester, demo_ws: Workspace) -> None:
    people = list_people(demo_ws)
    model = ActionsModel(people)
    model.add(ActionDraft("Arrange handover", "Someone", dt.date(2026, 11, 25)))
    model.add(ActionDraft("Tell the family", "Someone else", dt.date(2026, 11, 26)))
    qtmodeltester.check(model)
    assert model.index(0, 2).data() == "25/11/2026"
    assert model.setData(model.index(0, 1), people[0].name)
    assert model.setData(model.index(0, 2), QDate(2026, 12, 1))
    assert model.actions()[0].owner_id == people[0].id
    assert model.actions()[0].due_on == dt.date(2026, 12, 1)
    assert not model.index(0, 3).flags() & Qt.ItemFlag.ItemIsEditable
    model.remove(0)
    assert [a.description for a in model.actions()] == ["Tell the family"]
