"""Fixtures for the encrypted paths (sign-in, key slots, backups, crash test).

Import the fixtures you need into a test module; each test gets its own copy of one
encrypted demo built per run.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from stepdesk.demo import DEMO_PASSWORD, create_demo
from stepdesk.persistence.keystore import keyfile_for
from tests.conftest import TODAY

CANARY = "Quennell-Zbrodowska"  # a surname no demo or library holds


@dataclass(frozen=True)
class EncryptedDemo:
    """An encrypted demo file with its key file; every demo login uses ``password``."""

    path: Path
    password: str = DEMO_PASSWORD

    @property
    def keys(self) -> Path:
        return keyfile_for(self.path)


@pytest.fixture(scope="session", autouse=True)
def fast_kdf() -> Iterator[None]:
    """Cheap Argon2 settings for the test run (the real ones cost ~0.5 s a time, twice per
    sign-in). The code paths are the same; only the cost parameters differ."""
    from argon2 import PasswordHasher

    from stepdesk.persistence import keystore
    from stepdesk.services import accounts

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        )
        patch.setattr(keystore, "DEFAULT_KDF", keystore.KdfParameters(1, 1024, 1))
        yield


@pytest.fixture(scope="session")
def encrypted_template(tmp_path_factory: pytest.TempPathFactory, fast_kdf: None) -> Path:
    path = tmp_path_factory.mktemp("encrypted") / "demo.db"
    create_demo(path, seed=1, today=TODAY, password=DEMO_PASSWORD).close()
    return path


@pytest.fixture
def encrypted_demo(encrypted_template: Path, tmp_path: Path) -> EncryptedDemo:
    folder = tmp_path / "data"
    folder.mkdir()
    target = folder / "stepdesk.db"
    shutil.copy(encrypted_template, target)
    shutil.copy(keyfile_for(encrypted_template), keyfile_for(target))
    return EncryptedDemo(target)
