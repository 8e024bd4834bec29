"""Hostile and broken clients get a clear error for their connection only."""

from __future__ import annotations

import os
import socket
import struct
import threading
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.gateway_pg.conftest import ThreadedGateway


def _raw(port: int, data: bytes, *, wait: float = 10.0) -> bytes:
    """Send bytes, then read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as s:
        s.sendall(data)
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def _still_serves(gw: Any) -> None:
    with psycopg.connect(gw.dsn()) as conn:
        assert conn.execute("select 1").fetchone() == (1,)


@pytest.fixture(scope="module")
def strict(tls_dir: Path, demo_duckdb: Path) -> Any:
    events: list[tuple[str, dict[str, Any]]] = []
    t = ThreadedGateway(tls_dir, demo_duckdb, max_connections=3, max_message_bytes=4096,
                        message_timeout=0.5, startup_timeout=2.0, login_max_failures=3,
                        audit=lambda action, detail: events.append((action, detail)))
    t.events = events  # type: ignore[attr-defined]
    yield t
    t.close()


def test_oversized_startup_packet(strict: ThreadedGateway) -> None:
    reply = _raw(strict.gw.port, struct.pack("!ii", 1_000_000, 196608))
    assert reply.startswith(b"E") and b"08P01" in reply and b"invalid length" in reply
    _still_serves(strict.gw)


def test_oversized_message_after_login(strict: ThreadedGateway) -> None:
    with psycopg.connect(strict.gw.dsn()) as conn:
        with pytest.raises(psycopg.OperationalError) as info:
            conn.execute("select '" + "x" * 10_000 + "'")
        assert "exceeds the limit" in str(info.value)
    _still_serves(strict.gw)


def test_half_a_message_then_stall(strict: ThreadedGateway) -> None:
    # The length announces 100 bytes, 6 arrive, then nothing: the server hangs up.
    assert _raw(strict.gw.port, struct.pack("!ii", 100, 196608) + b"us") == b""
    _still_serves(strict.gw)


def test_a_login_that_never_completes_is_told_why(strict: ThreadedGateway) -> None:
    # A valid startup, then no answer to the SASL challenge: PostgreSQL's own
    # authentication_timeout sends FATAL 57014 before closing, and so does the gateway.
    body = struct.pack("!i", 196608) + b"user\x00" + strict.gw.user.encode() + b"\x00\x00"
    reply = _raw(strict.gw.port, struct.pack("!i", len(body) + 4) + body)
    assert reply.startswith(b"R")  # the SASL challenge, left unanswered
    error = reply[reply.index(b"E"):]
    assert b"SFATAL" in error and b"C57014" in error
    assert b"canceling authentication due to timeout" in error
    _still_serves(strict.gw)


def test_too_many_connections(strict: ThreadedGateway) -> None:
    conns = [psycopg.connect(strict.gw.dsn()) for _ in range(3)]
    try:
        with pytest.raises(psycopg.OperationalError) as info:
            psycopg.connect(strict.gw.dsn())
        assert "too many clients" in str(info.value)
        assert conns[0].execute("select 1").fetchone() == (1,)
    finally:
        for c in conns:
            c.close()
    _still_serves(strict.gw)


def test_failed_logins_are_rate_limited_and_audited(strict: ThreadedGateway) -> None:
    gw = strict.gw
    bad = gw.dsn().replace(gw.password, "wrong")
    for _ in range(3):
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            psycopg.connect(bad)
    # Even the right password is now refused for this user, with its own error.
    with pytest.raises(psycopg.OperationalError, match="too many failed login attempts"):
        psycopg.connect(gw.dsn())
    events = strict.events  # type: ignore[attr-defined]
    failed = [d for a, d in events if a == "login_failed"]
    assert len(failed) == 3 and failed[0]["username"] == gw.user
    assert any(a == "login_rate_limited" for a, _ in events)
    strict.call(lambda: gw.server.limiter.succeed(gw.user))
    _still_serves(gw)


def test_garbage_after_login_is_a_protocol_violation(strict: ThreadedGateway) -> None:
    with psycopg.connect(strict.gw.dsn()) as conn:
        sock = socket.fromfd(conn.fileno(), socket.AF_INET, socket.SOCK_STREAM)
        try:
            # Nothing sensible can be sent under TLS by hand; closing the TLS stream abruptly
            # must not disturb the server.
            sock.shutdown(socket.SHUT_RDWR)
        finally:
            sock.close()
    _still_serves(strict.gw)


@pytest.fixture(scope="module")
def impatient(tls_dir: Path, demo_duckdb: Path) -> Any:
    t = ThreadedGateway(tls_dir, demo_duckdb, send_timeout=0.5)
    yield t
    t.close()


def test_client_that_stops_reading_is_dropped(impatient: ThreadedGateway) -> None:
    """A stalled reader must not pin the server (nor a pooled source connection) forever."""
    gw = impatient.gw
    conn = psycopg.connect(gw.dsn("disable"), autocommit=True)
    sock = socket.socket(fileno=os.dup(conn.fileno()))
    try:
        # ~40 MB of result, far beyond the socket buffers (and within the catalog's memory
        # limit, past which it would be refused at once), and we do not read it.
        query = (b"select repeat('x', 20000) from pg_attribute a, pg_attribute b, "
                 b"pg_attribute c limit 2000\x00")
        sock.sendall(b"Q" + struct.pack("!i", len(query) + 4) + query)
        for _ in range(3000):  # until the server has given up on us (send_timeout 0.5 s)
            if impatient.call(lambda: gw.server.session_count()) == 0:
                break
            threading.Event().wait(0.01)
        # The session ended although the client never closed it: the server gave up.
        assert impatient.call(lambda: gw.server.session_count()) == 0
    finally:
        sock.close()
        conn.close()
    _still_serves(gw)
