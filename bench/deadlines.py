"""Time the statutory clock on the demo database: every deadline, and one case's summary.

    .venv/bin/python bench/deadlines.py [--repeat N]

Prints the medians of ``all_deadlines`` (what ``stepdesk check`` and the Deadlines page ask
for) and of ``case_summary`` (what opening a case from the Deadlines page asks for).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from stepdesk.demo import create_demo
from stepdesk.services import Workspace
from stepdesk.services.cases import case_summary
from stepdesk.services.deadlines import all_deadlines
from stepdesk.services.workspace import SYSTEM


def main() -> None:
    """Build a demo, warm up, then time each call ``--repeat`` times."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = create_demo(Path(folder) / "demo.db", seed=1, today=dt.date(2026, 11, 23))
        ws = Workspace(db, now=lambda: dt.datetime(2026, 11, 23, 9, 0))
        rows = all_deadlines(ws, SYSTEM)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            all_deadlines(ws, SYSTEM)
            times.append(time.perf_counter() - start)
        print(
            f"all_deadlines: {len(rows)} deadlines, median {statistics.median(times) * 1000:.0f} ms"
        )
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            case_summary(ws, SYSTEM, rows[0].case_id)
            times.append(time.perf_counter() - start)
        print(f"case_summary: median {statistics.median(times) * 1000:.0f} ms")
        db.close()


if __name__ == "__main__":
    main()
