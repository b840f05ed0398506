"""The one way user text reaches a ReportLab ``Paragraph``, and the date formats we print.

``Paragraph`` parses its text as markup: a name typed as ``O'Brien & Sons <b>`` would
otherwise turn bold, print ``&`` wrongly or raise. Every piece of user text goes through
:func:`para`; fixed labels written in this package may use markup directly.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from xml.sax.saxutils import escape

from stepdesk import formats

# Line breaks however they were typed or pasted: CRLF, CR, vertical tab, form feed,
# NEL (U+0085) and the Unicode line and paragraph separators.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# Other C0/C1 controls and DEL draw nothing sensible (ReportLab prints a box or a blank
# glyph). Tabs become spaces; the rest is dropped.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
# Bidirectional embedding, override and isolate controls (and the byte-order mark): ReportLab
# does no bidi layout, so they would only print as boxes, and an unbalanced right-to-left
# override pasted into a name is the "Trojan Source" trick for making text read other than
# it is stored. Dropped; the letters of right-to-left scripts themselves are kept.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# A lone surrogate (pasted from a broken source) cannot be encoded at all: ReportLab
# would raise UnicodeEncodeError while writing the PDF.
_SURROGATES = re.compile("[\ud800-\udfff]")

PLACEHOLDER = "—"


def clean(text: str | None) -> str:
    """User text made printable: NFC, plain newlines for line breaks, no control characters.

    NFC matters because ReportLab does not position combining accents: ``e`` followed by
    U+0301 would print its accent beside the letter, ``é`` prints as typed.
    """
    if not text:
        return ""
    text = _SURROGATES.sub("\ufffd", text)
    text = unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS.sub("\n", text).replace("\t", " ")
    return _BIDI.sub("", _CONTROLS.sub("", text)).strip()


def para(text: str | None, placeholder: str = "") -> str:
    """User text as safe ``Paragraph`` markup: cleaned, escaped, line breaks kept.

    Args:
        text: What the user typed; ``None`` or blank gives ``placeholder``.
        placeholder: Markup to use when there is no text (not escaped: our own words).
    """
    text = clean(text)
    if not text:
        return placeholder
    return escape(text).replace("\n", "<br/>")


def one_line(text: str | None) -> str:
    """User text for a single canvas line (footer, title): cleaned, breaks as spaces."""
    return " ".join(clean(text).split())


def fmt_date(value: dt.date | None, placeholder: str = PLACEHOLDER) -> str:
    """A date as ``dd/mm/yyyy``."""
    return formats.date_text(value, placeholder)


def fmt_time(value: dt.datetime | dt.time | None, placeholder: str = PLACEHOLDER) -> str:
    """A time on the 24-hour clock, ``HH:MM``."""
    return formats.time_text(value, placeholder)


def fmt_datetime(value: dt.datetime | None, placeholder: str = PLACEHOLDER) -> str:
    """A moment as ``dd/mm/yyyy HH:MM``."""
    return formats.datetime_text(value, placeholder)
