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
from sqlglot.errors import ParseError, TokenError

from backend.core.errors import NotSupported, SqlSyntaxError, UnknownTable
from gateway.catalog.database import CATALOG_FUNCTIONS
from gateway.catalog.tables import INFORMATION_SCHEMA, PG_CATALOG

_OPERATOR = re.compile(r"OPERATOR\s*\(\s*pg_catalog\s*\.\s*([~!=<>*+\-/@#%^&|]+)\s*\)", re.I)
_COLLATE = re.compile(r"\s+COLLATE\s+(pg_catalog\s*\.\s*)?(\"default\"|default|\"C\")", re.I)

# PostgreSQL functions DuckDB has under another name.
_RENAMED_FUNCTIONS = {"json_build_object": "json_object", "jsonb_build_object": "json_object",
                      "json_agg": "json_group_array", "jsonb_agg": "json_group_array"}
_ZERO_BASED_VECTORS = frozenset({"indkey", "indclass", "indcollation", "indoption",
                                 "proargtypes", "stxkeys", "partattrs", "partclass"})
_SCHEMA_MAP = {"pg_catalog": "pgc", "information_schema": "pgis"}
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


def parse(sql: str) -> exp.Expr:
    try:
        tree: exp.Expr = sqlglot.parse_one(normalise(sql), read="postgres")
    except (ParseError, TokenError) as exc:
        raise SqlSyntaxError(f"syntax error: {str(exc).splitlines()[0]}") from exc
    except RecursionError:
        raise
    except Exception as exc:  # sqlglot's parser itself failed on malformed input: fail closed
        raise SqlSyntaxError("syntax error: the statement could not be parsed") from exc
    if tree is None:
        raise SqlSyntaxError("empty statement")
    return tree


def _cte_names(tree: exp.Expr) -> set[str]:
    return {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}


def is_catalog_query(tree: exp.Expr) -> bool:
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


def _literal(value: object) -> exp.Expr:
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
        return str(to.name).lower()
    if isinstance(to, exp.DataType):
        if to.this == exp.DataType.Type.USERDEFINED:
            kind = to.args.get("kind")
            if isinstance(kind, exp.Dot):
                return str(kind.expression.name).lower()
            return str(kind.name if isinstance(kind, exp.Identifier) else kind).lower()
        return str(to.this.value).lower()
    return ""


def _pgc_call(name: str, *args: exp.Expr) -> exp.Expr:
    call = exp.Anonymous(this=name, expressions=list(args))
    return exp.Dot(this=exp.to_identifier("pgc"), expression=call)


def _duck_cast(inner: exp.Expr, to: str) -> exp.Expr:
    return exp.Cast(this=inner, to=exp.DataType.build(to, dialect="duckdb"))


def _rewrite_cast(node: exp.Cast) -> exp.Expr:
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
        if literal:
            return exp.Literal.number(0)
        return _duck_cast(inner, "VARCHAR")
    if target in ("oid", "xid", "cid", "tid"):
        return _duck_cast(inner, "UINTEGER")
    if target in ("name", "char", "bpchar", "text", "varchar", "pg_node_tree", "aclitem"):
        return _duck_cast(inner, "VARCHAR")
    if target in ("int2vector", "oidvector", "_int2", "_oid"):
        return node.this  # type: ignore[no-any-return]
    return node


def _uncast(node: exp.Expr) -> exp.Expr:
    while isinstance(node, exp.Cast):
        node = node.this
    return node


def _session_value(name: str, args: list[exp.Expr], facts: SessionFacts) -> object:
    """The value a session function stands for (a literal), or an expression for it."""
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
        args = [_uncast(a) for a in args]
        if not args:
            raise NotSupported(f"{name}() needs a setting name")
        if not isinstance(args[0], exp.Literal):
            if name == "current_setting":
                # Over pg_settings rows (\dconfig): the defaults, not this session's values.
                return _pgc_call("setting_of", args[0])
            raise NotSupported("set_config() needs a literal setting name")
        if name == "set_config":
            return args[1].name if len(args) > 1 and isinstance(args[1], exp.Literal) else None
        key = str(args[0].name).lower()
        if key not in facts.settings:
            missing_ok = len(args) > 1 and isinstance(args[1], exp.Boolean) and args[1].this
            if missing_ok:
                return None
            err = NotSupported(f'unrecognized configuration parameter "{key}"')
            err.sqlstate = "42704"
            raise err
        return facts.settings[key]
    raise KeyError(name)


_KEYWORD_FUNCTIONS = frozenset(
    {"user", "current_user", "session_user", "current_role", "current_catalog"}
)
SESSION_FUNCTIONS = frozenset({
    "version", "current_schema", "current_database", "current_catalog", "current_user",
    "session_user", "user", "current_role", "pg_backend_pid", "current_setting", "set_config",
    "pg_get_userbyid",
})

_TYPED_SESSION: dict[type[exp.Expr], str] = {
    exp.CurrentSchema: "current_schema",
    exp.CurrentUser: "current_user",
    exp.SessionUser: "session_user",
    exp.CurrentVersion: "version",
    exp.CurrentCatalog: "current_database",
}


def _function_name(node: exp.Expr) -> str | None:
    if isinstance(node, exp.Anonymous):
        return str(node.this).lower()
    return None


def rewrite(tree: exp.Expr, facts: SessionFacts) -> str:
    """The DuckDB SQL that answers catalog statement ``tree`` for this session."""
    if not isinstance(tree, READ_ONLY_ROOTS):
        raise NotSupported("only SELECT statements can read the catalog")
    ctes = _cte_names(tree)

    def visit(node: exp.Expr) -> exp.Expr:
        # pg_catalog.f(...) -> f(...)
        if isinstance(node, exp.Dot) and isinstance(node.this, exp.Identifier) and (
            node.this.name.lower() in ("pg_catalog", "information_schema")
        ):
            return node.expression  # type: ignore[no-any-return]
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
        if (
            isinstance(node, exp.Column)
            and node.table in ("", "pg_catalog")
            and node.name.lower() in _KEYWORD_FUNCTIONS
            and not node.this.quoted
        ):
            return _literal(_session_value(node.name.lower(), [], facts))
        called = _function_name(node)
        if called is not None:
            fname = called
            args = list(node.expressions)
            if fname in SESSION_FUNCTIONS:
                value = _session_value(fname, args, facts)
                return value if isinstance(value, exp.Expr) else _literal(value)
            if fname in CATALOG_FUNCTIONS:
                return _pgc_call(fname, *args)
            if fname in _RENAMED_FUNCTIONS:
                return exp.Anonymous(this=_RENAMED_FUNCTIONS[fname], expressions=args)
        if isinstance(node, exp.Cast):
            return _rewrite_cast(node)
        if isinstance(node, exp.EQ | exp.NEQ) and isinstance(node.expression, exp.Any | exp.All):
            target = node.expression.this
            if isinstance(target, exp.Paren):
                target = target.this
            if not isinstance(target, exp.Query):
                found: exp.Expr = exp.Anonymous(
                    this="list_contains", expressions=[target, node.this])
                if isinstance(node.expression, exp.All):
                    # x <> ALL(list): not in the list
                    return exp.Not(this=found) if isinstance(node, exp.NEQ) else node
                return found if isinstance(node, exp.EQ) else node
        if (
            isinstance(node, exp.Bracket)
            and isinstance(node.this, exp.Column)
            and node.this.name.lower() in _ZERO_BASED_VECTORS
            and len(node.expressions) == 1
        ):
            # int2vector/oidvector subscripts start at 0; DuckDB lists at 1.
            node.set("expressions", [exp.Add(this=exp.Paren(this=node.expressions[0]),
                                             expression=exp.Literal.number(1))])
            return node
        if isinstance(node, exp.Column) and node.args.get("db") is not None:
            schema = node.text("db").lower()
            if schema in _SCHEMA_MAP:
                node.set("db", exp.to_identifier(_SCHEMA_MAP[schema]))
        return node

    out: exp.Expr = tree.copy()
    _name_outputs(out)
    # Post-order, so that a node sees its children already rewritten (nested casts).
    nodes: list[exp.Expr] = list(out.walk(bfs=False))
    for node in reversed(nodes):
        new = visit(node)
        if new is not node:
            if node is out:
                out = new
            else:
                node.replace(new)
    return str(out.sql(dialect="duckdb"))


def _name_outputs(tree: exp.Expr) -> None:
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


def _output_name(node: exp.Expr) -> str:
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


Rewriter = Callable[[exp.Expr, SessionFacts], str]
