"""Scalar functions (gateway/engine/functions.py): errors name the function as the client
wrote it and the target that lacks it; default column names are the client's server's."""

from __future__ import annotations

import pytest

from backend.core.errors import NotSupported
from backend.semantic.model import ALLOW_ALL
from gateway.engine import compile_query

from .models import demo_models

TARGETS = ("postgres", "mysql", "sqlite", "duckdb")


def _compile(sql: str, client: str, target: str):  # type: ignore[no-untyped-def]
    return compile_query(sql, client_dialect=client, models=demo_models("demo"),  # type: ignore[arg-type]
                         access=ALLOW_ALL, target_dialect=target)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("client", "sql", "target", "words"),
    [
        ("postgres", "SELECT COUNT(*) FROM orders WHERE status ~ 'x'", "sqlite",
         ["operator ~", "SQLite"]),
        ("mysql", "SELECT COUNT(*) FROM orders WHERE status REGEXP 'x'", "sqlite",
         ["REGEXP", "SQLite"]),
        ("mysql", "SELECT WEEK(created_at, 3) FROM orders", "sqlite", ["WEEK()", "SQLite"]),
        ("mysql", "SELECT COUNT(*) FROM orders WHERE Str_To_Date(note, '%d.%m.%Y') IS NULL",
         "sqlite", ["Str_To_Date()", "SQLite"]),
        ("postgres", "SELECT SPLIT_PART(status, 'e', 1) FROM orders", "sqlite",
         ["SPLIT_PART()", "SQLite"]),
        ("postgres", "SELECT TO_CHAR(created_at, 'IW') FROM orders", "sqlite",
         ["TO_CHAR()", "'IW'", "SQLite"]),
        ("mysql", "SELECT SUBSTRING_INDEX(status, 'e', 1) FROM orders", "postgres",
         ["SUBSTRING_INDEX()", "PostgreSQL"]),
        ("postgres", "SELECT INITCAP(status) FROM orders", "mysql", ["INITCAP()", "MySQL"]),
        ("mysql", "SELECT DATE_FORMAT(created_at, '%D') FROM orders", "postgres",
         ["DATE_FORMAT", "'%D'"]),
        ("postgres", "SELECT to_char(created_at, $1) FROM orders", "postgres", ["to_char()"]),
        ("postgres", "SELECT pg_sleep(1) FROM orders", "postgres", ["pg_sleep()"]),
        ("mysql", "SELECT Sleep(1) FROM orders", "mysql", ["Sleep()"]),
    ],
)
def test_errors_name_what_the_client_wrote(
    client: str, sql: str, target: str, words: list[str]
) -> None:
    with pytest.raises(NotSupported) as caught:
        _compile(sql, client, target)
    message = caught.value.message
    assert all(w in message for w in words), message
    assert "STR_TO_TIME" not in message and "TS_OR_DS" not in message, message


@pytest.mark.parametrize("target", TARGETS)
def test_superset_time_range_compiles_to_a_literal_everywhere(target: str) -> None:
    compiled = _compile(
        "SELECT COUNT(*) FROM orders WHERE created_at >= TO_TIMESTAMP('2024-01-01 "
        "00:00:00.000000', 'YYYY-MM-DD HH24:MI:SS.US')", "postgres", target)
    assert "'2024-01-01 00:00:00'" in compiled.sql
    assert "TO_TIMESTAMP" not in compiled.sql.upper()


@pytest.mark.parametrize(
    ("client", "sql", "names"),
    [
        ("postgres", "SELECT TO_CHAR(created_at, 'YYYY'), DATE_PART('year', created_at), now(),"
         " STRPOS(status, 'e'), created_at + interval '1 day' FROM orders",
         ["to_char", "date_part", "now", "strpos", "?column?"]),
        ("mysql", "SELECT DATE_FORMAT(created_at, '%Y-%m'), YEAR(created_at) FROM orders",
         ["DATE_FORMAT(created_at, '%Y-%m')", "YEAR(created_at)"]),
    ],
)
def test_default_column_names_are_the_clients(client: str, sql: str, names: list[str]) -> None:
    compiled = _compile(sql, client, "duckdb")
    assert [c.name for c in compiled.columns] == names
