"""A database with known counts for the monitoring measures (issue 18)."""

from __future__ import annotations

import datetime as dt

from stepdesk.persistence.models import (
    AgendaItem,
    Case,
    Consent,
    Decision,
    MinutesVersion,
    Panel,
    PlanEpisode,
    Request,
    Subject,
    Team,
    User,
)
from stepdesk.services import Workspace
from stepdesk.services.monitoring import Period

QUARTER = Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31), "quarter")
PANEL_AT = dt.datetime(2026, 2, 9, 10, 0)  # a Monday


def build(ws: Workspace) -> dict[str, int]:
    """Seven step-downs in Q1 2026 (team A), three requests in Q4 2025 (team B).

    Of the seven: 6 consents before the decision, 5 name the Lead Professional, 6 give a
    rationale, 2 stepped back up within 3 months, 5 female and 2 male; each request was
    submitted 5 working days before the panel.
    """
    with ws.db.session() as s:
        a, b = Team(name="Team A", service="early_help"), Team(name="Team B", service="fs")
        chair = User(name="Chris Chair", role="chair", job_title="Service Manager")
        s.add_all([a, b, chair])
        s.flush()
        panel = Panel(
            meeting_type="cin_panel",
            starts_at=PANEL_AT,
            venue="Room 1",
            chair_id=chair.id,
            status="finished",
            started_at=PANEL_AT + dt.timedelta(minutes=5),
            finished_at=dt.datetime(2026, 2, 9, 12, 0),
            agenda_circulated_at=dt.datetime(2026, 2, 6, 9, 0),
        )
        s.add(panel)
        s.flush()
        s.add(
            MinutesVersion(
                panel_id=panel.id, version=1, approved_at=dt.datetime(2026, 2, 10, 15, 0)
            )
        )
        for n in range(7):
            subject = Subject(
                given_name=f"Child{n}",
                family_name="Test",
                date_of_birth=dt.date(2016, 5, 1),
                sex="female" if n < 5 else "male",
                ethnicity="WBRI",
                disability="NONE",
            )
            episodes = [
                PlanEpisode(
                    level="L4",
                    plan="cin",
                    team_id=a.id,
                    started_on=dt.date(2025, 6, 1),
                    ended_on=dt.date(2026, 2, 9),
                ),
                PlanEpisode(
                    level="L3",
                    plan="early_help",
                    team_id=a.id,
                    started_on=dt.date(2026, 2, 9),
                    ended_on=dt.date(2026, 4, 1) if n < 2 else None,
                ),
            ]
            if n < 2:
                episodes.append(
                    PlanEpisode(
                        level="L4", plan="cin", team_id=a.id, started_on=dt.date(2026, 4, 1)
                    )
                )
            case = Case(
                reference=f"C-{n:06d}",
                subject=subject,
                team_id=a.id,
                level="L3",
                plan="early_help",
                opened_on=dt.date(2025, 6, 1),
                episodes=episodes,
            )
            s.add(case)
            if n < 6:
                s.add(
                    Consent(
                        case=case,
                        kind="signed",
                        purpose="step_down",
                        given_by="Parent",
                        given_on=dt.date(2026, 2, 1),
                    )
                )
            request = Request(
                case=case,
                movement="step_down",
                from_plan="cin",
                to_plan="early_help",
                reasons="Needs met",
                status="decided",
                created_at=dt.datetime(2026, 2, 2, 9, 0),
                submitted_at=dt.datetime(2026, 2, 2, 9, 30),
            )
            item = AgendaItem(panel=panel, request=request, position=n, status="decided")
            s.add(item)
            s.add(
                Decision(
                    agenda_item=item,
                    outcome="agreed",
                    rationale="Plan goals met" if n < 6 else "",
                    lead_professional="School nurse" if n < 5 else None,
                    decided_at=PANEL_AT + dt.timedelta(hours=1),
                    quorate=True,
                )
            )
        for n in range(3):
            subject = Subject(
                given_name=f"Before{n}", family_name="Test", date_of_birth=dt.date(2012, 1, 1)
            )
            case = Case(
                reference=f"C-9{n:05d}",
                subject=subject,
                team_id=b.id,
                level="L3",
                plan="early_help",
                opened_on=dt.date(2025, 1, 1),
                episodes=[
                    PlanEpisode(
                        level="L3", plan="early_help", team_id=b.id, started_on=dt.date(2025, 1, 1)
                    )
                ],
            )
            s.add(
                Request(
                    case=case,
                    movement="step_up",
                    from_plan="early_help",
                    to_plan="cin",
                    reasons="Worse",
                    status="submitted",
                    created_at=dt.datetime(2025, 11, 3, 9, 0),
                )
            )
        s.flush()
        return {"team_a": a.id, "team_b": b.id, "chair": chair.id}
