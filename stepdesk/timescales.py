"""Timescales to the working day: bank holidays, working days, calendar months, deadlines.

Conventions (the seeds say "within 48 hours", "5 working days", "3 months"):

- *hours after* an event: the deadline falls at close of business on the day the hours run
  out, moved on to the next working day if that is a weekend or bank holiday;
- *hours before* an event: the exact time, moved back to close of business on the previous
  working day if it falls on a weekend or bank holiday;
- *working days* skip weekends and the bank holidays of the profile's region;
- *months* are calendar months: 3 months from 30 November is the end of February.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass
from enum import StrEnum

import holidays

from stepdesk.profile import Profile, Timescale

_SUBDIVISION = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}


@functools.cache
def _bank_holidays(region: str) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv=_SUBDIVISION[region])


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months later (or earlier), clamped to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


class WorkingCalendar:
    """Weekends and the bank holidays of one region."""

    def __init__(self, region: str = "england-and-wales") -> None:
        self.region = region
        self._holidays = _bank_holidays(region)

    def is_working_day(self, day: dt.date) -> bool:
        """Monday to Friday and not a bank holiday."""
        return day.weekday() < 5 and day not in self._holidays

    def holiday_name(self, day: dt.date) -> str | None:
        """The bank holiday on this day, if any."""
        name = self._holidays.get(day)
        return str(name) if name else None

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The working day ``count`` working days after ``day`` (before, if negative)."""
        step = 1 if count >= 0 else -1
        remaining = abs(count)
        current = day
        while remaining:
            current += dt.timedelta(days=step)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the next one."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def previous_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the one before."""
        while not self.is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count


def due_time(
    timescale: Timescale, anchor: dt.datetime, calendar_: WorkingCalendar, cob: dt.time
) -> dt.datetime:
    """When a timescale falls due, counted from its anchor event (see module docstring)."""
    sign = 1 if timescale.direction == "after" else -1
    amount = timescale.amount
    if timescale.unit == "hours":
        moment = anchor + sign * dt.timedelta(hours=amount)
        if sign > 0:
            return dt.datetime.combine(calendar_.next_working_day(moment.date()), cob)
        if calendar_.is_working_day(moment.date()):
            return moment
        return dt.datetime.combine(calendar_.previous_working_day(moment.date()), cob)
    if timescale.unit == "working_days":
        day = calendar_.add_working_days(anchor.date(), sign * amount)
    elif timescale.unit == "days":
        day = anchor.date() + sign * dt.timedelta(days=amount)
    elif timescale.unit == "weeks":
        day = anchor.date() + sign * dt.timedelta(weeks=amount)
    else:
        day = add_months(anchor.date(), sign * amount)
    return dt.datetime.combine(day, cob)


class Rag(StrEnum):
    """Red / amber / green status of a deadline."""

    DONE = "done"
    ON_TRACK = "on track"
    DUE_SOON = "due soon"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Deadline:
    """A computed deadline that can explain itself."""

    rule: str
    what: str
    due: dt.datetime
    anchor_label: str
    anchor: dt.datetime
    citation: str
    relation: str
    done: bool = False
    # When it was met, where that is known (e.g. the agenda circulated): met late if after due.
    met_at: dt.datetime | None = None

    @property
    def late(self) -> bool:
        """Met, but after it was due."""
        return self.met_at is not None and self.met_at > self.due

    def explain(self) -> str:
        """E.g. ``due 26/11/2026 17:00 — T-HANDOVER: Handover visit arranged …``."""
        text = (
            f"due {self.due:%d/%m/%Y %H:%M} — {self.rule}: {self.what} "
            f"{self.relation} {self.anchor_label} {self.anchor:%d/%m/%Y %H:%M} ({self.citation})"
        )
        if self.met_at is not None:
            text += f"; {'met late' if self.late else 'met'} {self.met_at:%d/%m/%Y %H:%M}"
        return text

    def rag(self, now: dt.datetime, soon: dt.timedelta = dt.timedelta(hours=24)) -> Rag:
        """Done, on track, due soon (within ``soon``) or overdue, as of ``now``."""
        if self.done:
            return Rag.DONE
        if now > self.due:
            return Rag.OVERDUE
        if self.due - now <= soon:
            return Rag.DUE_SOON
        return Rag.ON_TRACK


class Clock:
    """Computes a profile's deadlines from the events they count from."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.calendar = WorkingCalendar(profile.region)

    def deadline(
        self, key: str, anchor: dt.datetime, anchor_label: str, *, done: bool = False
    ) -> Deadline:
        """The deadline of timescale ``key`` counted from ``anchor``."""
        ts = self.profile.timescale(key)
        return Deadline(
            rule=ts.rule,
            what=ts.what,
            due=due_time(ts, anchor, self.calendar, self.profile.close_of_business),
            anchor_label=anchor_label,
            anchor=anchor,
            citation=ts.citation,
            relation=ts.relation(),
            done=done,
        )

    def before_meeting(self, starts_at: dt.datetime) -> list[Deadline]:
        """T-FORM-48H and T-AGENDA-24H for a meeting starting at ``starts_at``."""
        return [
            self.deadline("T-FORM-48H", starts_at, "the meeting on"),
            self.deadline("T-AGENDA-24H", starts_at, "the meeting on"),
        ]

    def after_decision(self, decided_at: dt.datetime) -> list[Deadline]:
        """T-EFFECT-24H and both T-HANDOVER deadlines for a decision made at ``decided_at``."""
        return [
            self.deadline("T-EFFECT-24H", decided_at, "the decision made"),
            self.deadline("T-HANDOVER", decided_at, "the decision made"),
            self.deadline("T-HANDOVER-DONE", decided_at, "the decision made"),
        ]

    def after_meeting(self, ended_at: dt.datetime, *, done: bool = False) -> Deadline:
        """T-MINUTES-48H for a meeting that ended at ``ended_at``."""
        return self.deadline("T-MINUTES-48H", ended_at, "the meeting that ended", done=done)
