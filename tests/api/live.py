"""The real app on a real socket: uvicorn on a free loopback port, in its own thread and loop.

The tests talk to it with an ordinary HTTP client, so a handler that blocks the server's
event loop shows as a stalled ``/healthz`` — exactly what a user of the server would see.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from backend.api.app import create_app
from backend.core.db import make_engine
from backend.core.settings import load_settings
from tests.api.conftest import PASSWORD, SIGN_UP, unique_email


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    def __init__(self, metadata_url: str, data_dir: Path, env: Mapping[str, str]):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.settings = load_settings({"DATA_DIR": str(data_dir), "DATABASE_URL": metadata_url,
                                       "SECRET_KEY": "test-secret-key-for-the-suite",
                                       "WEB_PORT": str(self.port), **env})
        self._server: uvicorn.Server | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        async def main() -> None:
            engine = make_engine(self.settings.database_url)
            app = create_app(self.settings, engine=engine)
            config = uvicorn.Config(app, host="127.0.0.1", port=self.port, lifespan="on",
                                    log_level="warning")
            self._server = uvicorn.Server(config)
            try:
                await self._server.serve()
            finally:
                await engine.dispose()

        asyncio.run(main())

    def start(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError("the live server did not start")

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        self._thread.join(timeout=15)

    def client(self) -> httpx.Client:
        """A browser-like client of this server: same-origin requests, its own cookies."""
        return httpx.Client(base_url=self.base_url, headers={"Origin": self.base_url},
                            timeout=60)

    def signed_up(self) -> httpx.Client:
        c = self.client()
        r = c.post("/graphql", json={"query": SIGN_UP, "variables": {"input": {
            "email": unique_email(), "password": PASSWORD, "displayName": "Ann"}}})
        assert r.json()["data"]["signUp"]["__typename"] == "AuthPayload", r.text
        return c


def gql(c: httpx.Client, query: str, **variables: Any) -> dict[str, Any]:
    r = c.post("/graphql", json={"query": query, "variables": variables})
    body: dict[str, Any] = r.json()
    return body


def serve(metadata_url: str, data_dir: Path, **env: str) -> Iterator[LiveServer]:
    server = LiveServer(metadata_url, data_dir, env).start()
    try:
        yield server
    finally:
        server.stop()
