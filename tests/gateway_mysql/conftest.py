"""A real MySQL-protocol gateway on a free loopback port: TLS, an in-memory credential cache,
the semantic engine and a DuckDB data source (the same stack production wires together)."""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
import threading
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pytest

from backend import eventloop
from backend.core.ratelimit import FailureLimiter
from gateway.mysql.engine_session import EngineSessionFactory
from gateway.mysql.server import MysqlServer, start_mysql_server
from gateway.session import SessionServices
from gateway.tls import ensure_self_signed, server_context
from tests.gateway_common import MODEL, MemoryGrants, make_grant
from tests.services import EVENT_LOOP

T = TypeVar("T")



@pytest.fixture(scope="session")
def tls_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("mysql_tls")
    ensure_self_signed(d, ("localhost", "127.0.0.1"))
    return d


@pytest.fixture(scope="session")
def demo_duckdb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mysql_data") / "demo.duckdb"
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


@dataclasses.dataclass
class Gateway:
    server: MysqlServer
    grants: MemoryGrants
    user: str
    password: str
    tls_dir: Path
    data_path: Path

    @property
    def port(self) -> int:
        return self.server.port


class ThreadedGateway:
    """A gateway on its own event loop thread, so blocking clients can be tested plainly."""

    def __init__(self, tls_dir: Path, data: Path, *, limiter: FailureLimiter | None = None,
                 **options: Any):
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.loop = eventloop.new_loop(EVENT_LOOP)  # the servers' loop, not asyncio's
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.services = SessionServices()
        grants = MemoryGrants()
        user, password = "u_" + secrets.token_hex(4), "pw-" + secrets.token_urlsafe(10)
        grants.grants[user] = make_grant(user, password, data)
        ctx = server_context(tls_dir / "server.crt", tls_dir / "server.key")
        server = self.run(start_mysql_server(
            "127.0.0.1", 0, grants=grants, session_factory=EngineSessionFactory(self.services),
            ssl_context=ctx, limiter=limiter,
            audit=lambda action, detail: self.events.append((action, detail)), **options))
        self.gw = Gateway(server, grants, user, password, tls_dir, data)

    def add_user(self, model: str = MODEL) -> tuple[str, str]:
        user, password = "u_" + secrets.token_hex(4), "pw-" + secrets.token_urlsafe(10)
        self.gw.grants.grants[user] = make_grant(user, password, self.gw.data_path, model=model)
        return user, password

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=60)

    def close(self) -> None:
        try:
            self.run(self.gw.server.close())
            self.run(self.services.close())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)
            self.loop.close()


@pytest.fixture(scope="module")
def tgw(tls_dir: Path, demo_duckdb: Path) -> Iterator[ThreadedGateway]:
    t = ThreadedGateway(tls_dir, demo_duckdb)
    yield t
    t.close()


@pytest.fixture
def gw(tgw: ThreadedGateway) -> Gateway:
    return tgw.gw
