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
from gateway.catalog.database import CATALOG_FUNCTIONS, TYPES_HEADER
from gateway.catalog.result_types import REGPROC_COLUMNS, result_types
from gateway.catalog.result_types import UNAMBIGUOUS_COLUMN_TYPES as TEXT_COLUMN_TYPES
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


# ``x::regtype[]`` (pgcli) does not parse; ``x::_regtype`` (the array type's own name) does.
_REG_ARRAY = re.compile(r"::\s*(?:pg_catalog\s*\.\s*)?(regtype|regclass|regproc|regnamespace|"
                        r"name|oid|text)\s*\[\s*\]", re.I)


def normalise(sql: str) -> str:
    """Text-level fixes for spellings sqlglot cannot carry over to DuckDB."""
    sql = _OPERATOR.sub(lambda m: m.group(1), sql)
    sql = _REG_ARRAY.sub(lambda m: "::_" + m.group(1).lower(), sql)
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
    user_tables: list[str] = []
    catalog_tables: list[str] = []
    for table in tree.find_all(exp.Table):
        name, schema = table.name.lower(), table.db.lower()
        if not name or (not schema and name in ctes):
            continue
        if schema in ("pg_catalog", "information_schema") or (
            not schema and name in PG_CATALOG
        ):
            catalog_tables.append(name)
        else:
            user_tables.append(name)
    if catalog_tables and user_tables:
        # The catalog lives in the gateway and the cubes at the data source: no one place
        # can join them. Name both, so the client's author sees what to split.
        raise NotSupported(
            "a query cannot mix catalog relations with model tables: "
            f"{', '.join(sorted(set(catalog_tables)))} with {', '.join(sorted(set(user_tables)))}",
            hint="query the catalog and the cubes in separate statements",
        )
    return not user_tables


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


_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.In)
_SHOWN_IN = (exp.DPipe, exp.Concat, exp.Case, exp.If, exp.Coalesce, exp.Like, exp.ILike)


def _shown(node: exp.Expr) -> bool:
    """Whether PostgreSQL would turn this OID-alias value into its name here."""
    parent = node.parent
    if isinstance(parent, exp.Alias):
        node, parent = parent, parent.parent
    if isinstance(parent, exp.Select):
        return node in parent.expressions
    if isinstance(parent, exp.Cast):
        return _cast_target(parent) in ("text", "varchar", "name", "char", "bpchar")
    return isinstance(parent, _SHOWN_IN)


def _rewrite_cast(node: exp.Cast) -> exp.Expr:
    target = _cast_target(node)
    inner = node.this
    literal = isinstance(inner, exp.Literal) and inner.is_string
    if target in ("regclass", "regtype", "regnamespace"):
        # An OID alias is its OID where it is compared, joined, ordered or passed on, and the
        # object's name where it is shown (output, text casts, concatenation, CASE branches).
        lookup, name_of = {"regclass": ("to_regclass", "regclass_name"),
                           "regtype": ("to_regtype", "regtype_name"),
                           "regnamespace": ("regnamespace_oid", "regnamespace_name")}[target]
        textual = literal or (isinstance(inner, exp.Column) and TEXT_COLUMN_TYPES.get(
            inner.name.lower()) in ("name", "text", "varchar"))  # typname::regtype
        oid = _pgc_call(lookup, inner) if textual else inner
        return _pgc_call(name_of, oid) if _shown(node) else oid
    if target == "regproc" and literal:
        # A regproc column holds the function's name: compare names ('pg_catalog.array_in').
        return exp.Literal.string(str(inner.name).split(".")[-1].strip('"'))
    if target in ("regproc", "regprocedure", "regrole", "regoper", "regconfig"):
        if literal:
            return exp.Literal.number(0)
        return _duck_cast(inner, "VARCHAR")
    if target in ("oid", "xid", "cid", "tid"):
        return _duck_cast(inner, "UINTEGER")
    if target in ("name", "char", "bpchar", "text", "varchar", "pg_node_tree", "aclitem"):
        return _duck_cast(inner, "VARCHAR")
    to = node.args.get("to")
    element = target[1:] if target.startswith("_") else None
    if isinstance(to, exp.DataType) and to.this == exp.DataType.Type.ARRAY and to.expressions:
        element = str(to.expressions[0].this.value).lower()
    if element is not None and literal:
        elements = array_elements(str(inner.name))
        if elements is None:
            raise NotSupported("catalog query not supported: multi-dimensional array literal")
        array = _array_of(elements, element)
        compared = isinstance(node.parent, (*_COMPARISONS, exp.Any, exp.All, exp.Paren))
        if element == "regtype" and not compared:
            return _pgc_call("regtype_names", array)  # shown as type names
        return array
    if target == "_regtype":
        return _pgc_call("regtype_names", inner)
    if target in ("int2vector", "oidvector", "_int2", "_oid", "_text", "_name", "_regclass"):
        return node.this  # type: ignore[no-any-return]
    return node


def array_elements(text: str) -> list[str | None] | None:
    """The elements of a one-dimensional PostgreSQL array literal ('{r,p,""}'), or None."""
    text = text.strip()
    if not (text.startswith("{") and text.endswith("}")):
        return None
    body, i = text[1:-1], 0
    out: list[str | None] = []
    if not body.strip():
        return []
    while i <= len(body):
        while i < len(body) and body[i] == " ":
            i += 1
        if i < len(body) and body[i] == '"':
            j, chars = i + 1, list[str]()
            while j < len(body) and body[j] != '"':
                if body[j] == "\\" and j + 1 < len(body):
                    j += 1
                chars.append(body[j])
                j += 1
            out.append("".join(chars))
            i = body.find(",", j)
        else:
            j = body.find(",", i)
            item = (body[i:] if j < 0 else body[i:j]).strip()
            if "{" in item:
                return None  # more than one dimension
            out.append(None if item.upper() == "NULL" else item)
            i = j
        if i < 0:
            break
        i += 1
    return out


def _array_of(elements: list[str | None], element_type: str) -> exp.Expr:
    items: list[exp.Expr] = []
    for e in elements:
        if e is None:
            items.append(exp.Null())
        elif element_type == "regtype":
            items.append(_pgc_call("to_regtype", exp.Literal.string(e)))
        elif element_type == "regclass":
            items.append(_pgc_call("to_regclass", exp.Literal.string(e)))
        elif element_type in ("oid", "int2", "int4", "int8"):
            items.append(exp.Literal.number(int(e)))
        else:
            items.append(exp.Literal.string(e))
    return exp.Array(expressions=items)


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
    if name in ("current_user", "session_user", "user", "current_role"):
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
})
# System columns every PostgreSQL relation has; the catalog's tables answer them as constants.
_SYSTEM_COLUMN_VALUES: dict[str, tuple[object, str]] = {
    "xmin": (1, "UINTEGER"), "xmax": (0, "UINTEGER"), "cmin": (0, "UINTEGER"),
    "cmax": (0, "UINTEGER"), "ctid": ("(0,1)", "VARCHAR"),
}

_TYPED_SESSION: dict[type[exp.Expr], str] = {
    exp.CurrentSchema: "current_schema",
    exp.CurrentUser: "current_user",
    exp.SessionUser: "session_user",
    exp.CurrentVersion: "version",
    exp.CurrentCatalog: "current_catalog",
    exp.CurrentDatabase: "current_database",
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
            relation = _table_function(node)
            if relation is not None:
                return relation
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
        if isinstance(node, exp.CurrentSchemas):
            implicit = node.this
            schemas = [facts.schema]
            if not (isinstance(implicit, exp.Boolean) and not implicit.this):
                schemas = ["pg_catalog", facts.schema]
            return exp.Array(expressions=[exp.Literal.string(x) for x in schemas])
        if (isinstance(node, exp.Column) and node.name.lower() in _SYSTEM_COLUMN_VALUES
                and not node.this.quoted and not (node.table and node.table.lower() in ctes)):
            value, duck_type = _SYSTEM_COLUMN_VALUES[node.name.lower()]
            return _duck_cast(_literal(value), duck_type)
        if isinstance(node, exp.Column) and node.name.lower() == "tableoid":
            return _duck_cast(exp.Literal.number(0), "UINTEGER")
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
            if fname == "regexp_split_to_table" and len(args) == 2:
                return exp.Anonymous(this="unnest", expressions=[
                    exp.Anonymous(this="string_split_regex", expressions=args)])
            if fname in _RENAMED_FUNCTIONS:
                return exp.Anonymous(this=_RENAMED_FUNCTIONS[fname], expressions=args)
        if isinstance(node, exp.Cast):
            return _rewrite_cast(node)
        if isinstance(node, exp.DPipe) and any(
                isinstance(side, exp.Array) for side in (node.this, node.expression)):
            # array || array: PostgreSQL treats a NULL array as empty here.
            empty = exp.Array(expressions=[])
            return exp.Anonymous(this="list_concat", expressions=[
                exp.Coalesce(this=node.this, expressions=[empty]),
                exp.Coalesce(this=node.expression, expressions=[empty.copy()])])
        if isinstance(node, exp.Div) and node.args.get("typed") and all(
                _is_integer(side) for side in (node.this, node.expression)):
            return exp.IntDiv(this=node.this, expression=node.expression)  # int / int
        if isinstance(node, exp.EQ) and _regproc_join(node):
            return node
        if isinstance(node, exp.EQ | exp.NEQ) and _is_regproc_zero(node):
            # A regproc column holds the function's name, '-' for none (what 0 displays as).
            side = "expression" if isinstance(node.expression, exp.Literal) else "this"
            node.set(side, exp.Literal.string("-"))
            return node
        if isinstance(node, exp.EQ | exp.NEQ) and isinstance(node.expression, exp.Any | exp.All):
            target = node.expression.this
            if isinstance(target, exp.Paren):
                target = target.this
            if isinstance(target, exp.Literal) and target.is_string:
                elements = array_elements(str(target.name))
                if elements is not None:
                    target = _array_of(elements, "text")
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
    for ident in out.find_all(exp.Identifier):
        if not ident.quoted:  # PostgreSQL folds unquoted names (aliases too) to lower case
            ident.set("this", str(ident.this).lower())
    types = result_types(out)
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
    # Always a header, so that nothing from the client's text can stand in its place.
    header = TYPES_HEADER.format(",".join(t or "" for t in types))
    return header + str(out.sql(dialect="duckdb"))


_SCALAR_IN_FROM = frozenset({"string_to_array", "current_schemas", "regexp_split_to_array",
                             "string_split", "array_append", "array_cat"})


def _table_function(node: exp.Table) -> exp.Expr | None:
    """Set-returning catalog functions answered by a relation of the catalog."""
    call = node.this.expression if isinstance(node.this, exp.Dot) else node.this
    name = str(call.this).lower() if isinstance(call, exp.Anonymous) else ""
    if isinstance(call, exp.StringToArray):
        name = "string_to_array"
    elif isinstance(call, exp.CurrentSchemas | exp.Array):  # already rewritten to a list
        name = "current_schemas"
    alias = node.args.get("alias") or exp.TableAlias(this=exp.to_identifier(name))
    if name in ("pg_get_keywords", "pg_timezone_abbrevs", "pg_timezone_names"):
        return exp.Table(this=exp.to_identifier(name), db=exp.to_identifier("pgc"),
                         alias=alias)
    if name in _SCALAR_IN_FROM and isinstance(call, exp.Expr):
        # A function that returns one value (an array) in FROM is a one-row relation whose
        # column is named after the alias: FROM string_to_array(x, ',') AS s ... s[i].
        column = alias.name or name
        return exp.Subquery(this=exp.select(exp.alias_(call.copy(), column)),
                            alias=exp.TableAlias(this=exp.to_identifier(column)))
    if name == "pg_partition_ancestors" and call.expressions:
        # No rows unless the relation is a partition or partitioned, and no cube table is.
        select = exp.select(exp.alias_(call.expressions[0], "relid")).where(exp.false())
        return exp.Subquery(this=select, alias=alias)
    return None


_INTEGER_TYPES = frozenset({"int2", "int4", "int8", "oid"})


def _is_integer(node: exp.Expr) -> bool:
    """Whether PostgreSQL types ``node`` as an integer (so ``/`` truncates)."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Literal):
        return not node.is_string and node.name.lstrip("-").isdigit()
    if isinstance(node, exp.Cast):
        to = node.args.get("to")
        return isinstance(to, exp.DataType) and to.this in (
            exp.DataType.Type.INT, exp.DataType.Type.SMALLINT, exp.DataType.Type.BIGINT)
    if isinstance(node, exp.Column):
        return TEXT_COLUMN_TYPES.get(node.name.lower()) in _INTEGER_TYPES
    return False


def _regproc_join(node: exp.EQ) -> bool:
    """``proc.oid = typ.typreceive``: a regproc column holds the name, so join on proname."""
    pair = (node.this, node.expression)
    for col, other in (pair, pair[::-1]):
        if (isinstance(col, exp.Column) and col.name.lower() in REGPROC_COLUMNS
                and isinstance(other, exp.Column) and other.name.lower() == "oid"
                and other.table):
            other.set("this", exp.to_identifier("proname"))
            return True
    return False


# sqlglot's canonical function names that PostgreSQL spells (and names columns) otherwise.
_PG_FUNCTION_NAMES: dict[type[exp.Expr], str] = {exp.ArraySize: "array_length",
                                                 exp.StrPosition: "strpos"}


def _is_regproc_zero(node: exp.Expr) -> bool:
    pair = (node.this, node.expression)
    for col, lit in (pair, pair[::-1]):
        if (isinstance(col, exp.Column) and col.name.lower() in REGPROC_COLUMNS
                and isinstance(lit, exp.Literal) and not lit.is_string and lit.name == "0"):
            return True
    return False


def _name_outputs(tree: exp.Expr) -> None:
    """Give unaliased select items the column names PostgreSQL would."""
    output_selects: list[exp.Expr] = [tree]
    node = tree
    while isinstance(node, exp.SetOperation):  # the left branch names a union's columns
        node = node.this
        output_selects.append(node)
    for select in tree.find_all(exp.Select):
        items = []
        for item in select.expressions:
            name: str | None = None
            if isinstance(item, exp.Alias | exp.Column | exp.Star):
                name = None
            elif isinstance(item, exp.Dot) and isinstance(item.expression, exp.Func):
                name = _output_name(item.expression)
            else:
                name = _output_name(item) or "?column?"
            items.append(exp.alias_(item, name, quoted=True) if name else item)
        if select not in output_selects and len({i.alias_or_name for i in items}) < len(items):
            # DuckDB rejects duplicate names in a subquery; keep its own names then.
            continue
        select.set("expressions", items)


def _output_name(node: exp.Expr) -> str:
    if isinstance(node, exp.Column) and not isinstance(node.this, exp.Star):
        return node.name
    if isinstance(node, exp.Cast):
        inner = _output_name(node.this)
        # x::regtype[] is named after the element type, like PostgreSQL's 'regtype'
        return inner if inner != "?column?" else _cast_target(node).lstrip("_") or "?column?"
    if isinstance(node, exp.Anonymous):
        return str(node.this).lower()
    for typed, fname in _TYPED_SESSION.items():
        if isinstance(node, typed):
            return fname
    if isinstance(node, exp.CurrentTimestamp):
        return "now"
    if isinstance(node, exp.Exists):
        return "exists"
    if isinstance(node, exp.Case):
        default = node.args.get("default")
        name = _output_name(default) if default is not None else ""
        return name if name and name != "?column?" else "case"
    if isinstance(node, exp.Subquery) and isinstance(node.this, exp.Select):
        first = node.this.expressions[0] if node.this.expressions else None
        if isinstance(first, exp.Alias):
            return first.alias
        return (_output_name(first) if first is not None else "") or "?column?"
    if isinstance(node, exp.Array):
        return "array"
    if isinstance(node, exp.Paren):
        return _output_name(node.this)
    if isinstance(node, exp.Dot) and isinstance(node.expression, exp.Func):
        return _output_name(node.expression)  # pg_catalog.f(...)
    if isinstance(node, exp.Window):
        return _output_name(node.this)
    if isinstance(node, exp.Func) and not isinstance(
            node, exp.Cast | exp.Binary | exp.Connector | exp.Predicate | exp.Unary):
        return _PG_FUNCTION_NAMES.get(type(node), node.sql_name().lower())
    if isinstance(node, exp.Literal | exp.Boolean | exp.Null):
        return "?column?"
    return ""


Rewriter = Callable[[exp.Expr, SessionFacts], str]
