"""Profiles load, and a bad one is refused with the file, the key and the fix."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from resources import PROFILES_DIR
from stepdesk.errors import ProfileError
from stepdesk.profile import load_profile, load_profile_file

DOMAIN = next(
    (
        base / "shared" / "DOMAIN.md"
        for base in Path(__file__).resolve().parents
        if (base / "shared" / "DOMAIN.md").exists()
    ),
    Path("shared/DOMAIN.md"),
)


def test_default_profile_has_every_timescale_of_the_domain() -> None:
    profile = load_profile()
    assert profile.region == "england-and-wales"
    assert {p.code for p in profile.plans} >= {
        "universal",
        "early_help",
        "cin",
        "cp",
        "looked_after",
    }
    rules = {ts.rule for ts in profile.timescales.values()}
    expected = {
        "T-FORM-48H",
        "T-AGENDA-24H",
        "T-EFFECT-24H",
        "T-HANDOVER",
        "T-ESCALATE-24H",
        "T-MINUTES-48H",
        "T-COWORK-10D",
        "T-REEMERGE-3M",
        "T-CIN-MEETING-7D",
        "T-ICPC-15D",
        "T-CIN-REVIEW-4W",
        "T-CP-CIN-3M",
        "T-EHA-20WD",
        "T-STEPIN-8W",
    }
    assert expected <= rules
    for ts in profile.timescales.values():
        assert ts.citation


@pytest.mark.skipif(not DOMAIN.exists(), reason="shared/DOMAIN.md is beside the repository")
def test_profile_timescales_match_domain_ids() -> None:
    ids = set(re.findall(r"^- (T-[A-Z0-9-]+)", DOMAIN.read_text(encoding="utf-8"), re.M))
    assert ids == {ts.rule for ts in load_profile().timescales.values()}


def write_variant(tmp_path: Path, old: str, new: str) -> Path:
    text = (PROFILES_DIR / "default.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "council.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('level = "L3"', 'level = "L9"', "plans[1].level: 'L9' is not one of"),
        ("amount = 48", "amount = -2", "timescales.T-FORM-48H.amount: must be more than 0"),
        ('unit = "hours"', 'unit = "fortnights"', "timescales.T-FORM-48H.unit: 'fortnights'"),
        (
            'what = "Handover visit arranged"',
            'wat = "x"',
            "timescales.T-HANDOVER.wat: is not a known",
        ),
        ('severity = "block"', 'severity = "stop"', "rules.C-CONSENT-DOWN.severity"),
        ('rule = "T-HANDOVER"', 'rule = "HANDOVER"', "must be a rule id"),
        ('region = "england-and-wales"', 'region = "wessex"', "profile.region"),
    ],
)
def test_bad_profiles_are_refused_with_file_and_key(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path = write_variant(tmp_path, old, new)
    with pytest.raises(ProfileError) as info:
        load_profile_file(path)
    assert str(path) in str(info.value)
    assert expected in str(info.value)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[profile\nname = 1", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"broken\.toml: not valid TOML"):
        load_profile_file(path)


def test_missing_profile(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="no such profile file"):
        load_profile_file(tmp_path / "nope.toml")


def test_shipped_profiles_are_valid_toml() -> None:
    for path in PROFILES_DIR.glob("*.toml"):
        tomllib.loads(path.read_text(encoding="utf-8"))
        load_profile_file(path)
