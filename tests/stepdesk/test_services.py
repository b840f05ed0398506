"""Services: one transaction each, role checks, protocol checks on save, audit events."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from stepdesk.errors import (
    BlockedByRuleError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from stepdesk.persistence.models import AuditEvent, Request
from stepdesk.services import Actor, Workspace
from stepdesk.services.cases import item_detail
from stepdesk.services.decisions import decision_context, record_decision, suggest_actions
from stepdesk.services.minutes import minutes_document, save_item_notes
from stepdesk.services.panels import get_panel, list_panels, set_attendance
from stepdesk.services.views import ActionDraft, DecisionDraft


def blocked_item(ws: Workspace, actor: Actor) -> int:
    """An upcoming agenda item whose request has a blocking finding."""
    for panel in list_panels(ws, actor):
        if panel.status != "planned":
            continue
        for row in get_panel(ws, actor, panel.id).items:
            ctx = decision_context(ws, actor, row.id)
            draft = DecisionDraft("agreed", "x", lead_professional="School nurse")
            if any(f.severity == "block" for f in ctx.evaluate(draft)):
                return row.id
    raise AssertionError("the demo has no blocked item")


def test_list_and_get_panel(demo_ws: Workspace, chair: Actor) -> None:
    panels = list_panels(demo_ws, chair)
    assert [p.status for p in panels].count("planned") == 3
    view = get_panel(demo_ws, chair, panels[1].id)
    assert view.items and view.attendance
    starts = [row.slot_start for row in view.items]
    assert starts == sorted(starts)
    assert starts[0] == view.panel.starts_at


def test_missing_panel(demo_ws: Workspace, chair: Actor) -> None:
    with pytest.raises(NotFoundError, match="No panel with id 999"):
        get_panel(demo_ws, chair, 999)


def test_item_detail_is_audited_as_a_view(demo_ws: Workspace, chair: Actor) -> None:
    item_id = get_panel(demo_ws, chair, 2).items[0].id
    detail = item_detail(demo_ws, chair, item_id)
    assert detail.case.history
    assert detail.case.request is not None
    with demo_ws.db.session() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "view")).all()
    assert [(e.entity, e.entity_id, e.user_id) for e in events] == [
        ("case", detail.case.case_id, chair.user_id)
    ]


def test_block_refused_without_override(demo_ws: Workspace, chair: Actor) -> None:
    item_id = blocked_item(demo_ws, chair)
    with pytest.raises(BlockedByRuleError) as info:
        record_decision(demo_ws, chair, item_id, DecisionDraft("agreed", "Needs met."))
    assert info.value.rule_ids
    assert item_detail(demo_ws, chair, item_id).decision is None


def test_override_is_recorded_with_who_and_when(demo_ws: Workspace, chair: Actor) -> None:
    item_id = blocked_item(demo_ws, chair)
    draft = DecisionDraft(
        "agreed",
        "Needs met; the family want Early Help.",
        effective_on=dt.date(2026, 11, 24),
        lead_professional="School nurse",
        override_reason="Signed consent seen on the paper file; to be scanned today.",
        actions=[ActionDraft("Arrange the handover visit", "A. Worker", dt.date(2026, 11, 25))],
    )
    view = record_decision(demo_ws, chair, item_id, draft)
    assert view.override_by == chair.name
    assert view.override_at is not None
    assert view.override_reason.startswith("Signed consent")
    assert any(f.severity == "block" for f in view.findings)
    assert [a.description for a in view.actions] == ["Arrange the handover visit"]
    with demo_ws.db.session() as s:
        request = s.scalars(select(Request).where(Request.id == view.agenda_item_id)).first()
        audit = s.scalars(select(AuditEvent).where(AuditEvent.entity == "decision")).one()
    assert audit.detail["override"] is True
    assert request is not None


def test_coordinator_may_not_override(demo_ws: Workspace, chair: Actor) -> None:
    item_id = blocked_item(demo_ws, chair)
    coordinator = Actor(None, "Co Ordinator", "coordinator")
    with pytest.raises(PermissionDeniedError, match="Only a chair or manager may override"):
        record_decision(
            demo_ws, coordinator, item_id, DecisionDraft("agreed", "x", override_reason="because")
        )


def test_worker_may_not_record_decisions(demo_ws: Workspace, chair: Actor) -> None:
    worker = Actor(None, "A Worker", "worker")
    with pytest.raises(PermissionDeniedError, match="may not record decisions"):
        record_decision(demo_ws, worker, 1, DecisionDraft("defer", "More information needed."))


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (DecisionDraft("agreed", "   "), "Rationale"),
        (DecisionDraft("maybe", "x"), "Outcome"),
        (
            DecisionDraft(
                "defer", "x", effective_on=dt.date(2026, 12, 1), review_on=dt.date(2026, 12, 1)
            ),
            "Review date",
        ),
        (
            DecisionDraft("defer", "x", actions=[ActionDraft("Do it", "", dt.date(2026, 12, 1))]),
            "Action 1 owner",
        ),
    ],
)
def test_validation_names_the_field(
    demo_ws: Workspace, chair: Actor, draft: DecisionDraft, field: str
) -> None:
    item_id = get_panel(demo_ws, chair, 2).items[0].id
    with pytest.raises(ValidationError) as info:
        record_decision(demo_ws, chair, item_id, draft)
    assert info.value.field == field


def test_deciding_again_replaces_the_decision(demo_ws: Workspace, chair: Actor) -> None:
    item_id = get_panel(demo_ws, chair, 2).items[0].id
    first = record_decision(demo_ws, chair, item_id, DecisionDraft("defer", "Need the plan."))
    second = record_decision(demo_ws, chair, item_id, DecisionDraft("not_agreed", "No."))
    assert first.id == second.id
    assert second.outcome == "not_agreed"
    assert second.version > first.version


def test_suggested_actions_follow_the_timescales(demo_ws: Workspace, chair: Actor) -> None:
    item_id = blocked_item(demo_ws, chair)
    ctx = decision_context(demo_ws, chair, item_id)
    actions = suggest_actions(ctx, "agreed", dt.datetime(2026, 11, 24, 16, 10))
    assert [(a.rule_id, a.due_on) for a in actions] == [
        ("T-EFFECT-24H", dt.date(2026, 11, 25)),
        ("T-HANDOVER", dt.date(2026, 11, 26)),
        ("T-HANDOVER", dt.date(2026, 12, 1)),
    ]


def test_notes_and_attendance_persist(demo_ws: Workspace, chair: Actor) -> None:
    view = get_panel(demo_ws, chair, 2)
    save_item_notes(demo_ws, chair, view.items[0].id, "Panel heard from the school.")
    set_attendance(demo_ws, chair, view.attendance[0].id, "present")
    set_attendance(demo_ws, chair, view.attendance[1].id, "apologies")
    doc = minutes_document(demo_ws, chair, 2)
    assert doc.items[0].notes == "Panel heard from the school."
    assert [a.name for a in doc.present] == [view.attendance[0].name]
    assert [a.name for a in doc.apologies] == [view.attendance[1].name]
    with pytest.raises(ValidationError, match="attendance"):
        set_attendance(demo_ws, chair, view.attendance[0].id, "asleep")


def test_auditor_may_not_write_minutes(demo_ws: Workspace) -> None:
    auditor = Actor(None, "An Auditor", "auditor")
    with pytest.raises(PermissionDeniedError):
        save_item_notes(demo_ws, auditor, 1, "x")


def test_override_roles_per_rule_are_enforced(demo_ws: Workspace, chair: Actor) -> None:
    """A profile that lets only the chair override the blocking rule refuses a manager."""
    import dataclasses

    item_id = blocked_item(demo_ws, chair)
    ctx = decision_context(demo_ws, chair, item_id)
    draft = DecisionDraft(
        "agreed", "Decided", lead_professional="School nurse", override_reason="Seen on file"
    )
    blocks = sorted({f.rule for f in ctx.evaluate(draft) if f.severity == "block"})
    assert blocks
    rules = dict(demo_ws.profile.rules)
    for rule_id in blocks:
        rules[rule_id] = dataclasses.replace(rules[rule_id], override_roles=("chair",))
    ws = dataclasses.replace(demo_ws, profile=dataclasses.replace(demo_ws.profile, rules=rules))
    manager = Actor(chair.user_id, "Morgan Manager", "manager")
    with pytest.raises(PermissionDeniedError) as info:
        record_decision(ws, manager, item_id, draft)
    assert f"Only a chair may override {blocks[0]}" in str(info.value)
    assert "manager" in str(info.value)
    assert not decision_context(ws, chair, item_id).may_override("manager", blocks)
    view = record_decision(ws, chair, item_id, draft)
    assert view.override_by == chair.name
