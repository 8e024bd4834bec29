"""Real engines loaded with the demo data, and result normalisation for comparing rows."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any, Protocol

import sqlglot

from .demo_data import COLUMNS, TABLES, create_statements, generate, insert_statement


class Runner(Protocol):
    engine: str
    schema: str

    def run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...


class DuckRunner:
    engine = "duckdb"

    def __init__(self) -> None:
        import duckdb
        import pandas

        self.schema = "demo"
        self.connection = duckdb.connect()
        self.connection.execute("CREATE SCHEMA demo")
        data = generate()
        for statement in create_statements("duckdb", "demo."):
            self.connection.execute(statement)
        for table in TABLES:
            # executemany is row by row in DuckDB; a DataFrame scan loads in one statement.
            frame = pandas.DataFrame(
                data.rows[table], columns=[name for name, _ in COLUMNS[table]]
            ).astype(object)
            self.connection.register("frame", frame)
            self.connection.execute(f"INSERT INTO demo.{table} SELECT * FROM frame")
            self.connection.unregister("frame")

    def run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.connection.execute(sql, list(params)).fetchall()

    def close(self) -> None:
        self.connection.close()


class SqliteRunner:
    """SQLite (stdlib): timestamps as 'YYYY-MM-DD HH:MM:SS' text, money as REAL."""

    engine = "sqlite"

    def __init__(self) -> None:
        import sqlite3

        self.schema = "demo"
        self.connection = sqlite3.connect(":memory:")
        self.connection.execute("ATTACH DATABASE ':memory:' AS demo")
        data = generate()
        for statement in create_statements("duckdb", "demo."):
            self.connection.execute(statement)
        for table in TABLES:
            rows = [
                tuple(
                    v.isoformat(sep=" ") if isinstance(v, dt.datetime)
                    else float(v) if isinstance(v, Decimal) else v
                    for v in row
                )
                for row in data.rows[table]
            ]
            self.connection.executemany(insert_statement(table, "demo.", "?"), rows)

    def run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.connection.execute(sql, list(params)).fetchall()

    def close(self) -> None:
        self.connection.close()


class PostgresRunner:
    engine = "postgres"

    def __init__(self, dsn: str) -> None:
        import psycopg

        self.schema = f"engine_{uuid.uuid4().hex[:10]}"
        self.connection = psycopg.connect(dsn, autocommit=True)
        data = generate()
        with self.connection.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA {self.schema}")
            for statement in create_statements("postgres", f"{self.schema}."):
                cursor.execute(statement)
            for table in TABLES:
                with cursor.copy(f"COPY {self.schema}.{table} FROM STDIN") as copy:
                    for row in data.rows[table]:
                        copy.write_row(row)

    def run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        assert not params, "use asyncpg for $n parameters"
        with self.connection.cursor() as cursor:
            cursor.execute(sql)
            return list(cursor.fetchall())

    def close(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")
        self.connection.close()


class MariaRunner:
    engine = "mysql"

    def __init__(self) -> None:
        import pymysql

        self.schema = f"engine_{uuid.uuid4().hex[:10]}"
        self.connection = pymysql.connect(
            host="127.0.0.1", port=3306, user="root", password="", autocommit=True
        )
        data = generate()
        with self.connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {self.schema}")
            for statement in create_statements("mysql", f"{self.schema}."):
                cursor.execute(statement)
            for table in TABLES:
                cursor.executemany(insert_statement(table, f"{self.schema}.", "%s"),
                                   data.rows[table])

    def run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, tuple(params) if params else None)
            return list(cursor.fetchall())

    def close(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {self.schema}")
        self.connection.close()


def transpile_reference(sql: str, engine: str, schema: str, *, native: bool) -> str:
    """A hand-written reference (PostgreSQL dialect unless ``native``) for ``engine``."""
    text = sql.replace("{s}", f"{schema}.")
    if native or engine == "postgres":
        return text
    return sqlglot.transpile(text, read="postgres", write=engine)[0]


def normalise(value: Any) -> Any:
    """One comparable form per value across drivers and engines."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal | float):
        number = float(value)
        if math.isnan(number):
            return "NaN"
        if number == int(number) and abs(number) < 1e15:
            return int(number)
        return round(number, 6)
    if isinstance(value, int):
        return value
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day).isoformat(sep=" ")
    return value


def normalise_rows(rows: list[tuple[Any, ...]], ordered: bool) -> list[tuple[Any, ...]]:
    result = [tuple(normalise(v) for v in row) for row in rows]
    if not ordered:
        result.sort(key=lambda row: [(v is None, str(type(v).__name__), str(v)) for v in row])
    return result


def close_enough(
    a: list[tuple[Any, ...]], b: list[tuple[Any, ...]], tolerance: float = 1e-6
) -> bool:
    if len(a) != len(b):
        return False
    for row_a, row_b in zip(a, b, strict=True):
        if len(row_a) != len(row_b):
            return False
        for x, y in zip(row_a, row_b, strict=True):
            if isinstance(x, int | float) and isinstance(y, int | float):
                if not math.isclose(x, y, rel_tol=tolerance, abs_tol=1e-6):
                    return False
            elif x != y:
                return False
    return True


def iter_rows_diff(a: list[tuple[Any, ...]], b: list[tuple[Any, ...]]) -> Iterator[str]:
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            yield f"row {i}: {x} != {y}"
