"""Dates and times as text, in and out: dd/mm/yyyy and the 24-hour HH:MM, one place.

The GUI (:mod:`ui.format`), the PDFs (:mod:`reports.text`) and the command line write and
read dates through these functions, so a date never looks or parses two ways.
"""

from __future__ import annotations

import datetime as dt
import re

from stepdesk.errors import ValidationError

DATE = "%d/%m/%Y"
TIME = "%H:%M"
DATETIME = f"{DATE} {TIME}"
NOT_SET = "—"

_DATE_TEXT = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
_TIME_TEXT = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def date_text(value: dt.date | None, placeholder: str = NOT_SET) -> str:
    """``23/11/2026``, or ``placeholder`` for no date."""
    return value.strftime(DATE) if value is not None else placeholder


def time_text(value: dt.datetime | dt.time | None, placeholder: str = NOT_SET) -> str:
    """``09:30`` (24-hour), or ``placeholder``."""
    return value.strftime(TIME) if value is not None else placeholder


def datetime_text(value: dt.datetime | None, placeholder: str = NOT_SET) -> str:
    """``23/11/2026 09:30``, or ``placeholder``."""
    return value.strftime(DATETIME) if value is not None else placeholder


def try_date(text: str, *, iso: bool = False) -> dt.date | None:
    """The date ``d/m/yyyy`` (or, with ``iso``, ``yyyy-mm-dd``) names, else ``None``."""
    match = _DATE_TEXT.match(text)
    if match is not None:
        day, month, year = (int(g) for g in match.groups())
    elif iso and (match := _ISO_DATE.match(text)) is not None:
        year, month, day = (int(g) for g in match.groups())
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str, field: str = "Date", *, iso: bool = False) -> dt.date:
    """Read a date written dd/mm/yyyy.

    Raises:
        ValidationError: not a date; the message names ``field`` and the way to write it.
    """
    found = try_date(text, iso=iso)
    if found is None:
        raise ValidationError(field, f"'{text.strip()}' is not a date; write it as dd/mm/yyyy.")
    return found


def parse_time(text: str, field: str = "Time") -> dt.time:
    """Read a 24-hour time written HH:MM (``9:30`` and ``09.30`` too).

    Raises:
        ValidationError: not a time; the message names ``field`` and the way to write it.
    """
    match = _TIME_TEXT.match(text)
    if match is not None:
        hour, minute = (int(g) for g in match.groups())
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise ValidationError(field, f"'{text.strip()}' is not a time; write it as HH:MM (24-hour).")
