"""Client catalog SQL (PostgreSQL dialect) -> DuckDB SQL over our catalog relations.

A statement is a catalog query when every relation it names is a pg_catalog or
information_schema relation (or it names none, like ``SELECT version()``). Such a statement is
rewritten to read ``pgc.*``/``pgis.*`` in the catalog DuckDB; session facts (user, settings,
version) are substituted as literals. Anything else is a data query for the semantic engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from backend.core.errors import NotSupported, SqlSyntaxError, UnknownTable
from gateway.catalog.database import CATALOG_FUNCTIONS
from gateway.catalog.tables import INFORMATION_SCHEMA, PG_CATALOG

_OPERATOR = re.compile(r"OPERATOR\s*\(\s*pg_catalog\s*\.\s*([~!=<>*+\-/@#%^&|]+)\s*\)", re.I)
_COLLATE = re.compile(r"\s+COLLATE\s+(pg_catalog\s*\.\s*)?(\"default\"|default|\"C\")", re.I)

READ_ONLY_ROOTS = (exp.Select, exp.Union, exp.Intersect, exp.Except)


@dataclass(frozen=True)
class SessionFacts:
    user: str
    database: str
    version: str
    backend_pid: int
    settings: Mapping[str, str]
    schema: str = "public"


def normalise(sql: str) -> str:
    """Text-level fixes for spellings sqlglot cannot carry over to DuckDB."""
    sql = _OPERATOR.sub(lambda m: m.group(1), sql)
    return _COLLATE.sub("", sql)


def parse(sql: str) -> exp.Expression:
    try:
        tree = sqlglot.parse_one(normalise(sql), read="postgres")
    except ParseError as exc:
        raise SqlSyntaxError(f"syntax error: {str(exc).splitlines()[0]}") from exc
    if tree is None:
        raise SqlSyntaxError("empty statement")
    return tree


def _cte_names(tree: exp.Expression) -> set[str]:
    return {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}


def is_catalog_query(tree: exp.Expression) -> bool:
    """True when the statement reads only catalog relations (or none at all)."""
    ctes = _cte_names(tree)
    user_tables = 0
    catalog_tables = 0
    for table in tree.find_all(exp.Table):
        name, schema = table.name.lower(), table.db.lower()
        if not name or (not schema and name in ctes):
            continue
        if schema in ("pg_catalog", "information_schema") or (
            not schema and name in PG_CATALOG
        ):
            catalog_tables += 1
        else:
            user_tables += 1
    if catalog_tables and user_tables:
        raise NotSupported(
            "a query cannot mix catalog relations (pg_catalog, information_schema) "
            "with model tables"
        )
    return user_tables == 0


def _literal(value: object) -> exp.Expression:
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int):
        return exp.Literal.number(value)
    return exp.Literal.string(str(value))


def _cast_target(node: exp.Cast) -> str:
    to = node.args.get("to")
    if isinstance(to, exp.ObjectIdentifier):
        return to.name.lower()
    if isinstance(to, exp.DataType):
        if to.this == exp.DataType.Type.USERDEFINED:
            kind = to.args.get("kind")
            if isinstance(kind, exp.Dot):
                return kind.expression.name.lower()
            return (kind.name if isinstance(kind, exp.Identifier) else str(kind)).lower()
        return to.this.value.lower()
    return ""


def _pgc_call(name: str, *args: exp.Expression) -> exp.Expression:
    return exp.Dot(this=exp.to_identifier("pgc"), expression=exp.Anonymous(
        this=name, expressions=list(args)))


def _rewrite_cast(node: exp.Cast) -> exp.Expression:
    target = _cast_target(node)
    inner = node.this
    literal = isinstance(inner, exp.Literal) and inner.is_string
    if target == "regclass":
        if literal:
            return _pgc_call("to_regclass", inner)
        return _pgc_call("regclass_name", inner)
    if target == "regtype":
        if literal:
            return _pgc_call("to_regtype", inner)
        return _pgc_call("regtype_name", inner)
    if target == "regnamespace":
        if literal:
            return _pgc_call("regnamespace_oid", inner)
        return _pgc_call("regnamespace_name", inner)
    if target in ("regproc", "regprocedure", "regrole", "regoper", "regconfig"):
        return exp.cast(inner, "VARCHAR", dialect="duckdb") if not literal else exp.Literal.number(0)
    if target in ("oid", "xid", "cid", "tid"):
        return exp.cast(inner, "UINTEGER", dialect="duckdb")
    if target in ("name", "char", "bpchar", "text", "varchar", "pg_node_tree", "aclitem"):
        return exp.cast(inner, "VARCHAR", dialect="duckdb")
    if target in ("int2vector", "oidvector", "_int2", "_oid"):
        return inner
    return node


def _session_value(name: str, args: list[exp.Expression], facts: SessionFacts) -> object:
    if name in ("version",):
        return facts.version
    if name in ("current_schema",):
        return facts.schema
    if name in ("current_database", "current_catalog"):
        return facts.database
    if name in ("current_user", "session_user", "user", "current_role", "pg_get_userbyid"):
        return facts.user
    if name == "pg_backend_pid":
        return facts.backend_pid
    if name in ("current_setting", "set_config"):
        if not args or not isinstance(args[0], exp.Literal):
            raise NotSupported(f"{name}() needs a literal setting name")
        if name == "set_config":
            return args[1].name if len(args) > 1 and isinstance(args[1], exp.Literal) else None
        key = args[0].name.lower()
        if key not in facts.settings:
            missing_ok = len(args) > 1 and isinstance(args[1], exp.Boolean) and args[1].this
            if missing_ok:
                return None
            err = NotSupported(f'unrecognized configuration parameter "{key}"')
            err.sqlstate = "42704"
            raise err
        return facts.settings[key]
    raise KeyError(name)


SESSION_FUNCTIONS = frozenset({
    "version", "current_schema", "current_database", "current_catalog", "current_user",
    "session_user", "user", "current_role", "pg_backend_pid", "current_setting", "set_config",
    "pg_get_userbyid",
})

_TYPED_SESSION: dict[type[exp.Expression], str] = {
    exp.CurrentSchema: "current_schema",
    exp.CurrentUser: "current_user",
    exp.SessionUser: "session_user",
    exp.CurrentVersion: "version",
    exp.CurrentCatalog: "current_database",
}


def _function_name(node: exp.Expression) -> str | None:
    if isinstance(node, exp.Anonymous):
        return str(node.this).lower()
    return None


def rewrite(tree: exp.Expression, facts: SessionFacts) -> str:
    """The DuckDB SQL that answers catalog statement ``tree`` for this session."""
    if not isinstance(tree, READ_ONLY_ROOTS):
        raise NotSupported("only SELECT statements can read the catalog")
    ctes = _cte_names(tree)

    def visit(node: exp.Expression) -> exp.Expression:
        # pg_catalog.f(...) -> f(...)
        if isinstance(node, exp.Dot) and isinstance(node.this, exp.Identifier) and (
            node.this.name.lower() == "pg_catalog"
        ):
            return node.expression
        if isinstance(node, exp.Table) and isinstance(node.this, exp.Func | exp.Dot):
            # A table function such as pg_catalog.unnest(...).
            node.set("db", None)
            node.set("catalog", None)
            return node
        if isinstance(node, exp.Table):
            name, schema = node.name.lower(), node.db.lower()
            if not schema and name in ctes:
                return node
            if schema == "information_schema":
                if name not in INFORMATION_SCHEMA:
                    raise UnknownTable(f'relation "information_schema.{name}" does not exist')
                node.set("db", exp.to_identifier("pgis"))
            elif schema in ("pg_catalog", ""):
                if name not in PG_CATALOG:
                    raise UnknownTable(f'relation "{schema or "pg_catalog"}.{name}" '
                                       "does not exist")
                node.set("db", exp.to_identifier("pgc"))
            node.set("catalog", None)
            return node
        for typed, fname in _TYPED_SESSION.items():
            if isinstance(node, typed):
                return _literal(_session_value(fname, [], facts))
        if isinstance(node, exp.Column) and node.table in ("", "pg_catalog") and node.name.lower() in (
            "user", "current_user", "session_user", "current_role", "current_catalog"
        ) and not node.this.quoted:
            return _literal(_session_value(node.name.lower(), [], facts))
        fname = _function_name(node)
        if fname is not None:
            args = list(node.expressions)
            if fname in SESSION_FUNCTIONS:
                return _literal(_session_value(fname, args, facts))
            if fname in CATALOG_FUNCTIONS:
                return _pgc_call(fname, *args)
        if isinstance(node, exp.Cast):
            return _rewrite_cast(node)
        if isinstance(node, exp.EQ) and isinstance(node.expression, exp.Any):
            target = node.expression.this
            if isinstance(target, exp.Paren) and not isinstance(target.this, exp.Query):
                return exp.Anonymous(this="list_contains", expressions=[target.this, node.this])
        return node

    out = tree.copy()
    _name_outputs(out)
    # Post-order, so that a node sees its children already rewritten (nested casts).
    for node in reversed(list(out.walk(bfs=False))):
        new = visit(node)
        if new is not node:
            if node is out:
                out = new
            else:
                node.replace(new)
    return out.sql(dialect="duckdb")


def _name_outputs(tree: exp.Expression) -> None:
    """Give unaliased select items the column names PostgreSQL would."""
    for select in tree.find_all(exp.Select):
        items = []
        for item in select.expressions:
            name: str | None = None
            if isinstance(item, exp.Alias | exp.Column | exp.Star):
                name = None
            elif isinstance(item, exp.Dot) and isinstance(item.expression, exp.Func):
                name = _output_name(item.expression)
            elif isinstance(item, exp.Case):
                name = "case"
            else:
                name = _output_name(item) or "?column?"
            items.append(exp.alias_(item, name, quoted=True) if name else item)
        if select is not tree and len({i.alias_or_name for i in items}) < len(items):
            # DuckDB rejects duplicate names in a subquery; keep its own names then.
            continue
        select.set("expressions", items)


def _output_name(node: exp.Expression) -> str:
    if isinstance(node, exp.Cast):
        inner = _output_name(node.this)
        return inner if inner != "?column?" else _cast_target(node) or "?column?"
    if isinstance(node, exp.Anonymous):
        return str(node.this).lower()
    for typed, fname in _TYPED_SESSION.items():
        if isinstance(node, typed):
            return fname
    if isinstance(node, exp.CurrentTimestamp):
        return "now"
    if isinstance(node, exp.Literal | exp.Boolean | exp.Null):
        return "?column?"
    return ""


Rewriter = Callable[[exp.Expression, SessionFacts], str]
