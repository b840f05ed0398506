"""Small-number suppression: counts from 1 to 4 are never shown (nor the rows behind them).

A count of 1 to 4 about children, cut by team, age, sex or ethnicity, can identify a child;
the DfE's and NHS England's statistical disclosure practice suppresses them. Zero is shown (it
identifies nobody), and so is every count of 5 or more.
"""

from __future__ import annotations

THRESHOLD = 5
MARK = "<5"


def is_suppressed(count: int | None) -> bool:
    """Whether a count must be hidden: 1 to 4."""
    return count is not None and 0 < count < THRESHOLD


def shown_count(count: int | None) -> str:
    """A count as printed: ``<5`` for 1 to 4, blank for none."""
    if count is None:
        return ""
    return MARK if is_suppressed(count) else str(count)


def shown_value(value: float | None, kind: str, suppressed: bool) -> str:
    """A figure as printed: ``<5`` where suppressed, ``62.5 %``, ``4`` or ``3.5``."""
    if suppressed:
        return MARK
    if value is None:
        return "–"
    if kind == "percent":
        return f"{value:.1f} %"
    if kind == "count":
        return f"{value:.0f}"
    return f"{value:.1f}"
