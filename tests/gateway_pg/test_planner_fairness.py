"""One credential cannot hold the planner against the others.

Statements over ``COMPILE_INLINE_BYTES`` are planned in the gateway's worker process (one by
default). A credential holder who keeps sending long statements that plan until the time limit
from several sessions kept it busy, and another credential's ordinary long statement (a BI
tool's 2-3 KiB query) waited behind all of them and failed with 54001. Now the waiting
statements take turns by credential (``gateway/fair_queue.py``): the victim's statement waits
for the one attacker statement being planned, no more, and the attacker's excess statements
are refused at once (53400).

Driven as clients would: asyncpg over TLS, the attacker from five sessions, the victim from
another credential. Order and outcomes only, no timings.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import secrets
from pathlib import Path

import asyncpg
import pytest

from gateway.engine.limits import InputLimits
from gateway.planning import Planner, PlanSettings
from gateway.session import SessionServices
from tests.gateway_common import make_grant

from .conftest import Gateway, started
from .test_pathological import _balanced_or, _ssl

ATTACKER_SESSIONS = 5
QUEUED_PER_CREDENTIAL = 3


async def _connect(gw: Gateway, user: str, password: str) -> asyncpg.Connection:
    return await asyncpg.connect(host="127.0.0.1", port=gw.port, user=user, password=password,
                                 database="db", ssl=_ssl(), statement_cache_size=0)


def _victim_data_statement() -> str:
    """A 2-3 KiB statement of the kind BI tools send: long, quickly planned."""
    ids = ", ".join(str(i) for i in range(1, 600))
    return (f"SELECT status, COUNT(*) AS n FROM orders WHERE id IN ({ids}) "
            "GROUP BY status ORDER BY status")


def _victim_catalog_statement() -> str:
    names = ", ".join(f"'table_{i}'" for i in range(220))
    return ("SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
            f"ON n.oid = c.relnamespace WHERE c.relname IN ({names}, 'orders') "
            "AND n.nspname = 'public' ORDER BY c.relname")


async def _wait_until(condition: object, what: str) -> None:
    for _ in range(600):  # generous: 30 s
        if condition():  # type: ignore[operator]
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


async def test_a_flooding_credential_does_not_fail_another_credentials_statements(
    tls_dir: Path, demo_duckdb: Path
) -> None:
    planner = Planner(PlanSettings(timeout_s=1.5, queued_per_credential=QUEUED_PER_CREDENTIAL,
                                   limits=InputLimits(max_nesting_depth=50_000)))
    async with started(tls_dir, demo_duckdb, services=SessionServices(planner=planner)) as gw:
        victim_user, victim_password = "u_" + secrets.token_hex(4), secrets.token_urlsafe(12)
        gw.grants.grants[victim_user] = make_grant(victim_user, victim_password, demo_duckdb)
        await planner.start()
        attackers = [await _connect(gw, gw.user, gw.password) for _ in range(ATTACKER_SESSIONS)]
        victim = await _connect(gw, victim_user, victim_password)
        outcomes: list[str] = []  # the attacker's, in the order they arrive

        async def flood(conn: asyncpg.Connection, session: int) -> None:
            for n in itertools.count():
                try:
                    await conn.fetch(_balanced_or(20_000) + f" AND id <> {session * 10**6 + n}")
                    outcomes.append("answered")
                except asyncpg.PostgresError as e:
                    outcomes.append(str(e.sqlstate))
                    if e.sqlstate == "53400":
                        await asyncio.sleep(0.05)  # refused at once: try again shortly

        tasks = [asyncio.ensure_future(flood(c, i)) for i, c in enumerate(attackers)]
        try:
            await _wait_until(lambda: planner.queue.waiting() >= QUEUED_PER_CREDENTIAL,
                              "the attacker's statements queue up")
            # extended protocol (Describe plans it, Execute uses that plan), then the simple
            # protocol: each statement takes one turn at the worker
            data = _victim_data_statement()
            catalog = _victim_catalog_statement()
            assert min(len(data), len(catalog)) > planner.settings.inline_bytes  # in the worker
            before = outcomes.count("54001")
            rows = await victim.fetch(data)
            assert [tuple(r) for r in rows] == [("completed", 199), ("pending", 400)]
            # the victim waited for the attacker statement being planned, and no other
            assert outcomes.count("54001") - before <= 1, outcomes
            before = outcomes.count("54001")
            assert await victim.execute(catalog) == "SELECT 1"
            assert outcomes.count("54001") - before <= 1, outcomes
            assert "53400" in outcomes  # the attacker's excess was refused at once
            assert set(outcomes) <= {"54001", "53400"}, outcomes
        finally:
            for task in tasks:
                task.cancel()
            for conn in attackers:
                conn.terminate()  # statements still waiting leave the queue with their session
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            await victim.close()
        await _wait_until(lambda: planner.queue.waiting() == 0, "the queue empties")


@pytest.mark.parametrize("sessions", [1, 3])
async def test_a_busy_answer_names_the_setting(
    tls_dir: Path, demo_duckdb: Path, sessions: int
) -> None:
    """With one statement allowed to wait, the third concurrent one of a credential (one
    planning, one waiting) is refused with 53400 naming COMPILE_QUEUE_PER_CREDENTIAL; a
    single session never meets the bound."""
    planner = Planner(PlanSettings(timeout_s=0.5, queued_per_credential=1,
                                   limits=InputLimits(max_nesting_depth=50_000)))
    async with started(tls_dir, demo_duckdb, services=SessionServices(planner=planner)) as gw:
        await planner.start()
        conns = [await _connect(gw, gw.user, gw.password) for _ in range(sessions)]
        try:
            results = await asyncio.gather(
                *(c.fetch(_balanced_or(20_000) + f" AND id <> {i}") for i, c in enumerate(conns)),
                return_exceptions=True)
            states = sorted(getattr(r, "sqlstate", "ok") for r in results)
            if sessions == 1:
                assert states == ["54001"]
            else:
                assert states == ["53400", "54001", "54001"]
                busy = next(r for r in results if getattr(r, "sqlstate", "") == "53400")
                assert "COMPILE_QUEUE_PER_CREDENTIAL" in str(busy)
        finally:
            for c in conns:
                await c.close()


def _costly_short_statement(n: int) -> str:
    """Under COMPILE_INLINE_BYTES, yet 150-400 ms of planning: one CTE joined 120 times."""
    names = [a + b for a in "bcdfghjklmnpqrsvwxz" for b in "bcdfghjklmnpqrsvwxz"][:120]
    joined = ", ".join(f"a {name}" for name in names)
    return f"WITH a AS (SELECT * FROM orders) SELECT * FROM {joined} WHERE bb.id <> {n}"


async def test_short_statements_that_plan_slowly_move_to_the_workers(
    tls_dir: Path, demo_duckdb: Path
) -> None:
    """Short text is planned on the event loop that every session of the process shares;
    a credential whose short statement took more than the inline budget has its next ones
    planned in the workers, through the fair queue, while other credentials' stay inline."""
    planner = Planner(PlanSettings(timeout_s=5.0))
    async with started(tls_dir, demo_duckdb, services=SessionServices(planner=planner)) as gw:
        victim_user, victim_password = "u_" + secrets.token_hex(4), secrets.token_urlsafe(12)
        gw.grants.grants[victim_user] = make_grant(victim_user, victim_password, demo_duckdb)
        await planner.start()
        attacker = await _connect(gw, gw.user, gw.password)
        victim = await _connect(gw, victim_user, victim_password)
        try:
            first = _costly_short_statement(1)
            assert len(first) <= planner.settings.inline_bytes
            await attacker.prepare(first)  # planned (not run): inline, over the budget
            assert planner.offloaded == 0
            await attacker.prepare(_costly_short_statement(2))
            assert planner.offloaded == 1  # the attacker's next one went to a worker
            assert await victim.fetchval("SELECT COUNT(*) FROM orders WHERE id > 500") == 500
            assert planner.offloaded == 1  # the victim's short statement is still inline
        finally:
            await attacker.close()
            await victim.close()
