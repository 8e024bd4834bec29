"""Fixtures shared across the suite: metadata databases on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from backend.eventloop import loop_factory
from tests.services import EVENT_LOOP, PG_ADMIN_DSN, require_postgres


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item
                                  ) -> dict[str, Callable[[], asyncio.AbstractEventLoop]]:
    """Async tests run on the loop the servers run on in production (``EVENT_LOOP``, uvloop by
    default); ``EVENT_LOOP=asyncio make test`` runs them on Python's own loop."""
    factory = loop_factory(EVENT_LOOP)
    return {"loop": factory or asyncio.new_event_loop}


def _create_pg_database() -> tuple[str, str]:
    import psycopg

    name = f"msql_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"


def _drop_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def metadata_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[str]:
    """A migrated metadata database, once per engine for the whole session."""
    from backend.core.db import migrate

    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("metadata") / "metadata.db"
        url = f"sqlite+aiosqlite:///{path}"
        migrate(url)
        yield url
        return
    require_postgres()
    name, url = _create_pg_database()
    try:
        migrate(url)
        yield url
    finally:
        _drop_pg_database(name)
