"""A decision belongs to the agenda item where the request is before the panel.

Not on an item held back, carried forward, or one whose request has since gone to a later
panel after a deferral: there the decision would move a request that another panel holds.
"""

from __future__ import annotations

import pytest

from stepdesk.domain import RequestStatus
from stepdesk.errors import ValidationError
from stepdesk.services import Actor, Workspace
from stepdesk.services.agenda import add_to_agenda, hold_back
from stepdesk.services.decisions import record_decision
from stepdesk.services.people import actor_for
from stepdesk.services.views import DecisionDraft
from tests.stepdesk.test_agenda import COORDINATOR, READY_REQUEST, _new_panel
from tests.stepdesk.test_refusal_final import UPCOMING_ITEM, request_of

AGREED = DecisionDraft("agreed", "Agreed.", override_reason="As minuted at the panel.")


def test_no_decision_on_an_item_held_back(demo_ws: Workspace, chair: Actor) -> None:
    coordinator = actor_for(demo_ws, COORDINATOR)
    panel_id = _new_panel(demo_ws, coordinator)
    view = add_to_agenda(demo_ws, coordinator, panel_id, READY_REQUEST)
    item_id = view.items[0].row.id
    hold_back(demo_ws, coordinator, item_id, "Plan not attached yet.")
    with pytest.raises(ValidationError, match=r"held back \(Plan not attached yet\.\)") as error:
        record_decision(demo_ws, chair, item_id, AGREED)
    assert error.value.field == "Agenda item"


def test_a_deferred_request_on_a_later_panel_is_decided_there(
    demo_ws: Workspace, chair: Actor
) -> None:
    coordinator = actor_for(demo_ws, COORDINATOR)
    request_id = request_of(demo_ws, UPCOMING_ITEM)[0]
    record_decision(demo_ws, chair, UPCOMING_ITEM, DecisionDraft("defer", "Wait for school."))
    later = _new_panel(demo_ws, coordinator)
    view = add_to_agenda(demo_ws, coordinator, later, request_id)
    assert request_of(demo_ws, UPCOMING_ITEM)[2] == RequestStatus.ON_AGENDA
    # Changing the first panel's deferral would take the request off the later agenda.
    with pytest.raises(ValidationError, match="later panel on 08/12/2026") as error:
        record_decision(demo_ws, chair, UPCOMING_ITEM, AGREED)
    assert error.value.field == "Agenda item"
    assert request_of(demo_ws, UPCOMING_ITEM)[2] == RequestStatus.ON_AGENDA
    # On the later panel's item the decision is recorded as usual.
    (new_item,) = [i for i in view.items if i.request_id == request_id]
    record_decision(demo_ws, chair, new_item.row.id, AGREED)
    assert request_of(demo_ws, UPCOMING_ITEM)[2] == RequestStatus.DECIDED
