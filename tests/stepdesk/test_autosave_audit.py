"""Autosaves of a request draft do not flood the audit trail: one event per field a person
changes in an edit session (30 minutes), saves that change nothing are not audited, and
submitting, another person's edit or a new session are all still recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select

from stepdesk.persistence.models import AuditEvent
from stepdesk.services import Actor, Workspace
from stepdesk.services.people import actor_for
from stepdesk.services.request_forms import ConsentInput, RequestForm
from stepdesk.services.request_review import submit_request
from stepdesk.services.requests import create_request, update_draft
from tests.conftest import NOW, TODAY

CASE, WORKER, MANAGER = 5, 13, 6


@pytest.fixture
def clock(demo_ws: Workspace) -> Callable[[int], None]:
    now = [NOW]
    demo_ws.now = lambda: now[0]

    def advance(seconds: int) -> None:
        now[0] += dt.timedelta(seconds=seconds)

    return advance


def _trail(ws: Workspace, request_id: int) -> list[tuple[str, int | None, list[str]]]:
    with ws.db.session() as s:
        events = s.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == "request", AuditEvent.entity_id == request_id)
            .order_by(AuditEvent.id)
        ).all()
        return [(e.action, e.user_id, e.detail.get("fields", [])) for e in events]


def _typing(
    ws: Workspace,
    actor: Actor,
    request_id: int,
    texts: list[str],
    tick: Callable[[int], None],
    **extra: object,
) -> None:
    for text in texts:
        tick(2)
        form = RequestForm("step_up", "cin", reasons=text, **extra)  # type: ignore[arg-type]
        update_draft(ws, actor, request_id, form)


def test_typing_a_field_is_one_event_and_each_new_field_another(
    demo_ws: Workspace, clock: Callable[[int], None]
) -> None:
    worker = actor_for(demo_ws, WORKER)
    request_id = create_request(demo_ws, worker, CASE, RequestForm("step_up", "cin")).request.id
    words = ["Neglect", "concerns", "increasing", "despite", "TAF", "support"]
    _typing(
        demo_ws, worker, request_id, [" ".join(words[: n + 1]) for n in range(len(words))], clock
    )
    # The same text saved again (focus left the field, say): nothing changed, no event.
    _typing(demo_ws, worker, request_id, [" ".join(words)], clock)
    consent = ConsentInput("signed", "Ana Lefèvre (mother)", TODAY, "Signed form")
    _typing(demo_ws, worker, request_id, [" ".join(words)] * 3, clock, consent=consent)
    assert _trail(demo_ws, request_id) == [
        ("create", WORKER, []),
        ("change", WORKER, ["reasons"]),
        ("change", WORKER, ["consent"]),
    ]


def test_a_new_session_another_person_and_submitting_are_recorded(
    demo_ws: Workspace, clock: Callable[[int], None]
) -> None:
    worker, manager = actor_for(demo_ws, WORKER), actor_for(demo_ws, MANAGER)
    request_id = create_request(demo_ws, worker, CASE, RequestForm("step_up", "cin")).request.id
    reasons = "Neglect concerns increasing despite TAF support; attendance 61%."
    _typing(demo_ws, worker, request_id, [reasons[:10], reasons[:20]], clock)
    clock(31 * 60)  # back from a meeting: a new edit session
    _typing(demo_ws, worker, request_id, [reasons[:30], reasons[:40]], clock)
    _typing(demo_ws, manager, request_id, [reasons[:50]], clock)  # someone else edits
    _typing(demo_ws, worker, request_id, [reasons], clock)  # and the worker again
    consent = ConsentInput("signed", "Ana Lefèvre (mother)", TODAY, "Signed form")
    clock(2)
    update_draft(
        demo_ws,
        worker,
        request_id,
        RequestForm(
            "step_up",
            "cin",
            reasons=reasons,
            triggers=("Significant life event or transition",),
            consent=consent,
        ),
    )
    submit_request(demo_ws, worker, request_id)
    trail = _trail(demo_ws, request_id)
    assert trail[:-1] == [
        ("create", WORKER, []),
        ("change", WORKER, ["reasons"]),
        ("change", WORKER, ["reasons"]),  # a new session
        ("change", MANAGER, ["reasons"]),
        ("change", WORKER, ["reasons"]),  # after the manager's edit
        ("change", WORKER, ["consent", "triggers"]),
    ]
    assert trail[-1][0] == "move" and trail[-1][1] == WORKER
