"""The stateless codec: encodings pinned against the protocol's documented byte layouts."""

from __future__ import annotations

import datetime as dt
import struct
from decimal import Decimal

import pytest

from gateway.mysql.constants import Capability, ColumnType
from gateway.mysql.packets import (
    PacketError,
    Reader,
    lenenc_int,
    make_binary_row,
    make_column_definition,
    make_err,
    parse_column_definition,
    parse_handshake_response,
    parse_stmt_execute,
)
from gateway.mysql.values import binary_value, column_definition, read_binary_param, text_value


@pytest.mark.parametrize("n", [0, 250, 251, 65535, 65536, 1 << 24, (1 << 64) - 1])
def test_lenenc_roundtrip(n: int) -> None:
    assert Reader(lenenc_int(n)).lenenc_int() == n


def test_err_packet_layout() -> None:
    assert make_err(1045, "28000", "no") == b"\xff\x15\x04#28000no"


def test_column_definition_roundtrip() -> None:
    col = column_definition("amount", "numeric", table="orders", schema="db")
    back = parse_column_definition(make_column_definition(col))
    assert back == col and back.type == ColumnType.NEWDECIMAL


def test_binary_row_null_bitmap_starts_at_bit_2() -> None:
    row = make_binary_row([None, b"\x01", None])
    assert row == b"\x00" + bytes((0b00010100,)) + b"\x01"


def test_text_values() -> None:
    assert text_value(True) == b"1"
    assert text_value(Decimal("1.50")) == b"1.50"
    assert text_value(dt.datetime(2024, 1, 2, 3, 4, 5)) == b"2024-01-02 03:04:05"
    assert text_value(dt.datetime(2024, 1, 2, 3, 4, 5, 60)) == b"2024-01-02 03:04:05.000060"
    assert text_value(dt.timedelta(hours=-1, minutes=-30)) == b"-01:30:00"
    assert text_value(None) is None


def test_binary_datetime_and_time() -> None:
    assert binary_value(ColumnType.DATETIME, dt.datetime(2024, 1, 2, 3, 4, 5)) == \
        struct.pack("<BHBBBBB", 7, 2024, 1, 2, 3, 4, 5)
    assert binary_value(ColumnType.DATE, dt.date(2024, 1, 2)) == struct.pack("<BHBB", 4, 2024,
                                                                             1, 2)
    assert binary_value(ColumnType.TIME, dt.time(1, 2, 3)) == \
        struct.pack("<BBIBBBI", 12, 0, 0, 1, 2, 3, 0)
    assert binary_value(ColumnType.LONGLONG, -5) == struct.pack("<q", -5)


def test_binary_parameters_are_values() -> None:
    r = Reader(struct.pack("<q", -7) + b"\x08it's; --" + struct.pack("<BHBB", 4, 2024, 5, 6))
    assert read_binary_param(r, ColumnType.LONGLONG, False) == -7
    assert read_binary_param(r, ColumnType.VAR_STRING, False) == "it's; --"
    assert read_binary_param(r, ColumnType.DATE, False) == dt.date(2024, 5, 6)
    with pytest.raises(PacketError):
        read_binary_param(Reader(b""), 0x42, False)


def test_stmt_execute_with_types_and_nulls() -> None:
    payload = (b"\x17" + struct.pack("<IBI", 3, 0, 1) + bytes((0b10,)) + b"\x01"
               + bytes((ColumnType.LONG, 0, ColumnType.NULL, 0)) + struct.pack("<i", 42))
    req = parse_stmt_execute(payload, 2)
    assert req.statement_id == 3 and req.types == [(ColumnType.LONG, False),
                                                    (ColumnType.NULL, False)]
    assert read_binary_param(req.values, ColumnType.LONG, False) == 42


def test_handshake_response_and_ssl_request() -> None:
    caps = Capability.PROTOCOL_41 | Capability.SECURE_CONNECTION | Capability.SSL
    prefix = struct.pack("<IIB", caps, 1 << 24, 45) + b"\0" * 23
    assert parse_handshake_response(prefix).ssl_request
    full = parse_handshake_response(prefix + b"bob\0" + b"\x02pw")
    assert full.username == "bob" and full.auth_response == b"pw"
    old = struct.pack("<IIB", 0, 0, 8) + b"\0" * 23
    with pytest.raises(PacketError):
        parse_handshake_response(old)
