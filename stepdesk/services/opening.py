"""One way to open a database, for the command line, the GUI and the office server.

The steps are always the same: (1) **check it is openable**: a file is encrypted (its key
slots beside it) unless the tests allow plain files; a server URL guards its own data; (2)
**hold it** (one StepDesk per file: :func:`hold`); (3) **unlock and sign in**: the password
unwraps the key of the person's slot and authenticates them (:func:`sign_in`). A new file is
made by :func:`stepdesk.services.accounts.create_database` (the first-run path), the demo by
:func:`make_demo`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from stepdesk.errors import StepDeskError
from stepdesk.persistence import in_use
from stepdesk.persistence.database import database_url, open_database, sqlite_path
from stepdesk.persistence.keystore import KeyStore
from stepdesk.services import accounts
from stepdesk.services.workspace import Actor, Workspace

# Tests only: lets the headless commands open a plain SQLite file (the test fixtures').
PLAINTEXT_VARIABLE = "STEPDESK_ALLOW_PLAINTEXT"

DatabaseInUseError = in_use.DatabaseInUseError
InUse = in_use.InUse


def file_of(db: str | Path) -> Path | None:
    """The SQLite file ``db`` names, or ``None`` for a server URL."""
    return sqlite_path(database_url(db))


def is_encrypted(path: Path) -> bool:
    """Whether ``path`` has its key slots beside it (``NAME.keys``)."""
    return KeyStore.exists_for(path)


def check_openable(path: Path, *, allow_plaintext: bool = False) -> None:
    """Refuse a file StepDesk may not open; a missing file is fine (it is made on first run).

    Raises:
        StepDeskError: the file exists but is not encrypted; the message says the fix.
    """
    if not path.exists() or is_encrypted(path) or allow_plaintext:
        return
    raise StepDeskError(
        f"{path} is not encrypted (no key file {path.name}.keys beside it), and StepDesk "
        "opens only encrypted databases. Put the key file back, or, for a database made "
        f"before encryption, run 'stepdesk encrypt --db {path} --name NAME'."
    )


def hold(path: Path) -> InUse:
    """Hold ``path`` for this StepDesk (restore and a second StepDesk refuse while held).

    Raises:
        DatabaseInUseError: another StepDesk has it open.
        StepDeskError: its folder does not exist or cannot be written.
    """
    return in_use.hold(path)


def sign_in(path: Path, login: str | None, password: str) -> tuple[Workspace, Actor]:
    """Unlock ``path`` with ``password`` and sign in as ``login`` (any slot it opens if none)."""
    if login:
        return accounts.sign_in(path, login, password)
    return accounts.sign_in_any(path, password)


def open_for_command(
    db: str, password: Callable[[], str], login: str | None = None, *, create: bool = False
) -> Workspace:
    """Open ``db`` for a headless command, acting as the person whose password it is.

    ``password`` is asked only when the file is encrypted.

    Raises:
        StepDeskError: no such database, not encrypted, or the password opens no slot.
    """
    path = file_of(db)
    if path is None:  # a server: it guards its own data
        return Workspace(open_database(db, create=create))
    if is_encrypted(path):
        ws, _actor = sign_in(path, login, password())
        return ws
    if path.exists() and os.environ.get(PLAINTEXT_VARIABLE) == "1":
        return Workspace(open_database(path, create=False))
    if path.exists():
        raise StepDeskError(
            f"{path} is not encrypted (no key file beside it), and StepDesk opens only "
            f"encrypted databases. Encrypt it with 'stepdesk encrypt --db {path} --name NAME'"
        )
    raise StepDeskError(f"no database at {path}: create one with 'stepdesk init --db {path}'")


def demo_password() -> str:
    """The documented password of every demo account."""
    from stepdesk.demo import DEMO_PASSWORD

    return DEMO_PASSWORD


def make_demo(path: Path, seed: int = 1) -> None:
    """A fresh encrypted demo database at ``path`` (refused while a StepDesk has it open)."""
    from stepdesk.demo import DEMO_PASSWORD, create_demo

    path.parent.mkdir(parents=True, exist_ok=True)
    with in_use.exclusive(path, "make a new demo over it"):
        create_demo(path, seed=seed, replace=True, password=DEMO_PASSWORD).close()
