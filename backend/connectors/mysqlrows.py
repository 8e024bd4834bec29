"""A MySQL text resultset's row packets as bytes: split into runs of whole rows, decoded on
request.

After the column definitions (and their EOF) a server sends one packet per row, then an EOF
packet (``0xFE`` and fewer than 9 bytes) or, when the statement fails midway, an ERR packet
(``0xFF``). A packet of 16 MiB or more travels as frames of ``0xFFFFFF`` bytes and a shorter
last one, each with its own sequence id. ``RowPackets`` cuts what arrives at the end of the
last whole row (all its frames), so a run can be handed on as it came — the MySQL gateway
forwards such runs to its clients (``gateway.mysql.connection``) — or decoded here with one
converter per column (``decode_rows``) for everyone else.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from typing import Any

MAX_FRAME = 0xFFFFFF
_WORD = struct.Struct("<I")  # a frame header: 3 bytes of length, 1 of sequence id

# How one column's text becomes a Python value: its encoding (None: keep bytes) and a
# converter (None: keep the text), as PyMySQL chooses them per column.
Converter = tuple[str | None, Callable[[Any], Any] | None]


class RowPacketError(Exception):
    """The server's byte stream does not follow the protocol."""


class RowPackets:
    """Incremental splitter of a text resultset's row packets.

    ``feed`` takes the bytes read from the server and returns the whole rows among them as
    one run (headers included, as sent), with the number of rows and of frames in it; the
    rest waits for the next read. Once the EOF or ERR packet is seen, ``done`` is set and
    ``error`` holds an ERR packet's payload.
    """

    def __init__(self, seq: int):
        self.seq = seq  # the sequence id the next frame must carry
        self.done = False
        self.error: bytes | None = None
        self.status = 0  # the EOF packet's server status
        self.warnings = 0
        self.trailing = 0  # bytes that arrived after the end (the connection is unusable)
        self._pending = bytearray()  # the start of a row still arriving
        self._need = 0  # bytes ``_pending`` must reach before a frame can complete

    @property
    def buffered(self) -> int:
        return len(self._pending)

    def feed(self, data: bytes) -> tuple[bytes, int, int]:
        if self.done:
            self.trailing += len(data)
            return b"", 0, 0
        buf: bytes | bytearray = data
        if self._pending:
            # Appended, not joined anew: a row of many megabytes arrives in many reads.
            self._pending += data
            if len(self._pending) < self._need:
                return b"", 0, 0
            buf = self._pending
        unpack = _WORD.unpack_from
        size = len(buf)
        seq = self.seq
        pos = cut = rows = frames = run_frames = 0
        continuing = False  # inside a packet split into frames
        need = 4
        while pos + 4 <= size:
            (word,) = unpack(buf, pos)
            length = word & MAX_FRAME
            end = pos + 4 + length
            if end > size:
                need = end
                break
            if word >> 24 != seq:
                raise RowPacketError(f"packet out of order (got {word >> 24}, want {seq})")
            seq = (seq + 1) & 0xFF
            if not continuing and length and buf[pos + 4] >= 0xFE:
                first = buf[pos + 4]
                if first == 0xFF or length < 9:  # ERR, or EOF (a row may start with 0xFE)
                    self._end(buf, pos + 4, end, first)
                    self.trailing = size - end
                    self.seq, self._pending = seq, bytearray()
                    return bytes(buf[:cut]), rows, run_frames
                if length < MAX_FRAME:
                    # A row starts with 0xFE only for a first value of 16 MiB or more, so its
                    # first frame is a full one. A shorter one is what a CLIENT_DEPRECATE_EOF
                    # client reads as the end of the resultset: forwarded, it would put the
                    # client out of step with the stream (the rows after it read as answers
                    # to its next commands). Only a broken or hostile server sends it.
                    raise RowPacketError("a row packet of fewer than 16 MiB starts with 0xFE")
            frames += 1
            continuing = length == MAX_FRAME
            if not continuing:
                rows += 1
                cut, run_frames = end, frames
                self.seq = seq
            pos = end
            need = pos + 4
        # The frames of a row still arriving are read again with the rest of it.
        self._need = need - cut
        if cut == 0:
            if buf is not self._pending:
                self._pending = bytearray(buf)
            return b"", 0, 0
        run = data if buf is data and cut == size else bytes(buf[:cut])
        self._pending = bytearray(buf[cut:])
        return run, rows, run_frames

    def _end(self, buf: bytes | bytearray, start: int, end: int, first: int) -> None:
        self.done = True
        if first == 0xFF:
            self.error = bytes(buf[start:end])
        elif end - start >= 5:
            self.warnings, self.status = struct.unpack_from("<HH", buf, start + 1)


def payloads(run: bytes) -> list[bytes]:
    """The row payloads of a run, frames of a split row joined."""
    out: list[bytes] = []
    parts: list[bytes] = []
    pos, size = 0, len(run)
    while pos < size:
        length = _WORD.unpack_from(run, pos)[0] & MAX_FRAME
        parts.append(run[pos + 4 : pos + 4 + length])
        pos += 4 + length
        if length < MAX_FRAME:
            out.append(b"".join(parts) if len(parts) > 1 else parts[0])
            parts = []
    return out


def decode_rows(run: bytes, columns: Sequence[Converter]) -> list[tuple[Any, ...]]:
    """The rows of a run as Python values: for each field NULL (``0xFB``) or its
    length-prefixed text, decoded and converted as ``columns`` say."""
    rows: list[tuple[Any, ...]] = []
    append = rows.append
    unpack = _WORD.unpack_from
    pos, size = 0, len(run)
    while pos < size:
        length = unpack(run, pos)[0] & MAX_FRAME
        if length == MAX_FRAME:  # a split row: decoded from its joined payload
            split = _take_split(run, pos)
            append(decode_row(split[0], 0, len(split[0]), columns)[0])
            pos = split[1]
            continue
        start = pos + 4
        pos = start + length
        append(decode_row(run, start, pos, columns)[0])
    return rows


def _take_split(run: bytes, pos: int) -> tuple[bytes, int]:
    parts = []
    while True:
        length = _WORD.unpack_from(run, pos)[0] & MAX_FRAME
        parts.append(run[pos + 4 : pos + 4 + length])
        pos += 4 + length
        if length < MAX_FRAME:
            return b"".join(parts), pos


def decode_row(data: bytes, pos: int, end: int, columns: Sequence[Converter]
               ) -> tuple[tuple[Any, ...], int]:
    """One text-protocol row from ``data[pos:end]``, and where it stopped."""
    row: list[Any] = []
    for encoding, converter in columns:
        if pos >= end:
            break  # a short row: PyMySQL stops at the missing field too
        n = data[pos]
        pos += 1
        if n >= 0xFB:
            if n == 0xFB or n == 0xFF:  # NULL (0xFF: PyMySQL reads no length either)
                row.append(None)
                continue
            size = 2 if n == 0xFC else 3 if n == 0xFD else 8
            if pos + size > end:
                raise RowPacketError("truncated row packet")
            n = int.from_bytes(data[pos : pos + size], "little")
            pos += size
        if pos + n > end:
            raise RowPacketError("truncated row packet")
        value: Any = data[pos : pos + n]
        pos += n
        if encoding is not None:
            value = value.decode(encoding)
        if converter is not None:
            value = converter(value)
        row.append(value)
    return tuple(row), pos
