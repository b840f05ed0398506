"""What every service call needs: the database, the protocol profile, the clock, the user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from stepdesk.persistence.database import Database
from stepdesk.profile import Profile, load_profile
from stepdesk.timescales import Clock


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


@dataclass(frozen=True)
class Actor:
    """The user a service acts for. ``user_id`` is ``None`` for the command line's system user."""

    user_id: int | None
    name: str
    role: str


SYSTEM = Actor(None, "StepDesk (command line)", "administrator")


@dataclass
class Workspace:
    """An open database with its protocol profile and a clock (injectable for tests)."""

    db: Database
    profile: Profile = field(default_factory=load_profile)
    now: Callable[[], dt.datetime] = _now
    # Who signed in to open it (the command line acts as them); ``None`` in tests.
    user: Actor | None = None

    @property
    def clock(self) -> Clock:
        """Deadline arithmetic for this profile."""
        return Clock(self.profile)

    def today(self) -> dt.date:
        """Today's date by this workspace's clock."""
        return self.now().date()
