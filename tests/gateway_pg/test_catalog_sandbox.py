"""The catalog sandbox is bounded and closed (issue 11, finding 5), over the real socket.

Catalog statements run in a per-credential in-memory DuckDB. A credential holder once made
it grow the gateway process by ~1 GB with one string_agg over range(2000000); now every
catalog DuckDB has a memory limit, one thread, no temporary directory, no external access
and a locked configuration, and each statement is checked against DuckDB's own parse tree.
"""

from __future__ import annotations

import psycopg
import pytest

from .conftest import ThreadedGateway

GROWTH_LIMIT_MB = 300  # far below the ~1 GB the unbounded sandbox grew by


def rss_mb() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 // 2**20


def peak_rss_mb() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return 0


AMPLIFIERS = [
    "SELECT string_agg(x::varchar, ',') FROM range(2000000) t(x)",
    "SELECT length(string_agg(a.typname || b.typname, ',')) FROM pg_type a, pg_type b, "
    "pg_type c, pg_type d, pg_type e",
    "SELECT length(repeat('x', 1000000000))",
    "SELECT length(lpad('x', 500000000, 'y'))",
    "SELECT len(list_resize([1], 200000000))",
    "SELECT len(range(200000000))",
    "SELECT count(*) FROM unnest(generate_series(1, 300000000))",
]


@pytest.mark.parametrize("sql", AMPLIFIERS)
def test_memory_amplifiers_fail_cleanly(tgw: ThreadedGateway, sql: str) -> None:
    before = rss_mb()
    with psycopg.connect(tgw.gw.dsn(), autocommit=True) as conn:
        with pytest.raises(psycopg.Error) as caught:
            conn.execute(sql).fetchall()
        # out of memory, the sandbox's own cap (0A000/22023 from error()), or canceled
        assert caught.value.sqlstate in ("53200", "57014", "0A000", "22023"), caught.value
        assert conn.execute("SELECT 1").fetchone() == (1,)
    assert rss_mb() - before < GROWTH_LIMIT_MB
    assert peak_rss_mb() - before < GROWTH_LIMIT_MB + 200


ROW_FLOODS = [
    # Each row is small, so DuckDB's memory limit never sees them; the gateway held the whole
    # result as Python objects (gigabytes) until the 10 s limit stopped the query.
    "SELECT repeat('x', 200) FROM generate_series(1, 10000000)",
    "SELECT g, g::varchar, [g, g] FROM generate_series(1, 20000000) t(g)",
]


@pytest.mark.parametrize("sql", ROW_FLOODS)
def test_a_catalog_result_is_held_within_the_memory_limit(tgw: ThreadedGateway,
                                                          sql: str) -> None:
    before = rss_mb()
    with psycopg.connect(tgw.gw.dsn(), autocommit=True) as conn:
        with pytest.raises(psycopg.Error) as caught:
            conn.execute(sql).fetchall()
        # Stopped by the result budget (53200), not by the statement's time limit (57014).
        assert caught.value.sqlstate == "53200", caught.value
        assert "result exceeds the catalog's memory limit" in str(caught.value)
        assert conn.execute("SELECT 1").fetchone() == (1,)
        # A catalog-sized answer still comes whole.
        assert len(conn.execute("SELECT g FROM generate_series(1, 50000) t(g)").fetchall()
                   ) == 50000
    assert rss_mb() - before < GROWTH_LIMIT_MB


def test_string_agg_over_range_is_out_of_memory(tgw: ThreadedGateway) -> None:
    with psycopg.connect(tgw.gw.dsn(), autocommit=True) as conn, \
            pytest.raises(psycopg.Error) as caught:
        conn.execute("SELECT string_agg(x::varchar, ',') FROM range(2000000) t(x)")
    assert caught.value.sqlstate == "53200"
    assert "CATALOG_MEMORY_LIMIT_MB" in str(caught.value.diag.message_hint)


REFUSED = [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM glob('/*')",
    "SELECT getenv('HOME')",
    "SELECT * FROM duckdb_settings()",
    "SELECT name FROM duckdb_settings() WHERE name = 'memory_limit'",
    "SELECT * FROM pragma_database_list()",
    "SELECT * FROM query('SELECT 1')",
    "SELECT * FROM '/etc/passwd'",
    "SELECT * FROM \"system\".main.duckdb_tables()",
    "SELECT system.main.repeat('x', 5)",
    "SELECT relname FROM pg_class, (SELECT * FROM read_blob('/etc/hostname')) f",
    "SELECT format('{:>100000000}', 'x')",
]


@pytest.mark.parametrize("sql", REFUSED)
def test_catalog_queries_cannot_reach_outside_the_catalog(tgw: ThreadedGateway,
                                                         sql: str) -> None:
    with psycopg.connect(tgw.gw.dsn(), autocommit=True) as conn:
        with pytest.raises(psycopg.Error) as caught:
            conn.execute(sql).fetchall()
        assert caught.value.sqlstate in ("0A000", "42P01", "42601", "25006"), caught.value
        assert "root:" not in str(caught.value)
        assert conn.execute("SELECT count(*) FROM pg_class").fetchone() is not None


STATEMENTS = ["PRAGMA database_list", "SET memory_limit = '10GB'", "SET threads = 64",
              "ATTACH '/tmp/x.duckdb' AS x", "INSTALL httpfs", "LOAD httpfs",
              "COPY (SELECT 1) TO '/tmp/out.csv'", "CALL duckdb_settings()",
              "SELECT 1; ATTACH '/tmp/x.duckdb' AS x"]


@pytest.mark.parametrize("sql", STATEMENTS)
def test_engine_statements_are_refused(tgw: ThreadedGateway, sql: str) -> None:
    with psycopg.connect(tgw.gw.dsn(), autocommit=True) as conn:
        if sql.startswith("SET "):
            conn.execute(sql)  # a PostgreSQL session setting, kept by the gateway only
        else:
            with pytest.raises(psycopg.Error):
                conn.execute(sql)
        # Whatever was sent, the memory limit still holds.
        with pytest.raises(psycopg.Error) as caught:
            conn.execute("SELECT string_agg(x::varchar, ',') FROM range(2000000) t(x)")
        assert caught.value.sqlstate == "53200"
