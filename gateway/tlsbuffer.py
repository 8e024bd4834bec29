"""A smaller TLS read buffer for wire sessions.

asyncio's TLS transport gives every connection a 256 KiB read buffer (``SSLProtocol.max_size``)
for as long as it lives: most of an idle session's memory (measured: ~250 KB per idle
PostgreSQL session with 1,000 held, bench/pg_bench.py). What a client sends is small, and a
TLS record is at most 16 KiB of payload, so 32 KiB costs no extra reads worth noticing.
uvloop (the default loop, ``backend.eventloop``) mallocs its TLS buffer without touching it, so
only pages a read used count; there this is a no-op (measured: 31 KB per idle session).
"""

from __future__ import annotations

import asyncio
from typing import Any

READ_BUFFER_BYTES = 32 * 1024


def shrink_read_buffer(writer: asyncio.StreamWriter, size: int = READ_BUFFER_BYTES) -> None:
    """After ``start_tls``: replace the TLS protocol's read buffer with one of ``size`` bytes
    (nothing holds the old one between reads; no-op for other transports)."""
    protocol: Any = getattr(writer.transport, "_ssl_protocol", None)
    if protocol is None or not hasattr(protocol, "_ssl_buffer"):
        return
    protocol.max_size = size
    protocol._ssl_buffer = bytearray(size)
    protocol._ssl_buffer_view = memoryview(protocol._ssl_buffer)
