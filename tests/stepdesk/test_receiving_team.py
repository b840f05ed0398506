"""T-HANDOVER: an agreed step up or down between levels names the receiving team; without
one, the case would silently stay with the team it is leaving (``effect_decision``)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from stepdesk.errors import BlockedByRuleError
from stepdesk.persistence.models import Case, Team
from stepdesk.services import Actor, Workspace
from stepdesk.services.decisions import decision_context, record_decision
from stepdesk.services.people import actor_for
from stepdesk.services.transfers import effect_decision
from stepdesk.services.views import DecisionDraft
from tests.conftest import TODAY

STEP_UP = 9  # panel 2: Early Help (Early Help South Hub) to a Child in Need plan
STEP_IN = 10  # panel 2: a step in, no change of level or team
COORDINATOR = 3


def _draft(team_id: int | None = None, outcome: str = "agreed") -> DecisionDraft:
    return DecisionDraft(
        outcome,
        "Needs now meet the threshold for a Child in Need plan.",
        effective_on=TODAY,
        review_on=TODAY.replace(year=2027, month=2),
        lead_professional="Social worker",
        exit_strategy="Step down to Early Help when the plan's outcomes are met.",
        family_informed=("why", "how_long", "concerns"),
        receiving_team_id=team_id,
    )


def _team(ws: Workspace, name: str) -> int:
    with ws.db.session() as s:
        return s.scalars(select(Team.id).where(Team.name == name)).one()


def test_an_agreed_step_up_without_a_receiving_team_is_blocked(
    demo_ws: Workspace, chair: Actor
) -> None:
    with pytest.raises(BlockedByRuleError) as refused:
        record_decision(demo_ws, chair, STEP_UP, _draft())
    assert "T-HANDOVER" in refused.value.rule_ids
    context = decision_context(demo_ws, chair, STEP_UP)
    live = [f for f in context.evaluate(_draft()) if f.rule == "T-HANDOVER"]
    assert [f.severity for f in live] == ["block"]
    assert live[0].message.startswith(
        "Name the receiving team: the case moves from Early Help (EHA/CAF with TAC) to Child "
        "in Need plan"
    )
    fs_a = _team(demo_ws, "Family Safeguarding Team A")
    assert not [f for f in context.evaluate(_draft(fs_a)) if f.rule == "T-HANDOVER"]


def test_named_receiving_team_receives_the_case(demo_ws: Workspace, chair: Actor) -> None:
    fs_a = _team(demo_ws, "Family Safeguarding Team A")
    decision = record_decision(demo_ws, chair, STEP_UP, _draft(fs_a))
    assert "T-HANDOVER" not in [f.rule for f in decision.findings]
    moved = effect_decision(demo_ws, actor_for(demo_ws, COORDINATOR), decision.id)
    assert (moved.from_team, moved.to_team) == (
        "Early Help South Hub",
        "Family Safeguarding Team A",
    )
    with demo_ws.db.session() as s:
        case = s.get_one(Case, moved.case_id)
        assert (case.plan, case.team.name) == ("cin", "Family Safeguarding Team A")


def test_a_step_in_needs_no_receiving_team(demo_ws: Workspace, chair: Actor) -> None:
    context = decision_context(demo_ws, chair, STEP_IN)
    assert "T-HANDOVER" not in [f.rule for f in context.evaluate(_draft())]
