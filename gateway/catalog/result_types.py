"""The PostgreSQL types of a catalog query's result columns, read from the client's SQL.

DuckDB reports VARCHAR for every text column, but PostgreSQL clients act on the type OID:
``name`` (19), ``"char"`` (18), ``regproc`` (24), ``regclass``, ``int2vector``, ``varchar``
for information_schema's character data... So, before the rewrite, each output column of the
statement is traced to what it selects — a catalog column (through aliases, derived tables and
CTEs), a cast, a session function — and given that column's PostgreSQL 15 type
(``column_types``, generated from a real PostgreSQL). Unknown expressions keep DuckDB's type.
"""

from __future__ import annotations

from sqlglot import exp

from gateway.catalog.column_types import INFORMATION_SCHEMA_TYPES, PG_CATALOG_TYPES
from gateway.catalog.tables import INFORMATION_SCHEMA, PG_CATALOG

# Casts whose target names a type directly.
_CAST_TYPES = {
    "name": "name", "regclass": "regclass", "regtype": "regtype", "regproc": "regproc",
    "regprocedure": "text", "oid": "oid", "text": "text", "varchar": "varchar",
    "sql_identifier": "name", "cardinal_number": "int4", "character_data": "varchar",
    "yes_or_no": "varchar", "int2vector": "int2vector", "oidvector": "oidvector",
    "_regtype": "_regtype", "_text": "_text", "_name": "_name", "_oid": "_oid",
    "xid": "xid", "pg_node_tree": "pg_node_tree",
}
_BUILTIN_CASTS = {
    exp.DataType.Type.NAME: "name", exp.DataType.Type.VARCHAR: "varchar",
    exp.DataType.Type.TEXT: "text", exp.DataType.Type.SMALLINT: "int2",
    exp.DataType.Type.INT: "int4", exp.DataType.Type.BIGINT: "int8",
    exp.DataType.Type.BOOLEAN: "bool", exp.DataType.Type.DOUBLE: "float8",
    exp.DataType.Type.FLOAT: "float4",
}
_EXPANDARRAY = "expandarray_record"  # never reported: only its field n is typed (int4)
_FUNCTION_TYPES = {"_pg_expandarray": _EXPANDARRAY, "pg_typeof": "regtype", "parse_ident": "_text",
                   "string_to_array": "_text", "pg_encoding_to_char": "name",
                   "format_type": "text", "pg_get_expr": "text", "obj_description": "text",
                   "col_description": "text"}
_NAME_FUNCTIONS = frozenset({"pg_get_userbyid", "current_user", "session_user", "user",
                             "current_role", "current_schema", "current_database",
                             "current_catalog"})
_TYPED_NAMES: tuple[type[exp.Expr], ...] = (exp.CurrentUser, exp.SessionUser,
                                            exp.CurrentSchema, exp.CurrentCatalog,
                                            exp.CurrentDatabase)


def _all_tables() -> dict[str, dict[str, str]]:
    out = {f"pg_catalog.{k}": v for k, v in PG_CATALOG_TYPES.items()}
    out.update({f"information_schema.{k}": v for k, v in INFORMATION_SCHEMA_TYPES.items()})
    # Set-returning functions the catalog answers with a relation.
    out["pg_catalog.pg_get_keywords"] = {"word": "text", "catcode": "char", "barelabel": "bool",
                                         "catdesc": "text", "baredesc": "text"}
    return out


def _ddl_columns() -> dict[str, list[str]]:
    """Our relations' columns in order (some emulate only PostgreSQL's leading columns)."""
    out = {}
    for schema, tables in (("pg_catalog", PG_CATALOG), ("information_schema",
                                                        INFORMATION_SCHEMA)):
        for name, ddl in tables.items():
            out[f"{schema}.{name}"] = [part.split()[0] for part in ddl.split(", ")]
    return out


TABLE_TYPES = _all_tables()
DDL_COLUMNS = _ddl_columns()
# A column name found in one type only across all emulated relations: usable unqualified.
_BY_NAME: dict[str, str] = {}
_AMBIGUOUS: set[str] = set()
for _cols in TABLE_TYPES.values():
    for _col, _typ in _cols.items():
        if _BY_NAME.get(_col, _typ) != _typ:
            _AMBIGUOUS.add(_col)
        _BY_NAME.setdefault(_col, _typ)
for _col in _AMBIGUOUS:
    del _BY_NAME[_col]
UNAMBIGUOUS_COLUMN_TYPES: dict[str, str] = _BY_NAME
REGPROC_COLUMNS = frozenset(c for cols in PG_CATALOG_TYPES.values()
                            for c, t in cols.items() if t == "regproc")

Source = tuple[str, "exp.Expr | str"]  # ("table", "pg_catalog.pg_class") or ("query", Select)


def cast_type(node: exp.Cast) -> str | None:
    to = node.args.get("to")
    if isinstance(to, exp.ObjectIdentifier):  # ::regtype, ::regclass, ::oid
        return _CAST_TYPES.get(str(to.name).lower())
    if not isinstance(to, exp.DataType):
        return None
    if to.this == exp.DataType.Type.USERDEFINED:
        kind = to.args.get("kind")
        if isinstance(kind, exp.Dot):
            kind = kind.expression
        name = kind.name if isinstance(kind, exp.Identifier) else str(kind)
        if name == "char" and isinstance(kind, exp.Identifier) and kind.quoted:
            return "char"
        return _CAST_TYPES.get(name.lower())
    return _BUILTIN_CASTS.get(to.this)


def _table_key(table: exp.Table) -> str:
    schema = table.db.lower() or "pg_catalog"
    return f"{schema}.{table.name.lower()}"


class _Scope:
    def __init__(self, select: exp.Select, ctes: dict[str, exp.Expr]):
        self.sources: dict[str, Source] = {}
        self.order: list[Source] = []
        self.ctes = ctes
        from_ = select.args.get("from_")
        joins = select.args.get("joins") or []
        for item in ([from_.this] if from_ is not None else []) + [j.this for j in joins]:
            self._add(item)

    def _add(self, item: exp.Expr) -> None:
        source: Source | None = None
        call = item.this if isinstance(item, exp.Table) else None
        if isinstance(call, exp.Anonymous | exp.GenerateSeries) and (
                isinstance(call, exp.GenerateSeries) or str(call.this).lower()
                == "generate_series"):
            source = ("fixed", "int4")  # generate_series(int, int): int4 like its arguments
        if isinstance(item, exp.Paren | exp.Subquery) and not item.alias and not isinstance(
                item.this, exp.Select | exp.SetOperation):  # FROM ((a JOIN b) JOIN c)
            self._add(item.this)
            for join in item.args.get("joins") or []:
                self._add(join.this)
            return
        for join in item.args.get("joins") or [] if isinstance(item, exp.Table) else []:
            self._add(join.this)
        if isinstance(item, exp.Table) and isinstance(item.this, exp.Identifier):
            name = item.name.lower()
            if not item.db and name in self.ctes:
                source = ("query", self.ctes[name])
            else:
                source = ("table", _table_key(item))
        elif isinstance(item, exp.Subquery):
            source = ("query", item.this)
        if source is None:
            return
        self.sources[item.alias_or_name.lower()] = source
        if source[0] == "fixed":
            return  # no star expansion over a table function
        self.order.append(source)


def _first_select(query: exp.Expr) -> exp.Select | None:
    while isinstance(query, exp.SetOperation):
        query = query.this
    if isinstance(query, exp.Subquery):
        return _first_select(query.this)
    return query if isinstance(query, exp.Select) else None


def _output_name(item: exp.Expr) -> str:
    return item.alias_or_name.lower()


_MISSING = "?"  # the source has no such column (another source may)


def _source_column(source: Source, column: str, ctes: dict[str, exp.Expr]) -> str | None:
    """The column's type in ``source``: None when unknown, _MISSING when it has none."""
    kind, what = source
    if kind == "fixed":
        return str(what)
    if kind == "table":
        cols = TABLE_TYPES.get(str(what), {})
        return cols.get(column) if column in cols else _MISSING
    assert isinstance(what, exp.Expr)
    select = _first_select(what)
    if select is None:
        return None
    names, types = _projections(select, ctes)
    if column in names:
        return types[names.index(column)]
    return _MISSING


def _source_columns(source: Source, ctes: dict[str, exp.Expr]) -> list[str | None] | None:
    kind, what = source
    if kind == "table":
        names = DDL_COLUMNS.get(str(what))
        types = TABLE_TYPES.get(str(what), {})
        return None if names is None else [types.get(n) for n in names]
    assert isinstance(what, exp.Expr)
    select = _first_select(what)
    return None if select is None else _projections(select, ctes)[1]


def _hint(node: exp.Expr, scope: _Scope) -> str | None:
    if isinstance(node, exp.Alias | exp.Paren):
        return _hint(node.this, scope)
    if isinstance(node, exp.Dot) and isinstance(node.expression, exp.Func):
        return _hint(node.expression, scope)  # pg_catalog.f(...)
    if isinstance(node, exp.Dot) and node.name.lower() in ("n", "x"):
        record = _hint(node.this, scope)  # (information_schema._pg_expandarray(a)).n
        if record == _EXPANDARRAY:
            return "int4" if node.name.lower() == "n" else None
    if isinstance(node, exp.Column) and node.name.lower() in ("xmin", "xmax"):
        return "xid"
    if isinstance(node, exp.Column) and not isinstance(node.this, exp.Star):
        column = node.name.lower()
        table = node.table.lower()
        if table:
            source = scope.sources.get(table)
            if source is None:
                return _BY_NAME.get(column)
            found = _source_column(source, column, scope.ctes)
            return None if found == _MISSING else found
        for source in scope.order:
            found = _source_column(source, column, scope.ctes)
            if found != _MISSING:
                return found
        return _BY_NAME.get(column) if not scope.order else None
    if isinstance(node, exp.Cast):
        return cast_type(node)
    if isinstance(node, _TYPED_NAMES):
        return "name"
    if isinstance(node, exp.CurrentSchemas):
        return "_name"
    if isinstance(node, exp.Anonymous) and str(node.this).lower() in _NAME_FUNCTIONS:
        return "name"
    if isinstance(node, exp.Anonymous):
        return _FUNCTION_TYPES.get(str(node.this).lower())

    if isinstance(node, exp.Case):
        # PostgreSQL's rule: the one type of the branches that are not untyped literals.
        branches = [i.args["true"] for i in node.args.get("ifs") or []]
        if node.args.get("default") is not None:
            branches.append(node.args["default"])
        typed = [b for b in branches
                 if not (isinstance(b, exp.Null) or (isinstance(b, exp.Literal) and b.is_string))]
        branch_types = {_hint(b, scope) for b in typed}
        return branch_types.pop() if len(branch_types) == 1 else None
    if isinstance(node, exp.Array) and len(node.expressions) == 1 and isinstance(
            node.expressions[0], exp.Select | exp.Subquery):
        query = node.expressions[0]
        select = _first_select(query.this if isinstance(query, exp.Subquery) else query)
        if select is not None and select.expressions:
            element = _projections(select, scope.ctes)[1][0]
            return "_" + element if element and not element.startswith("_") else None
    if isinstance(node, exp.Unnest | exp.Explode):
        listed = _hint(node.expressions[0] if isinstance(node, exp.Unnest) and node.expressions
                       else node.this, scope)
        return listed[1:] if listed and listed.startswith("_") else None
    if isinstance(node, exp.ArraySize):
        return "int4"  # array_length(a, 1)
    if isinstance(node, exp.Coalesce | exp.Nullif):
        return _hint(node.this, scope)
    if isinstance(node, exp.ArrayAgg):
        arg = node.this.this if isinstance(node.this, exp.Order) else node.this
        aggregated = _hint(arg, scope)
        return ("_" + aggregated if aggregated in ("name", "char", "text", "oid", "int2")
                else None)
    if isinstance(node, exp.Subquery):
        select = _first_select(node.this)
        if select is not None and select.expressions:
            return _projections(select, scope.ctes)[1][0]
    return None


def _projections(select: exp.Select, ctes: dict[str, exp.Expr]) -> tuple[
        list[str], list[str | None]]:
    scope = _Scope(select, ctes)
    names: list[str] = []
    types: list[str | None] = []
    for item in select.expressions:
        star_of: list[Source] | None = None
        if isinstance(item, exp.Star):
            star_of = scope.order
        elif isinstance(item, exp.Column) and isinstance(item.this, exp.Star):
            source = scope.sources.get(item.table.lower())
            star_of = [source] if source else []
        if star_of is not None:
            for source in star_of:
                kind, what = source
                cols = _source_columns(source, ctes)
                if cols is None:
                    return [], []
                if kind == "table":
                    names.extend(DDL_COLUMNS[str(what)])
                else:
                    sel = _first_select(what) if isinstance(what, exp.Expr) else None
                    names.extend(_projections(sel, ctes)[0] if sel else [])
                types.extend(cols)
            continue
        names.append(_output_name(item))
        types.append(_hint(item, scope))
    return names, types


def result_types(tree: exp.Expr) -> list[str | None]:
    """PostgreSQL type names of the statement's output columns (None: keep DuckDB's)."""
    ctes = {cte.alias_or_name.lower(): cte.this for cte in tree.find_all(exp.CTE)}
    select = _first_select(tree)
    if select is None:
        return []
    try:
        return _projections(select, ctes)[1]
    except (KeyError, AttributeError, IndexError):
        return []
