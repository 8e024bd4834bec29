"""The operator's endpoints, on every process: ``/healthz``, ``/readyz`` and ``/metrics``.

* ``/healthz`` — alive: the process answers. A liveness probe restarts what fails it, so it
  checks nothing that a restart would not fix (a metadata DB outage must not restart us).
* ``/readyz`` — ready for traffic: the metadata DB answers, and every probe the process
  registered in ``app.state.health_probes`` holds (gateways serving, change feed caught up,
  not draining for shutdown). A load balancer sends traffic only to ready processes.
* ``/metrics`` — Prometheus exposition of ``backend.observability.metrics.REGISTRY``.

The web tier mounts these routes in its app; a ``--only gateway`` process serves them alone
(``ops_app``) on ``WEB_PORT``.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.observability import logs, metrics

METADATA_TIMEOUT_SECONDS = 2.0
Probe = Callable[[], bool]


async def healthz(request: Request) -> Response:
    return JSONResponse({"ok": True})


async def metadata_reachable(engine: AsyncEngine) -> str:
    try:
        async with asyncio.timeout(METADATA_TIMEOUT_SECONDS):
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        return "ok"
    except Exception as exc:  # a readiness check reports, never raises
        return f"error: {type(exc).__name__}"


async def readyz(request: Request) -> Response:
    checks: dict[str, Any] = {"metadata_db": await metadata_reachable(request.app.state.engine)}
    probes: dict[str, Probe] = request.app.state.health_probes
    for name, probe in probes.items():
        try:
            checks[name] = "ok" if probe() else "not ready"
        except Exception as exc:
            checks[name] = f"error: {type(exc).__name__}"
    ok = all(v == "ok" for v in checks.values())
    return JSONResponse({"ok": ok, "checks": checks}, status_code=200 if ok else 503)


async def metrics_endpoint(request: Request) -> Response:
    body, content_type = metrics.render()
    return Response(body, media_type=content_type)


def ops_routes() -> list[Route]:
    return [Route("/healthz", healthz), Route("/readyz", readyz),
            Route("/metrics", metrics_endpoint)]


def ops_app(engine: AsyncEngine, probes: dict[str, Probe]) -> Starlette:
    """The endpoints alone, for a process that runs no web tier."""
    app = Starlette(routes=ops_routes())
    app.add_middleware(RequestIdMiddleware)
    app.state.engine = engine
    app.state.health_probes = probes
    return app


class RequestIdMiddleware:
    """An id per HTTP request, on its log records and in the ``X-Request-ID`` response header.

    A client's own ``X-Request-ID`` is kept when it is short and printable (so a proxy's id
    follows the request), otherwise a fresh one is made.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = given if 0 < len(given) <= 64 and given.isprintable() and given.isascii() \
            else secrets.token_hex(8)
        token = logs.request_id.set(rid)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            logs.request_id.reset(token)
