"""Stage 2: a SELECT over cubes -> :class:`CubeQuery`, checking every member it touches.

Each column is looked up among the cubes of the FROM clause; dimensions and segments become
dimension references, ``MEASURE(m)`` or a matching aggregate a measure reference (or the
formula of a ``number`` measure). The access list is checked here, on every member of every
clause, so nothing later can touch a member this stage did not allow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from backend.core.errors import NotSupported, SqlSyntaxError, UnknownColumn, UnknownTable
from backend.semantic.model import Cube, Measure, Segment

from .context import CUBE_SCHEMAS, Context, Member, did_you_mean
from .infer import infer_type
from .naming import output_name
from .query import CubeQuery, OrderItem, OutputItem
from .refs import all_refs, dim_ref, has_dim, has_measure, is_dim, measure_ref, ref_key
from .snippets import atom
from .validate import is_row_count
from .whitelist import (
    AGGREGATE_NODES,
    CAST_TYPES,
    EXTRACT_SYNONYMS,
    EXTRACT_UNITS,
    GRANULARITIES,
    SCALAR_NODES,
    describe,
)

JOIN_FIELD = "__cubejoinfield"
_AGGREGATE_MEASURE_TYPES: dict[type[exp.Expr], str] = {
    exp.Sum: "sum", exp.Avg: "avg", exp.Min: "min", exp.Max: "max",
}
_ALLOWED_SELECT_ARGS = frozenset(
    {"expressions", "from_", "joins", "where", "group", "having", "order", "limit", "offset",
     "distinct", "kind"}
)


@dataclass
class _Scope:
    cubes: list[Cube] = field(default_factory=list)
    aliases: dict[str, Cube] = field(default_factory=dict)  # lower-cased alias -> cube

    def add(self, cube: Cube, alias: str) -> None:
        if any(c.name == cube.name for c in self.cubes):
            raise NotSupported(
                f"cube {cube.name} appears twice in FROM",
                hint="each cube may be used once per query",
            )
        if alias.lower() in self.aliases:
            raise SqlSyntaxError(f'table name "{alias}" specified more than once')
        self.cubes.append(cube)
        self.aliases[alias.lower()] = cube
        self.aliases.setdefault(cube.name.lower(), cube)


def check_select_clauses(select: exp.Select) -> None:
    for key, value in select.args.items():
        if value and key not in _ALLOWED_SELECT_ARGS:
            raise NotSupported(f"{key.upper().rstrip('_')} is not supported in queries over cubes")
    distinct = select.args.get("distinct")
    if isinstance(distinct, exp.Distinct) and distinct.args.get("on") is not None:
        raise NotSupported("DISTINCT ON is not supported")


def resolve_cube_select(select: exp.Select, ctx: Context) -> CubeQuery:
    check_select_clauses(select)
    scope = _build_scope(select, ctx)
    resolver = _Resolver(ctx, scope)
    outputs = resolver.outputs(select.expressions)
    where = select.args.get("where")
    where_expr = resolver.clause(where.this, "where") if where is not None else None
    groups = resolver.groups(select.args.get("group"), outputs)
    having = select.args.get("having")
    having_expr = resolver.clause(having.this, "having") if having is not None else None
    order = resolver.order(select.args.get("order"), outputs)

    for item in outputs:
        _check_grouped(item.expression, groups, f"column {item.name!r}")
    if having_expr is not None:
        _check_grouped(having_expr, groups, "HAVING")
    for ordered in order:
        _check_grouped(ordered.expression, groups, "ORDER BY")

    used = _cubes_used(ctx, outputs, where_expr, having_expr, order, groups)
    # Like Cube, a query is over the cubes whose members it uses (and the cubes their SQL
    # reads): a cube named in FROM but not used adds no join (it could only drop or repeat
    # rows).
    cubes = tuple(c.name for c in scope.cubes if c.name in used)
    cubes += tuple(sorted(used - set(cubes)))
    cubes = cubes or (scope.cubes[0].name,)
    return CubeQuery(
        cubes=cubes,
        outputs=tuple(outputs),
        groups=tuple(groups),
        where=where_expr,
        having=having_expr,
        order=tuple(order),
        limit=_limit_value(select.args.get("limit")),
        offset=_limit_value(select.args.get("offset")),
    )


def _build_scope(select: exp.Select, ctx: Context) -> _Scope:
    scope = _Scope()
    from_ = select.args.get("from_")
    assert from_ is not None
    items: list[tuple[exp.Expr, exp.Join | None]] = [(from_.this, None)]
    items += [(j.this, j) for j in select.args.get("joins") or []]
    for item, _ in items:
        if not isinstance(item, exp.Table) or item.args.get("joins"):
            raise NotSupported("a query over cubes may only join cubes", hint="use a subquery")
        cube = ctx.cube_for_table(item)
        scope.add(cube, item.alias_or_name)
    for _, join in items:
        if join is not None:
            _check_join(join, scope)
    return scope


def _check_join(join: exp.Join, scope: _Scope) -> None:
    kind = (join.args.get("kind") or "").upper()
    side = (join.args.get("side") or "").upper()
    if join.args.get("using"):
        raise NotSupported("JOIN ... USING between cubes is not supported", hint=_JOIN_HINT)
    if side not in ("", "LEFT") or kind not in ("", "INNER", "CROSS", "OUTER"):
        raise NotSupported(f"{side or kind} JOIN between cubes is not supported", hint=_JOIN_HINT)
    on = join.args.get("on")
    if on is None:
        return
    conditions = list(on.flatten()) if isinstance(on, exp.And) else [on]
    for condition in conditions:
        while isinstance(condition, exp.Paren):
            condition = condition.this
        if not (
            isinstance(condition, exp.EQ)
            and all(
                isinstance(side_, exp.Column)
                and side_.name.lower() == JOIN_FIELD
                and side_.table.lower() in scope.aliases
                for side_ in (condition.this, condition.expression)
            )
        ):
            raise NotSupported(
                f"join condition {on.sql()} is not supported between cubes", hint=_JOIN_HINT
            )


_JOIN_HINT = (
    "join cubes with CROSS JOIN or JOIN b ON a.__cubeJoinField = b.__cubeJoinField; "
    "the model's joins supply the condition"
)


class _Resolver:
    def __init__(self, ctx: Context, scope: _Scope) -> None:
        self.ctx = ctx
        self.scope = scope
        self.aliases: dict[str, exp.Expr] = {}

    # --- clauses ------------------------------------------------------------------------------

    def outputs(self, expressions: list[exp.Expr]) -> list[OutputItem]:
        outputs: list[OutputItem] = []
        for node in expressions:
            if isinstance(node, exp.Star) or (
                isinstance(node, exp.Column) and isinstance(node.this, exp.Star)
            ):
                outputs.extend(self._star(node))
                continue
            name = output_name(node, self.ctx.client)
            inner = node.this if isinstance(node, exp.Alias) else node
            resolved = self.resolve(inner, "select")
            outputs.append(OutputItem(name, resolved, infer_type(resolved, self.ctx)))
            if isinstance(node, exp.Alias):
                self.aliases.setdefault(name.lower(), resolved)
        return outputs

    def clause(self, node: exp.Expr, mode: str) -> exp.Expr:
        return self.resolve(node, mode)

    def groups(
        self, group: exp.Group | None, outputs: list[OutputItem]
    ) -> list[exp.Expr]:
        groups: list[exp.Expr] = []
        if group is None:
            for item in outputs:
                if not has_measure(item.expression) and has_dim(item.expression):
                    groups.append(item.expression)
            return _unique(groups)
        for key in ("rollup", "cube", "grouping_sets"):
            if group.args.get(key):
                raise NotSupported(f"GROUP BY {key.upper().replace('_', ' ')} is not supported")
        for node in group.expressions:
            expression = self._ordinal(node, outputs, "GROUP BY")
            if expression is None:
                expression = self.resolve(node, "group")
            if has_measure(expression):
                raise NotSupported(
                    f"cannot GROUP BY an aggregate ({node.sql(dialect=self.ctx.client)})"
                )
            groups.append(expression)
        return _unique(groups)

    def order(self, order: exp.Order | None, outputs: list[OutputItem]) -> list[OrderItem]:
        if order is None:
            return []
        items: list[OrderItem] = []
        for ordered in order.expressions:
            node = ordered.this
            expression = self._ordinal(node, outputs, "ORDER BY")
            if (
                expression is None
                and isinstance(node, exp.Column)
                and not node.table
                and node.name.lower() in self.aliases
            ):
                expression = self.aliases[node.name.lower()].copy()
            if expression is None:
                expression = self.resolve(node, "order")
            desc = bool(ordered.args.get("desc"))
            nulls_first = ordered.args.get("nulls_first")
            if nulls_first is None:
                # The client's own default: PostgreSQL sorts NULLs as largest, MySQL as smallest.
                nulls_first = desc if self.ctx.client == "postgres" else not desc
            items.append(OrderItem(expression, desc, bool(nulls_first)))
        return items

    def _ordinal(
        self, node: exp.Expr, outputs: list[OutputItem], clause: str
    ) -> exp.Expr | None:
        if isinstance(node, exp.Literal) and not node.is_string:
            position = int(node.this) if node.this.isdigit() else 0
            if not 1 <= position <= len(outputs):
                raise SqlSyntaxError(f"{clause} position {node.this} is not in select list")
            return outputs[position - 1].expression.copy()
        return None

    def _star(self, node: exp.Expr) -> list[OutputItem]:
        qualifier = node.table if isinstance(node, exp.Column) else ""
        cubes = [self._cube_for_qualifier(qualifier)] if qualifier else self.scope.cubes
        items: list[OutputItem] = []
        for cube in cubes:
            for dimension in cube.dimensions:
                if self.ctx.visible(cube, dimension):
                    ref = dim_ref(cube.name, dimension.name)
                    items.append(OutputItem(dimension.name, ref, infer_type(ref, self.ctx)))
            for measure in cube.measures:
                if self.ctx.visible(cube, measure):
                    expression = self._measure_expression(cube, measure)
                    items.append(
                        OutputItem(measure.name, expression, infer_type(expression, self.ctx))
                    )
        if not items:
            raise NotSupported("SELECT * found no column the credential may query")
        return items

    # --- expressions --------------------------------------------------------------------------

    def resolve(self, node: exp.Expr, mode: str) -> exp.Expr:
        if isinstance(node, exp.Column):
            return self._column(node, mode)
        if type(node) in AGGREGATE_NODES or (
            isinstance(node, exp.Anonymous) and node.name.upper() == "MEASURE"
        ):
            if mode in ("where", "group"):
                raise NotSupported(
                    f"aggregates are not allowed in {mode.upper()}"
                    f" ({node.sql(dialect=self.ctx.client)})",
                    hint="filter measures with HAVING" if mode == "where" else None,
                )
            return self._aggregate(node)
        if isinstance(node, exp.DateTrunc | exp.TimestampTrunc):
            return self._date_trunc(node, mode)
        if isinstance(node, exp.Extract):
            return self._extract(node, mode)
        if isinstance(node, exp.Cast | exp.TryCast):
            to = node.args.get("to")
            if not isinstance(to, exp.DataType) or to.this not in CAST_TYPES:
                raise NotSupported(f"CAST to {to.sql() if to else '?'} is not supported")
        if isinstance(node, exp.Star):
            raise NotSupported("* is only allowed as a select item or in COUNT(*)")
        if type(node) not in SCALAR_NODES:
            raise NotSupported(f"{describe(node)} is not supported in queries over cubes")
        return self._rebuild(node, mode)

    def _rebuild(self, node: exp.Expr, mode: str) -> exp.Expr:
        args: dict[str, Any] = {}
        for key, value in node.args.items():
            if isinstance(value, exp.Expr):
                args[key] = self._child(value, mode)
            elif isinstance(value, list):
                args[key] = [
                    self._child(v, mode) if isinstance(v, exp.Expr) else v for v in value
                ]
            else:
                args[key] = value
        return node.__class__(**args)

    def _child(self, node: exp.Expr, mode: str) -> exp.Expr:
        if isinstance(node, exp.Identifier | exp.DataType | exp.Literal):
            return node  # the client tree is parsed for this compilation alone: no copy needed
        return self.resolve(node, mode)

    def _column(self, column: exp.Column, mode: str) -> exp.Expr:
        if isinstance(column.this, exp.Star):
            raise NotSupported("* is only allowed as a select item or in COUNT(*)")
        name = column.name
        if name.lower() == JOIN_FIELD:
            raise NotSupported(
                "__cubeJoinField only appears in JOIN ... ON conditions", hint=_JOIN_HINT
            )
        cube, member = self._lookup(column)
        if member is None and not column.table and mode in ("group", "having", "order"):
            aliased = self.aliases.get(name.lower())
            if aliased is not None:
                return aliased.copy()
        if member is None or cube is None:
            raise UnknownColumn(
                f'column "{column.sql(dialect=self.ctx.client)}" does not exist',
                hint=self._column_hint(column),
            )
        self.ctx.check_access(cube, member)
        if isinstance(member, Measure):
            if mode in ("where", "group"):
                raise NotSupported(
                    f"measure {cube.name}.{member.name} cannot be used in {mode.upper()}",
                    hint="filter measures with HAVING" if mode == "where" else None,
                )
            # A bare measure column means the measure itself, as in SELECT *.
            return self._measure_expression(cube, member)
        return dim_ref(cube.name, member.name, segment=isinstance(member, Segment))

    def _lookup(self, column: exp.Column) -> tuple[Cube | None, Member | None]:
        if column.db.lower() not in CUBE_SCHEMAS or column.catalog.lower() not in ("", "db"):
            raise UnknownTable(f'missing FROM-clause entry for table "{column.table}"')
        if column.table:
            cube = self._cube_for_qualifier(column.table)
            return cube, self.ctx.find_member(cube, column.name)
        found = [
            (cube, member)
            for cube in self.scope.cubes
            if (member := self.ctx.find_member(cube, column.name)) is not None
        ]
        if len(found) > 1:
            names = ", ".join(f"{c.name}.{m.name}" for c, m in found)
            raise UnknownColumn(
                f'column reference "{column.name}" is ambiguous ({names})',
                hint="qualify it with the cube name",
            )
        return found[0] if found else (None, None)

    def _cube_for_qualifier(self, qualifier: str) -> Cube:
        cube = self.scope.aliases.get(qualifier.lower())
        if cube is None:
            raise UnknownTable(f'missing FROM-clause entry for table "{qualifier}"')
        return cube

    def _column_hint(self, column: exp.Column) -> str | None:
        cubes = (
            [self.scope.aliases[column.table.lower()]]
            if column.table and column.table.lower() in self.scope.aliases
            else self.scope.cubes
        )
        names = [
            m.name
            for cube in cubes
            for group in (cube.dimensions, cube.measures, cube.segments)
            for m in group
            if self.ctx.visible(cube, m)
        ]
        return did_you_mean(column.name, names)

    def _aggregate(self, node: exp.Expr) -> exp.Expr:
        function = node.name.upper() if isinstance(node, exp.Anonymous) else _function_name(node)
        if isinstance(node, exp.Anonymous):
            if len(node.expressions) != 1 or not isinstance(node.expressions[0], exp.Column):
                raise NotSupported("MEASURE() takes one measure column", hint="MEASURE(count)")
            cube, measure = self._measure_column(node.expressions[0], function)
            return self._measure_expression(cube, measure)
        argument = node.this
        if isinstance(node, exp.Count):
            if isinstance(argument, exp.Star) or (
                isinstance(argument, exp.Literal) and not argument.is_string
            ):
                cube, measure = self._count_star()
                return self._measure_expression(cube, measure)
            if isinstance(argument, exp.Distinct):
                if len(argument.expressions) != 1 or not isinstance(
                    argument.expressions[0], exp.Column
                ):
                    raise NotSupported("COUNT(DISTINCT ...) takes one measure column")
                cube, measure = self._measure_column(argument.expressions[0], function)
                if measure.type not in ("count_distinct", "count_distinct_approx"):
                    raise _mismatch("COUNT(DISTINCT ...)", cube, measure)
                return self._measure_expression(cube, measure)
            if isinstance(argument, exp.Column):
                cube, measure = self._measure_column(argument, function)
                raise _mismatch("COUNT(...)", cube, measure)
            raise NotSupported(f"COUNT({argument.sql()}) is not supported", hint="use MEASURE()")
        if isinstance(argument, exp.Distinct):
            raise NotSupported(f"{function}(DISTINCT ...) is not supported", hint="use MEASURE()")
        if not isinstance(argument, exp.Column):
            raise NotSupported(
                f"{function}() over an expression is not supported",
                hint="aggregate a measure column, e.g. SUM(amount), or use MEASURE()",
            )
        cube, measure = self._measure_column(argument, function)
        if _AGGREGATE_MEASURE_TYPES.get(type(node)) != measure.type:
            raise _mismatch(f"{function}(...)", cube, measure)
        return self._measure_expression(cube, measure)

    def _measure_column(self, column: exp.Column, function: str) -> tuple[Cube, Measure]:
        cube, member = self._lookup(column)
        if member is None or cube is None:
            raise UnknownColumn(
                f'column "{column.sql(dialect=self.ctx.client)}" does not exist',
                hint=self._column_hint(column),
            )
        self.ctx.check_access(cube, member)
        if not isinstance(member, Measure):
            raise NotSupported(
                f"{function}({member.name}): {cube.name}.{member.name} is not a measure",
                hint="aggregate measures only; define a measure in the model for this",
            )
        return cube, member

    def _count_star(self) -> tuple[Cube, Measure]:
        if len(self.scope.cubes) != 1:
            raise NotSupported(
                "COUNT(*) is ambiguous over several cubes", hint="use MEASURE(cube.count)"
            )
        cube = self.scope.cubes[0]
        candidates = [m for m in cube.measures if m.type == "count" and m.sql is None and m.public]
        plain = [m for m in candidates if not m.filters]
        chosen = next((m for m in plain if m.name == "count"), None) or (
            plain[0] if plain else None
        )
        if chosen is None:
            raise NotSupported(
                f"cube {cube.name} has no count measure for COUNT(*)",
                hint="add a measure of type count to the cube",
            )
        self.ctx.check_access(cube, chosen)
        return cube, chosen

    def _measure_expression(self, cube: Cube, measure: Measure) -> exp.Expr:
        if measure.type == "number":
            return atom(self.ctx.index.formula(cube.name, measure.name))
        return measure_ref(cube.name, measure.name)

    def _date_trunc(self, node: exp.Expr, mode: str) -> exp.Expr:
        unit_node = node.args.get("unit")
        unit = unit_node.name.lower() if isinstance(unit_node, exp.Expr) else ""
        if unit not in GRANULARITIES:
            raise NotSupported(
                f"DATE_TRUNC granularity {unit!r} is not supported",
                hint="use one of " + ", ".join(GRANULARITIES),
            )
        argument = self._time_argument(node.this, mode, "DATE_TRUNC")
        return exp.TimestampTrunc(this=argument, unit=exp.var(unit))

    def _extract(self, node: exp.Extract, mode: str) -> exp.Expr:
        unit = node.this.name.lower()
        unit = EXTRACT_SYNONYMS.get(unit, unit)
        if unit not in EXTRACT_UNITS:
            raise NotSupported(
                f"EXTRACT({unit.upper()} ...) is not supported",
                hint="use one of " + ", ".join(u.upper() for u in EXTRACT_UNITS),
            )
        argument = self._time_argument(node.expression, mode, "EXTRACT")
        return exp.Extract(this=exp.var(unit), expression=argument)

    def _time_argument(self, node: exp.Expr, mode: str, function: str) -> exp.Expr:
        argument = self.resolve(node, mode)
        if has_measure(argument):
            raise NotSupported(f"{function} over a measure is not supported")
        return argument


def _aggregate_hint(measure: Measure) -> str:
    return {
        "count": "COUNT(*)",
        "sum": f"SUM({measure.name})",
        "avg": f"AVG({measure.name})",
        "min": f"MIN({measure.name})",
        "max": f"MAX({measure.name})",
        "count_distinct": f"COUNT(DISTINCT {measure.name})",
        "count_distinct_approx": f"COUNT(DISTINCT {measure.name})",
        "number": f"MEASURE({measure.name})",
    }[measure.type]


def _mismatch(function: str, cube: Cube, measure: Measure) -> NotSupported:
    return NotSupported(
        f"{function} does not match measure {cube.name}.{measure.name} of type {measure.type}",
        hint=f"use MEASURE({measure.name}) or {_aggregate_hint(measure)}",
    )


def _unique(expressions: list[exp.Expr]) -> list[exp.Expr]:
    unique: list[exp.Expr] = []
    for expression in expressions:
        if not any(expression == seen for seen in unique):
            unique.append(expression)
    return unique


def _check_grouped(
    expression: exp.Expr, groups: tuple[exp.Expr, ...] | list[exp.Expr],
    where: str,
) -> None:
    """Every dimension outside an aggregate must be (inside) a grouped expression."""
    if any(expression == group for group in groups):
        return
    if is_dim(expression):
        cube, member = ref_key(expression)
        raise NotSupported(
            f"{where}: {cube}.{member} must appear in GROUP BY"
            " or be used in an aggregate",
            hint="select it, add it to GROUP BY, or drop the explicit GROUP BY",
        )
    for child in expression.iter_expressions():
        if not has_measure(child) or has_dim(child):
            _check_grouped(child, groups, where)


def _limit_value(node: exp.Expr | None) -> exp.Expr | None:
    return None if node is None else row_count(node)


def row_count(node: exp.Expr) -> exp.Expr | None:
    """The row count of a LIMIT/OFFSET/FETCH node (its form checked by validate.py): a copy of
    the literal or parameter, a cast to an integer type dropped; None for LIMIT NULL/ALL."""
    if isinstance(node, exp.Fetch):
        value = node.args.get("count") or exp.Literal.number(1)
    else:
        value = node.args.get("expression") or node.this
    if not isinstance(value, exp.Expr) or not is_row_count(value):
        raise NotSupported(f"{node.key.upper()} must be a non-negative integer or a parameter")
    if isinstance(value, exp.Cast):
        value = value.this
    if isinstance(value, exp.Null):
        return None
    return value.copy()


def _function_name(node: exp.Expr) -> str:
    return node.sql_name() if isinstance(node, exp.Func) else node.key.upper()


def _cubes_used(
    ctx: Context, outputs: list[OutputItem], where: exp.Expr | None, having: exp.Expr | None,
    order: list[OrderItem], groups: list[exp.Expr],
) -> set[str]:
    expressions = [o.expression for o in outputs] + [o.expression for o in order] + groups
    expressions += [e for e in (where, having) if e is not None]
    used: set[str] = set()
    for expression in expressions:
        for node in all_refs(expression):
            used.update(ctx.index.cubes_referenced(*ref_key(node)))
    return used
