"""``stepdesk check`` and ``stepdesk effect-due``: deadlines and the transfers they make."""

from __future__ import annotations

import argparse
import sys

from stepdesk.cli.common import _acting, _open_workspace
from stepdesk.errors import StepDeskError


def cmd_check(args: argparse.Namespace) -> int:
    """Print every deadline: due, RAG, rule, case, what (tab-separated)."""
    from stepdesk.services.deadlines import all_deadlines

    ws = _open_workspace(args.db)
    for row in all_deadlines(ws, _acting(ws), args.as_of):
        d = row.deadline
        print(f"{d.due:%d/%m/%Y %H:%M}\t{row.rag.value}\t{d.rule}\t{row.case_reference}\t{d.what}")
    return 0


def cmd_effect_due(args: argparse.Namespace) -> int:
    """Effect every agreed movement whose day has come (T-EFFECT-24H), as the signed-in user.

    One line per transfer made (tab-separated: case, request, from, to, team); one line per
    decision that could not be effected on stderr, with why. Exit 0 if every due transfer was
    made, 1 if any was refused.
    """
    from stepdesk.services.transfers import effect_due

    ws = _open_workspace(args.db)
    as_of = args.as_of.date() if args.as_of else None
    if as_of is not None and as_of > ws.today():
        raise StepDeskError(
            f"--as-of {as_of:%d/%m/%Y} is after today: a transfer is made on or after its "
            "effective date, never before"
        )
    result = effect_due(ws, _acting(ws), as_of)
    for done in result.effected:
        print(
            f"{done.case_reference}\t{done.request_id}\t{done.from_plan}\t{done.to_plan}\t"
            f"{done.to_team}"
        )
    for decision_id, why in result.skipped:
        print(f"stepdesk: decision {decision_id} not effected: {why}", file=sys.stderr)
    print(
        f"{len(result.effected)} transfer(s) made, {len(result.skipped)} refused.",
        file=sys.stderr,
    )
    return 1 if result.skipped else 0
