"""Working days, bank holidays, calendar months and deadlines."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from stepdesk.profile import load_profile
from stepdesk.timescales import Clock, Rag, WorkingCalendar, add_months

ENG = WorkingCalendar("england-and-wales")
CLOCK = Clock(load_profile())


def test_christmas_and_boxing_day_substitute_are_not_working_days() -> None:
    # 25/12/2026 is a Friday; Boxing Day falls on Saturday, so Monday 28/12 is the holiday.
    assert not ENG.is_working_day(dt.date(2026, 12, 25))
    assert not ENG.is_working_day(dt.date(2026, 12, 28))
    assert ENG.add_working_days(dt.date(2026, 12, 24), 1) == dt.date(2026, 12, 29)


def test_scotland_has_2_january() -> None:
    assert not WorkingCalendar("scotland").is_working_day(dt.date(2026, 1, 2))
    assert ENG.is_working_day(dt.date(2026, 1, 2))


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 11, 30), 3) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 1, 31), -2) == dt.date(2025, 11, 30)


@given(st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)), st.integers(1, 60))
def test_working_days_never_land_on_a_weekend_or_holiday(start: dt.date, n: int) -> None:
    end = ENG.add_working_days(start, n)
    assert ENG.is_working_day(end)
    assert ENG.working_days_between(start, end) == n


@given(st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)), st.integers(0, 40))
def test_working_days_are_monotonic(start: dt.date, n: int) -> None:
    assert ENG.add_working_days(start, n) < ENG.add_working_days(start, n + 1)


def test_handover_deadline_explains_itself() -> None:
    effect, arranged, done = CLOCK.after_decision(dt.datetime(2026, 11, 24, 16, 10))
    assert arranged.explain() == (
        "due 26/11/2026 17:00 — T-HANDOVER: Handover visit arranged within 48 hours of "
        "the decision made 24/11/2026 16:10 (003)"
    )
    assert effect.due == dt.datetime(2026, 11, 25, 17, 0)
    assert done.due == dt.datetime(2026, 12, 1, 17, 0)  # 5 working days
    assert done.rule == "T-HANDOVER"


def test_hours_after_a_friday_decision_roll_to_monday() -> None:
    effect = CLOCK.deadline("T-EFFECT-24H", dt.datetime(2026, 11, 27, 15, 0), "the decision made")
    assert effect.due == dt.datetime(2026, 11, 30, 17, 0)


def test_agenda_deadline_before_a_monday_meeting_is_friday_close_of_business() -> None:
    form, agenda = CLOCK.before_meeting(dt.datetime(2026, 11, 30, 10, 0))
    assert agenda.due == dt.datetime(2026, 11, 27, 17, 0)
    assert form.due == dt.datetime(2026, 11, 27, 17, 0)
    form, agenda = CLOCK.before_meeting(dt.datetime(2026, 11, 26, 10, 0))
    assert agenda.due == dt.datetime(2026, 11, 25, 10, 0)
    assert form.due == dt.datetime(2026, 11, 24, 10, 0)


def test_rag() -> None:
    d = CLOCK.after_meeting(dt.datetime(2026, 11, 23, 12, 0))
    assert d.due == dt.datetime(2026, 11, 25, 17, 0)
    assert d.rag(dt.datetime(2026, 11, 23, 13, 0)) is Rag.ON_TRACK
    assert d.rag(dt.datetime(2026, 11, 25, 9, 0)) is Rag.DUE_SOON
    assert d.rag(dt.datetime(2026, 11, 25, 17, 1)) is Rag.OVERDUE
    assert (
        CLOCK.after_meeting(dt.datetime(2026, 11, 23, 12, 0), done=True).rag(
            dt.datetime(2027, 1, 1)
        )
        is Rag.DONE
    )
