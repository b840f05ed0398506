"""`stepdesk demo --cases N`: a council of any size around the same 220-case story."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select

from stepdesk.demo import create_demo
from stepdesk.demo_scale import names
from stepdesk.persistence.models import Case, MinutesVersion, Panel, Subject

TODAY = dt.date(2026, 11, 23)


def test_a_larger_council_keeps_the_story_and_adds_years_of_history(tmp_path: Path) -> None:
    small = create_demo(tmp_path / "small.db", seed=1, today=TODAY)
    large = create_demo(tmp_path / "large.db", seed=1, today=TODAY, cases=1500)
    with small.session() as s, large.session() as t:
        story = list(s.execute(select(Case.reference, Subject.given_name).join(Case.subject)))
        first = list(
            t.execute(
                select(Case.reference, Subject.given_name)
                .join(Case.subject)
                .order_by(Case.id)
                .limit(len(story))
            )
        )
        assert first == story  # the 220-case story is the same whatever the size
        assert t.scalar(select(func.count()).select_from(Case)) == 1500
        history = select(Case).where(Case.reference.like("C-2%"))
        closed = t.scalar(
            select(func.count()).select_from(history.where(Case.closed_on.is_not(None)).subquery())
        )
        assert closed and closed > 1000  # most of a council's cases are closed
        finished = t.scalar(
            select(func.count()).where(Panel.finished_at < dt.datetime(2026, 11, 1))
        )
        approved = t.scalar(select(func.count()).select_from(MinutesVersion))
        assert finished and finished > 20 and approved and approved >= finished - 1
        given = set(names("given_names"))
        extra = set(t.scalars(select(Subject.given_name).where(Subject.id > len(story))))
        assert extra <= given  # history names come from resources/demo/, not a library
    small.close()
    large.close()
