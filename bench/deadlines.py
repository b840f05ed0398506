"""Time the statutory clock on the demo database: every deadline, and one case's summary.

    .venv/bin/python bench/deadlines.py [--repeat N]

Prints the medians of ``all_deadlines`` (what ``stepdesk check`` and the Deadlines page ask
for), of one case's deadlines before (the full list, filtered) and after (``case_id`` in the
queries), and of ``case_summary`` (what opening a case from the Deadlines page asks for).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
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
        case_id = rows[0].case_id

        def median_ms(call: Callable[[], object]) -> float:
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                call()
                times.append(time.perf_counter() - start)
            return statistics.median(times) * 1000

        # Before: one case's clocks were the whole list, filtered; after: queries for the case.
        before = median_ms(lambda: [r for r in all_deadlines(ws, SYSTEM) if r.case_id == case_id])
        after = median_ms(lambda: all_deadlines(ws, SYSTEM, case_id=case_id))
        print(
            f"one case's deadlines: before (all, then filtered) median {before:.0f} ms; "
            f"after (case_id in the queries) median {after:.1f} ms"
        )
        print(f"case_summary: median {median_ms(lambda: case_summary(ws, SYSTEM, case_id)):.0f} ms")
        db.close()


if __name__ == "__main__":
    main()
