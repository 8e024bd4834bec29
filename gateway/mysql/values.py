"""Neutral result types and Python values ↔ MySQL column types, text and binary values."""

from __future__ import annotations

import datetime as dt
import json
import operator
import struct
import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from .constants import BINARY_COLLATION, UTF8MB4_GENERAL_CI, ColumnFlag, ColumnType
from .packets import ColumnDefinition, PacketError, Reader, lenenc_bytes, lenenc_int

# neutral type (backend.connectors.base.ResultColumn.type) → (MySQL type, length, decimals)
_TYPES: dict[str, tuple[ColumnType, int, int]] = {
    "bool": (ColumnType.TINY, 1, 0),
    "int2": (ColumnType.SHORT, 6, 0),
    "int4": (ColumnType.LONG, 11, 0),
    "int8": (ColumnType.LONGLONG, 20, 0),
    "float4": (ColumnType.FLOAT, 12, 31),
    "float8": (ColumnType.DOUBLE, 22, 31),
    "numeric": (ColumnType.NEWDECIMAL, 65, 30),
    "date": (ColumnType.DATE, 10, 0),
    "time": (ColumnType.TIME, 17, 6),
    "timestamp": (ColumnType.DATETIME, 26, 6),
    "timestamptz": (ColumnType.DATETIME, 26, 6),
    "bytea": (ColumnType.BLOB, 65535, 0),
    "null": (ColumnType.NULL, 0, 0),  # an item that is the NULL literal (``NULL AS x``)
}
_TEXT_LENGTH = 4 * 65535  # utf8mb4 bytes of a TEXT column


def column_definition(name: str, neutral: str, *, table: str = "", schema: str = "",
                      not_null: bool = False) -> ColumnDefinition:
    ctype, length, decimals = _TYPES.get(neutral, (ColumnType.VAR_STRING, _TEXT_LENGTH, 0))
    textual = ctype == ColumnType.VAR_STRING
    flags = ColumnFlag.NOT_NULL if not_null else 0
    if not textual:
        flags |= ColumnFlag.BINARY
        if ctype not in (ColumnType.DATE, ColumnType.TIME, ColumnType.DATETIME, ColumnType.BLOB,
                         ColumnType.NULL):
            flags |= ColumnFlag.NUM
    if ctype == ColumnType.BLOB:
        flags |= ColumnFlag.BLOB
    charset = UTF8MB4_GENERAL_CI if textual else BINARY_COLLATION
    return ColumnDefinition(name, ctype, charset, length, int(flags), decimals, table, schema)


def mysql_type_name(neutral: str) -> str:
    """The type as SHOW COLUMNS / information_schema / SHOW CREATE TABLE spell it."""
    return {
        "bool": "tinyint(1)", "int2": "smallint", "int4": "int", "int8": "bigint",
        "float4": "float", "float8": "double", "numeric": "decimal(65,30)", "date": "date",
        "time": "time(6)", "timestamp": "datetime(6)", "timestamptz": "datetime(6)",
        "bytea": "blob",
    }.get(neutral, "text")


def neutral_from_pg(pg_type: str) -> str:
    """The catalog's PostgreSQL type names (gateway.catalog.visible) as neutral names."""
    return {"text": "text", "numeric": "numeric", "timestamp": "timestamp", "bool": "bool",
            "int8": "int8", "int4": "int4", "float8": "float8", "date": "date"}.get(pg_type,
                                                                                  "text")


# --- text protocol -----------------------------------------------------------------------------


def _datetime_text(v: dt.datetime) -> str:
    text = v.strftime("%Y-%m-%d %H:%M:%S")
    return f"{text}.{v.microsecond:06d}" if v.microsecond else text


def _timedelta_text(v: dt.timedelta) -> str:
    total = int(v.total_seconds())
    sign = "-" if total < 0 else ""
    total = abs(total)
    micro = abs(v.microseconds) if total == 0 else v.microseconds
    text = f"{sign}{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"
    return f"{text}.{micro:06d}" if micro else text


def text_value(v: Any) -> bytes | None:
    if v is None:
        return None
    if type(v) is str:  # the common cases first: this runs once per value streamed
        return v.encode()
    if type(v) is int:
        return str(v).encode()
    if isinstance(v, bool):
        return b"1" if v else b"0"
    if isinstance(v, bytes | bytearray | memoryview):
        return bytes(v)
    if isinstance(v, dt.datetime):
        return _datetime_text(v.replace(tzinfo=None)).encode()
    if isinstance(v, dt.date):
        return v.isoformat().encode()
    if isinstance(v, dt.time):
        return v.isoformat().encode()
    if isinstance(v, dt.timedelta):
        return _timedelta_text(v).encode()
    if isinstance(v, float):
        return repr(v).encode()
    if isinstance(v, Decimal):
        return format(v, "f").encode()
    if isinstance(v, dict | list):
        return json.dumps(v, default=str).encode()
    if isinstance(v, uuid.UUID):
        return str(v).encode()
    return str(v).encode()


# --- binary protocol: results ------------------------------------------------------------------


def _binary_datetime(v: dt.date) -> bytes:
    if isinstance(v, dt.datetime):
        if v.microsecond:
            return struct.pack("<BHBBBBBI", 11, v.year, v.month, v.day, v.hour, v.minute,
                               v.second, v.microsecond)
        return struct.pack("<BHBBBBB", 7, v.year, v.month, v.day, v.hour, v.minute, v.second)
    return struct.pack("<BHBB", 4, v.year, v.month, v.day)


def _binary_time(v: dt.time | dt.timedelta) -> bytes:
    if isinstance(v, dt.time):
        v = dt.timedelta(hours=v.hour, minutes=v.minute, seconds=v.second,
                         microseconds=v.microsecond)
    negative = v < dt.timedelta(0)
    v = abs(v)
    hours, rem = divmod(v.seconds, 3600)
    minutes, seconds = divmod(rem, 60)
    return struct.pack("<BBIBBBI", 12, int(negative), v.days, hours, minutes, seconds,
                       v.microseconds)


def binary_value(ctype: ColumnType, v: Any) -> bytes:
    """Encode a non-NULL value for a binary resultset column of type ``ctype``."""
    if ctype == ColumnType.TINY:
        return struct.pack("<b", int(v))
    if ctype == ColumnType.SHORT:
        return struct.pack("<h", int(v))
    if ctype == ColumnType.LONG:
        return struct.pack("<i", int(v))
    if ctype == ColumnType.LONGLONG:
        n = int(v)
        return struct.pack("<q" if n < 1 << 63 else "<Q", n)
    if ctype == ColumnType.FLOAT:
        return struct.pack("<f", float(v))
    if ctype == ColumnType.DOUBLE:
        return struct.pack("<d", float(v))
    if ctype in (ColumnType.DATE, ColumnType.DATETIME) and isinstance(v, dt.date):
        return _binary_datetime(v)
    if ctype == ColumnType.TIME and isinstance(v, dt.time | dt.timedelta):
        return _binary_time(v)
    encoded = text_value(v)
    return lenenc_bytes(encoded or b"")


# --- rows: one encoder per column, chosen once per resultset -----------------------------------
#
# Streaming spends its time here, once per value, so each column gets an encoder picked from
# its declared type: the exact Python type a driver returns for that column takes a short path
# and anything else (NULL, a driver returning another type) goes to the general encoders above,
# so the bytes are always those of ``text_value`` / ``binary_value``.

RowEncoder = Callable[[Sequence[Any]], bytes]
_Field = Callable[[Any], bytes]

_NULL = b"\xfb"
_PREFIX = tuple(bytes((n,)) for n in range(0xFB))  # the one-byte length prefixes


def _lenenc(b: bytes) -> bytes:
    n = len(b)
    return _PREFIX[n] + b if n < 0xFB else lenenc_int(n) + b


def _text_field(v: Any) -> bytes:
    """Any value as a text-row field: NULL, or its length-encoded text."""
    encoded = text_value(v)
    return _NULL if encoded is None else _lenenc(encoded)


def _text_int(v: Any) -> bytes:
    if type(v) is int:
        b = b"%d" % v
        if len(b) < 0xFB:
            return _PREFIX[len(b)] + b
    return _text_field(v)


def _text_str(v: Any) -> bytes:
    if type(v) is str:
        return _lenenc(v.encode())
    return _text_field(v)


def _decimal_text(v: Decimal) -> bytes:
    # str() is several times faster than format(v, "f") and spells a decimal the same way
    # unless it chooses exponent notation (then it has an "E")
    text = str(v)
    return (format(v, "f") if "E" in text else text).encode()


def _text_decimal(v: Any) -> bytes:
    if type(v) is Decimal:
        return _lenenc(_decimal_text(v))
    return _text_field(v)


def _text_float(v: Any) -> bytes:
    if type(v) is float:
        b = repr(v).encode()
        return _PREFIX[len(b)] + b
    return _text_field(v)


def _text_bool(v: Any) -> bytes:
    if v is True:
        return b"\x011"
    if v is False:
        return b"\x010"
    return _text_field(v)


def _text_bytes(v: Any) -> bytes:
    if type(v) is bytes:
        return _lenenc(v)
    return _text_field(v)


def _text_date(v: Any) -> bytes:
    if type(v) is dt.date:
        return _lenenc(v.isoformat().encode())
    return _text_field(v)


def _text_datetime(v: Any) -> bytes:
    # isoformat matches _datetime_text except below year 1000, which strftime does not pad
    if type(v) is dt.datetime and v.tzinfo is None and v.year >= 1000:
        return _lenenc(v.isoformat(" ").encode())
    return _text_field(v)


_TEXT_FIELDS: dict[str, _Field] = {
    "bool": _text_bool, "int2": _text_int, "int4": _text_int, "int8": _text_int,
    "float4": _text_float, "float8": _text_float, "numeric": _text_decimal,
    "date": _text_date, "timestamp": _text_datetime, "timestamptz": _text_datetime,
    "bytea": _text_bytes, "text": _text_str,
}  # fmt: skip


def text_row_encoder(neutrals: Sequence[str]) -> RowEncoder:
    """A text-protocol row payload maker for columns of these neutral types."""
    fields = tuple(_TEXT_FIELDS.get(n, _text_field) for n in neutrals)
    join, call = b"".join, operator.call

    def encode(row: Sequence[Any]) -> bytes:
        return join(map(call, fields, row))

    return encode


def _binary_general(ctype: ColumnType) -> _Field:
    def encode(v: Any) -> bytes:
        return binary_value(ctype, v)

    return encode


def _binary_struct(ctype: ColumnType, fmt: str, exact: type) -> _Field:
    pack = struct.Struct(fmt).pack

    def encode(v: Any) -> bytes:
        if type(v) is exact:
            return pack(v)
        return binary_value(ctype, v)

    return encode


_pack_q = struct.Struct("<q").pack


def _binary_longlong(v: Any) -> bytes:
    if type(v) is int and -(1 << 63) <= v < 1 << 63:
        return _pack_q(v)
    return binary_value(ColumnType.LONGLONG, v)  # unsigned above 2**63 - 1, or not an int


def _binary_lenenc(ctype: ColumnType, exact: type, text: Callable[[Any], bytes]) -> _Field:
    def encode(v: Any) -> bytes:
        if type(v) is exact:
            return _lenenc(text(v))
        return binary_value(ctype, v)

    return encode


def _binary_temporal(ctype: ColumnType) -> _Field:
    def encode(v: Any) -> bytes:
        if type(v) is dt.datetime or type(v) is dt.date:
            return _binary_datetime(v)
        return binary_value(ctype, v)

    return encode


def _binary_field(ctype: ColumnType) -> _Field:
    if ctype == ColumnType.LONGLONG:
        return _binary_longlong
    ints = {ColumnType.TINY: "<b", ColumnType.SHORT: "<h", ColumnType.LONG: "<i"}
    if ctype in ints:
        return _binary_struct(ctype, ints[ctype], int)
    if ctype == ColumnType.FLOAT:
        return _binary_struct(ctype, "<f", float)
    if ctype == ColumnType.DOUBLE:
        return _binary_struct(ctype, "<d", float)
    if ctype == ColumnType.NEWDECIMAL:
        return _binary_lenenc(ctype, Decimal, _decimal_text)
    if ctype == ColumnType.VAR_STRING:
        return _binary_lenenc(ctype, str, str.encode)
    if ctype == ColumnType.BLOB:
        return _binary_lenenc(ctype, bytes, bytes)
    if ctype in (ColumnType.DATE, ColumnType.DATETIME):
        return _binary_temporal(ctype)
    return _binary_general(ctype)


def binary_row_encoder(ctypes: Sequence[ColumnType]) -> RowEncoder:
    """A binary-protocol row payload maker (header, NULL bitmap, values) for these columns."""
    fields = tuple(_binary_field(ColumnType(t)) for t in ctypes)
    width = len(fields)
    no_nulls = b"\x00" + bytes((width + 7 + 2) // 8)
    join, call = b"".join, operator.call

    def encode(row: Sequence[Any]) -> bytes:
        if len(row) != width:
            raise ValueError(f"a row of {len(row)} values for {width} columns")
        if None not in row:
            return no_nulls + join(map(call, fields, row))
        bitmap = bytearray(no_nulls)
        values = []
        for i, v in enumerate(row):
            if v is None:
                bit = i + 2  # the binary row's NULL bitmap starts at bit offset 2
                bitmap[1 + bit // 8] |= 1 << (bit % 8)
            else:
                values.append(fields[i](v))
        return bytes(bitmap) + join(values)

    return encode


# --- binary protocol: parameters ---------------------------------------------------------------


def _read_datetime(r: Reader) -> dt.date | dt.datetime | None:
    n = r.uint(1)
    if n == 0:
        return None  # the zero date: MySQL's '0000-00-00', which Python cannot hold
    year, month, day = struct.unpack("<HBB", r.take(4))
    if n == 4:
        return dt.date(year, month, day)
    hour, minute, second = r.take(3)
    micro = r.uint(4) if n >= 11 else 0
    return dt.datetime(year, month, day, hour, minute, second, micro)


def _read_time(r: Reader) -> dt.timedelta:
    n = r.uint(1)
    if n == 0:
        return dt.timedelta(0)
    negative, days, hours, minutes, seconds = struct.unpack("<BIBBB", r.take(8))
    micro = r.uint(4) if n >= 12 else 0
    delta = dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds,
                         microseconds=micro)
    return -delta if negative else delta


def _int_reader(size: int) -> Callable[[Reader, bool], int]:
    fmt = {1: "b", 2: "h", 4: "i", 8: "q"}[size]

    def read(r: Reader, unsigned: bool) -> int:
        return int(struct.unpack("<" + (fmt.upper() if unsigned else fmt), r.take(size))[0])

    return read


_INT_READERS = {
    ColumnType.TINY: _int_reader(1),
    ColumnType.SHORT: _int_reader(2),
    ColumnType.YEAR: _int_reader(2),
    ColumnType.LONG: _int_reader(4),
    ColumnType.INT24: _int_reader(4),
    ColumnType.LONGLONG: _int_reader(8),
}


def read_binary_param(r: Reader, ptype: int, unsigned: bool) -> object:
    """One parameter value of COM_STMT_EXECUTE as a Python value (never SQL text)."""
    if ptype in _INT_READERS:
        return _INT_READERS[ColumnType(ptype)](r, unsigned)
    if ptype == ColumnType.FLOAT:
        return float(struct.unpack("<f", r.take(4))[0])
    if ptype == ColumnType.DOUBLE:
        return float(struct.unpack("<d", r.take(8))[0])
    if ptype in (ColumnType.DECIMAL, ColumnType.NEWDECIMAL):
        return Decimal(r.lenenc_bytes().decode("ascii"))
    if ptype in (ColumnType.DATE, ColumnType.DATETIME, ColumnType.TIMESTAMP):
        return _read_datetime(r)
    if ptype == ColumnType.TIME:
        return _read_time(r)
    if ptype == ColumnType.NULL:
        return None
    if ptype in (ColumnType.TINY_BLOB, ColumnType.MEDIUM_BLOB, ColumnType.LONG_BLOB,
                 ColumnType.BLOB, ColumnType.VAR_STRING, ColumnType.STRING, ColumnType.VARCHAR,
                 ColumnType.JSON, ColumnType.ENUM, ColumnType.SET, ColumnType.BIT,
                 ColumnType.GEOMETRY):
        raw = r.lenenc_bytes()
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw
    raise PacketError(f"unsupported parameter type {ptype:#x}")
