"""The MySQL-protocol listener: accepts sockets and keeps the id → connection map KILL needs."""

from __future__ import annotations

import asyncio
import itertools
import logging
import ssl

from backend.core.grants import GrantDirectory
from backend.core.ratelimit import FailureLimiter

from .connection import MysqlConnection
from .interface import SessionFactory
from .stream import PacketStream

log = logging.getLogger("gateway.mysql")


def default_limiter() -> FailureLimiter:
    return FailureLimiter(max_failures=10, window_seconds=60.0)


class MysqlServer:
    def __init__(
        self,
        *,
        grants: GrantDirectory,
        session_factory: SessionFactory,
        ssl_context: ssl.SSLContext | None,
        limiter: FailureLimiter | None = None,
    ):
        self.grants = grants
        self.session_factory = session_factory
        self.ssl_context = ssl_context
        self.limiter = limiter or default_limiter()
        self.connections: dict[int, MysqlConnection] = {}
        self._ids = itertools.count(1)
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def port(self) -> int:
        assert self._server is not None, "not started"
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self, host: str, port: int) -> None:
        self._server = await asyncio.start_server(self._accept, host, port)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        address = str(peer[0]) if isinstance(peer, tuple) else "local"
        connection = MysqlConnection(self, PacketStream(reader, writer), next(self._ids), address)
        self.connections[connection.id] = connection
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            await connection.run()
        finally:
            self.connections.pop(connection.id, None)
            if task is not None:
                self._tasks.discard(task)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for connection in list(self.connections.values()):
            connection.terminate()
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            await asyncio.wait(list(self._tasks))
        if self._server is not None:
            await self._server.wait_closed()


async def start_mysql_server(
    host: str,
    port: int,
    *,
    grants: GrantDirectory,
    session_factory: SessionFactory,
    ssl_context: ssl.SSLContext | None,
    limiter: FailureLimiter | None = None,
) -> MysqlServer:
    """Listen for MySQL clients on host:port (0 picks a free port; see ``.port``)."""
    server = MysqlServer(grants=grants, session_factory=session_factory,
                         ssl_context=ssl_context, limiter=limiter)
    await server.start(host, port)
    return server
