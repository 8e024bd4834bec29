"""A sum over orders joined to their order items equals the sum over orders alone."""

from __future__ import annotations

import pytest

from backend.semantic.model import ALLOW_ALL
from gateway.engine import compile_query
from tests.services import PG_TEST_DSN, require_mariadb, require_postgres

from .engines import DuckRunner, MariaRunner, PostgresRunner, Runner, normalise_rows
from .models import demo_models

ALONE = "SELECT status, MEASURE(amount), MEASURE(count), MEASURE(avg_amount) FROM orders"
JOINED = (
    "SELECT orders.status, MEASURE(orders.amount), MEASURE(orders.count), "
    "MEASURE(orders.avg_amount) FROM orders JOIN order_items "
    "ON orders.__cubeJoinField = order_items.__cubeJoinField"
)
TOTAL_ALONE = "SELECT MEASURE(amount) FROM orders"
TOTAL_JOINED = "SELECT MEASURE(orders.amount), MEASURE(order_items.quantity) FROM orders " \
    "CROSS JOIN order_items"


def _run(runner: Runner, sql: str) -> list[tuple[object, ...]]:
    compiled = compile_query(sql, client_dialect="postgres", models=demo_models(runner.schema),
                             access=ALLOW_ALL, target_dialect=runner.engine)  # type: ignore[arg-type]
    return normalise_rows(runner.run(compiled.sql), ordered=False)


def _check(runner: Runner) -> None:
    assert _run(runner, ALONE) == _run(runner, JOINED)
    total = _run(runner, TOTAL_ALONE)[0][0]
    joined_total, quantity = _run(runner, TOTAL_JOINED)[0]
    assert joined_total == total
    naive = normalise_rows(
        runner.run(
            f"SELECT SUM(o.amount) FROM {runner.schema}.orders o "
            f"JOIN {runner.schema}.order_items i ON i.order_id = o.id"
        ),
        ordered=False,
    )[0][0]
    assert naive != total, "the data must fan out for this test to mean anything"
    assert quantity == normalise_rows(
        runner.run(f"SELECT SUM(quantity) FROM {runner.schema}.order_items"), ordered=False
    )[0][0]


def test_fanout_duckdb() -> None:
    runner = DuckRunner()
    try:
        _check(runner)
    finally:
        runner.close()


@pytest.mark.postgres
def test_fanout_postgres() -> None:
    require_postgres()
    runner = PostgresRunner(PG_TEST_DSN)
    try:
        _check(runner)
    finally:
        runner.close()


@pytest.mark.mariadb
def test_fanout_mariadb() -> None:
    require_mariadb()
    runner = MariaRunner()
    try:
        _check(runner)
    finally:
        runner.close()
