"""SQL that BI tools and notebooks send, over the wire, answered as PostgreSQL answers it.

A cube over a real PostgreSQL table, queried through the gateway by real clients (psycopg 3,
SQLAlchemy with psycopg 3); every answer is compared with the same statement run directly on
PostgreSQL over the table (the rule of docs/engine.md: SQL's meaning over the rows).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa

from tests.gateway_pg.conftest import ThreadedGateway
from tests.services import PG_TEST_DSN, require_postgres

MODEL = """
cubes:
  - name: orders
    sql_table: {schema}.orders
    dimensions:
      - {{ name: id, sql: id, type: number, primary_key: true }}
      - {{ name: status, sql: status, type: string }}
      - {{ name: customer_id, sql: customer_id, type: number }}
      - {{ name: created_at, sql: created_at, type: time }}
    measures:
      - {{ name: count, type: count }}
      - {{ name: amount, sql: amount, type: sum }}
      - {{ name: average, sql: "{{amount}} / NULLIF({{count}}, 0)", type: number }}
    segments:
      - {{ name: big, sql: "{{CUBE}}.amount > 300" }}
"""
ROWS = 500


@pytest.fixture(scope="module")
def schema() -> Iterator[str]:
    require_postgres()
    name = "gwbi_" + secrets.token_hex(4)
    with psycopg.connect(PG_TEST_DSN, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
        conn.execute(
            f"CREATE TABLE {name}.orders AS SELECT g AS id, "
            f"(ARRAY['completed', 'pending', 'canceled'])[g % 3 + 1] AS status, "
            f"CASE WHEN g % 7 = 0 THEN NULL ELSE g % 40 END AS customer_id, "
            f"TIMESTAMP '2024-01-01' + g * INTERVAL '5 hours' AS created_at, "
            f"CAST(g * 1.25 AS NUMERIC(12, 2)) AS amount, "
            # The cube's count column, as the table shaped like the cube has it (1 per row).
            f"1 AS count FROM generate_series(1, {ROWS}) g"
        )
    yield name
    with psycopg.connect(PG_TEST_DSN, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {name} CASCADE")


@pytest.fixture(scope="module")
def gw(tls_dir: Path, demo_duckdb: Path, schema: str) -> Iterator[ThreadedGateway]:
    params = {"host": "127.0.0.1", "port": 5432, "database": "test", "user": "postgres",
              "password": ""}
    t = ThreadedGateway(tls_dir, demo_duckdb, grant_options={
        "source_type": "POSTGRES", "source_params": params, "model": MODEL.format(schema=schema)})
    yield t
    t.close()


def _both(gw: ThreadedGateway, schema: str, sql: str,
          params: tuple[Any, ...] = ()) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Rows of ``sql`` through the gateway and directly on PostgreSQL (``orders`` read from
    the test schema there), both sorted unless the statement orders them."""
    with psycopg.connect(gw.gw.dsn(), autocommit=True) as conn:
        got = conn.execute(sql.encode(), params).fetchall()
    with psycopg.connect(PG_TEST_DSN, autocommit=True) as conn:
        conn.execute(f"SET search_path TO {schema}")
        conn.execute("SET TIME ZONE 'UTC'")
        direct = sql.replace('"public"."orders"', f'"{schema}"."orders"')
        want = conn.execute(direct.encode(), params).fetchall()
    if "order by" not in sql.lower():
        got, want = sorted(got, key=repr), sorted(want, key=repr)
    return got, want


# Shapes as the tools send them (names adapted to the cube).
STATEMENTS = {
    # DuckDB's ATTACH ... (TYPE postgres) pushes the projection down and aggregates itself.
    "duckdb pushdown then aggregate":
        'SELECT status, count(*), avg(amount) FROM (SELECT "status", "amount" FROM '
        '"public"."orders") t GROUP BY 1',
    # Power BI DirectQuery wraps the table and sums a cast.
    "power bi directquery":
        'select "_"."status", sum(cast("_"."amount" as decimal)) as "a0", count(1) as "a1" '
        'from (select "status", "amount" from "public"."orders" "$Table") "_" '
        'group by "_"."status"',
    # Metabase's table browser.
    "metabase table view":
        'SELECT "public"."orders"."id" AS "id", "public"."orders"."status" AS "status", '
        '"public"."orders"."amount" AS "amount" FROM "public"."orders" '
        'ORDER BY "public"."orders"."id" ASC LIMIT 2000',
    # Tableau: COUNT(DISTINCT ...), a HAVING probe, SUM over a measure column.
    "tableau count distinct":
        'SELECT "orders"."status" AS "status", COUNT(DISTINCT "orders"."customer_id") AS '
        '"ctd:customer_id:ok" FROM "public"."orders" "orders" GROUP BY 1',
    "tableau having probe":
        'SELECT "orders"."status" AS "status" FROM "public"."orders" "orders" GROUP BY 1 '
        'HAVING (COUNT(1) > 0)',
    "tableau sum of count":
        'SELECT SUM("orders"."count") AS "sum:count:ok", SUM("orders"."amount") AS '
        '"sum:amount:ok" FROM "public"."orders" "orders"',
    # Looker Studio / Sigma: raw rows with a filter and an aggregate over a window.
    "raw rows filtered":
        "SELECT id, status, amount FROM orders WHERE amount > 300 AND status <> 'canceled' "
        "ORDER BY id",
    "aggregate filter clause":
        "SELECT status, count(*) FILTER (WHERE amount > 100) AS big FROM orders GROUP BY 1",
    "window over grouped":
        "SELECT status, sum(amount) AS total, rank() OVER (ORDER BY sum(amount) DESC) AS r "
        "FROM orders GROUP BY status",
    "running total":
        "SELECT id, sum(amount) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND "
        "CURRENT ROW) AS running FROM orders ORDER BY id LIMIT 50",
    "rollup":
        "SELECT status, count(*), sum(amount) FROM orders GROUP BY ROLLUP (status)",
    "top-n join":
        "SELECT o.status, sum(o.amount) FROM orders o JOIN (SELECT customer_id, "
        "sum(amount) AS s FROM orders WHERE customer_id IS NOT NULL GROUP BY 1 "
        "ORDER BY 2 DESC, 1 LIMIT 5) t ON o.customer_id = t.customer_id GROUP BY 1",
    # Superset: every chart with a time range filters with TO_TIMESTAMP(..., format).
    "superset time range":
        "SELECT DATE_TRUNC('day', created_at) AS __timestamp, COUNT(*) AS count FROM orders "
        "WHERE created_at >= TO_TIMESTAMP('2024-01-10 00:00:00.000000', "
        "'YYYY-MM-DD HH24:MI:SS.US') AND created_at < TO_TIMESTAMP('2024-02-01 "
        "00:00:00.000000', 'YYYY-MM-DD HH24:MI:SS.US') GROUP BY DATE_TRUNC('day', created_at) "
        "ORDER BY count DESC, __timestamp LIMIT 10000",
    "distinct raw":
        "SELECT DISTINCT status FROM orders",
}


@pytest.mark.parametrize("title", list(STATEMENTS))
def test_bi_statement_answers_like_postgres(gw: ThreadedGateway, schema: str,
                                            title: str) -> None:
    got, want = _both(gw, schema, STATEMENTS[title])
    assert got == want


def test_raw_select_is_every_row_not_groups(gw: ThreadedGateway, schema: str) -> None:
    # The silent wrong answer of the first version: this returned one row per status.
    got, want = _both(gw, schema, "SELECT status, amount FROM orders")
    assert len(got) == ROWS and got == want


def test_sqlalchemy_core_with_psycopg3_limit(gw: ThreadedGateway, schema: str) -> None:
    """SQLAlchemy 2 with psycopg 3 renders ``.limit(n)`` as a bound ``%(param_1)s::INTEGER``
    and groups with func.count(); the same Core statement runs on both."""
    gateway = sa.create_engine(gw.gw.url("postgresql+psycopg"))
    direct = sa.create_engine(PG_TEST_DSN.replace("postgresql://", "postgresql+psycopg://"))
    results = []
    for engine, table_schema in ((gateway, None), (direct, schema)):
        orders = sa.Table(
            "orders", sa.MetaData(), sa.Column("id", sa.Integer), sa.Column("status", sa.Text),
            sa.Column("amount", sa.Numeric), schema=table_schema,
        )
        grouped = (
            sa.select(orders.c.status, sa.func.count().label("n"),
                      sa.func.sum(orders.c.amount).label("total"))
            .group_by(orders.c.status).order_by(sa.desc("n"), orders.c.status).limit(2)
        )
        raw = sa.select(orders.c.id, orders.c.amount).order_by(orders.c.id).limit(5).offset(3)
        with engine.connect() as conn:
            results.append((conn.execute(grouped).all(), conn.execute(raw).all()))
        engine.dispose()
    assert results[0] == results[1]
    assert results[0][1][0] == (4, Decimal("5.00"))


def test_reflect_then_select_every_column(gw: ThreadedGateway) -> None:
    """SQLAlchemy's reflection and pandas.read_sql_table select every column the catalog
    lists: exactly what SELECT * returns (no __cubeJoinField; the number measure, which has
    no value per row, is named in the table comment instead)."""
    import pandas as pd

    engine = sa.create_engine(gw.gw.url("postgresql+psycopg"))
    try:
        orders = sa.Table("orders", sa.MetaData(), autoload_with=engine)
        assert [c.name for c in orders.columns] == [
            "id", "status", "customer_id", "created_at", "count", "amount", "big"]
        with engine.connect() as conn:
            rows = conn.execute(sa.select(orders).order_by(orders.c.id)).all()
            star = conn.execute(sa.text("SELECT * FROM orders ORDER BY id")).all()
            comment = sa.inspect(conn).get_table_comment("orders")["text"]
        assert len(rows) == ROWS and rows == star
        assert rows[0][-3:] == (1, Decimal("1.25"), False)
        assert "average" in str(comment)
        frame = pd.read_sql_table("orders", engine)
        assert list(frame.columns) == [c.name for c in orders.columns] and len(frame) == ROWS
    finally:
        engine.dispose()
