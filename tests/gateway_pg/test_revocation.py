"""The change feed's hooks: a revoked or rotated credential ends its open sessions at once."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import subprocess
from pathlib import Path
from typing import Any

import psycopg
import pytest

from backend.core.scram import make_verifier
from tests.gateway_pg.conftest import ThreadedGateway


@pytest.fixture
def rgw(tls_dir: Path, demo_duckdb: Path) -> Any:
    t = ThreadedGateway(tls_dir, demo_duckdb)
    yield t
    t.close()


def _delete(t: ThreadedGateway) -> None:
    gw = t.gw

    def change() -> None:
        del gw.grants.grants[gw.user]  # what the feed subscriber does first ...
        gw.server.on_grant_changed(gw.user, None)  # ... then it tells the gateway

    t.call(change)


def test_deleted_credential_ends_open_psycopg_session(rgw: ThreadedGateway) -> None:
    conn = psycopg.connect(rgw.gw.dsn(), autocommit=True)
    try:
        assert conn.execute("select 1").fetchone() == (1,)
        _delete(rgw)
        with pytest.raises(psycopg.OperationalError) as info:
            conn.execute("select 1")
        assert "terminating connection" in str(info.value)
        assert getattr(info.value, "sqlstate", None) in ("57P01", None)
    finally:
        conn.close()
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(rgw.gw.dsn())
    assert rgw.call(lambda: rgw.gw.server.session_count()) == 0


def test_rotated_password_ends_sessions_and_old_password_fails(rgw: ThreadedGateway) -> None:
    gw = rgw.gw
    conn = psycopg.connect(gw.dsn(), autocommit=True)
    new_password = "rotated-" + gw.password

    def rotate() -> None:
        old = gw.grants.grants[gw.user]
        new = dataclasses.replace(old, verifier=make_verifier(new_password).encode(),
                                  revision=old.revision + 1)
        gw.grants.grants[gw.user] = new
        gw.server.on_grant_changed(gw.user, new)

    try:
        rgw.call(rotate)
        with pytest.raises(psycopg.OperationalError, match="terminating connection"):
            conn.execute("select 1")
    finally:
        conn.close()
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(gw.dsn())
    with psycopg.connect(gw.dsn().replace(gw.password, new_password)) as fresh:
        assert fresh.execute("select 1").fetchone() == (1,)


def test_new_model_version_keeps_the_session(rgw: ThreadedGateway) -> None:
    gw = rgw.gw
    with psycopg.connect(gw.dsn(), autocommit=True) as conn:
        def new_version() -> None:
            old = gw.grants.grants[gw.user]
            model = old.model_files[0][1].replace("Customer orders", "All orders")
            new = dataclasses.replace(old, model_version_id="v2", revision=old.revision + 1,
                                      model_files=(("orders.yml", model),))
            gw.grants.grants[gw.user] = new
            gw.server.on_grant_changed(gw.user, new)

        rgw.call(new_version)
        row = conn.execute("select obj_description(oid, 'pg_class') from pg_class "
                           "where relname = 'orders'").fetchone()
        assert row == ("All orders",)


def test_open_psql_session_gets_fatal(rgw: ThreadedGateway) -> None:
    gw = rgw.gw
    proc = subprocess.Popen(
        ["psql", f"host=127.0.0.1 port={gw.port} user={gw.user} dbname=db sslmode=require",
         "-X", "-q", "-A", "-t"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, PGPASSWORD=gw.password),
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write("select 'before';\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "before"
        _delete(rgw)
        out, err = proc.communicate("select 'after';\n", timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "after" not in out
    assert "FATAL:  terminating connection" in err


async def test_start_from_settings_and_session_counter(tmp_path: Path) -> None:
    from backend.core.settings import load_settings
    from gateway.server import start_pg_gateway
    from tests.gateway_common import MemoryGrants, make_grant

    class Counter:
        def __init__(self) -> None:
            self.open: dict[str, int] = {}

        def opened(self, username: str) -> None:
            self.open[username] = self.open.get(username, 0) + 1

        def closed(self, username: str) -> None:
            self.open[username] -= 1

    settings = load_settings({"DATA_DIR": str(tmp_path), "PG_PORT": "0"})
    grants = MemoryGrants()
    grants.grants["alice"] = make_grant("alice", "s3cret", tmp_path / "missing.duckdb")
    counter = Counter()
    server = await start_pg_gateway(settings, grants, session_counter=counter)
    try:
        # The self-signed pair was generated into DATA_DIR/tls and verifies as localhost.
        ca = tmp_path / "tls" / "server.crt"
        conn = await psycopg.AsyncConnection.connect(
            f"host=localhost port={server.port} user=alice password=s3cret dbname=db "
            f"sslmode=verify-full sslrootcert={ca}")
        assert counter.open == {"alice": 1}
        await conn.close()
        for _ in range(1000):  # the server notices the close on its next loop turns
            if counter.open["alice"] == 0:
                break
            await asyncio.sleep(0.01)
        assert counter.open == {"alice": 0}
    finally:
        await server.stop()
