"""Staff and teams for pickers, and who the desktop app acts as."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from stepdesk.domain import Role
from stepdesk.errors import NotFoundError
from stepdesk.persistence.models import Team, User
from stepdesk.services.views import PersonOption, TeamOption
from stepdesk.services.workspace import Actor, Workspace


def list_people(ws: Workspace) -> list[PersonOption]:
    """Active staff, by name."""
    with ws.db.session() as s:
        users = s.scalars(
            select(User)
            .where(User.active.is_(True))
            .options(selectinload(User.team))
            .order_by(User.name)
        ).all()
        return [
            PersonOption(u.id, u.name, u.role, u.job_title, u.team.name if u.team else None)
            for u in users
        ]


def list_teams(ws: Workspace) -> list[TeamOption]:
    """Every team, by name."""
    with ws.db.session() as s:
        return [
            TeamOption(t.id, t.name, t.service)
            for t in s.scalars(select(Team).order_by(Team.name)).all()
        ]


def actor_for(ws: Workspace, user_id: int) -> Actor:
    """The actor for a user id."""
    with ws.db.session() as s:
        user = s.get(User, user_id)
        if user is None or not user.active:
            raise NotFoundError(f"No active user with id {user_id}.")
        return Actor(user.id, user.name, user.role)


def default_actor(ws: Workspace) -> Actor:
    """Who the desktop app acts as until sign-in exists: the first active chair.

    Falls back to the first active administrator, then to any active user.
    """
    with ws.db.session() as s:
        for role in (Role.CHAIR, Role.ADMINISTRATOR, None):
            query = select(User).where(User.active.is_(True)).order_by(User.id)
            if role is not None:
                query = query.where(User.role == role)
            user = s.scalars(query).first()
            if user is not None:
                return Actor(user.id, user.name, user.role)
    raise NotFoundError("The database has no users yet: create one, or open the demo.")
