"""Local answers (no socket): SHOW, SET, @@variables and information_schema."""

from __future__ import annotations

import pytest

from backend.core.errors import NotSupported, SourceDatabaseMissing, UnknownTable
from gateway.engine.types import VirtualColumn, VirtualTable
from gateway.mysql import metadata

TABLES = [
    VirtualTable("orders", (VirtualColumn("id", "numeric", "dimension"),
                            VirtualColumn("status", "text", "dimension", "Order status"),
                            VirtualColumn("count", "int8", "measure")), "Customer orders"),
    VirtualTable("people", (VirtualColumn("name", "text", "dimension"),)),
]


def state() -> metadata.SessionState:
    return metadata.SessionState("u", 7, TABLES, "db")


def rows(sql: str, st: metadata.SessionState | None = None) -> list[tuple[object, ...]]:
    result = metadata.answer(sql, st or state())
    assert isinstance(result, metadata.LocalResult), result
    return result.rows


def test_show_filters() -> None:
    assert rows("SHOW TABLES LIKE 'ord%'") == [("orders",)]
    assert rows("SHOW FULL TABLES WHERE Tables_in_db = 'people'") == [("people", "BASE TABLE")]
    assert rows("SHOW COLUMNS FROM orders LIKE 's%'") == [
        ("status", "text", "YES", "", None, "")]
    assert rows("SHOW VARIABLES WHERE Variable_name IN ('autocommit', 'version')") == [
        ("autocommit", "1"), ("version", "8.0.36-metricsql")]


def test_set_and_variables() -> None:
    st = state()
    for sql in ("SET NAMES latin1", "SET @x = 5", "SET SESSION wait_timeout = 10",
                "SET sql_mode = concat(@@sql_mode, ',ANSI_QUOTES'), autocommit = 0",
                "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
                "SET something we cannot even parse ((("):
        assert metadata.answer(sql, st) == metadata.LocalOk()
    assert rows("SELECT @@character_set_client, @x, @@wait_timeout, @@autocommit", st) == [
        ("latin1", 5, 10, 0)]
    assert str(rows("SELECT @@sql_mode", st)[0][0]).endswith(",ANSI_QUOTES")


def test_use_and_unknown_things() -> None:
    st = state()
    with pytest.raises(SourceDatabaseMissing):
        metadata.answer("USE other", st)
    assert metadata.answer("USE information_schema", st) == metadata.LocalOk()
    assert rows("SHOW TABLES", st) == []
    with pytest.raises(UnknownTable):
        metadata.answer("SHOW CREATE TABLE orders", st)  # now in information_schema
    with pytest.raises(NotSupported):
        metadata.answer("SHOW BINLOG EVENTS", state())
    assert metadata.answer("SELECT status FROM orders", state()) is None  # the engine's


def test_information_schema_joins_and_parameters() -> None:
    sql = ("SELECT t.TABLE_NAME, COUNT(*) AS n FROM information_schema.TABLES t "
           "JOIN information_schema.COLUMNS c ON c.TABLE_NAME = t.TABLE_NAME "
           "WHERE t.TABLE_SCHEMA = ? GROUP BY t.TABLE_NAME ORDER BY t.TABLE_NAME")
    result = metadata.answer(sql, state(), ["db"])
    assert isinstance(result, metadata.LocalResult)
    assert [c.name for c in result.columns] == ["TABLE_NAME", "n"]
    assert result.rows == [("orders", 3), ("people", 1)]
    assert metadata.placeholder_count(sql) == 1


def test_per_row_variable_assignments_as_odbc_writes_them() -> None:
    sql = ("SELECT COLUMN_NAME, CASE DATA_TYPE WHEN 'bigint' THEN @dt:=(-5) "
           "WHEN 'text' THEN @dt:=(-10) ELSE @dt:=3 END AS DATA_TYPE, "
           "CAST(CASE @dt WHEN (-5) THEN 20 ELSE CHARACTER_MAXIMUM_LENGTH END AS SIGNED) AS L, "
           "CONCAT(CHAR(39), 'x', CHAR(39)) AS q, LEAST(ORDINAL_POSITION, 2) AS p "
           "FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA=DATABASE()AND TABLE_NAME "
           "LIKE 'orders' ORDER BY ORDINAL_POSITION")
    assert rows(sql) == [("id", 3, None, "'x'", 1), ("status", -10, 65535, "'x'", 2),
                         ("count", -5, 20, "'x'", 2)]


def test_create_table_quotes_names_and_comments() -> None:
    st = metadata.SessionState("u", 1, [VirtualTable(
        "we`ird", (VirtualColumn("it's", "text", "dimension", "a 'quoted' note"),), "d'oh")],
        "db")
    ((name, ddl),) = rows("SHOW CREATE TABLE `we``ird`", st)
    assert name == "we`ird"
    assert ddl == ("CREATE TABLE `we``ird` (\n  `it's` text DEFAULT NULL COMMENT "
                   "'a ''quoted'' note'\n) ENGINE=MetricSQL DEFAULT CHARSET=utf8mb4 "
                   "COLLATE=utf8mb4_general_ci COMMENT='d''oh'")


KEYED = [VirtualTable("orders", (VirtualColumn("id", "numeric", "dimension", primary_key=True),
                                 VirtualColumn("status", "text", "dimension")))]


def test_primary_keys_are_reported_everywhere_clients_look() -> None:
    st = metadata.SessionState("u", 7, KEYED, "db")
    assert rows("DESCRIBE orders", st) == [("id", "decimal(65,30)", "NO", "PRI", None, ""),
                                           ("status", "text", "YES", "", None, "")]
    ((_, ddl),) = rows("SHOW CREATE TABLE orders", st)
    assert isinstance(ddl, str)
    assert "`id` decimal(65,30) NOT NULL" in ddl and "PRIMARY KEY (`id`)" in ddl
    assert [(r[2], r[3], r[4]) for r in rows("SHOW INDEX FROM orders", st)] == [
        ("PRIMARY", 1, "id")]
    assert rows("SELECT column_name, column_key FROM information_schema.columns "
                "WHERE table_name = 'orders' ORDER BY ordinal_position", st) == [
        ("id", "PRI"), ("status", "")]
    assert rows("SELECT constraint_type FROM information_schema.table_constraints "
                "WHERE table_name = 'orders'", st) == [("PRIMARY KEY",)]


def test_engine_errors_are_worded_as_mysql_words_them() -> None:
    from backend.core.errors import UnknownColumn
    from gateway.mysql.errors import mysql_message

    assert mysql_message(UnknownTable('relation "nope" does not exist', hint="did you mean x?")
                         ) == "Table 'db.nope' doesn't exist (hint: did you mean x?)"
    assert mysql_message(UnknownColumn('column "foo" does not exist')
                         ) == "Unknown column 'foo' in 'field list'"
    assert mysql_message(UnknownTable("Table 'db.x' doesn't exist")) == "Table 'db.x' doesn't exist"
