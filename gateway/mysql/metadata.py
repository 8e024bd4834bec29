"""Answers to what MySQL clients ask about the server rather than the data.

``SHOW ...``, ``DESCRIBE``, ``SELECT @@var``/``DATABASE()`` without FROM, ``SET``, ``USE`` and
queries over ``information_schema`` are answered here from the visible cubes (already filtered
by the credential's access policy) and the session's variables; everything else goes to the
engine. information_schema queries run on sqlglot's Python executor over small in-memory
tables, so any WHERE/JOIN/ORDER BY a BI tool writes works without a database.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.dialects.mysql import MySQL
from sqlglot.errors import SqlglotError
from sqlglot.executor.table import Table as PyTable
from sqlglot.tokenizer_core import TokenType

from backend.connectors.base import ResultColumn
from backend.core.errors import NotSupported, SourceDatabaseMissing, UnknownTable
from gateway.engine.types import VirtualColumn, VirtualTable

from . import pyexec
from .constants import DATABASE, SERVER_VERSION
from .values import mysql_type_name

INFORMATION_SCHEMA = "information_schema"
DATABASES = (INFORMATION_SCHEMA, DATABASE)


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
_TX_RE = re.compile(r"^\s*(BEGIN|START\s+TRANSACTION|COMMIT|ROLLBACK)\b", re.IGNORECASE)


def placeholder_count(sql: str) -> int:
    try:
        return len(list(sqlglot.parse_one(sql, read="mysql").find_all(exp.Placeholder)))
    except SqlglotError:
        return 0


def _bind(stmt: exp.Expr, params: Sequence[object]) -> exp.Expr:
    """Parameters of a locally answered statement become literal nodes of the syntax tree
    (evaluated by the Python executor, never rendered into SQL for a database)."""
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


def answer(sql: str, state: SessionState, params: Sequence[object] = ()) -> Answer | None:
    """The local answer to ``sql``, or None when the engine must run it."""
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
    if isinstance(stmt, exp.Describe):
        target = stmt.this
        if not isinstance(target, exp.Table):
            raise NotSupported("DESCRIBE/EXPLAIN of a query is not supported")
        return _show_columns(find_table(state, target.name, target.db or None), full=False)
    if isinstance(stmt, exp.Select | exp.Union):
        if _reads_information_schema(stmt):
            return _information_schema_query(stmt, state)
        if isinstance(stmt, exp.Select) and not stmt.args.get("from_") and \
                not stmt.args.get("from"):
            try:
                return _constant_select(stmt, state)
            except SqlglotError:
                return None  # beyond the Python executor (e.g. NOW()): the engine decides
    return None


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
        result = _constant_select(exp.select(value.copy().as_("v")), state)
        return result.rows[0][0] if result.rows else None
    except Exception:  # an expression we cannot evaluate is stored as text
        return value.sql(dialect="mysql")


# --- SELECT without FROM -----------------------------------------------------------------------


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


def _constant_select(stmt: exp.Select, state: SessionState) -> LocalResult:
    names = [output_name(p) for p in stmt.expressions]
    rewritten = stmt.copy().transform(lambda n: _substitute(n, state))
    rewritten.set("expressions", [
        exp.alias_(p.this if isinstance(p, exp.Alias) else p, f"c{i}")
        for i, p in enumerate(rewritten.expressions)
    ])
    table = pyexec.execute(rewritten, {}, {})
    return _typed(names, [tuple(r) for r in table.rows])


def _typed(names: Sequence[str], rows: list[tuple[Any, ...]]) -> LocalResult:
    """Column types from the values: integers stay numbers, everything else is text."""
    types = []
    for i in range(len(names)):
        values = [r[i] for r in rows if r[i] is not None]
        if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            types.append("int8")
        elif values and all(isinstance(v, float) for v in values):
            types.append("float8")
        else:
            types.append("text")
    return LocalResult(tuple(ResultColumn(n, t) for n, t in zip(names, types, strict=True)),
                       rows)


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


def _filtered(result: LocalResult, stmt: exp.Show, like_column: int = 0) -> LocalResult:
    like = stmt.args.get("like")
    rows = result.rows
    if like is not None:
        regex = _like_filter(like.name)
        rows = [r for r in rows if regex.fullmatch(str(r[like_column]))]
    where = stmt.args.get("where")
    if where is not None:
        names = [c.name.lower() for c in result.columns]
        query = exp.select(*[exp.column(n) for n in names]).from_("t").where(
            where.this.copy().transform(_lower_identifier))
        try:
            table = pyexec.execute(query, {"t": dict.fromkeys(names, "VARCHAR")},
                                   {"t": PyTable(names, rows)})
        except SqlglotError as exc:
            raise NotSupported(f"SHOW ... WHERE not supported: {exc}") from None
        rows = [tuple(r) for r in table.rows]
    return LocalResult(result.columns, rows)


def _text_columns(*names: str) -> tuple[ResultColumn, ...]:
    return tuple(ResultColumn(n, "text") for n in names)


def _show(stmt: exp.Show, state: SessionState) -> LocalResult:
    what = str(stmt.this).upper()
    db = stmt.args.get("db")
    if what == "DATABASES":
        return _filtered(LocalResult(_text_columns("Database"), [(d,) for d in DATABASES]),
                         stmt)
    if what == "TABLES":
        database = check_database(db.name) if db else _current_database(state)
        names = [t.name for t in state.tables] if database == DATABASE else []
        full = bool(stmt.args.get("full"))
        cols = _text_columns(f"Tables_in_{database}", *(["Table_type"] if full else []))
        table_rows: list[tuple[Any, ...]] = [(n, "BASE TABLE") if full else (n,) for n in names]
        return _filtered(LocalResult(cols, table_rows), stmt)
    if what == "COLUMNS":
        table = find_table(state, stmt.args["target"].name, db.name if db else None)
        return _filtered(_show_columns(table, full=bool(stmt.args.get("full"))), stmt)
    if what == "CREATE TABLE":
        table = find_table(state, stmt.args["target"].name, db.name if db else None)
        return LocalResult(_text_columns("Table", "Create Table"),
                           [(table.name, create_table_sql(table))])
    if what == "VARIABLES":
        rows = sorted((k, "" if v is None else str(v)) for k, v in state.variables.items())
        return _filtered(LocalResult(_text_columns("Variable_name", "Value"), rows), stmt)
    if what == "COLLATION":
        cols = (*_text_columns("Collation", "Charset"), ResultColumn("Id", "int8"),
                *_text_columns("Default", "Compiled"), ResultColumn("Sortlen", "int8"),
                ResultColumn("Pad_attribute", "text"))
        return _filtered(LocalResult(cols, [(*r, "PAD SPACE") for r in _COLLATIONS]), stmt)
    if what == "CHARACTER SET":
        cols = (*_text_columns("Charset", "Description", "Default collation"),
                ResultColumn("Maxlen", "int8"))
        charsets: list[tuple[Any, ...]] = [("utf8mb4", "UTF-8 Unicode", "utf8mb4_general_ci", 4),
                ("binary", "Binary pseudo charset", "binary", 1)]
        return _filtered(LocalResult(cols, charsets), stmt)
    if what in ("WARNINGS", "ERRORS"):
        return LocalResult((ResultColumn("Level", "text"), ResultColumn("Code", "int8"),
                            ResultColumn("Message", "text")), [])
    if what == "STATUS":
        return _filtered(LocalResult(_text_columns("Variable_name", "Value"),
                                     [("Threads_connected", "1"), ("Uptime", "0")]), stmt)
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
        cols = _text_columns("Table", "Non_unique", "Key_name", "Seq_in_index", "Column_name",
                             "Collation", "Cardinality", "Sub_part", "Packed", "Null",
                             "Index_type", "Comment", "Index_comment")
        keys = [c.name for c in table.columns if c.primary_key]
        return LocalResult(cols, [(table.name, "0", "PRIMARY", str(seq), key, "A", None, None,
                                   None, "", "BTREE", "", "")
                                  for seq, key in enumerate(keys, start=1)])
    if what == "TABLE STATUS":
        cols = _text_columns("Name", "Engine", "Version", "Row_format", "Rows",
                             "Avg_row_length", "Data_length", "Max_data_length", "Index_length",
                             "Data_free", "Auto_increment", "Create_time", "Update_time",
                             "Check_time", "Collation", "Checksum", "Create_options", "Comment")
        status_rows: list[tuple[Any, ...]] = [
            (t.name, "MetricSQL", "10", "Dynamic", None, None, None, None, None, None, None,
             None, None, None, "utf8mb4_general_ci", None, "", t.description or "")
            for t in state.tables]
        return _filtered(LocalResult(cols, status_rows), stmt)
    raise NotSupported(f"SHOW {what} is not supported")


_COLLATIONS = [
    ("utf8mb4_general_ci", "utf8mb4", 45, "Yes", "Yes", 1),
    ("utf8mb4_bin", "utf8mb4", 46, "", "Yes", 1),
    ("utf8mb4_unicode_ci", "utf8mb4", 224, "", "Yes", 8),
    ("utf8mb4_0900_ai_ci", "utf8mb4", 255, "", "Yes", 0),
    ("binary", "binary", 63, "Yes", "Yes", 1),
]


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
                 _nullable(c), _key(c), None, "", "select", c.description or "")
                for c in table.columns]
    else:
        cols = _text_columns("Field", "Type", "Null", "Key", "Default", "Extra")
        rows = [(c.name, mysql_type_name(c.type), _nullable(c), _key(c), None, "")
                for c in table.columns]
    return LocalResult(cols, rows)


def _key(c: VirtualColumn) -> str:
    return "PRI" if c.primary_key else ""


def _nullable(c: VirtualColumn) -> str:
    return "NO" if c.primary_key else "YES"


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


# --- information_schema ------------------------------------------------------------------------

_IS_COLUMNS: dict[str, tuple[str, ...]] = {
    "schemata": ("catalog_name", "schema_name", "default_character_set_name",
                 "default_collation_name", "sql_path"),
    "tables": ("table_catalog", "table_schema", "table_name", "table_type", "engine", "version",
               "row_format", "table_rows", "avg_row_length", "data_length", "max_data_length",
               "index_length", "data_free", "auto_increment", "create_time", "update_time",
               "check_time", "table_collation", "checksum", "create_options", "table_comment"),
    "columns": ("table_catalog", "table_schema", "table_name", "column_name",
                "ordinal_position", "column_default", "is_nullable", "data_type",
                "character_maximum_length", "character_octet_length", "numeric_precision",
                "numeric_scale", "datetime_precision", "character_set_name", "collation_name",
                "column_type", "column_key", "extra", "privileges", "column_comment",
                "generation_expression"),
    "views": ("table_catalog", "table_schema", "table_name", "view_definition"),
    "routines": ("specific_name", "routine_catalog", "routine_schema", "routine_name",
                 "routine_type"),
    "parameters": ("specific_catalog", "specific_schema", "specific_name", "parameter_name"),
    "statistics": ("table_catalog", "table_schema", "table_name", "non_unique", "index_schema",
                   "index_name", "seq_in_index", "column_name"),
    "key_column_usage": ("constraint_catalog", "constraint_schema", "constraint_name",
                         "table_catalog", "table_schema", "table_name", "column_name",
                         "ordinal_position", "position_in_unique_constraint",
                         "referenced_table_schema", "referenced_table_name",
                         "referenced_column_name"),
    "table_constraints": ("constraint_catalog", "constraint_schema", "constraint_name",
                          "table_schema", "table_name", "constraint_type"),
    "referential_constraints": ("constraint_catalog", "constraint_schema", "constraint_name",
                                "unique_constraint_schema", "unique_constraint_name",
                                "update_rule", "delete_rule", "table_name",
                                "referenced_table_name"),
    "character_sets": ("character_set_name", "default_collate_name", "description", "maxlen"),
    "collations": ("collation_name", "character_set_name", "id", "is_default", "is_compiled",
                   "sortlen"),
    "engines": ("engine", "support", "comment", "transactions", "xa", "savepoints"),
}


_IS_INTEGER_COLUMNS = frozenset({
    "ordinal_position", "table_rows", "version", "avg_row_length", "data_length",
    "max_data_length", "index_length", "data_free", "auto_increment", "character_maximum_length",
    "character_octet_length", "numeric_precision", "numeric_scale", "datetime_precision",
    "maxlen", "id", "sortlen", "non_unique", "seq_in_index", "position_in_unique_constraint",
})


def _data_type(neutral: str) -> str:
    return mysql_type_name(neutral).split("(")[0]


def information_schema_rows(state: SessionState) -> dict[str, list[tuple[Any, ...]]]:
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in _IS_COLUMNS}
    rows["schemata"] = [("def", d, "utf8mb4", "utf8mb4_general_ci", None) for d in DATABASES]
    for t in state.tables:
        rows["tables"].append(("def", DATABASE, t.name, "BASE TABLE", "MetricSQL", 10,
                               "Dynamic", None, None, None, None, None, None, None, None, None,
                               None, "utf8mb4_general_ci", None, "", t.description or ""))
        for pos, c in enumerate(t.columns, start=1):  # ORDINAL_POSITION starts at 1
            type_name = mysql_type_name(c.type)
            textual = type_name == "text"
            precision = {"int8": 19, "int4": 10, "int2": 5, "numeric": 65, "bool": 3,
                         "float8": 22, "float4": 12}.get(c.type)
            rows["columns"].append((
                "def", DATABASE, t.name, c.name, pos, None, _nullable(c), _data_type(c.type),
                65535 if textual else None, 262140 if textual else None, precision,
                30 if c.type == "numeric" else (0 if precision and c.type.startswith("int")
                                                else None),
                6 if c.type in ("timestamp", "timestamptz", "time") else None,
                "utf8mb4" if textual else None, "utf8mb4_general_ci" if textual else None,
                type_name, _key(c), "", "select", c.description or "", "",
            ))
        keys = [c.name for c in t.columns if c.primary_key]
        if keys:
            rows["table_constraints"].append(
                ("def", DATABASE, "PRIMARY", DATABASE, t.name, "PRIMARY KEY"))
        for seq, key in enumerate(keys, start=1):
            rows["statistics"].append(("def", DATABASE, t.name, 0, DATABASE, "PRIMARY", seq, key))
            rows["key_column_usage"].append(("def", DATABASE, "PRIMARY", "def", DATABASE, t.name,
                                             key, seq, None, None, None, None))
    rows["character_sets"] = [("utf8mb4", "utf8mb4_general_ci", "UTF-8 Unicode", 4),
                              ("binary", "binary", "Binary pseudo charset", 1)]
    rows["collations"] = [(c[0], c[1], c[2], c[3], c[4], c[5]) for c in _COLLATIONS]
    rows["engines"] = [("MetricSQL", "DEFAULT", "Semantic models", "NO", "NO", "NO")]
    return rows


def _schema_of(node: exp.Table) -> str:
    return node.db.lower() if node.db else ""


def _reads_information_schema(stmt: exp.Expression) -> bool:
    return any(_schema_of(t) == INFORMATION_SCHEMA for t in stmt.find_all(exp.Table))


def _lower_identifier(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Identifier):
        return exp.Identifier(this=node.name.lower(), quoted=False)
    return node


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


def _emulate_assignments(stmt: exp.Expression) -> exp.Expression:
    """Per-row user-variable assignments (``@v := expr`` in one select item, ``@v`` in a later
    one) become copies of the assigning item's expression: same value, no state."""
    if not isinstance(stmt, exp.Select) or not stmt.find(exp.PropertyEQ):
        return stmt
    known: dict[str, exp.Expression] = {}
    items = []
    for item in stmt.expressions:
        inner = item.this if isinstance(item, exp.Alias) else item
        assigned = {n.this.name.lower() for n in inner.find_all(exp.PropertyEQ)
                    if isinstance(n.this, exp.Parameter)}

        def unassign(node: exp.Expression) -> exp.Expression:
            if isinstance(node, exp.PropertyEQ) and isinstance(node.this, exp.Parameter):
                value: exp.Expression = node.expression
                return value
            if isinstance(node, exp.Parameter) and node.name.lower() in known:
                return exp.Paren(this=known[node.name.lower()].copy())
            return node

        new_inner = inner.transform(unassign)
        for name in assigned:
            known[name] = new_inner
        items.append(exp.alias_(new_inner, item.alias) if isinstance(item, exp.Alias)
                     else new_inner)
    out = stmt.copy()
    out.set("expressions", items)
    return out


def _python_friendly(node: exp.Expression) -> exp.Expression:
    """Forms the Python executor lacks, rewritten to ones it has."""
    if isinstance(node, exp.Chr) and all(isinstance(a, exp.Literal) for a in node.expressions):
        return exp.Literal.string("".join(chr(int(a.name)) for a in node.expressions))
    return node


def _is_star(p: exp.Expression) -> bool:
    return isinstance(p, exp.Star) or (isinstance(p, exp.Column) and isinstance(p.this, exp.Star))


def _information_schema_query(stmt: exp.Expression, state: SessionState) -> LocalResult:
    for t in stmt.find_all(exp.Table):
        if _schema_of(t) != INFORMATION_SCHEMA or t.name.lower() not in _IS_COLUMNS:
            raise NotSupported(
                f"only information_schema tables are answered here, not {t.sql('mysql')}",
                hint="information_schema has: " + ", ".join(sorted(_IS_COLUMNS)))
    # Output names as the client wrote them (identifiers are lower-cased for the executor).
    names: list[str] | None = None
    if isinstance(stmt, exp.Select) and not any(_is_star(p) for p in stmt.expressions):
        names = [output_name(p) for p in stmt.expressions]
    lowered = _emulate_assignments(stmt).transform(
        lambda n: _python_friendly(_lower_identifier(_substitute(n, state))))
    data = information_schema_rows(state)
    tables = {INFORMATION_SCHEMA: {name: PyTable(cols, data[name])
                                   for name, cols in _IS_COLUMNS.items()}}
    schema = {INFORMATION_SCHEMA: {
        name: {c: "BIGINT" if c in _IS_INTEGER_COLUMNS else "VARCHAR" for c in cols}
        for name, cols in _IS_COLUMNS.items()}}
    try:
        table = pyexec.execute(lowered, schema, tables)
    except SqlglotError as exc:
        raise NotSupported(f"information_schema query not supported: {exc}") from None
    out_names = names if names and len(names) == len(table.columns) else [
        c.upper() for c in table.columns]
    return _typed(out_names, [tuple(r) for r in table.rows])


def visible_names(tables: Iterable[VirtualTable]) -> list[str]:
    return [t.name for t in tables]
