"""Starting and stopping the PostgreSQL wire gateway, and the hooks the change feed calls.

``PgServer`` accepts connections, enforces the connection limit, routes CancelRequests to the
session they name, and ends sessions whose credential changed. The change-feed subscriber calls
``on_grant_changed(username, grant_or_None)`` (or ``revoke(username)``) after updating the
credential cache it serves through ``GrantDirectory``; new logins read that cache, so they fail
at once, and open sessions end with FATAL 57P01.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import multiprocessing as mp
import os
import secrets
import signal
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from backend import eventloop
from backend.core.errors import AppError, SessionTerminated, TooManyConnections
from backend.core.grants import CredentialGrant, GrantDirectory
from backend.core.ratelimit import FailureLimiter
from backend.core.security import signing_key
from backend.core.settings import Settings
from gateway.postgres.config import PgGatewayConfig
from gateway.postgres.connection import PgConnection
from gateway.session import SessionServices, services_from_settings
from gateway.tls import context_from_settings

log = logging.getLogger("gateway.postgres")
audit_log = logging.getLogger("gateway.audit")

AuditSink = Callable[[str, dict[str, Any]], None]


class SessionCounter(Protocol):
    """Where open sessions are counted (``backend.core.services.feed.SessionRegistry``)."""

    def opened(self, username: str) -> None: ...

    def closed(self, username: str) -> None: ...


def _log_audit(action: str, detail: dict[str, Any]) -> None:
    audit_log.info("%s %s", action, detail)


class PgServer:
    def __init__(
        self,
        config: PgGatewayConfig,
        grants: GrantDirectory,
        services: SessionServices | None = None,
        *,
        audit: AuditSink = _log_audit,
        session_counter: SessionCounter | None = None,
        reuse_port: bool = False,
    ):
        self.config = config
        # Several gateway processes may listen on the same port (SO_REUSEPORT): the kernel
        # spreads new connections over them.
        self.reuse_port = reuse_port
        self.grants = grants
        self._owns_services = services is None
        self.services = services or SessionServices()
        self.limiter = FailureLimiter(
            max_failures=config.login_max_failures, window_seconds=config.login_window_seconds
        )
        self.address_limiter = FailureLimiter(
            max_failures=config.login_max_failures_per_address,
            window_seconds=config.login_window_seconds,
        )
        self._audit = audit
        self._counter = session_counter
        self._server: asyncio.Server | None = None
        self._sessions: dict[int, PgConnection] = {}  # by process id, logged in
        self._by_user: dict[str, set[PgConnection]] = {}
        self._pending: set[PgConnection] = set()  # not yet logged in
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = config.port

    # --- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._accept, self.config.host, self.config.port, limit=2**16,
            reuse_port=self.reuse_port or None,
        )
        sock = self._server.sockets[0]
        self.port = int(sock.getsockname()[1])
        log.info("PostgreSQL wire gateway listening on %s:%s", self.config.host, self.port)

    @property
    def serving(self) -> bool:
        """Accepting connections (for the health check)."""
        return self._server is not None and self._server.is_serving()

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        shutdown = SessionTerminated("terminating connection due to administrator command")
        for conn in list(self._sessions.values()) + list(self._pending):
            conn.terminate(shutdown)
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=5.0)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None
        if self._owns_services:
            await self.services.close()

    async def __aenter__(self) -> PgServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- connections -----------------------------------------------------------------------

    def _new_pid(self) -> int:
        while True:
            pid = secrets.randbelow(2**31 - 2) + 1
            if pid not in self._sessions:
                return pid

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        active = len(self._sessions) + len(self._pending)
        if active >= self.config.max_connections * 2:
            # Far beyond the limit: don't spend a TLS handshake on it.
            writer.close()
            return
        reject: AppError | None = None
        if active >= self.config.max_connections:
            reject = TooManyConnections("sorry, too many clients already")
        conn = PgConnection(self, reader, writer, process_id=self._new_pid(),
                            secret_key=secrets.randbits(32), reject=reject)
        self._pending.add(conn)
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await conn.run()
        finally:
            self._tasks.discard(task)

    def register(self, conn: PgConnection) -> None:
        self._pending.discard(conn)
        if len(self._sessions) >= self.config.max_connections:
            raise TooManyConnections("sorry, too many clients already")
        # The grant may have been revoked while the exchange ran: look again.
        grant = self.grants.lookup(conn.username)
        if grant is None or conn.session is None or grant.verifier != conn.session.grant.verifier:
            raise SessionTerminated("the SQL credential changed during login")
        self._sessions[conn.process_id] = conn
        self._by_user.setdefault(conn.username, set()).add(conn)
        if self._counter is not None:
            self._counter.opened(conn.username)

    def unregister(self, conn: PgConnection) -> None:
        self._pending.discard(conn)
        if self._sessions.get(conn.process_id) is conn:
            del self._sessions[conn.process_id]
            if self._counter is not None:
                self._counter.closed(conn.username)
        users = self._by_user.get(conn.username)
        if users is not None:
            users.discard(conn)
            if not users:
                del self._by_user[conn.username]

    async def cancel_request(self, pid: int, key: int) -> None:
        conn = self._sessions.get(pid)
        log.debug("cancel request for process %s (%s)", pid, "known" if conn else "unknown")
        # Constant-time compare; a wrong key is silently ignored, as PostgreSQL does.
        if conn is not None and hmac.compare_digest(
            conn.secret_key.to_bytes(4, "big"), (key & 0xFFFFFFFF).to_bytes(4, "big")
        ):
            await conn.cancel_query()

    def audit(self, action: str, **detail: Any) -> None:
        try:
            self._audit(action, detail)
        except Exception:
            log.exception("audit sink failed")

    # --- change-feed hooks -------------------------------------------------------------------

    def on_grant_changed(self, username: str, grant: CredentialGrant | None) -> None:
        """Call after the credential cache changed for ``username`` (None: gone).

        It is a ``FeedSubscriber`` listener as it is:
        ``feed.add_listener(server.on_grant_changed)``.
        """
        for conn in list(self._by_user.get(username, ())):
            conn.grant_changed(grant)

    async def revoke(self, username: str) -> None:
        self.on_grant_changed(username, None)

    def session_count(self, username: str | None = None) -> int:
        if username is None:
            return len(self._sessions)
        return len(self._by_user.get(username, ()))


def config_from_settings(settings: Settings, *, port: int | None = None) -> PgGatewayConfig:
    return PgGatewayConfig(
        host=settings.bind_host,
        port=settings.pg_port if port is None else port,
        ssl_context=context_from_settings(settings),
        # Passwords only travel encrypted: SCRAM has no channel binding here, so a client
        # talked out of TLS by an attacker could have its exchange relayed.
        require_tls=settings.require_tls,
        allow_cleartext_password=settings.allow_cleartext_password,
        max_connections=settings.max_connections,
        send_timeout=settings.client_send_timeout_seconds,
        # The same fake salts for unknown users in every gateway process and across restarts,
        # so that unknown and real users stay indistinguishable behind a load balancer.
        server_secret=signing_key(settings.secret_key, "pg-gateway-unknown-user-salt"),
    )


async def start_pg_gateway(
    settings: Settings,
    grants: GrantDirectory,
    *,
    services: SessionServices | None = None,
    audit: AuditSink = _log_audit,
    session_counter: SessionCounter | None = None,
    reuse_port: bool = False,
) -> PgServer:
    """Start the PostgreSQL wire gateway as the embedded default configures it; stop it with
    ``await server.stop()``. Pass the same ``services`` to both gateways to share pools."""
    server = PgServer(
        config_from_settings(settings), grants, services or services_from_settings(settings),
        audit=audit, session_counter=session_counter, reuse_port=reuse_port,
    )
    await server.start()
    return server


# --- several gateway processes on the same ports ------------------------------------------------


def gateway_process_count(settings: Settings, only: str | None) -> int:
    """``GATEWAY_PROCESSES``, or by default one per core for ``serve --only gateway`` and one
    for the embedded default (which also runs the web tier)."""
    if settings.gateway_processes > 0:
        return settings.gateway_processes
    return max(1, os.cpu_count() or 1) if only == "gateway" else 1


class GatewayWorkers:
    """The extra gateway processes of ``serve``: each runs both gateways and its own change-
    feed subscriber on the same ports as the first (SO_REUSEPORT), so the kernel spreads new
    connections over all of them and every process ends its own sessions on a revocation.
    Worker ``k`` (2, 3, ...) serves its own /healthz, /readyz and /metrics on
    ``WEB_PORT + k - 1`` (metrics are per process, as Prometheus scrapes them); workers exit
    when the first process is gone."""

    def __init__(self, settings: Settings, count: int):
        ctx = mp.get_context("spawn")  # a fresh interpreter: no event loop or sockets copied
        self.processes = [
            ctx.Process(
                target=_worker_main,
                name=f"gateway-{i + 2}",
                args=(replace(settings, web_port=settings.web_port + i + 1), os.getpid()),
            )
            for i in range(count)
        ]

    def start(self) -> None:
        for proc in self.processes:
            proc.start()
            log.info("gateway worker process %s started (pid %s)", proc.name, proc.pid)

    async def stop(self, timeout: float = 15.0) -> None:
        for proc in self.processes:
            if proc.is_alive() and proc.pid is not None:
                os.kill(proc.pid, signal.SIGTERM)
        loop = asyncio.get_running_loop()
        for proc in self.processes:
            await loop.run_in_executor(None, proc.join, timeout)
            if proc.is_alive():
                proc.kill()


def _worker_main(settings: Settings, parent: int) -> None:
    from backend.cli import _configure_logging as configure_logging
    from backend.server import serve

    configure_logging(settings)

    async def run() -> None:
        stop = asyncio.Event()

        async def orphaned() -> None:  # the first process died without stopping us
            while os.getppid() == parent:
                await asyncio.sleep(1.0)
            stop.set()

        watch = asyncio.create_task(orphaned())
        try:
            await serve(settings, only="gateway", stop=stop, worker=True)
        finally:
            watch.cancel()

    eventloop.run(run(), settings.event_loop)
