"""Decisions in the meeting: named dissent, the mapping exercise, escalation, drafts."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from stepdesk.errors import PermissionDeniedError, ValidationError
from stepdesk.persistence.models import AuditEvent, Dissent, Escalation, Request
from stepdesk.persistence.models import DecisionDraft as DraftRow
from stepdesk.services import Actor, Workspace
from stepdesk.services.cases import item_detail
from stepdesk.services.decisions import record_decision
from stepdesk.services.drafts import (
    discard_decision_draft,
    load_decision_draft,
    save_decision_draft,
)
from stepdesk.services.escalations import (
    EscalationView,
    get_escalation,
    list_escalations,
    resolve_escalation,
)
from stepdesk.services.views import (
    DecisionDraft,
    DissentDraft,
    EscalationDraft,
    SideView,
)

ITEM = 10  # a step in on the demo's step-up/down meeting: nothing in the protocol objects
OTHER = 11
COORDINATOR = Actor(3, "Olivia Carter", "coordinator")
MANAGER = Actor(7, "Janet Williams", "manager")

ESCALATION = EscalationDraft(
    "Operations Manager, Early Help",
    "Whether the threshold for Child in Need is met.",
    [
        SideView("Family Safeguarding", "Janet Williams", "Risks are reducing; Early Help fits."),
        SideView("Early Help", "Paul García", "Needs remain complex; keep CIN."),
    ],
)


def mine(escalations: list[EscalationView]) -> list[EscalationView]:
    """Those raised on ITEM (the demo has escalations of its own)."""
    return [e for e in escalations if e.agenda_item_id == ITEM]


def escalate(ws: Workspace, actor: Actor, item_id: int = ITEM) -> Escalation:
    draft = DecisionDraft("escalate", "No agreement on the threshold.", escalation=ESCALATION)
    record_decision(ws, actor, item_id, draft)
    with ws.db.session() as s:
        row = s.scalars(select(Escalation).where(Escalation.agenda_item_id == item_id)).one()
        s.expunge(row)
        return row


def test_named_dissent_is_minuted_row_by_row(demo_ws: Workspace, chair: Actor) -> None:
    draft = DecisionDraft(
        "agreed",
        "Step in agreed for eight weeks.",
        dissent="The school was not asked.",
        dissents=[
            DissentDraft("Janet Williams", "Wants a TAC meeting first.", 7),
            DissentDraft("Paul García", "Would wait for the health report.", 8),
        ],
    )
    view = record_decision(demo_ws, chair, ITEM, draft)
    assert [(d.name, d.user_id) for d in view.dissents] == [
        ("Janet Williams", 7),
        ("Paul García", 8),
    ]
    assert view.dissent == (
        "Janet Williams: Wants a TAC meeting first.\n"
        "Paul García: Would wait for the health report.\n"
        "The school was not asked."
    )
    # Changing the decision replaces the dissent rows rather than adding to them.
    record_decision(demo_ws, chair, ITEM, DecisionDraft("agreed", "Agreed.", dissents=[]))
    with demo_ws.db.session() as s:
        assert s.scalars(select(Dissent)).all() == []


def test_a_dissent_needs_a_name_and_a_view(demo_ws: Workspace, chair: Actor) -> None:
    with pytest.raises(ValidationError, match="Dissent 1: give Janet Williams's view"):
        record_decision(
            demo_ws,
            chair,
            ITEM,
            DecisionDraft("agreed", "x", dissents=[DissentDraft("Janet Williams", " ")]),
        )
    with pytest.raises(ValidationError, match="Dissent 2: name the member"):
        record_decision(
            demo_ws,
            chair,
            ITEM,
            DecisionDraft("agreed", "x", dissents=[DissentDraft("A", "b"), DissentDraft("", "c")]),
        )


def test_mapping_exercise_is_recorded(demo_ws: Workspace, chair: Actor) -> None:
    note = "Mapped against the continuum: needs sit at Level 3, not Level 4."
    view = record_decision(demo_ws, chair, ITEM, DecisionDraft("agreed", "x", mapping_note=note))
    assert view.mapping_note == note
    assert item_detail(demo_ws, chair, ITEM).decision.mapping_note == note  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match=r"Mapping exercise: .*\(C-MAPPING\)"):
        record_decision(demo_ws, chair, ITEM, DecisionDraft("agreed", "x", mapping_note=" "))


def test_escalate_needs_who_what_and_both_sides(demo_ws: Workspace, chair: Actor) -> None:
    with pytest.raises(ValidationError, match=r"Escalated to: .*\(T-ESCALATE-24H\)"):
        record_decision(demo_ws, chair, ITEM, DecisionDraft("escalate", "No agreement."))
    one_side = EscalationDraft("Ops Manager", "Threshold.", ESCALATION.views[:1])
    with pytest.raises(ValidationError, match="Views: give each side's view"):
        record_decision(demo_ws, chair, ITEM, DecisionDraft("escalate", "x", escalation=one_side))
    with demo_ws.db.session() as s:
        assert s.scalars(select(Escalation).where(Escalation.agenda_item_id == ITEM)).all() == []


def test_escalation_opens_with_its_24_hour_clock(demo_ws: Workspace, chair: Actor) -> None:
    row = escalate(demo_ws, chair)
    # Raised Monday 23/11/2026 09:00 (the test clock): due by close of business Tuesday.
    assert (row.raised_at, row.due_at) == (demo_ws.now(), dt.datetime(2026, 11, 24, 17, 0))
    assert row.status == "open" and row.raised_by_id == chair.user_id
    assert [v["side"] for v in row.views] == ["Family Safeguarding", "Early Help"]
    with demo_ws.db.session() as s:
        request = s.scalars(select(Request).join(Request.case).where(Request.id == 10)).one()
        assert request.status == "escalated"
    (listed,) = mine(list_escalations(demo_ws, chair))
    assert (listed.id, listed.escalated_to, listed.views[1].who) == (
        row.id,
        "Operations Manager, Early Help",
        "Paul García",
    )
    # Recording the escalation again updates the same one; changing the outcome withdraws it.
    assert escalate(demo_ws, chair).id == row.id
    record_decision(demo_ws, chair, ITEM, DecisionDraft("agreed", "Agreed after all."))
    assert mine(list_escalations(demo_ws, chair)) == []


def test_resolving_an_escalation_moves_the_request(demo_ws: Workspace, chair: Actor) -> None:
    row = escalate(demo_ws, chair)
    with pytest.raises(PermissionDeniedError, match="may not resolve an escalation"):
        resolve_escalation(demo_ws, COORDINATOR, row.id, "Step in agreed")
    with pytest.raises(ValidationError, match="Resolution"):
        resolve_escalation(demo_ws, MANAGER, row.id, "  ")
    done = resolve_escalation(demo_ws, MANAGER, row.id, "Operations Manager agreed the step in.")
    assert (done.status, done.resolved_by, done.resolution) == (
        "resolved",
        "Janet Williams",
        "Operations Manager agreed the step in.",
    )
    assert get_escalation(demo_ws, chair, row.id).resolved_at == demo_ws.now()
    with demo_ws.db.session() as s:
        request = s.get(Request, 10)
        assert request is not None and request.status == "resolved"
        moves = s.scalars(select(AuditEvent).where(AuditEvent.entity == "request")).all()
        assert [(m.detail["before"], m.detail["after"]) for m in moves] == [
            ("on_agenda", "escalated"),  # the decision, through the lifecycle
            ("escalated", "resolved"),
        ]
    with pytest.raises(ValidationError, match="resolved already"):
        resolve_escalation(demo_ws, MANAGER, row.id, "again")
    assert mine(list_escalations(demo_ws, chair)) == []
    assert len(mine(list_escalations(demo_ws, chair, open_only=False))) == 1


def test_a_draft_is_saved_restored_and_dropped_on_save(demo_ws: Workspace, chair: Actor) -> None:
    assert load_decision_draft(demo_ws, chair, ITEM) is None
    at = save_decision_draft(demo_ws, chair, ITEM, {"rationale": "Half typ"})
    save_decision_draft(demo_ws, chair, ITEM, {"rationale": "Half typed", "outcome": "defer"})
    draft = load_decision_draft(demo_ws, chair, ITEM)
    assert draft is not None
    assert (draft.data, draft.saved_at) == ({"rationale": "Half typed", "outcome": "defer"}, at)
    with demo_ws.db.session() as s:
        assert len(s.scalars(select(DraftRow)).all()) == 1  # one row per item, updated
    save_decision_draft(demo_ws, chair, OTHER, {"rationale": "Other"})
    record_decision(demo_ws, chair, ITEM, DecisionDraft("defer", "Half typed"))
    assert load_decision_draft(demo_ws, chair, ITEM) is None
    assert load_decision_draft(demo_ws, chair, OTHER) is not None
    discard_decision_draft(demo_ws, chair, OTHER)
    assert load_decision_draft(demo_ws, chair, OTHER) is None
