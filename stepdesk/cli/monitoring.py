"""``stepdesk report monitoring``: the monitoring report as PDF, XLSX or CSV (issue 18).

Registered by :func:`add_parser` from ``stepdesk.cli.build_parser``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from stepdesk.errors import StepDeskError

if TYPE_CHECKING:
    from stepdesk.services import Actor, Workspace

FORMATS = (".pdf", ".xlsx", ".csv")


def _date(text: str) -> dt.date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as dd/mm/yyyy")


def add_parser(sub: argparse._SubParsersAction, db_help: str = "URL_OR_PATH") -> None:  # type: ignore[type-arg]
    """Register ``report monitoring`` on the CLI's subcommands."""
    report = sub.add_parser("report", help="write a report (monitoring)")
    kinds = report.add_subparsers(title="reports", metavar="KIND", required=True)
    mon = kinds.add_parser(
        "monitoring",
        help="the monitoring measures for the Quality & Performance sub-group (M-ANNUAL)",
    )
    mon.add_argument("--db", required=True, metavar=db_help)
    mon.add_argument(
        "--from",
        dest="start",
        required=True,
        type=_date,
        metavar="DATE",
        help="first day, dd/mm/yyyy",
    )
    mon.add_argument(
        "--to", dest="end", required=True, type=_date, metavar="DATE", help="last day, dd/mm/yyyy"
    )
    mon.add_argument("--team", metavar="TEAM", help="one team's cases (its name or id)")
    mon.add_argument(
        "--names",
        action="store_true",
        help="case references and names in the rows (managers and chairs)",
    )
    mon.add_argument("-o", "--output", required=True, metavar="FILE.pdf|FILE.xlsx|FILE.csv")
    mon.set_defaults(func=cmd_report_monitoring)


def cmd_report_monitoring(args: argparse.Namespace) -> int:
    """Compute the report and write it in the format the file name asks for."""
    from stepdesk.cli.common import _acting, _open_workspace

    out = Path(args.output)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise StepDeskError(f"-o {args.output}: the file name must end in .pdf, .xlsx or .csv")
    if args.end < args.start:
        raise StepDeskError("--to is before --from: the period must end after it starts")
    ws = _open_workspace(args.db)
    try:
        return _report(args, ws, _acting(ws), out, suffix)
    finally:
        ws.db.close()


def _report(
    args: argparse.Namespace, ws: Workspace, actor: Actor, out: Path, suffix: str
) -> int:
    """Compute the report on an open workspace and write it."""
    from stepdesk.cli.common import _write
    from stepdesk.services.monitoring import Period, monitoring_report, teams

    team_id = None
    if args.team:
        known = teams(ws, actor)
        match = [t for t in known if args.team in (str(t[0]), t[1])]
        if not match:
            names = "; ".join(name for _id, name in known)
            raise StepDeskError(f"--team: no team '{args.team}'; choose one of: {names}")
        team_id = match[0][0]
    report = monitoring_report(ws, actor, Period(args.start, args.end), team_id, names=args.names)
    render: Callable[[], bytes]
    if suffix == ".pdf":
        from reports.monitoring import render_monitoring

        def render() -> bytes:
            return render_monitoring(report)
    elif suffix == ".xlsx":
        from reports.monitoring_export import render_xlsx

        def render() -> bytes:
            return render_xlsx(report)
    else:
        from reports.monitoring_export import render_csv

        def render() -> bytes:
            return render_csv(report).encode("utf-8-sig")

    _write(out, render())
    print(f"Monitoring {report.period.label}, {report.team}: written to {out}.")
    return 0
