"""A team with one person in each role (and an outsider with a team of their own), data
sources in both teams, and the web app with the credential download route."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette

from backend.api.app import create_app
from backend.api.context import SESSION_COOKIE
from backend.api.features.credentials.download import routes
from backend.core.db import make_engine, make_sessionmaker
from backend.core.models import DataSource, Member, Team, User
from backend.core.security import SecretBox
from backend.core.services import accounts
from backend.core.services.authz import Actor
from backend.core.settings import Settings, load_settings
from tests.api.conftest import Client, client_factory, unique_email

__all__ = ["client_factory"]

SECRET_KEY = "test-secret-key-for-the-suite"
ROLES = ("owner", "admin", "member")
DS_SECRET = "source-pw-" + uuid.uuid4().hex  # a data-source password, sealed at rest


@pytest.fixture
def settings(metadata_url: str, tmp_path: Path) -> Settings:
    return load_settings({"DATA_DIR": str(tmp_path), "DATABASE_URL": metadata_url,
                          "SECRET_KEY": SECRET_KEY, "PUBLIC_HOST": "sql.example.test",
                          "PUBLIC_PG_PORT": "15432", "PUBLIC_MYSQL_PORT": "13306",
                          "FEED_POLL_INTERVAL_MS": "20"})


@pytest.fixture
async def engine(metadata_url: str) -> AsyncIterator[AsyncEngine]:
    eng = make_engine(metadata_url)
    yield eng
    await eng.dispose()


@pytest.fixture
def maker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return make_sessionmaker(engine)


@pytest.fixture
def app(settings: Settings, engine: AsyncEngine) -> Starlette:
    return create_app(settings, engine=engine, extra_routes=list(routes()))


def add_data_source(db: AsyncSession, team_id: str, name: str = "warehouse",
                    type_: str = "POSTGRES") -> DataSource:
    if type_ == "SQLITE":
        ds = DataSource(team_id=team_id, name=name, type=type_, params={"path": "/tmp/x.db"})
    else:
        ds = DataSource(team_id=team_id, name=name, type=type_,
                        params={"host": "db.internal", "port": 5432, "database": "shop",
                                "user": "reader", "ssl": "disable"},
                        secret=SecretBox(SECRET_KEY).seal({"password": DS_SECRET}))
    db.add(ds)
    return ds


@dataclass
class Team3:
    """Service-level world: ids of a team with an owner, an admin and a member."""

    team_id: str
    users: dict[str, str]  # role → user id (and "outsider")
    members: dict[str, str]  # role → member id
    emails: dict[str, str]
    ds: list[str]  # two data sources of the team
    other_team_id: str
    other_ds: str  # a data source of the outsider's team

    def actor(self, role: str) -> Actor:
        return Actor(self.users[role], "192.0.2.7")


async def make_team3(db: AsyncSession) -> Team3:
    team = Team(name="Analytics")
    other = Team(name="Elsewhere")
    db.add_all([team, other])
    await db.flush()
    users, members, emails = {}, {}, {}
    for role in (*ROLES, "outsider"):
        emails[role] = unique_email(role)
        user = User(email=emails[role], display_name=role.title(), password_hash="x")
        db.add(user)
        await db.flush()
        users[role] = user.id
        member = Member(team_id=team.id if role != "outsider" else other.id, user_id=user.id,
                        role=role if role != "outsider" else "owner")
        db.add(member)
        await db.flush()
        members[role] = member.id
    ds = [add_data_source(db, team.id, "warehouse"), add_data_source(db, team.id, "lake",
                                                                     "SQLITE")]
    other_ds = add_data_source(db, other.id, "theirs")
    await db.flush()
    await db.commit()
    return Team3(team.id, users, members, emails, [d.id for d in ds], other.id, other_ds.id)


@pytest.fixture
async def team3(maker: async_sessionmaker[AsyncSession]) -> Team3:
    async with maker() as db:
        return await make_team3(db)


@dataclass
class World:
    """GraphQL-level world: a logged-in client per role (outsider too), plus the ids."""

    clients: dict[str, Client]
    team: Team3

    def __getitem__(self, role: str) -> Client:
        return self.clients[role]

    @property
    def team_id(self) -> str:
        return self.team.team_id

    @property
    def members(self) -> dict[str, str]:
        return self.team.members

    @property
    def ds(self) -> list[str]:
        return self.team.ds

    @property
    def other_ds(self) -> str:
        return self.team.other_ds


@pytest.fixture
async def world(client_factory: Any, team3: Team3, maker: async_sessionmaker[AsyncSession]
                ) -> World:
    """Clients logged in with a session made directly (sign-up's argon2 is tested elsewhere)."""
    clients: dict[str, Client] = {}
    async with maker() as db:
        for role in (*ROLES, "outsider"):
            user = await db.get_one(User, team3.users[role])
            _, token = await accounts.log_in_user(db, user, ttl_hours=1)
            c = client_factory()
            c.http.cookies.set(SESSION_COOKIE, token)
            clients[role] = c
        await db.commit()
    return World(clients, team3)
