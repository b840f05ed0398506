"""Backups and restore, through SQLite's online backup API; a backup stays encrypted.

A backup is the database file copied page by page while it is open (SQLCipher copies the
encrypted pages with the same key) plus a copy of its key slots, so the same passwords open
it. Restoring checks the backup first (``PRAGMA integrity_check`` and the row count of every
table, in a copy made beside the target) and only then swaps it in, keeping the replaced
file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3
from sqlalchemy import func, select

from stepdesk.errors import DatabaseError, PermissionDeniedError, StepDeskError
from stepdesk.persistence import in_use
from stepdesk.persistence.database import (
    copy_pages,
    key_pragma,
    open_database,
    refuse_network_share,
    remove_partial,
)
from stepdesk.persistence.keystore import KeyStore, keyfile_for
from stepdesk.persistence.models import AuditEvent, User
from stepdesk.services import audit
from stepdesk.services.permissions import require
from stepdesk.services.workspace import SYSTEM, Actor, Workspace

BACKUP_FOLDER = "backups"
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BackupResult:
    """A finished backup or restore: the file, its total row count, what it replaced."""

    path: Path
    rows: int
    previous: Path | None = None


def _connect(path: Path, key: bytes | None) -> sqlcipher3.dbapi2.Connection:
    connection = sqlcipher3.dbapi2.connect(str(path))
    if key is not None:
        connection.execute(key_pragma(key))
    return connection


def check_file(path: Path, key: bytes | None) -> dict[str, int]:
    """``integrity_check`` and the row count of every table of a database file.

    Raises:
        DatabaseError: the file is damaged, or the key does not open it.
    """
    try:
        connection = _connect(path, key)
        try:
            result = [r[0] for r in connection.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                raise DatabaseError(
                    f"{path.name} is damaged ({'; '.join(result[:3])}). Nothing was replaced."
                )
            tables = [
                r[0]
                for r in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ]
            return {
                t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables
            }
        finally:
            connection.close()
    except sqlcipher3.dbapi2.DatabaseError as error:
        raise DatabaseError(
            f"{path.name} cannot be read as a StepDesk database with this key, or it is "
            f"damaged ({error}). Nothing was replaced."
        ) from None


def backup(
    ws: Workspace, actor: Actor, target: Path, *, audit_failure: bool = True
) -> BackupResult:
    """Copy the open database to ``target`` (and its key slots to ``target.keys``); audited.

    A backup that could not be written is audited too (``backup_failed``, with the reason,
    the file and the folder), unless ``audit_failure`` is false because the caller records
    it itself (the automatic backup after a meeting audits it against the panel).

    The copy and its key slots are written beside the target (``NAME.part`` and
    ``NAME.part.keys``), checked (``integrity_check``), and only then renamed into place, so
    a failure part-way (a full disk, a removed USB stick) leaves no half-written file and
    keeps the previous backup of that name as it was.

    Raises:
        PermissionDeniedError: the actor may not back up.
        DatabaseError: the backup could not be written or failed its check; the message
            names the folder and what to do.
    """
    require(actor, "database.backup")
    if ws.db.path is None:
        raise StepDeskError("A server database is backed up by the server's own tools.")
    target = target.expanduser().resolve()
    if target == ws.db.path.resolve():
        raise StepDeskError("Choose a backup file other than the database itself.")
    if target.is_dir():
        raise StepDeskError(
            f"{target} is a folder: give a file name for the backup, e.g. {target / 'stepdesk.db'}."
        )
    # A database open in a running StepDesk is never written over (it would lose its data).
    doing = "write a backup over it"
    in_app = in_use.lock_path(target).exists()
    if in_app:
        in_use.refuse_if_open(target, doing)
    partial = target.with_name(target.name + ".part")
    partial_keys = keyfile_for(partial)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        copy_pages(ws.db.engine, partial, ws.db.key)
        counts = check_file(partial, ws.db.key)
        if ws.db.key is not None:
            KeyStore.load(ws.db.path).copy_to(partial)
        # Both halves are complete: swap them in (a rename in one folder cannot half-happen).
        with in_use.exclusive(target, doing) if in_app else contextlib.nullcontext():
            os.replace(partial, target)
            if ws.db.key is not None:
                os.replace(partial_keys, keyfile_for(target))
    except in_use.DatabaseInUseError:
        raise
    except (OSError, sqlcipher3.dbapi2.Error, DatabaseError) as error:
        failed = _backup_failed(target, error)
        if audit_failure:
            _audit_failure(ws, actor, target, _reason_and_fix(error)[0], str(failed))
        raise failed from None
    finally:
        remove_partial(partial)
        remove_partial(partial_keys)
    rows = sum(counts.values())
    with ws.db.session() as s:
        audit.record(
            s,
            ws,
            actor,
            "backup",
            "database",
            None,
            file=target.name,
            folder=str(target.parent),
            rows=rows,
        )
    return BackupResult(target, rows)


def _audit_failure(ws: Workspace, actor: Actor, target: Path, reason: str, message: str) -> None:
    """Record a backup that could not be written; never raises.

    The database may be what failed: the user still hears why from the error itself.
    """
    try:
        with ws.db.session() as s:
            audit.record(
                s,
                ws,
                actor,
                "backup_failed",
                "database",
                None,
                file=target.name,
                folder=str(target.parent),
                reason=reason,
                error=message[:500],
            )
    except Exception:
        _log.exception("Could not audit the failed backup to %s", target)


def _reason_and_fix(error: BaseException) -> tuple[str, str]:
    """Why a backup could not be written, and what to do, in plain words."""
    code = error.errno if isinstance(error, OSError) else None
    text = str(error).lower()
    if code in (errno.ENOSPC, errno.EDQUOT) or "disk is full" in text:
        reason, fix = "the disk is full", "Free some space there, or choose another folder"
    elif code in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason, fix = "StepDesk may not write there", "Choose a folder you can write to"
    elif isinstance(error, DatabaseError):
        reason, fix = f"the copy failed its check ({error})", "Try again, or another folder"
    else:
        detail = error.strerror if isinstance(error, OSError) and error.strerror else error
        reason, fix = str(detail).rstrip("."), "Choose another folder"
    return reason, fix


def _backup_failed(target: Path, error: BaseException) -> DatabaseError:
    """The message for a backup that could not be written: where, why, and what to do."""
    reason, fix = _reason_and_fix(error)
    kept = (
        f" The earlier backup {target.name} there is kept as it was."
        if target.exists() and not target.is_dir()
        else ""
    )
    return DatabaseError(
        f"Cannot write the backup {target.name} in {target.parent}: {reason}. {fix}; "
        f"nothing half-written was left there and the database itself is unchanged.{kept}"
    )


def backup_after_meeting(
    ws: Workspace, keep: int = 10, actor: Actor = SYSTEM, *, label: str = "after-meeting"
) -> BackupResult | None:
    """The automatic backup when a meeting is closed, keeping the newest ``keep``.

    It goes into ``backups/`` beside the database; ``None`` for a server database.
    """
    if ws.db.path is None:
        return None
    folder = ws.db.path.parent / BACKUP_FOLDER
    stamp = ws.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{ws.db.path.stem}-{label}-{stamp}.db"
    number = 2
    while target.exists():
        target = folder / f"{ws.db.path.stem}-{label}-{stamp}-{number}.db"
        number += 1
    done = backup(ws, actor, target, audit_failure=False)  # the caller audits a failure
    _prune(folder, f"{ws.db.path.stem}-{label}-", keep)
    return done


def _prune(folder: Path, prefix: str, keep: int) -> None:
    backups = sorted((p for p in folder.glob(f"{prefix}*.db")), key=lambda p: p.stat().st_mtime_ns)
    for old in backups[: max(0, len(backups) - max(keep, 1))]:
        old.unlink(missing_ok=True)
        keyfile_for(old).unlink(missing_ok=True)


def restore(source: Path, target: Path, username: str | None, password: str) -> BackupResult:
    """Replace ``target`` with the backup ``source``, checked before anything is replaced.

    The password (with the login name, or any slot it opens) unwraps the backup's key.
    Steps: check the backup; copy it beside the target with the backup API; check the copy
    has the same row counts and passes ``integrity_check``; keep the old file; swap.

    Raises:
        WrongPasswordError: the password opens no slot of the backup.
        DatabaseInUseError: StepDesk has ``target`` open: close it first.
        DatabaseError: the backup is damaged, or the copy does not match it.
    """
    source, target = source.expanduser().resolve(), target.expanduser().resolve()
    if not source.exists():
        raise StepDeskError(f"No backup at {source}: check the path.")
    refuse_network_share(target)
    key: bytes | None = None
    login = (username or "").strip().lower() or None
    if keyfile_for(source).exists():
        keys = KeyStore.load(source)
        if login:
            key = keys.unlock(login, password)
        else:
            login, key = keys.unlock_any(password)
    elif os.environ.get("STEPDESK_ALLOW_PLAINTEXT") != "1":
        raise StepDeskError(f"{source} has no key file beside it ({source.name}.keys).")
    expected = check_file(source, key)
    _refuse_not_stepdesk(source, expected)
    # A running StepDesk on the target keeps it open: replacing the file under it would lose
    # its next saves (or mix them into the restored file). Hold its lock until done.
    with in_use.exclusive(target, "restore a backup over it"):
        live_key = _restoring_administrator(source, target, key, login, password)
        return _restore_checked(source, target, key, login, expected, live_key)


def _refuse_not_stepdesk(source: Path, rows: dict[str, int]) -> None:
    """Refuse an empty, truncated or foreign file before anything is touched (issue 13 item 4).

    SQLite opens a zero-byte file as an empty database that passes ``integrity_check``; a
    StepDesk backup always holds its schema revision, at least one account and an audit trail.
    """
    if "alembic_version" not in rows or "user_account" not in rows:
        raise DatabaseError(
            f"{source.name} is not a StepDesk backup (it has no StepDesk tables; "
            f"{'it is empty' if not rows else 'another program made it'}). Nothing was "
            "replaced: choose a backup StepDesk wrote (Backups folder, NAME-YYYYMMDD-HHMM.db)."
        )
    if rows["alembic_version"] == 0 or rows["user_account"] == 0:
        raise DatabaseError(
            f"{source.name} holds no accounts or no schema revision, so nobody could sign in "
            "to it. Nothing was replaced: choose another backup."
        )


def _restoring_administrator(
    source: Path, target: Path, key: bytes | None, login: str | None, password: str
) -> bytes | None:
    """Check that an administrator restores (issue 13 item 3); the live database's key.

    Over an existing encrypted database, the login and password must sign in to *it* as an
    administrator: the data a restore rolls back is the live data. With no database there yet,
    the account that unlocked the backup must be an active administrator in the backup.

    Raises:
        PermissionDeniedError: the account is not an administrator.
        WrongPasswordError: the password opens no slot of the live database.
    """
    if target.exists() and keyfile_for(target).exists():
        try:
            return _live_administrator(target, login, password)
        except DatabaseError:
            pass  # the live file is damaged (the usual reason to restore): ask the backup
    elif target.exists():  # plaintext, allowed only for development (STEPDESK_ALLOW_PLAINTEXT)
        return None
    connection = _connect(source, key)
    try:
        row = connection.execute(
            "SELECT name, role, active FROM user_account WHERE lower(username) = ?",
            ((login or "").lower(),),
        ).fetchone()
    finally:
        connection.close()
    if row is None or not row[2]:
        raise PermissionDeniedError(
            f"{login or 'This password'} is not an active account in {source.name}: only an "
            "administrator may restore a backup."
        )
    require(Actor(None, row[0], row[1]), "database.restore")
    return None


def _live_administrator(target: Path, login: str | None, password: str) -> bytes:
    """Sign in to the live database as an administrator; its key.

    Raises:
        DatabaseError: the live file cannot be opened (damaged).
    """
    from stepdesk.services import accounts  # accounts -> backup would be a circle otherwise

    live = KeyStore.load(target)
    if login:
        live_login, live_key = login, live.unlock(login, password)
    else:
        live_login, live_key = live.unlock_any(password)
    ws, actor = accounts.sign_in(target, live_login, password)
    try:
        require(actor, "database.restore")
    finally:
        ws.db.close()
    return live_key


def _fold_live_journal(target: Path, key: bytes | None) -> None:
    """Checkpoint the live database's WAL into its file before it is set aside (item 5).

    After a crash the newest committed work can sit only in ``NAME-wal``; removing that file
    would lose it. A journal that cannot be folded in (a damaged file) is kept beside the
    set-aside copy instead, where SQLite finds it when that copy is opened.
    """
    wal = Path(f"{target}-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        return
    try:
        connection = _connect(target, key)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            connection.close()
    except sqlcipher3.dbapi2.DatabaseError as error:
        _log.warning("restore: the live journal could not be folded in (%s); kept", error)


def _restore_checked(
    source: Path,
    target: Path,
    key: bytes | None,
    login: str | None,
    expected: dict[str, int],
    live_key: bytes | None,
) -> BackupResult:
    """Stage the checked backup beside ``target``, compare it, keep the old file, swap."""
    staging = target.with_name(target.name + ".restoring")
    try:
        source_connection = _connect(source, key)
        try:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{staging}{suffix}").unlink(missing_ok=True)
            staged = _connect(staging, key)
            try:
                source_connection.backup(staged)
                staged.execute("PRAGMA journal_mode = WAL")
            finally:
                staged.close()
        finally:
            source_connection.close()
        copied = check_file(staging, key)
        if copied != expected:
            raise DatabaseError(
                "The restored copy does not hold the same rows as the backup; nothing was "
                "replaced. Try again, or another backup."
            )
        previous = None
        if target.exists():
            _fold_live_journal(target, live_key)
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            previous = target.with_name(f"{target.name}.before-restore-{stamp}.bak")
            os.replace(target, previous)
            if keyfile_for(target).exists():
                os.replace(keyfile_for(target), keyfile_for(previous))
        wal = Path(f"{target}-wal")
        if previous is not None and wal.exists() and wal.stat().st_size > 0:
            os.replace(wal, f"{previous}-wal")  # not folded in: it stays with its file
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(staging, target)
        if key is not None:
            KeyStore.load(source).copy_to(target)
    except OSError as error:
        raise DatabaseError(
            f"Cannot restore to {target}: {error.strerror or error}. Nothing was replaced "
            "unless the message says so; the backup is unchanged."
        ) from None
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{staging}{suffix}").unlink(missing_ok=True)
    rows = sum(copied.values())
    _audit_restore(target, key, login, source, rows, previous)
    return BackupResult(target, rows, previous)


def _audit_restore(
    target: Path,
    key: bytes | None,
    login: str | None,
    source: Path,
    rows: int,
    previous: Path | None,
) -> None:
    """Record the restore in the restored database's own audit trail."""
    db = open_database(target, create=False, key=key)
    try:
        with db.session() as s:
            user_id = (
                s.scalar(select(User.id).where(func.lower(User.username) == login))
                if login
                else None
            )
            s.add(
                AuditEvent(
                    at=dt.datetime.now().replace(microsecond=0),
                    user_id=user_id,
                    action="restore",
                    entity="database",
                    entity_id=None,
                    detail={
                        "from": source.name,
                        "rows": rows,
                        "previous": previous.name if previous else None,
                    },
                )
            )
    finally:
        db.close()
