"""Clients that vanish in the middle of a result: reset, half-open (frozen), and on MySQL.

Each client reaches the gateway through its own proxy, which the test resets (RST, as when a
laptop's network drops) or freezes (no byte moves either way: a half-open connection, or a
reader that stopped reading). The gateway must notice — at once for a reset, after
CLIENT_SEND_TIMEOUT_SECONDS (2 s here) for a frozen peer — cancel the source query (checked in
the real PostgreSQL's pg_stat_activity), give the pooled source connection back or close it,
and return to the memory it had.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import mysql.connector
import pytest

from tests.faults.proxy import TcpProxy
from tests.faults.stack import Credential, Proc, Stack, wait_until
from tests.faults.timings import record

STREAM = "SELECT n, label FROM series"
MARK = "generate_series"  # in the SQL the source runs for ``series``


@pytest.fixture
def client_proxy(healthy: Stack) -> Iterator[Callable[[int], TcpProxy]]:
    made: list[TcpProxy] = []

    def make(port: int) -> TcpProxy:
        made.append(TcpProxy(port).start())
        return made[-1]

    yield make
    for proxy in made:
        proxy.close()


def _read_in_background(
    read: Callable[[threading.Event], None],
) -> tuple[threading.Thread, threading.Event]:
    started = threading.Event()

    def run() -> None:
        try:
            read(started)
        except Exception:
            if not started.is_set():
                raise
            # else the connection was cut under it: that is the point

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(20), "the stream never started"
    return thread, started


def _pg_stream(cred: Credential, port: int) -> Callable[[threading.Event], None]:
    def read(started: threading.Event) -> None:
        with cred.pg(port) as conn:
            for i, _ in enumerate(conn.cursor().stream(STREAM)):
                if i == 2000:
                    started.set()
                if i > 50_000_000:
                    return

    return read


def _mysql_stream(cred: Credential, port: int) -> Callable[[threading.Event], None]:
    def read(started: threading.Event) -> None:
        conn = mysql.connector.connect(
            host="127.0.0.1",
            port=port,
            user=cred.username,
            password=cred.password,
            database="db",
            ssl_verify_cert=False,
            use_pure=True,
            connection_timeout=10,
        )
        cur: Any = conn.cursor(buffered=False)
        cur.execute(STREAM)
        for i, _ in enumerate(cur):
            if i == 2000:
                started.set()
            if i > 50_000_000:
                return

    return read


def _released(s: Stack, gw: Proc) -> None:
    """The source query is gone and no pooled connection is still lent out."""
    wait_until("the source query was cancelled", lambda: s.source_queries(MARK) == 0, timeout=15)
    wait_until(
        "the pooled connection came back",
        lambda: gw.metric_total("metricsql_source_pool_in_use") == 0,
        timeout=15,
    )
    wait_until("the session ended", lambda: gw.metric_total("metricsql_sessions") == 0, timeout=15)


def _vanish(s: Stack, proxy: TcpProxy, read: Callable[[threading.Event], None], how: str) -> float:
    thread, _ = _read_in_background(read)
    assert s.source_queries(MARK) == 1
    if how == "reset":
        proxy.cut()
    else:
        proxy.freeze()
    gone_at = time.monotonic()
    _released(s, s.gateway)
    took = time.monotonic() - gone_at
    # The gateway let go of the client's socket too (a frozen peer never reads what is
    # buffered for it: closing must abort, not wait for the buffer to drain).
    wait_until(
        "the gateway closed the client's socket",
        lambda: s.gateway.sockets_to(proxy.port) == 0,
        timeout=10,
    )
    proxy.thaw()
    proxy.cut()  # frees the client thread, if it still waits
    thread.join(timeout=15)
    assert not thread.is_alive()
    proxy.restore()
    return took


def test_reset_mid_stream_cancels_the_source_query(
    healthy: Stack, client_proxy: Callable[[int], TcpProxy]
) -> None:
    s = healthy
    cred = s.account().create_credential()
    proxy = client_proxy(s.gateway.pg_port)
    took = _vanish(s, proxy, _pg_stream(cred, proxy.port), "reset")
    record("client reset mid-stream (PostgreSQL wire): source query cancelled (s)", took)
    with cred.pg(s.gateway.pg_port) as conn:  # the pool serves the next session
        assert conn.execute("SELECT MEASURE(count) FROM facts").fetchone() == (100_000,)


@pytest.mark.parametrize("protocol", ["postgres", "mysql"])
def test_half_open_client_is_dropped_after_the_send_timeout(
    healthy: Stack, client_proxy: Callable[[int], TcpProxy], protocol: str
) -> None:
    s = healthy
    cred = s.account().create_credential()
    if protocol == "postgres":
        proxy = client_proxy(s.gateway.pg_port)
        read = _pg_stream(cred, proxy.port)
    else:
        proxy = client_proxy(s.gateway.mysql_port)
        read = _mysql_stream(cred, proxy.port)
    took = _vanish(s, proxy, read, "freeze")
    record(f"half-open client ({protocol} wire): dropped, source query cancelled (s)", took)
    assert took >= 1.5  # it waited for the send timeout (2 s), not less


def test_memory_returns_to_baseline_after_abandoned_streams(
    healthy: Stack, client_proxy: Callable[[int], TcpProxy]
) -> None:
    s, gw = healthy, healthy.gateway
    cred = s.account().create_credential()
    proxy = client_proxy(gw.pg_port)
    _vanish(s, proxy, _pg_stream(cred, proxy.port), "reset")  # warm up caches and pools
    baseline = gw.rss_bytes()
    peak = baseline
    for _ in range(8):
        _vanish(s, proxy, _pg_stream(cred, proxy.port), "reset")
        peak = max(peak, gw.rss_bytes())
    end = gw.rss_bytes()
    record("abandoned streams: gateway RSS growth after 8 (MiB)", (end - baseline) / 2**20)
    assert end - baseline < 24 * 2**20, (baseline, peak, end)
    pooled = gw.metric_total("metricsql_source_pool_connections")
    assert pooled <= 10, pooled  # reused or closed, never one left per abandoned stream
