"""The monitoring measures on a database with known counts (issue 18; M-ANNUAL 002 §7).

Seed 002 §7: "Reports will be requested by the Quality and Performance sub group of the SSCB
as part of their annual work programme to provide information about the effectiveness of
early help across the partnership."
"""

from __future__ import annotations

import datetime as dt

import pytest

from stepdesk.errors import CancelledError, PermissionDeniedError, ValidationError
from stepdesk.profile import load_profile
from stepdesk.services import Actor, Workspace
from stepdesk.services.monitoring import Period, monitoring_report, period_of
from stepdesk.services.monitoring.facts import pseudonym
from stepdesk.services.monitoring.suppression import is_suppressed, shown_count, shown_value
from tests.stepdesk.monitoring_world import QUARTER, build

MANAGER = Actor(None, "Mo Manager", "manager")
AUDITOR = Actor(None, "Ann Auditor", "auditor")


@pytest.fixture
def world(empty_ws: Workspace) -> Workspace:
    build(empty_ws)
    return empty_ws


def test_every_measure_group_is_there_with_its_definition(world: Workspace) -> None:
    report = monitoring_report(world, MANAGER, QUARTER)
    assert [m.number for m in report.measures] == [1, 2, 3, 4, 5, 6, 7]
    assert all(m.definition and m.numerator and m.denominator for m in report.measures)
    assert report.previous == Period(dt.date(2025, 10, 1), dt.date(2025, 12, 31), "quarter")


def test_numerators_and_denominators(world: Workspace) -> None:
    r = monitoring_report(world, MANAGER, QUARTER)
    got = {
        key: (r.indicator(key).numerator, r.indicator(key).denominator)
        for key in (
            "activity.requests",
            "activity.requests.step_down",
            "activity.decisions",
            "compliance.consent",
            "compliance.lead",
            "compliance.rationale",
            "stepdowns.back_up_3m",
            "stepdowns.back_up_6m",
            "equalities.people",
            "equalities.sex.Female",
            "equalities.sex.Male",
            "throughput.meetings",
            "throughput.quorate",
            "timeliness.T-MINUTES-48H",
        )
    }
    assert got == {
        "activity.requests": (7, None),
        "activity.requests.step_down": (7, None),
        "activity.decisions": (7, None),
        "compliance.consent": (6, 7),
        "compliance.lead": (5, 7),
        "compliance.rationale": (6, 7),
        "stepdowns.back_up_3m": (2, 7),
        "stepdowns.back_up_6m": (2, 7),
        "equalities.people": (7, None),
        "equalities.sex.Female": (5, None),
        "equalities.sex.Male": (2, None),
        "throughput.meetings": (1, None),
        "throughput.quorate": (1, 1),
        "timeliness.T-MINUTES-48H": (1, 1),
    }
    assert r.indicator("compliance.consent").value == pytest.approx(600 / 7)
    # Submitted Monday 02/02, heard Monday 09/02: five working days.
    assert r.indicator("timeliness.to_panel.median").value == 5
    # The previous quarter: three step-up requests of team B.
    assert r.indicator("activity.requests").previous_numerator == 3
    assert r.indicator("activity.requests").direction == "not comparable"  # 3 is suppressed
    assert r.indicator("compliance.rationale").travel == "not comparable"
    # Support intensity at the month ends: the seven stepped down to L3 on 09/02.
    l3, l4 = r.indicator("outcomes.intensity.L3"), r.indicator("outcomes.intensity.L4")
    assert (l3.numerator, l3.previous_numerator, l4.numerator, l4.previous_numerator) == (
        10,
        3,
        0,
        7,
    )
    assert [v for _d, v in l4.trend] == [7.0, 0.0, 0.0]


def test_a_team_filter_counts_only_its_cases(world: Workspace) -> None:
    ids = {name: team for team, name in _teams(world)}
    r = monitoring_report(world, MANAGER, QUARTER, ids["Team B"])
    assert r.team == "Team B"
    assert r.indicator("activity.requests").numerator == 0
    assert r.indicator("activity.requests").previous_numerator == 3


def _teams(ws: Workspace) -> list[tuple[int, str]]:
    from stepdesk.services.monitoring import teams

    return teams(ws, MANAGER)


def test_counts_under_five_are_suppressed_with_their_rows(world: Workspace) -> None:
    assert [is_suppressed(n) for n in (0, 1, 4, 5, None)] == [False, True, True, False, False]
    assert shown_count(3) == "<5" and shown_count(0) == "0" and shown_count(12) == "12"
    r = monitoring_report(world, MANAGER, QUARTER)
    male = r.indicator("equalities.sex.Male")
    assert male.suppressed and male.shown_value is None and male.shown_rows == []
    back = r.indicator("stepdowns.back_up_3m")  # 2 of 7: the numerator is small
    assert back.suppressed and shown_value(back.value, back.kind, back.suppressed) == "<5"
    female = r.indicator("equalities.sex.Female")
    assert not female.suppressed and len(female.shown_rows) == 5


def test_rows_are_pseudonymised_unless_names_are_asked_for_and_allowed(world: Workspace) -> None:
    rows = monitoring_report(world, AUDITOR, QUARTER).indicator("compliance.consent").rows
    assert {r.name for r in rows} == {None}
    assert all(r.case.startswith("P-") and r.case == pseudonym(r.case_id) for r in rows)
    with pytest.raises(PermissionDeniedError, match="names"):
        monitoring_report(world, AUDITOR, QUARTER, names=True)
    named = monitoring_report(world, MANAGER, QUARTER, names=True)
    rows = named.indicator("compliance.consent").rows
    assert {r.case for r in rows} == {f"C-{n:06d}" for n in range(7)}
    assert "Child6 Test" in {r.name for r in rows}
    not_counted = [r for r in rows if not r.counted]
    assert [r.detail for r in not_counted] == ["no consent recorded"]


def test_roles_and_bad_periods_are_refused(world: Workspace) -> None:
    with pytest.raises(PermissionDeniedError):
        monitoring_report(world, Actor(None, "Wendy", "worker"), QUARTER)
    with pytest.raises(ValidationError, match="To"):
        monitoring_report(world, MANAGER, Period(dt.date(2026, 3, 1), dt.date(2026, 2, 1)))


def test_progress_is_reported_and_can_cancel(world: Workspace) -> None:
    seen: list[str] = []

    def progress(done: int, total: int, what: str) -> bool:
        seen.append(what)
        return what != "Compliance"

    with pytest.raises(CancelledError):
        monitoring_report(world, MANAGER, QUARTER, progress=progress)
    assert seen[-1] == "Compliance" and "Timeliness" in seen


def test_periods() -> None:
    day = dt.date(2026, 11, 23)
    assert period_of("month", day) == Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30), "month")
    year = period_of("year", day)
    assert (year.start, year.end) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    assert year.previous().start == dt.date(2025, 4, 1)
    assert len(year.months()) == 12


def test_both_profiles_apply_m_annual_and_m_outcomes() -> None:
    for name in ("default", "learning-disability"):
        profile = load_profile(name)
        assert profile.applies("M-ANNUAL") and profile.applies("M-OUTCOMES"), name


def test_a_worker_records_equalities_and_the_report_counts_them(world: Workspace) -> None:
    from stepdesk.services.equalities import equalities_of, record_equalities

    worker = Actor(None, "Wendy Worker", "worker")
    case_id = monitoring_report(world, MANAGER, QUARTER).indicator("equalities.sex.Male").rows[0]
    with pytest.raises(ValidationError, match="Ethnicity"):
        record_equalities(world, worker, case_id.case_id, "male", "XXXX", None)
    with pytest.raises(PermissionDeniedError):
        record_equalities(world, AUDITOR, case_id.case_id, "female", None, None)
    record_equalities(world, worker, case_id.case_id, "female", "BAFR", "AUT")
    assert equalities_of(world, worker, case_id.case_id).ethnicity == "BAFR"
    r = monitoring_report(world, MANAGER, QUARTER)
    assert r.indicator("equalities.sex.Female").numerator == 6
    assert r.indicator("equalities.ethnicity.Black African").numerator == 1
