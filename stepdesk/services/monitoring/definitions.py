"""The written definition of each measure group, printed with it in every output."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Definition:
    """What a measure counts, over what, and the rule it serves."""

    key: str
    number: int
    title: str
    definition: str
    numerator: str
    denominator: str
    rule: str


DEFINITIONS = (
    Definition(
        "activity",
        1,
        "Activity",
        "Requests received (by the day they were created) and decisions made (by the day they "
        "were recorded), by month, movement, outcome and the case's team.",
        "Requests or decisions in the period.",
        "None: these are counts.",
        "M-ANNUAL (002 §7)",
    ),
    Definition(
        "timeliness",
        2,
        "Timeliness",
        "Working days (weekends and the profile region's bank holidays skipped) from a "
        "request's submission to the panel that heard it: median and 75th percentile. For "
        "each clock of the profile after an agreed step up or down, the share met by its due "
        "time (met: the request reached that step, or the decision's actions of that rule were "
        "ticked off); clocks still running are left out. Minutes approved within "
        "T-MINUTES-48H of the meeting's end. The family told: StepDesk records what the family "
        "was told (C-FAMILY-INFORMED), not the day, so the share of decisions recording it is "
        "given. Deadlines overdue now: every open clock past its due time today.",
        "Requests, clocks or panels meeting the condition.",
        "Requests heard, clocks due (or met) and panels finished in the period.",
        "T-FORM-48H, T-EFFECT-24H, T-HANDOVER, T-MINUTES-48H (003)",
    ),
    Definition(
        "stepdowns",
        3,
        "Step-downs that hold",
        "Local measure: a step-down is a move in a case's plan history to a plan of lower "
        "rank; it did not hold if the case moved up again within 3, 6 or 12 calendar months. "
        "Only step-downs whose 3, 6 or 12 months have passed by today are counted. DfE "
        "re-referral measure (Children in Need census): a referral is a start of statutory "
        "work from non-statutory (or a case opened at it); a re-referral is a referral within "
        "12 months of a previous referral of the same case.",
        "Step-downs stepped back up; referrals that are re-referrals.",
        "Step-downs in the period (window elapsed); referrals in the period.",
        "M-OUTCOMES (000); 002 4.3 (step-down prevents re-referral)",
    ),
    Definition(
        "compliance",
        4,
        "Compliance",
        "Of the decisions recorded in the period: step-downs with the family's consent "
        "recorded on or before the decision (C-CONSENT-DOWN); agreed step-downs naming the "
        "Lead Professional (C-LEAD-PROFESSIONAL); agreed step-downs to Early Help whose EHA "
        "action was ticked off within T-EHA-20WD; decisions with a rationale; and the "
        "overrides of a block finding, with their reasons in the rows.",
        "Decisions meeting the condition.",
        "Decisions (of the kind named) in the period.",
        "C-CONSENT-DOWN, C-LEAD-PROFESSIONAL, T-EHA-20WD",
    ),
    Definition(
        "outcomes",
        5,
        "Outcomes at closure",
        "Cases closed in the period, by the plan they closed from; closures whose closure "
        "record states the outcomes (StepDesk records outcomes in words, not a tick per "
        "goal); median days open. Support intensity: cases open at each level at each month "
        "end (the period's figure is the last month end). Planned exits reached: agreed "
        "step-ups whose review date fell in the period (and has passed) and whose case had "
        "stepped down or closed by it: evidence that step-ups end.",
        "Closures with outcomes; step-ups ended by their review date.",
        "Closures in the period; step-ups reviewed in the period.",
        "M-OUTCOMES (000)",
    ),
    Definition(
        "equalities",
        6,
        "Equalities",
        "The people with a request in the period, each counted once, by age band (at the "
        "first request of the period), sex, ethnicity and disability as the Children in Need "
        "census codes them. Counts from 1 to 4 are shown as <5 and their rows withheld.",
        "People in the category.",
        "People with a request in the period.",
        "M-ANNUAL (002 §7)",
    ),
    Definition(
        "throughput",
        7,
        "Panel throughput",
        "Meetings held in the period (started, with business of the team): items a meeting, "
        "items carried forward to another panel, meetings with no decision recorded as not "
        "quorate, meetings started within 10 minutes of their time, agendas circulated within "
        "T-AGENDA-24H.",
        "Items or meetings meeting the condition.",
        "Items or meetings held in the period.",
        "T-AGENDA-24H (003)",
    ),
)
