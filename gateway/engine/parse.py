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
from sqlglot.tokenizer_core import Token, TokenType

from backend.core.errors import AppError, NotSupported, ReadOnly, SqlSyntaxError

from . import functions
from .limits import DEFAULT_LIMITS, InputLimits, check_in_list, check_length, too_deep
from .types import ClientDialect
from .validate import validate_statement

MAX_PARAMETERS = 65535


# Two rewrites of the text, made on its tokens before parsing (a parser subclass would be
# simpler, but sqlglot's compiled build forbids those):
# * MySQL's positional ``?`` are numbered by where they appear in the text, which the parse
#   tree alone does not tell (``LIMIT ?, ?`` is offset then count): each becomes a reserved
#   column name carrying its position, turned into a placeholder after parsing.
# * A long ``IN (<literal>, ...)`` list is parsed by sqlglot one element at a time through
#   every precedence level; it is cut out, its literals built straight from the tokens, and
#   put back after parsing (a 1,000-item list plans several times faster).
_RESERVED = "__metricsql_"
_PARAM_PREFIX = "__metricsql_param_"
_LIST_PREFIX = "__metricsql_list_"
_MIN_FAST_LIST = 32
_LITERAL_TOKENS = frozenset({TokenType.NUMBER, TokenType.STRING})


def _prepare_text(
    sql: str, dialect: ClientDialect, limits: InputLimits
) -> tuple[str, list[list[exp.Expr]]]:
    if "{" in sql:
        sql = _odbc_escapes(sql, dialect)
    lowered = sql.lower()
    if _RESERVED in lowered:
        raise SqlSyntaxError(f"identifiers starting with {_RESERVED} are reserved")
    numbered = dialect == "mysql" and "?" in sql
    lists = len(sql) > 200 and " in" in lowered
    # Short text cannot nest deeper than the limit; longer text is measured on its tokens
    # before the parser recurses into it.
    # (An AND/OR chain of n terms is a tree n deep, as n parentheses are.)
    deep = (sql.count("(") > limits.max_nesting_depth
            or lowered.count(" or ") + lowered.count(" and ") > limits.max_nesting_depth)
    if not numbered and not lists and not deep:
        return sql, []
    tokens = _READERS[dialect]().tokenize(sql)
    if deep:
        _check_nesting(tokens, limits.max_nesting_depth)
    pieces: list[str] = []
    literal_lists: list[list[exp.Expr]] = []
    parameters = 0
    last = 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if numbered and token.token_type == TokenType.PLACEHOLDER and token.text == "?":
            pieces.append(sql[last : token.start])
            pieces.append(f" {_PARAM_PREFIX}{parameters}__ ")
            parameters += 1
            last = token.end + 1
        elif lists and token.token_type == TokenType.IN:
            end, literals = _literal_list(tokens, i + 1)
            if literals is not None:
                check_in_list(len(literals), limits)
                pieces.append(sql[last : tokens[i + 1].start])
                pieces.append(f"({_LIST_PREFIX}{len(literal_lists)}__)")
                literal_lists.append(literals)
                last = tokens[end].end + 1
                i = end
        i += 1
    pieces.append(sql[last:])
    return "".join(pieces), literal_lists


# ODBC escape clauses (Tableau, Power BI, Excel through ODBC drivers send them; MySQL reads
# them natively): rewritten on the tokens into the SQL they stand for. ``{d '...'}``,
# ``{t '...'}``, ``{ts '...'}`` are typed literals; ``{fn f(...)}`` is the function, with
# SQL_TSI_* interval names and CONVERT(x, SQL_type) read as ODBC defines them; ``{oj ...}``
# is the outer join; ``{escape '...'}`` the LIKE escape. ``{call ...}`` runs a procedure.
_ODBC_LITERALS = {"d": "DATE", "t": "TIME", "ts": "TIMESTAMP"}
_ODBC_TYPES = {
    "SQL_CHAR": "VARCHAR", "SQL_VARCHAR": "VARCHAR", "SQL_LONGVARCHAR": "VARCHAR",
    "SQL_WCHAR": "VARCHAR", "SQL_WVARCHAR": "VARCHAR", "SQL_WLONGVARCHAR": "VARCHAR",
    "SQL_INTEGER": "INTEGER", "SQL_SMALLINT": "SMALLINT", "SQL_TINYINT": "SMALLINT",
    "SQL_BIGINT": "BIGINT", "SQL_DOUBLE": "DOUBLE PRECISION", "SQL_FLOAT": "DOUBLE PRECISION",
    "SQL_REAL": "REAL", "SQL_DECIMAL": "DECIMAL", "SQL_NUMERIC": "DECIMAL", "SQL_BIT": "BOOLEAN",
    "SQL_DATE": "DATE", "SQL_TYPE_DATE": "DATE", "SQL_TIMESTAMP": "TIMESTAMP",
    "SQL_TYPE_TIMESTAMP": "TIMESTAMP", "SQL_TIME": "TIME", "SQL_TYPE_TIME": "TIME",
}
# ODBC scalar names that PostgreSQL spells differently (MySQL knows them all).
_ODBC_NAMES = {"UCASE": "UPPER", "LCASE": "LOWER", "IFNULL": "COALESCE", "CEILING": "CEIL"}


def _odbc_escapes(sql: str, dialect: ClientDialect) -> str:
    tokens = _READERS[dialect]().tokenize(sql)
    edits: list[tuple[int, int, str]] = []  # (start, end inclusive, replacement)
    closers: list[bool] = []  # per open brace: whether it is an escape we rewrite
    inside_fn = 0
    for i, token in enumerate(tokens):
        kind = token.token_type
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if kind == TokenType.L_BRACE and following is not None:
            keyword = following.text.lower()
            if keyword == "call":
                raise NotSupported("ODBC {call ...} escapes are not supported")
            if keyword in _ODBC_LITERALS or keyword in ("fn", "oj", "escape"):
                replacement = _ODBC_LITERALS.get(keyword, "ESCAPE" if keyword == "escape" else "")
                edits.append((token.start, following.end, replacement))
                closers.append(True)
                inside_fn += keyword == "fn"
                continue
            closers.append(False)
        elif kind == TokenType.R_BRACE and closers:
            if closers.pop():
                edits.append((token.start, token.end, " "))
        elif inside_fn and kind == TokenType.VAR and token.text.upper().startswith("SQL_TSI_"):
            edits.append((token.start, token.end, token.text[len("SQL_TSI_"):]))
        elif inside_fn and token.text.upper() in _ODBC_NAMES and following is not None \
                and following.token_type == TokenType.L_PAREN:
            edits.append((token.start, token.end, _ODBC_NAMES[token.text.upper()]))
        elif (inside_fn and token.text.upper() in _ODBC_TYPES and i >= 1
              and tokens[i - 1].token_type == TokenType.COMMA and following is not None
              and following.token_type == TokenType.R_PAREN):
            _odbc_convert(tokens, i, edits)
    out = []
    last = 0
    for start, end, replacement in sorted(edits):
        out.append(sql[last:start])
        out.append(replacement)
        last = end + 1
    out.append(sql[last:])
    return "".join(out)


def _odbc_convert(tokens: list[Token], i: int, edits: list[tuple[int, int, str]]) -> None:
    """``CONVERT(x, SQL_INTEGER)`` -> ``CAST(x AS INTEGER)``: find the CONVERT whose last
    argument token ``i`` is."""
    depth = 0
    for j in range(i - 1, -1, -1):
        kind = tokens[j].token_type
        if kind == TokenType.R_PAREN:
            depth += 1
        elif kind == TokenType.L_PAREN:
            if depth == 0:
                if j >= 1 and tokens[j - 1].text.upper() == "CONVERT":
                    edits.append((tokens[j - 1].start, tokens[j - 1].end, "CAST"))
                    edits.append((tokens[i - 1].start, tokens[i - 1].end, " AS "))
                    edits.append((tokens[i].start, tokens[i].end,
                                  _ODBC_TYPES[tokens[i].text.upper()]))
                return
            depth -= 1


def check_bounds(sql: str, dialect: ClientDialect, limits: InputLimits) -> None:
    """The input bounds checked before any parser sees ``sql`` (the catalog's parser too)."""
    check_length(sql, limits)
    try:
        _prepare_text(sql, dialect, limits)
    except (ParseError, TokenError) as e:
        raise SqlSyntaxError(f"syntax error: {_first_line(e)}") from e


def _check_nesting(tokens: list[Token], limit: int) -> None:
    """Refuse before parsing what would parse into a tree deeper than ``limit``: nested
    parentheses, or more AND/OR terms than that (the parser chains them one level each)."""
    depth = 0
    connectives = 0
    for token in tokens:
        if token.token_type == TokenType.L_PAREN:
            depth += 1
            if depth > limit:
                raise too_deep(limit)
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
        elif token.token_type in (TokenType.AND, TokenType.OR):
            connectives += 1
            if connectives > limit:
                raise too_deep(limit)


def _literal_list(tokens: list[Token], start: int) -> tuple[int, list[exp.Expr] | None]:
    """``( literal , literal ... )`` from ``start``: the closing index and the literals."""
    if start >= len(tokens) or tokens[start].token_type != TokenType.L_PAREN:
        return start, None
    literals: list[exp.Expr] = []
    i = start + 1
    while i < len(tokens):
        token = tokens[i]
        if token.token_type not in _LITERAL_TOKENS:
            return start, None
        literals.append(
            exp.Literal.number(token.text) if token.token_type == TokenType.NUMBER
            else exp.Literal.string(token.text)
        )
        following = tokens[i + 1].token_type if i + 1 < len(tokens) else None
        if following == TokenType.R_PAREN:
            return (i + 1, literals) if len(literals) >= _MIN_FAST_LIST else (start, None)
        if following != TokenType.COMMA:
            return start, None
        i += 2
    return start, None


def _restore_lists(statement: exp.Expr, lists: list[list[exp.Expr]]) -> None:
    for column in list(statement.find_all(exp.Column)):
        name = column.name
        if not name.startswith(_LIST_PREFIX) or column.table:
            continue
        parent = column.parent
        if not isinstance(parent, exp.In) or parent.expressions != [column]:
            raise SqlSyntaxError("syntax error near IN list")
        parent.set("expressions", lists[int(name[len(_LIST_PREFIX) :].rstrip("_"))])


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


def parse_statement(
    sql: str, dialect: ClientDialect, limits: InputLimits = DEFAULT_LIMITS
) -> ParsedStatement:
    check_length(sql, limits)
    if "\x00" in sql:
        # NUL marks placeholders in rendered SQL (see render.py); no client needs it.
        raise SqlSyntaxError("the statement contains a NUL character")
    try:
        text, lists = _prepare_text(sql, dialect, limits)
        statements = [s for s in sqlglot.parse(text, read=_READERS[dialect]) if s is not None]
    except (ParseError, TokenError) as e:
        raise SqlSyntaxError(f"syntax error: {_first_line(e)}") from e
    except (RecursionError, AppError):
        raise
    except Exception as e:  # sqlglot's parser itself failed on malformed input: fail closed
        raise SqlSyntaxError("syntax error: the statement could not be parsed") from e
    if not statements:
        raise SqlSyntaxError("empty query", hint="send one SELECT statement")
    if len(statements) > 1:
        raise SqlSyntaxError(
            "more than one statement", hint="send one statement at a time"
        )
    statement = statements[0]
    if lists:
        _restore_lists(statement, lists)
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
    functions.record_written(statement, text)
    validate_statement(statement, dialect, limits)
    found: dict[int, str] = {}
    if functions.needs_tokens(text.lower()):
        tokens = _READERS[dialect]().tokenize(text)
        found = functions.client_formats(tokens)
        functions.record_extract_names(statement, tokens)
    functions.normalize(statement, dialect, found)
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
