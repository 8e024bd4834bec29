"""The engine's entry point: client SQL over cubes -> data-source SQL for one target.

Stages: :mod:`parse` (text -> one query), :mod:`resolve` (cubes and members, access checks),
:mod:`plan` (join tree, fan-out), :mod:`render` (data-source tree) and :mod:`dialects`
(engine differences, text). Queries over subqueries and CTEs of cube queries are rebuilt around
the compiled inner queries, so the whole statement runs on the data source; every construct
outside the engine's whitelist is refused. No client text reaches the output unparsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlglot import exp
from sqlglot.errors import SqlglotError

from backend.core.errors import NotSupported, SqlSyntaxError, UnknownColumn, UnknownTable
from backend.semantic.model import AccessPolicy, ModelSet

from .context import Context
from .dialects import adapt, render
from .functions import keep_written
from .grouping_sets import expand_grouping_sets, has_grouping_sets
from .infer import infer_type, parameter_types
from .limits import DEFAULT_LIMITS, InputLimits, OutputBudget, too_deep
from .naming import output_name
from .parse import parse_statement
from .plan import plan_query
from .render import render_plan
from .resolve import (
    cast_type,
    check_select_clauses,
    integer_division,
    resolve_cube_select,
    row_count,
)
from .snippets import model_index
from .types import ClientDialect, CompiledQuery, OutputColumn, TargetDialect
from .values import check_value_sizes
from .whitelist import (
    AGGREGATE_NODES,
    CAST_TYPES,
    EXTRACT_SYNONYMS,
    EXTRACT_UNITS,
    GRANULARITIES,
    SCALAR_NODES,
    describe,
)
from .windows import WINDOW_FUNCTIONS, has_window, lift_windows


@dataclass(frozen=True)
class Relation:
    """A compiled query: its data-source tree and its output columns."""

    tree: exp.Query
    columns: tuple[OutputColumn, ...]
    param_types: dict[int, str]


Ctes = dict[str, Relation]


def compile_query(
    sql: str,
    *,
    client_dialect: ClientDialect,
    models: ModelSet,
    access: AccessPolicy,
    target_dialect: TargetDialect,
    limits: InputLimits = DEFAULT_LIMITS,
) -> CompiledQuery:
    """Compile one client statement; raises ``backend.core.errors.SqlError`` subclasses."""
    try:
        return _compile(sql, client_dialect, models, access, target_dialect, limits)
    except RecursionError:
        # Deeper than this thread's stack allows (the gateway compiles long statements in
        # worker processes with a larger limit): refused like any statement past a bound.
        raise too_deep(limits.max_nesting_depth) from None


def _compile(
    sql: str, client_dialect: ClientDialect, models: ModelSet, access: AccessPolicy,
    target_dialect: TargetDialect, limits: InputLimits,
) -> CompiledQuery:
    parsed = parse_statement(sql, client_dialect, limits)
    check_value_sizes(parsed.statement, len(sql))
    ctx = Context(models, access, model_index(models, target_dialect), client_dialect,
                  target_dialect,
                  budget=OutputBudget.for_input(sum(1 for _ in parsed.statement.walk())))
    relation = compile_relation(parsed.statement, ctx, {})
    try:
        text, order = render(adapt(relation.tree, target_dialect), target_dialect)
    except SqlglotError as e:
        raise NotSupported(f"cannot express the query on {target_dialect}: {e}") from e
    types = tuple(relation.param_types.get(i, "text") for i in range(parsed.param_count))
    return CompiledQuery(
        sql=text,
        columns=relation.columns,
        target_dialect=target_dialect,
        param_order=order,
        param_count=parsed.param_count,
        param_types=types,
    )


def compile_relation(query: exp.Expr, ctx: Context, ctes: Ctes) -> Relation:
    with_ = query.args.get("with_")
    if with_ is not None:
        if with_.args.get("recursive"):
            raise NotSupported("WITH RECURSIVE is not supported")
        ctes = dict(ctes)
        for cte in with_.expressions:
            ctes[cte.alias_or_name.lower()] = compile_relation(cte.this, ctx, ctes)
        query = query.copy()
        query.set("with_", None)
    if isinstance(query, exp.Subquery):
        return compile_relation(query.this, ctx, ctes)
    if isinstance(query, exp.SetOperation):
        return _compile_set_operation(query, ctx, ctes)
    if isinstance(query, exp.Select):
        if has_grouping_sets(query):
            if has_window(query):
                # Windows run over the rows of every grouping set together (as in SQL), so
                # they are lifted over the whole UNION ALL, never applied per branch.
                return compile_relation(lift_windows(query, ctx), ctx, ctes)
            return compile_relation(expand_grouping_sets(query), ctx, ctes)
        relation = _compile_select(query, ctx, ctes)
        # Every SELECT's tree counts (a subquery's again in its outer query), so what a
        # statement multiplies is stopped within one level of the bound.
        ctx.budget.spend(sum(1 for _ in relation.tree.walk()))
        return relation
    raise NotSupported(f"{describe(query)} is not supported here")


def _compile_select(query: exp.Select, ctx: Context, ctes: Ctes) -> Relation:
    from_ = query.args.get("from_")
    if from_ is None:
        return _compile_constant_select(query, ctx)
    items = [from_.this, *(j.this for j in query.args.get("joins") or [])]
    derived = [_is_derived(item, ctes) for item in items]
    if all(derived):
        return _compile_outer_select(query, ctx, ctes)
    if not any(derived) and has_window(query):
        return compile_relation(lift_windows(query, ctx), ctx, ctes)
    if any(derived):
        # A cube joined with a subquery or CTE (Tableau's top-N filter): the cube becomes
        # the relation of its rows, and the whole query is plain SQL over relations.
        return _compile_outer_select(_cubes_as_rows(query, ctes), ctx, ctes)
    cube_query = resolve_cube_select(query, ctx)
    columns = tuple(OutputColumn(o.name, o.type) for o in cube_query.outputs)
    expressions = [o.expression for o in cube_query.outputs]
    expressions += [e for e in (cube_query.where, cube_query.having) if e is not None]
    expressions += [
        e for a in ctx.aggregates.values() for e in (a.value, a.condition) if e is not None
    ]
    # Before rendering: the renderer consumes the WHERE tree (member references become SQL).
    types = parameter_types(expressions, ctx)
    tree = render_plan(plan_query(cube_query, ctx), ctx)
    for value in (cube_query.limit, cube_query.offset):
        if isinstance(value, exp.Placeholder):
            types[int(value.name)] = "int8"
    return Relation(tree, columns, types)


def _cubes_as_rows(query: exp.Select, ctes: Ctes) -> exp.Select:
    """``query`` with each cube of its FROM clause replaced by ``(SELECT * FROM cube) AS
    alias``: its rows, with its dimensions and measure inputs as columns."""
    query = query.copy()

    def rows(holder: exp.Expr) -> None:
        item = holder.this
        if _is_derived(item, ctes):
            return
        table = item.copy()
        alias = table.alias_or_name
        table.set("alias", None)
        holder.set("this", exp.Subquery(
            this=exp.Select(expressions=[exp.Star()], from_=exp.From(this=table)),
            alias=exp.TableAlias(this=exp.to_identifier(alias)),
        ))

    rows(query.args["from_"])
    for join in query.args.get("joins") or []:
        rows(join)
    return query


def _is_derived(item: exp.Expr, ctes: Ctes) -> bool:
    if isinstance(item, exp.Subquery):
        return True
    if isinstance(item, exp.Table):
        if not isinstance(item.this, exp.Identifier):
            raise NotSupported(f"{item.this.sql()} in FROM is not supported")
        return not item.db and item.name.lower() in ctes
    raise NotSupported(f"{describe(item)} in FROM is not supported")


# --- set operations -------------------------------------------------------------------------------


def _compile_set_operation(query: exp.SetOperation, ctx: Context, ctes: Ctes) -> Relation:
    for key, value in query.args.items():
        if value and key not in ("this", "expression", "distinct", "by_name", "limit",
                                 "offset", "side", "kind", "order"):
            raise NotSupported(f"{key.upper()} on {query.key.upper()} is not supported")
    if query.args.get("by_name") or query.args.get("side") or query.args.get("kind"):
        raise NotSupported(f"this form of {query.key.upper()} is not supported")
    left = compile_relation(query.this, ctx, ctes)
    right = compile_relation(query.expression, ctx, ctes)
    if len(left.columns) != len(right.columns):
        raise SqlSyntaxError(f"each {query.key.upper()} query must have the same number of columns")
    tree = query.__class__(
        this=left.tree, expression=right.tree, distinct=query.args.get("distinct")
    )
    types = {**left.param_types, **right.param_types}
    order = query.args.get("order")
    if order is not None:
        tree.set("order", _set_operation_order(order, left.columns, ctx))
    _copy_row_counts(query, tree, types)
    return Relation(tree, left.columns, types)


def _set_operation_order(
    order: exp.Order, columns: tuple[OutputColumn, ...], ctx: Context
) -> exp.Order:
    """ORDER BY of a UNION may name output columns (as the first query names them) or
    positions; nothing else is defined there."""
    items: list[exp.Expr] = []
    for ordered in order.expressions:
        node = ordered.this
        if isinstance(node, exp.Literal) and not node.is_string:
            if not node.this.isdigit() or not 1 <= int(node.this) <= len(columns):
                raise SqlSyntaxError(f"ORDER BY position {node.this} is not in select list")
            # By name: MySQL cannot sort NULLs first/last by position.
            key: exp.Expr = exp.column(columns[int(node.this) - 1].name, quoted=True)
        elif isinstance(node, exp.Column) and not node.table:
            names = [c.name for c in columns]
            name = node.name if node.name in names else next(
                (n for n in names if n.lower() == node.name.lower()), None
            )
            if name is None:
                raise UnknownColumn(f'column "{node.name}" does not exist')
            key = exp.column(name, quoted=True)
        else:
            raise NotSupported(
                f"ORDER BY on a set operation must name an output column ({node.sql()})",
                hint="wrap the query in a subquery",
            )
        items.append(exp.Ordered(this=key, desc=bool(ordered.args.get("desc")),
                                 nulls_first=_nulls_first(ordered, ctx)))
    return exp.Order(expressions=items)


# --- SELECT without FROM -------------------------------------------------------------------------


def _compile_constant_select(query: exp.Select, ctx: Context) -> Relation:
    check_select_clauses(query)
    for key in ("where", "group", "having", "order"):
        if query.args.get(key):
            raise NotSupported(f"{key.upper()} needs a FROM clause over a cube")
    scope = _OuterScope({}, ctx)
    columns: list[OutputColumn] = []
    expressions: list[exp.Expr] = []
    for node in query.expressions:
        rewritten = scope.rewrite(node, aggregates=False)
        expressions.append(rewritten)
        name = output_name(node, ctx.client)
        columns.append(OutputColumn(name, infer_type(rewritten, ctx)))
    tree = exp.Select(expressions=expressions)
    types = parameter_types(expressions, ctx)
    _copy_row_counts(query, tree, types)
    return Relation(tree, tuple(columns), types)


# --- SELECT over subqueries and CTEs -----------------------------------------------------------


class _OuterScope:
    """Columns of the derived tables of an outer query, by alias."""

    def __init__(self, relations: dict[str, Relation], ctx: Context) -> None:
        self.relations = relations
        self.ctx = ctx
        self.aliases: set[str] = set()

    def column_type(self, column: exp.Column) -> str:
        relation = self.relations.get(column.table)
        if relation is None:
            return "text"
        return next((c.type for c in relation.columns if c.name == column.name), "text")

    def resolve_column(self, column: exp.Column, *, allow_alias: bool) -> exp.Expr:
        name = column.name
        if column.table:
            alias = self._alias(column.table)
            candidates = [(alias, self._find(alias, name))]
        else:
            candidates = [(a, self._find(a, name)) for a in self.relations]
        found = [(a, c) for a, c in candidates if c is not None]
        if len(found) > 1:
            raise UnknownColumn(f'column reference "{name}" is ambiguous',
                                hint="qualify it with the subquery's alias")
        if not found:
            if allow_alias and not column.table and name.lower() in self.aliases:
                return exp.column(name, quoted=True)
            raise UnknownColumn(f'column "{column.sql(dialect=self.ctx.client)}" does not exist')
        alias, actual = found[0]
        assert actual is not None
        return exp.column(actual, table=alias, quoted=True)

    def _alias(self, qualifier: str) -> str:
        if qualifier in self.relations:
            return qualifier
        lowered = [a for a in self.relations if a.lower() == qualifier.lower()]
        if not lowered:
            raise UnknownTable(f'missing FROM-clause entry for table "{qualifier}"')
        return lowered[0]

    def _find(self, alias: str, name: str) -> str | None:
        names = [c.name for c in self.relations[alias].columns]
        if name in names:
            return name
        return next((n for n in names if n.lower() == name.lower()), None)

    def rewrite(
        self, node: exp.Expr, *, aggregates: bool, allow_alias: bool = False
    ) -> exp.Expr:
        """A whitelisted copy of ``node`` with columns pointing at the derived tables."""
        if isinstance(node, exp.Column):
            if isinstance(node.this, exp.Star):
                raise NotSupported("* is only allowed as a select item or in COUNT(*)")
            return self.resolve_column(node, allow_alias=allow_alias)
        if isinstance(node, exp.Star):
            return node.copy()
        if isinstance(node, exp.Window):
            return self._window(node, aggregates, allow_alias)
        if isinstance(node, exp.Filter):
            if not aggregates or type(node.this) not in AGGREGATE_NODES:
                raise NotSupported(f"FILTER is not allowed here ({node.sql()})")
            where = node.expression
            condition = where.this if isinstance(where, exp.Where) else where
            return exp.Filter(
                this=self.rewrite(node.this, aggregates=True),
                expression=exp.Where(this=self.rewrite(condition, aggregates=False)),
            )
        if type(node) in AGGREGATE_NODES:
            if not aggregates:
                raise NotSupported(f"aggregates are not allowed here ({node.sql()})")
            argument = node.this
            if isinstance(argument, exp.Distinct) and not isinstance(node, exp.Count):
                raise NotSupported(f"{node.key.upper()}(DISTINCT ...) is not supported")
            inner = self.rewrite(argument, aggregates=False)
            return node.__class__(this=inner)
        if isinstance(node, exp.DateTrunc | exp.TimestampTrunc):
            unit_node = node.args.get("unit")
            unit = unit_node.name.lower() if isinstance(unit_node, exp.Expr) else ""
            if unit not in GRANULARITIES:
                raise NotSupported(f"DATE_TRUNC granularity {unit!r} is not supported")
            inner = self.rewrite(node.this, aggregates=aggregates, allow_alias=allow_alias)
            return exp.TimestampTrunc(this=inner, unit=exp.var(unit))
        if isinstance(node, exp.Cast | exp.TryCast):
            to = node.args.get("to")
            if not isinstance(to, exp.DataType) or to.this not in CAST_TYPES:
                raise NotSupported(f"CAST to {to.sql() if to else '?'} is not supported")
            node.set("to", cast_type(to, self.ctx))
        if isinstance(node, exp.Extract):
            unit = node.this.name.lower()
            unit = EXTRACT_SYNONYMS.get(unit, unit)
            if unit not in EXTRACT_UNITS:
                raise NotSupported(f"EXTRACT({unit.upper()} ...) is not supported")
            inner = self.rewrite(node.expression, aggregates=aggregates, allow_alias=allow_alias)
            return keep_written(node, exp.Extract(this=exp.var(unit), expression=inner))
        if type(node) not in SCALAR_NODES:
            raise NotSupported(f"{describe(node)} is not supported")
        args: dict[str, Any] = {}
        for key, value in node.args.items():
            if isinstance(value, exp.Expr):
                args[key] = self._child(value, aggregates, allow_alias)
            elif isinstance(value, list):
                args[key] = [
                    self._child(v, aggregates, allow_alias) if isinstance(v, exp.Expr)
                    else v
                    for v in value
                ]
            else:
                args[key] = value
        rebuilt = integer_division(node.__class__(**args), self.ctx, self.column_type)
        return keep_written(node, rebuilt)  # keeps the client's name

    def _child(self, node: exp.Expr, aggregates: bool, allow_alias: bool) -> exp.Expr:
        if isinstance(node, exp.Identifier | exp.DataType | exp.Literal):
            return node  # the client tree is parsed for this compilation alone: no copy needed
        return self.rewrite(node, aggregates=aggregates, allow_alias=allow_alias)

    def _window(self, node: exp.Window, aggregates: bool, allow_alias: bool) -> exp.Expr:
        """A window function: an aggregate or ranking function over PARTITION BY / ORDER BY
        of this query's rows, with a frame of constant bounds."""
        if not aggregates:
            raise NotSupported(f"window functions are not allowed here ({node.sql()})")
        if node.args.get("alias") is not None:
            raise NotSupported("named windows (OVER w) are not supported",
                               hint="write the window in OVER (...)")
        function = node.this
        if any(isinstance(n, exp.Window) for n in function.walk() if n is not function):
            raise SqlSyntaxError("window function calls cannot be nested")
        if type(function) in AGGREGATE_NODES:
            rebuilt = self.rewrite(function, aggregates=True, allow_alias=allow_alias)
        elif type(function) in WINDOW_FUNCTIONS:
            args: dict[str, Any] = {}
            for key, value in function.args.items():
                if isinstance(value, exp.Expr):
                    args[key] = self._child(value, True, allow_alias)
                elif isinstance(value, list):
                    args[key] = [self._child(v, True, allow_alias) for v in value]
                else:
                    args[key] = value
            rebuilt = function.__class__(**args)
        else:
            raise NotSupported(f"{describe(function)} is not a window function")
        window = exp.Window(this=rebuilt, over=node.args.get("over"))
        partition = node.args.get("partition_by")
        if partition:
            window.set("partition_by", [
                self.rewrite(p, aggregates=True, allow_alias=allow_alias) for p in partition
            ])
        order = node.args.get("order")
        if order is not None:
            keys: list[exp.Expr] = []
            for o in order.expressions:
                key = self.rewrite(o.this, aggregates=True, allow_alias=allow_alias)
                keys.extend(_window_key(key, bool(o.args.get("desc")),
                                        _nulls_first(o, self.ctx), self.ctx))
            window.set("order", exp.Order(expressions=keys))
        spec = node.args.get("spec")
        if spec is not None:
            window.set("spec", _frame(spec))
        return window


def _compile_outer_select(query: exp.Select, ctx: Context, ctes: Ctes) -> Relation:
    check_select_clauses(query)
    from_ = query.args["from_"]
    relations: dict[str, Relation] = {}
    sources: list[tuple[exp.Expr, exp.Join | None]] = [(from_.this, None)]
    sources += [(j.this, j) for j in query.args.get("joins") or []]
    trees: list[exp.Expr] = []
    for item, _ in sources:
        if isinstance(item, exp.Subquery):
            if not item.alias:
                raise SqlSyntaxError("subquery in FROM must have an alias")
            relation = compile_relation(item.this, ctx, ctes)
            alias = item.alias
        else:
            assert isinstance(item, exp.Table)
            relation = ctes[item.name.lower()]
            alias = item.alias_or_name
        if alias in relations:
            raise SqlSyntaxError(f'table name "{alias}" specified more than once')
        relations[alias] = relation
        trees.append(
            exp.Subquery(
                this=relation.tree.copy(),
                alias=exp.TableAlias(this=exp.to_identifier(alias, quoted=True)),
            )
        )
    scope = _OuterScope(relations, ctx)
    select = exp.Select()
    columns: list[OutputColumn] = []
    expressions: list[exp.Expr] = []
    for node in query.expressions:
        if isinstance(node, exp.Star) or (
            isinstance(node, exp.Column) and isinstance(node.this, exp.Star)
        ):
            aliases = [scope._alias(node.table)] if isinstance(node, exp.Column) else list(
                relations
            )
            for alias in aliases:
                for column in relations[alias].columns:
                    expressions.append(
                        exp.alias_(exp.column(column.name, table=alias, quoted=True),
                                   column.name, quoted=True)
                    )
                    columns.append(column)
            continue
        name = output_name(node, ctx.client)
        inner = node.this if isinstance(node, exp.Alias) else node
        rewritten = scope.rewrite(inner, aggregates=True)
        expressions.append(exp.alias_(rewritten, name, quoted=True))
        columns.append(OutputColumn(name, infer_type(rewritten, ctx, scope.column_type)))
        if isinstance(node, exp.Alias):
            scope.aliases.add(name.lower())
    select.set("expressions", expressions)
    select.set("from_", exp.From(this=trees[0]))
    joins: list[exp.Join] = []
    for (_, join), tree in zip(sources[1:], trees[1:], strict=True):
        assert join is not None
        if join.args.get("using"):
            raise NotSupported("JOIN ... USING is not supported", hint="use JOIN ... ON")
        on = join.args.get("on")
        joins.append(
            exp.Join(
                this=tree,
                on=scope.rewrite(on, aggregates=False) if on is not None else None,
                side=join.args.get("side"),
                kind=join.args.get("kind"),
            )
        )
    if joins:
        select.set("joins", joins)
    extra: list[exp.Expr] = list(expressions)
    where = query.args.get("where")
    if where is not None:
        condition = scope.rewrite(where.this, aggregates=False)
        extra.append(condition)
        select.set("where", exp.Where(this=condition))
    group = query.args.get("group")
    if group is not None:
        items = [
            _ordinal_or(node, lambda n: scope.rewrite(n, aggregates=False, allow_alias=True))
            for node in group.expressions
        ]
        select.set("group", exp.Group(expressions=items))
    having = query.args.get("having")
    if having is not None:
        condition = scope.rewrite(having.this, aggregates=True, allow_alias=True)
        extra.append(condition)
        select.set("having", exp.Having(this=condition))
    order = query.args.get("order")
    if order is not None:
        select.set(
            "order",
            exp.Order(
                expressions=[
                    exp.Ordered(
                        this=_position_or(
                            o.this, expressions,
                            lambda n: scope.rewrite(n, aggregates=True, allow_alias=True),
                        ),
                        desc=bool(o.args.get("desc")),
                        nulls_first=_nulls_first(o, ctx),
                    )
                    for o in order.expressions
                ]
            ),
        )
    if query.args.get("distinct") is not None:
        select.set("distinct", exp.Distinct())
    types = parameter_types(extra, ctx, scope.column_type)
    for rel in relations.values():
        types.update(rel.param_types)
    _copy_row_counts(query, select, types)
    return Relation(select, tuple(columns), types)


def _window_key(key: exp.Expr, desc: bool, nulls_first: bool, ctx: Context) -> list[exp.Expr]:
    """A window's sort key with the client's NULL order. MySQL cannot say NULLS FIRST/LAST
    and sorts NULLs as smallest: where that differs, a NULL test sorts first (it only splits
    peers where the key already differs, so frames are unchanged)."""
    if ctx.target != "mysql" or nulls_first == (not desc):
        return [exp.Ordered(this=key, desc=desc, nulls_first=nulls_first)]
    is_null = exp.Case(
        ifs=[exp.If(this=exp.Is(this=key.copy(), expression=exp.Null()),
                    true=exp.Literal.number(0 if nulls_first else 1))],
        default=exp.Literal.number(1 if nulls_first else 0),
    )
    return [exp.Ordered(this=is_null, desc=False, nulls_first=True),
            exp.Ordered(this=key, desc=desc, nulls_first=not desc)]


def _frame(spec: exp.WindowSpec) -> exp.WindowSpec:
    """A window frame rebuilt from its parts: ROWS/RANGE/GROUPS with UNBOUNDED, CURRENT ROW or
    a non-negative integer bound."""
    kind = str(spec.args.get("kind") or "").upper()
    if kind not in ("ROWS", "RANGE", "GROUPS"):
        raise NotSupported(f"window frame {kind or '?'} is not supported")
    if spec.args.get("exclude"):
        raise NotSupported("window frame EXCLUDE is not supported")
    args: dict[str, Any] = {"kind": kind}
    for bound, side in (("start", "start_side"), ("end", "end_side")):
        value = spec.args.get(bound)
        if value is None:
            continue
        if isinstance(value, str):
            if value.upper() not in ("UNBOUNDED", "CURRENT ROW"):
                raise NotSupported(f"window frame bound {value} is not supported")
            args[bound] = value.upper()
        elif isinstance(value, exp.Literal) and not value.is_string and value.this.isdigit():
            args[bound] = exp.Literal.number(int(value.this))
        else:
            raise NotSupported("window frame bounds must be integer constants")
        side_value = spec.args.get(side)
        if side_value is not None:
            if str(side_value).upper() not in ("PRECEDING", "FOLLOWING"):
                raise NotSupported(f"window frame bound {side_value} is not supported")
            args[side] = str(side_value).upper()
    return exp.WindowSpec(**args)


def _copy_row_counts(query: exp.Expr, tree: exp.Expr, types: dict[int, str]) -> None:
    """LIMIT and OFFSET of ``query`` onto ``tree``, rebuilt from their row count alone (FETCH
    FIRST becomes LIMIT; a parameter is typed int8)."""
    for key, node_class in (("limit", exp.Limit), ("offset", exp.Offset)):
        node = query.args.get(key)
        value = row_count(node) if node is not None else None
        if value is None:
            continue
        if isinstance(value, exp.Placeholder):
            types[int(value.name)] = "int8"
        tree.set(key, node_class(expression=value))


def _position_or(node: exp.Expr, expressions: list[exp.Expr], rewrite: Any) -> exp.Expr:
    """An ORDER BY item: a position becomes the select item's expression (MySQL cannot sort
    NULLs first or last by position), anything else is rewritten."""
    if isinstance(node, exp.Literal) and not node.is_string and node.this.isdigit():
        position = int(node.this)
        if not 1 <= position <= len(expressions):
            raise SqlSyntaxError(f"ORDER BY position {node.this} is not in select list")
        item = expressions[position - 1]
        return (item.this if isinstance(item, exp.Alias) else item).copy()
    result: exp.Expr = rewrite(node)
    return result


def _ordinal_or(node: exp.Expr, rewrite: Any) -> exp.Expr:
    if isinstance(node, exp.Literal) and not node.is_string:
        return node.copy()
    result: exp.Expr = rewrite(node)
    return result


def _nulls_first(ordered: exp.Ordered, ctx: Context) -> bool:
    value = ordered.args.get("nulls_first")
    desc = bool(ordered.args.get("desc"))
    if value is None:
        return desc if ctx.client == "postgres" else not desc
    return bool(value)
