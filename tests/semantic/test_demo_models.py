"""The models generated for the real demo data set, checked field by field.

The demo file is written by the product's generator, introspected by the DuckDB connector and
scaffolded exactly as "Use demo data" does; every cube's members, types, keys and joins are
compared with what Cube's scaffolding rules give for these tables.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from backend.connectors.base import TableInfo
from backend.connectors.demo import write_duckdb
from backend.connectors.duckdb import DuckDBConnector
from backend.semantic.model import Cube, ModelSet
from backend.semantic.scaffold import generate_models, table_columns
from backend.semantic.validate import load_models


@pytest.fixture(scope="module")
def demo_models(tmp_path_factory: pytest.TempPathFactory) -> ModelSet:
    path = write_duckdb(tmp_path_factory.mktemp("demo") / "demo.duckdb", order_items=500)

    async def introspect() -> list[TableInfo]:
        connector = DuckDBConnector(Path(path))
        try:
            return await connector.list_tables()
        finally:
            await connector.close()

    tables = asyncio.run(introspect())
    files = generate_models(tables, dialect="duckdb")
    assert sorted(files) == ["customers.yml", "order_items.yml", "orders.yml", "products.yml"]
    return load_models(files, columns=table_columns(tables))


def dims(cube: Cube) -> dict[str, tuple[str, bool]]:
    return {d.name: (d.type, d.primary_key) for d in cube.dimensions}


def measures(cube: Cube) -> dict[str, tuple[str, str | None]]:
    return {m.name: (m.type, m.sql) for m in cube.measures}


def joins(cube: Cube) -> dict[str, tuple[str, str]]:
    return {j.name: (j.relationship, j.sql) for j in cube.joins}


def test_customers(demo_models: ModelSet) -> None:
    c = demo_models.cubes["customers"]
    assert c.sql_table == "main.customers"
    assert dims(c) == {"id": ("number", True), "name": ("string", False),
                       "email": ("string", False), "city": ("string", False),
                       "country": ("string", False), "segment": ("string", False),
                       "is_vip": ("boolean", False), "created_at": ("time", False)}
    assert measures(c) == {"count": ("count", None)}
    assert joins(c) == {}


def test_products(demo_models: ModelSet) -> None:
    c = demo_models.cubes["products"]
    assert dims(c) == {"id": ("number", True), "name": ("string", False),
                       "category": ("string", False), "brand": ("string", False),
                       "is_active": ("boolean", False), "created_at": ("time", False)}
    assert measures(c) == {"count": ("count", None), "price": ("sum", "price"),
                           "cost": ("sum", "cost")}


def test_orders(demo_models: ModelSet) -> None:
    c = demo_models.cubes["orders"]
    assert dims(c) == {"id": ("number", True), "customer_id": ("number", False),
                       "status": ("string", False), "channel": ("string", False),
                       "created_at": ("time", False), "shipped_at": ("time", False)}
    assert measures(c) == {"count": ("count", None), "amount": ("sum", "amount")}
    assert joins(c) == {
        "customers": ("many_to_one", "{CUBE}.customer_id = {customers}.id")}


def test_order_items(demo_models: ModelSet) -> None:
    c = demo_models.cubes["order_items"]
    assert dims(c) == {"id": ("number", True), "order_id": ("number", False),
                       "product_id": ("number", False)}
    assert measures(c) == {"count": ("count", None), "quantity": ("sum", "quantity"),
                           "unit_price": ("sum", "unit_price"), "discount": ("sum", "discount")}
    assert joins(c) == {
        "orders": ("many_to_one", "{CUBE}.order_id = {orders}.id"),
        "products": ("many_to_one", "{CUBE}.product_id = {products}.id"),
    }
