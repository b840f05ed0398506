"""Approving minutes: who may, frozen versions, corrections, T-MINUTES-48H, and what prints."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from reports.minutes import render_minutes
from stepdesk.cli import main
from stepdesk.domain import Role
from stepdesk.errors import PermissionDeniedError, ValidationError
from stepdesk.persistence.models import AgendaItem, Attendance, Dissent, Panel, User
from stepdesk.services import Actor, Workspace
from stepdesk.services.deadlines import all_deadlines
from stepdesk.services.minutes import approve_minutes, approved_minutes, minutes_document
from tests.reports.report_helpers import read_pdf

PAST = 1  # the demo's finished CIN panel
UPCOMING = 2


def user_actor(ws: Workspace, role: str, *, not_chair_of: int | None = None) -> Actor:
    with ws.db.session() as s:
        chair_id = s.get(Panel, not_chair_of).chair_id if not_chair_of else None
        user = next(
            u for u in s.scalars(select(User).where(User.role == role)).all() if u.id != chair_id
        )
        return Actor(user.id, user.name, user.role)


def test_draft_minutes_carry_the_watermark_on_every_page(demo_ws: Workspace, chair: Actor) -> None:
    pdf = read_pdf(render_minutes(minutes_document(demo_ws, chair, PAST)))
    for text in pdf.pages:
        assert "DRAFT" in text
        assert "Panel 1, DRAFT, not approved." in text  # the footer: document id and state
    assert "not yet approved by the chair" in pdf.flat
    assert "Chair's approval" in pdf.flat


def test_chair_approves_and_the_stored_pdf_is_frozen(demo_ws: Workspace, chair: Actor) -> None:
    first = approve_minutes(demo_ws, chair, PAST, render=render_minutes)
    assert first.version == 1
    assert first.sha256 == hashlib.sha256(first.pdf).hexdigest()
    pdf = read_pdf(first.pdf)
    assert not any("DRAFT" in t for t in pdf.pages)
    assert f"Approved, version 1, by {chair.name} on 23/11/2026 09:00" in pdf.flat
    assert "Panel 1, approved version 1. Generated 23/11/2026 09:00" in pdf.pages[0]

    # Later edits change the working draft, never the approved version.
    with demo_ws.db.session() as s:
        item = s.scalars(select(AgendaItem).where(AgendaItem.panel_id == PAST)).first()
        assert item is not None
        item.notes = "Corrected: the school report was dated 02/11/2026."
    stored = approved_minutes(demo_ws, chair, PAST)
    assert stored is not None and stored.pdf == first.pdf
    assert "Corrected: the school report" not in read_pdf(stored.pdf).flat
    assert (
        "Corrected: the school report"
        in read_pdf(render_minutes(minutes_document(demo_ws, chair, PAST))).flat
    )

    # A correction needs a note; with one it becomes version 2, recording who and what.
    with pytest.raises(ValidationError, match="change note"):
        approve_minutes(demo_ws, chair, PAST, render=render_minutes)
    second = approve_minutes(
        demo_ws,
        chair,
        PAST,
        "Item 1: date of the school report <corrected> & checked",
        render=render_minutes,
    )
    assert second.version == 2 and second.pdf != first.pdf
    flat = read_pdf(second.pdf).flat
    assert "Corrected: the school report" in flat
    assert "What changed Item 1: date of the school report <corrected> & checked" in flat
    assert "First approved version" in flat  # the versions table lists version 1
    assert approved_minutes(demo_ws, chair, PAST).version == 2  # type: ignore[union-attr]
    assert approved_minutes(demo_ws, chair, PAST, version=1).pdf == first.pdf  # type: ignore[union-attr]
    with demo_ws.db.session() as s:
        versions = s.get(Panel, PAST).minutes_versions  # type: ignore[union-attr]
        assert [v.version for v in versions] == [1, 2]
        assert versions[1].approved_by_id == chair.user_id
        assert versions[1].content["approval"]["change_note"].startswith("Item 1")
        assert versions[0].sha256 == first.sha256


def test_a_worker_may_not_approve(demo_ws: Workspace) -> None:
    worker = user_actor(demo_ws, Role.WORKER)
    with pytest.raises(PermissionDeniedError, match="may not approve"):
        approve_minutes(demo_ws, worker, PAST, render=render_minutes)
    manager = user_actor(demo_ws, Role.MANAGER, not_chair_of=PAST)
    with pytest.raises(PermissionDeniedError):
        approve_minutes(demo_ws, manager, PAST, render=render_minutes)
    assert approved_minutes(demo_ws, worker, PAST) is None


def test_the_chair_of_the_panel_may_approve_whatever_their_role(demo_ws: Workspace) -> None:
    with demo_ws.db.session() as s:
        panel = s.get(Panel, PAST)
        assert panel is not None and panel.chair is not None
        actor = Actor(panel.chair.id, panel.chair.name, Role.MANAGER)
    assert approve_minutes(demo_ws, actor, PAST, render=render_minutes).version == 1


def test_a_meeting_not_yet_held_cannot_be_approved(demo_ws: Workspace, chair: Actor) -> None:
    with pytest.raises(ValidationError, match="finish the meeting"):
        approve_minutes(demo_ws, chair, UPCOMING, render=render_minutes)


def test_minutes_deadline_is_done_once_approved(demo_ws: Workspace, chair: Actor) -> None:
    def minutes_rows() -> list[bool]:
        return [
            r.deadline.done
            for r in all_deadlines(demo_ws, chair)
            if r.deadline.rule == "T-MINUTES-48H"
        ]

    assert minutes_rows() and not any(minutes_rows())
    approve_minutes(demo_ws, chair, PAST, render=render_minutes)
    assert all(minutes_rows())


def test_quoracy_dissent_and_undecided_items_print(demo_ws: Workspace, chair: Actor) -> None:
    with demo_ws.db.session() as s:
        panel = s.get(Panel, PAST)
        assert panel is not None
        # Only the chair came: the Early Help manager part of the quorum is missing.
        for att in s.scalars(select(Attendance).where(Attendance.panel_id == PAST)):
            att.status = "present" if att.user_id == panel.chair_id else "apologies"
        items = panel.items
        decision = items[0].decision
        assert decision is not None
        decision.dissents.append(Dissent(name="Łukasz Wójcik", view="Too soon <b>& risky</b>."))
        items[1].decision.dissent = "Recorded before named dissent existed."  # type: ignore[union-attr]
        # Item 8 was not decided: carried forward to the next CIN panel.
        last = items[-1]
        s.delete(last.decision)
        last.status = "carried_forward"
        last.carried_forward_to_panel_id = 3
        last.carry_reason = "Time ran out; the family's worker was unwell."
        items[-2].status = "held_back"
        s.delete(items[-2].decision)
        items[-2].held_back_reason = "Consent form not signed."
    doc = minutes_document(demo_ws, chair, PAST)
    assert doc.quoracy is not None and not doc.quoracy.quorate
    flat = read_pdf(render_minutes(doc)).flat
    assert "Verdict Not quorate" in flat
    assert "An Early Help manager or deputy 1 Nobody present Not met" in flat
    assert "Łukasz Wójcik disagreed:" in flat and "Too soon <b>& risky</b>." in flat
    assert "Recorded before named dissent existed." in flat
    assert "Items not decided" in flat
    assert "Carried forward to CIN panel, " in flat and "(panel 3)" in flat
    assert "Time ran out; the family's worker was unwell." in flat
    assert "Held back (not ready)" in flat and "Consent form not signed." in flat
    assert "Action log" in flat


@pytest.mark.sqlite_only  # the CLI opens the demo file
def test_cli_prints_the_approved_version_else_the_draft(
    demo_path: Path, demo_ws: Workspace, chair: Actor, tmp_path: Path
) -> None:
    out = tmp_path / "minutes.pdf"
    args = ["pdf", "minutes", "--db", str(demo_path), "--panel", str(PAST), "-o", str(out)]
    assert main(args) == 0
    assert "DRAFT" in read_pdf(out.read_bytes()).pages[0]
    approved = approve_minutes(demo_ws, chair, PAST, render=render_minutes)
    assert main(args) == 0
    assert out.read_bytes() == approved.pdf
    assert main([*args, "--draft"]) == 0
    assert "DRAFT" in read_pdf(out.read_bytes()).pages[0]
    assert main([*args, "--version", "3"]) == 2
