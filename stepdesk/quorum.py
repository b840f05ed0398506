"""Quoracy: whether the members present make a quorate panel under the profile.

The profile's meeting types list the parts of a quorum (a chair; an Early Help manager; …).
Pure: give it who is present, get back which parts are met, by whom, and what is missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from stepdesk.profile import MeetingType, QuorumPart


@dataclass(frozen=True)
class Member:
    """A member present at the meeting: name, role and their team's service."""

    name: str
    role: str
    service: str | None = None


@dataclass(frozen=True)
class PartCheck:
    """One part of the quorum and the members who meet it."""

    part: QuorumPart
    met_by: tuple[str, ...]

    @property
    def met(self) -> bool:
        """Enough members of the right kind are present."""
        return len(self.met_by) >= self.part.count


@dataclass(frozen=True)
class Quoracy:
    """The verdict, part by part."""

    parts: tuple[PartCheck, ...]

    @property
    def quorate(self) -> bool:
        """Every part is met (a meeting type without a quorum is always quorate)."""
        return all(p.met for p in self.parts)

    @property
    def missing(self) -> tuple[str, ...]:
        """What the panel still needs, as the minutes print it."""
        return tuple(
            f"{p.part.who} ({len(p.met_by)} of {p.part.count} present)"
            for p in self.parts
            if not p.met
        )

    def explain(self) -> str:
        """One line for the status bar or the minutes."""
        if not self.parts:
            return "Quorate (this meeting type has no quorum)"
        if self.quorate:
            return "Quorate: " + "; ".join(
                f"{p.part.who}: {', '.join(p.met_by)}" for p in self.parts
            )
        return "Not quorate: still needs " + "; ".join(self.missing)


def assess(meeting: MeetingType | None, present: Iterable[Member]) -> Quoracy:
    """Check ``present`` against the meeting type's quorum.

    Each member counts toward one part only: a chair who is also a manager does not
    make two people.
    """
    members = list(present)
    used: set[int] = set()
    checks = []
    for part in meeting.quorum if meeting else ():
        fits = [
            i
            for i, m in enumerate(members)
            if m.role == part.role and (part.service is None or m.service == part.service)
        ]
        chosen = [i for i in fits if i not in used][: part.count]
        used.update(chosen)
        checks.append(PartCheck(part, tuple(members[i].name for i in chosen)))
    return Quoracy(tuple(checks))
