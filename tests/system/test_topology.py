"""The production shape as plain processes: one ``serve --only web`` and two
``serve --only gateway`` against one PostgreSQL metadata database.

A credential created through the web tier logs in on both gateways (they learn of it through
the change feed, NOTIFY on PostgreSQL); deleting it ends both sessions and refuses new logins.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from tests.system.conftest import ROOT, Server, free_port
from tests.system.test_psql_walkthrough import DELETE, new_credential


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen[bytes]
    ops_url: str
    pg_port: int
    log: Path


def _start(
    name: str, args: list[str], env: dict[str, str], data_dir: Path, web: int | None = None
) -> Proc:
    web, pg, my = web or free_port(), free_port(), free_port()
    log = data_dir / f"{name}.log"
    with open(log, "wb") as out:
        popen = subprocess.Popen(
            [sys.executable, "-m", "backend.cli", "serve", *args],
            cwd=ROOT,
            env={**env, "WEB_PORT": str(web), "PG_PORT": str(pg), "MYSQL_PORT": str(my)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    proc = Proc(name, popen, f"http://127.0.0.1:{web}", pg, log)
    deadline = time.monotonic() + 60
    while True:
        if popen.poll() is not None:
            pytest.fail(f"{name} exited:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{proc.ops_url}/readyz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            popen.kill()
            popen.wait(timeout=10)
            pytest.fail(f"{name} never became ready:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)


def _stop(proc: Proc) -> None:
    proc.popen.terminate()
    try:
        proc.popen.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.popen.kill()


@pytest.fixture(scope="module")
def topology(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Proc, Proc, Proc]]:
    from tests.conftest import _create_pg_database, _drop_pg_database
    from tests.services import require_postgres

    require_postgres()
    name, url = _create_pg_database()
    data_dir = tmp_path_factory.mktemp("topology")  # shared, as the compose volume is
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": url,
        "SECRET_KEY": "topology-test-secret-" + "k" * 30,
        "DEMO_ORDER_ITEMS": "3000",
        "SHUTDOWN_GRACE_SECONDS": "1",
        "LOG_FORMAT": "json",
        # One process per gateway tier: the test reads each one's /metrics.
        "GATEWAY_PROCESSES": "1",
    }
    procs: list[Proc] = []
    try:
        subprocess.run(
            [sys.executable, "-m", "backend.cli", "migrate"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        procs.append(_start("web", ["--only", "web", "--no-migrate"], env, data_dir))
        # One after the other: the first makes the TLS pair in the shared DATA_DIR.
        procs.append(_start("gateway-1", ["--only", "gateway", "--no-migrate"], env, data_dir))
        procs.append(_start("gateway-2", ["--only", "gateway", "--no-migrate"], env, data_dir))
        yield procs[0], procs[1], procs[2]
    finally:
        for proc in reversed(procs):
            _stop(proc)
        _drop_pg_database(name)


def _conninfo(port: int, cred: dict[str, Any]) -> str:
    return (
        f"host=127.0.0.1 port={port} dbname=db user={cred['credential']['username']} "
        f"password={cred['password']} sslmode=require connect_timeout=10"
    )


def test_a_credential_from_creation_to_revocation_across_two_gateways(
    topology: tuple[Proc, Proc, Proc],
) -> None:
    web, *gateways = topology
    site = Server(web.ops_url, 0, 0, web.log.parent, web.log)
    cred = new_credential(site)
    sessions = []
    for gateway in gateways:
        conn = psycopg.connect(_conninfo(gateway.pg_port, cred), autocommit=True)
        sessions.append(conn)
        total = conn.execute("SELECT MEASURE(count) FROM orders").fetchone()
        assert total is not None and total[0] > 0
    for gateway in gateways:  # each gateway process counts its own session
        metrics = httpx.get(f"{gateway.ops_url}/metrics", timeout=10).text
        assert 'metricsql_sessions{protocol="postgres"} 1.0' in metrics
    with site.client() as http:
        http.cookies.update(cred["http_cookies"])
        r = site.gql(http, DELETE, input={"id": cred["credential"]["id"]})
        assert r["deleteSqlCredential"]["__typename"] == "SqlCredential", r
    for conn in sessions:
        deadline = time.monotonic() + 10
        with pytest.raises(psycopg.OperationalError):
            while time.monotonic() < deadline:
                conn.execute("SELECT 1")
                time.sleep(0.05)
        conn.close()
    for gateway in gateways:
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(_conninfo(gateway.pg_port, cred))
