"""The monitoring report as a PDF, for the Quality & Performance sub-group (M-ANNUAL, 002 §7).

On the shared base renderer (OFFICIAL-SENSITIVE, page X of Y): a title page with a contents
list, then one section per measure with its definition, numerator, denominator and rule, the
chart (the Monitoring page's own matplotlib figure, as a vector drawing through svglib) and
the table of figures beside the previous period. The rows behind the figures are in the XLSX
and CSV exports (a year of a large council is too many pages to print).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from reportlab.lib.styles import StyleSheet1
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer
from svglib.svglib import svg2rlg

from reports.base import PdfRenderer
from reports.monitoring_charts import figure_svg, measure_figure
from reports.text import para
from stepdesk.services.monitoring.model import Measure, MonitoringReport
from stepdesk.services.monitoring.suppression import shown_count, shown_value

TABLE_HEADER = ["Indicator", "Numerator", "Denominator", "This period", "Previous", "Travel"]


class _Mark(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """An invisible flowable that notes the page it lands on (for the contents page)."""

    def __init__(self, key: str, pages: dict[str, int]) -> None:
        super().__init__()
        self.key, self.pages = key, pages
        self.width = self.height = 0

    def draw(self) -> None:
        self.pages[self.key] = self.canv.getPageNumber()


def measure_drawing(measure: Measure, width: float) -> Any:
    """The measure's chart as a ReportLab drawing, scaled to ``width`` points."""
    drawing = svg2rlg(io.BytesIO(figure_svg(measure_figure(measure))))
    assert drawing is not None  # our own SVG always parses
    scale = width / drawing.width
    drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
    drawing.scale(scale, scale)
    return drawing


class MonitoringPdf(PdfRenderer):
    """The whole report."""

    def __init__(
        self,
        report: MonitoringReport,
        pages: dict[str, int] | None = None,
        drawings: dict[str, Any] | None = None,
    ) -> None:
        self.report = report
        self.pages = pages or {}
        self.seen: dict[str, int] = {}
        self.drawings: dict[str, Any] = {} if drawings is None else drawings

    def title(self) -> str:
        """``Step-up / step-down monitoring, 01/04/2026 to 31/03/2027``."""
        return f"Step-up / step-down monitoring, {self.report.period.label}"

    def generated_at(self) -> dt.datetime:
        """When the figures were computed."""
        return self.report.generated_at

    def footer_note(self) -> str:
        """Generated when and by whom."""
        return f"{super().footer_note()} by {self.report.generated_by}"

    def story(self, styles: StyleSheet1) -> list[Flowable]:
        """Title page with contents, then one section a measure."""
        r = self.report
        out: list[Flowable] = [
            Paragraph("Step-up / step-down monitoring", styles["Title"]),
            self.field("Period", para(r.period.label), styles),
            self.field("Compared with", para(r.previous.label), styles),
            self.field("Team", para(r.team), styles),
            self.field("Profile", para(r.profile), styles),
            self.field(
                "For",
                "The Quality and Performance sub-group: the yearly report of the effectiveness "
                "of step-up / step-down (M-ANNUAL, 002 §7); outcome-focused evaluation and "
                "evidence that step-ups end (M-OUTCOMES, 000).",
                styles,
            ),
            self.field(
                "Small numbers",
                "Counts from 1 to 4 are shown as &lt;5, and so are rates and medians built on "
                "them. Case ids in the exports are "
                + ("case references (names shown)." if r.names_shown else "pseudonymised."),
                styles,
            ),
            Paragraph("Contents", styles["Heading2"]),
        ]
        for m in r.measures:
            page = self.pages.get(m.key)
            where = f" ... page {page}" if page else ""
            out.append(Paragraph(f"{m.number}. {para(m.title)}{where}", styles["Body"]))
        for m in r.measures:
            out += [PageBreak(), _Mark(m.key, self.seen), *self._section(m, styles)]
        return out

    def _drawing(self, m: Measure) -> Any:
        # Made once for both layout passes: the SVG round trip is the slow part.
        if m.key not in self.drawings:
            self.drawings[m.key] = measure_drawing(m, self.frame_width)
        return self.drawings[m.key]

    def _section(self, m: Measure, styles: StyleSheet1) -> list[Flowable]:
        out: list[Flowable] = [
            Paragraph(f"{m.number}. {para(m.title)}", styles["Heading2"]),
            self.field("Definition", para(m.definition), styles),
            self.field("Numerator", para(m.numerator), styles),
            self.field("Denominator", para(m.denominator), styles),
            self.field("Rule", para(m.rule), styles),
            Spacer(0, 4),
            self._drawing(m),
            Spacer(0, 6),
        ]
        rows = [
            self.cells(
                styles,
                para(i.label),
                para(shown_count(i.numerator)),
                para(shown_count(i.denominator)),
                para(shown_value(i.value, i.kind, i.suppressed) + _unit(i.kind, i.unit)),
                para(
                    shown_value(i.previous_value, i.kind, i.previous_suppressed)
                    + _unit(i.kind, i.unit)
                ),
                para(i.travel),
            )
            for i in m.indicators
        ]
        out.append(self.table(TABLE_HEADER, rows, [0.33, 0.13, 0.15, 0.13, 0.12, 0.14], styles))
        return out


def _unit(kind: str, unit: str) -> str:
    return f" {unit}" if kind in ("median", "mean") and unit else ""


def render_monitoring(report: MonitoringReport) -> bytes:
    """The PDF: laid out twice, the second time with the contents' page numbers."""
    drawings: dict[str, Any] = {}
    first = MonitoringPdf(report, drawings=drawings)
    first.render()
    return MonitoringPdf(report, dict(first.seen), drawings).render()
