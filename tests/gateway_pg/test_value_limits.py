"""Values whose size the statement chooses, sent by a credential holder over the real socket.

A DuckDB data source runs inside the gateway's process, and DuckDB builds ``LPAD(name,
200000000)`` or a nested ``REPLACE`` outside its memory limit and without an interrupt: one
30-byte statement took 1.3 GB (was the strict xfail
``test_a_value_the_statement_sizes_stays_within_a_memory_bound``). The gateway here runs in a
child process with its address space capped at 3 GiB; psycopg sends the attacks over TLS;
each must be refused (54000 by the engine's value bounds, 0A000 for functions that are not
offered, 53200 from the source's memory limit for what the engine lets through) while the
session keeps answering, and the gateway's peak RSS must stay under 512 MiB.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import psycopg
import pytest

from tests.gateway_common import MODEL

ROOT = Path(__file__).resolve().parents[2]
PEAK_MB = 512


def _ctes(levels: int, step: str) -> str:
    """Each CTE level builds its value from the previous one's (``step`` over ``s``)."""
    sql = "WITH a0 AS (SELECT status s FROM orders)"
    for i in range(1, levels + 1):
        sql += f", a{i} AS (SELECT {step} s FROM a{i - 1})"
    return sql + f" SELECT LENGTH(s) FROM a{levels}"


def _derived(levels: int) -> str:
    sql = "SELECT status AS s FROM orders"
    for _ in range(levels):
        sql = f"SELECT x.s || x.s AS s FROM ({sql}) x"
    return sql


def _nested(levels: int, call: str) -> str:
    value = "status"
    for _ in range(levels):
        value = call.format(v=value)
    return f"SELECT LENGTH({value}) FROM orders"


# (statement, SQLSTATE): every one of them took the gateway's memory (or would, once offered)
ATTACKS = [
    ("SELECT LPAD(status, 200000000) FROM orders", "54000"),
    ("SELECT RPAD(status, 200000000, 'ab') FROM orders", "54000"),
    ("SELECT LPAD(status, id * 1000000) FROM orders", "54000"),  # width from the data
    ("SELECT COUNT(*) FROM orders WHERE LPAD(status, 200000000, 'x') = 'y'", "54000"),
    ("SELECT (SELECT MAX(LPAD(status, 200000000)) FROM orders)", "54000"),
    ("SELECT CAST(status AS CHAR(200000000)) FROM orders", "54000"),  # PostgreSQL pads CHAR(n)
    (_ctes(24, "s || s"), "54000"),  # 9 bytes * 2^24 per row
    (_ctes(24, "CONCAT(s, s)"), "54000"),
    (_ctes(24, "CONCAT_WS('', s, s)"), "54000"),
    (_derived(24), "54000"),
    (_nested(9, "REPLACE({v}, 'e', 'eeeeeeeeee')"), "54000"),  # 10x per level
    (_nested(6, "REPLACE({v}, 'e', {v})"), "54000"),  # squared per level
    ("SELECT status || status FROM (SELECT LPAD(status, 8000) AS status FROM orders) t "
     "UNION ALL SELECT LPAD(status, 9000) FROM orders", "54000"),
    ("SELECT '" + "x" * 200_000 + "' AS v FROM orders", "54000"),  # repeated on every row
    # builders DuckDB has, which the engine does not offer: refused by the allowlist
    ("SELECT REPEAT(status, 200000000) FROM orders", "0A000"),
    ("SELECT SPACE(200000000) FROM orders", "0A000"),
    ("SELECT STRING_AGG(status, ',') FROM orders", "0A000"),
    ("SELECT ARRAY_AGG(status) FROM orders", "0A000"),
    ("SELECT FORMAT('%200000000s', status) FROM orders", "0A000"),
    ("SELECT COUNT(*) FROM orders, generate_series(1, 1000000000)", "0A000"),
    ("SELECT ARRAY_FILL(1, ARRAY[200000000]) FROM orders", "0A000"),
]

# What the bounds leave alone, with PostgreSQL's answers over the fixture's rows.
ALLOWED = [
    ("SELECT LPAD(status, 12, '*') FROM orders WHERE id = 3", "***completed"),
    ("SELECT REPLACE(status, 'e', 'E') FROM orders WHERE id = 3", "complEtEd"),
    ("SELECT LENGTH(LPAD(status, 8192)) FROM orders WHERE id = 3", 8192),
    ("SELECT s || s FROM (SELECT status || status AS s FROM orders WHERE id = 3) t",
     "completed" * 4),
]


class ChildGateway:
    def __init__(self, tls_dir: Path, data: Path, memory_mb: int, model: Path | None = None):
        args = [sys.executable, "-m", "tests.gateway_pg.child_gateway", str(tls_dir), str(data),
                str(memory_mb)] + ([str(model)] if model else [])
        self.process = subprocess.Popen(args, cwd=ROOT, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(self.process.communicate(timeout=30)[1][-3000:])
        port, self.user, self.password = line.split()
        self.port = int(port)

    def connect(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(host="127.0.0.1", port=self.port, user=self.user,
                               password=self.password, dbname="db", sslmode="require",
                               autocommit=True)

    def stop(self) -> int:
        """The child's peak RSS in MiB."""
        out, err = self.process.communicate("\n", timeout=60)
        assert self.process.returncode == 0, err[-3000:]
        return int(out.split()[-1])


@pytest.fixture
def child(tls_dir: Path, demo_duckdb: Path) -> Iterator[ChildGateway]:
    gateway = ChildGateway(tls_dir, demo_duckdb, memory_mb=256)
    try:
        yield gateway
    finally:
        if gateway.process.poll() is None:
            gateway.process.kill()
            gateway.process.wait()


def _sqlstate(conn: psycopg.Connection[tuple[object, ...]], sql: str) -> str:
    with pytest.raises(psycopg.Error) as caught:
        conn.execute(sql).fetchall()
    return str(caught.value.sqlstate)


def test_values_a_statement_sizes_are_refused_and_the_gateway_keeps_its_memory(
    child: ChildGateway,
) -> None:
    with child.connect() as conn:
        outcomes = {sql[:60]: _sqlstate(conn, sql) for sql, _ in ATTACKS}
        assert outcomes == {sql[:60]: state for sql, state in ATTACKS}
        for sql, expected in ALLOWED:
            assert conn.execute(sql).fetchone() == (expected,), sql
        # the session and the source go on working after every refusal
        assert conn.execute("SELECT COUNT(*) FROM orders").fetchone() == (1000,)
        # the refusals name the bound that was crossed
        with pytest.raises(psycopg.Error, match="MAX_VALUE_CHARS"):
            conn.execute("SELECT LPAD(status, 200000000) FROM orders")
        with pytest.raises(psycopg.Error, match="MAX_VALUE_FACTOR"):
            conn.execute(_ctes(10, "s || s"))
    assert child.stop() < PEAK_MB


BIG_MODEL = MODEL + """
  - name: big
    sql: "SELECT i AS id, 'row ' || i AS label FROM range(4000000) t(i)"
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: label, sql: label, type: string }
    measures:
      - { name: count, type: count }
"""


def test_what_the_engine_lets_through_stops_at_the_source_memory_limit(
    tls_dir: Path, tmp_path: Path
) -> None:
    """A statement within the value bounds that needs more memory than the DuckDB source may
    use (a DISTINCT over 4 million values, with a 64 MiB limit) fails with 53200; the session
    goes on, and the gateway's memory stays bounded."""
    data = tmp_path / "source.duckdb"
    con = duckdb.connect(str(data))
    con.execute("CREATE TABLE orders AS SELECT i AS id, 'completed' AS status, "
                "TIMESTAMP '2024-01-01' AS created_at, 1.0 AS amount FROM range(10) t(i)")
    con.execute("CREATE TABLE secrets AS SELECT 1 AS id, 'x' AS code")
    con.close()
    model = tmp_path / "model.yml"
    model.write_text(BIG_MODEL)
    gateway = ChildGateway(tls_dir, data, memory_mb=64, model=model)
    try:
        with gateway.connect() as conn:
            sql = "SELECT COUNT(*) FROM (SELECT DISTINCT label || label || label AS v FROM big) t"
            assert _sqlstate(conn, sql) == "53200"
            assert conn.execute("SELECT COUNT(*) FROM orders").fetchone() == (10,)
        assert gateway.stop() < PEAK_MB
    finally:
        if gateway.process.poll() is None:
            gateway.process.kill()
