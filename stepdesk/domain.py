"""Fixed vocabularies of the domain, with the labels people read.

Levels, plan types and meeting types belong to a council's protocol profile; the codes here
are the ones every council shares (movements, outcomes, roles and statuses).
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a user may do; checked in the services, mirrored in the GUI."""

    CHAIR = "chair"
    COORDINATOR = "coordinator"
    MANAGER = "manager"
    WORKER = "worker"
    ADMINISTRATOR = "administrator"
    AUDITOR = "auditor"

    @property
    def label(self) -> str:
        """The role as people say it."""
        return {
            Role.CHAIR: "Panel chair",
            Role.COORDINATOR: "Team co-ordinator",
            Role.MANAGER: "Manager",
            Role.WORKER: "Worker",
            Role.ADMINISTRATOR: "Administrator",
            Role.AUDITOR: "Auditor (read-only)",
        }[self]


class Movement(StrEnum):
    """What a request asks for (DOMAIN.md, Movements)."""

    STEP_UP = "step_up"
    STEP_DOWN = "step_down"
    STEP_IN = "step_in"
    STEP_OUT = "step_out"
    CLOSE = "close"

    @property
    def label(self) -> str:
        """The movement as people say it."""
        return self.value.replace("_", " ").capitalize()


class Outcome(StrEnum):
    """What a panel can decide on an agenda item."""

    AGREED = "agreed"
    NOT_AGREED = "not_agreed"
    NO_CHANGE = "no_change"
    DEFER = "defer"
    REFER_IMMEDIATELY = "refer_immediately"
    ESCALATE = "escalate"
    CLOSE = "close"

    @property
    def label(self) -> str:
        """The outcome as the minutes print it."""
        return {
            Outcome.AGREED: "Agreed as requested",
            Outcome.NOT_AGREED: "Not agreed",
            Outcome.NO_CHANGE: "No change",
            Outcome.DEFER: "Deferred for more information",
            Outcome.REFER_IMMEDIATELY: "Referred immediately (child protection)",
            Outcome.ESCALATE: "Escalated: no agreement",
            Outcome.CLOSE: "Close the case",
        }[self]


# Outcomes that refuse the change asked for: nothing to transfer. The request stays decided
# (the panel may still correct it) until the chair approves the minutes, which closes it.
REFUSALS = frozenset({Outcome.NOT_AGREED, Outcome.NO_CHANGE})


class RequestStatus(StrEnum):
    """Where a request is on its way through QA and the panel."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    QA_APPROVED = "qa_approved"
    ON_AGENDA = "on_agenda"
    DECIDED = "decided"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    DEFERRED = "deferred"
    REFERRED = "referred"
    EFFECTED = "effected"
    HANDOVER_ARRANGED = "handover_arranged"
    HANDOVER_COMPLETED = "handover_completed"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        """The status as people say it."""
        return {
            RequestStatus.DRAFT: "Draft",
            RequestStatus.SUBMITTED: "Submitted to manager",
            RequestStatus.RETURNED: "Returned for changes",
            RequestStatus.QA_APPROVED: "QA approved",
            RequestStatus.ON_AGENDA: "On an agenda",
            RequestStatus.DECIDED: "Decided",
            RequestStatus.ESCALATED: "Escalated (no agreement)",
            RequestStatus.RESOLVED: "Escalation resolved",
            RequestStatus.DEFERRED: "Deferred",
            RequestStatus.REFERRED: "Referred immediately",
            RequestStatus.EFFECTED: "Transfer done",
            RequestStatus.HANDOVER_ARRANGED: "Handover arranged",
            RequestStatus.HANDOVER_COMPLETED: "Handover completed",
            RequestStatus.CLOSED: "Closed",
        }[self]


class PanelStatus(StrEnum):
    """A panel meeting's life."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    FINISHED = "finished"


class AttendanceStatus(StrEnum):
    """Whether an invited member came."""

    INVITED = "invited"
    PRESENT = "present"
    APOLOGIES = "apologies"
    ABSENT = "absent"


class ItemStatus(StrEnum):
    """Where an agenda item is in the meeting."""

    PENDING = "pending"
    DECIDED = "decided"
    HELD_BACK = "held_back"
    CARRIED_FORWARD = "carried_forward"


class ConsentKind(StrEnum):
    """How consent was given, or that it was declined (C-CONSENT-UP, C-CONSENT-DOWN)."""

    SIGNED = "signed"
    WRITTEN = "written"
    VERBAL = "verbal"
    DECLINED = "declined"


class AttachmentKind(StrEnum):
    """Documents C-EVIDENCE asks for, and others."""

    CHILD_AND_FAMILY_PLAN = "child_and_family_plan"
    EVIDENCE_TOOL = "evidence_tool"
    ASSESSMENT = "assessment"
    TAC_RECORD = "tac_record"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The kind of document as people say it."""
        return {
            AttachmentKind.CHILD_AND_FAMILY_PLAN: "Child and Family Plan",
            AttachmentKind.EVIDENCE_TOOL: "Evidence tool",
            AttachmentKind.ASSESSMENT: "Assessment",
            AttachmentKind.TAC_RECORD: "TAC meeting record",
            AttachmentKind.OTHER: "Other document",
        }[self]


# Every rule id of DOMAIN.md. A profile either applies each one (an engine check or a tracked
# timescale) or says why it does not apply; tests hold each shipped profile to that.
RULE_IDS: tuple[str, ...] = (
    "T-FORM-48H",
    "T-AGENDA-24H",
    "T-EFFECT-24H",
    "T-HANDOVER",
    "T-ESCALATE-24H",
    "T-MINUTES-48H",
    "T-COWORK-10D",
    "T-REEMERGE-3M",
    "T-CIN-MEETING-7D",
    "T-ICPC-15D",
    "T-CIN-REVIEW-4W",
    "T-CP-CIN-3M",
    "T-EHA-20WD",
    "T-STEPIN-8W",
    "C-CONSENT-UP",
    "C-CONSENT-DOWN",
    "C-CP-IMMEDIATE",
    "C-NO-ENGAGEMENT",
    "C-NO-MONITOR",
    "C-STEPDOWN-DECIDER",
    "C-LEAD-PROFESSIONAL",
    "C-EVIDENCE",
    "C-MAPPING",
    "C-JOINT-VISIT",
    "C-FAMILY-DECLINES",
    "C-STORY-ONCE",
    "C-REVIEW-EXIT",
    "C-FAMILY-INFORMED",
    "C-TRIGGERS",
    "M-ANNUAL",
    "M-OUTCOMES",
)
