"""A real ``metricsql serve`` process on free loopback ports, for whole-system tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    base_url: str
    pg_port: int
    mysql_port: int
    data_dir: Path
    log: Path

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, headers={"Origin": self.base_url},
                            timeout=60)

    def gql(self, http: httpx.Client, query: str, **variables: Any) -> dict[str, Any]:
        r = http.post("/graphql", json={"query": query, "variables": variables})
        body: dict[str, Any] = r.json()
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("serve")
    web, pg, my = free_port(), free_port(), free_port()
    env = {**os.environ, "DATA_DIR": str(data_dir), "WEB_PORT": str(web), "PG_PORT": str(pg),
           "MYSQL_PORT": str(my), "DEMO_ORDER_ITEMS": "5000", "FEED_POLL_INTERVAL_MS": "50"}
    log = data_dir / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "backend.cli", "serve"], cwd=ROOT,
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{web}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"metricsql serve exited:\n{log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"metricsql serve did not become healthy:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield Server(base, pg, my, data_dir, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
