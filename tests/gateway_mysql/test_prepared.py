"""Server-side prepared statements (COM_STMT_PREPARE/EXECUTE) with mysql-connector-python."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import mysql.connector
import pytest

from .conftest import Gateway


@pytest.fixture
def conn(gw: Gateway) -> Iterator[Any]:
    c = mysql.connector.connect(
        host="127.0.0.1", port=gw.port, user=gw.user, password=gw.password, database="db",
        ssl_verify_cert=False, use_pure=True, connection_timeout=10,
    )
    try:
        yield c
    finally:
        c.close()


def test_typed_parameters(conn: Any) -> None:
    cur = conn.cursor(prepared=True)
    cur.execute("SELECT COUNT(*) FROM orders WHERE status = ?", ("pending",))
    assert [int(r[0]) for r in cur.fetchall()] == [667]
    cur.execute("SELECT id, status FROM orders WHERE id = ?", (5,))
    rows = cur.fetchall()
    assert [(int(i), s) for i, s in rows] == [(5, "pending")]
    cur.execute("SELECT id FROM orders WHERE created_at < ? ORDER BY id",
                (dt.datetime(2024, 1, 1, 3, 0),))
    assert [int(r[0]) for r in cur.fetchall()] == [1, 2]
    cur.close()


def test_parameters_cannot_inject_sql(conn: Any) -> None:
    """The injection defect: a parameter is a value, whatever quotes it contains."""
    cur = conn.cursor(prepared=True)
    for hostile in ("pending' OR '1'='1", "x'; SELECT * FROM secrets; --", "\\' OR 1=1 -- "):
        cur.execute("SELECT `count` FROM orders WHERE status = ?", (hostile,))
        assert [int(r[0] or 0) for r in cur.fetchall()] in ([], [0])
    cur.close()


def test_binary_resultset_types(conn: Any) -> None:
    cur = conn.cursor(prepared=True)
    cur.execute("SELECT id, status, created_at, amount FROM orders WHERE id = ?", (3,))
    (row,) = cur.fetchall()
    assert int(row[0]) == 3 and row[1] == "completed"
    assert row[2] == dt.datetime(2024, 1, 1, 3, 0)
    assert float(row[3]) == 3.0
    cur.close()


def test_statement_reuse_close_and_metadata(conn: Any) -> None:
    cur = conn.cursor(prepared=True)
    for status, expected in (("pending", 667), ("completed", 333)):
        cur.execute("SELECT COUNT(*) FROM orders WHERE status = ?", (status,))
        assert int(cur.fetchall()[0][0]) == expected
    cur.execute("SELECT @@version_comment")
    assert cur.fetchall() == [("metricsql SQL API",)]
    cur.close()
    plain = conn.cursor()
    plain.execute("SHOW TABLES")
    assert plain.fetchall() == [("orders",), ("secrets",)]
    plain.close()


def test_catalog_queries_take_parameters(conn: Any) -> None:
    cur = conn.cursor(prepared=True)
    cur.execute("SELECT COLUMN_NAME, ORDINAL_POSITION FROM information_schema.COLUMNS "
                "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
                ("db", "orders"))
    rows = cur.fetchall()
    assert rows[0] == ("id", 1) and rows[1] == ("status", 2)
    cur.execute("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_NAME = ?",
                ("orders' OR '1'='1",))
    assert cur.fetchall() == []
    cur.close()
