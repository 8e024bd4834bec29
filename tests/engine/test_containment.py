"""Containment: no piece of client SQL reaches a data source unless the engine's allowlist
knows it. Each case is a shape an attacker sent (or a variant a narrow fix would miss) and must
be refused with 0A000 (or a syntax error) on every client and target dialect — never compiled.
"""

from __future__ import annotations

import pytest

from backend.core.errors import AppError, NotSupported, SqlSyntaxError
from backend.semantic.model import ALLOW_ALL
from gateway.engine import compile_query

from .models import demo_models

MODELS = demo_models("demo")
TARGETS = ("postgres", "mysql", "sqlite", "duckdb")
SECRET = "(SELECT CAST(secret AS int) FROM any_schema.any_table)"

# Client SQL that once reached (or could reach) the data source verbatim.
HOSTILE_POSTGRES = [
    # LIMIT/OFFSET/FETCH without FROM, over cubes, over subqueries and over set operations.
    f"SELECT 1 LIMIT {SECRET}",
    f"SELECT 1 OFFSET {SECRET}",
    f"SELECT 1 FETCH FIRST {SECRET} ROWS ONLY",
    "SELECT 1 LIMIT pg_sleep(1)::int",
    "SELECT 1 LIMIT 1 + (SELECT 1)",
    "SELECT 'x' LIMIT CAST(pg_read_file('/etc/passwd') AS int)",
    f"SELECT status FROM orders LIMIT {SECRET}",
    f"SELECT status FROM orders OFFSET {SECRET}",
    f"SELECT status FROM orders FETCH FIRST {SECRET} ROWS ONLY",
    f"SELECT * FROM (SELECT status FROM orders) t LIMIT {SECRET}",
    f"SELECT * FROM (SELECT status FROM orders) t OFFSET {SECRET}",
    f"SELECT status FROM orders UNION SELECT status FROM orders LIMIT {SECRET}",
    f"WITH c AS (SELECT status FROM orders LIMIT {SECRET}) SELECT * FROM c",
    f"SELECT 1 LIMIT $1 + {SECRET}",
    "SELECT 1 LIMIT CAST($1 AS int) + 1",
    f"SELECT 1 LIMIT CAST({SECRET} AS int)",
    # Star modifiers (DuckDB/BigQuery/Snowflake syntax that sqlglot parses for PostgreSQL).
    f"SELECT * REPLACE ({SECRET} AS status) FROM (SELECT status FROM orders) t",
    "SELECT * EXCLUDE (status) FROM (SELECT status, MEASURE(count) FROM orders) t",
    "SELECT t.* REPLACE (1 AS status) FROM (SELECT status FROM orders) t",
    "SELECT * RENAME (status AS s) FROM (SELECT status FROM orders) t",
    "SELECT * EXCEPT (status) FROM (SELECT status FROM orders) t",
    "SELECT COUNT(* EXCLUDE (status)) FROM orders",
    # Type arguments.
    f"SELECT CAST(status AS VARCHAR({SECRET})) FROM orders",
    "SELECT status::varchar(pg_sleep(1)::int) FROM orders",
    f"SELECT CAST(amount_value AS DECIMAL(10, {SECRET})) FROM orders",
    f"SELECT CAST(1 AS VARCHAR({SECRET}))",
    f"SELECT * FROM (SELECT CAST(status AS VARCHAR({SECRET})) AS s FROM orders) t",
    "SELECT CAST(status AS VARCHAR(-1)) FROM orders",
    "SELECT CAST(status AS VARCHAR('x')) FROM orders",
    # Subqueries and functions in every expression slot.
    f"SELECT {SECRET}",
    f"SELECT status FROM orders WHERE status IN {SECRET}",
    f"SELECT status FROM orders WHERE EXISTS {SECRET}",
    f"SELECT * FROM (SELECT status FROM orders) t WHERE t.status = {SECRET}",
    "SELECT pg_sleep(1)",
    "SELECT * FROM (SELECT status FROM orders) t WHERE pg_sleep(1) IS NULL",
    "SELECT * FROM (SELECT status FROM orders) t ORDER BY pg_sleep(1)",
    "SELECT * FROM (SELECT status FROM orders) t GROUP BY pg_read_file('x')",
    # COLLATE "C" is rendered from a fixed table (functions.py); other names are refused.
    "SELECT status FROM orders ORDER BY status COLLATE \"de_DE\" LIMIT 1",
    "SELECT TRIM(status COLLATE \"und-x-icu\") FROM orders",
    # FROM items that are not cubes or derived tables.
    "SELECT * FROM any_schema.any_table",
    "SELECT * FROM generate_series(1, 10)",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM (SELECT status FROM orders) t, LATERAL (SELECT 1) l",
    "SELECT * FROM (SELECT status FROM orders) t TABLESAMPLE SYSTEM (10)",
    # Window, qualify and other clauses the engine does not know.
    "SELECT * FROM (SELECT status FROM orders) t QUALIFY 1 = 1",
    "SELECT * FROM (SELECT status FROM orders) t WINDOW w AS (ORDER BY status)",
]

HOSTILE_MYSQL = [
    f"SELECT 1 LIMIT {SECRET}",
    "SELECT 1 LIMIT 1, (SELECT 1)",
    f"SELECT status FROM orders LIMIT 1 OFFSET {SECRET}",
    "SELECT CAST(status AS CHAR((SELECT 1))) FROM orders",
    "SELECT * FROM (SELECT status FROM orders) t WHERE SLEEP(1) = 0",
    "SELECT LOAD_FILE('/etc/passwd')",
    f"SELECT * FROM (SELECT status FROM orders) t LIMIT {SECRET}",
    "SELECT status FROM orders INTO OUTFILE '/tmp/x'",
]


def _compile(sql: str, client: str, target: str) -> object:
    return compile_query(sql, client_dialect=client, models=MODELS, access=ALLOW_ALL,  # type: ignore[arg-type]
                         target_dialect=target)  # type: ignore[arg-type]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("sql", HOSTILE_POSTGRES)
def test_hostile_postgres_sql_is_refused(sql: str, target: str) -> None:
    with pytest.raises(AppError) as caught:
        compiled = _compile(sql, "postgres", target)
        pytest.fail(f"compiled to {compiled.sql}")  # type: ignore[attr-defined]
    assert caught.value.sqlstate in ("0A000", "42601", "42P01", "25006"), caught.value


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("sql", HOSTILE_MYSQL)
def test_hostile_mysql_sql_is_refused(sql: str, target: str) -> None:
    with pytest.raises(AppError) as caught:
        compiled = _compile(sql, "mysql", target)
        pytest.fail(f"compiled to {compiled.sql}")  # type: ignore[attr-defined]
    assert caught.value.sqlstate in ("0A000", "42601", "42P01", "25006"), caught.value


def test_limit_subquery_names_the_clause() -> None:
    with pytest.raises(NotSupported) as caught:
        _compile(f"SELECT 1 LIMIT {SECRET}", "postgres", "postgres")
    assert "LIMIT" in caught.value.message
    assert caught.value.sqlstate == "0A000" and caught.value.mysql_errno == 1235


def test_star_modifier_is_named() -> None:
    with pytest.raises(NotSupported) as caught:
        _compile(f"SELECT * REPLACE ({SECRET} AS status) FROM (SELECT status FROM orders) t",
                 "postgres", "duckdb")
    assert "REPLACE" in caught.value.message.upper()


def test_type_argument_must_be_an_integer_literal() -> None:
    with pytest.raises(NotSupported) as caught:
        _compile(f"SELECT CAST(status AS VARCHAR({SECRET})) FROM orders", "postgres", "postgres")
    assert "type argument" in caught.value.message


# What legitimate clients send in the same slots keeps working.
ALLOWED = [
    ("SELECT 1 LIMIT 5", "postgres"),
    ("SELECT 1 LIMIT $1", "postgres"),
    ("SELECT status FROM orders LIMIT $1::INTEGER", "postgres"),  # SQLAlchemy + psycopg 3
    ("SELECT status FROM orders LIMIT CAST($1 AS BIGINT) OFFSET $2::int", "postgres"),
    ("SELECT status FROM orders LIMIT 10 OFFSET 5", "postgres"),
    ("SELECT status FROM orders FETCH FIRST 3 ROWS ONLY", "postgres"),
    ("SELECT * FROM (SELECT status FROM orders) t LIMIT $1::INTEGER", "postgres"),
    ("SELECT status FROM orders UNION SELECT status FROM orders LIMIT 2", "postgres"),
    ("SELECT CAST(status AS VARCHAR(10)) FROM orders", "postgres"),
    ("SELECT CAST(amount_value AS DECIMAL(10, 2)) FROM orders", "postgres"),
    ("SELECT status FROM orders LIMIT 1, 2", "mysql"),
    ("SELECT status FROM orders LIMIT ?", "mysql"),
    ("SELECT CAST(status AS CHAR(10)) FROM orders", "mysql"),
]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize(("sql", "client"), ALLOWED)
def test_legitimate_shapes_still_compile(sql: str, client: str, target: str) -> None:
    _compile(sql, client, target)


def test_limit_parameter_cast_is_an_integer_parameter() -> None:
    compiled = compile_query(
        "SELECT status FROM orders LIMIT $1::INTEGER", client_dialect="postgres",
        models=MODELS, access=ALLOW_ALL, target_dialect="postgres",
    )
    assert compiled.param_types == ("int8",)


def test_syntax_error_is_still_a_syntax_error() -> None:
    with pytest.raises(SqlSyntaxError):
        _compile("SELECT FROM WHERE", "postgres", "postgres")
