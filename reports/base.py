"""The base PDF renderer every StepDesk document subclasses (pretix's pattern).

A document overrides a few steps: :meth:`PdfRenderer.title`, :meth:`PdfRenderer.story`
and, when it needs to, :meth:`PdfRenderer.stylesheet`, :meth:`PdfRenderer.subject`,
:meth:`PdfRenderer.footer_note` or :meth:`PdfRenderer.decorate_page`. :meth:`render` does
the rest: A4, margins, the protective marking at the top and bottom of every page, the
document title, when it was generated and "Page X of Y" in the footer, and PDF metadata.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable
from typing import Any, ClassVar

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    LongTable,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)

from reports import fonts
from reports.text import clean, fmt_date, fmt_datetime, one_line, para
from stepdesk import __version__
from stepdesk.services.views import EpisodeRow

INK = colors.HexColor("#1c1c1c")
MUTED = colors.HexColor("#5a5a5a")
RULE = colors.HexColor("#bdbdbd")
SHADE = colors.HexColor("#efefef")
WATERMARK = colors.HexColor("#b00020")

PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE"

DecorateFn = Callable[[Canvas, int, int], None]


class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints
    """A canvas that holds every page until the end, so each page knows the page count.

    The two-pass recipe from the ReportLab mailing list that pretix uses: ``showPage``
    only remembers the page; ``save`` replays each one, lets ``decorate`` draw the page
    furniture with ``(page, page_count)``, then emits it.
    """

    def __init__(self, *args: Any, decorate: DecorateFn, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict[str, Any]] = []
        self._decorate = decorate

    def showPage(self) -> None:  # noqa: N802  # ReportLab's name
        """Remember the finished page instead of writing it out."""
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        """Decorate and emit every remembered page, then write the file."""
        page_count = len(self._saved_pages)
        for number, state in enumerate(self._saved_pages, start=1):
            self.__dict__.update(state)
            self._decorate(self, number, page_count)
            super().showPage()
        super().save()


def base_stylesheet(family: str, *, body_size: float = 10, body_leading: float = 14) -> StyleSheet1:
    """The shared type scale: one family, a few sizes, generous leading.

    A letter read at home asks for a larger ``body_size`` than minutes read in the office.
    """
    sheet = StyleSheet1()
    body = ParagraphStyle(
        "Body",
        fontName=family,
        fontSize=body_size,
        leading=body_leading,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=4,
        splitLongWords=1,
        allowWidows=0,
        allowOrphans=0,
    )
    sheet.add(body)
    sheet.add(
        ParagraphStyle(
            "Title",
            parent=body,
            fontName=fonts.BOLD,
            fontSize=20,
            leading=25,
            spaceAfter=10,
        )
    )
    sheet.add(
        ParagraphStyle(
            "Heading2",
            parent=body,
            fontName=fonts.BOLD,
            fontSize=13.5,
            leading=18,
            spaceBefore=14,
            spaceAfter=6,
            keepWithNext=1,
        )
    )
    sheet.add(
        ParagraphStyle(
            "Heading3",
            parent=body,
            fontName=fonts.BOLD,
            fontSize=10.5,
            leading=14,
            spaceBefore=9,
            spaceAfter=3,
            keepWithNext=1,
        )
    )
    sheet.add(ParagraphStyle("Muted", parent=body, textColor=MUTED))
    sheet.add(ParagraphStyle("Small", parent=body, fontSize=8.5, leading=11, spaceAfter=0))
    sheet.add(ParagraphStyle("Cell", parent=body, fontSize=9, leading=12, spaceAfter=0))
    # Rule ids such as C-LEAD-PROFESSIONAL: a touch smaller, and if a column is still too
    # narrow they break at their hyphens rather than mid-word.
    sheet.add(
        ParagraphStyle(
            "Code", parent=body, fontSize=8.5, leading=12, spaceAfter=0, embeddedHyphenation=1
        )
    )
    sheet.add(
        ParagraphStyle(
            "CellHead",
            parent=body,
            fontName=fonts.BOLD,
            fontSize=8.5,
            leading=11,
            spaceAfter=0,
            textColor=MUTED,
        )
    )
    # A label in a fixed left column, the value wrapping beside it: the label is drawn as
    # the paragraph's "bullet", so the value can still split across pages.
    sheet.add(
        ParagraphStyle(
            "Field",
            parent=body,
            leftIndent=38 * mm,
            bulletIndent=0,
            bulletFontName=family,
            bulletFontSize=9,
            bulletColor=MUTED,
            spaceAfter=3,
        )
    )
    return sheet


class PdfRenderer:
    """Base class of every StepDesk PDF: subclass, fill in the steps, call :meth:`render`.

    Attributes:
        protective_marking: Printed at the top and bottom of every page; ``None`` turns it
            off (a letter to a family is not marked).
        pagesize: Page size in points.
        margins: Left, right, top and bottom margins in points.
    """

    protective_marking: ClassVar[str | None] = PROTECTIVE_MARKING
    pagesize: ClassVar[tuple[float, float]] = A4
    margins: ClassVar[tuple[float, float, float, float]] = (20 * mm, 20 * mm, 22 * mm, 28 * mm)
    author: ClassVar[str] = "StepDesk"

    # -- steps a document overrides -------------------------------------------------------

    def title(self) -> str:
        """The document title: PDF metadata and the footer."""
        raise NotImplementedError

    def subject(self) -> str:
        """The PDF metadata subject; the title unless a document says more."""
        return self.title()

    def generated_at(self) -> dt.datetime | None:
        """When the content was gathered, for the footer; ``None`` leaves it out."""
        return None

    def footer_note(self) -> str:
        """The second footer line; by default when the document was generated."""
        at = self.generated_at()
        return f"Generated {fmt_datetime(at)}" if at is not None else ""

    def stylesheet(self) -> StyleSheet1:
        """The paragraph styles; extend ``base_stylesheet`` rather than start afresh."""
        return base_stylesheet(fonts.register_fonts())

    def story(self, styles: StyleSheet1) -> list[Flowable]:
        """The flowables that make up the document body."""
        raise NotImplementedError

    def watermark(self) -> str | None:
        """A word printed faintly across every page (``DRAFT``); ``None`` for none."""
        return None

    def decorate_page(self, canvas: Canvas, page: int, page_count: int) -> None:
        """Draw the page furniture: marking top and bottom, title, date, page X of Y."""
        width, height = self.pagesize
        left, right, _top, bottom = self.margins
        family = fonts.register_fonts()
        canvas.saveState()
        mark = self.watermark()
        if mark:
            canvas.saveState()
            canvas.setFillColor(WATERMARK)
            canvas.setFillAlpha(0.13)
            canvas.setFont(fonts.BOLD, 110)
            canvas.translate(width / 2, height / 2)
            canvas.rotate(50)
            canvas.drawCentredString(0, -38, mark)
            canvas.restoreState()
        if self.protective_marking:
            canvas.setFont(fonts.BOLD, 9)
            canvas.setFillColor(INK)
            canvas.drawCentredString(width / 2, height - 12 * mm, self.protective_marking)
            canvas.drawCentredString(width / 2, 8 * mm, self.protective_marking)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        rule_y = bottom - 5 * mm
        canvas.line(left, rule_y, width - right, rule_y)
        canvas.setFont(family, 8)
        canvas.setFillColor(MUTED)
        page_text = f"Page {page} of {page_count}"
        page_width = stringWidth(page_text, family, 8)
        canvas.drawRightString(width - right, rule_y - 4 * mm, page_text)
        room = width - left - right - page_width - 8 * mm
        canvas.drawString(left, rule_y - 4 * mm, fit_text(one_line(self.title()), family, 8, room))
        note = self.footer_note()
        if note:
            canvas.drawString(left, rule_y - 8 * mm, fit_text(one_line(note), family, 8, room))
        canvas.restoreState()

    # -- the fixed part ---------------------------------------------------------------------

    def render(self) -> bytes:
        """The finished PDF."""
        styles = self.stylesheet()
        buffer = io.BytesIO()
        left, right, top, bottom = self.margins
        doc = BaseDocTemplate(
            buffer,
            pagesize=self.pagesize,
            leftMargin=left,
            rightMargin=right,
            topMargin=top,
            bottomMargin=bottom,
            title=one_line(self.title()),
            author=self.author,
            subject=one_line(self.subject()),
            creator=f"StepDesk {__version__}",
            lang="en-GB",
            displayDocTitle=True,
        )
        frame = Frame(
            doc.leftMargin,
            doc.bottomMargin,
            doc.width,
            doc.height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        canvasmaker = functools.partial(NumberedCanvas, decorate=self.decorate_page)
        doc.build(self.story(styles), canvasmaker=canvasmaker)
        return buffer.getvalue()

    # -- helpers for subclasses -------------------------------------------------------------

    def text_block(
        self,
        text: str | None,
        style: ParagraphStyle,
        *,
        label: str | None = None,
        placeholder: str = "",
    ) -> list[Flowable]:
        """Free user text as flowables: one ``Paragraph`` per typed line, escaped.

        One Paragraph per line rather than one with ``<br/>``: ReportLab re-wraps the whole
        remainder of a paragraph at each page break, so 200,000 characters of minute notes
        in one paragraph take tens of seconds; line by line they take well under one.

        Args:
            text: What the user typed.
            style: The paragraph style; lines inside a typed paragraph get no space after.
            label: Drawn as the first line's bullet (the ``Field`` style's label column).
            placeholder: Markup (our words, not escaped) when there is no text.
        """
        lines = clean(text).split("\n")
        if not any(line.strip() for line in lines):
            return [Paragraph(placeholder, style, bulletText=label)] if placeholder else []
        tight = self._tight_style(style)
        out: list[Flowable] = []
        for index, line in enumerate(lines):
            if not line.strip():
                continue
            last_in_block = index + 1 == len(lines) or not lines[index + 1].strip()
            gap_before = index > 0 and not lines[index - 1].strip()
            line_style = style if last_in_block else tight
            if gap_before:
                out.append(Spacer(0, style.leading * 0.5))
            out.append(Paragraph(para(line), line_style, bulletText=None if out else label))
        return out

    def field(self, label: str, value: str, styles: StyleSheet1) -> Paragraph:
        """A label in the left column, ``value`` (markup, already escaped) beside it."""
        return Paragraph(value, styles["Field"], bulletText=label)

    def text_field(
        self, label: str, text: str | None, styles: StyleSheet1, placeholder: str = ""
    ) -> list[Flowable]:
        """Free user text beside a label, line by line so that long text splits cheaply."""
        return self.text_block(text, styles["Field"], label=label, placeholder=placeholder)

    def cells(self, styles: StyleSheet1, *values: str) -> list[Flowable]:
        """One table row of ``Cell`` paragraphs from markup (already escaped)."""
        cell = styles["Cell"]
        return [Paragraph(v, cell) for v in values]

    def history_table(
        self, history: list[EpisodeRow], styles: StyleSheet1, open_end: str
    ) -> LongTable:
        """The level and plan history; ``open_end`` stands in the current stretch's To."""
        rows = [
            self.cells(
                styles,
                fmt_date(h.started_on),
                fmt_date(h.ended_on, open_end),
                para(h.level_name),
                para(h.plan_name),
                para(h.team),
            )
            for h in history
        ]
        return self.table(
            ["From", "To", "Level", "Plan", "Team"], rows, [0.13, 0.13, 0.24, 0.25, 0.25], styles
        )

    def _tight_style(self, style: ParagraphStyle) -> ParagraphStyle:
        """``style`` without space after, made once per renderer (not once per text)."""
        cache: dict[int, ParagraphStyle] = self.__dict__.setdefault("_tight_styles", {})
        tight = cache.get(id(style))
        if tight is None:
            tight = ParagraphStyle(f"{style.name}-line", parent=style, spaceAfter=0)
            cache[id(style)] = tight
        return tight

    @property
    def frame_width(self) -> float:
        """The width flowables can use, in points."""
        left, right, _top, _bottom = self.margins
        return self.pagesize[0] - left - right

    def table(
        self,
        header: list[str],
        rows: list[list[Flowable]],
        widths: list[float],
        styles: StyleSheet1,
    ) -> LongTable:
        """A ruled table whose header repeats on each page and whose rows may split.

        Args:
            header: Column headings (our own words, not escaped).
            rows: Cells, already ``Paragraph`` objects (made with ``reports.text.para``).
            widths: Fractions of the frame width, one per column.
            styles: The stylesheet, for the header cells.
        """
        head = [Paragraph(h, styles["CellHead"]) for h in header]
        table = LongTable(
            [head, *rows],
            colWidths=[w * self.frame_width for w in widths],
            repeatRows=1,
            splitInRow=1,
            hAlign="LEFT",
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 4),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                    ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ]
            )
        )
        return table


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis so that it fits ``width`` points on one line."""
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)  # binary search: titles can be long, stringWidth is not free
    while low < high:
        mid = (low + high + 1) // 2
        if stringWidth(text[:mid].rstrip() + "…", font, size) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…"
