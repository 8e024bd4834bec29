"""Python drivers over real sockets: psycopg 3, psycopg2, asyncpg, SQLAlchemy, pandas."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal

import asyncpg
import pandas as pd
import psycopg
import psycopg2
import pytest
import sqlalchemy as sa

from tests.gateway_pg.conftest import ThreadedGateway


def test_psycopg3_connect_time_queries_and_params(tgw: ThreadedGateway) -> None:
    with psycopg.connect(tgw.gw.dsn()) as conn:
        assert conn.info.server_version == 150004
        assert conn.info.parameter_status("standard_conforming_strings") == "on"
        row = conn.execute(
            "select current_schema(), %s::int + 1, %s, %s::text", (41, "x", None)
        ).fetchone()
        assert row == ("public", 42, "x", None)
        assert conn.execute(
            "select typname from pg_catalog.pg_type where oid = %s", (20,)
        ).fetchall() == [("int8",)]
        # psycopg's type lookup, as SQLAlchemy runs it inside a savepoint.
        with conn.transaction():
            assert psycopg.types.TypeInfo.fetch(conn, "hstore") is None
        info = psycopg.types.TypeInfo.fetch(conn, "numeric")
        assert info is not None and info.oid == 1700
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
        conn.commit()
        status = conn.info.transaction_status
        assert status == psycopg.pq.TransactionStatus.IDLE  # type: ignore[comparison-overlap]


def test_psycopg3_transaction_status_and_aborted_transactions(tgw: ThreadedGateway) -> None:
    with psycopg.connect(tgw.gw.dsn()) as conn:
        conn.execute("select 1")
        status = conn.info.transaction_status
        assert status == psycopg.pq.TransactionStatus.INTRANS
        with pytest.raises(psycopg.errors.UndefinedTable):
            conn.execute("select * from pg_catalog.pg_nope")
        status = conn.info.transaction_status
        assert status == psycopg.pq.TransactionStatus.INERROR
        with pytest.raises(psycopg.errors.InFailedSqlTransaction):
            conn.execute("select 1")
        conn.rollback()
        assert conn.execute("select 2").fetchone() == (2,)


def test_psycopg3_binary_and_server_side_cursor(tgw: ThreadedGateway) -> None:
    with psycopg.connect(tgw.gw.dsn(), autocommit=True) as conn:
        cur = conn.cursor(binary=True)
        row = cur.execute(
            "select true, 2::int2, 3::int8, 1.5::float8, 2.50::numeric, 'é'::text, "
            "date '2024-01-02', timestamp '2024-01-02 03:04:05'"
        ).fetchone()
        assert row == (True, 2, 3, 1.5, Decimal("2.50"), "é", dt.date(2024, 1, 2),
                       dt.datetime(2024, 1, 2, 3, 4, 5))
        with conn.transaction(), conn.cursor(name="c1") as named, pytest.raises(
            psycopg.errors.FeatureNotSupported
        ):
            named.execute("select 1")


def test_psycopg2(tgw: ThreadedGateway) -> None:
    conn = psycopg2.connect(tgw.gw.dsn())
    try:
        cur = conn.cursor()
        cur.execute("select relname from pg_class where relkind = %s order by 1", ("r",))
        assert cur.fetchall() == [("orders",), ("secrets",)]
        cur.execute("show transaction isolation level")
        assert cur.fetchone() == ("read committed",)
        conn.rollback()
    finally:
        conn.close()


async def test_asyncpg_extended_protocol_and_binary(tgw: ThreadedGateway) -> None:
    gw = tgw.gw
    conn = await asyncpg.connect(host="127.0.0.1", port=gw.port, user=gw.user,
                                 password=gw.password, database="db", ssl="require")
    try:
        rows = await conn.fetch(
            "select oid, typname, typlen from pg_type where oid = $1 or typname = $2 order by oid",
            23, "bool",
        )
        assert [tuple(r) for r in rows] == [(16, "bool", 1), (23, "int4", 4)]
        stmt = await conn.prepare("select attname, attnum from pg_attribute "
                                  "where attrelid = $1 and attnum > 0 order by attnum")
        oid = await conn.fetchval("select oid from pg_class where relname = 'orders'")
        names = [r["attname"] for r in await stmt.fetch(oid)]
        assert names == ["id", "status", "created_at", "count", "amount"]
        assert await conn.fetchval("select $1::numeric * 2", Decimal("1.25")) == Decimal("2.50")
        assert await conn.fetchval("select $1::date", dt.date(2020, 2, 29)) == dt.date(2020, 2, 29)
        # A cursor fetching in chunks exercises Execute row limits and PortalSuspended.
        async with conn.transaction():
            got = [r[0] async for r in conn.cursor(
                "select attname from pg_attribute order by attrelid, attnum", prefetch=2)]
        assert len(got) >= 8
    finally:
        await conn.close()


async def test_asyncpg_pool_reset(tgw: ThreadedGateway) -> None:
    gw = tgw.gw
    pool = await asyncpg.create_pool(host="127.0.0.1", port=gw.port, user=gw.user,
                                     password=gw.password, database="db", ssl="require",
                                     min_size=1, max_size=2)
    try:
        for _ in range(3):
            async with pool.acquire() as conn:
                assert await conn.fetchval("select 1") == 1
    finally:
        await asyncio.wait_for(pool.close(), 10)


@pytest.mark.parametrize("driver", ["psycopg", "psycopg2"])
def test_sqlalchemy_inspector(tgw: ThreadedGateway, driver: str) -> None:
    engine = sa.create_engine(tgw.gw.url(f"postgresql+{driver}") + "?sslmode=require")
    try:
        insp = sa.inspect(engine)
        assert insp.get_table_names() == ["orders", "secrets"]
        cols = {c["name"]: c for c in insp.get_columns("orders")}
        assert list(cols) == ["id", "status", "created_at", "count", "amount"]
        assert isinstance(cols["created_at"]["type"], sa.TIMESTAMP)
        assert cols["status"]["comment"] == "Dimension (string): Order status"
        assert cols["amount"]["comment"] == "Measure (sum)"
        assert insp.get_pk_constraint("orders")["constrained_columns"] == ["id"]
        assert insp.get_foreign_keys("orders") == []
        assert insp.get_table_comment("orders")["text"] == "Customer orders"
        assert "public" in insp.get_schema_names()
        meta = sa.MetaData()
        meta.reflect(engine)
        assert set(meta.tables) == {"orders", "secrets"}
    finally:
        engine.dispose()


def test_pandas_read_sql_catalog(tgw: ThreadedGateway) -> None:
    engine = sa.create_engine(tgw.gw.url("postgresql+psycopg") + "?sslmode=require")
    try:
        df = pd.read_sql("select table_name, column_name from information_schema.columns "
                         "where table_name = 'secrets' order by ordinal_position", engine)
        assert df["column_name"].tolist() == ["id", "code", "count"]
    finally:
        engine.dispose()
