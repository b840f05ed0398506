"""Accounts: signing in, passwords, and the administrator's management of other people.

A password does two things. Hashed with Argon2id (``argon2-cffi`` defaults, rehashed when
those change) it proves who someone is; through their key slot
(:mod:`stepdesk.persistence.keystore`) it unwraps the database key. Every change to one keeps
the other in step: setting a password rewraps that person's slot only; deactivating someone
revokes their slot, so their password no longer opens the file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stepdesk.domain import Role
from stepdesk.errors import NotFoundError, PermissionDeniedError, StepDeskError, ValidationError
from stepdesk.persistence.database import Database, open_database
from stepdesk.persistence.keystore import KeyStore, WrongPasswordError, new_key
from stepdesk.persistence.models import AuditEvent, User
from stepdesk.services import audit
from stepdesk.services.permissions import require
from stepdesk.services.workspace import SYSTEM, Actor, Workspace

MIN_PASSWORD_LENGTH = 10
_HASHER = PasswordHasher()

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "AccountView",
    "WrongPasswordError",
    "authenticate",
    "change_password",
    "check_password",
    "create_database",
    "create_user",
    "deactivate",
    "list_accounts",
    "record_lock",
    "revoke_access",
    "set_password",
    "sign_in",
]


@dataclass(frozen=True)
class AccountView:
    """A person who may sign in, as the administrator sees them."""

    id: int
    name: str
    username: str | None
    role: str
    active: bool
    can_sign_in: bool
    password_changed_at: dt.datetime | None


def _view(user: User, keys: KeyStore | None) -> AccountView:
    has_slot = keys is None or (user.username or "") in keys.names
    return AccountView(
        user.id,
        user.name,
        user.username,
        user.role,
        user.active,
        bool(user.active and user.password_hash and has_slot),
        user.password_changed_at,
    )


def check_password(password: str, *, username: str = "", name: str = "") -> None:
    """Refuse a password that is too short or is the login name or the person's name.

    Raises:
        ValidationError: on field "Password", saying what to change.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            "Password", f"use at least {MIN_PASSWORD_LENGTH} characters (a short phrase is good)"
        )
    lowered = password.strip().lower()
    if lowered and lowered in {username.strip().lower(), name.strip().lower()}:
        raise ValidationError("Password", "must not be your login name or your name")


def _check_username(username: str) -> str:
    cleaned = username.strip().lower()
    if not cleaned:
        raise ValidationError("Login name", "give one, e.g. the person's initials and surname")
    if len(cleaned) > 80 or any(ch.isspace() for ch in cleaned) or cleaned.startswith("#"):
        raise ValidationError("Login name", "one word of up to 80 characters, no spaces")
    return cleaned


def _keys(ws: Workspace) -> KeyStore | None:
    """The key slots of an encrypted database (``None`` for a plain one or a server)."""
    path = ws.db.path
    if ws.db.key is None or path is None:
        return None
    return KeyStore.load(path)


def _set_secret(s: Session, ws: Workspace, user: User, password: str) -> None:
    """Hash the password onto the user and rewrap (only) their key slot."""
    user.password_hash = _HASHER.hash(password)
    user.password_changed_at = ws.now()
    keys = _keys(ws)
    if keys is not None and ws.db.key is not None and user.username:
        # Written before the commit: if the commit then fails, the old hash stays and the
        # new slot still opens the same key, so nobody is locked out.
        keys.set_slot(user.username, ws.db.key, password)
    s.flush()


def _get_user(s: Session, user_id: int) -> User:
    user = s.get(User, user_id)
    if user is None:
        raise NotFoundError(f"No user with id {user_id}.")
    return user


def create_user(
    ws: Workspace,
    actor: Actor,
    *,
    name: str,
    username: str,
    role: str,
    password: str,
    job_title: str = "",
    team_id: int | None = None,
) -> AccountView:
    """Add a person who may sign in (administrators only), with their key slot."""
    require(actor, "accounts.manage")
    if not name.strip():
        raise ValidationError("Name", "give the person's full name")
    login = _check_username(username)
    try:
        Role(role)
    except ValueError:
        raise ValidationError("Role", "choose one of the listed roles") from None
    check_password(password, username=login, name=name)
    with ws.db.session() as s:
        if s.scalar(select(User.id).where(func.lower(User.username) == login)) is not None:
            raise ValidationError("Login name", f"'{login}' is taken: choose another")
        user = User(
            name=name.strip(),
            username=login,
            role=role,
            job_title=job_title.strip() or Role(role).label,
            team_id=team_id,
            active=True,
        )
        s.add(user)
        s.flush()
        _set_secret(s, ws, user, password)
        audit.record(
            s, ws, actor, "create", "user", user.id, after={"username": login, "role": role}
        )
        return _view(user, _keys(ws))


def list_accounts(ws: Workspace, actor: Actor) -> list[AccountView]:
    """Everyone with a login name, by name (administrators only)."""
    require(actor, "accounts.manage")
    keys = _keys(ws)
    with ws.db.session() as s:
        users = s.scalars(select(User).where(User.username.is_not(None)).order_by(User.name))
        return [_view(u, keys) for u in users]


def set_password(ws: Workspace, actor: Actor, user_id: int, new_password: str) -> None:
    """An administrator sets (resets) someone's password; that person's slot is rewrapped."""
    require(actor, "accounts.manage")
    with ws.db.session() as s:
        user = _get_user(s, user_id)
        if not user.username:
            raise ValidationError("Login name", f"{user.name} has none yet: give them one first")
        check_password(new_password, username=user.username, name=user.name)
        _set_secret(s, ws, user, new_password)
        user.active = True
        audit.record(s, ws, actor, "change", "user.password", user.id, reset_by_admin=True)


def change_password(ws: Workspace, actor: Actor, old_password: str, new_password: str) -> None:
    """Change one's own password (the old one is needed); only one's own slot changes."""
    if actor.user_id is None:
        raise PermissionDeniedError("The command line's system user has no password.")
    with ws.db.session() as s:
        user = _get_user(s, actor.user_id)
        if not _verify(user, old_password):
            audit.record(s, ws, actor, "change.failed", "user.password", user.id)
            raise WrongPasswordError("Current password: that is not it. Nothing was changed.")
        check_password(new_password, username=user.username or "", name=user.name)
        _set_secret(s, ws, user, new_password)
        audit.record(s, ws, actor, "change", "user.password", user.id)


def deactivate(ws: Workspace, actor: Actor, user_id: int) -> None:
    """Stop someone signing in: inactive, and their key slot revoked (administrators only)."""
    require(actor, "accounts.manage")
    with ws.db.session() as s:
        user = _get_user(s, user_id)
        if user.id == actor.user_id:
            raise ValidationError("User", "you cannot deactivate yourself; ask another admin")
        if user.role == Role.ADMINISTRATOR:
            admins = s.scalar(
                select(func.count())
                .select_from(User)
                .where(User.role == Role.ADMINISTRATOR, User.active.is_(True))
            )
            if (admins or 0) <= 1:
                raise ValidationError("User", "the last administrator cannot be deactivated")
        user.active = False
        keys = _keys(ws)
        if keys is not None and user.username:
            keys.revoke(user.username)
        audit.record(s, ws, actor, "deactivate", "user", user.id, before=True, after=False)


def revoke_access(ws: Workspace, actor: Actor, user_id: int) -> bool:
    """Remove someone's key slot (their password no longer opens the file); audited."""
    require(actor, "accounts.manage")
    with ws.db.session() as s:
        user = _get_user(s, user_id)
        keys = _keys(ws)
        removed = bool(keys and user.username and keys.revoke(user.username))
        audit.record(s, ws, actor, "revoke", "user.key_slot", user.id, removed=removed)
        return removed


def _verify(user: User, password: str) -> bool:
    if not user.password_hash:
        return False
    try:
        return _HASHER.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(ws: Workspace, username: str, password: str) -> Actor:
    """Check a login name and password against the database; audited either way.

    Raises:
        WrongPasswordError: unknown login, inactive account, or wrong password.
    """
    login = username.strip().lower()
    with ws.db.session() as s:
        user = s.scalars(select(User).where(func.lower(User.username) == login)).first()
        if user is None or not user.active or not _verify(user, password):
            audit.record(
                s, ws, SYSTEM, "sign_in.failed", "user", user.id if user else None, login=login
            )
            failed = True
        else:
            failed = False
            if _HASHER.check_needs_rehash(user.password_hash or ""):
                user.password_hash = _HASHER.hash(password)
            actor = Actor(user.id, user.name, user.role)
            audit.record(s, ws, actor, "sign_in", "user", user.id)
    if failed:
        raise WrongPasswordError(
            "That login name and password do not match, or the account is not active."
        )
    return actor


def verify_password(ws: Workspace, actor: Actor, password: str, purpose: str = "unlock") -> bool:
    """Whether ``password`` is the signed-in person's (to unlock the screen); audited."""
    with ws.db.session() as s:
        user = s.get(User, actor.user_id) if actor.user_id is not None else None
        ok = user is not None and user.active and _verify(user, password)
        audit.record(s, ws, actor, purpose if ok else f"{purpose}.failed", "user", actor.user_id)
        return ok


def record_lock(ws: Workspace, actor: Actor, reason: str = "idle") -> None:
    """Audit that the screen was locked (unlocking is audited by ``verify_password``)."""
    with ws.db.session() as s:
        audit.record(s, ws, actor, "lock", "user", actor.user_id, reason=reason)


def _file_failures(ws: Workspace, keys: KeyStore) -> None:
    """Move failed sign-ins noted in the key file into the audit trail."""
    failures = keys.take_failures()
    if not failures:
        return
    try:
        with ws.db.session() as s:
            for login, at in failures:
                user_id = s.scalar(select(User.id).where(func.lower(User.username) == login))
                s.add(
                    AuditEvent(
                        at=at,
                        user_id=None,
                        action="sign_in.failed",
                        entity="user",
                        entity_id=user_id,
                        detail={"login": login, "stage": "key slot"},
                    )
                )
    except StepDeskError:
        for login, at in failures:  # keep them for next time
            keys.note_failure(login, at)
        raise


def sign_in(
    path: str | Path,
    username: str,
    password: str,
) -> tuple[Workspace, Actor]:
    """Open an encrypted database file as ``username``: unwrap the key, open, authenticate.

    A wrong password is noted beside the database and reaches the audit trail at the next
    successful sign-in (the database cannot be written without the key).

    Raises:
        WrongPasswordError: the login name and password open no key slot, or do not match.
        KeyStoreError: the key file is missing or damaged.
        DatabaseError: the file cannot be opened (corrupt, locked, on a network share).
    """
    keys = KeyStore.load(path)
    login = username.strip().lower()
    try:
        key = keys.unlock(login, password)
    except WrongPasswordError:
        keys.note_failure(login, dt.datetime.now().replace(microsecond=0))
        raise
    ws = Workspace(open_database(path, create=False, key=key))
    try:
        _file_failures(ws, keys)
        actor = authenticate(ws, login, password)
    except BaseException:
        ws.db.close()
        raise
    ws.user = actor
    return ws, actor


def sign_in_any(path: str | Path, password: str) -> tuple[Workspace, Actor]:
    """Sign in with a password alone (the command line): the first slot it opens."""
    keys = KeyStore.load(path)
    try:
        login, _key = keys.unlock_any(password)
    except WrongPasswordError:
        keys.note_failure("(any)", dt.datetime.now().replace(microsecond=0))
        raise
    return sign_in(path, login, password)


def _check_first_administrator(name: str, username: str, password: str) -> str:
    """The first administrator's login, after checking their name, login and password."""
    login = _check_username(username)
    if not name.strip():
        raise ValidationError("Name", "give the administrator's full name")
    check_password(password, username=login, name=name)
    return login


def _first_administrator(s: Session, ws: Workspace, name: str, login: str, password: str) -> Actor:
    """Add the database's first administrator (who needs no administrator to create them)."""
    admin = User(
        name=name.strip(),
        username=login,
        role=Role.ADMINISTRATOR,
        job_title="Administrator",
        active=True,
        password_hash=_HASHER.hash(password),
        password_changed_at=ws.now(),
    )
    s.add(admin)
    s.flush()
    return Actor(admin.id, admin.name, admin.role)


def create_database(
    path: str | Path,
    *,
    name: str,
    username: str,
    password: str,
    recovery: bool = False,
) -> tuple[Database, Actor, str | None]:
    """First run: a new encrypted database with its administrator.

    Returns the open database, the administrator, and the recovery key (to print once) when
    ``recovery`` is asked for.

    Raises:
        ValidationError: a missing name, a bad login name or a weak password.
        KeyStoreError: the file or its key file exists already.
    """
    target = Path(path)
    login = _check_first_administrator(name, username, password)
    if target.exists():
        raise ValidationError("Database", f"{target} exists already: open it, or choose another")
    keys = KeyStore.create(target)
    key = new_key()
    target.parent.mkdir(parents=True, exist_ok=True)
    keys.set_slot(login, key, password)
    recovery_key = keys.add_recovery(key) if recovery else None
    try:
        db = open_database(target, key=key)
    except BaseException:
        keys.path.unlink(missing_ok=True)
        raise
    ws = Workspace(db)
    with db.session() as s:  # the first administrator needs no administrator to create them
        actor = _first_administrator(s, ws, name, login, password)
        audit.record(s, ws, actor, "create", "database", None, recovery_key=recovery)
        audit.record(
            s,
            ws,
            actor,
            "create",
            "user",
            actor.user_id,
            after={"username": login, "role": "admin"},
        )
    return db, actor, recovery_key


def hash_password(password: str) -> str:
    """An Argon2id hash (for the demo, which writes users directly)."""
    return _HASHER.hash(password)


def encrypt_database(
    path: str | Path, *, name: str, username: str, password: str, recovery: bool = False
) -> tuple[Actor, str | None]:
    """Encrypt an existing plain database in place and give it an administrator.

    For databases made before encryption: the pages are copied into a new SQLCipher file
    (``sqlcipher_export``), checked, and only then put in place of the plain file, which is
    deleted. Copies made earlier (backups) stay unencrypted: delete them.

    Returns the new administrator and the recovery key, if asked for.

    Raises:
        ValidationError: a bad login name or password, or the login is taken.
        DatabaseError: the file is not a plain StepDesk database.
    """
    import os

    import sqlcipher3

    from stepdesk.errors import DatabaseError
    from stepdesk.persistence.database import key_pragma

    source = Path(path)
    login = _check_first_administrator(name, username, password)
    if KeyStore.exists_for(source):
        raise ValidationError("Database", f"{source} is encrypted already")
    staging = source.with_name(source.name + ".encrypting")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{staging}{suffix}").unlink(missing_ok=True)
    key = new_key()
    try:
        plain = sqlcipher3.dbapi2.connect(str(source))
        try:
            plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            tables = plain.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            plain.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(staging),))
            plain.execute("SELECT sqlcipher_export('encrypted')")
            plain.execute("DETACH DATABASE encrypted")
        finally:
            plain.close()
        check = sqlcipher3.dbapi2.connect(str(staging))
        try:
            check.execute(key_pragma(key))
            if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok" or (
                check.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] != tables
            ):
                raise DatabaseError("The encrypted copy did not check out; nothing was changed.")
        finally:
            check.close()
    except sqlcipher3.dbapi2.DatabaseError as error:
        Path(staging).unlink(missing_ok=True)
        raise DatabaseError(
            f"{source} is not a plain StepDesk database ({error}); nothing was changed."
        ) from None
    keys = KeyStore.create(source)
    keys.set_slot(login, key, password)
    recovery_key = keys.add_recovery(key) if recovery else None
    for suffix in ("-wal", "-shm"):
        Path(f"{source}{suffix}").unlink(missing_ok=True)
    os.replace(staging, source)
    db = open_database(source, key=key)
    ws = Workspace(db)
    try:
        with db.session() as s:
            if s.scalar(select(User.id).where(func.lower(User.username) == login)) is not None:
                raise ValidationError("Login name", f"'{login}' is taken: choose another")
            actor = _first_administrator(s, ws, name, login, password)
            audit.record(s, ws, actor, "encrypt", "database", None, recovery_key=recovery)
    finally:
        db.close()
    return actor, recovery_key
