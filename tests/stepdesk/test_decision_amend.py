"""A decision changed after the chair approved the panel's minutes (services.amendments).

The change needs a reason, is the chair's, is audited with before and after, marks the
approved minutes out of date until a correction is approved (its change note derived from the
changes), and starts a T-MINUTES-48H clock from the change (T-MINUTES-48H, seed 003).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from reports.minutes import render_minutes
from stepdesk.errors import PermissionDeniedError, ValidationError
from stepdesk.persistence.models import AuditEvent
from stepdesk.services import Actor, Workspace
from stepdesk.services.amendments import AMEND, REASON_FIELD, minutes_state
from stepdesk.services.deadlines import deadlines_for
from stepdesk.services.decisions import decision_context, record_decision
from stepdesk.services.minutes import approve_minutes, minutes_versions
from stepdesk.services.views import DecisionDraft
from tests.stepdesk.test_decision_extras import COORDINATOR, MANAGER
from tests.stepdesk.test_refusal_final import AGREED_STEP_UP, PAST, outcome_of, request_of

APPROVED_AT = dt.datetime(2026, 11, 23, 9, 0)
CHANGED_AT = dt.datetime(2026, 11, 23, 10, 30)
DEFER = DecisionDraft("defer", "More information needed from the school.")
# Agreed again; the chair overrides what the short draft leaves out (T-HANDOVER and the like).
AGREED = DecisionDraft("agreed", "Agreed.", override_reason="As minuted at the panel.")


def approve(ws: Workspace, chair: Actor, note: str | None = None) -> int:
    return approve_minutes(ws, chair, PAST, note, render=render_minutes).version


def amend(ws: Workspace, actor: Actor, reason: str | None, draft: DecisionDraft = DEFER) -> None:
    record_decision(
        ws, actor, AGREED_STEP_UP, DecisionDraft(**{**vars(draft), "change_note": reason})
    )


def amend_events(ws: Workspace) -> list[AuditEvent]:
    with ws.db.session() as s:
        return list(
            s.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == AMEND, AuditEvent.entity == "decision")
                .order_by(AuditEvent.id)
            ).all()
        )


def test_before_approval_a_change_needs_no_reason(demo_ws: Workspace, chair: Actor) -> None:
    amend(demo_ws, COORDINATOR, None)
    assert outcome_of(demo_ws, AGREED_STEP_UP) == "defer"
    assert amend_events(demo_ws) == []
    assert not minutes_state(demo_ws, chair, PAST).out_of_date
    assert decision_context(demo_ws, chair, AGREED_STEP_UP).minutes_lock is None


@pytest.mark.parametrize("reason", [None, "", "   \n "])
def test_after_approval_a_change_needs_a_reason(
    demo_ws: Workspace, chair: Actor, reason: str | None
) -> None:
    approve(demo_ws, chair)
    with pytest.raises(ValidationError) as raised:
        amend(demo_ws, chair, reason)
    assert raised.value.field == REASON_FIELD
    assert "the minutes of 09/11/2026 were approved on 23/11/2026 09:00" in str(raised.value)
    assert outcome_of(demo_ws, AGREED_STEP_UP) == "agreed"  # nothing saved
    assert amend_events(demo_ws) == []


@pytest.mark.parametrize("actor", [COORDINATOR, MANAGER], ids=["coordinator", "manager"])
def test_after_approval_only_the_chair_may_change_a_decision(
    demo_ws: Workspace, chair: Actor, actor: Actor
) -> None:
    amend(demo_ws, actor, None)  # allowed before approval
    approve(demo_ws, chair)
    with pytest.raises(PermissionDeniedError, match="only the panel's chair or a panel chair"):
        amend(demo_ws, actor, "The school's report arrived.")
    assert outcome_of(demo_ws, AGREED_STEP_UP) == "defer"


def test_a_change_is_audited_and_makes_the_minutes_out_of_date(
    demo_ws: Workspace, chair: Actor
) -> None:
    approve(demo_ws, chair)
    lock = decision_context(demo_ws, chair, AGREED_STEP_UP).minutes_lock
    assert lock is not None and lock.version == 1
    assert lock.text() == (
        f"The minutes of 09/11/2026 were approved on 23/11/2026 09:00 by {chair.name}: "
        "a change needs a reason and a corrected version of the minutes"
    )
    assert not minutes_state(demo_ws, chair, PAST).out_of_date

    demo_ws.now = lambda: CHANGED_AT
    amend(demo_ws, chair, "  The school's report arrived after the panel.  ")
    assert outcome_of(demo_ws, AGREED_STEP_UP) == "defer"
    assert request_of(demo_ws, AGREED_STEP_UP)[2] == "deferred"

    (event,) = amend_events(demo_ws)
    assert event.user_id == chair.user_id and event.at == CHANGED_AT
    assert event.detail["reason"] == "The school's report arrived after the panel."
    assert event.detail["minutes_version"] == 1 and event.detail["panel"] == PAST
    assert event.detail["before"]["outcome"] == "agreed"
    assert event.detail["after"]["outcome"] == "defer"
    assert event.detail["after"]["rationale"] == DEFER.rationale

    state = minutes_state(demo_ws, chair, PAST)
    assert state.out_of_date and state.version == 1
    assert state.text() == (
        f"Minutes out of date: decision changed on 23/11/2026 10:30 by {chair.name}; "
        "approve a correction"
    )
    (change,) = state.changes
    assert (change.before_outcome, change.after_outcome) == (
        "Agreed as requested",
        "Deferred for more information",
    )
    assert "from “Agreed as requested” to “Deferred for more information”" in state.suggested_note
    assert "Reason: The school's report arrived after the panel." in state.suggested_note


def test_the_correction_takes_the_change_in_with_a_derived_note(
    demo_ws: Workspace, chair: Actor
) -> None:
    approve(demo_ws, chair)
    demo_ws.now = lambda: CHANGED_AT
    amend(demo_ws, chair, "The school's report arrived after the panel.")
    derived = minutes_state(demo_ws, chair, PAST).suggested_note

    demo_ws.now = lambda: CHANGED_AT + dt.timedelta(hours=2)
    assert approve(demo_ws, chair) == 2  # no note typed: the derived one
    last = minutes_versions(demo_ws, chair, PAST)[-1]
    assert last.change_note == derived
    assert not minutes_state(demo_ws, chair, PAST).out_of_date

    # A second change departs from version 2: out of date again, and only that change counts.
    demo_ws.now = lambda: CHANGED_AT + dt.timedelta(hours=3)
    amend(demo_ws, chair, "Chair agreed after all.", AGREED)
    state = minutes_state(demo_ws, chair, PAST)
    assert state.version == 2
    assert [(c.against_version, c.after_outcome) for c in state.changes] == [
        (2, "Agreed as requested")
    ]


def test_a_correction_clock_runs_from_the_change(demo_ws: Workspace, chair: Actor) -> None:
    approve(demo_ws, chair)
    case_id = request_of(demo_ws, AGREED_STEP_UP)[1]

    def correction() -> list[str]:
        rows = deadlines_for(demo_ws, chair, "all", case_id=case_id)
        return [
            r.deadline.explain()
            for r in rows
            if r.deadline.rule == "T-MINUTES-48H" and "Corrected minutes" in r.deadline.what
        ]

    assert correction() == []
    demo_ws.now = lambda: CHANGED_AT
    amend(demo_ws, chair, "The school's report arrived after the panel.")
    (due,) = correction()
    assert "due 25/11/2026 17:00" in due
    assert "within 48 hours of the decision change after approval on 23/11/2026 10:30" in due
    assert "met" not in due.split("(")[-1]
    rows = deadlines_for(demo_ws, chair, "all", case_id=case_id, as_of=CHANGED_AT)
    (open_row,) = [r for r in rows if "Corrected minutes" in r.deadline.what]
    assert not open_row.deadline.done

    demo_ws.now = lambda: dt.datetime(2026, 11, 24, 9, 15)
    approve(demo_ws, chair)
    (met,) = correction()
    assert met.endswith("; met 24/11/2026 09:15")


def test_a_change_to_a_refusal_after_approval_is_final_with_the_correction(
    demo_ws: Workspace, chair: Actor
) -> None:
    approve(demo_ws, chair)
    amend(
        demo_ws,
        chair,
        "Minuted wrongly: the panel did not agree.",
        DecisionDraft("not_agreed", "Threshold for statutory work not met."),
    )
    assert request_of(demo_ws, AGREED_STEP_UP)[2] == "decided"
    approve(demo_ws, chair)  # the correction makes the refusal final
    assert request_of(demo_ws, AGREED_STEP_UP)[2] == "closed"
    with pytest.raises(ValidationError, match="is final"):
        amend(demo_ws, chair, "Changed mind again.", AGREED)
