"""Packet framing over an asyncio stream: 4-byte headers, sequence ids, 16 MiB splitting."""

from __future__ import annotations

import asyncio
import contextlib
import ssl

from .constants import MAX_PACKET
from .packets import PacketError


class ConnectionClosed(Exception):
    """The peer went away."""


class PacketStream:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader = reader
        self.writer = writer
        self.seq = 0
        self.tls = False

    def reset(self) -> None:
        """Each command starts a new sequence."""
        self.seq = 0

    async def read(self) -> bytes:
        chunks: list[bytes] = []
        while True:
            try:
                header = await self.reader.readexactly(4)
                length = int.from_bytes(header[:3], "little")
                if header[3] != self.seq:
                    raise PacketError(f"packet out of order (got {header[3]}, want {self.seq})")
                self.seq = (self.seq + 1) & 0xFF
                chunks.append(await self.reader.readexactly(length))
            except (asyncio.IncompleteReadError, ConnectionError) as exc:
                raise ConnectionClosed() from exc
            if length < MAX_PACKET:
                return b"".join(chunks)

    def write(self, payload: bytes) -> None:
        """Queue one logical packet (split into 16 MiB frames as the protocol requires)."""
        view = memoryview(payload)
        while True:
            chunk = view[:MAX_PACKET]
            view = view[MAX_PACKET:]
            self.writer.write(len(chunk).to_bytes(3, "little") + bytes((self.seq,)))
            self.writer.write(chunk)
            self.seq = (self.seq + 1) & 0xFF
            if len(chunk) < MAX_PACKET:
                return

    async def flush(self) -> None:
        try:
            await self.writer.drain()
        except ConnectionError as exc:
            raise ConnectionClosed() from exc

    async def send(self, payload: bytes) -> None:
        self.write(payload)
        await self.flush()

    async def start_tls(self, context: ssl.SSLContext) -> None:
        await self.writer.start_tls(context)
        self.tls = True

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(ConnectionError, ssl.SSLError):
            await self.writer.wait_closed()
