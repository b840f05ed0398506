"""Nothing lost in a crash: SIGKILL a process recording decisions, again and again.

Every decision id the child printed (it prints only after the commit returned) must be in
the database afterwards with at least that change, ``PRAGMA integrity_check`` must say ok,
and the audit chain must still hold. ``bench/crash.py`` runs more rounds.
"""

from __future__ import annotations

import sys

import pytest
from sqlalchemy import select

from stepdesk.persistence import audit_chain
from stepdesk.persistence.database import open_database
from stepdesk.persistence.keystore import KeyStore
from stepdesk.persistence.models import Decision
from tests.crash_worker import run_rounds
from tests.trust_fixtures import EncryptedDemo

ROUNDS = 50


def check_after_crashes(path: str, key: bytes | None, committed: list[tuple[int, ...]]) -> int:
    """Assert every committed change survived; returns how many decisions were checked."""
    db = open_database(path, create=False, key=key)
    try:
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert audit_chain.verify(connection, key)[1] is None
        latest: dict[int, tuple[int, int]] = {}
        for decision_id, _item, round_number, number in committed:
            latest[decision_id] = max(latest.get(decision_id, (0, 0)), (round_number, number))
        with db.session() as s:
            stored = {
                d.id: (d.agenda_item_id, d.rationale)
                for d in s.scalars(select(Decision).where(Decision.id.in_(list(latest))))
            }
        for decision_id, item_id, _round, _number in committed:
            assert decision_id in stored, f"decision {decision_id} was printed, then lost"
            assert stored[decision_id][0] == item_id
        for decision_id, (round_number, number) in latest.items():
            words = stored[decision_id][1].split()
            assert (int(words[2]), int(words[3].rstrip(":"))) >= (round_number, number), (
                f"decision {decision_id} lost the change of round {round_number}"
            )
        return len(latest)
    finally:
        db.close()


@pytest.mark.skipif(sys.platform == "win32", reason="fork and SIGKILL")
def test_sigkill_at_random_moments_loses_nothing_committed(encrypted_demo: EncryptedDemo) -> None:
    key = KeyStore.load(encrypted_demo.path).unlock("admin", encrypted_demo.password)
    kills, committed = run_rounds(str(encrypted_demo.path), key, ROUNDS, seed=5)
    assert kills == ROUNDS
    assert len(committed) >= ROUNDS  # most rounds commit something before the kill
    checked = check_after_crashes(str(encrypted_demo.path), key, committed)
    assert checked > 0
    print(f"crash test: {kills} kills, {len(committed)} commits, {checked} decisions checked")
