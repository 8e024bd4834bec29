"""A SQL password appears in the answer that created it and nowhere else: not in the metadata
DB (file bytes on SQLite, every table on PostgreSQL), not in the logs, not in any later
GraphQL answer or download without the token."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from backend.core.services import credentials as svc
from backend.core.services.feed import FeedSubscriber
from tests.credentials.conftest import DS_SECRET, SECRET_KEY, World
from tests.credentials.test_api import AUDIT, CRED_FIELDS, DELETE, LIST, ROTATE, UPDATE, create_ok


def metadata_dump(metadata_url: str) -> bytes:
    url = make_url(metadata_url)
    if url.get_backend_name() == "sqlite":
        path = Path(str(url.database))
        return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"))
                        if p.exists())
    import psycopg

    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    out: list[str] = []
    with psycopg.connect(dsn) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")]
        assert "sql_credentials" in tables
        for table in tables:
            out.extend(r[0] for r in conn.execute(
                f'SELECT row_to_json(t)::text FROM "{table}" t'))
    return "\n".join(out).encode()


async def test_passwords_appear_only_in_the_creating_answer(
        world: World, metadata_url: str, engine: AsyncEngine,
        maker: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # SQL and its parameters
    feed = FeedSubscriber(engine, SECRET_KEY)
    await feed.start()
    try:
        later: list[str] = []  # every answer after the one that gave out a password
        secrets: list[str] = []

        created = await create_ok(world, "member")
        secrets.append(created["password"])
        cred = created["credential"]
        rotated = (await world["member"].gql(ROTATE, input={"id": cred["id"]})
                   )["rotateSqlCredentialPassword"]
        secrets.append(rotated["password"])
        assert rotated["password"] != created["password"]

        for client in ("owner", "admin", "member"):
            later.append(str(await world[client].gql(LIST, teamId=world.team_id)))
        one = "query($id: ID!) { sqlCredential(id: $id) { FIELDS } }".replace("FIELDS",
                                                                                CRED_FIELDS)
        later.append(str(await world["owner"].gql(one, id=cred["id"])))
        later.append(str(await world["owner"].gql(AUDIT, teamId=world.team_id)))
        later.append(str(await world["owner"].gql(UPDATE, input={"id": cred["id"],
                                                                 "dataSourceId": world.ds[1]})))
        for fmt in ("json", "env"):
            r = await world["member"].http.get(f"/api/credentials/{cred['id']}/download",
                                               params={"format": fmt})
            later.append(r.text)
        async with maker() as db:
            await svc.record_login(db, cred["username"], False, "203.0.113.9")
            await db.commit()
        await feed.catch_up()
        grant = feed.lookup(cred["username"])
        assert grant is not None
        later.append(repr(grant))  # what the gateways hold: the verifier, not the password
        later.append(str(await world["member"].gql(DELETE, input={"id": cred["id"]})))
        await feed.catch_up()
    finally:
        await feed.stop()

    dump = metadata_dump(metadata_url)
    assert cred["username"].encode() in dump  # the dump does see the credential rows
    logs = caplog.text
    assert "INSERT INTO sql_credentials" in logs  # SQL with its parameters was logged
    for password in secrets:
        assert password.encode() not in dump
        assert password not in logs
        for answer in later:
            assert password not in answer
    # The one-time download tokens and the data source's password are not stored either.
    for token in (created["downloadToken"], rotated["downloadToken"], DS_SECRET):
        assert token.encode() not in dump
        assert token not in logs
    assert DS_SECRET not in repr([a for a in later if "SCRAM" not in a])


async def test_session_registry_counts_open_sessions(world: World, client_factory: Any) -> None:
    from backend.api.features.credentials.types import SESSIONS_KEY
    from backend.core.services.feed import SessionRegistry

    cred = (await create_ok(world, "member"))["credential"]
    registry = SessionRegistry()
    app = world["owner"].http._transport.app  # type: ignore[attr-defined]
    app.state.services.extra[SESSIONS_KEY] = registry
    registry.opened(cred["username"])
    registry.opened(cred["username"])
    registry.closed(cred["username"])
    listed = (await world["owner"].gql(LIST, teamId=world.team_id))["sqlCredentials"]
    assert [c["openSessions"] for c in listed] == [1]
