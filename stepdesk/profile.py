"""Protocol profiles: a council's levels, plans, meetings, timescales and rule settings.

A profile is a TOML file (``resources/profiles/*.toml``). It is read once, checked
completely, and turned into frozen dataclasses; a bad file is refused with the file, the key
and what to do about it (:class:`~stepdesk.errors.ProfileError`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from resources import PROFILES_DIR
from stepdesk.domain import RULE_IDS, Role
from stepdesk.errors import ProfileError

SEVERITIES = ("block", "warn", "info")
UNITS = ("hours", "working_days", "days", "weeks", "months")
DIRECTIONS = ("before", "after")
REGIONS = ("england-and-wales", "scotland", "northern-ireland")


@dataclass(frozen=True)
class Level:
    """A level on the continuum of need."""

    code: str
    name: str
    rank: int


@dataclass(frozen=True)
class Plan:
    """A plan type (universal, early help, CIN, CP, …) and the level it sits at."""

    code: str
    name: str
    level: str
    statutory: bool


@dataclass(frozen=True)
class QuorumPart:
    """One part of a quorum: ``count`` present members with this role (and team service)."""

    who: str  # as the minutes print it: "The chair (a Service Manager)"
    role: str  # stepdesk.domain.Role value
    count: int = 1
    service: str | None = None  # the member's team service, e.g. early_help


@dataclass(frozen=True)
class MeetingType:
    """A kind of panel meeting, and who must be present for it to be quorate."""

    code: str
    name: str
    citation: str
    quorum: tuple[QuorumPart, ...] = ()


@dataclass(frozen=True)
class Timescale:
    """One timescale: how long, from what, and the rule it cites."""

    key: str
    rule: str
    amount: int
    unit: str
    direction: str
    anchor: str
    what: str
    citation: str

    def span(self) -> str:
        """The length in words, e.g. ``48 hours`` or ``5 working days``."""
        unit = self.unit.replace("_", " ")
        if self.amount == 1:
            unit = unit.removesuffix("s")
        return f"{self.amount} {unit}"

    def relation(self) -> str:
        """How the deadline relates to its anchor: ``within 48 hours of`` or ``24 hours before``."""
        if self.direction == "before":
            return f"{self.span()} before"
        return f"within {self.span()} of"


@dataclass(frozen=True)
class RuleSetting:
    """How a council applies one rule: its severity, citation and any parameters.

    ``applies = false`` in the profile marks a rule that does not apply to this council's
    pathway; ``reason`` then says why (``stepdesk rules`` prints it). ``override_roles`` are
    the roles that may override a ``block`` finding of this rule (default: the profile's).
    """

    rule: str
    severity: str
    citation: str
    params: Mapping[str, Any]
    applies: bool = True
    reason: str | None = None
    override_roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    """A validated protocol profile."""

    name: str
    source: str
    region: str
    subject_kind: str
    close_of_business: dt.time
    override_roles: tuple[str, ...]
    levels: tuple[Level, ...]
    plans: tuple[Plan, ...]
    meeting_types: tuple[MeetingType, ...]
    timescales: Mapping[str, Timescale]
    rules: Mapping[str, RuleSetting]
    # How many automatic encrypted backups to keep after meetings (0: none are made).
    meeting_backups: int = 10
    # Four eyes: whether a manager may QA-approve a request they created themselves.
    qa_own_requests: bool = False

    def plan(self, code: str) -> Plan:
        """The plan with this code; ``KeyError`` names it if the profile has none."""
        for plan in self.plans:
            if plan.code == code:
                return plan
        raise KeyError(code)

    def level(self, code: str) -> Level:
        """The level with this code."""
        for level in self.levels:
            if level.code == code:
                return level
        raise KeyError(code)

    def plan_rank(self, code: str) -> int:
        """The rank of the level a plan sits at (higher is more intensive)."""
        return self.level(self.plan(code).level).rank

    def plan_name(self, code: str) -> str:
        """A plan's display name, or the code itself if the profile does not know it."""
        try:
            return self.plan(code).name
        except KeyError:
            return code

    def meeting_name(self, code: str) -> str:
        """A meeting type's display name, or the code itself."""
        return next((m.name for m in self.meeting_types if m.code == code), code)

    def meeting_type(self, code: str) -> MeetingType | None:
        """The meeting type with this code, if the profile has it."""
        return next((m for m in self.meeting_types if m.code == code), None)

    def timescale(self, key: str) -> Timescale:
        """The timescale with this key (a rule id such as ``T-HANDOVER``)."""
        return self.timescales[key]

    def has_timescale(self, key: str) -> bool:
        """Whether the profile tracks this timescale (it may be marked not applicable)."""
        return key in self.timescales

    def applies(self, rule_id: str) -> bool:
        """Whether the rule applies: configured (as a check or a timescale) and not marked off."""
        setting = self.rules.get(rule_id)
        if setting is not None:
            return setting.applies
        return any(ts.rule == rule_id for ts in self.timescales.values())

    def not_applicable(self) -> dict[str, RuleSetting]:
        """The rules this profile marks as not applying, with their reasons."""
        return {key: setting for key, setting in self.rules.items() if not setting.applies}

    def override_roles_for(self, rule_id: str) -> tuple[str, ...]:
        """The roles that may override a ``block`` finding of ``rule_id``."""
        setting = self.rules.get(rule_id)
        if setting is not None and setting.override_roles:
            return setting.override_roles
        return self.override_roles


class _Reader:
    """Reads one table of the TOML file, remembering which keys were used."""

    def __init__(self, source: str, where: str, table: Any) -> None:
        self.source = source
        self.where = where
        if not isinstance(table, dict):
            self.fail("", "must be a table")
        self.table: dict[str, Any] = table
        self.used: set[str] = set()

    def fail(self, key: str, reason: str) -> None:
        path = f"{self.where}.{key}" if key else self.where
        raise ProfileError(f"{self.source}: {path}: {reason}")

    def get(self, key: str, kind: type, default: Any = ...) -> Any:
        self.used.add(key)
        if key not in self.table:
            typo = difflib.get_close_matches(key, list(self.table), n=1)
            if typo and typo[0] not in self.used:
                self.fail(typo[0], f"is not a known key: did you mean '{key}'?")
            if default is ...:
                self.fail(key, "is missing; add it")
            return default
        value = self.table[key]
        if kind is int and isinstance(value, bool):
            self.fail(key, "must be a whole number")
        if not isinstance(value, kind):
            self.fail(key, f"must be a {kind.__name__}, not {type(value).__name__}")
        return value

    def text(self, key: str, default: Any = ...) -> str:
        value: str = self.get(key, str, default)
        if default is ... and not value.strip():
            self.fail(key, "must not be empty")
        return value

    def choice(self, key: str, allowed: Iterable[str], default: Any = ...) -> str:
        value = self.text(key, default)
        options = tuple(allowed)
        if value not in options:
            self.fail(key, f"'{value}' is not one of: {', '.join(options)}")
        return value

    def done(self) -> None:
        unknown = sorted(set(self.table) - self.used)
        if unknown:
            self.fail(unknown[0], "is not a known key; remove it or correct its spelling")


def _parse_time(reader: _Reader, key: str, default: str) -> dt.time:
    text = reader.text(key, default)
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        reader.fail(key, f"'{text}' is not a time; write it as HH:MM, e.g. 17:00")
        raise  # pragma: no cover - fail() always raises


def _parse_list(reader: _Reader, key: str, kind: type) -> list[Any]:
    items: list[Any] = reader.get(key, list)
    if not items:
        reader.fail(key, "must list at least one entry")
    for item in items:
        if not isinstance(item, kind):
            reader.fail(key, f"every entry must be a {kind.__name__}")
    return items


def parse_profile(data: Mapping[str, Any], source: str) -> Profile:
    """Check a decoded profile and build a :class:`Profile`; raise ``ProfileError`` if bad."""
    top = _Reader(source, "(top level)", dict(data))
    head = _Reader(source, "profile", top.get("profile", dict))
    name = head.text("name")
    region = head.choice("region", REGIONS)
    subject_kind = head.choice("subject_kind", ("child", "adult"))
    cob = _parse_time(head, "close_of_business", "17:00")
    override_roles = _parse_roles(head, ["chair", "manager"])
    meeting_backups = head.get("meeting_backups", int, 10)
    if meeting_backups < 0:
        head.fail("meeting_backups", f"must be 0 (no backups) or more, not {meeting_backups}")
    qa_own_requests = head.get("qa_own_requests", bool, False)
    head.done()

    levels = []
    for i, raw in enumerate(_parse_list(top, "levels", dict)):
        r = _Reader(source, f"levels[{i}]", raw)
        levels.append(Level(r.text("code"), r.text("name"), r.get("rank", int)))
        r.done()
    level_codes = [lv.code for lv in levels]
    _unique(source, "levels", level_codes)

    plans = []
    for i, raw in enumerate(_parse_list(top, "plans", dict)):
        r = _Reader(source, f"plans[{i}]", raw)
        plans.append(
            Plan(
                r.text("code"),
                r.text("name"),
                r.choice("level", level_codes),
                r.get("statutory", bool, False),
            )
        )
        r.done()
    _unique(source, "plans", [p.code for p in plans])

    meetings = []
    for i, raw in enumerate(_parse_list(top, "meeting_types", dict)):
        r = _Reader(source, f"meeting_types[{i}]", raw)
        quorum = []
        for j, part in enumerate(r.get("quorum", list, [])):
            q = _Reader(source, f"meeting_types[{i}].quorum[{j}]", part)
            count = q.get("count", int, 1)
            if count < 1:
                q.fail("count", f"must be at least 1, not {count}")
            quorum.append(
                QuorumPart(
                    who=q.text("who"),
                    role=q.choice("role", [role.value for role in Role]),
                    count=count,
                    service=q.get("service", str, None),
                )
            )
            q.done()
        meetings.append(
            MeetingType(r.text("code"), r.text("name"), r.text("citation"), tuple(quorum))
        )
        r.done()
    _unique(source, "meeting_types", [m.code for m in meetings])

    timescales: dict[str, Timescale] = {}
    for key, raw in top.get("timescales", dict).items():
        r = _Reader(source, f"timescales.{key}", raw)
        amount = r.get("amount", int)
        if amount <= 0:
            r.fail("amount", f"must be more than 0, not {amount}")
        timescales[key] = Timescale(
            key=key,
            rule=r.text("rule", key),
            amount=amount,
            unit=r.choice("unit", UNITS),
            direction=r.choice("direction", DIRECTIONS),
            anchor=r.text("anchor"),
            what=r.text("what"),
            citation=r.text("citation"),
        )
        r.done()
        if timescales[key].rule not in RULE_IDS:
            where = "rule" if "rule" in r.table else ""
            close = difflib.get_close_matches(timescales[key].rule, RULE_IDS, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            r.fail(
                where,
                f"must be a rule id of DOMAIN.md, not '{timescales[key].rule}'{hint}; "
                'give the timescale a rule = "T-…" key naming the rule it serves',
            )

    rules: dict[str, RuleSetting] = {}
    for key, raw in top.get("rules", dict).items():
        r = _Reader(source, f"rules.{key}", raw)
        if key not in RULE_IDS:
            close = difflib.get_close_matches(key, RULE_IDS, n=1)
            hint = f"did you mean {close[0]}?" if close else "use a rule id of DOMAIN.md"
            r.fail("", f"must be a rule id of DOMAIN.md, not '{key}'; {hint}")
        applies = r.get("applies", bool, True)
        citation = r.text("citation")
        if applies:
            severity = r.choice("severity", SEVERITIES)
            reason = None
        else:
            severity = r.choice("severity", SEVERITIES, "info")
            reason = r.get("reason", str, None)
            if not (reason or "").strip():
                r.fail("reason", "is missing; say why the rule does not apply to this pathway")
            if any(ts.rule == key for ts in timescales.values()):
                r.fail(
                    "applies",
                    "is false, but the profile has a timescale for this rule; remove one",
                )
        roles = _parse_roles(r, []) if "override_roles" in r.table else ()
        known = ("severity", "citation", "applies", "reason", "override_roles")
        params = {k: v for k, v in r.table.items() if k not in known}
        r.used.update(params)
        rules[key] = RuleSetting(key, severity, citation, params, applies, reason, roles)
    top.done()

    return Profile(
        name=name,
        source=source,
        region=region,
        subject_kind=subject_kind,
        close_of_business=cob,
        override_roles=override_roles,
        levels=tuple(levels),
        plans=tuple(plans),
        meeting_types=tuple(meetings),
        timescales=timescales,
        rules=rules,
        meeting_backups=meeting_backups,
        qa_own_requests=qa_own_requests,
    )


def _parse_roles(reader: _Reader, default: list[str]) -> tuple[str, ...]:
    roles: list[Any] = reader.get("override_roles", list, default)
    known = [role.value for role in Role]
    for role in roles:
        if role not in known:
            reader.fail("override_roles", f"'{role}' is not a role; use: {', '.join(known)}")
    if not roles and "override_roles" in reader.table:
        reader.fail("override_roles", "must name at least one role")
    return tuple(roles)


def _unique(source: str, where: str, codes: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ProfileError(f"{source}: {where}: code '{code}' appears twice; rename one")
        seen.add(code)


def load_profile_file(path: Path) -> Profile:
    """Read and validate one profile file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ProfileError(f"{path}: no such profile file") from error
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"{path}: not valid TOML: {error}") from error
    return parse_profile(data, str(path))


@functools.cache
def load_profile(name_or_path: str = "default") -> Profile:
    """A shipped profile by name (``default``) or a profile file by path; cached."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.exists():
        return load_profile_file(candidate)
    return load_profile_file(PROFILES_DIR / f"{name_or_path}.toml")
