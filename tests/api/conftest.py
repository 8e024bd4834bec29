from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from backend.api.app import create_app
from backend.core.db import make_engine
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
        return result["viewer"]

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
