"""Hypothesis: the request lifecycle's invariants hold for any sequence of attempted moves."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stepdesk import lifecycle
from stepdesk.domain import RequestStatus as S
from stepdesk.domain import Role
from stepdesk.lifecycle import MOVES, IllegalMoveError, check_move, moves_from, path_between

TERMINAL = {S.CLOSED}


def reachable(start: S) -> set[S]:
    seen, todo = {start}, [start]
    while todo:
        for move in moves_from(todo.pop()):
            if move.target not in seen:
                seen.add(move.target)
                todo.append(move.target)
    return seen


def test_every_status_is_reachable_from_draft_and_can_reach_closed() -> None:
    assert reachable(S.DRAFT) == set(S)
    for status in S:
        assert status == S.CLOSED or path_between(status, S.CLOSED) is not None, status


def test_closed_is_the_only_end() -> None:
    assert {s for s in S if not moves_from(s)} == TERMINAL


def test_every_move_names_roles_that_exist() -> None:
    for move in MOVES:
        assert move.roles and move.roles <= set(Role)
        assert move.means


@given(st.lists(st.tuples(st.sampled_from(list(S)), st.sampled_from(list(Role))), max_size=30))
def test_random_attempts_only_ever_take_legal_moves(attempts: list[tuple[S, Role]]) -> None:
    status = S.DRAFT
    for target, role in attempts:
        legal = lifecycle.move_for(status, target)
        try:
            move = check_move(status, target, role)
        except IllegalMoveError as error:
            message = str(error)
            assert status.label.lower() in message or role.label.lower() in message
            if legal is None:
                assert "cannot become" in message
                assert "first" in message or "can only become" in message
            else:
                assert role not in legal.roles
                assert "may not" in message
            continue
        assert move is legal and role in move.roles
        status = move.target
    assert status in reachable(S.DRAFT)


@given(st.sampled_from(list(S)), st.sampled_from(list(S)))
def test_an_illegal_move_names_the_first_step_of_the_shortest_path(source: S, target: S) -> None:
    if lifecycle.move_for(source, target) is not None:
        return
    path = path_between(source, target)
    try:
        check_move(source, target, Role.MANAGER)
    except IllegalMoveError as error:
        if path is not None:
            assert path[0].means in str(error)
    else:
        raise AssertionError("an illegal move was allowed")
