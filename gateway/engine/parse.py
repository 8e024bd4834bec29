"""Stage 1: client SQL text -> one sqlglot statement, with its parameters numbered.

Only queries pass this stage: DML and DDL are refused as read-only, other commands as not
supported, several statements as a syntax error. Client parameters become
``exp.Placeholder(this="<0-based index>")`` whatever the client's style (``$n`` in PostgreSQL,
positional ``?`` in MySQL).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.dialects.mysql import MySQL
from sqlglot.dialects.postgres import Postgres
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokenizer_core import TokenType

from backend.core.errors import NotSupported, ReadOnly, SqlSyntaxError

from .types import ClientDialect

MAX_PARAMETERS = 65535


# MySQL's positional ``?`` are numbered by where they appear in the text, which the parse tree
# alone does not tell (``LIMIT ?, ?`` is offset then count): before parsing, each ``?`` token
# becomes a reserved column name carrying its position, turned into a placeholder after.
# (A tokenizer pass rather than a parser subclass: sqlglot's compiled build forbids those.)
_PARAM_PREFIX = "__metricsql_param_"


def _number_mysql_placeholders(sql: str) -> str:
    if "?" not in sql:
        return sql
    if _PARAM_PREFIX in sql.lower():
        raise SqlSyntaxError(f"identifiers starting with {_PARAM_PREFIX} are reserved")
    pieces: list[str] = []
    last = 0
    for token in MySQL().tokenize(sql):
        if token.token_type == TokenType.PLACEHOLDER and token.text == "?":
            pieces.append(sql[last : token.start])
            pieces.append(f" {_PARAM_PREFIX}{len(pieces) // 2}__ ")
            last = token.end + 1
    pieces.append(sql[last:])
    return "".join(pieces)


_READERS: dict[ClientDialect, type[sqlglot.Dialect]] = {"postgres": Postgres, "mysql": MySQL}

_WRITES = (
    exp.Insert, exp.Update, exp.Delete, exp.Merge, exp.Create, exp.Drop, exp.Alter,
    exp.TruncateTable, exp.Copy, exp.LoadData, exp.Grant,
)
# Statements sqlglot keeps as opaque commands, by first keyword, that would write.
_WRITE_COMMANDS = frozenset(
    {
        "INSERT", "UPDATE", "DELETE", "REPLACE", "UPSERT", "MERGE", "CREATE", "DROP", "ALTER",
        "TRUNCATE", "RENAME", "GRANT", "REVOKE", "LOAD", "IMPORT", "COPY", "CALL", "DO",
        "HANDLER", "LOCK", "UNLOCK", "VACUUM", "REINDEX", "CLUSTER", "COMMENT", "REFRESH",
    }
)
_QUERIES = (exp.Select, exp.SetOperation, exp.Subquery)
# Statements that are valid SQL but not queries (catalog/session commands belong to the
# gateways); anything else that parses is a fragment such as ``selec x`` and a syntax error.
_COMMANDS = tuple(
    getattr(exp, name)
    for name in (
        "Command", "Set", "Show", "Use", "Describe", "Transaction", "Commit", "Rollback",
        "Pragma", "Kill", "Analyze", "Cache", "Uncache", "Refresh", "Declare", "Execute",
    )
    if hasattr(exp, name)
)


@dataclass(frozen=True)
class ParsedStatement:
    statement: exp.Query
    param_count: int


def parse_statement(sql: str, dialect: ClientDialect) -> ParsedStatement:
    if "\x00" in sql:
        # NUL marks placeholders in rendered SQL (see render.py); no client needs it.
        raise SqlSyntaxError("the statement contains a NUL character")
    try:
        if dialect == "mysql":
            sql = _number_mysql_placeholders(sql)
        statements = [s for s in sqlglot.parse(sql, read=_READERS[dialect]) if s is not None]
    except (ParseError, TokenError) as e:
        raise SqlSyntaxError(f"syntax error: {_first_line(e)}") from e
    if not statements:
        raise SqlSyntaxError("empty query", hint="send one SELECT statement")
    if len(statements) > 1:
        raise SqlSyntaxError(
            "more than one statement", hint="send one statement at a time"
        )
    statement = statements[0]
    if isinstance(statement, _WRITES) or statement.find(*_WRITES) is not None:
        raise ReadOnly("the SQL API is read-only", hint="only SELECT queries are allowed")
    if isinstance(statement, exp.Select) and statement.args.get("into") is not None:
        raise ReadOnly("SELECT INTO writes a table; the SQL API is read-only")
    if isinstance(statement, exp.Select) and statement.args.get("locks"):
        raise ReadOnly("locking clauses (FOR UPDATE/SHARE) are not allowed: read-only")
    if isinstance(statement, exp.Command) and statement.name.upper() in _WRITE_COMMANDS:
        raise ReadOnly("the SQL API is read-only", hint="only SELECT queries are allowed")
    if isinstance(statement, _COMMANDS):
        kind = statement.name.upper() if isinstance(statement, exp.Command) else ""
        kind = kind or statement.key.upper()
        raise NotSupported(f"{kind} statements are not supported here; send a SELECT")
    if not isinstance(statement, _QUERIES):
        raise SqlSyntaxError(
            f"syntax error: {statement.sql(dialect=_READERS[dialect])!r} is not a statement"
        )
    count = _number_parameters(statement, dialect)
    assert isinstance(statement, exp.Query)
    return ParsedStatement(statement, count)


def _number_parameters(statement: exp.Expr, dialect: ClientDialect) -> int:
    if dialect == "postgres":
        highest = 0
        for node in list(statement.find_all(exp.Parameter, exp.Placeholder)):
            index = _pg_parameter_index(node)
            highest = max(highest, index + 1)
            node.replace(exp.Placeholder(this=str(index)))
        return highest
    count = 0
    for node in list(statement.find_all(exp.Placeholder, exp.Parameter)):
        raise SqlSyntaxError(f"unsupported parameter syntax {node.sql()!r}; use ?")
    for column in list(statement.find_all(exp.Column)):
        name = column.name
        if name.startswith(_PARAM_PREFIX) and not column.table:
            index = int(name[len(_PARAM_PREFIX) :].rstrip("_"))
            column.replace(exp.Placeholder(this=str(index)))
            count = max(count, index + 1)
    return count


def _pg_parameter_index(node: exp.Expr) -> int:
    value = node.this
    text = value.name if isinstance(value, exp.Expr) else str(value or "")
    if not text.isdigit() or not 1 <= int(text) <= MAX_PARAMETERS:
        shown = f"${text}" if isinstance(node, exp.Parameter) else node.sql()
        raise SqlSyntaxError(f"unsupported parameter syntax {shown!r}; use $1, $2, ...")
    return int(text) - 1


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else "cannot parse the statement"
