"""PyMySQL over a real socket with TLS: login, queries, metadata, errors."""

from __future__ import annotations

import ssl
from typing import Any

import pymysql
import pytest

from .conftest import Gateway


def connect(gw: Gateway, *, user: str | None = None, password: str | None = None,
            database: str | None = "db", tls: bool = True) -> pymysql.Connection[Any]:
    ctx = ssl.create_default_context(cafile=str(gw.tls_dir / "server.crt"))
    ctx.check_hostname = False
    return pymysql.connect(
        host="127.0.0.1", port=gw.port, user=user or gw.user,
        password=gw.password if password is None else password, database=database,
        ssl=ctx if tls else None, ssl_disabled=not tls, connect_timeout=10, read_timeout=30,
    )


def expected_by_status() -> list[tuple[str, int, float]]:
    """What the demo data holds (conftest: ids 1..1000, every third one completed)."""
    ids = range(1, 1001)
    done = [i for i in ids if i % 3 == 0]
    pending = [i for i in ids if i % 3 != 0]
    return [("completed", len(done), float(sum(done))),
            ("pending", len(pending), float(sum(pending)))]


def test_query_matches_the_source(gw: Gateway) -> None:
    with connect(gw) as conn, conn.cursor() as cur:
        cur.execute("SELECT status, `count`, amount FROM orders GROUP BY 1 ORDER BY 1")
        rows = cur.fetchall()
        names = [d[0] for d in cur.description]
    assert names == ["status", "count", "amount"]
    assert [(s, int(c), float(a)) for s, c, a in rows] == expected_by_status()


def test_rows_are_streamed_in_full(gw: Gateway) -> None:
    with connect(gw) as conn, conn.cursor(pymysql.cursors.SSCursor) as cur:
        cur.execute("SELECT id, created_at FROM orders ORDER BY id")
        rows = list(cur)
    assert len(rows) == 1000
    assert rows[0][0] == 1 and str(rows[0][1]) == "2024-01-01 01:00:00"


def test_connect_time_queries(gw: Gateway) -> None:
    with connect(gw) as conn, conn.cursor() as cur:
        cur.execute("SELECT @@version_comment LIMIT 1")
        assert cur.fetchone() == ("metricsql SQL API",)
        cur.execute("SET NAMES utf8mb4")
        cur.execute("SET autocommit = 0")
        cur.execute("SET @@session.sql_mode = concat(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO')")
        cur.execute("SELECT @@session.sql_mode, DATABASE(), @@autocommit")
        mode, database, autocommit = cur.fetchone()
        assert mode.endswith(",NO_AUTO_VALUE_ON_ZERO") and database == "db"
        assert autocommit == 0
        cur.execute("SHOW DATABASES")
        assert [r[0] for r in cur.fetchall()] == ["information_schema", "db"]
        cur.execute("SHOW FULL TABLES")
        assert cur.fetchall() == (("orders", "BASE TABLE"), ("secrets", "BASE TABLE"))
        cur.execute("SHOW VARIABLES LIKE 'max_allowed%'")
        assert cur.fetchall() == (("max_allowed_packet", "67108864"),)
        cur.execute("SHOW COLLATION")
        assert ("utf8mb4_general_ci", "utf8mb4", 45) in [r[:3] for r in cur.fetchall()]
        cur.execute("DESCRIBE orders")
        assert [r[0] for r in cur.fetchall()][:3] == ["id", "status", "created_at"]
        cur.execute("USE db")
        conn.ping()


def test_show_create_table(gw: Gateway) -> None:
    with connect(gw) as conn, conn.cursor() as cur:
        cur.execute("SHOW CREATE TABLE `orders`")
        name, ddl = cur.fetchone()
    assert name == "orders"
    assert ddl.startswith("CREATE TABLE `orders` (")
    assert "`status` text DEFAULT NULL COMMENT 'dimension (string). Order status'" in ddl
    assert "COMMENT='Customer orders'" in ddl


def test_information_schema_ordinal_position_starts_at_1(gw: Gateway) -> None:
    with connect(gw) as conn, conn.cursor() as cur:
        cur.execute("SELECT COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE FROM "
                    "information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
                    "AND TABLE_NAME = 'orders' ORDER BY ORDINAL_POSITION")
        rows = cur.fetchall()
        cur.execute("SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = 'db' ORDER BY table_name")
        tables = [r[0] for r in cur.fetchall()]
    assert rows[0] == ("id", 1, "bigint")  # the DuckDB source column is BIGINT
    assert [r[1] for r in rows] == list(range(1, len(rows) + 1))
    assert tables == ["orders", "secrets"]


def test_errors_are_rendered_and_the_connection_survives(gw: Gateway) -> None:
    with connect(gw) as conn, conn.cursor() as cur:
        with pytest.raises(pymysql.err.MySQLError) as info:
            cur.execute("SELECT nope FROM orders")
        assert info.value.args[0] == 1054
        with pytest.raises(pymysql.err.MySQLError) as info:
            cur.execute("SHOW CREATE TABLE missing")
        assert info.value.args[0] == 1146
        with pytest.raises(pymysql.err.MySQLError) as info:
            cur.execute("USE other")
        assert info.value.args[0] == 1049
        cur.execute("SELECT 1")
        assert cur.fetchone() == (1,)


def test_unknown_user_and_wrong_password_get_the_same_error(gw: Gateway) -> None:
    with pytest.raises(pymysql.err.OperationalError) as wrong:
        connect(gw, password="wrong")
    with pytest.raises(pymysql.err.OperationalError) as unknown:
        connect(gw, user="nobody_here", password="wrong")
    assert wrong.value.args[0] == unknown.value.args[0] == 1045
    assert wrong.value.args[1].replace(gw.user, "U") == \
        unknown.value.args[1].replace("nobody_here", "U")
    assert wrong.value.args[1] == f"Access denied for user '{gw.user}'"


def test_login_without_tls_is_refused_clearly(gw: Gateway) -> None:
    with pytest.raises(pymysql.err.OperationalError) as info:
        connect(gw, tls=False)
    assert info.value.args[0] == 1045
    assert "TLS is required" in info.value.args[1]


def test_revoked_credential_ends_the_session(gw: Gateway) -> None:
    conn = connect(gw)
    try:
        grant = gw.grants.grants.pop(gw.user)
        try:
            with pytest.raises(pymysql.err.MySQLError) as info, conn.cursor() as cur:
                cur.execute("SELECT status FROM orders")
            assert info.value.args[0] == 1927
        finally:
            gw.grants.grants[gw.user] = grant
    finally:
        conn.close()
