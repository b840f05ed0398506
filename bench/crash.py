"""Crash test at length: SIGKILL a process recording decisions many times, then check.

    PYTHONPATH=. .venv/bin/python bench/crash.py [--rounds 300] [--seed 1] [--max-delay 1.0]

Builds an encrypted demo in a temporary folder, runs the same worker as
``tests/stepdesk/test_crash.py`` (``tests/crash_worker.py``), kills it ``--rounds`` times at
random moments, then checks every committed decision survived, ``integrity_check`` is ok and
the audit chain holds. Prints kills, commits, decisions checked and the time taken.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from stepdesk.demo import DEMO_PASSWORD, create_demo
from stepdesk.persistence.keystore import KeyStore
from tests.crash_worker import run_rounds
from tests.stepdesk.test_crash import check_after_crashes


def main() -> None:
    """Run the rounds and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-delay", type=float, default=1.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "crash.db"
        create_demo(path, password=DEMO_PASSWORD).close()
        key = KeyStore.load(path).unlock("admin", DEMO_PASSWORD)
        started = time.perf_counter()
        kills, committed = run_rounds(str(path), key, args.rounds, args.seed, args.max_delay)
        took = time.perf_counter() - started
        checked = check_after_crashes(str(path), key, committed)
    print(f"kills: {kills}")
    print(f"commits printed and found: {len(committed)}")
    print(f"decisions checked: {checked}")
    print(f"time: {took:.1f} s ({took / max(kills, 1):.2f} s a round)")


if __name__ == "__main__":
    main()
