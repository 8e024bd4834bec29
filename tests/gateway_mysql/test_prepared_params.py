"""Prepared statements whose parameters arrive as text (issue 14): ODBC with SQL_C_CHAR,
Excel, Power BI and Connector/J's setString bind every value as a string, and MySQL converts
``'5'`` compared with an integer column. Over a PostgreSQL data source (asyncpg refuses a str
for a numeric placeholder) the gateway converts by the type the context implies, and
COM_STMT_PREPARE announces those types."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from typing import Any

import mysql.connector
import pytest

from tests.gateway_common import make_grant
from tests.gateway_pg.mirror import MODEL, pg_mirror_schema

from .conftest import ThreadedGateway

PG_SOURCE = {"host": "127.0.0.1", "port": 5432, "database": "test", "user": "postgres",
             "password": ""}


@pytest.fixture(scope="module")
def schema() -> Iterator[str]:
    yield from pg_mirror_schema("mysql_params")


@pytest.fixture
def conn(tgw: ThreadedGateway, schema: str) -> Iterator[Any]:
    user, password = "u_" + secrets.token_hex(4), "pw-" + secrets.token_urlsafe(10)
    tgw.gw.grants.grants[user] = make_grant(user, password, source_type="POSTGRES",
                                            source_params=PG_SOURCE,
                                            model=MODEL.format(schema=schema))
    c = mysql.connector.connect(host="127.0.0.1", port=tgw.gw.port, user=user,
                                password=password, database="db", ssl_verify_cert=False,
                                use_pure=True, connection_timeout=10)
    try:
        yield c
    finally:
        c.close()


def test_text_parameters_are_converted_by_context(conn: Any) -> None:
    cur = conn.cursor(prepared=True)
    cur.execute("SELECT COUNT(*) FROM orders WHERE id <= ? AND created_at >= ? AND price > ?",
                ("100", "2024-01-02 00:00:00", "10.5"))
    # id 24..100 (created_at from 2024-01-02 00:00) with price = id * 1.25 > 10.5 (id >= 9)
    assert cur.fetchall() == [(77,)]
    cur.execute("SELECT COUNT(*) FROM orders WHERE day = ? AND 1 = ?", ("2024-01-05", "1"))
    assert cur.fetchall() == [(1,)]
    cur.close()


def test_prepare_announces_inferred_types(conn: Any) -> None:
    cur = conn.cursor(prepared=True)
    cur.execute("SELECT status FROM orders WHERE id = ? AND created_at < ? AND status = ? "
                "LIMIT ?", ("1", "2024-02-01", "pending", "5"))
    cur.fetchall()
    # LONG (id is an integer column on the source), DATETIME, VAR_STRING, LONGLONG
    assert [p[1] for p in cur._prepared["parameters"]] == [3, 12, 253, 8]
    cur.close()


def test_a_value_that_is_not_a_number_is_refused(conn: Any) -> None:
    cur = conn.cursor(prepared=True)
    with pytest.raises(mysql.connector.Error) as caught:
        cur.execute("SELECT COUNT(*) FROM orders WHERE id = ?", ("5 OR 1=1",))
    assert caught.value.errno == 1210
    assert "Incorrect int value" in str(caught.value)
    cur.close()


def test_integer_columns_keep_their_type(conn: Any) -> None:
    """Issue 14: ids came out decimal(65,30); the source's integer types now show through in
    DESCRIBE, information_schema and the resultset column definitions."""
    cur = conn.cursor()
    cur.execute("DESCRIBE orders")
    types = {r[0]: r[1] for r in cur.fetchall()}
    assert (types["id"], types["qty"], types["big"], types["day"]) == (
        "int", "smallint", "bigint", "date")
    assert types["price"].startswith("decimal")
    cur.execute("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_NAME = 'orders' "
                "AND COLUMN_NAME IN ('id', 'big') ORDER BY ORDINAL_POSITION")
    assert cur.fetchall() == [("int",), ("bigint",)]
    cur.execute("SELECT id, qty, big, day FROM orders WHERE id = 3")
    # LONG, SHORT, LONGLONG, DATE
    assert [d[1] for d in cur.description] == [3, 2, 8, 10]
    assert cur.fetchall() == [(3, 3, 30000000000, dt.date(2024, 1, 4))]
    cur.close()
