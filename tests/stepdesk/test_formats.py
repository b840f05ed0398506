"""stepdesk/formats.py: the one dd/mm/yyyy and HH:MM writer and reader (issue 12)."""

from __future__ import annotations

import datetime as dt

import pytest

from stepdesk import formats
from stepdesk.errors import ValidationError


def test_dates_and_times_are_written_uk_style_24_hour() -> None:
    moment = dt.datetime(2026, 11, 3, 9, 5)
    assert formats.date_text(moment.date()) == "03/11/2026"
    assert formats.time_text(moment) == "09:05"
    assert formats.datetime_text(moment) == "03/11/2026 09:05"
    assert formats.date_text(None) == "—" and formats.date_text(None, "") == ""


def test_the_gui_and_the_pdfs_write_dates_the_same_way() -> None:
    from reports.text import fmt_date, fmt_datetime

    moment = dt.datetime(2026, 1, 30, 17, 45)
    assert fmt_date(moment.date()) == formats.date_text(moment.date())
    assert fmt_datetime(moment) == formats.datetime_text(moment)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("03/11/2026", dt.date(2026, 11, 3)),
        ("3/11/2026", dt.date(2026, 11, 3)),
        (" 29/02/2028 ", dt.date(2028, 2, 29)),
    ],
)
def test_dates_are_read_dd_mm_yyyy(text: str, day: dt.date) -> None:
    assert formats.parse_date(text) == day


@pytest.mark.parametrize("text", ["2026-11-03", "31/11/2026", "11/2026", "tomorrow", ""])
def test_a_bad_date_names_the_field_and_the_fix(text: str) -> None:
    with pytest.raises(ValidationError, match=r"Review date.*write it as dd/mm/yyyy"):
        formats.parse_date(text, "Review date")


def test_iso_is_read_only_where_asked() -> None:
    assert formats.try_date("2026-11-03") is None
    assert formats.try_date("2026-11-03", iso=True) == dt.date(2026, 11, 3)


def test_times_are_read_24_hour() -> None:
    assert formats.parse_time("9:30") == dt.time(9, 30)
    assert formats.parse_time("17.05") == dt.time(17, 5)
    with pytest.raises(ValidationError, match=r"Start.*HH:MM"):
        formats.parse_time("25:00", "Start")
