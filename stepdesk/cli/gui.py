"""``stepdesk`` with no command: sign in, then open the main window (``ui`` imported lazily)."""

from __future__ import annotations

import argparse
from pathlib import Path

import platformdirs

from stepdesk import APP_NAME
from stepdesk.errors import StepDeskError


def default_db_path() -> Path:
    """The user's own database, in the platform's data folder."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "stepdesk.db"


def demo_db_path() -> Path:
    """Where ``stepdesk --demo`` keeps its throwaway demo database."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "demo.db"


def cmd_gui(args: argparse.Namespace) -> int:
    """Sign in, then open the main window on the chosen (or demo) database.

    A new file starts with the first-run dialog that creates the administrator; the demo
    opens with its login and password explained on the sign-in dialog.
    """
    from stepdesk.services import opening

    if args.demo:
        path = demo_db_path()
        opening.make_demo(path, seed=args.seed)
    else:
        target = args.db or str(default_db_path())
        if args.db is None:
            default_db_path().parent.mkdir(parents=True, exist_ok=True)
        found = opening.file_of(target)
        if found is None:
            raise StepDeskError("the app opens a database file; give --db PATH")
        path = found
    from ui.app import start

    return int(start(path, demo=args.demo, lock_minutes=args.lock_after))
