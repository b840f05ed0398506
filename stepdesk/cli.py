"""The ``stepdesk`` command: the GUI with no subcommand, headless subcommands otherwise.

``ui`` and ``reports`` are imported inside the commands that need them, so the core stays
free of Qt and ReportLab and headless commands start fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import platformdirs

from stepdesk import APP_NAME, __version__
from stepdesk.errors import StepDeskError

if TYPE_CHECKING:
    from stepdesk.services import Actor, Workspace

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one clear line (argparse prints usage too)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def default_db_path() -> Path:
    """The user's own database, in the platform's data folder."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "stepdesk.db"


def demo_db_path() -> Path:
    """Where ``stepdesk --demo`` keeps its throwaway demo database."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "demo.db"


def _record_id(what: str) -> Callable[[str], int]:
    """An argparse type for the id of a ``what`` (panel, decision, case, …)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{what} id must be a whole number, not '{text}'"
            ) from None
        if value < 1:
            raise argparse.ArgumentTypeError(f"{what} id must be 1 or more, not {value}")
        return value

    return parse


_panel_id = _record_id("panel")


PASSWORD_VARIABLE = "STEPDESK_PASSWORD"
USER_VARIABLE = "STEPDESK_USER"
# Tests only: lets the headless commands open a plain SQLite file (the test fixtures').
PLAINTEXT_VARIABLE = "STEPDESK_ALLOW_PLAINTEXT"


def _password(prompt: str = "Password: ") -> str:
    """The password from STEPDESK_PASSWORD (for scripts), else asked for on the terminal."""
    given = os.environ.get(PASSWORD_VARIABLE)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise StepDeskError(
            f"this database is encrypted: set {PASSWORD_VARIABLE} (and {USER_VARIABLE}), "
            "or run the command in a terminal to be asked"
        )
    return getpass.getpass(prompt)


def _open_workspace(db: str, *, create: bool = False) -> Workspace:
    """Open ``db`` for a headless command: an encrypted file needs a password.

    The command acts as the person whose password it is (``Workspace.user``).
    """
    from stepdesk.persistence.database import database_url, open_database, sqlite_path
    from stepdesk.persistence.keystore import KeyStore
    from stepdesk.services import Workspace
    from stepdesk.services.accounts import sign_in, sign_in_any

    path = sqlite_path(database_url(db))
    if path is None:  # a server: it guards its own data
        return Workspace(open_database(db, create=create))
    if KeyStore.exists_for(path):
        user = os.environ.get(USER_VARIABLE)
        password = _password()
        ws, _actor = sign_in(path, user, password) if user else sign_in_any(path, password)
        return ws
    if path.exists() and os.environ.get(PLAINTEXT_VARIABLE) == "1":
        return Workspace(open_database(path, create=False))
    if path.exists():
        raise StepDeskError(
            f"{path} is not encrypted (no key file beside it), and StepDesk opens only "
            f"encrypted databases. Encrypt it with 'stepdesk encrypt --db {path} --name NAME'"
        )
    raise StepDeskError(f"no database at {path}: create one with 'stepdesk init --db {path}'")


def _acting(ws: Workspace) -> Actor:
    """Who a headless command acts as: the signed-in person (the system user on test files)."""
    from stepdesk.services.workspace import SYSTEM

    return ws.user or SYSTEM


def cmd_gui(args: argparse.Namespace) -> int:
    """Sign in, then open the main window on the chosen (or demo) database.

    A new file starts with the first-run dialog that creates the administrator; the demo
    opens with its login and password explained on the sign-in dialog.
    """
    from stepdesk.persistence.database import database_url, sqlite_path

    if args.demo:
        from stepdesk.demo import DEMO_PASSWORD, create_demo
        from stepdesk.persistence import in_use

        path = demo_db_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with in_use.exclusive(path, "make a new demo over it"):
            create_demo(path, seed=args.seed, replace=True, password=DEMO_PASSWORD).close()
    else:
        target = args.db or str(default_db_path())
        if args.db is None:
            default_db_path().parent.mkdir(parents=True, exist_ok=True)
        found = sqlite_path(database_url(target))
        if found is None:
            raise StepDeskError("the app opens a database file; give --db PATH")
        path = found
    from ui.app import start

    return int(start(path, demo=args.demo, lock_minutes=args.lock_after))


def cmd_demo(args: argparse.Namespace) -> int:
    """Create a synthetic demo database."""
    import contextlib

    from stepdesk.demo import DEMO_PASSWORD, create_demo
    from stepdesk.persistence import in_use

    over = Path(args.db)
    guard = (
        in_use.exclusive(over, "make a new demo over it")
        if args.replace and over.exists()
        else contextlib.nullcontext()
    )
    try:
        with guard:
            db = create_demo(over, seed=args.seed, replace=args.replace, password=DEMO_PASSWORD)
    except FileExistsError as error:
        raise StepDeskError(f"{error} (or add --replace)") from None
    db.close()
    print(
        f"Demo database written to {args.db} (seed {args.seed}), encrypted. Sign in as "
        f"chair, coordinator, manager, worker, admin or auditor with the password {DEMO_PASSWORD}."
    )
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    """Create a new, encrypted database with its administrator (first run, headless)."""
    from stepdesk.services.accounts import create_database

    password = _password("Administrator's password: ")
    if os.environ.get(PASSWORD_VARIABLE) is None and getpass.getpass("Again: ") != password:
        raise StepDeskError("the two passwords differ; nothing was created")
    db, admin, recovery = create_database(
        args.db, name=args.name, username=args.login, password=password, recovery=args.recovery
    )
    db.close()
    print(f"Encrypted database created at {args.db}; {admin.name} signs in as '{args.login}'.")
    print(f"Its key slots are in {args.db}.keys: keep that file with the database.")
    if recovery:
        print("Recovery key (shown once: print it and lock it away; it opens the database):")
        print(f"    {recovery}")
    return 0


def cmd_encrypt(args: argparse.Namespace) -> int:
    """Encrypt a database made before encryption, and give it an administrator."""
    from stepdesk.services.accounts import encrypt_database

    password = _password("New administrator's password: ")
    if os.environ.get(PASSWORD_VARIABLE) is None and getpass.getpass("Again: ") != password:
        raise StepDeskError("the two passwords differ; nothing was changed")
    admin, recovery = encrypt_database(
        args.db, name=args.name, username=args.login, password=password, recovery=args.recovery
    )
    print(f"{args.db} is now encrypted; {admin.name} signs in as '{args.login}'.")
    print("Older copies and backups of it are still unencrypted: delete them.")
    if recovery:
        print("Recovery key (shown once: print it and lock it away; it opens the database):")
        print(f"    {recovery}")
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """Check the audit trail's hash chain; name the first broken row."""
    from stepdesk.services.audit import verify_trail

    ws = _open_workspace(args.db)
    result = verify_trail(ws, _acting(ws))
    ws.db.close()
    if result.broken is not None:
        print(
            f"stepdesk: audit trail broken at row {result.broken.row_id}: "
            f"{result.broken.reason} ({result.checked} rows checked)",
            file=sys.stderr,
        )
        return 1
    rows = "1 row" if result.checked == 1 else f"{result.checked} rows"
    print(f"Audit trail intact: {rows}, each chained to the one before.")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """Copy the database (still encrypted) with SQLite's online backup API."""
    from stepdesk.services.backup import backup

    ws = _open_workspace(args.db)
    done = backup(ws, _acting(ws), Path(args.output))
    ws.db.close()
    print(f"Backup written to {done.path} ({done.rows} rows, integrity ok), with its key file.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Replace the database with a backup, after checking the backup is whole."""
    from stepdesk.persistence import in_use
    from stepdesk.services.backup import restore

    in_use.refuse_if_open(Path(args.db), "restore a backup over it")  # before the password
    user = os.environ.get(USER_VARIABLE)
    password = _password()
    done = restore(Path(args.backup), Path(args.db), user, password)
    print(
        f"Restored {args.db} from {args.backup} ({done.rows} rows, integrity ok). "
        f"The replaced file was kept as {done.previous}."
        if done.previous
        else f"Restored {args.db} from {args.backup} ({done.rows} rows, integrity ok)."
    )
    return 0


def cmd_panels(args: argparse.Namespace) -> int:
    """One line per panel: id, date, type, status (tab-separated)."""
    from stepdesk.services.panels import list_panels

    ws = _open_workspace(args.db)
    for panel in list_panels(ws, _acting(ws)):
        print(f"{panel.id}\t{panel.starts_at:%d/%m/%Y}\t{panel.meeting_name}\t{panel.status}")
    return 0


def cmd_pdf_minutes(args: argparse.Namespace) -> int:
    """Write a panel's minutes: the latest approved version, else the draft (watermarked)."""
    from stepdesk.services.minutes import approved_minutes, minutes_document

    ws = _open_workspace(args.db)
    approved = None if args.draft else approved_minutes(ws, _acting(ws), args.panel, args.version)
    if approved is not None:
        _write(Path(args.output), approved.pdf)
        print(
            f"Minutes of panel {args.panel}, approved version {approved.version} "
            f"(sha256 {approved.sha256[:12]}), written to {args.output}."
        )
        return 0
    from reports.minutes import render_minutes

    pdf = render_minutes(minutes_document(ws, _acting(ws), args.panel))
    _write(Path(args.output), pdf)
    print(f"Minutes of panel {args.panel} (DRAFT, not approved) written to {args.output}.")
    return 0


def cmd_pdf_agenda(args: argparse.Namespace) -> int:
    """Write a panel's agenda pack; with ``--circulate``, record its circulation (T-AGENDA-24H).

    Without ``--circulate`` the pack is a preview and nothing is recorded. With it, the
    checks come first (the role may build agendas, the meeting has not started), so a pack
    saying "circulated" is never written without the circulation being recorded.
    """
    from reports.agenda import render_agenda
    from stepdesk.services.documents import agenda_document, record_agenda_circulated

    ws = _open_workspace(args.db)
    actor = _acting(ws)
    if args.circulate:
        from stepdesk.services.panels import get_panel
        from stepdesk.services.permissions import require

        require(actor, "agenda.edit")
        status = get_panel(ws, actor, args.panel).panel.status
        if status != "planned":
            raise StepDeskError(
                f"panel {args.panel}'s meeting is {status.replace('_', ' ')}: its agenda is "
                "no longer circulated (the minutes are the record now); leave out --circulate "
                "for a copy"
            )
    doc = agenda_document(ws, actor, args.panel, for_circulation=args.circulate)
    _write(Path(args.output), render_agenda(doc))
    if not args.circulate:
        print(
            f"Agenda pack of panel {args.panel} written to {args.output} (a preview: not "
            "recorded as circulated; add --circulate when you send it round)."
        )
        return 0
    circulation = record_agenda_circulated(ws, actor, args.panel, doc.circulated_at)
    again = "" if circulation.first else " (re-circulated: the first circulation counts)"
    print(
        f"Agenda pack of panel {args.panel} written to {args.output}. {circulation.text()}{again}"
    )
    return 0


def cmd_pdf_letter(args: argparse.Namespace) -> int:
    """Write the family letter about a decision (or its marked office copy)."""
    from reports.letter import render_letter
    from stepdesk.services.documents import letter_document

    ws = _open_workspace(args.db)
    doc = letter_document(ws, _acting(ws), args.decision)
    _write(Path(args.output), render_letter(doc, office_copy=args.office_copy))
    copy = "office copy" if args.office_copy else "family copy"
    print(f"Letter about decision {args.decision} ({copy}) written to {args.output}.")
    return 0


def cmd_pdf_closure(args: argparse.Namespace) -> int:
    """Write a case's closure summary."""
    from reports.closure import render_closure
    from stepdesk.services.documents import closure_document

    ws = _open_workspace(args.db)
    _write(Path(args.output), render_closure(closure_document(ws, _acting(ws), args.case)))
    print(f"Closure summary of case {args.case} written to {args.output}.")
    return 0


def cmd_pdf_escalation(args: argparse.Namespace) -> int:
    """Write an escalation summary."""
    from reports.escalation import render_escalation
    from stepdesk.services.documents import escalation_document

    ws = _open_workspace(args.db)
    _write(
        Path(args.output), render_escalation(escalation_document(ws, _acting(ws), args.escalation))
    )
    print(f"Escalation summary {args.escalation} written to {args.output}.")
    return 0


def _minutes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"minutes must be a whole number, not '{text}'") from None
    if not 1 <= value <= 240:
        raise argparse.ArgumentTypeError(f"lock after 1 to 240 minutes, not {value}")
    return value


def _as_of(text: str) -> dt.datetime:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        # A date means the end of that working day: what is due that day is not yet late.
        return day.replace(hour=17)
    raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as dd/mm/yyyy")


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


def cmd_rules(args: argparse.Namespace) -> int:
    """List each rule the profile applies: id, severity, what it checks, citation."""
    from stepdesk.domain import RULE_IDS
    from stepdesk.profile import load_profile
    from stepdesk.rules import RULES

    profile = load_profile(args.profile or "default")
    for rule_id in RULE_IDS:
        setting = profile.rules.get(rule_id)
        if setting is not None and not setting.applies:
            print(f"{rule_id}\tnot applicable\t{setting.reason}\t{setting.citation}")
            continue
        if setting is not None:
            checks = RULES[rule_id].checks if rule_id in RULES else "(not implemented yet)"
            who = " or ".join(profile.override_roles_for(rule_id))
            extra = f" Override: {who}." if setting.severity == "block" else ""
            print(f"{rule_id}\t{setting.severity}\t{checks}{extra}\t{setting.citation}")
        for ts in profile.timescales.values():
            if ts.rule == rule_id:
                what = f"{ts.what}: {ts.relation()} the {ts.anchor.replace('_', ' ')}."
                print(f"{rule_id}\tdeadline\t{what}\t{ts.citation}")
        if setting is None and not profile.applies(rule_id):
            print(f"{rule_id}\tnot configured\t(this profile says nothing about it)\t")
    return 0


def cmd_rules_check(args: argparse.Namespace) -> int:
    """Evaluate a what-if scenario file and print the findings as JSON."""
    import dataclasses
    import json

    from stepdesk.profile import load_profile
    from stepdesk.rules import evaluate
    from stepdesk.rules.scenario import load_scenario, scenario_profile

    path = Path(args.scenario)
    profile = load_profile(args.profile or scenario_profile(path) or "default")
    scenario = load_scenario(path, profile)
    if scenario.region and scenario.region != profile.region:
        profile = dataclasses.replace(profile, region=scenario.region)
    findings = evaluate(scenario.case, scenario.proposal, profile, scenario.today)
    print(json.dumps({"findings": [f.to_dict() for f in findings]}, indent=2, ensure_ascii=False))
    return 0


def _write(path: Path, data: bytes) -> None:
    try:
        # Write beside the target, then rename: a half-written PDF never replaces a good one.
        partial = path.with_name(path.name + ".part")
        partial.write_bytes(data)
        partial.replace(path)
    except OSError as error:
        raise StepDeskError(
            f"Cannot write {path}: {error.strerror}. Choose another file."
        ) from None


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

    from stepdesk.monitoring_cli import add_parser as add_monitoring

    add_monitoring(sub)
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
