"""A real gateway on a free loopback port, with TLS and an in-memory credential cache."""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
import threading
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pytest

from backend import eventloop
from gateway.postgres.config import PgGatewayConfig
from gateway.server import PgServer
from gateway.session import SessionServices
from gateway.tls import ensure_self_signed, server_context
from tests.gateway_common import MODEL, MemoryGrants, make_grant  # noqa: F401
from tests.services import EVENT_LOOP

T = TypeVar("T")



@dataclasses.dataclass
class Gateway:
    server: PgServer
    grants: MemoryGrants
    user: str
    password: str
    tls_dir: Path
    data_path: Path

    @property
    def port(self) -> int:
        return self.server.port

    def dsn(self, sslmode: str = "require", **extra: str) -> str:
        parts = {"host": "127.0.0.1", "port": str(self.port), "user": self.user,
                 "password": self.password, "dbname": "db", "sslmode": sslmode, **extra}
        return " ".join(f"{k}={v}" for k, v in parts.items())

    def url(self, scheme: str = "postgresql") -> str:
        return f"{scheme}://{self.user}:{self.password}@127.0.0.1:{self.port}/db"


@pytest.fixture(scope="session")
def tls_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("tls")
    ensure_self_signed(d, ("localhost", "127.0.0.1"))
    return d


@pytest.fixture(scope="session")
def demo_duckdb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "demo.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE orders AS SELECT i AS id, "
        "CASE WHEN i % 3 = 0 THEN 'completed' ELSE 'pending' END AS status, "
        "TIMESTAMP '2024-01-01' + INTERVAL (i) HOUR AS created_at, "
        "CAST(i AS DECIMAL(12,2)) AS amount FROM range(1, 1001) t(i)"
    )
    con.execute("CREATE TABLE secrets AS SELECT 1 AS id, 'x' AS code")
    con.close()
    return path


def _config(tls_dir: Path, **overrides: object) -> PgGatewayConfig:
    ctx = server_context(tls_dir / "server.crt", tls_dir / "server.key")
    base = PgGatewayConfig(host="127.0.0.1", port=0, ssl_context=ctx)
    return dataclasses.replace(base, **overrides)  # type: ignore[arg-type]


@pytest.fixture
async def gateway(tls_dir: Path, demo_duckdb: Path) -> AsyncIterator[Gateway]:
    async with started(tls_dir, demo_duckdb) as gw:
        yield gw


class started:
    """``async with started(...) as gw`` — a gateway with one credential."""

    def __init__(
        self, tls_dir: Path, data: Path, *, services: SessionServices | None = None,
        grant_options: dict[str, object] | None = None,
        audit: Callable[[str, dict[str, Any]], None] | None = None, **config: object,
    ):
        self.tls_dir, self.data, self.config = tls_dir, data, config
        self.audit = audit
        self.services = services or SessionServices()
        self.grant_options = grant_options or {}

    async def __aenter__(self) -> Gateway:
        grants = MemoryGrants()
        user, password = "u_" + secrets.token_hex(4), secrets.token_urlsafe(12)
        grants.grants[user] = make_grant(user, password, self.data,
                                         **self.grant_options)  # type: ignore[arg-type]
        config = _config(self.tls_dir, **self.config)
        if self.audit is not None:
            server = PgServer(config, grants, self.services, audit=self.audit)
        else:
            server = PgServer(config, grants, self.services)
        await server.start()
        self.gw = Gateway(server, grants, user, password, self.tls_dir, self.data)
        return self.gw

    async def __aexit__(self, *exc: object) -> None:
        await self.gw.server.stop()
        await self.services.close()


class ThreadedGateway:
    """A gateway on its own event loop thread, so that blocking clients can be tested plainly."""

    def __init__(self, tls_dir: Path, data: Path, **options: object):
        self.loop = eventloop.new_loop(EVENT_LOOP)  # the servers' loop, not asyncio's
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self._ctx = started(tls_dir, data, **options)  # type: ignore[arg-type]
        self.gw: Gateway = self.run(self._ctx.__aenter__())

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=60)

    def call(self, fn: Callable[[], T]) -> T:
        async def wrapper() -> T:
            return fn()

        return self.run(wrapper())

    def close(self) -> None:
        try:
            self.run(self._ctx.__aexit__(None, None, None))
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)
            self.loop.close()


@pytest.fixture(scope="module")
def tgw(tls_dir: Path, demo_duckdb: Path) -> Iterator[ThreadedGateway]:
    t = ThreadedGateway(tls_dir, demo_duckdb)
    yield t
    t.close()
