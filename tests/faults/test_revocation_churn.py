"""Credentials created, used and revoked in quick succession: every session of a revoked
credential ends, on both wires (the soak found PostgreSQL-wire sessions that now and then
outlived their deleted or rotated credential: the cancel that ends a session could land in
cleanup code that absorbs it), and what they held is given back: the gateway's RSS does not
climb with the number of credentials revoked."""

from __future__ import annotations

import asyncio
import ssl
import time

import aiomysql
import asyncpg

from tests.faults.stack import Credential, Stack, wait_until
from tests.faults.timings import record

ROUNDS = 24
WARM_UP, WINDOW = 4, 8  # rounds before memory is compared; rounds per compared window
GROWTH_BOUND_MIB = 64  # between the windows (12 credentials apart): over 5 MiB each
CATALOG = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"


def _tls() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


async def _sessions(s: Stack, cred: Credential) -> list[object]:
    out: list[object] = []
    for _ in range(2):
        pg = await asyncpg.connect(
            host="127.0.0.1",
            port=s.gateway.pg_port,
            ssl=_tls(),
            user=cred.username,
            password=cred.password,
            database="db",
            timeout=10,
            statement_cache_size=0,
        )
        await pg.fetch("SELECT bucket, MEASURE(count) FROM facts WHERE id = 7 GROUP BY 1")
        await pg.fetch(CATALOG)
        out.append(pg)
    my = await aiomysql.connect(
        host="127.0.0.1",
        port=s.gateway.mysql_port,
        ssl=_tls(),
        user=cred.username,
        password=cred.password,
        db="db",
        connect_timeout=10,
        autocommit=True,
    )
    async with my.cursor() as cur:
        await cur.execute(CATALOG)
        await cur.fetchall()
    out.append(my)
    return out


async def _ended(session: object) -> bool:
    try:
        if isinstance(session, asyncpg.Connection):
            await session.fetch("SELECT 1", timeout=5)
        else:
            async with session.cursor() as cur:  # type: ignore[attr-defined]
                await asyncio.wait_for(cur.execute("SELECT 1"), 5)
        return False
    except Exception:
        return True


async def test_every_revoked_session_ends(healthy: Stack) -> None:
    s, gw = healthy, healthy.gateway
    acct = await asyncio.to_thread(s.account)
    not_ended: list[str] = []
    slowest = 0.0
    rss: list[int] = []  # after each round, once the gateway holds none of its sessions
    for i in range(ROUNDS):
        cred = await asyncio.to_thread(acct.create_credential)
        sessions = await _sessions(s, cred)
        await asyncio.to_thread(acct.rotate if i % 2 else acct.delete, cred)
        revoked_at = time.monotonic()
        pending = list(sessions)
        while pending and time.monotonic() - revoked_at < 10:
            pending = [x for x in pending if not await _ended(x)]
            if pending:
                await asyncio.sleep(0.05)
        slowest = max(slowest, time.monotonic() - revoked_at)
        not_ended += [f"round {i}: {type(x).__name__}" for x in pending]
        for x in sessions:
            if isinstance(x, asyncpg.Connection):
                x.terminate()
            else:
                x.close()  # type: ignore[attr-defined]
        await asyncio.to_thread(
            wait_until,
            "the gateway let go of the round's sessions",
            lambda: gw.metric_total("metricsql_sessions") == 0,
        )
        rss.append(gw.rss_bytes())
    record("revocation churn: slowest revoked session to end (s)", slowest)
    assert not_ended == []
    _assert_memory_level(rss)


def _assert_memory_level(rss: list[int]) -> None:
    """What the revoked credentials held (their catalog sandboxes, plans, pooled sessions) is
    given back. RSS saw-tooths by some tens of MiB while freed DuckDB sandboxes wait for the
    cyclic garbage collector (every few rounds here), so the rounds are compared by their
    troughs, each over a window longer than that period, after warm-up rounds that fill the
    caches and pools. Here the troughs still creep by about 1-2 MiB a credential (allocator
    fragmentation, not explained further: docs/operations.md); keeping each revoked
    credential's sandboxes (the defect the soak found, checked by undoing its fix) made them
    climb 230 MiB between the windows, against the bound of 64."""
    early, late = rss[WARM_UP : WARM_UP + WINDOW], rss[-WINDOW:]
    growth = (min(late) - min(early)) / 2**20
    record(
        f"revocation churn: gateway RSS trough growth over {ROUNDS - WARM_UP - WINDOW} "
        "credentials (MiB)",
        growth,
    )
    record(
        "revocation churn: gateway RSS range after warm-up (MiB)",
        (max(rss[WARM_UP:]) - min(rss[WARM_UP:])) / 2**20,
    )
    assert growth < GROWTH_BOUND_MIB, [r // 2**20 for r in rss]
