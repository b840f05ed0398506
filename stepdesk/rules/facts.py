"""What the rules look at: plain, immutable facts about a case and a proposed movement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PlanSpell:
    """The case was on ``plan`` from ``start`` (until the next spell starts)."""

    plan: str
    start: dt.date


@dataclass(frozen=True)
class ConsentFact:
    """The family's most recent consent for the movement: how, and on which day."""

    kind: str  # signed / written / verbal / declined
    on: dt.date
    given_by: str | None = None


@dataclass(frozen=True)
class CaseFacts:
    """A case as the rules see it."""

    history: tuple[PlanSpell, ...]
    lead_professional: str | None = None
    consent: ConsentFact | None = None
    stepped_down_from_team: str | None = None
    stepped_down_on: dt.date | None = None
    team: str | None = None
    # C-FAMILY-DECLINES: the family declined early help (EHA/CAF) on this day.
    declined_early_help_on: dt.date | None = None

    @property
    def current_plan(self) -> str | None:
        """The plan of the latest spell."""
        return self.history[-1].plan if self.history else None

    @property
    def current_spell(self) -> PlanSpell | None:
        """The latest spell."""
        return self.history[-1] if self.history else None

    def was_on(self, plan: str) -> bool:
        """Whether the case has ever been on ``plan``."""
        return any(spell.plan == plan for spell in self.history)


@dataclass(frozen=True)
class Proposal:
    """A request, or a draft decision on it, as the rules see it.

    ``outcome`` is ``None`` for a request not yet decided; decision fields are empty then.
    """

    movement: str
    to_plan: str
    reasons: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()
    triggers: tuple[str, ...] = ()
    outcome: str | None = None
    rationale: str = ""
    effective_on: dt.date | None = None
    review_on: dt.date | None = None
    lead_professional: str | None = None
    exit_strategy: str | None = None
    without_consent_reason: str | None = None
    without_consent_manager: str | None = None
    # C-CP-IMMEDIATE: the request raises a child protection concern.
    cp_concern: bool = False
    # C-STEPDOWN-DECIDER: the Team Manager who agreed to initiate the step-down.
    team_manager: str | None = None
    # C-MAPPING: the threshold is uncertain, and the mapping exercise as minuted.
    threshold_uncertain: bool = False
    mapping_note: str | None = None
    # C-JOINT-VISIT: none / with_consent / without_consent (explicit parental consent).
    joint_visit: str | None = None
    # C-FAMILY-INFORMED: what the family has been told (why, how_long, concerns); None if
    # nothing is recorded.
    family_informed: tuple[str, ...] | None = None
    # T-HANDOVER: the team the panel names to receive the case (its name), if any.
    receiving_team: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def moves(self) -> bool:
        """Whether the proposal would move the case (not deferred, refused, …)."""
        return self.outcome in (None, "agreed")
