"""The request lifecycle refuses illegal moves and says what must happen first."""

from __future__ import annotations

import pytest

from stepdesk.domain import RequestStatus as S
from stepdesk.domain import Role
from stepdesk.lifecycle import IllegalMoveError, check_move, path_between


def test_the_main_route_is_legal_for_the_right_roles() -> None:
    route = [
        (S.DRAFT, S.SUBMITTED, Role.WORKER),
        (S.SUBMITTED, S.QA_APPROVED, Role.MANAGER),
        (S.QA_APPROVED, S.ON_AGENDA, Role.COORDINATOR),
        (S.ON_AGENDA, S.DECIDED, Role.CHAIR),
        (S.DECIDED, S.EFFECTED, Role.WORKER),
        (S.EFFECTED, S.HANDOVER_ARRANGED, Role.WORKER),
        (S.HANDOVER_ARRANGED, S.HANDOVER_COMPLETED, Role.WORKER),
        (S.HANDOVER_COMPLETED, S.CLOSED, Role.MANAGER),
    ]
    for source, target, role in route:
        assert check_move(source, target, role).target == target


def test_skipping_qa_names_what_must_happen_first() -> None:
    with pytest.raises(IllegalMoveError, match="first QA-approve it"):
        check_move(S.SUBMITTED, S.ON_AGENDA, Role.COORDINATOR)


def test_a_worker_cannot_qa_approve() -> None:
    with pytest.raises(IllegalMoveError, match="worker may not QA-approve it: that needs"):
        check_move(S.SUBMITTED, S.QA_APPROVED, Role.WORKER)


def test_closed_is_the_end() -> None:
    with pytest.raises(IllegalMoveError, match="can only become: nothing"):
        check_move(S.CLOSED, S.DRAFT, Role.MANAGER)


def test_every_status_but_draft_is_reachable_and_every_one_reaches_closed() -> None:
    for status in S:
        if status is not S.DRAFT:
            assert path_between(S.DRAFT, status), status
        if status is not S.CLOSED:
            assert path_between(status, S.CLOSED), status
