"""A PostgreSQL source's rows forwarded (or converted column by column) to PostgreSQL clients.

Differential: the same raw SELECT sent to PostgreSQL directly and through the gateway, in text
and binary result formats, must give the same values; the columns the plan describes with
another type than the source's (``number`` dimensions over bigint are numeric) are converted,
the others copied. Also: the wire path's statement cache, an error mid-stream, a cancel, and
a stream abandoned half-way (the source connection comes back usable).
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from backend.connectors.pgcopy import DECODERS
from gateway.postgres import forward
from gateway.postgres import messages as m
from gateway.postgres.types import binary_encoder, text_encoder
from tests.gateway_pg.conftest import ThreadedGateway
from tests.services import PG_TEST_DSN, require_postgres

ROWS = 20_000
MODEL = """
cubes:
  - name: facts
    sql_table: {schema}.facts
    dimensions:
      - {{ name: id, sql: id, type: number, primary_key: true }}
      - {{ name: name, sql: name, type: string }}
      - {{ name: amount, sql: amount, type: number }}
      - {{ name: ts, sql: ts, type: time }}
      - {{ name: tstz, sql: tstz, type: time }}
      - {{ name: flag, sql: flag, type: boolean }}
      - {{ name: ratio, sql: ratio, type: number }}
    measures:
      - {{ name: count, type: count }}
  - name: slow
    sql: "SELECT g AS id, pg_sleep(0.001)::text AS s FROM generate_series(1, 100000) g"
    dimensions:
      - {{ name: id, sql: id, type: number, primary_key: true }}
      - {{ name: s, sql: s, type: string }}
"""
COLUMNS = "id, name, amount, ts, tstz, flag, ratio"


@pytest.fixture(scope="module")
def schema() -> Iterator[str]:
    require_postgres()
    name = "gwfwd_" + secrets.token_hex(4)
    with psycopg.connect(PG_TEST_DSN, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
        conn.execute(
            f"CREATE TABLE {name}.facts AS SELECT g::bigint AS id, "
            "CASE WHEN g % 7 = 0 THEN NULL ELSE ('n' || g || ' é')::varchar END AS name, "
            "(g / 8.0)::numeric(12, 3) AS amount, "
            "timestamp '2024-02-29 12:00:00.5' + g * interval '1 minute 1.25 second' AS ts, "
            "timestamptz '2024-01-01 00:00:00+00' - g * interval '1 hour' AS tstz, "
            "g % 3 = 0 AS flag, (g / 3.0)::float8 AS ratio "
            f"FROM generate_series(1, {ROWS}) g"
        )
    yield name
    with psycopg.connect(PG_TEST_DSN, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {name} CASCADE")


@pytest.fixture(scope="module")
def pgsrc(tls_dir: Path, demo_duckdb: Path, schema: str) -> Iterator[ThreadedGateway]:
    params = {"host": "127.0.0.1", "port": 5432, "database": "test", "user": "postgres",
              "password": ""}
    t = ThreadedGateway(tls_dir, demo_duckdb, grant_options={
        "source_type": "POSTGRES", "source_params": params,
        "model": MODEL.format(schema=schema)})
    yield t
    t.close()


def _direct(schema: str, binary: bool) -> list[tuple[object, ...]]:
    with psycopg.connect(PG_TEST_DSN, autocommit=True) as conn:
        cur = conn.cursor(binary=binary)
        return cur.execute(f"SELECT {COLUMNS} FROM {schema}.facts ORDER BY id").fetchall()


def _value(v: object) -> object:
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int | float):
        return Decimal(repr(v))
    if isinstance(v, dt.datetime) and v.tzinfo is not None:
        return v.astimezone(dt.UTC).replace(tzinfo=None)
    return v


def _normal(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    # The plan describes number dimensions as numeric and time ones as timestamp (UTC), so
    # bigint/float8 and timestamptz columns are converted: compare the values.
    return [tuple(_value(v) for v in r) for r in rows]


@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
def test_raw_rows_match_postgres(pgsrc: ThreadedGateway, schema: str, binary: bool) -> None:
    expected = _direct(schema, binary)
    with psycopg.connect(pgsrc.gw.dsn(), autocommit=True) as conn:
        cur = conn.cursor(binary=binary)
        got = cur.execute(f"select {COLUMNS} from facts order by id").fetchall()
        # Again: the statement now comes from the source connection's cache.
        again = cur.execute(f"select {COLUMNS} from facts order by id").fetchall()
    assert len(got) == ROWS
    assert _normal(got) == _normal(expected)
    assert again == got


def test_parameters_reach_the_cached_statement(pgsrc: ThreadedGateway) -> None:
    with psycopg.connect(pgsrc.gw.dsn(), autocommit=True) as conn:
        for i in (1, 7, 19_999):
            got = conn.execute("select id, name from facts where id = %s", (i,)).fetchall()
            name = None if i % 7 == 0 else f"n{i} é"
            assert got == [(i, name)]


def test_source_error_then_the_session_goes_on(pgsrc: ThreadedGateway) -> None:
    with psycopg.connect(pgsrc.gw.dsn(), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.Error) as info:
            # Division by zero at row 10,000, half-way through the stream.
            conn.execute("select id, 1 / (id - 10000) as x from facts").fetchall()
        assert "division by zero" in str(info.value)
        assert conn.execute("select measure(count) from facts").fetchone() == (ROWS,)


def test_abandoned_stream_leaves_a_usable_source_connection(pgsrc: ThreadedGateway) -> None:
    for _ in range(3):
        with psycopg.connect(pgsrc.gw.dsn(), autocommit=True) as conn:
            gen = conn.cursor().stream("select id, s from slow")  # 100 s of pg_sleep
            for _, _row in zip(range(10), gen, strict=False):
                pass
            conn.close()  # mid-stream: the gateway closes the result, which cancels it
    # The source query stopped (not left sleeping) and the pooled connections still work.
    deadline = time.monotonic() + 20
    with psycopg.connect(PG_TEST_DSN, autocommit=True) as admin:
        while True:
            row = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                                "AND query LIKE '%pg_sleep(0.001)%' "
                                "AND pid <> pg_backend_pid()").fetchone()
            if row == (0,) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    assert row == (0,)
    with psycopg.connect(pgsrc.gw.dsn(), autocommit=True) as conn:
        assert conn.execute("select measure(count) from facts").fetchone() == (ROWS,)


def test_cancel_stops_a_forwarded_query(pgsrc: ThreadedGateway, schema: str) -> None:
    with psycopg.connect(pgsrc.gw.dsn(), autocommit=True) as conn:
        # cancel_safe: the blocking cancel() keeps the GIL from the in-process gateway.
        timer = threading.Timer(0.5, conn.cancel_safe)
        timer.start()
        t = time.monotonic()
        with pytest.raises(psycopg.errors.QueryCanceled):
            conn.execute("select id, s from slow").fetchall()  # 100 s of pg_sleep
        timer.cancel()
        assert time.monotonic() - t < 20
        assert conn.execute("select measure(count) from facts").fetchone() == (ROWS,)


def test_plan_copies_alike_columns_and_converts_the_rest() -> None:
    fields = [m.FieldDescription("id", 1700, format=0), m.FieldDescription("id", 1700, format=1),
              m.FieldDescription("n", 25, format=1), m.FieldDescription("r", 701, format=0)]
    formats, converters = forward.plan([20, 20, 1043, 701], fields)
    # int8 text reads the same as numeric text; binary differs; varchar is text; float8 same.
    assert formats == [0, 1, 1, 0]
    assert converters[0] is None and converters[2] is None and converters[3] is None
    assert converters[1] == (DECODERS[20], converters[1][1])  # type: ignore[index]
    row = b"".join([b"\x00\x04", b"\x00\x00\x00\x01", b"1", b"\x00\x00\x00\x08",
                    (5).to_bytes(8, "big"), b"\xff\xff\xff\xff", b"\x00\x00\x00\x03", b"2.5"])
    chunk = b"D" + (len(row) + 4).to_bytes(4, "big") + row
    out = forward.convert(chunk + chunk, converters)
    numeric = binary_encoder(1700)(5)
    expect_row = b"".join([b"\x00\x04", b"\x00\x00\x00\x01", b"1",
                           len(numeric).to_bytes(4, "big"), numeric, b"\xff\xff\xff\xff",
                           b"\x00\x00\x00\x03", b"2.5"])
    expect = b"D" + (len(expect_row) + 4).to_bytes(4, "big") + expect_row
    assert out == expect + expect
    assert text_encoder(701)(2.5) == b"2.5"


async def test_wire_client_scram_over_tls_against_the_gateway(tls_dir: Path,
                                                             demo_duckdb: Path) -> None:
    """The source client's SCRAM-SHA-256 and TLS, against a real SCRAM server: the gateway
    (the local PostgreSQL trusts loopback, so it never asks for a password)."""
    from backend.connectors import pgwire
    from backend.connectors.netpolicy import tls_context_for
    from tests.gateway_pg.conftest import started

    async with started(tls_dir, demo_duckdb) as gw:
        conn = await pgwire.connect(["127.0.0.1"], gw.server.port, user=gw.user,
                                    password=gw.password, database="db",
                                    ssl_context=tls_context_for("require", "127.0.0.1"),
                                    settings={"application_name": "t"}, timeout=10)
        try:
            assert conn.status == b"I" and conn.pid != 0
        finally:
            await conn.close()
        with pytest.raises(pgwire.WireError) as info:
            await pgwire.connect(["127.0.0.1"], gw.server.port, user=gw.user,
                                 password="wrong", database="db",
                                 ssl_context=tls_context_for("require", "127.0.0.1"),
                                 settings={}, timeout=10)
        assert info.value.sqlstate == "28P01"
