"""What a client can make the gateway hold by not reading, on the servers' loop (uvloop).

A client that sends and never reads must be held back by flow control and dropped after the
send timeout, with what the gateway buffers for it bounded: over TLS as in plaintext, and
also when what it sends are messages whose answers wait for a Sync that never comes.
"""

from __future__ import annotations

import os
import socket
import struct
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import psycopg
import pytest

from tests.gateway_pg.conftest import ThreadedGateway

# Some 250 MB of rows streamed from the source (small rows: a fetch batch is sized by its
# row count, not its bytes).
BIG = b"select status, id from orders"


@pytest.fixture(scope="module")
def many_orders(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "orders.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE orders AS SELECT i AS id, repeat('x', 100) || i AS status, "
        "TIMESTAMP '2024-01-01' AS created_at, CAST(i AS DECIMAL(12,2)) AS amount "
        "FROM range(2000000) t(i)"
    )
    con.execute("CREATE TABLE secrets AS SELECT 1 AS id, 'x' AS code")
    con.close()
    return path


@pytest.fixture(scope="module")
def impatient(tls_dir: Path, many_orders: Path) -> Iterator[ThreadedGateway]:
    t = ThreadedGateway(tls_dir, many_orders, send_timeout=0.5)
    yield t
    t.close()


def _buffered(t: ThreadedGateway) -> int:
    """The most any session's client transport holds unsent, read on the gateway's loop."""
    sessions = list(t.gw.server._sessions.values())
    return max(
        (c.writer.transport.get_write_buffer_size() + sum(map(len, c._out)) for c in sessions),
        default=0,
    )


def _until_dropped(t: ThreadedGateway, seconds: float = 15.0) -> int:
    """Wait for the gateway to end every session; the most it buffered meanwhile."""
    most = 0
    for _ in range(int(seconds / 0.01)):
        most = max(most, t.call(lambda: _buffered(t)))
        if t.call(lambda: t.gw.server.session_count()) == 0:
            return most
        threading.Event().wait(0.01)
    raise AssertionError(f"the session was never dropped (buffering {most} bytes)")


@pytest.mark.parametrize("sslmode", ["require", "disable"])
def test_a_client_that_stops_reading_is_held_back_and_dropped(
    impatient: ThreadedGateway, sslmode: str
) -> None:
    conn = psycopg.connect(impatient.gw.dsn(sslmode), autocommit=True)
    try:
        conn.pgconn.send_query(BIG)  # never read
        most = _until_dropped(impatient)
    finally:
        conn.close()
    assert most < 4 * 2**20, most  # flow control held it back: not the whole result


def _msg(kind: bytes, body: bytes) -> bytes:
    return kind + struct.pack("!i", len(body) + 4) + body


def test_answers_waiting_for_a_sync_are_bounded(impatient: ThreadedGateway) -> None:
    """Describe after Describe with no Sync: each answer is a wide RowDescription, and
    PostgreSQL sends them as its buffer fills, so a client that never reads is held back."""
    columns = ", ".join(f"{i} AS {'c' * 60}{i}" for i in range(400))
    conn = psycopg.connect(impatient.gw.dsn("disable"), autocommit=True)
    sock = socket.socket(fileno=os.dup(conn.fileno()))
    try:
        sock.sendall(_msg(b"P", b"s1\x00" + f"select {columns}".encode() + b"\x00\x00\x00"))
        describe = _msg(b"D", b"Ss1\x00")  # ~30 KB of answer for 9 bytes
        sock.sendall(describe * 4000)
        most = _until_dropped(impatient)
    finally:
        sock.close()
        conn.close()
    assert most < 8 * 2**20, most
