"""Fuzzing every path by which user text reaches a PDF: markup, controls, RTL, emoji, long words.

Each example puts STRINGS_PER_DOCUMENT strings into one document (a closure summary: its
title and footer, free-text blocks split line by line, a table of questions and answers),
builds it and reads it back with pypdf. Every string must come back as the one escaping
helper cleaned it, less the characters the shipped font has no glyph for. With the default
EXAMPLES that is 10,000 strings a run; STEPDESK_FUZZ_EXAMPLES changes it.
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from reports import fonts
from reports.closure import ClosurePdf
from reports.text import clean, one_line
from stepdesk.services.document_views import ClosureDocument, QuestionAnswer
from tests.reports.report_helpers import read_pdf

STRINGS_PER_DOCUMENT = 100
EXAMPLES = int(os.environ.get("STEPDESK_FUZZ_EXAMPLES", "100"))

NASTY = [
    "Zoë <b>O'Brien & Sons",
    "</para><para>",
    "<img src=x.png/>",
    '<font color="red">red</font>',
    "&amp; &lt; &#x41; &bogus;",
    "<![CDATA[x]]>",
    "a\x00b\x07c\x1bd\x7fe",
    "\u202eevil txt.exe\u202c",
    "\u2067\u05e9\u05dc\u05d5\u05dd\u2069 and \u0645\u0631\u062d\u0628\u0627",
    "😀 👩‍👩‍👧 🇬🇧 ☺ ✓",
    "Siân Łukasz Nguyễn Ó Súilleabháin",
    "e\u0301 a\u0308 n\u0303",
    "x" * 400,
    "Hyphen-" * 60,
    "\t\r\n\u2028\u2029\x0b\x0c\x85",
    "\ud800 lone surrogate",
    "   ",
    "",
]

_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs",)), min_size=0, max_size=60
) | st.text(  # mostly printable Latin, Greek, Cyrillic, Hebrew, Arabic, Vietnamese
    alphabet=st.sampled_from(
        list("abcxyzABC <>&;'\"/=#0123456789-—\n")
        + list("àéîõüçłśżñßæøåœ")
        + list("αβγδΩЖЩяש ל ו םمرحب")
        + list("ễộướđẫ")
    ),
    max_size=80,
)
strings = st.one_of(
    _text,
    st.sampled_from(NASTY),
    st.builds(lambda w, n: w * n, st.text(min_size=1, max_size=3), st.integers(50, 300)),
)

_IGNORED = {"Zs", "Zl", "Zp", "Cf", "Cc", "Mn", "Me"}


def _font_has() -> set[int]:
    fonts.register_fonts()
    face = pdfmetrics.getFont(fonts.REGULAR).face
    return set(face.charToGlyph)


GLYPHS = _font_has()


def comparable(text: str) -> str:
    """What must read back: printable, with a glyph in the font, whitespace and marks aside.

    Emoji beyond U+FFFF that the font has (😀) count too: ``reports.fonts`` fixes how
    ReportLab maps them back to text.
    """
    return "".join(
        ch
        for ch in text
        if ord(ch) in GLYPHS and unicodedata.category(ch) not in _IGNORED and ch != "\ufffd"
    )


def _rtl(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("R", "AL")


def reads_back(typed: str, body: str) -> bool:
    """``typed`` (cleaned) is in ``body``, allowing for right-to-left reordering.

    ReportLab draws text in the order it is stored; pypdf runs the bidirectional algorithm
    on extraction, moving right-to-left letters and the digits and punctuation beside them.
    So for text with any right-to-left letter, each run of left-to-right letters must read
    back intact and every right-to-left letter must be there.
    """
    want = comparable(typed)
    if "\xad" in typed:
        # A soft hyphen is where ReportLab may break a long word, printing a hyphen there.
        want, body = want.replace("-", ""), body.replace("-", "")
    if want in body:
        return True
    if not any(_rtl(ch) for ch in want):
        return False
    ltr_runs = "".join(ch if unicodedata.bidirectional(ch) == "L" else " " for ch in want)
    return all(run in body for run in ltr_runs.split()) and all(
        ch in body for ch in want if _rtl(ch)
    )


FURNITURE = "FURNITURE-FOLLOWS"


class FuzzClosurePdf(ClosurePdf):
    """The closure summary with a marker before each page's furniture.

    The footer and the repeated table header are drawn between the two halves of a string
    that runs across a page break; the test cuts them out so the halves join again.
    """

    def decorate_page(self, canvas: Canvas, page: int, page_count: int) -> None:
        """Mark where the body ends, then draw the usual furniture."""
        canvas.setFont("Helvetica", 1)
        canvas.drawString(0, 0, FURNITURE)
        super().decorate_page(canvas, page, page_count)


def body_text(pages: list[str]) -> str:
    """The page bodies joined, without the furniture or the repeated table header."""
    joined = "".join(comparable(page.split(FURNITURE)[0]) for page in pages)
    return joined.replace(comparable("Question The family's answer"), "")


def document(texts: list[str]) -> ClosureDocument:
    # Half the strings in free text, half in a table. Only one column of the table holds
    # them: pypdf reads a page line by line, so two wrapped cells side by side would come
    # back interleaved although each is drawn correctly.
    half = len(texts) // 2
    # Each string starts its line with a left-to-right label: pypdf reorders a line that
    # starts with punctuation after a right-to-left line ("<!" reads back as "!<").
    pairs = [QuestionAnswer(f"Q{n}: {text}", "") for n, text in enumerate(texts[half:])]
    return ClosureDocument(
        case_id=1,
        case_reference=texts[0][:20],
        subject_name=texts[1],
        date_of_birth=None,
        team=texts[2],
        level_name="Universal",
        plan_name="Universal services",
        lead_professional=texts[3],
        opened_on=dt.date(2026, 1, 5),
        closed_on=dt.date(2026, 11, 9),
        history=[],
        needs_at_start="\n".join(f"N{n}: {text}" for n, text in enumerate(texts[4:half])),
        work_done=texts[4],
        outcomes=texts[5],
        questionnaire=pairs,
        authorised_by=texts[6],
        authorised_at=dt.datetime(2026, 11, 9, 10, 0),
        decision_outcome=None,
        generated_at=dt.datetime(2026, 11, 23, 9, 0),
        generated_by=texts[7],
    )


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(strings, min_size=STRINGS_PER_DOCUMENT, max_size=STRINGS_PER_DOCUMENT))
def test_any_text_builds_and_reads_back(texts: list[str]) -> None:
    renderer = FuzzClosurePdf(document(texts))
    pdf = read_pdf(renderer.render())
    assert pdf.pages
    body = body_text(pdf.pages)
    # The case reference is cut to 20 characters; the generator's name (texts[7]) is only
    # in the footer, which is cut to fit one line.
    checked = [texts[0][:20], *texts[1:7], *texts[8:]]
    for typed in checked:
        assert reads_back(clean(typed), body), typed
    meta = pdf.reader.metadata
    assert meta is not None and meta.title == one_line(renderer.title())
