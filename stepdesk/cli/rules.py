"""``stepdesk rules`` and ``stepdesk rules check``: the protocol's rules, and what-if findings."""

from __future__ import annotations

import argparse
from pathlib import Path


def cmd_rules(args: argparse.Namespace) -> int:
    """List each rule the profile applies: id, severity, what it checks, citation."""
    from stepdesk.domain import RULE_IDS
    from stepdesk.profile import load_profile
    from stepdesk.rules import RULES

    profile = load_profile(args.profile or "default")
    for rule_id in RULE_IDS:
        setting = profile.rules.get(rule_id)
        if setting is not None and not setting.applies:
            print(f"{rule_id}\tnot applicable\t{setting.reason}\t{setting.citation}")
            continue
        if setting is not None:
            checks = RULES[rule_id].checks if rule_id in RULES else "(not implemented yet)"
            who = " or ".join(profile.override_roles_for(rule_id))
            extra = f" Override: {who}." if setting.severity == "block" else ""
            print(f"{rule_id}\t{setting.severity}\t{checks}{extra}\t{setting.citation}")
        for ts in profile.timescales.values():
            if ts.rule == rule_id:
                what = f"{ts.what}: {ts.relation()} the {ts.anchor.replace('_', ' ')}."
                print(f"{rule_id}\tdeadline\t{what}\t{ts.citation}")
        if setting is None and not profile.applies(rule_id):
            print(f"{rule_id}\tnot configured\t(this profile says nothing about it)\t")
    return 0


def cmd_rules_check(args: argparse.Namespace) -> int:
    """Evaluate a what-if scenario file and print the findings as JSON."""
    import dataclasses
    import json

    from stepdesk.profile import load_profile
    from stepdesk.rules import evaluate
    from stepdesk.rules.scenario import load_scenario, scenario_profile

    path = Path(args.scenario)
    profile = load_profile(args.profile or scenario_profile(path) or "default")
    scenario = load_scenario(path, profile)
    if scenario.region and scenario.region != profile.region:
        profile = dataclasses.replace(profile, region=scenario.region)
    findings = evaluate(scenario.case, scenario.proposal, profile, scenario.today)
    print(json.dumps({"findings": [f.to_dict() for f in findings]}, indent=2, ensure_ascii=False))
    return 0
