"""The MySQL row-packet splitter (``backend.connectors.mysqlrows``) on byte streams cut at
every possible place: the runs it hands out are exactly the whole rows sent, in order."""

from __future__ import annotations

import struct

import pytest

from backend.connectors.mysqlrows import (
    MAX_FRAME,
    RowPacketError,
    RowPackets,
    decode_rows,
    payloads,
)


def frame(payload: bytes, seq: int) -> bytes:
    return len(payload).to_bytes(3, "little") + bytes((seq & 0xFF,)) + payload


def packets(rows: list[bytes], seq: int, end: bytes) -> tuple[bytes, int]:
    """Rows as a server frames them (16 MiB frames for long ones), then ``end``."""
    out = []
    for row in rows:
        while True:
            part, row = row[:MAX_FRAME], row[MAX_FRAME:]
            out.append(frame(part, seq))
            seq += 1
            if len(part) < MAX_FRAME:
                break
    out.append(frame(end, seq))
    return b"".join(out), seq + 1


def lenenc(value: bytes | None) -> bytes:
    if value is None:
        return b"\xfb"
    n = len(value)
    if n < 0xFB:
        return bytes((n,)) + value
    if n < 1 << 16:
        return b"\xfc" + n.to_bytes(2, "little") + value
    if n < 1 << 24:
        return b"\xfd" + n.to_bytes(3, "little") + value
    return b"\xfe" + n.to_bytes(8, "little") + value


EOF_PACKET = b"\xfe\x02\x00\x22\x00"  # 2 warnings, status 0x22
ROWS = [lenenc(b"1") + lenenc("héllo".encode()) + lenenc(None),
        lenenc(b"2") + lenenc(b"x" * 300) + lenenc(b"\x00\xff"),
        lenenc(None) + lenenc(b"") + lenenc(b"12.50")]


def read_all(stream: bytes, seq: int, piece: int) -> tuple[RowPackets, bytes, int, int]:
    splitter = RowPackets(seq)
    runs, rows, frames = [], 0, 0
    for i in range(0, len(stream), piece):
        run, n, f = splitter.feed(stream[i:i + piece])
        assert (n == 0) == (run == b"")
        runs.append(run)
        rows, frames = rows + n, frames + f
    return splitter, b"".join(runs), rows, frames


@pytest.mark.parametrize("piece", [1, 2, 3, 4, 5, 7, 64, 1 << 20])
def test_runs_are_the_rows_whatever_the_reads(piece: int) -> None:
    stream, _ = packets(ROWS, 250, EOF_PACKET)  # the sequence ids wrap past 255
    splitter, run, rows, frames = read_all(stream, 250, piece)
    assert splitter.done and splitter.error is None and splitter.trailing == 0
    assert (splitter.warnings, splitter.status) == (2, 0x22)
    assert run == stream[:-len(frame(EOF_PACKET, 0))]
    assert rows == frames == 3 and payloads(run) == ROWS
    assert decode_rows(run, [("ascii", int), ("utf-8", None), (None, None)]) == [
        (1, "héllo", None), (2, "x" * 300, b"\x00\xff"), (None, "", b"12.50")]


def test_a_row_split_over_frames_comes_whole() -> None:
    # The first value alone fills more than a frame: the row begins with 0xFE (an 8-byte
    # length), which only an end-of-rows packet shorter than 9 bytes may.
    big = [lenenc(b"y" * MAX_FRAME) + lenenc(b"1"), lenenc(b"2") + lenenc(b"z")]
    stream, _ = packets(big, 3, EOF_PACKET)
    for piece in (1 << 17, 1 << 22, len(stream)):
        splitter, run, rows, frames = read_all(stream, 3, piece)
        assert splitter.done and rows == 2 and frames == 3
        assert payloads(run) == big
        assert decode_rows(run, [("ascii", None), ("ascii", None)]) == [
            ("y" * MAX_FRAME, "1"), ("2", "z")]


def test_an_error_packet_ends_the_rows() -> None:
    err = b"\xff" + struct.pack("<H", 1317) + b"#70100Query execution was interrupted"
    stream, _ = packets(ROWS[:2], 5, err)
    splitter, run, rows, _ = read_all(stream, 5, 9)
    assert rows == 2 and payloads(run) == ROWS[:2]
    assert splitter.done and splitter.error == err


def test_bytes_after_the_end_are_counted() -> None:
    stream, seq = packets(ROWS[:1], 1, EOF_PACKET)
    splitter = RowPackets(1)
    run, rows, _ = splitter.feed(stream + frame(b"\x00stray", seq))
    assert rows == 1 and payloads(run) == ROWS[:1]
    assert splitter.done and splitter.trailing == 10


def test_a_sequence_gap_is_a_protocol_error() -> None:
    stream = frame(ROWS[0], 4) + frame(ROWS[1], 6)
    with pytest.raises(RowPacketError, match="out of order"):
        RowPackets(4).feed(stream)


def test_a_short_packet_led_by_0xfe_is_a_protocol_error() -> None:
    """MariaDB leads a row with 0xFE only for a first value of 16 MiB or more. A shorter such
    packet of 9 bytes or more (not an EOF) is what a CLIENT_DEPRECATE_EOF client takes for
    the end of the resultset, so a source that sent one (broken, or one that a team member
    pointed at a server of their own) could put the gateway's client out of step: the rows
    after it would be read as the answers to the client's next commands."""
    fake_end = b"\xfe\x00\x00\x02\x00\x00\x00" + b"\x00" * 4  # an OK packet with 0xFE, 11 bytes
    stream, _ = packets([ROWS[0], fake_end, ROWS[1]], 1, EOF_PACKET)
    with pytest.raises(RowPacketError, match="0xFE"):
        read_all(stream, 1, len(stream))
    # a value of 16 MiB or more does lead its row with 0xFE, in a full first frame
    big = lenenc(b"v" * (1 << 24))
    stream, _ = packets([big, ROWS[1]], 1, EOF_PACKET)
    _, run, rows, _ = read_all(stream, 1, 1 << 20)
    assert rows == 2 and payloads(run) == [big, ROWS[1]]
