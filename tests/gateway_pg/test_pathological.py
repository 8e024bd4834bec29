"""Nothing blocks the loop: pathological statements fail with 54001 within their bounds while
other sessions keep being served (issue: a 15,000-term OR or a 200,000-item IN list stalled the
process shared by the web tier, both gateways and the feed for seconds).

Driven as a client would: asyncpg over TLS against a real gateway on a loopback port.
"""

from __future__ import annotations

import asyncio
import ssl
from pathlib import Path

import asyncpg
import pytest

from gateway.engine.limits import InputLimits
from gateway.planning import Planner, PlanSettings
from gateway.session import SessionServices

from .conftest import Gateway, started


def _ssl() -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


async def _connect(gw: Gateway) -> asyncpg.Connection:
    return await asyncpg.connect(host="127.0.0.1", port=gw.port, user=gw.user,
                                 password=gw.password, database="db", ssl=_ssl(),
                                 statement_cache_size=0)


def _or_chain(terms: int) -> str:
    return "SELECT MEASURE(count) FROM orders WHERE " + " OR ".join(
        f"id = {i}" for i in range(terms))


def _balanced_or(terms: int) -> str:
    """As many OR terms as a chain, but only log2(terms) deep: slow to plan, within bounds."""
    parts = [f"id = {i}" for i in range(terms)]
    while len(parts) > 1:
        parts = [f"({a} OR {b})" for a, b in zip(parts[::2], parts[1::2], strict=False)] + (
            [parts[-1]] if len(parts) % 2 else [])
    return "SELECT MEASURE(count) FROM orders WHERE " + parts[0]


def _in_list(items: int) -> str:
    return "SELECT MEASURE(count) FROM orders WHERE id IN (" + ", ".join(
        map(str, range(items))) + ")"


async def _sqlstate_of(conn: asyncpg.Connection, sql: str) -> str:
    with pytest.raises(asyncpg.PostgresError) as caught:
        await conn.fetch(sql)
    return str(caught.value.sqlstate)


async def test_pathological_statements_are_refused_with_54001(
    tls_dir: Path, demo_duckdb: Path
) -> None:
    async with started(tls_dir, demo_duckdb) as gw:
        conn = await _connect(gw)
        try:
            assert await _sqlstate_of(conn, _or_chain(15_000)) == "54001"  # nesting
            assert await _sqlstate_of(conn, _in_list(200_000)) == "54001"  # length
            assert await _sqlstate_of(conn, _in_list(30_000)) == "54001"  # IN items
            deep = "SELECT " + "(" * 2_000 + "1" + ")" * 2_000
            assert await _sqlstate_of(conn, deep) == "54001"
            # The same session goes on working.
            assert await conn.fetchval("SELECT MEASURE(count) FROM orders") == 1000
            # Long but reasonable statements work (planned in a worker).
            assert await conn.fetchval(_in_list(5_000)) == 1_000
            assert await conn.fetchval(_or_chain(300)) == 299
        finally:
            await conn.close()


async def test_prepared_long_statement_is_planned_off_the_loop(
    tls_dir: Path, demo_duckdb: Path
) -> None:
    """The extended protocol (Parse/Describe) takes the same path as simple queries."""
    async with started(tls_dir, demo_duckdb) as gw:
        conn = await _connect(gw)
        try:
            stmt = await conn.prepare(_in_list(3_000) + " AND status = $1")
            assert [a.name for a in stmt.get_attributes()] == ["measure"]
            assert await stmt.fetchval("completed") == 333
            with pytest.raises(asyncpg.PostgresError) as caught:
                await conn.prepare(_or_chain(15_000) + " AND status = $1")
            assert caught.value.sqlstate == "54001"
        finally:
            await conn.close()


async def test_other_sessions_are_served_while_a_long_statement_plans(
    tls_dir: Path, demo_duckdb: Path
) -> None:
    # Planning that runs into its time limit: the worker is busy for the whole bound.
    planner = Planner(PlanSettings(timeout_s=2.0, limits=InputLimits(max_nesting_depth=50_000)))
    async with started(tls_dir, demo_duckdb, services=SessionServices(planner=planner)) as gw:
        heavy, light = await _connect(gw), await _connect(gw)
        try:
            await planner.start()
            served = 0
            task = asyncio.ensure_future(heavy.fetch(_balanced_or(20_000)))
            while not task.done():
                assert await light.fetchval("SELECT 1") == 1
                served += 1
            with pytest.raises(asyncpg.PostgresError) as caught:
                await task
            assert caught.value.sqlstate == "54001"
            assert "COMPILE_TIMEOUT_SECONDS" in caught.value.message, caught.value.message
            # Had planning held the event loop, the light session would have been answered
            # once at most while it ran.
            assert served > 20
            # The killed worker was replaced: the next long statement plans again.
            assert await heavy.fetchval(_in_list(2_000)) == 1_000
        finally:
            await heavy.close()
            await light.close()
