"""Peers that half-close or reset at awkward moments, on the servers' loop (uvloop).

A client that sends its last query and then shuts down its sending side still gets the whole
answer, as from PostgreSQL; one that resets during the TLS start or the login leaves no
internal error behind.
"""

from __future__ import annotations

import logging
import os
import socket
import struct

import psycopg
import pytest

from tests.gateway_pg.conftest import ThreadedGateway

RESET = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s: close() sends RST
SSL_REQUEST = struct.pack("!ii", 8, 80877103)


def _messages(data: bytes) -> list[bytes]:
    kinds, pos = [], 0
    while pos + 5 <= len(data):
        kinds.append(data[pos : pos + 1])
        pos += 1 + int.from_bytes(data[pos + 1 : pos + 5], "big")
    return kinds


def test_a_query_then_a_half_close_is_answered_in_full(tgw: ThreadedGateway) -> None:
    conn = psycopg.connect(tgw.gw.dsn("disable"), autocommit=True)
    sock = socket.socket(fileno=os.dup(conn.fileno()))
    try:
        sock.settimeout(10)
        query = b"select id from orders order by id\x00"
        sock.sendall(b"Q" + struct.pack("!i", len(query) + 4) + query)
        sock.shutdown(socket.SHUT_WR)  # no more requests; the answer must still come
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    finally:
        sock.close()
        conn.close()
    kinds = _messages(b"".join(chunks))
    assert kinds[0] == b"T" and kinds.count(b"D") == 1000
    assert kinds[-2:] == [b"C", b"Z"]


@pytest.mark.parametrize("stage", ["ssl request", "startup", "startup over tls"])
def test_a_reset_during_the_start_leaves_no_error(
    tgw: ThreadedGateway, caplog: pytest.LogCaptureFixture, stage: str
) -> None:
    caplog.set_level(logging.INFO)
    body = struct.pack("!i", 196608) + b"user\x00" + tgw.gw.user.encode() + b"\x00\x00"
    startup = struct.pack("!i", len(body) + 4) + body
    for _ in range(20):
        s = socket.create_connection(("127.0.0.1", tgw.gw.port), timeout=10)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET)
        if stage == "ssl request":
            s.sendall(SSL_REQUEST)
        elif stage == "startup":
            s.sendall(startup)
        else:
            s.sendall(SSL_REQUEST)
            assert s.recv(1) == b"S"
            s.sendall(b"\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00")  # a ClientHello's start
        s.close()
    with psycopg.connect(tgw.gw.dsn()) as conn:
        assert conn.execute("select 1").fetchone() == (1,)
    noisy = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not noisy, [r.getMessage() for r in noisy]
