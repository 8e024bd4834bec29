"""Queries over the models, through the engine, against DuckDB and the real PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import subprocess
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import pandas as pd
import psycopg
import pytest
import sqlalchemy as sa

from backend.semantic.model import AccessPolicy
from tests.gateway_pg.conftest import ThreadedGateway
from tests.services import PG_TEST_DSN, require_postgres

# --- DuckDB demo data --------------------------------------------------------------------------


def test_psql_aggregates_and_explain(tgw: ThreadedGateway) -> None:
    gw = tgw.gw
    out = subprocess.run(
        ["psql", gw.dsn().replace(f"password={gw.password} ", ""), "-X", "-A", "-F", "|",
         "-c", "select status, count, amount from orders group by status order by status",
         "-c", "explain select status, count from orders group by 1"],
        capture_output=True, text=True, timeout=60, env=dict(os.environ, PGPASSWORD=gw.password),
    )
    assert out.returncode == 0, out.stderr
    assert "completed|333|166833.00" in out.stdout
    assert "pending|667|333667.00" in out.stdout
    assert "COUNT(*)" in out.stdout and "main.orders" in out.stdout  # the data-source SQL


def test_psycopg_parameters_and_types(tgw: ThreadedGateway) -> None:
    with psycopg.connect(tgw.gw.dsn(), autocommit=True) as conn:
        rows = conn.execute(
            "select id, status, created_at from orders where id <= %s order by id", (2,)
        ).fetchall()
        assert rows == [(1, "pending", dt.datetime(2024, 1, 1, 1)),
                        (2, "pending", dt.datetime(2024, 1, 1, 2))]
        assert conn.execute(
            "select count(*) from orders where status = %s", ("completed",)
        ).fetchone() == (333,)


async def test_asyncpg_binary_results_and_parameters(tgw: ThreadedGateway) -> None:
    gw = tgw.gw
    conn = await asyncpg.connect(host="127.0.0.1", port=gw.port, user=gw.user,
                                 password=gw.password, database="db", ssl="require")
    try:
        rows = await conn.fetch(
            "select status, count, amount from orders where id > $1 group by 1 order by 1", 990
        )
        assert [tuple(r) for r in rows] == [("completed", 3, Decimal("2988.00")),
                                            ("pending", 7, Decimal("6967.00"))]
        ts = await conn.fetchval("select created_at from orders where id = $1", 24)
        assert ts == dt.datetime(2024, 1, 2)
    finally:
        await conn.close()


def test_pandas_read_sql(tgw: ThreadedGateway) -> None:
    engine = sa.create_engine(tgw.gw.url("postgresql+psycopg") + "?sslmode=require")
    try:
        df = pd.read_sql("select status, count(*) as count from orders group by status "
                         "order by status",
                         engine)
        assert df.to_dict("list") == {"status": ["completed", "pending"], "count": [333, 667]}
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def limited(tls_dir: Path, demo_duckdb: Path) -> Iterator[ThreadedGateway]:
    access = AccessPolicy(frozenset({"orders.status", "orders.count"}))
    t = ThreadedGateway(tls_dir, demo_duckdb, grant_options={"access": access})
    yield t
    t.close()


def test_access_policy_limits_catalog_and_queries(limited: ThreadedGateway) -> None:
    with psycopg.connect(limited.gw.dsn(), autocommit=True) as conn:
        assert conn.execute("select relname from pg_class where relkind = 'r'").fetchall() == [
            ("orders",)]
        cols = conn.execute("select column_name from information_schema.columns "
                            "order by ordinal_position").fetchall()
        assert cols == [("status",), ("count",)]
        assert conn.execute(
            "select status, count(*) from orders group by 1 order by 1").fetchall() == [
            ("completed", 333), ("pending", 667)]
        with pytest.raises(psycopg.Error) as info:
            conn.execute("select amount from orders")
        assert info.value.sqlstate in ("42703", "42501")
        with pytest.raises(psycopg.Error) as info:
            conn.execute("select count from secrets")
        assert info.value.sqlstate in ("42P01", "42501")
        # Filtering on a hidden member is refused too, not silently applied.
        with pytest.raises(psycopg.Error):
            conn.execute("select count(*) from orders where amount > 5")


def test_writes_are_refused(tgw: ThreadedGateway) -> None:
    with psycopg.connect(tgw.gw.dsn(), autocommit=True) as conn:
        for sql in ("insert into orders (id) values (1)", "drop table orders",
                    "update orders set status = 'x'"):
            with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
                conn.execute(sql)


# --- the real PostgreSQL ------------------------------------------------------------------

PG_MODEL = """
cubes:
  - name: events
    sql_table: {schema}.events
    dimensions:
      - {{ name: id, sql: id, type: number, primary_key: true }}
      - {{ name: kind, sql: kind, type: string }}
    measures:
      - {{ name: count, type: count }}
      - {{ name: total, sql: value, type: sum }}
  - name: slow
    sql: >-
      SELECT g AS id FROM generate_series(1, 3) g CROSS JOIN LATERAL (SELECT pg_sleep(30)) s
    dimensions:
      - {{ name: id, sql: id, type: number, primary_key: true }}
"""
PG_ROWS = 50_000


@pytest.fixture(scope="module")
def pg_schema() -> Iterator[str]:
    require_postgres()
    schema = "gwpg_" + secrets.token_hex(4)
    with psycopg.connect(PG_TEST_DSN, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute(
            f"CREATE TABLE {schema}.events AS SELECT g AS id, "
            f"CASE WHEN g % 2 = 0 THEN 'even' ELSE 'odd' END AS kind, g * 1.5 AS value "
            f"FROM generate_series(1, {PG_ROWS}) g"
        )
    yield schema
    with psycopg.connect(PG_TEST_DSN, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(scope="module")
def pggw(tls_dir: Path, demo_duckdb: Path, pg_schema: str) -> Iterator[ThreadedGateway]:
    params = {"host": "127.0.0.1", "port": 5432, "database": "test", "user": "postgres",
              "password": ""}
    t = ThreadedGateway(tls_dir, demo_duckdb, grant_options={
        "source_type": "POSTGRES", "source_params": params,
        "model": PG_MODEL.format(schema=pg_schema)})
    yield t
    t.close()


def test_postgres_aggregate(pggw: ThreadedGateway) -> None:
    with psycopg.connect(pggw.gw.dsn(), autocommit=True) as conn:
        rows = conn.execute(
            "select kind, count, total from events group by kind order by kind").fetchall()
        assert rows == [("even", PG_ROWS // 2, Decimal("937537500.0")),
                        ("odd", PG_ROWS // 2, Decimal("937500000.0"))]


def test_postgres_streams_every_row(pggw: ThreadedGateway) -> None:
    with psycopg.connect(pggw.gw.dsn(), autocommit=True) as conn:
        seen = 0
        last = 0
        with conn.cursor() as cur:
            for (id_,) in cur.stream("select id from events order by id"):
                seen += 1
                last = int(id_)
        assert (seen, last) == (PG_ROWS, PG_ROWS)


async def test_postgres_portal_suspension_with_asyncpg(pggw: ThreadedGateway) -> None:
    gw = pggw.gw
    conn = await asyncpg.connect(host="127.0.0.1", port=gw.port, user=gw.user,
                                 password=gw.password, database="db", ssl="require")
    try:
        async with conn.transaction():
            cur = await conn.cursor("select id from events where id <= $1 order by id", 2500)
            first = await cur.fetch(1000)
            second = await cur.fetch(1000)
            rest = await cur.fetch(1000)
        assert [r[0] for r in first + second + rest] == list(range(1, 2501))
    finally:
        await conn.close()


def test_cancel_request_stops_the_data_source_query(pggw: ThreadedGateway) -> None:
    with psycopg.connect(pggw.gw.dsn(), autocommit=True) as conn:
        # cancel_safe: the blocking conn.cancel() keeps the GIL, starving the in-process server.
        timer = threading.Timer(1.0, conn.cancel_safe)
        timer.start()
        try:
            with pytest.raises(psycopg.errors.QueryCanceled):
                conn.execute("select id from slow")
        finally:
            timer.cancel()
        # The session is still usable, and PostgreSQL is no longer running the sleep.
        assert conn.execute("select count(*) from events").fetchone() == (PG_ROWS,)
    with psycopg.connect(PG_TEST_DSN) as admin:
        running = admin.execute(
            "select count(*) from pg_stat_activity where query like '%pg_sleep(30)%' "
            "and state = 'active' and pid <> pg_backend_pid()"
        ).fetchone()
        assert running == (0,)


def test_revocation_ends_a_streaming_session(pggw: ThreadedGateway) -> None:
    gw = pggw.gw
    conn = psycopg.connect(gw.dsn(), autocommit=True)
    try:
        stream = conn.cursor().stream("select id from events order by id")
        next(stream)
        saved = gw.grants.grants[gw.user]

        def revoke() -> Any:
            del gw.grants.grants[gw.user]
            gw.server.on_grant_changed(gw.user, None)

        pggw.call(revoke)
        with pytest.raises(psycopg.OperationalError, match="terminating connection"):
            for _ in stream:
                pass
            # Rows are forwarded as the source sends them: the whole result may already sit in
            # the client's socket buffer when the revocation lands. The session is ended all
            # the same; its next statement says so.
            conn.execute("select 1")
        pggw.call(lambda: gw.grants.grants.__setitem__(gw.user, saved))
    finally:
        conn.close()
