"""What only file sources do: read-only opening, and no way out to other files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from backend.connectors.base import Connector
from backend.core.errors import DataSourceError, ReadOnly, SourceQueryFailed
from tests.connectors.conftest import Source


async def _run(connector: Connector, sql: str) -> list[tuple[object, ...]]:
    result = await connector.execute(sql)
    try:
        return [row async for batch in result.rows() for row in batch]
    finally:
        await result.close()


async def test_duckdb_cannot_read_other_files(duckdb_source: Source, tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    connector = duckdb_source.connector()
    try:
        with pytest.raises(SourceQueryFailed) as info:
            await _run(connector, f"SELECT * FROM read_csv('{secret}')")
        assert "only their own file" in str(info.value)
        with pytest.raises(SourceQueryFailed):
            await _run(connector, f"ATTACH '{tmp_path / 'other.duckdb'}'")
        with pytest.raises(DataSourceError):
            await _run(connector, "SET enable_external_access = true")
        with pytest.raises(ReadOnly):
            await _run(connector, "CREATE TABLE t (a integer)")
        assert await _run(connector, "SELECT count(*) FROM parent") == [(3,)]
    finally:
        await connector.close()


async def test_sqlite_cannot_attach_or_write(sqlite_source: Source, tmp_path: Path) -> None:
    connector = sqlite_source.connector()
    try:
        with pytest.raises(ReadOnly):
            await _run(connector, f"ATTACH '{tmp_path / 'other.sqlite'}' AS other")
        with pytest.raises(ReadOnly):
            await _run(connector, "CREATE TEMP TABLE t (a)")
        with pytest.raises(ReadOnly):
            await _run(connector, "PRAGMA journal_mode = WAL")
        assert await _run(connector, "SELECT count(*) FROM parent") == [(3,)]
    finally:
        await connector.close()
    assert not (tmp_path / "other.sqlite").exists()


async def test_sqlite_result_types_are_inferred_and_kept(sqlite_source: Source) -> None:
    """SQLite has no result column types: the first rows decide, later rows are made to fit
    (an integral value in a NUMERIC column arrives as a float like its neighbours)."""
    path = Path(str(sqlite_source.params["path"]))
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE amounts (v numeric(10,2))")
    conn.executemany("INSERT INTO amounts VALUES (?)", [("1.50",)] + [("2",)] * 1500)
    conn.commit()
    conn.close()
    connector = sqlite_source.connector()
    try:
        result = await connector.execute("SELECT v, 'x' AS s, NULL AS n FROM amounts")
        try:
            assert [c.type for c in result.columns] == ["float8", "text", "text"]
            values = [row[0] async for batch in result.rows(200) for row in batch]
        finally:
            await result.close()
    finally:
        await connector.close()
    assert len(values) == 1501
    assert all(type(v) is float for v in values)
    assert sum(values) == 3001.5
