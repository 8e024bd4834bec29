"""The locked-down, bounded DuckDB in which client catalog SQL runs (both gateways).

Client SQL about the catalog (pg_catalog, information_schema, SHOW ... WHERE, FROM-less
SELECTs) is answered by running a rewrite of it in an in-memory DuckDB that holds only the
credential's visible catalog. That DuckDB is a sandbox on the gateway host, so it is bounded
on every axis a query can push:

* memory (``memory_limit``) and threads, with no temporary directory to spill into;
* no file, network or extension access, and a configuration nobody can change afterwards;
* every statement is parsed by DuckDB itself (``json_serialize_sql``) and checked
  (``check_parsed``): one SELECT, catalog tables only, a short list of table functions, no
  function that reaches outside the catalog — then that same text runs;
* the caller bounds time and interrupts (``run_bounded``).

DuckDB does not account every allocation against ``memory_limit``: functions that build one
huge value from a small input (``repeat``, ``lpad``, ``list_resize``, a scalar ``range``)
allocate outside its buffer pool and run uninterruptibly, so macros shadow them and refuse
oversized results before they are built.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import duckdb

from backend.core.errors import NotSupported, QueryCanceled, ResourceExhausted

T = TypeVar("T")

DEFAULT_TIMEOUT_SECONDS = 10.0
# The largest string or list a catalog query may build in one function call.
MAX_BUILT_VALUE = 1 << 20


@dataclass(frozen=True)
class CatalogLimits:
    """What one catalog DuckDB may use; from CATALOG_MEMORY_LIMIT_MB and CATALOG_THREADS."""

    memory_limit_mb: int = 64
    threads: int = 1
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS


@dataclass(frozen=True)
class SandboxResult:
    columns: list[tuple[str, str]]  # (name, DuckDB type name)
    rows: list[tuple[Any, ...]]


# Table functions a catalog query may read from; everything else in FROM is refused.
TABLE_FUNCTIONS = frozenset({"unnest", "generate_series", "range", "generate_subscripts"})

# Functions that reach outside the catalog (files, settings, extensions, other SQL) or
# describe the engine itself. External access is off as well; this refuses them by name
# so the answer is a clear 0A000 and not whatever DuckDB's own check says. format/printf
# take their output width from the format string, which no macro can cap.
_REFUSED_PREFIXES = ("duckdb_", "pragma_", "read_", "parquet_", "iceberg_", "delta_",
                     "sqlite_", "postgres_", "mysql_", "json_execute", "json_serialize",
                     "json_deserialize", "icu_", "__internal")
_REFUSED_FUNCTIONS = frozenset({
    "getenv", "getvariable", "current_setting", "glob", "query", "query_table", "sniff_csv",
    "which_secret", "sql_auto_complete", "checkpoint", "force_checkpoint", "install", "load",
    "enable_logging", "disable_logging", "enable_profiling", "disable_profiling",
    "test_all_types", "test_vector_types", "summary", "current_database_size", "format",
    "printf", "bar", "copy_database", "export_database", "import_database",
    "truncate_duckdb_logs", "read_blob", "read_text", "set_variable",
})

# Functions that build one value whose size an argument chooses. DuckDB allocates such a
# value outside its buffer pool (memory_limit does not see it) and cannot interrupt the call,
# so macros of the same names in schema main shadow them for unqualified calls and refuse a
# result larger than MAX_BUILT_VALUE before building it (the originals are reached as
# system.main.f, which client SQL may not name).
_TOO_BIG = (f"error('a catalog query may not build a value of more than {MAX_BUILT_VALUE} "
            "elements')")


def _checked(size: str, value: str) -> str:
    # The check sits in the argument, not around the call: DuckDB folds constant
    # expressions by evaluating every branch, so a CASE around the call would still build it.
    return f"CASE WHEN {size} > {MAX_BUILT_VALUE} THEN {_TOO_BIG} ELSE {value} END"


_SHADOWING_MACROS = f"""
CREATE MACRO main.repeat(s, n) AS system.main.repeat(s, {_checked("n * length(s)", "n")});
CREATE MACRO main.lpad(s, n, p) AS system.main.lpad(s, {_checked("n", "n")}, p);
CREATE MACRO main.rpad(s, n, p) AS system.main.rpad(s, {_checked("n", "n")}, p);
CREATE MACRO main.list_resize(l, n) AS system.main.list_resize(l, {_checked("n", "n")}),
  (l, n, v) AS system.main.list_resize(l, {_checked("n", "n")}, v);
CREATE MACRO main.array_resize(l, n) AS system.main.array_resize(l, {_checked("n", "n")}),
  (l, n, v) AS system.main.array_resize(l, {_checked("n", "n")}, v);
CREATE MACRO main.range(b) AS system.main.range({_checked("b", "b")}),
  (a, b) AS system.main.range(a, {_checked("b - a", "b")}),
  (a, b, s) AS system.main.range(a, {_checked("(b - a) / s", "b")}, s);
CREATE MACRO main.generate_series(b) AS system.main.generate_series({_checked("b", "b")}),
  (a, b) AS system.main.generate_series(a, {_checked("b - a", "b")}),
  (a, b, s) AS system.main.generate_series(a, {_checked("(b - a) / s", "b")}, s);
"""

# Schemas of the catalog DuckDBs: pg_catalog and information_schema (PostgreSQL's, MySQL's).
CATALOG_SCHEMAS = frozenset({"pgc", "pgis", "myis"})
# Parts of a parsed query (DuckDB's own parse tree, as json_serialize_sql gives it) that are
# not expressions: query nodes, table references, modifiers. Anything else is refused.
_QUERY_PARTS = frozenset({
    "SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE", "CTE_NODE", "BASE_TABLE",
    "JOIN", "SUBQUERY", "EXPRESSION_LIST", "EMPTY", "TABLE_FUNCTION", "ORDER_MODIFIER",
    "LIMIT_MODIFIER", "LIMIT_PERCENT_MODIFIER", "DISTINCT_MODIFIER", "ORDER_DEFAULT",
    "ASCENDING", "DESCENDING", "PIVOT",
})


def _refuse(what: str) -> NotSupported:
    return NotSupported(f"{what} is not available in catalog queries",
                        hint="catalog queries read the catalog tables only")


def _cte_names(node: Any, out: set[str]) -> set[str]:
    if isinstance(node, dict):
        for entry in (node.get("cte_map") or {}).get("map") or []:
            out.add(str(entry.get("key", "")).lower())
        for value in node.values():
            _cte_names(value, out)
    elif isinstance(node, list):
        for value in node:
            _cte_names(value, out)
    return out


def _check_function(node: dict[str, Any]) -> None:
    name = str(node.get("function_name", "")).lower()
    schema = str(node.get("schema") or "").lower()
    if node.get("catalog") or (schema and schema not in CATALOG_SCHEMAS):
        raise _refuse(f"the function {schema or node.get('catalog')}.{name}()")
    if name in _REFUSED_FUNCTIONS or name.startswith(_REFUSED_PREFIXES):
        raise _refuse(f"the function {name}()")


def _check_table(node: dict[str, Any], ctes: set[str]) -> None:
    schema = str(node.get("schema_name") or "").lower()
    name = str(node.get("table_name") or "").lower()
    if node.get("catalog_name") or node.get("at_clause"):
        raise _refuse(f"the table {name}")
    if schema in CATALOG_SCHEMAS or (not schema and name in ctes):
        return
    # Never a file path, a Python variable or another database's table (replacement scans).
    raise _refuse(f"the table {node.get('table_name')!r}")


def _check_node(node: Any, ctes: set[str]) -> None:
    if isinstance(node, list):
        for value in node:
            _check_node(value, ctes)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if "class" not in node and isinstance(kind, str) and kind not in _QUERY_PARTS:
        raise _refuse(f"{kind.replace('_', ' ').lower()}")
    if "function_name" in node:
        _check_function(node)
    if kind == "BASE_TABLE":
        _check_table(node, ctes)
    elif kind == "TABLE_FUNCTION":
        function = node.get("function") or {}
        name = str(function.get("function_name", "")).lower()
        if function.get("schema") or function.get("catalog") or name not in TABLE_FUNCTIONS:
            raise _refuse(f"the table function {name}()")
    for value in node.values():
        _check_node(value, ctes)


def check_parsed(parsed: str) -> None:
    """Refuse a query (``json_serialize_sql`` output) that does more than read the catalog:
    other statements, tables outside the catalog schemas, table functions other than
    TABLE_FUNCTIONS, functions that reach outside the catalog, qualified calls elsewhere."""
    tree = json.loads(parsed)
    if tree.get("error"):
        message = str(tree.get("error_message", ""))
        if "Only SELECT" in message:
            raise _refuse("a statement other than SELECT")
        raise NotSupported(f"catalog query not supported: {message.splitlines()[0]}")
    statements = tree.get("statements") or []
    if len(statements) != 1:
        raise _refuse("more than one statement")
    _check_node(statements[0], _cte_names(statements[0], set()))


def connect_sandbox(limits: CatalogLimits) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB bounded by ``limits``, still writable for building its tables."""
    con = duckdb.connect(":memory:", config={
        "memory_limit": f"{limits.memory_limit_mb}MB",
        "threads": max(1, limits.threads),
    })
    # In this order: the temporary directory settings need external access still on.
    for setting in ("temp_directory = ''", "max_temp_directory_size = '0B'",
                    "autoinstall_known_extensions = false", "autoload_known_extensions = false",
                    "allow_community_extensions = false", "python_enable_replacements = false",
                    "enable_external_access = false"):
        con.execute(f"SET {setting}")
    con.execute(_SHADOWING_MACROS)
    return con


def lock(con: duckdb.DuckDBPyConnection) -> None:
    """After building: nothing a query sends can change a setting again."""
    con.execute("SET lock_configuration = true")


_FETCH_ROWS = 2048
_OBJECT_BYTES = 56  # about what CPython spends on one small value object


def _value_bytes(value: object) -> int:
    """Roughly the memory a fetched value takes in Python."""
    if isinstance(value, str | bytes):
        return _OBJECT_BYTES + len(value)
    if isinstance(value, list | tuple):
        return _OBJECT_BYTES + sum(_value_bytes(v) for v in value)
    if isinstance(value, dict):
        return _OBJECT_BYTES + sum(_value_bytes(k) + _value_bytes(v) for k, v in value.items())
    return _OBJECT_BYTES


class SandboxDatabase:
    """A built and locked catalog; queries are serialised (a DuckDB connection is not
    reentrant) and each one passes ``guard`` first."""

    def __init__(self, limits: CatalogLimits, build: Callable[[duckdb.DuckDBPyConnection],
                                                               None]):
        self.limits = limits
        self._lock = threading.Lock()
        self.con = connect_sandbox(limits)
        build(self.con)
        lock(self.con)

    def execute(self, duck_sql: str, params: Sequence[object] = ()) -> SandboxResult:
        # DESCRIBE of a query is how the PostgreSQL gateway learns result types; the query
        # itself is what gets checked.
        query = duck_sql[len("DESCRIBE "):] if duck_sql.startswith("DESCRIBE ") else duck_sql
        with self._lock:
            try:
                # DuckDB's own parser checks the text that then runs: no second parser
                # whose reading could differ from the one that executes.
                parsed = self.con.execute("SELECT json_serialize_sql(?::VARCHAR)",
                                          [query]).fetchone()
                check_parsed(str(parsed[0]) if parsed else "{}")
                cur = self.con.execute(duck_sql, list(params))
                desc = cur.description or []
                rows = self._fetch_bounded(cur)
            except duckdb.OutOfMemoryException:
                raise ResourceExhausted(
                    f"catalog query ran out of memory (limit {self.limits.memory_limit_mb} MB)",
                    hint="catalog tables are small; simplify the query "
                         "(CATALOG_MEMORY_LIMIT_MB)") from None
            except duckdb.InterruptException:
                raise QueryCanceled("catalog query canceled") from None
        return SandboxResult([(d[0], str(d[1])) for d in desc], rows)

    def _fetch_bounded(self, cur: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
        """The result as Python rows, within the sandbox's memory limit: DuckDB's limit covers
        its own buffers, not the Python objects a fetch makes, and a FROM-less SELECT over
        ``generate_series`` can return millions of rows (held whole until sent)."""
        budget = self.limits.memory_limit_mb * 2**20
        rows: list[tuple[Any, ...]] = []
        used = 0
        while True:
            chunk = cur.fetchmany(_FETCH_ROWS)
            if not chunk:
                return rows
            rows.extend(chunk)
            used += sum(_value_bytes(v) for row in chunk for v in row)
            if used > budget:
                raise ResourceExhausted(
                    f"catalog query result exceeds the catalog's memory limit "
                    f"({self.limits.memory_limit_mb} MB) after {len(rows)} rows",
                    hint="catalog results are small; add a WHERE or LIMIT "
                         "(CATALOG_MEMORY_LIMIT_MB)")

    def interrupt(self) -> None:
        """Stop the query running in another thread (DuckDB's interrupt is thread-safe)."""
        self.con.interrupt()

    def close(self) -> None:
        self.con.close()


async def run_bounded(work: Callable[[], T], interrupt: Callable[[], None],
                      timeout_seconds: float) -> T:
    """``work()`` in a worker thread, interrupted after ``timeout_seconds`` or when the
    awaiting task is canceled (KILL QUERY): the event loop never waits on a catalog query."""
    task = asyncio.ensure_future(asyncio.to_thread(work))
    try:
        return await asyncio.wait_for(asyncio.shield(task), timeout_seconds)
    except (TimeoutError, asyncio.CancelledError) as exc:
        interrupt()
        with contextlib.suppress(Exception):
            await task
        if isinstance(exc, asyncio.CancelledError):
            raise
        raise QueryCanceled(f"catalog query canceled after {timeout_seconds:g} seconds",
                            hint="catalog tables are small; simplify the query") from None

