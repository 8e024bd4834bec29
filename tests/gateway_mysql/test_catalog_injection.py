"""Catalog statements cannot run code on the gateway host (issue 11, finding 1).

The MySQL gateway once answered information_schema queries, FROM-less SELECTs and SHOW ...
WHERE with sqlglot's Python executor, which renders SQL as Python source and evaluates it: a
quoted identifier ending in a backslash escaped the generated string literal, and the rest
of the next identifier ran as Python. Each statement here is what an attacker holding a
credential sends over the real socket; none may create the marker file, and the connection
must answer each with a result or a clean error and stay usable.
"""

from __future__ import annotations

from pathlib import Path

import pymysql
import pytest

from .conftest import Gateway
from .test_pymysql import connect


def _payload(marker: Path) -> str:
    # Lower case: the old executor lower-cased identifiers before generating Python.
    return f"+str(__import__('os').system('touch {marker}'))]#"


def hostile_statements(marker: Path) -> list[str]:
    code = _payload(marker)
    # A derived table keeps its own scope (LIMIT stops sqlglot merging it), so the outer
    # reference renders as scope["<alias>"]["<column>"] with both names attacker-chosen.
    derived = (f"SELECT `a\\`.`{code}` FROM (SELECT table_name AS `{code}` "
               f"FROM information_schema.tables LIMIT 5) AS `a\\`")
    scalar = (f"(SELECT `a\\`.`{code}` FROM (SELECT 1 AS `{code}` LIMIT 1) AS `a\\`)")
    sys_call = f"__import__('os').system('touch {marker}')"
    return [
        derived,
        derived.replace("information_schema.tables", "information_schema.columns"),
        f"SELECT * FROM ({derived}) AS `b\\`",
        # In a FROM-less select and in SHOW ... WHERE, through a scalar subquery.
        f"SELECT {scalar} AS x",
        f"SELECT @@version_comment, {scalar}",
        f"SHOW TABLES WHERE Tables_in_db IN {scalar}",
        f"SHOW FULL TABLES WHERE Tables_in_db = {scalar}",
        f"SHOW VARIABLES WHERE Variable_name = {scalar}",
        # Backslashes in string literals, aliases and LIKE patterns.
        f"SELECT 'x\\\\' AS `y\\`, '{sys_call}' AS `z\\` FROM information_schema.tables",
        "SELECT table_name AS `t\\` FROM information_schema.tables "
        "WHERE table_name = 'a\\\\' OR table_name = '\\' OR 1=1 -- '",
        f"SELECT 'a\\\\', \"b\\\\\" , `{sys_call}`",
        f"SHOW TABLES LIKE 'ord\\\\%{sys_call}'",
        f"SHOW COLUMNS FROM orders WHERE `Field` = 'a\\\\' OR `{sys_call}` = 1",
        f"SELECT `{sys_call}` FROM information_schema.schemata AS `s\\`",
    ]


@pytest.mark.parametrize("index", range(len(hostile_statements(Path("/x")))))
def test_catalog_statements_never_run_code(gw: Gateway, tmp_path: Path, index: int) -> None:
    marker = tmp_path / "marker"
    sql = hostile_statements(marker)[index]
    with connect(gw) as conn, conn.cursor() as cur:
        try:
            cur.execute(sql)
            cur.fetchall()
        except pymysql.err.MySQLError as exc:
            code = exc.args[0]
            assert code in (1054, 1064, 1146, 1235), exc  # unknown column, syntax, table, n/s
            assert "Traceback" not in str(exc)
        assert not marker.exists(), f"code ran on the gateway host: {sql}"
        cur.execute("SELECT 1")
        assert cur.fetchone() == (1,)


def test_backslashes_are_data_not_syntax(gw: Gateway) -> None:
    """The same characters used legitimately come back as the values they are."""
    with connect(gw) as conn, conn.cursor() as cur:
        cur.execute("SELECT 'a\\\\b' AS `x\\`")
        assert cur.fetchall() == (("a\\b",),)
        assert cur.description[0][0] == "x\\"
        cur.execute("SELECT table_name AS `t\\` FROM information_schema.tables "
                    "WHERE table_name <> 'a\\\\' ORDER BY 1")
        assert [r[0] for r in cur.fetchall()] == ["orders", "secrets"]
        cur.execute("SHOW TABLES LIKE 'ord\\\\%'")  # LIKE 'ord\%': a literal percent sign
        assert cur.fetchall() == ()
