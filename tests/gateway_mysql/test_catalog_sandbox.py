"""The MySQL catalog sandbox is bounded and closed (issue 11, finding 5; issue 12, finding 6).

information_schema queries, FROM-less SELECTs and SHOW ... WHERE run in the credential's
catalog DuckDB: a memory limit, one thread, no temporary directory, no external access, a
locked configuration, DuckDB-only functions that reach outside the catalog refused, work off
the event loop with a time limit. Failed statements are logged by kind at INFO only.
"""

from __future__ import annotations

import logging

import pymysql
import pytest

from .conftest import Gateway
from .test_pymysql import connect

GROWTH_LIMIT_MB = 300  # far below the ~1 GB the unbounded sandbox grew by


def peak_rss_mb() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return 0


AMPLIFIERS = [
    # Cross joins of information_schema feeding one aggregate: out of memory, or too slow.
    "SELECT LENGTH(GROUP_CONCAT(CONCAT(a.COLUMN_NAME, b.COLUMN_NAME, c.COLUMN_NAME, "
    "d.COLUMN_NAME, e.COLUMN_NAME))) FROM information_schema.COLUMNS a, "
    "information_schema.COLUMNS b, information_schema.COLUMNS c, information_schema.COLUMNS d, "
    "information_schema.COLUMNS e, information_schema.COLUMNS g, information_schema.COLLATIONS f",
    # ~10^12 rows to count: stopped at the time limit, the event loop serving others meanwhile.
    "SELECT COUNT(*) FROM " + ", ".join(f"information_schema.COLUMNS c{i}" for i in range(14)),
    "SELECT LENGTH(REPEAT('x', 1000000000))",
    "SELECT LENGTH(LPAD('x', 500000000, 'y'))",
    "SELECT LENGTH(RPAD('x', 500000000, 'y')) FROM information_schema.TABLES",
]


@pytest.mark.parametrize("sql", AMPLIFIERS)
def test_amplifiers_fail_cleanly_and_stay_small(gw: Gateway, sql: str) -> None:
    before = peak_rss_mb()
    with connect(gw) as conn, conn.cursor() as cur:
        with pytest.raises(pymysql.err.MySQLError) as caught:
            cur.execute(sql)
        # out of memory (1041), canceled at the time limit (1317), or the sandbox's cap (1235)
        assert caught.value.args[0] in (1041, 1317, 1235), caught.value
        cur.execute("SELECT 1")
        assert cur.fetchone() == (1,)
    assert peak_rss_mb() - before < GROWTH_LIMIT_MB


def test_group_concat_over_cross_joins_is_out_of_memory(gw: Gateway) -> None:
    with connect(gw) as conn, conn.cursor() as cur, \
            pytest.raises(pymysql.err.MySQLError) as caught:
        cur.execute(AMPLIFIERS[0])
    assert caught.value.args[0] == 1041
    assert "CATALOG_MEMORY_LIMIT_MB" in str(caught.value)


REFUSED = [
    "SELECT * FROM information_schema.TABLES, read_csv('/etc/passwd')",
    "SELECT (SELECT COUNT(*) FROM read_text('/etc/passwd')) FROM information_schema.TABLES",
    "SELECT getenv('HOME')",
    "SELECT current_setting('memory_limit')",
    "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_NAME IN "
    "(SELECT name FROM duckdb_settings())",
    "SELECT format('{:>100000000}', 'x')",
    "SELECT * FROM information_schema.nope",
    "SELECT * FROM information_schema.TABLES t JOIN orders o ON o.id = 1",
    "SHOW TABLES WHERE Tables_in_db IN (SELECT name FROM duckdb_settings())",
    "SHOW VARIABLES WHERE getenv('HOME') IS NOT NULL",
]


@pytest.mark.parametrize("sql", REFUSED)
def test_catalog_queries_cannot_reach_outside_the_catalog(gw: Gateway, sql: str) -> None:
    with connect(gw) as conn, conn.cursor() as cur:
        with pytest.raises(pymysql.err.MySQLError) as caught:
            cur.execute(sql)
            cur.fetchall()
        assert caught.value.args[0] in (1235, 1146, 1064, 1054), caught.value
        assert "root:" not in str(caught.value)
        cur.execute("SELECT COUNT(*) FROM information_schema.TABLES")
        assert cur.fetchone() == (2,)


@pytest.mark.parametrize("sql", ["PRAGMA database_list", "ATTACH '/tmp/x.duckdb' AS x",
                                 "INSTALL httpfs", "LOAD httpfs",
                                 "COPY (SELECT 1) TO '/tmp/out.csv'", "CALL duckdb_settings()"])
def test_engine_statements_are_refused(gw: Gateway, sql: str) -> None:
    with connect(gw) as conn, conn.cursor() as cur:
        with pytest.raises(pymysql.err.MySQLError):
            cur.execute(sql)
        cur.execute("SET memory_limit = '10GB'")  # a MySQL session variable, nothing more
        with pytest.raises(pymysql.err.MySQLError) as caught:
            cur.execute(AMPLIFIERS[0])
        assert caught.value.args[0] == 1041


def test_failed_statements_are_logged_by_kind_only(gw: Gateway,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    secret = "s3cr3t-value-in-a-literal"
    with caplog.at_level(logging.INFO, logger="gateway.mysql"), connect(gw) as conn, \
            conn.cursor() as cur:
        with pytest.raises(pymysql.err.MySQLError):
            cur.execute(f"SELECT nope FROM orders WHERE status = '{secret}'")
        with pytest.raises(pymysql.err.MySQLError):
            cur.execute(f"SELECT * FROM information_schema.nope WHERE x = '{secret}'")
    info = [r for r in caplog.records if r.levelno == logging.INFO and "failed" in r.getMessage()]
    assert len(info) >= 2
    assert all(secret not in r.getMessage() for r in caplog.records
               if r.levelno >= logging.INFO)
    assert any("SELECT" in r.getMessage() and "UNKNOWN" in r.getMessage() for r in info)
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="gateway.mysql"), connect(gw) as conn, \
            conn.cursor() as cur, pytest.raises(pymysql.err.MySQLError):
        cur.execute(f"SELECT nope FROM orders WHERE status = '{secret}'")
    assert any(secret in r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG)
