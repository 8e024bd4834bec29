"""The generated demo data set with scaffolded models, and MariaDB as a data source."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator
from pathlib import Path

import duckdb
import psycopg
import pymysql
import pytest

from backend.connectors.demo import write_duckdb
from backend.connectors.duckdb import DuckDBConnector
from backend.semantic.scaffold import generate_models
from tests.gateway_pg.conftest import ThreadedGateway
from tests.services import MARIADB_HOST, MARIADB_PORT, require_mariadb


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, tls_dir: Path) -> Iterator[ThreadedGateway]:
    path = write_duckdb(tmp_path_factory.mktemp("demo") / "demo.duckdb", order_items=3000)

    async def scaffold() -> dict[str, str]:
        connector = DuckDBConnector(path)
        try:
            return generate_models(await connector.list_tables(), dialect="duckdb")
        finally:
            await connector.close()

    files = asyncio.run(scaffold())
    t = ThreadedGateway(tls_dir, path, grant_options={"model_files": files})
    t.demo_path = path  # type: ignore[attr-defined]
    yield t
    t.close()


def test_scaffolded_demo_models_answer_like_the_source(demo: ThreadedGateway) -> None:
    con = duckdb.connect(str(demo.demo_path), read_only=True)  # type: ignore[attr-defined]
    try:
        expected = con.execute(
            "select status, count(*), sum(amount) from orders group by 1 order by 1").fetchall()
    finally:
        con.close()
    with psycopg.connect(demo.gw.dsn(), autocommit=True) as conn:
        tables = [r[0] for r in conn.execute(
            "select table_name from information_schema.tables order by 1").fetchall()]
        assert tables == ["customers", "order_items", "orders", "products"]
        got = conn.execute(
            "select status, count, amount from orders group by 1 order by 1").fetchall()
    assert [(s, c, a) for s, c, a in got] == [(s, c, a) for s, c, a in expected]


@pytest.fixture(scope="module")
def mariadb_gw(tls_dir: Path, demo_duckdb: Path) -> Iterator[ThreadedGateway]:
    require_mariadb()
    table = "gwpg_" + secrets.token_hex(4)
    conn = pymysql.connect(host=MARIADB_HOST, port=MARIADB_PORT, user="root", password="",
                           database="test", autocommit=True)
    try:
        with conn.cursor() as cur:
            cur.execute(f"CREATE TABLE {table} (id INT PRIMARY KEY, city VARCHAR(20), "
                        "amount DECIMAL(10,2))")
            cur.execute(f"INSERT INTO {table} VALUES (1, 'Paris', 10.50), (2, 'Paris', 4.25), "
                        "(3, 'Oslo', 1.00)")
        model = f"""
cubes:
  - name: sales
    sql_table: test.{table}
    dimensions:
      - {{ name: id, sql: id, type: number, primary_key: true }}
      - {{ name: city, sql: city, type: string }}
    measures:
      - {{ name: count, type: count }}
      - {{ name: amount, sql: amount, type: sum }}
"""
        params = {"host": MARIADB_HOST, "port": MARIADB_PORT, "database": "test",
                  "user": "root", "password": ""}
        t = ThreadedGateway(tls_dir, demo_duckdb, grant_options={
            "source_type": "MYSQL", "source_params": params, "model": model})
        yield t
        t.close()
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {table}")
        conn.close()


def test_mariadb_source_through_postgres_clients(mariadb_gw: ThreadedGateway) -> None:
    from decimal import Decimal

    with psycopg.connect(mariadb_gw.gw.dsn(), autocommit=True) as conn:
        rows = conn.execute(
            "select city, count, amount from sales group by city order by city").fetchall()
        assert rows == [("Oslo", 1, Decimal("1.00")), ("Paris", 2, Decimal("14.75"))]
        assert conn.execute(
            "select count(*) from sales where city = %s", ("Paris",)).fetchone() == (2,)
