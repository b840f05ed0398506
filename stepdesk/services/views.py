"""Plain, detached data the services hand to the GUI, the CLI and the reports.

Nothing here is an ORM object: a widget can keep these for as long as it likes without a
database session, and a PDF can be rendered from them without touching the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from stepdesk.rules import Finding
from stepdesk.timescales import Deadline


@dataclass(frozen=True)
class PanelRow:
    """One line of the panels list."""

    id: int
    meeting_type: str
    meeting_name: str
    starts_at: dt.datetime
    venue: str
    chair_name: str
    status: str
    item_count: int
    decided_count: int
    finished_at: dt.datetime | None = None


@dataclass(frozen=True)
class AttendanceRow:
    """An invited member and whether they came."""

    id: int
    user_id: int
    name: str
    job_title: str
    panel_role: str
    status: str


@dataclass(frozen=True)
class AgendaRow:
    """One agenda item as the agenda table shows it."""

    id: int
    position: int
    slot_start: dt.datetime
    slot_minutes: int
    case_id: int
    case_reference: str
    subject_name: str
    movement: str
    movement_label: str
    from_plan_name: str
    to_plan_name: str
    presenter_name: str
    status: str
    outcome_label: str | None


@dataclass(frozen=True)
class PanelView:
    """A panel with its attendance, agenda and the deadlines before it."""

    panel: PanelRow
    attendance: list[AttendanceRow]
    items: list[AgendaRow]
    deadlines: list[Deadline]


@dataclass(frozen=True)
class EpisodeRow:
    """One stretch of the case history."""

    level: str
    level_name: str
    plan: str
    plan_name: str
    team: str
    started_on: dt.date
    ended_on: dt.date | None


@dataclass(frozen=True)
class ConsentRow:
    """A recorded consent."""

    kind: str
    purpose: str
    given_by: str
    given_on: dt.date
    note: str | None

    @property
    def purpose_label(self) -> str:
        """What the consent was for, as people say it (``step down``)."""
        return self.purpose.replace("_", " ")


@dataclass(frozen=True)
class AttachmentRow:
    """An attachment, without its bytes."""

    id: int
    kind: str
    kind_label: str
    title: str
    filename: str | None
    sha256: str | None
    size: int


@dataclass(frozen=True)
class RequestView:
    """A request as the case summary and the documents show it."""

    id: int
    movement: str
    movement_label: str
    from_plan: str
    from_plan_name: str
    to_plan: str
    to_plan_name: str
    reasons: str
    triggers: list[str]
    status: str
    created_by: str | None
    created_at: dt.datetime
    qa_by: str | None
    qa_at: dt.datetime | None
    qa_comment: str | None
    proposed_lead_professional: str | None
    without_consent_reason: str | None
    without_consent_manager: str | None
    attachments: list[AttachmentRow]


@dataclass(frozen=True)
class CaseSummary:
    """Everything the chair needs to see about a case on one pane."""

    case_id: int
    reference: str
    subject_name: str
    date_of_birth: dt.date | None
    age: int | None
    subject_kind: str
    family_name: str | None
    team: str
    level: str
    level_name: str
    plan: str
    plan_name: str
    lead_professional: str | None
    allocated_worker: str | None
    history: list[EpisodeRow]
    consents: list[ConsentRow]
    request: RequestView | None
    findings: list[Finding]
    deadlines: list[Deadline]


@dataclass(frozen=True)
class ActionRow:
    """A follow-up action."""

    id: int | None
    description: str
    owner_name: str
    owner_id: int | None
    due_on: dt.date
    rule_id: str | None
    done: bool = False


@dataclass(frozen=True)
class DecisionView:
    """A recorded decision."""

    id: int
    agenda_item_id: int
    outcome: str
    outcome_label: str
    rationale: str
    effective_on: dt.date | None
    review_on: dt.date | None
    lead_professional: str | None
    receiving_team: str | None
    exit_strategy: str | None
    dissent: str | None
    findings: list[Finding]
    override_reason: str | None
    override_by: str | None
    override_at: dt.datetime | None
    decided_by: str | None
    decided_at: dt.datetime
    actions: list[ActionRow]
    version: int
    quorate: bool | None = None
    mapping_note: str | None = None
    dissents: list[DissentDraft] = field(default_factory=list)
    # C-FAMILY-INFORMED: what the family was told (why / how_long / concerns), if recorded.
    family_informed: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ItemDetail:
    """An agenda item opened: its row, the case summary, notes and any decision."""

    row: AgendaRow
    case: CaseSummary
    notes: str
    notes_saved_at: dt.datetime | None
    decision: DecisionView | None


@dataclass(frozen=True)
class ActionDraft:
    """An action typed into the decision dialog."""

    description: str
    owner_name: str
    due_on: dt.date
    owner_id: int | None = None
    rule_id: str | None = None


@dataclass(frozen=True)
class DissentDraft:
    """A named member's dissent: who, and their view (minuted)."""

    name: str
    view: str
    user_id: int | None = None


@dataclass(frozen=True)
class SideView:
    """One side of a disagreement escalated under T-ESCALATE-24H."""

    side: str
    who: str
    view: str


@dataclass(frozen=True)
class EscalationDraft:
    """No agreement: who it goes to, what the disagreement is, and each side's view."""

    escalated_to: str
    disagreement: str
    views: list[SideView] = field(default_factory=list)


@dataclass(frozen=True)
class DecisionDraft:
    """What the decision dialog holds: validated and saved by ``record_decision``."""

    outcome: str
    rationale: str = ""
    effective_on: dt.date | None = None
    review_on: dt.date | None = None
    lead_professional: str | None = None
    receiving_team_id: int | None = None
    exit_strategy: str | None = None
    dissent: str | None = None
    override_reason: str | None = None
    actions: list[ActionDraft] = field(default_factory=list)
    # C-FAMILY-INFORMED: what the family was told (why / how_long / concerns), if recorded.
    family_informed: tuple[str, ...] | None = None
    # C-MAPPING: the mapping exercise, when the threshold was uncertain.
    mapping_note: str | None = None
    dissents: list[DissentDraft] = field(default_factory=list)
    escalation: EscalationDraft | None = None  # required when the outcome is "escalate"
    # Once the panel's minutes are approved, a change needs a reason (the "change note").
    change_note: str | None = None
    # Optimistic locking: the decision's version the dialog started from (0: there was none).
    # ``None`` skips the check (the command line, tests).
    based_on_version: int | None = None


@dataclass(frozen=True)
class PersonOption:
    """A member of staff offered in a picker (owner of an action, presenter, …)."""

    id: int
    name: str
    role: str
    job_title: str
    team: str | None


@dataclass(frozen=True)
class TeamOption:
    """A team offered in a picker."""

    id: int
    name: str
    service: str
