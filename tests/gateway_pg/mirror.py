"""One table on the real PostgreSQL, served by a gateway as a cube and queried directly.

``test_params`` and ``test_types`` send the same statement to both and compare: the gateway
must answer as PostgreSQL answers over the table the cube is made of.
"""

from __future__ import annotations

import secrets
import select
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import psycopg
from psycopg import pq

from tests.gateway_pg.conftest import ThreadedGateway
from tests.services import PG_TEST_DSN, require_postgres

TABLE = """CREATE TABLE {schema}.orders (
    id integer PRIMARY KEY, status text, created_at timestamp, day date, qty smallint,
    big bigint, price numeric(12,2), ratio double precision, amount numeric(12,2))"""
FILL = """INSERT INTO {schema}.orders
    SELECT i, CASE WHEN i % 3 = 0 THEN 'completed' ELSE 'pending' END,
           timestamp '2024-01-01' + i * interval '1 hour', date '2024-01-01' + i,
           (i % 5)::smallint, i * 10000000000, i * 1.25, i / 8.0, i * 2.50
    FROM generate_series(1, 200) i"""
MODEL = """
cubes:
  - name: orders
    sql_table: {schema}.orders
    dimensions:
      - {{ name: id, sql: id, type: number, primary_key: true }}
      - {{ name: status, sql: status, type: string }}
      - {{ name: created_at, sql: created_at, type: time }}
      - {{ name: day, sql: day, type: time }}
      - {{ name: qty, sql: qty, type: number }}
      - {{ name: big, sql: big, type: number }}
      - {{ name: price, sql: price, type: number }}
      - {{ name: ratio, sql: ratio, type: number }}
    measures:
      - {{ name: count, type: count }}
      - {{ name: amount, sql: amount, type: sum }}
"""


def pg_mirror_schema(prefix: str) -> Iterator[str]:
    require_postgres()
    schema = prefix + "_" + secrets.token_hex(4)
    with psycopg.connect(PG_TEST_DSN, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute(TABLE.format(schema=schema))
        conn.execute(FILL.format(schema=schema))
    yield schema
    with psycopg.connect(PG_TEST_DSN, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def mirror_gateway(tls_dir: Path, data: Path, schema: str) -> Iterator[ThreadedGateway]:
    params = {"host": "127.0.0.1", "port": 5432, "database": "test", "user": "postgres",
              "password": ""}
    t = ThreadedGateway(tls_dir, data, grant_options={
        "source_type": "POSTGRES", "source_params": params, "model": MODEL.format(schema=schema)})
    yield t
    t.close()


def direct_dsn(schema: str) -> str:
    return f"host=127.0.0.1 port=5432 user=postgres dbname=test options=-csearch_path={schema}"


class Libpq:
    """libpq's extended protocol, driven non-blocking (the gateway under test may run on a
    thread of this process, so no call may hold the interpreter while it waits)."""

    def __init__(self, dsn: str):
        self.conn = psycopg.connect(dsn, autocommit=True)
        self.pg = self.conn.pgconn

    def close(self) -> None:
        self.conn.close()

    def _wait(self, send: Callable[[], None]) -> list[pq.abc.PGresult]:
        send()
        while self.pg.flush():
            select.select([], [self.pg.socket], [], 10)
        results: list[pq.abc.PGresult] = []
        while True:
            while self.pg.is_busy():
                select.select([self.pg.socket], [], [], 10)
                self.pg.consume_input()
            res = self.pg.get_result()
            if res is None:
                return results
            results.append(res)

    def param_types(self, sql: str) -> list[int]:
        """Parse with no parameter types, Describe the statement: the ParameterDescription."""
        self._one(self._wait(lambda: self.pg.send_prepare(b"probe", sql.encode(), None)))
        try:
            res = self._one(self._wait(lambda: self.pg.send_describe_prepared(b"probe")))
            return [res.param_type(i) for i in range(res.nparams)]
        finally:
            self._one(self._wait(lambda: self.pg.send_close_prepared(b"probe")))

    def run(self, sql: str, values: Sequence[str | None]) -> tuple[list[tuple[str | None, ...]],
                                                                   list[int]]:
        """Every value in text format with type 0 (unspecified), as psqlODBC sends them:
        the rows as text and the result type OIDs."""
        params = [None if v is None else v.encode() for v in values]
        res = self._one(self._wait(lambda: self.pg.send_query_params(
            sql.encode(), params, param_types=[0] * len(params))))
        rows = [tuple(None if (v := res.get_value(r, c)) is None else bytes(v).decode()
                      for c in range(res.nfields)) for r in range(res.ntuples)]
        return rows, [res.ftype(c) for c in range(res.nfields)]

    @staticmethod
    def _one(results: list[pq.abc.PGresult]) -> pq.abc.PGresult:
        assert len(results) == 1
        res = results[0]
        if res.status not in (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK):
            sqlstate = res.error_field(pq.DiagnosticField.SQLSTATE) or b""
            raise LibpqError(sqlstate.decode(), (res.error_message or b"").decode())
        return res


class LibpqError(Exception):
    def __init__(self, sqlstate: str, message: str):
        super().__init__(f"{sqlstate}: {message}")
        self.sqlstate = sqlstate
        self.message = message


def result_types(client: Libpq, sql: str) -> list[int]:
    """Parse + Describe(statement) before any execution: the RowDescription's type OIDs."""
    client._one(client._wait(lambda: client.pg.send_prepare(b"shape", sql.encode(), None)))
    try:
        res = client._one(client._wait(lambda: client.pg.send_describe_prepared(b"shape")))
        return [res.ftype(i) for i in range(res.nfields)]
    finally:
        client._one(client._wait(lambda: client.pg.send_close_prepared(b"shape")))
