"""Migration 0002 on SQLite and PostgreSQL: existing teams keep what their admins could read.

A team whose admins had an access list before model authoring became a setting gets
``model_author_role = 'owner'`` (the admins stay restricted and lose authoring, rather than
keep an access list their models could read past); every other team gets the default
``admin``. Stored invitations with the owner role are dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from backend.core.db import make_engine, migrate_async
from tests.conftest import _create_pg_database, _drop_pg_database
from tests.services import require_postgres


@pytest.fixture(params=["sqlite", "postgres"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
        return
    require_postgres()
    name, url = _create_pg_database()
    try:
        yield url
    finally:
        _drop_pg_database(name)


async def test_upgrade_keeps_restricted_admins_restricted(fresh_url: str) -> None:
    await migrate_async(fresh_url, "0001")
    now = datetime.now(UTC)
    engine = make_engine(fresh_url)
    try:
        async with engine.begin() as conn:
            for team in ("restricted", "open", "jsonnull"):
                await conn.execute(sa.text(
                    "INSERT INTO teams (id, name, personal, created_at) "
                    "VALUES (:id, :id, false, :now)"), {"id": team, "now": now})
            rows = [("a1", "restricted", "admin", '["orders.count"]'),
                    ("a2", "open", "member", '["orders"]'),
                    ("a3", "jsonnull", "admin", "null")]
            for id_, team, role, allowed in rows:
                await conn.execute(sa.text(
                    "INSERT INTO access_lists (id, team_id, role, allowed, updated_at) "
                    "VALUES (:id, :team, :role, :allowed, :now)"),
                    {"id": id_, "team": team, "role": role, "allowed": allowed, "now": now})
            for id_, role in (("i1", "owner"), ("i2", "member")):
                await conn.execute(sa.text(
                    "INSERT INTO invitations (id, team_id, email, role, created_at) "
                    "VALUES (:id, 'open', :email, :role, :now)"),
                    {"id": id_, "email": f"{id_}@example.com", "role": role, "now": now})
    finally:
        await engine.dispose()
    await migrate_async(fresh_url)
    engine = make_engine(fresh_url)
    try:
        async with engine.connect() as conn:
            result = await conn.execute(sa.text("SELECT id, model_author_role FROM teams"))
            authors = {str(id_): str(role) for id_, role in result}
            invitations = (await conn.execute(sa.text(
                "SELECT id FROM invitations"))).scalars().all()
    finally:
        await engine.dispose()
    assert authors == {"restricted": "owner", "open": "admin", "jsonnull": "admin"}
    assert invitations == ["i2"]
