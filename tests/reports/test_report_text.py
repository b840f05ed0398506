"""The one helper through which user text reaches a Paragraph, and the date formats."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.platypus import Paragraph

from reports.base import base_stylesheet
from reports.fonts import register_fonts
from reports.text import clean, fmt_date, fmt_datetime, fmt_time, one_line, para

STYLE = base_stylesheet(register_fonts())["Body"]


@pytest.mark.parametrize(
    ("typed", "markup"),
    [
        ("S&P", "S&amp;P"),
        ("Zoë <b>O'Brien & Sons", "Zoë &lt;b&gt;O'Brien &amp; Sons"),
        ("Squat <img src=x.png>", "Squat &lt;img src=x.png&gt;"),
        ("&amp;", "&amp;amp;"),
        ("one\ntwo", "one<br/>two"),
        ("one\r\ntwo\rthree", "one<br/>two<br/>three"),
        ("a\u2028b\u2029c\x0bd\x0ce\x85f", "a<br/>b<br/>c<br/>d<br/>e<br/>f"),
        ("tab\there", "tab here"),
        ("bell\x07 nul\x00 esc\x1b del\x7f c1\x9b", "bell nul esc del c1"),
        ("lone \ud83d surrogate", "lone \ufffd surrogate"),
        ("RLO \u202eevil\u202c ok", "RLO evil ok"),
        ("\u2067isolate\u2069 \u200emark\u200f \ufeffbom", "isolate mark bom"),
        ("שלום & مرحبا", "שלום &amp; مرحبا"),
        ("  padded \n", "padded"),
    ],
)
def test_para_escapes_and_cleans(typed: str, markup: str) -> None:
    assert para(typed) == markup


def test_para_placeholder_only_when_blank() -> None:
    assert para(None, "None given") == "None given"
    assert para("  \n\t ", "None given") == "None given"
    assert para("0", "None given") == "0"


def test_clean_composes_accents() -> None:
    assert clean("Sea\u0301n Nguye\u0302\u0303n") == "Seán Nguyễn"


def test_one_line_collapses_breaks() -> None:
    assert one_line("Minutes:\nCIN\tpanel \x00 ") == "Minutes: CIN panel"


# Plain st.text() rarely spells a tag; mix in the fragments that break naive exports.
MARKUP = ["<b>", "</b>", "<i>", "<br/>", "<img src=x.png>", "<para>", "</para>", "&amp;", "&#65;"]
TYPED = st.lists(st.sampled_from(MARKUP) | st.characters(), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(TYPED)
def test_any_text_parses_and_reads_back(typed: str) -> None:
    # Whatever is typed, ReportLab's parser accepts the markup and keeps every printable
    # character, in order (getPlainText drops <br/>, so compare without whitespace).
    paragraph = Paragraph(para(typed), STYLE)
    assert "".join(paragraph.getPlainText().split()) == "".join(clean(typed).split())


def test_dates_and_times_are_uk() -> None:
    moment = dt.datetime(2026, 3, 4, 17, 5)
    assert fmt_date(moment.date()) == "04/03/2026"
    assert fmt_time(moment) == "17:05"
    assert fmt_time(moment.time()) == "17:05"
    assert fmt_datetime(moment) == "04/03/2026 17:05"
    assert fmt_date(None) == "—"
    assert fmt_date(None, "") == ""
