"""Key slots: the database's random key, wrapped once for each person who may open it.

The SQLCipher database is encrypted with a random 256-bit raw key that nobody types. Beside
the database (``stepdesk.db.keys``) a small JSON file holds one *slot* per user: the key
wrapped with AES-256-GCM under a key derived from that user's password with Argon2id. A
password change rewraps only that user's slot; an administrator adds and revokes slots; an
optional recovery slot is wrapped under a recovery key that is printed once and never stored.

The file holds no personal data beyond login names, and nothing that opens the database
without a password. Failed sign-ins are noted in it (login name and time) so that they reach
the audit trail the next time someone opens the database: a wrong password cannot write to
a database it cannot open.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from argon2.profiles import RFC_9106_LOW_MEMORY
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from stepdesk.errors import StepDeskError

KEY_BYTES = 32
RECOVERY_SLOT = "#recovery"
SUFFIX = ".keys"
FORMAT = 1
# Failed sign-ins kept until someone opens the database and moves them into the audit trail.
MAX_PENDING_FAILURES = 200


class KeyStoreError(StepDeskError):
    """The key file is missing or damaged, or a password does not open a slot."""


class WrongPasswordError(KeyStoreError):
    """No slot opens with this login name and password."""


def keyfile_for(db_path: str | Path) -> Path:
    """Where the key slots of a database file live: beside it, ``NAME.keys``."""
    path = Path(db_path)
    return path.with_name(path.name + SUFFIX)


def new_key() -> bytes:
    """A fresh random 256-bit database key."""
    return secrets.token_bytes(KEY_BYTES)


def new_recovery_key() -> str:
    """A recovery key to print once: 32 random bytes as eight groups of base32 letters."""
    text = base64.b32encode(secrets.token_bytes(KEY_BYTES)).decode().rstrip("=")
    return "-".join(text[i : i + 7] for i in range(0, len(text), 7))


def normalise_recovery_key(text: str) -> str:
    """The recovery key as typed, without spaces, dashes or case."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True)
class KdfParameters:
    """Argon2id settings of one slot, stored with it so that they can change later."""

    time_cost: int = RFC_9106_LOW_MEMORY.time_cost
    memory_cost: int = RFC_9106_LOW_MEMORY.memory_cost
    parallelism: int = RFC_9106_LOW_MEMORY.parallelism

    def derive(self, secret: str, salt: bytes) -> bytes:
        """The 256-bit wrapping key for ``secret``."""
        return hash_secret_raw(
            secret.encode("utf-8"),
            salt,
            time_cost=self.time_cost,
            memory_cost=self.memory_cost,
            parallelism=self.parallelism,
            hash_len=KEY_BYTES,
            type=Type.ID,
        )


DEFAULT_KDF = KdfParameters()


def _wrap(key: bytes, name: str, secret: str, kdf: KdfParameters) -> dict[str, Any]:
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    wrapped = AESGCM(kdf.derive(secret, salt)).encrypt(nonce, key, name.encode("utf-8"))
    return {
        "name": name,
        "kdf": {
            "algorithm": "argon2id",
            "salt": _b64(salt),
            "time_cost": kdf.time_cost,
            "memory_cost": kdf.memory_cost,
            "parallelism": kdf.parallelism,
        },
        "cipher": "aes-256-gcm",
        "nonce": _b64(nonce),
        "wrapped": _b64(wrapped),
    }


def _unwrap(slot: dict[str, Any], secret: str) -> bytes | None:
    try:
        info = slot["kdf"]
        kdf = KdfParameters(info["time_cost"], info["memory_cost"], info["parallelism"])
        wrapping = kdf.derive(secret, _unb64(info["salt"]))
        return AESGCM(wrapping).decrypt(
            _unb64(slot["nonce"]), _unb64(slot["wrapped"]), str(slot["name"]).encode("utf-8")
        )
    except InvalidTag:
        return None
    except (KeyError, TypeError, ValueError) as error:
        raise KeyStoreError(f"A key slot is damaged ({error}); restore the key file.") from None


class KeyStore:
    """The key slots of one database file. Each change is written atomically."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self._data = data

    # Files.
    @classmethod
    def exists_for(cls, db_path: str | Path) -> bool:
        """Whether a key file sits beside the database."""
        return keyfile_for(db_path).exists()

    @classmethod
    def create(cls, db_path: str | Path) -> KeyStore:
        """A new, empty key store for a database (written when the first slot is added)."""
        path = keyfile_for(db_path)
        if path.exists():
            raise KeyStoreError(f"{path} already exists: the database has keys already.")
        return cls(path, {"format": FORMAT, "slots": [], "failures": []})

    @classmethod
    def load(cls, db_path: str | Path) -> KeyStore:
        """The key store beside ``db_path``.

        Raises:
            KeyStoreError: there is none, or it cannot be read.
        """
        path = keyfile_for(db_path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise KeyStoreError(
                f"The key file {path} is missing, so {Path(db_path).name} cannot be opened. "
                "Put the key file back beside the database (it is part of every backup)."
            ) from None
        except (OSError, ValueError) as error:
            raise KeyStoreError(
                f"The key file {path} cannot be read ({error}). Restore it from a backup."
            ) from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise KeyStoreError(f"{path} is not a StepDesk key file, or is from a newer version.")
        data.setdefault("failures", [])
        return cls(path, data)

    def save(self) -> None:
        """Write the slots beside the database: a temporary file, fsync, then rename."""
        text = json.dumps(self._data, indent=1, sort_keys=True)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=self.path.name, suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(name, 0o600)
            os.replace(name, self.path)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise

    def copy_to(self, db_path: str | Path) -> Path:
        """Write these slots beside another database file (a backup); returns the path."""
        other = KeyStore(keyfile_for(db_path), json.loads(json.dumps(self._data)))
        other._data["failures"] = []
        other.save()
        return other.path

    # Slots.
    @property
    def names(self) -> list[str]:
        """The login names that have a slot (the recovery slot aside)."""
        return [s["name"] for s in self._data["slots"] if s["name"] != RECOVERY_SLOT]

    @property
    def has_recovery(self) -> bool:
        """Whether a recovery slot exists."""
        return any(s["name"] == RECOVERY_SLOT for s in self._data["slots"])

    def _slot(self, name: str) -> dict[str, Any] | None:
        for slot in self._data["slots"]:
            if slot["name"] == name:
                return dict(slot)
        return None

    def set_slot(
        self, name: str, key: bytes, secret: str, kdf: KdfParameters | None = None
    ) -> None:
        """Add or replace ``name``'s slot (only that slot changes) and save."""
        slot = _wrap(key, name, secret, kdf or DEFAULT_KDF)
        self._data["slots"] = [s for s in self._data["slots"] if s["name"] != name] + [slot]
        self.save()

    def revoke(self, name: str) -> bool:
        """Remove ``name``'s slot; returns whether there was one."""
        before = len(self._data["slots"])
        self._data["slots"] = [s for s in self._data["slots"] if s["name"] != name]
        if len(self._data["slots"]) == before:
            return False
        self.save()
        return True

    def add_recovery(self, key: bytes) -> str:
        """Add (or replace) the recovery slot; returns the recovery key to print once."""
        recovery = new_recovery_key()
        self.set_slot(RECOVERY_SLOT, key, normalise_recovery_key(recovery))
        return recovery

    def unlock(self, name: str, password: str) -> bytes:
        """The database key, from ``name``'s slot.

        Raises:
            WrongPasswordError: no such login name, or the password does not open its slot.
        """
        slot = self._slot(name)
        key = _unwrap(slot, password) if slot is not None else None
        if key is None:
            raise WrongPasswordError(
                "That login name and password do not match. Check Caps Lock and try again; "
                "an administrator can reset a forgotten password."
            )
        return key

    def unlock_any(self, password: str) -> tuple[str, bytes]:
        """The first slot ``password`` opens, as (login name, key), for the command line."""
        for name in self.names:
            key = _unwrap(self._slot(name) or {}, password)
            if key is not None:
                return name, key
        raise WrongPasswordError(
            "That password opens no account on this database. Check it, or set "
            "STEPDESK_USER to your login name."
        )

    def unlock_recovery(self, recovery_key: str) -> bytes:
        """The database key, from the recovery slot."""
        slot = self._slot(RECOVERY_SLOT)
        key = _unwrap(slot, normalise_recovery_key(recovery_key)) if slot else None
        if key is None:
            raise WrongPasswordError("That recovery key does not open this database.")
        return key

    # Failed sign-ins, waiting for the audit trail.
    def note_failure(self, name: str, at: dt.datetime) -> None:
        """Remember a failed sign-in until the audit trail can take it."""
        failures = self._data["failures"]
        failures.append({"name": name[:80], "at": at.isoformat(timespec="seconds")})
        del failures[:-MAX_PENDING_FAILURES]
        self.save()

    def take_failures(self) -> list[tuple[str, dt.datetime]]:
        """The failed sign-ins noted so far, emptied from the file."""
        failures = self._data["failures"]
        if not failures:
            return []
        taken = [(f["name"], dt.datetime.fromisoformat(f["at"])) for f in failures]
        self._data["failures"] = []
        self.save()
        return taken
