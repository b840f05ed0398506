"""Equalities categories, as the DfE's Children in Need census codes them.

Sex (the census's "gender" item), ethnicity (the DfE's extended codes) and disability (one
main disability; ``NONE`` for none). Age bands are the census's, with adult bands added for
the learning-disability pathway. Codes are stored; names are printed.
"""

from __future__ import annotations

import datetime as dt

NOT_RECORDED = "Not recorded"

SEX = {
    "male": "Male",
    "female": "Female",
    "unknown": "Not known",
    "not_stated": "Not stated",
}

ETHNICITY = {
    "WBRI": "White British",
    "WIRI": "White Irish",
    "WIRT": "Traveller of Irish heritage",
    "WROM": "Gypsy / Roma",
    "WOTH": "Any other White background",
    "MWBC": "White and Black Caribbean",
    "MWBA": "White and Black African",
    "MWAS": "White and Asian",
    "MOTH": "Any other mixed background",
    "AIND": "Indian",
    "APKN": "Pakistani",
    "ABAN": "Bangladeshi",
    "AOTH": "Any other Asian background",
    "BCRB": "Black Caribbean",
    "BAFR": "Black African",
    "BOTH": "Any other Black background",
    "CHNE": "Chinese",
    "OOTH": "Any other ethnic group",
    "REFU": "Refused",
    "NOBT": "Information not yet obtained",
}

DISABILITY = {
    "NONE": "No disability",
    "MOB": "Mobility",
    "HAND": "Hand function",
    "PC": "Personal care",
    "INC": "Incontinence",
    "COMM": "Communication",
    "LD": "Learning",
    "HEAR": "Hearing",
    "VIS": "Vision",
    "BEH": "Behaviour",
    "CON": "Consciousness",
    "AUT": "Autism / Asperger syndrome",
    "DDA": "Other DDA",
}

AGE_BANDS = (
    ("Under 1", 0, 0),
    ("1 to 4", 1, 4),
    ("5 to 9", 5, 9),
    ("10 to 15", 10, 15),
    ("16 to 17", 16, 17),
    ("18 to 24", 18, 24),
    ("25 to 64", 25, 64),
    ("65 and over", 65, 200),
)


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Age in whole years on ``day``."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


def age_band(date_of_birth: dt.date | None, day: dt.date) -> str:
    """The census age band on ``day``; ``Not recorded`` without a date of birth."""
    if date_of_birth is None:
        return NOT_RECORDED
    age = age_on(date_of_birth, day)
    return next((name for name, low, high in AGE_BANDS if low <= age <= high), NOT_RECORDED)


def name_of(codes: dict[str, str], code: str | None) -> str:
    """The printed name of a code; ``Not recorded`` for none."""
    if code is None:
        return NOT_RECORDED
    return codes.get(code, code)
