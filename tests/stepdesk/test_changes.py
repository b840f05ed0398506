"""Changes sets and operations (issue 12): a service's result comes with what it changed."""

from __future__ import annotations

import json
import threading

import pytest

from stepdesk.errors import StepDeskError
from stepdesk.persistence.models import Case
from stepdesk.services import Workspace
from stepdesk.services.changes import Changes, Operation, collecting, perform
from stepdesk.services.people import actor_for
from stepdesk.services.request_forms import ConsentInput, RequestForm
from stepdesk.services.request_listing import get_request
from stepdesk.services.requests import create_request, update_draft
from tests.conftest import TODAY

CASE, WORKER = 5, 13  # as in tests/stepdesk/test_requests.py


def _form(reasons: str = "Neglect concerns increasing despite TAF support.") -> RequestForm:
    return RequestForm(
        movement="step_up",
        to_plan="cin",
        reasons=reasons,
        consent=ConsentInput("signed", "Ana Lefèvre (mother)", TODAY, "Signed form"),
    )


def test_a_service_returns_what_it_changed(demo_ws: Workspace) -> None:
    worker = actor_for(demo_ws, WORKER)
    done = perform(lambda: create_request(demo_ws, worker, CASE, _form()))
    assert done.changes.ids("request") == {done.result.row.id}
    assert done.changes.touches("request") and not done.changes.touches("panel")
    # Reading changes nothing: a view is audited but is not a change.
    assert not perform(lambda: get_request(demo_ws, worker, done.result.row.id)).changes


def test_a_refused_change_reports_nothing(demo_ws: Workspace) -> None:
    worker = actor_for(demo_ws, WORKER)
    with collecting() as changes, pytest.raises(StepDeskError):
        update_draft(demo_ws, worker, 999_999, _form())
    assert changes() == Changes()


def test_changes_and_operations_travel_as_json() -> None:
    changes = Changes.of("request", 4, 2) | Changes.of("panel")
    assert Changes.from_json(json.loads(json.dumps(changes.to_json()))) == changes
    assert changes.whole("panel") and changes.ids("panel") == frozenset()
    op = Operation("minutes.approve", {"panel": 3, "note": "Corrected"})
    assert Operation.from_json(json.loads(json.dumps(op.to_json()))) == op


def test_an_operation_payload_holds_ids_not_records() -> None:
    with pytest.raises(TypeError, match="ids and plain values, not Case"):
        Operation("case.close", {"case": Case()})  # type: ignore[dict-item]


def test_a_service_runs_on_a_worker_thread_in_its_own_session(demo_ws: Workspace) -> None:
    """What ui/ops.py does: the unit of work is made and closed on the worker."""
    worker = actor_for(demo_ws, WORKER)
    out: list[object] = []

    def work() -> None:
        try:
            out.append(perform(lambda: create_request(demo_ws, worker, CASE, _form())))
        except BaseException as error:  # pragma: no cover - reported below
            out.append(error)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    done = out[0]
    assert not isinstance(done, BaseException), done
    assert get_request(demo_ws, worker, done.result.row.id).row.case_id == CASE  # type: ignore[attr-defined]
