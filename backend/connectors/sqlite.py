"""SQLite files, through the standard library's ``sqlite3`` on worker threads.

Why not aiosqlite: it funnels every call of a connection through that connection's one
thread, so an ``interrupt()`` meant to stop a long query would queue behind the very query it
should stop. With ``sqlite3`` directly, ``interrupt()`` is called from the event loop while the
worker thread is still stepping the statement. It also shares its threading with DuckDB.

Each query opens its own read-only connection (``mode=ro``; opening one costs microseconds, so
a pool would buy nothing) guarded by an authorizer that allows reading only: no ATTACH (which
could open other files), no temp tables, no PRAGMA that changes anything.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import urllib.parse
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from backend.connectors.base import ColumnInfo, ForeignKey, QueryResult, ResultColumn, TableInfo
from backend.connectors.limits import DEFAULT_LIMITS, Limits
from backend.connectors.threaded import BlockingCalls, Row, ThreadedResult, run_limited
from backend.connectors.typenames import bare_type
from backend.core.errors import (
    AppError,
    DataSourceError,
    ReadOnly,
    SourceDatabaseMissing,
    SourceQueryFailed,
    SourceTimeout,
    ValueTooLarge,
)

T = TypeVar("T")

_PREFETCH = 1000  # rows read before execute() returns, to learn the column types

_ALLOWED_ACTIONS = {
    sqlite3.SQLITE_SELECT,
    sqlite3.SQLITE_READ,
    sqlite3.SQLITE_FUNCTION,
    sqlite3.SQLITE_RECURSIVE,
}
_READ_PRAGMAS = {
    "table_info", "table_xinfo", "foreign_key_list", "index_list", "index_info",
    "index_xinfo", "database_list", "collation_list", "function_list", "pragma_list",
}  # fmt: skip


def _authorize(action: int, arg1: str | None, arg2: str | None, *_: object) -> int:
    if action in _ALLOWED_ACTIONS:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in _READ_PRAGMAS:
        return sqlite3.SQLITE_OK
    # Table-valued pragma functions read the schema through an UPDATE check on it; the
    # connection is opened mode=ro, so nothing can actually be written.
    if action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master":
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


class SqliteConnector:
    dialect = "sqlite"

    def __init__(self, path: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS,
                 locate: Callable[[], Path] | None = None):
        self.path = Path(path).expanduser()
        self.limits = limits
        # Re-checks the path against the team's folder at every open (see filepolicy).
        self._locate = locate
        self._executor = ThreadPoolExecutor(limits.pool_max, thread_name_prefix="sqlite")

    # --- connections ---------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        path = self._locate() if self._locate is not None else self.path
        if not path.is_file():
            raise SourceDatabaseMissing(
                f"SQLite file {self.path} does not exist",
                hint="check the path; the file must exist on the server and be readable",
            )
        uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro"
        try:
            conn = sqlite3.connect(
                uri,
                uri=True,
                timeout=self.limits.connect_timeout,
                check_same_thread=False,
                isolation_level=None,
            )
        except sqlite3.Error as exc:
            raise _map_error(exc, self.path) from None
        conn.set_authorizer(_authorize)
        # In the gateway's process: no string or blob longer than this is built or read.
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, self.limits.sqlite_max_value_bytes)
        return conn

    async def _run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """A metadata call on its own connection, limited by the connect timeout."""

        def work() -> T:
            conn = self._open()
            try:
                return fn(conn)
            except sqlite3.Error as exc:
                raise _map_error(exc, self.path) from None
            finally:
                conn.close()

        return await run_limited(
            self._executor, work, timeout=self.limits.connect_timeout,
            on_timeout=lambda: SourceTimeout(
                f"SQLite file {self.path} did not answer within {self.limits.connect_timeout:g} s",
                hint="another process may hold a lock on it",
            ),
        )

    # --- the Connector protocol ---------------------------------------------------------------

    async def check(self) -> None:
        await self._run(lambda conn: conn.execute("SELECT count(*) FROM sqlite_master").fetchone())

    async def list_schemas(self) -> list[str]:
        return ["main"]

    async def list_tables(self, schemas: Sequence[str] | None = None) -> list[TableInfo]:
        if schemas is not None and "main" not in schemas:
            return []
        return await self._run(_describe_tables)

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> QueryResult:
        conn = await self._run_open()
        calls = BlockingCalls(
            self._executor,
            interrupt=conn.interrupt,
            statement_timeout=self.limits.statement_timeout,
            map_error=lambda exc: _map_error(exc, self.path),
        )
        cursor = conn.cursor()

        def start() -> list[Row]:
            cursor.execute(sql, tuple(params))
            return cursor.fetchmany(_PREFETCH)

        try:
            first = await calls.call(start)
        except BaseException:
            conn.close()
            raise
        names = [d[0] for d in cursor.description or ()]
        types = _infer_types(len(names), first)
        columns = [ResultColumn(n, t) for n, t in zip(names, types, strict=True)]
        return ThreadedResult(
            columns,
            calls,
            cursor.fetchmany,
            conn.close,
            prefetched=_conform(first, types),
            exhausted=len(first) < _PREFETCH,
            convert=lambda rows: _conform(rows, types),
        )

    async def _run_open(self) -> sqlite3.Connection:
        loop = asyncio.get_running_loop()
        conn: sqlite3.Connection = await loop.run_in_executor(self._executor, self._open)
        return conn

    async def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def _describe_tables(conn: sqlite3.Connection) -> list[TableInfo]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
    ).fetchall()
    names = [r[0] for r in rows]
    pks: dict[str, tuple[str, ...]] = {}
    tables: list[TableInfo] = []
    infos = {n: conn.execute("SELECT * FROM pragma_table_info(?)", (n,)).fetchall() for n in names}
    for name, info in infos.items():
        # pragma_table_info: cid, name, type, notnull, dflt_value, pk (1-based order in the key)
        pks[name] = tuple(r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5]))
    for name, info in infos.items():
        columns = tuple(
            ColumnInfo(r[1], _declared_type(r[2]), nullable=not r[3] and not r[5]) for r in info
        )
        fks = conn.execute(
            'SELECT id, seq, "table", "from", "to" FROM pragma_foreign_key_list(?) '
            "ORDER BY id, seq",
            (name,),
        ).fetchall()
        grouped: dict[int, list[tuple[Any, ...]]] = {}
        for fk in fks:
            grouped.setdefault(fk[0], []).append(fk)
        foreign_keys = []
        for parts in grouped.values():
            ref_table = parts[0][2]
            ref_cols = tuple(p[4] for p in parts)
            if any(c is None for c in ref_cols):  # "REFERENCES t" names t's primary key
                ref_cols = pks.get(ref_table, ())
            foreign_keys.append(
                ForeignKey(tuple(p[3] for p in parts), "main", ref_table, tuple(ref_cols))
            )
        tables.append(TableInfo("main", name, columns, pks[name], tuple(foreign_keys)))
    return tables


def _declared_type(declared: str | None) -> str:
    return bare_type(declared or "") or "any"


def _infer_types(width: int, rows: list[Row]) -> list[str]:
    """SQLite result columns have no type; read it from the values of the first rows."""
    types = []
    for i in range(width):
        seen = {type(r[i]) for r in rows if r[i] is not None}
        if seen and seen <= {int}:
            types.append("int8")
        elif seen and seen <= {int, float}:
            types.append("float8")
        elif seen == {bytes}:
            types.append("bytea")
        else:
            types.append("text")
    return types


def _conform(rows: list[Row], types: list[str]) -> list[Row]:
    """Make later values match the inferred types where SQLite's dynamic typing differs
    (an integral value in a numeric column, a number in a text column)."""
    fixes = [
        (i, float) if t == "float8" else (i, str)
        for i, t in enumerate(types)
        if t in ("float8", "text")
    ]
    if not fixes or not rows:
        return rows
    out = []
    for row in rows:
        values = list(row)
        for i, kind in fixes:
            v = values[i]
            if v is not None and type(v) is not kind:
                values[i] = kind(v) if kind is float or not isinstance(v, bytes) else v.hex()
        out.append(tuple(values))
    return out


def _map_error(exc: Exception, path: Path) -> AppError:
    if isinstance(exc, AppError):
        return exc
    text = str(exc)
    if isinstance(exc, sqlite3.DatabaseError) and "not a database" in text:
        return DataSourceError(
            f"{path} is not a SQLite database", hint="choose a SQLite 3 database file"
        )
    if isinstance(exc, sqlite3.OperationalError) and "unable to open" in text:
        if not path.exists():
            return SourceDatabaseMissing(f"SQLite file {path} does not exist")
        return DataSourceError(
            f"SQLite file {path} cannot be opened: {text}",
            hint="the file must be readable by the server process",
        )
    if isinstance(exc, sqlite3.OperationalError) and "locked" in text:
        return SourceTimeout(f"SQLite file {path} is locked by another process")
    if isinstance(exc, sqlite3.DatabaseError) and (
        "not authorized" in text or "authorization denied" in text or "readonly" in text
    ):
        return ReadOnly("SQLite data sources are read-only: only queries may run", hint=text)
    if isinstance(exc, sqlite3.DataError) and "too big" in text:
        return ValueTooLarge(
            "the query builds or reads a value longer than a SQLite data source may hold "
            "(SOURCE_SQLITE_MAX_VALUE_BYTES)",
            hint=text,
        )
    return SourceQueryFailed(f"SQLite error: {text}")
