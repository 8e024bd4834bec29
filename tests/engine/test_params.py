"""Client parameters survive compilation as bound parameters in each target's style, and
bind correctly on the real engines (asyncpg ``$n``, PyMySQL/aiomysql ``%s``, DuckDB ``?``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from backend.core.errors import InvalidInput
from backend.semantic.model import ALLOW_ALL
from gateway.engine import compile_query
from tests.services import PG_TEST_DSN, require_mariadb, require_postgres

from .engines import DuckRunner, MariaRunner, PostgresRunner, normalise_rows
from .models import demo_models

# (client dialect, query, parameters, reference with the values written in)
CASES: list[tuple[str, str, tuple[Any, ...], str]] = [
    ("postgres", "SELECT status, COUNT(*) FROM orders WHERE created_at >= $1",
     (dt.datetime(2024, 6, 1),),
     "SELECT status, COUNT(*) FROM {s}orders WHERE created_at >= '2024-06-01' GROUP BY 1"),
    ("postgres", "SELECT COUNT(*) FROM orders WHERE status = $2 AND amount_value > $1",
     (200, "shipped"),
     "SELECT COUNT(*) FROM {s}orders WHERE status = 'shipped' AND amount > 200"),
    ("postgres", "SELECT COUNT(*) FROM orders WHERE amount_value > $1 OR customer_id = $1",
     (100,), "SELECT COUNT(*) FROM {s}orders WHERE amount > 100 OR customer_id = 100"),
    ("postgres", "SELECT DISTINCT status FROM orders ORDER BY status LIMIT $1 OFFSET $2", (2, 1),
     "SELECT DISTINCT status FROM {s}orders ORDER BY status LIMIT 2 OFFSET 1"),
    ("postgres", "SELECT COUNT(*) FROM orders WHERE status IN ($1, $2)",
     ("shipped", "canceled"),
     "SELECT COUNT(*) FROM {s}orders WHERE status IN ('shipped', 'canceled')"),
    ("postgres", "SELECT status FROM orders GROUP BY 1 HAVING COUNT(*) > $1", (150,),
     "SELECT status FROM {s}orders GROUP BY 1 HAVING COUNT(*) > 150"),
    ("postgres",
     "SELECT orders.status, MEASURE(orders.amount), MEASURE(order_items.quantity) "
     "FROM orders CROSS JOIN order_items WHERE orders.status <> $1",
     ("canceled",),
     "SELECT a.status, a.amount, b.q FROM (SELECT status, SUM(amount) AS amount "
     "FROM {s}orders WHERE status <> 'canceled' GROUP BY status) a JOIN (SELECT o.status, "
     "SUM(oi.quantity) AS q FROM {s}orders o LEFT JOIN {s}order_items oi ON oi.order_id = o.id "
     "WHERE o.status <> 'canceled' GROUP BY o.status) b ON a.status = b.status"),
    ("postgres",
     "SELECT COUNT(*) FROM customers WHERE name LIKE 'customer 1%' AND country = $1", ("DE",),
     "SELECT COUNT(*) FROM {s}customers WHERE name LIKE 'customer 1%' AND country = 'DE'"),
    ("postgres",
     "SELECT * FROM (SELECT status, COUNT(*) AS n FROM orders WHERE amount_value > $1) t "
     "WHERE n > $2", (100, 120),
     "SELECT status, COUNT(*) FROM {s}orders WHERE amount > 100 GROUP BY 1 HAVING COUNT(*) > 120"),
    ("mysql", "SELECT status, COUNT(*) FROM orders WHERE created_at >= ? AND status <> ? "
     "GROUP BY 1", (dt.datetime(2024, 1, 1), "completed"),
     "SELECT status, COUNT(*) FROM {s}orders WHERE created_at >= '2024-01-01' "
     "AND status <> 'completed' GROUP BY 1"),
    ("mysql", "SELECT DISTINCT status FROM orders ORDER BY status LIMIT ?, ?", (1, 2),
     "SELECT DISTINCT status FROM {s}orders ORDER BY status LIMIT 2 OFFSET 1"),
    ("mysql", "SELECT COUNT(*) FROM customers WHERE name LIKE 'customer 1%' AND country = ?",
     ("FR",),
     "SELECT COUNT(*) FROM {s}customers WHERE name LIKE 'customer 1%' AND country = 'FR'"),
]
IDS = [f"{c[0]}:{c[1][:60]}" for c in CASES]


@pytest.fixture(scope="module")
def duck() -> Iterator[DuckRunner]:
    runner = DuckRunner()
    yield runner
    runner.close()


@pytest.fixture(scope="module")
def mariadb() -> Iterator[MariaRunner]:
    require_mariadb()
    runner = MariaRunner()
    yield runner
    runner.close()


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresRunner]:
    require_postgres()
    runner = PostgresRunner(PG_TEST_DSN)
    yield runner
    runner.close()


def _ordered(query: str) -> bool:
    return "ORDER BY" in query


@pytest.mark.parametrize(("client", "query", "params", "reference"), CASES, ids=IDS)
def test_duckdb_binds(
    duck: DuckRunner, client: str, query: str, params: tuple[Any, ...], reference: str
) -> None:
    compiled = compile_query(query, client_dialect=client, models=demo_models("demo"),  # type: ignore[arg-type]
                             access=ALLOW_ALL, target_dialect="duckdb")
    assert compiled.sql.count("?") == len(compiled.param_order)
    actual = duck.run(compiled.sql, compiled.bind(params))
    expected = duck.run(reference.replace("{s}", "demo."))
    assert normalise_rows(actual, _ordered(query)) == normalise_rows(expected, _ordered(query))


@pytest.mark.mariadb
@pytest.mark.parametrize(("client", "query", "params", "reference"), CASES, ids=IDS)
def test_mariadb_binds(
    mariadb: MariaRunner, client: str, query: str, params: tuple[Any, ...], reference: str
) -> None:
    compiled = compile_query(query, client_dialect=client,  # type: ignore[arg-type]
                             models=demo_models(mariadb.schema), access=ALLOW_ALL,
                             target_dialect="mysql")
    actual = mariadb.run(compiled.sql, compiled.bind(params))
    expected = mariadb.run(reference.replace("{s}", f"{mariadb.schema}.").replace("%", "%%"), ())
    assert normalise_rows(actual, _ordered(query)) == normalise_rows(expected, _ordered(query))


@pytest.mark.postgres
async def test_postgres_binds_with_asyncpg(postgres: PostgresRunner) -> None:
    import asyncpg

    connection = await asyncpg.connect(PG_TEST_DSN)
    try:
        for client, query, params, reference in CASES:
            compiled = compile_query(query, client_dialect=client,  # type: ignore[arg-type]
                                     models=demo_models(postgres.schema), access=ALLOW_ALL,
                                     target_dialect="postgres")
            rows = await connection.fetch(compiled.sql, *compiled.bind(params))
            actual = [tuple(r.values()) for r in rows]
            expected = postgres.run(reference.replace("{s}", f"{postgres.schema}."))
            assert normalise_rows(actual, _ordered(query)) == normalise_rows(
                expected, _ordered(query)
            ), (query, compiled.sql)
    finally:
        await connection.close()


def test_bind_checks_the_count() -> None:
    compiled = compile_query("SELECT COUNT(*) FROM orders WHERE status = $1",
                             client_dialect="postgres", models=demo_models("demo"),
                             access=ALLOW_ALL, target_dialect="duckdb")
    with pytest.raises(InvalidInput):
        compiled.bind(())
    assert compiled.param_count == 1
    assert compiled.param_types == ("text",)


def test_percent_is_only_doubled_with_parameters() -> None:
    query = "SELECT COUNT(*) FROM customers WHERE name LIKE 'c%'"
    plain = compile_query(query, client_dialect="postgres", models=demo_models("demo"),
                          access=ALLOW_ALL, target_dialect="mysql")
    assert "'c%'" in plain.sql
    with_param = compile_query(query + " AND city = $1", client_dialect="postgres",
                               models=demo_models("demo"), access=ALLOW_ALL,
                               target_dialect="mysql")
    assert "'c%%'" in with_param.sql and with_param.sql.endswith("= %s")


def test_nul_in_client_sql_is_refused() -> None:
    from backend.core.errors import SqlSyntaxError

    with pytest.raises(SqlSyntaxError):
        compile_query("SELECT COUNT(*) FROM orders WHERE status = '\x000\x00'",
                      client_dialect="postgres", models=demo_models("demo"),
                      access=ALLOW_ALL, target_dialect="mysql")
