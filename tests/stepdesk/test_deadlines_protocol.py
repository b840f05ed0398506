"""The statutory clock: every listed timescale tracked, explained, with RAG and scopes."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from stepdesk.errors import ValidationError
from stepdesk.persistence.models import Escalation
from stepdesk.profile import load_profile
from stepdesk.services import Workspace
from stepdesk.services.deadlines import DeadlineRow, deadlines_for
from stepdesk.services.transfers import arrange_handover, complete_handover, effect_decision
from stepdesk.timescales import Rag
from tests.conftest import NOW
from tests.stepdesk.transfer_world import World, build_world, decide, new_case

DECIDED = dt.datetime(2026, 11, 20, 14, 30)  # a Friday


@pytest.fixture
def world(empty_ws: Workspace) -> World:
    return build_world(empty_ws)


def clocks(ws: Workspace, world: World, case_id: int) -> dict[str, DeadlineRow]:
    rows = deadlines_for(ws, world.manager, "all", case_id=case_id)
    return {r.deadline.rule + ("-DONE" if "completed" in r.deadline.what else ""): r for r in rows}


def test_step_up_into_cin_tracks_meeting_cowork_effect_and_handover(
    empty_ws: Workspace, world: World
) -> None:
    case_id = new_case(empty_ws, world.hub, "early_help", dt.date(2026, 6, 1))
    decide(empty_ws, case_id, "step_up", "cin", on=DECIDED, receiving_team_id=world.fs_a)
    got = clocks(empty_ws, world, case_id)
    assert {
        "T-EFFECT-24H",
        "T-HANDOVER",
        "T-HANDOVER-DONE",
        "T-CIN-MEETING-7D",
        "T-COWORK-10D",
    } <= set(got)
    assert got["T-CIN-MEETING-7D"].deadline.due == dt.datetime(2026, 11, 27, 17, 0)
    assert got["T-COWORK-10D"].deadline.due == dt.datetime(2026, 11, 30, 17, 0)
    # 24 hours from Friday 14:30 is Saturday: close of business on Monday.
    assert got["T-EFFECT-24H"].deadline.due == dt.datetime(2026, 11, 23, 17, 0)
    assert got["T-EFFECT-24H"].rag == Rag.DUE_SOON
    # 5 working days from Friday 20/11/2026.
    assert got["T-HANDOVER-DONE"].deadline.due == dt.datetime(2026, 11, 27, 17, 0)
    assert "ICPC" not in " ".join(got)


def test_step_up_to_cp_tracks_the_conference(empty_ws: Workspace, world: World) -> None:
    case_id = new_case(empty_ws, world.fs_a, "cin", dt.date(2026, 6, 1))
    decide(empty_ws, case_id, "step_up", "cp", on=DECIDED)
    got = clocks(empty_ws, world, case_id)
    assert got["T-ICPC-15D"].deadline.due == dt.datetime(2026, 12, 5, 17, 0)
    assert "T-COWORK-10D" not in got  # not a step-up from early help


def test_step_down_to_early_help_tracks_the_eha_update(empty_ws: Workspace, world: World) -> None:
    case_id = new_case(empty_ws, world.fs_a, "cin", dt.date(2026, 3, 2))
    decide(empty_ws, case_id, "step_down", "early_help", on=DECIDED, receiving_team_id=world.hub)
    eha = clocks(empty_ws, world, case_id)["T-EHA-20WD"].deadline
    # 20 working days from Friday 20/11/2026: four working weeks.
    assert eha.due == dt.datetime(2026, 12, 18, 17, 0)
    assert eha.explain().startswith("due 18/12/2026 17:00 — T-EHA-20WD: ")
    assert "within 20 working days of the decision made 20/11/2026 14:30 (002 6.2)" in eha.explain()


def test_step_in_tracks_the_eight_week_plan(empty_ws: Workspace, world: World) -> None:
    case_id = new_case(empty_ws, world.hub, "early_help", dt.date(2026, 6, 1))
    decide(empty_ws, case_id, "step_in", "early_help", on=DECIDED)
    got = clocks(empty_ws, world, case_id)
    assert got["T-STEPIN-8W"].deadline.due == dt.datetime(2027, 1, 15, 17, 0)
    assert "T-EFFECT-24H" not in got


def test_transfer_and_handover_tick_their_clocks(empty_ws: Workspace, world: World) -> None:
    case_id = new_case(empty_ws, world.hub, "early_help", dt.date(2026, 6, 1))
    decision_id, request_id, _ = decide(
        empty_ws, case_id, "step_up", "cin", on=DECIDED, receiving_team_id=world.fs_a
    )

    def done() -> dict[str, bool]:
        return {k: r.rag == Rag.DONE for k, r in clocks(empty_ws, world, case_id).items()}

    assert not any(done()[k] for k in ("T-EFFECT-24H", "T-HANDOVER", "T-HANDOVER-DONE"))
    effect_decision(empty_ws, world.worker, decision_id)
    assert done()["T-EFFECT-24H"] and not done()["T-HANDOVER"]
    arrange_handover(empty_ws, world.worker, request_id)
    assert done()["T-HANDOVER"] and not done()["T-HANDOVER-DONE"]
    complete_handover(empty_ws, world.worker, request_id)
    assert done()["T-HANDOVER-DONE"]


def test_agreed_later_date_moves_the_effect_clock(empty_ws: Workspace, world: World) -> None:
    case_id = new_case(empty_ws, world.hub, "early_help", dt.date(2026, 6, 1))
    decide(empty_ws, case_id, "step_up", "cin", on=DECIDED, effective_on=dt.date(2026, 12, 1))
    effect = clocks(empty_ws, world, case_id)["T-EFFECT-24H"].deadline
    assert effect.due == dt.datetime(2026, 12, 2, 17, 0)
    assert "the agreed date 01/12/2026" in effect.explain()


def test_escalation_record_is_the_24_hour_clock(empty_ws: Workspace, world: World) -> None:
    case_id = new_case(empty_ws, world.hub, "early_help", dt.date(2026, 6, 1))
    decision_id, _, item_id = decide(
        empty_ws, case_id, "step_up", "cin", on=DECIDED, outcome="escalate"
    )
    with empty_ws.db.session() as s:
        s.add(
            Escalation(
                case_id=case_id,
                agenda_item_id=item_id,
                decision_id=decision_id,
                raised_at=DECIDED,
                escalated_to="Operations Manager",
                disagreement="Threshold",
                due_at=dt.datetime(2026, 11, 23, 17, 0),
            )
        )
    rows = [
        r
        for r in deadlines_for(empty_ws, world.manager, case_id=case_id)
        if r.deadline.rule == "T-ESCALATE-24H"
    ]
    assert len(rows) == 1  # the record's clock, not a second one from the decision
    assert rows[0].deadline.anchor_label == "the escalation raised"
    assert rows[0].rag == Rag.DUE_SOON
    with empty_ws.db.session() as s:
        s.query(Escalation).update({"status": "resolved"})
    (row,) = [
        r
        for r in deadlines_for(empty_ws, world.manager, case_id=case_id)
        if r.deadline.rule == "T-ESCALATE-24H"
    ]
    assert row.rag == Rag.DONE


def test_scopes_mine_team_all(empty_ws: Workspace, world: World) -> None:
    mine = new_case(empty_ws, world.hub, "cin", dt.date(2026, 11, 2), world.worker.user_id)
    other = new_case(empty_ws, world.fs_a, "cin", dt.date(2026, 11, 2))

    def cases(actor, scope):  # type: ignore[no-untyped-def]
        return {r.case_id for r in deadlines_for(empty_ws, actor, scope)}

    assert cases(world.worker, "mine") == {mine}
    assert cases(world.worker, "team") == {mine}  # the worker's team is the hub
    assert cases(world.worker, "all") == {mine, other}
    assert cases(world.chair, "mine") == set()
    with pytest.raises(ValidationError, match="Show: choose one of: mine, team, all"):
        deadlines_for(empty_ws, world.worker, "everyone")


def test_cin_review_every_four_weeks(empty_ws: Workspace, world: World) -> None:
    case_id = new_case(empty_ws, world.fs_a, "cin", dt.date(2026, 10, 26))
    review = clocks(empty_ws, world, case_id)["T-CIN-REVIEW-4W"].deadline
    assert review.due == dt.datetime(2026, 11, 23, 17, 0)  # 4 weeks on, today
    assert review.rag(NOW) == Rag.DUE_SOON
    assert review.rag(NOW + dt.timedelta(hours=9)) == Rag.OVERDUE


def test_learning_disability_profile_tracks_only_its_timescales(
    empty_ws: Workspace, world: World
) -> None:
    ld = dataclasses.replace(empty_ws, profile=load_profile("learning-disability"))
    case_id = new_case(ld, world.hub, "cin", dt.date(2026, 10, 26))
    decide(ld, case_id, "step_up", "cp", on=DECIDED)
    got = {r.deadline.rule for r in deadlines_for(ld, world.manager, case_id=case_id)}
    assert "T-CIN-REVIEW-4W" not in got and "T-ICPC-15D" not in got
    assert {"T-EFFECT-24H", "T-HANDOVER"} <= got
