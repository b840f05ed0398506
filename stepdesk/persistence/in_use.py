"""Whether StepDesk has a database file open: an operating-system lock on ``NAME.lock``.

The app takes an exclusive lock on ``NAME.lock`` beside the database (``stepdesk.db.lock``)
when it opens a database and holds it until it exits. What would replace the file under a
running app (``stepdesk restore``, a new demo over an open one) takes the same lock for as
long as it works, and refuses when it cannot. A second StepDesk on the same file is refused
too (see :func:`hold`).

The lock is the operating system's (``flock`` on Linux and macOS, ``LockFileEx`` on Windows,
through the ``filelock`` library): it is released when the process ends, however it ends, so
a crash never leaves a stale lock. The empty ``.lock`` file itself may stay behind; it is
harmless, and deleting it while StepDesk is closed is safe. Headless commands that only
read or add records (``check``, ``pdf``, ``effect-due``, ``backup``) do not take the lock:
SQLite's own locking keeps them safe beside a running app.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import filelock

from stepdesk.errors import DatabaseError

SUFFIX = ".lock"


class DatabaseInUseError(DatabaseError):
    """The database file is open in a running StepDesk."""


def lock_path(db_path: str | Path) -> Path:
    """Where the in-use lock of a database file lives: beside it, ``NAME.lock``."""
    path = Path(db_path)
    return path.with_name(path.name + SUFFIX)


class InUse:
    """The hold a running StepDesk keeps on its database file; :meth:`release` to let go."""

    def __init__(self, db_path: Path, lock: filelock.BaseFileLock) -> None:
        self.db_path = db_path
        self._lock = lock

    @property
    def held(self) -> bool:
        """Whether the lock is still held."""
        return self._lock.is_locked

    def release(self) -> None:
        """Let go of the lock (idempotent)."""
        if self._lock.is_locked:
            self._lock.release(force=True)

    def __enter__(self) -> InUse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _missing_folder(path: Path) -> DatabaseError | None:
    """The error for a database whose folder does not exist (or is a file), else ``None``."""
    folder = path.parent
    if folder.is_dir():
        return None
    what = "is a file, not a folder" if folder.exists() else "does not exist"
    return DatabaseError(
        f"The folder {folder} {what}, so StepDesk cannot open or create {path.name} there. "
        f"Create the folder first (e.g. mkdir -p '{folder}'), or choose another path for "
        "the database with --db PATH."
    )


def _take(db_path: Path, refused: str) -> InUse:
    path = db_path.expanduser().resolve()
    missing = _missing_folder(path)
    if missing is not None:
        raise missing
    lock = filelock.FileLock(str(lock_path(path)), timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise DatabaseInUseError(refused) from None
    except OSError as error:
        raise DatabaseError(
            f"Cannot create the lock file {lock_path(path)}: {error.strerror or error}. "
            "StepDesk needs to write in the database's folder; check it is yours and not "
            "read-only."
        ) from None
    return InUse(path, lock)


def hold(db_path: Path) -> InUse:
    """The app's hold on ``db_path`` while it has it open.

    One StepDesk per database file on a computer: a second one would share the file with
    the first (SQLite would keep the data whole), but each keeps its own unsaved notes, undo
    history and idle lock, and every save in one turns into "changed by someone else" in the
    other. So the second is refused with a message that points at the first.

    Raises:
        DatabaseInUseError: another StepDesk on this computer has the file open.
        DatabaseError: the lock file cannot be created: the folder does not exist (the
            message names it and the fix) or is not writable.
    """
    return _take(
        db_path,
        f"{db_path.name} is already open in StepDesk on this computer (another window, or "
        "another person signed in on it). Switch to that window, or close it first and "
        "then open the database again.",
    )


@contextmanager
def exclusive(db_path: Path, doing: str) -> Iterator[None]:
    """Hold the lock while ``doing`` (e.g. "restore it") replaces the file.

    Raises:
        DatabaseInUseError: StepDesk has the file open; the message says to close it first.
    """
    taken = _take(
        db_path,
        f"Close StepDesk on this database first: {db_path.expanduser().resolve()} is open in "
        f"StepDesk on this computer, and StepDesk cannot {doing} while it is in use. Sign "
        "out (File → Quit) in every window that shows it, then try again. Nothing was "
        "changed.",
    )
    try:
        yield
    finally:
        taken.release()


def refuse_if_open(db_path: Path, doing: str) -> None:
    """Raise now, before asking for anything, if StepDesk has ``db_path`` open.

    Only a first check, for a clear early answer: the work itself holds :func:`exclusive`.
    """
    with exclusive(db_path, doing):
        pass
