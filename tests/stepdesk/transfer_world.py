"""A small world for the transfer tests: teams, staff, and decided requests built directly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stepdesk.persistence.models import (
    AgendaItem,
    Case,
    Decision,
    Panel,
    PlanEpisode,
    Request,
    Subject,
    Team,
    User,
)
from stepdesk.services import Actor, Workspace

LEVEL = {"universal": "L1", "early_help": "L3", "cin": "L4", "cp": "L4", "looked_after": "L4"}


@dataclass(frozen=True)
class World:
    """Ids of what the world holds, and actors of each role."""

    hub: int
    fs_a: int
    fs_b: int
    worker: Actor
    manager: Actor
    chair: Actor
    coordinator: Actor


def build_world(ws: Workspace) -> World:
    with ws.db.session() as s:
        hub = Team(name="Early Help Hub North", service="early_help")
        fs_a = Team(name="Family Safeguarding Team A", service="family_safeguarding")
        fs_b = Team(name="Family Safeguarding Team B", service="family_safeguarding")
        s.add_all([hub, fs_a, fs_b])
        s.flush()
        people = {}
        for role, name in [
            ("worker", "Wren Worker"),
            ("manager", "Mina Manager"),
            ("chair", "Cai Chair"),
            ("coordinator", "Cora Coordinator"),
        ]:
            user = User(name=name, role=role, job_title=role.title(), team_id=hub.id)
            s.add(user)
            s.flush()
            people[role] = Actor(user.id, name, role)
        return World(
            hub.id,
            fs_a.id,
            fs_b.id,
            people["worker"],
            people["manager"],
            people["chair"],
            people["coordinator"],
        )


_counter = [0]


def new_case(
    ws: Workspace, team_id: int, plan: str, since: dt.date, worker_id: int | None = None
) -> int:
    _counter[0] += 1
    with ws.db.session() as s:
        subject = Subject(given_name="Testa", family_name=f"Case{_counter[0]}")
        case = Case(
            reference=f"T{_counter[0]:05d}",
            subject=subject,
            team_id=team_id,
            level=LEVEL[plan],
            plan=plan,
            opened_on=since,
            lead_professional="Social worker",
            allocated_worker_id=worker_id,
        )
        s.add(case)
        s.flush()
        s.add(
            PlanEpisode(
                case_id=case.id, level=LEVEL[plan], plan=plan, team_id=team_id, started_on=since
            )
        )
        return case.id


def decide(
    ws: Workspace,
    case_id: int,
    movement: str,
    to_plan: str,
    *,
    on: dt.datetime,
    effective_on: dt.date | None = None,
    receiving_team_id: int | None = None,
    outcome: str = "agreed",
    lead: str | None = "School nurse",
) -> tuple[int, int, int]:
    """A decided request on a finished panel: (decision id, request id, agenda item id)."""
    with ws.db.session() as s:
        case = s.get(Case, case_id)
        assert case is not None
        request = Request(
            case_id=case_id,
            movement=movement,
            from_plan=case.plan,
            to_plan=to_plan,
            reasons="Test",
            # Every outcome but these three leaves the request decided (a refusal until the
            # chair approves the minutes: no minutes are approved here).
            status={
                "defer": "deferred",
                "escalate": "escalated",
                "refer_immediately": "referred",
            }.get(outcome, "decided"),
            created_at=on - dt.timedelta(days=7),
        )
        panel = Panel(
            meeting_type="step_meeting",
            starts_at=on,
            venue="Room 1",
            status="finished",
            finished_at=on,
        )
        item = AgendaItem(panel=panel, request=request, position=1, status="decided")
        decision = Decision(
            agenda_item=item,
            outcome=outcome,
            rationale="Decided in test",
            effective_on=effective_on,
            receiving_team_id=receiving_team_id,
            lead_professional=lead,
            decided_at=on,
        )
        s.add_all([request, panel, item, decision])
        s.flush()
        return decision.id, request.id, item.id
