"""MySQL packet payloads ↔ values: stateless ``make_*`` / ``parse_*`` functions.

Framing (the 4-byte header, sequence ids, splitting at 16 MiB) lives in ``stream.py``; this
module sees whole payloads only and knows nothing of sockets or sessions.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from .constants import (
    UTF8MB4_GENERAL_CI,
    Capability,
    ColumnType,
)


class PacketError(ValueError):
    """A payload that does not parse: the client broke the protocol."""


# --- primitive encodings -----------------------------------------------------------------------


def lenenc_int(n: int) -> bytes:
    if n < 0:
        raise ValueError("length-encoded integers are unsigned")
    if n < 0xFB:
        return bytes((n,))
    if n < 1 << 16:
        return b"\xfc" + n.to_bytes(2, "little")
    if n < 1 << 24:
        return b"\xfd" + n.to_bytes(3, "little")
    return b"\xfe" + n.to_bytes(8, "little")


def lenenc_bytes(b: bytes) -> bytes:
    return lenenc_int(len(b)) + b


def lenenc_str(s: str) -> bytes:
    return lenenc_bytes(s.encode())


class Reader:
    """A cursor over one payload."""

    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0

    def remaining(self) -> int:
        return len(self.data) - self.pos

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise PacketError("packet too short")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def uint(self, n: int) -> int:
        return int.from_bytes(self.take(n), "little")

    def lenenc_int(self) -> int | None:
        first = self.uint(1)
        if first < 0xFB:
            return first
        if first == 0xFB:
            return None  # NULL in a text row
        if first == 0xFC:
            return self.uint(2)
        if first == 0xFD:
            return self.uint(3)
        if first == 0xFE:
            return self.uint(8)
        raise PacketError("bad length-encoded integer")

    def lenenc_bytes(self) -> bytes:
        n = self.lenenc_int()
        if n is None:
            raise PacketError("unexpected NULL")
        return self.take(n)

    def nul_bytes(self) -> bytes:
        end = self.data.find(b"\0", self.pos)
        if end < 0:
            raise PacketError("missing NUL terminator")
        chunk = self.data[self.pos : end]
        self.pos = end + 1
        return chunk

    def rest(self) -> bytes:
        chunk = self.data[self.pos :]
        self.pos = len(self.data)
        return chunk


# --- connection phase --------------------------------------------------------------------------


def make_handshake_v10(
    *,
    server_version: str,
    connection_id: int,
    scramble: bytes,
    capabilities: int,
    status: int,
    auth_plugin: str,
    charset: int = UTF8MB4_GENERAL_CI,
) -> bytes:
    if len(scramble) != 20:
        raise ValueError("the scramble is 20 bytes")
    return b"".join(
        (
            b"\x0a",
            server_version.encode() + b"\0",
            struct.pack("<I", connection_id),
            scramble[:8],
            b"\0",
            struct.pack("<H", capabilities & 0xFFFF),
            bytes((charset,)),
            struct.pack("<H", status),
            struct.pack("<H", (capabilities >> 16) & 0xFFFF),
            bytes((len(scramble) + 1,)),
            b"\0" * 10,
            scramble[8:] + b"\0",
            auth_plugin.encode() + b"\0",
        )
    )


@dataclass
class HandshakeResponse:
    capabilities: int
    max_packet: int
    charset: int
    username: str = ""
    auth_response: bytes = b""
    database: str | None = None
    auth_plugin: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    ssl_request: bool = False  # only the 32-byte SSLRequest prefix was sent


def parse_handshake_response(payload: bytes) -> HandshakeResponse:
    r = Reader(payload)
    caps = r.uint(4)
    if not caps & Capability.PROTOCOL_41:
        raise PacketError("clients older than protocol 4.1 are not supported")
    resp = HandshakeResponse(capabilities=caps, max_packet=r.uint(4), charset=r.uint(1))
    r.take(23)
    if r.remaining() == 0:
        resp.ssl_request = True
        return resp
    resp.username = r.nul_bytes().decode("utf-8", "replace")
    if caps & Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA:
        resp.auth_response = r.lenenc_bytes()
    elif caps & Capability.SECURE_CONNECTION:
        resp.auth_response = r.take(r.uint(1))
    else:
        resp.auth_response = r.nul_bytes()
    if caps & Capability.CONNECT_WITH_DB and r.remaining():
        resp.database = r.nul_bytes().decode("utf-8", "replace") or None
    if caps & Capability.PLUGIN_AUTH and r.remaining():
        resp.auth_plugin = r.nul_bytes().decode("ascii", "replace")
    if caps & Capability.CONNECT_ATTRS and r.remaining():
        attrs = Reader(r.lenenc_bytes())
        while attrs.remaining():
            key = attrs.lenenc_bytes().decode("utf-8", "replace")
            resp.attributes[key] = attrs.lenenc_bytes().decode("utf-8", "replace")
    return resp


def make_auth_switch_request(plugin: str, data: bytes) -> bytes:
    return b"\xfe" + plugin.encode() + b"\0" + data


def make_auth_more_data(data: bytes) -> bytes:
    return b"\x01" + data


# --- generic responses -------------------------------------------------------------------------


def make_ok(
    *,
    affected_rows: int = 0,
    last_insert_id: int = 0,
    status: int = 0,
    warnings: int = 0,
    info: str = "",
    eof_header: bool = False,
) -> bytes:
    """An OK packet; with ``eof_header`` it ends a resultset under CLIENT_DEPRECATE_EOF."""
    return b"".join(
        (
            b"\xfe" if eof_header else b"\x00",
            lenenc_int(affected_rows),
            lenenc_int(last_insert_id),
            struct.pack("<HH", status, warnings),
            info.encode(),
        )
    )


def make_eof(*, status: int = 0, warnings: int = 0) -> bytes:
    return b"\xfe" + struct.pack("<HH", warnings, status)


def make_err(errno: int, sqlstate: str, message: str) -> bytes:
    if len(sqlstate) != 5:
        raise ValueError("a SQLSTATE has five characters")
    return b"\xff" + struct.pack("<H", errno) + b"#" + sqlstate.encode() + message.encode()


# --- resultsets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnDefinition:
    name: str
    type: ColumnType
    charset: int
    length: int
    flags: int = 0
    decimals: int = 0
    table: str = ""
    schema: str = ""


def make_column_count(n: int) -> bytes:
    return lenenc_int(n)


def make_column_definition(col: ColumnDefinition) -> bytes:
    return b"".join(
        (
            lenenc_str("def"),
            lenenc_str(col.schema),
            lenenc_str(col.table),
            lenenc_str(col.table),
            lenenc_str(col.name),
            lenenc_str(col.name),
            b"\x0c",
            struct.pack("<HIBHB", col.charset, col.length, col.type, col.flags, col.decimals),
            b"\0\0",
        )
    )


def parse_column_definition(payload: bytes) -> ColumnDefinition:
    """The inverse of :func:`make_column_definition` (used by tests acting as a client)."""
    r = Reader(payload)
    r.lenenc_bytes()
    schema = r.lenenc_bytes().decode()
    table = r.lenenc_bytes().decode()
    r.lenenc_bytes()
    name = r.lenenc_bytes().decode()
    r.lenenc_bytes()
    r.lenenc_int()
    charset, length, ctype, flags, decimals = struct.unpack("<HIBHB", r.take(10))
    return ColumnDefinition(name, ColumnType(ctype), charset, length, flags, decimals, table,
                            schema)


def make_text_row(values: list[bytes | None]) -> bytes:
    return b"".join(b"\xfb" if v is None else lenenc_bytes(v) for v in values)


def make_binary_row(values: list[bytes | None]) -> bytes:
    """A binary-protocol row from already encoded values (``None`` is NULL)."""
    bitmap = bytearray((len(values) + 7 + 2) // 8)
    for i, v in enumerate(values):
        if v is None:
            bit = i + 2  # the binary row's NULL bitmap starts at bit offset 2
            bitmap[bit // 8] |= 1 << (bit % 8)
    return b"\x00" + bytes(bitmap) + b"".join(v for v in values if v is not None)


# --- prepared statements -----------------------------------------------------------------------


def make_stmt_prepare_ok(statement_id: int, columns: int, params: int, warnings: int = 0) -> bytes:
    return b"\x00" + struct.pack("<IHHBH", statement_id, columns, params, 0, warnings)


@dataclass
class StmtExecute:
    statement_id: int
    flags: int
    null_bitmap: bytes
    types: list[tuple[int, bool]] | None  # (type, unsigned) when the client (re)bound types
    values: Reader  # positioned at the first parameter value


def parse_stmt_execute(payload: bytes, param_count: int) -> StmtExecute:
    r = Reader(payload)
    r.take(1)  # the command byte
    statement_id = r.uint(4)
    flags = r.uint(1)
    r.uint(4)  # iteration count, always 1
    bitmap = b""
    types: list[tuple[int, bool]] | None = None
    if param_count > 0:
        bitmap = r.take((param_count + 7) // 8)
        if r.uint(1):
            types = []
            for _ in range(param_count):
                t, flag = r.take(2)
                types.append((t, bool(flag & 0x80)))
    return StmtExecute(statement_id, flags, bitmap, types, r)


def is_null(bitmap: bytes, index: int) -> bool:
    return bool(bitmap[index // 8] & (1 << (index % 8)))
