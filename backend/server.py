"""Running the tiers in one process: the web server, the change feed and the wire gateways.

``metricsql serve`` runs everything (the embedded default); ``--only web`` and ``--only gateway``
split the tiers for production. Gateways learn about credentials only through the change feed
(``FeedSubscriber``), so they behave the same in one process or many.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import ssl
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import uvicorn
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.api.app import create_app
from backend.core.db import make_engine, make_sessionmaker
from backend.core.services import credentials as credential_service
from backend.core.services.feed import FeedSubscriber
from backend.core.settings import Settings
from backend.observability import metrics
from backend.observability.http import ops_app
from gateway.mysql.server import MysqlServer
from gateway.session import SessionServices

log = logging.getLogger("metricsql.server")


# Readiness wants the feed read within this many seconds: the follower reads at least every
# fallback poll (5 s) even when no NOTIFY comes, so three missed reads mean trouble.
FEED_READY_MAX_AGE_SECONDS = 15.0


class SessionCounter(Protocol):
    def session_count(self, username: str | None = None) -> int: ...


class OwnSignalsServer(uvicorn.Server):
    """uvicorn without its own signal handling: SIGTERM is the process's, so ``serve`` can
    drain the gateways while ``/readyz`` still answers 503, and stop the web server last."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@dataclass
class OpenSessions:
    """``openSessions`` for the web tier: the sum over this process's gateways."""

    gateways: list[SessionCounter] = field(default_factory=list)

    def count(self, username: str) -> int:
        return sum(g.session_count(username) for g in self.gateways)


class LoginAudit:
    """Writes the gateways' login successes and failures to the audit log, off the hot path.

    Gateways call it synchronously; rows are written by one background task in batches, so a
    flood of failed logins costs the metadata DB one transaction per batch, not per attempt.
    """

    def __init__(self, engine: AsyncEngine, max_queue: int = 10_000):
        self._maker = make_sessionmaker(engine)
        self._queue: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue(max_queue)
        self._task: asyncio.Task[None] | None = None

    def __call__(self, action: str, detail: dict[str, Any]) -> None:
        try:
            self._queue.put_nowait((action, detail))
        except asyncio.QueueFull:
            log.warning("audit queue full; dropped %s for %s", action, detail.get("username"))

    def for_protocol(self, protocol: str) -> Any:
        """The sink one gateway calls: the same queue, rows labelled with the protocol."""

        def sink(action: str, detail: dict[str, Any]) -> None:
            self(action, {**detail, "protocol": protocol})

        return sink

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            await self._flush_remaining()
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _flush_remaining(self) -> None:
        for _ in range(50):
            if self._queue.empty():
                return
            await asyncio.sleep(0.02)

    async def _run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while not self._queue.empty() and len(batch) < 200:
                batch.append(self._queue.get_nowait())
            try:
                async with self._maker() as db:
                    for action, detail in batch:
                        await credential_service.record_login(
                            db, str(detail.get("username", "")), action == "login",
                            detail.get("client_addr"), protocol=detail.get("protocol"),
                            reason=None if action == "login" else action,
                        )
                    await db.commit()
            except Exception:
                log.exception("could not write %d login audit rows", len(batch))


async def _prepare_demo(settings: Settings) -> None:
    """Generate the demo data set in the background so onboarding finds it ready."""
    try:
        from backend.connectors.demo import ensure_demo

        path = await asyncio.to_thread(ensure_demo, settings.data_dir,
                                       order_items=settings.demo_order_items)
        log.info("demo data ready at %s", path)
    except Exception:
        log.exception("could not prepare the demo data set")


async def serve(settings: Settings, *, only: str | None = None,
                ready: asyncio.Event | None = None, stop: asyncio.Event | None = None,
                worker: bool = False) -> None:
    """``worker``: one of the extra gateway processes (``GATEWAY_PROCESSES``), gateways only."""
    run_web = only in (None, "web") and not worker
    run_gateways = only in (None, "gateway")
    processes = 1
    if run_gateways:
        from gateway.server import gateway_process_count

        processes = gateway_process_count(settings, only)
    engine = make_engine(settings.database_url)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)

    sessions = OpenSessions()
    draining = False
    health: dict[str, Callable[[], bool]] = {"accepting": lambda: not draining}
    cleanups: list[Callable[[], Awaitable[Any]]] = []
    detach: list[Callable[[], None]] = []
    background: list[asyncio.Task[None]] = []
    web: uvicorn.Server | None = None
    try:
        if run_gateways:
            from gateway.server import start_pg_gateway
            from gateway.session import services_from_settings
            from gateway.tls import context_from_settings

            feed = FeedSubscriber(engine, settings.secret_key,
                                  poll_interval=settings.feed_poll_interval_ms / 1000)
            await feed.start()
            cleanups.append(feed.stop)
            health["change_feed"] = lambda: feed.caught_up(FEED_READY_MAX_AGE_SECONDS)
            detach.append(_attach(metrics.LIVE.feeds, feed))
            audit = LoginAudit(engine)
            audit.start()
            cleanups.append(audit.stop)
            # One set of connector pools and model caches for both gateways.
            gateway_services = services_from_settings(settings)
            cleanups.append(gateway_services.close)
            detach.append(_attach(metrics.LIVE.pools, lambda: _connectors(gateway_services)))
            pg = await start_pg_gateway(settings, feed, services=gateway_services,
                                        audit=audit.for_protocol("postgres"),
                                        reuse_port=processes > 1)
            cleanups.append(pg.stop)
            feed.add_listener(pg.on_grant_changed)
            # A changed or deleted credential's catalog sandboxes go with its old grant.
            feed.add_listener(lambda username, _grant: gateway_services.catalogs.forget(username))
            sessions.gateways.append(pg)
            health["postgres_gateway"] = lambda: pg.serving
            mysql = await _start_mysql(settings, feed, context_from_settings(settings), audit,
                                       gateway_services, reuse_port=processes > 1)
            cleanups.append(mysql.close)
            feed.add_listener(mysql.on_grant_changed)
            sessions.gateways.append(mysql)
            health["mysql_gateway"] = lambda: mysql.serving
            metrics.LIVE.sessions.update(postgres=pg.session_count, mysql=mysql.session_count)
            detach.append(_forget_sessions)
            log.info("MySQL wire gateway listening on %s:%d", settings.bind_host, mysql.port)
            if processes > 1 and not worker:
                from gateway.server import GatewayWorkers

                workers = GatewayWorkers(settings, processes - 1)
                workers.start()
                cleanups.append(workers.stop)
        # The web tier, or for a gateway-only process (each of GATEWAY_PROCESSES, on its own
        # port) just /healthz, /readyz and /metrics.
        if run_web:
            background.append(asyncio.create_task(_prepare_demo(settings)))
            app = create_app(settings, engine=engine)
            app.state.services.extra["sessions"] = sessions
        else:
            app = ops_app(engine, {})
        app.state.health_probes.update(health)
        config = uvicorn.Config(app, host=settings.bind_host, port=settings.web_port,
                                log_level=settings.log_level.lower(), lifespan="on",
                                log_config=None)  # our handlers (LOG_FORMAT) for its logs
        web = OwnSignalsServer(config)
        web_task = asyncio.create_task(_serve_web(web, stop))
        log.info("%s on http://%s:%d", "web server" if run_web else "health and metrics",
                 settings.bind_host, settings.web_port)
        cleanups.insert(0, lambda: _stop_web(web, web_task))  # stopped last
        if ready is not None:
            ready.set()
        await stop.wait()
        draining = True
        if sessions.gateways:
            await drain(sessions.gateways, settings.shutdown_grace_seconds)
    finally:
        for undo in detach:
            undo()
        for cleanup in reversed(cleanups):
            try:
                await cleanup()
            except Exception:
                log.exception("error while shutting down")
        for task in background:
            task.cancel()
        await engine.dispose()


def _forget_sessions() -> None:
    for protocol in ("postgres", "mysql"):
        metrics.LIVE.sessions.pop(protocol, None)


def _attach(items: list[Any], item: Any) -> Callable[[], None]:
    items.append(item)
    return lambda: items.remove(item)


def _connectors(services: SessionServices) -> list[object]:
    # The cache keeps one connector (one pool) per data source; read, never changed, here.
    entries: dict[Any, object] = getattr(services.connectors, "_entries", {})
    return list(entries.values())


async def drain(gateways: list[Any], grace_seconds: float) -> None:
    """Stop accepting wire connections, then give open sessions up to ``grace_seconds`` to
    end on their own; whatever is left is ended by the gateways' stop (57P01 / 1053)."""
    for gateway in gateways:
        listener = getattr(gateway, "_server", None)  # the asyncio.Server of PgServer/MysqlServer
        if listener is not None:
            listener.close()
    deadline = time.monotonic() + grace_seconds
    open_now = sum(g.session_count() for g in gateways)
    log.info("draining %d wire sessions (up to %.0fs)", open_now, grace_seconds)
    while open_now and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        open_now = sum(g.session_count() for g in gateways)
    if open_now:
        log.info("ending %d wire sessions still open after %.0fs", open_now, grace_seconds)


async def _serve_web(web: uvicorn.Server, stop: asyncio.Event) -> None:
    """Run uvicorn; when it ends (its own signal handling, or a failed start) stop the rest."""
    try:
        await web.serve()
        if not web.started:
            log.error("the web server could not start on port %d", web.config.port)
    finally:
        stop.set()


async def _stop_web(web: uvicorn.Server | None, task: asyncio.Task[None]) -> None:
    if web is None:
        return
    web.should_exit = True
    with contextlib.suppress(Exception):
        await asyncio.wait_for(task, timeout=5)
    if not task.done():  # it did not stop in time: close its connections ourselves
        with contextlib.suppress(Exception):
            await web.shutdown()


async def _start_mysql(settings: Settings, feed: FeedSubscriber, context: ssl.SSLContext,
                       audit: LoginAudit, services: SessionServices,
                       reuse_port: bool = False) -> MysqlServer:
    from gateway.mysql.engine_session import EngineSessionFactory
    from gateway.mysql.server import start_mysql_server

    return await start_mysql_server(
        settings.bind_host, settings.mysql_port, grants=feed,
        session_factory=EngineSessionFactory(services), ssl_context=context,
        audit=audit, max_connections=settings.max_connections,
        send_timeout=settings.client_send_timeout_seconds, reuse_port=reuse_port,
    )
