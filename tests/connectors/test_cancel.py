"""Cancelling and time-limiting queries stops them on the source, not only in Python."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable

import pytest

from backend.connectors.base import Connector, QueryResult
from backend.connectors.limits import Limits
from backend.core.errors import QueryCanceled, SourceTimeout
from tests.connectors.conftest import Source
from tests.services import PG_TEST_DSN

# A query whose first rows come at once and whose next batch never comes (until stopped).
ENDLESS_AFTER_FIRST_BATCH = {
    "postgres": "SELECT g, CASE WHEN g > 1500 THEN pg_sleep(60) END FROM "
    "generate_series(1, 3000) g /* {marker} */",
    # MariaDB sends nothing until its network buffer fills: the padding makes it flush.
    "mysql": "SELECT seq, REPEAT('x', 200), CASE WHEN seq > 1500 THEN SLEEP(60) END "
    "FROM seq_1_to_3000 /* {marker} */",
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
    "SELECT x FROM c WHERE x <= 1500 OR x < 0",
    "duckdb": "SELECT range FROM range(100000000000) WHERE range < 1500 OR range = -1",
}
# A query that produces nothing for a long time: execute() itself does not return.
SLOW_TO_START = {
    "postgres": "SELECT pg_sleep(60) /* {marker} */",
    "mysql": "SELECT SLEEP(60) /* {marker} */",
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
    "SELECT x FROM c WHERE x < 0",
    "duckdb": "SELECT sum(a.range * b.range) FROM range(1000000) a, range(1000000) b",
}
SAFETY = 30  # seconds: a hung test fails instead of hanging the suite


async def _running_on_server(source: Source, marker: str) -> bool:
    """Whether a statement carrying the marker is still executing on the server."""
    if source.engine == "postgres":
        import asyncpg

        conn = await asyncpg.connect(PG_TEST_DSN)
        try:
            count = await conn.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                "AND query LIKE $1 AND pid <> pg_backend_pid()",
                f"%{marker}%",
            )
        finally:
            await conn.close()
        return bool(count)
    import aiomysql

    mconn = await aiomysql.connect(host="127.0.0.1", user="root", password="")
    try:
        async with mconn.cursor() as cur:
            await cur.execute(
                "SELECT count(*) FROM information_schema.PROCESSLIST "
                "WHERE COMMAND = 'Query' AND INFO LIKE %s AND ID <> CONNECTION_ID()",
                (f"%{marker}%",),
            )
            (count,) = await cur.fetchone()
    finally:
        mconn.close()
    return bool(count)


async def _eventually(check: Callable[[], Awaitable[bool]], expected: bool) -> None:
    for _ in range(SAFETY * 10):
        if await check() == expected:
            return
        await asyncio.sleep(0.1)
    pytest.fail(f"condition never became {expected}")


async def _drain(result: QueryResult, started: asyncio.Event) -> int:
    count = 0
    async for batch in result.rows(batch_size=500):
        count += len(batch)
        if count >= 500:
            started.set()
    return count


async def test_cancel_stops_a_streaming_query(source: Source, connector: Connector) -> None:
    marker = f"cancel-{uuid.uuid4().hex}"
    result = await connector.execute(ENDLESS_AFTER_FIRST_BATCH[source.engine].format(marker=marker))
    started = asyncio.Event()
    reader = asyncio.create_task(_drain(result, started))
    try:
        await asyncio.wait_for(started.wait(), SAFETY)
        if source.engine in ("postgres", "mysql"):
            await _eventually(lambda: _running_on_server(source, marker), True)
        else:
            await asyncio.sleep(0.2)  # let the worker thread get into the endless scan
        await result.cancel()
        with pytest.raises(QueryCanceled):
            await asyncio.wait_for(reader, SAFETY)
        if source.engine in ("postgres", "mysql"):
            await _eventually(lambda: _running_on_server(source, marker), False)
    finally:
        reader.cancel()
        await result.close()
    await connector.check()  # the connector is still usable


async def test_cancelling_the_waiting_task_stops_the_query(
    source: Source, connector: Connector
) -> None:
    """A gateway whose client hangs up cancels the task that waits on the source — inside
    execute() (MySQL, SQLite, DuckDB run the query there) or in the first fetch (PostgreSQL
    binds a portal in execute() and runs it on fetch). Either way the query must stop."""
    marker = f"cancel-{uuid.uuid4().hex}"

    async def run() -> None:
        result = await connector.execute(SLOW_TO_START[source.engine].format(marker=marker))
        try:
            async for _ in result.rows():
                pass
        finally:
            await result.close()

    task = asyncio.create_task(run())
    if source.engine in ("postgres", "mysql"):
        await _eventually(lambda: _running_on_server(source, marker), True)
    else:
        await asyncio.sleep(0.3)
    task.cancel()
    # For the threaded engines this returns only once the engine has been interrupted.
    done, _ = await asyncio.wait([task], timeout=SAFETY)
    assert done, "the query did not stop after its task was cancelled"
    assert task.cancelled()
    if source.engine in ("postgres", "mysql"):
        await _eventually(lambda: _running_on_server(source, marker), False)
    await connector.check()


async def test_statement_timeout(source: Source) -> None:
    connector = source.connector(Limits(connect_timeout=3, statement_timeout=0.5))
    try:
        with pytest.raises(SourceTimeout) as info:
            result = await connector.execute(SLOW_TO_START[source.engine].format(marker="t"))
            try:
                async for _ in result.rows():
                    pass
            finally:
                await result.close()
        assert "statement timeout (0.5 s)" in str(info.value)
        await connector.check()
    finally:
        await connector.close()
