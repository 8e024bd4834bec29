"""Codec and type encodings, byte for byte against the protocol's definitions."""

from __future__ import annotations

import datetime as dt
import struct
import uuid
from decimal import Decimal

import pytest

from backend.core.errors import ProtocolViolation
from gateway.postgres import codec
from gateway.postgres import messages as m
from gateway.postgres.types import (
    OID_BY_NAME,
    binary_encoder,
    decode_param,
    text_encoder,
    type_oid,
)
from gateway.session import split_statements


def test_startup_message_round_trip() -> None:
    body = struct.pack("!i", m.PROTOCOL_V3) + b"user\x00alice\x00database\x00db\x00\x00"
    msg = codec.decode_startup(body)
    assert msg == m.StartupMessage(m.PROTOCOL_V3, {"user": "alice", "database": "db"})
    assert codec.decode_startup(struct.pack("!i", m.SSL_REQUEST_CODE)) == m.SSLRequest()
    assert codec.decode_startup(struct.pack("!iii", m.CANCEL_REQUEST_CODE, 7, 9)) == (
        m.CancelRequest(7, 9)
    )


@pytest.mark.parametrize(
    "kind, body",
    [
        (b"Q", b"select 1"),  # no terminator
        (b"P", b"s\x00select 1\x00\x00"),  # truncated count
        (b"B", b"\x00\x00\x00\x01\x00\x05"),  # bad format code
        (b"D", b"X\x00"),
        (b"Z", b""),
    ],
)
def test_malformed_messages_are_protocol_violations(kind: bytes, body: bytes) -> None:
    with pytest.raises(ProtocolViolation):
        codec.decode_message(kind, body)


def test_bind_decodes_nulls_and_formats() -> None:
    body = (b"p\x00s\x00" + struct.pack("!hh", 1, 1) + struct.pack("!h", 2)
            + struct.pack("!i", -1) + struct.pack("!i", 4) + struct.pack("!i", 42)
            + struct.pack("!hh", 1, 1))
    msg = codec.decode_message(b"B", body)
    assert msg == m.Bind("p", "s", (1,), (None, struct.pack("!i", 42)), (1,))


def test_data_row_layout() -> None:
    assert codec.data_row([b"ab", None]) == (
        b"D" + struct.pack("!i", 4 + 2 + 4 + 2 + 4) + struct.pack("!h", 2)
        + struct.pack("!i", 2) + b"ab" + struct.pack("!i", -1)
    )


VALUES = [
    ("bool", True), ("int2", -3), ("int4", 2**31 - 1), ("int8", -(2**63)),
    ("float8", 1.5), ("numeric", Decimal("-1234.5600")), ("numeric", Decimal("0.0001")),
    ("numeric", Decimal("100000000")), ("text", "héllo"), ("date", dt.date(1999, 12, 31)),
    ("time", dt.time(13, 14, 15, 16)), ("timestamp", dt.datetime(2024, 2, 29, 1, 2, 3, 4)),
    ("timestamptz", dt.datetime(2024, 2, 29, 1, 2, 3, tzinfo=dt.UTC)),
    ("interval", dt.timedelta(days=3, seconds=5, microseconds=6)), ("uuid", uuid.uuid4()),
    ("jsonb", {"a": [1, 2]}), ("json", {"b": None}), ("bytea", b"\x00\xff"),
]


@pytest.mark.parametrize("name, value", VALUES)
def test_binary_round_trip(name: str, value: object) -> None:
    oid = OID_BY_NAME[name]
    assert decode_param(oid, 1, binary_encoder(oid)(value)) == value


@pytest.mark.parametrize("name, value", VALUES)
def test_text_round_trip(name: str, value: object) -> None:
    oid = OID_BY_NAME[name]
    if name == "interval":
        return  # interval text is for display; parameters arrive typed by the client
    assert decode_param(oid, 0, text_encoder(oid)(value)) == value


def test_text_formats_match_postgresql() -> None:
    assert text_encoder(16)(True) == b"t"
    assert text_encoder(1184)(dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)) == (
        b"2024-01-02 03:04:05+00"
    )
    assert text_encoder(1186)(dt.timedelta(days=1, hours=2)) == b"1 days 02:00:00"
    assert text_encoder(17)(b"\x01\xab") == b"\\x01ab"
    assert text_encoder(1009)(["a", None, "b c"]) == b'{a,NULL,"b c"}'
    assert type_oid("text[]") == 1009 and type_oid("bigint") == 20


def test_bad_parameter_is_a_client_error() -> None:
    from backend.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as info:
        decode_param(23, 0, b"twelve")
    assert info.value.sqlstate == "22P02"


def test_split_statements_respects_quotes_and_comments() -> None:
    sql = "select ';' ; select $$a;b$$; -- c;\n select \"x;y\" /* ; */; ;"
    assert [s.strip() for s in split_statements(sql)] == [
        "select ';'", "select $$a;b$$", "-- c;\n select \"x;y\" /* ; */",
    ]


def test_data_rows_matches_data_row() -> None:
    rows = [(1, "a", None), (None, "", 3)]
    encs = [text_encoder(20), text_encoder(25), text_encoder(20)]
    expected = b"".join(
        codec.data_row([None if v is None else e(v) for e, v in zip(encs, r, strict=True)])
        for r in rows
    )
    assert codec.data_rows(rows, encs) == expected
    assert codec.data_rows([], encs) == b""
