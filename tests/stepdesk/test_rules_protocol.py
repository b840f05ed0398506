"""The rules added for issue 3, each at its boundary, and the coverage of every DOMAIN.md id."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pytest

from resources import PROFILES_DIR
from stepdesk.domain import RULE_IDS
from stepdesk.errors import ProfileError
from stepdesk.profile import load_profile, load_profile_file
from stepdesk.rules import RULES, CaseFacts, ConsentFact, PlanSpell, Proposal, evaluate

TODAY = dt.date(2026, 11, 23)
DEFAULT = load_profile()
LD = load_profile("learning-disability")
SHIPPED = sorted(p.stem for p in PROFILES_DIR.glob("*.toml"))


def hits(case: CaseFacts, proposal: Proposal, profile=DEFAULT) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.rule for f in evaluate(case, proposal, profile, TODAY)]


CIN = CaseFacts(
    history=(PlanSpell("cin", dt.date(2026, 3, 2)),),
    lead_professional="School nurse",
    consent=ConsentFact("signed", TODAY),
)
EH = CaseFacts(
    history=(PlanSpell("early_help", dt.date(2026, 6, 1)),), consent=ConsentFact("signed", TODAY)
)
DOWN = Proposal(
    "step_down",
    "early_help",
    reasons=("CIN plan outcomes met",),
    attachments=("child_and_family_plan",),
    team_manager="Priya Okafor",
)
UP = Proposal(
    "step_up",
    "cin",
    reasons=("Neglect concerns rising",),
    attachments=("evidence_tool", "assessment"),
    review_on=dt.date(2027, 2, 22),
    exit_strategy="Back to early help when the plan is met",
)


# Coverage ----------------------------------------------------------------------------------


def _domain_ids() -> set[str]:
    for base in Path(__file__).resolve().parents:
        domain = base / "shared" / "DOMAIN.md"
        if domain.exists():
            text = domain.read_text(encoding="utf-8")
            return set(re.findall(r"^- ([TCM]-[A-Z0-9-]+) —", text, re.M))
    return set()


def test_rule_ids_match_domain_md() -> None:
    ids = _domain_ids()
    if not ids:
        pytest.skip("shared/DOMAIN.md is not beside the repository")
    assert ids == set(RULE_IDS)


@pytest.mark.parametrize("name", SHIPPED)
def test_every_domain_id_is_implemented_or_not_applicable(name: str) -> None:
    profile = load_profile(name)
    tracked = {ts.rule for ts in profile.timescales.values()}
    for rule_id in RULE_IDS:
        setting = profile.rules.get(rule_id)
        if setting is not None and not setting.applies:
            assert (setting.reason or "").strip(), f"{name}: {rule_id} has no reason"
            continue
        implemented = (setting is not None and rule_id in RULES) or rule_id in tracked
        assert implemented, f"{name}: {rule_id} is neither implemented nor marked not applicable"


def test_every_registered_rule_cites_a_domain_id() -> None:
    assert set(RULES) <= set(RULE_IDS)


def test_both_profiles_are_shipped() -> None:
    assert {"default", "learning-disability"} <= set(SHIPPED)


# Profile mechanism -------------------------------------------------------------------------


def variant(tmp_path: Path, old: str, new: str) -> Path:
    text = (PROFILES_DIR / "default.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "council.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("[rules.C-NO-MONITOR]", "[rules.C-NO-MONITER]", "did you mean C-NO-MONITOR?"),
        (
            'reason = "Recorded triggers',
            'reasn = "Recorded triggers',
            "rules.C-TRIGGERS.reasn: is not a known key: did you mean 'reason'?",
        ),
        (
            'override_roles = ["chair"]          # only',
            'override_roles = ["boss"]          # only',
            "rules.C-CP-IMMEDIATE.override_roles: 'boss' is not a role",
        ),
        (
            "[rules.C-TRIGGERS]\napplies = false",
            '[rules.C-TRIGGERS]\napplies = "no"',
            "rules.C-TRIGGERS.applies: must be a bool",
        ),
        (
            '[rules.C-MAPPING]\nseverity = "warn"',
            "[rules.C-MAPPING]\napplies = false",
            "rules.C-MAPPING.reason: is missing",
        ),
        (
            "[rules.C-TRIGGERS]\napplies = false",
            "[rules.T-ICPC-15D]\napplies = false\nreason = 'x'\ncitation = '004'\n"
            "[rules.C-TRIGGERS]\napplies = false",
            "rules.T-ICPC-15D.applies: is false, but the profile has a timescale",
        ),
    ],
)
def test_bad_rule_settings_are_refused(tmp_path: Path, old: str, new: str, expected: str) -> None:
    path = variant(tmp_path, old, new)
    with pytest.raises(ProfileError) as info:
        load_profile_file(path)
    assert expected in str(info.value)


def test_a_rule_marked_off_is_not_evaluated(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        '[rules.C-NO-MONITOR]\nseverity = "warn"',
        '[rules.C-NO-MONITOR]\napplies = false\nreason = "We monitor on purpose"',
    )
    profile = load_profile_file(path)
    monitor = replace(DOWN, reasons=("so school can monitor",))
    assert "C-NO-MONITOR" in hits(CIN, monitor)
    assert "C-NO-MONITOR" not in hits(CIN, monitor, profile)
    assert profile.not_applicable()["C-NO-MONITOR"].reason == "We monitor on purpose"


def test_override_roles_per_rule_default_to_the_profile() -> None:
    assert DEFAULT.override_roles_for("C-CP-IMMEDIATE") == ("chair",)
    assert DEFAULT.override_roles_for("T-CP-CIN-3M") == ("chair", "manager")


# C-CP-IMMEDIATE ----------------------------------------------------------------------------


def test_cp_concern_flag_blocks_a_queued_request() -> None:
    assert hits(EH, replace(UP, cp_concern=True)) == ["C-CP-IMMEDIATE"]


def test_cp_concern_in_the_reasons_blocks_too() -> None:
    reasons = ("Child protection concern raised by the school",)
    assert "C-CP-IMMEDIATE" in hits(EH, replace(UP, reasons=reasons))


def test_cp_concern_referred_immediately_is_fine() -> None:
    referred = replace(UP, cp_concern=True, outcome="refer_immediately", rationale="To MASH")
    assert "C-CP-IMMEDIATE" not in hits(EH, referred)


def test_no_cp_concern_no_finding() -> None:
    assert "C-CP-IMMEDIATE" not in hits(EH, UP)


# C-NO-MONITOR ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reason",
    ["so that school can monitor", "Monitoring by health visitor", "for an onward referral"],
)
def test_step_down_to_monitor_warns(reason: str) -> None:
    assert hits(CIN, replace(DOWN, reasons=(reason,))) == ["C-NO-MONITOR"]


def test_step_down_for_met_needs_is_fine() -> None:
    assert hits(CIN, DOWN) == []


def test_monitor_in_a_step_up_is_not_this_rule() -> None:
    assert "C-NO-MONITOR" not in hits(EH, replace(UP, reasons=("monitoring showed harm",)))


# C-STEPDOWN-DECIDER ------------------------------------------------------------------------


def test_step_down_from_statutory_plan_needs_the_team_manager() -> None:
    assert hits(CIN, replace(DOWN, team_manager=None)) == ["C-STEPDOWN-DECIDER"]
    assert hits(CIN, replace(DOWN, team_manager="  ")) == ["C-STEPDOWN-DECIDER"]


def test_step_down_from_early_help_is_not_this_rule() -> None:
    to_universal = replace(DOWN, to_plan="universal", team_manager=None)
    assert "C-STEPDOWN-DECIDER" not in hits(EH, to_universal)


def test_ld_profile_names_a_decider_for_every_step_down() -> None:
    case = CaseFacts(
        history=(
            PlanSpell("core_support", dt.date(2025, 4, 1)),
            PlanSpell("enhanced_support", dt.date(2026, 6, 1)),
        )
    )
    down = Proposal("step_down", "core_support", triggers=("independence",))
    assert "C-STEPDOWN-DECIDER" in hits(case, replace(down, attachments=("assessment",)), LD)
    named = replace(down, attachments=("assessment",), team_manager="Ravi Dhillon")
    assert hits(case, named, LD) == []


# C-MAPPING ---------------------------------------------------------------------------------


def test_uncertain_threshold_without_mapping_warns() -> None:
    assert hits(EH, replace(UP, threshold_uncertain=True)) == ["C-MAPPING"]


def test_mapping_minuted_clears_it() -> None:
    mapped = replace(UP, threshold_uncertain=True, mapping_note="Mapped against level 4")
    assert hits(EH, mapped) == []


# C-JOINT-VISIT -----------------------------------------------------------------------------


def test_joint_visit_without_consent_warns_with_consent_does_not() -> None:
    assert hits(CIN, replace(DOWN, joint_visit="without_consent")) == ["C-JOINT-VISIT"]
    assert hits(CIN, replace(DOWN, joint_visit="with_consent")) == []


def test_rationale_resting_on_a_joint_visit_warns() -> None:
    decided = replace(
        DOWN,
        outcome="agreed",
        lead_professional="School nurse",
        rationale="The joint-visit showed things are better",
        family_informed=("why", "how_long", "concerns"),
        receiving_team="Early Help North Hub",
    )
    assert hits(CIN, decided) == ["C-JOINT-VISIT"]


# C-FAMILY-DECLINES -------------------------------------------------------------------------

UNIVERSAL = CaseFacts(history=(PlanSpell("universal", dt.date(2026, 1, 5)),))


def test_family_that_declined_early_help_is_respected() -> None:
    declined = replace(UNIVERSAL, declined_early_help_on=dt.date(2026, 11, 10))
    up = replace(UP, to_plan="early_help")
    assert "C-FAMILY-DECLINES" in hits(declined, up)
    closed = replace(up, outcome="close", rationale="Family declined; threshold not met")
    assert "C-FAMILY-DECLINES" not in hits(declined, closed)


def test_declining_does_not_stop_a_step_up_to_statutory_services() -> None:
    declined = replace(UNIVERSAL, declined_early_help_on=dt.date(2026, 11, 10))
    assert "C-FAMILY-DECLINES" not in hits(declined, UP)


# C-STORY-ONCE ------------------------------------------------------------------------------


def test_step_up_without_an_assessment_to_carry_is_noted() -> None:
    bare = replace(UP, attachments=("evidence_tool",))
    assert [f.severity for f in evaluate(EH, bare, DEFAULT, TODAY)] == ["info"]
    assert hits(EH, bare) == ["C-STORY-ONCE"]


# C-FAMILY-INFORMED -------------------------------------------------------------------------


def _agreed(told: tuple[str, ...] | None) -> Proposal:
    return replace(
        DOWN,
        outcome="agreed",
        rationale="Met",
        lead_professional="GP",
        family_informed=told,
        receiving_team="Early Help North Hub",
    )


# T-HANDOVER: the receiving team ---------------------------------------------------------------


def test_an_agreed_change_of_level_must_name_the_receiving_team() -> None:
    nobody = replace(_agreed(("why", "how_long", "concerns")), receiving_team=None)
    (finding,) = evaluate(CIN, nobody, DEFAULT, TODAY)
    assert (finding.rule, finding.severity, finding.citation) == (
        "T-HANDOVER",
        "block",
        "003; 001 §4",
    )
    assert finding.message.startswith(
        "Name the receiving team: the case moves from Child in Need plan to Early Help"
    )
    assert "Receiving team" in finding.message
    assert hits(CIN, replace(nobody, receiving_team="  ")) == ["T-HANDOVER"]
    up = replace(UP, outcome="agreed", rationale="Risk rising", review_on=dt.date(2027, 2, 1))
    assert "T-HANDOVER" in hits(EH, up)
    assert "T-HANDOVER" not in hits(EH, replace(up, receiving_team="Family Safeguarding A"))


def test_no_receiving_team_is_needed_within_a_level_or_before_the_panel() -> None:
    cin_to_cp = replace(UP, to_plan="cp", outcome="agreed", rationale="Significant harm")
    assert "T-HANDOVER" not in hits(CIN, cin_to_cp)  # CIN and CP are both level 4
    assert "T-HANDOVER" not in hits(CIN, DOWN)  # a request: the panel names the team
    deferred = replace(DOWN, outcome="defer", rationale="More information")
    assert "T-HANDOVER" not in hits(CIN, deferred)
    assert "T-HANDOVER" not in hits(CIN, replace(DOWN, movement="step_out", outcome="agreed"))


def test_the_learning_disability_profile_does_not_ask_for_a_receiving_team() -> None:
    assert not LD.applies("T-HANDOVER") or "T-HANDOVER" not in LD.rules


def test_family_informed_names_what_is_missing() -> None:
    (finding,) = evaluate(CIN, _agreed(("why",)), DEFAULT, TODAY)
    assert finding.rule == "C-FAMILY-INFORMED"
    assert "how long it may last and how to raise concerns" in finding.message
    assert "why" not in finding.message


def test_family_told_all_three_is_fine_and_requests_are_not_checked() -> None:
    assert hits(CIN, _agreed(("why", "how_long", "concerns"))) == []
    assert "C-FAMILY-INFORMED" not in hits(CIN, DOWN)
    assert hits(CIN, _agreed(None)) == ["C-FAMILY-INFORMED"]


# C-TRIGGERS (learning-disability profile) --------------------------------------------------

CORE = CaseFacts(history=(PlanSpell("core_support", dt.date(2025, 4, 1)),))
LD_UP = Proposal(
    "step_up",
    "enhanced_support",
    triggers=("health",),
    attachments=("assessment",),
    review_on=dt.date(2027, 1, 25),
    exit_strategy="Reduce over four weeks",
)


def test_ld_step_up_needs_a_listed_trigger() -> None:
    assert hits(CORE, LD_UP, LD) == []
    assert hits(CORE, replace(LD_UP, triggers=()), LD) == ["C-TRIGGERS"]
    assert hits(CORE, replace(LD_UP, triggers=("budget",)), LD) == ["C-TRIGGERS"]


def test_triggers_do_not_apply_to_the_default_profile() -> None:
    assert "C-TRIGGERS" not in hits(EH, replace(UP, triggers=()))


# C-REVIEW-EXIT review points (learning-disability profile) ---------------------------------


def test_ld_review_point_within_12_weeks_boundary() -> None:
    start = dt.date(2026, 11, 30)
    on_time = replace(LD_UP, effective_on=start, review_on=start + dt.timedelta(weeks=12))
    late = replace(on_time, review_on=start + dt.timedelta(weeks=12, days=1))
    assert hits(CORE, on_time, LD) == []
    assert [(f.rule, f.severity) for f in evaluate(CORE, late, LD, TODAY)] == [
        ("C-REVIEW-EXIT", "block")
    ]


# M-OUTCOMES --------------------------------------------------------------------------------


def test_repeat_step_up_within_a_year_asks_for_outcomes() -> None:
    def case(ended: dt.date) -> CaseFacts:
        return CaseFacts(
            history=(PlanSpell("cin", dt.date(2025, 6, 1)), PlanSpell("early_help", ended)),
            consent=ConsentFact("signed", TODAY),
        )

    assert hits(case(dt.date(2025, 11, 23)), UP) == ["M-OUTCOMES"]  # exactly 12 months ago
    assert hits(case(dt.date(2025, 11, 22)), UP) == []


def test_learning_disability_profile_shape() -> None:
    assert LD.subject_kind == "adult"
    assert [lv.code for lv in LD.levels] == ["SI1", "SI2", "SI3", "SI4"]
    review = LD.meeting_type("ld_review")
    assert review is not None and review.citation == "000"
    assert {part.role for part in review.quorum} == {"chair", "manager", "worker"}
    assert LD.rules["C-REVIEW-EXIT"].params["review_within_weeks"] == 12
    assert set(LD.rules["C-FAMILY-INFORMED"].params["must_tell"]) == {"why", "how_long", "concerns"}
    assert not LD.applies("T-ICPC-15D") and LD.applies("T-HANDOVER")
    assert "children" in (LD.not_applicable()["T-CP-CIN-3M"].reason or "")
