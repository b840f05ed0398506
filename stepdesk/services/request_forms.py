"""What a request form holds and offers.

The plain data handed to the GUI, the movements, plans and triggers a profile allows, and the
labels of statuses and movements.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from stepdesk.domain import (
    Movement,
)
from stepdesk.domain import RequestStatus as S
from stepdesk.profile import Profile
from stepdesk.rules import Finding
from stepdesk.rules.engine import trigger_names
from stepdesk.services.views import ConsentRow, RequestView
from stepdesk.timescales import Deadline, Rag

# C-TRIGGERS (seed 000): offered when the profile names no triggers of its own.
DEFAULT_TRIGGERS = (
    "Change in health or mental wellbeing",
    "Significant life event or transition",
    "Increased independence or skills",
)
# Requests still on their way: a case has at most one of these at a time.
OPEN_STATUSES = (S.DRAFT, S.SUBMITTED, S.RETURNED, S.QA_APPROVED, S.ON_AGENDA, S.DEFERRED)
EDITABLE_STATUSES = (S.DRAFT, S.RETURNED)
MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
_MOVEMENTS = (Movement.STEP_UP, Movement.STEP_DOWN, Movement.STEP_IN, Movement.STEP_OUT)

Scope = Literal["mine", "qa", "all"]


# Plain data handed to the GUI.
@dataclass(frozen=True)
class ConsentInput:
    """Consent typed on the form: how it was given (kind), by whom, when, and any detail."""

    kind: str
    given_by: str
    given_on: dt.date
    how: str = ""


@dataclass(frozen=True)
class RequestForm:
    """What the request form holds. A draft may be incomplete; submitting checks it."""

    movement: str
    to_plan: str
    reasons: str = ""
    background: str = ""
    triggers: tuple[str, ...] = ()
    proposed_lead_professional: str | None = None
    consent: ConsentInput | None = None  # None: rely on the consent already on file
    without_consent_reason: str | None = None
    without_consent_manager: str | None = None
    target_panel_id: int | None = None
    cp_concern: bool = False  # C-CP-IMMEDIATE: refer at once, not via a panel
    threshold_uncertain: bool = False  # C-MAPPING: a mapping exercise at the meeting


@dataclass(frozen=True)
class StoryEntry:
    """An earlier request on the case: what was asked, why, and where it got to."""

    request_id: int
    created_at: dt.datetime
    movement_label: str
    to_plan_name: str
    reasons: str
    status_label: str


@dataclass(frozen=True)
class PanelOption:
    """A planned panel a request can aim for."""

    id: int
    label: str
    starts_at: dt.datetime


@dataclass(frozen=True)
class CaseOption:
    """A case found by name, case reference or date of birth."""

    id: int
    reference: str
    subject_name: str
    date_of_birth: dt.date | None
    plan_name: str
    team: str

    @property
    def label(self) -> str:
        """``CASE-0001 · Ava Smith (born 01/02/2015) · Child in Need plan · Team``."""
        born = f" (born {self.date_of_birth:%d/%m/%Y})" if self.date_of_birth else ""
        return f"{self.reference} · {self.subject_name}{born} · {self.plan_name} · {self.team}"


@dataclass(frozen=True)
class CaseForRequest:
    """A case as the request form shows it, with everything it pre-fills from."""

    case_id: int
    reference: str
    subject_name: str
    date_of_birth: dt.date | None
    team: str
    plan: str
    plan_name: str
    level_name: str
    lead_professional: str | None
    allocated_worker: str | None
    consents: list[ConsentRow]
    story: list[StoryEntry]
    background: str
    movements: list[tuple[str, str]]
    to_plans: dict[str, list[tuple[str, str]]]
    triggers: tuple[tuple[str, str], ...]  # (code stored, name shown)
    triggers_fixed: bool
    panels: list[PanelOption]
    default_panel_id: int | None
    open_request_id: int | None
    # Why a movement offers no plan to go to (e.g. a step-down on a case with no plan).
    movement_notes: dict[str, str] = field(default_factory=dict)

    def suggested_form(self, movement: str) -> RequestForm:
        """The form as it opens for ``movement``: nothing already known is typed again."""
        plans = self.to_plans.get(movement) or [(self.plan, self.plan_name)]
        return RequestForm(
            movement=movement,
            to_plan=plans[0][0],
            background=self.background,
            proposed_lead_professional=self.lead_professional,
            target_panel_id=self.default_panel_id,
        )


@dataclass(frozen=True)
class RequestRow:
    """One line of the requests list, with its T-FORM-48H deadline."""

    id: int
    case_id: int
    case_reference: str
    subject_name: str
    movement_label: str
    from_plan_name: str
    to_plan_name: str
    status: str
    status_label: str
    created_by: str | None
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    panel_label: str | None
    form_deadline: Deadline | None
    rag: Rag | None


@dataclass(frozen=True)
class TransitionRow:
    """One move of the request: when, from, to, who and why."""

    at: dt.datetime
    from_label: str
    to_label: str
    by: str | None
    note: str | None


@dataclass(frozen=True)
class RequestDetail:
    """A request opened: the form's values, the case, findings, history and what may be done."""

    row: RequestRow
    request: RequestView
    case: CaseForRequest
    form: RequestForm
    consent_with_request: ConsentRow | None
    consent_on_file: ConsentRow | None
    findings: list[Finding]
    transitions: list[TransitionRow]
    editable: bool
    can_submit: bool
    can_qa: bool
    version: int
    # Four eyes: why this actor may not QA-approve it (they wrote it), else ``None``.
    approve_refused: str | None = None


def trigger_options(profile: Profile) -> tuple[tuple[tuple[str, str], ...], bool]:
    """The triggers to offer as ``(code, name)`` and whether they are a fixed list.

    A profile whose C-TRIGGERS rule applies and lists triggers fixes them (the request stores
    the codes); otherwise the C-TRIGGERS suggestions of seed 000 are offered and any other
    trigger may be typed.
    """
    setting = profile.rules.get("C-TRIGGERS")
    if setting is not None and setting.applies:
        names = trigger_names(setting.params)
        if names:
            return tuple(names.items()), True
    return tuple((t, t) for t in DEFAULT_TRIGGERS), False


def _status_label(status: str) -> str:
    try:
        return S(status).label
    except ValueError:
        return status


def _movement_label(code: str) -> str:
    try:
        return Movement(code).label
    except ValueError:
        return code


def to_plan_options(profile: Profile, from_plan: str) -> dict[str, list[tuple[str, str]]]:
    """Plans each movement may go to from ``from_plan``.

    Up is more intensive, down less; step in / out stay on the same plan.

    Intensity is the level's rank, then the plan's place in the profile (a Child Protection
    plan is listed after Child in Need at the same level, so CP to CIN is a step down).
    """
    order = {p.code: (profile.plan_rank(p.code), i) for i, p in enumerate(profile.plans)}
    here = order.get(from_plan, (0, -1))
    options: dict[str, list[tuple[str, str]]] = {}
    for movement in _MOVEMENTS:
        if movement in (Movement.STEP_IN, Movement.STEP_OUT):
            options[movement] = [(from_plan, profile.plan_name(from_plan))]
            continue
        up = movement == Movement.STEP_UP
        plans = [p for p in profile.plans if (order[p.code] > here if up else order[p.code] < here)]
        # Nearest first: the usual step is to the next plan along.
        plans.sort(key=lambda p: abs(order[p.code][1] - here[1]))
        options[movement] = [(p.code, p.name) for p in plans]
    return options


def has_plan(profile: Profile, plan: str | None) -> bool:
    """Whether ``plan`` is a current plan of the profile (not empty, not an unknown code)."""
    try:
        profile.plan(plan or "")
    except KeyError:
        return False
    return True


def movement_note(profile: Profile, from_plan: str | None, movement: str) -> str | None:
    """Why ``movement`` cannot start from ``from_plan`` (no plan to go to), else ``None``.

    A case with no current plan has nothing to step down from; one on the least intensive
    plan has nothing below it.
    """
    if movement != Movement.STEP_DOWN or to_plan_options(profile, from_plan or "")[movement]:
        return None
    if not has_plan(profile, from_plan):
        return (
            "this case has no current plan, so there is nothing to step down from: choose "
            "step up or step in instead, or record the case's current plan first."
        )
    return (
        f"{profile.plan_name(from_plan or '')} is the least intensive plan, so there is nothing "
        "to step down to: choose step up instead, or close the case."
    )
