"""The monitoring report as a workbook (XlsxWriter) and as CSV.

XLSX: the definitions sheet first, then one sheet a measure: its figures (numerator,
denominator, this period, previous, direction of travel) as real numbers, then the rows
behind each figure with real dates; headers frozen. CSV: every measure's rows in one file,
one line a row, with the measure and indicator it belongs to. Suppressed counts are the text
``<5`` (never the number), and the rows behind a suppressed figure are withheld.
"""

from __future__ import annotations

import csv
import io

import xlsxwriter

from stepdesk.services.monitoring.model import Indicator, MonitoringReport
from stepdesk.services.monitoring.suppression import MARK, is_suppressed

FIGURE_HEADER = [
    "Indicator",
    "Numerator",
    "Denominator",
    "This period",
    "Unit",
    "Previous numerator",
    "Previous denominator",
    "Previous period",
    "Direction of travel",
]
ROW_HEADER = ["Indicator", "Case", "Name", "Team", "Date", "Counted", "Value", "Detail"]
CSV_HEADER = ["Measure", *ROW_HEADER]


def _value(ind: Indicator, previous: bool = False) -> float | str | None:
    suppressed = ind.previous_suppressed if previous else ind.suppressed
    value = ind.previous_value if previous else ind.value
    if suppressed:
        return MARK
    if value is None:
        return None
    return round(value, 1)


def _count(n: int | None) -> int | str | None:
    return MARK if is_suppressed(n) else n


def _unit(ind: Indicator) -> str:
    return "%" if ind.kind == "percent" else (ind.unit or ind.kind)


def _sheet_name(number: int, title: str) -> str:
    name = f"{number} {title}"
    for bad in "[]:*?/\\":
        name = name.replace(bad, " ")
    return name[:31]


def render_xlsx(report: MonitoringReport) -> bytes:
    """The workbook."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True, "bg_color": "#EFEFEF", "text_wrap": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    number = book.add_format({"num_format": "0.0"})
    title = book.add_format({"bold": True, "font_size": 14})

    sheet = book.add_worksheet("Definitions")
    sheet.write(0, 0, f"Step-up / step-down monitoring, {report.period.label}", title)
    sheet.write(1, 0, "OFFICIAL-SENSITIVE")
    info = [
        ("Compared with", report.previous.label),
        ("Team", report.team),
        ("Profile", report.profile),
        ("Generated", f"{report.generated_at:%d/%m/%Y %H:%M} by {report.generated_by}"),
        ("Small numbers", "Counts from 1 to 4 are shown as <5; their rows are withheld."),
        ("Case ids", "case references and names" if report.names_shown else "pseudonymised"),
    ]
    for r, (k, v) in enumerate(info, start=2):
        sheet.write(r, 0, k, bold)
        sheet.write(r, 1, v)
    head = len(info) + 3
    for c, h in enumerate(["Measure", "Definition", "Numerator", "Denominator", "Rule"]):
        sheet.write(head, c, h, bold)
    for r, m in enumerate(report.measures, start=head + 1):
        for c, v in enumerate(
            [f"{m.number}. {m.title}", m.definition, m.numerator, m.denominator, m.rule]
        ):
            sheet.write(r, c, v, wrap)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 80)
    sheet.set_column(2, 4, 30)
    sheet.freeze_panes(head + 1, 0)

    for m in report.measures:
        ws = book.add_worksheet(_sheet_name(m.number, m.title))
        for c, h in enumerate(FIGURE_HEADER):
            ws.write(0, c, h, bold)
        for r, ind in enumerate(m.indicators, start=1):
            cells: list[float | int | str | None] = [
                ind.label,
                _count(ind.numerator),
                _count(ind.denominator),
                _value(ind),
                _unit(ind),
                _count(ind.previous_numerator),
                _count(ind.previous_denominator),
                _value(ind, previous=True),
                ind.travel,
            ]
            for c, cell in enumerate(cells):
                if isinstance(cell, float):
                    ws.write_number(r, c, cell, number)
                elif cell is not None:
                    ws.write(r, c, cell)
        start = len(m.indicators) + 2
        for c, h in enumerate(ROW_HEADER):
            ws.write(start, c, h, bold)
        r = start + 1
        for ind in m.indicators:
            for row in ind.shown_rows:
                ws.write_string(r, 0, ind.label)
                ws.write_string(r, 1, row.case)
                ws.write_string(r, 2, row.name or "")
                ws.write_string(r, 3, row.team)
                if row.day is not None:
                    ws.write_datetime(r, 4, _midnight(row.day), date)
                ws.write_boolean(r, 5, row.counted)
                if row.value is not None:
                    ws.write_number(r, 6, row.value)
                ws.write_string(r, 7, row.detail)
                r += 1
        ws.set_column(0, 0, 46)
        ws.set_column(1, 8, 14)
        ws.set_column(7, 7, 40)
        ws.freeze_panes(1, 1)
    book.close()
    return out.getvalue()


def _midnight(day: object) -> object:
    import datetime as dt

    assert isinstance(day, dt.date)
    return dt.datetime.combine(day, dt.time())


def _safe(text: str) -> str:
    # A spreadsheet runs a cell starting with = + - @ as a formula (CSV injection).
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def render_csv(report: MonitoringReport) -> str:
    """Every measure's rows (withheld behind suppressed figures), UK dates."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for m in report.measures:
        for ind in m.indicators:
            for row in ind.shown_rows:
                writer.writerow(
                    [
                        f"{m.number}. {m.title}",
                        ind.label,
                        row.case,
                        _safe(row.name or ""),
                        row.team,
                        f"{row.day:%d/%m/%Y}" if row.day else "",
                        "yes" if row.counted else "no",
                        "" if row.value is None else f"{row.value:g}",
                        _safe(row.detail),
                    ]
                )
    return out.getvalue()
