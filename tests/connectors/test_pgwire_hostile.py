"""A PostgreSQL source server that frames its messages wrongly fails the statement, never the
gateway: the data source's address is a team member's to choose, so the server at the other
end may be broken or hostile.

A message length below 4 (negative, say) made the connector's message loop and its DataRow
scanner spin without awaiting anything: the event loop of the whole gateway process (every
session, the web tier, the change feed) stopped. The fake server here answers the
connector's real exchanges over a socket and then sends such a message; the connector runs
on a thread of its own so that a spin shows as a thread that never ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
from collections.abc import Iterator

import pytest

from backend import eventloop
from backend.connectors import pgwire
from tests.services import EVENT_LOOP


def _msg(kind: bytes, body: bytes) -> bytes:
    return kind + struct.pack("!i", len(body) + 4) + body


def _bad(kind: bytes, length: int) -> bytes:
    return kind + struct.pack("!i", length) + b"\x00" * 16


READY = _msg(b"Z", b"I")
ROW_DESCRIPTION = _msg(
    b"T", struct.pack("!h", 1) + b"x\x00" + struct.pack("!ihihih", 0, 0, 23, 4, -1, 0)
)
WRAPPER = (
    _msg(b"2", b"")
    + _msg(b"C", b"BEGIN\x00")
    + _msg(b"2", b"")
    + _msg(b"C", b"SET\x00")
    + _msg(b"2", b"")
)


def _serve(listener: socket.socket, login: bytes, replies: list[bytes]) -> None:
    """Accept one connector; answer its startup, then each Sync with the next reply."""
    conn, _ = listener.accept()
    with conn:
        conn.settimeout(10)
        (length,) = struct.unpack("!i", conn.recv(4, socket.MSG_WAITALL))
        conn.recv(length - 4, socket.MSG_WAITALL)
        conn.sendall(_msg(b"R", struct.pack("!i", 0)) + login)
        buf = b""
        for reply in replies:
            while True:
                while len(buf) < 5:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buf += chunk
                (size,) = struct.unpack_from("!i", buf, 1)
                while len(buf) < 1 + size:
                    buf += conn.recv(65536)
                kind, buf = buf[:1], buf[1 + size :]
                if kind == b"S":
                    break
            conn.sendall(reply)
        with contextlib.suppress(OSError):
            conn.recv(65536)  # until the connector gives up


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    with socket.create_server(("127.0.0.1", 0)) as s:
        yield s


async def _statement(port: int) -> None:
    conn = await pgwire.connect(
        ["127.0.0.1"],
        port,
        user="u",
        password="",
        database="d",
        ssl_context=None,
        settings={},
        timeout=5,
    )
    try:
        await conn.set_wrapper(1000)
        stmt = await conn.prepare("SELECT 1")
        conn.start(stmt, [], [0])
        async for _ in pgwire.read_rows(conn):
            pass
    finally:
        conn.terminate()


CASES = {
    "notice at login, length -1": (_bad(b"N", -1), []),
    "ready at login, length 0": (_bad(b"Z", 0), []),
    "data row, length -1": (
        READY,
        [
            _msg(b"1", b"") * 3 + READY,
            _msg(b"1", b"") + _msg(b"t", b"\x00\x00") + ROW_DESCRIPTION + READY,
            WRAPPER + _bad(b"D", -1),
        ],
    ),
    "data row, length 2": (
        READY,
        [
            _msg(b"1", b"") * 3 + READY,
            _msg(b"1", b"") + _msg(b"t", b"\x00\x00") + ROW_DESCRIPTION + READY,
            WRAPPER + _bad(b"D", 2),
        ],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_message_length_below_four_is_a_protocol_error(
    listener: socket.socket, case: str
) -> None:
    login, replies = CASES[case]
    server = threading.Thread(target=_serve, args=(listener, login, replies), daemon=True)
    server.start()
    outcome: list[BaseException | None] = []

    def client() -> None:
        try:
            eventloop.run(asyncio.wait_for(_statement(listener.getsockname()[1]), 10), EVENT_LOOP)
            outcome.append(None)
        except BaseException as exc:  # reported below
            outcome.append(exc)

    thread = threading.Thread(target=client, daemon=True)
    thread.start()
    thread.join(15)
    assert not thread.is_alive(), "the connector spun on the message (the event loop stopped)"
    assert isinstance(outcome[0], pgwire.WireProtocolError), outcome
