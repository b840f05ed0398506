"""The monitoring PDF, XLSX and CSV carry the same numbers (read back: pypdf, openpyxl)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from reports.monitoring import render_monitoring
from reports.monitoring_export import render_csv, render_xlsx
from stepdesk.cli import main
from stepdesk.services import Actor, Workspace
from stepdesk.services.monitoring import MonitoringReport, monitoring_report
from tests.stepdesk.monitoring_world import QUARTER, build

MANAGER = Actor(None, "Mo Manager", "manager")


@pytest.fixture
def report(empty_ws: Workspace) -> MonitoringReport:
    build(empty_ws)
    return monitoring_report(empty_ws, MANAGER, QUARTER)


def _pdf_sections(pdf: bytes) -> dict[str, str]:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return {
        m.group(1): m.group(2)
        for m in re.finditer(
            r"\n(\d)\. [^\n]+\nDefinition(.*?)(?=\n\d\. [^\n]+\nDefinition|$)", text, re.S
        )
    }


def _pdf_number(cell: object) -> str:
    if isinstance(cell, float):
        return f"{cell:.1f}"
    return str(cell)


def test_pdf_and_xlsx_give_the_same_figures(report: MonitoringReport) -> None:
    pdf = render_monitoring(report)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "OFFICIAL-SENSITIVE" in text and "Contents" in text
    assert re.search(r"4\. Compliance \.\.\. page \d+", text)
    sections = _pdf_sections(pdf)
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    assert book.sheetnames[0] == "Definitions"
    assert len(book.sheetnames) == 8
    for m in report.measures:
        sheet = book.worksheets[m.number]
        assert sheet.freeze_panes == "B2"
        section = " ".join(sections[str(m.number)].split())
        assert " ".join(m.definition.split())[:60] in section
        for row in sheet.iter_rows(min_row=2, max_row=len(m.indicators) + 1, values_only=True):
            _label, numerator, denominator, value, *_rest = row
            ind = next(i for i in m.indicators if i.label == _label)
            # The XLSX holds numbers; the PDF prints the same, to one decimal place.
            for cell in (numerator, denominator, value):
                if cell is not None:
                    assert _pdf_number(cell) in section, (m.title, _label, cell)
            assert numerator == (ind.numerator if not 0 < ind.numerator < 5 else "<5")
    consent = book.worksheets[4]
    assert [c.value for c in consent[2][:4]] == [
        "Step-downs with consent recorded before the decision",
        6,
        7,
        85.7,
    ]
    # Real dates in the rows.
    dates = [
        r[4] for r in consent.iter_rows(min_row=8, values_only=True) if r[4] not in (None, "Date")
    ]
    assert dates and all(hasattr(d, "year") for d in dates)


def test_suppressed_figures_never_reach_an_output(report: MonitoringReport) -> None:
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    equalities = book.worksheets[6]
    male = next(r for r in equalities.iter_rows(values_only=True) if r[0] == "Sex: Male")
    assert male[1] == "<5" and male[3] == "<5"
    rows = list(csv.reader(io.StringIO(render_csv(report))))
    assert rows[0][:3] == ["Measure", "Indicator", "Case"]
    assert not [r for r in rows if r[1] == "Sex: Male"]  # 2 people: their rows withheld
    assert len([r for r in rows if r[1] == "Sex: Female"]) == 5
    assert not [r for r in rows if r[1] == "Step-downs stepped back up within 3 months"]


def test_the_command_writes_each_format(
    empty_ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build(empty_ws)
    db = empty_ws.db.url.removeprefix("sqlite:///")
    for suffix in ("pdf", "xlsx", "csv"):
        out = tmp_path / f"m.{suffix}"
        args = [
            "report",
            "monitoring",
            "--db",
            db,
            "--from",
            "01/01/2026",
            "--to",
            "31/03/2026",
            "--team",
            "Team A",
            "-o",
            str(out),
        ]
        assert main(args) == 0, capsys.readouterr().err
        assert out.stat().st_size > 100
    assert (
        main(
            [
                "report",
                "monitoring",
                "--db",
                db,
                "--from",
                "01/01/2026",
                "--to",
                "31/03/2026",
                "-o",
                str(tmp_path / "m.doc"),
            ]
        )
        == 2
    )
    assert "must end in .pdf, .xlsx or .csv" in capsys.readouterr().err
    with pytest.raises(SystemExit) as bad_date:
        main(
            [
                "report",
                "monitoring",
                "--db",
                db,
                "--from",
                "31/13/2026",
                "--to",
                "31/03/2026",
                "-o",
                str(tmp_path / "m.csv"),
            ]
        )
    assert bad_date.value.code == 2
    assert "'31/13/2026' is not a date" in capsys.readouterr().err
