"""COPY ... TO STDOUT through real clients, compared with the real PostgreSQL on the same rows.

The gateway serves the ``orders`` cube over a DuckDB file; the same rows sit in a table
``orders`` of a scratch schema on the machine's PostgreSQL 15. Each statement is sent to both
and the bytes (psql, libpq) or the typed rows (psycopg) must be the same.
"""

from __future__ import annotations

import datetime as dt
import secrets
import select
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest
from psycopg import pq

from tests.gateway_pg.conftest import ThreadedGateway
from tests.services import PG_TEST_DSN, require_postgres

# Values that exercise every escaping rule: delimiters, quotes, backslashes, line breaks,
# the NULL markers as data, empty strings and NULLs.
ROWS: list[tuple[int, str | None, dt.datetime, Decimal | None]] = [
    (1, "pending", dt.datetime(2024, 1, 1, 1), Decimal("1.50")),
    (2, "a,b", dt.datetime(2024, 1, 2, 0, 0, 0, 500000), Decimal("20.00")),
    (3, "tab\there", dt.datetime(2024, 2, 29, 23, 59, 59), Decimal("-3.25")),
    (4, 'quote"d', dt.datetime(1999, 12, 31), Decimal("0.00")),
    (5, "back\\slash", dt.datetime(2024, 3, 1), None),
    (6, None, dt.datetime(2024, 3, 2), Decimal("6.10")),
    (7, "", dt.datetime(2024, 3, 3), Decimal("7.00")),
    (8, "\\N", dt.datetime(2024, 3, 4), Decimal("8.01")),
    (9, "line\nbreak\r", dt.datetime(2024, 3, 5), Decimal("123456789.99")),
    (10, "NULL", dt.datetime(2024, 3, 6), Decimal("-0.01")),
    (11, "semi;colon|pipe'", dt.datetime(2024, 3, 7), Decimal("11.00")),
]
Q_ROWS = "SELECT id, status, created_at, amount FROM orders ORDER BY id"
Q_GROUPS = ("SELECT status, count(*) AS n, sum(amount) AS total FROM orders "
            "GROUP BY status ORDER BY total")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("copy") / "copy.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE orders (id INTEGER, status VARCHAR, created_at TIMESTAMP, "
                "amount DECIMAL(12,2))")
    con.executemany("INSERT INTO orders VALUES (?, ?, ?, ?)", ROWS)
    con.execute("CREATE TABLE secrets AS SELECT 1 AS id, 'x' AS code")
    con.close()
    return path


@pytest.fixture(scope="module")
def pg_schema() -> Iterator[str]:
    require_postgres()
    schema = "copy_" + secrets.token_hex(4)
    with psycopg.connect(PG_TEST_DSN, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute(f"CREATE TABLE {schema}.orders (id integer, status text, "
                     "created_at timestamp, amount numeric(12,2))")
        with conn.cursor() as cur:
            cur.executemany(f"INSERT INTO {schema}.orders VALUES (%s, %s, %s, %s)", ROWS)
    yield schema
    with psycopg.connect(PG_TEST_DSN, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(scope="module")
def gw(tls_dir: Path, data: Path) -> Iterator[ThreadedGateway]:
    t = ThreadedGateway(tls_dir, data)
    yield t
    t.close()


def pg_dsn(schema: str) -> str:
    return f"host=127.0.0.1 port=5432 user=postgres dbname=test options=-csearch_path={schema}"


def psql(dsn: str, command: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["psql", dsn, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", command],
                          capture_output=True, timeout=60)


PSQL_COMMANDS = [
    f"\\copy ({Q_ROWS}) to stdout",
    f"\\copy ({Q_ROWS}) to stdout with (format csv, header)",
    f"\\copy ({Q_GROUPS}) to stdout csv",
    f"COPY ({Q_ROWS}) TO STDOUT",
    f"COPY ({Q_ROWS}) TO STDOUT WITH (FORMAT csv, HEADER)",
    f"COPY ({Q_ROWS}) TO STDOUT (FORMAT csv, HEADER true, DELIMITER ';', NULL 'NULL', "
    "QUOTE '''')",
    f"COPY ({Q_ROWS}) TO STDOUT (FORMAT csv, FORCE_QUOTE (status, amount), ESCAPE E'\\\\')",
    f"COPY ({Q_ROWS}) TO STDOUT WITH CSV HEADER FORCE QUOTE *",
    f"COPY ({Q_ROWS}) TO STDOUT (FORMAT text, HEADER, DELIMITER '|', NULL '')",
    f"COPY ({Q_ROWS}) TO STDOUT WITH DELIMITER AS ',' NULL AS 'nil'",
    f"COPY ({Q_GROUPS}) TO STDOUT (FORMAT 'csv', HEADER 1)",
    "COPY orders (id, status) TO STDOUT CSV HEADER",
    "COPY orders (status, amount) TO STDOUT",
    # catalog-side queries and literals (the catalog sandbox, not the engine)
    "COPY (SELECT 'a,b' AS x, NULL AS y, E'tab\\there' AS z, 42 AS n) TO STDOUT (FORMAT csv, "
    "HEADER)",
    "COPY (SELECT typname FROM pg_catalog.pg_type WHERE oid IN (16, 20, 25) ORDER BY oid) "
    "TO STDOUT",
    # binary: the PGCOPY signature, one tuple per row, the trailer
    "COPY (SELECT status, created_at, amount FROM orders ORDER BY id) TO STDOUT (FORMAT binary)",
    "COPY (SELECT status, count(*) AS n, sum(amount) AS total FROM orders GROUP BY status "
    "ORDER BY total) TO STDOUT WITH BINARY",
]


@pytest.mark.parametrize("command", PSQL_COMMANDS)
def test_psql_copy_matches_postgres(gw: ThreadedGateway, pg_schema: str, command: str) -> None:
    ours = psql(gw.gw.dsn(), command)
    theirs = psql(pg_dsn(pg_schema), command)
    assert theirs.returncode == 0, theirs.stderr
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == theirs.stdout
    assert ours.stdout  # something was copied


def test_copy_whole_table_is_every_column(gw: ThreadedGateway) -> None:
    with psycopg.connect(gw.gw.dsn()) as conn:
        cur = conn.cursor()
        cur.execute("SELECT * FROM orders LIMIT 0")
        names = [d.name for d in cur.description or ()]
        with cur.copy("COPY orders TO STDOUT (FORMAT csv, HEADER)") as copy:
            out = b"".join(bytes(b) for b in copy)
    lines = out.decode().splitlines()
    assert lines[0].split(",") == names
    assert names[:3] == ["id", "status", "created_at"]
    assert cur.rowcount == len(ROWS)


def _typed_copy(dsn: str, query: str, fmt: str) -> tuple[list[int], list[tuple[Any, ...]], int]:
    """Describe the query (as ADBC and connectorx do), then COPY it with those types."""
    with psycopg.connect(dsn) as conn:
        cur = conn.cursor()
        cur.execute(query)
        oids = [d.type_code for d in cur.description or ()]
        with cur.copy(f"COPY ({query}) TO STDOUT (FORMAT {fmt})") as copy:
            copy.set_types(oids)
            rows = list(copy.rows())
        return oids, rows, cur.rowcount


@pytest.mark.parametrize("fmt", ["text", "binary"])  # psycopg parses no CSV
@pytest.mark.parametrize("query", [Q_ROWS, Q_GROUPS])
def test_psycopg_typed_copy_matches_postgres(
    gw: ThreadedGateway, pg_schema: str, fmt: str, query: str
) -> None:
    _, ours, count = _typed_copy(gw.gw.dsn(), query, fmt)
    _, theirs, their_count = _typed_copy(pg_dsn(pg_schema), query, fmt)
    assert ours == theirs
    assert count == their_count == len(ours) > 0


def test_psycopg_binary_copy_types_match_postgres(gw: ThreadedGateway, pg_schema: str) -> None:
    ours, rows, _ = _typed_copy(gw.gw.dsn(), Q_ROWS, "binary")
    theirs, _, _ = _typed_copy(pg_dsn(pg_schema), Q_ROWS, "binary")
    assert ours == theirs
    assert [type(v) for v in rows[0]] == [int, str, dt.datetime, Decimal]



def _libpq_extended_copy(dsn: str, sql: str) -> tuple[bytes, bytes]:
    """COPY through the extended protocol (Parse/Bind/Describe/Execute/Sync), as libpq's
    PQsendQueryParams sends it; returns the data and the command tag. libpq is driven in
    non-blocking mode: the gateway under test runs on a thread of this process."""

    def wait_readable() -> None:
        select.select([pgconn.socket], [], [], 10)
        pgconn.consume_input()

    def result() -> pq.abc.PGresult | None:
        while pgconn.is_busy():
            wait_readable()
        return pgconn.get_result()

    with psycopg.connect(dsn, autocommit=True) as conn:
        pgconn = conn.pgconn
        pgconn.send_query_params(sql.encode(), None)
        while pgconn.flush():
            select.select([], [pgconn.socket], [], 10)
        res = result()
        assert res is not None
        assert res.status == pq.ExecStatus.COPY_OUT, res.error_message
        chunks = []
        while True:
            n, chunk = pgconn.get_copy_data(1)
            if n == 0:
                wait_readable()
                continue
            if n < 0:
                break
            chunks.append(bytes(chunk))
        done = result()
        assert done is not None and done.status == pq.ExecStatus.COMMAND_OK
        tag = done.command_status or b""
        while result() is not None:
            pass
        return b"".join(chunks), tag


@pytest.mark.parametrize("options", ["", "(FORMAT csv, HEADER)", "(FORMAT binary)"])
def test_extended_protocol_copy_matches_postgres(
    gw: ThreadedGateway, pg_schema: str, options: str
) -> None:
    sql = f"COPY (SELECT status, created_at, amount FROM orders ORDER BY id) TO STDOUT {options}"
    ours = _libpq_extended_copy(gw.gw.dsn(), sql)
    theirs = _libpq_extended_copy(pg_dsn(pg_schema), sql)
    assert ours == theirs
    assert ours[1] == f"COPY {len(ROWS)}".encode()


BAD_OPTIONS = [
    "(FORMAT binary, HEADER)",
    "(FORMAT binary, DELIMITER ',')",
    "(FORMAT binary, NULL 'x')",
    "(FORMAT xml)",
    "(DELIMITER 'ab')",
    "(DELIMITER E'\\n')",
    "(DELIMITER 'a')",
    "(QUOTE '\"')",
    "(ESCAPE '\\')",
    "(FORCE_QUOTE *)",
    "(FORMAT csv, QUOTE ',')",
    "(FORMAT csv, NULL 'a,b')",
    "(FORMAT csv, QUOTE 'ab')",
    "(FORMAT csv, FORCE_NOT_NULL (status))",
    "(HEADER match)",
    "(HEADER maybe)",
    "(FORMAT csv, FORMAT text)",
    "(bogus 1)",
    "(FORMAT csv, FORCE_QUOTE (nosuch))",
]


def _sqlstate(dsn: str, sql: str) -> str | None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        try:
            with conn.cursor().copy(sql) as copy:
                for _ in copy:
                    pass
        except psycopg.Error as exc:
            return exc.sqlstate
    return None


@pytest.mark.parametrize("options", BAD_OPTIONS)
def test_invalid_options_fail_as_postgres(
    gw: ThreadedGateway, pg_schema: str, options: str
) -> None:
    sql = f"COPY (SELECT status FROM orders) TO STDOUT {options}"
    theirs = _sqlstate(pg_dsn(pg_schema), sql)
    assert theirs is not None
    assert _sqlstate(gw.gw.dsn(), sql) == theirs


def test_copy_from_is_read_only_like_a_read_only_postgres(
    gw: ThreadedGateway, pg_schema: str
) -> None:
    sql = "COPY orders FROM STDIN"
    theirs = _sqlstate(pg_dsn(pg_schema) + " options='-cdefault_transaction_read_only=on "
                       f"-csearch_path={pg_schema}'", sql)
    assert theirs == "25006"
    assert _sqlstate(gw.gw.dsn(), sql) == theirs
    # COPY (query) FROM is not even grammar.
    assert _sqlstate(gw.gw.dsn(), "COPY (SELECT 1) FROM STDIN") == "42601"


@pytest.mark.parametrize("sql", [
    "COPY orders TO '/tmp/orders.csv'",
    "COPY (SELECT status FROM orders) TO '/tmp/orders.csv' (FORMAT csv)",
    "COPY orders TO PROGRAM 'cat > /tmp/x'",
])
def test_server_side_files_and_programs_are_refused(gw: ThreadedGateway, sql: str) -> None:
    with (psycopg.connect(gw.gw.dsn(), autocommit=True) as conn,
          pytest.raises(psycopg.errors.InsufficientPrivilege) as err):
        conn.execute(sql)
    assert "COPY to" in str(err.value)
    assert not Path("/tmp/orders.csv").exists() or "orders.csv" not in sql


def test_copy_of_a_write_and_of_hidden_things_is_refused(gw: ThreadedGateway) -> None:
    with psycopg.connect(gw.gw.dsn(), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("COPY (DELETE FROM orders) TO STDOUT")
        with (pytest.raises(psycopg.errors.UndefinedTable),
              conn.cursor().copy("COPY nosuch TO STDOUT") as copy):
            list(copy)
        # The connection is still usable after the errors.
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_copy_data_outside_copy_in_is_ignored(gw: ThreadedGateway) -> None:
    """A client that streams data after its COPY FROM was refused keeps its connection."""
    with psycopg.connect(gw.gw.dsn(), autocommit=True) as conn:
        with (pytest.raises(psycopg.errors.ReadOnlySqlTransaction),
              conn.cursor().copy("COPY orders FROM STDIN") as copy):
            copy.write_row((1, "x"))
        assert conn.execute("SELECT count(*) FROM orders").fetchone() == (len(ROWS),)


def test_connectorx_default_protocol_reads_a_cube_query(
    gw: ThreadedGateway, pg_schema: str
) -> None:
    cx = pytest.importorskip("connectorx")
    g = gw.gw
    ours = cx.read_sql(f"{g.url()}?sslmode=require", Q_GROUPS, return_type="arrow")
    theirs = cx.read_sql(f"postgresql://postgres@127.0.0.1:5432/test?options=-csearch_path%3D"
                         f"{pg_schema}", Q_GROUPS, return_type="arrow")
    assert ours.to_pylist() == theirs.to_pylist()
    assert ours.schema.names == theirs.schema.names


@pytest.mark.parametrize("query", [Q_ROWS, Q_GROUPS])
def test_adbc_reads_as_from_postgres(gw: ThreadedGateway, pg_schema: str, query: str) -> None:
    """ADBC's PostgreSQL driver reads every result with binary COPY."""
    dbapi = pytest.importorskip("adbc_driver_postgresql.dbapi")

    def fetch(uri: str) -> Any:
        with dbapi.connect(uri) as conn, conn.cursor() as cur:
            cur.execute(query)
            return cur.fetch_arrow_table()

    g = gw.gw
    ours = fetch(f"{g.url()}?sslmode=require")
    theirs = fetch(f"postgresql://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{pg_schema}")
    assert ours.schema == theirs.schema
    assert ours.to_pylist() == theirs.to_pylist()


def test_binary_copy_of_oid_alias_values_sends_their_oids(gw: ThreadedGateway) -> None:
    """regproc values are names in text and OIDs in binary, as PostgreSQL sends them."""
    require_postgres()
    query = "COPY (SELECT typreceive FROM pg_catalog.pg_type WHERE oid = 16) TO STDOUT"
    answers = []
    for dsn in (gw.gw.dsn(), PG_TEST_DSN):
        with psycopg.connect(dsn, autocommit=True) as conn:
            with conn.cursor().copy(query + " (FORMAT binary)") as copy:
                binary = b"".join(bytes(b) for b in copy)
            with conn.cursor().copy(query) as copy:
                text = b"".join(bytes(b) for b in copy)
            answers.append((binary, text))
    assert answers[0] == answers[1]
    assert answers[0][1] == b"boolrecv\n"
