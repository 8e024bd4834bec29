"""``GATEWAY_PROCESSES=2``: two gateway processes share the wire ports (SO_REUSEPORT), each
following the change feed, so a revocation ends the sessions held by either process; each
serves its own /metrics (the second on ``WEB_PORT + 1``), so the sessions of both are seen.

Real processes on loopback: ``serve --only web`` and ``serve --only gateway`` with two gateway
processes, against a PostgreSQL metadata database. Which process holds a session is read from
/proc (the owner of the accepted socket), so the test knows both processes serve sessions.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from tests.system.conftest import ROOT, Server, free_port
from tests.system.test_psql_walkthrough import DELETE, new_credential
from tests.system.test_topology import Proc, _conninfo, _start, _stop

SESSIONS = 16


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = {pid}, [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.add(child)
            todo.append(child)
    return out


def _tcp(port: int) -> list[tuple[int, str, int]]:
    """(remote port, state, inode) of the sockets whose local port is ``port``."""
    rows = []
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(name) as f:
            for line in f.readlines()[1:]:
                parts = line.split()
                local, remote, state, inode = parts[1], parts[2], parts[3], int(parts[9])
                if int(local.rsplit(":", 1)[1], 16) == port:
                    rows.append((int(remote.rsplit(":", 1)[1], 16), state, inode))
    return rows


def _socket_owners(pids: set[int]) -> dict[int, int]:
    owners: dict[int, int] = {}
    for pid in pids:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    owners[int(target[8:-1])] = pid
        except OSError:
            continue
    return owners


@pytest.fixture(scope="module")
def two_process_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Proc, Proc]]:
    from tests.conftest import _create_pg_database, _drop_pg_database
    from tests.services import require_postgres

    require_postgres()
    name, url = _create_pg_database()
    data_dir = tmp_path_factory.mktemp("processes")
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": url,
        "SECRET_KEY": "processes-test-secret-" + "k" * 30,
        "DEMO_ORDER_ITEMS": "3000",
        "SHUTDOWN_GRACE_SECONDS": "1",
        "LOG_FORMAT": "json",
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
        procs.append(
            _start(
                "gateway",
                ["--only", "gateway", "--no-migrate"],
                {**env, "GATEWAY_PROCESSES": "2"},
                data_dir,
                web=_free_port_pair(),
            )
        )
        gateway = procs[1]
        deadline = time.monotonic() + 60
        while sum(1 for _, state, _ in _tcp(gateway.pg_port) if state == "0A") < 2:
            if time.monotonic() > deadline:
                pytest.fail(
                    "the second gateway process never listened:\n" + gateway.log.read_text()[-3000:]
                )
            time.sleep(0.2)
        while not _ready(_second_ops_url(gateway)):
            if time.monotonic() > deadline:
                pytest.fail(
                    "the second gateway process never served /readyz:\n"
                    + gateway.log.read_text()[-3000:]
                )
            time.sleep(0.2)
        yield procs[0], gateway
    finally:
        for proc in reversed(procs):
            _stop(proc)
        _drop_pg_database(name)


def test_a_revocation_ends_sessions_on_both_gateway_processes(
    two_process_gateway: tuple[Proc, Proc],
) -> None:
    web, gateway = two_process_gateway
    site = Server(web.ops_url, 0, 0, web.log.parent, web.log)
    cred: dict[str, Any] = new_credential(site)
    sessions = [
        psycopg.connect(_conninfo(gateway.pg_port, cred), autocommit=True) for _ in range(SESSIONS)
    ]
    try:
        for conn in sessions:
            total = conn.execute("SELECT MEASURE(count) FROM orders").fetchone()
            assert total is not None and total[0] > 0
        holders = _holders(gateway, sessions)
        assert len(holders) == 2, holders
        with site.client() as http:
            http.cookies.update(cred["http_cookies"])
            r = site.gql(http, DELETE, input={"id": cred["credential"]["id"]})
            assert r["deleteSqlCredential"]["__typename"] == "SqlCredential", r
        for conn in sessions:
            deadline = time.monotonic() + 10
            with pytest.raises(psycopg.OperationalError, match="terminating connection"):
                while time.monotonic() < deadline:
                    conn.execute("SELECT 1")
                    time.sleep(0.05)
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            psycopg.connect(_conninfo(gateway.pg_port, cred))
    finally:
        for conn in sessions:
            conn.close()


def _local_port(conn: psycopg.Connection[Any]) -> int:
    import socket

    sock = socket.socket(fileno=os.dup(conn.pgconn.socket))
    try:
        return int(sock.getsockname()[1])
    finally:
        sock.close()


def test_each_gateway_process_reports_its_own_sessions(
    two_process_gateway: tuple[Proc, Proc],
) -> None:
    web, gateway = two_process_gateway
    site = Server(web.ops_url, 0, 0, web.log.parent, web.log)
    cred: dict[str, Any] = new_credential(site)
    sessions = [
        psycopg.connect(_conninfo(gateway.pg_port, cred), autocommit=True) for _ in range(SESSIONS)
    ]
    try:
        for conn in sessions:
            conn.execute("SELECT MEASURE(count) FROM orders").fetchone()
        holders = _holders(gateway, sessions)
        assert len(holders) == 2, holders
        first = gateway.popen.pid
        (second,) = set(holders) - {first}
        reported = {
            first: _sample(gateway.ops_url, 'metricsql_sessions{protocol="postgres"}'),
            second: _sample(_second_ops_url(gateway), 'metricsql_sessions{protocol="postgres"}'),
        }
        assert reported == {pid: float(n) for pid, n in holders.items()}
        # Each process counts the statements it ran; together, every one of them.
        engine = 'metricsql_statements_total{kind="engine",protocol="postgres"}'
        assert (
            _sample(gateway.ops_url, engine) + _sample(_second_ops_url(gateway), engine)
        ) >= SESSIONS
        assert _sample(_second_ops_url(gateway), "process_resident_memory_bytes") > 0
    finally:
        for conn in sessions:
            conn.close()


def _holders(gateway: Proc, sessions: list[psycopg.Connection[Any]]) -> dict[int, int]:
    """Sessions per gateway process: the owner of the server side of each one's socket."""
    owners = _socket_owners(_descendants(gateway.popen.pid))
    client_ports = {_local_port(conn) for conn in sessions}
    counts: dict[int, int] = {}
    for remote, state, inode in _tcp(gateway.pg_port):
        if state == "01" and remote in client_ports and inode in owners:
            counts[owners[inode]] = counts.get(owners[inode], 0) + 1
    return counts


def _free_port_pair() -> int:
    """A free port whose successor is free too (the second process's WEB_PORT + 1)."""
    import socket

    for _ in range(50):
        port = free_port()
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise AssertionError("no two adjacent free ports")


def _second_ops_url(gateway: Proc) -> str:
    return gateway.ops_url.rsplit(":", 1)[0] + f":{int(gateway.ops_url.rsplit(':', 1)[1]) + 1}"


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _sample(url: str, sample: str) -> float:
    """One sample of a process's /metrics, by its name and labels as exposed (0 if absent)."""
    for line in httpx.get(f"{url}/metrics", timeout=10).text.splitlines():
        if line.startswith(sample + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0
