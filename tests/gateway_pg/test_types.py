"""Result types are the source column's own, as PostgreSQL gives them over the same table:
integers as int2/int4/int8, decimals with their scale, dates as dates — in a Describe before
execution, in the rows that follow, and in the catalog; data exceptions keep PostgreSQL's
SQLSTATE."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.gateway_pg.conftest import ThreadedGateway
from tests.gateway_pg.mirror import (
    Libpq,
    LibpqError,
    direct_dsn,
    mirror_gateway,
    pg_mirror_schema,
    result_types,
)

DIMENSIONS = ["id", "status", "created_at", "day", "qty", "big", "price", "ratio"]
QUERIES = [
    f"SELECT {', '.join(DIMENSIONS)} FROM orders ORDER BY id LIMIT 5",
    "SELECT qty, count(*) AS n FROM orders GROUP BY qty ORDER BY qty",
    "SELECT day, sum(amount) AS total FROM orders WHERE id <= 3 GROUP BY day ORDER BY day",
    "SELECT big, price FROM orders WHERE id = 7",
    "SELECT max(id) AS top, min(qty) AS low FROM orders",
    "SELECT id + 1 AS a, id * qty AS b, -id AS c, abs(qty) AS d, qty + qty AS e, big - id AS f "
    "FROM orders ORDER BY id LIMIT 3",
    "SELECT 1 AS a, 3000000000 AS b, 1.5 AS c, 'x' AS d FROM orders LIMIT 1",
]


@pytest.fixture(scope="module")
def mirror_schema() -> Iterator[str]:
    yield from pg_mirror_schema("types")


@pytest.fixture(scope="module")
def mirror(tls_dir: Path, demo_duckdb: Path, mirror_schema: str) -> Iterator[ThreadedGateway]:
    yield from mirror_gateway(tls_dir, demo_duckdb, mirror_schema)


@pytest.fixture(scope="module")
def ours(mirror: ThreadedGateway) -> Iterator[Libpq]:
    client = Libpq(mirror.gw.dsn())
    yield client
    client.close()


@pytest.fixture(scope="module")
def theirs(mirror_schema: str) -> Iterator[Libpq]:
    client = Libpq(direct_dsn(mirror_schema))
    yield client
    client.close()


@pytest.mark.parametrize("sql", QUERIES)
def test_result_types_and_values_match_postgres(ours: Libpq, theirs: Libpq, sql: str) -> None:
    our_rows, our_types = ours.run(sql, [])
    their_rows, their_types = theirs.run(sql, [])
    assert our_types == their_types
    assert our_rows == their_rows


@pytest.mark.parametrize("sql", QUERIES[:4])
def test_describe_before_execution_matches_postgres(ours: Libpq, theirs: Libpq, sql: str) -> None:
    assert result_types(ours, sql) == result_types(theirs, sql)


def test_catalog_types_match_postgres(mirror: ThreadedGateway, mirror_schema: str) -> None:
    """``\\d orders``, JDBC getColumns and SQLAlchemy read these: they must agree with what
    the rows then carry (binary decoders are chosen from them)."""
    sql = ("SELECT column_name, data_type, numeric_precision, numeric_scale "
           "FROM information_schema.columns WHERE table_name = 'orders' AND column_name IN "
           f"({', '.join(repr(d) for d in DIMENSIONS)}) ORDER BY column_name")
    with psycopg.connect(mirror.gw.dsn()) as conn:
        ours = conn.execute(sql).fetchall()
    with psycopg.connect(direct_dsn(mirror_schema)) as conn:
        theirs = conn.execute(sql.replace("table_name = 'orders'", "table_name = 'orders' "
                                          f"AND table_schema = '{mirror_schema}'")).fetchall()
    assert [r[:2] for r in ours] == [r[:2] for r in theirs]


@pytest.mark.parametrize("sql", [
    "SELECT sum(amount) / 0 AS x FROM orders",
    "SELECT count(*) FROM orders WHERE id / (qty - qty) > 1",
    "SELECT sum(big * 1000000000) AS x FROM orders",
])
def test_data_exceptions_keep_postgres_sqlstate(ours: Libpq, theirs: Libpq, sql: str) -> None:
    with pytest.raises(LibpqError) as their_err:
        theirs.run(sql, [])
    with pytest.raises(LibpqError) as our_err:
        ours.run(sql, [])
    assert our_err.value.sqlstate == their_err.value.sqlstate
    assert their_err.value.sqlstate.startswith("22")


@pytest.mark.parametrize("sql", [
    "SELECT 1/0",
    "SELECT 2147483647 + 1",
    "SELECT 9223372036854775807 * 2",
    "SELECT 'abc'::int",
])
def test_catalog_side_data_exceptions_keep_postgres_sqlstate(
    ours: Libpq, theirs: Libpq, sql: str
) -> None:
    """Statements without a cube run in the catalog sandbox (DuckDB): its errors for the same
    data exceptions carry PostgreSQL's SQLSTATE, not "not supported"."""
    with pytest.raises(LibpqError) as their_err:
        theirs.run(sql, [])
    with pytest.raises(LibpqError) as our_err:
        ours.run(sql, [])
    assert our_err.value.sqlstate == their_err.value.sqlstate
