"""Running the tiers in one process: the web server and, when present, the wire gateways."""

from __future__ import annotations

import asyncio
import logging
import signal

import uvicorn

from backend.api.app import create_app
from backend.core.settings import Settings

log = logging.getLogger("metricsql.server")


async def serve(settings: Settings, *, only: str | None = None) -> None:
    app = create_app(settings)
    tasks: list[asyncio.Task[None]] = []
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    web: uvicorn.Server | None = None
    if only in (None, "web"):
        config = uvicorn.Config(app, host=settings.bind_host, port=settings.web_port,
                                log_level=settings.log_level.lower(), lifespan="on")
        web = uvicorn.Server(config)
        web.install_signal_handlers = lambda: None  # type: ignore[method-assign]
        tasks.append(asyncio.create_task(web.serve()))
        log.info("web server on http://%s:%d", settings.bind_host, settings.web_port)

    await stop.wait()
    if web is not None:
        web.should_exit = True
    await asyncio.gather(*tasks, return_exceptions=True)
