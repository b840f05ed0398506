"""Time the year's monitoring report (issue 18): the measures, the PDF, the XLSX, the CSV.

    .venv/bin/python bench/monitoring.py [--cases N] [--db FILE]

Builds a demo with N cases (the demo builders' ``populate``; ``stepdesk demo --cases N`` is
coming in issue 19) unless ``--db`` names one, then times the year's report (April to
March holding the demo's today) and each output. Prints seconds, one line each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from reports.monitoring import render_monitoring
from reports.monitoring_export import render_csv, render_xlsx
from stepdesk.demo import populate
from stepdesk.persistence.database import open_database
from stepdesk.services import Workspace
from stepdesk.services.monitoring import monitoring_report, period_of
from stepdesk.services.workspace import SYSTEM

TODAY = dt.date(2026, 11, 23)


def main() -> None:
    """Build (or open), then time each step once (the report is one person's one click)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp()) / f"monitoring-{args.cases}.db"
    if not path.exists():
        start = time.perf_counter()
        db = open_database(path, create=True)
        with db.session() as s:
            populate(s, seed=1, today=TODAY, cases=args.cases)
        print(f"build {args.cases} cases: {time.perf_counter() - start:.1f} s ({path})")
    else:
        db = open_database(path)
    ws = Workspace(db, now=lambda: dt.datetime(2026, 11, 23, 9, 0))
    period = period_of("year", TODAY)
    start = time.perf_counter()
    report = monitoring_report(ws, SYSTEM, period)
    print(f"measures ({period.label}): {time.perf_counter() - start:.2f} s")
    for name, render in (
        ("pdf", lambda: render_monitoring(report)),
        ("xlsx", lambda: render_xlsx(report)),
        ("csv", lambda: render_csv(report).encode()),
    ):
        start = time.perf_counter()
        data = render()
        print(f"{name}: {time.perf_counter() - start:.2f} s, {len(data) / 1024:.0f} KiB")
    rows = sum(len(i.shown_rows) for m in report.measures for i in m.indicators)
    print(f"rows behind the figures: {rows}")
    db.close()


if __name__ == "__main__":
    main()
