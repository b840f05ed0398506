"""The crash test's child: records decisions through the services until it is killed.

Run as ``python -m tests.crash_worker DB`` with the database key (hex) in
``STEPDESK_TEST_KEY`` (empty for a plain file). It is a *zygote*: it imports StepDesk once,
then for every ``go`` line on stdin forks a worker, prints ``pid N``, and waits for it. The
worker opens the database and loops over the agenda items recording a decision on each,
printing ``DECISION_ID ITEM_ID ROUND N`` only after the transaction committed. The test (or
``bench/crash.py``) SIGKILLs the worker at random moments.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def _worker(path: str, key: bytes | None, round_number: int, profile: Any) -> None:
    from sqlalchemy import select

    from stepdesk.errors import StepDeskError
    from stepdesk.persistence.database import open_database
    from stepdesk.persistence.models import AgendaItem
    from stepdesk.services import Workspace
    from stepdesk.services.decisions import record_decision
    from stepdesk.services.people import default_actor
    from stepdesk.services.views import DecisionDraft

    ws = Workspace(open_database(path, create=False, key=key), profile=profile)
    chair = default_actor(ws)
    with ws.db.session() as s:
        items = list(s.scalars(select(AgendaItem.id).order_by(AgendaItem.id)))
    number = 0
    start = (round_number * 7) % max(len(items), 1)  # each round starts somewhere else
    items = items[start:] + items[:start]
    while True:
        for item_id in items:
            number += 1
            draft = DecisionDraft(
                "defer", rationale=f"crash test {round_number} {number}: more information"
            )
            try:
                decision = record_decision(ws, chair, item_id, draft)
            except StepDeskError:
                continue  # e.g. a rule blocks deferring this one: not what is tested
            sys.stdout.write(f"{decision.id} {item_id} {round_number} {number}\n")
            sys.stdout.flush()


def main() -> None:
    """Fork a worker for each ``go`` line; report its pid and, later, that it ended."""
    path = sys.argv[1]
    key_hex = os.environ.get("STEPDESK_TEST_KEY", "")
    key = bytes.fromhex(key_hex) if key_hex else None
    # Warm up once, before forking: imports, the profile, the schema check. Every connection
    # is closed again (SQLite connections must not cross a fork).
    from sqlalchemy import select

    from stepdesk.persistence.database import open_database
    from stepdesk.persistence.models import AgendaItem
    from stepdesk.services import Workspace
    from stepdesk.services.decisions import decision_context
    from stepdesk.services.people import default_actor
    from stepdesk.services.views import DecisionDraft

    warm = Workspace(open_database(path, create=False, key=key))
    chair = default_actor(warm)
    with warm.db.session() as s:
        first = s.scalars(select(AgendaItem.id).order_by(AgendaItem.id)).first()
    if first is not None:  # rules, profile and holidays load lazily on first use
        decision_context(warm, chair, first).evaluate(DecisionDraft("defer", "warm-up"))
    warm.db.close()

    for round_number, line in enumerate(sys.stdin, start=1):
        if line.strip() != "go":
            break
        pid = os.fork()
        if pid == 0:
            try:
                _worker(path, key, round_number, warm.profile)
            finally:
                os._exit(0)
        sys.stdout.write(f"pid {pid}\n")
        sys.stdout.flush()
        _, status = os.waitpid(pid, 0)
        sys.stdout.write(f"ended {pid} {status}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()


# The driver, shared by the test and bench/crash.py.
def run_rounds(
    path: str, key: bytes | None, rounds: int, seed: int, max_delay: float = 1.0
) -> tuple[int, list[tuple[int, int, int, int]]]:
    """SIGKILL a worker ``rounds`` times at random moments; returns (kills, committed lines)."""
    import queue
    import random
    import signal
    import subprocess
    import threading
    import time
    from pathlib import Path

    rng = random.Random(seed)
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, STEPDESK_TEST_KEY=key.hex() if key else "", PYTHONPATH=str(root))
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.crash_worker", path],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=root,
    )
    assert child.stdin is not None and child.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    stdout = child.stdout

    def read() -> None:
        with stdout:
            for line in stdout:
                lines.put(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    committed: list[tuple[int, int, int, int]] = []

    def until(prefix: str) -> str:
        while True:
            line = lines.get(timeout=60).strip()
            if line.startswith(prefix):
                return line
            decision, item, round_number, number = (int(p) for p in line.split())
            committed.append((decision, item, round_number, number))

    kills = 0
    try:
        for _ in range(rounds):
            child.stdin.write("go\n")
            child.stdin.flush()
            pid = int(until("pid ").split()[1])
            time.sleep(rng.uniform(0.0, max_delay))
            try:
                os.kill(pid, signal.SIGKILL)
                kills += 1
            except ProcessLookupError:
                pass
            ended = until("ended ")
            if ended.split()[2] not in ("9", str(signal.SIGKILL)):
                raise AssertionError(f"the worker ended by itself: {ended}")
    finally:
        child.stdin.close()
        child.wait(timeout=60)
        reader.join(timeout=10)
    while not lines.empty():
        line = lines.get().strip()
        if line and not line.startswith(("pid", "ended")):
            committed.append(tuple(int(p) for p in line.split()))  # type: ignore[arg-type]
    return kills, committed
