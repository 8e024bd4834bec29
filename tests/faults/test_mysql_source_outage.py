"""A MySQL/MariaDB data source stopped in the middle of a query, then started again, seen by a
client of either wire.

The machine's MariaDB is shared, so it is never stopped: the data source reaches it through
a ``TcpProxy`` that the test cuts (every connection reset, new ones refused, as by a stopped
server) and restores. The streaming query fails with 08006 (MySQL wire: 2013, "lost
connection"), a statement while the source is away fails with 08001 (2003) and leaves the
session open, and once the source is back the next statement works on the same connection.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pymysql
import pymysql.cursors
import pytest

from tests.faults.proxy import TcpProxy
from tests.faults.stack import Account, Stack, wait_until
from tests.faults.timings import record
from tests.services import MARIADB_HOST, MARIADB_PORT, require_mariadb

FACT_ROWS = 1000
# Rows as fast as a client reads them: MariaDB's SEQUENCE engine produces them one by one.
SERIES_TABLE = "seq_1_to_200000000"
MODELS = f"""cubes:
  - name: facts
    sql_table: fault_facts
    dimensions:
      - {{ name: id, sql: id, type: number, primary_key: true }}
    measures:
      - {{ name: count, type: count }}
  - name: series
    sql: "SELECT seq AS n, md5(seq) AS label FROM {SERIES_TABLE}"
    dimensions:
      - {{ name: n, sql: n, type: number, primary_key: true }}
      - {{ name: label, sql: label, type: string }}
"""
TOTAL = "SELECT MEASURE(count) FROM facts"
STREAM = "SELECT n, label FROM series"


def _root(database: str | None = None) -> pymysql.Connection[Any]:
    return pymysql.connect(
        host=MARIADB_HOST,
        port=MARIADB_PORT,
        user="root",
        database=database,
        autocommit=True,
        connect_timeout=5,
    )


@pytest.fixture(scope="module")
def mariadb() -> Iterator[tuple[str, TcpProxy]]:
    """A fresh MariaDB database, and the proxy the data source reaches it through."""
    require_mariadb()
    name = "faults_" + secrets.token_hex(4)
    with _root() as conn, conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
        cur.execute(f"USE `{name}`")  # the SEQUENCE engine's tables are in every database
        cur.execute(
            f"CREATE TABLE `{name}`.fault_facts (id int PRIMARY KEY) "
            f"AS SELECT seq AS id FROM seq_1_to_{FACT_ROWS}"
        )
    proxy = TcpProxy(MARIADB_PORT, MARIADB_HOST).start()
    try:
        yield name, proxy
    finally:
        proxy.close()
        with _root() as conn, conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")


@pytest.fixture
def account(healthy: Stack, mariadb: tuple[str, TcpProxy]) -> Iterator[tuple[Account, TcpProxy]]:
    database, proxy = mariadb
    acct = healthy.account(
        {
            "type": "MYSQL",
            "params": {
                "host": "127.0.0.1",
                "port": proxy.port,
                "database": database,
                "user": "root",
                "password": "",
                "ssl": False,
            },
        },
        MODELS,
    )
    yield acct, proxy
    proxy.restore()


def _source_queries(database: str) -> int:
    """Statements of the data source's series still running on MariaDB."""
    with _root() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM information_schema.PROCESSLIST WHERE DB = %s"
            " AND COMMAND = 'Query' AND INFO LIKE %s AND ID <> CONNECTION_ID()",
            (database, f"%{SERIES_TABLE}%"),
        )
        row = cur.fetchone()
        assert row is not None
        return int(row[0])


def _released(s: Stack, database: str) -> None:
    wait_until("no source query left running", lambda: _source_queries(database) == 0)
    wait_until(
        "no pooled source connection left lent out",
        lambda: s.gateway.metric_total("metricsql_source_pool_in_use") == 0,
    )


def test_postgres_wire_query_fails_with_08006_and_the_session_carries_on(
    healthy: Stack, account: tuple[Account, TcpProxy], mariadb: tuple[str, TcpProxy]
) -> None:
    s, (acct, proxy) = healthy, account
    cred = acct.create_credential()
    with cred.pg(s.gateway.pg_port) as conn:
        assert conn.execute(TOTAL).fetchone() == (FACT_ROWS,)
        rows = 0
        with pytest.raises(psycopg.errors.ConnectionFailure) as lost:
            for _ in conn.cursor().stream(STREAM):
                rows += 1
                if rows == 5000:
                    assert _source_queries(mariadb[0]) == 1
                    proxy.cut()
                    cut_at = time.monotonic()
                assert rows < 10_000_000, "the stream outlived the cut source"
        record(
            "MySQL source cut mid-stream (PostgreSQL wire): error reached the client (s)",
            time.monotonic() - cut_at,
        )
        assert lost.value.sqlstate == "08006"
        assert "connection to MySQL" in str(lost.value) and "lost" in str(lost.value)
        with pytest.raises(psycopg.errors.SqlclientUnableToEstablishSqlconnection) as away:
            conn.execute(TOTAL)
        assert away.value.sqlstate == "08001"

        proxy.restore()
        back_at = time.monotonic()
        assert conn.execute(TOTAL).fetchone() == (FACT_ROWS,)  # the same connection
        record(
            "MySQL source back: first query answered (s after restore)", time.monotonic() - back_at
        )
        assert conn.execute("SELECT n FROM series LIMIT 3").fetchall() == [(1,), (2,), (3,)]
    _released(s, mariadb[0])


def test_mysql_wire_query_fails_with_2013_and_the_session_carries_on(
    healthy: Stack, account: tuple[Account, TcpProxy], mariadb: tuple[str, TcpProxy]
) -> None:
    s, (acct, proxy) = healthy, account
    cred = acct.create_credential()
    conn = cred.mysql(s.gateway.mysql_port)
    try:
        with conn.cursor() as cur:
            cur.execute(TOTAL)
            assert cur.fetchall() == ((FACT_ROWS,),)
        rows = 0
        with (
            pytest.raises(pymysql.err.OperationalError) as lost,
            conn.cursor(pymysql.cursors.SSCursor) as stream,
        ):
            stream.execute(STREAM)
            for _ in stream:
                rows += 1
                if rows == 5000:
                    assert _source_queries(mariadb[0]) == 1
                    proxy.cut()
                    cut_at = time.monotonic()
                assert rows < 10_000_000, "the stream outlived the cut source"
        record(
            "MySQL source cut mid-stream (MySQL wire): error reached the client (s)",
            time.monotonic() - cut_at,
        )
        assert lost.value.args[0] == 2013, lost.value.args
        assert "connection to MySQL" in str(lost.value) and "lost" in str(lost.value)
        with pytest.raises(pymysql.err.OperationalError) as away, conn.cursor() as cur:
            cur.execute(TOTAL)
        assert away.value.args[0] == 2003, away.value.args
        assert conn.open

        proxy.restore()
        with conn.cursor() as cur:  # the same connection
            cur.execute(TOTAL)
            assert cur.fetchall() == ((FACT_ROWS,),)
            cur.execute("SELECT n FROM series LIMIT 3")
            assert cur.fetchall() == ((1,), (2,), (3,))
    finally:
        conn.close()
    _released(s, mariadb[0])
