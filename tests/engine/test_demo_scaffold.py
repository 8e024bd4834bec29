"""End to end over the product's own pieces: the demo data set (backend/connectors/demo.py)
written to DuckDB, models scaffolded from its tables (backend/semantic/scaffold.py), queries
compiled by the engine and run through the DuckDB connector, compared with hand-written SQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backend.connectors.demo import write_duckdb
from backend.connectors.duckdb import DuckDBConnector
from backend.semantic.model import ALLOW_ALL
from backend.semantic.scaffold import generate_models
from backend.semantic.validate import load_models
from gateway.engine import compile_query

from .engines import normalise_rows

CASES = [
    ("SELECT status, COUNT(*), SUM(amount) FROM orders",
     "SELECT status, COUNT(*), SUM(amount) FROM orders GROUP BY status"),
    ("SELECT DATE_TRUNC('quarter', created_at) AS q, MEASURE(amount) FROM orders "
     "WHERE status IN ('completed', 'shipped')",
     "SELECT DATE_TRUNC('quarter', created_at), SUM(amount) FROM orders "
     "WHERE status IN ('completed', 'shipped') GROUP BY 1"),
    ("SELECT customers.country, MEASURE(orders.count) FROM orders CROSS JOIN customers "
     "ORDER BY 2 DESC, 1 LIMIT 5",
     "SELECT c.country, COUNT(*) FROM orders o JOIN customers c ON c.id = o.customer_id "
     "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5"),
    # Fan-out: the sum of order amounts must not be repeated per order item.
    ("SELECT orders.status, MEASURE(orders.amount), MEASURE(order_items.quantity) "
     "FROM order_items CROSS JOIN orders",
     "SELECT a.status, a.amount, b.q FROM (SELECT status, SUM(amount) AS amount FROM orders "
     "WHERE id IN (SELECT order_id FROM order_items) GROUP BY status) a JOIN (SELECT o.status, "
     "SUM(i.quantity) AS q FROM order_items i JOIN orders o ON o.id = i.order_id "
     "GROUP BY o.status) b ON a.status = b.status"),
    ("SELECT products.category, MEASURE(order_items.count) FROM order_items "
     "JOIN products ON order_items.__cubeJoinField = products.__cubeJoinField",
     "SELECT p.category, COUNT(*) FROM order_items i JOIN products p ON p.id = i.product_id "
     "GROUP BY 1"),
]


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_duckdb(tmp_path_factory.mktemp("demo") / "demo.duckdb", order_items=3000)


async def _rows(connector: DuckDBConnector, sql: str) -> list[tuple[Any, ...]]:
    result = await connector.execute(sql)
    rows: list[tuple[Any, ...]] = []
    try:
        async for batch in result.rows():
            rows.extend(tuple(r) for r in batch)
    finally:
        await result.close()
    return rows


async def test_engine_over_scaffolded_demo(demo_path: Path) -> None:
    connector = DuckDBConnector(demo_path)
    try:
        models = load_models(generate_models(await connector.list_tables(), dialect="duckdb"))
        for query, reference in CASES:
            compiled = compile_query(query, client_dialect="postgres", models=models,
                                     access=ALLOW_ALL, target_dialect="duckdb")
            ordered = "ORDER BY" in query
            actual = normalise_rows(await _rows(connector, compiled.sql), ordered)
            expected = normalise_rows(await _rows(connector, reference), ordered)
            assert actual and actual == expected, (query, compiled.sql)
    finally:
        await connector.close()
