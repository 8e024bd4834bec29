"""The PostgreSQL one-round-trip path (``pgwire``): the same values and types as asyncpg,
streaming, read-only, cancel, abandoned streams."""

from __future__ import annotations

import asyncio
import datetime
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest

from backend.connectors.base import QueryResult
from backend.connectors.limits import Limits
from backend.connectors.postgres import PostgresConnector, PostgresResult, WireResult
from backend.core.errors import QueryCanceled, ReadOnly, SourceQueryFailed, SourceTimeout
from tests.connectors.conftest import Source
from tests.connectors.test_cancel import SAFETY, _eventually, _running_on_server
from tests.services import PG_TEST_DSN

# Every decoder, with edge values: NULLs, infinities, numeric scales, pre-2000 instants.
TYPED = """
SELECT * FROM (VALUES
  (true, 1::int2, 2::int4, 3::int8, 4::oid, 1.5::float4, 2.25::float8, 1.50::numeric,
   'text'::text, 'vc'::varchar, 'c'::char(3), 'nm'::name, '2024-02-29'::date,
   '2024-02-29 12:34:56.789012'::timestamp, '2024-02-29 12:34:56.5+02'::timestamptz),
  (false, '-32768'::int2, '-2147483648'::int4, '-9223372036854775808'::int8, 4294967295::oid,
   'NaN'::float4, '-Infinity'::float8, -12345678901234567890.0001234::numeric,
   'é ü 漢字 😀', '', '', '', '1999-12-31'::date, '1900-01-01 00:00:00.000001'::timestamp,
   '1970-01-01 00:00:00+00'::timestamptz),
  (NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'NaN'::numeric, NULL, NULL, NULL, NULL,
   'infinity'::date, 'infinity'::timestamp, '-infinity'::timestamptz),
  (true, 0::int2, 0::int4, 0::int8, 0::oid, -0.0::float4, 1e300::float8, 0.000::numeric,
   'x', 'y', 'z', 'w', '-infinity'::date, '-infinity'::timestamp, 'infinity'::timestamptz),
  (true, 1::int2, 1::int4, 1::int8, 1::oid, 1::float4, 1::float8, 100000000::numeric,
   'x', 'y', 'z', 'w', '0001-01-01'::date, '9999-12-31 23:59:59.999999'::timestamp,
   '2000-01-01 00:00:00+00'::timestamptz),
  (true, 1::int2, 1::int4, 1::int8, 1::oid, 1::float4, 1::float8, 0.00001::numeric,
   'x', 'y', 'z', 'w', '2000-01-01'::date, '2000-01-01'::timestamp,
   '1999-12-31 23:59:59.999999+00'::timestamptz),
  (true, 1::int2, 1::int4, 1::int8, 1::oid, 1::float4, 1::float8, 'Infinity'::numeric,
   'x', 'y', 'z', 'w', '2000-01-01'::date, '2000-01-01'::timestamp, NULL),
  (true, 1::int2, 1::int4, 1::int8, 1::oid, 1::float4, 1::float8, '-Infinity'::numeric,
   'x', 'y', 'z', 'w', '2000-01-01'::date, '2000-01-01'::timestamp, NULL),
  (true, 1::int2, 1::int4, 1::int8, 1::oid, 1::float4, 1::float8, 12.3400::numeric(12,4),
   'x', 'y', 'z', 'w', '2000-01-01'::date, '2000-01-01'::timestamp, NULL)
) AS t(b, i2, i4, i8, o, f4, f8, n, t, vc, c, nm, d, ts, tstz)
"""


@pytest.fixture
async def pg(pg_source: Source) -> AsyncIterator[PostgresConnector]:
    connector = pg_source.connector()
    assert isinstance(connector, PostgresConnector)
    try:
        yield connector
    finally:
        await connector.close()


async def _all(result: QueryResult, batch_size: int = 1000) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    try:
        async for batch in result.rows(batch_size):
            assert 0 < len(batch) <= batch_size
            rows.extend(batch)
    finally:
        await result.close()
    return rows


def _typed(values: list[tuple[Any, ...]]) -> list[tuple[tuple[type, str], ...]]:
    """Each value with its type and text, so Decimal('1.50') differs from Decimal('1.5') and
    NaN compares equal to NaN."""
    return [tuple((type(v), repr(v)) for v in row) for row in values]


async def test_copy_values_match_asyncpg_exactly(pg: PostgresConnector) -> None:
    result = await pg.execute(TYPED)
    assert isinstance(result, WireResult)
    got = await _all(result)
    conn = await asyncpg.connect(PG_TEST_DSN)
    try:
        expected = [tuple(r) for r in await conn.fetch(TYPED)]
    finally:
        await conn.close()
    assert _typed(got) == _typed(expected)
    names = ["b", "i2", "i4", "i8", "o", "f4", "f8", "n", "t", "vc", "c", "nm", "d", "ts", "tstz"]
    assert [c.name for c in result.columns] == names


NUMERICS = """
SELECT (g * 1234.5678 / 7)::numeric(30, 0) + 0 AS a, round(g * -1234.5678 / 7, g % 12) AS b,
       (g % 97)::numeric * 10::numeric ^ (g % 40 - 20) AS c, (g * 10000)::numeric AS d,
       round(1.0 / g, 25) AS e, g::numeric / 1000 AS f, '2000-01-01'::date + (g * 37) AS dd,
       '1970-01-01 00:00:00.5+00'::timestamptz + g * interval '7777.777777 seconds' AS tz
FROM generate_series(-3000, 3000) g WHERE g <> 0
"""


FIXED_WIDTH = """
SELECT g AS i8, g::int2 AS i2, g % 3 = 0 AS b, CASE WHEN g % 7 <> 0 THEN g * 0.5 END AS f8,
       CASE WHEN g % 5 <> 0 THEN '2000-01-01'::date + g * 11 END AS d,
       '1999-12-31 23:59:59'::timestamp + g * interval '1.000001 second' AS ts,
       '1950-06-01 00:00:00+00'::timestamptz + g * interval '1 day 1 second' AS tz
FROM generate_series(-20000, 20000) g
"""


async def test_fixed_width_rows_with_nulls_match_asyncpg(pg: PostgresConnector) -> None:
    result = await pg.execute(FIXED_WIDTH)
    assert isinstance(result, WireResult)
    got = await _all(result, batch_size=333)
    conn = await asyncpg.connect(PG_TEST_DSN)
    try:
        expected = [tuple(r) for r in await conn.fetch(FIXED_WIDTH)]
    finally:
        await conn.close()
    assert _typed(got) == _typed(expected)


async def test_many_numerics_and_instants_match_asyncpg(pg: PostgresConnector) -> None:
    result = await pg.execute(NUMERICS)
    assert isinstance(result, WireResult)
    got = await _all(result)
    conn = await asyncpg.connect(PG_TEST_DSN)
    try:
        expected = [tuple(r) for r in await conn.fetch(NUMERICS)]
    finally:
        await conn.close()
    assert _typed(got) == _typed(expected)


async def test_many_rows_stream_in_bounded_batches(pg: PostgresConnector) -> None:
    sql = "SELECT g, repeat('x', g % 50) AS pad FROM generate_series(1, 120000) g"
    result = await pg.execute(sql)
    assert isinstance(result, WireResult)
    rows = await _all(result, batch_size=777)
    assert len(rows) == 120000
    assert rows[0] == (1, "x") and rows[-1] == (120000, "")
    assert sum(r[0] for r in rows) == 120000 * 120001 // 2


async def test_empty_result_and_leading_comment(pg: PostgresConnector) -> None:
    result = await pg.execute("-- a note\n/* more */ (SELECT 1 AS x WHERE false) -- trailing")
    assert isinstance(result, WireResult)
    assert await _all(result) == []
    assert [c.name for c in result.columns] == ["x"]


async def test_which_queries_take_the_cursor_path(pg: PostgresConnector, pg_source: Source) -> None:
    cases: list[tuple[str, tuple[Any, ...], list[tuple[Any, ...]], type]] = [
        ("SELECT $1::int8 + 1 AS x", (41,), [(42,)], WireResult),  # bound, never spliced
        ("SELECT '1 day'::interval AS i", (), [(datetime.timedelta(days=1),)], PostgresResult),
        ("SELECT 1 AS x;", (), [(1,)], PostgresResult),  # a ';' anywhere: the cursor path
        ("SELECT current_setting($1) AS s", ("statement_timeout",), [("30s",)], WireResult),
        ("SELECT $1::uuid AS u", (uuid.UUID(int=1),), [(uuid.UUID(int=1),)], PostgresResult),
    ]
    for sql, params, expected, kind in cases:
        result = await pg.execute(sql, params)
        assert isinstance(result, kind), sql
        assert await _all(result) == expected, sql


async def test_runtime_error_surfaces_from_rows(pg: PostgresConnector) -> None:
    result = await pg.execute("SELECT 1 / (g - 3) AS x FROM generate_series(1, 5) g")
    assert isinstance(result, WireResult)
    with pytest.raises(SourceQueryFailed, match="division by zero"):
        await _all(result)
    await pg.check()


async def test_copy_is_read_only_even_after_set_config(pg_source: Source) -> None:
    # One pooled connection, so the second query runs where the first changed the setting.
    pg = pg_source.connector(Limits(connect_timeout=3, statement_timeout=30, pool_max=1))
    table = f"{pg_source.schema}.child"
    try:
        result = await pg.execute(
            "SELECT set_config('default_transaction_read_only', 'off', false) AS s"
        )
        assert isinstance(result, WireResult)
        assert await _all(result) == [("off",)]
        result = await pg.execute(f"WITH d AS (DELETE FROM {table} RETURNING id) SELECT id FROM d")
        assert isinstance(result, WireResult)
        with pytest.raises(ReadOnly):
            await _all(result)
    finally:
        await pg.close()
    conn = await asyncpg.connect(PG_TEST_DSN)
    try:
        assert await conn.fetchval(f"SELECT count(*) FROM {table}") > 0
    finally:
        await conn.close()


async def test_cancel_stops_a_copy_on_the_server(pg: PostgresConnector) -> None:
    marker = f"copycancel-{uuid.uuid4().hex}"
    sql = (
        "SELECT g, (CASE WHEN g > 20000 THEN pg_sleep(60) END)::text AS s "
        f"FROM generate_series(1, 40000) g /* {marker} */"
    )
    source = Source("postgres", "POSTGRES", {}, "")
    result = await pg.execute(sql)
    assert isinstance(result, WireResult)
    got = 0
    try:
        async for batch in result.rows(500):
            got += len(batch)
            break
        assert got == 500
        await _eventually(lambda: _running_on_server(source, marker), True)
        await result.cancel()
        with pytest.raises(QueryCanceled):
            async for _ in result.rows(500):
                pass
        await _eventually(lambda: _running_on_server(source, marker), False)
    finally:
        await result.close()
    await pg.check()


async def test_cancelling_the_reader_task_stops_a_copy(pg: PostgresConnector) -> None:
    marker = f"copytask-{uuid.uuid4().hex}"
    source = Source("postgres", "POSTGRES", {}, "")

    async def run() -> None:
        result = await pg.execute(f"SELECT pg_sleep(60)::text AS s /* {marker} */")
        assert isinstance(result, WireResult)
        try:
            async for _ in result.rows():
                pass
        finally:
            await result.close()

    task = asyncio.create_task(run())
    await _eventually(lambda: _running_on_server(source, marker), True)
    task.cancel()
    done, _ = await asyncio.wait([task], timeout=SAFETY)
    assert done and task.cancelled()
    await _eventually(lambda: _running_on_server(source, marker), False)
    await pg.check()


async def test_statement_timeout_applies_to_copy(pg_source: Source) -> None:
    pg = pg_source.connector(Limits(connect_timeout=3, statement_timeout=0.5))
    try:
        result = await pg.execute("SELECT pg_sleep(60)::text AS s")
        assert isinstance(result, WireResult)
        with pytest.raises(SourceTimeout):
            await _all(result)
        await pg.check()
    finally:
        await pg.close()



async def test_abandoned_copies_do_not_leak_connections(pg_source: Source) -> None:
    # One pooled connection: an abandoned stream is cancelled and skipped to its end, so the
    # same connection (one backend pid) serves every statement after it.
    pg = pg_source.connector(Limits(connect_timeout=3, statement_timeout=30, pool_max=1))
    sql = "SELECT pg_backend_pid() AS pid, g FROM generate_series(1, {n}) g"
    try:
        for size in (2, 300, 5000, 50000) * 5:
            result = await pg.execute(sql.format(n=size))
            assert isinstance(result, WireResult)
            async for _batch in result.rows(100):
                break
            await result.close()
        pids = {row[0] for _ in range(5) for row in await _all(await pg.execute(sql.format(n=3)))}
        assert len(pids) == 1
        await pg.check()
    finally:
        await pg.close()
