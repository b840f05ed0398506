"""The shapes a monitoring report is made of: periods, indicators, measures, their rows."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from stepdesk.services.monitoring.suppression import is_suppressed

PERIOD_KINDS = ("month", "quarter", "year", "custom")


@dataclass(frozen=True)
class Period:
    """A reporting period, first and last day included."""

    start: dt.date
    end: dt.date
    kind: str = "custom"

    @property
    def label(self) -> str:
        """``01/04/2026 to 31/03/2027``."""
        return f"{self.start:%d/%m/%Y} to {self.end:%d/%m/%Y}"

    def previous(self) -> Period:
        """The period of the same kind (or length) just before this one."""
        if self.kind in ("month", "quarter", "year"):
            months = {"month": 1, "quarter": 3, "year": 12}[self.kind]
            start = _add_months(self.start, -months)
            return Period(start, self.start - dt.timedelta(days=1), self.kind)
        length = self.end - self.start
        end = self.start - dt.timedelta(days=1)
        return Period(end - length, end, "custom")

    def months(self) -> list[tuple[dt.date, dt.date]]:
        """The calendar months (clipped to the period) for a trend, oldest first."""
        out: list[tuple[dt.date, dt.date]] = []
        first = self.start
        while first <= self.end:
            last_day = calendar.monthrange(first.year, first.month)[1]
            last = min(dt.date(first.year, first.month, last_day), self.end)
            out.append((first, last))
            first = last + dt.timedelta(days=1)
        return out

    def contains(self, day: dt.date | None) -> bool:
        """Whether ``day`` falls in the period."""
        return day is not None and self.start <= day <= self.end


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_of(kind: str, day: dt.date) -> Period:
    """The month, quarter (calendar) or year (April to March, the council's) holding ``day``."""
    if kind == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return Period(day.replace(day=1), day.replace(day=last), kind)
    if kind == "quarter":
        first_month = 3 * ((day.month - 1) // 3) + 1
        start = dt.date(day.year, first_month, 1)
        return Period(start, _add_months(start, 3) - dt.timedelta(days=1), kind)
    if kind == "year":
        year = day.year if day.month >= 4 else day.year - 1
        return Period(dt.date(year, 4, 1), dt.date(year + 1, 3, 31), kind)
    raise ValueError(kind)


@dataclass(frozen=True)
class Row:
    """One record behind a figure: a case (pseudonymised unless names are allowed)."""

    case_id: int
    case: str  # pseudonym, or the case reference where names are allowed
    name: str | None  # the subject's name, only where the role allows names
    team: str
    day: dt.date | None
    detail: str
    value: float | None = None
    counted: bool = True  # in the numerator (a row of the denominator only when False)


@dataclass(frozen=True)
class Indicator:
    """One figure: numerator over denominator (or a count, or a median), now and before.

    ``value`` is the percentage, the count or the median; ``trend`` holds one value per
    month of the period. ``better`` says which way is good (``higher``, ``lower``, or
    ``None`` where neither is, e.g. a count of requests).
    """

    key: str
    label: str
    kind: str  # count / percent / median / mean
    numerator: int
    denominator: int | None
    value: float | None
    previous_numerator: int
    previous_denominator: int | None
    previous_value: float | None
    trend: list[tuple[dt.date, float | None]] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    better: str | None = None
    unit: str = ""
    group: str = ""

    @property
    def suppressed(self) -> bool:
        """Whether this period's figure hides a count from 1 to 4."""
        return is_suppressed(self.numerator) or is_suppressed(self.denominator)

    @property
    def previous_suppressed(self) -> bool:
        """Whether the previous period's figure hides a count from 1 to 4."""
        return is_suppressed(self.previous_numerator) or is_suppressed(self.previous_denominator)

    @property
    def shown_value(self) -> float | None:
        """The value, or ``None`` where suppressed."""
        return None if self.suppressed else self.value

    @property
    def shown_previous(self) -> float | None:
        """The previous value, or ``None`` where suppressed."""
        return None if self.previous_suppressed else self.previous_value

    @property
    def shown_rows(self) -> list[Row]:
        """The rows, withheld where the figure is suppressed (they would give the count)."""
        return [] if self.suppressed else self.rows

    @property
    def direction(self) -> str:
        """``up``, ``down``, ``no change`` or ``not comparable`` against the previous period."""
        now, before = self.shown_value, self.shown_previous
        if now is None or before is None:
            return "not comparable"
        if abs(now - before) < 1e-9:
            return "no change"
        return "up" if now > before else "down"

    @property
    def travel(self) -> str:
        """Direction of travel in words: ``up (better)``, ``down (worse)``, ``no change``."""
        direction = self.direction
        if direction in ("no change", "not comparable") or self.better is None:
            return direction
        good = (direction == "up") == (self.better == "higher")
        return f"{direction} ({'better' if good else 'worse'})"


@dataclass(frozen=True)
class Measure:
    """One of the seven measure groups: its definition and its indicators."""

    key: str
    number: int
    title: str
    definition: str
    numerator: str
    denominator: str
    rule: str
    indicators: list[Indicator]
    note: str = ""


@dataclass(frozen=True)
class MonitoringReport:
    """The whole report for one period, team and profile."""

    period: Period
    previous: Period
    team: str  # "All teams" or the team's name
    profile: str
    generated_at: dt.datetime
    generated_by: str
    names_shown: bool
    measures: list[Measure]

    def measure(self, key: str) -> Measure:
        """The measure with this key."""
        return next(m for m in self.measures if m.key == key)

    def indicator(self, key: str) -> Indicator:
        """The indicator with this key, in any measure."""
        return next(i for m in self.measures for i in m.indicators if i.key == key)
