"""DuckDB files, through the ``duckdb`` package on worker threads.

One read-only database handle per connector (DuckDB allows many readers of a file); each query
gets its own connection from it through ``cursor()``, so queries run in parallel and
``interrupt()`` stops exactly one of them. The handle is locked down: no access to other files
(``read_csv('/etc/passwd')``, ATTACH, extension installs) — model SQL is written by users, and
the file a data source names must be the only thing it can read.
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from backend.connectors.base import ColumnInfo, ForeignKey, QueryResult, ResultColumn, TableInfo
from backend.connectors.limits import DEFAULT_LIMITS, Limits
from backend.connectors.threaded import BlockingCalls, ThreadedResult, run_limited
from backend.connectors.typenames import bare_type, neutral_type
from backend.core.errors import (
    AppError,
    DataSourceError,
    ReadOnly,
    ResourceExhausted,
    SourceDatabaseMissing,
    SourceQueryFailed,
    SourceTimeout,
    SqlError,
)

T = TypeVar("T")

_LOCKED_DOWN = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


def _config(limits: Limits) -> dict[str, Any]:
    """The handle runs in the gateway's process: its memory and threads are bounded, and it
    never spills to disk (a query past the limit fails with 53200 instead of taking the
    process's memory). Some functions build one value outside the buffer pool (LPAD,
    REPLACE): the engine bounds those (``gateway/engine/values.py``)."""
    return {
        "memory_limit": f"{max(16, limits.duckdb_memory_limit_mb)}MB",
        "threads": max(1, limits.duckdb_threads),
        "max_temp_directory_size": "0B",  # (temp_directory needs external access to change)
        **_LOCKED_DOWN,
    }


class DuckDBConnector:
    dialect = "duckdb"

    def __init__(self, path: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS,
                 locate: Callable[[], Path] | None = None):
        self.path = Path(path).expanduser()
        self.limits = limits
        # Re-checks the path against the team's folder at every query (see filepolicy).
        self._locate = locate
        self._executor = ThreadPoolExecutor(limits.pool_max, thread_name_prefix="duckdb")
        self._lock = threading.Lock()
        self._db: duckdb.DuckDBPyConnection | None = None

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        """A new connection to the shared read-only handle (opened on first use)."""
        path = self._locate() if self._locate is not None else self.path
        with self._lock:
            if self._db is None:
                if not path.is_file():
                    raise SourceDatabaseMissing(
                        f"DuckDB file {self.path} does not exist",
                        hint="check the path; the file must exist on the server and be readable",
                    )
                try:
                    self._db = duckdb.connect(
                        str(path.resolve()), read_only=True, config=_config(self.limits)
                    )
                except duckdb.Error as exc:
                    raise _map_error(exc, self.path) from None
            return self._db.cursor()

    async def _run(self, fn: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """A metadata call on its own cursor, limited by the connect timeout."""

        def work() -> T:
            cursor = self._cursor()
            try:
                return fn(cursor)
            except duckdb.Error as exc:
                raise _map_error(exc, self.path) from None
            finally:
                cursor.close()

        return await run_limited(
            self._executor, work, timeout=self.limits.connect_timeout,
            on_timeout=lambda: SourceTimeout(
                f"DuckDB file {self.path} did not answer within {self.limits.connect_timeout:g} s"
            ),
        )

    # --- the Connector protocol ---------------------------------------------------------------

    async def check(self) -> None:
        await self._run(lambda cur: cur.execute("SELECT 1").fetchall())

    async def list_schemas(self) -> list[str]:
        rows = await self._run(
            lambda cur: cur.execute(
                "SELECT schema_name FROM duckdb_schemas() "
                "WHERE database_name = current_database() "
                "AND schema_name NOT IN ('information_schema', 'pg_catalog') "
                "ORDER BY schema_name"
            ).fetchall()
        )
        return [r[0] for r in rows]

    async def list_tables(self, schemas: Sequence[str] | None = None) -> list[TableInfo]:
        wanted = None if schemas is None else list(schemas)
        return await self._run(lambda cur: _describe_tables(cur, wanted))

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> QueryResult:
        loop = asyncio.get_running_loop()
        cursor = await loop.run_in_executor(self._executor, self._cursor)
        calls = BlockingCalls(
            self._executor,
            interrupt=cursor.interrupt,
            statement_timeout=self.limits.statement_timeout,
            map_error=lambda exc: _map_error(exc, self.path),
        )
        try:
            await calls.call(lambda: cursor.execute(sql, list(params) if params else None))
        except BaseException:
            cursor.close()
            raise
        columns = [
            ResultColumn(d[0], neutral_type("duckdb", str(d[1]))) for d in cursor.description or ()
        ]
        return ThreadedResult(columns, calls, cursor.fetchmany, cursor.close)

    async def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def _describe_tables(cur: duckdb.DuckDBPyConnection, schemas: list[str] | None) -> list[TableInfo]:
    where = "database_name = current_database() AND NOT internal"
    args: list[Any] = []
    if schemas is not None:
        where += " AND list_contains(?, schema_name)"
        args.append(schemas)
    relations = cur.execute(
        f"SELECT schema_name, table_name FROM duckdb_tables() WHERE {where} "
        f"UNION ALL SELECT schema_name, view_name FROM duckdb_views() WHERE {where} "
        "ORDER BY 1, 2",
        args * 2,
    ).fetchall()
    columns: dict[tuple[str, str], list[ColumnInfo]] = {}
    for schema, table, name, type_, nullable in cur.execute(
        "SELECT schema_name, table_name, column_name, data_type, is_nullable FROM duckdb_columns() "
        f"WHERE {where} ORDER BY schema_name, table_name, column_index",
        args,
    ).fetchall():
        columns.setdefault((schema, table), []).append(ColumnInfo(name, bare_type(type_), nullable))
    pks: dict[tuple[str, str], tuple[str, ...]] = {}
    fks: dict[tuple[str, str], list[ForeignKey]] = {}
    for schema, table, kind, cols, ref_table, ref_cols in cur.execute(
        "SELECT schema_name, table_name, constraint_type, constraint_column_names, "
        "referenced_table, referenced_column_names FROM duckdb_constraints() "
        "WHERE database_name = current_database() "
        "AND constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY') ORDER BY constraint_index"
    ).fetchall():
        if kind == "PRIMARY KEY":
            pks[(schema, table)] = tuple(cols)
        else:  # DuckDB foreign keys reference a table of the same schema
            fks.setdefault((schema, table), []).append(
                ForeignKey(tuple(cols), schema, ref_table, tuple(ref_cols))
            )
    return [
        TableInfo(
            schema,
            table,
            tuple(columns.get((schema, table), ())),
            pks.get((schema, table), ()),
            tuple(fks.get((schema, table), ())),
        )
        for schema, table in relations
    ]


# DuckDB's integer type names as PostgreSQL spells them in "... out of range".
_PG_INTEGER_NAMES = {"INT16": "smallint", "INT32": "integer", "INT64": "bigint"}


def data_exception(exc: Exception) -> AppError | None:
    """A DuckDB error that is a data exception of the query itself — division by zero, an
    overflow, text that is not a number — as PostgreSQL reports it (class 22), or None."""
    text = str(exc)
    if isinstance(exc, duckdb.InvalidInputException) and "division by zero" in text.lower():
        err: AppError = SqlError("division by zero")
        err.sqlstate = "22012"
        return err
    if isinstance(exc, duckdb.OutOfRangeException):
        kind = re.search(r"\b(INT16|INT32|INT64)\b", text)
        name = _PG_INTEGER_NAMES[kind.group(1)] if kind else "value"
        err = SqlError(f"{name} out of range", hint=text.splitlines()[0])
        err.sqlstate = "22003"
        return err
    if isinstance(exc, duckdb.ConversionException):
        err = SqlError(f"invalid input syntax: {text.splitlines()[0]}")
        err.sqlstate = "22P02"
        return err
    return None


def _map_error(exc: Exception, path: Path) -> AppError:
    if isinstance(exc, AppError):
        return exc
    data = data_exception(exc)
    if data is not None:
        return data
    text = str(exc)
    if isinstance(exc, duckdb.IOException):
        if "does not exist" in text:
            return SourceDatabaseMissing(f"DuckDB file {path} does not exist")
        if "not a valid DuckDB database" in text:
            return DataSourceError(
                f"{path} is not a DuckDB database", hint="choose a DuckDB database file"
            )
        if "lock" in text.lower():
            return DataSourceError(
                f"DuckDB file {path} is open for writing by another process",
                hint="DuckDB allows readers only while no process writes the file",
            )
        return DataSourceError(f"DuckDB file {path} cannot be opened: {text}")
    if isinstance(exc, duckdb.InvalidInputException) and "read-only mode" in text:
        return ReadOnly("DuckDB data sources are read-only: only queries may run", hint=text)
    if isinstance(exc, duckdb.OutOfMemoryException):
        return ResourceExhausted(
            "the query needed more memory than a DuckDB data source may use "
            "(SOURCE_DUCKDB_MEMORY_LIMIT_MB)",
            hint="aggregate more or select fewer rows and columns",
        )
    if isinstance(exc, duckdb.PermissionException):
        return SourceQueryFailed(
            "DuckDB data sources may read only their own file", hint=text.split("\n")[0]
        )
    return SourceQueryFailed(f"DuckDB error: {text}")
