"""A realistic, wholly synthetic demo database.

Every name, date and address is invented (Faker's en_GB locale plus lists of accented
names); nothing here describes a real person. The same seed on the same day gives the same
database: dates are laid out relative to ``today`` so that the panels are always upcoming.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field
from pathlib import Path

from faker import Faker
from sqlalchemy import select
from sqlalchemy.orm import Session

from stepdesk.demo_scale import STORY_CASES, add_history
from stepdesk.domain import (
    AttachmentKind,
    AttendanceStatus,
    ItemStatus,
    Outcome,
    PanelStatus,
    RequestStatus,
    Role,
)
from stepdesk.persistence.database import Database, open_database
from stepdesk.persistence.models import (
    Action,
    AgendaItem,
    Attachment,
    Attendance,
    Case,
    Closure,
    Consent,
    Decision,
    Escalation,
    Family,
    Panel,
    PlanEpisode,
    Request,
    RequestTransition,
    Subject,
    Team,
    User,
)
from stepdesk.profile import Profile, QuorumPart, load_profile
from stepdesk.rules import evaluate
from stepdesk.services.convert import case_facts, request_proposal
from stepdesk.timescales import Clock, WorkingCalendar, add_months

# Accented and non-English names mixed into Faker's, so documents prove they print them.
ACCENTED_GIVEN = [
    "Siân",
    "Zoë",
    "Łukasz",
    "Aoife",
    "Seán",
    "Chloë",
    "Renée",
    "Dafydd",
    "Eabha",
    "Anaïs",
    "José",
    "Małgorzata",
    "Thảo",
    "Bartłomiej",
    "Niamh",
    "Cáit",
    "Rhiannon",
    "Ōmar",
    "Zsófia",
    "Jiří",
]
ACCENTED_FAMILY = [
    "Nguyễn",
    "Ó Súilleabháin",
    "Wójcik",
    "Müller",
    "Ní Bhriain",
    "García",
    "Kowalczyk",
    "Ó Dónaill",
    "Lefèvre",
    "Trần",
    "Dvořák",
    "Şahin",
    "Núñez",
    "Ap Iorwerth",
]

TEAMS = [
    ("Universal Services (schools and health)", "universal"),
    ("Early Help North Hub", "early_help"),
    ("Early Help South Hub", "early_help"),
    ("Family Safeguarding Team A", "family_safeguarding"),
    ("Family Safeguarding Team B", "family_safeguarding"),
    ("Assessment Team", "assessment"),
    ("Children with Disabilities Team", "cwd"),
]

# (role, job title, team index or None, how many)
STAFF = [
    (Role.CHAIR, "Service Manager, Family Safeguarding", 3, 1),
    (Role.CHAIR, "Service Manager, Early Help", 1, 1),
    (Role.COORDINATOR, "Team Co-ordinator", 1, 1),
    (Role.COORDINATOR, "Team Co-ordinator", 3, 1),
    (Role.MANAGER, "Early Help Manager", 1, 1),
    (Role.MANAGER, "Early Help Deputy Manager", 2, 1),
    (Role.MANAGER, "Team Manager, Family Safeguarding", 3, 1),
    (Role.MANAGER, "Team Manager, Family Safeguarding", 4, 1),
    (Role.MANAGER, "Team Manager, Assessment", 5, 1),
    (Role.MANAGER, "Operations Manager", None, 1),
    (Role.WORKER, "Social Worker", 3, 3),
    (Role.WORKER, "Social Worker", 4, 3),
    (Role.WORKER, "Social Worker", 5, 2),
    (Role.WORKER, "Early Help Worker", 1, 3),
    (Role.WORKER, "Early Help Worker", 2, 3),
    (Role.WORKER, "One Point Worker", 2, 1),
    (Role.WORKER, "Social Worker", 6, 1),
    (Role.ADMINISTRATOR, "Systems Administrator", None, 1),
    (Role.AUDITOR, "Quality Assurance Officer", None, 1),
]

REASONS = {
    ("step_down", "early_help"): [
        "Child in Need plan outcomes met: school attendance above 95% for two terms and "
        "home conditions stable. Family want continued help with routines and "
        "parenting support through Early Help.",
        "Risks reduced since the last review; mother engaging with the domestic abuse "
        "programme. Remaining needs (housing, debt advice) can be met at Early Help level.",
        "Young person settled at college and substance misuse work completed. Family asked "
        "for a Team Around the Family to keep momentum.",
    ],
    ("step_down", "universal"): [
        "All actions of the Early Help plan completed; family confident to manage with "
        "school and health visitor support. Exit questionnaire completed.",
        "Needs met: speech and language support in place through school; no further "
        "Early Help involvement needed.",
    ],
    ("step_up", "cin"): [
        "Escalating concerns despite TAF support: repeated missed health appointments, "
        "deteriorating school attendance (61%) and a new partner with unknown history.",
        "Neglect concerns increasing: Graded Care Profile completed with scores of 4 in "
        "three areas; family struggling to sustain changes.",
        "Child disclosed worries about arguments at home; police attended twice this month.",
    ],
    ("step_up", "early_help"): [
        "School reports additional needs around attendance and behaviour; family asked for "
        "help. An Early Help Assessment would coordinate school, health and housing.",
        "Health visitor concerned about parental mental health and the baby's weight gain; "
        "family agree to an Early Help Assessment.",
    ],
    ("step_in", "early_help"): [
        "Social worker to step in to the Level 3 TAC for advice on emerging safeguarding "
        "themes and help write an 8-week plan.",
    ],
    ("step_out", "early_help"): [
        "Youth offending worker has completed the agreed intervention and steps out of the "
        "TAC plan; Early Help continues.",
    ],
}

TRIGGERS = [
    "Change in health or mental wellbeing",
    "Significant life event or transition",
    "Increased independence or skills",
]


@dataclass
class _Demo:
    """Build state: the session, the profile, the random source and what exists so far."""

    s: Session
    profile: Profile
    rng: random.Random
    fake: Faker
    today: dt.date
    teams: list[Team] = field(default_factory=list)
    staff: dict[Role, list[User]] = field(default_factory=dict)
    cases: list[Case] = field(default_factory=list)
    case_counter: int = 0
    clock_rng: random.Random = field(default_factory=lambda: random.Random(7919))

    def person_name(self) -> tuple[str, str]:
        given = (
            self.rng.choice(ACCENTED_GIVEN) if self.rng.random() < 0.18 else self.fake.first_name()
        )
        family = (
            self.rng.choice(ACCENTED_FAMILY) if self.rng.random() < 0.15 else self.fake.last_name()
        )
        return given, family

    def workers(self, service: str) -> list[User]:
        return [u for u in self.staff[Role.WORKER] if u.team and u.team.service == service]


def _teams(d: _Demo) -> None:
    for name, service in TEAMS:
        team = Team(name=name, service=service)
        d.s.add(team)
        d.teams.append(team)


def _staff(d: _Demo) -> None:
    for role, title, team_index, count in STAFF:
        for _ in range(count):
            given, family = d.person_name()
            user = User(
                name=f"{given} {family}",
                role=role,
                job_title=title,
                team=d.teams[team_index] if team_index is not None else None,
                email=f"{given[0].lower()}.{family.lower().replace(' ', '')}@example.org",
            )
            d.s.add(user)
            d.staff.setdefault(role, []).append(user)


_TEAM_FOR_PLAN = {
    "universal": (0,),
    "early_help": (1, 2),
    "cin": (3, 4, 5),
    "cp": (3, 4),
    "looked_after": (3, 4),
}

# Typical journeys (oldest plan first); the last is where the case is now.
JOURNEYS = [
    (["universal", "early_help"], 40),
    (["early_help"], 30),
    (["early_help", "cin"], 30),
    (["cin"], 20),
    (["early_help", "cin", "cp"], 18),
    (["cin", "cp", "cin"], 22),
    (["cp", "cin"], 12),
    (["cin", "cp", "cin", "early_help"], 14),
    (["early_help", "universal"], 14),
    (["cin", "cp", "looked_after"], 6),
    (["early_help", "cin", "early_help"], 14),
]


def _case(d: _Demo, journey: list[str], family: Family) -> Case:
    given, _ = d.person_name()
    age_days = d.rng.randint(60, 17 * 365)
    subject = Subject(
        family=family,
        given_name=given,
        family_name=family.name,
        date_of_birth=d.today - dt.timedelta(days=age_days),
        kind="young_person" if age_days > 13 * 365 else "child",
    )
    d.case_counter += 1
    # Lay the journey out backwards from today: each spell lasts 1-14 months.
    starts: list[dt.date] = []
    at = d.today - dt.timedelta(days=d.rng.randint(5, 200))
    for _ in journey:
        starts.append(at)
        at = add_months(at, -d.rng.randint(1, 14))
    starts.reverse()
    if len(journey) > 1 and journey[-1] == "cin" and journey[-2] == "cp":
        # Some CIN plans after CP are young, so T-CP-CIN-3M has work to do on the demo.
        starts[-1] = d.today - dt.timedelta(days=d.rng.choice([20, 45, 70, 95, 130, 160]))
    episodes = []
    for i, plan in enumerate(journey):
        team = d.teams[d.rng.choice(_TEAM_FOR_PLAN[plan])]
        ended = starts[i + 1] if i + 1 < len(journey) else None
        episodes.append(
            PlanEpisode(
                level=d.profile.plan(plan).level,
                plan=plan,
                team=team,
                started_on=starts[i],
                ended_on=ended,
            )
        )
    current = episodes[-1]
    service = "early_help" if current.plan in ("early_help", "universal") else "family_safeguarding"
    pool = d.workers(service) or d.staff[Role.WORKER]
    case = Case(
        reference=f"C-{100000 + d.case_counter * 37:06d}",
        subject=subject,
        team=current.team,
        level=current.level,
        plan=current.plan,
        allocated_worker=d.rng.choice(pool),
        lead_professional=(
            d.rng.choice(["School nurse", "Designated safeguarding lead", "Health visitor"])
            + f" ({d.fake.last_name()})"
            if current.plan == "early_help" and d.rng.random() < 0.8
            else None
        ),
        opened_on=starts[0],
        episodes=episodes,
    )
    if current.plan in ("universal",) and d.rng.random() < 0.6:
        case.closed_on = current.started_on
    # A step-down from Family Safeguarding to Early Help: remember where it came from.
    if len(journey) > 1 and journey[-1] == "early_help" and journey[-2] in ("cin", "cp"):
        fs = episodes[-2].team
        if fs.service == "family_safeguarding":
            case.stepped_down_from_team = fs
            case.stepped_down_on = current.started_on
        d.s.add(
            Consent(
                case=case,
                kind="signed",
                purpose="step_down",
                given_by=f"{d.fake.first_name()} {family.name} (parent)",
                given_on=current.started_on - dt.timedelta(days=d.rng.randint(1, 10)),
            )
        )
    d.s.add(case)
    d.cases.append(case)
    return case


def _cases(d: _Demo, count: int) -> None:
    journeys = [j for j, weight in JOURNEYS for _ in range(weight)]
    while len(d.cases) < count:
        _, family_name = d.person_name()
        family = Family(
            reference=f"F-{len(d.cases) + 5000:05d}",
            name=family_name,
            address=f"{d.fake.building_number()} {d.fake.street_name()}, {d.fake.city()}",
            language=d.rng.choice(["English"] * 8 + ["Welsh", "Polish", "Vietnamese", "Irish"]),
        )
        d.s.add(family)
        for _ in range(d.rng.choice([1, 1, 1, 2, 2, 3])):
            _case(d, list(d.rng.choice(journeys)), family)
    d.s.flush()


def _consent(d: _Demo, case: Case, purpose: str) -> None:
    """Most families have given consent; some gave it verbally, late, or declined."""
    roll = d.rng.random()
    if roll < 0.15:
        return
    kind = "signed" if roll < 0.75 else ("verbal" if roll < 0.9 else "declined")
    d.s.add(
        Consent(
            case=case,
            kind=kind,
            purpose=purpose,
            given_by=f"{d.fake.first_name()} {case.subject.family_name} (parent)",
            given_on=d.today - dt.timedelta(days=d.rng.randint(1, 30)),
            note="Consent form scanned to the case record." if kind == "signed" else None,
        )
    )


def _attachment(kind: AttachmentKind, title: str) -> Attachment:
    content = f"Synthetic demo document: {title}. Not a real record.\n".encode()
    return Attachment(
        kind=kind,
        title=title,
        filename=title.lower().replace(" ", "-") + ".txt",
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
    )


_MOVES = [
    ("step_down", "cin", "early_help"),
    ("step_down", "early_help", "universal"),
    ("step_up", "early_help", "cin"),
    ("step_up", "universal", "early_help"),
    ("step_in", "early_help", "early_help"),
    ("step_out", "early_help", "early_help"),
]


def _office_hours(d: _Demo, moment: dt.datetime) -> dt.datetime:
    """The same moment moved into office hours on a working day, and never after 'now'.

    Uses its own random source so that the rest of the demo stays as it was for a seed.
    """
    calendar = WorkingCalendar(d.profile.region)
    now = dt.datetime.combine(d.today, dt.time(9, 0))
    day = calendar.previous_working_day(min(moment, now - dt.timedelta(hours=1)).date())
    if day >= d.today:
        day = calendar.previous_working_day(d.today - dt.timedelta(days=1))
    hour = min(max(moment.hour, 9), 16)
    return dt.datetime.combine(day, dt.time(hour, d.clock_rng.choice([0, 10, 25, 40, 55])))


def _request(d: _Demo, case: Case, movement: str, to_plan: str, when: dt.datetime) -> Request:
    worker = case.allocated_worker or d.rng.choice(d.staff[Role.WORKER])
    managers = d.staff[Role.MANAGER]
    attachments = []
    if movement == "step_down" and d.rng.random() < 0.8:
        attachments.append(
            _attachment(AttachmentKind.CHILD_AND_FAMILY_PLAN, "Child and Family Plan")
        )
    if movement == "step_up" and d.rng.random() < 0.75:
        attachments.append(_attachment(AttachmentKind.EVIDENCE_TOOL, "Graded Care Profile 2"))
    if d.rng.random() < 0.5:
        attachments.append(_attachment(AttachmentKind.ASSESSMENT, "Single Assessment"))
    submitted = _office_hours(d, when - dt.timedelta(hours=d.rng.choice([30, 52, 72, 96, 120])))
    request = Request(
        case=case,
        movement=movement,
        from_plan=case.plan,
        to_plan=to_plan,
        reasons=d.rng.choice(REASONS[(movement, to_plan)]),
        triggers=d.rng.sample(TRIGGERS, d.rng.randint(0, 2)),
        status=RequestStatus.ON_AGENDA,
        created_by=worker,
        created_at=submitted - dt.timedelta(days=2),
        submitted_at=submitted,
        qa_by=d.rng.choice(managers),
        qa_at=max(
            _office_hours(d, submitted + dt.timedelta(hours=d.rng.choice([4, 20, 26]))), submitted
        ),
        qa_comment=d.rng.choice([None, "QA'd: form complete.", "Checked; consent on file."]),
        proposed_lead_professional=(
            case.lead_professional
            or (
                f"Designated safeguarding lead ({d.fake.last_name()})"
                if d.rng.random() < 0.7
                else None
            )
        )
        if movement == "step_down"
        else None,
        attachments=attachments,
    )
    if movement == "step_up" and d.rng.random() < 0.1:
        request.without_consent_reason = "Seeking consent would place the child at increased risk."
        request.without_consent_manager = managers[0].name
    d.s.add(request)
    _consent(d, case, movement if movement in ("step_up", "step_down") else "information_sharing")
    return request


def _pick_case(d: _Demo, plan: str, used: set[int]) -> Case | None:
    candidates = [c for c in d.cases if c.plan == plan and c.id not in used and c.closed_on is None]
    if not candidates:
        return None
    case = d.rng.choice(candidates)
    used.add(case.id)
    return case


def _meeting_time(d: _Demo, day: dt.date) -> dt.datetime:
    day = WorkingCalendar(d.profile.region).next_working_day(day)
    return dt.datetime.combine(day, dt.time(d.rng.choice([9, 10, 13]), d.rng.choice([0, 30])))


def _panel(
    d: _Demo, meeting_type: str, starts_at: dt.datetime, items: int, used: set[int]
) -> Panel:
    chair = d.rng.choice(d.staff[Role.CHAIR])
    panel = Panel(
        meeting_type=meeting_type,
        starts_at=starts_at,
        venue=d.rng.choice(
            [
                "Town Hall, Committee Room 2",
                "Riverside Family Centre",
                "Microsoft Teams",
                "Civic Centre, Room 4.12",
            ]
        ),
        chair=chair,
        status=PanelStatus.PLANNED,
    )
    d.s.add(panel)
    members = [(chair, "chair"), (d.rng.choice(d.staff[Role.COORDINATOR]), "minutes")]
    members += [(m, "member") for m in d.rng.sample(d.staff[Role.MANAGER], 3)]
    moves = {
        "cin_panel": [_MOVES[0]] * 3 + [_MOVES[2]],
        "erm": [_MOVES[2]] * 3 + [_MOVES[4]],
        "step_meeting": _MOVES,
        "closure": [_MOVES[1]],
    }[meeting_type]
    position = 0
    while position < items:
        movement, from_plan, to_plan = d.rng.choice(moves)
        case = _pick_case(d, from_plan, used)
        if case is None:
            continue
        request = _request(d, case, movement, to_plan, starts_at)
        presenter = request.created_by
        position += 1
        panel.items.append(
            AgendaItem(
                request=request,
                position=position,
                presenter=presenter,
                slot_minutes=d.rng.choice([10, 15, 15, 20]),
            )
        )
        if presenter and presenter not in [m for m, _ in members]:
            members.append((presenter, "presenter"))
    for user, role in members:
        panel.attendance.append(Attendance(user=user, panel_role=role))
    return panel


_RATIONALE = {
    Outcome.AGREED: "Panel agreed the request: needs are best met at the proposed level.",
    Outcome.DEFER: "Deferred: consent and the Child and Family Plan to be in place first.",
    Outcome.NOT_AGREED: "Not agreed: risks not yet reduced enough; review in 4 weeks.",
}


def _decide_past_panel(d: _Demo, panel: Panel) -> None:
    """A past panel: attendance taken, every item decided and minuted, actions set."""
    clock = Clock(d.profile)
    panel.status = PanelStatus.FINISHED
    for att in panel.attendance:
        att.status = (
            AttendanceStatus.APOLOGIES if d.rng.random() < 0.15 else AttendanceStatus.PRESENT
        )
    at = panel.starts_at
    for item in panel.items:
        request, case = item.request, item.request.case
        at += dt.timedelta(minutes=item.slot_minutes)
        findings = evaluate(
            case_facts(case, request.movement), request_proposal(request), d.profile, at.date()
        )
        blocked = any(f.severity == "block" for f in findings)
        outcome = Outcome.DEFER if blocked and d.rng.random() < 0.6 else Outcome.AGREED
        if not blocked and d.rng.random() < 0.15:
            outcome = Outcome.NOT_AGREED
        item.notes = (
            f"{item.presenter.name if item.presenter else 'The worker'} presented. "
            + d.rng.choice(
                [
                    "Panel discussed progress against the plan and the family's views.",
                    "Panel noted the school's report and the health visitor's update.",
                    "Threshold discussed; mapping exercise not needed.",
                ]
            )
        )
        item.notes_saved_at = at
        item.status = ItemStatus.DECIDED
        decision = Decision(
            agenda_item=item,
            outcome=outcome,
            rationale=_RATIONALE[outcome],
            effective_on=at.date() if outcome == Outcome.AGREED else None,
            review_on=(at.date() + dt.timedelta(weeks=12))
            if request.movement == "step_up" and outcome == Outcome.AGREED
            else None,
            exit_strategy=(
                "Step down to Early Help once the CIN plan outcomes are met."
                if request.movement == "step_up" and outcome == Outcome.AGREED
                else None
            ),
            lead_professional=request.proposed_lead_professional or case.lead_professional,
            findings=[f.to_dict() for f in findings],
            decided_by=panel.chair,
            decided_at=at,
        )
        if outcome == Outcome.AGREED and blocked:
            decision.override_reason = (
                "Chair satisfied that the family's signed consent is on the paper file."
            )
            decision.override_by = panel.chair
            decision.override_at = at
        if outcome == Outcome.AGREED and request.movement in ("step_up", "step_down"):
            owner = case.allocated_worker
            for key, text in [
                ("T-EFFECT-24H", "Step the case and record the change on the case record"),
                ("T-HANDOVER", "Arrange the handover visit"),
            ]:
                deadline = clock.deadline(key, at, "the decision made")
                decision.actions.append(
                    Action(
                        description=text,
                        owner=owner,
                        owner_name=owner.name if owner else "Allocated worker",
                        due_on=deadline.due.date(),
                        rule_id=deadline.rule,
                        done=d.rng.random() < 0.7,
                    )
                )
        # A refusal stays decided until the chair approves the minutes (not yet, in the demo).
        request.status = {
            Outcome.AGREED: RequestStatus.DECIDED,
            Outcome.DEFER: RequestStatus.DEFERRED,
            Outcome.NOT_AGREED: RequestStatus.DECIDED,
        }[outcome]
        d.s.add(decision)
    panel.finished_at = at


# (movement, from plan, to plan, status, evidence attached, consent kind or None)
_BEFORE = [
    ("step_down", "cin", "early_help", RequestStatus.QA_APPROVED, True, "signed"),
    ("step_up", "early_help", "cin", RequestStatus.QA_APPROVED, False, None),
    ("step_down", "early_help", "universal", RequestStatus.QA_APPROVED, True, "signed"),
    ("step_up", "universal", "early_help", RequestStatus.SUBMITTED, False, "verbal"),
    ("step_down", "cin", "early_help", RequestStatus.SUBMITTED, True, "written"),
    ("step_up", "early_help", "cin", RequestStatus.RETURNED, False, "signed"),
    ("step_in", "early_help", "early_help", RequestStatus.DRAFT, False, None),
]


def _requests_before_panels(d: _Demo, rng: random.Random, used: set[int]) -> None:
    """Requests on their way to a panel: drafts, awaiting QA, returned, QA-approved.

    Uses its own random source (``seed * 1009 + 6``): the rest of the demo stays as it was.
    """
    managers = d.staff[Role.MANAGER]
    now = dt.datetime.combine(d.today, dt.time(9, 0))
    calendar = WorkingCalendar(d.profile.region)

    def office(days_ago: int) -> dt.datetime:
        """Office hours on the working day ``days_ago`` working days before today."""
        day = calendar.add_working_days(d.today, -days_ago)
        return dt.datetime.combine(day, dt.time(rng.randint(9, 16), rng.choice([0, 15, 30, 45])))

    target = d.s.scalars(
        select(Panel).where(Panel.starts_at > now).order_by(Panel.starts_at)
    ).first()
    for movement, from_plan, to_plan, status, evidence, consent in _BEFORE:
        candidates = [
            c
            for c in d.cases
            if c.plan == from_plan and c.id not in used and c.closed_on is None and not c.requests
        ]
        if not candidates:
            continue
        case = rng.choice(candidates)
        used.add(case.id)
        worker = case.allocated_worker or rng.choice(d.staff[Role.WORKER])
        manager = next((m for m in managers if m.team_id == case.team_id), managers[-1])
        created = office(rng.randint(3, 5))
        attachments = []
        if evidence:
            kind = (
                AttachmentKind.EVIDENCE_TOOL
                if movement == "step_up"
                else AttachmentKind.CHILD_AND_FAMILY_PLAN
            )
            title = "Graded Care Profile 2" if movement == "step_up" else "Child and Family Plan"
            attachments.append(_attachment(kind, title))
        request = Request(
            case=case,
            movement=movement,
            from_plan=from_plan,
            to_plan=to_plan,
            reasons=rng.choice(REASONS[(movement, to_plan)]),
            triggers=rng.sample(TRIGGERS, rng.randint(0, 2)),
            status=status,
            created_by=worker,
            created_at=created,
            proposed_lead_professional=case.lead_professional
            or ("Designated safeguarding lead (Ellis)" if movement == "step_down" else None),
            attachments=attachments,
            target_panel=target,
        )
        if consent is not None:
            request.consent = Consent(
                case=case,
                kind=consent,
                purpose=movement if movement in ("step_up", "step_down") else "information_sharing",
                given_by=f"{d.fake.first_name()} {case.subject.family_name} (parent)",
                given_on=d.today - dt.timedelta(days=rng.randint(3, 20)),
                recorded_by_id=worker.id,
                note="Consent form scanned to the case record." if consent == "signed" else None,
            )
        d.s.add(request)
        d.s.flush()
        steps: list[tuple[str | None, str, User, dt.datetime, str | None]] = [
            (None, RequestStatus.DRAFT, worker, created, None)
        ]
        at = created
        if status != RequestStatus.DRAFT:
            at = office(rng.randint(2, 3))
            request.submitted_at = at
            steps.append((RequestStatus.DRAFT, RequestStatus.SUBMITTED, worker, at, None))
        if status in (RequestStatus.QA_APPROVED, RequestStatus.RETURNED):
            at = office(1)
            comment = (
                "Form complete; consent on file."
                if status == RequestStatus.QA_APPROVED
                else "Please attach the evidence tool (C-EVIDENCE) and say what changed."
            )
            request.qa_by, request.qa_at, request.qa_comment = manager, at, comment
            steps.append((RequestStatus.SUBMITTED, status, manager, at, comment))
        for source, to_status, who, when, note in steps:
            d.s.add(
                RequestTransition(
                    request_id=request.id,
                    from_status=source,
                    to_status=to_status,
                    at=when,
                    by_id=who.id,
                    note=note,
                )
            )


_QUESTIONNAIRE = [
    ("What was the help you received like?", ["Helpful", "Very helpful", "Mixed at first"]),
    ("Did you feel listened to?", ["Yes, always", "Mostly", "Yes, once we had met twice"]),
    (
        "What has changed for your family?",
        [
            "School mornings are calmer and attendance is back to normal.",
            "We have a routine for bedtimes and the children are sleeping better.",
            "We know who to call if things get hard again.",
        ],
    ),
    (
        "Is there anything we could have done better?",
        [
            "Fewer changes of worker.",
            "Nothing: thank you.",
            "Meetings after school hours would have helped.",
        ],
    ),
]


def _documents_demo(d: _Demo, past: Panel, rng: random.Random) -> None:
    """Closure records for some closed cases and an escalation with two views (issue 4).

    Uses its own random source so the draws of ``d.rng`` above are unchanged.
    """
    managers = d.staff[Role.MANAGER]
    closed = [c for c in d.cases if c.closed_on is not None]
    for case in closed[:4]:
        given = case.subject.given_name
        d.s.add(
            Closure(
                case=case,
                needs_at_start=(
                    f"{given} was missing school on most Mondays and the family were "
                    "struggling with debts after a change of job. Parents asked for help "
                    "with routines and with the school."
                ),
                work_done=(
                    "Early Help Assessment completed with the family.\n"
                    "Team Around the Family met every six weeks; school, health visitor and "
                    "the family worker each held actions.\n"
                    "Referral to the debt advice service; parenting course completed."
                ),
                outcomes=(
                    f"{given}'s attendance is above 95% for the last two terms. The family "
                    "have a budget they keep to and feel confident to ask school for help."
                ),
                questionnaire=[
                    {"question": q, "answer": rng.choice(answers)} for q, answers in _QUESTIONNAIRE
                ],
                authorised_by=rng.choice(managers),
                authorised_at=dt.datetime.combine(case.closed_on, dt.time(rng.choice([10, 14]), 0))
                if case.closed_on
                else None,
            )
        )
    # An escalation from the past panel: the panel did not agree, the referrer disagreed.
    items = [i for i in past.items if i.decision is not None]
    item = next((i for i in items if i.decision and i.decision.outcome != Outcome.AGREED), None)
    item = item or items[-1]
    raised = (item.decision.decided_at if item.decision else past.starts_at) + dt.timedelta(
        minutes=30
    )
    clock = Clock(d.profile)
    case = item.request.case
    referrer = item.presenter or case.allocated_worker
    other = rng.choice([m for m in managers if m is not past.chair])
    d.s.add(
        Escalation(
            case=case,
            agenda_item=item,
            decision=item.decision,
            raised_by=referrer,
            raised_at=raised,
            escalated_to="Operations Manager, Children's Services",
            disagreement=(
                f"Whether {case.subject.given_name}'s case should move now, or wait for the "
                "next review. The referring worker and the receiving team manager could not "
                "agree at panel."
            ),
            views=[
                {
                    "side": "Referring team",
                    "who": referrer.name if referrer else "The referring worker",
                    "view": (
                        "Risks have reduced for three months and the family want the change. "
                        "Waiting another cycle risks losing their engagement."
                    ),
                },
                {
                    "side": "Receiving team",
                    "who": other.name,
                    "view": (
                        "The plan's outcomes are not yet all met: school attendance dipped "
                        "last month. We ask for one more review before the move."
                    ),
                },
            ],
            due_at=clock.deadline("T-ESCALATE-24H", raised, "the escalation raised").due,
            status="open",
        )
    )


def populate(s: Session, *, seed: int = 1, today: dt.date | None = None, cases: int = 220) -> None:
    """Fill an empty database with the synthetic demo (deterministic for seed and today)."""
    profile = load_profile()
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    d = _Demo(s, profile, rng, fake, today or dt.date.today())
    _teams(d)
    _staff(d)
    s.flush()
    _cases(d, min(cases, STORY_CASES))
    used: set[int] = set()
    past = _panel(d, "cin_panel", _meeting_time(d, d.today - dt.timedelta(days=14)), 8, used)
    _decide_past_panel(d, past)
    _panel(d, "step_meeting", _meeting_time(d, d.today + dt.timedelta(days=2)), 8, used)
    _panel(d, "cin_panel", _meeting_time(d, d.today + dt.timedelta(days=6)), 7, used)
    _panel(d, "erm", _meeting_time(d, d.today + dt.timedelta(days=10)), 6, used)
    s.flush()
    _documents_demo(d, past, random.Random(seed * 1009 + 4))
    _requests_before_panels(d, random.Random(seed * 1009 + 6), used)
    s.flush()
    _quorate_upcoming_panels(d, random.Random(seed * 1009 + 7))
    s.flush()
    _accounts(d, random.Random(seed * 1009 + 5))
    _transfers_after_past_panel(d, past, random.Random(seed * 1009 + 3))
    if cases > STORY_CASES:
        # Years of history for a council of any size (stepdesk.demo_scale): the story above
        # is the same whatever the size.
        s.flush()
        add_history(s, profile, d.today, cases - STORY_CASES, seed=seed)


# The demo's sign-in: the first person of each role signs in with the role's name and this
# password (README, "The demo"). Everyone has a login name; only these six have a password.
DEMO_PASSWORD = "stepdesk-demo"
DEMO_LOGINS = {
    Role.CHAIR: "chair",
    Role.COORDINATOR: "coordinator",
    Role.MANAGER: "manager",
    Role.WORKER: "worker",
    Role.ADMINISTRATOR: "admin",
    Role.AUDITOR: "auditor",
}


def _accounts(d: _Demo, rng: random.Random) -> None:
    """Login names for all staff (from their e-mail address); the role logins for six."""
    del rng  # its own source, as every later demo step has; login names need no chance
    taken: set[str] = set(DEMO_LOGINS.values())
    for role, people in d.staff.items():
        for number, user in enumerate(people):
            if number == 0 and role in DEMO_LOGINS:
                user.username = DEMO_LOGINS[Role(role)]
                continue
            base = (user.email or f"user{user.id}").split("@", 1)[0]
            login, suffix = base, 2
            while login in taken:
                login, suffix = f"{base}{suffix}", suffix + 1
            taken.add(login)
            user.username = login
    d.s.flush()


def demo_logins(s: Session) -> dict[str, User]:
    """The six demo sign-in accounts by login name."""
    users = s.scalars(select(User).where(User.username.in_(list(DEMO_LOGINS.values()))))
    return {u.username or "": u for u in users}


def _quorate_upcoming_panels(d: _Demo, rng: random.Random) -> None:
    """Invite to each upcoming panel the members its quorum needs from a particular service.

    ``_panel`` invites three managers at random, so a CIN panel (001 §4: an Early Help
    manager or deputy) or an ERM (two of them) could never be quorate. Uses its own random
    source (``seed * 1009 + 7``): the rest of the demo stays as it was.
    """
    now = dt.datetime.combine(d.today, dt.time(9, 0))
    upcoming = d.s.scalars(select(Panel).where(Panel.starts_at > now).order_by(Panel.starts_at))
    for panel in upcoming:
        meeting = d.profile.meeting_type(panel.meeting_type)
        if meeting is None:
            continue
        for part in meeting.quorum:
            if part.service is None:
                continue

            def fits(user: User, part: QuorumPart = part) -> bool:
                return (
                    user.role == part.role
                    and user.team is not None
                    and user.team.service == part.service
                )

            invited = {a.user_id for a in panel.attendance}
            have = sum(1 for a in panel.attendance if fits(a.user))
            others = [u for u in d.staff.get(Role(part.role), []) if fits(u)]
            others = [u for u in others if u.id not in invited]
            for user in rng.sample(others, min(len(others), max(0, part.count - have))):
                panel.attendance.append(Attendance(user=user, panel_role="member"))


def create_demo(
    path: str | Path,
    *,
    seed: int = 1,
    today: dt.date | None = None,
    replace: bool = False,
    password: str | None = None,
    cases: int = STORY_CASES,
) -> Database:
    """Create a new demo database file at ``path`` and return it open.

    With ``password`` (what the app and the command line give: :data:`DEMO_PASSWORD`) the
    file is encrypted and the six demo logins sign in with it; without, it is a plain
    SQLite file with no passwords, for the tests.

    Raises:
        FileExistsError: ``path`` exists and ``replace`` is false (nothing is overwritten).
    """
    from stepdesk.persistence.keystore import KeyStore, keyfile_for, new_key
    from stepdesk.services.accounts import hash_password

    target = Path(path)
    if target.exists():
        if not replace:
            raise FileExistsError(f"{target} already exists: choose a new file for the demo.")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        keyfile_for(target).unlink(missing_ok=True)
    key = new_key() if password is not None else None
    db = open_database(target, key=key)
    with db.session() as s:
        populate(s, seed=seed, today=today, cases=cases)
        if password is not None and key is not None:
            keys = KeyStore.create(target)
            # One hash for the six (the same password): the demo opens in a blink.
            shared = hash_password(password)
            set_at = dt.datetime.combine(today or dt.date.today(), dt.time(8, 0))
            for login, user in sorted(demo_logins(s).items()):
                user.password_hash = shared
                user.password_changed_at = set_at
                keys.set_slot(login, key, password)
    return db


# What happened after the past panel, decision by decision (in the panel's order), so the
# Deadlines page shows a realistic mix: T-EFFECT-24H / T-HANDOVER done in time, done late,
# and still outstanding (overdue).
_AFTER_PANEL = [
    "closed",  # transfer, handover arranged and completed in time, request closed
    "completed",  # transfer and handover visit done; not yet closed
    # Nobody has made the transfer yet: T-EFFECT-24H overdue. (Third on purpose: with seed 1
    # that case keeps its Early Help plan, which the request tests build on.)
    "decided",
    "effected",  # transfer made, handover not yet arranged: overdue
    "arranged",  # handover visit arranged; the visit is overdue (T-HANDOVER, 5 working days)
    "completed",
]
_STEP_NOTES: dict[RequestStatus, str | None] = {
    RequestStatus.EFFECTED: None,
    RequestStatus.HANDOVER_ARRANGED: "Handover visit booked with the family and both workers.",
    RequestStatus.HANDOVER_COMPLETED: "Joint handover visit held; the family met the new worker.",
    RequestStatus.CLOSED: "Request closed: transfer and handover complete.",
}


def _working_moment(
    calendar: WorkingCalendar, moment: dt.datetime, rng: random.Random
) -> dt.datetime:
    """``moment``, or the next office-hours moment after it (09:00-17:00, working days)."""
    day, hour = moment.date(), moment.hour
    if hour >= 17 or not calendar.is_working_day(day):
        day = calendar.add_working_days(day, 1)
        hour = 9
    hour = max(hour, 9)
    return dt.datetime.combine(day, dt.time(hour, rng.choice([0, 10, 25, 40, 55])))


def _transfers_after_past_panel(d: _Demo, past: Panel, rng: random.Random) -> None:
    """Effect the past panel's agreed moves and record handovers, as the services would.

    Uses ``apply_transfer`` (the case's new episode, plan, level and team) and writes each
    request move as a ``RequestTransition`` at a plausible past time, without audit events
    (the demo's audit trail starts at the first sign-in). Draws only from ``rng``.
    """
    from stepdesk.services.transfers import apply_transfer

    calendar = WorkingCalendar(d.profile.region)
    agreed = [
        item
        for item in past.items
        if item.decision is not None
        and item.decision.outcome == Outcome.AGREED
        and item.request.status == RequestStatus.DECIDED
        and item.request.movement in ("step_up", "step_down")
    ]
    chain = [
        RequestStatus.EFFECTED,
        RequestStatus.HANDOVER_ARRANGED,
        RequestStatus.HANDOVER_COMPLETED,
        RequestStatus.CLOSED,
    ]
    stop_at = {"decided": 0, "effected": 1, "arranged": 2, "completed": 3, "closed": 4}
    for number, item in enumerate(agreed):
        plan = _AFTER_PANEL[number % len(_AFTER_PANEL)]
        decision, request, case = item.decision, item.request, item.request.case
        assert decision is not None
        actor = case.allocated_worker
        # The panel's follow-up actions tell the same story as the request's moves.
        reached = stop_at[plan]
        for action in decision.actions:
            if action.rule_id == "T-EFFECT-24H":
                action.done = reached >= 1
            elif action.rule_id == "T-HANDOVER":
                action.done = reached >= 2
        at = decision.decided_at
        for step in chain[: stop_at[plan]]:
            note: str | None
            if step == RequestStatus.EFFECTED:
                at = _working_moment(calendar, at + dt.timedelta(hours=rng.randint(2, 20)), rng)
                # The new plan episode carries the history note (no separate case note: the
                # demo's case notes are the meeting room's).
                note = apply_transfer(
                    d.profile,
                    d.s,
                    decision,
                    request,
                    case,
                    decision.effective_on or at.date(),
                    closing=False,
                )
            elif step == RequestStatus.HANDOVER_COMPLETED:
                days = rng.randint(2, 4)
                at = _working_moment(
                    calendar,
                    dt.datetime.combine(calendar.add_working_days(at.date(), days), at.time()),
                    rng,
                )
                note = _STEP_NOTES[step]
            else:
                at = _working_moment(calendar, at + dt.timedelta(hours=rng.randint(3, 30)), rng)
                note = _STEP_NOTES[step]
            d.s.add(
                RequestTransition(
                    request_id=request.id,
                    from_status=request.status,
                    to_status=step.value,
                    at=at,
                    by_id=actor.id if actor else None,
                    note=note,
                )
            )
            request.status = step.value
        d.s.flush()
