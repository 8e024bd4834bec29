"""Protocol-level guarantees, checked with hand-built packets over a real socket."""

from __future__ import annotations

import contextlib

from gateway.mysql.constants import Capability

from .conftest import Gateway
from .rawclient import CLIENT_CAPS, RawClient, err_code


def test_handshake_offers_caching_sha2_and_tls(gw: Gateway) -> None:
    client = RawClient(gw.port)
    try:
        hs = client.handshake
        assert hs[0] == 10
        assert hs.endswith(b"caching_sha2_password\0")
        caps = int.from_bytes(hs[hs.index(b"\0") + 1 + 4 + 8 + 1:][:2], "little")
        assert caps & 0x800  # CLIENT_SSL
    finally:
        client.close()


def test_no_query_runs_after_a_failed_login(gw: Gateway) -> None:
    """The auth-bypass defect: queries pipelined behind a denied login must never run."""
    client = RawClient(gw.port)
    try:
        client.start_tls()
        client.send(client.login_packet(gw.user, "wrong password"),
                    client.query_packet("SELECT status, `count` FROM orders GROUP BY 1"),
                    client.query_packet("SELECT 1"))
        packets = client.read_all_until_closed()
    finally:
        client.close()
    assert len(packets) == 1
    assert err_code(packets[0]) == 1045
    assert b"Access denied" in packets[0]


def test_a_query_after_the_denial_finds_the_connection_closed(gw: Gateway) -> None:
    client = RawClient(gw.port)
    try:
        client.start_tls()
        client.send(client.login_packet("nobody", "x"))
        assert err_code(client.read()) == 1045
        with contextlib.suppress(OSError):  # already closed: even better
            client.send(client.query_packet("SELECT 1"))
        assert client.read_all_until_closed() == []
    finally:
        client.close()


def test_clear_password_login_over_tls_works(gw: Gateway) -> None:
    client = RawClient(gw.port)
    try:
        client.start_tls()
        client.send(client.login_packet(gw.user, gw.password))
        assert client.read()[:1] == b"\x00"  # OK
        client.send(client.query_packet("SELECT DATABASE()"))
        assert client.read() == b"\x01"  # one column
    finally:
        client.close()


def test_clear_password_without_tls_is_refused(gw: Gateway) -> None:
    client = RawClient(gw.port)
    try:
        client.send(client.login_packet(gw.user, gw.password))
        packets = client.read_all_until_closed()
    finally:
        client.close()
    assert len(packets) == 1 and err_code(packets[0]) == 1045
    assert b"TLS is required" in packets[0]



def _query_packets(gw: Gateway, *, deprecate_eof: bool) -> list[bytes]:
    caps = CLIENT_CAPS | (Capability.DEPRECATE_EOF if deprecate_eof else 0)
    client = RawClient(gw.port, caps)
    try:
        client.start_tls()
        client.send(client.login_packet(gw.user, gw.password))
        assert client.read()[:1] == b"\x00"
        client.send(client.query_packet("SELECT DATABASE(), 1"))
        return [client.read() for _ in range(5 if deprecate_eof else 6)]
    finally:
        client.close()


def test_resultset_framing_with_and_without_deprecate_eof(gw: Gateway) -> None:
    # column count, 2 column definitions, [EOF], one row, terminator
    classic = _query_packets(gw, deprecate_eof=False)
    assert classic[0] == b"\x02" and classic[3][:1] == b"\xfe" and len(classic[3]) == 5
    assert classic[4] == b"\x02db\x011"
    assert classic[5][:1] == b"\xfe" and len(classic[5]) == 5  # EOF
    modern = _query_packets(gw, deprecate_eof=True)
    assert modern[0] == b"\x02" and modern[3] == b"\x02db\x011"
    assert modern[4][:1] == b"\xfe" and len(modern[4]) == 7  # OK with the EOF header


def test_oversized_packets_before_login_are_refused(gw: Gateway) -> None:
    client = RawClient(gw.port)
    try:
        # Only the header of a 1 MiB packet where a login belongs: the length alone is refused
        # (sending the body too could turn the server's close into a reset before we read).
        client.send((1 << 20).to_bytes(3, "little") + b"\x01")
        packets = client.read_all_until_closed()
    finally:
        client.close()
    assert len(packets) == 1 and err_code(packets[0]) == 1047
