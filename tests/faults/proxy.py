"""A TCP forwarder on loopback that a test can cut and restore: the fault a stopped server or a
broken network makes, without touching the shared PostgreSQL on 5432.

It runs its own event loop in a thread, so it works the same under sync and async tests.
``cut()`` closes the listener (new connections are refused, as by a stopped server) and resets
every open connection; ``restore()`` listens again on the same port. ``freeze()`` keeps the
connections open but stops moving bytes (a half-open peer).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def _reset(writer: asyncio.StreamWriter) -> None:
    # SO_LINGER 0 makes close() send RST: the peer sees "connection reset", as on a crash.
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class TcpProxy:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1"):
        self.target = (target_host, target_port)
        self.port = 0
        self.accepted = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, daemon=True, name=f"proxy->{target_port}"
        )
        self._server: asyncio.Server | None = None
        self._pairs: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = set()
        self._flowing = threading.Event()
        self._flowing.set()

    # --- control (from the test's thread) ---------------------------------------------------

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=10)

    def start(self) -> TcpProxy:
        self._thread.start()
        self._call(self._listen())
        return self

    def cut(self) -> None:
        """Refuse new connections and reset the open ones."""
        self._call(self._cut())

    def restore(self) -> None:
        self._flowing.set()
        self._call(self._listen())

    def freeze(self) -> None:
        """Stop forwarding in both directions, leaving every socket open."""
        self._flowing.clear()

    def thaw(self) -> None:
        self._flowing.set()

    @property
    def open_connections(self) -> int:
        return len(self._pairs)

    def close(self) -> None:
        self._flowing.set()
        with contextlib.suppress(Exception):
            self._call(self._cut())
            self._call(self._finish_tasks())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        if not self._thread.is_alive():
            self._loop.close()

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- inside the proxy's loop ------------------------------------------------------------

    async def _listen(self) -> None:
        if self._server is not None:
            return
        self._server = await asyncio.start_server(
            self._accept, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def _cut(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for client, upstream in list(self._pairs):
            _reset(client)
            _reset(upstream)
        self._pairs.clear()

    async def _finish_tasks(self) -> None:
        # Nothing left pending: a task destroyed with the loop is reported at some later
        # garbage collection, wherever the test process happens to be then.
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        try:
            up_reader, up_writer = await asyncio.wait_for(
                asyncio.open_connection(*self.target), timeout=5
            )
        except (OSError, TimeoutError):
            _reset(writer)
            return
        pair = (writer, up_writer)
        self._pairs.add(pair)
        try:
            await asyncio.gather(self._pump(reader, up_writer), self._pump(up_reader, writer))
        finally:
            self._pairs.discard(pair)
            for w in pair:
                w.close()

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                data = await reader.read(65536)
                while not self._flowing.is_set():  # frozen: hold the bytes, move nothing
                    await asyncio.sleep(0.05)
                if not data:
                    writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()
        except (OSError, RuntimeError):
            for w in (writer,):
                w.transport.abort()
