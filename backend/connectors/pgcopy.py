"""Decoding PostgreSQL's binary COPY format into Python values.

``COPY (query) TO STDOUT (FORMAT binary)`` runs the query to completion in one go (so the
planner may use parallel workers, which it never does for a portal fetched with a row limit)
while the client still reads it as a stream. Each value arrives in the type's binary send
format; the decoders here return exactly what asyncpg returns for the same types, so both
paths of the connector agree. Types without a decoder here take the cursor path instead.
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

Decoder = Callable[[bytes], Any]

_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
_INT16 = struct.Struct(">h")
_INT32 = struct.Struct(">i")
_HEADER = struct.Struct(">ii")  # flags, header extension length

_EPOCH_DATE = dt.date(2000, 1, 1).toordinal()
_EPOCH = dt.datetime(2000, 1, 1)
_EPOCH_UTC = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_TIME_INFINITY, _TIME_NEG_INFINITY = 0x7FFFFFFFFFFFFFFF, -0x8000000000000000
_DATE_INFINITY, _DATE_NEG_INFINITY = 0x7FFFFFFF, -0x80000000
# What asyncpg hands out for +-infinity (Python has no infinite dates).
_MAX_TS = dt.datetime.max
_MIN_TS = dt.datetime.min
_MAX_TSTZ = dt.datetime.max.replace(tzinfo=dt.UTC)
_MIN_TSTZ = dt.datetime.min.replace(tzinfo=dt.UTC)


def _unpacker(fmt: str) -> Decoder:
    unpack = struct.Struct(fmt).unpack

    def decode(data: bytes) -> Any:
        return unpack(data)[0]

    return decode


def _bool(data: bytes) -> bool:
    return data != b"\x00"


def _text(data: bytes) -> str:
    return data.decode()  # asyncpg sets client_encoding to UTF8


_NUMERIC_HEAD = struct.Struct(">hhHh")


def _numeric(data: bytes) -> Decimal:
    ndigits, weight, sign, dscale = _NUMERIC_HEAD.unpack_from(data)
    if sign == 0xC000:
        return Decimal("NaN")
    if sign == 0xD000:
        return Decimal("Infinity")
    if sign == 0xF000:
        return Decimal("-Infinity")
    digits = struct.unpack_from(f">{ndigits}h", data, 8)
    value = 0
    for d in digits:  # base-10000 digits, most significant first
        value = value * 10000 + d
    # value * 10**exponent is the number; rescale it to exactly ``dscale`` decimals.
    exponent = 4 * (weight - ndigits + 1)
    if exponent + dscale >= 0:
        value *= 10 ** (exponent + dscale)
    else:
        value //= 10 ** (-dscale - exponent)
    return Decimal((1 if sign == 0x4000 else 0, tuple(map(int, str(value))), -dscale))


_INT64 = struct.Struct(">q")


def _date(data: bytes) -> dt.date:
    (days,) = _INT32.unpack(data)
    if days == _DATE_INFINITY:
        return dt.date.max
    if days == _DATE_NEG_INFINITY:
        return dt.date.min
    return dt.date.fromordinal(days + _EPOCH_DATE)


def _timestamp(data: bytes) -> dt.datetime:
    (us,) = _INT64.unpack(data)
    if us == _TIME_INFINITY:
        return _MAX_TS
    if us == _TIME_NEG_INFINITY:
        return _MIN_TS
    return _EPOCH + dt.timedelta(microseconds=us)


def _timestamptz(data: bytes) -> dt.datetime:
    (us,) = _INT64.unpack(data)
    if us == _TIME_INFINITY:
        return _MAX_TSTZ
    if us == _TIME_NEG_INFINITY:
        return _MIN_TSTZ
    return _EPOCH_UTC + dt.timedelta(microseconds=us)


# Built-in type OIDs (fixed in pg_type.dat) -> decoder.
DECODERS: dict[int, Decoder] = {
    16: _bool,
    20: _unpacker(">q"),  # int8
    21: _unpacker(">h"),  # int2
    23: _unpacker(">i"),  # int4
    26: _unpacker(">I"),  # oid
    700: _unpacker(">f"),  # float4
    701: _unpacker(">d"),  # float8
    1700: _numeric,
    25: _text,
    1043: _text,  # varchar
    1042: _text,  # bpchar
    19: _text,  # name
    1082: _date,
    1114: _timestamp,
    1184: _timestamptz,
}


class CopyFormatError(Exception):
    """The COPY stream is not in the binary format this module reads."""


class BinaryCopyDecoder:
    """Turns the chunks of a binary COPY stream into rows; a row may span chunks."""

    def __init__(self, decoders: Sequence[Decoder]):
        self._decoders = tuple(decoders)
        self._pending = b""
        self._header_done = False
        self.finished = False

    def feed(self, chunk: bytes) -> list[tuple[Any, ...]]:
        data = self._pending + chunk if self._pending else chunk
        pos = 0
        size = len(data)
        if not self._header_done:
            if size < 19:
                self._pending = data
                return []
            if data[:11] != _SIGNATURE:
                raise CopyFormatError("not a binary COPY stream")
            _, extension = _HEADER.unpack_from(data, 11)
            if size < 19 + extension:
                self._pending = data
                return []
            pos = 19 + extension
            self._header_done = True
        rows: list[tuple[Any, ...]] = []
        decoders = self._decoders
        ncols = len(decoders)
        unpack16, unpack32 = _INT16.unpack_from, _INT32.unpack_from
        while size - pos >= 2:
            start = pos
            (count,) = unpack16(data, pos)
            if count == -1:
                self.finished = True
                pos += 2
                break
            if count != ncols:
                raise CopyFormatError(f"a row has {count} fields, expected {ncols}")
            pos += 2
            row: list[Any] = []
            for decode in decoders:
                if size - pos < 4:
                    break
                (length,) = unpack32(data, pos)
                pos += 4
                if length < 0:
                    row.append(None)
                    continue
                end = pos + length
                if end > size:
                    break
                row.append(decode(data[pos:end]))
                pos = end
            if len(row) < ncols:  # the row continues in the next chunk
                pos = start
                break
            rows.append(tuple(row))
        self._pending = data[pos:]
        return rows
