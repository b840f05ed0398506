"""Rule registry and evaluation. Each rule cites its DOMAIN.md id and seed section."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from stepdesk.profile import Profile, RuleSetting
from stepdesk.rules.facts import CaseFacts, Proposal
from stepdesk.timescales import add_months

_SEVERITY_ORDER = {"block": 0, "warn": 1, "info": 2}


@dataclass(frozen=True)
class Finding:
    """One thing a rule found: severity, rule id, plain-English message and citation."""

    rule: str
    severity: str
    message: str
    citation: str

    def to_dict(self) -> dict[str, str]:
        """The JSON form used by ``stepdesk rules check`` and stored with a decision."""
        return asdict(self)


@dataclass(frozen=True)
class Context:
    """What every rule gets: the facts, the proposal, its own setting, the profile, today."""

    case: CaseFacts
    proposal: Proposal
    setting: RuleSetting
    profile: Profile
    today: dt.date

    @property
    def when(self) -> dt.date:
        """The day the movement would take effect: the effective date, else today."""
        return self.proposal.effective_on or self.today

    def to_lower_level(self) -> bool:
        """Whether the proposal moves the case to a non-statutory plan."""
        try:
            return not self.profile.plan(self.proposal.to_plan).statutory
        except KeyError:
            return False


RuleCheck = Callable[[Context], Iterator[str]]


@dataclass(frozen=True)
class Rule:
    """A registered rule: id, what it checks (for ``stepdesk rules``) and its check."""

    rule_id: str
    checks: str
    check: RuleCheck


RULES: dict[str, Rule] = {}


def rule(rule_id: str, checks: str) -> Callable[[RuleCheck], RuleCheck]:
    """Register a check under its DOMAIN.md rule id."""

    def register(func: RuleCheck) -> RuleCheck:
        RULES[rule_id] = Rule(rule_id, checks, func)
        return func

    return register


def _d(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


@rule("C-CONSENT-UP", "A step-up has family consent, or a recorded reason to proceed without it.")
def _consent_up(ctx: Context) -> Iterator[str]:
    p, consent = ctx.proposal, ctx.case.consent
    if p.movement != "step_up" or not p.moves:
        return
    if consent and consent.kind != "declined" and consent.on <= ctx.today:
        return
    if (p.without_consent_reason or "").strip() and (p.without_consent_manager or "").strip():
        return
    if consent and consent.kind == "declined":
        yield (
            f"The family declined consent on {_d(consent.on)}. Proceeding without it must be "
            "decided with the line manager: record their name and the reason (delay would "
            "harm the child, or asking would raise the risk of significant harm)."
        )
        return
    yield (
        "No family consent is recorded for this step-up. Seek it first, unless that is "
        "impossible and delay would harm the child, or asking would raise the risk of "
        "significant harm; then record the line manager's name and the reason."
    )


@rule("C-CONSENT-DOWN", "A step-down to early help has explicit, informed (signed) consent.")
def _consent_down(ctx: Context) -> Iterator[str]:
    p, consent = ctx.proposal, ctx.case.consent
    if p.movement != "step_down" or not p.moves or not ctx.to_lower_level():
        return
    kinds = [str(k) for k in ctx.setting.params.get("consent_kinds", ["signed", "written"])]
    if consent is None:
        yield (
            "No family consent is recorded for this step-down. Step-down to early help needs "
            f"the family's explicit, informed consent ({' or '.join(kinds)}): record it first."
        )
    elif consent.kind == "declined":
        yield (
            f"The family declined early help on {_d(consent.on)}. If the statutory threshold "
            "is not met, respect their choice, record it and close the case (C-FAMILY-DECLINES)."
        )
    elif consent.on > ctx.today:
        yield (
            f"Consent is dated {_d(consent.on)}, after today ({_d(ctx.today)}). "
            "Correct the date, or record the decision once consent is given."
        )
    elif consent.kind not in kinds:
        yield (
            f"Consent was {consent.kind}; this protocol needs {' or '.join(kinds)} consent "
            "for a step-down to early help."
        )


@rule("T-CP-CIN-3M", "A child leaving a CP plan stays on CIN for 3 months before step-down.")
def _cp_cin_3m(ctx: Context) -> Iterator[str]:
    p, case = ctx.proposal, ctx.case
    if p.movement != "step_down" or not p.moves or not ctx.to_lower_level():
        return
    spell = case.current_spell
    if spell is None:
        return
    if spell.plan == "cp":
        yield (
            "A child on a Child Protection plan steps down to Child in Need first, and stays "
            "there for at least 3 months before any step-down to early help."
        )
        return
    came_from_cp = any(s.plan == "cp" for s in case.history[:-1])
    if spell.plan == "cin" and came_from_cp:
        earliest = add_months(spell.start, 3)
        if ctx.when < earliest:
            yield (
                f"On Child in Need since {_d(spell.start)} after a Child Protection plan: "
                f"the earliest step-down to early help is {_d(earliest)}."
            )


_NO_ENGAGEMENT = re.compile(
    r"\b(?:not|non|dis|never|poor|lack\s+of|no|refus\w*\s+to|fail\w*\s+to|won'?t|did\s*n[o']t)"
    r"[\s-]*engag",
    re.IGNORECASE,
)


@rule("C-NO-ENGAGEMENT", "Lack of engagement is not given as the reason to step out or down.")
def _no_engagement(ctx: Context) -> Iterator[str]:
    p = ctx.proposal
    if p.movement not in ("step_out", "step_down", "close") or not p.moves:
        return
    text = " ".join((*p.reasons, p.rationale))
    if _NO_ENGAGEMENT.search(text):
        yield (
            "Lack of engagement is not a reason to step out or down. If engagement is "
            "impossible, assess the risk and consider a step-up instead."
        )


@rule("C-LEAD-PROFESSIONAL", "Every step-down names the Lead Professional.")
def _lead_professional(ctx: Context) -> Iterator[str]:
    p = ctx.proposal
    if p.movement != "step_down" or not p.moves:
        return
    lead = p.lead_professional if p.outcome else (p.lead_professional or ctx.case.lead_professional)
    if not (lead or "").strip():
        yield (
            "Name the Lead Professional who takes over. If none was negotiated, the original "
            "referrer is the Lead Professional."
        )


@rule(
    "T-HANDOVER",
    "An agreed step up or down that changes level (and so service) names the receiving team.",
)
def _receiving_team(ctx: Context) -> Iterator[str]:
    p = ctx.proposal
    # Only a decision names a team: a request waits for the panel.
    if p.outcome != "agreed" or p.movement not in ("step_up", "step_down"):
        return
    if (p.receiving_team or "").strip():
        return
    current = ctx.case.current_plan
    try:
        here = ctx.profile.plan(current).level if current else None
        there = ctx.profile.plan(p.to_plan).level
    except KeyError:
        return
    if here is None or here == there:
        return  # same level, same service (e.g. CIN to CP): the team keeps the case
    yield (
        f"Name the receiving team: the case moves from {ctx.profile.plan_name(current or '')} "
        f"to {ctx.profile.plan_name(p.to_plan)}, another service, and the handover is arranged "
        "between the workers of both teams. Choose it under Receiving team."
    )


@rule(
    "C-EVIDENCE", "Step-up attaches evidence tools; step-down attaches the Child and Family Plan."
)
def _evidence(ctx: Context) -> Iterator[str]:
    p = ctx.proposal
    if not p.moves:
        return
    if p.movement == "step_up" and "evidence_tool" not in p.attachments:
        yield "No evidence tool is attached. A step-up to statutory involvement attaches them."
    if p.movement == "step_down" and "child_and_family_plan" not in p.attachments:
        yield "The Child and Family Plan is not attached. A step-down attaches it."


@rule("C-REVIEW-EXIT", "A step-up has a review date and a planned exit strategy.")
def _review_exit(ctx: Context) -> Iterator[str]:
    p = ctx.proposal
    if p.movement != "step_up" or not p.moves:
        return
    weeks = ctx.setting.params.get("review_within_weeks")
    start = p.effective_on or ctx.today
    if p.review_on is None:
        yield "Set a review date: a step-up must not become a default long-term increase."
    elif p.review_on <= start:
        yield f"The review date {_d(p.review_on)} must come after the step-up takes effect."
    elif isinstance(weeks, int) and p.review_on > start + dt.timedelta(weeks=weeks):
        yield (
            f"The first review point is {_d(p.review_on)}; this protocol reviews a step-up "
            f"within {weeks} weeks, by {_d(start + dt.timedelta(weeks=weeks))}."
        )
    if not (p.exit_strategy or "").strip():
        yield "Write the planned exit strategy: how and when support steps down again."


@rule("T-REEMERGE-3M", "Concerns re-emerging within 3 months go back to the stepping-down team.")
def _reemerge(ctx: Context) -> Iterator[str]:
    p, case = ctx.proposal, ctx.case
    if p.movement != "step_up" or case.stepped_down_from_team is None:
        return
    if case.stepped_down_on is None:
        return
    until = add_months(case.stepped_down_on, 3)
    if ctx.today <= until:
        yield (
            f"Stepped down by {case.stepped_down_from_team} on {_d(case.stepped_down_on)}: "
            f"concerns re-emerging before {_d(until)} return the case to that same team."
        )


_CP_WORDS = re.compile(
    r"\b(?:child\s+protection\s+concern|CP\s+concern|safeguarding\s+concern|"
    r"disclos\w*\s+(?:of\s+)?(?:abuse|harm))",
    re.IGNORECASE,
)


@rule("C-CP-IMMEDIATE", "A child protection concern is referred at once, not queued for a panel.")
def _cp_immediate(ctx: Context) -> Iterator[str]:
    p = ctx.proposal
    if p.outcome == "refer_immediately":
        return
    text = " ".join((*p.reasons, p.rationale))
    if not (p.cp_concern or _CP_WORDS.search(text)):
        return
    if p.outcome is None:
        yield (
            "This request raises a child protection concern. Refer it now, without delay "
            "(MASH / First Response); do not wait for a panel."
        )
    else:
        yield (
            "A child protection concern is referred without delay: record the outcome "
            "'Referred immediately' and make the referral today."
        )


_MONITOR = re.compile(
    r"\b(?:monitor\w*|onward\s+referral|refer\w*\s+on(?:ward)?|for\s+referral\s+to)\b",
    re.IGNORECASE,
)


@rule("C-NO-MONITOR", "A case is not stepped down just to be monitored or referred on.")
def _no_monitor(ctx: Context) -> Iterator[str]:
    p = ctx.proposal
    if p.movement not in ("step_down", "close") or not p.moves:
        return
    found = _MONITOR.search(" ".join((*p.reasons, p.rationale)))
    if found:
        yield (
            f"The reasons give \u201c{found.group(0)}\u201d: a case is not stepped down just to "
            "be monitored or to make an onward referral. Say which needs are met and what "
            "early help will do."
        )


def _statutory(profile: Profile, plan: str | None) -> bool:
    try:
        return plan is not None and profile.plan(plan).statutory
    except KeyError:
        return False


@rule("C-STEPDOWN-DECIDER", "A step-down is initiated by the Team Manager, with the worker.")
def _stepdown_decider(ctx: Context) -> Iterator[str]:
    p = ctx.proposal
    if p.movement != "step_down" or not p.moves:
        return
    every = ctx.setting.params.get("all_step_downs") is True
    if not every and not _statutory(ctx.profile, ctx.case.current_plan):
        return
    if not (p.team_manager or "").strip():
        yield (
            "The decision to initiate a step-down is the Team Manager's, with the allocated "
            "worker: record which Team Manager agreed it (the manager's QA)."
        )


@rule("C-MAPPING", "An uncertain threshold has a mapping exercise minuted at the meeting.")
def _mapping(ctx: Context) -> Iterator[str]:
    p = ctx.proposal
    if not p.threshold_uncertain or (p.mapping_note or "").strip():
        return
    if p.outcome is None:
        yield (
            "The threshold is uncertain: plan a mapping exercise as part of the meeting "
            "(needs and risks mapped against the levels), and minute it."
        )
    else:
        yield (
            "The threshold is uncertain: minute the mapping exercise (what was mapped "
            "against which level) before the decision is saved."
        )


@rule("C-JOINT-VISIT", "Joint visits build relationships only, with explicit parental consent.")
def _joint_visit(ctx: Context) -> Iterator[str]:
    p = ctx.proposal
    if p.joint_visit == "without_consent":
        yield (
            "A joint visit needs the parents' explicit consent: record it, or do not plan "
            "the visit."
        )
    if re.search(r"\bjoint[\s-]+visit", p.rationale, re.IGNORECASE):
        yield (
            "The rationale cites a joint visit. Joint visits do not inform the decision; "
            "they only build relationships. Base the rationale on the assessment and plan."
        )


_DECLINE_ENDS = ("close", "not_agreed", "no_change")


@rule("C-FAMILY-DECLINES", "A family that declines early help is respected, recorded and closed.")
def _family_declines(ctx: Context) -> Iterator[str]:
    p, case = ctx.proposal, ctx.case
    to_statutory = _statutory(ctx.profile, p.to_plan)
    if to_statutory or p.movement not in ("step_down", "step_up") or p.outcome in _DECLINE_ENDS:
        return
    declined_on = case.declined_early_help_on
    if declined_on is None and case.consent is not None and case.consent.kind == "declined":
        declined_on = case.consent.on
    if declined_on is None:
        return
    yield (
        f"The family declined early help on {_d(declined_on)}. If the statutory threshold "
        "is not met, respect their choice: record it and close the case (outcome: Close "
        "the case); if it is met, this is a step-up to statutory services instead."
    )


@rule("C-STORY-ONCE", "The assessment or plan travels with the case: nothing is re-keyed.")
def _story_once(ctx: Context) -> Iterator[str]:
    p = ctx.proposal
    if p.movement not in ("step_up", "step_down", "step_in") or not p.moves:
        return
    kinds = [str(k) for k in ctx.setting.params.get("carry_kinds", ["assessment"])]
    if not any(kind in p.attachments for kind in kinds):
        yield (
            "Attach the current assessment or plan so that it transfers with the case: the "
            "family tell their story once, and the receiving team re-keys nothing."
        )


_TOLD = {
    "why": "why the change is proposed",
    "how_long": "how long it may last",
    "concerns": "how to raise concerns",
}


@rule("C-FAMILY-INFORMED", "The family is told why, for how long, and how to raise concerns.")
def _family_informed(ctx: Context) -> Iterator[str]:
    p = ctx.proposal
    if p.outcome != "agreed" or p.movement == "close":
        return
    must = [str(k) for k in ctx.setting.params.get("must_tell", list(_TOLD))]
    told = set(p.family_informed or ())
    missing = [_TOLD.get(k, k) for k in must if k not in told]
    if missing:
        said = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} and {missing[-1]}"
        who = "person and family" if ctx.profile.subject_kind == "adult" else "family"
        yield f"Record that the {who} have been told {said}."


def trigger_names(params: Mapping[str, Any]) -> dict[str, str]:
    """The recorded triggers a profile allows, code to name (C-TRIGGERS)."""
    raw = params.get("triggers", [])
    names: dict[str, str] = {}
    for entry in raw if isinstance(raw, list) else []:
        if isinstance(entry, dict):
            names[str(entry.get("code"))] = str(entry.get("name", entry.get("code")))
        else:
            names[str(entry)] = str(entry)
    return names


@rule("C-TRIGGERS", "A step up or down records its trigger from the protocol's list.")
def _triggers(ctx: Context) -> Iterator[str]:
    p = ctx.proposal
    if p.movement not in ("step_up", "step_down") or not p.moves:
        return
    names = trigger_names(ctx.setting.params)
    listed = "; ".join(names.values())
    if not p.triggers:
        yield f"Record what triggered this change: {listed}." if listed else "Record the trigger."
        return
    unknown = [t for t in p.triggers if names and t not in names]
    if unknown:
        yield (
            f"'{unknown[0]}' is not a trigger this protocol records; choose from: "
            f"{', '.join(names)}."
        )


@rule("M-OUTCOMES", "A repeat step-up shows what the last one achieved and how it ended.")
def _outcomes(ctx: Context) -> Iterator[str]:
    p, history = ctx.proposal, ctx.case.history
    if p.movement != "step_up" or not p.moves:
        return
    months = ctx.setting.params.get("repeat_within_months", 12)
    window_start = add_months(ctx.today, -int(months) if isinstance(months, int) else -12)
    for index, spell in enumerate(history[:-1]):
        ended = history[index + 1].start
        if spell.plan == p.to_plan and ended >= window_start:
            yield (
                f"This case was on {ctx.profile.plan_name(spell.plan)} until {_d(ended)}. "
                "Say what that step-up achieved and how this one will end: evidence that "
                "step-ups end."
            )
            return


@rule(
    "M-ANNUAL",
    "The yearly monitoring report (Monitoring page, 'stepdesk report monitoring'); "
    "no check on a single case.",
)
def _annual(ctx: Context) -> Iterator[str]:
    # A report, not a finding: stepdesk.services.monitoring computes it (issue 18).
    yield from ()


def evaluate(
    case: CaseFacts, proposal: Proposal, profile: Profile, today: dt.date
) -> list[Finding]:
    """Run every rule the profile configures; blocks first, then warnings, then info."""
    findings: list[Finding] = []
    for rule_id, setting in profile.rules.items():
        registered = RULES.get(rule_id)
        if registered is None or not setting.applies:
            continue
        ctx = Context(case, proposal, setting, profile, today)
        findings.extend(
            Finding(rule_id, setting.severity, message, setting.citation)
            for message in registered.check(ctx)
        )
    findings.sort(key=lambda f: _SEVERITY_ORDER[f.severity])
    return findings


def has_block(findings: list[Finding]) -> bool:
    """Whether any finding blocks the save."""
    return any(f.severity == "block" for f in findings)
