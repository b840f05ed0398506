"""Each protocol rule, at its boundaries. Dates are chosen around 23/11/2026."""

from __future__ import annotations

import datetime as dt

import pytest

from stepdesk.profile import load_profile
from stepdesk.rules import CaseFacts, ConsentFact, PlanSpell, Proposal, evaluate, has_block

TODAY = dt.date(2026, 11, 23)
PROFILE = load_profile()


def rules_hit(case: CaseFacts, proposal: Proposal, today: dt.date = TODAY) -> dict[str, str]:
    return {f.rule: f.severity for f in evaluate(case, proposal, PROFILE, today)}


def cin_after_cp(cin_start: dt.date, **kw: object) -> CaseFacts:
    base: dict[str, object] = {
        "history": (PlanSpell("cp", dt.date(2026, 3, 2)), PlanSpell("cin", cin_start)),
        "lead_professional": "School nurse",
        "consent": ConsentFact("signed", dt.date(2026, 11, 20)),
    }
    base.update(kw)
    return CaseFacts(**base)  # type: ignore[arg-type]


STEP_DOWN = Proposal(
    "step_down",
    "early_help",
    reasons=("needs met",),
    attachments=("child_and_family_plan",),
    team_manager="Priya Okafor",
)


# T-CP-CIN-3M -------------------------------------------------------------------------------


def test_cp_cin_3m_blocks_one_day_short_of_three_months() -> None:
    case = cin_after_cp(dt.date(2026, 8, 24))  # 3 months ends 24/11/2026
    assert rules_hit(case, STEP_DOWN) == {"T-CP-CIN-3M": "block"}


def test_cp_cin_3m_allows_exactly_three_months() -> None:
    case = cin_after_cp(dt.date(2026, 8, 23))
    assert "T-CP-CIN-3M" not in rules_hit(case, STEP_DOWN)


def test_cp_cin_3m_counts_from_the_effective_date_when_given() -> None:
    case = cin_after_cp(dt.date(2026, 9, 14))
    later = Proposal(**{**STEP_DOWN.__dict__, "effective_on": dt.date(2026, 12, 14)})
    assert "T-CP-CIN-3M" not in rules_hit(case, later)
    earlier = Proposal(**{**STEP_DOWN.__dict__, "effective_on": dt.date(2026, 12, 13)})
    assert "T-CP-CIN-3M" in rules_hit(case, earlier)


def test_cp_cin_3m_message_names_the_earliest_date() -> None:
    case = cin_after_cp(dt.date(2026, 9, 14))
    (finding,) = [f for f in evaluate(case, STEP_DOWN, PROFILE, TODAY) if f.rule == "T-CP-CIN-3M"]
    assert "14/12/2026" in finding.message
    assert finding.citation == "004 5.1"


def test_cp_cin_3m_blocks_straight_from_cp_to_early_help() -> None:
    case = CaseFacts(
        history=(PlanSpell("cp", dt.date(2025, 1, 1)),),
        lead_professional="GP",
        consent=ConsentFact("signed", TODAY),
    )
    assert rules_hit(case, STEP_DOWN)["T-CP-CIN-3M"] == "block"


def test_cp_cin_3m_does_not_apply_without_a_cp_history() -> None:
    case = CaseFacts(
        history=(PlanSpell("cin", dt.date(2026, 11, 1)),),
        lead_professional="GP",
        consent=ConsentFact("signed", TODAY),
    )
    assert "T-CP-CIN-3M" not in rules_hit(case, STEP_DOWN)


def test_cp_cin_3m_ignores_a_step_down_that_stays_statutory() -> None:
    case = CaseFacts(history=(PlanSpell("cp", dt.date(2026, 11, 1)),))
    to_cin = Proposal(
        "step_down", "cin", lead_professional="SW", attachments=("child_and_family_plan",)
    )
    assert "T-CP-CIN-3M" not in rules_hit(case, to_cin)


def test_month_end_clamps_for_cin_started_on_30_november() -> None:
    case = cin_after_cp(dt.date(2026, 11, 30))
    on_28_feb = Proposal(**{**STEP_DOWN.__dict__, "effective_on": dt.date(2027, 2, 28)})
    on_27_feb = Proposal(**{**STEP_DOWN.__dict__, "effective_on": dt.date(2027, 2, 27)})
    assert "T-CP-CIN-3M" not in rules_hit(case, on_28_feb, today=dt.date(2027, 2, 1))
    assert "T-CP-CIN-3M" in rules_hit(case, on_27_feb, today=dt.date(2027, 2, 1))


# C-CONSENT-DOWN -----------------------------------------------------------------------------


def no_cp(consent: ConsentFact | None) -> CaseFacts:
    return CaseFacts(
        history=(PlanSpell("cin", dt.date(2026, 1, 5)),), lead_professional="GP", consent=consent
    )


def test_consent_down_blocks_without_consent() -> None:
    assert rules_hit(no_cp(None), STEP_DOWN) == {"C-CONSENT-DOWN": "block"}


def test_consent_down_accepts_signed_consent_today() -> None:
    assert rules_hit(no_cp(ConsentFact("signed", TODAY)), STEP_DOWN) == {}


def test_consent_down_refuses_consent_dated_the_day_after() -> None:
    hit = evaluate(
        no_cp(ConsentFact("signed", TODAY + dt.timedelta(days=1))), STEP_DOWN, PROFILE, TODAY
    )
    assert [f.rule for f in hit] == ["C-CONSENT-DOWN"]
    assert "24/11/2026" in hit[0].message


def test_consent_down_refuses_verbal_consent() -> None:
    hit = evaluate(no_cp(ConsentFact("verbal", TODAY)), STEP_DOWN, PROFILE, TODAY)
    assert [f.rule for f in hit] == ["C-CONSENT-DOWN"]
    assert "verbal" in hit[0].message


def test_consent_down_declined_points_to_family_declines() -> None:
    hit = evaluate(no_cp(ConsentFact("declined", TODAY)), STEP_DOWN, PROFILE, TODAY)
    assert "C-FAMILY-DECLINES" in hit[0].message


def test_consent_down_ignored_when_the_panel_does_not_agree() -> None:
    refused = Proposal(**{**STEP_DOWN.__dict__, "outcome": "not_agreed"})
    assert rules_hit(no_cp(None), refused) == {}


# C-CONSENT-UP -----------------------------------------------------------------------------

STEP_UP = Proposal(
    "step_up",
    "cin",
    reasons=("escalating neglect",),
    attachments=("evidence_tool", "assessment"),
    review_on=dt.date(2027, 2, 1),
    exit_strategy="Back to early help when the CIN plan ends",
)
EH = (PlanSpell("early_help", dt.date(2026, 6, 1)),)


def test_consent_up_warns_without_consent() -> None:
    assert rules_hit(CaseFacts(history=EH), STEP_UP) == {"C-CONSENT-UP": "warn"}


def test_consent_up_satisfied_by_consent() -> None:
    case = CaseFacts(history=EH, consent=ConsentFact("verbal", TODAY))
    assert rules_hit(case, STEP_UP) == {}


def test_consent_up_satisfied_by_a_recorded_reason_and_manager() -> None:
    proposal = Proposal(
        **{
            **STEP_UP.__dict__,
            "without_consent_reason": "Asking would raise the risk of significant harm",
            "without_consent_manager": "A. Manager",
        }
    )
    assert rules_hit(CaseFacts(history=EH), proposal) == {}


def test_consent_up_reason_without_manager_is_not_enough() -> None:
    proposal = Proposal(**{**STEP_UP.__dict__, "without_consent_reason": "risk"})
    assert "C-CONSENT-UP" in rules_hit(CaseFacts(history=EH), proposal)


# C-NO-ENGAGEMENT ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reason",
    [
        "Family not engaging",
        "Mother has disengaged",
        "lack of engagement",
        "did not engage",
        "Non-engagement with TAF",
    ],
)
def test_no_engagement_is_not_a_reason_to_step_out(reason: str) -> None:
    case = CaseFacts(history=EH)
    proposal = Proposal("step_out", "early_help", reasons=(reason,))
    assert rules_hit(case, proposal) == {"C-NO-ENGAGEMENT": "warn"}


def test_engagement_praised_is_fine() -> None:
    proposal = Proposal("step_out", "early_help", reasons=("Family engaging well",))
    assert rules_hit(CaseFacts(history=EH), proposal) == {}


# C-LEAD-PROFESSIONAL -------------------------------------------------------------------------


def test_lead_professional_from_the_case_satisfies_a_request() -> None:
    case = no_cp(ConsentFact("signed", TODAY))
    assert "C-LEAD-PROFESSIONAL" not in rules_hit(case, STEP_DOWN)


def test_decision_must_name_the_lead_professional() -> None:
    case = no_cp(ConsentFact("signed", TODAY))
    decided = Proposal(
        **{
            **STEP_DOWN.__dict__,
            "outcome": "agreed",
            "lead_professional": "  ",
            "family_informed": ("why", "how_long", "concerns"),
            "receiving_team": "Early Help North Hub",
        }
    )
    assert rules_hit(case, decided) == {"C-LEAD-PROFESSIONAL": "block"}


# C-EVIDENCE --------------------------------------------------------------------------------


def test_step_down_without_plan_warns() -> None:
    case = no_cp(ConsentFact("signed", TODAY))
    bare = Proposal(**{**STEP_DOWN.__dict__, "attachments": ("assessment",)})
    assert rules_hit(case, bare) == {"C-EVIDENCE": "warn"}


def test_step_up_without_evidence_warns() -> None:
    case = CaseFacts(history=EH, consent=ConsentFact("signed", TODAY))
    bare = Proposal(**{**STEP_UP.__dict__, "attachments": ("assessment",)})
    assert rules_hit(case, bare) == {"C-EVIDENCE": "warn"}


# C-REVIEW-EXIT ------------------------------------------------------------------------------


def test_step_up_needs_review_date_and_exit_strategy() -> None:
    case = CaseFacts(history=EH, consent=ConsentFact("signed", TODAY))
    bare = Proposal("step_up", "cin", attachments=("evidence_tool", "assessment"))
    messages = [f.message for f in evaluate(case, bare, PROFILE, TODAY)]
    assert len(messages) == 2
    assert any("review date" in m for m in messages)
    assert any("exit strategy" in m for m in messages)


def test_review_date_on_the_effective_date_is_too_soon() -> None:
    case = CaseFacts(history=EH, consent=ConsentFact("signed", TODAY))
    same_day = Proposal(**{**STEP_UP.__dict__, "effective_on": TODAY, "review_on": TODAY})
    assert rules_hit(case, same_day) == {"C-REVIEW-EXIT": "warn"}


# T-REEMERGE-3M ------------------------------------------------------------------------------


def reemerging(stepped_down_on: dt.date) -> CaseFacts:
    return CaseFacts(
        history=EH,
        consent=ConsentFact("signed", TODAY),
        stepped_down_from_team="Family Safeguarding Team A",
        stepped_down_on=stepped_down_on,
    )


def test_reemergence_on_the_last_day_of_three_months_returns_to_the_team() -> None:
    hit = evaluate(reemerging(dt.date(2026, 8, 23)), STEP_UP, PROFILE, TODAY)
    assert [f.rule for f in hit] == ["T-REEMERGE-3M"]
    assert "Family Safeguarding Team A" in hit[0].message


def test_reemergence_after_three_months_is_a_new_referral() -> None:
    assert rules_hit(reemerging(dt.date(2026, 8, 22)), STEP_UP) == {}


# Engine -------------------------------------------------------------------------------------


def test_blocks_sort_first_and_has_block() -> None:
    case = CaseFacts(history=(PlanSpell("cp", dt.date(2026, 1, 1)),))
    findings = evaluate(case, Proposal("step_down", "early_help"), PROFILE, TODAY)
    severities = [f.severity for f in findings]
    assert severities == sorted(severities, key=["block", "warn", "info"].index)
    assert has_block(findings)


def test_every_finding_cites_its_source() -> None:
    case = CaseFacts(history=(PlanSpell("cp", dt.date(2026, 1, 1)),))
    for finding in evaluate(case, Proposal("step_down", "early_help"), PROFILE, TODAY):
        assert finding.citation
        assert finding.message.endswith(".")
