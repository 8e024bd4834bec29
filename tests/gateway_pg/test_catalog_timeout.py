"""A runaway catalog query is canceled after the limit and stalls nobody else meanwhile."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from backend.core.errors import QueryCanceled
from gateway import session as session_module


class SlowCatalog:
    """Stands in for the DuckDB catalog only to make one query slow on purpose."""

    def __init__(self) -> None:
        import duckdb

        self.con = duckdb.connect(":memory:")

    def execute(self, duck_sql: str) -> Any:
        return self.con.execute(duck_sql).fetchall()

    def interrupt(self) -> None:
        self.con.interrupt()


async def test_slow_catalog_query_is_interrupted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_module, "CATALOG_TIMEOUT_SECONDS", 0.3)
    catalog = SlowCatalog()
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    class Host:
        def catalog(self) -> SlowCatalog:
            return catalog

        def facts(self) -> Any:
            return None

    # Drive the real _catalog method with a query that would run for many seconds.
    tick_task = asyncio.create_task(ticker())
    try:
        with pytest.raises(QueryCanceled):
            await session_module.Session._catalog(
                Host(), "SELECT count(*) FROM range(10000000000) a")  # type: ignore[arg-type]
    finally:
        tick_task.cancel()
    assert ticks > 10  # the event loop kept running while the query did
