"""The ORM schema: SQLAlchemy 2.0 typed declarative models of the panel domain.

Codes (levels, plans, movements, outcomes, roles, statuses) are stored as short strings and
validated against the protocol profile and the enums in :mod:`stepdesk.domain`, so a council's
profile can name its own levels without a schema change. Times are naive local (UK) times.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names, so Alembic migrations behave the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class Base(DeclarativeBase):
    """Declarative base with the naming convention and the type map."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        dict[str, Any]: JSON,
        list[str]: JSON,
        list[dict[str, Any]]: JSON,
        dt.datetime: DateTime(),
        dt.date: Date(),
        str: String(200),
    }


class Team(Base):
    """A team that can own a case (an Early Help hub, a Family Safeguarding team, …)."""

    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(unique=True)
    service: Mapped[str] = mapped_column(String(40))  # e.g. early_help, family_safeguarding


class User(Base):
    """A member of staff who uses StepDesk. Children and families are never users."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    role: Mapped[str] = mapped_column(String(30))  # stepdesk.domain.Role
    job_title: Mapped[str]
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    email: Mapped[str | None]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Sign-in (migration 0003): a login name and an Argon2id hash; ``None`` for staff who
    # are listed (e.g. as panel members) but never sign in.
    username: Mapped[str | None] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    password_changed_at: Mapped[dt.datetime | None]

    team: Mapped[Team | None] = relationship()


class Family(Base):
    """A household; subjects belong to one."""

    __tablename__ = "family"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str]
    address: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(40))

    subjects: Mapped[list[Subject]] = relationship(back_populates="family")


class Subject(Base):
    """The child, young person or adult a case is about."""

    __tablename__ = "subject"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int | None] = mapped_column(ForeignKey("family.id"))
    given_name: Mapped[str]
    family_name: Mapped[str] = mapped_column(index=True)
    date_of_birth: Mapped[dt.date | None]
    kind: Mapped[str] = mapped_column(String(20), default="child")  # child / young_person / adult
    # Equalities (migration 0005_monitoring), CIN census codes of
    # stepdesk.services.monitoring.categories; None where not recorded.
    sex: Mapped[str | None] = mapped_column(String(20))
    ethnicity: Mapped[str | None] = mapped_column(String(8))
    disability: Mapped[str | None] = mapped_column(String(8))

    family: Mapped[Family | None] = relationship(back_populates="subjects")

    @property
    def full_name(self) -> str:
        """Given name then family name, as printed on documents."""
        return f"{self.given_name} {self.family_name}"


class Case(Base):
    """A case: one subject's episode of involvement, with its level and plan history."""

    __tablename__ = "case_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    level: Mapped[str] = mapped_column(String(30))
    plan: Mapped[str] = mapped_column(String(30))
    lead_professional: Mapped[str | None]
    allocated_worker_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    opened_on: Mapped[dt.date]
    closed_on: Mapped[dt.date | None]
    # T-REEMERGE-3M: where a Family Safeguarding step-down came from, and when.
    stepped_down_from_team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    stepped_down_on: Mapped[dt.date | None]
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    subject: Mapped[Subject] = relationship()
    team: Mapped[Team] = relationship(foreign_keys=[team_id])
    stepped_down_from_team: Mapped[Team | None] = relationship(
        foreign_keys=[stepped_down_from_team_id]
    )
    allocated_worker: Mapped[User | None] = relationship()
    episodes: Mapped[list[PlanEpisode]] = relationship(
        back_populates="case", order_by="PlanEpisode.started_on"
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="case", order_by="Consent.given_on"
    )
    requests: Mapped[list[Request]] = relationship(back_populates="case")

    __mapper_args__ = {"version_id_col": version_id}


class PlanEpisode(Base):
    """One stretch of a case at one level and plan: the case history."""

    __tablename__ = "plan_episode"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_record.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[str] = mapped_column(String(30))
    plan: Mapped[str] = mapped_column(String(30))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    started_on: Mapped[dt.date]
    ended_on: Mapped[dt.date | None]
    note: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="episodes")
    team: Mapped[Team] = relationship()


class Consent(Base):
    """A family's consent (or refusal) with who gave it, when and how (C-CONSENT-UP/-DOWN)."""

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_record.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # signed / written / verbal / declined
    purpose: Mapped[str] = mapped_column(String(30))  # step_up / step_down / information_sharing
    given_by: Mapped[str]
    given_on: Mapped[dt.date]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="consents")


class Request(Base):
    """A step-up / step-down / step-in / step-out request brought to a panel."""

    __tablename__ = "request"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_record.id", ondelete="CASCADE"), index=True
    )
    movement: Mapped[str] = mapped_column(String(20))
    from_plan: Mapped[str] = mapped_column(String(30))
    to_plan: Mapped[str] = mapped_column(String(30))
    reasons: Mapped[str] = mapped_column(Text)
    triggers: Mapped[list[str]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(30), default="draft")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)
    submitted_at: Mapped[dt.datetime | None]
    qa_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    qa_at: Mapped[dt.datetime | None]
    qa_comment: Mapped[str | None] = mapped_column(Text)
    proposed_lead_professional: Mapped[str | None]
    # C-CONSENT-UP: proceeding without consent is decided with the line manager and recorded.
    without_consent_reason: Mapped[str | None] = mapped_column(Text)
    without_consent_manager: Mapped[str | None]
    # (migration 0003) C-CP-IMMEDIATE: the request raises a child protection concern;
    # C-MAPPING: the worker or manager is unsure of the threshold.
    cp_concern: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    threshold_uncertain: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # C-STORY-ONCE: what the family already told us, carried from earlier requests (0003).
    background: Mapped[str | None] = mapped_column(Text)
    # The consent recorded with this request (C-CONSENT-UP/-DOWN), if one was typed on the form.
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("consent.id"))
    # The panel the worker is aiming for: T-FORM-48H counts back from it until it is on an agenda.
    target_panel_id: Mapped[int | None] = mapped_column(ForeignKey("panel.id"))
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    case: Mapped[Case] = relationship(back_populates="requests")
    consent: Mapped[Consent | None] = relationship()
    target_panel: Mapped[Panel | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    qa_by: Mapped[User | None] = relationship(foreign_keys=[qa_by_id])
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="request", order_by="Attachment.id"
    )

    __mapper_args__ = {"version_id_col": version_id}


class Attachment(Base):
    """A document attached to a request, stored in the database with its hash (C-EVIDENCE)."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("request.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))  # child_and_family_plan / evidence_tool / …
    title: Mapped[str]
    filename: Mapped[str | None]
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    sha256: Mapped[str | None] = mapped_column(String(64))
    added_at: Mapped[dt.datetime] = mapped_column(default=_now)

    request: Mapped[Request] = relationship(back_populates="attachments")


class Panel(Base):
    """A panel meeting: a step-up/down meeting, CIN panel, ERM, closure meeting or LD review."""

    __tablename__ = "panel"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_type: Mapped[str] = mapped_column(String(40))
    starts_at: Mapped[dt.datetime] = mapped_column(index=True)
    venue: Mapped[str]
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[str] = mapped_column(String(20), default="planned")
    finished_at: Mapped[dt.datetime | None]
    started_at: Mapped[dt.datetime | None]
    minutes_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    agenda_circulated_at: Mapped[dt.datetime | None]  # T-AGENDA-24H
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    chair: Mapped[User | None] = relationship(foreign_keys=[chair_id])
    minutes_by: Mapped[User | None] = relationship(foreign_keys=[minutes_by_id])
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="panel", order_by="Attendance.id", cascade="all, delete-orphan"
    )
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="panel",
        order_by="AgendaItem.position",
        cascade="all, delete-orphan",
        foreign_keys="AgendaItem.panel_id",
    )
    minutes_versions: Mapped[list[MinutesVersion]] = relationship(
        back_populates="panel", order_by="MinutesVersion.version", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version_id}


class Attendance(Base):
    """One invited member of a panel and whether they came."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("panel_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    panel_role: Mapped[str] = mapped_column(String(40))  # chair / member / presenter / minutes
    status: Mapped[str] = mapped_column(String(20), default="invited")

    panel: Mapped[Panel] = relationship(back_populates="attendance")
    user: Mapped[User] = relationship()


class AgendaItem(Base):
    """One request on a panel's agenda, with its slot, presenter and the minute notes."""

    __tablename__ = "agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("request.id"))
    position: Mapped[int]
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    slot_minutes: Mapped[int] = mapped_column(Integer, default=15)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    notes: Mapped[str] = mapped_column(Text, default="")
    notes_saved_at: Mapped[dt.datetime | None]
    slot_start: Mapped[dt.datetime | None]  # planned start; None means "after the previous"
    started_at: Mapped[dt.datetime | None]  # when the chair opened it in the meeting
    ended_at: Mapped[dt.datetime | None]
    # Readiness gate: an item not ready may be held back, with the reason.
    held_back_reason: Mapped[str | None] = mapped_column(Text)
    # Finish meeting: items not reached go to the next panel of the same type, with a reason.
    carried_forward_to_panel_id: Mapped[int | None] = mapped_column(ForeignKey("panel.id"))
    carry_reason: Mapped[str | None] = mapped_column(Text)

    panel: Mapped[Panel] = relationship(back_populates="items", foreign_keys=[panel_id])
    carried_forward_to: Mapped[Panel | None] = relationship(
        foreign_keys=[carried_forward_to_panel_id]
    )
    request: Mapped[Request] = relationship()
    presenter: Mapped[User | None] = relationship()
    decision: Mapped[Decision | None] = relationship(back_populates="agenda_item")


class Decision(Base):
    """What the panel decided on one agenda item, with the findings seen when it was saved."""

    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="CASCADE"), unique=True
    )
    outcome: Mapped[str] = mapped_column(String(30))
    rationale: Mapped[str] = mapped_column(Text)
    effective_on: Mapped[dt.date | None]
    review_on: Mapped[dt.date | None]
    lead_professional: Mapped[str | None]
    receiving_team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    exit_strategy: Mapped[str | None] = mapped_column(Text)
    dissent: Mapped[str | None] = mapped_column(Text)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    override_reason: Mapped[str | None] = mapped_column(Text)
    override_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    override_at: Mapped[dt.datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[dt.datetime] = mapped_column(default=_now)
    # Quoracy when the decision was made: None if not assessed, False is recorded as such.
    quorate: Mapped[bool | None] = mapped_column(Boolean)
    # C-MAPPING: the threshold mapping exercise, when the level was uncertain.
    mapping_note: Mapped[str | None] = mapped_column(Text)
    # (migration 0003) C-FAMILY-INFORMED: what the family was told (why / how_long /
    # concerns); None where nothing was recorded.
    family_informed: Mapped[list[str] | None] = mapped_column(JSON)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="decision")
    dissents: Mapped[list[Dissent]] = relationship(
        back_populates="decision", order_by="Dissent.id", cascade="all, delete-orphan"
    )
    receiving_team: Mapped[Team | None] = relationship()
    override_by: Mapped[User | None] = relationship(foreign_keys=[override_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    actions: Mapped[list[Action]] = relationship(
        back_populates="decision", order_by="Action.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version_id}


class Action(Base):
    """A follow-up action from a decision: who does what by when, and under which rule."""

    __tablename__ = "action"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decision.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    owner_name: Mapped[str]
    due_on: Mapped[dt.date]
    rule_id: Mapped[str | None] = mapped_column(String(40))
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[dt.datetime | None]

    decision: Mapped[Decision] = relationship(back_populates="actions")
    owner: Mapped[User | None] = relationship()


class Dissent(Base):
    """A named member's disagreement with a decision, minuted with their view."""

    __tablename__ = "dissent"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decision.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    name: Mapped[str]
    view: Mapped[str] = mapped_column(Text)

    decision: Mapped[Decision] = relationship(back_populates="dissents")
    user: Mapped[User | None] = relationship()


class Escalation(Base):
    """No agreement at panel: escalated to an Operations / Strategic Manager (T-ESCALATE-24H)."""

    __tablename__ = "escalation"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id"))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"))
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    raised_at: Mapped[dt.datetime] = mapped_column(default=_now)
    escalated_to: Mapped[str]  # e.g. "Operations Manager", a name or a role
    disagreement: Mapped[str] = mapped_column(Text)
    # Each side's view: [{"side": "Family Safeguarding", "who": "…", "view": "…"}, …]
    views: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    due_at: Mapped[dt.datetime]
    status: Mapped[str] = mapped_column(String(20), default="open")  # open / resolved
    resolved_at: Mapped[dt.datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    resolution: Mapped[str | None] = mapped_column(Text)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    case: Mapped[Case] = relationship()
    agenda_item: Mapped[AgendaItem | None] = relationship()
    decision: Mapped[Decision | None] = relationship()
    raised_by: Mapped[User | None] = relationship(foreign_keys=[raised_by_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])

    __mapper_args__ = {"version_id_col": version_id}


class RequestTransition(Base):
    """One move of a request through its lifecycle: from, to, who, when and why."""

    __tablename__ = "request_transition"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("request.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    at: Mapped[dt.datetime] = mapped_column(default=_now)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str | None] = mapped_column(Text)

    by: Mapped[User | None] = relationship()


class MinutesVersion(Base):
    """A frozen, chair-approved version of a panel's minutes; corrections make a new one."""

    __tablename__ = "minutes_version"
    __table_args__ = (UniqueConstraint("panel_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"))
    version: Mapped[int]
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the document as approved
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    sha256: Mapped[str | None] = mapped_column(String(64))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_at: Mapped[dt.datetime] = mapped_column(default=_now)
    change_note: Mapped[str | None] = mapped_column(Text)  # what changed since the last version

    panel: Mapped[Panel] = relationship(back_populates="minutes_versions")
    approved_by: Mapped[User | None] = relationship()


class Closure(Base):
    """A case's closure record (seed 001 §3): needs, work done, outcomes, exit questionnaire."""

    __tablename__ = "closure"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), unique=True)
    needs_at_start: Mapped[str] = mapped_column(Text)
    work_done: Mapped[str] = mapped_column(Text)
    outcomes: Mapped[str] = mapped_column(Text)
    # Exit questionnaire: [{"question": "…", "answer": "…"}, …]
    questionnaire: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    authorised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    authorised_at: Mapped[dt.datetime | None]
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"))

    case: Mapped[Case] = relationship()
    authorised_by: Mapped[User | None] = relationship()
    decision: Mapped[Decision | None] = relationship()


class CaseNote(Base):
    """A note on the case record, e.g. "discussed at panel on …" (T-MINUTES-48H)."""

    __tablename__ = "case_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_record.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(default=_now)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    source: Mapped[str] = mapped_column(String(30), default="manual")  # manual / panel / …
    text: Mapped[str] = mapped_column(Text)

    author: Mapped[User | None] = relationship()


class DecisionDraft(Base):
    """What is typed in an open decision dialog, saved as it is typed: nothing lost on a crash."""

    __tablename__ = "decision_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="CASCADE"), unique=True
    )
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    saved_at: Mapped[dt.datetime] = mapped_column(default=_now)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class AuditEvent(Base):
    """One audited operation: who did what to which record, and when. Append-only."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=_now)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Keyed hash of the previous row's chain and this row's content (migration 0003); set
    # when the row is flushed, see stepdesk.persistence.audit_chain.
    chain: Mapped[str | None] = mapped_column(String(64))
