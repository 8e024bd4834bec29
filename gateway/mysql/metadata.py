"""Answers to what MySQL clients ask about the server rather than the data.

``SHOW ...``, ``DESCRIBE``, ``SELECT @@var``/``DATABASE()`` without FROM, ``SET``, ``USE`` and
queries over ``information_schema`` are answered here from the visible cubes (already filtered
by the credential's access policy) and the session's variables; everything else goes to the
engine. information_schema queries, FROM-less SELECTs and SHOW ... WHERE run in the
credential's catalog sandbox (``catalog.MysqlCatalog``: an in-memory DuckDB holding only the
visible catalog, bounded and locked down) after a sqlglot rewrite to DuckDB SQL, so any
WHERE/JOIN/ORDER BY a BI tool writes works. Nothing is evaluated as code here.
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.dialects.mysql import MySQL
from sqlglot.errors import SqlglotError
from sqlglot.tokenizer_core import TokenType

from backend.connectors.base import ResultColumn
from backend.core.errors import (
    AccessDenied,
    AppError,
    NotSupported,
    SourceDatabaseMissing,
    UnknownTable,
)
from gateway.catalog.sandbox import SandboxDatabase, SandboxResult
from gateway.engine.types import VirtualTable

from . import catalog_sql
from .catalog import COLLATIONS, DATABASES, MysqlCatalog, column_key, nullable
from .constants import DATABASE, SERVER_VERSION
from .values import mysql_type_name


def default_variables() -> dict[str, Any]:
    return {
        "version": SERVER_VERSION,
        "version_comment": "metricsql SQL API",
        "version_compile_os": "Linux",
        "autocommit": 1,
        "auto_increment_increment": 1,
        "character_set_client": "utf8mb4",
        "character_set_connection": "utf8mb4",
        "character_set_results": "utf8mb4",
        "character_set_server": "utf8mb4",
        "character_set_database": "utf8mb4",
        "character_set_system": "utf8mb3",
        "collation_connection": "utf8mb4_general_ci",
        "collation_server": "utf8mb4_general_ci",
        "collation_database": "utf8mb4_general_ci",
        "have_ssl": "YES",
        "init_connect": "",
        "interactive_timeout": 28800,
        "license": "Apache-2.0",
        "lower_case_table_names": 0,
        "max_allowed_packet": 67108864,
        "net_buffer_length": 16384,
        "net_write_timeout": 60,
        "performance_schema": 0,
        "query_cache_size": 0,
        "query_cache_type": "OFF",
        "sql_mode": "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
        "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION",
        "sql_select_limit": 18446744073709551615,
        "system_time_zone": "UTC",
        "time_zone": "+00:00",
        "transaction_isolation": "REPEATABLE-READ",
        "tx_isolation": "REPEATABLE-READ",
        "transaction_read_only": 0,
        "tx_read_only": 0,
        "wait_timeout": 28800,
        "default_storage_engine": "InnoDB",
        # mycli's status command and Connector/J read these; MySQL 8's values.
        "protocol_version": 10,
        "version_compile_machine": "x86_64",
        "default_authentication_plugin": "caching_sha2_password",
        "explicit_defaults_for_timestamp": "ON",
        "character_set_filesystem": "binary",
        "div_precision_increment": 4,
        "max_connections": 151,
        "max_execution_time": 0,
        "net_read_timeout": 30,
        "sql_auto_is_null": 0,
        "sql_safe_updates": 0,
        "sql_require_primary_key": "OFF",
        "time_format": "%H:%i:%s",
        "date_format": "%Y-%m-%d",
        "datetime_format": "%Y-%m-%d %H:%i:%s",
        "default_week_format": 0,
        "lc_time_names": "en_US",
        "group_concat_max_len": 1024,
        "innodb_version": "8.0.36",
        "port": 13306,
        "socket": "",
        "tls_version": "TLSv1.2,TLSv1.3",
    }


@dataclass
class SessionState:
    """What metadata answers depend on; owned by one connection."""

    username: str
    connection_id: int
    tables: Sequence[VirtualTable]
    database: str | None = None
    variables: dict[str, Any] = field(default_factory=default_variables)
    user_variables: dict[str, Any] = field(default_factory=dict)
    # SHOW PROCESSLIST rows (Id, User, Host, db, Command, Time, State, Info) of the connections
    # this credential may see; provided by the server, which knows them all.
    processes: Callable[[], list[tuple[Any, ...]]] = list
    # The credential's catalog sandbox, set by the connection before each statement (from the
    # shared cache); without one (unit tests) a private one is built from ``tables``.
    catalog: SandboxDatabase | None = None
    # The connection's TLS protocol and cipher (SHOW STATUS Ssl_version / Ssl_cipher).
    tls: tuple[str, str] = ("", "")

    def open_catalog(self) -> SandboxDatabase:
        if self.catalog is None:
            self.catalog = MysqlCatalog(self.tables)
        return self.catalog


@dataclass(frozen=True)
class LocalResult:
    columns: tuple[ResultColumn, ...]
    rows: list[tuple[Any, ...]]


@dataclass(frozen=True)
class LocalOk:
    """A statement with no resultset (SET, USE, transaction control)."""


@dataclass(frozen=True)
class Kill:
    connection_id: int
    query_only: bool


Answer = LocalResult | LocalOk | Kill

_SET_RE = re.compile(r"^\s*SET\b", re.IGNORECASE)
# Spellings of SHOW that sqlglot does not parse, as the ones it does (same meaning in MySQL).
_SHOW_SYNONYMS = (
    (re.compile(r"^(\s*SHOW\s+)EXTENDED\s+", re.IGNORECASE), r"\1"),
    (re.compile(r"^(\s*SHOW\s+(?:FULL\s+)?)FIELDS\b", re.IGNORECASE), r"\1COLUMNS"),
    (re.compile(r"^(\s*SHOW\s+(?:EXTENDED\s+)?)(?:KEYS|INDEXES)\b", re.IGNORECASE), r"\1INDEX"),
    # One's own grants are the only ones a credential may see.
    (re.compile(r"^(\s*SHOW\s+GRANTS)\s+FOR\s+CURRENT_USER\s*(?:\(\s*\))?\s*$",
                re.IGNORECASE), r"\1"),
)
# MySQL's own schemas: an API credential has no privilege on them, as a plain MySQL user.
_SYSTEM_SCHEMAS = frozenset({"mysql", "performance_schema", "sys"})
_STARTED = time.monotonic()
_TX_RE = re.compile(r"^\s*(BEGIN|START\s+TRANSACTION|COMMIT|ROLLBACK)\b", re.IGNORECASE)


def placeholder_count(sql: str) -> int:
    try:
        return len(list(sqlglot.parse_one(sql, read="mysql").find_all(exp.Placeholder)))
    except SqlglotError:
        return 0


def _bind(stmt: exp.Expr, params: Sequence[object]) -> exp.Expr:
    """Parameters of a locally answered statement become literal nodes of the syntax tree,
    rendered (escaped by the generator) into the SQL that runs in the catalog sandbox only."""
    values = iter(params)

    def replace(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Placeholder):
            return _literal(next(values, None))
        return node

    return stmt.transform(replace)


# Statement texts known to be the engine's: repeated dashboard queries skip a second parse
# (whether a text is answered locally depends on the text alone, never on session state).
_ENGINE_BOUND: OrderedDict[str, None] = OrderedDict()
_ENGINE_BOUND_MAX = 4096


def is_engine_bound(sql: str) -> bool:
    """Known to be the engine's (no local answer): the caller may skip ``answer``."""
    return sql in _ENGINE_BOUND


def answer(sql: str, state: SessionState, params: Sequence[object] = ()) -> Answer | None:
    """The local answer to ``sql``, or None when the engine must run it. May run a query in
    the catalog sandbox: call it off the event loop, bounded in time."""
    if sql in _ENGINE_BOUND:
        return None
    result = _answer(sql, state, params)
    if result is None:
        _ENGINE_BOUND[sql] = None
        if len(_ENGINE_BOUND) > _ENGINE_BOUND_MAX:
            _ENGINE_BOUND.popitem(last=False)
    return result


def _answer(sql: str, state: SessionState, params: Sequence[object]) -> Answer | None:
    if _TX_RE.match(sql):
        return LocalOk()  # the SQL API is read-only: transactions are trivially empty
    for pattern, replacement in _SHOW_SYNONYMS:
        sql = pattern.sub(replacement, sql)
    try:
        stmt = sqlglot.parse_one(_parenthesize_assignments(sql), read="mysql")
    except SqlglotError:
        if _SET_RE.match(sql):
            return LocalOk()  # SET of anything is tolerated, even what we cannot parse
        return None
    if params:
        stmt = _bind(stmt, params)
    if isinstance(stmt, exp.Set) or _SET_RE.match(sql):
        if isinstance(stmt, exp.Set):
            _apply_set(stmt, state)
        return LocalOk()
    if isinstance(stmt, exp.Use):
        state.database = check_database(stmt.this.name if stmt.this else "")
        return LocalOk()
    if isinstance(stmt, exp.Kill):
        kind = stmt.args.get("kind")
        return Kill(int(stmt.this.name), query_only=bool(kind and kind.name.upper() == "QUERY"))
    if isinstance(stmt, exp.Show):
        return _show(stmt, state)
    if isinstance(stmt, exp.Command) and stmt.name.upper() == "SHOW":
        words = str(stmt.expression.name if stmt.expression else "").split()
        raise NotSupported(f"SHOW {' '.join(words[:2]).upper()} is not supported")
    _check_system_schemas(stmt, state)
    if isinstance(stmt, exp.Describe):
        target = stmt.this
        if not isinstance(target, exp.Table):
            raise NotSupported("DESCRIBE/EXPLAIN of a query is not supported")
        return _show_columns(find_table(state, target.name, target.db or None), full=False)
    if isinstance(stmt, catalog_sql.QUERY_ROOTS) and \
            catalog_sql.reads_catalog_only(stmt, state.database):
        return _catalog_query(stmt, state, sql)
    return None


def _check_system_schemas(stmt: exp.Expr, state: SessionState) -> None:
    for table in stmt.find_all(exp.Table):
        if table.db and table.db.lower() in _SYSTEM_SCHEMAS:
            raise AccessDenied(f"SELECT command denied to user '{state.username}'@'%' for "
                               f"table '{table.name}'")


def check_database(name: str) -> str:
    if name.lower() not in DATABASES:
        raise SourceDatabaseMissing(f"Unknown database '{name}'")
    return name.lower()


# --- SET ---------------------------------------------------------------------------------------


def _apply_set(stmt: exp.Set, state: SessionState) -> None:
    for item in stmt.expressions:
        if not isinstance(item, exp.SetItem):
            continue
        if (item.args.get("kind") or "").upper() == "NAMES":
            charset = item.this.name if item.this else "utf8mb4"
            for var in ("character_set_client", "character_set_connection",
                        "character_set_results"):
                state.variables[var] = charset
            continue
        eq = item.this
        if not isinstance(eq, exp.EQ):
            continue
        target, value = eq.this, eq.expression
        evaluated = _evaluate_scalar(value, state)
        if isinstance(target, exp.Parameter):
            state.user_variables[target.name.lower()] = evaluated
        elif isinstance(target, exp.SessionParameter | exp.Column):
            name = target.name.lower()
            if name in state.variables or isinstance(target, exp.SessionParameter):
                state.variables[name] = evaluated
            else:
                state.variables[name] = evaluated


def _evaluate_scalar(value: exp.Expression, state: SessionState) -> Any:
    if isinstance(value, exp.Literal):
        return int(value.this) if not value.is_string and value.this.isdigit() else value.this
    if isinstance(value, exp.Boolean):
        return int(bool(value.this))
    if isinstance(value, exp.Null):
        return None
    if isinstance(value, exp.Column | exp.Var):  # SET autocommit = ON, sql_mode = TRADITIONAL
        return value.name
    try:
        result = _catalog_query(exp.select(value.copy().as_("v")), state)
        return result.rows[0][0] if result.rows else None
    except (AppError, SqlglotError):  # an expression we cannot evaluate is stored as text
        return value.sql(dialect="mysql")


# --- session values -----------------------------------------------------------------------


def _substitute(node: exp.Expression, state: SessionState) -> exp.Expression:
    if isinstance(node, exp.SessionParameter):
        return _literal(state.variables.get(node.name.lower()))
    if isinstance(node, exp.Parameter):
        return _literal(state.user_variables.get(node.name.lower()))
    if isinstance(node, exp.CurrentSchema):
        return _literal(state.database)
    if isinstance(node, exp.CurrentVersion):
        return _literal(SERVER_VERSION)
    if isinstance(node, exp.CurrentUser):
        return _literal(f"{state.username}@%")
    if isinstance(node, exp.Anonymous):
        fn = node.name.upper()
        if fn in ("USER", "SESSION_USER", "SYSTEM_USER"):
            return _literal(f"{state.username}@%")
        if fn == "CONNECTION_ID":
            return _literal(state.connection_id)
        if fn in ("DATABASE", "SCHEMA"):
            return _literal(state.database)
        if fn in ("LAST_INSERT_ID", "ROW_COUNT", "FOUND_ROWS"):
            return _literal(0)
    return node


def output_name(p: exp.Expression) -> str:
    """The column name MySQL gives a select item: its alias, column name, or its text."""
    if isinstance(p, exp.Alias):
        return p.alias
    if isinstance(p, exp.Column):
        return p.name
    if isinstance(p, exp.CurrentSchema):
        return "DATABASE()"
    return p.sql(dialect="mysql")


_ITEMS_END = frozenset({TokenType.FROM, TokenType.WHERE, TokenType.LIMIT, TokenType.ORDER_BY,
                        TokenType.GROUP_BY, TokenType.HAVING, TokenType.UNION, TokenType.INTO,
                        TokenType.SEMICOLON})


def raw_select_items(sql: str) -> list[str] | None:
    """The select items of ``sql``'s first SELECT as the client wrote them (MySQL names an
    unaliased expression column by its text: ``select database()`` gives ``database()``)."""
    try:
        tokens = MySQL().tokenize(sql)
    except SqlglotError:
        return None
    start = next((i for i, t in enumerate(tokens) if t.token_type == TokenType.SELECT), None)
    if start is None:
        return None
    items: list[str] = []
    depth, first = 0, None
    last = None
    for tok in tokens[start + 1:]:
        if depth == 0 and tok.token_type in _ITEMS_END:
            break
        if depth == 0 and tok.token_type == TokenType.COMMA:
            if first is None or last is None:
                return None
            items.append(sql[first.start:last.end + 1])
            first = None
            continue
        depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(tok.token_type, 0)
        if first is None:
            if tok.token_type == TokenType.DISTINCT:
                continue
            first = tok
        last = tok
    if first is not None and last is not None:
        items.append(sql[first.start:last.end + 1])
    return items


def _literal(value: Any) -> exp.Expression:
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Literal.number(int(value))
    if isinstance(value, int | float):
        return exp.Literal.number(value)
    if isinstance(value, bytes):
        return exp.Literal.string(value.decode("utf-8", "replace"))
    return exp.Literal.string(str(value))


def _is_star(p: exp.Expr) -> bool:
    return isinstance(p, exp.Star) or (isinstance(p, exp.Column) and isinstance(p.this, exp.Star))


def _catalog_query(stmt: exp.Expr, state: SessionState, sql: str | None = None) -> LocalResult:
    """An information_schema query or a FROM-less SELECT, run in the catalog sandbox."""
    # Output names as MySQL gives them: the alias, the column, or the item's text as written.
    names: list[str] | None = None
    if isinstance(stmt, exp.Select) and not any(_is_star(p) for p in stmt.expressions):
        names = [output_name(p) for p in stmt.expressions]
        written = raw_select_items(sql) if sql else None
        if written is not None and len(written) == len(names):
            names = [n if isinstance(p, exp.Alias | exp.Column) else w
                     for n, w, p in zip(names, written, stmt.expressions, strict=True)]
    # Assignments first: ``@dt := ...`` must not be read as the session's ``@dt``.
    substituted = catalog_sql.emulate_assignments(stmt).transform(
        lambda n: _substitute(n, state))
    duck_sql = catalog_sql.to_duckdb(substituted, state.database)
    result = _run(state, duck_sql)
    columns = [ResultColumn(n, t) for n, t in _result_types(result)]
    if names is not None and len(names) == len(columns):
        columns = [ResultColumn(n, c.type) for n, c in zip(names, columns, strict=True)]
    return LocalResult(tuple(columns), _mysql_rows(result, columns))


def _run(state: SessionState, duck_sql: str, params: Sequence[object] = ()) -> SandboxResult:
    try:
        return state.open_catalog().execute(duck_sql, params)
    except AppError:
        raise
    except Exception as exc:  # a DuckDB error on a query the emulation lacks
        raise NotSupported(f"catalog query not supported: {str(exc).splitlines()[0]}",
                           hint="the SQL API emulates MySQL's information_schema") from None


_INTEGERS = frozenset({"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT",
                       "UINTEGER", "UBIGINT", "BOOLEAN"})
_NEUTRAL = {"NULL": "null", "HUGEINT": "numeric", "FLOAT": "float8", "DOUBLE": "float8",
            "VARCHAR": "text",
            "DATE": "date", "TIME": "time", "TIMESTAMP": "timestamp",
            "TIMESTAMP WITH TIME ZONE": "timestamptz", "BLOB": "bytea"}


def _result_types(result: SandboxResult) -> list[tuple[str, str]]:
    """DuckDB result types as neutral types: MySQL has no boolean, and every integer is
    reported as BIGINT (as MySQL does for integer expressions)."""
    out = []
    for name, duck_type in result.columns:
        t = duck_type.upper().strip('"')
        if t in _INTEGERS:
            out.append((name.upper(), "int8"))
        elif t.startswith("DECIMAL"):
            out.append((name.upper(), "numeric"))
        else:
            out.append((name.upper(), _NEUTRAL.get(t, "text")))
    return out


def _mysql_rows(result: SandboxResult, columns: Sequence[ResultColumn]) -> list[tuple[Any, ...]]:
    text = [i for i, c in enumerate(columns) if c.type == "text"]
    rows = []
    for row in result.rows:
        values = [int(v) if isinstance(v, bool) else v for v in row]
        for i in text:  # lists, structs, UUIDs ... as their text
            if values[i] is not None and not isinstance(values[i], str):
                values[i] = str(values[i])
        rows.append(tuple(values))
    return rows


# --- SHOW --------------------------------------------------------------------------------------


def _like_filter(pattern: str) -> re.Pattern[str]:
    out = []
    chars = iter(pattern)
    for ch in chars:
        if ch == "\\":
            out.append(re.escape(next(chars, "\\")))
        elif ch == "%":
            out.append(".*")
        elif ch == "_":
            out.append(".")
        else:
            out.append(re.escape(ch))
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL)


def _filtered(result: LocalResult, stmt: exp.Show, state: SessionState,
              like_column: int = 0) -> LocalResult:
    like = stmt.args.get("like")
    rows = result.rows
    if like is not None:
        regex = _like_filter(like.name)
        rows = [r for r in rows if regex.fullmatch(str(r[like_column]))]
    where = stmt.args.get("where")
    if where is not None and rows:
        rows = _where(result.columns, rows, where.this, state)
    return LocalResult(result.columns, rows)


def _where(columns: Sequence[ResultColumn], rows: list[tuple[Any, ...]],
           condition: exp.Expr, state: SessionState) -> list[tuple[Any, ...]]:
    """The rows of a SHOW that satisfy its WHERE, decided in the catalog sandbox: the rows
    travel as bound parameters, the condition as DuckDB SQL rewritten from the client's."""
    names = [exp.to_identifier(c.name, quoted=True) for c in columns]
    values = exp.Values(expressions=[
        exp.Tuple(expressions=[exp.Placeholder() for _ in range(len(columns) + 1)])
        for _ in rows],
        alias=exp.TableAlias(this=exp.to_identifier("t"),
                             columns=[exp.to_identifier("__row", quoted=True), *names]))
    query = exp.select(exp.column("__row", quoted=True)).from_(values).where(
        condition.copy().transform(lambda n: _substitute(n, state)))
    duck_sql = catalog_sql.to_duckdb(query, state.database)
    # Text, as MySQL's SHOW columns are (a WHERE compares them as strings).
    params = [v for i, r in enumerate(rows)
              for v in (i, *(None if x is None else str(x) for x in r))]
    kept = _run(state, duck_sql, params)
    return [rows[int(r[0])] for r in kept.rows]


def _text_columns(*names: str) -> tuple[ResultColumn, ...]:
    return tuple(ResultColumn(n, "text") for n in names)


def _show(stmt: exp.Show, state: SessionState) -> LocalResult:
    what = str(stmt.this).upper()
    db = stmt.args.get("db")
    like = stmt.args.get("like")
    suffix = f" ({like.name})" if like is not None else ""  # MySQL names the column so
    if what == "DATABASES":
        return _filtered(LocalResult(_text_columns("Database" + suffix),
                                     [(d,) for d in DATABASES]), stmt, state)
    if what == "TABLES":
        database = check_database(db.name) if db else _current_database(state)
        names = [t.name for t in state.tables] if database == DATABASE else []
        full = bool(stmt.args.get("full"))
        cols = _text_columns(f"Tables_in_{database}{suffix}", *(["Table_type"] if full else []))
        table_rows: list[tuple[Any, ...]] = [(n, "BASE TABLE") if full else (n,) for n in names]
        return _filtered(LocalResult(cols, table_rows), stmt, state)
    if what == "COLUMNS":
        table = find_table(state, stmt.args["target"].name, db.name if db else None)
        return _filtered(_show_columns(table, full=bool(stmt.args.get("full"))), stmt, state)
    if what == "CREATE TABLE":
        table = find_table(state, stmt.args["target"].name, db.name if db else None)
        return LocalResult(_text_columns("Table", "Create Table"),
                           [(table.name, create_table_sql(table))])
    if what == "VARIABLES":
        rows = sorted((k, "" if v is None else str(v)) for k, v in state.variables.items())
        return _filtered(LocalResult(_text_columns("Variable_name", "Value"), rows), stmt, state)
    if what == "COLLATION":
        cols = (*_text_columns("Collation", "Charset"), ResultColumn("Id", "int8"),
                *_text_columns("Default", "Compiled"), ResultColumn("Sortlen", "int8"),
                ResultColumn("Pad_attribute", "text"))
        return _filtered(LocalResult(cols, [(*r, "PAD SPACE") for r in COLLATIONS]), stmt, state)
    if what == "CHARACTER SET":
        cols = (*_text_columns("Charset", "Description", "Default collation"),
                ResultColumn("Maxlen", "int8"))
        charsets: list[tuple[Any, ...]] = [("utf8mb4", "UTF-8 Unicode", "utf8mb4_general_ci", 4),
                ("binary", "Binary pseudo charset", "binary", 1)]
        return _filtered(LocalResult(cols, charsets), stmt, state)
    if what in ("WARNINGS", "ERRORS"):
        return LocalResult((ResultColumn("Level", "text"), ResultColumn("Code", "int8"),
                            ResultColumn("Message", "text")), [])
    if what == "STATUS":
        return _filtered(LocalResult(_text_columns("Variable_name", "Value"),
                                     _status_rows(state)), stmt, state)
    if what == "PROCESSLIST":
        cols = (ResultColumn("Id", "int8"), *_text_columns("User", "Host", "db", "Command"),
                ResultColumn("Time", "int8"), *_text_columns("State", "Info"))
        full = bool(stmt.args.get("full"))
        rows = [(*r[:7], r[7] if full or r[7] is None else r[7][:100])
                for r in state.processes()]
        return LocalResult(cols, rows)
    if what == "ENGINES":
        cols = _text_columns("Engine", "Support", "Comment", "Transactions", "XA", "Savepoints")
        return LocalResult(cols, [("MetricSQL", "DEFAULT", "Semantic models", "NO", "NO",
                                   "NO")])
    if what in ("INDEX", "INDEXES", "KEYS"):
        table = find_table(state, stmt.args["target"].name, db.name if db else None)
        cols = (ResultColumn("Table", "text"), ResultColumn("Non_unique", "int8"),
                ResultColumn("Key_name", "text"), ResultColumn("Seq_in_index", "int8"),
                ResultColumn("Column_name", "text"), ResultColumn("Collation", "text"),
                ResultColumn("Cardinality", "int8"), ResultColumn("Sub_part", "int8"),
                *_text_columns("Packed", "Null", "Index_type", "Comment", "Index_comment",
                               "Visible", "Expression"))
        keys = [c.name for c in table.columns if c.primary_key]
        return LocalResult(cols, [(table.name, 0, "PRIMARY", seq, key, "A", None, None,
                                   None, "", "BTREE", "", "", "YES", None)
                                  for seq, key in enumerate(keys, start=1)])
    if what == "TABLE STATUS":
        cols = (*_text_columns("Name", "Engine"), ResultColumn("Version", "int8"),
                ResultColumn("Row_format", "text"),
                *(ResultColumn(n, "int8") for n in (
                    "Rows", "Avg_row_length", "Data_length", "Max_data_length", "Index_length",
                    "Data_free", "Auto_increment")),
                *(ResultColumn(n, "timestamp") for n in ("Create_time", "Update_time",
                                                         "Check_time")),
                ResultColumn("Collation", "text"), ResultColumn("Checksum", "int8"),
                *_text_columns("Create_options", "Comment"))
        status_rows: list[tuple[Any, ...]] = [
            (t.name, "MetricSQL", 10, "Dynamic", None, None, None, None, None, None, None,
             None, None, None, "utf8mb4_general_ci", None, "", t.description or "")
            for t in state.tables]
        return _filtered(LocalResult(cols, status_rows), stmt, state)
    if what == "CREATE DATABASE":
        name = check_database(stmt.args["target"].name)
        return LocalResult(_text_columns("Database", "Create Database"), [(
            name, f"CREATE DATABASE {quote_identifier(name)} /*!40100 DEFAULT CHARACTER SET "
                  "utf8mb4 COLLATE utf8mb4_general_ci */")])
    if what == "GRANTS":
        # A credential reads its database, nothing else (what the access list narrows).
        return LocalResult(_text_columns(f"Grants for {state.username}@%"), [
            (f"GRANT USAGE ON *.* TO `{state.username}`@`%`",),
            (f"GRANT SELECT ON `{DATABASE}`.* TO `{state.username}`@`%`",)])
    if what in ("TRIGGERS", "EVENTS", "PROCEDURE STATUS", "FUNCTION STATUS", "PLUGINS",
                "PROFILES", "OPEN TABLES", "PRIVILEGES"):
        return LocalResult(_text_columns(*_EMPTY_SHOWS[what]), [])
    raise NotSupported(f"SHOW {what} is not supported")


# SHOWs of things the SQL API has none of: their MySQL 8 columns, no rows.
_EMPTY_SHOWS = {
    "TRIGGERS": ("Trigger", "Event", "Table", "Statement", "Timing", "Created", "sql_mode",
                 "Definer", "character_set_client", "collation_connection",
                 "Database Collation"),
    "EVENTS": ("Db", "Name", "Definer", "Time zone", "Type", "Execute at", "Interval value",
               "Interval field", "Starts", "Ends", "Status", "Originator",
               "character_set_client", "collation_connection", "Database Collation"),
    "PROCEDURE STATUS": ("Db", "Name", "Type", "Definer", "Modified", "Created",
                         "Security_type", "Comment", "character_set_client",
                         "collation_connection", "Database Collation"),
    "FUNCTION STATUS": ("Db", "Name", "Type", "Definer", "Modified", "Created",
                        "Security_type", "Comment", "character_set_client",
                        "collation_connection", "Database Collation"),
    "PLUGINS": ("Name", "Status", "Type", "Library", "License"),
    "PROFILES": ("Query_ID", "Duration", "Query"),
    "OPEN TABLES": ("Database", "Table", "In_use", "Name_locked"),
    "PRIVILEGES": ("Privilege", "Context", "Comment"),
}


def _status_rows(state: SessionState) -> list[tuple[Any, ...]]:
    """SHOW STATUS: what is true of this gateway (mycli's \\s divides by Uptime)."""
    uptime = max(1, int(time.monotonic() - _STARTED))
    return sorted([
        ("Open_tables", str(len(state.tables))), ("Opened_tables", str(len(state.tables))),
        ("Slow_queries", "0"), ("Threads_connected", str(max(1, len(state.processes())))),
        ("Uptime", str(uptime)), ("Ssl_version", state.tls[0]), ("Ssl_cipher", state.tls[1]),
    ])


def _current_database(state: SessionState) -> str:
    if state.database is None:
        raise SourceDatabaseMissing("No database selected", hint="USE db")
    return state.database


def find_table(state: SessionState, name: str, database: str | None) -> VirtualTable:
    database = check_database(database) if database else _current_database(state)
    if database == DATABASE:
        for t in state.tables:
            if t.name.lower() == name.lower():
                return t
    raise UnknownTable(f"Table '{database}.{name}' doesn't exist")


def _show_columns(table: VirtualTable, *, full: bool) -> LocalResult:
    rows: list[tuple[Any, ...]]
    if full:
        cols = _text_columns("Field", "Type", "Collation", "Null", "Key", "Default", "Extra",
                             "Privileges", "Comment")
        rows = [(c.name, mysql_type_name(c.type),
                 "utf8mb4_general_ci" if mysql_type_name(c.type) == "text" else None,
                 nullable(c), column_key(c), None, "", "select", c.description or "")
                for c in table.columns]
    else:
        cols = _text_columns("Field", "Type", "Null", "Key", "Default", "Extra")
        rows = [(c.name, mysql_type_name(c.type), nullable(c), column_key(c), None, "")
                for c in table.columns]
    return LocalResult(cols, rows)


def quote_identifier(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _quote_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def create_table_sql(table: VirtualTable) -> str:
    lines = []
    for c in table.columns:
        null = "NOT NULL" if c.primary_key else "DEFAULT NULL"
        line = f"  {quote_identifier(c.name)} {mysql_type_name(c.type)} {null}"
        if c.description:
            line += f" COMMENT {_quote_string(c.description)}"
        lines.append(line)
    keys = [quote_identifier(c.name) for c in table.columns if c.primary_key]
    if keys:
        lines.append(f"  PRIMARY KEY ({', '.join(keys)})")
    text = f"CREATE TABLE {quote_identifier(table.name)} (\n" + ",\n".join(lines) + "\n)"
    text += " ENGINE=MetricSQL DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci"
    if table.description:
        text += f" COMMENT={_quote_string(table.description)}"
    return text


# --- user-variable assignments ---------------------------------------------------------------


_ASSIGNMENT_ENDS = frozenset({TokenType.WHEN, TokenType.ELSE, TokenType.END, TokenType.THEN,
                              TokenType.COMMA, TokenType.FROM, TokenType.ALIAS, TokenType.WHERE,
                              TokenType.R_PAREN})


def _parenthesize_assignments(sql: str) -> str:
    """``@v := expr`` wrapped in parentheses, so the parser accepts it anywhere (drivers such
    as MariaDB ODBC write ``CASE ... THEN @dt:=5 ...`` in their catalog queries)."""
    if ":=" not in sql:
        return sql
    try:
        tokens = MySQL().tokenize(sql)
    except SqlglotError:
        return sql
    inserts: list[tuple[int, str]] = []
    for i in range(len(tokens) - 3):
        if tokens[i].token_type != TokenType.PARAMETER or \
                tokens[i + 2].token_type != TokenType.COLON_EQ:
            continue
        depth, last = 0, tokens[i + 2]
        for tok in tokens[i + 3:]:
            if depth == 0 and tok.token_type in _ASSIGNMENT_ENDS:
                break
            depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(tok.token_type, 0)
            last = tok
        inserts += [(tokens[i].start, "("), (last.end + 1, ")")]
    for pos, text in sorted(inserts, key=lambda p: p[0], reverse=True):
        sql = sql[:pos] + text + sql[pos:]
    return sql


def visible_names(tables: Iterable[VirtualTable]) -> list[str]:
    return [t.name for t in tables]
