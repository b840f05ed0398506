"""What every ``stepdesk`` command shares: one-line errors, ids, passwords, opening a database."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from stepdesk import formats
from stepdesk.errors import StepDeskError

if TYPE_CHECKING:
    from stepdesk.services import Actor, Workspace

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one clear line (argparse prints usage too)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


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
    from stepdesk.services.opening import open_for_command

    return open_for_command(db, _password, os.environ.get(USER_VARIABLE), create=create)


def _acting(ws: Workspace) -> Actor:
    """Who a headless command acts as: the signed-in person (the system user on test files)."""
    from stepdesk.services.workspace import SYSTEM

    return ws.user or SYSTEM


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


def _minutes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"minutes must be a whole number, not '{text}'") from None
    if not 1 <= value <= 240:
        raise argparse.ArgumentTypeError(f"lock after 1 to 240 minutes, not {value}")
    return value


def _as_of(text: str) -> dt.datetime:
    day = formats.try_date(text, iso=True)
    if day is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as dd/mm/yyyy")
    # A date means the end of that working day: what is due that day is not yet late.
    return dt.datetime.combine(day, dt.time(17))
