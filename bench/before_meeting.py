"""Timings of the "before the meeting" services on the demo.

Run: ``.venv/bin/python bench/before_meeting.py``.

The request form saves as it is typed (half a second after typing stops), so one autosave must
stay well under that; the Requests list and the Agenda builder reload after each action.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from stepdesk.demo import create_demo
from stepdesk.persistence.database import open_database
from stepdesk.services import Workspace
from stepdesk.services.agenda import agenda_builder, move_item
from stepdesk.services.people import actor_for
from stepdesk.services.request_forms import RequestForm
from stepdesk.services.request_listing import find_cases, get_request, list_requests
from stepdesk.services.requests import create_request, update_draft

NOW = dt.datetime(2026, 11, 23, 9, 0)
WORKER, COORDINATOR, CASE, PANEL = 13, 3, 5, 2  # demo, seed 1


def _time(name: str, call: Callable[[], object], runs: int = 20) -> None:
    call()
    start = time.perf_counter()
    for _ in range(runs):
        call()
    print(f"{name:<40} {(time.perf_counter() - start) / runs * 1000:7.1f} ms")


def main() -> None:
    """Print the mean time of each service call over 20 runs."""
    path = Path(tempfile.mkdtemp()) / "demo.db"
    create_demo(path, seed=1, today=NOW.date()).close()
    ws = Workspace(open_database(path), now=lambda: NOW)
    worker, coordinator = actor_for(ws, WORKER), actor_for(ws, COORDINATOR)
    _time("list_requests (all)", lambda: list_requests(ws, worker, "all"))
    _time("get_request", lambda: get_request(ws, worker, 30))
    _time("find_cases ('smi')", lambda: find_cases(ws, worker, "smi"))
    draft = create_request(ws, worker, CASE, RequestForm("step_up", "cin"))
    version = [draft.version]

    def autosave() -> None:
        form = RequestForm("step_up", "cin", reasons="Concerns increasing. " * 5)
        version[0] = update_draft(ws, worker, draft.request.id, form, version[0]).version

    _time("update_draft (one autosave)", autosave)
    _time("agenda_builder (8 items)", lambda: agenda_builder(ws, coordinator, PANEL))
    first = agenda_builder(ws, coordinator, PANEL).items[0].id
    _time("move_item (Alt+Shift+Down)", lambda: move_item(ws, coordinator, first, 1))
    ws.db.close()


if __name__ == "__main__":
    main()
