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
# What asyncpg hands out for +-infinity (Python has no infinite dates); naive even for
# timestamptz, as asyncpg does.
_MAX_TS = _MAX_TSTZ = dt.datetime.max
_MIN_TS = _MIN_TSTZ = dt.datetime.min


def _text(data: bytes) -> str:
    return data.decode()  # asyncpg sets client_encoding to UTF8


_NUMERIC_HEAD = struct.Struct(">hhHh")


def _numeric(data: bytes) -> Decimal:
    # Rendered the way asyncpg renders it ("0.<digits>E<exponent>", trimmed or padded to the
    # display scale), so both paths give the same Decimal: 100000000 is Decimal('1E+8').
    ndigits, weight, sign, dscale = _NUMERIC_HEAD.unpack_from(data)
    if sign == 0xC000:
        return Decimal("NaN")
    if sign == 0xD000:
        return Decimal("Infinity")
    if sign == 0xF000:
        return Decimal("-Infinity")
    if ndigits == 0:
        return Decimal(f"0e-{dscale}")
    first, *rest = struct.unpack_from(f">{ndigits}h", data, 8)  # base-10000 digits
    if weight >= 0:
        head = str(first)
        front_padding = 4 - len(head)
    else:
        head, front_padding = f"{first:04d}", 0
    digits = head + "".join([f"{d:04d}" for d in rest])
    if dscale:
        adjust = dscale - (ndigits - weight - 1) * 4
        digits = digits + "0" * adjust if adjust > 0 else digits[: len(digits) + adjust]
    exponent = (weight + 1) * 4 - front_padding
    text = ("-0." if sign == 0x4000 else "0.") + digits
    return Decimal(f"{text}E{exponent:+d}" if exponent else text)


_INT64 = struct.Struct(">q")


def _date_from_days(days: int) -> dt.date:
    if days == _DATE_INFINITY:
        return dt.date.max
    if days == _DATE_NEG_INFINITY:
        return dt.date.min
    return dt.date.fromordinal(days + _EPOCH_DATE)


def _timestamp_from_us(us: int) -> dt.datetime:
    if us == _TIME_INFINITY:
        return _MAX_TS
    if us == _TIME_NEG_INFINITY:
        return _MIN_TS
    return _EPOCH + dt.timedelta(microseconds=us)


def _timestamptz_from_us(us: int) -> dt.datetime:
    if us == _TIME_INFINITY:
        return _MAX_TSTZ
    if us == _TIME_NEG_INFINITY:
        return _MIN_TSTZ
    return _EPOCH_UTC + dt.timedelta(microseconds=us)


# Fixed-width types: OID -> (struct code, size, conversion of the unpacked value or None).
_FIXED: dict[int, tuple[str, int, Callable[[Any], Any] | None]] = {
    16: ("?", 1, None),  # bool
    20: ("q", 8, None),  # int8
    21: ("h", 2, None),  # int2
    23: ("i", 4, None),  # int4
    26: ("I", 4, None),  # oid
    700: ("f", 4, None),  # float4
    701: ("d", 8, None),  # float8
    1082: ("i", 4, _date_from_days),
    1114: ("q", 8, _timestamp_from_us),
    1184: ("q", 8, _timestamptz_from_us),
}


def _fixed_decoder(code: str, convert: Callable[[Any], Any] | None) -> Decoder:
    unpack = struct.Struct(">" + code).unpack
    if convert is None:
        return lambda data: unpack(data)[0]
    return lambda data: convert(unpack(data)[0])


# Built-in type OIDs (fixed in pg_type.dat) -> decoder of one value.
DECODERS: dict[int, Decoder] = {
    oid: _fixed_decoder(code, convert) for oid, (code, _, convert) in _FIXED.items()
}
DECODERS.update(
    {
        1700: _numeric,
        25: _text,
        1043: _text,  # varchar
        1042: _text,  # bpchar
        19: _text,  # name
    }
)


class CopyFormatError(Exception):
    """The COPY stream is not in the binary format this module reads."""


class BinaryCopyDecoder:
    """Turns the chunks of a binary COPY stream into rows; a row may span chunks.

    When every column is fixed-width, a row without NULLs is one ``struct`` unpack (field
    count, then length and value per column); other rows take the per-field loop.
    """

    def __init__(self, oids: Sequence[int]):
        self._decoders = tuple(DECODERS[oid] for oid in oids)
        self._fast: tuple[struct.Struct, tuple[int, ...], tuple[Any, ...]] | None = None
        if oids and all(oid in _FIXED for oid in oids):
            fixed = [_FIXED[oid] for oid in oids]
            row = struct.Struct(">h" + "".join("i" + code for code, _, _ in fixed))
            self._fast = (row, tuple(size for _, size, _ in fixed), tuple(c for *_, c in fixed))
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
        fast = self._fast
        while size - pos >= 2:
            if fast is not None:
                pos = self._fast_rows(data, pos, rows, fast)
                if size - pos < 2:
                    break
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

    def _fast_rows(
        self,
        data: bytes,
        pos: int,
        rows: list[tuple[Any, ...]],
        fast: tuple[struct.Struct, tuple[int, ...], tuple[Any, ...]],
    ) -> int:
        """Unpack whole rows with no NULLs from ``pos``; return where the first other row (or
        an incomplete one, or the trailer) starts."""
        row_struct, lengths, converts = fast
        unpack, step = row_struct.unpack_from, row_struct.size
        ncols = len(lengths)
        last = len(data) - step
        convert_any = any(c is not None for c in converts)
        append = rows.append
        while pos <= last:
            values = unpack(data, pos)
            if values[0] != ncols or values[1::2] != lengths:
                break
            if convert_any:
                append(
                    tuple(
                        v if c is None else c(v)
                        for v, c in zip(values[2::2], converts, strict=True)
                    )
                )
            else:
                append(values[2::2])
            pos += step
        return pos
