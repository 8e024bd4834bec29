"""The MySQL-protocol listener: accepts sockets and keeps the id → connection map KILL needs."""

from __future__ import annotations

import asyncio
import itertools
import logging
import ssl
import time
from collections.abc import Callable
from typing import Any

from backend.core.grants import CredentialGrant, GrantDirectory
from backend.core.ratelimit import FailureLimiter

from .auth import Throttle
from .connection import MysqlConnection
from .interface import SessionFactory
from .stream import PacketStream

log = logging.getLogger("gateway.mysql")
audit_log = logging.getLogger("gateway.audit")

AuditSink = Callable[[str, dict[str, Any]], None]


def _log_audit(action: str, detail: dict[str, Any]) -> None:
    audit_log.info("%s %s", action, detail)


def default_user_limiter() -> FailureLimiter:
    return FailureLimiter(max_failures=10, window_seconds=300.0)


def default_address_limiter() -> FailureLimiter:
    return FailureLimiter(max_failures=50, window_seconds=300.0)


class MysqlServer:
    def __init__(
        self,
        *,
        grants: GrantDirectory,
        session_factory: SessionFactory,
        ssl_context: ssl.SSLContext | None,
        limiter: FailureLimiter | None = None,
        address_limiter: FailureLimiter | None = None,
        audit: AuditSink = _log_audit,
        max_connections: int = 1000,
        login_timeout: float = 30.0,
        send_timeout: float = 120.0,
        message_timeout: float = 30.0,
    ):
        self.grants = grants
        self.send_timeout = send_timeout
        self.message_timeout = message_timeout
        self.max_connections = max_connections
        self.login_timeout = login_timeout
        self.session_factory = session_factory
        self.ssl_context = ssl_context
        self.throttle = Throttle(limiter or default_user_limiter(),
                                 address_limiter or default_address_limiter())
        self._audit = audit
        self.connections: dict[int, MysqlConnection] = {}
        self._ids = itertools.count(1)
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def port(self) -> int:
        assert self._server is not None, "not started"
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def serving(self) -> bool:
        """Accepting connections (for the health check)."""
        return self._server is not None and self._server.is_serving()

    async def start(self, host: str, port: int, *, reuse_port: bool = False) -> None:
        self._server = await asyncio.start_server(self._accept, host, port,
                                                  reuse_port=reuse_port or None)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        address = str(peer[0]) if isinstance(peer, tuple) else "local"
        stream = PacketStream(reader, writer)
        stream.send_timeout = self.send_timeout
        stream.message_timeout = self.message_timeout
        connection = MysqlConnection(self, stream, next(self._ids), address)
        self.connections[connection.id] = connection
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            await connection.run()
        except asyncio.CancelledError:
            pass  # shutting down: asyncio's server callback would report it as an error
        finally:
            self.connections.pop(connection.id, None)
            if task is not None:
                self._tasks.discard(task)

    def audit(self, action: str, **detail: Any) -> None:
        try:
            self._audit(action, {"protocol": "mysql", **detail})
        except Exception:
            log.exception("audit sink failed")

    def processes(self, grant: CredentialGrant) -> list[tuple[Any, ...]]:
        """SHOW PROCESSLIST rows: the connections of the same credential only."""
        now = time.monotonic()
        return [
            (c.id, c.grant.username, c.address, c.state.database if c.state else None,
             c.command, int(now - c.command_started), "", c.current_sql)
            for c in sorted(self.connections.values(), key=lambda c: c.id)
            if c.grant is not None and c.grant.credential_id == grant.credential_id
        ]

    def session_count(self, username: str | None = None) -> int:
        """Logged-in connections (of one user), for ``SqlCredential.openSessions``."""
        return sum(1 for c in self.connections.values()
                   if c.grant is not None and username in (None, c.grant.username))

    def on_grant_changed(self, username: str, grant: CredentialGrant | None) -> None:
        """Change-feed hook: end at once the idle connections of a credential that was
        deleted, rotated or moved (others re-check their grant before every command)."""
        for c in list(self.connections.values()):
            old = c.grant
            if old is None or old.username != username:
                continue
            if grant is None or (grant.verifier, grant.member_id, grant.data_source_id) != (
                    old.verifier, old.member_id, old.data_source_id):
                c.terminate()

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for connection in list(self.connections.values()):
            connection.terminate()
        if self._tasks:
            # Closed transports end each connection's read loop; cancel only stragglers.
            _, pending = await asyncio.wait(list(self._tasks), timeout=5)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending)
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
    address_limiter: FailureLimiter | None = None,
    audit: AuditSink = _log_audit,
    max_connections: int = 1000,
    login_timeout: float = 30.0,
    reuse_port: bool = False,
    send_timeout: float = 120.0,
    message_timeout: float = 30.0,
) -> MysqlServer:
    """Listen for MySQL clients on host:port (0 picks a free port; see ``.port``).

    ``ssl_context`` None means no TLS, and then every login is refused: passwords only
    travel encrypted. ``limiter``/``address_limiter`` throttle failed logins per username and
    per client address; ``audit`` receives login, login_failed, login_rate_limited and kill
    events. Beyond ``max_connections`` a client gets ERR 1040 instead of a handshake; a login
    not finished within ``login_timeout`` seconds is dropped, and so is a connection whose
    packet, once its header came, does not arrive in full within ``message_timeout``.
    """
    server = MysqlServer(grants=grants, session_factory=session_factory,
                         ssl_context=ssl_context, limiter=limiter,
                         address_limiter=address_limiter, audit=audit,
                         max_connections=max_connections, login_timeout=login_timeout,
                         send_timeout=send_timeout, message_timeout=message_timeout)
    await server.start(host, port, reuse_port=reuse_port)  # reuse_port: several processes
    return server
