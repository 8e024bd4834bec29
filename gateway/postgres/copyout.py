"""The COPY-out sub-protocol: CopyOutResponse, one CopyData per row, CopyDone.

Rows are framed as PostgreSQL 15's ``copyto.c`` frames them: text format escapes backslash,
the delimiter and control characters; CSV quotes a value that holds the delimiter, the quote,
a line break, or that equals the NULL string (and every value of a FORCE_QUOTE column); binary
carries the ``PGCOPY`` signature in front of the first row and the ``-1`` trailer in its own
CopyData. Values are encoded by the same per-column encoders as DataRows (text output
functions or binary send functions), looked up once per column.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Sequence
from typing import Any

from gateway.copy import CopyOptions
from gateway.postgres.types import binary_encoder, text_encoder, type_oid

_I16, _I32 = struct.Struct("!h"), struct.Struct("!i")
BINARY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + _I32.pack(0) + _I32.pack(0)
BINARY_TRAILER = _I16.pack(-1)
COPY_DONE = b"c" + _I32.pack(4)

RowEncoder = Callable[[Sequence[Any]], bytes]


def copy_out_response(binary: bool, columns: int) -> bytes:
    fmt = 1 if binary else 0
    body = bytes([fmt]) + _I16.pack(columns) + _I16.pack(fmt) * columns
    return b"H" + _I32.pack(len(body) + 4) + body


def copy_data(payload: bytes) -> bytes:
    return b"d" + _I32.pack(len(payload) + 4) + payload


def _text_escaper(delimiter: str) -> Callable[[bytes], bytes]:
    special = {b"\\": b"\\\\", b"\b": b"\\b", b"\f": b"\\f", b"\n": b"\\n", b"\r": b"\\r",
               b"\t": b"\\t", b"\v": b"\\v"}
    d = delimiter.encode()
    special.setdefault(d, b"\\" + d)
    pattern = re.compile(b"[" + b"".join(re.escape(k) for k in special) + b"]")

    def escape(raw: bytes) -> bytes:
        if pattern.search(raw) is None:
            return raw
        return pattern.sub(lambda m: special[m.group(0)], raw)

    return escape


def _csv_quoter(options: CopyOptions) -> tuple[Callable[[bytes], bytes], Callable[[bytes], bytes]]:
    """(quote only when needed, always quote)."""
    q, e = options.quote.encode(), options.escape.encode()
    d, null = options.delimiter.encode(), options.null.encode()
    needs = re.compile(b"[" + re.escape(d) + re.escape(q) + b"\r\n]")
    inner = re.compile(re.escape(q) + (b"|" + re.escape(e) if e != q else b""))

    def always(raw: bytes) -> bytes:
        return q + inner.sub(lambda m: e + m.group(0), raw) + q

    def maybe(raw: bytes) -> bytes:
        # A value equal to the NULL string is quoted so that it reads back as that string;
        # "\." alone on a line would end the data for an old reader.
        if raw == null or needs.search(raw) is not None or raw == b"\\.":
            return always(raw)
        return raw

    return maybe, always


def row_encoder(types: Sequence[str], names: Sequence[str], options: CopyOptions) -> RowEncoder:
    """One row -> the payload of its CopyData message."""
    oids = [type_oid(t) for t in types]
    if options.binary:
        encoders = [binary_encoder(o) for o in oids]
        head = _I16.pack(len(oids))
        null_field = _I32.pack(-1)
        pack = _I32.pack

        def binary_row(row: Sequence[Any]) -> bytes:
            parts = [head]
            for value, enc in zip(row, encoders, strict=True):
                if value is None:
                    parts.append(null_field)
                else:
                    raw = enc(value)
                    parts.append(pack(len(raw)))
                    parts.append(raw)
            return b"".join(parts)

        return binary_row
    encoders = [text_encoder(o) for o in oids]
    delimiter, null = options.delimiter.encode(), options.null.encode()
    if options.format == "csv":
        maybe, always = _csv_quoter(options)
        forced = {n for n in options.force_quote}
        quoters = [always if options.force_quote_all or n in forced else maybe for n in names]

        def csv_row(row: Sequence[Any]) -> bytes:
            return delimiter.join(
                null if v is None else quote(enc(v))
                for v, enc, quote in zip(row, encoders, quoters, strict=True)
            ) + b"\n"

        return csv_row
    escape = _text_escaper(options.delimiter)

    def text_row(row: Sequence[Any]) -> bytes:
        return delimiter.join(
            null if v is None else escape(enc(v)) for v, enc in zip(row, encoders, strict=True)
        ) + b"\n"

    return text_row


def header_line(names: Sequence[str], options: CopyOptions) -> bytes:
    """The HEADER row (text and CSV): column names, escaped or quoted like values."""
    encoded = [n.encode() for n in names]
    if options.format == "csv":
        maybe, _ = _csv_quoter(options)
        return options.delimiter.encode().join(maybe(n) for n in encoded) + b"\n"
    escape = _text_escaper(options.delimiter)
    return options.delimiter.encode().join(escape(n) for n in encoded) + b"\n"


def copy_data_batch(
    rows: Sequence[Sequence[Any]], encode: RowEncoder, prefix: bytes = b""
) -> bytes:
    """CopyData messages for a batch of rows; ``prefix`` goes in front of the first row."""
    out: list[bytes] = []
    pack = _I32.pack
    for row in rows:
        payload = encode(row)
        if prefix:
            payload, prefix = prefix + payload, b""
        out.append(b"d")
        out.append(pack(len(payload) + 4))
        out.append(payload)
    return b"".join(out)
