"""Per-column row encoders: pinned bytes for each kind of value, and for every declared column
type and value kind, the same bytes (or the same error) as the general per-value encoders."""

from __future__ import annotations

import datetime as dt
import struct
import uuid
from decimal import Decimal
from typing import Any

import pytest

from gateway.mysql.constants import ColumnType
from gateway.mysql.packets import Reader, make_binary_row, make_text_row
from gateway.mysql.values import (
    binary_row_encoder,
    binary_value,
    column_definition,
    text_row_encoder,
    text_value,
)

NEUTRALS = ["bool", "int2", "int4", "int8", "float4", "float8", "numeric", "date", "time",
            "timestamp", "timestamptz", "bytea", "text", "interval", "json"]

VALUES: list[Any] = [
    None, True, False, 0, 1, -1, 127, 128, -129, 32768, 1 << 31, -(1 << 63), (1 << 63) - 1,
    1 << 63, (1 << 64) - 1, 1 << 64, 10**300, 0.0, -0.0, 1.5, -2.25e-10, 1e300,
    float("inf"), float("nan"),
    Decimal("0"), Decimal("-0"), Decimal("1.50"), Decimal("-1234.5678"), Decimal("0.000001"),
    Decimal("1E-7"), Decimal("-1.5E-9"), Decimal("1E+2"), Decimal("12345678901234567890.123"),
    Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"),
    "", "héllo", "x" * 250, "y" * 251, "z" * 70000, b"", b"\x00\xff", b"b" * 300,
    bytearray(b"ba"), memoryview(b"mv"),
    dt.date(2024, 2, 29), dt.date(1, 1, 1), dt.date(999, 12, 31),
    dt.datetime(2024, 1, 2, 3, 4, 5), dt.datetime(2024, 1, 2, 3, 4, 5, 60),
    dt.datetime(999, 1, 2, 3, 4, 5), dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
    dt.datetime(2024, 1, 2, 23, 59, 59, 999999, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
    dt.time(1, 2, 3), dt.time(23, 59, 59, 5), dt.timedelta(hours=-1, minutes=-30),
    dt.timedelta(days=2, seconds=5, microseconds=7), dt.timedelta(microseconds=-1),
    {"a": [1, 2]}, [1, "b"], uuid.UUID(int=7),
]


def _old_text(values: list[Any]) -> bytes:
    return make_text_row([text_value(v) for v in values])


def _old_binary(ctypes: list[ColumnType], values: list[Any]) -> bytes:
    return make_binary_row([None if v is None else binary_value(t, v)
                            for t, v in zip(ctypes, values, strict=True)])


def _outcome(fn: Any, *args: Any) -> object:
    try:
        return fn(*args)
    except Exception as exc:  # the same failure is part of the same behaviour
        return type(exc)


@pytest.mark.parametrize("neutral", NEUTRALS)
def test_text_rows_match_the_general_encoder(neutral: str) -> None:
    encode = text_row_encoder([neutral])
    for v in VALUES:
        assert _outcome(encode, (v,)) == _outcome(_old_text, [v]), (neutral, v)


@pytest.mark.parametrize("neutral", NEUTRALS)
def test_binary_rows_match_the_general_encoder(neutral: str) -> None:
    ctype = column_definition("c", neutral).type
    encode = binary_row_encoder([ctype])
    for v in VALUES:
        assert _outcome(encode, (v,)) == _outcome(_old_binary, [ctype], [v]), (neutral, v)


def test_text_row_fields() -> None:
    encode = text_row_encoder(["int8", "numeric", "numeric", "bool", "text", "float8",
                               "timestamp", "date", "bytea", "text"])
    row = encode((-(1 << 63), Decimal("-12.50"), Decimal("1E+2"), True, None, 0.1,
                  dt.datetime(2024, 1, 2, 3, 4, 5, 6), dt.date(2024, 1, 2), b"\x00", "é"))
    r = Reader(row)
    assert r.lenenc_bytes() == b"-9223372036854775808"
    assert r.lenenc_bytes() == b"-12.50"
    assert r.lenenc_bytes() == b"100"
    assert r.lenenc_bytes() == b"1"
    assert r.lenenc_int() is None  # NULL
    assert r.lenenc_bytes() == b"0.1"
    assert r.lenenc_bytes() == b"2024-01-02 03:04:05.000006"
    assert r.lenenc_bytes() == b"2024-01-02"
    assert r.lenenc_bytes() == b"\x00"
    assert r.lenenc_bytes() == "é".encode()
    assert r.remaining() == 0


def test_text_field_of_251_bytes_takes_a_three_byte_length() -> None:
    assert text_row_encoder(["text"])(("a" * 251,)) == b"\xfc\xfb\x00" + b"a" * 251


def test_binary_row_fields_and_nulls() -> None:
    ctypes = [ColumnType.LONGLONG, ColumnType.NEWDECIMAL, ColumnType.DOUBLE, ColumnType.TINY,
              ColumnType.VAR_STRING, ColumnType.DATETIME]
    encode = binary_row_encoder(ctypes)
    row = encode(((1 << 64) - 1, Decimal("-0.05"), 2.5, None, "ab", None))
    # header, then the NULL bitmap: columns 3 and 5 at bit offsets 5 and 7
    assert row == (b"\x00" + bytes((0b10100000,)) + struct.pack("<Q", (1 << 64) - 1)
                   + b"\x05-0.05" + struct.pack("<d", 2.5) + b"\x02ab")
    assert encode((-1, Decimal("3"), -0.0, 1, "", dt.datetime(2024, 1, 2))) == (
        b"\x00\x00" + struct.pack("<q", -1) + b"\x013" + struct.pack("<d", -0.0)
        + b"\x01" + b"\x00" + struct.pack("<BHBBBBB", 7, 2024, 1, 2, 0, 0, 0))


def test_binary_row_of_the_wrong_width_is_refused() -> None:
    with pytest.raises(ValueError):
        binary_row_encoder([ColumnType.LONG])((1, 2))
