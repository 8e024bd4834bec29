"""Window functions over a query of cubes, by lifting them out of it.

SQL evaluates window functions after WHERE, GROUP BY and HAVING, over the rows those produce.
So a SELECT over cubes that uses them is rewritten into two queries: the inner one is the
client's query without its windows — it keeps FROM, WHERE, GROUP BY and HAVING, and selects
every expression the windows read (``SUM(amount)`` in ``RANK() OVER (ORDER BY SUM(amount))``)
as extra columns — and an outer query over it applies the windows, then DISTINCT, ORDER BY and
LIMIT. The inner query is compiled like any other (grouped, fan-out safe), the outer one like
any query over a subquery; both pass the same checks.
"""

from __future__ import annotations

from typing import Any

from sqlglot import exp

from backend.core.errors import NotSupported, SqlSyntaxError

from .context import Context
from .functions import keep_written
from .naming import output_name
from .types import ClientDialect

# Functions that exist only as windows; aggregates (COUNT, SUM, ...) may be windows too.
WINDOW_FUNCTIONS: frozenset[type[exp.Expr]] = frozenset(
    {
        exp.RowNumber, exp.Rank, exp.DenseRank, exp.PercentRank, exp.CumeDist, exp.Ntile,
        exp.Lag, exp.Lead, exp.FirstValue, exp.LastValue, exp.NthValue,
    }
)
_PREFIX = "__metricsql_"  # reserved: clients cannot write identifiers with this prefix
_TABLE = f"{_PREFIX}w"


def has_window(select: exp.Select) -> bool:
    order = select.args.get("order")
    nodes = list(select.expressions) + ([order] if order is not None else [])
    return any(isinstance(n, exp.Window) for node in nodes for n in node.walk())


def lift_windows(select: exp.Select, ctx: Context) -> exp.Select:
    """``select`` as an outer query applying its windows over the inner query without them."""
    inner = select.copy()
    for key in ("order", "limit", "offset", "distinct"):
        inner.set(key, None)
    _inline_group_positions(inner, select)
    lifted: list[exp.Expr] = []

    def column_for(node: exp.Expr) -> exp.Column:
        for i, seen in enumerate(lifted):
            if seen == node:
                return exp.column(f"{_PREFIX}x{i}", table=_TABLE, quoted=True)
        lifted.append(node.copy())
        return exp.column(f"{_PREFIX}x{len(lifted) - 1}", table=_TABLE, quoted=True)

    def lift(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Window):
            return _lift_window(node, lift)
        if not any(isinstance(n, exp.Window) for n in node.walk()):
            if any(isinstance(n, exp.Column | exp.Placeholder | exp.AggFunc | exp.Anonymous)
                   for n in node.walk()):
                return column_for(node)
            return node.copy()
        return _rebuild(node, lift)

    inner_items: list[exp.Expr] = []
    outer_items: list[exp.Expr] = []
    for position, item in enumerate(select.expressions):
        if isinstance(item, exp.Star) or (
            isinstance(item, exp.Column) and isinstance(item.this, exp.Star)
        ):
            raise NotSupported(
                "* beside window functions is not supported", hint="name the columns"
            )
        name = output_name(item, ctx.client)
        expression = item.this if isinstance(item, exp.Alias) else item
        if any(isinstance(n, exp.Window) for n in expression.walk()):
            outer_items.append(exp.alias_(lift(expression), name, quoted=True))
            continue
        # Kept in the inner query under its own alias (GROUP BY and HAVING may name it).
        if isinstance(item, exp.Alias):
            inner_items.append(item.copy())
            alias = output_name(item, ctx.client)
        else:
            alias = f"{_PREFIX}c{position}"
            inner_items.append(exp.alias_(expression.copy(), alias, quoted=True))
        outer_items.append(
            exp.alias_(exp.column(alias, table=_TABLE, quoted=True), name, quoted=True)
        )

    outer = exp.Select(expressions=outer_items)
    order = select.args.get("order")
    if order is not None:
        outer.set("order", exp.Order(expressions=[
            exp.Ordered(this=_order_key(o.this, select, lift, ctx.client), desc=o.args.get("desc"),
                        nulls_first=o.args.get("nulls_first"))
            for o in order.expressions
        ]))
    inner.set("expressions", inner_items + [
        exp.alias_(node, f"{_PREFIX}x{i}", quoted=True) for i, node in enumerate(lifted)
    ])
    outer.set("from_", exp.From(this=exp.Subquery(
        this=inner, alias=exp.TableAlias(this=exp.to_identifier(_TABLE, quoted=True))
    )))
    for key in ("limit", "offset", "distinct"):
        value = select.args.get(key)
        if value is not None:
            outer.set(key, value.copy())
    return outer


def _order_key(
    node: exp.Expr, select: exp.Select, lift: Any, client: ClientDialect
) -> exp.Expr:
    """An ORDER BY item of the outer query: a position or an output alias as written (they
    name outer columns), anything else lifted."""
    if isinstance(node, exp.Literal) and not node.is_string and node.this.isdigit():
        # By name: a position cannot carry an emulated NULL order (MySQL).
        position = int(node.this)
        if not 1 <= position <= len(select.expressions):
            raise SqlSyntaxError(f"ORDER BY position {node.this} is not in select list")
        return exp.column(output_name(select.expressions[position - 1], client), quoted=True)
    if isinstance(node, exp.Column) and not node.table:
        aliases = {i.alias.lower() for i in select.expressions if isinstance(i, exp.Alias)}
        if node.name.lower() in aliases:
            return node.copy()
    result: exp.Expr = lift(node)
    return result


def _inline_group_positions(inner: exp.Select, select: exp.Select) -> None:
    """GROUP BY 2 names the second select item; the inner query's items are not in the same
    places, so positions become the expressions they name."""
    group = inner.args.get("group")
    if group is None:
        return
    items = select.expressions
    expressions: list[exp.Expr] = []
    for node in group.expressions:
        if isinstance(node, exp.Literal) and not node.is_string and node.this.isdigit():
            position = int(node.this)
            if not 1 <= position <= len(items):
                raise SqlSyntaxError(f"GROUP BY position {node.this} is not in select list")
            item = items[position - 1]
            item = item.this if isinstance(item, exp.Alias) else item
            if any(isinstance(n, exp.Window) for n in item.walk()):
                raise NotSupported("window functions are not allowed in GROUP BY")
            node = item.copy()
        expressions.append(node)
    group.set("expressions", expressions)


def _lift_window(node: exp.Window, lift: Any) -> exp.Window:
    if node.args.get("alias") is not None:
        raise NotSupported("named windows (OVER w) are not supported",
                           hint="write the window in OVER (...)")
    function = node.this
    if any(isinstance(n, exp.Window) for n in function.walk() if n is not function):
        raise SqlSyntaxError("window function calls cannot be nested")
    rebuilt = _rebuild(function, lift)
    window = exp.Window(this=rebuilt, over=node.args.get("over"))
    partition = node.args.get("partition_by")
    if partition:
        window.set("partition_by", [lift(p) for p in partition])
    order = node.args.get("order")
    if order is not None:
        window.set("order", exp.Order(expressions=[
            exp.Ordered(this=lift(o.this), desc=o.args.get("desc"),
                        nulls_first=o.args.get("nulls_first"))
            for o in order.expressions
        ]))
    spec = node.args.get("spec")
    if spec is not None:
        window.set("spec", spec.copy())
    return window


def _rebuild(node: exp.Expr, lift: Any) -> exp.Expr:
    args: dict[str, Any] = {}
    for key, value in node.args.items():
        if isinstance(value, exp.Expr):
            args[key] = lift(value)
        elif isinstance(value, list):
            args[key] = [lift(v) if isinstance(v, exp.Expr) else v for v in value]
        else:
            args[key] = value
    return keep_written(node, node.__class__(**args))  # keeps the client's name
