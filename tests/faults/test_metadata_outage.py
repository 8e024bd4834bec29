"""The metadata database taken away from a gateway and given back, while logins, queries and
credential mutations go on.

The gateway reaches PostgreSQL through a proxy that refuses new connections and resets the
open ones (what a stopped server or a broken network does); the web tier keeps its own road,
so mutations commit meanwhile and pile up in the outbox the gateway cannot read. While it is
away the gateway serves its open sessions from its credential cache and refuses new logins
with 57P03 (MySQL 3032): it cannot tell whether the cache is current. Once back it applies
every event it missed, each exactly once.
"""

from __future__ import annotations

import ssl
import time
from typing import Any

import asyncpg
import httpx
import mysql.connector
import psycopg
import pytest

from tests.faults.stack import Credential, Stack, wait_until
from tests.faults.timings import record

POINT = "SELECT bucket, MEASURE(amount) FROM facts WHERE id = 4242 GROUP BY 1"


def _ended(conn: psycopg.Connection[Any]) -> bool:
    try:
        conn.execute("SELECT MEASURE(count) FROM facts")
        return False
    except psycopg.OperationalError:
        return True


async def _asyncpg_login(port: int, cred: Credential) -> None:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    conn = await asyncpg.connect(
        host="127.0.0.1",
        port=port,
        user=cred.username,
        password=cred.password,
        database="db",
        ssl=context,
        timeout=10,
    )
    await conn.close()


def _mysql_login(port: int, cred: Credential) -> None:
    mysql.connector.connect(
        host="127.0.0.1",
        port=port,
        user=cred.username,
        password=cred.password,
        database="db",
        ssl_verify_cert=False,
        use_pure=True,
        connection_timeout=10,
    ).close()


async def test_gateway_keeps_sessions_refuses_logins_and_catches_up(healthy: Stack) -> None:
    s, gw = healthy, healthy.gateway
    acct = s.account()
    keep, doomed, rotated = (acct.create_credential() for _ in range(3))
    sessions = {c.id: c.pg(gw.pg_port) for c in (keep, doomed, rotated)}
    for conn in sessions.values():
        assert conn.execute(POINT).fetchall()
    before = s.outbox_max_id()
    wait_until(
        "the gateway applied the outbox",
        lambda: gw.metric("metricsql_feed_last_event_id") >= before,
    )
    applied_before = gw.metric("metricsql_feed_events_applied_total")

    s.meta_proxy.cut()
    cut_at = time.monotonic()
    # Mutations commit through the web tier; the gateway cannot see them yet.
    acct.delete(doomed)
    new_rotated = acct.rotate(rotated)
    fresh = acct.create_credential()
    written = s.outbox_max_id() - before
    assert written >= 3

    # Sessions already open keep working, served from the cache.
    for conn in sessions.values():
        assert conn.execute(POINT).fetchall()
    # New logins are refused with a clear, retryable error, for every user alike.
    for cred in (keep, fresh, new_rotated):
        with pytest.raises(asyncpg.CannotConnectNowError) as refused:
            await _asyncpg_login(gw.pg_port, cred)
        assert refused.value.sqlstate == "57P03"
        assert "metadata database" in str(refused.value)
    with pytest.raises(mysql.connector.Error) as my_refused:
        _mysql_login(gw.mysql_port, keep)
    assert my_refused.value.errno == 3032, my_refused.value
    refused_after = time.monotonic() - cut_at
    ready = httpx.get(gw.ops_url + "/readyz", timeout=10)
    assert ready.status_code == 503 and ready.json()["checks"]["metadata_db"] != "ok"
    record("metadata away: first refused login (s after the cut)", refused_after)

    s.meta_proxy.restore()
    back_at = time.monotonic()
    # The deleted credential's session ends, the rotated one's too (its password changed).
    wait_until(
        "the deleted credential's session ended", lambda: _ended(sessions[doomed.id]), timeout=20
    )
    record("metadata back: revocation applied (s after restore)", time.monotonic() - back_at)
    wait_until(
        "the rotated credential's session ended", lambda: _ended(sessions[rotated.id]), timeout=20
    )
    wait_until(
        "the gateway is ready again",
        lambda: httpx.get(gw.ops_url + "/readyz", timeout=5).status_code == 200,
        timeout=30,
    )
    record("metadata back: /readyz 200 again (s after restore)", time.monotonic() - back_at)

    assert sessions[keep.id].execute(POINT).fetchall()  # untouched session: still fine
    for cred in (keep, fresh, new_rotated):  # logins work again, with the current passwords
        await _asyncpg_login(gw.pg_port, cred)
    _mysql_login(gw.mysql_port, fresh)
    for gone in (doomed, rotated):  # deleted, and the password before the rotation
        with pytest.raises(asyncpg.InvalidPasswordError):
            await _asyncpg_login(gw.pg_port, gone)

    # Every event written meanwhile applied, none twice.
    after = s.outbox_max_id()
    wait_until(
        "the gateway reached the outbox's end",
        lambda: gw.metric("metricsql_feed_last_event_id") >= after,
    )
    applied = gw.metric("metricsql_feed_events_applied_total") - applied_before
    assert applied == after - before, (applied, after - before)
    for conn in sessions.values():
        conn.close()
