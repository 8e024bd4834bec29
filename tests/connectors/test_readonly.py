"""Defence in depth at the source: every query a connector runs is read-only and time-limited.

The engine builds source SQL only from its plan; these tests hand the connector writing and
stalling SQL directly, as a compromised engine would, on every path of every engine (the
PostgreSQL COPY stream and cursor, the MySQL stream, SQLite and DuckDB), and assert both the
refusal (25006 read-only, or the statement timeout) and that nothing changed on the source.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from backend.connectors.base import Connector
from backend.connectors.limits import Limits
from backend.connectors.mysql import MySQLConnector
from backend.connectors.postgres import PostgresConnector, PostgresResult, WireResult
from backend.core.errors import AppError, DataSourceError, ReadOnly, SourceTimeout
from tests.connectors.conftest import Source, _mysql_admin
from tests.services import PG_TEST_DSN

SHORT = Limits(connect_timeout=3.0, statement_timeout=1.0, pool_max=1)


async def _run(connector: Connector, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    result = await connector.execute(sql, params)
    try:
        return [row async for batch in result.rows() for row in batch]
    finally:
        await result.close()


def _marker_file() -> str:
    return f"/tmp/metricsql-readonly-{uuid.uuid4().hex}"


# --- PostgreSQL -------------------------------------------------------------------------------


def _pg_scalar(sql: str) -> Any:
    import psycopg

    with psycopg.connect(PG_TEST_DSN, autocommit=True) as conn:
        row = conn.execute(sql).fetchone()
        return row[0] if row else None


async def test_pg_large_object_written_in_a_query_does_not_persist(pg_source: Source) -> None:
    """lo_from_bytea writes pg_largeobject even inside a READ ONLY transaction (PostgreSQL
    does not guard it), and lo_export of a surviving object writes a file on the database
    host. Every source transaction is rolled back, so the object never survives its query."""
    pg = pg_source.connector(SHORT)
    before = _pg_scalar("SELECT count(*) FROM pg_largeobject_metadata")
    marker = _marker_file()
    try:
        # COPY path (no parameters) and cursor path (parameters).
        for sql, params in (
            ("SELECT lo_from_bytea(0, 'x')::text AS o", ()),
            ("SELECT lo_from_bytea(0, 'x')::text AS o WHERE $1::int = 1", (1,)),
        ):
            rows = await _run(pg, sql, params)
            oid = int(rows[0][0])
            kept = _pg_scalar(f"SELECT count(*) FROM pg_largeobject_metadata WHERE oid = {oid}")
            assert kept == 0
            with pytest.raises(AppError):
                await _run(pg, f"SELECT lo_export({oid}, '{marker}')")
        with pytest.raises(AppError):
            await _run(pg, f"SELECT lo_export(lo_from_bytea(0, 'x'), '{marker}')")
    finally:
        await pg.close()
    assert _pg_scalar("SELECT count(*) FROM pg_largeobject_metadata") == before
    assert not os.path.exists(marker)


@pytest.mark.parametrize("path", ["copy", "cursor"])
async def test_pg_writes_are_refused_on_every_path(pg_source: Source, path: str) -> None:
    pg = pg_source.connector(SHORT)
    s = pg_source.schema
    tail = "" if path == "copy" else " WHERE $1::int = 1"
    params: tuple[Any, ...] = () if path == "copy" else (1,)
    writes = [
        f"WITH d AS (DELETE FROM {s}.child RETURNING id) SELECT id FROM d{tail}",
        f"WITH d AS (INSERT INTO {s}.pair VALUES (7, 7) RETURNING a) SELECT a FROM d{tail}",
        f"SELECT count(*) FROM (SELECT set_config('transaction_read_only', 'off', true)) t{tail}",
    ]
    try:
        for sql in writes:
            with pytest.raises((ReadOnly, DataSourceError)) as info:
                await _run(pg, sql, params)
            assert not isinstance(info.value, SourceTimeout)
        for sql in (f"CREATE TABLE {s}.made (a int)", f"INSERT INTO {s}.pair VALUES (8, 8)",
                    "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE"):
            with pytest.raises(ReadOnly):
                await _run(pg, sql)
        # The one pooled connection is still read-only afterwards.
        with pytest.raises(ReadOnly):
            await _run(pg, f"WITH d AS (DELETE FROM {s}.child RETURNING id) SELECT id FROM d")
    finally:
        await pg.close()
    assert _pg_scalar(f"SELECT count(*) FROM {s}.child") == 3
    assert _pg_scalar(f"SELECT count(*) FROM {s}.pair") == 2
    assert _pg_scalar(f"SELECT to_regclass('{s}.made')") is None


@pytest.mark.parametrize("params", [(), (1,), (uuid.UUID(int=1),)],
                         ids=["wire", "wire-params", "cursor"])
async def test_pg_statement_timeout_on_every_path(pg_source: Source, params: tuple[Any, ...]
                                                  ) -> None:
    pg = pg_source.connector(SHORT)
    tail = "" if not params else (" WHERE $1::int = 1" if params[0] == 1
                                  else " WHERE $1::uuid IS NOT NULL")
    try:
        result = await pg.execute(f"SELECT pg_sleep(30)::text AS s{tail}", params)
        cursor = bool(params) and isinstance(params[0], uuid.UUID)  # asyncpg binds a UUID
        assert isinstance(result, PostgresResult if cursor else WireResult)
        with pytest.raises(SourceTimeout):
            try:
                async for _ in result.rows():
                    pass
            finally:
                await result.close()
        # A query that lifted the timeout for its session does not lift it for the next.
        await _run(pg, "SELECT set_config('statement_timeout', '0', false) AS s")
        with pytest.raises(SourceTimeout):
            await _run(pg, f"SELECT pg_sleep(30)::text AS s{tail}", params)
    finally:
        await pg.close()


async def test_pg_catalog_probes_and_checks_are_read_only(pg_source: Source) -> None:
    pg = pg_source.connector(SHORT)
    assert isinstance(pg, PostgresConnector)
    try:
        await pg.check()
        assert [tuple(r) for r in await pg._fetch(
            "SELECT current_setting('transaction_read_only'), "
            "current_setting('statement_timeout')")] == [("on", "1s")]
        with pytest.raises(ReadOnly):
            await pg._fetch(f"CREATE TABLE {pg_source.schema}.probe (a int)")
        await pg.list_tables([pg_source.schema])
    finally:
        await pg.close()
    assert _pg_scalar(f"SELECT to_regclass('{pg_source.schema}.probe')") is None


# --- MySQL / MariaDB --------------------------------------------------------------------------


def _mysql_scalar(sql: str) -> Any:
    conn = _mysql_admin()
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
            row = cur.fetchone()
            return row[0] if row else None
    finally:
        conn.close()


async def test_mysql_writes_are_refused_and_the_session_stays_read_only(
    mysql_source: Source,
) -> None:
    my = mysql_source.connector(SHORT)
    d = mysql_source.schema
    marker = _marker_file()
    attempts = [
        f"INSERT INTO {d}.pair VALUES (7, 7)",
        f"CREATE TABLE {d}.made (a int)",
        # MariaDB's per-statement override of session variables.
        f"SET STATEMENT tx_read_only=0 FOR INSERT INTO {d}.pair VALUES (7, 8)",
        f"/*!SET STATEMENT tx_read_only=0 FOR*/ INSERT INTO {d}.pair VALUES (7, 9)",
        f"SELECT 1 AS a; INSERT INTO {d}.pair VALUES (7, 10)",
        "SET SESSION TRANSACTION READ WRITE",
        f"SELECT 1 INTO OUTFILE '{marker}'",
        f"SELECT 1 INTO/**/DUMPFILE '{marker}'",
    ]
    try:
        for sql in attempts:
            with pytest.raises(AppError):
                await _run(my, sql)
            # The one pooled connection is read-only whatever came before.
            with pytest.raises(ReadOnly):
                await _run(my, f"INSERT INTO {d}.pair VALUES (9, 9)")
        assert await _run(my, f"SELECT count(*) FROM {d}.pair") == [(2,)]
    finally:
        await my.close()
    assert _mysql_scalar(f"SELECT count(*) FROM {d}.pair") == 2
    assert _mysql_scalar(
        f"SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{d}' "
        "AND TABLE_NAME = 'made'") == 0
    assert not os.path.exists(marker)


async def test_mysql_statement_timeout_cannot_be_lifted(mysql_source: Source) -> None:
    my = mysql_source.connector(SHORT)
    try:
        with pytest.raises(SourceTimeout):
            await _run(my, "SELECT SLEEP(30)")
        for sql in ("SET STATEMENT max_statement_time=0 FOR SELECT SLEEP(30)",
                    "/*M!SET STATEMENT max_statement_time=0 FOR*/ SELECT SLEEP(30)",
                    "SELECT /*+ MAX_EXECUTION_TIME(100000) */ SLEEP(30)",
                    "SET SESSION max_statement_time = 0"):
            with pytest.raises(AppError) as info:
                await _run(my, sql)
            assert isinstance(info.value, (ReadOnly, SourceTimeout)), (sql, info.value)
        with pytest.raises(SourceTimeout):
            await _run(my, "SELECT SLEEP(30)")
    finally:
        await my.close()


async def test_mysql_catalog_probes_are_read_only(mysql_source: Source) -> None:
    my = mysql_source.connector(SHORT)
    assert isinstance(my, MySQLConnector)
    try:
        await my.check()
        assert await my._fetch("SELECT @@session.tx_read_only") == [(1,)]
        await my.list_tables()
    finally:
        await my.close()


# --- SQLite and DuckDB files ------------------------------------------------------------------


@pytest.mark.parametrize("params", [(), (1,)], ids=["plain", "parameters"])
async def test_sqlite_writes_refused_and_time_limited(sqlite_source: Source,
                                                      params: tuple[Any, ...]) -> None:
    path = Path(str(sqlite_source.params["path"]))
    connector = sqlite_source.connector(SHORT)
    tail = " WHERE ? = 1" if params else ""
    try:
        for sql in ("CREATE TABLE made (a)", "INSERT INTO pair VALUES (7, 7)",
                    "DELETE FROM child", "PRAGMA query_only = 0", "VACUUM"):
            with pytest.raises(ReadOnly):
                await _run(connector, sql)
        with pytest.raises(ReadOnly):
            await _run(connector, f"WITH d AS (SELECT 1) INSERT INTO pair SELECT 8, 8 FROM d{tail}",
                       params)
        with pytest.raises(SourceTimeout):
            await _run(connector, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
                       f" SELECT x FROM c WHERE x < 0{' AND ? = 1' if params else ''}", params)
    finally:
        await connector.close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM pair").fetchone() == (2,)
        assert conn.execute("SELECT count(*) FROM child").fetchone() == (3,)
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'made'"
                            ).fetchone() == (0,)
    finally:
        conn.close()


@pytest.mark.parametrize("params", [(), (1,)], ids=["plain", "parameters"])
async def test_duckdb_writes_refused_and_time_limited(duckdb_source: Source,
                                                      params: tuple[Any, ...]) -> None:
    import duckdb

    path = Path(str(duckdb_source.params["path"]))
    connector = duckdb_source.connector(SHORT)
    marker = _marker_file()
    tail = " WHERE ? = 1" if params else ""
    try:
        for sql in ("CREATE TABLE made (a integer)", "INSERT INTO pair VALUES (7, 7)",
                    "DELETE FROM child", "DROP VIEW parent_names"):
            with pytest.raises(AppError):
                await _run(connector, sql)
        with pytest.raises(AppError):
            await _run(connector, f"COPY (SELECT 1{tail}) TO '{marker}'", params)
        with pytest.raises(SourceTimeout):
            await _run(connector, "SELECT sum(a.range * b.range) FROM range(1000000) a, "
                       f"range(1000000) b{tail}", params)
    finally:
        await connector.close()
    assert not os.path.exists(marker)
    conn = duckdb.connect(str(path), read_only=True)
    try:
        assert conn.execute("SELECT count(*) FROM pair").fetchone() == (2,)
        assert conn.execute("SELECT count(*) FROM child").fetchone() == (3,)
        assert conn.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'made'"
                            ).fetchone() == (0,)
    finally:
        conn.close()
