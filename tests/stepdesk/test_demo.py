"""The synthetic demo database is realistic enough to run a panel on, and repeatable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from stepdesk.demo import ACCENTED_FAMILY, ACCENTED_GIVEN, create_demo
from stepdesk.persistence.models import Case, Consent, Panel, PlanEpisode, Subject, Team, User
from stepdesk.quorum import Member, assess
from stepdesk.services import Workspace

from ..conftest import TODAY


def count(ws: Workspace, model: type) -> int:
    with ws.db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_demo_has_the_volumes_a_real_panel_sees(demo_ws: Workspace) -> None:
    assert count(demo_ws, Team) >= 3
    assert count(demo_ws, User) >= 20
    assert count(demo_ws, Case) >= 200
    assert count(demo_ws, Consent) > 20
    assert count(demo_ws, PlanEpisode) > count(demo_ws, Case)  # histories, not single spells


def test_demo_has_three_upcoming_panels_and_one_past(demo_ws: Workspace) -> None:
    with demo_ws.db.session() as s:
        panels = s.scalars(select(Panel).order_by(Panel.starts_at)).all()
        upcoming = [p for p in panels if p.starts_at.date() > TODAY]
        past = [p for p in panels if p.starts_at.date() < TODAY]
        assert len(upcoming) == 3
        assert all(6 <= len(p.items) <= 10 for p in upcoming)
        assert len(past) == 1
        assert past[0].status == "finished"
        assert all(item.decision is not None for item in past[0].items)


def test_demo_histories_cover_every_level(demo_ws: Workspace) -> None:
    with demo_ws.db.session() as s:
        plans = set(s.scalars(select(Case.plan).distinct()))
    assert plans >= {"universal", "early_help", "cin", "cp"}


def test_demo_names_include_accents(demo_ws: Workspace) -> None:
    with demo_ws.db.session() as s:
        names = {(g, f) for g, f in s.execute(select(Subject.given_name, Subject.family_name))}
    assert any(g in ACCENTED_GIVEN or f in ACCENTED_FAMILY for g, f in names)


def test_same_seed_same_data(tmp_path: Path) -> None:
    def names(path: Path, seed: int) -> list[str]:
        db = create_demo(path, seed=seed, today=dt.date(2026, 11, 23))
        with db.session() as s:
            result = list(s.scalars(select(Subject.given_name).order_by(Subject.id)))
        db.close()
        return result

    first = names(tmp_path / "a.db", 7)
    assert first == names(tmp_path / "b.db", 7)
    assert first != names(tmp_path / "c.db", 8)


def test_demo_never_overwrites_without_replace(tmp_path: Path) -> None:
    path = tmp_path / "mine.db"
    path.write_bytes(b"precious")
    with pytest.raises(FileExistsError):
        create_demo(path)
    assert path.read_bytes() == b"precious"


def test_every_upcoming_panel_invites_enough_members_to_be_quorate(demo_ws: Workspace) -> None:
    # 001 §4: a CIN panel needs an Early Help manager or deputy, an ERM two of them.
    now = dt.datetime.combine(TODAY, dt.time(9, 0))
    with demo_ws.db.session() as s:
        panels = s.scalars(select(Panel).where(Panel.starts_at > now)).all()
        assert {p.meeting_type for p in panels} >= {"cin_panel", "erm"}
        for panel in panels:
            everyone = [
                Member(a.user.name, a.user.role, a.user.team.service if a.user.team else None)
                for a in panel.attendance
            ]
            verdict = assess(demo_ws.profile.meeting_type(panel.meeting_type), everyone)
            assert verdict.quorate, (panel.meeting_type, verdict.missing)
