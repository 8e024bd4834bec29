"""Peers that vanish at awkward moments end their connection quietly, on the servers' loop.

uvloop raises RuntimeError on a write to a closed transport (asyncio drops the bytes), so any
write that can follow the peer's reset must treat it as the peer gone, not fail internally.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
from collections.abc import Iterator
from pathlib import Path

import pymysql
import pytest

from tests.gateway_mysql.conftest import Gateway, ThreadedGateway
from tests.gateway_mysql.rawclient import RawClient

RESET = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s: close() sends RST


def _still_serves(gw: Gateway) -> None:
    conn = pymysql.connect(
        host="127.0.0.1",
        port=gw.port,
        user=gw.user,
        password=gw.password,
        ssl={"check_hostname": False},
        ssl_verify_cert=False,
    )
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
            assert cur.fetchone() == (1,)
    finally:
        conn.close()


@pytest.mark.parametrize("with_hello", [False, True])
def test_a_reset_right_after_the_ssl_request(
    gw: Gateway, caplog: pytest.LogCaptureFixture, with_hello: bool
) -> None:
    caplog.set_level(logging.INFO)
    for _ in range(20):
        client = RawClient(gw.port)
        prefix = struct.pack("<IIB", client.caps, 1 << 24, 45) + b"\0" * 23
        hello = b"\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00" if with_hello else b""
        client.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET)
        client.send(client.packet(prefix) + hello)
        client.sock.close()
    _still_serves(gw)
    noisy = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not noisy, [r.getMessage() for r in noisy]


@pytest.fixture(scope="module")
def impatient(tls_dir: Path, demo_duckdb: Path) -> Iterator[ThreadedGateway]:
    t = ThreadedGateway(tls_dir, demo_duckdb, message_timeout=0.5)
    yield t
    t.close()


@pytest.mark.parametrize("sent", [10, 1_000_000])
def test_a_packet_that_stops_arriving_ends_the_connection(
    impatient: ThreadedGateway, sent: int
) -> None:
    """A logged-in client announces a 16 MiB packet and sends part of it:
    as MySQL's net_read_timeout, the rest must come in time, or the connection ends; before,
    the gateway held the part (up to max_allowed_packet, 64 MiB) for as long as the client
    liked."""
    gw = impatient.gw
    conn = pymysql.connect(
        host="127.0.0.1",
        port=gw.port,
        user=gw.user,
        password=gw.password,
        ssl={"check_hostname": False},
        ssl_verify_cert=False,
    )
    sock = conn._sock
    assert sock is not None
    try:
        packet = (0xFFFFFF).to_bytes(3, "little") + b"\x00" + b"\x03" + b"x" * 0xFFFFFE
        sock.sendall(packet[:sent])
        sock.settimeout(10)
        with contextlib.suppress(ConnectionResetError):
            assert sock.recv(65536) == b""  # closed by the gateway
    finally:
        conn._sock = None
        sock.close()

    async def sessions() -> int:
        return impatient.gw.server.session_count()

    assert impatient.run(sessions()) == 0
