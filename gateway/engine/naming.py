"""Default output column names, as each client's server would name an unaliased expression."""

from __future__ import annotations

from sqlglot import exp

from .functions import written_name
from .types import ClientDialect

_PG_FUNCTION_NAMES: dict[type[exp.Expr], str] = {
    exp.DateTrunc: "date_trunc",
    exp.TimestampTrunc: "date_trunc",
    exp.Extract: "extract",
    exp.Case: "case",
    exp.Coalesce: "coalesce",
    exp.Nullif: "nullif",
    exp.Greatest: "greatest",
    exp.Least: "least",
    exp.CurrentDate: "current_date",
    exp.CurrentTimestamp: "current_timestamp",
}


def output_name(node: exp.Expr, client: ClientDialect) -> str:
    """The name of a select item: its alias, else the default name."""
    if isinstance(node, exp.Alias):
        identifier = node.args.get("alias")
        name = node.alias
        quoted = isinstance(identifier, exp.Identifier) and identifier.quoted
        # PostgreSQL folds unquoted names to lower case; MySQL keeps them as written.
        return name.lower() if client == "postgres" and not quoted else name
    if node.meta and node.meta.get("output_name"):  # named before functions.normalize
        return str(node.meta["output_name"])
    return default_name(node, client)


def default_name(node: exp.Expr, client: ClientDialect) -> str:
    """PostgreSQL names a column after the column or function it shows (else ``?column?``);
    MySQL after the expression's text."""
    if client == "mysql":
        if isinstance(node, exp.Column):
            return node.name
        return node.sql(dialect="mysql")
    return _pg_name(node)


def _pg_name(node: exp.Expr) -> str:
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Column):
        identifier = node.this
        quoted = isinstance(identifier, exp.Identifier) and identifier.quoted
        return node.name if quoted else node.name.lower()
    if isinstance(node, exp.Cast | exp.TryCast):
        inner = _pg_name(node.this)
        if inner != "?column?":
            return inner
        to = node.args.get("to")
        return to.sql(dialect="postgres").lower() if isinstance(to, exp.DataType) else inner
    if isinstance(node, exp.Filter | exp.Window):  # named after the function
        return _pg_name(node.this)
    if isinstance(node, exp.Boolean):
        return "bool"
    if isinstance(node, exp.Anonymous):
        return node.name.lower()
    written = written_name(node) if isinstance(node, exp.Func) else None
    if written and written[:1].isalpha():  # the function as the client wrote it
        return written.lower()
    named = _PG_FUNCTION_NAMES.get(type(node))
    if named:
        return named
    if isinstance(node, exp.Func):
        return node.sql_name().lower()
    return "?column?"
