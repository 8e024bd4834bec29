"""A MySQL catalog statement (syntax tree) as DuckDB SQL over the ``myis`` catalog tables.

Session facts (``@@var``, ``@var``, ``DATABASE()``, ``USER()``, ``CONNECTION_ID()``) arrive
already substituted as literals and per-row assignments emulated (``emulate_assignments``);
this module maps table references to the catalog schema and MySQL's default LIKE escape,
then lets sqlglot render DuckDB SQL. Nothing here evaluates anything: the result runs in the
catalog sandbox, which checks it once more.
"""

from __future__ import annotations

from sqlglot import exp

from backend.core.errors import NotSupported, UnknownTable

from .catalog import INFORMATION_SCHEMA, SCHEMA, TABLES

QUERY_ROOTS = (exp.Select, exp.Union, exp.Intersect, exp.Except)


def cte_names(tree: exp.Expr) -> set[str]:
    return {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}


def reads_catalog_only(tree: exp.Expr, database: str | None) -> bool:
    """True when every relation ``tree`` names is an information_schema table (or it names
    none: ``SELECT @@version``); a mix of catalog tables and cubes is refused."""
    ctes = cte_names(tree)
    catalog = other = 0
    for table in tree.find_all(exp.Table):
        if isinstance(table.this, exp.Identifier) and not table.db and \
                table.name.lower() in ctes:
            continue
        if is_catalog_table(table, database):
            catalog += 1
        else:
            other += 1
    if catalog and other:
        raise NotSupported("a query cannot mix information_schema tables with model tables",
                           hint="information_schema has: " + ", ".join(sorted(TABLES)))
    return other == 0


def is_catalog_table(table: exp.Table, database: str | None) -> bool:
    if not isinstance(table.this, exp.Identifier):
        return False
    schema = table.db.lower() if table.db else (database or "").lower()
    return schema == INFORMATION_SCHEMA


def _map_table(node: exp.Table, ctes: set[str], database: str | None) -> exp.Table:
    if not node.db and node.name.lower() in ctes:
        return node
    name = node.name.lower()
    if name not in TABLES:
        raise UnknownTable(f"Table '{INFORMATION_SCHEMA}.{node.name}' doesn't exist",
                           hint="information_schema has: " + ", ".join(sorted(TABLES)))
    node.set("this", exp.to_identifier(name))
    node.set("db", exp.to_identifier(SCHEMA))
    node.set("catalog", None)
    return node


def _fold_char(node: exp.Expr) -> exp.Expr:
    """MySQL's CHAR(n, ...) of literal codes as the string it stands for (DuckDB's CHR takes
    one code point)."""
    if isinstance(node, exp.Chr) and all(isinstance(a, exp.Literal) and not a.is_string
                                         for a in node.expressions):
        try:
            return exp.Literal.string("".join(chr(int(a.name)) for a in node.expressions))
        except (ValueError, OverflowError):
            raise NotSupported("CHAR() of an invalid code point") from None
    return node


def _like_escape(node: exp.Expr) -> exp.Expr:
    """MySQL's LIKE escapes with a backslash unless told otherwise; DuckDB has no default."""
    if isinstance(node, exp.Like | exp.ILike) and not isinstance(node.parent, exp.Escape):
        return exp.Escape(this=node, expression=exp.Literal.string("\\"))
    return node


def emulate_assignments(stmt: exp.Expr) -> exp.Expr:
    """Per-row user-variable assignments (``@v := expr`` in one select item, ``@v`` in a later
    one, as MariaDB ODBC's SQLColumns writes) become copies of the assigning item's
    expression: same value, no state."""
    if not isinstance(stmt, exp.Select) or not stmt.find(exp.PropertyEQ):
        return stmt
    known: dict[str, exp.Expr] = {}
    items = []
    for item in stmt.expressions:
        inner = item.this if isinstance(item, exp.Alias) else item
        assigned = {n.this.name.lower() for n in inner.find_all(exp.PropertyEQ)
                    if isinstance(n.this, exp.Parameter)}

        def unassign(node: exp.Expr) -> exp.Expr:
            if isinstance(node, exp.PropertyEQ) and isinstance(node.this, exp.Parameter):
                value: exp.Expr = node.expression
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


def _having_without_group(tree: exp.Expr) -> exp.Expr:
    """MySQL's HAVING without GROUP BY and without aggregates filters the output rows by its
    aliases (Connector/J's getTables: ``HAVING TABLE_TYPE IN (...)``); DuckDB refuses it, so
    the select becomes a derived table the condition filters."""
    having = tree.args.get("having")
    if not isinstance(tree, exp.Select) or having is None or tree.args.get("group") or \
            any(p.find(exp.AggFunc) for p in tree.expressions):
        return tree
    inner = tree.copy()
    inner.set("having", None)
    return exp.select("*").from_(inner.subquery("__having")).where(having.this.copy())


def to_duckdb(tree: exp.Expr, database: str | None) -> str:
    """DuckDB SQL answering catalog statement ``tree`` (session values already literals)."""
    if not isinstance(tree, QUERY_ROOTS):
        raise NotSupported("only SELECT statements can read information_schema")
    ctes = cte_names(tree)
    out = _having_without_group(tree.copy())

    def visit(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Table):
            if not isinstance(node.this, exp.Identifier):
                raise NotSupported("table functions are not available in catalog queries")
            return _map_table(node, ctes, database)
        if isinstance(node, exp.Column) and node.args.get("db") is not None:
            node.set("db", exp.to_identifier(SCHEMA))
            node.set("catalog", None)
        if isinstance(node, exp.PropertyEQ):
            raise NotSupported("user-variable assignments are only emulated in select items")
        return _like_escape(_fold_char(node))

    rewritten = out.transform(visit, copy=False)
    return str(rewritten.sql(dialect="duckdb"))
