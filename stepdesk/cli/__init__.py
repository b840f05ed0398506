"""The ``stepdesk`` command: the GUI with no subcommand, headless subcommands otherwise.

``ui`` and ``reports`` are imported inside the commands that need them, so the core stays
free of Qt and ReportLab and headless commands start fast. This module is the wiring (the
grammar and ``main``); each command group's code is in its own module beside it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from stepdesk import APP_NAME, __version__
from stepdesk.cli.common import EXIT_BAD_INPUT, _as_of, _minutes, _panel_id, _Parser, _record_id
from stepdesk.cli.database import (
    cmd_audit_verify,
    cmd_backup,
    cmd_demo,
    cmd_encrypt,
    cmd_init,
    cmd_restore,
)
from stepdesk.cli.deadlines import cmd_check, cmd_effect_due
from stepdesk.cli.documents import (
    cmd_panels,
    cmd_pdf_agenda,
    cmd_pdf_closure,
    cmd_pdf_escalation,
    cmd_pdf_letter,
    cmd_pdf_minutes,
)
from stepdesk.cli.gui import cmd_gui
from stepdesk.cli.rules import cmd_rules, cmd_rules_check
from stepdesk.errors import StepDeskError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The full command-line grammar."""
    parser = _Parser(
        prog="stepdesk",
        description="Step-up / step-down panels, end to end. With no command: open the app.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--db", metavar="URL_OR_PATH", help="database file or SQLAlchemy URL")
    parser.add_argument("--demo", action="store_true", help="open a fresh demo database")
    parser.add_argument("--seed", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument(
        "--lock-after",
        type=_minutes,
        default=None,
        metavar="MINUTES",
        help="lock the window after this many idle minutes (default 5)",
    )
    parser.set_defaults(func=cmd_gui)
    sub = parser.add_subparsers(title="headless commands", metavar="COMMAND")

    demo = sub.add_parser("demo", help="create a synthetic demo database")
    demo.add_argument("--db", required=True, metavar="PATH", help="new database file")
    demo.add_argument("--seed", type=int, default=1, help="same seed, same data (default 1)")
    demo.add_argument("--replace", action="store_true", help="overwrite an existing file")
    demo.add_argument(
        "--cases", type=int, default=220, metavar="N", help="council size (default 220; any size)"
    )
    demo.set_defaults(func=cmd_demo)

    init = sub.add_parser("init", help="create a new encrypted database and its administrator")
    init.add_argument("--db", required=True, metavar="PATH", help="new database file")
    init.add_argument("--name", required=True, help="the administrator's full name")
    init.add_argument("--login", default="admin", help="the administrator's login (admin)")
    init.add_argument(
        "--recovery-key", dest="recovery", action="store_true", help="print a recovery key once"
    )
    init.set_defaults(func=cmd_init)

    encrypt = sub.add_parser("encrypt", help="encrypt a database made before encryption")
    encrypt.add_argument("--db", required=True, metavar="PATH")
    encrypt.add_argument("--name", required=True, help="the administrator's full name")
    encrypt.add_argument("--login", default="admin", help="the administrator's login (admin)")
    encrypt.add_argument(
        "--recovery-key", dest="recovery", action="store_true", help="print a recovery key once"
    )
    encrypt.set_defaults(func=cmd_encrypt)

    audit = sub.add_parser("audit", help="check the audit trail")
    audit_cmds = audit.add_subparsers(title="audit commands", metavar="ACTION", required=True)
    verify = audit_cmds.add_parser("verify", help="check the hash chain; name the first break")
    verify.add_argument("--db", required=True, metavar="PATH")
    verify.set_defaults(func=cmd_audit_verify)

    backup = sub.add_parser("backup", help="copy the database, still encrypted")
    backup.add_argument("--db", required=True, metavar="PATH")
    backup.add_argument("-o", "--output", required=True, metavar="FILE")
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser("restore", help="replace the database with a checked backup")
    restore.add_argument("backup", metavar="BACKUP", help="the backup file")
    restore.add_argument("--db", required=True, metavar="PATH", help="the database to replace")
    restore.set_defaults(func=cmd_restore)

    panels = sub.add_parser("panels", help="list panels: id, date, type, status")
    panels.add_argument("--db", required=True, metavar="URL_OR_PATH")
    panels.set_defaults(func=cmd_panels)

    pdf = sub.add_parser("pdf", help="write a document as PDF")
    kinds = pdf.add_subparsers(title="documents", metavar="KIND", required=True)
    minutes = kinds.add_parser(
        "minutes", help="a panel's minutes: the approved version, else the DRAFT"
    )
    minutes.add_argument("--db", required=True, metavar="URL_OR_PATH")
    minutes.add_argument("--panel", required=True, type=_panel_id, metavar="ID")
    minutes.add_argument("-o", "--output", required=True, metavar="FILE")
    which = minutes.add_mutually_exclusive_group()
    which.add_argument(
        "--draft", action="store_true", help="the working draft even if a version is approved"
    )
    which.add_argument(
        "--version", type=_record_id("version"), metavar="N", help="an earlier approved version"
    )
    minutes.set_defaults(func=cmd_pdf_minutes)
    documents = [
        ("agenda", "a panel's agenda pack (T-AGENDA-24H)", "--panel", "panel", cmd_pdf_agenda),
        ("letter", "the family letter about a decision", "--decision", "decision", cmd_pdf_letter),
        ("closure", "a case's closure summary", "--case", "case", cmd_pdf_closure),
        (
            "escalation",
            "an escalation summary (T-ESCALATE-24H)",
            "--escalation",
            "escalation",
            cmd_pdf_escalation,
        ),
    ]
    for name, help_text, option, what, func in documents:
        kind = kinds.add_parser(name, help=help_text)
        kind.add_argument("--db", required=True, metavar="URL_OR_PATH")
        kind.add_argument(option, required=True, type=_record_id(what), metavar="ID")
        kind.add_argument("-o", "--output", required=True, metavar="FILE")
        if name == "agenda":
            kind.add_argument(
                "--circulate",
                action="store_true",
                help="record that this pack is sent round now (T-AGENDA-24H; co-ordinator or "
                "chair); without it the pack is a preview and nothing is recorded",
            )
        if name == "letter":
            kind.add_argument(
                "--office-copy",
                action="store_true",
                help="the office copy, with the protective marking (the family copy has none)",
            )
        kind.set_defaults(func=func)

    check_all = sub.add_parser("check", help="list every deadline with its RAG status")
    check_all.add_argument("--db", required=True, metavar="URL_OR_PATH")
    check_all.add_argument("--as-of", type=_as_of, metavar="DATE", help="dd/mm/yyyy (default: now)")
    check_all.set_defaults(func=cmd_check)

    effect = sub.add_parser(
        "effect-due",
        help="make every agreed transfer whose effective date has come (T-EFFECT-24H)",
    )
    effect.add_argument("--db", required=True, metavar="URL_OR_PATH")
    effect.add_argument(
        "--as-of", type=_as_of, metavar="DATE", help="dd/mm/yyyy, today or earlier (default: today)"
    )
    effect.set_defaults(func=cmd_effect_due)

    rules = sub.add_parser("rules", help="list the protocol rules, or check a scenario")
    rules.add_argument("--profile", help="profile name or TOML file (default: default)")
    rules.set_defaults(func=cmd_rules)
    rule_cmds = rules.add_subparsers(title="rule commands", metavar="ACTION")
    check = rule_cmds.add_parser("check", help="print the findings for a scenario as JSON")
    check.add_argument("scenario", metavar="FILE.json", help="scenario (see docs/scenarios.md)")
    check.add_argument(
        "--profile",
        default=argparse.SUPPRESS,
        help="profile name or TOML file (default: the scenario's 'profile', else default)",
    )
    check.set_defaults(func=cmd_rules_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; every user error is one line on stderr and exit code 2."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    for_db = getattr(args, "db", None)
    needs_existing = func not in (cmd_gui, cmd_demo, cmd_init, cmd_restore)
    if needs_existing and for_db and "://" not in for_db and not Path(for_db).exists():
        print(f"stepdesk: error: no database at {for_db}: check the path", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return func(args)
    except StepDeskError as error:
        print(f"stepdesk: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped early: not an error of ours or the user's.
        sys.stderr.close()
        return 0
