"""Time the minutes PDF of one item with the longest notes the services accept (200,000 chars).

    .venv/bin/python bench/pdf_long_notes.py [--repeat N]

One Paragraph with <br/> took about 20 s (ReportLab re-wraps the remainder at each page
break); writing free text line by line brought it under a second. Prints the median.
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
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        pdf = render_minutes(doc)
        times.append(time.perf_counter() - started)
    print(f"notes: {len(notes):,} characters; PDF {len(pdf):,} bytes")
    print(f"median render: {statistics.median(times) * 1000:.0f} ms over {args.repeat} runs")


if __name__ == "__main__":
    main()
