"""Years of history for a demo council of any size (``stepdesk demo --cases N``).

The 220-case story (:func:`stepdesk.demo.populate`) is built first and stays as it is; this
adds ``N - 220`` more cases with the history a large council has: families, plan episodes
over years, most cases closed, past panels every working week with their requests, decisions,
actions and approved minutes. Names come from the small text files in ``resources/demo/``
(never from a library, so the data does not change with one's version).

It writes in batches within one unit of work (``INSERT … VALUES`` of many rows at a time):
going row by row through the ORM would take hours at 100,000 cases. The rows are those the
services write for the same steps; the history has no audit events (the demo's audit trail
starts at the first sign-in, as for the story).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from resources import RESOURCES_DIR
from stepdesk.domain import AttendanceStatus, ItemStatus, Outcome, PanelStatus, RequestStatus, Role
from stepdesk.persistence.models import (
    Action,
    AgendaItem,
    Attendance,
    Case,
    Decision,
    Family,
    MinutesVersion,
    Panel,
    PlanEpisode,
    Request,
    RequestTransition,
    Subject,
    Team,
    User,
)
from stepdesk.profile import Profile
from stepdesk.timescales import WorkingCalendar, add_months

DEMO_NAMES_DIR = RESOURCES_DIR / "demo"
STORY_CASES = 220  # the story's own cases (stepdesk.demo.populate)
BATCH = 5000
OPEN_SHARE = 0.1  # a large council: 100,000 cases, 10,000 open
ITEMS_A_PANEL = 10

# (movement, from plan, to plan, reasons): what history panels decided.
_HISTORY_MOVES = [
    ("step_down", "cin", "early_help", "CIN plan outcomes met; Early Help to continue."),
    ("step_down", "early_help", "universal", "Early Help plan completed; universal services."),
    ("step_up", "early_help", "cin", "Concerns increased despite the Early Help plan."),
]
_JOURNEYS = [
    ["early_help"],
    ["universal", "early_help"],
    ["early_help", "cin"],
    ["cin", "early_help"],
    ["early_help", "cin", "cp", "cin"],
    ["cin"],
]
_TEAMS_FOR = {
    "universal": "universal",
    "early_help": "early_help",
    "cin": "family_safeguarding",
    "cp": "family_safeguarding",
}


def names(kind: str) -> list[str]:
    """One of the demo's name lists (``given_names``, ``family_names``, ``streets``, ``towns``)."""
    text = (DEMO_NAMES_DIR / f"{kind}.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass
class _Ids:
    """The next free id of each table written here (ids are given, so rows can refer)."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, s: Session, model: Any) -> int:
        table = model.__tablename__
        if table not in self.next:
            self.next[table] = int(s.scalar(select(func.max(model.id))) or 0) + 1
        value = self.next[table]
        self.next[table] = value + 1
        return value


class _Writer:
    """Rows of each table, written ``BATCH`` at a time within the caller's transaction."""

    def __init__(self, s: Session) -> None:
        self.s = s
        self.rows: dict[Any, list[dict[str, Any]]] = {}
        # Parents before children, so foreign keys hold at every flush.
        self.order = [
            Family,
            Subject,
            Case,
            PlanEpisode,
            Panel,
            Attendance,
            Request,
            RequestTransition,
            AgendaItem,
            Decision,
            Action,
            MinutesVersion,
        ]

    def add(self, model: Any, row: dict[str, Any]) -> None:
        rows = self.rows.setdefault(model, [])
        rows.append(row)
        if len(rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        for model in self.order:
            rows = self.rows.pop(model, [])
            for start in range(0, len(rows), BATCH):
                self.s.execute(insert(model), rows[start : start + BATCH])


def _working_weeks(today: dt.date, weeks: int) -> Iterator[dt.date]:
    """A Tuesday each week, oldest first, ending three weeks before ``today``."""
    last = today - dt.timedelta(days=21 + (today.weekday() - 1) % 7)
    for back in range(weeks, 0, -1):
        yield last - dt.timedelta(weeks=back - 1)


def add_history(
    s: Session, profile: Profile, today: dt.date, cases: int, seed: int = 1
) -> dict[str, int]:
    """Add ``cases`` history cases and the past panels that decided on them; counts written."""
    if cases <= 0:
        return {}
    rng = random.Random(seed * 1009 + 11)
    given, family, streets, towns = (
        names(k) for k in ("given_names", "family_names", "streets", "towns")
    )
    teams: dict[str, list[int]] = {}
    for team in s.scalars(select(Team)):
        teams.setdefault(team.service, []).append(team.id)
    staff: dict[str, list[int]] = {}
    for user in s.scalars(select(User).order_by(User.id)):
        staff.setdefault(user.role, []).append(user.id)
    ids, out = _Ids(), _Writer(s)
    counts: dict[str, int] = {}
    years = max(2, min(8, cases // 12000 + 2))
    start_day = today - dt.timedelta(days=365 * years)
    span = (today - start_day).days - 30
    # Cases whose latest move a history panel decided: (case id, move, decided-by day).
    movers: list[tuple[int, int, dt.date]] = []
    made = 0
    while made < cases:
        family_id = ids.take(s, Family)
        surname = rng.choice(family)
        out.add(
            Family,
            {
                "id": family_id,
                "reference": f"F-H{family_id:07d}",
                "name": surname,
                "address": f"{rng.randint(1, 240)} {rng.choice(streets)}, {rng.choice(towns)}",
                "language": rng.choice(["English"] * 8 + ["Welsh", "Polish", "Urdu", "Irish"]),
            },
        )
        for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
            if made >= cases:
                break
            made += 1
            subject_id, case_id = ids.take(s, Subject), ids.take(s, Case)
            opened = start_day + dt.timedelta(days=rng.randint(0, span))
            age_days = rng.randint(60, 17 * 365)
            out.add(
                Subject,
                {
                    "id": subject_id,
                    "family_id": family_id,
                    "given_name": rng.choice(given),
                    "family_name": surname,
                    "date_of_birth": opened - dt.timedelta(days=age_days),
                    "kind": "young_person" if age_days > 13 * 365 else "child",
                },
            )
            journey = rng.choice(_JOURNEYS)
            is_open = rng.random() < OPEN_SHARE
            at, episodes = opened, []
            for plan in journey:
                episodes.append((plan, at))
                at = min(add_months(at, rng.randint(2, 14)), today - dt.timedelta(days=2))
            closed_on = None if is_open else max(at, episodes[-1][1] + dt.timedelta(days=1))
            if closed_on is not None and closed_on >= today:
                closed_on, is_open = None, True
            last_plan, last_start = episodes[-1]
            team_id = rng.choice(teams[_TEAMS_FOR[last_plan]])
            workers = staff[Role.WORKER.value]
            out.add(
                Case,
                {
                    "id": case_id,
                    "reference": f"C-{2000000 + case_id:07d}",
                    "subject_id": subject_id,
                    "team_id": team_id,
                    "level": profile.plan(last_plan).level,
                    "plan": last_plan,
                    "allocated_worker_id": rng.choice(workers) if is_open else None,
                    "opened_on": opened,
                    "closed_on": closed_on,
                    "version_id": 1,
                },
            )
            for number, (plan, began) in enumerate(episodes):
                ended = episodes[number + 1][1] if number + 1 < len(episodes) else closed_on
                out.add(
                    PlanEpisode,
                    {
                        "id": ids.take(s, PlanEpisode),
                        "case_id": case_id,
                        "level": profile.plan(plan).level,
                        "plan": plan,
                        "team_id": rng.choice(teams[_TEAMS_FOR[plan]]),
                        "started_on": began,
                        "ended_on": ended,
                    },
                )
            # About a third of cases went to a panel for their last move.
            for move, (_, from_plan, to_plan, _) in enumerate(_HISTORY_MOVES):
                if len(episodes) > 1 and (episodes[-2][0], last_plan) == (from_plan, to_plan):
                    if last_start < today - dt.timedelta(days=25) and rng.random() < 0.8:
                        movers.append((case_id, move, last_start))
                    break
    counts["cases"] = made
    _history_panels(s, rng, ids, out, staff, today, years, movers, counts, profile.region)
    out.flush()
    return counts


def _history_panels(
    s: Session,
    rng: random.Random,
    ids: _Ids,
    out: _Writer,
    staff: dict[str, list[int]],
    today: dt.date,
    years: int,
    movers: list[tuple[int, int, dt.date]],
    counts: dict[str, int],
    region: str,
) -> None:
    """Weekly past panels, each deciding the moves that fell before it, minutes approved."""
    calendar = WorkingCalendar(region)
    movers.sort(key=lambda m: m[2])
    weeks = list(_working_weeks(today, years * 52))
    chairs, managers = staff[Role.CHAIR.value], staff[Role.MANAGER.value]
    coordinators, workers = staff[Role.COORDINATOR.value], staff[Role.WORKER.value]
    pending: list[tuple[int, int, dt.date]] = []
    index = panels = 0
    for week in weeks:
        while index < len(movers) and movers[index][2] <= week + dt.timedelta(days=6):
            pending.append(movers[index])
            index += 1
        if not pending:
            continue
        day = calendar.next_working_day(week)
        while pending:
            batch, pending = pending[:ITEMS_A_PANEL], pending[ITEMS_A_PANEL:]
            panels += 1
            _history_panel(rng, ids, s, out, day, batch, chairs, managers, coordinators, workers)
    counts["panels"] = panels
    counts["requests"] = index


def _history_panel(
    rng: random.Random,
    ids: _Ids,
    s: Session,
    out: _Writer,
    day: dt.date,
    batch: list[tuple[int, int, dt.date]],
    chairs: list[int],
    managers: list[int],
    coordinators: list[int],
    workers: list[int],
) -> None:
    starts = dt.datetime.combine(day, dt.time(rng.choice([9, 10, 13]), 0))
    finished = starts + dt.timedelta(minutes=15 * len(batch) + 10)
    panel_id, chair = ids.take(s, Panel), rng.choice(chairs)
    out.add(
        Panel,
        {
            "id": panel_id,
            "meeting_type": rng.choice(["cin_panel", "step_meeting", "erm"]),
            "starts_at": starts,
            "venue": rng.choice(["Town Hall, Committee Room 2", "Microsoft Teams"]),
            "chair_id": chair,
            "status": PanelStatus.FINISHED.value,
            "finished_at": finished,
            "minutes_by_id": coordinators[0],
            "agenda_circulated_at": starts - dt.timedelta(days=2),
            "version_id": 1,
        },
    )
    for user, role in [(chair, "chair"), (coordinators[0], "minutes")] + [
        (m, "member") for m in rng.sample(managers, 3)
    ]:
        out.add(
            Attendance,
            {
                "id": ids.take(s, Attendance),
                "panel_id": panel_id,
                "user_id": user,
                "panel_role": role,
                "status": AttendanceStatus.PRESENT.value,
            },
        )
    at = starts
    for position, (case_id, move, _) in enumerate(batch, start=1):
        movement, from_plan, to_plan, reasons = _HISTORY_MOVES[move]
        worker, manager = rng.choice(workers), rng.choice(managers)
        submitted = starts - dt.timedelta(days=rng.randint(3, 8))
        request_id, item_id, decision_id = (
            ids.take(s, Request),
            ids.take(s, AgendaItem),
            ids.take(s, Decision),
        )
        out.add(
            Request,
            {
                "id": request_id,
                "case_id": case_id,
                "movement": movement,
                "from_plan": from_plan,
                "to_plan": to_plan,
                "reasons": reasons,
                "triggers": [],
                "status": RequestStatus.CLOSED.value,
                "created_by_id": worker,
                "created_at": submitted - dt.timedelta(days=1),
                "submitted_at": submitted,
                "qa_by_id": manager,
                "qa_at": submitted + dt.timedelta(hours=20),
                "qa_comment": "QA'd: form complete.",
                "cp_concern": False,
                "threshold_uncertain": False,
                "version_id": 1,
            },
        )
        out.add(
            RequestTransition,
            {
                "id": ids.take(s, RequestTransition),
                "request_id": request_id,
                "from_status": RequestStatus.HANDOVER_COMPLETED.value,
                "to_status": RequestStatus.CLOSED.value,
                "at": finished + dt.timedelta(days=7),
                "by_id": worker,
                "note": "Request closed: transfer and handover complete.",
            },
        )
        at += dt.timedelta(minutes=15)
        out.add(
            AgendaItem,
            {
                "id": item_id,
                "panel_id": panel_id,
                "request_id": request_id,
                "position": position,
                "presenter_id": worker,
                "slot_minutes": 15,
                "status": ItemStatus.DECIDED.value,
                "notes": "The worker presented. Panel discussed progress against the plan.",
                "notes_saved_at": at,
            },
        )
        out.add(
            Decision,
            {
                "id": decision_id,
                "agenda_item_id": item_id,
                "outcome": Outcome.AGREED.value,
                "rationale": "Panel agreed the request: needs are best met at the proposed level.",
                "effective_on": at.date(),
                "findings": [],
                "decided_by_id": chair,
                "decided_at": at,
                "quorate": True,
                "version_id": 1,
            },
        )
        rules = ["T-EFFECT-24H", "T-HANDOVER", "T-HANDOVER"]
        rules.append("T-EHA-20WD" if to_plan == "early_help" else "T-CIN-MEETING-7D")
        for rule in rules:
            out.add(
                Action,
                {
                    "id": ids.take(s, Action),
                    "decision_id": decision_id,
                    "description": "Follow-up agreed at panel",
                    "owner_id": worker,
                    "owner_name": "Allocated worker",
                    "due_on": at.date() + dt.timedelta(days=5),
                    "rule_id": rule,
                    "done": True,
                },
            )
    out.add(
        MinutesVersion,
        {
            "id": ids.take(s, MinutesVersion),
            "panel_id": panel_id,
            "version": 1,
            "content": {"items": len(batch)},
            "approved_by_id": chair,
            "approved_at": finished + dt.timedelta(hours=20),
        },
    )
