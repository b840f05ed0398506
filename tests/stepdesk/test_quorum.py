"""Quoracy from the profile's meeting types (001 §4: the CIN panel's chair and an EH manager)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from stepdesk.errors import ProfileError
from stepdesk.profile import load_profile, parse_profile
from stepdesk.quorum import Member, assess

CHAIR = Member("Philip Smith", "chair", "family_safeguarding")
EH_MANAGER = Member("Janet Williams", "manager", "early_help")
FS_MANAGER = Member("Paul García", "manager", "family_safeguarding")


def test_cin_panel_needs_its_chair_and_an_early_help_manager() -> None:
    cin = load_profile().meeting_type("cin_panel")
    assert assess(cin, [CHAIR, EH_MANAGER]).quorate
    verdict = assess(cin, [CHAIR, FS_MANAGER])
    assert not verdict.quorate
    assert verdict.missing == ("An Early Help manager or deputy (0 of 1 present)",)
    assert "Not quorate" in verdict.explain()


def test_one_person_counts_once() -> None:
    erm = load_profile().meeting_type("erm")
    assert not assess(erm, [EH_MANAGER]).quorate
    assert assess(erm, [EH_MANAGER, Member("Siân Booth", "manager", "early_help")]).quorate


def test_unknown_meeting_type_has_no_quorum() -> None:
    assert assess(None, []).quorate


def test_a_quorum_with_an_unknown_role_is_refused() -> None:
    raw = tomllib.loads(Path(load_profile().source).read_text(encoding="utf-8"))
    raw["meeting_types"][0]["quorum"] = [{"who": "x", "role": "chiar"}]
    with pytest.raises(ProfileError, match=r"quorum\[0\]\.role: 'chiar' is not one of"):
        parse_profile(raw, "bad.toml")
