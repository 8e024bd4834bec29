"""The Connector contract, the same on every engine: check, describe, execute and stream."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backend.connectors.base import ColumnInfo, Connector, ForeignKey, TableInfo
from backend.core.errors import ReadOnly, SourceQueryFailed
from tests.connectors.conftest import Source

# How each engine names the types of `parent` (lower case, without length or precision).
PARENT_TYPES = {
    "postgres": ["integer", "character varying", "numeric", "timestamp without time zone",
                 "boolean"],
    "mysql": ["int", "varchar", "decimal", "datetime", "tinyint"],
    "sqlite": ["integer", "varchar", "numeric", "timestamp", "boolean"],
    "duckdb": ["integer", "varchar", "decimal", "timestamp", "boolean"],
}  # fmt: skip

# SQL producing n rows of (i, i * 2) on each engine.
SERIES = {
    "postgres": "SELECT g AS i, g * 2 AS twice FROM generate_series(1, {n}) g",
    "mysql": "SELECT seq AS i, seq * 2 AS twice FROM seq_1_to_{n}",
    "sqlite": "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < {n}) "
    "SELECT i, i * 2 AS twice FROM c",
    "duckdb": "SELECT range + 1 AS i, (range + 1) * 2 AS twice FROM range({n})",
}
PLACEHOLDER = {"postgres": "$1", "mysql": "%s", "sqlite": "?", "duckdb": "?"}


def _table(tables: list[TableInfo], name: str) -> TableInfo:
    return next(t for t in tables if t.name == name)


async def test_check_passes(connector: Connector) -> None:
    await connector.check()


async def test_list_schemas_includes_the_test_schema(source: Source, connector: Connector) -> None:
    schemas = await connector.list_schemas()
    assert source.schema in schemas
    assert not {"information_schema", "pg_catalog", "mysql", "performance_schema"} & set(schemas)


async def test_list_tables_columns_keys(source: Source, connector: Connector) -> None:
    tables = await connector.list_tables([source.schema])
    assert [t.name for t in tables] == ["child", "pair", "pair_ref", "parent", "parent_names"]
    assert {t.schema for t in tables} == {source.schema}

    parent = _table(tables, "parent")
    assert [c.name for c in parent.columns] == ["id", "name", "price", "created_at", "active"]
    assert [c.type for c in parent.columns] == PARENT_TYPES[source.engine]
    assert parent.columns[1] == ColumnInfo("name", parent.columns[1].type, nullable=False)
    assert parent.columns[2].nullable
    assert parent.primary_key == ("id",)
    assert parent.foreign_keys == ()

    child = _table(tables, "child")
    assert child.primary_key == ("id",)
    assert child.foreign_keys == (ForeignKey(("parent_id",), source.schema, "parent", ("id",)),)

    assert _table(tables, "pair").primary_key == ("a", "b")
    assert _table(tables, "pair_ref").foreign_keys == (
        ForeignKey(("a", "b"), source.schema, "pair", ("a", "b")),
    )
    view = _table(tables, "parent_names")
    assert [c.name for c in view.columns] == ["id", "name"]
    assert view.primary_key == ()


async def test_list_tables_of_an_unknown_schema_is_empty(connector: Connector) -> None:
    assert await connector.list_tables(["no_such_schema_here"]) == []


async def test_execute_types_and_values(source: Source, connector: Connector) -> None:
    prefix = "" if source.engine in ("sqlite", "duckdb") else source.schema + "."
    result = await connector.execute(
        f"SELECT p.id, p.name, p.price, c.qty FROM {prefix}parent p JOIN {prefix}child c "
        f"ON c.parent_id = p.id WHERE p.id = {PLACEHOLDER[source.engine]} ORDER BY c.id",
        [1],
    )
    try:
        names = [c.name for c in result.columns]
        assert names == ["id", "name", "price", "qty"]
        types = [c.type for c in result.columns]
        assert types[1] == "text"
        assert types[0] in ("int4", "int8")
        rows = [row async for batch in result.rows() for row in batch]
    finally:
        await result.close()
    assert [(r[0], r[1], r[3]) for r in rows] == [(1, "one", 5), (1, "one", 7)]
    assert Decimal(str(rows[0][2])) == Decimal("1.50")


async def test_stream_in_batches(source: Source, connector: Connector) -> None:
    n = 25_000
    result = await connector.execute(SERIES[source.engine].format(n=n))
    sizes = []
    total = 0
    try:
        assert [c.name for c in result.columns] == ["i", "twice"]
        async for batch in result.rows(batch_size=1000):
            sizes.append(len(batch))
            total += sum(int(r[1]) for r in batch)
    finally:
        await result.close()
    assert sum(sizes) == n
    assert max(sizes) <= 1000
    assert total == n * (n + 1)


async def test_closing_a_half_read_stream_frees_the_connector(
    source: Source, connector: Connector
) -> None:
    # More results than the pool has connections: an abandoned stream must give its back.
    for _ in range(5):
        result = await connector.execute(SERIES[source.engine].format(n=20_000))
        async for _batch in result.rows(batch_size=100):
            break
        await result.close()
    await connector.check()


async def test_writes_are_refused(source: Source, connector: Connector) -> None:
    prefix = "" if source.engine in ("sqlite", "duckdb") else source.schema + "."
    with pytest.raises((ReadOnly, SourceQueryFailed)):
        result = await connector.execute(f"INSERT INTO {prefix}pair VALUES (9, 9)")
        try:
            async for _ in result.rows():
                pass
        finally:
            await result.close()
    check = await connector.execute(f"SELECT count(*) FROM {prefix}pair")
    try:
        rows = [row async for batch in check.rows() for row in batch]
    finally:
        await check.close()
    assert rows[0][0] == 2


async def test_query_errors_are_source_query_failed(connector: Connector) -> None:
    with pytest.raises(SourceQueryFailed):
        result = await connector.execute("SELECT * FROM no_such_table_anywhere")
        await result.close()
