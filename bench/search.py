"""How long Ctrl+K search takes on the demo database: ``python bench/search.py``."""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from stepdesk.demo import create_demo
from stepdesk.persistence.database import open_database
from stepdesk.services import Workspace
from stepdesk.services.people import default_actor
from stepdesk.services.search import search_cases


def main() -> None:
    """Time a name, a reference, a date of birth and a miss, 50 times each."""
    path = Path(tempfile.mkdtemp()) / "demo.db"
    create_demo(path, seed=1, today=dt.date(2026, 11, 23)).close()
    ws = Workspace(open_database(path))
    actor = default_actor(ws)
    for query in ["hig", "jamie hig", "C-1003", "14/10/2010", "nobody at all"]:
        times = []
        for _ in range(50):
            started = time.perf_counter()
            hits = search_cases(ws, actor, query)
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"{query!r:18} {len(hits):3} hits  median {statistics.median(times):6.2f} ms  "
            f"max {max(times):6.2f} ms"
        )


if __name__ == "__main__":
    main()
