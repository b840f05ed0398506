"""What-if scenarios: a JSON description of a case and a proposal, checked without a database.

Councils (and we) test a profile with ``stepdesk rules check FILE.json``. The format is
documented in ``docs/scenarios.md``; every key is checked, and a bad one is named.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stepdesk.domain import ConsentKind, Movement, Outcome
from stepdesk.errors import StepDeskError
from stepdesk.profile import REGIONS, Profile
from stepdesk.rules.facts import CaseFacts, ConsentFact, PlanSpell, Proposal


class ScenarioError(StepDeskError):
    """A scenario file that cannot be read; the message names the key."""


@dataclass(frozen=True)
class Scenario:
    """A parsed scenario: the day, the region, the case and the proposal."""

    today: dt.date
    region: str | None
    case: CaseFacts
    proposal: Proposal
    profile: str | None = None  # the profile the scenario is written for, if not the default


class _Keys:
    """Reads one JSON object, refusing unknown keys and wrong types with the key's path."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, dict):
            raise ScenarioError(f"{path or 'the scenario'}: must be a JSON object")
        self.data: dict[str, Any] = data
        self.path = path

    def _name(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def check_known(self, *known: str) -> None:
        for key in self.data:
            if key not in known:
                raise ScenarioError(
                    f"{self._name(key)}: unknown key; expected one of: {', '.join(known)}"
                )

    def get(self, key: str, kind: type | tuple[type, ...], *, required: bool = False) -> Any:
        if key not in self.data or self.data[key] is None:
            if required:
                raise ScenarioError(f"{self._name(key)}: missing; it is required")
            return None
        value = self.data[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            expected = (
                kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            )
            raise ScenarioError(f"{self._name(key)}: must be a {expected}")
        return value

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        text = self.get(key, str, required=required)
        if text is None:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ScenarioError(
                f"{self._name(key)}: '{text}' is not a date; write it as YYYY-MM-DD"
            ) from None

    def choice(self, key: str, options: list[str], *, required: bool = False) -> str | None:
        value: str | None = self.get(key, str, required=required)
        if value is not None and value not in options:
            raise ScenarioError(f"{self._name(key)}: '{value}' is not one of: {', '.join(options)}")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        items = self.get(key, list) or []
        for index, item in enumerate(items):
            if not isinstance(item, str):
                raise ScenarioError(f"{self._name(key)}[{index}]: must be a string")
        return tuple(items)


def parse_scenario(data: Any, profile: Profile) -> Scenario:
    """Check a decoded scenario against the profile's vocabulary and build it."""
    top = _Keys(data, "")
    top.check_known("today", "region", "case", "proposal", "description", "expected", "profile")
    plans = [p.code for p in profile.plans]
    today = top.date("today", required=True)
    assert today is not None
    region = top.choice("region", list(REGIONS))

    case = _Keys(top.get("case", dict, required=True), "case")
    case.check_known(
        "history",
        "stepped_down_from_team",
        "stepped_down_on",
        "lead_professional",
        "consent",
        "team",
        "declined_early_help_on",
    )
    history = []
    for index, raw in enumerate(case.get("history", list, required=True)):
        spell = _Keys(raw, f"case.history[{index}]")
        spell.check_known("from", "plan")
        start = spell.date("from", required=True)
        plan = spell.choice("plan", plans, required=True)
        assert start is not None and plan is not None
        history.append(PlanSpell(plan, start))
    if not history:
        raise ScenarioError("case.history: list at least the current plan")
    if [s.start for s in history] != sorted(s.start for s in history):
        raise ScenarioError("case.history: list the plans oldest first")
    consent = None
    raw_consent = case.get("consent", dict)
    if raw_consent is not None:
        c = _Keys(raw_consent, "case.consent")
        c.check_known("kind", "on", "by")
        kind = c.choice("kind", [k.value for k in ConsentKind], required=True)
        on = c.date("on", required=True)
        assert kind is not None and on is not None
        consent = ConsentFact(kind, on, c.get("by", str))
    facts = CaseFacts(
        history=tuple(history),
        lead_professional=case.get("lead_professional", str),
        consent=consent,
        stepped_down_from_team=case.get("stepped_down_from_team", str),
        stepped_down_on=case.date("stepped_down_on"),
        team=case.get("team", str),
        declined_early_help_on=case.date("declined_early_help_on"),
    )

    prop = _Keys(top.get("proposal", dict, required=True), "proposal")
    prop.check_known(
        "movement",
        "to_plan",
        "reasons",
        "attachments",
        "triggers",
        "outcome",
        "rationale",
        "effective_on",
        "review_on",
        "lead_professional",
        "exit_strategy",
        "without_consent_reason",
        "without_consent_manager",
        "cp_concern",
        "team_manager",
        "threshold_uncertain",
        "mapping_note",
        "joint_visit",
        "family_informed",
        "receiving_team",
    )
    movement = prop.choice("movement", [m.value for m in Movement], required=True)
    to_plan = prop.choice("to_plan", plans, required=True)
    assert movement is not None and to_plan is not None
    proposal = Proposal(
        movement=movement,
        to_plan=to_plan,
        reasons=prop.strings("reasons"),
        attachments=prop.strings("attachments"),
        triggers=prop.strings("triggers"),
        outcome=prop.choice("outcome", [o.value for o in Outcome]),
        rationale=prop.get("rationale", str) or "",
        effective_on=prop.date("effective_on"),
        review_on=prop.date("review_on"),
        lead_professional=prop.get("lead_professional", str),
        exit_strategy=prop.get("exit_strategy", str),
        without_consent_reason=prop.get("without_consent_reason", str),
        without_consent_manager=prop.get("without_consent_manager", str),
        cp_concern=bool(prop.get("cp_concern", bool)),
        team_manager=prop.get("team_manager", str),
        threshold_uncertain=bool(prop.get("threshold_uncertain", bool)),
        mapping_note=prop.get("mapping_note", str),
        joint_visit=prop.choice("joint_visit", ["none", "with_consent", "without_consent"]),
        family_informed=_told(prop),
        receiving_team=prop.get("receiving_team", str),
    )
    return Scenario(today, region, facts, proposal, top.get("profile", str))


def _told(prop: _Keys) -> tuple[str, ...] | None:
    if prop.get("family_informed", list) is None:
        return None
    told = prop.strings("family_informed")
    for index, item in enumerate(told):
        if item not in ("why", "how_long", "concerns"):
            raise ScenarioError(
                f"proposal.family_informed[{index}]: '{item}' is not one of: why, how_long, "
                "concerns"
            )
    return told


def scenario_profile(path: Path) -> str | None:
    """The ``profile`` a scenario file names, read before it is checked against one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    name = data.get("profile") if isinstance(data, dict) else None
    return name if isinstance(name, str) else None


def load_scenario(path: Path, profile: Profile) -> Scenario:
    """Read and check a scenario file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not a UTF-8 text file") from None
    except json.JSONDecodeError as error:
        raise ScenarioError(
            f"{path}: not valid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    return parse_scenario(data, profile)
