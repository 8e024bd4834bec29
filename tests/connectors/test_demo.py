"""The demo data set: deterministic, keyed, and the same on every engine."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from backend.connectors import demo
from backend.connectors.base import Connector
from backend.connectors.factory import connector_for
from tests.services import PG_TEST_DSN, require_mariadb, require_postgres

SMALL = 3_000

# Totals that must agree across engines (each returns one row).
TOTALS = {
    "customers": "SELECT count(*), sum(CASE WHEN is_vip THEN 1 ELSE 0 END) FROM {p}customers",
    "products": "SELECT count(*), sum(price), sum(cost) FROM {p}products",
    "orders": "SELECT count(*), sum(amount), count(shipped_at), "
    "sum(CASE WHEN status = 'completed' THEN amount ELSE 0 END) FROM {p}orders",
    "order_items": "SELECT count(*), sum(quantity), sum(unit_price * quantity - discount) "
    "FROM {p}order_items",
    "by_month": "SELECT count(*) FROM {p}orders WHERE created_at >= '2025-06-01 00:00:00' "
    "AND created_at < '2025-07-01 00:00:00'",
}


def _normalise(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    return value


async def _totals(connector: Connector, prefix: str = "") -> dict[str, tuple[Any, ...]]:
    out = {}
    for name, sql in TOTALS.items():
        result = await connector.execute(sql.format(p=prefix))
        try:
            rows = [row async for batch in result.rows() for row in batch]
        finally:
            await result.close()
        out[name] = tuple(_normalise(v) for v in rows[0])
    return out


def test_generation_is_deterministic() -> None:
    a = demo.generate(order_items=SMALL, seed=7)
    b = demo.generate(order_items=SMALL, seed=7)
    c = demo.generate(order_items=SMALL, seed=8)
    assert a == b
    assert a != c


def test_sizes_and_keys() -> None:
    data = demo.generate(order_items=SMALL, seed=1)
    sizes = demo.sizes(SMALL)
    assert len(data.rows["order_items"]) == SMALL
    assert len(data.rows["customers"]) == sizes["customers"]
    assert len(data.rows["products"]) == sizes["products"]
    orders = data.rows["orders"]
    assert SMALL // 5 <= len(orders) <= SMALL
    for table in demo.TABLES:
        ids = [r[0] for r in data.rows[table]]
        assert ids == list(range(1, len(ids) + 1)), table
        width = len(demo.COLUMNS[table])
        assert all(len(r) == width for r in data.rows[table])
    # Every foreign key points at an existing row; every order has items summing to it.
    assert {r[1] for r in orders} <= {r[0] for r in data.rows["customers"]}
    items = data.rows["order_items"]
    assert {r[1] for r in items} == {r[0] for r in orders}
    assert {r[2] for r in items} <= {r[0] for r in data.rows["products"]}
    line_totals: dict[int, int] = {}
    for _, order_id, _, quantity, unit_price, discount in items:
        line_totals[order_id] = line_totals.get(order_id, 0) + unit_price * quantity - discount
    assert all(line_totals[o[0]] == o[6] for o in orders)
    times = [o[4] for o in orders]
    assert times == sorted(times)
    assert times[0].year == 2024 and times[-1].year == 2025
    assert {o[2] for o in orders} == {"completed", "shipped", "processing", "canceled", "returned"}


async def test_duckdb_file_describes_its_keys(tmp_path: Path) -> None:
    path = demo.write_duckdb(tmp_path / "demo.duckdb", order_items=SMALL, seed=3)
    connector = connector_for("DUCKDB", {"path": str(path)})
    try:
        tables = {t.name: t for t in await connector.list_tables()}
    finally:
        await connector.close()
    assert sorted(tables) == sorted(demo.TABLES)
    items = tables["order_items"]
    assert [c.name for c in items.columns] == [c[0] for c in demo.COLUMNS["order_items"]]
    assert [c.type for c in items.columns] == [
        "integer", "integer", "integer", "integer", "decimal", "decimal"
    ]  # fmt: skip
    assert items.primary_key == ("id",)
    assert {(fk.columns, fk.ref_table, fk.ref_columns) for fk in items.foreign_keys} == {
        (("order_id",), "orders", ("id",)),
        (("product_id",), "products", ("id",)),
    }
    orders = {c.name: c.type for c in tables["orders"].columns}
    assert orders["created_at"] == "timestamp"
    assert orders["status"] == "varchar"
    assert {c.name: c.type for c in tables["customers"].columns}["is_vip"] == "boolean"
    assert not next(c for c in tables["orders"].columns if c.name == "amount").nullable


async def test_same_totals_on_every_engine(tmp_path: Path) -> None:
    """DuckDB, SQLite, PostgreSQL and MariaDB loaded from one seed answer alike."""
    seed = 11
    duck = connector_for(
        "DUCKDB",
        {"path": str(demo.write_duckdb(tmp_path / "d.duckdb", order_items=SMALL, seed=seed))},
    )
    lite = connector_for(
        "SQLITE",
        {"path": str(demo.write_sqlite(tmp_path / "d.sqlite", order_items=SMALL, seed=seed))},
    )
    try:
        expected = await _totals(duck)
        assert await _totals(lite) == expected
    finally:
        await duck.close()
        await lite.close()
    assert expected["order_items"][0] == SMALL

    require_postgres()
    schema = f"demo_{uuid.uuid4().hex[:10]}"
    await demo.load_postgres(PG_TEST_DSN, schema, order_items=SMALL, seed=seed)
    pg = connector_for("POSTGRES", {"host": "127.0.0.1", "database": "test", "user": "postgres"})
    try:
        assert await _totals(pg, schema + ".") == expected
        fks = {t.name: t.foreign_keys for t in await pg.list_tables([schema])}
        assert len(fks["order_items"]) == 2
    finally:
        await pg.close()
        import asyncpg

        conn = await asyncpg.connect(PG_TEST_DSN)
        await conn.execute(f"DROP SCHEMA {schema} CASCADE")
        await conn.close()

    require_mariadb()
    import aiomysql

    database = f"demo_{uuid.uuid4().hex[:10]}"
    admin = await aiomysql.connect(host="127.0.0.1", user="root", password="", autocommit=True)
    async with admin.cursor() as cur:
        await cur.execute(f"CREATE DATABASE {database}")
    try:
        await demo.load_mysql("127.0.0.1", 3306, "root", "", database, order_items=SMALL, seed=seed)
        my = connector_for("MYSQL", {"host": "127.0.0.1", "database": database, "user": "root"})
        try:
            assert await _totals(my) == expected
        finally:
            await my.close()
    finally:
        async with admin.cursor() as cur:
            await cur.execute(f"DROP DATABASE {database}")
        admin.close()


def test_ensure_demo_creates_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    path = demo.ensure_demo(data_dir, order_items=SMALL)
    assert path == data_dir / "demo.duckdb"
    stamp = path.stat().st_mtime_ns
    assert demo.ensure_demo(data_dir, order_items=SMALL) == path
    assert path.stat().st_mtime_ns == stamp
    assert sorted(p.name for p in data_dir.iterdir()) == ["demo.duckdb"]  # no temp file left


@pytest.mark.parametrize("bad", [0, -5])
def test_sizes_must_be_positive(bad: int) -> None:
    with pytest.raises(ValueError):
        demo.generate(order_items=bad)
