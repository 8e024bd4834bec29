"""Rows that are not touched: a PostgreSQL source's DataRow messages sent on to the client.

When the data source is PostgreSQL and its result comes from the one-round-trip path
(``backend.connectors.postgres.WireResult``), the source is asked for each column in the
format the client wants. A column whose source type is the one described to the client, or
one the client's type reads the same (in text any integer as int8 or numeric; varchar as
text in both formats), is copied byte for byte; when every column is, whole runs of DataRow
messages go out as they came in, never split into values. Other columns are requested in
binary, decoded and re-encoded for the described type, with one decoder and one encoder per
column chosen once per statement.

Only a portal read to its end in one Execute (the simple protocol, or Execute without a row
limit) is forwarded; a portal fetched in pieces takes the ordinary decoded path.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from backend.connectors.pgcopy import DECODERS
from backend.observability import metrics
from gateway.postgres import codec
from gateway.postgres import messages as m
from gateway.postgres.types import binary_encoder, text_encoder

if TYPE_CHECKING:
    from gateway.postgres.connection import PgConnection, Portal

_I32 = struct.Struct("!i")
_ROWS = metrics.rows_counter("postgres")
_WRITE_HIGH = 384 * 1024
_FLUSH_BYTES = 32 * 1024

# Text the client's type (value) reads exactly as the source type (key) writes it.
_TEXT_ALIKE: dict[int, frozenset[int]] = {
    21: frozenset({20, 21, 23, 1700}),  # int2
    23: frozenset({20, 21, 23, 1700}),  # int4
    20: frozenset({20, 21, 23, 1700}),  # int8
    25: frozenset({25, 1043}),  # text
    1043: frozenset({25, 1043}),  # varchar
    19: frozenset({25, 1043, 19}),  # name
    1042: frozenset({25, 1043}),  # bpchar (padded in both)
}
# In binary only the string types share a representation (their UTF-8 bytes).
_BINARY_ALIKE: dict[int, frozenset[int]] = {
    oid: frozenset({25, 1043}) for oid in (25, 1043, 19, 1042)
}

Converter = tuple[Callable[[bytes], Any], Callable[[Any], bytes]] | None


def plan(source_oids: Sequence[int], fields: Sequence[m.FieldDescription]
         ) -> tuple[list[int], list[Converter]]:
    """Per column: the format to ask the source for, and how to convert (None: copy)."""
    formats: list[int] = []
    converters: list[Converter] = []
    for oid, f in zip(source_oids, fields, strict=True):
        alike = _TEXT_ALIKE if f.format == 0 else _BINARY_ALIKE
        if oid == f.type_oid or f.type_oid in alike.get(oid, ()):
            formats.append(f.format)
            converters.append(None)
        else:
            encode = binary_encoder(f.type_oid) if f.format == 1 else text_encoder(f.type_oid)
            formats.append(1)
            converters.append((DECODERS[oid], encode))
    return formats, converters


def convert(chunk: bytes, converters: Sequence[Converter]) -> bytes:
    """Re-encode the converted columns of a run of DataRow messages; the others are copied."""
    unpack, pack = _I32.unpack_from, _I32.pack
    out: list[bytes] = []
    append = out.append
    pos, size = 0, len(chunk)
    head = chunk[5:7] if size >= 7 else b""
    while pos < size:
        end = pos + 1 + unpack(chunk, pos + 1)[0]
        p = pos + 7
        parts = [head]
        for conv in converters:
            (length,) = unpack(chunk, p)
            if length < 0:
                parts.append(chunk[p:p + 4])
                p += 4
                continue
            start = p + 4
            p = start + length
            if conv is None:
                parts.append(chunk[start - 4:p])
            else:
                value = conv[1](conv[0](chunk[start:p]))
                parts.append(pack(len(value)))
                parts.append(value)
        body = b"".join(parts)
        append(b"D")
        append(pack(len(body) + 4))
        append(body)
        pos = end
    return b"".join(out)


async def stream(conn: PgConnection, portal: Portal, max_rows: int) -> bool:
    """Send the whole portal forwarded, then CommandComplete; False when it cannot be."""
    result = portal.result
    source = getattr(result, "source", None)
    forward = getattr(source, "forward", None)
    if (result is None or forward is None or max_rows > 0 or portal.sent or portal.buffer
            or portal.exhausted or portal.fields is None):
        return False
    source_oids: Sequence[int] = source.source_oids  # type: ignore[union-attr]
    if len(source_oids) != len(portal.fields):
        return False
    formats, converters = plan(source_oids, portal.fields)
    touched = any(c is not None for c in converters)
    # Room for a chunk and a half in the socket's buffer: the client leg keeps sending while
    # the next chunk is read and copied (with the default 64 KB mark every flush waited for
    # the buffer to empty, leaving the socket idle meanwhile). Still bounded per connection.
    transport = conn.writer.transport
    limits = transport.get_write_buffer_limits()
    transport.set_write_buffer_limits(high=_WRITE_HIGH, low=_WRITE_HIGH // 2)
    buffered = source.buffered  # type: ignore[union-attr]
    unflushed = 0
    try:
        async for chunk, count in forward(formats):
            out = convert(chunk, converters) if touched else chunk
            conn.send(out)
            portal.sent += count
            _ROWS.inc(count)
            unflushed += len(out)
            # Flush a full buffer, or whatever is here before waiting on the source (rows
            # that trickle in go out as they come). A small result that arrived whole waits
            # for the flush at Sync: one write to the client per statement.
            if unflushed >= _FLUSH_BYTES or not buffered():
                await conn.flush()
                unflushed = 0
    finally:
        if not transport.is_closing():
            transport.set_write_buffer_limits(high=limits[1], low=limits[0])
    portal.exhausted = True
    conn.send(codec.command_complete(f"SELECT {portal.sent}"))
    return True
