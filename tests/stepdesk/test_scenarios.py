"""The shipped what-if scenarios give their expected findings; bad files are named clearly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stepdesk.profile import load_profile
from stepdesk.rules import evaluate
from stepdesk.rules.scenario import ScenarioError, load_scenario, parse_scenario, scenario_profile

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "docs" / "scenarios").glob("*.json"))
PROFILE = load_profile()


def test_there_are_a_dozen_examples() -> None:
    assert len(SCENARIOS) >= 12


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_example_gives_its_expected_findings(path: Path) -> None:
    expected = json.loads(path.read_text(encoding="utf-8"))["expected"]
    profile = load_profile(scenario_profile(path) or "default")
    scenario = load_scenario(path, profile)
    findings = evaluate(scenario.case, scenario.proposal, profile, scenario.today)
    assert [{"rule": f.rule, "severity": f.severity} for f in findings] == expected


def test_cli_prints_findings_as_json() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "stepdesk", "rules", "check", str(SCENARIOS[0])],
        capture_output=True,
        text=True,
        check=True,
    )
    findings = json.loads(out.stdout)["findings"]
    assert findings[0]["rule"] == "T-CP-CIN-3M"
    assert findings[0]["citation"] == "004 5.1"


def good() -> dict[str, object]:
    return json.loads(SCENARIOS[0].read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(today="23/11/2026"), "today: '23/11/2026' is not a date"),
        (lambda d: d["proposal"].update(movement="sideways"), "proposal.movement: 'sideways'"),
        (lambda d: d["proposal"].update(to_plan="cinn"), "proposal.to_plan: 'cinn' is not one of"),
        (lambda d: d["case"].update(histroy=[]), "case.histroy: unknown key"),
        (lambda d: d["case"]["history"][0].update(plan=3), "case.history[0].plan: must be a str"),
        (
            lambda d: d["case"].update(consent={"kind": "maybe", "on": "2026-01-01"}),
            "case.consent.kind: 'maybe'",
        ),
        (lambda d: d.pop("proposal"), "proposal: missing"),
    ],
)
def test_bad_scenarios_name_the_key(change, message: str) -> None:  # type: ignore[no-untyped-def]
    data = good()
    change(data)
    with pytest.raises(ScenarioError) as info:
        parse_scenario(data, PROFILE)
    assert message in str(info.value)


def test_malformed_json_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"today": "2026-11-23",', encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "stepdesk", "rules", "check", str(bad)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1
    assert "not valid JSON at line 1" in out.stderr


def test_every_rule_of_each_profile_is_shown_by_some_example() -> None:
    """Each implemented rule of each shipped profile fires in at least one example."""
    seen: dict[str, set[str]] = {}
    for path in SCENARIOS:
        data = json.loads(path.read_text(encoding="utf-8"))
        seen.setdefault(data.get("profile", "default"), set()).update(
            e["rule"] for e in data["expected"]
        )
    for name in ("default", "learning-disability"):
        profile = load_profile(name)
        checked = {r for r, s in profile.rules.items() if s.applies}
        # M-ANNUAL is the yearly monitoring report (issue 18), never a finding on a case.
        never_fire = {"C-STORY-ONCE", "C-NO-ENGAGEMENT", "M-ANNUAL"}
        missing = checked - seen.get(name, set()) - never_fire
        assert not missing, f"{name}: no example shows {sorted(missing)}"


def test_learning_disability_scenario_through_the_cli() -> None:
    path = next(p for p in SCENARIOS if p.stem == "ld-02-step-up-open-ended")
    out = subprocess.run(
        [sys.executable, "-m", "stepdesk", "rules", "check", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    rules = [f["rule"] for f in json.loads(out.stdout)["findings"]]
    assert rules[:3] == ["C-REVIEW-EXIT", "C-REVIEW-EXIT", "C-FAMILY-INFORMED"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["proposal"].update(joint_visit="maybe"), "proposal.joint_visit: 'maybe'"),
        (
            lambda d: d["proposal"].update(family_informed=["why", "when"]),
            "proposal.family_informed[1]: 'when'",
        ),
        (lambda d: d["proposal"].update(cp_concern="yes"), "proposal.cp_concern: must be a bool"),
        (
            lambda d: d["case"].update(declined_early_help_on="soon"),
            "case.declined_early_help_on: 'soon' is not a date",
        ),
    ],
)
def test_new_keys_are_checked(change, message: str) -> None:  # type: ignore[no-untyped-def]
    data = good()
    change(data)
    with pytest.raises(ScenarioError) as info:
        parse_scenario(data, PROFILE)
    assert message in str(info.value)
