from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette

from backend.api.app import create_app
from backend.core.db import make_engine, make_sessionmaker
from backend.core.models import DataSource, ModelFile, ModelVersion
from backend.core.settings import load_settings

PASSWORD = "correct horse battery"


@pytest.fixture
async def app(metadata_url: str, tmp_path: Path) -> AsyncIterator[Starlette]:
    settings = load_settings({"DATA_DIR": str(tmp_path), "DATABASE_URL": metadata_url,
                              "SECRET_KEY": "test-secret-key-for-the-suite"})
    engine = make_engine(metadata_url)
    yield create_app(settings, engine=engine)
    await engine.dispose()


class Client:
    """A browser-like GraphQL client: keeps its cookie jar, sends same-origin requests."""

    def __init__(self, app: Starlette, addr: str = "127.0.0.1"):
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=(addr, 50000)),
            base_url="http://testserver",
            headers={"Origin": "http://testserver"},
        )

    async def gql(self, query: str, **variables: Any) -> dict[str, Any]:
        r = await self.http.post("/graphql", json={"query": query, "variables": variables})
        body: dict[str, Any] = r.json()
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    async def raw(self, query: str, **variables: Any) -> httpx.Response:
        return await self.http.post("/graphql", json={"query": query, "variables": variables})

    async def sign_up(self, email: str | None = None, name: str = "Ann") -> dict[str, Any]:
        email = email or unique_email()
        data = await self.gql(SIGN_UP, input={"email": email, "password": PASSWORD,
                                              "displayName": name})
        result: dict[str, Any] = data["signUp"]
        assert result["__typename"] == "AuthPayload", result
        viewer: dict[str, Any] = result["viewer"]
        return viewer

    async def close(self) -> None:
        await self.http.aclose()


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}@example.com"


SIGN_UP = """
mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) {
    __typename
    ... on AuthPayload { viewer { id email displayName teams { id name role personal } } }
    ... on UserError { code message field }
  }
}"""

LOG_IN = """
mutation LogIn($input: LogInInput!) {
  logIn(input: $input) {
    __typename
    ... on AuthPayload { viewer { id email } }
    ... on UserError { code message field }
  }
}"""


@pytest.fixture
async def client_factory(app: Starlette) -> AsyncIterator[Any]:
    clients: list[Client] = []

    def make(addr: str = "127.0.0.1") -> Client:
        c = Client(app, addr)
        clients.append(c)
        return c

    yield make
    for c in clients:
        await c.close()


CREATE_TEAM = """mutation($input: CreateTeamInput!) { createTeam(input: $input) {
  __typename ... on Team { id name viewerRole } ... on UserError { code message field } } }"""
INVITE = """mutation($input: InviteMemberInput!) { inviteMember(input: $input) {
  __typename ... on Member { id role user { email } } ... on Invitation { id email role }
  ... on UserError { code message field } } }"""
TEAM = """query($id: ID!) { team(id: $id) { id name viewerRole
  members { id role user { email } } invitations { email role } } }"""
ACCEPT = """mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) {
  __typename ... on Team { id name viewerRole } ... on UserError { code message field } } }"""
DECLINE = """mutation($input: DeclineInvitationInput!) { declineInvitation(input: $input) {
  __typename ... on ReceivedInvitation { id role team { id name } }
  ... on UserError { code message field } } }"""
MY_INVITATIONS = """{ viewer { invitations { id role invitedBy team { id name } } } }"""


async def join(inviter: Client, invitee: Client, team_id: str, email: str, role: str) -> str:
    """Invite ``email`` and let ``invitee`` accept; returns the new member's id."""
    r = (await inviter.gql(INVITE, input={"teamId": team_id, "email": email,
                                          "role": role.upper()}))["inviteMember"]
    assert r["__typename"] == "Invitation", r
    accepted = (await invitee.gql(ACCEPT, input={"invitationId": r["id"]}))["acceptInvitation"]
    assert accepted["__typename"] == "Team", accepted
    team = (await inviter.gql(TEAM, id=team_id))["team"]
    return str(next(m["id"] for m in team["members"] if m["user"]["email"] == email))


class World:
    """A team with one person in each role, and an outsider."""

    def __init__(self, owner: Client, admin: Client, member: Client, outsider: Client,
                 team_id: str, ids: dict[str, str], emails: dict[str, str]):
        self.owner, self.admin, self.member, self.outsider = owner, admin, member, outsider
        self.team_id, self.ids, self.emails = team_id, ids, emails

    def as_role(self, role: str) -> Client:
        return {"owner": self.owner, "admin": self.admin, "member": self.member,
                "outsider": self.outsider}[role]


@pytest.fixture
async def world(client_factory: Any) -> World:
    clients = {}
    emails = {}
    for role in ("owner", "admin", "member", "outsider"):
        c = client_factory()
        emails[role] = unique_email(role)
        await c.sign_up(emails[role], name=role.title())
        clients[role] = c
    created = (await clients["owner"].gql(CREATE_TEAM, input={"name": "Analytics"}))["createTeam"]
    team_id = created["id"]
    ids = {}
    for role in ("admin", "member"):
        ids[role] = await join(clients["owner"], clients[role], team_id, emails[role], role)
    team = (await clients["owner"].gql(TEAM, id=team_id))["team"]
    ids["owner"] = next(m["id"] for m in team["members"] if m["role"] == "OWNER")
    return World(clients["owner"], clients["admin"], clients["member"], clients["outsider"],
                 team_id, ids, emails)




@pytest.fixture
async def meta(metadata_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Direct access to the metadata database, for setting up what GraphQL cannot (old data,
    expired invitations) and for checking what a refusal left behind."""
    engine = make_engine(metadata_url)
    yield make_sessionmaker(engine)
    await engine.dispose()


async def add_source_with_models(maker: async_sessionmaker[AsyncSession], team_id: str,
                                 path: Path, files: dict[str, str]) -> tuple[str, str]:
    """A SQLite data source row (no connection made) with one model version; returns
    (data source id, version id)."""
    async with maker() as db:
        ds = DataSource(team_id=team_id, name="shop", type="SQLITE", params={"path": str(path)})
        db.add(ds)
        await db.flush()
        version = ModelVersion(data_source_id=ds.id, branch="main", checksum="0" * 64,
                               number=1)
        db.add(version)
        await db.flush()
        db.add_all(ModelFile(version_id=version.id, name=n, code=c) for n, c in files.items())
        await db.commit()
        return ds.id, version.id
