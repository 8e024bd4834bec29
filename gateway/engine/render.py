"""Stage 4: a :class:`Plan` -> a data-source SELECT (a sqlglot tree, still dialect-neutral
except for model snippets, which are already in the target's dialect)."""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from .context import Context
from .dialects import approx_count_distinct
from .plan import MeasureKey, Part, Plan, measure_of
from .refs import is_dim, is_input, is_measure, ref_key
from .snippets import atom, cube_alias

Replace = Callable[[exp.Expr], exp.Expr | None]


def render_plan(plan: Plan, ctx: Context) -> exp.Select:
    if plan.inline:
        return _render_inline(plan, ctx)
    return _render_parts(plan, ctx)


# --- shared pieces ------------------------------------------------------------------------------


def _substitute(
    expression: exp.Expr, replace: Replace, *, copy: bool = True
) -> exp.Expr:
    """``expression`` with nodes replaced where ``replace`` returns a value (top-down); a copy
    unless the caller knows the expression is used exactly once."""

    def visit(node: exp.Expr) -> exp.Expr:
        replaced = replace(node)
        return node if replaced is None else replaced

    return expression.transform(visit, copy=copy)


def _rows(plan: Plan, ctx: Context) -> Replace:
    """Row-level references -> SQL: dimensions and segments, and measure inputs."""

    def replace(node: exp.Expr) -> exp.Expr | None:
        if is_dim(node):
            return atom(ctx.index.dimension_sql(*ref_key(node)))
        if is_input(node):
            return _input(plan, ctx, *ref_key(node))
        return None

    return replace


def _input(plan: Plan, ctx: Context, cube_name: str, name: str) -> exp.Expr:
    """A measure's value for one row, such that the measure is its aggregate: the summed
    (averaged, counted, ...) expression, NULL where a filter drops the row; for a count 1
    where the row counts, else NULL, as Cube counts ``COUNT(CASE WHEN filter THEN 1 END)``
    (so COUNT and SUM of the column are the count). Rows a LEFT JOIN adds for a missing row
    of the cube have no value."""
    cube = ctx.index.cube(cube_name)
    measure = cube.measure(name)
    assert measure is not None
    value = ctx.index.measure_input(cube_name, measure)
    condition = ctx.index.measure_filters(cube_name, measure)
    if measure.type != "count":
        assert value is not None
        return atom(_filtered(value, condition))
    counted: list[exp.Expr] = []
    if cube_name != plan.tree.root and cube.primary_keys:
        pk = ctx.index.dimension_sql(cube_name, cube.primary_keys[0].name)
        counted.append(exp.Not(this=exp.Is(this=pk, expression=exp.Null())))
    if value is not None:
        counted.append(exp.Not(this=exp.Is(this=value, expression=exp.Null())))
    if condition is not None:
        counted.append(condition)
    if not counted:
        return exp.Literal.number(1)
    return exp.Case(ifs=[exp.If(this=exp.and_(*counted), true=exp.Literal.number(1))])


def _value_and_condition(
    plan: Plan, ctx: Context, key: MeasureKey
) -> tuple[exp.Expr | None, exp.Expr | None]:
    """What a measure aggregates and the condition of the rows it takes (None: all rows)."""
    cube_name = key[0]
    aggregate = ctx.aggregates.get(key)
    if aggregate is None or aggregate.measure is not None:
        name = key[1] if aggregate is None or aggregate.measure is None else aggregate.measure
        measure = measure_of(ctx, (cube_name, name))
        value = ctx.index.measure_input(cube_name, measure)
        condition = ctx.index.measure_filters(cube_name, measure)
    else:
        value = None if aggregate.value is None else _substitute(aggregate.value, _rows(plan, ctx))
        condition = None
    if aggregate is not None and aggregate.condition is not None:
        extra = _substitute(aggregate.condition, _rows(plan, ctx))
        condition = extra if condition is None else exp.and_(
            exp.paren(condition, copy=False), exp.paren(extra, copy=False), copy=False
        )
    return value, condition


def _from(plan: Plan, ctx: Context) -> tuple[exp.From, list[exp.Join]]:
    tree = plan.tree
    extra = dict(tree.conditions)
    joins: list[exp.Join] = []
    for edge in tree.edges:
        on = ctx.index.join_condition(edge.owner, edge.index)
        if edge.child in extra:
            on = exp.and_(exp.paren(on, copy=False),
                          exp.paren(_substitute(extra[edge.child], _rows(plan, ctx))))
        joins.append(exp.Join(this=ctx.index.table(edge.child), on=on,
                              side=None if edge.child in tree.inner else "LEFT"))
    return exp.From(this=ctx.index.table(tree.root)), joins


def _base_select(plan: Plan, ctx: Context) -> exp.Select:
    select = exp.Select()
    from_, joins = _from(plan, ctx)
    select.set("from_", from_)
    if joins:
        select.set("joins", joins)
    if plan.query.where is not None:
        # WHERE is used once per part; only one part may consume the tree itself (it can be
        # large: long IN lists), the others copy.
        where = _substitute(plan.query.where, _rows(plan, ctx), copy=not plan.inline)
        select.set("where", exp.Where(this=where))
    return select


def _filtered(value: exp.Expr, condition: exp.Expr | None) -> exp.Expr:
    if condition is None:
        return value
    return exp.Case(ifs=[exp.If(this=condition, true=value)])


def _aggregate(plan: Plan, ctx: Context, key: MeasureKey) -> exp.Expr:
    """The aggregate of one measure over the joined rows."""
    cube_name = key[0]
    measure = measure_of(ctx, key)
    value, condition = _value_and_condition(plan, ctx, key)
    primary_keys = ctx.index.cube(cube_name).primary_keys
    if key in plan.distinct_pk_counts:
        pk_sql = ctx.index.dimension_sql(cube_name, primary_keys[0].name)
        return exp.Count(this=exp.Distinct(expressions=[_filtered(pk_sql, condition)]))
    if measure.type == "count":
        if value is None:
            if cube_name != plan.tree.root and primary_keys:
                # A LEFT JOINed cube has NULL rows where nothing matched: count its keys.
                value = ctx.index.dimension_sql(cube_name, primary_keys[0].name)
            elif condition is None:
                return exp.Count(this=exp.Star())
            else:
                value = exp.Literal.number(1)
        return exp.Count(this=_filtered(value, condition))
    assert value is not None
    value = _filtered(value, condition)
    if measure.type == "count_distinct":
        return exp.Count(this=exp.Distinct(expressions=[value]))
    if measure.type == "count_distinct_approx":
        return approx_count_distinct(value, ctx.target)
    if measure.type in _SPREAD:
        return _spread(measure.type, value, ctx)
    function = {"sum": exp.Sum, "avg": exp.Avg, "min": exp.Min, "max": exp.Max}[measure.type]
    return function(this=value)


_SPREAD: dict[str, type[exp.Func]] = {
    "stddev_pop": exp.StddevPop, "stddev_samp": exp.StddevSamp,
    "var_pop": exp.VariancePop, "var_samp": exp.Variance,
}


def _spread(kind: str, value: exp.Expr, ctx: Context) -> exp.Expr:
    """Standard deviation and variance; SQLite has neither, so it gets their definitions
    (over REAL values: its integer division would truncate)."""
    if ctx.target != "sqlite":
        return _SPREAD[kind](this=value)
    x = exp.Mul(this=exp.paren(value, copy=False), expression=exp.Literal.number("1.0"))
    total = exp.Sum(this=x.copy())
    squares = exp.Sum(this=exp.Mul(this=x.copy(), expression=x.copy()))
    n = exp.Count(this=x.copy())
    centred = exp.Sub(this=squares, expression=exp.Div(
        this=exp.Mul(this=total, expression=total.copy()), expression=n))
    divisor = n.copy() if kind.endswith("_pop") else exp.Sub(
        this=n.copy(), expression=exp.Literal.number(1))
    variance = exp.Div(this=exp.paren(centred), expression=exp.Nullif(
        this=divisor, expression=exp.Literal.number(0)))
    return exp.Sqrt(this=variance) if kind.startswith("stddev") else variance


def _with_order_and_limit(select: exp.Select, plan: Plan, replace: Replace) -> exp.Select:
    query = plan.query
    if query.order:
        select.set(
            "order",
            exp.Order(
                expressions=[
                    exp.Ordered(
                        this=_substitute(o.expression, replace),
                        desc=o.desc,
                        nulls_first=o.nulls_first,
                    )
                    for o in query.order
                ]
            ),
        )
    if query.limit is not None:
        select.set("limit", exp.Limit(expression=query.limit.copy()))
    if query.offset is not None:
        select.set("offset", exp.Offset(expression=query.offset.copy()))
    return select


def _projection(plan: Plan, replace: Replace) -> list[exp.Expr]:
    projection: list[exp.Expr] = []
    for output in plan.query.outputs:
        expression = output.expression
        while isinstance(expression, exp.Paren):  # parentheses only matter inside expressions
            expression = expression.this
        projection.append(exp.alias_(_substitute(expression, replace), output.name, quoted=True))
    return projection


# --- one part: a plain grouped SELECT ------------------------------------------------------------


def _render_inline(plan: Plan, ctx: Context) -> exp.Select:
    dimension = _rows(plan, ctx)

    def replace(node: exp.Expr) -> exp.Expr | None:
        if is_measure(node):
            return _aggregate(plan, ctx, ref_key(node))
        return dimension(node)

    select = _base_select(plan, ctx)
    select.set("expressions", _projection(plan, replace))
    if plan.query.groups:
        select.set(
            "group",
            exp.Group(expressions=[_substitute(g, dimension) for g in plan.query.groups]),
        )
    if plan.query.having is not None:
        select.set("having", exp.Having(this=_substitute(plan.query.having, replace)))
    if plan.query.distinct:
        select.set("distinct", exp.Distinct())
    return _with_order_and_limit(select, plan, replace)


# --- several parts joined on the grouping keys ----------------------------------------------------


def _key_name(i: int) -> str:
    return f"d{i}"


def _measure_name(key: MeasureKey, keys: list[MeasureKey]) -> str:
    return f"m{keys.index(key)}"


def _render_parts(plan: Plan, ctx: Context) -> exp.Select:
    groups = plan.query.groups
    keys: list[MeasureKey] = [k for part in plan.parts for k in part.measures]
    part_of: dict[MeasureKey, str] = {}
    subqueries: list[exp.Expr] = []
    for number, part in enumerate(plan.parts):
        alias = f"q{number}"
        for key in part.measures:
            part_of[key] = alias
        body = (
            _render_main_part(plan, part, ctx, keys)
            if part.cube is None
            else _render_distinct_part(plan, part, ctx, keys)
        )
        subqueries.append(exp.Subquery(this=body, alias=exp.TableAlias(this=_ident(alias))))

    def replace(node: exp.Expr) -> exp.Expr | None:
        for i, group in enumerate(groups):
            if node == group:
                return exp.column(_key_name(i), table="q0", quoted=True)
        if is_measure(node):
            key = ref_key(node)
            return exp.column(_measure_name(key, keys), table=part_of[key], quoted=True)
        return None

    select = exp.Select()
    select.set("expressions", _projection(plan, replace))
    select.set("from_", exp.From(this=subqueries[0]))
    joins: list[exp.Join] = []
    for number, subquery in enumerate(subqueries[1:], start=1):
        if groups:
            on = exp.and_(
                *[
                    exp.NullSafeEQ(
                        this=exp.column(_key_name(i), table="q0", quoted=True),
                        expression=exp.column(_key_name(i), table=f"q{number}", quoted=True),
                    )
                    for i in range(len(groups))
                ]
            )
            joins.append(exp.Join(this=subquery, on=on))
        else:
            joins.append(exp.Join(this=subquery, kind="CROSS"))
    if joins:
        select.set("joins", joins)
    if plan.query.having is not None:
        select.set("where", exp.Where(this=_substitute(plan.query.having, replace)))
    if plan.query.distinct:
        select.set("distinct", exp.Distinct())
    return _with_order_and_limit(select, plan, replace)


def _group_columns(plan: Plan, ctx: Context) -> list[exp.Expr]:
    dimension = _rows(plan, ctx)
    return [
        exp.alias_(_substitute(g, dimension), _key_name(i), quoted=True)
        for i, g in enumerate(plan.query.groups)
    ]


def _render_main_part(
    plan: Plan, part: Part, ctx: Context, keys: list[MeasureKey]
) -> exp.Select:
    select = _base_select(plan, ctx)
    measures = [
        exp.alias_(
            _aggregate(plan, ctx, key),
            _measure_name(key, keys),
            quoted=True,
        )
        for key in part.measures
    ]
    select.set("expressions", _group_columns(plan, ctx) + measures)
    if plan.query.groups:
        dimension = _rows(plan, ctx)
        select.set(
            "group",
            exp.Group(expressions=[_substitute(g, dimension) for g in plan.query.groups]),
        )
    return select


def _render_distinct_part(
    plan: Plan, part: Part, ctx: Context, keys: list[MeasureKey]
) -> exp.Select:
    """Aggregate the measures of one multiplied cube over rows made distinct per primary key."""
    assert part.cube is not None
    cube = ctx.index.cube(part.cube)
    pk_names = [f"k{i}" for i in range(len(cube.primary_keys))]
    pk_columns = [
        exp.alias_(ctx.index.dimension_sql(cube.name, pk.name), name, quoted=True)
        for pk, name in zip(cube.primary_keys, pk_names, strict=True)
    ]
    first_pk = ctx.index.dimension_sql(cube.name, cube.primary_keys[0].name)
    values: list[exp.Expr] = []
    outer_measures: list[exp.Expr] = []
    for j, key in enumerate(part.measures):
        measure = measure_of(ctx, key)
        value, condition = _value_and_condition(plan, ctx, key)
        if value is None:  # COUNT(*): count the cube's rows, not the NULLs of a LEFT JOIN
            present = exp.Not(this=exp.Is(this=first_pk, expression=exp.Null()))
            condition = present if condition is None else exp.and_(present, condition)
            value = exp.Literal.number(1)
        values.append(exp.alias_(_filtered(value, condition), f"v{j}", quoted=True))
        column = exp.column(f"v{j}", quoted=True)
        function = {
            "count": exp.Count, "sum": exp.Sum, "avg": exp.Avg, "min": exp.Min, "max": exp.Max,
        }.get(measure.type)
        aggregate: exp.Expr
        if measure.type in _SPREAD:
            aggregate = _spread(measure.type, column, ctx)
        elif function is not None:
            aggregate = function(this=column)
        elif measure.type == "count_distinct_approx":
            aggregate = approx_count_distinct(column, ctx.target)
        else:
            aggregate = exp.Count(this=exp.Distinct(expressions=[column]))
        outer_measures.append(exp.alias_(aggregate, _measure_name(key, keys), quoted=True))

    inner = _base_select(plan, ctx)
    inner.set("distinct", exp.Distinct())
    inner.set("expressions", _group_columns(plan, ctx) + pk_columns + values)

    outer = exp.Select()
    group_names = [exp.column(_key_name(i), quoted=True) for i in range(len(plan.query.groups))]
    outer.set("expressions", [g.copy() for g in group_names] + outer_measures)
    outer.set(
        "from_",
        exp.From(this=exp.Subquery(this=inner, alias=exp.TableAlias(this=_ident("rows")))),
    )
    if group_names:
        outer.set("group", exp.Group(expressions=group_names))
    return outer


def _ident(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


__all__ = ["cube_alias", "render_plan"]
