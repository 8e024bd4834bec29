"""SSLRequest then plaintext: the gateway must never read plaintext as if it came over TLS.

A man in the middle can append a plaintext StartupMessage to the client's SSLRequest (the
CVE-2021-23214 class); bytes after SSLRequest and before the handshake are refused, and bytes
that arrive once the handshake started are TLS records (and fail as such), never a login.
"""

from __future__ import annotations

import socket
import struct
import threading

from tests.gateway_pg.conftest import ThreadedGateway

SSL_REQUEST = struct.pack("!ii", 8, 80877103)


def _startup(user: str) -> bytes:
    body = struct.pack("!i", 196608) + b"user\x00" + user.encode() + b"\x00database\x00db\x00\x00"
    return struct.pack("!i", len(body) + 4) + body


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while True:
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, TimeoutError):
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def test_plaintext_behind_the_ssl_request_is_refused(tgw: ThreadedGateway) -> None:
    with socket.create_connection(("127.0.0.1", tgw.gw.port), timeout=10) as s:
        s.sendall(SSL_REQUEST + _startup(tgw.gw.user))
        reply = _read_all(s)
    assert reply.startswith(b"S")
    assert b"unencrypted data after SSL request" in reply
    assert b"R\x00\x00\x00" not in reply  # no authentication request: no login started


def test_plaintext_after_the_answer_is_not_a_login(tgw: ThreadedGateway) -> None:
    for delay in (0.0, 0.005, 0.05):
        with socket.create_connection(("127.0.0.1", tgw.gw.port), timeout=10) as s:
            s.sendall(SSL_REQUEST)
            threading.Event().wait(delay)
            s.sendall(_startup(tgw.gw.user))
            reply = _read_all(s)
        assert reply[:1] == b"S"
        assert b"R\x00\x00\x00" not in reply[1:]  # read as a (broken) TLS record
