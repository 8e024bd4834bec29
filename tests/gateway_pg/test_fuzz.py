"""Protocol fuzzing: the decoder raises only ProtocolViolation; the startup phase never hangs."""

from __future__ import annotations

import contextlib
import socket
import struct
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.core.errors import ProtocolViolation
from gateway.postgres import codec
from tests.gateway_pg.conftest import ThreadedGateway

TYPES = st.sampled_from([b"Q", b"P", b"B", b"D", b"E", b"C", b"S", b"H", b"X", b"p", b"d",
                         b"F", b"\x00", b"z"])


@settings(max_examples=2000, deadline=None)
@given(kind=TYPES, body=st.binary(max_size=200))
def test_decode_message_only_raises_protocol_violation(kind: bytes, body: bytes) -> None:
    with contextlib.suppress(ProtocolViolation):
        codec.decode_message(kind, body)


@settings(max_examples=1000, deadline=None)
@given(code=st.sampled_from([196608, 196609, 80877103, 80877102, 80877104, 131072, 0]),
       body=st.binary(max_size=100))
def test_decode_startup_only_raises_protocol_violation(code: int, body: bytes) -> None:
    with contextlib.suppress(ProtocolViolation):
        codec.decode_startup(struct.pack("!i", code) + body)


@pytest.fixture(scope="module")
def fuzz_gw(tls_dir: Path, demo_duckdb: Path) -> Any:
    t = ThreadedGateway(tls_dir, demo_duckdb, message_timeout=0.3, startup_timeout=1.0)
    yield t
    t.close()


def _startup_like() -> st.SearchStrategy[bytes]:
    def packet(code: int, body: bytes, length_delta: int) -> bytes:
        payload = struct.pack("!i", code) + body
        return struct.pack("!i", len(payload) + 4 + length_delta) + payload

    structured = st.builds(
        packet,
        st.sampled_from([196608, 80877103, 80877102, 80877104, 1234]),
        st.binary(max_size=64) | st.just(b"user\x00x\x00database\x00db\x00\x00"),
        st.sampled_from([0, 0, 0, -3, 5, 10_000]),
    )
    return st.lists(structured | st.binary(max_size=64), min_size=1, max_size=3).map(b"".join)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_startup_like())
def test_startup_phase_never_hangs(fuzz_gw: ThreadedGateway, data: bytes) -> None:
    with socket.create_connection(("127.0.0.1", fuzz_gw.gw.port), timeout=10) as s:
        try:
            s.sendall(data)
            while s.recv(65536):
                pass  # the server answers or not, but always ends the connection in time
        except (ConnectionResetError, BrokenPipeError):
            pass


def test_server_still_serves_after_fuzzing(fuzz_gw: ThreadedGateway) -> None:
    with psycopg.connect(fuzz_gw.gw.dsn()) as conn:
        assert conn.execute("select 1").fetchone() == (1,)
