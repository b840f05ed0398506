"""The base renderer a document subclasses: page furniture, metadata, wrapping."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.styles import StyleSheet1
from reportlab.platypus import Flowable, Paragraph

from reports.base import PdfRenderer, fit_text
from reports.fonts import REGULAR
from reports.text import para
from tests.reports.report_helpers import assert_within_margins, read_pdf


class Sample(PdfRenderer):
    """A document of numbered paragraphs."""

    def __init__(self, paragraphs: int, title: str = "Sample & <test>") -> None:
        self.paragraphs = paragraphs
        self._title = title

    def title(self) -> str:
        return self._title

    def generated_at(self) -> dt.datetime:
        return dt.datetime(2026, 11, 23, 14, 30)

    def story(self, styles: StyleSheet1) -> list[Flowable]:
        return [
            Paragraph(para(f"Paragraph {n}. " + "words " * 60), styles["Body"])
            for n in range(1, self.paragraphs + 1)
        ]


class Letter(Sample):
    """A family letter: not marked."""

    protective_marking = None


def test_every_page_is_marked_numbered_and_titled() -> None:
    pdf = read_pdf(Sample(60).render())
    count = len(pdf.pages)
    assert count > 3
    for number, text in enumerate(pdf.pages, start=1):
        assert text.count("OFFICIAL-SENSITIVE") == 2
        assert f"Page {number} of {count}" in text
        assert "Sample & <test>" in text
        assert "Generated 23/11/2026 14:30" in text
    meta = pdf.reader.metadata
    assert meta is not None
    assert (meta.title, meta.author, meta.subject) == (
        "Sample & <test>",
        "StepDesk",
        "Sample & <test>",
    )


def test_marking_can_be_turned_off() -> None:
    pdf = read_pdf(Letter(5).render())
    assert "OFFICIAL-SENSITIVE" not in pdf.text
    assert "Page 1 of 1" in pdf.text


def test_long_title_is_cut_to_fit_the_footer() -> None:
    title = "A very long title " * 20
    data = Sample(1, title=title).render()
    pdf = read_pdf(data)
    assert pdf.reader.metadata is not None and pdf.reader.metadata.title == title.strip()
    assert "…" in pdf.pages[0]
    assert_within_margins(data, PdfRenderer.margins[1])


def test_fit_text() -> None:
    assert fit_text("short", REGULAR, 8, 100) == "short"
    cut = fit_text("x" * 500, REGULAR, 8, 100)
    assert cut.endswith("…") and 5 < len(cut) < 500
