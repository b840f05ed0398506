"""Approving a panel's minutes and changing one of its decisions take the panel's row lock
first (SELECT … FOR UPDATE on a shared PostgreSQL database), so neither works from a stale
view of the other: minutes frozen from an old decision, or a refusal closed after it changed."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from reports.minutes import render_minutes
from stepdesk.persistence.models import Panel
from stepdesk.services import Actor, Workspace, decisions, minutes, panels
from stepdesk.services.views import DecisionDraft
from tests.stepdesk.test_refusal_final import AGREED_STEP_UP, PAST


def test_the_lock_is_for_update_on_postgresql() -> None:
    statement = select(Panel.id).where(Panel.id == 1).with_for_update()
    assert "FOR UPDATE" in str(statement.compile(dialect=postgresql.dialect()))


def test_both_writers_take_the_panels_lock_before_reading_it(
    demo_ws: Workspace, chair: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked: list[tuple[str, int]] = []
    real = panels.lock_panel

    def spy(where: str):  # type: ignore[no-untyped-def]
        def lock(s: Session, panel_id: int) -> None:
            locked.append((where, panel_id))
            real(s, panel_id)

        return lock

    monkeypatch.setattr(decisions, "lock_panel", spy("decision"))
    monkeypatch.setattr(minutes, "lock_panel", spy("minutes"))
    decisions.record_decision(
        demo_ws, chair, AGREED_STEP_UP, DecisionDraft("not_agreed", "Threshold not met.")
    )
    minutes.approve_minutes(demo_ws, chair, PAST, render=render_minutes)
    assert locked == [("decision", PAST), ("minutes", PAST)]
