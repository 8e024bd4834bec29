"""Packet framing over an asyncio stream: 4-byte headers, sequence ids, 16 MiB splitting.

TLS runs through an ``ssl.MemoryBIO`` pair rather than ``StreamWriter.start_tls``: a MySQL
client sends its ClientHello right behind the SSLRequest without waiting for an answer, so
those bytes may already sit in the StreamReader's buffer, where ``start_tls`` would never see
them (the handshake then stalls). Reading ciphertext through the same reader cannot lose any.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl

from .constants import MAX_PACKET
from .packets import PacketError

_CHUNK = 256 * 1024


def renumber(data: bytes | bytearray, seq: int) -> bytearray:
    """Framed packets with their sequence ids rewritten to run on from ``seq``."""
    out = bytearray(data)
    pos, size = 0, len(out)
    while pos < size:
        out[pos + 3] = seq
        seq = (seq + 1) & 0xFF
        pos += 4 + (out[pos] | out[pos + 1] << 8 | out[pos + 2] << 16)
    return out


class ConnectionClosed(Exception):
    """The peer went away."""


class PacketStream:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader = reader
        self.writer = writer
        self.seq = 0
        self._tls: ssl.SSLObject | None = None
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        self._plain = bytearray()  # decrypted bytes not yet consumed
        self._out = bytearray()  # packets written but not yet flushed
        # Largest logical packet accepted: small until login, so an unauthenticated peer
        # cannot make us buffer megabytes; the connection raises it afterwards.
        self.max_incoming = 64 * 1024
        # A client that stops reading a result holds a pooled data-source connection: give up
        # on it after this long (the server sets it from CLIENT_SEND_TIMEOUT_SECONDS).
        self.send_timeout = 120.0
        # A packet whose header came must arrive in full within this long (the server sets it).
        self.message_timeout = 30.0

    @property
    def tls(self) -> bool:
        return self._tls is not None

    def reset(self) -> None:
        """Each command starts a new sequence."""
        self.seq = 0

    # --- bytes ---------------------------------------------------------------------------------

    async def _fill(self) -> None:
        """Read one chunk of ciphertext from the socket into the TLS object."""
        try:
            data = await self.reader.read(_CHUNK)
        except ConnectionError as exc:
            raise ConnectionClosed() from exc
        if not data:
            raise ConnectionClosed()
        self._incoming.write(data)

    async def _read_exactly(self, n: int) -> bytes:
        if self._tls is None:
            try:
                return await self.reader.readexactly(n)
            except (asyncio.IncompleteReadError, ConnectionError) as exc:
                raise ConnectionClosed() from exc
        while len(self._plain) < n:
            try:
                chunk = self._tls.read(_CHUNK)
            except ssl.SSLWantReadError:
                await self._fill()
                continue
            except ssl.SSLZeroReturnError as exc:
                raise ConnectionClosed() from exc
            if not chunk:
                raise ConnectionClosed()
            self._plain.extend(chunk)
        out = bytes(self._plain[:n])
        del self._plain[:n]
        return out

    def _write_bytes(self, data: bytes | bytearray | memoryview) -> None:
        # Buffered until flush: one TLS write (and one socket write) per batch of packets,
        # not per row.
        self._out += data

    def _drain_tls(self) -> None:
        pending = self._outgoing.read()
        if pending:
            self.writer.write(pending)

    # --- packets -------------------------------------------------------------------------------

    async def read(self) -> bytes:
        """The next logical packet. Waiting for one to start has no time limit; once its first
        header came, all of it (every frame) must arrive within ``message_timeout``, as
        MySQL's ``net_read_timeout``: a packet trickled in or left half-sent must not hold its
        buffer (up to ``max_incoming``) for as long as the client likes."""
        header = await self._read_exactly(4)
        try:
            async with asyncio.timeout(self.message_timeout):
                return await self._read_rest(header)
        except TimeoutError as exc:
            raise ConnectionClosed("read timeout") from exc

    async def _read_rest(self, header: bytes) -> bytes:
        chunks: list[bytes] = []
        while True:
            if chunks:
                header = await self._read_exactly(4)
            length = int.from_bytes(header[:3], "little")
            if sum(map(len, chunks)) + length > self.max_incoming:
                raise PacketError(f"packet larger than {self.max_incoming} bytes")
            if header[3] != self.seq:
                raise PacketError(f"packet out of order (got {header[3]}, want {self.seq})")
            self.seq = (self.seq + 1) & 0xFF
            chunks.append(await self._read_exactly(length))
            if length < MAX_PACKET:
                return b"".join(chunks)

    def write(self, payload: bytes) -> None:
        """Queue one logical packet (split into 16 MiB frames as the protocol requires)."""
        view = memoryview(payload)
        while True:
            chunk = view[:MAX_PACKET]
            view = view[MAX_PACKET:]
            self._write_bytes(len(chunk).to_bytes(3, "little") + bytes((self.seq,)) + chunk)
            self.seq = (self.seq + 1) & 0xFF
            if len(chunk) < MAX_PACKET:
                return

    def write_frames(self, data: bytes | bytearray, frames: int) -> None:
        """Queue ``frames`` packets framed elsewhere (a MySQL server's row packets, passed on
        as they came): renumbered from our sequence id unless they already carry it."""
        if frames and data[3] != self.seq:
            data = renumber(data, self.seq)
        self._write_bytes(data)
        self.seq = (self.seq + frames) & 0xFF

    async def flush(self) -> None:
        if self.writer.transport.is_closing():
            # Ended under us (a revoked session, a vanished peer): the client is gone. uvloop
            # raises RuntimeError on a write to a closed transport, asyncio drops the bytes.
            self._out.clear()
            raise ConnectionClosed()
        if self._out:
            data, self._out = bytes(self._out), bytearray()
            if self._tls is None:
                self.writer.write(data)
            else:
                self._tls.write(data)
                self._drain_tls()
        try:
            async with asyncio.timeout(self.send_timeout):
                await self.writer.drain()
        except TimeoutError as exc:  # before OSError, of which it is a subclass
            self.writer.transport.abort()  # what is buffered will never be read
            raise ConnectionClosed("send timeout") from exc
        except (ConnectionError, OSError) as exc:
            raise ConnectionClosed() from exc

    async def send(self, payload: bytes) -> None:
        self.write(payload)
        await self.flush()

    async def start_tls(self, context: ssl.SSLContext) -> None:
        tls = context.wrap_bio(self._incoming, self._outgoing, server_side=True)
        while True:
            try:
                tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                # Through flush, which finds a transport closed under us (uvloop raises on
                # the write itself).
                self._write_bytes(self._outgoing.read())
                await self.flush()
                await self._fill()
        self._tls = tls
        self._drain_tls()
        await self.flush()

    async def close(self) -> None:
        if self._tls is not None:
            # Send our close_notify; the peer's is not awaited.
            with contextlib.suppress(ssl.SSLError, ConnectionError, RuntimeError):
                self._tls.unwrap()
            with contextlib.suppress(ssl.SSLError, ConnectionError, RuntimeError):
                self._drain_tls()
        self.writer.close()
        with contextlib.suppress(ConnectionError, ssl.SSLError):
            await self.writer.wait_closed()
