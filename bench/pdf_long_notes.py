"""Time the minutes PDF of one item with the longest notes the services accept (200,000 chars).

    .venv/bin/python bench/pdf_long_notes.py [--repeat N]

One Paragraph with <br/> took about 20 s (ReportLab re-wraps the remainder at each page
break); writing free text line by line brought it under a second. Prints the medians of wall
and CPU time: on a busy machine (the test suite running beside it) wall time can be several
times the CPU time, which is the number to compare between versions.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reports.minutes import render_minutes
from tests.reports.report_helpers import item, minutes


def main() -> None:
    """Render the long-notes minutes ``--repeat`` times and print the median and pages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    notes = "\n".join(["Notes typed during the meeting, line after line."] * 4100)
    doc = minutes([item(1, notes=notes)])
    render_minutes(doc)  # warm up: fonts and caches
    times, cpu = [], []
    for _ in range(args.repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        pdf = render_minutes(doc)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    print(f"notes: {len(notes):,} characters; PDF {len(pdf):,} bytes")
    # Wall time depends on what else the machine runs; CPU time is this render's own work.
    print(
        f"median render: {statistics.median(times) * 1000:.0f} ms wall, "
        f"{statistics.median(cpu) * 1000:.0f} ms CPU over {args.repeat} runs"
    )


if __name__ == "__main__":
    main()
