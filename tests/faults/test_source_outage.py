"""A data source stopped in the middle of a query, then started again.

The data source (the real PostgreSQL) sits behind a proxy that resets every connection and
refuses new ones. The streaming query fails with 08006 and says what happened; the session
stays usable (a query while the source is still away fails with 08001, not with a dead
session), and once the source is back the next query works on the same connection. A MySQL-wire
client sees the same in MySQL's numbers: 2013 (lost during the query), then 2003.
"""

from __future__ import annotations

import time

import psycopg
import pymysql
import pymysql.cursors
import pytest

from tests.faults.stack import Stack, wait_until
from tests.faults.timings import record

TOTAL = "SELECT MEASURE(count) FROM facts"


def test_query_fails_with_08006_and_the_session_carries_on(healthy: Stack) -> None:
    s = healthy
    cred = s.account().create_credential()
    with cred.pg(s.gateway.pg_port) as conn:
        assert conn.execute(TOTAL).fetchone() == (100_000,)
        cur = conn.cursor()
        rows = 0
        with pytest.raises(psycopg.errors.ConnectionFailure) as lost:
            for _ in cur.stream("SELECT n, label FROM series"):
                rows += 1
                if rows == 5000:
                    s.source_proxy.cut()
                    cut_at = time.monotonic()
                assert rows < 10_000_000, "the stream outlived the cut source"
        record("source cut mid-stream: error reached the client (s)", time.monotonic() - cut_at)
        assert lost.value.sqlstate == "08006"
        assert "connection to PostgreSQL" in str(lost.value) and "lost" in str(lost.value)
        # Same session, source still away: a clean "unreachable", and the session lives on.
        with pytest.raises(psycopg.errors.SqlclientUnableToEstablishSqlconnection) as away:
            conn.execute(TOTAL)
        assert away.value.sqlstate == "08001"

        s.source_proxy.restore()
        back_at = time.monotonic()
        assert conn.execute(TOTAL).fetchone() == (100_000,)  # no reconnect
        record("source back: first query answered (s after restore)", time.monotonic() - back_at)
        assert conn.execute("SELECT n FROM series LIMIT 3").fetchall() == [(1,), (2,), (3,)]
    wait_until("no source query left running", lambda: s.source_queries("generate_series") == 0)


def test_mysql_wire_query_fails_with_2013_and_the_session_carries_on(healthy: Stack) -> None:
    s = healthy
    cred = s.account().create_credential()
    conn = cred.mysql(s.gateway.mysql_port)
    try:
        with conn.cursor() as cur:
            cur.execute(TOTAL)
            assert cur.fetchall() == ((100_000,),)
        rows = 0
        with (
            pytest.raises(pymysql.err.OperationalError) as lost,
            conn.cursor(pymysql.cursors.SSCursor) as stream,
        ):
            stream.execute("SELECT n, label FROM series")
            for _ in stream:
                rows += 1
                if rows == 5000:
                    s.source_proxy.cut()
                    cut_at = time.monotonic()
                assert rows < 10_000_000, "the stream outlived the cut source"
        record(
            "source cut mid-stream (MySQL wire): error reached the client (s)",
            time.monotonic() - cut_at,
        )
        assert lost.value.args[0] == 2013, lost.value.args  # CR_SERVER_LOST, as 08006
        assert "connection to PostgreSQL" in str(lost.value) and "lost" in str(lost.value)
        with pytest.raises(pymysql.err.OperationalError) as away, conn.cursor() as cur:
            cur.execute(TOTAL)
        assert away.value.args[0] == 2003, away.value.args  # as 08001
        assert conn.open

        s.source_proxy.restore()
        with conn.cursor() as cur:  # no reconnect
            cur.execute(TOTAL)
            assert cur.fetchall() == ((100_000,),)
    finally:
        conn.close()
    wait_until("no source query left running", lambda: s.source_queries("generate_series") == 0)
