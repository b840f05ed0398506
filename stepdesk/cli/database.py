"""Commands that make, encrypt, check, back up and restore a database file."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from stepdesk.cli.common import (
    PASSWORD_VARIABLE,
    USER_VARIABLE,
    _acting,
    _open_workspace,
    _password,
)
from stepdesk.errors import StepDeskError


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
            db = create_demo(
                over, seed=args.seed, replace=args.replace, password=DEMO_PASSWORD, cases=args.cases
            )
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
