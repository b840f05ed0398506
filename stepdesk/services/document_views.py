"""Detached data for the documents a panel hands out: agenda pack, letter, closure, escalation.

Like :mod:`stepdesk.services.views`, nothing here is an ORM object: a report renders these
without a database session. The minutes (:class:`MinutesDocument`) live here with their own
parts (quoracy, dissent, approval, versions).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from stepdesk.services.views import (
    ActionRow,
    AgendaRow,
    AttendanceRow,
    CaseSummary,
    DecisionView,
    EpisodeRow,
    PanelRow,
    SideView,
)
from stepdesk.timescales import Deadline


@dataclass(frozen=True)
class QuorumPartRow:
    """One part of the quorum: who was needed, how many, and who met it."""

    who: str
    needed: int
    met_by: list[str]
    met: bool


@dataclass(frozen=True)
class QuoracyView:
    """Whether the members present made the meeting quorate (profile meeting type)."""

    quorate: bool
    explanation: str
    parts: list[QuorumPartRow] = field(default_factory=list)


@dataclass(frozen=True)
class DissentRow:
    """A named member's disagreement with a decision."""

    name: str
    view: str


@dataclass(frozen=True)
class MinutesVersionRow:
    """One approved version of a panel's minutes."""

    version: int
    approved_by: str
    approved_at: dt.datetime
    change_note: str | None
    sha256: str | None = None


@dataclass(frozen=True)
class MinutesApproval:
    """The chair's approval printed in the minutes (absent: the minutes are a DRAFT)."""

    version: int
    approved_by: str
    approved_at: dt.datetime
    change_note: str | None


@dataclass(frozen=True)
class DecisionChangeRow:
    """A decision changed after its panel's minutes were approved: what, who, why, when.

    Read from the audit trail (action ``amend`` on the decision), which keeps it unchanged.
    ``against_version`` is the approved version of the minutes the change departs from; a
    later approved version is the correction that takes it in.
    """

    decision_id: int
    agenda_item_id: int
    position: int
    subject_name: str
    case_reference: str
    changed_by: str
    changed_at: dt.datetime
    reason: str
    before_outcome: str | None  # the outcome's label; None: there was no decision
    before_rationale: str | None
    after_outcome: str
    after_rationale: str
    against_version: int

    def line(self) -> str:
        """One line for a change note: item, was, now, who, when, why."""
        was = f"“{self.before_outcome}”" if self.before_outcome else "no decision"
        return (
            f"Item {self.position} ({self.case_reference}): decision changed from {was} to "
            f"“{self.after_outcome}” by {self.changed_by} on "
            f"{self.changed_at:%d/%m/%Y %H:%M}. Reason: {self.reason}"
        )


@dataclass(frozen=True)
class MinutesLock:
    """Approved minutes a decision of the panel departs from if it changes (dialog line)."""

    meeting_date: dt.date
    version: int
    approved_by: str
    approved_at: dt.datetime

    def text(self) -> str:
        """The plain line the decision dialog shows."""
        return (
            f"The minutes of {self.meeting_date:%d/%m/%Y} were approved on "
            f"{self.approved_at:%d/%m/%Y %H:%M} by {self.approved_by}: a change needs a "
            "reason and a corrected version of the minutes"
        )


@dataclass(frozen=True)
class MinutesState:
    """Whether a panel's approved minutes still agree with its decisions.

    ``changes`` are the decision changes since the latest approved version (empty: up to
    date, or not approved yet); ``suggested_note`` is the correction's change note derived
    from them.
    """

    panel_id: int
    version: int | None
    approved_at: dt.datetime | None
    changes: list[DecisionChangeRow] = field(default_factory=list)

    @property
    def out_of_date(self) -> bool:
        """A decision changed since the latest approved version."""
        return bool(self.changes)

    @property
    def suggested_note(self) -> str:
        """The correction's change note, one line per decision change."""
        return change_note_for(self.changes)

    def text(self) -> str:
        """``Minutes out of date: decision changed on … by …; approve a correction`` or ""."""
        if not self.changes:
            return ""
        last = self.changes[-1]
        more = f" (and {len(self.changes) - 1} earlier change(s))" if len(self.changes) > 1 else ""
        return (
            f"Minutes out of date: decision changed on {last.changed_at:%d/%m/%Y %H:%M} by "
            f"{last.changed_by}{more}; approve a correction"
        )


def change_note_for(changes: list[DecisionChangeRow]) -> str:
    """A correction's change note derived from the decision changes it takes in."""
    return "\n".join(change.line() for change in changes)


@dataclass(frozen=True)
class ApprovedMinutes:
    """A stored, frozen version of a panel's minutes with its PDF."""

    panel_id: int
    version: int
    approved_by: str
    approved_at: dt.datetime
    change_note: str | None
    sha256: str
    pdf: bytes


@dataclass(frozen=True)
class AgendaCase:
    """One case section of the agenda pack: the agenda row and the case as it stands."""

    row: AgendaRow
    case: CaseSummary


@dataclass(frozen=True)
class AgendaDocument:
    """Everything the agenda pack prints (T-AGENDA-24H)."""

    panel: PanelRow
    profile_name: str
    members: list[AttendanceRow]
    items: list[AgendaCase]
    deadlines: list[Deadline]
    circulated_at: dt.datetime | None
    generated_at: dt.datetime
    generated_by: str


@dataclass(frozen=True)
class LetterDocument:
    """A letter to the family about one decision (C-FAMILY-INFORMED)."""

    decision: DecisionView
    movement: str
    from_plan: str
    from_plan_name: str
    to_plan: str
    to_plan_name: str
    subject_name: str
    subject_given_name: str
    subject_kind: str
    family_name: str | None
    family_address: str | None
    case_reference: str
    meeting_name: str
    meeting_date: dt.date
    team: str
    lead_professional: str | None
    allocated_worker: str | None
    allocated_worker_email: str | None
    chair_name: str
    next_steps: list[ActionRow]
    generated_at: dt.datetime
    generated_by: str


@dataclass(frozen=True)
class QuestionAnswer:
    """One exit questionnaire answer."""

    question: str
    answer: str


@dataclass(frozen=True)
class ClosureDocument:
    """A case's closure summary (seed 001 §3)."""

    case_id: int
    case_reference: str
    subject_name: str
    date_of_birth: dt.date | None
    team: str
    level_name: str
    plan_name: str
    lead_professional: str | None
    opened_on: dt.date
    closed_on: dt.date | None
    history: list[EpisodeRow]
    needs_at_start: str
    work_done: str
    outcomes: str
    questionnaire: list[QuestionAnswer]
    authorised_by: str | None
    authorised_at: dt.datetime | None
    decision_outcome: str | None
    generated_at: dt.datetime
    generated_by: str


@dataclass(frozen=True)
class EscalationDocument:
    """An escalation summary for the Operations / Strategic Manager (T-ESCALATE-24H)."""

    id: int
    case_reference: str
    subject_name: str
    team: str
    level_name: str
    plan_name: str
    request_label: str | None
    meeting_name: str | None
    meeting_date: dt.date | None
    decision_outcome: str | None
    raised_by: str | None
    raised_at: dt.datetime
    escalated_to: str
    disagreement: str
    views: list[SideView]
    due_at: dt.datetime
    status: str
    resolved_at: dt.datetime | None
    resolved_by: str | None
    resolution: str | None
    deadline: Deadline
    generated_at: dt.datetime
    generated_by: str


@dataclass(frozen=True)
class MinutesItem:
    """One agenda item as the minutes print it."""

    row: AgendaRow
    reasons: str
    notes: str
    decision: DecisionView | None
    # Why an item was not decided: held back (readiness), carried forward (to which panel).
    held_back_reason: str | None = None
    carried_forward_to: str | None = None
    carry_reason: str | None = None
    dissents: list[DissentRow] = field(default_factory=list)
    # Changes to the decision after the minutes were approved, oldest first.
    changes: list[DecisionChangeRow] = field(default_factory=list)


@dataclass(frozen=True)
class MinutesDocument:
    """Everything the minutes PDF prints, gathered in one read."""

    panel: PanelRow
    profile_name: str
    present: list[AttendanceRow]
    apologies: list[AttendanceRow]
    absent: list[AttendanceRow]
    items: list[MinutesItem]
    generated_at: dt.datetime
    generated_by: str
    quoracy: QuoracyView | None = None
    minutes_by: str | None = None
    # None: a DRAFT (watermarked). Set when the chair approves a version.
    approval: MinutesApproval | None = None
    versions: list[MinutesVersionRow] = field(default_factory=list)
