"""The metadata database: one async engine, sessions, and migrations.

All metadata SQL goes through sessions made here. SQLite gets foreign keys switched on (it
ignores them otherwise) and WAL so the gateways' feed polling does not block the web tier.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from backend.core.files import private_sqlite

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def make_engine(database_url: str, **kwargs: Any) -> AsyncEngine:
    # Statement parameters (password hashes, token hashes, secrets) never go into error
    # messages, which end up in logs.
    kwargs.setdefault("hide_parameters", True)
    if database_url.startswith("sqlite"):
        private_sqlite(database_url)
        engine = create_async_engine(
            database_url, connect_args={"timeout": 30}, **kwargs
        )

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_async_engine(database_url, pool_pre_ping=True, **kwargs)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def migrate(database_url: str, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` (synchronous: run before the event loop starts)."""
    private_sqlite(database_url)
    command.upgrade(alembic_config(database_url), revision)


async def migrate_async(database_url: str, revision: str = "head") -> None:
    await asyncio.to_thread(migrate, database_url, revision)
